/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_INFO (ferry_task_info_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryTaskInfo, ferry_task_info, FERRY, TASK_INFO, GObject)

FERRY_AVAILABLE_IN_ALL
gboolean                     ferry_task_info_get_loaded             (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_id                 (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_owner              (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_name               (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_group              (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_method             (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_url                (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char * const          *ferry_task_info_get_headers            (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_header             (FerryTaskInfo  *self,
                                                                     const char     *name);
FERRY_AVAILABLE_IN_ALL
const char * const          *ferry_task_info_get_hidden_headers     (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_content_type       (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
GBytes                      *ferry_task_info_get_body               (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
guint64                      ferry_task_info_get_body_size          (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
FerryClientPriority          ferry_task_info_get_priority           (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
FerryClientTaskState         ferry_task_info_get_state              (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_state_name         (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
guint                        ferry_task_info_get_attempts           (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
guint                        ferry_task_info_get_max_attempts       (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_next_attempt       (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_failing_since      (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char * const          *ferry_task_info_get_secret_headers     (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gboolean                     ferry_task_info_header_is_secret       (FerryTaskInfo  *self,
                                                                     const char     *name);
FERRY_AVAILABLE_IN_ALL
FerryClientServerCopy        ferry_task_info_get_server_copy        (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_created            (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_updated            (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_not_before         (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gint64                       ferry_task_info_get_expires            (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
gboolean                     ferry_task_info_get_unmetered_only     (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_idempotency_key    (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_if_match           (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
FerryClientConflictStrategy  ferry_task_info_get_conflict_strategy  (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_conflict_url       (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_last_error         (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
guint                        ferry_task_info_get_last_status        (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
guint                        ferry_task_info_get_response_status    (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char * const          *ferry_task_info_get_response_headers   (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
GBytes                      *ferry_task_info_get_response_body      (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
GBytes                      *ferry_task_info_get_base               (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char * const          *ferry_task_info_get_merge_rules        (FerryTaskInfo  *self);
FERRY_AVAILABLE_IN_ALL
const char                  *ferry_task_info_get_timestamp_pointer  (FerryTaskInfo  *self);

G_END_DECLS
