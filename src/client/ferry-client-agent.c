/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-agent"

#include "config.h"

#include "ferry-error.h"
#include "ferry-client-private.h"
#include "ferry-client-transfers-private.h"
#include "ferry-proxy-signals-private.h"

/*
 * Following the agent: the generated proxy (created by the async
 * initialisation), its name owner (the agent running or not), its
 * properties (read into the client's by ferry_client_sync_properties()) and
 * its signals, which the client emits again as its own.
 */

enum {
  AGENT_APPEARED,
  AGENT_VANISHED,
  TASK_ADDED,
  TASK_CHANGED,
  TASK_SUCCEEDED,
  TASK_FAILED,
  RETRY_SCHEDULED,
  TASK_STALLED,
  CONFLICT_DETECTED,
  AUTH_REQUIRED,
  RUN_STARTED,
  RUN_FINISHED,
  TRANSFER_PROGRESS,
  STORAGE_QUOTA_EXCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The agent coming and going, and its runs. */
static void
install_agent_signals (GType type)
{
  /**
   * FerryClient::agent-appeared:
   * @self: the client
   *
   * The agent took its name on the bus; the properties already hold its
   * values.
   */
  signals[AGENT_APPEARED] =
    g_signal_new ("agent-appeared", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryClient::agent-vanished:
   * @self: the client
   *
   * The agent left the bus (it exited or crashed).  Not emitted when the
   * agent only moves to another connection (see #FerryClient:agent-owner).
   */
  signals[AGENT_VANISHED] =
    g_signal_new ("agent-vanished", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryClient::run-started:
   * @self: the client
   *
   * A run began delivering tasks.
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryClient::run-finished:
   * @self: the client
   * @summary: what the run did, an `a{sv}` with the keys succeeded, failed,
   *   retried, conflicts, auth-required (each `u`) and started, finished
   *   (each `x`)
   *
   * A run ended.
   */
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_VARIANT);
}

/* What happens to one task, re-emitted from the agent's signals. */
static void
install_task_signals (GType type)
{
  /**
   * FerryClient::task-added:
   * @self: the client
   * @id: the new task's id
   * @owner: its owner
   * @state: its state (normally pending)
   *
   * A task was stored.
   */
  signals[TASK_ADDED] =
    g_signal_new ("task-added", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, FERRY_TYPE_CLIENT_TASK_STATE);

  /**
   * FerryClient::task-changed:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   * @state: its new state
   *
   * A task changed state, or was replaced by a new payload.
   */
  signals[TASK_CHANGED] =
    g_signal_new ("task-changed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, FERRY_TYPE_CLIENT_TASK_STATE);

  /**
   * FerryClient::task-succeeded:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   * @status: the HTTP status of the final response
   *
   * A task was delivered.
   */
  signals[TASK_SUCCEEDED] =
    g_signal_new ("task-succeeded", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);

  /**
   * FerryClient::task-failed:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   * @reason: a short technical reason, e.g. "HTTP 404"
   *
   * A task failed for good; it waits for a retry or a cancel.
   */
  signals[TASK_FAILED] =
    g_signal_new ("task-failed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

/* A task that keeps failing or waits for the person. */
static void
install_attention_signals (GType type)
{
  /**
   * FerryClient::retry-scheduled:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   * @attempt: the number of the attempt that failed
   * @when: when the next attempt is due, in µs since the epoch
   * @reason: why the attempt failed
   *
   * An attempt failed in a way worth retrying.
   */
  signals[RETRY_SCHEDULED] =
    g_signal_new ("retry-scheduled", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_STRING);

  /**
   * FerryClient::task-stalled:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   * @failing_since: since when its attempts keep failing, in µs since the
   *   epoch
   * @reason: why the last attempt failed
   *
   * A task has been failing in a way worth retrying for an hour; it is
   * still retried.  Emitted once per run of failures.
   */
  signals[TASK_STALLED] =
    g_signal_new ("task-stalled", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);

  /**
   * FerryClient::conflict-detected:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   *
   * The server's copy moved on and the task needs a decision (see
   * ferry_client_resolve_async()).
   */
  signals[CONFLICT_DETECTED] =
    g_signal_new ("conflict-detected", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);

  /**
   * FerryClient::auth-required:
   * @self: the client
   * @id: the task's id
   * @owner: its owner
   *
   * The server asked for credentials (401 or 403): the task and its group
   * wait until the task is retried (see ferry_client_retry_async()).
   */
  signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);
}

/* Files: downloads and uploads. */
static void
install_transfer_signals (GType type)
{
  /**
   * FerryClient::transfer-progress:
   * @self: the client
   * @id: the transfer's task id
   * @owner: its owner
   * @upload: whether it is an upload (else a download)
   * @done: bytes done
   * @total: bytes in all, -1 while unknown
   * @rate: bytes per second lately
   *
   * A download or upload moved on; at most four times a second per
   * transfer.
   */
  signals[TRANSFER_PROGRESS] =
    g_signal_new ("transfer-progress", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 6,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_INT64, G_TYPE_INT64,
                  G_TYPE_UINT64);

  /**
   * FerryClient::storage-quota-exceeded:
   * @self: the client
   * @owner: the app
   * @used: bytes its files take
   * @quota: its quota in bytes
   * @needed: bytes a transfer needed, 0 when unknown
   *
   * A transfer found no room in its app's quota or on the disk: it fails
   * when it can never fit, and waits otherwise.
   */
  signals[STORAGE_QUOTA_EXCEEDED] =
    g_signal_new ("storage-quota-exceeded", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT64);
}

/* Called from ferry_client_class_init(). */
void
ferry_client_install_signals (GObjectClass *object_class)
{
  GType type = G_TYPE_FROM_CLASS (object_class);

  install_agent_signals (type);
  install_task_signals (type);
  install_attention_signals (type);
  install_transfer_signals (type);
}

static void
update_agent_owner (FerryClient *self)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));
  gboolean was_running = self->agent_owner != NULL;
  gboolean running = owner != NULL;

  if (g_strcmp0 (owner, self->agent_owner) == 0)
    return;

  /* The agent said it moves there: the same one goes on, nothing to
   * read again (the proxy has the properties from the new owner). */
  if (was_running && running && g_strcmp0 (owner, self->agent_successor) == 0)
    {
      g_debug ("the agent moved from %s to %s", self->agent_owner, owner);
      g_clear_pointer (&self->agent_successor, g_free);
      g_free (self->agent_owner);
      self->agent_owner = g_steal_pointer (&owner);
      ferry_client_sync_properties (self);
      ferry_client_notify_agent_owner (self, FALSE);
      return;
    }
  g_clear_pointer (&self->agent_successor, g_free);

  /* A restart may be seen as one change from an old owner to a new one. */
  if (was_running && running)
    {
      g_clear_pointer (&self->agent_owner, g_free);
      ferry_client_notify_agent_owner (self, TRUE);
      ferry_client_forget_transfer (self, NULL);
      g_signal_emit (self, signals[AGENT_VANISHED], 0);
      was_running = FALSE;
    }

  g_free (self->agent_owner);
  self->agent_owner = g_steal_pointer (&owner);

  ferry_client_sync_properties (self);

  ferry_client_notify_agent_owner (self, was_running != running);
  if (was_running != running)
    g_signal_emit (self, running ? signals[AGENT_APPEARED] : signals[AGENT_VANISHED], 0);

  ferry_client_complete_start_waiters (self);
}

static void
on_proxy_notify_name_owner (FerryClient *self,
                            GParamSpec  *pspec,
                            GDBusProxy  *proxy)
{
  update_agent_owner (self);
}

static void
on_proxy_properties_changed (FerryClient        *self,
                             GVariant           *changed,
                             const char * const *invalidated,
                             GDBusProxy         *proxy)
{
  if (g_strcmp0 (ferry_dbus_agent_get_state (FERRY_DBUS_AGENT (proxy)), "syncing") != 0)
    ferry_client_forget_stopped_transfers (self);
  ferry_client_sync_properties (self);
}

static FerryClientTaskState
parse_task_state (const char *name)
{
  FerryClientTaskState state;

  if (!ferry_client_task_state_from_string (name, &state))
    return FERRY_CLIENT_TASK_STATE_UNKNOWN;
  return state;
}

static void
on_proxy_task_added (FerryClient    *self,
                     const char     *id,
                     const char     *owner,
                     const char     *state,
                     FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[TASK_ADDED], 0, id, owner, parse_task_state (state));
}

static void
on_proxy_task_changed (FerryClient    *self,
                       const char     *id,
                       const char     *owner,
                       const char     *state,
                       FerryDBusAgent *proxy)
{
  /* A transfer that stopped running is no longer moving; it is
   * forgotten when the run ends. */
  if (g_strcmp0 (state, "running") != 0)
    ferry_client_stop_transfer (self, id);
  g_signal_emit (self, signals[TASK_CHANGED], 0, id, owner, parse_task_state (state));
}

static void
on_proxy_task_succeeded (FerryClient    *self,
                         const char     *id,
                         const char     *owner,
                         guint           status,
                         FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[TASK_SUCCEEDED], 0, id, owner, status);
}

