/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-signals"

#include "config.h"

#include <string.h>

#include "ferry-agent-service-private.h"

/*
 * Engine → D-Bus: the sync manager's state as the service's properties,
 * and its signals as the interface's, with progress folded so that a busy
 * run does not flood the bus.
 */

/* Progress is sent at most this often; the last value always follows. */
#define PROGRESS_INTERVAL_MS 100

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

/* Signals go out while the interface is exported, not before nor after. */
static gboolean
may_send (FerryAgentService *self)
{
  return self->callers != NULL &&
         g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self)) != NULL;
}

/* Sends @name to each peer that has talked to ferryd; with @owner, only to
 * those that may see that app's tasks and files. */
static void
send_to_peers (FerryAgentService *self,
               const char        *owner,
               const char        *name,
               GVariant          *parameters)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (parameters);
  g_autoptr(GPtrArray) callers = NULL;

  if (!may_send (self))
    return;
  callers = ferry_caller_cache_dup_callers (self->callers);
  for (guint i = 0; i < callers->len; i++)
    {
      FerryCaller *caller = g_ptr_array_index (callers, i);

      if (owner == NULL || !caller->sandboxed || ferry_caller_is_owner (caller, owner))
        ferry_caller_cache_emit (self->callers, caller->unique_name, FERRY_DBUS_PATH,
                                 FERRY_DBUS_INTERFACE, name, owned);
    }
}

/**
 * ferry_agent_service_emit_about:
 * @self: the service
 * @owner: the app the signal is about
 * @name: the signal's name on the agent's interface
 * @parameters: (transfer floating): its arguments
 *
 * Sends a signal about @owner's task or files to each peer that may see
 * them, rather than to the whole bus: a sandboxed app hears only of its
 * own.  The peers are those that have talked to ferryd (a client's proxy
 * does when it starts).
 */
void
ferry_agent_service_emit_about (FerryAgentService *self,
                                const char        *owner,
                                const char        *name,
                                GVariant          *parameters)
{
  g_return_if_fail (owner != NULL);

  send_to_peers (self, owner, name, parameters);
}

static void
on_manager_task_added (FerrySyncManager  *manager,
                       FerryTask         *task,
                       FerryAgentService *self)
{
  ferry_agent_service_emit_about (self, task->owner, "TaskAdded",
                                  g_variant_new ("(sss)", task->id, task->owner,
                                                 task_state_name (task)));
}

static void
on_manager_task_changed (FerrySyncManager  *manager,
                         FerryTask         *task,
                         FerryAgentService *self)
{
  ferry_agent_service_emit_about (self, task->owner, "TaskChanged",
                                  g_variant_new ("(sss)", task->id, task->owner,
                                                 task_state_name (task)));
}

static void
on_manager_task_succeeded (FerrySyncManager  *manager,
                           FerryTask         *task,
                           FerryAgentService *self)
{
  ferry_agent_service_emit_about (self, task->owner, "TaskSucceeded",
                                  g_variant_new ("(ssu)", task->id, task->owner,
                                                 task->response_status));
}

static void
on_manager_task_failed (FerrySyncManager  *manager,
                        FerryTask         *task,
                        FerryAgentService *self)
{
  g_autofree char *reason = signal_reason (task->last_error, task->last_status);

  g_debug ("task %s of %s failed: %s", task->id, task->owner, reason);
  ferry_agent_service_emit_about (self, task->owner, "TaskFailed",
                                  g_variant_new ("(sss)", task->id, task->owner, reason));
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

  ferry_agent_service_emit_about (self, task->owner, "RetryScheduled",
                                  g_variant_new ("(ssuxs)", task->id, task->owner, attempt,
                                                 when, reason));
}

static void
on_manager_task_stalled (FerrySyncManager  *manager,
                         FerryTask         *task,
                         FerryAgentService *self)
{
  g_autofree char *reason = signal_reason (task->last_error, task->last_status);

  ferry_agent_service_emit_about (self, task->owner, "TaskStalled",
                                  g_variant_new ("(ssxs)", task->id, task->owner,
                                                 task->failing_since, reason));
}

static void
on_manager_conflict_detected (FerrySyncManager  *manager,
                              FerryTask         *task,
                              FerryAgentService *self)
{
  ferry_agent_service_emit_about (self, task->owner, "ConflictDetected",
                                  g_variant_new ("(ss)", task->id, task->owner));
}

static void
on_manager_auth_required (FerrySyncManager  *manager,
                          FerryTask         *task,
                          FerryAgentService *self)
{
  ferry_agent_service_emit_about (self, task->owner, "AuthRequired",
                                  g_variant_new ("(ss)", task->id, task->owner));
}

/**
 * ferry_agent_service_emit_moving:
 * @self: the service
 * @successor: the unique name of the connection ferryd moves to
 *
 * Tells every peer that has talked to ferryd, sandboxed or not, that the
 * name moves to @successor and the agent stays the same.
 */
void
ferry_agent_service_emit_moving (FerryAgentService *self,
                                 const char        *successor)
{
  g_return_if_fail (FERRY_IS_AGENT_SERVICE (self));

  send_to_peers (self, NULL, "Moving", g_variant_new ("(s)", successor));
}

/* A signal about every app's tasks together, to every peer that listens
 * (held, like the others, while ferryd moves to another connection). */
static void
emit_to_all (FerryAgentService *self,
             const char        *name,
             GVariant          *parameters)
{
  g_autoptr(GVariant) owned = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;

  if (may_send (self))
    ferry_caller_cache_emit (self->callers, NULL, FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE, name,
                             owned);
}

static void
on_manager_run_started (FerrySyncManager  *manager,
                        FerryAgentService *self)
{
  emit_to_all (self, "RunStarted", NULL);
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
  emit_to_all (self, "RunFinished",
               g_variant_new ("(@a{sv})", ferry_agent_args_summary_to_variant (summary)));
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

/* Binds the attached manager's state to the exported properties and
 * forwards its signals. */
void
ferry_agent_signals_attach (FerryAgentService *self)
{
  static const char * const plain_properties[] = {
    "online", "metered", "paused", "pending-count", "failed-count", "conflict-count",
    "auth-count", "last-sync-time", "next-sync-time",
  };
  FerrySyncManager *manager = self->manager;

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
}
