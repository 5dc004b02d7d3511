/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-status.h"

G_BEGIN_DECLS

/* How much of a body, or of one value's tooltip, a window shows. */
#define FERRY_BODY_PREVIEW_BYTES (16 * 1024)

char       *ferry_format_timestamp          (gint64                when);
char       *ferry_format_short_url          (const char           *url);
const char *ferry_format_priority           (FerryClientPriority   priority);
const char *ferry_describe_state            (FerryClientTaskState  state);
const char *ferry_describe_priority         (FerryClientPriority   priority);
const char *ferry_describe_strategy         (FerryClientConflictStrategy strategy);
const char *ferry_http_reason_phrase        (guint                 status);
char       *ferry_format_http_status        (guint                 status);
char       *ferry_format_error              (FerryClientTaskState  state,
                                             guint                 last_status,
                                             const char           *last_error);
gboolean    ferry_body_is_text              (const char           *content_type,
                                             GBytes               *body);
char       *ferry_format_body_preview       (GBytes               *body,
                                             gsize                 max_bytes);

char       *ferry_format_agent_start_error  (const GError         *error);

void        ferry_lookup_app                (const char           *owner,
                                             char                **out_name,
                                             GIcon               **out_icon);

G_END_DECLS
