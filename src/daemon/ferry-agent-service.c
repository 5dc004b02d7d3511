/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-service"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-agent-service-private.h"

/*
 * io.github.ferrysync.Ferry1 on top of the sync manager.
 *
 * Every method call goes the same way: its arguments are checked first
 * (nothing else happens for a malformed call), then the caller is
 * identified from its bus connection, then the engine acts and the call is
 * completed.  Calls that arrive before the manager is attached — ferryd
 * exports the object before it owns its name, so that no call finds the
 * path missing — wait in a queue until it is.
 *
 * The handlers that check the arguments are in ferry-agent-handlers.c, the
 * engine's signals on the bus in ferry-agent-signals.c; this file runs the
 * calls.
 */

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryAgentService, ferry_agent_service,
                               FERRY_DBUS_TYPE_AGENT_SKELETON,
                               G_IMPLEMENT_INTERFACE (FERRY_DBUS_TYPE_AGENT,
                                                      ferry_agent_service_iface_init))

static void run_call (FerryAgentCall *call);

FerryAgentCall *
ferry_agent_call_new (FerryAgentService     *self,
                      GDBusMethodInvocation *invocation,
                      FerryAgentCallKind     kind)
{
  FerryAgentCall *call = g_new0 (FerryAgentCall, 1);

  call->self = g_object_ref (self);
  /* The handler's reference: whatever answers the call consumes it. */
  call->invocation = invocation;
  call->kind = kind;
  return call;
}

static void
call_free (FerryAgentCall *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->invocation);
  g_clear_pointer (&call->caller, ferry_caller_unref);
  g_clear_pointer (&call->task, ferry_task_unref);
  g_free (call->app_id);
  g_free (call->id);
  ferry_agent_filter_clear (&call->filter);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->path);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryAgentCall, call_free)

/* Answers @call with @error and frees it. */
void
ferry_agent_call_fail (FerryAgentCall *call,
                       GError         *error)
{
  g_autoptr(FerryAgentCall) owned = call;

  g_debug ("%s from %s failed: %s",
           g_dbus_method_invocation_get_method_name (call->invocation),
           call->caller != NULL ? call->caller->app_id
                                : g_dbus_method_invocation_get_sender (call->invocation),
           error->message);
  g_dbus_method_invocation_return_gerror (g_steal_pointer (&owned->invocation), error);
}

/* What each kind of call does */

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryAgentCall) call = user_data;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, &error);
  if (task == NULL)
    {
      ferry_agent_call_fail (g_steal_pointer (&call), error);
      return;
    }
  g_debug ("%s enqueued %s", call->caller->app_id, task->id);
  ferry_dbus_agent_complete_enqueue (FERRY_DBUS_AGENT (call->self),
                                     g_steal_pointer (&call->invocation), task->id);
}

