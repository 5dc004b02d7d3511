/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-sync-manager"

#include "config.h"

#include <string.h>

#include "ferry-backoff.h"
#include "ferry-error.h"
#include "ferry-names.h"
#include "ferry-sync-manager-private.h"

/*
 * FerrySyncManager ties the engine together on one main loop:
 *
 *   enqueue ──► group commit (one transaction for the calls of one loop
 *               iteration) ──► debounce ──► pass
 *   pass    ──► flush unwritten outcomes (one transaction, when due) ──► expire
 *               ──► take the next tasks from the ready list, or refill it:
 *                   flush, then pick eligible heads (store query +
 *                   connectivity filter), a few more than there are slots
 *               ──► mark running ──► executor ──► send_cb
 *   send_cb ──► classifier + backoff decide the next state (or a 409/412
 *               goes to conflict settlement) ──► buffered for the next
 *               flush ──► pass
 *
 * One file per part, all sharing ferry-sync-manager-private.h:
 *   ferry-sync-manager.c        the object: properties, signals, start, stop
 *   ferry-outbox-enqueue.c      enqueue and the group commit
 *   ferry-outbox-scheduler.c    passes, the ready list, expiry, the wake-up
 *                               timer, dispatch to the executor
 *   ferry-outbox-outcomes.c     what an attempt's outcome makes of a task,
 *                               and the batched writes
 *   ferry-outbox-conflicts.c    conflict settlement by strategy, and resolve
 *   ferry-outbox-triggers.c     network, power, resume, clock, interval,
 *                               debounce, sync now, pause and resume
 *   ferry-outbox-actions.c      cancel and retry, by a person or an app
 *   ferry-outbox-state.c        counters, progress, runs, the overall state
 *
 * Outcomes and running marks are written in batches: a pass writes them
 * when FLUSH_BATCH are waiting, when one is not a success, when the ready
 * list must be refilled (the query has to see every outcome), when the run
 * ends, before anything reads the store for someone, and FLUSH_DELAY after
 * the first of them at the latest.  Until then a row says what start-up
 * would turn it back into after a crash (pending), so the worst a crash
 * can do is send a success again, with its Idempotency-Key.
 *
 * The ready list holds, without their bodies, the heads the last query
 * found beyond the free slots, in run order.  The passes that follow a
 * finished attempt take from it; anything else that may change what is
 * eligible or its order (an enqueue, a change by a person or app, a timer,
 * the network, the power, the settings, a grouped task settling, an
 * expiry) drops it, so it always is what the query would return next.
 *
 * Nothing polls: a pass is started by an enqueue, a finished attempt, the
 * network or power changing, resume from sleep, the auto-sync interval,
 * "sync now", or one timer armed for the earliest next-attempt time.
 *
 * The state counters are kept in memory and moved with every transition, so
 * reading them never scans the queue.
 */

#define DEFAULT_MAX_CONCURRENCY     4
#define DEFAULT_AUTO_SYNC_INTERVAL  60
#define DEFAULT_HISTORY_RETENTION   (7 * G_TIME_SPAN_DAY)
#define DEFAULT_ENQUEUE_DEBOUNCE    20

G_DEFINE_FINAL_TYPE (FerrySyncManager, ferry_sync_manager, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FerryRunSummary, ferry_run_summary,
                     ferry_run_summary_copy, ferry_run_summary_free)

GParamSpec *ferry_outbox_properties[N_PROPS];
guint ferry_outbox_signals[N_SIGNALS];

G_STATIC_ASSERT (FERRY_SYNC_STATE_ATTENTION + 1 == FERRY_NAMES_N_SYNC_STATES);

/**
 * ferry_sync_state_to_string:
 * @state: a state
 *
 * Returns: its name on D-Bus: idle, syncing, offline, paused or attention
 */
const char *
ferry_sync_state_to_string (FerrySyncState state)
{
  return ferry_names_get (ferry_names_sync_states, FERRY_NAMES_N_SYNC_STATES, state);
}

FerryRunSummary *
ferry_run_summary_copy (const FerryRunSummary *summary)
{
  return g_memdup2 (summary, sizeof *summary);
}

