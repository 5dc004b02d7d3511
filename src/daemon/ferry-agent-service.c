/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-service"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-agent-args.h"
#include "ferry-caller.h"
#include "ferry-resolver-registry.h"

#include "ferry-agent-service.h"

/*
 * io.github.ferrysync.Ferry1 on top of the sync manager.
 *
 * Every method call goes the same way: its arguments are checked first
 * (nothing else happens for a malformed call), then the caller is
 * identified from its bus connection, then the engine acts and the call is
 * completed.  Calls that arrive before the manager is attached — ferryd
 * exports the object before it owns its name, so that no call finds the
 * path missing — wait in a queue until it is.
 */

/* Progress is sent at most this often; the last value always follows. */
#define PROGRESS_INTERVAL_MS 100

typedef enum {
  CALL_ENQUEUE,
  CALL_GET,
  CALL_LIST,
  CALL_COUNT,
  CALL_CANCEL,
  CALL_RETRY,
  CALL_RETRY_ALL,
  CALL_CANCEL_ALL,
  CALL_RESOLVE,
  CALL_SYNC_NOW,
  CALL_PAUSE,
  CALL_RESUME,
  CALL_REGISTER_RESOLVER,
  CALL_UNREGISTER_RESOLVER,
} CallKind;

typedef struct
{
  FerryAgentService     *self;
  GDBusMethodInvocation *invocation;
  CallKind               kind;
  FerryCaller           *caller;

  /* arguments, as the kind needs them */
  FerryTask             *task;
  char                  *app_id;
  char                  *id;
  FerryAgentFilter       filter;
  guint                  offset;
  guint                  limit;
  FerryResolveChoice     choice;
  GBytes                *body;
  char                  *path;
  gboolean               names_strategy;
} Call;

struct _FerryAgentService
{
  FerryDBusAgentSkeleton  parent_instance;

  /* owned */
  FerryCallerCache       *callers;
  FerryResolverRegistry  *resolvers;
  FerrySyncManager       *manager;      /* NULL until attached */
  GVariant               *conflict_defaults;  /* a{ss}, nullable */
  GPtrArray              *waiting;      /* Call, until the manager is attached */
  GCancellable           *cancellable;

  /* state */
  guint                   progress_timeout_id;
  gboolean                progress_dirty;
};

static void ferry_agent_service_iface_init (FerryDBusAgentIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryAgentService, ferry_agent_service,
                               FERRY_DBUS_TYPE_AGENT_SKELETON,
                               G_IMPLEMENT_INTERFACE (FERRY_DBUS_TYPE_AGENT,
                                                      ferry_agent_service_iface_init))

static void run_call (Call *call);

static Call *
call_new (FerryAgentService     *self,
          GDBusMethodInvocation *invocation,
          CallKind               kind)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  /* The handler's reference: whatever answers the call consumes it. */
  call->invocation = invocation;
  call->kind = kind;
  return call;
}

static void
call_free (Call *call)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* Answers @call with @error and frees it. */
static void
call_fail (Call   *call,
           GError *error)
{
  g_autoptr(Call) owned = call;

  g_debug ("%s from %s failed: %s",
           g_dbus_method_invocation_get_method_name (call->invocation),
           call->caller != NULL ? call->caller->app_id
                                : g_dbus_method_invocation_get_sender (call->invocation),
           error->message);
  g_dbus_method_invocation_return_gerror (g_steal_pointer (&owned->invocation), error);
}

/*
 * A short reason for a broadcast signal.  Error texts may quote a URL (a
 * redirect target, a host that did not answer); signals never carry one.
 */
static char *
signal_reason (const char *text,
               guint       status)
{
  g_autofree char *valid = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL || *text == '\0')
    return status != 0 ? g_strdup_printf ("HTTP %u", status) : g_strdup ("failed");

  valid = g_utf8_make_valid (text, -1);
  words = g_strsplit (valid, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (words[i], "://") != NULL)
        {
          g_free (words[i]);
          words[i] = g_strdup ("(URL)");
        }
    }
  return g_strjoinv (" ", words);
}

static const char *
task_state_name (const FerryTask *task)
{
  const char *name = ferry_task_state_to_string (task->state);

  return name != NULL ? name : "unknown";
}

/* Call kinds */

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, &error);
  if (task == NULL)
    {
      call_fail (g_steal_pointer (&call), error);
      return;
    }
  g_debug ("%s enqueued %s", call->caller->app_id, task->id);
  ferry_dbus_agent_complete_enqueue (FERRY_DBUS_AGENT (call->self),
                                     g_steal_pointer (&call->invocation), task->id);
}

