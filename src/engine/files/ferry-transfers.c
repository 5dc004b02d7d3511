/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfers"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>

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

/* A transfer moved: a ::transfer-progress soon, at most PROGRESS_INTERVAL
 * after the last. */
void
ferry_transfers_note_progress (FerryTransfers      *self,
                               FerryTransferRecord *record,
                               gint64               done,
                               gint64               total)
{
  FerryTransferProgress *progress = g_hash_table_lookup (self->progress, record->key);
  gboolean first = progress == NULL;

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
  /* A transfer's first word goes out at once, ahead of the state of the
   * run it starts (properties follow at idle), so listeners know the run
   * moves a file before they hear it runs. */
  if (first && progress->task_id != NULL)
    {
      progress->dirty = FALSE;
      g_signal_emit (self, signals[SIGNAL_TRANSFER_PROGRESS], 0, progress->task_id,
                     progress->owner, progress->upload ? "upload" : "download",
                     progress->done, progress->total, (guint64) 0);
      return;
    }
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (PROGRESS_INTERVAL, emit_progress, self);
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
  ferry_sync_manager_set_sender (manager, &ferry_transfers_sender, self);
  self->changed_id = g_signal_connect (manager, "task-changed", G_CALLBACK (ferry_transfers_on_task_changed),
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
