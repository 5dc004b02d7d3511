/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-download-request.h"

G_BEGIN_DECLS

GVariant *ferry_download_request_to_variant (FerryDownloadRequest *self,
                                             const char           *app_id);

G_END_DECLS
