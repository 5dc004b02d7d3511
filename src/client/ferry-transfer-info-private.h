/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-transfer-info.h"
#include "ferry-storage-usage.h"

G_BEGIN_DECLS

FerryTransferInfo *ferry_transfer_info_new_from_variant (GVariant   *dict);
FerryStorageUsage *ferry_storage_usage_new              (const char *owner,
                                                         guint64     bytes,
                                                         guint64     files,
                                                         guint64     quota);

G_END_DECLS
