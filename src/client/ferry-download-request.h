/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DOWNLOAD_REQUEST (ferry_download_request_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryDownloadRequest, ferry_download_request, FERRY, DOWNLOAD_REQUEST, GObject)

FERRY_AVAILABLE_IN_ALL
FerryDownloadRequest *ferry_download_request_new                (const char            *url);
FERRY_AVAILABLE_IN_ALL
const char           *ferry_download_request_get_url            (FerryDownloadRequest  *self);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_add_header         (FerryDownloadRequest  *self,
                                                                 const char            *name,
                                                                 const char            *value);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_add_secret_header  (FerryDownloadRequest  *self,
                                                                 const char            *name);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_name           (FerryDownloadRequest  *self,
                                                                 const char            *name);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_group          (FerryDownloadRequest  *self,
                                                                 const char            *group);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_priority       (FerryDownloadRequest  *self,
                                                                 FerryClientPriority    priority);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_destination    (FerryDownloadRequest  *self,
                                                                 const char            *path);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_expected_size  (FerryDownloadRequest  *self,
                                                                 gint64                 size);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_expected_sha256 (FerryDownloadRequest *self,
                                                                  const char           *sha256);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_unmetered_only (FerryDownloadRequest  *self,
                                                                 gboolean               unmetered_only);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_pinned         (FerryDownloadRequest  *self,
                                                                 gboolean               pinned);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_expires        (FerryDownloadRequest  *self,
                                                                 gint64                 expires);
FERRY_AVAILABLE_IN_ALL
void                  ferry_download_request_set_app_id         (FerryDownloadRequest  *self,
                                                                 const char            *app_id);

G_END_DECLS
