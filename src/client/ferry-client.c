/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client"

#include "config.h"

#include <string.h>

#include "ferry-client-private.h"

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
 *
 * ## Who owns a task
 *
 * Every task belongs to the app that added it, its *owner*, and the agent
 * finds the owner from the bus connection, never from what the app says
 * about itself: a sandboxed (Flatpak) app is its application id, sees only
 * its own tasks and hears only of them.  An unsandboxed process would be
 * the name of its executable — `python3.11`, `gjs`, `gdbus` — unless it
 * names itself, which the client does on every enqueue with
 * #FerryClient:app-id: by default the id of the process's default
 * #GApplication, else the program name (g_get_prgname()).  Set it once
 * with ferry_client_set_app_id() to be sure; a #FerryRequest with an app
 * id of its own (ferry_request_set_app_id()) overrides it.
 */

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryClient, ferry_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE,
                                                      ferry_client_async_initable_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_FLAGS,
  PROP_APP_ID,
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
void
ferry_client_sync_properties (FerryClient *self)
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

/* The label the agent accepts as an owner name (the agent's own rule, in
 * src/daemon/ferry-caller.c, which the client cannot link): 1 to 255 ASCII
 * letters, digits, '.', '-', '_' or '+', starting with a letter or a
 * digit. */
static gboolean
is_owner_label (const char *label)
{
  static const char label_chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+";
  gsize len;

  if (label == NULL || !g_ascii_isalnum (label[0]))
    return FALSE;
  len = strlen (label);
  return len <= 255 && strspn (label, label_chars) == len;
}

/* The owner name an app gets without setting one: its GApplication's id,
 * else its program name when the agent would take it.  None in a Flatpak
 * sandbox, where the agent knows the app by its Flatpak id and refuses
 * any other name. */
static char *
dup_default_app_id (void)
{
  GApplication *application;
  g_autofree char *name = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return NULL;

  application = g_application_get_default ();
  if (application != NULL && g_application_get_application_id (application) != NULL)
    return g_strdup (g_application_get_application_id (application));

  if (g_get_prgname () == NULL)
    return NULL;
  name = g_path_get_basename (g_get_prgname ());
  return is_owner_label (name) ? g_steal_pointer (&name) : NULL;
}

/* The agent's owner changed; so did whether it runs when @running_changed. */
void
ferry_client_notify_agent_owner (FerryClient *self,
                                 gboolean     running_changed)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_OWNER]);
  if (running_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_RUNNING]);
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
  g_free (self->agent_successor);
  g_free (self->app_id);

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
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
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
    case PROP_APP_ID:
      ferry_client_set_app_id (self, g_value_get_string (value));
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

/* The client itself, and whether it sees the agent. */
static void
install_client_properties (void)
{
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
   * FerryClient:app-id:
   *
   * The owner name every enqueue sends for a #FerryRequest that has none
   * of its own, so that an unsandboxed app owns its tasks under a stable
   * name instead of its executable's (see the class description).  It is
   * 1 to 255 ASCII letters, digits, '.', '-', '_' or '+', starting with a
   * letter or a digit: an application id fits.
   *
   * Setting %NULL restores the default: the id of the default
   * #GApplication when there is one, else g_get_prgname() when it fits;
   * none (the agent decides) in a Flatpak sandbox, where the agent
   * identifies the app by its Flatpak id and refuses any other name.
   */
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

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
   * The unique bus name of the running agent, or %NULL.  It changes
   * without #FerryClient::agent-vanished when the agent moves to another
   * bus connection of its own (it does, after a large message, to give back
   * memory): the same agent goes on, with everything it had.
   */
  properties[PROP_AGENT_OWNER] =
    g_param_spec_string ("agent-owner", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

/* The agent's state and the network's, mirrored. */
static void
install_agent_state_properties (void)
{
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
}

/* The agent's counts and times, mirrored. */
static void
install_agent_count_properties (void)
{
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

}

static void
ferry_client_class_init (FerryClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_client_dispose;
  object_class->finalize = ferry_client_finalize;
  object_class->get_property = ferry_client_get_property;
  object_class->set_property = ferry_client_set_property;

  install_client_properties ();
  install_agent_state_properties ();
  install_agent_count_properties ();
  g_object_class_install_properties (object_class, N_PROPS, properties);

  ferry_client_install_signals (object_class);
}

static void
ferry_client_init (FerryClient *self)
{
  g_queue_init (&self->start_waiters);
  self->state = FERRY_AGENT_STATE_UNKNOWN;
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
 * Finishes ferry_client_new_async().
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
 * Gets the bus connection.
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
 * Gets the flags the client was created with.
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
 * ferry_client_get_app_id:
 * @self: a client
 *
 * Gets the owner name enqueues send (see #FerryClient:app-id), or %NULL when
 * the agent decides alone.
 *
 * Returns: (nullable): the owner name enqueues send (see
 *   #FerryClient:app-id), or %NULL when the agent decides alone
 */
const char *
ferry_client_get_app_id (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->app_id;
}

/**
 * ferry_client_set_app_id:
 * @self: a client
 * @app_id: (nullable): an owner name such as the app's application id, or
 *   %NULL for the default
 *
 * Sets the owner name of the tasks this client adds, once for every
 * enqueue (see #FerryClient:app-id).  A name the agent would refuse is
 * refused here already, with a critical warning.  A sandboxed app cannot
 * choose: the agent refuses any name but its own app id.
 */
void
ferry_client_set_app_id (FerryClient *self,
                         const char  *app_id)
{
  g_autofree char *value = NULL;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (app_id == NULL || is_owner_label (app_id));

  value = app_id != NULL ? g_strdup (app_id) : dup_default_app_id ();
  if (g_strcmp0 (value, self->app_id) == 0)
    return;
  g_free (self->app_id);
  self->app_id = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP_ID]);
}

/**
 * ferry_client_get_agent_running:
 * @self: a client
 *
 * Tells whether the agent owns its name on the bus.
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
 * Gets the unique bus name of the running agent.
 *
 * Returns: (nullable): the unique bus name of the running agent
 */
const char *
ferry_client_get_agent_owner (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->agent_owner;
}
