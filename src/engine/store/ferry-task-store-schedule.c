/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store-schedule"

#include "config.h"

#include "ferry-error.h"
#include "ferry-task-store-private.h"

static GPtrArray *
find_eligible (FerryTaskStore       *self,
               gint64                now,
               guint                 limit,
               FerryTaskAcceptFunc   accept,
               gpointer              user_data,
               gboolean              with_payload,
               GError              **error)
{
  g_autoptr(CachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) eligible = NULL;

  eligible = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  if (limit == 0)
    return g_steal_pointer (&eligible);

  stmt = ferry_store_borrow_stmt (self, STMT_NEXT_ELIGIBLE);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
  while (eligible->len < limit)
    {
      g_autoptr(FerryTask) candidate = NULL;
      gboolean has_row;

      if (!ferry_store_step (self, stmt, &has_row, "finding tasks to run", error))
        return NULL;
      if (!has_row)
        break;
      candidate = ferry_store_read_light_row (stmt);
      if (accept != NULL && !accept (candidate, user_data))
        continue;
      if (with_payload && !ferry_store_load_payload (self, candidate, error))
        return NULL;
      g_ptr_array_add (eligible, g_steal_pointer (&candidate));
    }
  return g_steal_pointer (&eligible);
}

/**
 * ferry_task_store_next_eligible:
 * @self: a store
 * @now: the current time (microseconds since the epoch)
 * @limit: at most this many tasks; 0 gives an empty array
 * @accept: (nullable) (scope call): says whether a candidate may run now
 * @user_data: closure for @accept
 * @error: return location for an error
 *
 * Finds the tasks to run next: pending tasks that are due (next attempt
 * and not-before passed, not expired) and head their group (no earlier
 * task of the group is pending, running, failed, in conflict or waiting
 * for credentials), higher priority first, then in enqueue order.
 *
 * The queue is walked through an index in that order and the walk stops
 * as soon as @limit candidates were accepted.  @accept sees each candidate
 * without its body, base and response body (those are read only for the
 * accepted ones), and must not call back into the store.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   in run order, or %NULL with %FERRY_ERROR_STORE
 */
GPtrArray *
ferry_task_store_next_eligible (FerryTaskStore       *self,
                                gint64                now,
                                guint                 limit,
                                FerryTaskAcceptFunc   accept,
                                gpointer              user_data,
                                GError              **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return find_eligible (self, now, limit, accept, user_data, TRUE, error);
}

/**
 * ferry_task_store_next_eligible_light:
 * @self: a store
 * @now: the current time (microseconds since the epoch)
 * @limit: at most this many tasks; 0 gives an empty array
 * @accept: (nullable) (scope call): says whether a candidate may run now
 * @user_data: closure for @accept
 * @error: return location for an error
 *
 * As ferry_task_store_next_eligible(), without reading any body, base or
 * response body: the tasks come without them (see
 * ferry_task_store_load_payload()), so a scheduler can look further ahead
 * than it sends at once without holding up to @limit bodies in memory.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   in run order, or %NULL with %FERRY_ERROR_STORE
 */
GPtrArray *
ferry_task_store_next_eligible_light (FerryTaskStore       *self,
                                      gint64                now,
                                      guint                 limit,
                                      FerryTaskAcceptFunc   accept,
                                      gpointer              user_data,
                                      GError              **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return find_eligible (self, now, limit, accept, user_data, FALSE, error);
}

/**
 * ferry_task_store_next_wakeup:
 * @self: a store
 * @now: the current time
 * @out_due: (out) (optional): the earliest time after @now at which a
 *   pending task that heads its group becomes due, %G_MAXINT64 when none
 * @error: return location for an error
 *
 * The earliest time after @now at which something changes without
 * anyone acting: a pending task that heads its group becomes due, or a
 * pending task expires.
 *
 * Returns: that time, %G_MAXINT64 when there is none, or 0 with
 *   %FERRY_ERROR_STORE
 */
gint64
ferry_task_store_next_wakeup (FerryTaskStore  *self,
                              gint64           now,
                              gint64          *out_due,
                              GError         **error)
{
  gint64 due;
  gint64 expiry;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!ferry_store_query_next_time (self, STMT_NEXT_DUE, now, &due, error) ||
      !ferry_store_query_next_time (self, STMT_NEXT_EXPIRY, now, &expiry, error))
    return 0;
  if (out_due != NULL)
    *out_due = due;
  return MIN (due, expiry);
}