void
ferry_run_summary_free (FerryRunSummary *summary)
{
  g_free (summary);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_sync_manager_constructed (GObject *object)
{
  FerrySyncManager *self = FERRY_SYNC_MANAGER (object);

  G_OBJECT_CLASS (ferry_sync_manager_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  if (self->executor == NULL)
    self->executor = ferry_executor_new (NULL);
  if (self->connectivity == NULL)
    self->connectivity = ferry_connectivity_new (NULL, NULL, NULL);
  if (self->clock == NULL)
    self->clock = ferry_clock_new ();

  ferry_outbox_connect_triggers (self);
}

static void
ferry_sync_manager_dispose (GObject *object)
{
  FerrySyncManager *self = FERRY_SYNC_MANAGER (object);

  ferry_sync_manager_stop (self);

  g_clear_object (&self->executor);
  g_clear_object (&self->connectivity);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ferry_sync_manager_parent_class)->dispose (object);
}

static void
ferry_sync_manager_finalize (GObject *object)
{
  FerrySyncManager *self = FERRY_SYNC_MANAGER (object);

  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->enqueue_queue, g_ptr_array_unref);
  g_clear_pointer (&self->unwritten, g_ptr_array_unref);
  g_clear_pointer (&self->attempt_log, g_array_unref);
  if (self->ready != NULL)
    g_queue_free_full (self->ready, (GDestroyNotify) ferry_task_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  ferry_resolver_hook_clear (&self->resolver);

  G_OBJECT_CLASS (ferry_sync_manager_parent_class)->finalize (object);
}

static void
ferry_sync_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerrySyncManager *self = FERRY_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_object (value, self->connectivity);
      break;
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_MAX_CONCURRENCY:
      g_value_set_uint (value, self->max_concurrency);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_RETRY_PERIOD:
      g_value_set_int64 (value, self->retry_period);
      break;
    case PROP_STALLED_AFTER:
      g_value_set_int64 (value, self->stalled_after);
      break;
    case PROP_BACKOFF_INITIAL:
      g_value_set_int64 (value, self->backoff.initial_delay);
      break;
    case PROP_BACKOFF_MULTIPLIER:
      g_value_set_double (value, self->backoff.multiplier);
      break;
    case PROP_BACKOFF_MAX:
      g_value_set_int64 (value, self->backoff.max_delay);
      break;
    case PROP_AUTO_SYNC_INTERVAL:
      g_value_set_uint (value, self->auto_sync_interval);
      break;
    case PROP_HISTORY_RETENTION:
      g_value_set_int64 (value, self->history_retention);
      break;
    case PROP_SYNC_ON_METERED:
      g_value_set_boolean (value, self->sync_on_metered);
      break;
    case PROP_ENQUEUE_DEBOUNCE:
      g_value_set_uint (value, self->enqueue_debounce);
      break;
    case PROP_RESOLVER_TIMEOUT:
      g_value_set_uint (value, self->resolver_timeout);
      break;
    case PROP_RESERVED_SLOTS:
      g_value_set_uint (value, self->reserved_slots);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, ferry_sync_manager_get_online (self));
      break;
    case PROP_METERED:
      g_value_set_boolean (value, ferry_sync_manager_get_metered (self));
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, ferry_outbox_pending_count (self));
      break;
    case PROP_FAILED_COUNT:
      g_value_set_uint (value, self->counts[FERRY_TASK_STATE_FAILED]);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->counts[FERRY_TASK_STATE_CONFLICT]);
      break;
    case PROP_AUTH_COUNT:
      g_value_set_uint (value, self->counts[FERRY_TASK_STATE_AUTH_REQUIRED]);
      break;
    case PROP_PROGRESS_DONE:
      g_value_set_uint (value, self->progress_done);
      break;
    case PROP_PROGRESS_TOTAL:
      g_value_set_uint (value, self->progress_total);
      break;
    case PROP_LAST_SYNC_TIME:
      g_value_set_int64 (value, self->last_sync_time);
      break;
    case PROP_NEXT_SYNC_TIME:
      g_value_set_int64 (value, self->next_sync_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define SET_IF_CHANGED(field, expr)                                           \
  G_STMT_START {                                                              \
    __typeof__ (self->field) new_value_ = (expr);                             \
    if (self->field != new_value_)                                            \
      {                                                                       \
        self->field = new_value_;                                             \
        changed = TRUE;                                                       \
      }                                                                       \
  } G_STMT_END

static void
ferry_sync_manager_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerrySyncManager *self = FERRY_SYNC_MANAGER (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      return;
    case PROP_EXECUTOR:
      self->executor = g_value_dup_object (value);
      return;
    case PROP_CONNECTIVITY:
      self->connectivity = g_value_dup_object (value);
      return;
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      return;
    case PROP_MAX_CONCURRENCY:
      SET_IF_CHANGED (max_concurrency, g_value_get_uint (value));
      if (changed)
        ferry_outbox_schedule_pass (self);
      break;
    case PROP_MAX_ATTEMPTS:
      SET_IF_CHANGED (max_attempts, g_value_get_uint (value));
      break;
    case PROP_RETRY_PERIOD:
      SET_IF_CHANGED (retry_period, g_value_get_int64 (value));
      break;
    case PROP_STALLED_AFTER:
      SET_IF_CHANGED (stalled_after, g_value_get_int64 (value));
      break;
    case PROP_BACKOFF_INITIAL:
      SET_IF_CHANGED (backoff.initial_delay, g_value_get_int64 (value));
      break;
    case PROP_BACKOFF_MULTIPLIER:
      SET_IF_CHANGED (backoff.multiplier, g_value_get_double (value));
      break;
    case PROP_BACKOFF_MAX:
      SET_IF_CHANGED (backoff.max_delay, g_value_get_int64 (value));
      break;
    case PROP_AUTO_SYNC_INTERVAL:
      SET_IF_CHANGED (auto_sync_interval, g_value_get_uint (value));
      if (changed)
        ferry_outbox_arm_interval_timer (self);
      break;
    case PROP_HISTORY_RETENTION:
      SET_IF_CHANGED (history_retention, g_value_get_int64 (value));
      if (changed && self->started)
        ferry_outbox_prune_history (self);
      break;
    case PROP_SYNC_ON_METERED:
      SET_IF_CHANGED (sync_on_metered, g_value_get_boolean (value));
      if (changed)
        ferry_outbox_schedule_pass (self);
      break;
    case PROP_ENQUEUE_DEBOUNCE:
      SET_IF_CHANGED (enqueue_debounce, g_value_get_uint (value));
      break;
    case PROP_RESOLVER_TIMEOUT:
      SET_IF_CHANGED (resolver_timeout, g_value_get_uint (value));
      break;
    case PROP_RESERVED_SLOTS:
      SET_IF_CHANGED (reserved_slots, g_value_get_uint (value));
      if (changed)
        ferry_outbox_schedule_pass (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
ferry_sync_manager_class_init (FerrySyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                G_PARAM_STATIC_STRINGS;
  const GParamFlags setting = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                              G_PARAM_STATIC_STRINGS;
  const GParamFlags readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = ferry_sync_manager_constructed;
  object_class->dispose = ferry_sync_manager_dispose;
  object_class->finalize = ferry_sync_manager_finalize;
  object_class->get_property = ferry_sync_manager_get_property;
  object_class->set_property = ferry_sync_manager_set_property;

  ferry_outbox_properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FERRY_TYPE_TASK_STORE, construct);
  ferry_outbox_properties[PROP_EXECUTOR] =
    g_param_spec_object ("executor", NULL, NULL, FERRY_TYPE_EXECUTOR, construct);
  ferry_outbox_properties[PROP_CONNECTIVITY] =
    g_param_spec_object ("connectivity", NULL, NULL, FERRY_TYPE_CONNECTIVITY, construct);
  ferry_outbox_properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, FERRY_TYPE_CLOCK, construct);

  ferry_outbox_properties[PROP_MAX_CONCURRENCY] =
    g_param_spec_uint ("max-concurrency", NULL, NULL, 1, 64, DEFAULT_MAX_CONCURRENCY, setting);
  ferry_outbox_properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 0, 1000, FERRY_BACKOFF_DEFAULT_ATTEMPTS,
                       setting);
  ferry_outbox_properties[PROP_RETRY_PERIOD] =
    g_param_spec_int64 ("retry-period", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_RETRY_PERIOD, setting);
  ferry_outbox_properties[PROP_STALLED_AFTER] =
    g_param_spec_int64 ("stalled-after", NULL, NULL, 1, G_MAXINT64,
                        FERRY_BACKOFF_STALLED_AFTER, setting);
  ferry_outbox_properties[PROP_BACKOFF_INITIAL] =
    g_param_spec_int64 ("backoff-initial", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_INITIAL, setting);
  ferry_outbox_properties[PROP_BACKOFF_MULTIPLIER] =
    g_param_spec_double ("backoff-multiplier", NULL, NULL, 1.0, 100.0,
                         FERRY_BACKOFF_DEFAULT_MULTIPLIER, setting);
  ferry_outbox_properties[PROP_BACKOFF_MAX] =
    g_param_spec_int64 ("backoff-max", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_MAX, setting);
  ferry_outbox_properties[PROP_AUTO_SYNC_INTERVAL] =
    g_param_spec_uint ("auto-sync-interval", NULL, NULL, 0, 7 * 24 * 3600,
                       DEFAULT_AUTO_SYNC_INTERVAL, setting);
  ferry_outbox_properties[PROP_HISTORY_RETENTION] =
    g_param_spec_int64 ("history-retention", NULL, NULL, 0, G_MAXINT64,
                        DEFAULT_HISTORY_RETENTION, setting);
  ferry_outbox_properties[PROP_SYNC_ON_METERED] =
    g_param_spec_boolean ("sync-on-metered", NULL, NULL, TRUE, setting);
  ferry_outbox_properties[PROP_ENQUEUE_DEBOUNCE] =
    g_param_spec_uint ("enqueue-debounce", NULL, NULL, 0, 60000,
                       DEFAULT_ENQUEUE_DEBOUNCE, setting);

  ferry_outbox_properties[PROP_RESOLVER_TIMEOUT] =
    g_param_spec_uint ("resolver-timeout", NULL, NULL, 1, 600000, 10000, setting);
  ferry_outbox_properties[PROP_RESERVED_SLOTS] =
    g_param_spec_uint ("reserved-slots", NULL, NULL, 0, G_MAXUINT, 0, setting);

  ferry_outbox_properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, FERRY_SYNC_STATE_ATTENTION,
                       FERRY_SYNC_STATE_IDLE, readable);
  ferry_outbox_properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE, readable);
  ferry_outbox_properties[PROP_METERED] =
    g_param_spec_boolean ("metered", NULL, NULL, FALSE, readable);
  ferry_outbox_properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE, readable);
  ferry_outbox_properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_FAILED_COUNT] =
    g_param_spec_uint ("failed-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_AUTH_COUNT] =
    g_param_spec_uint ("auth-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_PROGRESS_DONE] =
    g_param_spec_uint ("progress-done", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_uint ("progress-total", NULL, NULL, 0, G_MAXUINT, 0, readable);
  ferry_outbox_properties[PROP_LAST_SYNC_TIME] =
    g_param_spec_int64 ("last-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);
  ferry_outbox_properties[PROP_NEXT_SYNC_TIME] =
    g_param_spec_int64 ("next-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);

  g_object_class_install_properties (object_class, N_PROPS, ferry_outbox_properties);

  ferry_outbox_signals[TASK_ADDED] =
    g_signal_new ("task-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[TASK_CHANGED] =
    g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[TASK_SUCCEEDED] =
    g_signal_new ("task-succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[TASK_FAILED] =
    g_signal_new ("task-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[RETRY_SCHEDULED] =
    g_signal_new ("retry-scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  FERRY_TYPE_TASK, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_STRING);
  ferry_outbox_signals[TASK_STALLED] =
    g_signal_new ("task-stalled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[CONFLICT_DETECTED] =
    g_signal_new ("conflict-detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  ferry_outbox_signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  ferry_outbox_signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_RUN_SUMMARY);
}

static void
ferry_sync_manager_init (FerrySyncManager *self)
{
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) ferry_outbox_attempt_free);
  self->enqueue_queue =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_outbox_enqueue_request_free);
  self->unwritten = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  self->attempt_log = g_array_new (FALSE, TRUE, sizeof (FerryAttemptRecord));
  self->ready = g_queue_new ();
  g_array_set_clear_func (self->attempt_log, (GDestroyNotify) ferry_attempt_record_clear);
  self->rand = g_rand_new ();
  self->max_concurrency = DEFAULT_MAX_CONCURRENCY;
  self->max_attempts = FERRY_BACKOFF_DEFAULT_ATTEMPTS;
  self->retry_period = FERRY_BACKOFF_DEFAULT_RETRY_PERIOD;
  self->stalled_after = FERRY_BACKOFF_STALLED_AFTER;
  ferry_backoff_policy_init_default (&self->backoff);
  self->auto_sync_interval = DEFAULT_AUTO_SYNC_INTERVAL;
  self->history_retention = DEFAULT_HISTORY_RETENTION;
  self->sync_on_metered = TRUE;
  self->enqueue_debounce = DEFAULT_ENQUEUE_DEBOUNCE;
  self->resolver_timeout = 10000;
  self->state = FERRY_SYNC_STATE_IDLE;
}

/* Public API --------------------------------------------------------------- */

/**
 * ferry_sync_manager_new:
 * @store: where tasks live
 * @executor: (nullable): what sends them; %NULL for one with its own session
 * @connectivity: (nullable): what gates them; %NULL for the system's monitors
 * @clock: (nullable): where time comes from; %NULL for the real clock
 *
 * Returns: (transfer full): a manager; call ferry_sync_manager_start() to
 *   let it deliver
 */
FerrySyncManager *
ferry_sync_manager_new (FerryTaskStore    *store,
                        FerryExecutor     *executor,
                        FerryConnectivity *connectivity,
                        FerryClock        *clock)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (store), NULL);

  return g_object_new (FERRY_TYPE_SYNC_MANAGER,
                       "store", store,
                       "executor", executor,
                       "connectivity", connectivity,
                       "clock", clock,
                       NULL);
}

/**
 * ferry_sync_manager_start:
 * @self: a manager
 * @error: return location for a store error
 *
 * Recovers tasks a crash left running, prunes old history, loads the
 * counters and starts delivering.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_start (FerrySyncManager  *self,
                          GError           **error)
{
  guint recovered = 0;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  if (self->started)
    return TRUE;

  if (!ferry_task_store_recover_running (self->store, &recovered, error))
    return FALSE;
  if (recovered > 0)
    g_message ("%u tasks were interrupted and will be sent again", recovered);
  if (!ferry_outbox_reload_counts (self, error))
    return FALSE;
  /* The last sync of an earlier run of the agent, from the history. */
  if (!ferry_task_store_last_delivery (self->store, ferry_outbox_now (self),
                                       &self->last_sync_time, error))
    return FALSE;

  self->started = TRUE;
  self->was_online = ferry_connectivity_get_online (self->connectivity);
  ferry_outbox_prune_history (self);
  ferry_outbox_arm_interval_timer (self);
  ferry_outbox_update_state (self);
  ferry_outbox_schedule_pass (self);
  return TRUE;
}

/**
 * ferry_sync_manager_stop:
 * @self: a manager
 *
 * Stops delivering: in-flight attempts are cancelled (they cost nothing and
 * the tasks stay pending), outcomes are written, timers removed.
 */
void
ferry_sync_manager_stop (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  self->started = FALSE;
  ferry_outbox_cancel_running (self);
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  g_clear_handle_id (&self->pass_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  ferry_outbox_commit_enqueued (self);
  ferry_outbox_drop_ready (self);
  /* A last try, even right after a failure. */
  self->flush_failed = FALSE;
  if (self->store != NULL)
    ferry_outbox_flush_unwritten (self);
  g_clear_handle_id (&self->flush_id, g_source_remove);
}

FerryTaskStore *
ferry_sync_manager_get_store (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);

  return self->store;
}

FerryClock *
ferry_sync_manager_get_clock (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);

  return self->clock;
}

/**
 * ferry_sync_manager_dup_task:
 * @self: a manager
 * @id: a task id
 * @error: return location for %FERRY_ERROR_NOT_FOUND
 *
 * Returns: (transfer full): a snapshot of the task
 */
FerryTask *
ferry_sync_manager_dup_task (FerrySyncManager  *self,
                             const char        *id,
                             GError           **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ferry_outbox_flush_unwritten (self);
  return ferry_task_store_dup_task (self->store, id, error);
}

/**
 * ferry_sync_manager_dup_task_light:
 * @self: a manager
 * @id: a task id
 * @error: return location for %FERRY_ERROR_NOT_FOUND
 *
 * As ferry_sync_manager_dup_task(), without the payload (body, base and
 * response body): what a caller reads to decide before it reads the rest.
 *
 * Returns: (transfer full): a snapshot of the task, `has_payload` %FALSE
 */
FerryTask *
ferry_sync_manager_dup_task_light (FerrySyncManager  *self,
                                   const char        *id,
                                   GError           **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ferry_outbox_flush_unwritten (self);
  return ferry_task_store_dup_task_light (self->store, id, error);
}

/**
 * ferry_sync_manager_get_payload_size:
 * @self: a manager
 * @task: a task read from @self, with or without its payload
 * @out_size: (out): the bytes of its body, base and response body
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_get_payload_size (FerrySyncManager  *self,
                                     const FerryTask   *task,
                                     guint64           *out_size,
                                     GError           **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return ferry_task_store_get_payload_size (self->store, task, out_size, error);
}

/**
 * ferry_sync_manager_dup_attempts:
 * @self: a manager
 * @id: a task id
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryAttemptRecord): the task's
 *   last attempts (at most 100), oldest first
 */
GArray *
ferry_sync_manager_dup_attempts (FerrySyncManager  *self,
                                 const char        *id,
                                 GError           **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ferry_outbox_flush_unwritten (self);
  return ferry_task_store_dup_attempts (self->store, id, 100, error);
}

/**
 * ferry_sync_manager_list:
 * @self: a manager
 * @filter: (nullable): which tasks
 * @offset: how many to skip
 * @limit: how many at most
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryTask): one page of tasks
 */
GPtrArray *
ferry_sync_manager_list (FerrySyncManager       *self,
                         const FerryTaskFilter  *filter,
                         guint                   offset,
                         guint                   limit,
                         GError                **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);

  ferry_outbox_flush_unwritten (self);
  return ferry_task_store_list (self->store, filter, offset, limit, error);
}

/**
 * ferry_sync_manager_count:
 * @self: a manager
 * @filter: (nullable): which tasks
 * @out_count: (out): how many match
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_count (FerrySyncManager       *self,
                          const FerryTaskFilter  *filter,
                          guint                  *out_count,
                          GError                **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  ferry_outbox_flush_unwritten (self);
  return ferry_task_store_count (self->store, filter, out_count, error);
}

/**
 * ferry_sync_manager_set_resolver:
 * @self: a manager
 * @resolve: (nullable): starts asking an app to settle a conflict
 * @finish: (nullable): reads its answer
 * @user_data: for both
 * @destroy: (nullable): frees @user_data
 *
 * Installs what the custom conflict strategy calls.  Without one, or when
 * it fails or takes longer than "resolver-timeout", the conflict waits for
 * a decision as with the ask strategy.
 */
void
ferry_sync_manager_set_resolver (FerrySyncManager        *self,
                                 FerryResolverFunc        resolve,
                                 FerryResolverFinishFunc  finish,
                                 gpointer                 user_data,
                                 GDestroyNotify           destroy)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  ferry_resolver_hook_set (&self->resolver, resolve, finish, user_data, destroy);
}

/**
 * ferry_sync_manager_set_sender:
 * @self: a manager
 * @sender: (nullable): how to send the tasks it handles; static, or
 *   living as long as @self
 * @user_data: for @sender's functions
 *
 * Lets another part perform the attempts of the tasks it handles.
 */
void
ferry_sync_manager_set_sender (FerrySyncManager  *self,
                               const FerrySender *sender,
                               gpointer           user_data)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  self->sender = sender;
  self->sender_data = user_data;
}

/**
 * ferry_sync_manager_reconsider:
 * @self: a manager
 *
 * Says that what the sender holds changed: the tasks it held may run
 * again, so the ready list is dropped and a pass comes soon.
 */
void
ferry_sync_manager_reconsider (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  ferry_outbox_drop_ready (self);
  ferry_outbox_schedule_pass (self);
}
