/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-resolvers"

#include "config.h"

#include "ferry-resolver-private.h"
#include "ferry-client-private.h"

/*
 * An app's resolver: exported on the client's connection, then registered
 * with the agent (RegisterResolver), and the other way round.
 */

static void
register_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClientCall *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_dbus_agent_call_register_resolver_finish (FERRY_DBUS_AGENT (object), result, &error))
    {
      /* Not registered: nobody is to call it. */
      ferry_resolver_unexport (data->resolver);
      ferry_client_return_dbus_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
call_register_resolver (FerryClient *self,
                        GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* Exported before the agent hears of it, so its first call finds it. */
  if (!ferry_resolver_export (data->resolver, self->connection, &error))
    {
      g_prefix_error (&error, "Could not export the resolver: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ferry_dbus_agent_call_register_resolver (self->proxy,
                                           ferry_resolver_get_object_path (data->resolver),
                                           g_task_get_cancellable (task), register_cb, task);
}

static void
unregister_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClientCall *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* Whatever the agent says, the app no longer answers. */
  ferry_resolver_unexport (data->resolver);
  if (!ferry_dbus_agent_call_unregister_resolver_finish (FERRY_DBUS_AGENT (object), result,
                                                         &error))
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_unregister_resolver (FerryClient *self,
                          GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_unregister_resolver (self->proxy,
                                             ferry_resolver_get_object_path (data->resolver),
                                             g_task_get_cancellable (task), unregister_cb,
                                             task);
}

static void
call_with_resolver (FerryClient         *self,
                    FerryClientCallFunc  func,
                    FerryResolver       *resolver,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  GTask *task = ferry_client_new_call_task (self, func, cancellable, callback, user_data,
                                            source_tag);
  FerryClientCall *data = g_task_get_task_data (task);

  data->resolver = g_object_ref (resolver);
  ferry_client_call_agent (self, task);
}

/* Public API */

/**
 * ferry_client_register_resolver_async:
 * @self: a client
 * @resolver: the resolver to register
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the agent knows the resolver
 * @user_data: data for @callback
 *
 * Exports @resolver on the client's connection and makes it the resolver
 * of the caller's tasks whose conflict strategy is
 * %FERRY_CLIENT_CONFLICT_CUSTOM.  A later registration of the same owner
 * replaces this one.  The agent forgets it when it restarts: register
 * again on #FerryClient::agent-appeared.  Finish with
 * ferry_client_register_resolver_finish().
 */
void
ferry_client_register_resolver_async (FerryClient         *self,
                                      FerryResolver       *resolver,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_RESOLVER (resolver));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_resolver (self, call_register_resolver, resolver, cancellable, callback, user_data,
                      ferry_client_register_resolver_async);
}

/**
 * ferry_client_register_resolver_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_register_resolver_async().
 *
 * Returns: %TRUE when the resolver is registered; %FALSE with @error set
 *   (%FERRY_ERROR_PERMISSION_DENIED when the agent cannot tell who calls)
 */
gboolean
ferry_client_register_resolver_finish (FerryClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_register_resolver_async, error);
}

/**
 * ferry_client_unregister_resolver_async:
 * @self: a client
 * @resolver: a resolver registered with this client
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Ends the registration of @resolver and stops exporting it.  Conflicts
 * that arrive afterwards wait for a decision.  Finish with
 * ferry_client_unregister_resolver_finish().
 */
void
ferry_client_unregister_resolver_async (FerryClient         *self,
                                        FerryResolver       *resolver,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_RESOLVER (resolver));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_with_resolver (self, call_unregister_resolver, resolver, cancellable, callback,
                      user_data, ferry_client_unregister_resolver_async);
}

/**
 * ferry_client_unregister_resolver_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_unregister_resolver_async().
 *
 * Returns: %TRUE when the registration ended; %FALSE with @error set
 *   (%FERRY_ERROR_NOT_FOUND when @resolver was not registered)
 */
gboolean
ferry_client_unregister_resolver_finish (FerryClient   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_unregister_resolver_async,
                                      error);
}
