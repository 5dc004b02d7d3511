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
 */

struct _FerryFixedNetworkMonitor
{
  GObject               parent_instance;

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
ferry_fixed_network_monitor_class_init (FerryFixedNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

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
  g_autoptr(FerryFixedNetworkMonitor) self = NULL;
  g_auto(GStrv) parts = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (spec != NULL, NULL);

  parts = g_strsplit (spec, ",", 3);
  self = g_object_new (FERRY_TYPE_FIXED_NETWORK_MONITOR, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      if (parts[0] != NULL && g_str_equal (parts[0], levels[i].name))
        {
          self->connectivity = levels[i].connectivity;
          self->available = levels[i].available;
          self->reachable = levels[i].reachable;
          found = TRUE;
        }
    }
  if (found && parts[1] != NULL)
    {
      if (g_str_equal (parts[1], "metered") && parts[2] == NULL)
        self->metered = TRUE;
      else
        found = FALSE;
    }
  if (!found)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "FERRY_TEST_NETWORK: “%s” is not full, limited, local, portal or offline "
                   "(optionally followed by “,metered”)", spec);
      return NULL;
    }
  return G_NETWORK_MONITOR (g_steal_pointer (&self));
}
