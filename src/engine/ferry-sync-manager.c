/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-sync-manager"

#include "config.h"

#include <string.h>

#include "ferry-backoff.h"
#include "ferry-classifier.h"
#include "ferry-conflict-policy.h"
#include "ferry-error.h"

#include "ferry-sync-manager.h"

/*
 * FerrySyncManager ties the engine together on one main loop:
 *
 *   enqueue ──► group commit (one transaction for the calls of one loop
 *               iteration) ──► debounce ──► pass
 *   pass    ──► flush finished attempts (one transaction, when due) ──► expire
 *               ──► take the next tasks from the ready list, or refill it:
 *                   flush, then pick eligible heads (store query +
 *                   connectivity filter), a few more than there are slots
 *               ──► mark running ──► executor ──► attempt_cb
 *   attempt_cb ──► classifier + backoff decide the next state
 *               ──► buffered for the next flush ──► pass
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
#define PRUNE_EVERY                 G_TIME_SPAN_HOUR
#define READY_AHEAD                 32   /* heads looked up beyond the free slots */
#define FLUSH_BATCH                 64   /* writes waiting that make a pass flush */
#define FLUSH_DELAY                 250  /* ms an outcome may wait at most */
#define FLUSH_RETRY_DELAY           5000 /* ms before writing again after a failure */

typedef struct
{
  FerrySyncManager *self;        /* owned */
  FerryTask        *task;        /* owned: the running snapshot */
  GCancellable     *cancellable; /* owned */
  gboolean          cancelled_by_user;
  gint64            previous_update; /* the task's last change before it ran */
} Attempt;

typedef struct
{
  FerryTask *task;               /* owned */
  GTask     *gtask;              /* owned */
} EnqueueRequest;

struct _FerrySyncManager
{
  GObject parent_instance;

  /* owned */
  FerryTaskStore     *store;
  FerryExecutor      *executor;
  FerryConnectivity  *connectivity;
  FerryClock         *clock;
  GHashTable         *running;          /* id → Attempt* */
  GPtrArray          *enqueue_queue;    /* EnqueueRequest* waiting for the group commit */
  GPtrArray          *finished;         /* FerryTask* waiting for the next flush */
  GArray             *attempt_log;      /* FerryAttemptRecord waiting for the next flush */
  GQueue             *ready;            /* FerryTask* without payload, in run order */
  GRand              *rand;
  FerryResolverFunc        resolver;
  FerryResolverFinishFunc  resolver_finish;
  gpointer                 resolver_data;
  GDestroyNotify           resolver_destroy;

  /* settings */
  guint               max_concurrency;
  guint               max_attempts;     /* 0: no limit */
  gint64              retry_period;
  gint64              stalled_after;
  FerryBackoffPolicy  backoff;
  guint               auto_sync_interval;
  gint64              history_retention;
  gboolean            sync_on_metered;
  guint               enqueue_debounce;
  guint               resolver_timeout;
  guint               reserved_slots;   /* held by collections' runs */

  /* state */
  gboolean            started;
  gboolean            paused;
  gboolean            was_online;
  FerrySyncState      state;
  guint               counts[FERRY_N_TASK_STATES];
  gboolean            in_run;
  guint               progress_done;
  guint               progress_total;
  FerryRunSummary     summary;
  gint64              last_sync_time;
  gint64              next_sync_time;
  gint64              last_prune;
  gint64              wakeup_at;
  guint               wakeup_id;
  guint               pass_id;
  guint               debounce_id;
  guint               enqueue_id;
  guint               interval_id;
  gint64              interval_next;    /* when the interval timer fires next */
  guint               flush_id;
  gboolean            flush_soon;       /* an outcome that is not a success waits */
  gboolean            flush_failed;     /* the last flush failed: wait for flush_id */
};

G_DEFINE_FINAL_TYPE (FerrySyncManager, ferry_sync_manager, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FerryRunSummary, ferry_run_summary,
                     ferry_run_summary_copy, ferry_run_summary_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EXECUTOR,
  PROP_CONNECTIVITY,
  PROP_CLOCK,
  PROP_MAX_CONCURRENCY,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_PERIOD,
  PROP_STALLED_AFTER,
  PROP_BACKOFF_INITIAL,
  PROP_BACKOFF_MULTIPLIER,
  PROP_BACKOFF_MAX,
  PROP_AUTO_SYNC_INTERVAL,
  PROP_HISTORY_RETENTION,
  PROP_SYNC_ON_METERED,
  PROP_ENQUEUE_DEBOUNCE,
  PROP_RESOLVER_TIMEOUT,
  PROP_RESERVED_SLOTS,
  PROP_STATE,
  PROP_ONLINE,
  PROP_METERED,
  PROP_PAUSED,
  PROP_PENDING_COUNT,
  PROP_FAILED_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_AUTH_COUNT,
  PROP_PROGRESS_DONE,
  PROP_PROGRESS_TOTAL,
  PROP_LAST_SYNC_TIME,
  PROP_NEXT_SYNC_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TASK_ADDED,
  TASK_CHANGED,
  TASK_SUCCEEDED,
  TASK_FAILED,
  RETRY_SCHEDULED,
  TASK_STALLED,
  CONFLICT_DETECTED,
  AUTH_REQUIRED,
  RUN_STARTED,
  RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_pass (FerrySyncManager *self);
static void schedule_next_task (FerrySyncManager *self);
static void drop_ready (FerrySyncManager *self);

static const char * const sync_state_names[] = {
  "idle", "syncing", "offline", "paused", "attention",
};

/**
 * ferry_sync_state_to_string:
 * @state: a state
 *
 * Returns: its name on D-Bus: idle, syncing, offline, paused or attention
 */
const char *
ferry_sync_state_to_string (FerrySyncState state)
{
  if ((guint) state >= G_N_ELEMENTS (sync_state_names))
    return NULL;
  return sync_state_names[state];
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

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->self);
  g_clear_pointer (&attempt->task, ferry_task_unref);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

static void
enqueue_request_free (EnqueueRequest *request)
{
  g_clear_pointer (&request->task, ferry_task_unref);
  g_clear_object (&request->gtask);
  g_free (request);
}

static gint64
now (FerrySyncManager *self)
{
  return ferry_clock_get_now (self->clock);
}

static guint
effective_concurrency (FerrySyncManager *self)
{
  /* Power saver: only what is urgent, and one at a time. */
  guint limit = ferry_connectivity_get_power_saver (self->connectivity)
                ? 1 : MAX (self->max_concurrency, 1);

  /* The limit is for the whole engine: collections' runs hold slots too. */
  return limit > self->reserved_slots ? limit - self->reserved_slots : 0;
}

/* State and counters ---------------------------------------------------- */

static guint
pending_count (FerrySyncManager *self)
{
  return self->counts[FERRY_TASK_STATE_PENDING] + self->counts[FERRY_TASK_STATE_RUNNING];
}

static guint
attention_count (FerrySyncManager *self)
{
  return self->counts[FERRY_TASK_STATE_FAILED] +
         self->counts[FERRY_TASK_STATE_CONFLICT] +
         self->counts[FERRY_TASK_STATE_AUTH_REQUIRED];
}

static void
update_state (FerrySyncManager *self)
{
  FerrySyncState state;

  if (self->paused)
    state = FERRY_SYNC_STATE_PAUSED;
  else if (self->in_run)
    state = FERRY_SYNC_STATE_SYNCING;
  else if (!ferry_connectivity_get_online (self->connectivity))
    state = FERRY_SYNC_STATE_OFFLINE;
  else if (attention_count (self) > 0)
    state = FERRY_SYNC_STATE_ATTENTION;
  else
    state = FERRY_SYNC_STATE_IDLE;

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
set_progress (FerrySyncManager *self,
              guint             done,
              guint             total)
{
  if (done != self->progress_done)
    {
      self->progress_done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_DONE]);
    }
  if (total != self->progress_total)
    {
      self->progress_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TOTAL]);
    }
}

/* Within a run, done and total only grow: total is everything delivered so
 * far plus everything still waiting, and never shrinks below what it was. */
static void
update_progress (FerrySyncManager *self)
{
  guint total;

  if (!self->in_run)
    return;

  total = MAX (self->progress_total, self->progress_done + pending_count (self));
  set_progress (self, self->progress_done, total);
}

static void
notify_counts (FerrySyncManager *self,
               const guint       before[FERRY_N_TASK_STATES])
{
  guint pending_before = before[FERRY_TASK_STATE_PENDING] + before[FERRY_TASK_STATE_RUNNING];

  if (pending_before != pending_count (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
  if (before[FERRY_TASK_STATE_FAILED] != self->counts[FERRY_TASK_STATE_FAILED])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED_COUNT]);
  if (before[FERRY_TASK_STATE_CONFLICT] != self->counts[FERRY_TASK_STATE_CONFLICT])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_COUNT]);
  if (before[FERRY_TASK_STATE_AUTH_REQUIRED] != self->counts[FERRY_TASK_STATE_AUTH_REQUIRED])
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_COUNT]);
}

