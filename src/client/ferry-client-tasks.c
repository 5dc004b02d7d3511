/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-tasks"

#include "config.h"

#include "ferry-task-info-private.h"
#include "ferry-request-private.h"
#include "ferry-task-query-private.h"
#include "ferry-client-private.h"

/*
 * The task calls: each method of the agent that adds, reads, counts or
 * changes tasks, as an _async/_finish pair over ferry_client_call_agent().
 */

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *id = NULL;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_enqueue_finish (FERRY_DBUS_AGENT (object), &id, result, &error))
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&id), g_free);
}

static void
call_enqueue (FerryClient *self,
              GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_enqueue (self->proxy, data->args, g_task_get_cancellable (task),
                                 enqueue_cb, task);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) dict = NULL;
  FerryTaskInfo *info;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_get_finish (FERRY_DBUS_AGENT (object), &dict, result, &error))
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  info = ferry_task_info_new_from_variant (dict, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, g_object_unref);
}

static void
call_get (FerryClient *self,
          GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_get (self->proxy, data->id, g_task_get_cancellable (task), get_cb, task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) tasks = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  GVariantIter iter;
  GVariant *dict;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_list_finish (FERRY_DBUS_AGENT (object), &tasks, result, &error))
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }

  infos = g_ptr_array_new_full (g_variant_n_children (tasks), g_object_unref);
  g_variant_iter_init (&iter, tasks);
  while ((dict = g_variant_iter_next_value (&iter)) != NULL)
    {
      FerryTaskInfo *info = ferry_task_info_new_from_variant (dict, &error);

      g_variant_unref (dict);
      if (info == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (infos, info);
    }
  g_task_return_pointer (task, g_steal_pointer (&infos), (GDestroyNotify) g_ptr_array_unref);
}

static void
call_list (FerryClient *self,
           GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_list (self->proxy, data->args, data->offset, data->limit,
                              g_task_get_cancellable (task), list_cb, task);
}

static void
call_count (FerryClient *self,
            GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish_count = ferry_dbus_agent_call_count_finish;
  ferry_dbus_agent_call_count (self->proxy, data->args, g_task_get_cancellable (task),
                               ferry_client_count_reply_cb, task);
}

static void
call_cancel (FerryClient *self,
             GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_cancel_finish;
  ferry_dbus_agent_call_cancel (self->proxy, data->id, g_task_get_cancellable (task),
                                ferry_client_boolean_reply_cb, task);
}

static void
call_retry (FerryClient *self,
            GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_retry_finish;
  ferry_dbus_agent_call_retry (self->proxy, data->id, g_task_get_cancellable (task),
                               ferry_client_boolean_reply_cb, task);
}

static void
call_retry_all (FerryClient *self,
                GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish_count = ferry_dbus_agent_call_retry_all_finish;
  ferry_dbus_agent_call_retry_all (self->proxy, data->args, g_task_get_cancellable (task),
                                   ferry_client_count_reply_cb, task);
}

static void
call_cancel_all (FerryClient *self,
                 GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish_count = ferry_dbus_agent_call_cancel_all_finish;
  ferry_dbus_agent_call_cancel_all (self->proxy, data->args, g_task_get_cancellable (task),
                                    ferry_client_count_reply_cb, task);
}

static void
call_resolve (FerryClient *self,
              GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_resolve_finish;
  ferry_dbus_agent_call_resolve (self->proxy, data->id, data->choice, data->args,
                                 g_task_get_cancellable (task), ferry_client_boolean_reply_cb,
                                 task);
}

/* Starts a call of @func about the task @id. */
static void
call_with_id (FerryClient         *self,
              FerryClientCallFunc  func,
              const char          *id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = ferry_client_new_call_task (self, func, cancellable, callback, user_data,
                                            source_tag);
  FerryClientCall *data = g_task_get_task_data (task);

  data->id = g_strdup (id);
  ferry_client_call_agent (self, task);
}

/* Starts a call of @func about the tasks @query matches. */
static void
call_with_query (FerryClient         *self,
                 FerryClientCallFunc  func,
                 FerryTaskQuery      *query,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = ferry_client_new_call_task (self, func, cancellable, callback, user_data,
                                            source_tag);
  FerryClientCall *data = g_task_get_task_data (task);

  data->args = g_variant_ref_sink (ferry_task_query_to_variant (query));
  ferry_client_call_agent (self, task);
}

/* Public API */

