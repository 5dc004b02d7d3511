/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-client.h"
#include "ferry-client-enums-private.h"

G_BEGIN_DECLS

/**
 * FerryCtlHeaderView:
 * @FERRYCTL_HEADER_SHOWN: the value is printed
 * @FERRYCTL_HEADER_MASKED: a credential the agent gave (the caller owns
 *   the task), left out unless --show-secrets
 * @FERRYCTL_HEADER_WITHHELD: the agent gave no value: only the task's
 *   owner can read it
 * @FERRYCTL_HEADER_EMPTY_OR_WITHHELD: a credential of the response that
 *   came empty: it is, or the agent withheld it without saying so
 *
 * How ferryctl shows a header's value.
 */
typedef enum {
  FERRYCTL_HEADER_SHOWN,
  FERRYCTL_HEADER_MASKED,
  FERRYCTL_HEADER_WITHHELD,
  FERRYCTL_HEADER_EMPTY_OR_WITHHELD,
} FerryCtlHeaderView;

/* ferryctl-format.c */
char               *ferryctl_format_relative      (gint64              when,
                                                   gint64              now);
char               *ferryctl_format_time          (gint64              when);
char               *ferryctl_format_iso8601       (gint64              when);
char               *ferryctl_format_when          (gint64              when,
                                                   gint64              now);
char               *ferryctl_format_size          (guint64             size);

gboolean            ferryctl_parse_when           (const char         *text,
                                                   gint64              now,
                                                   gint64             *out_when,
                                                   GError            **error);

FerryCtlHeaderView  ferryctl_view_header          (FerryTaskInfo      *info,
                                                   const char         *name,
                                                   const char         *value,
                                                   gboolean            response,
                                                   gboolean            show_secrets);
const char         *ferryctl_header_view_to_text  (FerryCtlHeaderView  view);

void                ferryctl_print_task_details   (FerryTaskInfo      *info,
                                                   gint64              now,
                                                   gboolean            show_secrets);

char               *ferryctl_describe_status      (FerryClient        *client,
                                                    GPtrArray          *collections);

/* ferryctl-json.c */
JsonNode           *ferryctl_task_to_json         (FerryTaskInfo      *info,
                                                   gboolean            show_secrets);
char               *ferryctl_json_to_string       (JsonNode           *node,
                                                   gboolean            pretty);

/* ferryctl-table.c */
void                ferryctl_print_task_table     (GPtrArray          *tasks,
                                                   guint               max_width);

G_END_DECLS
