/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-storage"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-download-private.h"
#include "ferry-error.h"

#include "ferry-transfers-private.h"

/*
 * How much room transfers have, and keeping storage tidy.
 *
 * Room: a file in Ferry's storage (a sandboxed app's download, any spooled
 * upload) counts toward its owner's quota; every file, wherever it goes,
 * must leave the disk the free space Ferry keeps: min-free bytes or
 * min-free-percent of the file system, whichever is smaller.  When an
 * app's files would go over its quota, its complete downloads that are not
 * pinned are removed, least recently used first, until the new file fits.
 *
 * Reaping, at start-up: transfers whose task is gone or settled while
 * Ferry was not looking are settled now, and partial and spooled files
 * that no transfer owns are removed.
 */

static guint64
file_size (const char *path)
{
  return path != NULL ? (guint64) ferry_download_private_file_size (path) : 0;
}

/* Bytes @record's file takes now. */
static guint64
bytes_of (FerryTransferRecord *record)
{
  if (record->kind == FERRY_TRANSFER_UPLOAD)
    return MAX (record->total, 0);
  if (record->complete)
    return MAX (record->done, 0);
  return file_size (record->part_path);
}

guint64
ferry_transfers_usage_of (FerryTransfers *self,
                          const char     *owner,
                          const char     *except_key)
{
  g_autoptr(GPtrArray) complete = ferry_transfer_store_list (self->store, owner, TRUE, NULL);
  GHashTableIter iter;
  gpointer value;
  guint64 used = 0;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryTransferRecord *record = value;

      if (record->in_storage && g_strcmp0 (record->owner, owner) == 0 &&
          g_strcmp0 (record->key, except_key) != 0)
        used += bytes_of (record);
    }
  for (guint i = 0; complete != NULL && i < complete->len; i++)
    {
      FerryTransferRecord *record = g_ptr_array_index (complete, i);

      if (record->in_storage)
        used += bytes_of (record);
    }
  return used;
}

/* Bytes the disk under @path can still take, keeping what Ferry keeps
 * free; -1 when the file system does not say. */
static gint64
disk_room (FerryTransfers *self,
           const char     *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GFileInfo) info = NULL;
  guint64 free_bytes, size, keep;

  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE ","
                                       G_FILE_ATTRIBUTE_FILESYSTEM_SIZE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return -1;
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  size = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_SIZE);
  keep = MIN (self->min_free, size / 100 * self->min_free_percent);
  return free_bytes > keep ? (gint64) (free_bytes - keep) : 0;
}

/* The most bytes @record's file may grow to now: -1 for no limit. */
gint64
ferry_transfers_room_for (FerryTransfers      *self,
                          FerryTransferRecord *record)
{
  gint64 have = record->kind == FERRY_TRANSFER_DOWNLOAD ? (gint64) file_size (record->part_path) : 0;
  gint64 room = disk_room (self, record->kind == FERRY_TRANSFER_DOWNLOAD ? record->path
                                                                        : record->path);

  if (room >= 0)
    room += have;
  if (record->in_storage)
    {
      guint64 quota = ferry_transfers_get_quota (self, record->owner);
      guint64 others = ferry_transfers_usage_of (self, record->owner, record->key);
      gint64 left = others < quota ? (gint64) (quota - others) : 0;

      room = room < 0 ? left : MIN (room, left);
    }
  return room;
}

static gint
by_last_access (gconstpointer a,
                gconstpointer b)
{
  const FerryTransferRecord *x = *(FerryTransferRecord * const *) a;
  const FerryTransferRecord *y = *(FerryTransferRecord * const *) b;

  return (x->last_access > y->last_access) - (x->last_access < y->last_access);
}