static void
run_enqueue (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;

  owner = ferry_caller_dup_owner_for_enqueue (call->caller, call->app_id, &error);
  if (owner == NULL)
    {
      call_fail (call, error);
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
      call_fail (call, error);
      return;
    }
  ferry_sync_manager_enqueue_async (call->self->manager, call->task,
                                    call->self->cancellable, enqueue_cb, call);
}

/* The task @call names, when its caller may see it. */
static FerryTask *
dup_visible_task (Call    *call,
                  GError **error)
{
  g_autoptr(FerryTask) task = NULL;

  task = ferry_sync_manager_dup_task (call->self->manager, call->id, error);
  if (task == NULL)
    return NULL;
  if (!ferry_caller_check_task_access (call->caller, call->id, task->owner, error))
    return NULL;
  return g_steal_pointer (&task);
}

static void
run_get (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  GVariant *dict;

  task = dup_visible_task (call, &error);
  if (task == NULL)
    {
      call_fail (call, error);
      return;
    }
  dict = ferry_agent_args_task_to_variant (task, TRUE,
                                           ferry_caller_is_owner (call->caller, task->owner));
  ferry_dbus_agent_complete_get (FERRY_DBUS_AGENT (call->self),
                                 g_steal_pointer (&call->invocation), dict);
  call_free (call);
}

