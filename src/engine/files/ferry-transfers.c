/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfers"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-download.h"
#include "ferry-download-private.h"
#include "ferry-error.h"

#include "ferry-transfers-private.h"

/*
 * FerryTransfers puts files through the outbox.  A download or an upload
 * is a task like any other (scheduler, priorities, constraints, backoff,
 * states) plus a row in the transfer store, tied to it by the task's
 * idempotency key.  The row is written before the task, and the manager
 * hands the attempts of tasks with a row to this object (FerrySender):
 * a download runs a FerryDownload into its partial file, an upload sends
 * its spooled body through the executor, streamed from disk.
 *
 * When a task settles: a succeeded download stays as a complete file (in
 * the store, counted toward its owner's quota until removed); a failed
 * one loses its partial file but keeps its row, so Retry starts it anew;
 * a cancelled one loses both.  An upload's spooled body goes after
 * success or cancel.
 *
 * Progress is kept per transfer and sent as ::transfer-progress at most
 * PROGRESS_INTERVAL apart, from one timer running while transfers move.
 */

#define PROGRESS_INTERVAL 250   /* ms: at most 4 updates a second */

G_DEFINE_FINAL_TYPE (FerryTransfers, ferry_transfers, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEFAULT_QUOTA,
  PROP_MIN_FREE,
  PROP_MIN_FREE_PERCENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TRANSFER_PROGRESS,
  SIGNAL_STORAGE_QUOTA_EXCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
progress_free (gpointer data)
{
  FerryTransferProgress *progress = data;

  g_free (progress->task_id);
  g_free (progress->owner);
  g_free (progress);
}

void
ferry_transfer_usage_free (FerryTransferUsage *usage)
{
  g_free (usage->owner);
  g_free (usage);
}

static gboolean
emit_progress (gpointer user_data)
{
  FerryTransfers *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, self->progress);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryTransferProgress *progress = value;
      double seconds = (now - progress->reported_at) / (double) G_USEC_PER_SEC;

      if (!progress->dirty)
        continue;
      any = TRUE;
      if (seconds > 0 && progress->done >= progress->reported_done)
        {
          double rate = (progress->done - progress->reported_done) / seconds;

          progress->rate = progress->rate <= 0 ? rate : 0.5 * progress->rate + 0.5 * rate;
        }
      progress->reported_done = progress->done;
      progress->reported_at = now;
      progress->dirty = FALSE;
      if (progress->task_id != NULL)
        g_signal_emit (self, signals[SIGNAL_TRANSFER_PROGRESS], 0, progress->task_id,
                       progress->owner, progress->upload ? "upload" : "download",
                       progress->done, progress->total, (guint64) progress->rate);
    }
  if (any)
    return G_SOURCE_CONTINUE;
  self->progress_id = 0;
  return G_SOURCE_REMOVE;
}

