/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-connectivity"

#include "config.h"

#include <string.h>

#include "ferry-connectivity.h"

/*
 * FerryConnectivity folds what the machine knows about its network and
 * power into the few answers the scheduler needs:
 *
 *  - online: full connectivity, the only level that counts as online;
 *  - which hosts may be sent to right now: everything when online; with
 *    limited or local connectivity only hosts that GNetworkMonitor says are
 *    reachable (a LAN or loopback server still syncs without the Internet);
 *    behind a captive portal only loopback, so a portal's login page can
 *    never be taken for a server's answer;
 *  - metered, and power saver;
 *  - a ::resumed signal when logind says the machine woke up.
 *
 * Reachability answers are cached per host and port until the network
 * changes; a host not yet probed is not allowed, a probe is started, and
 * ::changed is emitted when it turns out reachable.
 */

struct _FerryConnectivity
{
  GObject parent_instance;

  /* owned */
  GNetworkMonitor      *network_monitor;
  GPowerProfileMonitor *power_monitor;
  GDBusConnection      *system_bus;
  GCancellable         *cancellable;
  GHashTable           *reach_cache;   /* "host:port" → GINT_TO_POINTER (ReachState) */

  /* state */
  guint                 sleep_subscription;
  gboolean              online;
  gboolean              metered;
  gboolean              power_saver;
  gboolean              available;
  GNetworkConnectivity  level;
};

typedef enum {
  REACH_PROBING = 1,
  REACH_YES,
  REACH_NO,
} ReachState;

G_DEFINE_FINAL_TYPE (FerryConnectivity, ferry_connectivity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NETWORK_MONITOR,
  PROP_POWER_MONITOR,
  PROP_SYSTEM_BUS,
  PROP_ONLINE,
  PROP_METERED,
  PROP_POWER_SAVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  RESUMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  FerryConnectivity *self;   /* owned */
  char              *key;
  GCancellable      *cancellable; /* borrowed generation: a reset cancels it */
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_clear_object (&data->self);
  g_free (data->key);
  g_clear_object (&data->cancellable);
  g_free (data);
}

/**
 * ferry_host_is_loopback:
 * @host: a host name or address literal (IPv6 with or without brackets)
 *
 * Returns: %TRUE for `localhost`, names under `.localhost`, 127.0.0.0/8 and ::1
 */
gboolean
ferry_host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_ascii_strdown (host, -1);

  if (g_str_equal (bare, "localhost") || g_str_has_suffix (bare, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
update_state (FerryConnectivity *self)
{
  gboolean available = g_network_monitor_get_network_available (self->network_monitor);
  GNetworkConnectivity level = g_network_monitor_get_connectivity (self->network_monitor);
  gboolean metered = g_network_monitor_get_network_metered (self->network_monitor);
  gboolean online = available && level == G_NETWORK_CONNECTIVITY_FULL;
  gboolean power_saver = self->power_monitor != NULL &&
                         g_power_profile_monitor_get_power_saver_enabled (self->power_monitor);

  g_object_freeze_notify (G_OBJECT (self));

  self->available = available;
  self->level = level;
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  if (self->metered != metered)
    {
      self->metered = metered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERED]);
    }
  if (self->power_saver != power_saver)
    {
      self->power_saver = power_saver;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POWER_SAVER]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_network_monitor_network_changed (GNetworkMonitor   *monitor,
                                    gboolean           available,
                                    FerryConnectivity *self)
{
  /* Whatever was reachable before may not be now: probe again. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->reach_cache);

  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Connectivity, metered or power saver changed. */
static void
on_monitor_notify (GObject           *monitor,
                   GParamSpec        *pspec,
                   FerryConnectivity *self)
{
  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  FerryConnectivity *self = user_data;
  gboolean going_to_sleep;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (going_to_sleep)
    return;

  g_debug ("machine resumed from sleep");
  /* Connections made before the sleep are likely dead, and what was
   * reachable may have changed: forget the probes. */
  g_hash_table_remove_all (self->reach_cache);
  g_signal_emit (self, signals[RESUMED], 0);
}

static void
can_reach_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ProbeData *data = user_data;
  FerryConnectivity *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean reachable;

  reachable = g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (object), result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      /* The network changed meanwhile; the answer is stale. */
      probe_data_free (data);
      return;
    }

  g_debug ("%s is %s", data->key, reachable ? "reachable" : "not reachable");
  g_hash_table_replace (self->reach_cache, g_strdup (data->key),
                        GINT_TO_POINTER (reachable ? REACH_YES : REACH_NO));
  if (reachable)
    g_signal_emit (self, signals[CHANGED], 0);
  probe_data_free (data);
}