/* Moves one task between two counters and tells who listens. */
static void
count_transition (FerrySyncManager *self,
                  FerryTaskState    from,
                  FerryTaskState    to)
{
  guint before[FERRY_N_TASK_STATES];

  if (from == to)
    return;

  memcpy (before, self->counts, sizeof before);
  if (self->counts[from] > 0)
    self->counts[from]--;
  self->counts[to]++;
  notify_counts (self, before);
}

static void
count_added (FerrySyncManager *self,
             FerryTaskState    state)
{
  guint before[FERRY_N_TASK_STATES];

  memcpy (before, self->counts, sizeof before);
  self->counts[state]++;
  notify_counts (self, before);
}

static gboolean
reload_counts (FerrySyncManager  *self,
               GError           **error)
{
  guint before[FERRY_N_TASK_STATES];

  memcpy (before, self->counts, sizeof before);
  if (!ferry_task_store_count_states (self->store, self->counts, error))
    return FALSE;
  notify_counts (self, before);
  return TRUE;
}

/* Runs --------------------------------------------------------------------- */

static void
start_run (FerrySyncManager *self)
{
  if (self->in_run)
    return;

  self->in_run = TRUE;
  memset (&self->summary, 0, sizeof self->summary);
  self->summary.started = now (self);
  set_progress (self, 0, pending_count (self));
  update_state (self);
  g_debug ("run started: %u waiting", pending_count (self));
  g_signal_emit (self, signals[RUN_STARTED], 0);
}

static void
finish_run (FerrySyncManager *self)
{
  FerryRunSummary summary;

  if (!self->in_run)
    return;

  self->in_run = FALSE;
  self->summary.finished = now (self);
  summary = self->summary;
  /* The last sync is the last time changes reached their server: a run
   * whose every attempt failed is not one. */
  if (summary.succeeded > 0)
    {
      self->last_sync_time = summary.finished;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC_TIME]);
    }
  update_state (self);
  g_debug ("run finished: %u succeeded, %u failed, %u retried, %u conflicts",
           summary.succeeded, summary.failed, summary.retried, summary.conflicts);
  g_signal_emit (self, signals[RUN_FINISHED], 0, &summary);
}

/* Timers ------------------------------------------------------------------- */

static gboolean
on_wakeup_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->wakeup_id = 0;
  self->wakeup_at = 0;
  schedule_pass (self);
  return G_SOURCE_REMOVE;
}

static void
set_next_sync_time (FerrySyncManager *self,
                    gint64            when)
{
  if (self->next_sync_time != when)
    {
      self->next_sync_time = when;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_SYNC_TIME]);
    }
}

/* One timer for the earliest moment something becomes due; nothing else
 * wakes the process while the queue waits.  @current is the time the pass
 * looked for due tasks at: whatever became due since is found here too,
 * and the timer then fires at once. */
static void
arm_wakeup_timer (FerrySyncManager *self,
                  gint64            current)
{
  g_autoptr(GError) error = NULL;
  gint64 next;
  gint64 due = G_MAXINT64;
  gint64 delay_ms;

  next = ferry_task_store_next_wakeup (self->store, current, &due, &error);
  if (error != NULL)
    {
      g_warning ("Cannot find the next retry time: %s", error->message);
      return;
    }

  /* What the person sees as the next sync is when a change is really sent
   * next: the earliest retry or not-before time.  Nothing is known while
   * paused or offline (an automatic run sends nothing then), nor for an
   * expiry. */
  set_next_sync_time (self, due != G_MAXINT64 && !self->paused &&
                              ferry_connectivity_may_send_anything (self->connectivity)
                              ? due : 0);
  if (next == G_MAXINT64)
    {
      g_clear_handle_id (&self->wakeup_id, g_source_remove);
      self->wakeup_at = 0;
      return;
    }

  if (self->wakeup_id != 0 && self->wakeup_at == next)
    return;

  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  self->wakeup_at = next;
  delay_ms = (next - now (self) + 999) / 1000;
  delay_ms = CLAMP (delay_ms, 0, G_MAXUINT);
  self->wakeup_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) delay_ms,
                                        on_wakeup_timeout, self, NULL);
}

/* Attempts ----------------------------------------------------------------- */

static void
set_last_error (FerryTask  *task,
                const char *message)
{
  g_free (task->last_error);
  task->last_error = g_strdup (message);
}

static void
keep_response (FerryTask    *task,
               FerryAttempt *attempt)
{
  task->response_status = attempt->status;
  g_strfreev (task->response_headers);
  task->response_headers = g_strdupv (attempt->response_headers);
  g_clear_pointer (&task->response_body, g_bytes_unref);
  if (attempt->response_body != NULL)
    task->response_body = g_bytes_ref (attempt->response_body);
}

static gboolean flush_finished (FerrySyncManager *self);

static gboolean
on_flush_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->flush_id = 0;
  if (self->flush_failed)
    {
      /* Sending stopped while outcomes could not be written. */
      self->flush_failed = FALSE;
      if (flush_finished (self))
        schedule_pass (self);
      return G_SOURCE_REMOVE;
    }
  flush_finished (self);
  return G_SOURCE_REMOVE;
}

/* Queues @task's row for the next flush, which writes only what running
 * a task changes (see ferry_task_store_update_outcomes()): changes to
 * anything else go through store_one(). */
static void
queue_finished (FerrySyncManager *self,
                FerryTask        *task)
{
  g_ptr_array_add (self->finished, ferry_task_ref (task));
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_DELAY, on_flush_timeout, self);
}

/* Whether a pass should write what waits before anything else. */
static gboolean
flush_due (FerrySyncManager *self)
{
  return self->flush_soon || self->finished->len >= FLUSH_BATCH;
}

static gboolean
flush_finished (FerrySyncManager *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean ok;

  /* After a failure, the next try waits for its timer. */
  if (self->flush_failed)
    return FALSE;
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->flush_soon = FALSE;
  if (self->finished->len == 0 && self->attempt_log->len == 0)
    return TRUE;

  queued = g_steal_pointer (&self->finished);
  self->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

  /* A task marked running and settled since the last flush is queued
   * twice, as the same record: one write of it says it all. */
  seen = g_hash_table_new (NULL, NULL);
  batch = g_ptr_array_new_full (queued->len, NULL);
  for (guint i = 0; i < queued->len; i++)
    {
      FerryTask *task = g_ptr_array_index (queued, i);

      if (g_hash_table_add (seen, task))
        g_ptr_array_add (batch, task);
    }

  /* The outcomes and their lines in the history, in one transaction. */
  ok = ferry_task_store_update_outcomes (self->store, batch, self->attempt_log, &error);
  if (ok)
    {
      g_array_set_size (self->attempt_log, 0);
      return TRUE;
    }

  g_warning ("Cannot record the outcome of %u attempts: %s", batch->len, error->message);
  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
    {
      /* A row that is gone cannot be written, now or later. */
      g_array_set_size (self->attempt_log, 0);
      return FALSE;
    }

  /* The in-memory outcome stands and is written at a later flush, with
   * its history lines.  Until then the rows may still say pending (a
   * running mark goes in the same batch), so nothing new is sent (see
   * take_ready()).  Should the process end first, start-up makes them
   * pending: the worst case is one more delivery carrying the same
   * Idempotency-Key. */
  for (guint i = 0; i < batch->len; i++)
    queue_finished (self, g_ptr_array_index (batch, i));
  self->flush_failed = TRUE;
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->flush_id = g_timeout_add (FLUSH_RETRY_DELAY, on_flush_timeout, self);
  return FALSE;
}

static const char *
describe_attempt (FerryAttempt *attempt,
                  const char   *reason)
{
  if (attempt->error != NULL)
    return attempt->error->message;
  return reason;
}

/* Whether the task's host may be reached now (see FerryConnectivity). */
static gboolean
task_host_allowed (FerrySyncManager *self,
                   const FerryTask  *task)
{
  g_autoptr(GUri) uri = NULL;
  gint port;

  /* Full connectivity allows every host: no need to look at the URL. */
  if (ferry_connectivity_may_send_anything (self->connectivity) &&
      ferry_connectivity_get_level (self->connectivity) == G_NETWORK_CONNECTIVITY_FULL)
    return TRUE;

  uri = g_uri_parse (task->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL)
    return FALSE;
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  return ferry_connectivity_host_allowed (self->connectivity, g_uri_get_host (uri),
                                          (guint16) port);
}

static void record_outcome (FerrySyncManager *self,
                            FerryTask        *task,
                            FerryTaskState    from,
                            FerryVerdict      verdict,
                            const char       *message);