static void
note_progress (FerryTransfers      *self,
               FerryTransferRecord *record,
               gint64               done,
               gint64               total)
{
  FerryTransferProgress *progress = g_hash_table_lookup (self->progress, record->key);

  if (progress == NULL)
    {
      progress = g_new0 (FerryTransferProgress, 1);
      progress->owner = g_strdup (record->owner);
      progress->upload = record->kind == FERRY_TRANSFER_UPLOAD;
      progress->reported_done = done;
      progress->reported_at = g_get_monotonic_time ();
      g_hash_table_insert (self->progress, g_strdup (record->key), progress);
    }
  if (progress->task_id == NULL)
    progress->task_id = g_strdup (record->task_id);
  progress->done = done;
  progress->total = total;
  progress->dirty = TRUE;
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (PROGRESS_INTERVAL, emit_progress, self);
}

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
    note_progress (self, record, done, total);
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
  download = ferry_download_new (ferry_executor_get_session (executor), request,
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
  note_progress (self, record, ferry_download_get_done (download), record->total);
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
    note_progress (progress->self, record, sent, record->total);
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
  note_progress (self, record, 0, record->total);
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

static const FerrySender transfer_sender = {
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

  g_hash_table_remove (self->progress, record_in->key);
  if (state == FERRY_TASK_STATE_SUCCEEDED && record_in->kind == FERRY_TRANSFER_DOWNLOAD)
    {
      g_hash_table_steal_extended (self->active, record_in->key, NULL, (gpointer *) &record);
      g_hash_table_remove (self->downloads, record->key);
      record->complete = TRUE;
      record->last_access = g_get_real_time ();
      g_clear_pointer (&record->part_path, g_free);
      if (!ferry_transfer_store_update (self->store, record, &error))
        g_warning ("Cannot store a finished download: %s", error->message);
      return;
    }
  /* A failed download may be retried: its row stays, its bytes go. */
  if (!ferry_transfers_forget (self, record_in,
                               state == FERRY_TASK_STATE_FAILED &&
                               record_in->kind == FERRY_TRANSFER_DOWNLOAD, &error))
    g_warning ("Cannot remove a transfer: %s", error->message);
}

static void
on_task_changed (FerrySyncManager *manager,
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

/* Uploads: the body is copied into the spool, synced, then stored. */

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

  size = g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error);
  if (size >= 0 && !ferry_download_private_sync_file (spool->record->path, &error))
    size = -1;
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
  g_output_stream_splice_async (spool->out, body,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, cancellable, spooled_cb,
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

/* The object --------------------------------------------------------------- */

static void
ferry_transfers_dispose (GObject *object)
{
  FerryTransfers *self = FERRY_TRANSFERS (object);

  if (self->manager != NULL)
    {
      ferry_sync_manager_set_sender (self->manager, NULL, NULL);
      g_clear_signal_handler (&self->changed_id, self->manager);
    }
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_pointer (&self->downloads, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_transfers_parent_class)->dispose (object);
}

static void
ferry_transfers_finalize (GObject *object)
{
  FerryTransfers *self = FERRY_TRANSFERS (object);

  g_free (self->storage_dir);
  g_free (self->spool_dir);
  g_hash_table_unref (self->active);
  g_hash_table_unref (self->progress);
  g_hash_table_unref (self->quotas);
  g_hash_table_unref (self->runs);

  G_OBJECT_CLASS (ferry_transfers_parent_class)->finalize (object);
}

static void
ferry_transfers_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryTransfers *self = FERRY_TRANSFERS (object);

  switch (prop_id)
    {
    case PROP_DEFAULT_QUOTA:
      g_value_set_uint64 (value, self->default_quota);
      break;
    case PROP_MIN_FREE:
      g_value_set_uint64 (value, self->min_free);
      break;
    case PROP_MIN_FREE_PERCENT:
      g_value_set_uint (value, self->min_free_percent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfers_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryTransfers *self = FERRY_TRANSFERS (object);

  switch (prop_id)
    {
    case PROP_DEFAULT_QUOTA:
      if (self->default_quota == g_value_get_uint64 (value))
        return;
      self->default_quota = g_value_get_uint64 (value);
      break;
    case PROP_MIN_FREE:
      if (self->min_free == g_value_get_uint64 (value))
        return;
      self->min_free = g_value_get_uint64 (value);
      break;
    case PROP_MIN_FREE_PERCENT:
      if (self->min_free_percent == g_value_get_uint (value))
        return;
      self->min_free_percent = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
ferry_transfers_class_init (FerryTransfersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_transfers_dispose;
  object_class->finalize = ferry_transfers_finalize;
  object_class->get_property = ferry_transfers_get_property;
  object_class->set_property = ferry_transfers_set_property;

  /* Bytes an app's files may take in Ferry's storage and spool, unless
   * ferry_transfers_set_quotas() names the app. */
  properties[PROP_DEFAULT_QUOTA] =
    g_param_spec_uint64 ("default-quota", NULL, NULL, 0, G_MAXUINT64, FERRY_DEFAULT_QUOTA, flags);
  /* Free disk space kept: the smaller of these bytes and min-free-percent
   * of the file system. */
  properties[PROP_MIN_FREE] =
    g_param_spec_uint64 ("min-free", NULL, NULL, 0, G_MAXUINT64, FERRY_DEFAULT_MIN_FREE, flags);
  properties[PROP_MIN_FREE_PERCENT] =
    g_param_spec_uint ("min-free-percent", NULL, NULL, 0, 100, FERRY_DEFAULT_MIN_FREE_PERCENT,
                       flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTransfers::transfer-progress:
   * @task_id: the transfer's task
   * @owner: its app
   * @kind: "download" or "upload"
   * @done: bytes done
   * @total: bytes in all, -1 when unknown
   * @rate: bytes per second lately
   *
   * Bytes moved; at most four times a second per transfer.
   */
  signals[SIGNAL_TRANSFER_PROGRESS] =
    g_signal_new ("transfer-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 6, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_UINT64);

  /**
   * FerryTransfers::storage-quota-exceeded:
   * @owner: the app
   * @used: bytes its files take
   * @quota: its quota
   * @needed: bytes a transfer needed, 0 when unknown
   *
   * A transfer of @owner's found no room: in its quota or on the disk.
   */
  signals[SIGNAL_STORAGE_QUOTA_EXCEEDED] =
    g_signal_new ("storage-quota-exceeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_UINT64,
                  G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
ferry_transfers_init (FerryTransfers *self)
{
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) ferry_transfer_record_free);
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, progress_free);
  self->quotas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->default_quota = FERRY_DEFAULT_QUOTA;
  self->min_free = FERRY_DEFAULT_MIN_FREE;
  self->min_free_percent = FERRY_DEFAULT_MIN_FREE_PERCENT;
}

void
ferry_transfers_quota_exceeded (FerryTransfers *self,
                                const char     *owner,
                                guint64         needed)
{
  g_signal_emit (self, signals[SIGNAL_STORAGE_QUOTA_EXCEEDED], 0, owner,
                 ferry_transfers_usage_of (self, owner, NULL),
                 ferry_transfers_get_quota (self, owner), needed);
}

/**
 * ferry_transfers_new:
 * @manager: the outbox the transfers go through; call before it starts
 * @database: the database every part shares
 * @data_dir: Ferry's data directory: files go in its files/<app-id>/,
 *   spooled bodies in its spool/
 * @error: a database error
 *
 * Loads the transfers in progress, reaps what no transfer owns, and
 * takes the attempts of transfer tasks from @manager.
 *
 * Returns: (transfer full) (nullable): the transfers
 */
FerryTransfers *
ferry_transfers_new (FerrySyncManager  *manager,
                     FerryDatabase     *database,
                     const char        *data_dir,
                     GError           **error)
{
  g_autoptr(FerryTransfers) self = g_object_new (FERRY_TYPE_TRANSFERS, NULL);
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (manager), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self->store = ferry_transfer_store_new (database, error);
  if (self->store == NULL)
    return NULL;
  records = ferry_transfer_store_list (self->store, NULL, FALSE, error);
  if (records == NULL)
    return NULL;
  for (guint i = 0; i < records->len; i++)
    {
      FerryTransferRecord *record = g_ptr_array_index (records, i);

      g_hash_table_insert (self->active, g_strdup (record->key), record);
    }
  g_ptr_array_set_free_func (records, NULL);
  self->manager = g_object_ref (manager);
  self->storage_dir = g_build_filename (data_dir, "files", NULL);
  self->spool_dir = g_build_filename (data_dir, "spool", NULL);
  ferry_sync_manager_set_sender (manager, &transfer_sender, self);
  self->changed_id = g_signal_connect (manager, "task-changed", G_CALLBACK (on_task_changed),
                                       self);
  ferry_transfers_reap (self);
  return g_steal_pointer (&self);
}

const char *
ferry_transfers_get_storage_dir (FerryTransfers *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), NULL);
  return self->storage_dir;
}

/* Ferry's storage for @owner's downloads. */
char *
ferry_transfers_dup_app_dir (FerryTransfers *self,
                             const char     *owner)
{
  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), NULL);
  return g_build_filename (self->storage_dir, owner, NULL);
}

/**
 * ferry_transfers_set_quotas:
 * @self: the transfers
 * @quotas: (nullable): a{st}: app id → bytes, overriding default-quota
 */
void
ferry_transfers_set_quotas (FerryTransfers *self,
                            GVariant       *quotas)
{
  GVariantIter iter;
  const char *owner;
  guint64 bytes;

  g_return_if_fail (FERRY_IS_TRANSFERS (self));

  g_hash_table_remove_all (self->quotas);
  if (quotas == NULL)
    return;
  g_variant_iter_init (&iter, quotas);
  while (g_variant_iter_next (&iter, "{&st}", &owner, &bytes))
    g_hash_table_insert (self->quotas, g_strdup (owner), g_memdup2 (&bytes, sizeof bytes));
}

guint64
ferry_transfers_get_quota (FerryTransfers *self,
                           const char     *owner)
{
  guint64 *quota;

  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), 0);

  quota = owner != NULL ? g_hash_table_lookup (self->quotas, owner) : NULL;
  return quota != NULL ? *quota : self->default_quota;
}

