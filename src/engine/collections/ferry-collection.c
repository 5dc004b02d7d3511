/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection"

#include "config.h"

#include "ferry-backoff.h"
#include "ferry-error.h"
#include "ferry-names.h"

#include "ferry-collection-private.h"

/*
 * One collection as the engine serves it: its state, phase, progress and
 * counts as properties, and what makes it run.  A run is wanted after a
 * local write (debounced), every interval, after a failed run (with
 * backoff), on a change the live watch noticed, and when the manager
 * says (back online, resume, Sync now); the manager starts it when a slot
 * of the engine's concurrency limit is free, so runs of one collection
 * never overlap and the limit holds for tasks and collections together.
 */

G_DEFINE_FINAL_TYPE (FerryCollection, ferry_collection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PHASE,
  PROP_PROGRESS_TOTAL,
  PROP_PROGRESS_SYNCED,
  PROP_PROGRESS_FAILED,
  PROP_DOCUMENT_COUNT,
  PROP_DIRTY_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_FAILED_COUNT,
  PROP_LAST_SYNC,
  PROP_NEXT_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  WANTS_RUN,
  RUN_STARTED,
  RUN_FINISHED,
  DOCUMENTS_CHANGED,
  CONFLICT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_STATIC_ASSERT (FERRY_COLLECTION_STATE_PAUSED + 1 == FERRY_NAMES_N_COLLECTION_STATES);

/**
 * ferry_collection_state_to_string:
 * @state: a state
 *
 * Returns: (nullable): its name: idle, syncing, synced, error, offline or
 *   paused
 */
const char *
ferry_collection_state_to_string (FerryCollectionState state)
{
  return ferry_names_get (ferry_names_collection_states, FERRY_NAMES_N_COLLECTION_STATES,
                          state);
}

static void start_watch (FerryCollection *self);

#define SET_UINT(field, value, prop)                                \
  G_STMT_START {                                                    \
    guint set_value_ = (value);                                     \
    if (self->field != set_value_)                                  \
      {                                                             \
        self->field = set_value_;                                   \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      }                                                             \
  } G_STMT_END

static void
update_state (FerryCollection *self)
{
  FerryCollectionState state;

  if (self->run != NULL)
    state = FERRY_COLLECTION_STATE_SYNCING;
  else if (self->paused)
    state = FERRY_COLLECTION_STATE_PAUSED;
  else if (!self->reachable)
    state = FERRY_COLLECTION_STATE_OFFLINE;
  else if (self->last_failed)
    state = FERRY_COLLECTION_STATE_ERROR;
  else if (self->last_sync > 0 && self->counts.dirty == 0)
    state = FERRY_COLLECTION_STATE_SYNCED;
  else
    state = FERRY_COLLECTION_STATE_IDLE;
  SET_UINT (state, state, PROP_STATE);
}

static void
read_counts (FerryCollection *self)
{
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts counts = { 0, };

  if (!ferry_collection_store_get_counts (self->store, self->config->id, &counts, &error))
    {
      g_warning ("Cannot count the documents of %s: %s", self->config->name, error->message);
      return;
    }
  SET_UINT (counts.documents, counts.documents, PROP_DOCUMENT_COUNT);
  SET_UINT (counts.dirty, counts.dirty, PROP_DIRTY_COUNT);
  SET_UINT (counts.conflicts, counts.conflicts, PROP_CONFLICT_COUNT);
  SET_UINT (counts.failed, counts.failed, PROP_FAILED_COUNT);
}

static void
set_next_sync (FerryCollection *self,
               gint64           when)
{
  if (self->next_sync == when)
    return;
  self->next_sync = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_SYNC]);
}

/* Triggers ----------------------------------------------------------------- */

static gboolean
on_debounce_timeout (gpointer user_data)
{
  FerryCollection *self = user_data;

  self->debounce_id = 0;
  ferry_collection_want_run (self, "local");
  return G_SOURCE_REMOVE;
}

