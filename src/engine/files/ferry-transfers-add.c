/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfers-add"

#include "config.h"

#include <glib/gstdio.h>

#include "ferry-download.h"
#include "ferry-download-private.h"
#include "ferry-error.h"

#include "ferry-transfers-private.h"

/*
 * Adding a transfer to FerryTransfers (see ferry-transfers.c): a download
 * gets its destination and partial file's place; an upload's body is
 * copied into the spool and synced; either must fit its owner's quota and
 * the free disk kept; then its row is stored, then its task.
 */

/* Adding ------------------------------------------------------------------- */

typedef struct
{
  FerryTransferRecord *record;   /* borrowed from active */
  char                *key;
} AddData;

static void
add_data_free (gpointer data)
{
  AddData *add = data;

  g_free (add->key);
  g_free (add);
}

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryTransfers *self = g_task_get_source_object (task);
  AddData *add = g_task_get_task_data (task);
  g_autoptr(FerryTask) stored = NULL;
  FerryTransferRecord *record;
  GError *error = NULL;

  stored = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, &error);
  record = g_hash_table_lookup (self->active, add->key);
  if (stored == NULL)
    {
      if (record != NULL)
        ferry_transfers_forget (self, record, FALSE, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (record != NULL && record->task_id == NULL)
    {
      g_autoptr(GError) store_error = NULL;

      record->task_id = g_strdup (stored->id);
      if (!ferry_transfer_store_set_task_id (self->store, record->key, stored->id, &store_error))
        g_warning ("Cannot name a transfer's task: %s", store_error->message);
    }
  g_task_return_pointer (task, g_steal_pointer (&stored), (GDestroyNotify) ferry_task_unref);
}

/* Stores @record, then its task: the row comes first (see above). */
static void
add_transfer (FerryTransfers      *self,
              FerryTransferRecord *record_in,
              FerryTask           *task_in,
              GTask               *task_owned)
{
  g_autoptr(GTask) task = task_owned;
  g_autoptr(FerryTransferRecord) record = record_in;
  g_autoptr(FerryTask) copy = ferry_task_copy (task_in);
  AddData *add = g_new0 (AddData, 1);
  GCancellable *cancellable;
  GError *error = NULL;

  record->created = g_get_real_time ();
  record->last_access = record->created;
  g_free (copy->idempotency_key);
  copy->idempotency_key = g_strdup (record->key);
  /* A same-named task replaced in place would get a new key. */
  copy->unique = FERRY_UNIQUE_APPEND;
  if (!ferry_task_validate (copy, &error) ||
      !ferry_transfer_store_insert (self->store, record, &error))
    {
      if (record->kind == FERRY_TRANSFER_UPLOAD)
        g_unlink (record->path);
      g_task_return_error (task, error);
      return;
    }
  add->key = g_strdup (record->key);
  g_task_set_task_data (task, add, add_data_free);
  g_hash_table_insert (self->active, g_strdup (add->key), g_steal_pointer (&record));
  cancellable = g_task_get_cancellable (task);
  ferry_sync_manager_enqueue_async (self->manager, copy, cancellable, enqueue_cb,
                                    g_steal_pointer (&task));
}

static char *
file_name_for (const FerryTask         *task,
               const FerryDownloadSpec *spec)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  const char *name = spec->file_name != NULL ? spec->file_name : task->name;

  if (name == NULL)
    {
      uri = g_uri_parse (task->url, G_URI_FLAGS_NONE, NULL);
      if (uri != NULL)
        base = g_path_get_basename (g_uri_get_path (uri));
      name = base;
    }
  if (name == NULL || *name == '\0' || strcmp (name, "/") == 0 || strcmp (name, ".") == 0 ||
      strcmp (name, "..") == 0)
    name = "download";
  return g_strdelimit (g_strdup (name), "/", '_');
}

/* Where a download goes, checked: a destination must be absolute, in an
 * existing directory, and not a directory itself. */
