/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client.h"
#include "ferry-download-request.h"
#include "ferry-request.h"

G_BEGIN_DECLS

FERRY_AVAILABLE_IN_ALL
void          ferry_client_download_async          (FerryClient           *self,
                                                    FerryDownloadRequest  *request,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
char         *ferry_client_download_finish         (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_upload_async            (FerryClient           *self,
                                                    FerryRequest          *request,
                                                    GFile                 *body,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
char         *ferry_client_upload_finish           (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_open_file_async         (FerryClient           *self,
                                                    const char            *id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
GInputStream *ferry_client_open_file_finish        (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_list_transfers_async    (FerryClient           *self,
                                                    const char            *owner,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
GPtrArray    *ferry_client_list_transfers_finish   (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_pause_transfer_async    (FerryClient           *self,
                                                    const char            *id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
gboolean      ferry_client_pause_transfer_finish   (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_resume_transfer_async   (FerryClient           *self,
                                                    const char            *id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
gboolean      ferry_client_resume_transfer_finish  (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_get_storage_usage_async (FerryClient           *self,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
GPtrArray    *ferry_client_get_storage_usage_finish (FerryClient          *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
FERRY_AVAILABLE_IN_ALL
void          ferry_client_remove_files_async      (FerryClient           *self,
                                                    const char            *owner,
                                                    const char * const    *ids,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
FERRY_AVAILABLE_IN_ALL
gboolean      ferry_client_remove_files_finish     (FerryClient           *self,
                                                    GAsyncResult          *result,
                                                    guint                 *out_removed,
                                                    GError               **error);

G_END_DECLS
