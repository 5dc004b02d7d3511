/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-outcomes"

#include "config.h"

#include "ferry-classifier.h"
#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

#define FLUSH_BATCH                 64   /* writes waiting that make a pass flush */
#define FLUSH_DELAY                 250  /* ms an outcome may wait at most */
#define FLUSH_RETRY_DELAY           5000 /* ms before writing again after a failure */

void
ferry_outbox_attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->self);
  g_clear_pointer (&attempt->task, ferry_task_unref);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

/* Attempts ----------------------------------------------------------------- */

void
ferry_outbox_set_last_error (FerryTask  *task,
                             const char *message)
{
  g_free (task->last_error);
  task->last_error = g_strdup (message);
}

void
ferry_outbox_keep_response (FerryTask    *task,
                            FerryAttempt *attempt)
{
  task->response_status = attempt->status;
  g_strfreev (task->response_headers);
  task->response_headers = g_strdupv (attempt->response_headers);
  g_clear_pointer (&task->response_body, g_bytes_unref);
  if (attempt->response_body != NULL)
    task->response_body = g_bytes_ref (attempt->response_body);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->flush_id = 0;
  if (self->flush_failed)
    {
      /* Sending stopped while outcomes could not be written. */
      self->flush_failed = FALSE;
      if (ferry_outbox_flush_unwritten (self))
        ferry_outbox_schedule_pass (self);
      return G_SOURCE_REMOVE;
    }
  ferry_outbox_flush_unwritten (self);
  return G_SOURCE_REMOVE;
}

/* Queues @task's row for the next flush, which writes only what running
 * a task changes (see ferry_task_store_update_outcomes()): changes to
 * anything else go through ferry_outbox_store_one(). */
void
ferry_outbox_queue_unwritten (FerrySyncManager *self,
                FerryTask        *task)
{
  g_ptr_array_add (self->unwritten, ferry_task_ref (task));
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_DELAY, on_flush_timeout, self);
}

/* Whether a pass should write what waits before anything else. */
gboolean
ferry_outbox_flush_due (FerrySyncManager *self)
{
  return self->flush_soon || self->unwritten->len >= FLUSH_BATCH;
}

gboolean
ferry_outbox_flush_unwritten (FerrySyncManager *self)
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
  if (self->unwritten->len == 0 && self->attempt_log->len == 0)
    return TRUE;

  queued = g_steal_pointer (&self->unwritten);
  self->unwritten = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

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
   * ferry_outbox_take_ready()).  Should the process end first, start-up makes them
   * pending: the worst case is one more delivery carrying the same
   * Idempotency-Key. */
  for (guint i = 0; i < batch->len; i++)
    ferry_outbox_queue_unwritten (self, g_ptr_array_index (batch, i));
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

/* What beyond the server's answer decides the verdict (see
 * ferry_classifier_decide()). */
static FerryAttemptFacts
gather_facts (FerrySyncManager *self,
              FerryTask        *task,
              FerryAttempt     *attempt,
              gint64            current)
{
  guint max_attempts = task->max_attempts > 0 ? task->max_attempts : self->max_attempts;
  FerryAttemptFacts facts = { 0, };
  gint64 failing_since = task->failing_since;

  /* Retry-period arithmetic counts this failure when it is the first. */
  task->failing_since = failing_since != 0 ? failing_since : current;
  facts.period_over = retry_period_over (self, task, current);
  task->failing_since = failing_since;

  facts.offline = attempt->kind == FERRY_OUTCOME_NETWORK &&
                  !ferry_outbox_task_host_allowed (self, task);
  facts.expired = task->expires > 0 && current >= task->expires;
  facts.attempts_spent = max_attempts > 0 && task->attempts + 1 >= max_attempts;
  return facts;
}

