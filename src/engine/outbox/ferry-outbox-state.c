/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-state"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

gint64
ferry_outbox_now (FerrySyncManager *self)
{
  return ferry_clock_get_now (self->clock);
}

guint
ferry_outbox_effective_concurrency (FerrySyncManager *self)
{
  /* Power saver: only what is urgent, and one at a time. */
  guint limit = ferry_connectivity_get_power_saver (self->connectivity)
                ? 1 : MAX (self->max_concurrency, 1);

  /* The limit is for the whole engine: collections' runs hold slots too. */
  return limit > self->reserved_slots ? limit - self->reserved_slots : 0;
}

/* State and counters ---------------------------------------------------- */

guint
ferry_outbox_pending_count (FerrySyncManager *self)
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

void
ferry_outbox_update_state (FerrySyncManager *self)
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
      g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_STATE]);
    }
}

void
ferry_outbox_set_progress (FerrySyncManager *self,
                           guint             done,
                           guint             total)
{
  if (done != self->progress_done)
    {
      self->progress_done = done;
      g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_PROGRESS_DONE]);
    }
  if (total != self->progress_total)
    {
      self->progress_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_PROGRESS_TOTAL]);
    }
}

/* Within a run, done and total only grow: total is everything delivered so
 * far plus everything still waiting, and never shrinks below what it was. */
void
ferry_outbox_update_progress (FerrySyncManager *self)
{
  guint total;

  if (!self->in_run)
    return;

  total = MAX (self->progress_total, self->progress_done + ferry_outbox_pending_count (self));
  ferry_outbox_set_progress (self, self->progress_done, total);
}

static void
notify_counts (FerrySyncManager *self,
               const guint       before[FERRY_N_TASK_STATES])
{
  guint pending_before = before[FERRY_TASK_STATE_PENDING] + before[FERRY_TASK_STATE_RUNNING];

  if (pending_before != ferry_outbox_pending_count (self))
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_PENDING_COUNT]);
  if (before[FERRY_TASK_STATE_FAILED] != self->counts[FERRY_TASK_STATE_FAILED])
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_FAILED_COUNT]);
  if (before[FERRY_TASK_STATE_CONFLICT] != self->counts[FERRY_TASK_STATE_CONFLICT])
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_CONFLICT_COUNT]);
  if (before[FERRY_TASK_STATE_AUTH_REQUIRED] != self->counts[FERRY_TASK_STATE_AUTH_REQUIRED])
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_AUTH_COUNT]);
}

/* Moves one task between two counters and tells who listens. */
void
ferry_outbox_count_transition (FerrySyncManager *self,
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

void
ferry_outbox_count_added (FerrySyncManager *self,
                          FerryTaskState    state)
{
  guint before[FERRY_N_TASK_STATES];

  memcpy (before, self->counts, sizeof before);
  self->counts[state]++;
  notify_counts (self, before);
}

gboolean
ferry_outbox_reload_counts (FerrySyncManager  *self,
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

void
ferry_outbox_start_run (FerrySyncManager *self)
{
  if (self->in_run)
    return;

  self->in_run = TRUE;
  memset (&self->summary, 0, sizeof self->summary);
  self->summary.started = ferry_outbox_now (self);
  ferry_outbox_set_progress (self, 0, ferry_outbox_pending_count (self));
  ferry_outbox_update_state (self);
  g_debug ("run started: %u waiting", ferry_outbox_pending_count (self));
  g_signal_emit (self, ferry_outbox_signals[RUN_STARTED], 0);
}

void
ferry_outbox_finish_run (FerrySyncManager *self)
{
  FerryRunSummary summary;

  if (!self->in_run)
    return;

  self->in_run = FALSE;
  self->summary.finished = ferry_outbox_now (self);
  summary = self->summary;
  /* The last sync is the last time changes reached their server: a run
   * whose every attempt failed is not one. */
  if (summary.succeeded > 0)
    {
      self->last_sync_time = summary.finished;
      g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_LAST_SYNC_TIME]);
    }
  ferry_outbox_update_state (self);
  g_debug ("run finished: %u succeeded, %u failed, %u retried, %u conflicts",
           summary.succeeded, summary.failed, summary.retried, summary.conflicts);
  g_signal_emit (self, ferry_outbox_signals[RUN_FINISHED], 0, &summary);
}

void
ferry_outbox_set_next_sync_time (FerrySyncManager *self,
                                 gint64            when)
{
  if (self->next_sync_time != when)
    {
      self->next_sync_time = when;
      g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_NEXT_SYNC_TIME]);
    }
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

  return ferry_outbox_pending_count (self);
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