/**
 * ferry_transfers_dup_record:
 * @self: the transfers
 * @task_id: a task's id
 * @error: a database error
 *
 * Returns: (transfer full) (nullable): the transfer of that task, or
 *   %NULL with no error when the task is not one
 */
FerryTransferRecord *
ferry_transfers_dup_record (FerryTransfers  *self,
                            const char      *task_id,
                            GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), NULL);

  return ferry_transfer_store_lookup (self->store, "task_id", task_id, error);
}

/**
 * ferry_transfers_get_progress:
 * @self: the transfers
 * @task_id: a transfer's task
 * @out_done: (out): bytes done
 * @out_total: (out): bytes in all, -1 unknown
 * @out_rate: (out): bytes per second lately
 *
 * Returns: whether the transfer is moving now
 */
gboolean
ferry_transfers_get_progress (FerryTransfers *self,
                              const char     *task_id,
                              gint64         *out_done,
                              gint64         *out_total,
                              guint64        *out_rate)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), FALSE);

  g_hash_table_iter_init (&iter, self->progress);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryTransferProgress *progress = value;

      if (g_strcmp0 (progress->task_id, task_id) != 0)
        continue;
      *out_done = progress->done;
      *out_total = progress->total;
      *out_rate = (guint64) progress->rate;
      return TRUE;
    }
  return FALSE;
}