/* Whether a task that failed in a way worth retrying has been retried for
 * long enough.  With an expiry of its own, it is retried until then (the
 * caller checks that); otherwise for the retry period after it was added
 * and, so that a change kept offline for long still gets its chance, for
 * at least as long as it takes to be called stalled (an hour; or the whole
 * period, when shorter) after it started failing. */
static gboolean
retry_period_over (FerrySyncManager *self,
                   const FerryTask  *task,
                   gint64            current)
{
  gint64 least = MIN (self->retry_period, self->stalled_after);

  if (task->expires > 0)
    return FALSE;
  return current >= task->created + self->retry_period &&
         current >= task->failing_since + least;
}

static char *
format_failing_since (const FerryTask *task)
{
  g_autoptr(GDateTime) since = g_date_time_new_from_unix_utc (task->failing_since /
                                                              G_USEC_PER_SEC);

  return since != NULL ? g_date_time_format_iso8601 (since) : g_strdup ("?");
}

/* Decides the next state of @task from one attempt.  Returns FALSE when
 * the task is in conflict and its strategy must settle it first (the
 * attempt is counted and the answer kept; the state is left running). */
static gboolean
apply_attempt (FerrySyncManager *self,
               FerryTask        *task,
               gint64            previous,
               FerryAttempt     *attempt)
{
  g_autofree char *message = NULL;
  const char *reason = NULL;
  FerryVerdict verdict;
  gint64 current = now (self);
  guint max_attempts = task->max_attempts > 0 ? task->max_attempts : self->max_attempts;
  FerryTaskState from = task->state;
  gboolean stalled = FALSE;

  verdict = ferry_classifier_classify (attempt->kind, attempt->status, &reason);

  /* A transport error while the network is gone means the request never
   * really left: that costs no attempt. */
  if (verdict == FERRY_VERDICT_RETRY && attempt->kind == FERRY_OUTCOME_NETWORK &&
      !task_host_allowed (self, task))
    verdict = FERRY_VERDICT_NOT_ATTEMPTED;

  if (verdict != FERRY_VERDICT_NOT_ATTEMPTED)
    {
      task->attempts++;
      task->last_status = attempt->kind == FERRY_OUTCOME_HTTP ? attempt->status : 0;
    }
  task->updated = current;

  if (attempt->kind == FERRY_OUTCOME_HTTP)
    message = g_strdup_printf ("HTTP %u %s", attempt->status,
                               attempt->reason != NULL ? attempt->reason : reason);
  else
    message = g_strdup (describe_attempt (attempt, reason));

  if (verdict != FERRY_VERDICT_NOT_ATTEMPTED)
    {
      FerryAttemptRecord record = { task->seq, current, task->last_status, NULL };

      if (verdict != FERRY_VERDICT_SUCCEEDED)
        record.error = g_strdup (message);
      g_array_append_val (self->attempt_log, record);
    }

  /* Expiry passed while it was being tried: nothing but success counts. */
  if (verdict != FERRY_VERDICT_SUCCEEDED && verdict != FERRY_VERDICT_NOT_ATTEMPTED &&
      task->expires > 0 && current >= task->expires)
    {
      g_free (message);
      message = g_strdup ("expired");
      verdict = FERRY_VERDICT_FAILED;
    }

  switch (verdict)
    {
    case FERRY_VERDICT_SUCCEEDED:
      task->state = FERRY_TASK_STATE_SUCCEEDED;
      task->failing_since = 0;
      set_last_error (task, NULL);
      keep_response (task, attempt);
      break;

    case FERRY_VERDICT_RETRY:
      if (task->failing_since == 0)
        task->failing_since = current;
      if (max_attempts > 0 && task->attempts >= max_attempts)
        {
          g_autofree char *spent = g_strdup_printf ("gave up after %u attempts: %s",
                                                    task->attempts, message);
          task->state = FERRY_TASK_STATE_FAILED;
          set_last_error (task, spent);
          keep_response (task, attempt);
        }
      else if (retry_period_over (self, task, current))
        {
          g_autofree char *spent = g_strdup_printf ("gave up after retrying since %s: %s",
                                                    format_failing_since (task), message);
          task->state = FERRY_TASK_STATE_FAILED;
          set_last_error (task, spent);
          keep_response (task, attempt);
        }
      else
        {
          gint64 delay = ferry_backoff_delay (&self->backoff, task->attempts,
                                              attempt->retry_after, self->rand);
          task->state = FERRY_TASK_STATE_PENDING;
          task->next_attempt = current + delay;
          set_last_error (task, message);
          stalled = previous - task->failing_since < self->stalled_after &&
                    current - task->failing_since >= self->stalled_after;
        }
      break;

    case FERRY_VERDICT_FAILED:
      task->state = FERRY_TASK_STATE_FAILED;
      set_last_error (task, message);
      keep_response (task, attempt);
      break;

    case FERRY_VERDICT_AUTH_REQUIRED:
      task->state = FERRY_TASK_STATE_AUTH_REQUIRED;
      set_last_error (task, message);
      keep_response (task, attempt);
      break;

    case FERRY_VERDICT_CONFLICT:
      set_last_error (task, message);
      keep_response (task, attempt);
      return FALSE;

    case FERRY_VERDICT_NOT_ATTEMPTED:
    default:
      task->state = FERRY_TASK_STATE_PENDING;
      break;
    }

  record_outcome (self, task, from, verdict, message);
  if (stalled)
    g_signal_emit (self, signals[TASK_STALLED], 0, task);
  return TRUE;
}

/* The bookkeeping every settled attempt shares: the row, the counters,
 * the run summary and progress, and the signals. */
static void
record_outcome (FerrySyncManager *self,
                FerryTask        *task,
                FerryTaskState    from,
                FerryVerdict      verdict,
                const char       *message)
{
  g_debug ("task %s: %s → %s (%s)", task->id, ferry_verdict_to_string (verdict),
           ferry_task_state_to_string (task->state), message);

  queue_finished (self, task);
  /* Anything but a success is written at the next pass: it is rare, and
   * a retry's next attempt time must reach the timer. */
  if (task->state != FERRY_TASK_STATE_SUCCEEDED)
    self->flush_soon = TRUE;
  /* The next task of its group may head it now: plan afresh. */
  if (task->group != NULL)
    drop_ready (self);
  count_transition (self, from, task->state);

  switch (task->state)
    {
    case FERRY_TASK_STATE_SUCCEEDED:
      self->summary.succeeded++;
      break;
    case FERRY_TASK_STATE_FAILED:
      self->summary.failed++;
      break;
    case FERRY_TASK_STATE_CONFLICT:
      self->summary.conflicts++;
      break;
    case FERRY_TASK_STATE_AUTH_REQUIRED:
      self->summary.auth_required++;
      break;
    case FERRY_TASK_STATE_PENDING:
      if (verdict == FERRY_VERDICT_RETRY)
        self->summary.retried++;
      break;
    case FERRY_TASK_STATE_RUNNING:
    case FERRY_TASK_STATE_CANCELLED:
    default:
      break;
    }

  if (task->state != FERRY_TASK_STATE_PENDING && self->in_run)
    set_progress (self, self->progress_done + 1, self->progress_total);
  update_progress (self);

  g_signal_emit (self, signals[TASK_CHANGED], 0, task);
  switch (task->state)
    {
    case FERRY_TASK_STATE_SUCCEEDED:
      g_signal_emit (self, signals[TASK_SUCCEEDED], 0, task);
      break;
    case FERRY_TASK_STATE_FAILED:
      g_signal_emit (self, signals[TASK_FAILED], 0, task);
      break;
    case FERRY_TASK_STATE_CONFLICT:
      g_signal_emit (self, signals[CONFLICT_DETECTED], 0, task);
      break;
    case FERRY_TASK_STATE_AUTH_REQUIRED:
      g_signal_emit (self, signals[AUTH_REQUIRED], 0, task);
      break;
    case FERRY_TASK_STATE_PENDING:
      if (verdict == FERRY_VERDICT_RETRY)
        g_signal_emit (self, signals[RETRY_SCHEDULED], 0, task, task->attempts,
                       task->next_attempt, message);
      break;
    case FERRY_TASK_STATE_RUNNING:
    case FERRY_TASK_STATE_CANCELLED:
    default:
      break;
    }
}

/* Conflicts -------------------------------------------------------------- */

/* Ends the settling of a conflict in @state (pending to send again,
 * succeeded with the server's copy, or conflict to ask). */