/**
 * ferry_client_enqueue_async:
 * @self: a client
 * @request: the request to store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the task is stored
 * @user_data: data for @callback
 *
 * Hands a request to the agent.  The task is on disk when the call
 * completes.  Unless @request names its owner, the task's owner is
 * #FerryClient:app-id (for a sandboxed app, its app id).  Finish with
 * ferry_client_enqueue_finish().
 */
void
ferry_client_enqueue_async (FerryClient         *self,
                            FerryRequest        *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GVariant) wire = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The client's owner name, unless the request has one of its own. */
  wire = g_variant_ref_sink (ferry_request_to_variant (request));
  dict = g_variant_dict_new (wire);
  if (self->app_id != NULL && !g_variant_dict_contains (dict, "app-id"))
    g_variant_dict_insert (dict, "app-id", "s", self->app_id);

  task = ferry_client_new_call_task (self, call_enqueue, cancellable, callback, user_data,
                                     ferry_client_enqueue_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (g_variant_dict_end (dict));
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_enqueue_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_enqueue_async().
 *
 * Returns: (transfer full): the task's id (with a unique policy of replace
 *   or keep, possibly the id of an earlier task of the same name), or
 *   %NULL with @error set: %FERRY_ERROR_INVALID_ARGUMENT naming the bad
 *   key, %FERRY_ERROR_PERMISSION_DENIED, %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
char *
ferry_client_enqueue_finish (FerryClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_client_enqueue_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_client_get_async:
 * @self: a client
 * @id: a task id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the task
 * @user_data: data for @callback
 *
 * Fetches one task, with its body and response body.  Finish with
 * ferry_client_get_finish().
 */
void
ferry_client_get_async (FerryClient         *self,
                        const char          *id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_id (self, call_get, id, cancellable, callback, user_data, ferry_client_get_async);
}

/**
 * ferry_client_get_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_get_async().
 *
 * Returns: (transfer full): the task, or %NULL with @error set:
 *   %FERRY_ERROR_NOT_FOUND, %FERRY_ERROR_INVALID_ARGUMENT for a malformed
 *   id, %FERRY_ERROR_STORE
 */
FerryTaskInfo *
ferry_client_get_finish (FerryClient   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_client_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_client_list_async:
 * @self: a client
 * @query: (nullable): which tasks, or %NULL for all
 * @offset: how many tasks of the ordered result to skip
 * @limit: at most this many tasks (1 to 1000)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tasks
 * @user_data: data for @callback
 *
 * Lists one page of tasks, without their bodies.  For a list that pages
 * by itself, see #FerryTaskList.  Finish with ferry_client_list_finish().
 */
void
ferry_client_list_async (FerryClient         *self,
                         FerryTaskQuery      *query,
                         guint                offset,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ferry_client_new_call_task (self, call_list, cancellable, callback, user_data,
                                     ferry_client_list_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (ferry_task_query_to_variant (query));
  data->offset = offset;
  data->limit = limit;
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_list_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_list_async().
 *
 * Returns: (transfer full) (element-type FerryTaskInfo): the tasks in
 *   the query's order, or %NULL with @error set
 *   (%FERRY_ERROR_INVALID_ARGUMENT, %FERRY_ERROR_STORE)
 */
GPtrArray *
ferry_client_list_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_client_list_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_client_count_async:
 * @self: a client
 * @query: (nullable): which tasks, or %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the count
 * @user_data: data for @callback
 *
 * Counts tasks.  Finish with ferry_client_count_finish().
 */
void
ferry_client_count_async (FerryClient         *self,
                          FerryTaskQuery      *query,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_query (self, call_count, query, cancellable, callback, user_data,
                   ferry_client_count_async);
}

/**
 * ferry_client_count_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_count: (out) (optional): where to store the count
 * @error: return location for an error
 *
 * Finishes ferry_client_count_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_count_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           guint         *out_count,
                           GError       **error)
{
  return ferry_client_finish_count (self, result, ferry_client_count_async, out_count, error);
}

/**
 * ferry_client_cancel_async:
 * @self: a client
 * @id: a task id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Drops a task that is pending, failed, in conflict or waiting for
 * credentials.  Finish with ferry_client_cancel_finish().
 */
void
ferry_client_cancel_async (FerryClient         *self,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_id (self, call_cancel, id, cancellable, callback, user_data,
                ferry_client_cancel_async);
}

/**
 * ferry_client_cancel_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_cancel_async().
 *
 * Returns: %TRUE when the task was cancelled; %FALSE with @error set:
 *   %FERRY_ERROR_NOT_FOUND, %FERRY_ERROR_PERMISSION_DENIED,
 *   %FERRY_ERROR_CONFLICT when it is running or already finished
 */
gboolean
ferry_client_cancel_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_cancel_async, error);
}

/**
 * ferry_client_retry_async:
 * @self: a client
 * @id: a task id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a failed or auth-required task pending again, due now.  Finish
 * with ferry_client_retry_finish().
 */
void
ferry_client_retry_async (FerryClient         *self,
                          const char          *id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_id (self, call_retry, id, cancellable, callback, user_data,
                ferry_client_retry_async);
}

/**
 * ferry_client_retry_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_retry_async().
 *
 * Returns: %TRUE when the task is pending again; %FALSE with @error set:
 *   %FERRY_ERROR_NOT_FOUND, %FERRY_ERROR_PERMISSION_DENIED,
 *   %FERRY_ERROR_CONFLICT when it is in another state
 */
gboolean
ferry_client_retry_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_retry_async, error);
}

