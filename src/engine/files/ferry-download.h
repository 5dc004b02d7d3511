/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-executor.h"
#include "ferry-http-request.h"

G_BEGIN_DECLS

#define FERRY_DOWNLOAD_CHECKPOINT_BYTES (32 * 1024 * 1024)

#define FERRY_TYPE_DOWNLOAD (ferry_download_get_type ())

G_DECLARE_FINAL_TYPE (FerryDownload, ferry_download, FERRY, DOWNLOAD, GObject)

FerryDownload *ferry_download_new               (FerryExecutor     *executor,
                                                 FerryHttpRequest  *request,
                                                 const char        *part_path,
                                                 const char        *destination);
void           ferry_download_set_validator     (FerryDownload     *self,
                                                 const char        *etag,
                                                 const char        *last_modified,
                                                 gint64             total);
void           ferry_download_set_expected      (FerryDownload     *self,
                                                 gint64             size,
                                                 const char        *sha256);
void           ferry_download_set_limit         (FerryDownload     *self,
                                                 gint64             limit);
const char    *ferry_download_get_etag          (FerryDownload     *self);
const char    *ferry_download_get_last_modified (FerryDownload     *self);
gint64         ferry_download_get_total         (FerryDownload     *self);
gint64         ferry_download_get_done          (FerryDownload     *self);
guint64        ferry_download_get_received      (FerryDownload     *self);
guint          ferry_download_get_requests      (FerryDownload     *self);

void           ferry_download_run_async         (FerryDownload       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
FerryAttempt  *ferry_download_run_finish        (FerryDownload       *self,
                                                 GAsyncResult        *result);

gboolean       ferry_sha256_is_valid            (const char          *text);

G_END_DECLS