static gboolean
place_download (FerryTransfers          *self,
                const FerryTask         *task,
                const FerryDownloadSpec *spec,
                FerryTransferRecord     *record,
                GError                 **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (spec->destination != NULL)
    {
      if (!g_path_is_absolute (spec->destination))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "destination: not an absolute path: “%s”", spec->destination);
          return FALSE;
        }
      record->path = g_canonicalize_filename (spec->destination, NULL);
      dir = g_path_get_dirname (record->path);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR) ||
          g_file_test (record->path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "destination: “%s” is not a file in an existing directory",
                       spec->destination);
          return FALSE;
        }
    }
  else
    {
      dir = ferry_transfers_dup_app_dir (self, task->owner);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot create %s: %s", dir, g_strerror (saved));
          return FALSE;
        }
      name = file_name_for (task, spec);
      record->path = g_build_filename (dir, name, NULL);
      record->in_storage = TRUE;
    }
  g_free (name);
  name = g_path_get_basename (record->path);
  record->part_path = g_strdup_printf ("%s/.%s.%.8s.part", dir, name, record->key);
  return TRUE;
}

static gboolean
check_download (const FerryTask         *task,
                const FerryDownloadSpec *spec,
                GError                 **error)
{
  if (spec->expected_sha256 != NULL && !ferry_sha256_is_valid (spec->expected_sha256))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "sha256: not 64 hexadecimal digits");
      return FALSE;
    }
  if (spec->expected_size < -1)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "size: negative");
      return FALSE;
    }
  if (task->body != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: a download sends none");
      return FALSE;
    }
  return ferry_task_validate (task, error);
}

/* Uploads: the body is copied into the spool and synced, then stored. */

typedef struct
{
  FerryTask           *task;
  FerryTransferRecord *record;
  GOutputStream       *out;
} SpoolData;

static void
spool_data_free (gpointer data)
{
  SpoolData *spool = data;

  g_clear_pointer (&spool->task, ferry_task_unref);
  g_clear_pointer (&spool->record, ferry_transfer_record_free);
  g_clear_object (&spool->out);
  g_free (spool);
}

static gboolean
fits (FerryTransfers      *self,
      FerryTransferRecord *record,
      GError             **error)
{
  guint64 quota = ferry_transfers_get_quota (self, record->owner);
  guint64 used = ferry_transfers_usage_of (self, record->owner, NULL);
  gint64 room;

  if (used + record->total > quota)
    {
      ferry_transfers_evict_for (self, record->owner, record->total);
      used = ferry_transfers_usage_of (self, record->owner, NULL);
    }
  if (used + record->total > quota)
    {
      ferry_transfers_quota_exceeded (self, record->owner, record->total);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORAGE_FULL,
                   "body: %" G_GINT64_FORMAT " bytes do not fit %s's quota (%" G_GUINT64_FORMAT
                   " of %" G_GUINT64_FORMAT " bytes used)",
                   record->total, record->owner, used, quota);
      return FALSE;
    }
  room = ferry_transfers_room_for (self, record);
  if (room >= 0 && record->total > room)
    {
      ferry_transfers_quota_exceeded (self, record->owner, record->total);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORAGE_FULL,
                   "body: %" G_GINT64_FORMAT " bytes would leave less free disk space than "
                   "Ferry keeps", record->total);
      return FALSE;
    }
  return TRUE;
}

static void
spooled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryTransfers *self = g_task_get_source_object (task);
  SpoolData *spool = g_task_get_task_data (task);
  GError *error = NULL;
  gssize size;

  /* On disk already: the copy syncs in its worker. */
  size = ferry_transfers_spool_copy_finish (result, &error);
  if (size < 0)
    {
      g_unlink (spool->record->path);
      g_prefix_error (&error, "body: ");
      g_task_return_error (task, error);
      return;
    }
  spool->record->total = size;
  spool->record->done = size;
  if (!fits (self, spool->record, &error))
    {
      g_unlink (spool->record->path);
      g_task_return_error (task, error);
      return;
    }
  add_transfer (self, g_steal_pointer (&spool->record), spool->task, g_steal_pointer (&task));
}

/**
 * ferry_transfers_upload_async:
 * @self: the transfers
 * @task: the request to send (its body, if any, is ignored)
 * @body: the body, read to its end into Ferry's spool before the call
 *   completes
 * @cancellable: (nullable): stops the copy
 * @callback: called once the task is stored
 * @user_data: for @callback
 *
 * Adds an upload: the spooled copy is sent, streamed from disk, on every
 * attempt, and removed after success or cancel.
 */
