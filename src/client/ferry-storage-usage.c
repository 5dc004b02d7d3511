/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-storage-usage"

#include "config.h"

#include "ferry-transfer-info-private.h"

/**
 * FerryStorageUsage:
 *
 * What one app's files take in Ferry's storage (its downloads and the
 * uploads waiting in the spool), and its quota, as
 * [method@Client.get_storage_usage_async] found them.
 */
struct _FerryStorageUsage
{
  GObject parent_instance;

  /* owned */
  char *owner;

  /* state */
  guint64 bytes;
  guint64 files;
  guint64 quota;
};

G_DEFINE_FINAL_TYPE (FerryStorageUsage, ferry_storage_usage, G_TYPE_OBJECT)

static void
ferry_storage_usage_finalize (GObject *object)
{
  g_free (FERRY_STORAGE_USAGE (object)->owner);

  G_OBJECT_CLASS (ferry_storage_usage_parent_class)->finalize (object);
}

static void
ferry_storage_usage_class_init (FerryStorageUsageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_storage_usage_finalize;
}

static void
ferry_storage_usage_init (FerryStorageUsage *self)
{
}

FerryStorageUsage *
ferry_storage_usage_new (const char *owner,
                         guint64     bytes,
                         guint64     files,
                         guint64     quota)
{
  FerryStorageUsage *self = g_object_new (FERRY_TYPE_STORAGE_USAGE, NULL);

  self->owner = g_strdup (owner);
  self->bytes = bytes;
  self->files = files;
  self->quota = quota;
  return self;
}

/**
 * ferry_storage_usage_get_owner:
 * @self: a usage
 *
 * Gets the app whose files these are.
 *
 * Returns: the app
 */
const char *
ferry_storage_usage_get_owner (FerryStorageUsage *self)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_USAGE (self), NULL);
  return self->owner;
}

/**
 * ferry_storage_usage_get_bytes:
 * @self: a usage
 *
 * Gets how many bytes the app's files take.
 *
 * Returns: bytes its files take
 */
guint64
ferry_storage_usage_get_bytes (FerryStorageUsage *self)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_USAGE (self), 0);
  return self->bytes;
}

/**
 * ferry_storage_usage_get_files:
 * @self: a usage
 *
 * Gets how many files the app has.
 *
 * Returns: how many files it has
 */
guint64
ferry_storage_usage_get_files (FerryStorageUsage *self)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_USAGE (self), 0);
  return self->files;
}

/**
 * ferry_storage_usage_get_quota:
 * @self: a usage
 *
 * Gets how many bytes the app's files may take.
 *
 * Returns: the bytes it may take
 */
guint64
ferry_storage_usage_get_quota (FerryStorageUsage *self)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_USAGE (self), 0);
  return self->quota;
}
