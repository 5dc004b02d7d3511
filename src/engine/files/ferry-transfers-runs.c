/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfers-runs"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-download.h"
#include "ferry-download-private.h"
#include "ferry-error.h"

#include "ferry-transfers-private.h"

/*
 * The attempts of FerryTransfers (see ferry-transfers.c): the manager hands
 * it the tasks that have a transfer row (FerrySender), a download runs a
 * FerryDownload into its partial file, an upload sends its spooled body
 * through the executor; pausing stops a run; a settled task's row and
 * bytes follow its state.
 */

/* Downloads ---------------------------------------------------------------- */

static void
on_download_progress (FerryDownload  *download,
                      gint64          done,
                      gint64          total,
                      FerryTransfers *self)
{
  FerryTransferRecord *record = g_hash_table_lookup (self->active,
                                                     g_object_get_data (G_OBJECT (download),
                                                                        "ferry-key"));

  if (record != NULL)
    ferry_transfers_note_progress (self, record, done, total);
}

static void
on_download_checkpoint (FerryDownload  *download,
                        FerryTransfers *self)
{
  FerryTransferRecord *record = g_hash_table_lookup (self->active,
                                                     g_object_get_data (G_OBJECT (download),
                                                                        "ferry-key"));
  g_autoptr(GError) error = NULL;

  if (record == NULL)
    return;
  g_free (record->etag);
  record->etag = g_strdup (ferry_download_get_etag (download));
  g_free (record->last_modified);
  record->last_modified = g_strdup (ferry_download_get_last_modified (download));
  record->total = ferry_download_get_total (download);
  record->done = ferry_download_get_done (download);
  if (!ferry_transfer_store_update (self->store, record, &error))
    g_warning ("Cannot store a download's progress: %s", error->message);
}

static FerryDownload *
ensure_download (FerryTransfers      *self,
                 FerryTransferRecord *record,
                 FerryTask           *task)
{
  FerryDownload *download = g_hash_table_lookup (self->downloads, record->key);
  g_autoptr(FerryHttpRequest) request = NULL;
  g_autoptr(FerryExecutor) executor = NULL;

  if (download != NULL)
    return download;
  g_object_get (self->manager, "executor", &executor, NULL);
  request = ferry_executor_request_for_task (task);
  download = ferry_download_new (executor, request,
                                 record->part_path, record->path);
  ferry_download_set_validator (download, record->etag, record->last_modified, record->total);
  ferry_download_set_expected (download, record->expected_size, record->expected_sha256);
  g_object_set_data_full (G_OBJECT (download), "ferry-key", g_strdup (record->key), g_free);
  g_signal_connect (download, "progress", G_CALLBACK (on_download_progress), self);
  g_signal_connect (download, "checkpoint", G_CALLBACK (on_download_checkpoint), self);
  g_hash_table_insert (self->downloads, g_strdup (record->key), download);
  return download;
}

/* A run that found no room: the owner hears of it; a file that can never
 * fit its quota fails, anything else waits for room. */