static void
run_list (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  GVariantBuilder builder;

  tasks = ferry_sync_manager_list (call->self->manager, &call->filter.filter,
                                   call->offset, call->limit, &error);
  if (tasks == NULL)
    {
      call_fail (call, error);
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
run_count (Call *call)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!ferry_sync_manager_count (call->self->manager, &call->filter.filter, &count, &error))
    {
      call_fail (call, error);
      return;
    }
  ferry_dbus_agent_complete_count (FERRY_DBUS_AGENT (call->self),
                                   g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_cancel (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, &error);
  if (task == NULL || !ferry_sync_manager_cancel (call->self->manager, call->id, &error))
    {
      call_fail (call, error);
      return;
    }
  g_debug ("%s cancelled %s", call->caller->app_id, call->id);
  ferry_dbus_agent_complete_cancel (FERRY_DBUS_AGENT (call->self),
                                    g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_retry (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, &error);
  if (task == NULL || !ferry_sync_manager_retry (call->self->manager, call->id, &error))
    {
      call_fail (call, error);
      return;
    }
  g_debug ("%s retried %s", call->caller->app_id, call->id);
  ferry_dbus_agent_complete_retry (FERRY_DBUS_AGENT (call->self),
                                   g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_retry_all (Call *call)
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
      call_fail (call, error);
      return;
    }
  g_debug ("%s retried %u tasks", call->caller->app_id, count);
  ferry_dbus_agent_complete_retry_all (FERRY_DBUS_AGENT (call->self),
                                       g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_cancel_all (Call *call)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!ferry_sync_manager_cancel_all (call->self->manager, &call->filter.filter, &count, &error))
    {
      call_fail (call, error);
      return;
    }
  g_debug ("%s cancelled %u tasks", call->caller->app_id, count);
  ferry_dbus_agent_complete_cancel_all (FERRY_DBUS_AGENT (call->self),
                                        g_steal_pointer (&call->invocation), count);
  call_free (call);
}

static void
run_resolve (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = dup_visible_task (call, &error);
  if (task == NULL ||
      !ferry_sync_manager_resolve (call->self->manager, call->id, call->choice, call->body,
                                   &error))
    {
      call_fail (call, error);
      return;
    }
  g_debug ("%s resolved %s with %s", call->caller->app_id, call->id,
           ferry_resolve_choice_to_string (call->choice));
  ferry_dbus_agent_complete_resolve (FERRY_DBUS_AGENT (call->self),
                                     g_steal_pointer (&call->invocation));
  call_free (call);
}

static void
run_resolver_call (Call *call)
{
  g_autoptr(GError) error = NULL;
  FerryDBusAgent *agent = FERRY_DBUS_AGENT (call->self);
  FerryResolverRegistry *resolvers = call->self->resolvers;
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);

  /* The owner is the caller's own identity: nobody registers for another
   * app, and a sandboxed app only ever for itself. */
  if (call->kind == CALL_REGISTER_RESOLVER)
    {
      if (!ferry_resolver_registry_register (resolvers, call->caller->app_id, sender, call->path,
                                             &error))
        {
          call_fail (call, error);
          return;
        }
      ferry_dbus_agent_complete_register_resolver (agent, g_steal_pointer (&call->invocation));
    }
  else
    {
      if (!ferry_resolver_registry_unregister (resolvers, call->caller->app_id, sender,
                                               call->path, &error))
        {
          call_fail (call, error);
          return;
        }
      ferry_dbus_agent_complete_unregister_resolver (agent, g_steal_pointer (&call->invocation));
    }
  call_free (call);
}

static void
run_queue_action (Call *call)
{
  g_autoptr(GError) error = NULL;
  FerryDBusAgent *agent = FERRY_DBUS_AGENT (call->self);
  const char *action = call->kind == CALL_SYNC_NOW ? "sync now"
                       : call->kind == CALL_PAUSE ? "pause" : "resume";

  switch (call->kind)
    {
    case CALL_SYNC_NOW:
      ferry_sync_manager_sync_now (call->self->manager);
      ferry_dbus_agent_complete_sync_now (agent, g_steal_pointer (&call->invocation));
      break;

    case CALL_PAUSE:
      if (!ferry_caller_check_global_action (call->caller, "Pause", &error))
        {
          call_fail (call, error);
          return;
        }
      ferry_sync_manager_pause (call->self->manager);
      ferry_dbus_agent_complete_pause (agent, g_steal_pointer (&call->invocation));
      break;

    case CALL_RESUME:
      if (!ferry_caller_check_global_action (call->caller, "Resume", &error))
        {
          call_fail (call, error);
          return;
        }
      ferry_sync_manager_resume (call->self->manager);
      ferry_dbus_agent_complete_resume (agent, g_steal_pointer (&call->invocation));
      break;

    case CALL_ENQUEUE:
    case CALL_GET:
    case CALL_LIST:
    case CALL_COUNT:
    case CALL_CANCEL:
    case CALL_RETRY:
    case CALL_RETRY_ALL:
    case CALL_CANCEL_ALL:
    case CALL_RESOLVE:
    case CALL_REGISTER_RESOLVER:
    case CALL_UNREGISTER_RESOLVER:
    default:
      g_assert_not_reached ();
    }
  g_debug ("%s: %s", call->caller->app_id, action);
  call_free (call);
}

/* Runs @call, whose caller is known, against the manager; takes it. */
static void
run_call (Call *call)
{
  g_assert (call->caller != NULL);
  g_assert (call->self->manager != NULL);

  /* A sandboxed app only ever looks at its own tasks. */
  if (call->kind == CALL_LIST || call->kind == CALL_COUNT || call->kind == CALL_RETRY_ALL ||
      call->kind == CALL_CANCEL_ALL)
    ferry_agent_filter_set_owner (&call->filter,
                                  ferry_caller_restrict_owner (call->caller,
                                                               call->filter.filter.owner));

  switch (call->kind)
    {
    case CALL_ENQUEUE:
      run_enqueue (call);
      break;

    case CALL_GET:
      run_get (call);
      break;

    case CALL_LIST:
      run_list (call);
      break;

    case CALL_COUNT:
      run_count (call);
      break;

    case CALL_CANCEL:
      run_cancel (call);
      break;

    case CALL_RETRY:
      run_retry (call);
      break;

    case CALL_RETRY_ALL:
      run_retry_all (call);
      break;

    case CALL_CANCEL_ALL:
      run_cancel_all (call);
      break;

    case CALL_RESOLVE:
      run_resolve (call);
      break;

    case CALL_SYNC_NOW:
    case CALL_PAUSE:
    case CALL_RESUME:
      run_queue_action (call);
      break;

    case CALL_REGISTER_RESOLVER:
    case CALL_UNREGISTER_RESOLVER:
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
  Call *call = user_data;
  FerryAgentService *self = call->self;
  g_autoptr(GError) error = NULL;

  call->caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  if (call->caller == NULL)
    {
      call_fail (call, error);
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
static gboolean
start_call (Call *call)
{
  FerryAgentService *self = call->self;

  ferry_caller_cache_lookup_async (self->callers,
                                   g_dbus_method_invocation_get_sender (call->invocation),
                                   self->cancellable,
                                   lookup_caller_cb,
                                   call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

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
  Call *call;

  task = ferry_agent_args_parse_request (arg_request, &app_id, &error);
  if (task == NULL)
    return return_invalid (invocation, error);

  call = call_new (self, invocation, CALL_ENQUEUE);
  call->task = g_steal_pointer (&task);
  call->app_id = g_steal_pointer (&app_id);
  call->names_strategy = ferry_agent_args_names_strategy (arg_request);
  return start_call (call);
}

static gboolean
handle_id_call (FerryAgentService     *self,
                GDBusMethodInvocation *invocation,
                CallKind               kind,
                const char            *id)
{
  g_autoptr(GError) error = NULL;
  Call *call;

  if (!ferry_agent_args_check_id (id, &error))
    return return_invalid (invocation, error);

  call = call_new (self, invocation, kind);
  call->id = g_strdup (id);
  return start_call (call);
}

static gboolean
ferry_agent_service_handle_get (FerryDBusAgent        *agent,
                                GDBusMethodInvocation *invocation,
                                const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_GET, arg_id);
}

static gboolean
ferry_agent_service_handle_cancel (FerryDBusAgent        *agent,
                                   GDBusMethodInvocation *invocation,
                                   const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_CANCEL, arg_id);
}

static gboolean
ferry_agent_service_handle_retry (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation,
                                  const char            *arg_id)
{
  return handle_id_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_RETRY, arg_id);
}

static gboolean
handle_filter_call (FerryAgentService     *self,
                    GDBusMethodInvocation *invocation,
                    CallKind               kind,
                    GVariant              *filter)
{
  g_autoptr(GError) error = NULL;
  g_auto(FerryAgentFilter) parsed = { { 0, } };
  Call *call;

  if (!ferry_agent_args_parse_filter (filter, &parsed, &error))
    return return_invalid (invocation, error);

  call = call_new (self, invocation, kind);
  call->filter = parsed;
  memset (&parsed, 0, sizeof parsed);
  return start_call (call);
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
  Call *call;

  if (!ferry_agent_args_check_page (arg_offset, arg_limit, &error) ||
      !ferry_agent_args_parse_filter (arg_filter, &parsed, &error))
    return return_invalid (invocation, error);

  call = call_new (self, invocation, CALL_LIST);
  call->filter = parsed;
  memset (&parsed, 0, sizeof parsed);
  call->offset = arg_offset;
  call->limit = arg_limit;
  return start_call (call);
}

static gboolean
ferry_agent_service_handle_count (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation,
                                  GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_COUNT, arg_filter);
}

static gboolean
ferry_agent_service_handle_retry_all (FerryDBusAgent        *agent,
                                      GDBusMethodInvocation *invocation,
                                      GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_RETRY_ALL,
                             arg_filter);
}