static gboolean
remove_complete (FerryTransfers      *self,
                 FerryTransferRecord *record,
                 GError             **error)
{
  if (g_unlink (record->path) != 0 && g_file_test (record->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot remove %s", record->path);
      return FALSE;
    }
  return ferry_transfer_store_remove (self->store, record->key, error);
}

/* Makes room for @needed more bytes of @owner's within its quota by
 * removing its unpinned complete downloads, least recently used first. */
void
ferry_transfers_evict_for (FerryTransfers *self,
                           const char     *owner,
                           guint64         needed)
{
  g_autoptr(GPtrArray) complete = NULL;
  guint64 quota = ferry_transfers_get_quota (self, owner);
  guint64 used = ferry_transfers_usage_of (self, owner, NULL);

  if (used + needed <= quota || needed > quota)
    return;
  complete = ferry_transfer_store_list (self->store, owner, TRUE, NULL);
  if (complete == NULL)
    return;
  g_ptr_array_sort (complete, by_last_access);
  for (guint i = 0; i < complete->len && used + needed > quota; i++)
    {
      FerryTransferRecord *record = g_ptr_array_index (complete, i);
      g_autoptr(GError) error = NULL;
      guint64 bytes = bytes_of (record);

      if (record->pinned || !record->in_storage)
        continue;
      g_debug ("evicting %s (%" G_GUINT64_FORMAT " bytes) to make room", record->path, bytes);
      if (!remove_complete (self, record, &error))
        {
          g_warning ("Cannot evict a download: %s", error->message);
          continue;
        }
      used -= MIN (used, bytes);
    }
}

/* Drops @record's bytes (partial or spooled file) and, unless @keep_row,
 * the transfer itself.  @record may be freed. */
gboolean
ferry_transfers_forget (FerryTransfers       *self,
                        FerryTransferRecord  *record,
                        gboolean              keep_row,
                        GError              **error)
{
  g_autofree char *key = g_strdup (record->key);

  if (record->kind == FERRY_TRANSFER_DOWNLOAD)
    {
      if (record->part_path != NULL)
        g_unlink (record->part_path);
    }
  else
    g_unlink (record->path);
  g_hash_table_remove (self->downloads, key);
  g_hash_table_remove (self->progress, key);
  if (keep_row)
    {
      g_clear_pointer (&record->etag, g_free);
      g_clear_pointer (&record->last_modified, g_free);
      record->total = -1;
      record->done = 0;
      return ferry_transfer_store_update (self->store, record, error);
    }
  g_hash_table_remove (self->active, key);
  return ferry_transfer_store_remove (self->store, key, error);
}

static void
unlink_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_unlink (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
unlinked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryTransfers *self = FERRY_TRANSFERS (object);
  g_autofree char *key = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_transfer_store_remove (self->store, key, &error))
    g_warning ("Cannot remove a transfer: %s", error->message);
}

/**
 * ferry_transfers_drop_upload:
 * @self: the transfers
 * @record: an upload whose task settled; freed
 *
 * Drops a settled upload at once, but for its spooled file and its row:
 * removing a file of gigabytes keeps the disk busy for a while, so it is
 * removed in a worker, then the row.  Until then the row names the file
 * (a crash in between leaves both to the reaping at start-up), and no
 * list shows the upload without its file being gone.
 */
void
ferry_transfers_drop_upload (FerryTransfers      *self,
                             FerryTransferRecord *record)
{
  char *key = g_strdup (record->key);
  g_autoptr(GTask) task = g_task_new (self, NULL, unlinked_cb, key);

  g_assert (record->kind == FERRY_TRANSFER_UPLOAD);
  g_task_set_source_tag (task, ferry_transfers_drop_upload);
  g_task_set_task_data (task, g_strdup (record->path), g_free);
  g_hash_table_remove (self->downloads, key);
  g_hash_table_remove (self->progress, key);
  /* Frees @record: the task holds copies of what it needs. */
  g_hash_table_remove (self->active, key);
  g_task_run_in_thread (task, unlink_thread);
}

/* A transfer whose task settled while Ferry was not running. */
static void
reap_record (FerryTransfers      *self,
             FerryTransferRecord *record)
{
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;

  if (record->task_id == NULL)
    return;
  task = ferry_sync_manager_dup_task (self->manager, record->task_id, &error);
  if (task == NULL && !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
    return;
  if (task == NULL || task->state == FERRY_TASK_STATE_CANCELLED ||
      (task->state == FERRY_TASK_STATE_SUCCEEDED && record->kind == FERRY_TRANSFER_UPLOAD))
    {
      ferry_transfers_forget (self, record, FALSE, NULL);
      return;
    }
  if (task->state == FERRY_TASK_STATE_SUCCEEDED)
    {
      /* Renamed, but stopped before the row said so. */
      record->complete = TRUE;
      record->done = file_size (record->path);
      g_clear_pointer (&record->part_path, g_free);
      ferry_transfer_store_update (self->store, record, NULL);
      g_hash_table_remove (self->active, record->key);
    }
}

static gboolean
owned_path (FerryTransfers *self,
            const char     *path)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryTransferRecord *record = value;

      if (g_strcmp0 (record->part_path, path) == 0 ||
          (record->kind == FERRY_TRANSFER_UPLOAD && g_strcmp0 (record->path, path) == 0))
        return TRUE;
    }
  return FALSE;
}

