/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-run"

#include "config.h"

#include "ferry-conflict-policy.h"
#include "ferry-error.h"
#include "ferry-names.h"

#include "ferry-collection-run-private.h"

/*
 * One run of one collection, phase after phase:
 *
 *   check   the replicator sees that the endpoint answers and takes the
 *           credentials; a server that lost Ferry's checkpoint (a database
 *           made anew) makes the pull start over;
 *   push    pushable documents (dirty, not failed, not in conflict), in
 *           the order of their changes, a batch at a time; each batch's
 *           results are written in one transaction: accepted, refused
 *           (the run goes on with the others), or in conflict, settled by
 *           the collection's strategy (ferry_conflict_settle()).  A
 *           document settled for the local side is pushed again by a
 *           further sweep, at most three in all;
 *   pull    pages of remote changes after the checkpoint; changes the
 *           replica already has (its own pushes coming back) are skipped,
 *           the others' bodies fetched when the page has none; each page
 *           is written in one transaction together with the checkpoint
 *           after it, so an interrupted run resumes after the last page
 *           and never applies a change twice;
 *   finish  the checkpoint is also kept on the server, best effort, and
 *           the run goes into the history.
 *
 * Progress only grows during a run: the total is what the push found
 * waiting plus what the pull expects (the server's estimate, or what it
 * has read so far), synced and failed count documents.
 */

G_DEFINE_FINAL_TYPE (FerryCollectionRun, ferry_collection_run, G_TYPE_OBJECT)

enum {
  PROGRESS,
  DOCUMENTS_CHANGED,
  CONFLICT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_STATIC_ASSERT (FERRY_RUN_PHASE_FINISH + 1 == FERRY_NAMES_N_RUN_PHASES);

/**
 * ferry_run_phase_to_string:
 * @phase: a phase
 *
 * Returns: (nullable): its name: none, check, push, pull or finish
 */
const char *
ferry_run_phase_to_string (FerryRunPhase phase)
{
  return ferry_names_get (ferry_names_run_phases, FERRY_NAMES_N_RUN_PHASES, phase);
}

static void start_push (FerryCollectionRun *self);
static void next_push_batch (FerryCollectionRun *self);

static void
emit_progress (FerryCollectionRun *self)
{
  g_signal_emit (self, signals[PROGRESS], 0);
}

void
ferry_collection_run_enter_phase (FerryCollectionRun *self,
             FerryRunPhase       phase)
{
  gint64 now = g_get_monotonic_time ();

  if (self->phase >= FERRY_RUN_PHASE_CHECK && self->phase <= FERRY_RUN_PHASE_FINISH)
    self->record->phase_us[self->phase - FERRY_RUN_PHASE_CHECK] += now - self->phase_started;
  self->phase = phase;
  self->phase_started = now;
  emit_progress (self);
}

void
ferry_collection_run_note_doc_size (FerryCollectionRun *self,
               GBytes             *body)
{
  gsize size = body != NULL ? g_bytes_get_size (body) : 16;

  self->doc_bytes = self->doc_bytes <= 0 ? size : self->doc_bytes * 0.9 + size * 0.1;
}

guint
ferry_collection_run_next_batch_size (FerryCollectionRun *self)
{
  self->batch = ferry_link_meter_next_batch (ferry_replicator_get_meter (self->replicator),
                                             self->batch, (gsize) self->doc_bytes,
                                             self->config->batch_limit);
  return self->batch;
}

/* Ends the run: the outcome goes into the history and back to the caller. */
void
ferry_collection_run_complete (FerryCollectionRun *self,
          GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) store_error = NULL;
  FerryRunRecord *record = self->record;

