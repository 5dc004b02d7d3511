/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"
#include "ferry-client-enum-types.h"
#include "ferry-request.h"
#include "ferry-resolver.h"
#include "ferry-task-info.h"
#include "ferry-task-query.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CLIENT (ferry_client_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryClient, ferry_client, FERRY, CLIENT, GObject)

FERRY_AVAILABLE_IN_ALL
void             ferry_client_new_async             (GDBusConnection           *connection,
                                                     FerryClientFlags           flags,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
FerryClient     *ferry_client_new_finish            (GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
GDBusConnection *ferry_client_get_connection        (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
FerryClientFlags ferry_client_get_flags             (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_client_get_app_id            (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
void             ferry_client_set_app_id            (FerryClient               *self,
                                                     const char                *app_id);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_get_agent_running     (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_client_get_agent_owner       (FerryClient               *self);

FERRY_AVAILABLE_IN_ALL
FerryAgentState  ferry_client_get_state             (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_get_online            (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_get_metered           (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_get_paused            (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_pending_count     (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_failed_count      (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_conflict_count    (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_auth_count        (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_progress_done     (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_client_get_progress_total    (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_client_get_last_sync_time    (FerryClient               *self);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_client_get_next_sync_time    (FerryClient               *self);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_start_agent_async     (FerryClient               *self,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_start_agent_finish    (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_enqueue_async         (FerryClient               *self,
                                                     FerryRequest              *request,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
char            *ferry_client_enqueue_finish        (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_get_async             (FerryClient               *self,
                                                     const char                *id,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
FerryTaskInfo   *ferry_client_get_finish            (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_list_async            (FerryClient               *self,
                                                     FerryTaskQuery            *query,
                                                     guint                      offset,
                                                     guint                      limit,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
GPtrArray       *ferry_client_list_finish           (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_count_async           (FerryClient               *self,
                                                     FerryTaskQuery            *query,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_count_finish          (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     guint                     *out_count,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_cancel_async          (FerryClient               *self,
                                                     const char                *id,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_cancel_finish         (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_retry_async           (FerryClient               *self,
                                                     const char                *id,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_retry_finish          (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_retry_all_async       (FerryClient               *self,
                                                     FerryTaskQuery            *query,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_retry_all_finish      (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     guint                     *out_count,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_cancel_all_async      (FerryClient               *self,
                                                     FerryTaskQuery            *query,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_cancel_all_finish     (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     guint                     *out_count,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_add_collection_async  (FerryClient               *self,
                                                     GVariant                  *config,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
char            *ferry_client_add_collection_finish (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_remove_collection_async  (FerryClient            *self,
                                                        const char             *path,
                                                        gboolean                keep_data,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_remove_collection_finish (FerryClient            *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_resolve_async         (FerryClient               *self,
                                                     const char                *id,
                                                     FerryClientResolveChoice   choice,
                                                     GBytes                    *body,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_resolve_finish        (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_sync_now_async        (FerryClient               *self,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_sync_now_finish       (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_pause_async           (FerryClient               *self,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_pause_finish          (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_resume_async          (FerryClient               *self,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_resume_finish         (FerryClient               *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_register_resolver_async    (FerryClient          *self,
                                                          FerryResolver        *resolver,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_register_resolver_finish   (FerryClient          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_unregister_resolver_async  (FerryClient          *self,
                                                          FerryResolver        *resolver,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_client_unregister_resolver_finish (FerryClient          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
