/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client"

#include "config.h"

#include "ferry-dbus-generated.h"
#include "ferry-error.h"
#include "ferry-task-info-private.h"
#include "ferry-client.h"

/**
 * FerryClient:
 *
 * The one door to the Ferry agent (ferryd) for apps, the window, the tray
 * and ferryctl: a GObject over the agent's D-Bus interface.
 *
 * The client follows the agent appearing and vanishing on the bus
 * (#FerryClient:agent-running), mirrors the agent's state as properties
 * that notify only on a real change, re-emits the agent's signals, and
 * wraps every method as an `_async`/`_finish` pair.  Errors the agent
 * sends arrive in the %FERRY_ERROR domain, their message stripped of the
 * D-Bus error name.
 *
 * Unless created with %FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START, a call made
 * while the agent is not running first starts it by D-Bus activation; with
 * the flag, such a call fails with %G_DBUS_ERROR_NAME_HAS_NO_OWNER.
 */
struct _FerryClient
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  FerryDBusAgent *proxy;
  char *agent_owner;
  GQueue start_waiters;          /* StartWaiter *: start calls waiting for the name */

  /* state */
  FerryClientFlags flags;
  FerryAgentState state;
  gboolean online;
  gboolean metered;
  gboolean paused;
  guint pending_count;
  guint failed_count;
  guint conflict_count;
  guint auth_count;
  guint progress_done;
  guint progress_total;
  gint64 last_sync_time;
  gint64 next_sync_time;
};

static void ferry_client_async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryClient, ferry_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE,
                                                      ferry_client_async_initable_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_FLAGS,
  PROP_AGENT_RUNNING,
  PROP_AGENT_OWNER,
  PROP_STATE,
  PROP_ONLINE,
  PROP_METERED,
  PROP_PAUSED,
  PROP_PENDING_COUNT,
  PROP_FAILED_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_AUTH_COUNT,
  PROP_PROGRESS_DONE,
  PROP_PROGRESS_TOTAL,
  PROP_LAST_SYNC_TIME,
  PROP_NEXT_SYNC_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Per-call state of a method wrapper. */
typedef void (*AgentCallFunc) (FerryClient *self,
                               GTask       *task);

typedef struct
{
  AgentCallFunc  func;
  char          *id;
  char          *choice;
  GVariant      *args;           /* request, filter or body */
  guint          offset;
  guint          limit;
} CallData;

/* A start-agent call waiting for the proxy to see the agent's name. */
typedef struct
{
  GTask   *task;
  GSource *cancel_source;
} StartWaiter;

static void
call_data_free (CallData *data)
{
  g_free (data->id);
  g_free (data->choice);
  g_clear_pointer (&data->args, g_variant_unref);
  g_free (data);
}

static CallData *
call_data_new (AgentCallFunc func)
{
  CallData *data = g_new0 (CallData, 1);

  data->func = func;
  return data;
}

/* Errors from the bus carry the D-Bus error name in their message; the
 * domain and code already say it, so drop it from what people read. */
static void
return_dbus_error (GTask  *task,
                   GError *error)
{
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);
  g_task_return_error (task, error);
}

#define SET_FIELD(self, field, value, prop_id)                                  \
  G_STMT_START {                                                                \
    if ((self)->field != (value))                                               \
      {                                                                         \
        (self)->field = (value);                                                \
        g_object_notify_by_pspec (G_OBJECT (self), properties[(prop_id)]);     \
      }                                                                         \
  } G_STMT_END

/* Reads every property from the proxy's cache, which is empty while the
 * agent is not running, so everything falls back to its default then. */
