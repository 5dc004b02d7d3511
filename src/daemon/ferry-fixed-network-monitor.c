/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-fixed-network-monitor"

#include "config.h"

#include "ferry-error.h"

#include "ferry-fixed-network-monitor.h"

/*
 * A GNetworkMonitor that never changes: what ferryd uses instead of the
 * system's monitor when FERRY_TEST_NETWORK is set, so that tests over a
 * private bus see the same network on every machine (a build sandbox often
 * reports limited connectivity, or none).  Without that variable ferryd
 * never creates one.
 *
 * The variable holds a level — "full", "limited", "local", "portal" or
 * "offline" — optionally followed by ",metered".  "local" has no route out
 * but reaches the LAN and loopback; "offline" reaches nothing.
 *
 * A test that needs the network to change (going back online) names a
 * file holding the level instead (FERRY_TEST_NETWORK_FILE): the monitor
 * follows what the test writes there, as the system's would follow the
 * network.
 */

struct _FerryFixedNetworkMonitor
{
  GObject               parent_instance;

  /* owned */
  GFile                *file;
  GFileMonitor         *file_monitor;

  /* state */
  GNetworkConnectivity  connectivity;
  gboolean              available;
  gboolean              metered;
  gboolean              reachable;
};

static void initable_iface_init (GInitableIface *iface);
static void network_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryFixedNetworkMonitor, ferry_fixed_network_monitor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      network_monitor_iface_init))

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
  N_PROPS
};

static gboolean
ferry_fixed_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                       GSocketConnectable  *connectable,
                                       GCancellable        *cancellable,
                                       GError             **error)
{
  FerryFixedNetworkMonitor *self = FERRY_FIXED_NETWORK_MONITOR (monitor);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!self->reachable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                           "Network unreachable");
      return FALSE;
    }
  return TRUE;
}

static void
ferry_fixed_network_monitor_can_reach_async (GNetworkMonitor     *monitor,
                                             GSocketConnectable  *connectable,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (monitor, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_fixed_network_monitor_can_reach_async);
  if (ferry_fixed_network_monitor_can_reach (monitor, connectable, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
ferry_fixed_network_monitor_can_reach_finish (GNetworkMonitor  *monitor,
                                              GAsyncResult     *result,
                                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, monitor), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
ferry_fixed_network_monitor_initable_init (GInitable     *initable,
                                           GCancellable  *cancellable,
                                           GError       **error)
{
  return TRUE;
}

static void
ferry_fixed_network_monitor_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  FerryFixedNetworkMonitor *self = FERRY_FIXED_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, self->metered);
      break;

    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_fixed_network_monitor_dispose (GObject *object)
{
  FerryFixedNetworkMonitor *self = FERRY_FIXED_NETWORK_MONITOR (object);

  if (self->file_monitor != NULL)
    {
      g_file_monitor_cancel (self->file_monitor);
      g_signal_handlers_disconnect_by_data (self->file_monitor, self);
    }
  g_clear_object (&self->file_monitor);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (ferry_fixed_network_monitor_parent_class)->dispose (object);
}

static void
ferry_fixed_network_monitor_class_init (FerryFixedNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_fixed_network_monitor_dispose;
  object_class->get_property = ferry_fixed_network_monitor_get_property;

  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = ferry_fixed_network_monitor_initable_init;
}

static void
network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = ferry_fixed_network_monitor_can_reach;
  iface->can_reach_async = ferry_fixed_network_monitor_can_reach_async;
  iface->can_reach_finish = ferry_fixed_network_monitor_can_reach_finish;
}

static void
ferry_fixed_network_monitor_init (FerryFixedNetworkMonitor *self)
{
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
  self->available = TRUE;
  self->reachable = TRUE;
}

/* Takes the state @spec names; fails, changing nothing, when it names
 * none. */
static gboolean
apply_spec (FerryFixedNetworkMonitor  *self,
            const char                *spec,
            const char                *source,
            GError                   **error)
{
  static const struct {
    const char           *name;
    GNetworkConnectivity  connectivity;
    gboolean              available;
    gboolean              reachable;
  } levels[] = {
    { "full", G_NETWORK_CONNECTIVITY_FULL, TRUE, TRUE },
    { "limited", G_NETWORK_CONNECTIVITY_LIMITED, TRUE, TRUE },
    { "local", G_NETWORK_CONNECTIVITY_LOCAL, FALSE, TRUE },
    { "portal", G_NETWORK_CONNECTIVITY_PORTAL, TRUE, TRUE },
    { "offline", G_NETWORK_CONNECTIVITY_LOCAL, FALSE, FALSE },
  };
  g_auto(GStrv) parts = g_strsplit (spec, ",", 3);
  gboolean metered = FALSE;
  int found = -1;

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      if (parts[0] != NULL && g_str_equal (parts[0], levels[i].name))
        found = (int) i;
    }
  if (found >= 0 && parts[1] != NULL)
    {
      if (g_str_equal (parts[1], "metered") && parts[2] == NULL)
        metered = TRUE;
      else
        found = -1;
    }
  if (found < 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: “%s” is not full, limited, local, portal or offline "
                   "(optionally followed by “,metered”)", source, spec);
      return FALSE;
    }
  self->connectivity = levels[found].connectivity;
  self->available = levels[found].available;
  self->reachable = levels[found].reachable;
  self->metered = metered;
  return TRUE;
}