static void
no_room (FerryTransfers      *self,
         FerryTransferRecord *record,
         gint64               total,
         FerryAttempt        *attempt)
{
  guint64 quota = ferry_transfers_get_quota (self, record->owner);
  gint64 needed = MAX (total, record->expected_size);

  ferry_transfers_quota_exceeded (self, record->owner, needed > 0 ? needed : 0);
  if (record->in_storage && needed > 0 && (guint64) needed > quota)
    {
      g_clear_error (&attempt->error);
      attempt->error = g_error_new (FERRY_ERROR, FERRY_ERROR_STORAGE_FULL,
                                    "the file needs %" G_GINT64_FORMAT " bytes, more than the "
                                    "%" G_GUINT64_FORMAT " bytes of %s's quota",
                                    needed, quota, record->owner);
      attempt->kind = FERRY_OUTCOME_UNUSABLE;
    }
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryTransfers *self = g_task_get_source_object (task);
  FerryAttempt *attempt = ferry_download_run_finish (FERRY_DOWNLOAD (object), result);
  FerryTransferRecord *record = g_hash_table_lookup (self->active,
                                                     g_object_get_data (object, "ferry-key"));

  if (attempt->kind == FERRY_OUTCOME_NO_ROOM && record != NULL)
    no_room (self, record, ferry_download_get_total (FERRY_DOWNLOAD (object)), attempt);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

static void
run_download (FerryTransfers      *self,
              FerryTransferRecord *record,
              FerryTask           *task,
              GTask               *gtask)
{
  FerryDownload *download = ensure_download (self, record, task);
  gint64 needed = MAX (record->total, record->expected_size);

  if (record->in_storage && needed > 0)
    ferry_transfers_evict_for (self, record->owner, needed);
  ferry_download_set_limit (download, ferry_transfers_room_for (self, record));
  ferry_transfers_note_progress (self, record, ferry_download_get_done (download), record->total);
  ferry_download_run_async (download, g_task_get_cancellable (gtask), download_cb, gtask);
}

/* Uploads ------------------------------------------------------------------ */

typedef struct
{
  FerryTransfers *self;
  char           *key;
} UploadProgress;

static void
upload_progress_free (gpointer data)
{
  UploadProgress *progress = data;

  g_free (progress->key);
  g_free (progress);
}

static void
on_upload_progress (goffset  sent,
                    gpointer data)
{
  UploadProgress *progress = data;
  FerryTransferRecord *record = g_hash_table_lookup (progress->self->active, progress->key);

  if (record != NULL)
    ferry_transfers_note_progress (progress->self, record, sent, record->total);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryAttempt *attempt = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, NULL);

  g_task_set_task_data (task, NULL, NULL);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

static void
run_upload (FerryTransfers      *self,
            FerryTransferRecord *record,
            FerryTask           *task,
            GTask               *gtask)
{
  g_autoptr(FerryHttpRequest) request = ferry_executor_request_for_task (task);
  g_autoptr(FerryExecutor) executor = NULL;
  UploadProgress *progress = g_new0 (UploadProgress, 1);

  progress->self = self;
  progress->key = g_strdup (record->key);
  /* Lives as long as the attempt: the request may outlive neither. */
  g_task_set_task_data (gtask, progress, upload_progress_free);
  request->body_path = g_strdup (record->path);
  request->body_size = record->total;
  request->body_progress = on_upload_progress;
  request->body_progress_data = progress;
  g_object_get (self->manager, "executor", &executor, NULL);
  ferry_transfers_note_progress (self, record, 0, record->total);
  ferry_executor_request_async (executor, request, g_task_get_cancellable (gtask),
                                upload_cb, gtask);
}

/* The manager's side (FerrySender) ----------------------------------------- */

static gboolean
sender_handles (FerryTask *task,
                gpointer   user_data)
{
  FerryTransfers *self = user_data;

  return task->idempotency_key != NULL &&
         g_hash_table_contains (self->active, task->idempotency_key);
}

static void
cancel_run (GCancellable *outer,
            GCancellable *run)
{
  g_cancellable_cancel (run);
}

/* The attempt's own cancellable: the manager's cancels it, and so does
 * pausing the transfer. */
static GCancellable *
start_run (FerryTransfers *self,
           const char     *key,
           GCancellable   *outer)
{
  GCancellable *run = g_cancellable_new ();

  if (outer != NULL)
    g_object_set_data (G_OBJECT (run), "ferry-outer-handler",
                       GSIZE_TO_POINTER (g_cancellable_connect (outer, G_CALLBACK (cancel_run),
                                                                g_object_ref (run),
                                                                g_object_unref)));
  g_object_set_data_full (G_OBJECT (run), "ferry-outer", outer != NULL ? g_object_ref (outer)
                                                                      : NULL,
                          outer != NULL ? g_object_unref : NULL);
  g_hash_table_replace (self->runs, g_strdup (key), run);
  return run;
}

/* The run of @task ended: its cancellable goes, with its tie to the
 * manager's. */
static void
end_run (GTask *task)
{
  FerryTransfers *self = g_task_get_source_object (task);
  GCancellable *run = g_task_get_cancellable (task);
  GCancellable *outer = g_object_get_data (G_OBJECT (run), "ferry-outer");
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (run), "ferry-outer-handler"));
  GHashTableIter iter;
  gpointer value;

  if (outer != NULL)
    g_cancellable_disconnect (outer, handler);
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (value == run)
        {
          g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

static void
sender_send_async (FerryTask           *task,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             callback_data,
                   gpointer             user_data)
{
  FerryTransfers *self = user_data;
  FerryTransferRecord *record = g_hash_table_lookup (self->active, task->idempotency_key);
  g_autoptr(GCancellable) run = g_object_ref (start_run (self, task->idempotency_key,
                                                         cancellable));
  GTask *gtask = g_task_new (self, run, callback, callback_data);

  g_task_set_source_tag (gtask, sender_send_async);
  g_task_set_check_cancellable (gtask, FALSE);
  if (record->task_id == NULL)
    {
      g_autoptr(GError) error = NULL;

      record->task_id = g_strdup (task->id);
      if (!ferry_transfer_store_set_task_id (self->store, record->key, task->id, &error))
        g_warning ("Cannot name a transfer's task: %s", error->message);
    }
  if (record->kind == FERRY_TRANSFER_DOWNLOAD)
    run_download (self, record, task, gtask);
  else
    run_upload (self, record, task, gtask);
}

static FerryAttempt *
sender_send_finish (GAsyncResult *result,
                    gpointer      user_data)
{
  end_run (G_TASK (result));
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

static gboolean
sender_holds (const FerryTask *task,
              gpointer         user_data)
{
  FerryTransfers *self = user_data;
  FerryTransferRecord *record;

  if (task->idempotency_key == NULL)
    return FALSE;
  record = g_hash_table_lookup (self->active, task->idempotency_key);
  return record != NULL && record->paused;
}

const FerrySender ferry_transfers_sender = {
  sender_handles,
  sender_send_async,
  sender_send_finish,
  sender_holds,
};

static void
settle (FerryTransfers      *self,
        FerryTransferRecord *record_in,
        FerryTaskState       state)
{
  g_autoptr(FerryTransferRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_hash_table_remove (self->progress, record_in->key);
  if (state == FERRY_TASK_STATE_SUCCEEDED && record_in->kind == FERRY_TRANSFER_DOWNLOAD)
    {
      g_hash_table_steal_extended (self->active, record_in->key, (gpointer *) &key,
                                   (gpointer *) &record);
      g_hash_table_remove (self->downloads, record->key);
      record->complete = TRUE;
      record->last_access = g_get_real_time ();
      g_clear_pointer (&record->part_path, g_free);
      if (!ferry_transfer_store_update (self->store, record, &error))
        g_warning ("Cannot store a finished download: %s", error->message);
      return;
    }
  if (record_in->kind == FERRY_TRANSFER_UPLOAD)
    {
      ferry_transfers_drop_upload (self, record_in);
      return;
    }
  /* A failed download may be retried: its row stays, its bytes go. */
  if (!ferry_transfers_forget (self, record_in,
                               state == FERRY_TASK_STATE_FAILED &&
                               record_in->kind == FERRY_TRANSFER_DOWNLOAD, &error))
    g_warning ("Cannot remove a transfer: %s", error->message);
}

/* The manager settled a task: a transfer's row and bytes follow. */
void
ferry_transfers_on_task_changed (FerrySyncManager *manager,
                                 FerryTask        *task,
                                 FerryTransfers   *self)
{
  FerryTransferRecord *record;

  if (task->idempotency_key == NULL)
    return;
  record = g_hash_table_lookup (self->active, task->idempotency_key);
  if (record == NULL)
    return;
  if (task->state == FERRY_TASK_STATE_SUCCEEDED || task->state == FERRY_TASK_STATE_CANCELLED ||
      (task->state == FERRY_TASK_STATE_FAILED && record->kind == FERRY_TRANSFER_DOWNLOAD))
    settle (self, record, task->state);
}

/* Pausing ------------------------------------------------------------------ */

static FerryTransferRecord *
active_by_task (FerryTransfers  *self,
                const char      *task_id,
                GError         **error)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryTransferRecord *record = value;

      if (g_strcmp0 (record->task_id, task_id) == 0)
        return record;
    }
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT,
               "“%s” is no download or upload in progress", task_id);
  return NULL;
}

/**
 * ferry_transfers_set_paused:
 * @self: the transfers
 * @task_id: a transfer's task
 * @paused: hold it, or let it go on
 * @error: %FERRY_ERROR_CONFLICT when it is not in progress, or a store
 *   error
 *
 * Holds a transfer until it is resumed: a run in progress stops (a
 * download keeps its partial file), and the outbox passes it over.
 *
 * Returns: whether it was done
 */
gboolean
ferry_transfers_set_paused (FerryTransfers  *self,
                            const char      *task_id,
                            gboolean         paused,
                            GError         **error)
{
  FerryTransferRecord *record;
  GCancellable *run;

  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), FALSE);

  record = active_by_task (self, task_id, error);
  if (record == NULL)
    return FALSE;
  if (record->paused == paused)
    return TRUE;
  record->paused = paused;
  if (!ferry_transfer_store_update (self->store, record, error))
    {
      record->paused = !paused;
      return FALSE;
    }
  run = g_hash_table_lookup (self->runs, record->key);
  if (paused && run != NULL)
    g_cancellable_cancel (run);
  ferry_sync_manager_reconsider (self->manager);
  return TRUE;
}