static void
finish_settling (Attempt        *data,
                 FerryTaskState  state,
                 const char     *message)
{
  FerrySyncManager *self = data->self;
  FerryTask *task = data->task;
  FerryVerdict verdict;

  g_hash_table_steal (self->running, task->id);
  if (data->cancelled_by_user)
    {
      attempt_free (data);
      schedule_pass (self);
      return;
    }

  task->state = state;
  task->updated = now (self);
  switch (state)
    {
    case FERRY_TASK_STATE_PENDING:
      task->next_attempt = task->updated;
      verdict = FERRY_VERDICT_RETRY;
      break;
    case FERRY_TASK_STATE_SUCCEEDED:
      verdict = FERRY_VERDICT_SUCCEEDED;
      break;
    case FERRY_TASK_STATE_CONFLICT:
    default:
      verdict = FERRY_VERDICT_CONFLICT;
      break;
    }
  if (message != NULL)
    set_last_error (task, message);
  else if (state == FERRY_TASK_STATE_SUCCEEDED)
    set_last_error (task, NULL);

  /* A conflict settled by sending again is not a retry after a failure. */
  record_outcome (self, task, FERRY_TASK_STATE_RUNNING,
                  verdict == FERRY_VERDICT_RETRY ? FERRY_VERDICT_NOT_ATTEMPTED : verdict,
                  message != NULL ? message : ferry_task_state_to_string (state));
  attempt_free (data);
  schedule_pass (self);
}

static const char *
find_header (char       **headers,
             const char  *name)
{
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (headers[i], name) == 0)
        return headers[i + 1];
    }
  return NULL;
}

/* Sends @body (or the local body when NULL) again, conditional on the
 * server copy's ETag, so a change made meanwhile is caught rather than
 * overwritten. */
static void
send_again_over_server_copy (Attempt    *data,
                             GBytes     *body,
                             const char *message)
{
  FerryTask *task = data->task;
  const char *etag = find_header (task->response_headers, "ETag");

  if (body != NULL)
    {
      g_clear_pointer (&task->body, g_bytes_unref);
      task->body = g_bytes_ref (body);
    }
  if (etag != NULL)
    {
      g_free (task->if_match);
      task->if_match = g_strdup (etag);
    }
  finish_settling (data, FERRY_TASK_STATE_PENDING, message);
}

typedef struct
{
  Attempt *data;          /* owned until finished */
  guint    timeout_id;
  gboolean timed_out;
} CustomCall;

static gboolean
on_resolver_timeout (gpointer user_data)
{
  CustomCall *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
resolver_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CustomCall *call = user_data;
  Attempt *data = call->data;
  FerrySyncManager *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autofree char *message = NULL;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  merged = self->resolver_finish (result, &error, self->resolver_data);
  if (merged != NULL)
    send_again_over_server_copy (data, merged, "conflict settled by the app");
  else
    {
      message = g_strdup_printf ("conflict: the app's resolver %s; a decision is needed",
                                 call->timed_out ? "did not answer in time"
                                                 : error != NULL ? error->message : "failed");
      finish_settling (data, FERRY_TASK_STATE_CONFLICT, message);
    }
  g_free (call);
}

static void
settle_custom (Attempt *data,
               GBytes  *remote)
{
  FerrySyncManager *self = data->self;
  CustomCall *call;

  if (self->resolver == NULL)
    {
      finish_settling (data, FERRY_TASK_STATE_CONFLICT,
                       "conflict: the app has no resolver registered; a decision is needed");
      return;
    }
  call = g_new0 (CustomCall, 1);
  call->data = data;
  call->timeout_id = g_timeout_add (self->resolver_timeout, on_resolver_timeout, call);
  self->resolver (data->task, data->task->base, data->task->body, remote, data->cancellable,
                  resolver_cb, call, self->resolver_data);
}

/* Applies the task's strategy (ferry_conflict_settle()) to a conflict
 * whose server copy is @remote, or was deleted there. */
static void
apply_settlement (Attempt  *data,
                  GBytes   *remote,
                  gboolean  remote_deleted)
{
  FerryTask *task = data->task;
  FerryConflictSides sides = {
    .strategy = task->conflict_strategy,
    .base = task->base,
    .local = task->body,
    .remote = remote,
    .remote_deleted = remote_deleted,
    .merge_rules = (const char * const *) task->merge_rules,
    .timestamp_pointer = task->timestamp_pointer,
  };
  g_autoptr(FerrySettlement) settlement = ferry_conflict_settle (&sides);

  switch (settlement->kind)
    {
    case FERRY_SETTLE_LOCAL:
      if (!remote_deleted)
        {
          send_again_over_server_copy (data, NULL, settlement->message);
          break;
        }
      /* Created again: there is nothing to match. */
      g_clear_pointer (&task->if_match, g_free);
      finish_settling (data, FERRY_TASK_STATE_PENDING, settlement->message);
      break;
    case FERRY_SETTLE_MERGED:
      send_again_over_server_copy (data, settlement->merged, settlement->message);
      break;
    case FERRY_SETTLE_REMOTE:
      finish_settling (data, FERRY_TASK_STATE_SUCCEEDED, NULL);
      break;
    case FERRY_SETTLE_CUSTOM:
      settle_custom (data, remote);
      break;
    case FERRY_SETTLE_ASK:
    default:
      finish_settling (data, FERRY_TASK_STATE_CONFLICT, settlement->message);
      break;
    }
}

static void
fetch_server_copy_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Attempt *data = user_data;
  FerryTask *task = data->task;
  g_autoptr(FerryAttempt) fetched = NULL;
  g_autofree char *message = NULL;
  GBytes *remote = NULL;

  fetched = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, NULL);
  if (data->cancelled_by_user)
    {
      finish_settling (data, FERRY_TASK_STATE_CANCELLED, NULL);
      return;
    }
  if (fetched != NULL && fetched->kind == FERRY_OUTCOME_CANCELLED)
    {
      /* Paused or stopped meanwhile: try the whole exchange again later. */
      finish_settling (data, FERRY_TASK_STATE_PENDING, NULL);
      return;
    }
  if (fetched != NULL && fetched->kind == FERRY_OUTCOME_HTTP &&
      fetched->status >= 200 && fetched->status < 300 && !fetched->body_cut)
    {
      /* The server's copy, with its ETag and Last-Modified, is what the
       * task keeps beside its own body and base. */
      keep_response (task, fetched);
      remote = fetched->response_body != NULL ? fetched->response_body
                                              : g_bytes_new_static ("", 0);
      if (fetched->response_body == NULL)
        fetched->response_body = remote;
    }
  else if (fetched != NULL && fetched->kind == FERRY_OUTCOME_HTTP &&
           (fetched->status == 404 || fetched->status == 410))
    {
      /* Gone: deleted on the server.  The answer is kept for its status
       * and headers; its body is an error page, not a document. */
      keep_response (task, fetched);
      g_clear_pointer (&task->response_body, g_bytes_unref);
      apply_settlement (data, NULL, TRUE);
      return;
    }
  else
    {
      /* Nothing is known of the server's copy: the conflict answer's own
       * body must not pose as it. */
      task->response_status = 0;
      g_clear_pointer (&task->response_headers, g_strfreev);
      g_clear_pointer (&task->response_body, g_bytes_unref);
    }

  if (remote == NULL && task->conflict_strategy != FERRY_CONFLICT_ASK &&
      task->conflict_strategy != FERRY_CONFLICT_CLIENT_WINS)
    {
      message = g_strdup_printf ("conflict: cannot fetch the server's copy (%s); "
                                 "a decision is needed",
                                 fetched == NULL ? "no answer"
                                 : fetched->body_cut ? "it is larger than 16 MiB"
                                 : fetched->kind == FERRY_OUTCOME_HTTP
                                   ? "its answer was not 2xx"
                                   : fetched->error != NULL ? fetched->error->message
                                                            : "no answer");
      finish_settling (data, FERRY_TASK_STATE_CONFLICT, message);
      return;
    }

  apply_settlement (data, remote, FALSE);
}

/* A 409/412 answer: fetch the server's current copy (GET of the task's
 * conflict URL, or of its URL, with its headers), then apply the task's
 * strategy. */
static void
settle_conflict (Attempt *data)
{
  FerrySyncManager *self = data->self;
  FerryTask *task = data->task;
  g_autoptr(FerryHttpRequest) request = NULL;

  request = ferry_http_request_new (SOUP_METHOD_GET,
                                    task->conflict_url != NULL ? task->conflict_url : task->url);
  /* The task's own headers (credentials included) but none that make the
   * GET conditional or describe the local body. */
  for (guint i = 0; task->headers != NULL && task->headers[i] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (task->headers[i], "If-Match") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "If-None-Match") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "If-Unmodified-Since") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "Content-Type") == 0)
        continue;
      ferry_http_request_add_header (request, task->headers[i], task->headers[i + 1]);
    }
  request->secret_headers = g_strdupv (task->secret_headers);
  /* The whole copy, as large as a task's own body may be: a merge or a
   * comparison over part of a document would be wrong. */
  request->max_response_body = FERRY_TASK_MAX_BODY_SIZE;

  ferry_executor_request_async (self->executor, request, data->cancellable,
                                fetch_server_copy_cb, data);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *data = user_data;
  FerrySyncManager *self = data->self;
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;

  attempt = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, &error);
  g_hash_table_steal (self->running, data->task->id);

  if (data->cancelled_by_user)
    {
      /* ferry_sync_manager_cancel() already recorded the cancellation. */
      attempt_free (data);
      schedule_pass (self);
      return;
    }

  if (attempt == NULL)
    {
      attempt = g_new0 (FerryAttempt, 1);
      attempt->kind = ferry_classifier_kind_from_error (error);
      attempt->retry_after = -1;
      attempt->error = g_steal_pointer (&error);
    }

  if (!apply_attempt (self, data->task, data->previous_update, attempt))
    {
      /* Still running while the strategy settles the conflict. */
      g_hash_table_insert (self->running, data->task->id, data);
      settle_conflict (data);
      return;
    }
  attempt_free (data);
  schedule_next_task (self);
}

