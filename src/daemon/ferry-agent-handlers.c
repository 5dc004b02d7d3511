/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-handlers"

#include "config.h"

#include <string.h>

#include "ferry-agent-service-private.h"

/*
 * The method handlers of io.github.ferrysync.Ferry1: each checks its
 * arguments — a malformed call is refused here and nothing else happens —
 * and starts the call, which the service runs once the caller is known.
 */

static gboolean
return_invalid (GDBusMethodInvocation *invocation,
                GError                *error)
{
  g_debug ("%s from %s refused: %s",
           g_dbus_method_invocation_get_method_name (invocation),
           g_dbus_method_invocation_get_sender (invocation),
           error->message);
  g_dbus_method_invocation_return_gerror (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Method handlers: check the arguments, then start the call. */

static gboolean
ferry_agent_service_handle_enqueue (FerryDBusAgent        *agent,
                                    GDBusMethodInvocation *invocation,
                                    GVariant              *arg_request)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (agent);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *app_id = NULL;
  FerryAgentCall *call;

  task = ferry_agent_args_parse_request (arg_request, &app_id, &error);
  if (task == NULL)
    return return_invalid (invocation, error);

  call = ferry_agent_call_new (self, invocation, FERRY_AGENT_CALL_ENQUEUE);
  call->task = g_steal_pointer (&task);
  call->app_id = g_steal_pointer (&app_id);
  call->names_strategy = ferry_agent_args_names_strategy (arg_request);
  return ferry_agent_call_start (call);
}

static gboolean
handle_id_call (FerryAgentService     *self,
                GDBusMethodInvocation *invocation,
                FerryAgentCallKind     kind,
                const char            *id)
{
  g_autoptr(GError) error = NULL;
  FerryAgentCall *call;

  if (!ferry_agent_args_check_id (id, &error))
    return return_invalid (invocation, error);

  call = ferry_agent_call_new (self, invocation, kind);
  call->id = g_strdup (id);
  return ferry_agent_call_start (call);
}

static gboolean
ferry_agent_service_handle_get (FerryDBusAgent        *agent,
                                GDBusMethodInvocation *invocation,
                                const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_GET, arg_id);
}

static gboolean
ferry_agent_service_handle_cancel (FerryDBusAgent        *agent,
                                   GDBusMethodInvocation *invocation,
                                   const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_CANCEL, arg_id);
}

static gboolean
ferry_agent_service_handle_retry (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation,
                                  const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_RETRY, arg_id);
}

static gboolean
handle_filter_call (FerryAgentService     *self,
                    GDBusMethodInvocation *invocation,
                    FerryAgentCallKind     kind,
                    GVariant              *filter)
{
  g_autoptr(GError) error = NULL;
  g_auto(FerryAgentFilter) parsed = { { 0, } };
  FerryAgentCall *call;

  if (!ferry_agent_args_parse_filter (filter, &parsed, &error))
    return return_invalid (invocation, error);

  call = ferry_agent_call_new (self, invocation, kind);
  call->filter = parsed;
  memset (&parsed, 0, sizeof parsed);
  return ferry_agent_call_start (call);
}

static gboolean
ferry_agent_service_handle_list (FerryDBusAgent        *agent,
                                 GDBusMethodInvocation *invocation,
                                 GVariant              *arg_filter,
                                 guint                  arg_offset,
                                 guint                  arg_limit)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (agent);
  g_autoptr(GError) error = NULL;
  g_auto(FerryAgentFilter) parsed = { { 0, } };
  FerryAgentCall *call;

  if (!ferry_agent_args_check_page (arg_offset, arg_limit, &error) ||
      !ferry_agent_args_parse_filter (arg_filter, &parsed, &error))
    return return_invalid (invocation, error);

  call = ferry_agent_call_new (self, invocation, FERRY_AGENT_CALL_LIST);
  call->filter = parsed;
  memset (&parsed, 0, sizeof parsed);
  call->offset = arg_offset;
  call->limit = arg_limit;
  return ferry_agent_call_start (call);
}

static gboolean
ferry_agent_service_handle_count (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation,
                                  GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_COUNT, arg_filter);
}