static gboolean
ferry_agent_service_handle_cancel_all (FerryDBusAgent        *agent,
                                       GDBusMethodInvocation *invocation,
                                       GVariant              *arg_filter)
{
  return handle_filter_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_CANCEL_ALL,
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
  Call *call;

  if (!ferry_agent_args_check_id (arg_id, &error) ||
      !ferry_agent_args_parse_resolve (arg_choice, arg_body, &choice, &body, &error))
    return return_invalid (invocation, error);

  call = call_new (self, invocation, CALL_RESOLVE);
  call->id = g_strdup (arg_id);
  call->choice = choice;
  call->body = g_steal_pointer (&body);
  return start_call (call);
}

static gboolean
ferry_agent_service_handle_sync_now (FerryDBusAgent        *agent,
                                     GDBusMethodInvocation *invocation)
{
  return start_call (call_new (FERRY_AGENT_SERVICE (agent), invocation, CALL_SYNC_NOW));
}

static gboolean
ferry_agent_service_handle_pause (FerryDBusAgent        *agent,
                                  GDBusMethodInvocation *invocation)
{
  return start_call (call_new (FERRY_AGENT_SERVICE (agent), invocation, CALL_PAUSE));
}

static gboolean
ferry_agent_service_handle_resume (FerryDBusAgent        *agent,
                                   GDBusMethodInvocation *invocation)
{
  return start_call (call_new (FERRY_AGENT_SERVICE (agent), invocation, CALL_RESUME));
}

static gboolean
handle_resolver_call (FerryAgentService     *self,
                      GDBusMethodInvocation *invocation,
                      CallKind               kind,
                      const char            *path)
{
  Call *call = call_new (self, invocation, kind);

  call->path = g_strdup (path);
  return start_call (call);
}

