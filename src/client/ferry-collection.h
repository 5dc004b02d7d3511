/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTION (ferry_collection_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryCollection, ferry_collection, FERRY, COLLECTION, GObject)

FERRY_AVAILABLE_IN_ALL
void             ferry_collection_new_async          (FerryClient          *client,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
FerryCollection *ferry_collection_new_finish         (GAsyncResult         *result,
                                                      GError              **error);

FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_path           (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_name           (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_app            (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_protocol       (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_host           (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_direction      (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_collection_get_live           (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_collection_get_interval       (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_state          (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_phase          (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
const char      *ferry_collection_get_last_error     (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_get_progress       (FerryCollection      *self,
                                                      guint                *out_total,
                                                      guint                *out_synced,
                                                      guint                *out_failed);
FERRY_AVAILABLE_IN_ALL
guint            ferry_collection_get_document_count (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_collection_get_dirty_count    (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_collection_get_conflict_count (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
guint            ferry_collection_get_failed_count   (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_collection_get_last_sync_time (FerryCollection      *self);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_collection_get_next_sync_time (FerryCollection      *self);

FERRY_AVAILABLE_IN_ALL
void             ferry_collection_put_async          (FerryCollection      *self,
                                                      const char           *id,
                                                      const char           *json,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_collection_put_finish         (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_delete_async       (FerryCollection      *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gint64           ferry_collection_delete_finish      (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_get_async          (FerryCollection      *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
GVariant        *ferry_collection_get_finish         (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_list_async         (FerryCollection      *self,
                                                      GVariant             *filter,
                                                      guint                 offset,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
GVariant        *ferry_collection_list_finish        (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_changes_async      (FerryCollection      *self,
                                                      gint64                after,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
GVariant        *ferry_collection_changes_finish     (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      gint64               *out_last,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_sync_async         (FerryCollection      *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_collection_sync_finish        (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_resolve_async      (FerryCollection      *self,
                                                      const char           *id,
                                                      const char           *choice,
                                                      const char           *merged,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_collection_resolve_finish     (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
FERRY_AVAILABLE_IN_ALL
void             ferry_collection_retry_failed_async  (FerryCollection     *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
FERRY_AVAILABLE_IN_ALL
gboolean         ferry_collection_retry_failed_finish (FerryCollection     *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_count,
                                                       GError             **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_collection_list_runs_async    (FerryCollection      *self,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FERRY_AVAILABLE_IN_ALL
GVariant        *ferry_collection_list_runs_finish   (FerryCollection      *self,
                                                      GAsyncResult         *result,
                                                      GVariant            **out_sync,
                                                      GError              **error);

FERRY_AVAILABLE_IN_ALL
void             ferry_client_list_collections_async  (FerryClient         *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
FERRY_AVAILABLE_IN_ALL
char           **ferry_client_list_collections_finish (FerryClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