void
ferry_transfers_upload_async (FerryTransfers      *self,
                              FerryTask           *task,
                              GInputStream        *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) gtask = NULL;
  g_autoptr(GFile) file = NULL;
  SpoolData *spool;
  GError *error = NULL;

  g_return_if_fail (FERRY_IS_TRANSFERS (self));
  g_return_if_fail (task != NULL && G_IS_INPUT_STREAM (body));

  gtask = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, ferry_transfers_upload_async);
  spool = g_new0 (SpoolData, 1);
  g_task_set_task_data (gtask, spool, spool_data_free);
  spool->task = ferry_task_copy (task);
  g_clear_pointer (&spool->task->body, g_bytes_unref);
  spool->record = ferry_transfer_record_new ();
  spool->record->key = g_uuid_string_random ();
  spool->record->owner = g_strdup (task->owner);
  spool->record->kind = FERRY_TRANSFER_UPLOAD;
  spool->record->in_storage = TRUE;
  spool->record->path = g_build_filename (self->spool_dir, spool->record->key, NULL);
  if (!ferry_task_validate (spool->task, &error) ||
      g_mkdir_with_parents (self->spool_dir, 0700) != 0)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", self->spool_dir);
      g_task_return_error (gtask, error);
      return;
    }
  file = g_file_new_for_path (spool->record->path);
  spool->out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                                NULL, &error));
  if (spool->out == NULL)
    {
      g_task_return_error (gtask, error);
      return;
    }
  ferry_transfers_spool_copy_async (spool->out, body, cancellable, spooled_cb,
                                    g_steal_pointer (&gtask));
}

/**
 * ferry_transfers_upload_finish:
 * @self: the transfers
 * @result: the result given to the callback
 * @error: why nothing was stored
 *
 * Returns: (transfer full) (nullable): the stored task
 */
FerryTask *
ferry_transfers_upload_finish (FerryTransfers  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_transfers_download_async:
 * @self: the transfers
 * @task: the GET to make (URL, headers, owner, name, group, priority,
 *   constraints, expiry)
 * @spec: where the file goes and what it must be
 * @cancellable: (nullable): unused beyond the store
 * @callback: called once the download is stored
 * @user_data: for @callback
 */
void
ferry_transfers_download_async (FerryTransfers          *self,
                                FerryTask               *task,
                                const FerryDownloadSpec *spec,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  g_autoptr(GTask) gtask = NULL;
  g_autoptr(FerryTransferRecord) record = NULL;
  g_autoptr(FerryTask) copy = NULL;
  GError *error = NULL;

  g_return_if_fail (FERRY_IS_TRANSFERS (self));
  g_return_if_fail (task != NULL && spec != NULL);

  gtask = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, ferry_transfers_download_async);
  copy = ferry_task_copy (task);
  g_free (copy->method);
  copy->method = g_strdup ("GET");
  record = ferry_transfer_record_new ();
  record->key = g_uuid_string_random ();
  record->owner = g_strdup (task->owner);
  record->kind = FERRY_TRANSFER_DOWNLOAD;
  record->expected_size = spec->expected_size;
  record->expected_sha256 = g_ascii_strdown (spec->expected_sha256 != NULL ?
                                             spec->expected_sha256 : "", -1);
  if (*record->expected_sha256 == '\0')
    g_clear_pointer (&record->expected_sha256, g_free);
  record->pinned = spec->pinned;
  if (!check_download (copy, spec, &error) ||
      !place_download (self, copy, spec, record, &error))
    {
      g_task_return_error (gtask, error);
      return;
    }
  if (record->in_storage && spec->expected_size > 0 &&
      (guint64) spec->expected_size > ferry_transfers_get_quota (self, record->owner))
    {
      ferry_transfers_quota_exceeded (self, record->owner, spec->expected_size);
      g_task_return_new_error (gtask, FERRY_ERROR, FERRY_ERROR_STORAGE_FULL,
                               "size: %" G_GINT64_FORMAT " bytes are more than %s's quota "
                               "of %" G_GUINT64_FORMAT " bytes", spec->expected_size,
                               record->owner, ferry_transfers_get_quota (self, record->owner));
      return;
    }
  add_transfer (self, g_steal_pointer (&record), copy, g_steal_pointer (&gtask));
}

/**
 * ferry_transfers_download_finish:
 * @self: the transfers
 * @result: the result given to the callback
 * @error: why nothing was stored (a bad argument names itself)
 *
 * Returns: (transfer full) (nullable): the stored task
 */
FerryTask *
ferry_transfers_download_finish (FerryTransfers  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
