/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

/* What the window's status line is made of: the client's properties. */
typedef struct
{
  gboolean        agent_running;
  FerryAgentState state;
  guint           pending;
  guint           failed;
  guint           conflicts;
  guint           auth;
  guint           progress_done;
  guint           progress_total;
} FerryStatusCounts;

void        ferry_status_counts_from_client (FerryStatusCounts    *counts,
                                             FerryClient          *client);
char       *ferry_format_status             (const FerryStatusCounts *counts);
char       *ferry_format_last_sync          (gint64                last_sync,
                                             gint64                now);
char       *ferry_format_countdown          (gint64                when,
                                             gint64                now);
char       *ferry_format_time_ago           (gint64                when,
                                             gint64                now);
char       *ferry_format_timestamp          (gint64                when);
char       *ferry_format_short_url          (const char           *url);
const char *ferry_format_priority           (FerryClientPriority   priority);
const char *ferry_http_reason_phrase        (guint                 status);
char       *ferry_format_http_status        (guint                 status);
char       *ferry_format_error              (FerryClientTaskState  state,
                                             guint                 last_status,
                                             const char           *last_error);
gboolean    ferry_header_is_secret          (const char           *name);
gboolean    ferry_body_is_text              (const char           *content_type,
                                             GBytes               *body);
char       *ferry_format_body_preview       (GBytes               *body,
                                             gsize                 max_bytes);

void        ferry_lookup_app                (const char           *owner,
                                             char                **out_name,
                                             GIcon               **out_icon);

G_END_DECLS
