/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-control"

#include "config.h"

#include "ferry-resolver.h"
#include "ferry-client-private.h"

/*
 * Calling the agent: every method call is a GTask whose data is a
 * FerryClientCall; ferry_client_call_agent() runs it, first starting the
 * agent by D-Bus activation when it is not running and the client may
 * start it.  Also the calls that steer the agent as a whole: start-agent,
 * sync-now, pause and resume.
 */

static void
call_free (FerryClientCall *data)
{
  g_free (data->id);
  g_free (data->choice);
  g_clear_pointer (&data->args, g_variant_unref);
  g_clear_object (&data->resolver);
  g_free (data);
}

/* Errors from the bus carry the D-Bus error name in their message; the
 * domain and code already say it, so drop it from what people read. */
void
ferry_client_return_dbus_error (GTask  *task,
                                GError *error)
{
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);
  g_task_return_error (task, error);
}

/* A start-agent call waiting for the proxy to see the agent's name. */
typedef struct
{
  GTask   *task;
  GSource *cancel_source;
} StartWaiter;

static void
start_waiter_finish (StartWaiter *waiter,
                     GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);
    }
  g_free (waiter);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ferry_client_complete_start_waiters (FerryClient *self)
{
  StartWaiter *waiter;

  while ((waiter = g_queue_pop_head (&self->start_waiters)) != NULL)
    {
      if (self->agent_owner != NULL)
        start_waiter_finish (waiter, NULL);
      else
        start_waiter_finish (waiter,
                             g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                  "The agent exited right after it started"));
    }
}

static gboolean
on_start_waiter_cancelled (gpointer user_data)
{
  StartWaiter *waiter = user_data;
  FerryClient *self = g_task_get_source_object (waiter->task);
  GError *error = NULL;

  g_queue_remove (&self->start_waiters, waiter);
  g_cancellable_set_error_if_cancelled (g_task_get_cancellable (waiter->task), &error);
  start_waiter_finish (waiter, error);
  return G_SOURCE_REMOVE;
}

static void
start_service_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClient *self = g_task_get_source_object (task);
  g_autoptr(GVariant) reply = NULL;
  GCancellable *cancellable;
  StartWaiter *waiter;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_prefix_error (&error, "Could not start the agent: ");
      ferry_client_return_dbus_error (task, error);
      return;
    }

  if (self->agent_owner != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The name has an owner now; the proxy hears of it a little later and
   * loads the agent's properties first.  Finish when it has. */
  waiter = g_new0 (StartWaiter, 1);
  waiter->task = g_steal_pointer (&task);
  cancellable = g_task_get_cancellable (waiter->task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, on_start_waiter_cancelled, waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_queue_push_tail (&self->start_waiters, waiter);
}

static void
auto_start_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClient *self = FERRY_CLIENT (object);
  FerryClientCall *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_client_start_agent_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->func (self, g_steal_pointer (&task));
}

/* Runs the call in @task's FerryClientCall, first starting the agent when
 * it is not running and the client may start it.  Takes @task. */
void
ferry_client_call_agent (FerryClient *self,
                         GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  if (self->agent_owner == NULL)
    {
      if (self->flags & FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START)
        {
          g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER,
                                   "The Ferry agent (%s) is not running", FERRY_DBUS_NAME);
          g_object_unref (task);
          return;
        }
      ferry_client_start_agent_async (self, g_task_get_cancellable (task), auto_start_cb, task);
      return;
    }
  data->func (self, task);
}

/* A call's GTask, with an empty FerryClientCall that runs @func. */
GTask *
ferry_client_new_call_task (FerryClient         *self,
                            FerryClientCallFunc  func,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data,
                            gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FerryClientCall *data = g_new0 (FerryClientCall, 1);

  data->func = func;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) call_free);
  return task;
}

/* The completion of a method that answers with nothing: the GTask in
 * @user_data returns TRUE, finished with its call's finish function. */
void
ferry_client_boolean_reply_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClientCall *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!data->finish (FERRY_DBUS_AGENT (object), result, &error))
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The completion of a method that answers with a count, which the GTask
 * in @user_data returns as its int. */