/**
 * ferry_fixed_network_monitor_new_from_string:
 * @spec: "full", "limited", "local", "portal" or "offline", optionally
 *   followed by ",metered"
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Returns: (transfer full): a monitor stuck in that state, or %NULL when
 *   @spec is not understood
 */
GNetworkMonitor *
ferry_fixed_network_monitor_new_from_string (const char  *spec,
                                             GError     **error)
{
  g_autoptr(FerryFixedNetworkMonitor) self = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (FERRY_TYPE_FIXED_NETWORK_MONITOR, NULL);
  if (!apply_spec (self, spec, "FERRY_TEST_NETWORK", error))
    return NULL;
  return G_NETWORK_MONITOR (g_steal_pointer (&self));
}

static gboolean
read_file (FerryFixedNetworkMonitor  *self,
           GError                   **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = g_file_get_path (self->file);

  if (!g_file_load_contents (self->file, NULL, &contents, NULL, NULL, error))
    {
      g_prefix_error (error, "FERRY_TEST_NETWORK_FILE: ");
      return FALSE;
    }
  return apply_spec (self, g_strstrip (contents), path, error);
}

static void
on_file_changed (GFileMonitor             *monitor,
                 GFile                    *file,
                 GFile                    *other,
                 GFileMonitorEvent         event,
                 FerryFixedNetworkMonitor *self)
{
  g_autoptr(GError) error = NULL;
  GNetworkConnectivity connectivity = self->connectivity;
  gboolean available = self->available;
  gboolean metered = self->metered;
  gboolean reachable = self->reachable;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_MOVED_IN && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;
  if (!read_file (self, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  if (connectivity == self->connectivity && available == self->available &&
      metered == self->metered && reachable == self->reachable)
    return;

  g_message ("FERRY_TEST_NETWORK_FILE changed: the network is now %s%s",
             !self->reachable ? "offline" : self->available ? "available" : "local only",
             self->metered ? ", metered" : "");
  g_object_freeze_notify (G_OBJECT (self));
  if (available != self->available)
    g_object_notify (G_OBJECT (self), "network-available");
  if (metered != self->metered)
    g_object_notify (G_OBJECT (self), "network-metered");
  if (connectivity != self->connectivity)
    g_object_notify (G_OBJECT (self), "connectivity");
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit_by_name (self, "network-changed", self->available);
}

/**
 * ferry_fixed_network_monitor_new_from_file:
 * @path: a file holding what FERRY_TEST_NETWORK would
 * @error: return location for an error reading or understanding it
 *
 * Returns: (transfer full): a monitor in the state the file names, which
 *   follows what is written there later, or %NULL
 */
GNetworkMonitor *
ferry_fixed_network_monitor_new_from_file (const char  *path,
                                           GError     **error)
{
  g_autoptr(FerryFixedNetworkMonitor) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (FERRY_TYPE_FIXED_NETWORK_MONITOR, NULL);
  self->file = g_file_new_for_path (path);
  /* Watched before the first read, so no change falls in between. */
  self->file_monitor = g_file_monitor_file (self->file, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->file_monitor == NULL || !read_file (self, error))
    return NULL;
  g_signal_connect (self->file_monitor, "changed", G_CALLBACK (on_file_changed), self);
  return G_NETWORK_MONITOR (g_steal_pointer (&self));
}
