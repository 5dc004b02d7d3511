/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-actions"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

/* Applies a change made by a person or an app to one stored task. */
gboolean
ferry_outbox_store_one (FerrySyncManager  *self,
                        FerryTask         *task,
                        FerryTaskState     from,
                        GError           **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();

  g_ptr_array_add (batch, task);
  if (!ferry_task_store_update (self->store, batch, error))
    return FALSE;
  ferry_outbox_drop_ready (self);

  ferry_outbox_count_transition (self, from, task->state);
  g_signal_emit (self, ferry_outbox_signals[TASK_CHANGED], 0, task);
  ferry_outbox_update_progress (self);
  ferry_outbox_update_state (self);
  return TRUE;
}

/* The task @id, when its state is one of @allowed, read with its payload
 * or, when changing its state is all that is asked, without. */
FerryTask *
ferry_outbox_dup_task_in_states (FerrySyncManager  *self,
                                 const char        *id,
                                 guint              allowed,
                                 gboolean           with_payload,
                                 const char        *verb,
                                 GError           **error)
{
  g_autoptr(FerryTask) task = NULL;

  ferry_outbox_flush_unwritten (self);
  if (with_payload)
    task = ferry_task_store_dup_task (self->store, id, error);
  else
    task = ferry_task_store_dup_task_light (self->store, id, error);
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

/* The states a task can be cancelled in: any but delivered or cancelled
 * already. */
#define CANCELLABLE_STATES (FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING) |          \
                            FERRY_STATE_BIT (FERRY_TASK_STATE_RUNNING) |          \
                            FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |           \
                            FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT) |         \
                            FERRY_STATE_BIT (FERRY_TASK_STATE_AUTH_REQUIRED))

/* Cancels @task, read in one of CANCELLABLE_STATES: an attempt in flight
 * is stopped, and it counts as done in the run's progress when the run
 * had it to do. */
static gboolean
cancel_task (FerrySyncManager  *self,
             FerryTask         *task,
             GError           **error)
{
  Attempt *attempt = g_hash_table_lookup (self->running, task->id);
  FerryTaskState from = task->state;

  if (attempt != NULL)
    {
      attempt->cancelled_by_user = TRUE;
      g_cancellable_cancel (attempt->cancellable);
    }

  task->state = FERRY_TASK_STATE_CANCELLED;
  task->updated = ferry_outbox_now (self);
  ferry_outbox_set_last_error (task, "cancelled");
  if (!ferry_outbox_store_one (self, task, from, error))
    return FALSE;
  if (self->in_run && from != FERRY_TASK_STATE_FAILED && from != FERRY_TASK_STATE_CONFLICT &&
      from != FERRY_TASK_STATE_AUTH_REQUIRED)
    ferry_outbox_set_progress (self, self->progress_done + 1, self->progress_total);
  return TRUE;
}

typedef gboolean (*TaskAction) (FerrySyncManager  *self,
                                FerryTask         *task,
                                GError           **error);

/* Applies @action to every task that matches @filter and is in one of
 * @allowed (all of them when the filter names no state), a page at a
 * time: memory stays one page whatever the count. */
static gboolean
act_on_matching (FerrySyncManager       *self,
                 const FerryTaskFilter  *filter,
                 guint                   allowed,
                 TaskAction              action,
                 guint                  *out_count,
                 GError                **error)
{
  FerryTaskFilter page_filter = { 0 };
  guint count = 0;

  if (filter != NULL)
    page_filter = *filter;
  page_filter.states = (page_filter.states != 0 ? page_filter.states : allowed) & allowed;
  page_filter.newest_first = FALSE;

  ferry_outbox_flush_unwritten (self);
  while (page_filter.states != 0)
    {
      g_autoptr(GPtrArray) page = NULL;

      /* Each task acted on leaves the filter, so the first page is always
       * the next one. */
      page = ferry_task_store_list (self->store, &page_filter, 0, 200, error);
      if (page == NULL)
        return FALSE;
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        {
          if (!action (self, g_ptr_array_index (page, i), error))
            return FALSE;
          count++;
        }
    }

  if (out_count != NULL)
    *out_count = count;
  if (count > 0)
    ferry_outbox_schedule_pass (self);
  return TRUE;
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

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  task = ferry_outbox_dup_task_in_states (self, id, CANCELLABLE_STATES, FALSE, "cancel", error);
  if (task == NULL || !cancel_task (self, task, error))
    return FALSE;
  /* A cancelled head no longer holds its group. */
  ferry_outbox_schedule_pass (self);
  return TRUE;
}

/**
 * ferry_sync_manager_cancel_all:
 * @self: a manager
 * @filter: (nullable): which tasks; only those not delivered or cancelled
 *   already are cancelled
 * @out_count: (out) (optional): how many were cancelled
 * @error: return location for an error
 *
 * Cancels every matching task, as ferry_sync_manager_cancel() does one, a
 * page at a time: memory stays one page whatever the count.
 *
 * Returns: %TRUE on success; on failure the tasks cancelled before it stay
 *   cancelled, and *@out_count is not set
 */
gboolean
ferry_sync_manager_cancel_all (FerrySyncManager       *self,
                               const FerryTaskFilter  *filter,
                               guint                  *out_count,
                               GError                **error)
{
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return act_on_matching (self, filter, CANCELLABLE_STATES, cancel_task, out_count, error);
}

void
ferry_outbox_make_pending_now (FerrySyncManager *self,
                               FerryTask        *task)
{
  task->state = FERRY_TASK_STATE_PENDING;
  task->attempts = 0;
  task->failing_since = 0;
  task->next_attempt = ferry_outbox_now (self);
  task->updated = task->next_attempt;
  ferry_outbox_set_last_error (task, NULL);
}

#define RETRYABLE_STATES (FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |        \
                          FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT) |      \
                          FERRY_STATE_BIT (FERRY_TASK_STATE_AUTH_REQUIRED))

/* Back to pending, due now, its attempts reset; stored at once. */
static gboolean
retry_task (FerrySyncManager  *self,
            FerryTask         *task,
            GError           **error)
{
  FerryTaskState from = task->state;

  ferry_outbox_make_pending_now (self, task);
  return ferry_outbox_store_one (self, task, from, error);
}

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
  guint allowed;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  allowed = RETRYABLE_STATES | FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING);
  task = ferry_outbox_dup_task_in_states (self, id, allowed, FALSE, "retry", error);
  if (task == NULL)
    return FALSE;

  if (!retry_task (self, task, error))
    return FALSE;
  ferry_outbox_schedule_pass (self);
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
  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);

  return act_on_matching (self, filter, RETRYABLE_STATES, retry_task, out_count, error);
}