/* Passes ------------------------------------------------------------------- */

static gboolean
accept_task (const FerryTask *task,
             gpointer         user_data)
{
  FerrySyncManager *self = user_data;
  gboolean metered = ferry_connectivity_get_metered (self->connectivity);

  if (g_hash_table_contains (self->running, task->id))
    return FALSE;
  if (ferry_connectivity_get_power_saver (self->connectivity) &&
      task->priority < FERRY_PRIORITY_HIGH)
    return FALSE;
  if (metered && (task->unmetered_only || !self->sync_on_metered))
    return FALSE;
  return task_host_allowed (self, task);
}

static void
expire_due (FerrySyncManager *self,
            gint64            current)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  gboolean any = FALSE;

  if (!ferry_task_store_has_expired (self->store, current, &any, &error))
    {
      g_warning ("Cannot expire tasks: %s", error->message);
      return;
    }
  if (!any)
    return;

  /* A task running or settled since the last flush still reads pending:
   * it must not be taken for one that waited too long. */
  if (!flush_finished (self))
    return;
  expired = ferry_task_store_expire (self->store, current, &error);
  if (expired == NULL)
    {
      g_warning ("Cannot expire tasks: %s", error->message);
      return;
    }
  if (expired->len > 0)
    drop_ready (self);
  for (guint i = 0; i < expired->len; i++)
    {
      FerryTask *task = g_ptr_array_index (expired, i);

      count_transition (self, FERRY_TASK_STATE_PENDING, FERRY_TASK_STATE_FAILED);
      if (self->in_run)
        {
          self->summary.failed++;
          set_progress (self, self->progress_done + 1, self->progress_total);
        }
      g_signal_emit (self, signals[TASK_CHANGED], 0, task);
      g_signal_emit (self, signals[TASK_FAILED], 0, task);
    }
}

static void
prune_history (FerrySyncManager *self)
{
  g_autoptr(GError) error = NULL;
  guint pruned = 0;
  gint64 current = now (self);

  self->last_prune = current;
  if (!ferry_task_store_prune (self->store, current - self->history_retention, &pruned, &error))
    {
      g_warning ("Cannot prune the history: %s", error->message);
      return;
    }
  if (pruned > 0)
    {
      g_debug ("pruned %u finished tasks", pruned);
      /* The counts are read back from the rows: write them first. */
      if (flush_finished (self) && !reload_counts (self, &error))
        g_warning ("Cannot count tasks: %s", error->message);
    }
}

static void
dispatch (FerrySyncManager *self,
          FerryTask        *task,
          gint64            previous_update)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->self = g_object_ref (self);
  attempt->previous_update = previous_update;
  attempt->task = ferry_task_ref (task);
  attempt->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->running, task->id, attempt);
  ferry_executor_send_async (self->executor, task, attempt->cancellable, send_cb, attempt);
}

static void
drop_ready (FerrySyncManager *self)
{
  g_queue_clear_full (self->ready, (GDestroyNotify) ferry_task_unref);
}

/* Up to @slots tasks to run now, in run order, with their payload: from
 * the ready list, refilled first when it runs short. */
static GPtrArray *
take_ready (FerrySyncManager  *self,
            gint64             current,
            guint              slots,
            GError           **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

  if (self->ready->length < slots)
    {
      g_autoptr(GPtrArray) found = NULL;

      drop_ready (self);
      /* The query must see every outcome and running mark: while they
       * cannot be written, nothing more is sent. */
      if (!flush_finished (self))
        return g_steal_pointer (&batch);
      found = ferry_task_store_next_eligible_light (self->store, current, slots + READY_AHEAD,
                                                    accept_task, self, error);
      if (found == NULL)
        return NULL;
      /* The queue takes the references over, in run order. */
      g_ptr_array_set_free_func (found, NULL);
      for (guint i = 0; i < found->len; i++)
        g_queue_push_tail (self->ready, g_ptr_array_index (found, i));
    }

  while (batch->len < slots && !g_queue_is_empty (self->ready))
    {
      g_autoptr(FerryTask) task = g_queue_pop_head (self->ready);

      if (!ferry_task_store_load_payload (self->store, task, error))
        return NULL;
      g_ptr_array_add (batch, g_steal_pointer (&task));
    }
  return g_steal_pointer (&batch);
}

static void
run_pass (FerrySyncManager *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  gint64 current;
  guint limit;
  guint slots;

  if (!self->started || flush_due (self))
    flush_finished (self);
  if (!self->started)
    return;

  /* One time for the whole pass, so that what it does not find due now
   * the timer finds (see arm_wakeup_timer()). */
  current = now (self);
  /* The time the timer waits for has come, and this pass runs first: what
   * became due may have to go before the ready list. */
  if (self->wakeup_at != 0 && current >= self->wakeup_at)
    drop_ready (self);
  expire_due (self, current);
  if (current - self->last_prune >= PRUNE_EVERY)
    prune_history (self);

  limit = effective_concurrency (self);
  slots = limit > g_hash_table_size (self->running) ? limit - g_hash_table_size (self->running) : 0;

  if (!self->paused && slots > 0 && ferry_connectivity_may_send_anything (self->connectivity))
    {
      batch = take_ready (self, current, slots, &error);
      if (batch == NULL)
        {
          g_warning ("Cannot pick the next tasks: %s", error->message);
          drop_ready (self);
        }
    }

  if (batch != NULL && batch->len > 0)
    {
      gint64 *previous = g_newa (gint64, batch->len);

      start_run (self);
      for (guint i = 0; i < batch->len; i++)
        {
          FerryTask *task = g_ptr_array_index (batch, i);

          previous[i] = task->updated;
          task->state = FERRY_TASK_STATE_RUNNING;
          task->updated = current;
        }
      /* "Running" reaches the database with the next batch of outcomes
       * (or before anyone reads a task), not in a transaction of its own:
       * until then the row says pending, which is exactly what start-up
       * would turn a running row back into after a crash.  The in-flight
       * set keeps the scheduler from picking the task again. */
      for (guint i = 0; i < batch->len; i++)
        {
          FerryTask *task = g_ptr_array_index (batch, i);

          queue_finished (self, task);
          count_transition (self, FERRY_TASK_STATE_PENDING, FERRY_TASK_STATE_RUNNING);
          g_signal_emit (self, signals[TASK_CHANGED], 0, task);
          dispatch (self, task, previous[i]);
        }
    }

  /* A run that ends leaves nothing unwritten behind it. */
  if (g_hash_table_size (self->running) == 0)
    {
      flush_finished (self);
      finish_run (self);
    }

  update_progress (self);
  update_state (self);
  arm_wakeup_timer (self, current);
}

static gboolean
on_pass_idle (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->pass_id = 0;
  run_pass (self);
  return G_SOURCE_REMOVE;
}

/* A pass after a finished attempt: the ready list still holds. */
static void
schedule_next_task (FerrySyncManager *self)
{
  if (self->pass_id == 0)
    self->pass_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_pass_idle, self, NULL);
}

/* A pass after anything else: what is eligible, or its order, may have
 * changed. */
static void
schedule_pass (FerrySyncManager *self)
{
  drop_ready (self);
  schedule_next_task (self);
}

static gboolean
on_debounce_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->debounce_id = 0;
  schedule_pass (self);
  return G_SOURCE_REMOVE;
}

/* A burst of enqueues starts one run, shortly after the burst. */
static void
schedule_debounced_pass (FerrySyncManager *self)
{
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (self->enqueue_debounce, on_debounce_timeout, self);
}

static gboolean
on_interval_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  g_debug ("auto-sync interval");
  self->interval_next = now (self) + (gint64) self->auto_sync_interval * G_USEC_PER_SEC;
  schedule_pass (self);
  return G_SOURCE_CONTINUE;
}

static void
arm_interval_timer (FerrySyncManager *self)
{
  g_clear_handle_id (&self->interval_id, g_source_remove);
  self->interval_next = 0;
  if (self->started && self->auto_sync_interval > 0)
    {
      self->interval_id = g_timeout_add_seconds (self->auto_sync_interval,
                                                 on_interval_timeout, self);
      self->interval_next = now (self) + (gint64) self->auto_sync_interval * G_USEC_PER_SEC;
    }
}