static gboolean
ferry_agent_service_handle_register_resolver (FerryDBusAgent        *agent,
                                              GDBusMethodInvocation *invocation,
                                              const char            *arg_path)
{
  return handle_resolver_call (FERRY_AGENT_SERVICE (agent), invocation, CALL_REGISTER_RESOLVER,
                               arg_path);
}

static gboolean
ferry_agent_service_handle_unregister_resolver (FerryDBusAgent        *agent,
                                                GDBusMethodInvocation *invocation,
                                                const char            *arg_path)
{
  return handle_resolver_call (FERRY_AGENT_SERVICE (agent), invocation,
                               CALL_UNREGISTER_RESOLVER, arg_path);
}

/* Engine → D-Bus */

static void
push_progress (FerryAgentService *self)
{
  guint done = 0, total = 0;

  ferry_sync_manager_get_progress (self->manager, &done, &total);
  ferry_dbus_agent_set_progress (FERRY_DBUS_AGENT (self), g_variant_new ("(uu)", done, total));
}

static gboolean
progress_timeout_cb (gpointer user_data)
{
  FerryAgentService *self = user_data;

  if (self->progress_dirty)
    {
      self->progress_dirty = FALSE;
      push_progress (self);
      return G_SOURCE_CONTINUE;
    }
  self->progress_timeout_id = 0;
  return G_SOURCE_REMOVE;
}

/*
 * A run may move progress thousands of times a second.  The first change is
 * sent at once; later ones within PROGRESS_INTERVAL_MS are folded into one
 * sent when the interval ends, so the final value always goes out.
 */
static void
on_manager_progress_notify (FerrySyncManager  *manager,
                            GParamSpec        *pspec,
                            FerryAgentService *self)
{
  if (self->progress_timeout_id != 0)
    {
      self->progress_dirty = TRUE;
      return;
    }
  push_progress (self);
  self->progress_timeout_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_timeout_cb, self);
}

static void
on_manager_task_added (FerrySyncManager  *manager,
                       FerryTask         *task,
                       FerryAgentService *self)
{
  ferry_dbus_agent_emit_task_added (FERRY_DBUS_AGENT (self),
                                    task->id, task->owner, task_state_name (task));
}

static void
on_manager_task_changed (FerrySyncManager  *manager,
                         FerryTask         *task,
                         FerryAgentService *self)
{
  ferry_dbus_agent_emit_task_changed (FERRY_DBUS_AGENT (self),
                                      task->id, task->owner, task_state_name (task));
}

static void
on_manager_task_succeeded (FerrySyncManager  *manager,
                           FerryTask         *task,
                           FerryAgentService *self)
{
  ferry_dbus_agent_emit_task_succeeded (FERRY_DBUS_AGENT (self),
                                        task->id, task->owner, task->response_status);
}

static void
on_manager_task_failed (FerrySyncManager  *manager,
                        FerryTask         *task,
                        FerryAgentService *self)
{
  g_autofree char *reason = signal_reason (task->last_error, task->last_status);

  g_debug ("task %s of %s failed: %s", task->id, task->owner, reason);
  ferry_dbus_agent_emit_task_failed (FERRY_DBUS_AGENT (self), task->id, task->owner, reason);
}

static void
on_manager_retry_scheduled (FerrySyncManager  *manager,
                            FerryTask         *task,
                            guint              attempt,
                            gint64             when,
                            const char        *text,
                            FerryAgentService *self)
{
  g_autofree char *reason = signal_reason (text, task->last_status);

  ferry_dbus_agent_emit_retry_scheduled (FERRY_DBUS_AGENT (self),
                                         task->id, task->owner, attempt, when, reason);
}

static void
on_manager_task_stalled (FerrySyncManager  *manager,
                         FerryTask         *task,
                         FerryAgentService *self)
{
  g_autofree char *reason = signal_reason (task->last_error, task->last_status);

  ferry_dbus_agent_emit_task_stalled (FERRY_DBUS_AGENT (self), task->id, task->owner,
                                      task->failing_since, reason);
}

static void
on_manager_conflict_detected (FerrySyncManager  *manager,
                              FerryTask         *task,
                              FerryAgentService *self)
{
  ferry_dbus_agent_emit_conflict_detected (FERRY_DBUS_AGENT (self), task->id, task->owner);
}