  ferry_collection_run_enter_phase (self, FERRY_RUN_PHASE_NONE);
  record->finished = g_get_real_time ();
  record->failed = self->failed;
  ferry_replicator_take_counters (self->replicator, &record->requests, &record->bytes_sent,
                                  &record->bytes_received);
  ferry_collection_store_rollback (self->store);
  if (error == NULL)
    record->result = g_strdup ("ok");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    record->result = g_strdup ("cancelled");
  else
    {
      record->result = g_strdup ("error");
      record->error = g_strdup (error->message);
    }
  if (!ferry_collection_store_add_run (self->store, self->config->id, record, &store_error))
    g_warning ("Cannot record a run of %s: %s", self->config->name, store_error->message);
  g_debug ("run of %s/%s: %s (%u pushed, %u pulled, %u failed, %u requests)",
           self->config->owner, self->config->name, record->result, record->pushed,
           record->pulled, record->failed, record->requests);
  if (error != NULL)
    g_task_set_task_data (task, error, (GDestroyNotify) g_error_free);
  g_task_return_boolean (task, TRUE);
}

gboolean
ferry_collection_run_fail_if_error (FerryCollectionRun *self,
               GError             *error)
{
  if (error == NULL)
    return FALSE;
  ferry_collection_run_complete (self, error);
  return TRUE;
}

/* Tells what the last transaction wrote. */
void
ferry_collection_run_announce_batch (FerryCollectionRun *self)
{
  if (self->changed_seq > 0)
    g_signal_emit (self, signals[DOCUMENTS_CHANGED], 0, self->changed_seq);
  self->changed_seq = 0;
  for (guint i = 0; i < self->conflicts->len; i++)
    g_signal_emit (self, signals[CONFLICT], 0, g_ptr_array_index (self->conflicts, i));
  g_ptr_array_set_size (self->conflicts, 0);
  emit_progress (self);
}

void
ferry_collection_run_note_seq (FerryCollectionRun *self,
          gint64              seq)
{
  self->changed_seq = MAX (self->changed_seq, seq);
}

/* Conflicts ---------------------------------------------------------------- */

/* A document changed here and on the server: the strategy decides, inside
 * the open transaction.  Returns whether the local side goes to the
 * server again. */
gboolean
ferry_collection_run_settle (FerryCollectionRun    *self,
        const FerryDocument   *local,
        const FerryRemoteDoc  *remote,
        GError               **error)
{
  FerryConflictSides sides = {
    .strategy = self->config->conflict_strategy,
    .base = local->base,
    .local = local->body,
    .local_deleted = local->deleted,
    .remote = remote->body,
    .remote_deleted = remote->deleted,
    .merge_rules = (const char * const *) self->config->merge_rules,
    .timestamp_pointer = self->config->timestamp_pointer,
  };
  g_autoptr(FerrySettlement) settlement = ferry_conflict_settle (&sides);
  gint64 seq = 0;

  self->record->conflicts++;
  switch (settlement->kind)
    {
    case FERRY_SETTLE_LOCAL:
    case FERRY_SETTLE_MERGED:
      if (!ferry_collection_store_rebase (self->store, self->config->id, local,
                                          settlement->merged, remote, &seq, error))
        return FALSE;
      ferry_collection_run_note_seq (self, seq);
      self->rebased = TRUE;
      return TRUE;
    case FERRY_SETTLE_REMOTE:
      if (!ferry_collection_store_take_remote (self->store, self->config->id, local, remote,
                                               &seq, error))
        return FALSE;
      ferry_collection_run_note_seq (self, seq);
      return TRUE;
    case FERRY_SETTLE_CUSTOM:
      g_ptr_array_add (self->custom, g_strdup (local->id));
      if (!ferry_collection_store_set_conflict (self->store, self->config->id, local, remote,
                                                FERRY_COLLECTION_WAITING_FOR_RESOLVER, error))
        return FALSE;
      g_ptr_array_add (self->conflicts, g_strdup (local->id));
      return TRUE;
    case FERRY_SETTLE_ASK:
    default:
      if (!ferry_collection_store_set_conflict (self->store, self->config->id, local, remote,
                                                settlement->message != NULL
                                                  ? settlement->message
                                                  : "changed here and on the server; a "
                                                    "decision is needed", error))
        return FALSE;
      g_ptr_array_add (self->conflicts, g_strdup (local->id));
      return TRUE;
    }
}