static gboolean
on_interval_timeout (gpointer user_data)
{
  FerryCollection *self = user_data;

  self->interval_id = 0;
  ferry_collection_want_run (self, "interval");
  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_timeout (gpointer user_data)
{
  FerryCollection *self = user_data;

  self->retry_id = 0;
  ferry_collection_want_run (self, "retry");
  return G_SOURCE_REMOVE;
}

static void
arm_interval (FerryCollection *self)
{
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (self->config->interval == 0)
    {
      set_next_sync (self, 0);
      return;
    }
  self->interval_id = g_timeout_add_seconds (self->config->interval, on_interval_timeout, self);
  set_next_sync (self, g_get_real_time () + (gint64) self->config->interval * G_USEC_PER_SEC);
}

/* After a failed run: again after a backoff, sooner than the interval. */
static void
arm_retry (FerryCollection *self)
{
  FerryBackoffPolicy policy;
  gint64 delay;

  ferry_backoff_policy_init_default (&policy);
  delay = ferry_backoff_delay (&policy, self->failures,
                               ferry_replicator_get_retry_after (self->replicator), self->rand);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (MAX (delay / 1000, 1), on_retry_timeout, self);
  set_next_sync (self, g_get_real_time () + delay);
}

/* Live --------------------------------------------------------------------- */

static gboolean
on_live_timeout (gpointer user_data)
{
  FerryCollection *self = user_data;

  self->live_id = 0;
  if (ferry_replicator_can_watch (self->replicator))
    start_watch (self);
  else
    ferry_collection_want_run (self, "live");
  return G_SOURCE_REMOVE;
}

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryCollection) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  changed = ferry_replicator_watch_finish (FERRY_REPLICATOR (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->watch);
  if (error != NULL)
    {
      FerryBackoffPolicy policy;

      /* Reconnect with backoff. */
      g_debug ("watching %s: %s", self->config->name, error->message);
      ferry_backoff_policy_init_default (&policy);
      self->watch_failures++;
      self->live_id = g_timeout_add (MAX (ferry_backoff_delay (&policy, self->watch_failures, 0,
                                                               self->rand) / 1000, 1),
                                     on_live_timeout, self);
      return;
    }
  self->watch_failures = 0;
  if (changed)
    ferry_collection_want_run (self, "live");
  else
    start_watch (self);
}

static void
start_watch (FerryCollection *self)
{
  g_autoptr(FerrySyncInfo) info = NULL;

  if (!self->config->live || self->run != NULL || self->watch != NULL ||
      self->live_id != 0 || !self->reachable || self->paused)
    return;
  if (!ferry_replicator_can_watch (self->replicator))
    {
      self->live_id = g_timeout_add_seconds (LIVE_PULL_INTERVAL_S, on_live_timeout, self);
      return;
    }
  info = ferry_collection_store_dup_sync_info (self->store, self->config->id, NULL);
  self->watch = g_cancellable_new ();
  ferry_replicator_watch_async (self->replicator, info != NULL ? info->checkpoint : NULL,
                                self->watch, watch_cb, g_object_ref (self));
}

static void
stop_watch (FerryCollection *self)
{
  g_clear_handle_id (&self->live_id, g_source_remove);
  if (self->watch != NULL)
    {
      g_cancellable_cancel (self->watch);
      g_clear_object (&self->watch);
    }
}

/* Runs --------------------------------------------------------------------- */