static void
sync_properties (FerryClient *self)
{
  g_autoptr(GVariant) progress = NULL;
  const char *state_name;
  guint done = 0;
  guint total = 0;

  state_name = ferry_dbus_agent_get_state (self->proxy);
  progress = ferry_dbus_agent_dup_progress (self->proxy);
  if (progress != NULL && g_variant_is_of_type (progress, G_VARIANT_TYPE ("(uu)")))
    g_variant_get (progress, "(uu)", &done, &total);

  g_object_freeze_notify (G_OBJECT (self));
  SET_FIELD (self, state, ferry_agent_state_from_string (state_name), PROP_STATE);
  SET_FIELD (self, online, !!ferry_dbus_agent_get_online (self->proxy), PROP_ONLINE);
  SET_FIELD (self, metered, !!ferry_dbus_agent_get_metered (self->proxy), PROP_METERED);
  SET_FIELD (self, paused, !!ferry_dbus_agent_get_paused (self->proxy), PROP_PAUSED);
  SET_FIELD (self, pending_count, ferry_dbus_agent_get_pending_count (self->proxy),
             PROP_PENDING_COUNT);
  SET_FIELD (self, failed_count, ferry_dbus_agent_get_failed_count (self->proxy),
             PROP_FAILED_COUNT);
  SET_FIELD (self, conflict_count, ferry_dbus_agent_get_conflict_count (self->proxy),
             PROP_CONFLICT_COUNT);
  SET_FIELD (self, auth_count, ferry_dbus_agent_get_auth_count (self->proxy), PROP_AUTH_COUNT);
  SET_FIELD (self, progress_done, done, PROP_PROGRESS_DONE);
  SET_FIELD (self, progress_total, total, PROP_PROGRESS_TOTAL);
  SET_FIELD (self, last_sync_time, ferry_dbus_agent_get_last_sync_time (self->proxy),
             PROP_LAST_SYNC_TIME);
  SET_FIELD (self, next_sync_time, ferry_dbus_agent_get_next_sync_time (self->proxy),
             PROP_NEXT_SYNC_TIME);
  g_object_thaw_notify (G_OBJECT (self));
}

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

static void
complete_start_waiters (FerryClient *self)
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

static void
update_agent_owner (FerryClient *self)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));
  gboolean was_running = self->agent_owner != NULL;
  gboolean running = owner != NULL;

  if (g_strcmp0 (owner, self->agent_owner) == 0)
    return;

  /* A restart may be seen as one change from an old owner to a new one. */
  if (was_running && running)
    {
      g_clear_pointer (&self->agent_owner, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_OWNER]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_RUNNING]);
      g_signal_emit (self, signals[AGENT_VANISHED], 0);
      was_running = FALSE;
    }

  g_free (self->agent_owner);
  self->agent_owner = g_steal_pointer (&owner);

  sync_properties (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_OWNER]);
  if (was_running != running)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_RUNNING]);
      g_signal_emit (self, running ? signals[AGENT_APPEARED] : signals[AGENT_VANISHED], 0);
    }

  complete_start_waiters (self);
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
  sync_properties (self);
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
  g_signal_connect_object (self->proxy, "run-started",
                           G_CALLBACK (on_proxy_run_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->proxy, "run-finished",
                           G_CALLBACK (on_proxy_run_finished), self, G_CONNECT_SWAPPED);

  self->agent_owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));
  sync_properties (self);

  g_task_return_boolean (task, TRUE);
}

static void
create_proxy (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  /* The proxy itself never starts the agent: activation failing must not
   * make the client unusable, so starting is done per call (see
   * call_agent) with StartServiceByName, whose error the call reports. */
  ferry_dbus_agent_proxy_new (self->connection,
                              G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
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

static void
ferry_client_async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = ferry_client_init_async;
  iface->init_finish = ferry_client_init_finish;
}

static void
ferry_client_dispose (GObject *object)
{
  FerryClient *self = (FerryClient *) object;

  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);

  G_OBJECT_CLASS (ferry_client_parent_class)->dispose (object);
}

static void
ferry_client_finalize (GObject *object)
{
  FerryClient *self = (FerryClient *) object;

  /* Each waiting start call holds a reference on the client. */
  g_assert (g_queue_is_empty (&self->start_waiters));

  g_clear_object (&self->connection);
  g_free (self->agent_owner);

  G_OBJECT_CLASS (ferry_client_parent_class)->finalize (object);
}