/* The words of a failure the task's situation decided. */
static char *
describe_give_up (FerryGiveUp      give_up,
                  const FerryTask *task,
                  const char      *message)
{
  g_autofree char *since = NULL;

  switch (give_up)
    {
    case FERRY_GIVE_UP_EXPIRED:
      return g_strdup ("expired");
    case FERRY_GIVE_UP_ATTEMPTS:
      return g_strdup_printf ("gave up after %u attempts: %s", task->attempts, message);
    case FERRY_GIVE_UP_PERIOD:
      since = format_failing_since (task);
      return g_strdup_printf ("gave up after retrying since %s: %s", since, message);
    case FERRY_GIVE_UP_NONE:
    default:
      return g_strdup (message);
    }
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
  gint64 current = ferry_outbox_now (self);
  FerryAttemptFacts facts = gather_facts (self, task, attempt, current);
  FerryTaskState from = task->state;
  FerryGiveUp give_up;
  FerryVerdict verdict;
  gboolean stalled = FALSE;

  verdict = ferry_classifier_decide (attempt->kind, attempt->status, &facts, &reason, &give_up);

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

  /* A task given up on after retries was failing since its first. */
  if ((verdict == FERRY_VERDICT_RETRY || give_up == FERRY_GIVE_UP_ATTEMPTS ||
       give_up == FERRY_GIVE_UP_PERIOD) && task->failing_since == 0)
    task->failing_since = current;
  if (give_up != FERRY_GIVE_UP_NONE)
    {
      char *words = describe_give_up (give_up, task, message);

      g_free (message);
      message = words;
    }

  switch (verdict)
    {
    case FERRY_VERDICT_SUCCEEDED:
      task->state = FERRY_TASK_STATE_SUCCEEDED;
      task->failing_since = 0;
      ferry_outbox_set_last_error (task, NULL);
      ferry_outbox_keep_response (task, attempt);
      break;

    case FERRY_VERDICT_RETRY:
      task->state = FERRY_TASK_STATE_PENDING;
      task->next_attempt = current + ferry_backoff_delay (&self->backoff, task->attempts,
                                                          attempt->retry_after, self->rand);
      ferry_outbox_set_last_error (task, message);
      stalled = previous - task->failing_since < self->stalled_after &&
                current - task->failing_since >= self->stalled_after;
      break;

    case FERRY_VERDICT_FAILED:
      task->state = FERRY_TASK_STATE_FAILED;
      ferry_outbox_set_last_error (task, message);
      ferry_outbox_keep_response (task, attempt);
      break;

    case FERRY_VERDICT_AUTH_REQUIRED:
      task->state = FERRY_TASK_STATE_AUTH_REQUIRED;
      ferry_outbox_set_last_error (task, message);
      ferry_outbox_keep_response (task, attempt);
      break;

    case FERRY_VERDICT_CONFLICT:
      ferry_outbox_set_last_error (task, message);
      ferry_outbox_keep_response (task, attempt);
      return FALSE;

    case FERRY_VERDICT_NOT_ATTEMPTED:
    default:
      task->state = FERRY_TASK_STATE_PENDING;
      break;
    }

  ferry_outbox_record_outcome (self, task, from, verdict, message);
  if (stalled)
    g_signal_emit (self, ferry_outbox_signals[TASK_STALLED], 0, task);
  return TRUE;
}

/* The bookkeeping every settled attempt shares: the row, the counters,
 * the run summary and progress, and the signals. */
void
ferry_outbox_record_outcome (FerrySyncManager *self,
                             FerryTask        *task,
                             FerryTaskState    from,
                             FerryVerdict      verdict,
                             const char       *message)
{
  g_debug ("task %s: %s → %s (%s)", task->id, ferry_verdict_to_string (verdict),
           ferry_task_state_to_string (task->state), message);

  ferry_outbox_queue_unwritten (self, task);
  /* Anything but a success is written at the next pass: it is rare, and
   * a retry's next attempt time must reach the timer. */
  if (task->state != FERRY_TASK_STATE_SUCCEEDED)
    self->flush_soon = TRUE;
  /* The next task of its group may head it now: plan afresh. */
  if (task->group != NULL)
    ferry_outbox_drop_ready (self);
  ferry_outbox_count_transition (self, from, task->state);

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
    ferry_outbox_set_progress (self, self->progress_done + 1, self->progress_total);
  ferry_outbox_update_progress (self);

  g_signal_emit (self, ferry_outbox_signals[TASK_CHANGED], 0, task);
  switch (task->state)
    {
    case FERRY_TASK_STATE_SUCCEEDED:
      g_signal_emit (self, ferry_outbox_signals[TASK_SUCCEEDED], 0, task);
      break;
    case FERRY_TASK_STATE_FAILED:
      g_signal_emit (self, ferry_outbox_signals[TASK_FAILED], 0, task);
      break;
    case FERRY_TASK_STATE_CONFLICT:
      g_signal_emit (self, ferry_outbox_signals[CONFLICT_DETECTED], 0, task);
      break;
    case FERRY_TASK_STATE_AUTH_REQUIRED:
      g_signal_emit (self, ferry_outbox_signals[AUTH_REQUIRED], 0, task);
      break;
    case FERRY_TASK_STATE_PENDING:
      if (verdict == FERRY_VERDICT_RETRY)
        g_signal_emit (self, ferry_outbox_signals[RETRY_SCHEDULED], 0, task, task->attempts,
                       task->next_attempt, message);
      break;
    case FERRY_TASK_STATE_RUNNING:
    case FERRY_TASK_STATE_CANCELLED:
    default:
      break;
    }
}

void
ferry_outbox_send_cb (GObject      *object,
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
      ferry_outbox_attempt_free (data);
      ferry_outbox_schedule_pass (self);
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
      ferry_outbox_settle_conflict (data);
      return;
    }
  ferry_outbox_attempt_free (data);
  ferry_outbox_schedule_next_task (self);
}