static gboolean
has_expired (FerryTaskStore  *self,
             gint64           now,
             gboolean        *out_any,
             GError         **error)
{
  g_autoptr(CachedStmt) probe = ferry_store_borrow_stmt (self, STMT_ANY_EXPIRED);

  sqlite3_bind_int64 (probe, sqlite3_bind_parameter_index (probe, ":now"), now);
  return ferry_store_step (self, probe, out_any, "looking for expired tasks", error);
}

/**
 * ferry_task_store_has_expired:
 * @self: a store
 * @now: the current time
 * @out_any: (out): whether ferry_task_store_expire() would expire a task
 * @error: return location for an error
 *
 * Tells, with one read, whether a pending task's expiry has passed.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_has_expired (FerryTaskStore  *self,
                              gint64           now,
                              gboolean        *out_any,
                              GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (out_any != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return has_expired (self, now, out_any, error);
}

/**
 * ferry_task_store_last_delivery:
 * @self: a store
 * @now: the current time
 * @out_time: (out): when the newest delivered task still in the history
 *   was delivered, or 0 when there is none
 * @error: return location for an error
 *
 * Returns: %TRUE, or %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_last_delivery (FerryTaskStore  *self,
                                gint64           now,
                                gint64          *out_time,
                                GError         **error)
{
  gint64 when;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (out_time != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ferry_store_query_next_time (self, STMT_LAST_DELIVERY, now, &when, error))
    return FALSE;
  *out_time = when == G_MAXINT64 ? 0 : when;
  return TRUE;
}

/**
 * ferry_task_store_expire:
 * @self: a store
 * @now: the current time
 * @error: return location for an error
 *
 * Fails every pending task whose expiry is set and not after @now, with
 * the last error "expired" and @now as update time.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   that expired, as now stored, or %NULL with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
GPtrArray *
ferry_task_store_expire (FerryTaskStore  *self,
                         gint64           now,
                         GError         **error)
{
  g_auto(Transaction) txn = { NULL };
  g_autoptr(GPtrArray) expired = NULL;
  gboolean any;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  expired = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  if (!has_expired (self, now, &any, error))
    return NULL;
  if (!any)
    return g_steal_pointer (&expired);

  if (!ferry_store_begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, "expiring tasks", error))
    return NULL;
  {
    g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_EXPIRE);

    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
    for (;;)
      {
        gboolean has_row;

        if (!ferry_store_step (self, stmt, &has_row, "expiring tasks", error))
          return NULL;
        if (!has_row)
          break;
        g_ptr_array_add (expired, ferry_store_read_light_row (stmt));
      }
  }

  if (!ferry_store_commit_transaction (&txn, "expiring tasks", error))
    return NULL;
  return g_steal_pointer (&expired);
}

/**
 * ferry_task_store_recover_running:
 * @self: a store
 * @out_count: (out) (optional): how many tasks were recovered
 * @error: return location for an error
 *
 * Puts tasks left running (by a crash: nothing runs before the manager
 * starts) back to pending.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
gboolean
ferry_task_store_recover_running (FerryTaskStore  *self,
                                  guint           *out_count,
                                  GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ferry_store_run_write (self, STMT_RECOVER_RUNNING, NULL, 0, out_count,
                                "recovering running tasks", error);
}

/**
 * ferry_task_store_make_due:
 * @self: a store
 * @now: the current time
 * @out_count: (out) (optional): how many tasks were waiting for a retry
 * @error: return location for an error
 *
 * Makes every pending task that waits for its next attempt due at @now (a
 * task's not-before time still holds).  Used when the person asks to sync
 * now, and when the network or the machine comes back.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_task_store_make_due (FerryTaskStore  *self,
                           gint64           now,
                           guint           *out_count,
                           GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ferry_store_run_write (self, STMT_MAKE_DUE, ":now", now, out_count, "making tasks due",
                                error);
}

/**
 * ferry_task_store_prune:
 * @self: a store
 * @before: delete finished tasks last updated before this time
 * @out_count: (out) (optional): how many tasks were deleted
 * @error: return location for an error
 *
 * Deletes succeeded and cancelled tasks whose last update is older than
 * @before.  Tasks in any other state are never deleted.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
gboolean
ferry_task_store_prune (FerryTaskStore  *self,
                        gint64           before,
                        guint           *out_count,
                        GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ferry_store_run_write (self, STMT_PRUNE, ":before", before, out_count, "pruning tasks",
                                error);
}