/* Removes the files in @dir that no transfer owns and @is_ours names. */
static void
reap_dir (FerryTransfers *self,
          const char     *dir,
          gboolean        partials_only)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (partials_only && !(name[0] == '.' && g_str_has_suffix (name, ".part")))
        continue;
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || owned_path (self, path))
        continue;
      g_debug ("reaping %s", path);
      g_unlink (path);
    }
}

void
ferry_transfers_reap (FerryTransfers *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GDir) apps = NULL;
  GHashTableIter iter;
  gpointer key_data;
  const char *name;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key_data, NULL))
    g_ptr_array_add (keys, key_data);

  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *key = g_strdup (g_ptr_array_index (keys, i));
      FerryTransferRecord *record = g_hash_table_lookup (self->active, key);

      if (record != NULL)
        reap_record (self, record);
    }
  g_ptr_array_set_size (keys, 0);
  reap_dir (self, self->spool_dir, FALSE);
  apps = g_dir_open (self->storage_dir, 0, NULL);
  while (apps != NULL && (name = g_dir_read_name (apps)) != NULL)
    {
      g_autofree char *dir = g_build_filename (self->storage_dir, name, NULL);

      reap_dir (self, dir, TRUE);
    }
}

static FerryTransferUsage *
usage_for (GHashTable     *usage,
           FerryTransfers *self,
           const char     *owner)
{
  FerryTransferUsage *entry = g_hash_table_lookup (usage, owner);

  if (entry == NULL)
    {
      entry = g_new0 (FerryTransferUsage, 1);
      entry->owner = g_strdup (owner);
      entry->quota = ferry_transfers_get_quota (self, owner);
      g_hash_table_insert (usage, entry->owner, entry);
    }
  return entry;
}

/**
 * ferry_transfers_dup_usage:
 * @self: the transfers
 * @owner: (nullable): only this app
 * @error: a database error
 *
 * Returns: (transfer full) (element-type FerryTransferUsage) (nullable):
 *   per app, the bytes and files in Ferry's storage and spool
 */
GPtrArray *
ferry_transfers_dup_usage (FerryTransfers  *self,
                           const char      *owner,
                           GError         **error)
{
  g_autoptr(GPtrArray) records = ferry_transfers_list (self, owner, error);
  g_autoptr(GHashTable) usage = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;
  GPtrArray *result;

  if (records == NULL)
    return NULL;
  if (owner != NULL)
    usage_for (usage, self, owner);
  for (guint i = 0; i < records->len; i++)
    {
      FerryTransferRecord *record = g_ptr_array_index (records, i);
      FerryTransferUsage *entry;

      if (!record->in_storage)
        continue;
      entry = usage_for (usage, self, record->owner);
      entry->bytes += bytes_of (record);
      entry->files++;
    }
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_transfer_usage_free);
  g_hash_table_iter_init (&iter, usage);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (result, value);
  return result;
}

/**
 * ferry_transfers_remove_files:
 * @self: the transfers
 * @owner: (nullable): only this app's files
 * @task_ids: (nullable) (array zero-terminated=1): only these downloads
 * @out_removed: (out) (optional): how many files went
 * @error: why one could not be removed
 *
 * Removes complete downloads (those in progress are cancelled through
 * their tasks instead).
 */
gboolean
ferry_transfers_remove_files (FerryTransfers      *self,
                              const char          *owner,
                              const char * const  *task_ids,
                              guint               *out_removed,
                              GError             **error)
{
  g_autoptr(GPtrArray) complete = ferry_transfer_store_list (self->store, owner, TRUE, error);
  guint removed = 0;

  if (complete == NULL)
    return FALSE;
  for (guint i = 0; i < complete->len; i++)
    {
      FerryTransferRecord *record = g_ptr_array_index (complete, i);

      if (task_ids != NULL && !g_strv_contains (task_ids, record->task_id != NULL ?
                                                          record->task_id : ""))
        continue;
      if (!remove_complete (self, record, error))
        return FALSE;
      removed++;
    }
  if (out_removed != NULL)
    *out_removed = removed;
  return TRUE;
}