static void
ferry_connectivity_constructed (GObject *object)
{
  FerryConnectivity *self = FERRY_CONNECTIVITY (object);

  G_OBJECT_CLASS (ferry_connectivity_parent_class)->constructed (object);

  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  if (self->power_monitor == NULL)
    self->power_monitor = g_power_profile_monitor_dup_default ();

  g_signal_connect_object (self->network_monitor, "network-changed",
                           G_CALLBACK (on_network_monitor_network_changed), self, 0);
  /* Connectivity and metered may change without ::network-changed. */
  g_signal_connect_object (self->network_monitor, "notify::connectivity",
                           G_CALLBACK (on_monitor_notify), self, 0);
  g_signal_connect_object (self->network_monitor, "notify::network-metered",
                           G_CALLBACK (on_monitor_notify), self, 0);
  if (self->power_monitor != NULL)
    g_signal_connect_object (self->power_monitor, "notify::power-saver-enabled",
                             G_CALLBACK (on_monitor_notify), self, 0);

  if (self->system_bus != NULL)
    self->sleep_subscription =
      g_dbus_connection_signal_subscribe (self->system_bus,
                                          "org.freedesktop.login1",
                                          "org.freedesktop.login1.Manager",
                                          "PrepareForSleep",
                                          "/org/freedesktop/login1",
                                          NULL,
                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                          on_prepare_for_sleep,
                                          self, NULL);

  update_state (self);
}

static void
ferry_connectivity_dispose (GObject *object)
{
  FerryConnectivity *self = FERRY_CONNECTIVITY (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sleep_subscription != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
    }
  g_clear_object (&self->network_monitor);
  g_clear_object (&self->power_monitor);
  g_clear_object (&self->system_bus);

  G_OBJECT_CLASS (ferry_connectivity_parent_class)->dispose (object);
}

static void
ferry_connectivity_finalize (GObject *object)
{
  FerryConnectivity *self = FERRY_CONNECTIVITY (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->reach_cache, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_connectivity_parent_class)->finalize (object);
}