/* Tasks waiting out a backoff after failures that may well have been the
 * network's, or that the person wants tried now, are made due at once. */
static void
wake_waiting_tasks (FerrySyncManager *self,
                    const char       *why)
{
  g_autoptr(GError) error = NULL;
  guint woken = 0;

  /* A retry waiting to be written would keep its old time otherwise. */
  flush_finished (self);
  if (!ferry_task_store_make_due (self->store, now (self), &woken, &error))
    g_warning ("Cannot make waiting tasks due: %s", error->message);
  else if (woken > 0)
    g_debug ("%s: %u waiting tasks are due now", why, woken);
  schedule_pass (self);
}

static void
on_connectivity_changed (FerryConnectivity *connectivity,
                         FerrySyncManager  *self)
{
  gboolean online = ferry_connectivity_get_online (connectivity);

  update_state (self);
  if (online && !self->was_online && self->started)
    wake_waiting_tasks (self, "back online");
  else
    schedule_pass (self);
  self->was_online = online;
}

static void
on_connectivity_resumed (FerryConnectivity *connectivity,
                         FerrySyncManager  *self)
{
  if (self->started)
    wake_waiting_tasks (self, "resumed from sleep");
}

static void
on_connectivity_notify (FerryConnectivity *connectivity,
                        GParamSpec        *pspec,
                        FerrySyncManager  *self)
{
  if (g_str_equal (pspec->name, "online"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  else if (g_str_equal (pspec->name, "metered"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERED]);
  /* Which tasks may go (metered, power saver) may have changed. */
  drop_ready (self);
  update_state (self);
}

static void
on_clock_changed (FerryClock       *clock,
                  FerrySyncManager *self)
{
  schedule_pass (self);
}

static void
cancel_running (FerrySyncManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((Attempt *) value)->cancellable);
}

/* Enqueue ------------------------------------------------------------------ */

static void
prepare_for_enqueue (FerrySyncManager *self,
                     FerryTask        *task)
{
  gint64 current = now (self);

  task->state = FERRY_TASK_STATE_PENDING;
  task->attempts = 0;
  task->created = current;
  task->updated = current;
  task->next_attempt = current;
  task->failing_since = 0;
  g_clear_pointer (&task->last_error, g_free);
  task->last_status = 0;
}

static void
announce_enqueued (FerrySyncManager    *self,
                   FerryTask           *task,
                   FerryEnqueueOutcome  outcome)
{
  switch (outcome)
    {
    case FERRY_ENQUEUE_ADDED:
      count_added (self, FERRY_TASK_STATE_PENDING);
      update_progress (self);
      g_signal_emit (self, signals[TASK_ADDED], 0, task);
      break;
    case FERRY_ENQUEUE_REPLACED:
      g_signal_emit (self, signals[TASK_CHANGED], 0, task);
      break;
    case FERRY_ENQUEUE_KEPT:
    default:
      break;
    }
}

static gboolean
on_enqueue_idle (gpointer user_data)
{
  FerrySyncManager *self = user_data;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree FerryEnqueueOutcome *outcomes = NULL;
  g_autoptr(GError) error = NULL;

  self->enqueue_id = 0;
  requests = g_steal_pointer (&self->enqueue_queue);
  self->enqueue_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) enqueue_request_free);

  tasks = g_ptr_array_new_full (requests->len, NULL);
  for (guint i = 0; i < requests->len; i++)
    {
      EnqueueRequest *request = g_ptr_array_index (requests, i);

      if (g_task_return_error_if_cancelled (request->gtask))
        continue;
      prepare_for_enqueue (self, request->task);
      g_ptr_array_add (tasks, request->task);
    }
  if (tasks->len == 0)
    return G_SOURCE_REMOVE;

  /* A named task replaces or keeps a pending task of that name only:
   * one that runs must read "running" first. */
  flush_finished (self);

  /* The group commit: one transaction, one sync to disk, for every call
   * that arrived since the last one. */
  outcomes = g_new0 (FerryEnqueueOutcome, tasks->len);
  if (!ferry_task_store_enqueue (self->store, tasks, outcomes, &error))
    {
      for (guint i = 0; i < requests->len; i++)
        {
          EnqueueRequest *request = g_ptr_array_index (requests, i);

          if (!g_task_had_error (request->gtask))
            g_task_return_error (request->gtask, g_error_copy (error));
        }
      return G_SOURCE_REMOVE;
    }

  /* New tasks may go first, and a replaced one has a new request. */
  drop_ready (self);
  for (guint i = 0, j = 0; i < requests->len; i++)
    {
      EnqueueRequest *request = g_ptr_array_index (requests, i);

      if (g_task_had_error (request->gtask))
        continue;
      announce_enqueued (self, request->task, outcomes[j++]);
      g_task_return_pointer (request->gtask, ferry_task_ref (request->task),
                             (GDestroyNotify) ferry_task_unref);
    }

  update_state (self);
  schedule_debounced_pass (self);
  return G_SOURCE_REMOVE;
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

  g_signal_connect_object (self->connectivity, "changed",
                           G_CALLBACK (on_connectivity_changed), self, 0);
  g_signal_connect_object (self->connectivity, "resumed",
                           G_CALLBACK (on_connectivity_resumed), self, 0);
  g_signal_connect_object (self->connectivity, "notify",
                           G_CALLBACK (on_connectivity_notify), self, 0);
  g_signal_connect_object (self->clock, "changed",
                           G_CALLBACK (on_clock_changed), self, 0);
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
  g_clear_pointer (&self->finished, g_ptr_array_unref);
  g_clear_pointer (&self->attempt_log, g_array_unref);
  if (self->ready != NULL)
    g_queue_free_full (self->ready, (GDestroyNotify) ferry_task_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);

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
      g_value_set_uint (value, pending_count (self));
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
        schedule_pass (self);
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
        arm_interval_timer (self);
      break;
    case PROP_HISTORY_RETENTION:
      SET_IF_CHANGED (history_retention, g_value_get_int64 (value));
      if (changed && self->started)
        prune_history (self);
      break;
    case PROP_SYNC_ON_METERED:
      SET_IF_CHANGED (sync_on_metered, g_value_get_boolean (value));
      if (changed)
        schedule_pass (self);
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
        schedule_pass (self);
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

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FERRY_TYPE_TASK_STORE, construct);
  properties[PROP_EXECUTOR] =
    g_param_spec_object ("executor", NULL, NULL, FERRY_TYPE_EXECUTOR, construct);
  properties[PROP_CONNECTIVITY] =
    g_param_spec_object ("connectivity", NULL, NULL, FERRY_TYPE_CONNECTIVITY, construct);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, FERRY_TYPE_CLOCK, construct);

  properties[PROP_MAX_CONCURRENCY] =
    g_param_spec_uint ("max-concurrency", NULL, NULL, 1, 64, DEFAULT_MAX_CONCURRENCY, setting);
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 0, 1000, FERRY_BACKOFF_DEFAULT_ATTEMPTS,
                       setting);
  properties[PROP_RETRY_PERIOD] =
    g_param_spec_int64 ("retry-period", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_RETRY_PERIOD, setting);
  properties[PROP_STALLED_AFTER] =
    g_param_spec_int64 ("stalled-after", NULL, NULL, 1, G_MAXINT64,
                        FERRY_BACKOFF_STALLED_AFTER, setting);
  properties[PROP_BACKOFF_INITIAL] =
    g_param_spec_int64 ("backoff-initial", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_INITIAL, setting);
  properties[PROP_BACKOFF_MULTIPLIER] =
    g_param_spec_double ("backoff-multiplier", NULL, NULL, 1.0, 100.0,
                         FERRY_BACKOFF_DEFAULT_MULTIPLIER, setting);
  properties[PROP_BACKOFF_MAX] =
    g_param_spec_int64 ("backoff-max", NULL, NULL, 0, G_MAXINT64,
                        FERRY_BACKOFF_DEFAULT_MAX, setting);
  properties[PROP_AUTO_SYNC_INTERVAL] =
    g_param_spec_uint ("auto-sync-interval", NULL, NULL, 0, 7 * 24 * 3600,
                       DEFAULT_AUTO_SYNC_INTERVAL, setting);
  properties[PROP_HISTORY_RETENTION] =
    g_param_spec_int64 ("history-retention", NULL, NULL, 0, G_MAXINT64,
                        DEFAULT_HISTORY_RETENTION, setting);
  properties[PROP_SYNC_ON_METERED] =
    g_param_spec_boolean ("sync-on-metered", NULL, NULL, TRUE, setting);
  properties[PROP_ENQUEUE_DEBOUNCE] =
    g_param_spec_uint ("enqueue-debounce", NULL, NULL, 0, 60000,
                       DEFAULT_ENQUEUE_DEBOUNCE, setting);

  properties[PROP_RESOLVER_TIMEOUT] =
    g_param_spec_uint ("resolver-timeout", NULL, NULL, 1, 600000, 10000, setting);
  properties[PROP_RESERVED_SLOTS] =
    g_param_spec_uint ("reserved-slots", NULL, NULL, 0, G_MAXUINT, 0, setting);

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, FERRY_SYNC_STATE_ATTENTION,
                       FERRY_SYNC_STATE_IDLE, readable);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, readable);
  properties[PROP_METERED] = g_param_spec_boolean ("metered", NULL, NULL, FALSE, readable);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, readable);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_FAILED_COUNT] =
    g_param_spec_uint ("failed-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_AUTH_COUNT] =
    g_param_spec_uint ("auth-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_PROGRESS_DONE] =
    g_param_spec_uint ("progress-done", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_uint ("progress-total", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_LAST_SYNC_TIME] =
    g_param_spec_int64 ("last-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);
  properties[PROP_NEXT_SYNC_TIME] =
    g_param_spec_int64 ("next-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TASK_ADDED] =
    g_signal_new ("task-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[TASK_CHANGED] =
    g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[TASK_SUCCEEDED] =
    g_signal_new ("task-succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[TASK_FAILED] =
    g_signal_new ("task-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[RETRY_SCHEDULED] =
    g_signal_new ("retry-scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  FERRY_TYPE_TASK, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_STRING);
  signals[TASK_STALLED] =
    g_signal_new ("task-stalled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[CONFLICT_DETECTED] =
    g_signal_new ("conflict-detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK);
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_RUN_SUMMARY);
}

static void
ferry_sync_manager_init (FerrySyncManager *self)
{
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) attempt_free);
  self->enqueue_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) enqueue_request_free);
  self->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
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
  if (!reload_counts (self, error))
    return FALSE;
  /* The last sync of an earlier run of the agent, from the history. */
  if (!ferry_task_store_last_delivery (self->store, now (self), &self->last_sync_time, error))
    return FALSE;

  self->started = TRUE;
  self->was_online = ferry_connectivity_get_online (self->connectivity);
  prune_history (self);
  arm_interval_timer (self);
  update_state (self);
  schedule_pass (self);
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
  cancel_running (self);
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  g_clear_handle_id (&self->pass_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (self->enqueue_id != 0)
    {
      g_clear_handle_id (&self->enqueue_id, g_source_remove);
      on_enqueue_idle (self);
    }
  drop_ready (self);
  /* A last try, even right after a failure. */
  self->flush_failed = FALSE;
  if (self->store != NULL)
    flush_finished (self);
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
 * ferry_sync_manager_enqueue_async:
 * @self: a manager
 * @task: the task to store; its owner, request and policy fields are used,
 *   the rest is filled in
 * @cancellable: (nullable): a cancellable
 * @callback: called once the task is durable
 * @user_data: closure
 *
 * Validates and stores @task.  Calls that arrive in the same main loop
 * iteration share one transaction.
 */
void
ferry_sync_manager_enqueue_async (FerrySyncManager    *self,
                                  FerryTask           *task,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) gtask = NULL;
  g_autoptr(GError) error = NULL;
  EnqueueRequest *request;

  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));
  g_return_if_fail (task != NULL);

  gtask = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, ferry_sync_manager_enqueue_async);

  if (!ferry_task_validate (task, &error))
    {
      g_task_return_error (gtask, g_steal_pointer (&error));
      return;
    }

  request = g_new0 (EnqueueRequest, 1);
  request->task = ferry_task_copy (task);
  request->gtask = g_steal_pointer (&gtask);
  g_ptr_array_add (self->enqueue_queue, request);

  /* Low priority: every call already waiting in this iteration (D-Bus
   * messages, other idles) gets into the same transaction. */
  if (self->enqueue_id == 0)
    self->enqueue_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_enqueue_idle, self, NULL);
}

/**
 * ferry_sync_manager_enqueue_finish:
 * @self: a manager
 * @result: the result
 * @error: return location for %FERRY_ERROR_INVALID_ARGUMENT (naming the
 *   field), %FERRY_ERROR_STORAGE_FULL or %FERRY_ERROR_STORE
 *
 * Returns: (transfer full): the stored task, with its id; for a unique name
 *   that replaced or kept a pending task, that task's id
 */
FerryTask *
ferry_sync_manager_enqueue_finish (FerrySyncManager  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_sync_manager_enqueue:
 * @self: a manager
 * @task: the task to store
 * @error: return location for an error
 *
 * Stores @task in a transaction of its own: durable when it returns.
 *
 * Returns: (transfer full): the stored task, or %NULL on error
 */
FerryTask *
ferry_sync_manager_enqueue (FerrySyncManager  *self,
                            FerryTask         *task,
                            GError           **error)
{
  g_autoptr(FerryTask) copy = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  FerryEnqueueOutcome outcome = FERRY_ENQUEUE_ADDED;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), NULL);
  g_return_val_if_fail (task != NULL, NULL);

  if (!ferry_task_validate (task, error))
    return NULL;

  copy = ferry_task_copy (task);
  prepare_for_enqueue (self, copy);
  batch = g_ptr_array_new ();
  g_ptr_array_add (batch, copy);
  /* As in the group commit (see on_enqueue_idle()). */
  flush_finished (self);
  if (!ferry_task_store_enqueue (self->store, batch, &outcome, error))
    return NULL;

  drop_ready (self);
  announce_enqueued (self, copy, outcome);
  update_state (self);
  schedule_debounced_pass (self);
  return g_steal_pointer (&copy);
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

  flush_finished (self);
  return ferry_task_store_dup_task (self->store, id, error);
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

  flush_finished (self);
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

  flush_finished (self);
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

  flush_finished (self);
  return ferry_task_store_count (self->store, filter, out_count, error);
}

/* Applies a change made by a person or an app to one stored task. */
static gboolean
store_one (FerrySyncManager  *self,
           FerryTask         *task,
           FerryTaskState     from,
           GError           **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();

  g_ptr_array_add (batch, task);
  if (!ferry_task_store_update (self->store, batch, error))
    return FALSE;
  drop_ready (self);

  count_transition (self, from, task->state);
  g_signal_emit (self, signals[TASK_CHANGED], 0, task);
  update_progress (self);
  update_state (self);
  return TRUE;
}

static FerryTask *
dup_task_in_states (FerrySyncManager  *self,
                    const char        *id,
                    guint              allowed,
                    const char        *verb,
                    GError           **error)
{
  g_autoptr(FerryTask) task = NULL;

  flush_finished (self);
  task = ferry_task_store_dup_task (self->store, id, error);
  if (task == NULL)
    return NULL;
  if ((FERRY_STATE_BIT (task->state) & allowed) == 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT,
                   "Cannot %s task %s: it is %s", verb, id,
                   ferry_task_state_to_string (task->state));
      return NULL;
    }
  return g_steal_pointer (&task);
}

