/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-collections"

#include "config.h"

#include "ferry-client-private.h"

/*
 * FerryClient: adding and removing collections (AddCollection and
 * RemoveCollection of io.github.ferrysync.Ferry1).
 */

static void
add_collection_reply_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_add_collection_finish (FERRY_DBUS_AGENT (object), &path, result,
                                                    &error))
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
call_add_collection (FerryClient *self,
                     GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_add_collection (self->proxy, data->args, g_task_get_cancellable (task),
                                        add_collection_reply_cb, task);
}

static void
call_remove_collection (FerryClient *self,
                        GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_remove_collection_finish;
  ferry_dbus_agent_call_remove_collection (self->proxy, data->id, data->offset != 0,
                                           g_task_get_cancellable (task),
                                           ferry_client_boolean_reply_cb, task);
}

/**
 * ferry_client_add_collection_async:
 * @self: a client
 * @config: (transfer none): the collection as an `a{sv}` dictionary: name,
 *   protocol (`couchdb` or `rest`) and url are required; headers,
 *   secret-headers, direction, interval, live, conflict-strategy,
 *   merge-rules, timestamp-pointer, batch-limit and app-id are optional
 *   (see the AddCollection method of the D-Bus interface); a floating
 *   reference is sunk
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds a collection of the caller's app, or replaces the configuration of
 * its collection of that name; its first run starts at once.  Finish with
 * ferry_client_add_collection_finish().
 */
void
ferry_client_add_collection_async (FerryClient         *self,
                                   GVariant            *config,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (config != NULL && g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ferry_client_new_call_task (self, call_add_collection, cancellable, callback,
                                     user_data, ferry_client_add_collection_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (config);
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_add_collection_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_add_collection_async().
 *
 * Returns: (transfer full) (nullable): the collection's D-Bus object path;
 *   %NULL with @error set: %FERRY_ERROR_INVALID_ARGUMENT naming the key
 *   and what is wrong (nothing is stored), %FERRY_ERROR_PERMISSION_DENIED
 */
char *
ferry_client_add_collection_finish (FerryClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ferry_client_add_collection_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_client_remove_collection_async:
 * @self: a client
 * @path: the object path ferry_client_add_collection_finish() gave
 * @keep_data: keep the local documents and the checkpoint, so that adding
 *   the collection again resumes where it stood
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stops syncing a collection.  Finish with
 * ferry_client_remove_collection_finish().
 */
void
ferry_client_remove_collection_async (FerryClient         *self,
                                      const char          *path,
                                      gboolean             keep_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (path != NULL && g_variant_is_object_path (path));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ferry_client_new_call_task (self, call_remove_collection, cancellable, callback,
                                     user_data, ferry_client_remove_collection_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (path);
  data->offset = keep_data ? 1 : 0;
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_remove_collection_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_remove_collection_async().
 *
 * Returns: %TRUE when the collection is removed; %FALSE with @error set:
 *   %FERRY_ERROR_NOT_FOUND
 */
gboolean
ferry_client_remove_collection_finish (FerryClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_remove_collection_async,
                                      error);
}