static void
ferry_connectivity_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerryConnectivity *self = FERRY_CONNECTIVITY (object);

  switch (prop_id)
    {
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;
    case PROP_POWER_MONITOR:
      g_value_set_object (value, self->power_monitor);
      break;
    case PROP_SYSTEM_BUS:
      g_value_set_object (value, self->system_bus);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case PROP_POWER_SAVER:
      g_value_set_boolean (value, self->power_saver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connectivity_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerryConnectivity *self = FERRY_CONNECTIVITY (object);

  switch (prop_id)
    {
    case PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;
    case PROP_POWER_MONITOR:
      self->power_monitor = g_value_dup_object (value);
      break;
    case PROP_SYSTEM_BUS:
      self->system_bus = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connectivity_class_init (FerryConnectivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_connectivity_constructed;
  object_class->dispose = ferry_connectivity_dispose;
  object_class->finalize = ferry_connectivity_finalize;
  object_class->get_property = ferry_connectivity_get_property;
  object_class->set_property = ferry_connectivity_set_property;

  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL,
                         G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POWER_MONITOR] =
    g_param_spec_object ("power-monitor", NULL, NULL,
                         G_TYPE_POWER_PROFILE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYSTEM_BUS] =
    g_param_spec_object ("system-bus", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_METERED] =
    g_param_spec_boolean ("metered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POWER_SAVER] =
    g_param_spec_boolean ("power-saver", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryConnectivity::changed:
   *
   * Something that decides what may be sent changed: the network, metered,
   * power saver, or a host turned out reachable.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /**
   * FerryConnectivity::resumed:
   *
   * The machine woke up from sleep.
   */
  signals[RESUMED] = g_signal_new ("resumed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
ferry_connectivity_init (FerryConnectivity *self)
{
  self->cancellable = g_cancellable_new ();
  self->reach_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * ferry_connectivity_new:
 * @network_monitor: (nullable): the network monitor; %NULL for the default
 * @power_monitor: (nullable): the power profile monitor; %NULL for the default
 * @system_bus: (nullable): where logind lives; %NULL to not follow sleep
 *
 * Returns: (transfer full): a new connectivity tracker
 */
FerryConnectivity *
ferry_connectivity_new (GNetworkMonitor      *network_monitor,
                        GPowerProfileMonitor *power_monitor,
                        GDBusConnection      *system_bus)
{
  g_return_val_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor), NULL);
  g_return_val_if_fail (power_monitor == NULL || G_IS_POWER_PROFILE_MONITOR (power_monitor), NULL);
  g_return_val_if_fail (system_bus == NULL || G_IS_DBUS_CONNECTION (system_bus), NULL);

  return g_object_new (FERRY_TYPE_CONNECTIVITY,
                       "network-monitor", network_monitor,
                       "power-monitor", power_monitor,
                       "system-bus", system_bus,
                       NULL);
}

/**
 * ferry_connectivity_get_online:
 * @self: a connectivity tracker
 *
 * Returns: %TRUE with full connectivity (the only level that counts as online)
 */
gboolean
ferry_connectivity_get_online (FerryConnectivity *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), FALSE);

  return self->online;
}

gboolean
ferry_connectivity_get_metered (FerryConnectivity *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), FALSE);

  return self->metered;
}

gboolean
ferry_connectivity_get_power_saver (FerryConnectivity *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), FALSE);

  return self->power_saver;
}

GNetworkConnectivity
ferry_connectivity_get_level (FerryConnectivity *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), G_NETWORK_CONNECTIVITY_LOCAL);

  return self->level;
}

/**
 * ferry_connectivity_may_send_anything:
 * @self: a connectivity tracker
 *
 * Returns: %FALSE when no network at all is available; then not even
 *   loopback is tried (an attempt would only be thrown away)
 */
gboolean
ferry_connectivity_may_send_anything (FerryConnectivity *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), FALSE);

  return self->available;
}

/**
 * ferry_connectivity_host_allowed:
 * @self: a connectivity tracker
 * @host: the host of a task's URL
 * @port: its port
 *
 * Whether a request to @host may be sent now.  May start a reachability
 * probe; ::changed follows if the host turns out reachable.
 *
 * Returns: %TRUE when it may be sent
 */
gboolean
ferry_connectivity_host_allowed (FerryConnectivity *self,
                                 const char        *host,
                                 guint16            port)
{
  g_autofree char *key = NULL;
  gpointer cached;
  ProbeData *data;
  g_autoptr(GSocketConnectable) connectable = NULL;

  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (self), FALSE);

  if (host == NULL || !self->available)
    return FALSE;
  if (self->level == G_NETWORK_CONNECTIVITY_FULL)
    return TRUE;
  if (ferry_host_is_loopback (host))
    return TRUE;
  if (self->level == G_NETWORK_CONNECTIVITY_PORTAL)
    return FALSE;

  key = g_strdup_printf ("%s:%u", host, port);
  cached = g_hash_table_lookup (self->reach_cache, key);
  if (cached != NULL)
    return GPOINTER_TO_INT (cached) == REACH_YES;

  g_hash_table_insert (self->reach_cache, g_strdup (key), GINT_TO_POINTER (REACH_PROBING));
  data = g_new0 (ProbeData, 1);
  data->self = g_object_ref (self);
  data->key = g_steal_pointer (&key);
  data->cancellable = g_object_ref (self->cancellable);
  connectable = g_network_address_new (host, port);
  g_network_monitor_can_reach_async (self->network_monitor, connectable, data->cancellable,
                                     can_reach_cb, data);
  return FALSE;
}