/* Check -------------------------------------------------------------------- */

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FerryCollectionRun *self = user_data;
  g_autoptr(FerryCheckResult) check = NULL;
  GError *error = NULL;

  check = ferry_replicator_check_finish (FERRY_REPLICATOR (object), result, &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  if (check->restart_pull)
    {
      g_clear_pointer (&self->checkpoint, g_free);
      g_clear_pointer (&self->marker, g_free);
      if (!ferry_collection_store_begin (self->store, &error) ||
          !ferry_collection_store_set_checkpoint (self->store, self->config->id, NULL, &error) ||
          !ferry_collection_store_set_remote_marker (self->store, self->config->id, NULL,
                                                     &error) ||
          !ferry_collection_store_commit (self->store, &error))
        {
          ferry_collection_run_fail_if_error (self, error);
          return;
        }
    }
  if (self->checkpoint == NULL && check->remote_documents > 0)
    self->pull_total = check->remote_documents;
  start_push (self);
}

/* Push --------------------------------------------------------------------- */

static void
start_push (FerryCollectionRun *self)
{
  FerryDocumentCounts counts = { 0, };
  GError *error = NULL;

  if (self->config->direction == FERRY_DIRECTION_PULL)
    {
      ferry_collection_run_start_pull (self);
      return;
    }
  ferry_collection_run_enter_phase (self, FERRY_RUN_PHASE_PUSH);
  if (!ferry_collection_store_get_counts (self->store, self->config->id, &counts, &error))
    {
      ferry_collection_run_fail_if_error (self, error);
      return;
    }
  self->push_total = counts.dirty;
  self->sweep = 1;
  self->cursor = 0;
  emit_progress (self);
  next_push_batch (self);
}

/* Applies one result inside the open transaction. */
static gboolean
apply_push_result (FerryCollectionRun     *self,
                   const FerryDocument    *sent,
                   const FerryPushResult  *pushed,
                   GError                **error)
{
  g_autoptr(FerryDocument) local = NULL;

  switch (pushed->status)
    {
    case FERRY_PUSH_OK:
      self->synced++;
      self->record->pushed++;
      return ferry_collection_store_mark_pushed (self->store, self->config->id, sent,
                                                 pushed->version, error);
    case FERRY_PUSH_REJECTED:
      self->failed++;
      g_debug ("%s refused: %s", sent->id, pushed->error);
      return ferry_collection_store_mark_rejected (self->store, self->config->id, sent,
                                                   pushed->error, error);
    case FERRY_PUSH_CONFLICT:
      /* Without the server's copy the pull brings it, and settles then. */
      if (pushed->current == NULL)
        return TRUE;
      local = ferry_collection_store_dup_document (self->store, self->config->id, sent->id,
                                                   error);
      if (local == NULL)
        return error == NULL || *error == NULL;
      self->synced++;
      return ferry_collection_run_settle (self, local, pushed->current, error);
    case FERRY_PUSH_RETRY:
    default:
      return TRUE;
    }
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryCollectionRun *self = user_data;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) sent = NULL;
  GError *error = NULL;

  results = ferry_replicator_push_finish (FERRY_REPLICATOR (object), result, &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  docs = g_object_steal_data (G_OBJECT (self), "batch");
  sent = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < docs->len; i++)
    {
      FerryDocument *doc = g_ptr_array_index (docs, i);

      g_hash_table_insert (sent, doc->id, doc);
      self->cursor = MAX (self->cursor, doc->seq);
    }
  if (!ferry_collection_store_begin (self->store, &error))
    {
      ferry_collection_run_fail_if_error (self, error);
      return;
    }
  for (guint i = 0; i < results->len; i++)
    {
      FerryPushResult *pushed = g_ptr_array_index (results, i);
      FerryDocument *doc = g_hash_table_lookup (sent, pushed->id);

      if (doc != NULL && !apply_push_result (self, doc, pushed, &error))
        break;
    }
  if (error != NULL || !ferry_collection_store_commit (self->store, &error))
    {
      ferry_collection_run_fail_if_error (self, error);
      return;
    }
  ferry_collection_run_announce_batch (self);
  next_push_batch (self);
}