static gboolean
ferry_agent_service_handle_retry_all (FerryDBusAgent        *agent,
                                      GDBusMethodInvocation *invocation,
                                      GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_RETRY_ALL,
                             arg_filter);
}

static gboolean
ferry_agent_service_handle_cancel_all (FerryDBusAgent        *agent,
                                       GDBusMethodInvocation *invocation,
                                       GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_CANCEL_ALL,
                             arg_filter);
}

static gboolean
ferry_agent_service_handle_resolve (FerryDBusAgent        *agent,
                                    GDBusMethodInvocation *invocation,
                                    const char            *arg_id,
                                    const char            *arg_choice,
                                    GVariant              *arg_body)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (agent);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  FerryResolveChoice choice;
  FerryAgentCall *call;

  if (!ferry_agent_args_check_id (arg_id, &error) ||
      !ferry_agent_args_parse_resolve (arg_choice, arg_body, &choice, &body, &error))
    return return_invalid (invocation, error);

  call = ferry_agent_call_new (self, invocation, FERRY_AGENT_CALL_RESOLVE);
  call->id = g_strdup (arg_id);
  call->choice = choice;
  call->body = g_steal_pointer (&body);
  return ferry_agent_call_start (call);
}

static gboolean
ferry_agent_service_handle_sync_now (FerryDBusAgent        *agent,
                                     GDBusMethodInvocation *invocation)
{
  return ferry_agent_call_start (ferry_agent_call_new (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_SYNC_NOW));
}

static gboolean
ferry_agent_service_handle_pause (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation)
{
  return ferry_agent_call_start (ferry_agent_call_new (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_PAUSE));
}

static gboolean
ferry_agent_service_handle_resume (FerryDBusAgent        *agent,
                                   GDBusMethodInvocation *invocation)
{
  return ferry_agent_call_start (ferry_agent_call_new (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_RESUME));
}

static gboolean
handle_resolver_call (FerryAgentService     *self,
                      GDBusMethodInvocation *invocation,
                      FerryAgentCallKind     kind,
                      const char            *path)
{
  FerryAgentCall *call = ferry_agent_call_new (self, invocation, kind);

  call->path = g_strdup (path);
  return ferry_agent_call_start (call);
}

static gboolean
ferry_agent_service_handle_register_resolver (FerryDBusAgent        *agent,
                                              GDBusMethodInvocation *invocation,
                                              const char            *arg_path)
{
  return handle_resolver_call (FERRY_AGENT_SERVICE (agent), invocation, FERRY_AGENT_CALL_REGISTER_RESOLVER,
                               arg_path);
}

static gboolean
ferry_agent_service_handle_unregister_resolver (FerryDBusAgent        *agent,
                                                GDBusMethodInvocation *invocation,
                                                const char            *arg_path)
{
  return handle_resolver_call (FERRY_AGENT_SERVICE (agent), invocation,
                               FERRY_AGENT_CALL_UNREGISTER_RESOLVER, arg_path);
}

void
ferry_agent_service_iface_init (FerryDBusAgentIface *iface)
{
  iface->handle_enqueue = ferry_agent_service_handle_enqueue;
  iface->handle_get = ferry_agent_service_handle_get;
  iface->handle_list = ferry_agent_service_handle_list;
  iface->handle_count = ferry_agent_service_handle_count;
  iface->handle_cancel = ferry_agent_service_handle_cancel;
  iface->handle_retry = ferry_agent_service_handle_retry;
  iface->handle_retry_all = ferry_agent_service_handle_retry_all;
  iface->handle_cancel_all = ferry_agent_service_handle_cancel_all;
  iface->handle_resolve = ferry_agent_service_handle_resolve;
  iface->handle_sync_now = ferry_agent_service_handle_sync_now;
  iface->handle_pause = ferry_agent_service_handle_pause;
  iface->handle_resume = ferry_agent_service_handle_resume;
  iface->handle_register_resolver = ferry_agent_service_handle_register_resolver;
  iface->handle_unregister_resolver = ferry_agent_service_handle_unregister_resolver;
}