static void
ferry_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryClient *self = FERRY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_FLAGS:
      g_value_set_flags (value, self->flags);
      break;
    case PROP_AGENT_RUNNING:
      g_value_set_boolean (value, self->agent_owner != NULL);
      break;
    case PROP_AGENT_OWNER:
      g_value_set_string (value, self->agent_owner);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;
    case PROP_FAILED_COUNT:
      g_value_set_uint (value, self->failed_count);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->conflict_count);
      break;
    case PROP_AUTH_COUNT:
      g_value_set_uint (value, self->auth_count);
      break;
    case PROP_PROGRESS_DONE:
      g_value_set_uint (value, self->progress_done);
      break;
    case PROP_PROGRESS_TOTAL:
      g_value_set_uint (value, self->progress_total);
      break;
    case PROP_LAST_SYNC_TIME:
      g_value_set_int64 (value, self->last_sync_time);
      break;
    case PROP_NEXT_SYNC_TIME:
      g_value_set_int64 (value, self->next_sync_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryClient *self = FERRY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_FLAGS:
      self->flags = g_value_get_flags (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
count_param (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
ferry_client_class_init (FerryClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_client_dispose;
  object_class->finalize = ferry_client_finalize;
  object_class->get_property = ferry_client_get_property;
  object_class->set_property = ferry_client_set_property;

  /**
   * FerryClient:connection:
   *
   * The bus connection; the session bus when %NULL is given at
   * construction.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:flags:
   *
   * How the client behaves toward an agent that is not running.
   */
  properties[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, NULL,
                        FERRY_TYPE_CLIENT_FLAGS, FERRY_CLIENT_FLAGS_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:agent-running:
   *
   * Whether the agent owns its name on the bus.  While it does not, every
   * other property holds its default value.
   */
  properties[PROP_AGENT_RUNNING] =
    g_param_spec_boolean ("agent-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:agent-owner:
   *
   * The unique bus name of the running agent, or %NULL.
   */
  properties[PROP_AGENT_OWNER] =
    g_param_spec_string ("agent-owner", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:state:
   *
   * The agent's overall state.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       FERRY_TYPE_AGENT_STATE, FERRY_AGENT_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:online:
   *
   * Whether the network allows sending.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:metered:
   *
   * Whether the network is metered.
   */
  properties[PROP_METERED] =
    g_param_spec_boolean ("metered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:paused:
   *
   * Whether sending is paused.
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:pending-count:
   *
   * Tasks pending or running.
   */
  properties[PROP_PENDING_COUNT] = count_param ("pending-count");

  /**
   * FerryClient:failed-count:
   *
   * Tasks that failed for good.
   */
  properties[PROP_FAILED_COUNT] = count_param ("failed-count");

  /**
   * FerryClient:conflict-count:
   *
   * Tasks waiting in conflict.
   */
  properties[PROP_CONFLICT_COUNT] = count_param ("conflict-count");

  /**
   * FerryClient:auth-count:
   *
   * Tasks held for credentials.
   */
  properties[PROP_AUTH_COUNT] = count_param ("auth-count");

  /**
   * FerryClient:progress-done:
   *
   * Tasks the current run has finished.
   */
  properties[PROP_PROGRESS_DONE] = count_param ("progress-done");

  /**
   * FerryClient:progress-total:
   *
   * Tasks the current run is delivering in all.
   */
  properties[PROP_PROGRESS_TOTAL] = count_param ("progress-total");

  /**
   * FerryClient:last-sync-time:
   *
   * When the last run finished, in µs since the epoch; 0 before the first.
   */
  properties[PROP_LAST_SYNC_TIME] =
    g_param_spec_int64 ("last-sync-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryClient:next-sync-time:
   *
   * When the next run is due, in µs since the epoch; 0 when nothing is
   * scheduled.
   */
  properties[PROP_NEXT_SYNC_TIME] =
    g_param_spec_int64 ("next-sync-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryClient::agent-appeared:
   * @self: the client
   *
   * The agent took its name on the bus; the properties already hold its
   * values.
   */
  signals[AGENT_APPEARED] =
    g_signal_new ("agent-appeared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryClient::agent-vanished:
   * @self: the client
   *
   * The agent left the bus (it exited or crashed).
   */
  signals[AGENT_VANISHED] =
    g_signal_new ("agent-vanished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

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
    g_signal_new ("task-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("task-succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("task-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

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
    g_signal_new ("retry-scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("task-stalled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("conflict-detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);

  /**
   * FerryClient::run-started:
   * @self: the client
   *
   * A run began delivering tasks.
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_VARIANT);
}

static void
ferry_client_init (FerryClient *self)
{
  g_queue_init (&self->start_waiters);
  self->state = FERRY_AGENT_STATE_UNKNOWN;
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
      return_dbus_error (task, error);
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
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_client_start_agent_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->func (self, g_steal_pointer (&task));
}

/* Runs the call in @task's CallData, first starting the agent when it is
 * not running and the client may start it. */
static void
call_agent (FerryClient *self,
            GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

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

static GTask *
new_call_task (FerryClient         *self,
               AgentCallFunc        func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call_data_new (func), (GDestroyNotify) call_data_free);
  return task;
}

/* The method calls, each with its completion. */

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *id = NULL;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_enqueue_finish (FERRY_DBUS_AGENT (object), &id, result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&id), g_free);
}

static void
call_enqueue (FerryClient *self,
              GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

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
      return_dbus_error (task, error);
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
  CallData *data = g_task_get_task_data (task);

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
      return_dbus_error (task, error);
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
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_list (self->proxy, data->args, data->offset, data->limit,
                              g_task_get_cancellable (task), list_cb, task);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint count = 0;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_count_finish (FERRY_DBUS_AGENT (object), &count, result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
call_count (FerryClient *self,
            GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_count (self->proxy, data->args, g_task_get_cancellable (task),
                               count_cb, task);
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_cancel_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_cancel (FerryClient *self,
             GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_cancel (self->proxy, data->id, g_task_get_cancellable (task),
                                cancel_cb, task);
}

static void
retry_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_retry_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_retry (FerryClient *self,
            GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_retry (self->proxy, data->id, g_task_get_cancellable (task),
                               retry_cb, task);
}

static void
retry_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint count = 0;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_retry_all_finish (FERRY_DBUS_AGENT (object), &count, result,
                                               &error))
    return_dbus_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
call_retry_all (FerryClient *self,
                GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_retry_all (self->proxy, data->args, g_task_get_cancellable (task),
                                   retry_all_cb, task);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_resolve_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_resolve (FerryClient *self,
              GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_resolve (self->proxy, data->id, data->choice, data->args,
                                 g_task_get_cancellable (task), resolve_cb, task);
}

static void
sync_now_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_sync_now_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_sync_now (FerryClient *self,
               GTask       *task)
{
  ferry_dbus_agent_call_sync_now (self->proxy, g_task_get_cancellable (task), sync_now_cb, task);
}

static void
pause_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_pause_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_pause (FerryClient *self,
            GTask       *task)
{
  ferry_dbus_agent_call_pause (self->proxy, g_task_get_cancellable (task), pause_cb, task);
}

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_resume_finish (FERRY_DBUS_AGENT (object), result, &error))
    return_dbus_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
call_resume (FerryClient *self,
             GTask       *task)
{
  ferry_dbus_agent_call_resume (self->proxy, g_task_get_cancellable (task), resume_cb, task);
}

static gboolean
finish_boolean (FerryClient   *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
finish_count (FerryClient   *self,
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

/* Public API */

/**
 * ferry_client_new_async:
 * @connection: (nullable): a bus connection, or %NULL for the session bus
 * @flags: how to treat an agent that is not running
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is ready
 * @user_data: data for @callback
 *
 * Creates a client for the agent on @connection.  This does not start the
 * agent: the client works, and follows the agent, whether it runs or not.
 * Finish with ferry_client_new_finish().
 */
void
ferry_client_new_async (GDBusConnection     *connection,
                        FerryClientFlags     flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_async_initable_new_async (FERRY_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable,
                              callback, user_data,
                              "connection", connection,
                              "flags", flags,
                              NULL);
}

/**
 * ferry_client_new_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the client, or %NULL with @error set when the
 *   bus could not be reached
 */
FerryClient *
ferry_client_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GObject) source = NULL;
  GObject *object;

  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = g_async_result_get_source_object (result);
  object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);
  return object != NULL ? FERRY_CLIENT (object) : NULL;
}

/**
 * ferry_client_get_connection:
 * @self: a client
 *
 * Returns: (transfer none): the bus connection
 */
GDBusConnection *
ferry_client_get_connection (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->connection;
}

/**
 * ferry_client_get_flags:
 * @self: a client
 *
 * Returns: the flags the client was created with
 */
FerryClientFlags
ferry_client_get_flags (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FERRY_CLIENT_FLAGS_NONE);
  return self->flags;
}

/**
 * ferry_client_get_agent_running:
 * @self: a client
 *
 * Returns: whether the agent owns its name on the bus
 */
gboolean
ferry_client_get_agent_running (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->agent_owner != NULL;
}

/**
 * ferry_client_get_agent_owner:
 * @self: a client
 *
 * Returns: (nullable): the unique bus name of the running agent
 */
const char *
ferry_client_get_agent_owner (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->agent_owner;
}

/**
 * ferry_client_get_state:
 * @self: a client
 *
 * Returns: the agent's state; %FERRY_AGENT_STATE_UNKNOWN while it is not
 *   running
 */
FerryAgentState
ferry_client_get_state (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FERRY_AGENT_STATE_UNKNOWN);
  return self->state;
}

/**
 * ferry_client_get_online:
 * @self: a client
 *
 * Returns: whether the network allows sending
 */
gboolean
ferry_client_get_online (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->online;
}

/**
 * ferry_client_get_metered:
 * @self: a client
 *
 * Returns: whether the network is metered
 */
gboolean
ferry_client_get_metered (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->metered;
}

/**
 * ferry_client_get_paused:
 * @self: a client
 *
 * Returns: whether sending is paused
 */
gboolean
ferry_client_get_paused (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->paused;
}

/**
 * ferry_client_get_pending_count:
 * @self: a client
 *
 * Returns: how many tasks are pending or running
 */
guint
ferry_client_get_pending_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->pending_count;
}

/**
 * ferry_client_get_failed_count:
 * @self: a client
 *
 * Returns: how many tasks failed for good
 */
guint
ferry_client_get_failed_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->failed_count;
}

/**
 * ferry_client_get_conflict_count:
 * @self: a client
 *
 * Returns: how many tasks wait in conflict
 */
guint
ferry_client_get_conflict_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->conflict_count;
}

/**
 * ferry_client_get_auth_count:
 * @self: a client
 *
 * Returns: how many tasks are held for credentials
 */
guint
ferry_client_get_auth_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->auth_count;
}

/**
 * ferry_client_get_progress_done:
 * @self: a client
 *
 * Returns: how many tasks the current run has finished
 */
guint
ferry_client_get_progress_done (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->progress_done;
}

/**
 * ferry_client_get_progress_total:
 * @self: a client
 *
 * Returns: how many tasks the current run delivers in all
 */
guint
ferry_client_get_progress_total (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->progress_total;
}

/**
 * ferry_client_get_last_sync_time:
 * @self: a client
 *
 * Returns: when the last run finished, in µs since the epoch; 0 before the
 *   first
 */
gint64
ferry_client_get_last_sync_time (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->last_sync_time;
}

/**
 * ferry_client_get_next_sync_time:
 * @self: a client
 *
 * Returns: when the next run is due, in µs since the epoch; 0 when nothing
 *   is scheduled
 */
gint64
ferry_client_get_next_sync_time (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->next_sync_time;
}

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
 * Returns: %TRUE when the agent runs; %FALSE with @error set (e.g.
 *   %G_DBUS_ERROR_SERVICE_UNKNOWN when no service file names it, or
 *   %G_DBUS_ERROR_SPAWN_CHILD_EXITED when it failed to start)
 */
gboolean
ferry_client_start_agent_finish (FerryClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, ferry_client_start_agent_async, error);
}

/**
 * ferry_client_enqueue_async:
 * @self: a client
 * @request: the request to store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the task is stored
 * @user_data: data for @callback
 *
 * Hands a request to the agent.  The task is on disk when the call
 * completes.  Finish with ferry_client_enqueue_finish().
 */
void
ferry_client_enqueue_async (FerryClient         *self,
                            FerryRequest        *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_enqueue, cancellable, callback, user_data,
                        ferry_client_enqueue_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (ferry_request_to_variant (request));
  call_agent (self, task);
}

/**
 * ferry_client_enqueue_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_get, cancellable, callback, user_data,
                        ferry_client_get_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (id);
  call_agent (self, task);
}

/**
 * ferry_client_get_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_list, cancellable, callback, user_data,
                        ferry_client_list_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (ferry_task_query_to_variant (query));
  data->offset = offset;
  data->limit = limit;
  call_agent (self, task);
}

/**
 * ferry_client_list_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_count, cancellable, callback, user_data,
                        ferry_client_count_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (ferry_task_query_to_variant (query));
  call_agent (self, task);
}

/**
 * ferry_client_count_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_count: (out) (optional): where to store the count
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_count_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           guint         *out_count,
                           GError       **error)
{
  return finish_count (self, result, ferry_client_count_async, out_count, error);
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
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_cancel, cancellable, callback, user_data,
                        ferry_client_cancel_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (id);
  call_agent (self, task);
}

/**
 * ferry_client_cancel_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  return finish_boolean (self, result, ferry_client_cancel_async, error);
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
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_retry, cancellable, callback, user_data,
                        ferry_client_retry_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (id);
  call_agent (self, task);
}

/**
 * ferry_client_retry_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  return finish_boolean (self, result, ferry_client_retry_async, error);
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
  GTask *task;
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, call_retry_all, cancellable, callback, user_data,
                        ferry_client_retry_all_async);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (ferry_task_query_to_variant (query));
  call_agent (self, task);
}

/**
 * ferry_client_retry_all_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_count: (out) (optional): how many tasks were made pending again
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_retry_all_finish (FerryClient   *self,
                               GAsyncResult  *result,
                               guint         *out_count,
                               GError       **error)
{
  return finish_count (self, result, ferry_client_retry_all_async, out_count, error);
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
  CallData *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (ferry_client_resolve_choice_to_string (choice) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (body == NULL)
    body = empty = g_bytes_new (NULL, 0);

  task = new_call_task (self, call_resolve, cancellable, callback, user_data,
                        ferry_client_resolve_async);
  data = g_task_get_task_data (task);
  data->id = g_strdup (id);
  data->choice = g_strdup (ferry_client_resolve_choice_to_string (choice));
  data->args = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                             body, TRUE));
  call_agent (self, task);
}

/**
 * ferry_client_resolve_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
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
  return finish_boolean (self, result, ferry_client_resolve_async, error);
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

  call_agent (self, new_call_task (self, call_sync_now, cancellable, callback, user_data,
                                   ferry_client_sync_now_async));
}

/**
 * ferry_client_sync_now_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_sync_now_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_boolean (self, result, ferry_client_sync_now_async, error);
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

  call_agent (self, new_call_task (self, call_pause, cancellable, callback, user_data,
                                   ferry_client_pause_async));
}

/**
 * ferry_client_pause_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_pause_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_boolean (self, result, ferry_client_pause_async, error);
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

  call_agent (self, new_call_task (self, call_resume, cancellable, callback, user_data,
                                   ferry_client_resume_async));
}

/**
 * ferry_client_resume_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
ferry_client_resume_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_boolean (self, result, ferry_client_resume_async, error);
}