/**
 * ferry_client_retry_all_async:
 * @self: a client
 * @query: (nullable): which tasks, or %NULL for all; only failed and
 *   auth-required tasks are ever retried
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Retries every matching task.  Finish with
 * ferry_client_retry_all_finish().
 */
void
ferry_client_retry_all_async (FerryClient         *self,
                              FerryTaskQuery      *query,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_query (self, call_retry_all, query, cancellable, callback, user_data,
                   ferry_client_retry_all_async);
}

/**
 * ferry_client_retry_all_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_count: (out) (optional): how many tasks were made pending again
 * @error: return location for an error
 *
 * Finishes ferry_client_retry_all_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_retry_all_finish (FerryClient   *self,
                               GAsyncResult  *result,
                               guint         *out_count,
                               GError       **error)
{
  return ferry_client_finish_count (self, result, ferry_client_retry_all_async, out_count, error);
}

/**
 * ferry_client_cancel_all_async:
 * @self: a client
 * @query: (nullable): which tasks, or %NULL for all; tasks delivered or
 *   cancelled already are left as they are
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Cancels every matching task in one call, stopping attempts in flight.
 * A sandboxed app cancels only its own.  Finish with
 * ferry_client_cancel_all_finish().
 */
void
ferry_client_cancel_all_async (FerryClient         *self,
                               FerryTaskQuery      *query,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_query (self, call_cancel_all, query, cancellable, callback, user_data,
                   ferry_client_cancel_all_async);
}

/**
 * ferry_client_cancel_all_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_count: (out) (optional): how many tasks were cancelled
 * @error: return location for an error
 *
 * Finishes ferry_client_cancel_all_async().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_cancel_all_finish (FerryClient   *self,
                                GAsyncResult  *result,
                                guint         *out_count,
                                GError       **error)
{
  return ferry_client_finish_count (self, result, ferry_client_cancel_all_async, out_count,
                                    error);
}

/**
 * ferry_client_resolve_async:
 * @self: a client
 * @id: a task in the conflict state
 * @choice: how to settle it
 * @body: (nullable): the body to send with %FERRY_CLIENT_RESOLVE_BODY;
 *   must be %NULL or empty otherwise
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Settles a conflict.  Finish with ferry_client_resolve_finish().
 */
void
ferry_client_resolve_async (FerryClient              *self,
                            const char               *id,
                            FerryClientResolveChoice  choice,
                            GBytes                   *body,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GBytes) empty = NULL;
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (ferry_client_resolve_choice_to_string (choice) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (body == NULL)
    body = empty = g_bytes_new (NULL, 0);

  task = ferry_client_new_call_task (self, call_resolve, cancellable, callback, user_data,
                                     ferry_client_resolve_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (id);
  data->choice = g_strdup (ferry_client_resolve_choice_to_string (choice));
  data->args = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                             body, TRUE));
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_resolve_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_resolve_async().
 *
 * Returns: %TRUE when the conflict is settled; %FALSE with @error set:
 *   %FERRY_ERROR_NOT_FOUND, %FERRY_ERROR_PERMISSION_DENIED,
 *   %FERRY_ERROR_CONFLICT when the task is not in conflict,
 *   %FERRY_ERROR_INVALID_ARGUMENT for a body that does not fit the choice
 */
gboolean
ferry_client_resolve_finish (FerryClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_resolve_async, error);
}