static void
on_run_progress (FerryCollectionRun *run,
                 gpointer            user_data)
{
  FerryCollection *self = user_data;
  guint total, synced, failed;

  ferry_collection_run_get_progress (run, &total, &synced, &failed);
  g_object_freeze_notify (G_OBJECT (self));
  SET_UINT (phase, ferry_collection_run_get_phase (run), PROP_PHASE);
  SET_UINT (total, total, PROP_PROGRESS_TOTAL);
  SET_UINT (synced, synced, PROP_PROGRESS_SYNCED);
  SET_UINT (failed, failed, PROP_PROGRESS_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_run_documents_changed (FerryCollectionRun *run,
                          gint64              seq,
                          gpointer            user_data)
{
  FerryCollection *self = user_data;

  read_counts (self);
  g_signal_emit (self, signals[DOCUMENTS_CHANGED], 0, seq);
}

static void
on_run_conflict (FerryCollectionRun *run,
                 const char         *doc_id,
                 gpointer            user_data)
{
  FerryCollection *self = user_data;

  read_counts (self);
  g_signal_emit (self, signals[CONFLICT], 0, doc_id);
}

static void
set_last_error (FerryCollection *self,
                const char      *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FerryCollection) self = user_data;
  g_autoptr(FerryCollectionRun) run = FERRY_COLLECTION_RUN (g_object_ref (object));
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  record = ferry_collection_run_finish (run, result, &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_signal_handlers_disconnect_by_data (run, self);
  g_clear_object (&self->run);
  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  SET_UINT (phase, FERRY_RUN_PHASE_NONE, PROP_PHASE);
  read_counts (self);
  if (error == NULL)
    {
      self->failures = 0;
      self->last_failed = FALSE;
      self->last_sync = record->finished;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_last_error (self, NULL);
      arm_interval (self);
    }
  else if (!cancelled)
    {
      self->failures++;
      self->last_failed = TRUE;
      set_last_error (self, error->message);
      arm_retry (self);
    }
  update_state (self);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[RUN_FINISHED], 0, record);
  if (cancelled)
    return;
  start_watch (self);
  if (self->wanted != NULL)
    g_signal_emit (self, signals[WANTS_RUN], 0);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_collection_dispose (GObject *object)
{
  FerryCollection *self = FERRY_COLLECTION (object);

  ferry_collection_stop (self);
  g_clear_object (&self->replicator);
  g_clear_object (&self->store);
  self->config = NULL;

  G_OBJECT_CLASS (ferry_collection_parent_class)->dispose (object);
}

static void
ferry_collection_finalize (GObject *object)
{
  FerryCollection *self = FERRY_COLLECTION (object);

  g_free (self->wanted);
  g_free (self->last_error);
  g_rand_free (self->rand);

  G_OBJECT_CLASS (ferry_collection_parent_class)->finalize (object);
}

static void
ferry_collection_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryCollection *self = FERRY_COLLECTION (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_uint (value, self->state); break;
    case PROP_PHASE: g_value_set_uint (value, self->phase); break;
    case PROP_PROGRESS_TOTAL: g_value_set_uint (value, self->total); break;
    case PROP_PROGRESS_SYNCED: g_value_set_uint (value, self->synced); break;
    case PROP_PROGRESS_FAILED: g_value_set_uint (value, self->failed); break;
    case PROP_DOCUMENT_COUNT: g_value_set_uint (value, self->counts.documents); break;
    case PROP_DIRTY_COUNT: g_value_set_uint (value, self->counts.dirty); break;
    case PROP_CONFLICT_COUNT: g_value_set_uint (value, self->counts.conflicts); break;
    case PROP_FAILED_COUNT: g_value_set_uint (value, self->counts.failed); break;
    case PROP_LAST_SYNC: g_value_set_int64 (value, self->last_sync); break;
    case PROP_NEXT_SYNC: g_value_set_int64 (value, self->next_sync); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_collection_class_init (FerryCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  static const struct { guint id; const char *name; } uints[] = {
    { PROP_PHASE, "phase" },
    { PROP_PROGRESS_TOTAL, "progress-total" },
    { PROP_PROGRESS_SYNCED, "progress-synced" },
    { PROP_PROGRESS_FAILED, "progress-failed" },
    { PROP_DOCUMENT_COUNT, "document-count" },
    { PROP_DIRTY_COUNT, "dirty-count" },
    { PROP_CONFLICT_COUNT, "conflict-count" },
    { PROP_FAILED_COUNT, "failed-count" },
  };

  object_class->dispose = ferry_collection_dispose;
  object_class->finalize = ferry_collection_finalize;
  object_class->get_property = ferry_collection_get_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, FERRY_COLLECTION_STATE_PAUSED,
                       FERRY_COLLECTION_STATE_IDLE, readable);
  for (guint i = 0; i < G_N_ELEMENTS (uints); i++)
    properties[uints[i].id] = g_param_spec_uint (uints[i].name, NULL, NULL, 0, G_MAXUINT, 0,
                                                 readable);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, readable);
  properties[PROP_NEXT_SYNC] =
    g_param_spec_int64 ("next-sync", NULL, NULL, 0, G_MAXINT64, 0, readable);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[WANTS_RUN] =
    g_signal_new ("wants-run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[DOCUMENTS_CHANGED] =
    g_signal_new ("documents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_collection_init (FerryCollection *self)
{
  self->rand = g_rand_new ();
  self->reachable = TRUE;
}

/**
 * ferry_collection_new:
 * @store: the replicas' store
 * @replicator: the collection's replicator, its configuration attached to
 *   @store
 * @error: return location for a store error
 *
 * Returns: (transfer full) (nullable): the collection, its interval armed
 */
FerryCollection *
ferry_collection_new (FerryCollectionStore  *store,
                      FerryReplicator       *replicator,
                      GError               **error)
{
  g_autoptr(FerryCollection) self = NULL;
  g_autoptr(FerrySyncInfo) info = NULL;
  FerryCollectionConfig *config;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (store), NULL);
  g_return_val_if_fail (FERRY_IS_REPLICATOR (replicator), NULL);

  config = ferry_replicator_get_config (replicator);
  info = ferry_collection_store_dup_sync_info (store, config->id, error);
  if (info == NULL)
    return NULL;
  self = g_object_new (FERRY_TYPE_COLLECTION, NULL);
  self->store = g_object_ref (store);
  self->replicator = g_object_ref (replicator);
  self->config = config;
  self->last_sync = info->last_sync;
  self->last_error = g_strdup (info->last_error);
  self->last_failed = info->last_error != NULL;
  read_counts (self);
  arm_interval (self);
  update_state (self);
  return g_steal_pointer (&self);
}

/**
 * ferry_collection_want_run:
 * @self: a collection
 * @trigger: why (local, interval, online, resume, now, live, retry, start)
 *
 * Asks for a run.  Requests that arrive while one waits or runs make one
 * run after it, not one each.
 */
void
ferry_collection_want_run (FerryCollection *self,
                           const char      *trigger)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (trigger != NULL);

  if (self->wanted != NULL)
    return;
  self->wanted = g_strdup (trigger);
  if (self->run == NULL)
    g_signal_emit (self, signals[WANTS_RUN], 0);
}

/**
 * ferry_collection_local_write:
 * @self: a collection
 * @seq: the last sequence the writes gave
 * @debounce_ms: how long to wait for more writes before a run
 *
 * Tells of committed local writes.
 */
void
ferry_collection_local_write (FerryCollection *self,
                              gint64           seq,
                              guint            debounce_ms)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  read_counts (self);
  update_state (self);
  g_signal_emit (self, signals[DOCUMENTS_CHANGED], 0, seq);
  if (self->config->direction != FERRY_DIRECTION_PULL && self->debounce_id == 0)
    self->debounce_id = g_timeout_add (debounce_ms, on_debounce_timeout, self);
}

/**
 * ferry_collection_start_run:
 * @self: a collection
 *
 * Starts the run that was wanted, when its server can be reached and
 * sync is not paused.
 *
 * Returns: whether it started (and holds a slot until ::run-finished)
 */
gboolean
ferry_collection_start_run (FerryCollection *self)
{
  g_autofree char *trigger = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION (self), FALSE);

  if (self->run != NULL || self->wanted == NULL || !self->reachable || self->paused)
    return FALSE;
  trigger = g_steal_pointer (&self->wanted);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  stop_watch (self);
  self->cancellable = g_cancellable_new ();
  self->run = ferry_collection_run_new (self->store, self->replicator, trigger);
  g_signal_connect (self->run, "progress", G_CALLBACK (on_run_progress), self);
  g_signal_connect (self->run, "documents-changed", G_CALLBACK (on_run_documents_changed),
                    self);
  g_signal_connect (self->run, "conflict", G_CALLBACK (on_run_conflict), self);
  g_object_freeze_notify (G_OBJECT (self));
  SET_UINT (total, 0, PROP_PROGRESS_TOTAL);
  SET_UINT (synced, 0, PROP_PROGRESS_SYNCED);
  SET_UINT (failed, 0, PROP_PROGRESS_FAILED);
  update_state (self);
  g_object_thaw_notify (G_OBJECT (self));
  g_debug ("run of %s/%s (%s)", self->config->owner, self->config->name, trigger);
  g_signal_emit (self, signals[RUN_STARTED], 0, trigger);
  ferry_collection_run_start_async (self->run, self->cancellable, run_cb, g_object_ref (self));
  return TRUE;
}

/**
 * ferry_collection_refresh:
 * @self: a collection
 * @reachable: whether its server can be reached now
 * @paused: whether sync is paused
 *
 * Follows the network and the pause; a run going on finishes.
 */
void
ferry_collection_refresh (FerryCollection *self,
                          gboolean         reachable,
                          gboolean         paused)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  self->reachable = reachable;
  self->paused = paused;
  if (!reachable || paused)
    stop_watch (self);
  else
    start_watch (self);
  update_state (self);
}

/**
 * ferry_collection_stop:
 * @self: a collection
 *
 * Cancels its run and its watch and disarms its timers: it is being
 * removed, or the agent quits.  What runs committed stays.
 */
void
ferry_collection_stop (FerryCollection *self)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  stop_watch (self);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_pointer (&self->wanted, g_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}