static void
on_proxy_task_failed (FerryClient    *self,
                      const char     *id,
                      const char     *owner,
                      const char     *reason,
                      FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[TASK_FAILED], 0, id, owner, reason);
}

static void
on_proxy_retry_scheduled (FerryClient    *self,
                          const char     *id,
                          const char     *owner,
                          guint           attempt,
                          gint64          when,
                          const char     *reason,
                          FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[RETRY_SCHEDULED], 0, id, owner, attempt, when, reason);
}

static void
on_proxy_task_stalled (FerryClient    *self,
                       const char     *id,
                       const char     *owner,
                       gint64          failing_since,
                       const char     *reason,
                       FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[TASK_STALLED], 0, id, owner, failing_since, reason);
}

static void
on_proxy_conflict_detected (FerryClient    *self,
                            const char     *id,
                            const char     *owner,
                            FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[CONFLICT_DETECTED], 0, id, owner);
}

static void
on_proxy_auth_required (FerryClient    *self,
                        const char     *id,
                        const char     *owner,
                        FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[AUTH_REQUIRED], 0, id, owner);
}

static void
on_proxy_transfer_progress (FerryClient    *self,
                            const char     *id,
                            const char     *owner,
                            const char     *kind,
                            gint64          done,
                            gint64          total,
                            guint64         rate,
                            FerryDBusAgent *proxy)
{
  gboolean upload = g_strcmp0 (kind, "upload") == 0;

  ferry_client_note_transfer (self, id, upload, done, total, rate);
  g_signal_emit (self, signals[TRANSFER_PROGRESS], 0, id, owner, upload, done, total, rate);
}

