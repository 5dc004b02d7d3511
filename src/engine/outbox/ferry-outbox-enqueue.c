/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-enqueue"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

void
ferry_outbox_enqueue_request_free (EnqueueRequest *request)
{
  g_clear_pointer (&request->task, ferry_task_unref);
  g_clear_object (&request->gtask);
  g_free (request);
}

/* Enqueue ------------------------------------------------------------------ */

static void
prepare_for_enqueue (FerrySyncManager *self,
                     FerryTask        *task)
{
  gint64 current = ferry_outbox_now (self);

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
      ferry_outbox_count_added (self, FERRY_TASK_STATE_PENDING);
      ferry_outbox_update_progress (self);
      g_signal_emit (self, ferry_outbox_signals[TASK_ADDED], 0, task);
      break;
    case FERRY_ENQUEUE_REPLACED:
      g_signal_emit (self, ferry_outbox_signals[TASK_CHANGED], 0, task);
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
  self->enqueue_queue =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_outbox_enqueue_request_free);

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
  ferry_outbox_flush_unwritten (self);

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
  ferry_outbox_drop_ready (self);
  for (guint i = 0, j = 0; i < requests->len; i++)
    {
      EnqueueRequest *request = g_ptr_array_index (requests, i);

      if (g_task_had_error (request->gtask))
        continue;
      announce_enqueued (self, request->task, outcomes[j++]);
      g_task_return_pointer (request->gtask, ferry_task_ref (request->task),
                             (GDestroyNotify) ferry_task_unref);
    }

  ferry_outbox_update_state (self);
  ferry_outbox_schedule_debounced_pass (self);
  return G_SOURCE_REMOVE;
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
  ferry_outbox_flush_unwritten (self);
  if (!ferry_task_store_enqueue (self->store, batch, &outcome, error))
    return NULL;

  ferry_outbox_drop_ready (self);
  announce_enqueued (self, copy, outcome);
  ferry_outbox_update_state (self);
  ferry_outbox_schedule_debounced_pass (self);
  return g_steal_pointer (&copy);
}

/**
 * ferry_outbox_commit_enqueued:
 * @self: a manager
 *
 * Commits at once the enqueue calls waiting for their group commit, as
 * when the manager stops.
 */
void
ferry_outbox_commit_enqueued (FerrySyncManager *self)
{
  if (self->enqueue_id == 0)
    return;
  g_clear_handle_id (&self->enqueue_id, g_source_remove);
  on_enqueue_idle (self);
}
