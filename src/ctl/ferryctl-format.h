/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-client.h"

G_BEGIN_DECLS

char     *ferryctl_format_relative      (gint64          when,
                                         gint64          now);
char     *ferryctl_format_time          (gint64          when);
char     *ferryctl_format_iso8601       (gint64          when);
char     *ferryctl_format_when          (gint64          when,
                                         gint64          now);
char     *ferryctl_format_size          (guint64         size);

gboolean  ferryctl_parse_when           (const char     *text,
                                         gint64          now,
                                         gint64         *out_when,
                                         GError        **error);

JsonNode *ferryctl_task_to_json         (FerryTaskInfo  *info);
char     *ferryctl_json_to_string       (JsonNode       *node);

void      ferryctl_print_task_table     (GPtrArray      *tasks);
void      ferryctl_print_task_details   (FerryTaskInfo  *info,
                                         gint64          now);

char     *ferryctl_describe_status      (FerryClient    *client);

G_END_DECLS
