/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-http-request.h"

G_BEGIN_DECLS

/* Helpers of FerryDownload, in ferry-download-util.c: pure functions and
 * the file system steps, each tested on its own. */

gint64              ferry_download_private_file_size        (const char          *path);
gboolean            ferry_download_private_truncate         (const char          *path,
                                                             GError             **error);
gboolean            ferry_download_private_sync_file        (const char          *path,
                                                             GError             **error);
gboolean            ferry_download_private_commit           (const char          *part_path,
                                                             const char          *destination,
                                                             GError             **error);
gint64              ferry_download_private_parse_unsatisfied_range (const char   *content_range);
void                ferry_download_private_parse_retry_after (const char         *value,
                                                             SoupMessageHeaders  *headers,
                                                             gint64              *out_delay);
const char         *ferry_download_private_strong_validator (const char          *etag,
                                                             const char          *last_modified);
char               *ferry_download_private_keep_last_modified (SoupMessageHeaders *headers);
SoupMessageHeaders *ferry_download_private_request_headers  (FerryHttpRequest    *request);
void                ferry_download_private_copy_headers     (SoupMessageHeaders  *from,
                                                             SoupMessageHeaders  *to);
void                ferry_download_private_drop_secrets     (SoupMessageHeaders  *headers,
                                                             FerryHttpRequest    *request);

G_END_DECLS
