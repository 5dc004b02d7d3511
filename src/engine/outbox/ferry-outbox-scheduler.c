/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-scheduler"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

#define PRUNE_EVERY                 G_TIME_SPAN_HOUR
#define READY_AHEAD                 32   /* heads looked up beyond the free slots */

/* Timers ------------------------------------------------------------------- */

static gboolean
on_wakeup_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->wakeup_id = 0;
  self->wakeup_at = 0;
  ferry_outbox_schedule_pass (self);
  return G_SOURCE_REMOVE;
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
  ferry_outbox_set_next_sync_time (self, due != G_MAXINT64 && !self->paused &&
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
  delay_ms = (next - ferry_outbox_now (self) + 999) / 1000;
  delay_ms = CLAMP (delay_ms, 0, G_MAXUINT);
  self->wakeup_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) delay_ms,
                                        on_wakeup_timeout, self, NULL);
}

/* Whether the task's host may be reached ferry_outbox_now (see FerryConnectivity). */
gboolean
ferry_outbox_task_host_allowed (FerrySyncManager *self,
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
  return ferry_outbox_task_host_allowed (self, task);
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
  if (!ferry_outbox_flush_unwritten (self))
    return;
  expired = ferry_task_store_expire (self->store, current, &error);
  if (expired == NULL)
    {
      g_warning ("Cannot expire tasks: %s", error->message);
      return;
    }
  if (expired->len > 0)
    ferry_outbox_drop_ready (self);
  for (guint i = 0; i < expired->len; i++)
    {
      FerryTask *task = g_ptr_array_index (expired, i);

      ferry_outbox_count_transition (self, FERRY_TASK_STATE_PENDING, FERRY_TASK_STATE_FAILED);
      if (self->in_run)
        {
          self->summary.failed++;
          ferry_outbox_set_progress (self, self->progress_done + 1, self->progress_total);
        }
      g_signal_emit (self, ferry_outbox_signals[TASK_CHANGED], 0, task);
      g_signal_emit (self, ferry_outbox_signals[TASK_FAILED], 0, task);
    }
}

void
ferry_outbox_prune_history (FerrySyncManager *self)
{
  g_autoptr(GError) error = NULL;
  guint pruned = 0;
  gint64 current = ferry_outbox_now (self);

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
      if (ferry_outbox_flush_unwritten (self) && !ferry_outbox_reload_counts (self, &error))
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
  ferry_executor_send_async (self->executor, task, attempt->cancellable, ferry_outbox_send_cb,
                             attempt);
}

void
ferry_outbox_drop_ready (FerrySyncManager *self)
{
  g_queue_clear_full (self->ready, (GDestroyNotify) ferry_task_unref);
}

/* Up to @slots tasks to run now, in run order, with their payload: from
 * the ready list, refilled first when it runs short. */
GPtrArray *
ferry_outbox_take_ready (FerrySyncManager  *self,
                         gint64             current,
                         guint              slots,
                         GError           **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

  if (self->ready->length < slots)
    {
      g_autoptr(GPtrArray) found = NULL;

      ferry_outbox_drop_ready (self);
      /* The query must see every outcome and running mark: while they
       * cannot be written, nothing more is sent. */
      if (!ferry_outbox_flush_unwritten (self))
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

  if (!self->started || ferry_outbox_flush_due (self))
    ferry_outbox_flush_unwritten (self);
  if (!self->started)
    return;

  /* One time for the whole pass, so that what it does not find due now
   * the timer finds (see arm_wakeup_timer()). */
  current = ferry_outbox_now (self);
  /* The time the timer waits for has come, and this pass runs first: what
   * became due may have to go before the ready list. */
  if (self->wakeup_at != 0 && current >= self->wakeup_at)
    ferry_outbox_drop_ready (self);
  expire_due (self, current);
  if (current - self->last_prune >= PRUNE_EVERY)
    ferry_outbox_prune_history (self);

  limit = ferry_outbox_effective_concurrency (self);
  slots = limit > g_hash_table_size (self->running) ? limit - g_hash_table_size (self->running) : 0;

  if (!self->paused && slots > 0 && ferry_connectivity_may_send_anything (self->connectivity))
    {
      batch = ferry_outbox_take_ready (self, current, slots, &error);
      if (batch == NULL)
        {
          g_warning ("Cannot pick the next tasks: %s", error->message);
          ferry_outbox_drop_ready (self);
        }
    }

  if (batch != NULL && batch->len > 0)
    {
      gint64 *previous = g_newa (gint64, batch->len);

      ferry_outbox_start_run (self);
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

          ferry_outbox_queue_unwritten (self, task);
          ferry_outbox_count_transition (self, FERRY_TASK_STATE_PENDING, FERRY_TASK_STATE_RUNNING);
          g_signal_emit (self, ferry_outbox_signals[TASK_CHANGED], 0, task);
          dispatch (self, task, previous[i]);
        }
    }

  /* A run that ends leaves nothing unwritten behind it. */
  if (g_hash_table_size (self->running) == 0)
    {
      ferry_outbox_flush_unwritten (self);
      ferry_outbox_finish_run (self);
    }

  ferry_outbox_update_progress (self);
  ferry_outbox_update_state (self);
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
void
ferry_outbox_schedule_next_task (FerrySyncManager *self)
{
  if (self->pass_id == 0)
    self->pass_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_pass_idle, self, NULL);
}

/* A pass after anything else: what is eligible, or its order, may have
 * changed. */
void
ferry_outbox_schedule_pass (FerrySyncManager *self)
{
  ferry_outbox_drop_ready (self);
  ferry_outbox_schedule_next_task (self);
}

void
ferry_outbox_cancel_running (FerrySyncManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((Attempt *) value)->cancellable);
}