static void
next_push_batch (FerryCollectionRun *self)
{
  g_autoptr(GPtrArray) docs = NULL;
  GError *error = NULL;
  guint64 bytes = 0;
  guint keep = 0;

  docs = ferry_collection_store_next_pushable (self->store, self->config->id, self->cursor,
                                               ferry_collection_run_next_batch_size (self), &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  if (docs->len == 0)
    {
      /* Settled for the local side: sent again, over the server's copy. */
      if (self->rebased && self->sweep < MAX_SWEEPS)
        {
          self->sweep++;
          self->rebased = FALSE;
          self->cursor = 0;
          next_push_batch (self);
          return;
        }
      ferry_collection_run_start_pull (self);
      return;
    }
  /* At most 4 MiB a request, but always one document at least. */
  for (; keep < docs->len; keep++)
    {
      FerryDocument *doc = g_ptr_array_index (docs, keep);
      gsize size = doc->body != NULL ? g_bytes_get_size (doc->body) : 0;

      if (keep > 0 && bytes + size > FERRY_LINK_MAX_REQUEST_BYTES)
        break;
      bytes += size;
      ferry_collection_run_note_doc_size (self, doc->body);
    }
  g_ptr_array_set_size (docs, keep);
  if (self->sweep > 1)
    self->push_total += docs->len;
  g_object_set_data_full (G_OBJECT (self), "batch", g_ptr_array_ref (docs),
                          (GDestroyNotify) g_ptr_array_unref);
  ferry_replicator_push_async (self->replicator, docs, g_task_get_cancellable (self->task),
                               push_cb, self);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_collection_run_dispose (GObject *object)
{
  FerryCollectionRun *self = FERRY_COLLECTION_RUN (object);

  g_clear_object (&self->replicator);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ferry_collection_run_parent_class)->dispose (object);
}

static void
ferry_collection_run_finalize (GObject *object)
{
  FerryCollectionRun *self = FERRY_COLLECTION_RUN (object);

  g_assert (self->task == NULL);
  g_clear_pointer (&self->config, ferry_collection_config_unref);
  g_clear_pointer (&self->record, ferry_run_record_free);
  g_clear_pointer (&self->custom, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_free (self->checkpoint);
  g_free (self->marker);

  G_OBJECT_CLASS (ferry_collection_run_parent_class)->finalize (object);
}

static void
ferry_collection_run_class_init (FerryCollectionRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_collection_run_dispose;
  object_class->finalize = ferry_collection_run_finalize;

  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[DOCUMENTS_CHANGED] =
    g_signal_new ("documents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_collection_run_init (FerryCollectionRun *self)
{
  self->custom = g_ptr_array_new_with_free_func (g_free);
  self->conflicts = g_ptr_array_new_with_free_func (g_free);
  self->record = ferry_run_record_new ();
  self->batch = FERRY_LINK_FIRST_BATCH;
}

/**
 * ferry_collection_run_new:
 * @store: the replica's store
 * @replicator: the collection's replicator
 * @trigger: what starts the run (local, interval, online, resume, now,
 *   live, start)
 *
 * Returns: (transfer full): a run, to start once
 */
FerryCollectionRun *
ferry_collection_run_new (FerryCollectionStore *store,
                          FerryReplicator      *replicator,
                          const char           *trigger)
{
  FerryCollectionRun *self;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (store), NULL);
  g_return_val_if_fail (FERRY_IS_REPLICATOR (replicator), NULL);
  g_return_val_if_fail (trigger != NULL, NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_RUN, NULL);
  self->store = g_object_ref (store);
  self->replicator = g_object_ref (replicator);
  self->config = ferry_collection_config_ref (ferry_replicator_get_config (replicator));
  self->record->trigger = g_strdup (trigger);
  return self;
}

/**
 * ferry_collection_run_start_async:
 * @self: a run not started yet
 * @cancellable: (nullable): cancels the run; what was committed stays
 * @callback: called when the run has ended
 * @user_data: for @callback
 *
 * Runs the phases check, push, pull and finish.
 */
void
ferry_collection_run_start_async (FerryCollectionRun  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(FerrySyncInfo) info = NULL;
  GError *error = NULL;

  g_return_if_fail (FERRY_IS_COLLECTION_RUN (self));
  g_return_if_fail (self->task == NULL && self->record->started == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ferry_collection_run_start_async);
  self->record->started = g_get_real_time ();
  ferry_collection_run_enter_phase (self, FERRY_RUN_PHASE_CHECK);
  info = ferry_collection_store_dup_sync_info (self->store, self->config->id, &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  self->checkpoint = g_strdup (info->checkpoint);
  self->marker = g_strdup (info->remote_marker);
  ferry_replicator_check_async (self->replicator, info, cancellable, check_cb, self);
}

/**
 * ferry_collection_run_finish:
 * @self: a run
 * @result: the result given to the callback
 * @error: return location for why the run did not reach its end
 *
 * Returns: (transfer full) (nullable): the run's record, as the history
 *   keeps it; %NULL with @error set when the run failed (the record is
 *   kept all the same: ferry_collection_store_list_runs())
 */
FerryRunRecord *
ferry_collection_run_finish (FerryCollectionRun  *self,
                             GAsyncResult        *result,
                             GError             **error)
{
  GError *run_error;

  g_return_val_if_fail (FERRY_IS_COLLECTION_RUN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  run_error = g_task_get_task_data (G_TASK (result));
  if (run_error != NULL)
    {
      g_propagate_error (error, g_error_copy (run_error));
      return NULL;
    }
  return g_steal_pointer (&self->record);
}

/**
 * ferry_collection_run_get_phase:
 * @self: a run
 *
 * Returns: the phase it is in; %FERRY_RUN_PHASE_NONE before and after
 */
FerryRunPhase
ferry_collection_run_get_phase (FerryCollectionRun *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_RUN (self), FERRY_RUN_PHASE_NONE);

  return self->phase;
}

/**
 * ferry_collection_run_get_progress:
 * @self: a run
 * @out_total: (out) (optional): documents to sync, as far as known
 * @out_synced: (out) (optional): documents synced so far
 * @out_failed: (out) (optional): documents the server refused
 *
 * Each count only grows during the run.
 */
void
ferry_collection_run_get_progress (FerryCollectionRun *self,
                                   guint              *out_total,
                                   guint              *out_synced,
                                   guint              *out_failed)
{
  g_return_if_fail (FERRY_IS_COLLECTION_RUN (self));

  if (out_total != NULL)
    *out_total = MAX (self->push_total + self->pull_total, self->synced + self->failed);
  if (out_synced != NULL)
    *out_synced = self->synced;
  if (out_failed != NULL)
    *out_failed = self->failed;
}

/**
 * ferry_collection_run_dup_custom:
 * @self: a run
 *
 * Returns: (transfer full): the ids of documents waiting for the app's
 *   own resolver
 */
GStrv
ferry_collection_run_dup_custom (FerryCollectionRun *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (FERRY_IS_COLLECTION_RUN (self), NULL);

  for (guint i = 0; i < self->custom->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->custom, i));
  return g_strv_builder_end (builder);
}