static void
run_enqueue (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;

  owner = ferry_caller_dup_owner_for_enqueue (call->caller, call->app_id, &error);
  if (owner == NULL)
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_free (call->task->owner);
  call->task->owner = g_steal_pointer (&owner);

  /* The person's defaults, for a request that leaves the choice open. */
  if (!call->names_strategy)
    call->task->conflict_strategy =
      ferry_agent_args_pick_strategy (call->self->conflict_defaults, call->task->owner,
                                      call->task->url);

  /* The full check, now that the owner is known; the engine checks again. */
  if (!ferry_task_validate (call->task, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  ferry_sync_manager_enqueue_async (call->self->manager, call->task,
                                    call->self->cancellable, enqueue_cb, call);
}

/* The task @call names, when its caller may see it: with its payload, or
 * (enough to check who may act on it) without. */
static FerryTask *
dup_visible_task (FerryAgentCall  *call,
                  gboolean         with_payload,
                  GError         **error)
{
  g_autoptr(FerryTask) task = NULL;

  if (with_payload)
    task = ferry_sync_manager_dup_task (call->self->manager, call->id, error);
  else
    task = ferry_sync_manager_dup_task_light (call->self->manager, call->id, error);
  if (task == NULL)
    return NULL;
  if (!ferry_caller_check_task_access (call->caller, call->id, task->owner, error))
    return NULL;
  return g_steal_pointer (&task);
}

/* Answers a Get with the task as it is now, payload included. */
static GDBusConnection *
answer_get (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  GDBusConnection *connection;
  GVariant *dict;

  task = dup_visible_task (call, TRUE, &error);
  if (task == NULL)
    {
      ferry_agent_call_fail (call, error);
      return NULL;
    }
  dict = ferry_agent_args_task_to_variant (task, TRUE,
                                           ferry_caller_is_owner (call->caller, task->owner));
  connection = g_dbus_method_invocation_get_connection (call->invocation);
  ferry_dbus_agent_complete_get (FERRY_DBUS_AGENT (call->self),
                                 g_steal_pointer (&call->invocation), dict);
  call_free (call);
  return connection;
}

static void
answer_large_get (gpointer data)
{
  FerryAgentCall *call = data;
  FerryReplyGate *gate = call->self->large_replies;

  ferry_reply_gate_leave (gate, answer_get (call));
}

static void
fail_shutting_down (gpointer data)
{
  g_autoptr(GError) error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED,
                                                 "ferryd is shutting down");

  ferry_agent_call_fail (data, error);
}

/*
 * A task's payload can be 16 MiB and more (body and base): its reply
 * waits for the large replies before it to be written out, so that
 * several Gets in flight do not hold several such replies at once.
 */
static void
run_get (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  guint64 payload_size = 0;

  task = dup_visible_task (call, FALSE, &error);
  if (task == NULL ||
      !ferry_sync_manager_get_payload_size (call->self->manager, task, &payload_size, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  if (payload_size > LARGE_REPLY_SIZE)
    ferry_reply_gate_enter (call->self->large_replies, answer_large_get, call,
                            fail_shutting_down);
  else
    answer_get (call);
}

static void
run_list (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  GVariantBuilder builder;

  tasks = ferry_sync_manager_list (call->self->manager, &call->filter.filter,
                                   call->offset, call->limit, &error);
  if (tasks == NULL)
    {
      ferry_agent_call_fail (call, error);
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < tasks->len; i++)
    {
      const FerryTask *task = g_ptr_array_index (tasks, i);
      gboolean is_owner = ferry_caller_is_owner (call->caller, task->owner);

      g_variant_builder_add_value (&builder,
                                   ferry_agent_args_task_to_variant (task, FALSE, is_owner));
    }
  ferry_dbus_agent_complete_list (FERRY_DBUS_AGENT (call->self),
                                  g_steal_pointer (&call->invocation),
                                  g_variant_builder_end (&builder));
  call_free (call);
}

static void
run_count (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!ferry_sync_manager_count (call->self->manager, &call->filter.filter, &count, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  ferry_dbus_agent_complete_count (FERRY_DBUS_AGENT (call->self),
                                   g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_cancel (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, FALSE, &error);
  if (task == NULL || !ferry_sync_manager_cancel (call->self->manager, call->id, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_debug ("%s cancelled %s", call->caller->app_id, call->id);
  ferry_dbus_agent_complete_cancel (FERRY_DBUS_AGENT (call->self),
                                    g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_retry (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, FALSE, &error);
  if (task == NULL || !ferry_sync_manager_retry (call->self->manager, call->id, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_debug ("%s retried %s", call->caller->app_id, call->id);
  ferry_dbus_agent_complete_retry (FERRY_DBUS_AGENT (call->self),
                                   g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_retry_all (FerryAgentCall *call)
{
  const guint retryable = FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |
                          FERRY_STATE_BIT (FERRY_TASK_STATE_AUTH_REQUIRED);
  g_autoptr(GError) error = NULL;
  guint states = call->filter.filter.states;
  guint count = 0;

  /* Only failed and held tasks can be retried; a filter that names other
   * states only retries nothing (an empty mask would mean every state). */
  states = (states == 0 ? retryable : states & retryable);
  call->filter.filter.states = states;
  if (states != 0 &&
      !ferry_sync_manager_retry_all (call->self->manager, &call->filter.filter, &count, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_debug ("%s retried %u tasks", call->caller->app_id, count);
  ferry_dbus_agent_complete_retry_all (FERRY_DBUS_AGENT (call->self),
                                       g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_cancel_all (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!ferry_sync_manager_cancel_all (call->self->manager, &call->filter.filter, &count, &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_debug ("%s cancelled %u tasks", call->caller->app_id, count);
  ferry_dbus_agent_complete_cancel_all (FERRY_DBUS_AGENT (call->self),
                                        g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_resolve (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, FALSE, &error);
  if (task == NULL ||
      !ferry_sync_manager_resolve (call->self->manager, call->id, call->choice, call->body,
                                   &error))
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  g_debug ("%s resolved %s with %s", call->caller->app_id, call->id,
           ferry_resolve_choice_to_string (call->choice));
  ferry_dbus_agent_complete_resolve (FERRY_DBUS_AGENT (call->self),
                                     g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_resolver_call (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  FerryDBusAgent *agent = FERRY_DBUS_AGENT (call->self);
  FerryResolverRegistry *resolvers = call->self->resolvers;
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);

  /* The owner is the caller's own identity: nobody registers for another
   * app, and a sandboxed app only ever for itself. */
  if (call->kind == FERRY_AGENT_CALL_REGISTER_RESOLVER)
    {
      if (!ferry_resolver_registry_register (resolvers, call->caller->app_id, sender, call->path,
                                             &error))
        {
          ferry_agent_call_fail (call, error);
          return;
        }
      ferry_dbus_agent_complete_register_resolver (agent, g_steal_pointer (&call->invocation));
    }
  else
    {
      if (!ferry_resolver_registry_unregister (resolvers, call->caller->app_id, sender,
                                               call->path, &error))
        {
          ferry_agent_call_fail (call, error);
          return;
        }
      ferry_dbus_agent_complete_unregister_resolver (agent, g_steal_pointer (&call->invocation));
    }
  call_free (call);
}

static void
run_queue_action (FerryAgentCall *call)
{
  g_autoptr(GError) error = NULL;
  FerryDBusAgent *agent = FERRY_DBUS_AGENT (call->self);
  const char *action = call->kind == FERRY_AGENT_CALL_SYNC_NOW ? "sync now"
                       : call->kind == FERRY_AGENT_CALL_PAUSE ? "pause" : "resume";

  switch (call->kind)
    {
    case FERRY_AGENT_CALL_SYNC_NOW:
      ferry_sync_manager_sync_now (call->self->manager);
      ferry_dbus_agent_complete_sync_now (agent, g_steal_pointer (&call->invocation));
      break;

    case FERRY_AGENT_CALL_PAUSE:
      if (!ferry_caller_check_global_action (call->caller, "Pause", &error))
        {
          ferry_agent_call_fail (call, error);
          return;
        }
      ferry_sync_manager_pause (call->self->manager);
      ferry_dbus_agent_complete_pause (agent, g_steal_pointer (&call->invocation));
      break;

    case FERRY_AGENT_CALL_RESUME:
      if (!ferry_caller_check_global_action (call->caller, "Resume", &error))
        {
          ferry_agent_call_fail (call, error);
          return;
        }
      ferry_sync_manager_resume (call->self->manager);
      ferry_dbus_agent_complete_resume (agent, g_steal_pointer (&call->invocation));
      break;

    case FERRY_AGENT_CALL_ENQUEUE:
    case FERRY_AGENT_CALL_GET:
    case FERRY_AGENT_CALL_LIST:
    case FERRY_AGENT_CALL_COUNT:
    case FERRY_AGENT_CALL_CANCEL:
    case FERRY_AGENT_CALL_RETRY:
    case FERRY_AGENT_CALL_RETRY_ALL:
    case FERRY_AGENT_CALL_CANCEL_ALL:
    case FERRY_AGENT_CALL_RESOLVE:
    case FERRY_AGENT_CALL_REGISTER_RESOLVER:
    case FERRY_AGENT_CALL_UNREGISTER_RESOLVER:
    default:
      g_assert_not_reached ();
    }
  g_debug ("%s: %s", call->caller->app_id, action);
  call_free (call);
}

/* Runs @call, whose caller is known, against the manager; takes it. */
static void
run_call (FerryAgentCall *call)
{
  g_assert (call->caller != NULL);
  g_assert (call->self->manager != NULL);

  /* A sandboxed app only ever looks at its own tasks. */
  if (call->kind == FERRY_AGENT_CALL_LIST || call->kind == FERRY_AGENT_CALL_COUNT || call->kind == FERRY_AGENT_CALL_RETRY_ALL ||
      call->kind == FERRY_AGENT_CALL_CANCEL_ALL)
    ferry_agent_filter_set_owner (&call->filter,
                                  ferry_caller_restrict_owner (call->caller,
                                                               call->filter.filter.owner));

  switch (call->kind)
    {
    case FERRY_AGENT_CALL_ENQUEUE:
      run_enqueue (call);
      break;

    case FERRY_AGENT_CALL_GET:
      run_get (call);
      break;

    case FERRY_AGENT_CALL_LIST:
      run_list (call);
      break;

    case FERRY_AGENT_CALL_COUNT:
      run_count (call);
      break;

    case FERRY_AGENT_CALL_CANCEL:
      run_cancel (call);
      break;

    case FERRY_AGENT_CALL_RETRY:
      run_retry (call);
      break;

    case FERRY_AGENT_CALL_RETRY_ALL:
      run_retry_all (call);
      break;

    case FERRY_AGENT_CALL_CANCEL_ALL:
      run_cancel_all (call);
      break;

    case FERRY_AGENT_CALL_RESOLVE:
      run_resolve (call);
      break;

    case FERRY_AGENT_CALL_SYNC_NOW:
    case FERRY_AGENT_CALL_PAUSE:
    case FERRY_AGENT_CALL_RESUME:
      run_queue_action (call);
      break;

    case FERRY_AGENT_CALL_REGISTER_RESOLVER:
    case FERRY_AGENT_CALL_UNREGISTER_RESOLVER:
      run_resolver_call (call);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
lookup_caller_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FerryAgentCall *call = user_data;
  FerryAgentService *self = call->self;
  g_autoptr(GError) error = NULL;

  call->caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  if (call->caller == NULL)
    {
      ferry_agent_call_fail (call, error);
      return;
    }
  if (self->manager == NULL)
    {
      g_ptr_array_add (self->waiting, call);
      return;
    }
  run_call (call);
}

/* Identifies the caller, then runs @call; takes it. */
gboolean
ferry_agent_call_start (FerryAgentCall *call)
{
  FerryAgentService *self = call->self;

  ferry_caller_cache_lookup_async (self->callers,
                                   g_dbus_method_invocation_get_sender (call->invocation),
                                   self->cancellable,
                                   lookup_caller_cb,
                                   call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* GObject */

static void
ferry_agent_service_dispose (GObject *object)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_timeout_id, g_source_remove);
  g_clear_pointer (&self->large_replies, ferry_reply_gate_free);

  /* Nobody will run these: answer them rather than leave callers hanging. */
  if (self->waiting != NULL)
    {
      while (self->waiting->len > 0)
        {
          FerryAgentCall *call = g_ptr_array_steal_index (self->waiting, 0);
          g_autoptr(GError) error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED,
                                                         "ferryd is shutting down");

          ferry_agent_call_fail (call, error);
        }
    }

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_clear_object (&self->resolvers);
  g_clear_object (&self->callers);

  G_OBJECT_CLASS (ferry_agent_service_parent_class)->dispose (object);
}

static void
ferry_agent_service_finalize (GObject *object)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (object);

  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->conflict_defaults, g_variant_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_agent_service_parent_class)->finalize (object);
}

static void
ferry_agent_service_class_init (FerryAgentServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_agent_service_dispose;
  object_class->finalize = ferry_agent_service_finalize;
}

static void
ferry_agent_service_init (FerryAgentService *self)
{
  self->waiting = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->large_replies = ferry_reply_gate_new ();

  ferry_dbus_agent_set_state (FERRY_DBUS_AGENT (self), "idle");
  ferry_dbus_agent_set_progress (FERRY_DBUS_AGENT (self), g_variant_new ("(uu)", 0, 0));
}

/**
 * ferry_agent_service_new:
 * @callers: the caller cache of the connection the service is exported on
 *
 * Creates the object to export at /io/github/ferrysync/Ferry.  Method calls
 * are checked and their callers identified at once; they act when a
 * manager is attached with ferry_agent_service_attach().
 *
 * Returns: (transfer full): a new service
 */
FerryAgentService *
ferry_agent_service_new (FerryCallerCache *callers)
{
  g_autoptr(GDBusConnection) connection = NULL;
  FerryAgentService *self;

  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (callers), NULL);

  g_object_get (callers, "connection", &connection, NULL);
  self = g_object_new (FERRY_TYPE_AGENT_SERVICE, NULL);
  self->callers = g_object_ref (callers);
  self->resolvers = ferry_resolver_registry_new (connection);
  return self;
}

/**
 * ferry_agent_service_attach:
 * @self: a service
 * @manager: the started sync manager
 *
 * Binds the manager's state to the D-Bus properties, forwards its signals,
 * and runs the calls that were waiting for it.  Called once.
 */
void
ferry_agent_service_attach (FerryAgentService *self,
                            FerrySyncManager  *manager)
{
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (FERRY_IS_AGENT_SERVICE (self));
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (manager));
  g_return_if_fail (self->manager == NULL);

  self->manager = g_object_ref (manager);

  ferry_agent_signals_attach (self);

  /* Conflicts of the custom strategy go to their owner's resolver. */
  ferry_resolver_registry_install (self->resolvers, manager);

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new ();
  for (guint i = 0; i < waiting->len; i++)
    run_call (g_ptr_array_index (waiting, i));
}

/**
 * ferry_agent_service_get_manager:
 * @self: a service
 *
 * Returns: (transfer none) (nullable): the attached manager
 */
FerrySyncManager *
ferry_agent_service_get_manager (FerryAgentService *self)
{
  g_return_val_if_fail (FERRY_IS_AGENT_SERVICE (self), NULL);

  return self->manager;
}

/**
 * ferry_agent_service_get_resolvers:
 * @self: a service
 *
 * Returns: (transfer none): the apps' resolvers that RegisterResolver fills
 */
FerryResolverRegistry *
ferry_agent_service_get_resolvers (FerryAgentService *self)
{
  g_return_val_if_fail (FERRY_IS_AGENT_SERVICE (self), NULL);

  return self->resolvers;
}

/**
 * ferry_agent_service_set_conflict_defaults:
 * @self: a service
 * @defaults: (nullable): the conflict-strategies setting (`a{ss}`)
 *
 * Sets what an Enqueue that names no conflict-strategy gets (see
 * ferry_agent_args_pick_strategy()); tasks already stored keep theirs.
 */
void
ferry_agent_service_set_conflict_defaults (FerryAgentService *self,
                                           GVariant          *defaults)
{
  g_return_if_fail (FERRY_IS_AGENT_SERVICE (self));
  g_return_if_fail (defaults == NULL || g_variant_is_of_type (defaults, G_VARIANT_TYPE ("a{ss}")));

  if (defaults != NULL)
    g_variant_ref_sink (defaults);
  g_clear_pointer (&self->conflict_defaults, g_variant_unref);
  self->conflict_defaults = defaults;
}