void
ferry_client_count_reply_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClientCall *data = g_task_get_task_data (task);
  guint count = 0;
  GError *error = NULL;

  if (!data->finish_count (FERRY_DBUS_AGENT (object), &count, result, &error))
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_int (task, count);
}

gboolean
ferry_client_finish_boolean (FerryClient   *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ferry_client_finish_count (FerryClient   *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           guint         *out_count,
                           GError       **error)
{
  gssize count;

  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  count = g_task_propagate_int (G_TASK (result), error);
  if (count < 0)
    return FALSE;
  if (out_count != NULL)
    *out_count = (guint) count;
  return TRUE;
}

/* The agent-wide methods. */

static void
call_sync_now (FerryClient *self,
               GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_sync_now_finish;
  ferry_dbus_agent_call_sync_now (self->proxy, g_task_get_cancellable (task),
                                  ferry_client_boolean_reply_cb, task);
}

static void
call_pause (FerryClient *self,
            GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_pause_finish;
  ferry_dbus_agent_call_pause (self->proxy, g_task_get_cancellable (task),
                               ferry_client_boolean_reply_cb, task);
}

static void
call_resume (FerryClient *self,
             GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_resume_finish;
  ferry_dbus_agent_call_resume (self->proxy, g_task_get_cancellable (task),
                                ferry_client_boolean_reply_cb, task);
}

/* Public API */

/**
 * ferry_client_start_agent_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the agent runs
 * @user_data: data for @callback
 *
 * Starts the agent by D-Bus activation (`StartServiceByName`) unless it
 * is running, and completes once the client sees it on the bus with its
 * properties loaded.  Works whatever the client's flags.  Finish with
 * ferry_client_start_agent_finish().
 */
void
ferry_client_start_agent_async (FerryClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_client_start_agent_async);

  if (self->agent_owner != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_dbus_connection_call (self->connection,
                          "org.freedesktop.DBus",
                          "/org/freedesktop/DBus",
                          "org.freedesktop.DBus",
                          "StartServiceByName",
                          g_variant_new ("(su)", FERRY_DBUS_NAME, 0),
                          G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE,
                          -1,
                          cancellable,
                          start_service_cb,
                          g_steal_pointer (&task));
}

/**
 * ferry_client_start_agent_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_start_agent_async().
 *
 * Returns: %TRUE when the agent runs; %FALSE with @error set (e.g.
 *   %G_DBUS_ERROR_SERVICE_UNKNOWN when no service file names it, or
 *   %G_DBUS_ERROR_SPAWN_CHILD_EXITED when it failed to start)
 */
gboolean
ferry_client_start_agent_finish (FerryClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_start_agent_async, error);
}

/**
 * ferry_client_sync_now_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the agent took the request
 * @user_data: data for @callback
 *
 * Starts a run at once, also for tasks waiting for a retry time (nothing
 * happens while paused).  Completes without waiting for the run.  Finish
 * with ferry_client_sync_now_finish().
 */
void
ferry_client_sync_now_async (FerryClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ferry_client_call_agent (self, ferry_client_new_call_task (self, call_sync_now, cancellable,
                                                             callback, user_data,
                                                             ferry_client_sync_now_async));
}

/**
 * ferry_client_sync_now_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_sync_now_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_sync_now_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_sync_now_async, error);
}

/**
 * ferry_client_pause_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stops the agent from starting new attempts until resumed; attempts in
 * flight finish.  Finish with ferry_client_pause_finish().
 */
void
ferry_client_pause_async (FerryClient         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ferry_client_call_agent (self, ferry_client_new_call_task (self, call_pause, cancellable,
                                                             callback, user_data,
                                                             ferry_client_pause_async));
}

/**
 * ferry_client_pause_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_pause_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_pause_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_pause_async, error);
}

/**
 * ferry_client_resume_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Undoes a pause and starts a run.  Finish with
 * ferry_client_resume_finish().
 */
void
ferry_client_resume_async (FerryClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ferry_client_call_agent (self, ferry_client_new_call_task (self, call_resume, cancellable,
                                                             callback, user_data,
                                                             ferry_client_resume_async));
}

/**
 * ferry_client_resume_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_resume_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_resume_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_resume_async, error);
}