static void
on_manager_auth_required (FerrySyncManager  *manager,
                          FerryTask         *task,
                          FerryAgentService *self)
{
  ferry_dbus_agent_emit_auth_required (FERRY_DBUS_AGENT (self), task->id, task->owner);
}

static void
on_manager_run_started (FerrySyncManager  *manager,
                        FerryAgentService *self)
{
  ferry_dbus_agent_emit_run_started (FERRY_DBUS_AGENT (self));
}

static void
on_manager_run_finished (FerrySyncManager  *manager,
                         FerryRunSummary   *summary,
                         FerryAgentService *self)
{
  /* Progress reaches its final value before the run is reported over. */
  if (self->progress_dirty)
    {
      self->progress_dirty = FALSE;
      push_progress (self);
    }
  g_debug ("run finished: %u succeeded, %u failed, %u retried, %u conflicts, %u held",
           summary->succeeded, summary->failed, summary->retried, summary->conflicts,
           summary->auth_required);
  ferry_dbus_agent_emit_run_finished (FERRY_DBUS_AGENT (self),
                                      ferry_agent_args_summary_to_variant (summary));
}

static gboolean
transform_state_to_string (GBinding     *binding,
                           const GValue *from_value,
                           GValue       *to_value,
                           gpointer      user_data)
{
  FerrySyncState state;
  const char *name;

  if (G_VALUE_HOLDS_ENUM (from_value))
    state = g_value_get_enum (from_value);
  else
    state = g_value_get_uint (from_value);
  name = ferry_sync_state_to_string (state);
  g_value_set_string (to_value, name != NULL ? name : "idle");
  return TRUE;
}

/* GObject */

static void
ferry_agent_service_dispose (GObject *object)
{
  FerryAgentService *self = FERRY_AGENT_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_timeout_id, g_source_remove);

  /* Nobody will run these: answer them rather than leave callers hanging. */
  if (self->waiting != NULL)
    {
      while (self->waiting->len > 0)
        {
          Call *call = g_ptr_array_steal_index (self->waiting, 0);
          g_autoptr(GError) error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED,
                                                         "ferryd is shutting down");

          call_fail (call, error);
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

static void
ferry_agent_service_init (FerryAgentService *self)
{
  self->waiting = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

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
  static const char * const plain_properties[] = {
    "online", "metered", "paused", "pending-count", "failed-count", "conflict-count",
    "auth-count", "last-sync-time", "next-sync-time",
  };
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (FERRY_IS_AGENT_SERVICE (self));
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (manager));
  g_return_if_fail (self->manager == NULL);

  self->manager = g_object_ref (manager);

  /* The exported names mirror the engine's (PendingCount ↔ pending-count). */
  for (guint i = 0; i < G_N_ELEMENTS (plain_properties); i++)
    g_object_bind_property (manager, plain_properties[i], self, plain_properties[i],
                            G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (manager, "state", self, "state", G_BINDING_SYNC_CREATE,
                               transform_state_to_string, NULL, NULL, NULL);

  push_progress (self);
  g_signal_connect_object (manager, "notify::progress-done",
                           G_CALLBACK (on_manager_progress_notify), self, 0);
  g_signal_connect_object (manager, "notify::progress-total",
                           G_CALLBACK (on_manager_progress_notify), self, 0);

  g_signal_connect_object (manager, "task-added",
                           G_CALLBACK (on_manager_task_added), self, 0);
  g_signal_connect_object (manager, "task-changed",
                           G_CALLBACK (on_manager_task_changed), self, 0);
  g_signal_connect_object (manager, "task-succeeded",
                           G_CALLBACK (on_manager_task_succeeded), self, 0);
  g_signal_connect_object (manager, "task-failed",
                           G_CALLBACK (on_manager_task_failed), self, 0);
  g_signal_connect_object (manager, "retry-scheduled",
                           G_CALLBACK (on_manager_retry_scheduled), self, 0);
  g_signal_connect_object (manager, "task-stalled",
                           G_CALLBACK (on_manager_task_stalled), self, 0);
  g_signal_connect_object (manager, "conflict-detected",
                           G_CALLBACK (on_manager_conflict_detected), self, 0);
  g_signal_connect_object (manager, "auth-required",
                           G_CALLBACK (on_manager_auth_required), self, 0);
  g_signal_connect_object (manager, "run-started",
                           G_CALLBACK (on_manager_run_started), self, 0);
  g_signal_connect_object (manager, "run-finished",
                           G_CALLBACK (on_manager_run_finished), self, 0);

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