/**
 * ferry_sync_manager_cancel:
 * @self: a manager
 * @id: a task id
 * @error: return location for %FERRY_ERROR_NOT_FOUND or, when the task is
 *   already finished, %FERRY_ERROR_CONFLICT
 *
 * Cancels a task that has not been delivered; an attempt in flight is
 * stopped.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_cancel (FerrySyncManager  *self,
                           const char        *id,
                           GError           **error)
{
  g_autoptr(FerryTask) task = NULL;
  FerryTaskState from;
  Attempt *attempt;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  task = dup_task_in_states (self, id,
                             FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING) |
                             FERRY_STATE_BIT (FERRY_TASK_STATE_RUNNING) |
                             FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |
                             FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT) |
                             FERRY_STATE_BIT (FERRY_TASK_STATE_AUTH_REQUIRED),
                             "cancel", error);
  if (task == NULL)
    return FALSE;

  attempt = g_hash_table_lookup (self->running, id);
  if (attempt != NULL)
    {
      attempt->cancelled_by_user = TRUE;
      g_cancellable_cancel (attempt->cancellable);
    }

  from = task->state;
  task->state = FERRY_TASK_STATE_CANCELLED;
  task->updated = now (self);
  set_last_error (task, "cancelled");
  if (!store_one (self, task, from, error))
    return FALSE;
  if (self->in_run && from != FERRY_TASK_STATE_FAILED && from != FERRY_TASK_STATE_CONFLICT &&
      from != FERRY_TASK_STATE_AUTH_REQUIRED)
    set_progress (self, self->progress_done + 1, self->progress_total);
  /* A cancelled head no longer holds its group. */
  schedule_pass (self);
  return TRUE;
}