/**
 * ferry_transfers_list:
 * @self: the transfers
 * @owner: (nullable): only this app's
 * @error: a database error
 *
 * Returns: (transfer full) (element-type FerryTransferRecord) (nullable):
 *   the transfers going on, then the complete downloads kept
 */
GPtrArray *
ferry_transfers_list (FerryTransfers  *self,
                      const char      *owner,
                      GError         **error)
{
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) complete = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), NULL);

  active = ferry_transfer_store_list (self->store, owner, FALSE, error);
  if (active == NULL)
    return NULL;
  complete = ferry_transfer_store_list (self->store, owner, TRUE, error);
  if (complete == NULL)
    return NULL;
  g_ptr_array_extend_and_steal (active, g_steal_pointer (&complete));
  return g_steal_pointer (&active);
}

/**
 * ferry_transfers_open_file:
 * @self: the transfers
 * @task_id: a download's task
 * @error: %FERRY_ERROR_NOT_FOUND when it is no complete download, or why
 *   the file cannot be opened
 *
 * Returns: a read-only file descriptor of the downloaded file, or -1
 */
int
ferry_transfers_open_file (FerryTransfers  *self,
                           const char      *task_id,
                           GError         **error)
{
  g_autoptr(FerryTransferRecord) record = NULL;
  int fd;

  g_return_val_if_fail (FERRY_IS_TRANSFERS (self), -1);

  record = ferry_transfer_store_lookup (self->store, "task_id", task_id, error);
  if (record == NULL && (error == NULL || *error == NULL))
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "no download with id “%s”", task_id);
  if (record == NULL)
    return -1;
  if (record->kind != FERRY_TRANSFER_DOWNLOAD || !record->complete)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT,
                   "the download “%s” is not complete", task_id);
      return -1;
    }
  fd = g_open (record->path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "cannot open the download: %s",
                   g_strerror (saved));
      return -1;
    }
  record->last_access = g_get_real_time ();
  if (!ferry_transfer_store_update (self->store, record, NULL))
    g_debug ("could not note when %s was opened", task_id);
  return fd;
}

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
