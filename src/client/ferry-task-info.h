/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_INFO (ferry_task_info_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskInfo, ferry_task_info, FERRY, TASK_INFO, GObject)

FerryTaskInfo               *ferry_task_info_new_from_variant       (GVariant       *task,
                                                                     GError        **error);

gboolean                     ferry_task_info_get_loaded             (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_id                 (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_owner              (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_name               (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_group              (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_method             (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_url                (FerryTaskInfo  *self);
const char * const          *ferry_task_info_get_headers            (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_header             (FerryTaskInfo  *self,
                                                                     const char     *name);
const char * const          *ferry_task_info_get_hidden_headers     (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_content_type       (FerryTaskInfo  *self);
GBytes                      *ferry_task_info_get_body               (FerryTaskInfo  *self);
guint64                      ferry_task_info_get_body_size          (FerryTaskInfo  *self);
FerryClientPriority          ferry_task_info_get_priority           (FerryTaskInfo  *self);
FerryClientTaskState         ferry_task_info_get_state              (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_state_name         (FerryTaskInfo  *self);
guint                        ferry_task_info_get_attempts           (FerryTaskInfo  *self);
guint                        ferry_task_info_get_max_attempts       (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_next_attempt       (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_failing_since      (FerryTaskInfo  *self);
const char * const          *ferry_task_info_get_secret_headers     (FerryTaskInfo  *self);
gboolean                     ferry_task_info_header_is_secret       (FerryTaskInfo  *self,
                                                                     const char     *name);
FerryClientServerCopy        ferry_task_info_get_server_copy        (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_created            (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_updated            (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_not_before         (FerryTaskInfo  *self);
gint64                       ferry_task_info_get_expires            (FerryTaskInfo  *self);
gboolean                     ferry_task_info_get_unmetered_only     (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_idempotency_key    (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_if_match           (FerryTaskInfo  *self);
FerryClientConflictStrategy  ferry_task_info_get_conflict_strategy  (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_conflict_url       (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_last_error         (FerryTaskInfo  *self);
guint                        ferry_task_info_get_last_status        (FerryTaskInfo  *self);
guint                        ferry_task_info_get_response_status    (FerryTaskInfo  *self);
const char * const          *ferry_task_info_get_response_headers   (FerryTaskInfo  *self);
GBytes                      *ferry_task_info_get_response_body      (FerryTaskInfo  *self);
GBytes                      *ferry_task_info_get_base               (FerryTaskInfo  *self);
const char * const          *ferry_task_info_get_merge_rules        (FerryTaskInfo  *self);
const char                  *ferry_task_info_get_timestamp_pointer  (FerryTaskInfo  *self);

G_END_DECLS
