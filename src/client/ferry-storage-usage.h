/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

G_BEGIN_DECLS

#define FERRY_TYPE_STORAGE_USAGE (ferry_storage_usage_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryStorageUsage, ferry_storage_usage, FERRY, STORAGE_USAGE, GObject)

FERRY_AVAILABLE_IN_ALL
const char *ferry_storage_usage_get_owner (FerryStorageUsage *self);
FERRY_AVAILABLE_IN_ALL
guint64     ferry_storage_usage_get_bytes (FerryStorageUsage *self);
FERRY_AVAILABLE_IN_ALL
guint64     ferry_storage_usage_get_files (FerryStorageUsage *self);
FERRY_AVAILABLE_IN_ALL
guint64     ferry_storage_usage_get_quota (FerryStorageUsage *self);

G_END_DECLS