static void
on_proxy_storage_quota_exceeded (FerryClient    *self,
                                 const char     *owner,
                                 guint64         used,
                                 guint64         quota,
                                 guint64         needed,
                                 FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[STORAGE_QUOTA_EXCEEDED], 0, owner, used, quota, needed);
}

static void
on_proxy_moving (FerryClient    *self,
                 const char     *successor,
                 FerryDBusAgent *proxy)
{
  g_free (self->agent_successor);
  self->agent_successor = g_strdup (successor);
}

static void
on_proxy_run_started (FerryClient    *self,
                      FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[RUN_STARTED], 0);
}

static void
on_proxy_run_finished (FerryClient    *self,
                       GVariant       *summary,
                       FerryDBusAgent *proxy)
{
  g_signal_emit (self, signals[RUN_FINISHED], 0, summary);
}

static void
proxy_new_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->proxy = ferry_dbus_agent_proxy_new_finish (result, &error);
  if (self->proxy == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Calls can take a while when the agent has to start first. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), 60 * 1000);
  ferry_proxy_follow_signals (G_DBUS_PROXY (self->proxy));

  g_signal_connect_object (self->proxy, "notify::g-name-owner",
                           G_CALLBACK (on_proxy_notify_name_owner), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "g-properties-changed",
                           G_CALLBACK (on_proxy_properties_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "task-added",
                           G_CALLBACK (on_proxy_task_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "task-changed",
                           G_CALLBACK (on_proxy_task_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "task-succeeded",
                           G_CALLBACK (on_proxy_task_succeeded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "task-failed",
                           G_CALLBACK (on_proxy_task_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "retry-scheduled",
                           G_CALLBACK (on_proxy_retry_scheduled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "task-stalled",
                           G_CALLBACK (on_proxy_task_stalled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "conflict-detected",
                           G_CALLBACK (on_proxy_conflict_detected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "auth-required",
                           G_CALLBACK (on_proxy_auth_required), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "transfer-progress",
                           G_CALLBACK (on_proxy_transfer_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "storage-quota-exceeded",
                           G_CALLBACK (on_proxy_storage_quota_exceeded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "moving",
                           G_CALLBACK (on_proxy_moving), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "run-started",
                           G_CALLBACK (on_proxy_run_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "run-finished",
                           G_CALLBACK (on_proxy_run_finished), self, G_CONNECT_SWAPPED);

  self->agent_owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));
  ferry_client_sync_properties (self);

  g_task_return_boolean (task, TRUE);
}

static void
create_proxy (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  /* The proxy itself never starts the agent: activation failing must not
   * make the client unusable, so starting is done per call (see
   * ferry_client_call_agent()) with StartServiceByName, whose error the
   * call reports. */
  ferry_dbus_agent_proxy_new (self->connection,
                              G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                              G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                              FERRY_DBUS_NAME,
                              FERRY_DBUS_PATH,
                              g_task_get_cancellable (task),
                              proxy_new_cb,
                              task);
}

static void
bus_get_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->connection = g_bus_get_finish (result, &error);
  if (self->connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  create_proxy (g_steal_pointer (&task));
}

static void
ferry_client_init_async (GAsyncInitable      *initable,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  FerryClient *self = FERRY_CLIENT (initable);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_client_init_async);
  g_task_set_priority (task, io_priority);

  /* So that the agent's errors come back as FERRY_ERROR. */
  ferry_error_quark ();

  if (self->connection == NULL)
    g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_get_cb, g_steal_pointer (&task));
  else
    create_proxy (g_steal_pointer (&task));
}

static gboolean
ferry_client_init_finish (GAsyncInitable  *initable,
                          GAsyncResult    *result,
                          GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, initable), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ferry_client_async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = ferry_client_init_async;
  iface->init_finish = ferry_client_init_finish;
}
