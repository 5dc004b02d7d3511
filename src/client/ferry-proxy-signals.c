/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-proxy-signals"

#include "config.h"

#include "ferry-proxy-signals-private.h"

/*
 * The agent's signals, followed by the connection rather than by the
 * proxy.  A GDBusProxy whose name changes owner keeps the old owner until
 * it has read the new one's properties, and drops every signal the new
 * owner sends meanwhile; the connection follows the owner as the bus
 * tells it, in order.  So the proxies are made with
 * G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS and their signals come from a
 * subscription of the connection: none is lost when the agent restarts or
 * moves to another connection.
 */

typedef struct
{
  GDBusConnection *connection;
  guint            id;
} Subscription;

static void
subscription_free (gpointer data)
{
  Subscription *subscription = data;

  g_dbus_connection_signal_unsubscribe (subscription->connection, subscription->id);
  g_object_unref (subscription->connection);
  g_free (subscription);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *name,
           GVariant        *parameters,
           gpointer         user_data)
{
  g_autoptr(GDBusProxy) proxy = g_weak_ref_get (user_data);
  g_autoptr(GString) type = NULL;
  GDBusInterfaceInfo *info;
  GDBusSignalInfo *signal;

  if (proxy == NULL)
    return;

  /* What the proxy would check: a signal of its interface, with the
   * arguments' types. */
  info = g_dbus_proxy_get_interface_info (proxy);
  signal = info != NULL ? g_dbus_interface_info_lookup_signal (info, name) : NULL;
  if (signal == NULL)
    return;
  type = g_string_new ("(");
  for (guint i = 0; signal->args != NULL && signal->args[i] != NULL; i++)
    g_string_append (type, signal->args[i]->signature);
  g_string_append_c (type, ')');
  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE (type->str)))
    {
      g_debug ("%s.%s dropped: its arguments are %s", interface, name,
               g_variant_get_type_string (parameters));
      return;
    }

  g_signal_emit_by_name (proxy, "g-signal", sender, name, parameters);
}

/**
 * ferry_proxy_follow_signals:
 * @proxy: a proxy made with %G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS
 *
 * Has @proxy emit its interface's signals from the name's owner, as the
 * connection follows it, for as long as @proxy lives.
 */
void
ferry_proxy_follow_signals (GDBusProxy *proxy)
{
  Subscription *subscription;
  GWeakRef *weak;

  g_return_if_fail (G_IS_DBUS_PROXY (proxy));
  g_return_if_fail (g_dbus_proxy_get_flags (proxy) & G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, proxy);
  subscription = g_new0 (Subscription, 1);
  subscription->connection = g_object_ref (g_dbus_proxy_get_connection (proxy));
  subscription->id =
    g_dbus_connection_signal_subscribe (subscription->connection,
                                        g_dbus_proxy_get_name (proxy),
                                        g_dbus_proxy_get_interface_name (proxy),
                                        NULL,
                                        g_dbus_proxy_get_object_path (proxy),
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_signal, weak, weak_ref_free);
  g_object_set_data_full (G_OBJECT (proxy), "ferry-proxy-signals", subscription,
                          subscription_free);
}