static void
make_pending_now (FerrySyncManager *self,
                  FerryTask        *task)
{
  task->state = FERRY_TASK_STATE_PENDING;
  task->attempts = 0;
  task->failing_since = 0;
  task->next_attempt = now (self);
  task->updated = task->next_attempt;
  set_last_error (task, NULL);
}

#define RETRYABLE_STATES (FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |        \
                          FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT) |      \
                          FERRY_STATE_BIT (FERRY_TASK_STATE_AUTH_REQUIRED))

/**
 * ferry_sync_manager_retry:
 * @self: a manager
 * @id: a task id
 * @error: return location for an error
 *
 * A failed, conflicted or auth-held task goes back to pending with its
 * attempts reset; a pending one is made due now.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_retry (FerrySyncManager  *self,
                          const char        *id,
                          GError           **error)
{
  g_autoptr(FerryTask) task = NULL;
  FerryTaskState from;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  task = dup_task_in_states (self, id,
                             RETRYABLE_STATES | FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING),
                             "retry", error);
  if (task == NULL)
    return FALSE;

  from = task->state;
  make_pending_now (self, task);
  if (!store_one (self, task, from, error))
    return FALSE;
  schedule_pass (self);
  return TRUE;
}

/**
 * ferry_sync_manager_retry_all:
 * @self: a manager
 * @filter: (nullable): which tasks; only failed, conflicted and auth-held
 *   ones among them are retried
 * @out_count: (out) (optional): how many were retried
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_retry_all (FerrySyncManager       *self,
                              const FerryTaskFilter  *filter,
                              guint                  *out_count,
                              GError                **error)
{
  FerryTaskFilter page_filter = { 0 };
  guint count = 0;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  if (filter != NULL)
    page_filter = *filter;
  page_filter.states = (page_filter.states != 0 ? page_filter.states : RETRYABLE_STATES) &
                       RETRYABLE_STATES;
  page_filter.newest_first = FALSE;

  flush_finished (self);
  while (page_filter.states != 0)
    {
      g_autoptr(GPtrArray) page = NULL;

      /* Each retried task leaves the filter, so the first page is always
       * the next one; memory stays one page whatever the count. */
      page = ferry_task_store_list (self->store, &page_filter, 0, 200, error);
      if (page == NULL)
        return FALSE;
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          FerryTask *task = g_ptr_array_index (page, i);
          FerryTaskState from = task->state;

          make_pending_now (self, task);
          if (!store_one (self, task, from, error))
            return FALSE;
          count++;
        }
    }

  if (out_count != NULL)
    *out_count = count;
  if (count > 0)
    schedule_pass (self);
  return TRUE;
}

/**
 * ferry_sync_manager_resolve:
 * @self: a manager
 * @id: a task in conflict
 * @choice: local, remote or body
 * @body: (nullable): with %FERRY_RESOLVE_BODY, what to send instead
 * @error: return location for an error
 *
 * Settles a conflict: %FERRY_RESOLVE_LOCAL sends the local change again
 * (conditional on the server copy's ETag when the task sends If-Match);
 * %FERRY_RESOLVE_REMOTE drops it and ends the task as succeeded with the
 * server's copy as its response; %FERRY_RESOLVE_BODY sends @body instead.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_resolve (FerrySyncManager    *self,
                            const char          *id,
                            FerryResolveChoice   choice,
                            GBytes              *body,
                            GError             **error)
{
  g_autoptr(FerryTask) task = NULL;
  FerryTaskState from;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if ((guint) choice > FERRY_RESOLVE_BODY)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "choice: %d is not local, remote or body", choice);
      return FALSE;
    }
  if (choice == FERRY_RESOLVE_BODY && body == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: required when the choice is body");
      return FALSE;
    }
  if (body != NULL && g_bytes_get_size (body) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: over the limit of %d bytes", FERRY_TASK_MAX_BODY_SIZE);
      return FALSE;
    }

  task = dup_task_in_states (self, id, FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT),
                             "resolve", error);
  if (task == NULL)
    return FALSE;

  from = task->state;
  switch (choice)
    {
    case FERRY_RESOLVE_REMOTE:
      task->state = FERRY_TASK_STATE_SUCCEEDED;
      task->updated = now (self);
      set_last_error (task, NULL);
      break;

    case FERRY_RESOLVE_BODY:
      g_clear_pointer (&task->body, g_bytes_unref);
      task->body = g_bytes_ref (body);
      G_GNUC_FALLTHROUGH;
    case FERRY_RESOLVE_LOCAL:
    default:
      {
        const char *etag = NULL;

        /* Deleted on the server: keeping mine creates it again, with no
         * copy to be conditional on. */
        if (ferry_task_get_server_copy (task) == FERRY_SERVER_COPY_DELETED)
          {
            g_clear_pointer (&task->if_match, g_free);
            make_pending_now (self, task);
            break;
          }

        /* Send again over the server's version: conditional on the copy
         * the conflict answer named, so a change made meanwhile is caught
         * again rather than overwritten. */
        for (guint i = 0; task->response_headers != NULL && task->response_headers[i] != NULL;
             i += 2)
          {
            if (g_ascii_strcasecmp (task->response_headers[i], "ETag") == 0)
              etag = task->response_headers[i + 1];
          }
        if (task->if_match != NULL && etag != NULL)
          {
            g_free (task->if_match);
            task->if_match = g_strdup (etag);
          }
        make_pending_now (self, task);
      }
      break;
    }

  if (!store_one (self, task, from, error))
    return FALSE;
  if (task->state == FERRY_TASK_STATE_SUCCEEDED)
    g_signal_emit (self, signals[TASK_SUCCEEDED], 0, task);
  schedule_pass (self);
  return TRUE;
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
  g_return_if_fail ((resolve == NULL) == (finish == NULL));

  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);
  self->resolver = resolve;
  self->resolver_finish = finish;
  self->resolver_data = user_data;
  self->resolver_destroy = destroy;
}

/**
 * ferry_sync_manager_sync_now:
 * @self: a manager
 *
 * Starts a run at once, as the person asked: tasks waiting for their next
 * attempt are tried now too.
 */
void
ferry_sync_manager_sync_now (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->started)
    wake_waiting_tasks (self, "sync now");
}

/**
 * ferry_sync_manager_pause:
 * @self: a manager
 *
 * Stops sending until ferry_sync_manager_resume().  Attempts in flight are
 * stopped; they cost nothing and their tasks stay pending.
 */
void
ferry_sync_manager_pause (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  if (self->paused)
    return;

  self->paused = TRUE;
  cancel_running (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  update_state (self);
  /* Nothing is sent next while paused: the pass says so. */
  schedule_pass (self);
}

/**
 * ferry_sync_manager_resume:
 * @self: a manager
 */
void
ferry_sync_manager_resume (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  if (!self->paused)
    return;

  self->paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  update_state (self);
  schedule_pass (self);
}

FerrySyncState
ferry_sync_manager_get_state (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FERRY_SYNC_STATE_IDLE);

  return self->state;
}

gboolean
ferry_sync_manager_get_online (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return ferry_connectivity_get_online (self->connectivity);
}

gboolean
ferry_sync_manager_get_metered (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return ferry_connectivity_get_metered (self->connectivity);
}

gboolean
ferry_sync_manager_get_paused (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return self->paused;
}

/**
 * ferry_sync_manager_get_pending_count:
 * @self: a manager
 *
 * Returns: tasks not yet delivered and not waiting for the person
 *   (pending and running)
 */
guint
ferry_sync_manager_get_pending_count (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return pending_count (self);
}

guint
ferry_sync_manager_get_failed_count (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return self->counts[FERRY_TASK_STATE_FAILED];
}

guint
ferry_sync_manager_get_conflict_count (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return self->counts[FERRY_TASK_STATE_CONFLICT];
}

guint
ferry_sync_manager_get_auth_count (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return self->counts[FERRY_TASK_STATE_AUTH_REQUIRED];
}

/**
 * ferry_sync_manager_get_running_count:
 * @self: a manager
 *
 * Returns: how many attempts are in flight, each holding one of the
 *   "max-concurrency" slots
 */
guint
ferry_sync_manager_get_running_count (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return g_hash_table_size (self->running);
}

/**
 * ferry_sync_manager_get_progress:
 * @self: a manager
 * @out_done: (out) (optional): tasks settled in the current run
 * @out_total: (out) (optional): tasks in the current run; never shrinks
 *   during a run
 */
void
ferry_sync_manager_get_progress (FerrySyncManager *self,
                                 guint            *out_done,
                                 guint            *out_total)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  if (out_done != NULL)
    *out_done = self->progress_done;
  if (out_total != NULL)
    *out_total = self->progress_total;
}

gint64
ferry_sync_manager_get_last_sync_time (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return self->last_sync_time;
}

gint64
ferry_sync_manager_get_next_sync_time (FerrySyncManager *self)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), 0);

  return self->next_sync_time;
}
