/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-client-transfers.h"
#include "ferry-collection.h"
#include "ferry-download-request.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"
#include "ferry-tray.h"

#include "ferry-client-fixture.h"
#include "ferry-tray-test-config.h"

/*
 * FerryTray on the private bus of the client tests, following the real
 * ferryd through a real FerryClient.  The suite brings its own
 * org.kde.StatusNotifierWatcher (TestWatcher, on a connection of its own,
 * so stopping it is the panel going away) and looks at the item the way a
 * host does (Host: after each New* signal it reads every property again).
 */

#define ITEM_PATH         "/StatusNotifierItem"
#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"
#define MENU_PATH         "/MenuBar"
#define MENU_INTERFACE    "com.canonical.dbusmenu"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"

#define ICON_SYNCED    "io.github.ferrysync.Ferry-synced-symbolic"
#define ICON_SYNCING   "io.github.ferrysync.Ferry-syncing-symbolic"
#define ICON_OFFLINE   "io.github.ferrysync.Ferry-offline-symbolic"
#define ICON_PAUSED    "io.github.ferrysync.Ferry-paused-symbolic"
#define ICON_ATTENTION "io.github.ferrysync.Ferry-attention-symbolic"

#define WAIT_MS 20000

/* The menu's items, as com.canonical.dbusmenu.xml lists them. */
enum {
  MENU_ROOT,
  MENU_STATUS,
  MENU_SEPARATOR_TOP,
  MENU_SYNC_NOW,
  MENU_PAUSE,
  MENU_SEPARATOR_BOTTOM,
  MENU_OPEN,
  MENU_QUIT,
  MENU_ATTENTION,     /* shown second, below the status line */
  N_MENU_ITEMS
};

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <method name='RegisterStatusNotifierHost'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "    <signal name='StatusNotifierItemUnregistered'><arg type='s'/></signal>"
  "    <signal name='StatusNotifierHostRegistered'/>"
  "  </interface>"
  "</node>";

/* A StatusNotifierWatcher that records who registered what. */
typedef struct
{
  GDBusConnection *connection;
  guint            object_id;
  guint            owner_id;
  gboolean         owns_name;
  GPtrArray       *items;      /* the services items registered */
  GPtrArray       *senders;    /* who registered each */
} TestWatcher;

typedef struct
{
  ClientFixture    base;
  FerryTestServer *server;
  FerryTray       *tray;
  TestWatcher     *watcher;

  /* Host: what a tray host would show */
  GDBusConnection *host;
  guint            item_signal_id;
  guint            menu_signal_id;
  GVariant        *props;           /* the item's a{sv}, as last read */
  GPtrArray       *titles;          /* every distinct Title read, in order */
  guint            calls_in_flight;
  guint            n_new_tool_tip;
  guint            n_new_icon;
  guint            n_new_status;
  guint            n_new_icon_theme_path;
  char            *last_new_status;
  guint            n_menu_updates;

  /* signals of the tray and the client */
  guint            n_activate;
  guint            n_quit_requested;
  guint            n_run_started;
  guint            n_run_finished;
} Fixture;

static GDBusInterfaceInfo *
watcher_interface_info (void)
{
  static GDBusNodeInfo *node;

  if (node == NULL)
    {
      g_autoptr(GError) error = NULL;

      node = g_dbus_node_info_new_for_xml (watcher_xml, &error);
      g_assert_no_error (error);
    }
  return node->interfaces[0];
}

static void
on_watcher_method_call (GDBusConnection       *connection,
                        const char            *sender,
                        const char            *object_path,
                        const char            *interface_name,
                        const char            *method_name,
                        GVariant              *parameters,
                        GDBusMethodInvocation *invocation,
                        gpointer               user_data)
{
  TestWatcher *watcher = user_data;
  const char *service;

  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      g_variant_get (parameters, "(&s)", &service);
      g_ptr_array_add (watcher->items, g_strdup (service));
      g_ptr_array_add (watcher->senders, g_strdup (sender));
      g_dbus_connection_emit_signal (connection, NULL, WATCHER_PATH, WATCHER_INTERFACE,
                                     "StatusNotifierItemRegistered",
                                     g_variant_new ("(s)", service), NULL);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
on_watcher_get_property (GDBusConnection  *connection,
                         const char       *sender,
                         const char       *object_path,
                         const char       *interface_name,
                         const char       *property_name,
                         GError          **error,
                         gpointer          user_data)
{
  TestWatcher *watcher = user_data;

  if (g_str_equal (property_name, "RegisteredStatusNotifierItems"))
    return g_variant_new_strv ((const char * const *) watcher->items->pdata, watcher->items->len);
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  .method_call = on_watcher_method_call,
  .get_property = on_watcher_get_property,
};

static void
on_watcher_name_acquired (GDBusConnection *connection,
                          const char      *name,
                          gpointer         user_data)
{
  TestWatcher *watcher = user_data;

  watcher->owns_name = TRUE;
}

static TestWatcher *
test_watcher_start (Fixture *fixture)
{
  TestWatcher *watcher = g_new0 (TestWatcher, 1);
  g_autoptr(GError) error = NULL;

  watcher->items = g_ptr_array_new_with_free_func (g_free);
  watcher->senders = g_ptr_array_new_with_free_func (g_free);
  watcher->connection = ferry_agent_fixture_connect (&fixture->base.bus);
  watcher->object_id = g_dbus_connection_register_object (watcher->connection, WATCHER_PATH,
                                                          watcher_interface_info (),
                                                          &watcher_vtable, watcher, NULL,
                                                          &error);
  g_assert_no_error (error);
  watcher->owner_id = g_bus_own_name_on_connection (watcher->connection, WATCHER_NAME,
                                                    G_BUS_NAME_OWNER_FLAGS_NONE,
                                                    on_watcher_name_acquired, NULL,
                                                    watcher, NULL);
  FERRY_TEST_WAIT (watcher->owns_name, WAIT_MS);
  return watcher;
}

/* Closing the connection first is what the bus sees when a panel dies. */
static void
test_watcher_stop (TestWatcher *watcher)
{
  g_dbus_connection_close_sync (watcher->connection, NULL, NULL);
  g_bus_unown_name (watcher->owner_id);
  g_dbus_connection_unregister_object (watcher->connection, watcher->object_id);
  g_clear_object (&watcher->connection);
  g_clear_pointer (&watcher->items, g_ptr_array_unref);
  g_clear_pointer (&watcher->senders, g_ptr_array_unref);
  g_free (watcher);
}

static gboolean
test_watcher_has_item (TestWatcher *watcher,
                       const char  *service)
{
  return g_ptr_array_find_with_equal_func (watcher->items, service, g_str_equal, NULL);
}

/* Host */

static const char *
host_get_string (Fixture    *fixture,
                 const char *name)
{
  const char *value = NULL;

  if (fixture->props == NULL || !g_variant_lookup (fixture->props, name, "&s", &value))
    return NULL;
  return value;
}

static gboolean
host_title_is (Fixture    *fixture,
               const char *title)
{
  return g_strcmp0 (host_get_string (fixture, "Title"), title) == 0;
}

/* The tooltip's title and description, as last read. */
static void
host_get_tool_tip (Fixture     *fixture,
                   const char **out_icon,
                   const char **out_title,
                   const char **out_description)
{
  g_autoptr(GVariant) tool_tip = NULL;

  g_assert_nonnull (fixture->props);
  tool_tip = g_variant_lookup_value (fixture->props, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_assert_nonnull (tool_tip);
  g_variant_get (tool_tip, "(&s@a(iiay)&s&s)", out_icon, NULL, out_title, out_description);
}

static void
host_get_all_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *title;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
  fixture->calls_in_flight--;

  g_clear_pointer (&fixture->props, g_variant_unref);
  g_variant_get (reply, "(@a{sv})", &fixture->props);

  title = host_get_string (fixture, "Title");
  g_assert_nonnull (title);
  if (fixture->titles->len == 0 ||
      !g_str_equal (g_ptr_array_index (fixture->titles, fixture->titles->len - 1), title))
    g_ptr_array_add (fixture->titles, g_strdup (title));
}

static void
host_refresh (Fixture *fixture)
{
  fixture->calls_in_flight++;
  g_dbus_connection_call (fixture->host, ferry_tray_get_bus_name (fixture->tray), ITEM_PATH,
                          "org.freedesktop.DBus.Properties", "GetAll",
                          g_variant_new ("(s)", ITEM_INTERFACE), G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, host_get_all_cb, fixture);
}

static void
on_item_signal (GDBusConnection *connection,
                const char      *sender,
                const char      *object_path,
                const char      *interface_name,
                const char      *signal_name,
                GVariant        *parameters,
                gpointer         user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (interface_name, MENU_INTERFACE))
    {
      if (g_str_equal (signal_name, "ItemsPropertiesUpdated"))
        fixture->n_menu_updates++;
      return;
    }

  if (g_str_equal (signal_name, "NewToolTip"))
    fixture->n_new_tool_tip++;
  else if (g_str_equal (signal_name, "NewIcon"))
    fixture->n_new_icon++;
  else if (g_str_equal (signal_name, "NewIconThemePath"))
    fixture->n_new_icon_theme_path++;
  else if (g_str_equal (signal_name, "NewStatus"))
    {
      fixture->n_new_status++;
      g_free (fixture->last_new_status);
      g_variant_get (parameters, "(s)", &fixture->last_new_status);
    }
  host_refresh (fixture);
}

/* A call from the host side, waited for. */
static GVariant *
host_call (Fixture     *fixture,
           const char  *path,
           const char  *interface,
           const char  *method,
           GVariant    *parameters,
           const char  *reply_type,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_dbus_connection_call (fixture->host, ferry_tray_get_bus_name (fixture->tray), path,
                          interface, method, parameters,
                          reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                          client_store_result_cb, &result);
  return g_dbus_connection_call_finish (fixture->host, client_wait_result (&result), error);
}

static void
menu_event (Fixture *fixture,
            int      id)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "Event",
                     g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0),
                     "()", &error);
  g_assert_no_error (error);
}

static GVariant *
menu_get_layout (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;
  const char *all[] = { NULL };

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetLayout",
                     g_variant_new ("(ii^as)", 0, -1, all), "(u(ia{sv}av))", &error);
  g_assert_no_error (error);
  return reply;
}

/* The properties of child @id in a GetLayout reply. */
static GVariant *
layout_dup_item (GVariant *reply,
                 int       id)
{
  g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (root, 2);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      gint32 child_id;

      g_variant_get_child (child, 0, "i", &child_id);
      if (child_id == id)
        return g_variant_get_child_value (child, 1);
    }
  g_assert_not_reached ();
}

static char *
layout_dup_label (GVariant *reply,
                  int       id)
{
  g_autoptr(GVariant) props = layout_dup_item (reply, id);
  char *label = NULL;

  g_variant_lookup (props, "label", "s", &label);
  return label;
}

static gint32
layout_get_toggle_state (GVariant *reply,
                         int       id)
{
  g_autoptr(GVariant) props = layout_dup_item (reply, id);
  gint32 state = -1;

  g_variant_lookup (props, "toggle-state", "i", &state);
  return state;
}

static gboolean
layout_get_enabled (GVariant *reply,
                    int       id)
{
  g_autoptr(GVariant) props = layout_dup_item (reply, id);
  gboolean enabled = TRUE;   /* the protocol default */

  g_variant_lookup (props, "enabled", "b", &enabled);
  return enabled;
}

/* No two visible lines of a GetLayout reply say the same. */
static void
assert_no_repeated_line (GVariant *reply)
{
  g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (root, 2);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (child, 1);
      gboolean visible = TRUE;   /* the protocol default */
      char *label = NULL;

      /* The Paused checkmark shows a state, beside the status line. */
      g_variant_lookup (props, "visible", "b", &visible);
      if (g_variant_lookup (props, "toggle-type", "&s", NULL) ||
          !g_variant_lookup (props, "label", "s", &label))
        continue;
      if (!visible || *label == '\0')
        {
          g_free (label);
          continue;
        }
      if (g_hash_table_contains (seen, label))
        g_error ("The menu shows “%s” twice", label);
      g_hash_table_add (seen, label);
    }
}

static void
assert_menu_labels (Fixture    *fixture,
                    const char *status,
                    gboolean    paused)
{
  g_autoptr(GVariant) layout = menu_get_layout (fixture);
  g_autofree char *status_label = layout_dup_label (layout, MENU_STATUS);
  g_autofree char *sync_label = layout_dup_label (layout, MENU_SYNC_NOW);
  g_autofree char *pause_label = layout_dup_label (layout, MENU_PAUSE);
  g_autofree char *open_label = layout_dup_label (layout, MENU_OPEN);
  g_autofree char *quit_label = layout_dup_label (layout, MENU_QUIT);

  g_assert_cmpstr (status_label, ==, status);
  g_assert_false (layout_get_enabled (layout, MENU_STATUS));
  g_assert_cmpstr (sync_label, ==, "Sync now");
  g_assert_cmpint (layout_get_enabled (layout, MENU_SYNC_NOW), ==, !paused);
  g_assert_cmpstr (pause_label, ==, "Paused");
  g_assert_cmpint (layout_get_toggle_state (layout, MENU_PAUSE), ==, paused ? 1 : 0);
  g_assert_cmpstr (open_label, ==, "Open Ferry");
  g_assert_cmpstr (quit_label, ==, "Quit");
  assert_no_repeated_line (layout);
}

static void
assert_host_shows (Fixture    *fixture,
                   const char *title,
                   const char *icon_name,
                   const char *status)
{
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  FERRY_TEST_WAIT (host_title_is (fixture, title), WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (host_get_string (fixture, "IconName"), icon_name) == 0, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (host_get_string (fixture, "Status"), status) == 0, WAIT_MS);
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_cmpstr (tip_title, ==, title);
  g_assert_cmpstr (tip_icon, ==, icon_name);
}

/* Fixtures */

static void
on_tray_activate (FerryTray *tray,
                  Fixture   *fixture)
{
  fixture->n_activate++;
}

static void
on_tray_quit_requested (FerryTray *tray,
                        Fixture   *fixture)
{
  fixture->n_quit_requested++;
}

static void
on_run_started (FerryClient *client,
                Fixture     *fixture)
{
  fixture->n_run_started++;
}

static void
on_run_finished (FerryClient *client,
                 GVariant    *summary,
                 Fixture     *fixture)
{
  fixture->n_run_finished++;
}

static void
create_tray (Fixture *fixture)
{
  fixture->tray = ferry_tray_new (fixture->base.client, fixture->base.connection);
  g_assert_true (FERRY_IS_TRAY (fixture->tray));
  g_signal_connect (fixture->tray, "activate", G_CALLBACK (on_tray_activate), fixture);
  g_signal_connect (fixture->tray, "quit-requested", G_CALLBACK (on_tray_quit_requested),
                    fixture);
}

static void
wait_registered (Fixture *fixture)
{
  FERRY_TEST_WAIT (ferry_tray_get_registered (fixture->tray), WAIT_MS);
  g_assert_true (test_watcher_has_item (fixture->watcher,
                                        ferry_tray_get_bus_name (fixture->tray)));
  host_refresh (fixture);
  FERRY_TEST_WAIT (fixture->calls_in_flight == 0, WAIT_MS);
}

static void
set_up_bus (Fixture          *fixture,
            const char       *network,
            FerryClientFlags  flags,
            gboolean          with_watcher)
{
  if (g_str_equal (network, "full"))
    fixture->server = ferry_test_server_new ();
  client_fixture_set_up (&fixture->base, network, flags);
  g_signal_connect (fixture->base.client, "run-started", G_CALLBACK (on_run_started), fixture);
  g_signal_connect (fixture->base.client, "run-finished", G_CALLBACK (on_run_finished), fixture);

  fixture->titles = g_ptr_array_new_with_free_func (g_free);
  fixture->host = ferry_agent_fixture_connect (&fixture->base.bus);
  fixture->item_signal_id = g_dbus_connection_signal_subscribe (fixture->host, NULL,
                                                                ITEM_INTERFACE, NULL, ITEM_PATH,
                                                                NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                                on_item_signal, fixture, NULL);
  fixture->menu_signal_id = g_dbus_connection_signal_subscribe (fixture->host, NULL,
                                                                MENU_INTERFACE, NULL, MENU_PATH,
                                                                NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                                on_item_signal, fixture, NULL);
  if (with_watcher)
    fixture->watcher = test_watcher_start (fixture);
}

/* Online, the agent running and the item registered. */
static void
fixture_set_up_online (Fixture       *fixture,
                       gconstpointer  data)
{
  set_up_bus (fixture, "full", FERRY_CLIENT_FLAGS_NONE, TRUE);
  client_fixture_start_agent (&fixture->base);
  create_tray (fixture);
  wait_registered (fixture);
}

static void
fixture_set_up_offline (Fixture       *fixture,
                        gconstpointer  data)
{
  set_up_bus (fixture, "offline", FERRY_CLIENT_FLAGS_NONE, TRUE);
  client_fixture_start_agent (&fixture->base);
  create_tray (fixture);
  wait_registered (fixture);
}

/* The agent is not started; the tests start it. */
static void
fixture_set_up_agent_stopped (Fixture       *fixture,
                              gconstpointer  data)
{
  set_up_bus (fixture, "full", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START, TRUE);
}

/* No watcher and no tray yet. */
static void
fixture_set_up_no_watcher (Fixture       *fixture,
                           gconstpointer  data)
{
  set_up_bus (fixture, "full", FERRY_CLIENT_FLAGS_NONE, FALSE);
  client_fixture_start_agent (&fixture->base);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  FERRY_TEST_WAIT (fixture->calls_in_flight == 0, WAIT_MS);
  g_dbus_connection_signal_unsubscribe (fixture->host, fixture->item_signal_id);
  g_dbus_connection_signal_unsubscribe (fixture->host, fixture->menu_signal_id);

  /* Nothing the tray started keeps it alive. */
  if (fixture->tray != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->tray));
  g_clear_pointer (&fixture->watcher, test_watcher_stop);
  g_dbus_connection_close_sync (fixture->host, NULL, NULL);
  g_clear_object (&fixture->host);
  g_clear_pointer (&fixture->props, g_variant_unref);
  g_clear_pointer (&fixture->titles, g_ptr_array_unref);
  g_clear_pointer (&fixture->last_new_status, g_free);

  g_signal_handlers_disconnect_by_data (fixture->base.client, fixture);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
}

/* Tests */

static void
test_register (Fixture       *fixture,
               gconstpointer  data)
{
  const char *bus_name = ferry_tray_get_bus_name (fixture->tray);
  g_autofree char *prefix = g_strdup_printf ("org.kde.StatusNotifierItem-%d-", (int) getpid ());
  g_autofree char *menu_path = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_menu = TRUE;
  gint32 window_id = -1;
  guint32 version = 0;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  /* Registered under its own per-process name, by its own connection. */
  g_assert_true (g_str_has_prefix (bus_name, prefix));
  g_assert_true (ferry_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->watcher->items->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->watcher->items, 0), ==, bus_name);
  g_assert_cmpstr (g_ptr_array_index (fixture->watcher->senders, 0), ==,
                   g_dbus_connection_get_unique_name (fixture->base.connection));

  g_assert_cmpstr (host_get_string (fixture, "Category"), ==, "ApplicationStatus");
  g_assert_cmpstr (host_get_string (fixture, "Id"), ==, APP_ID);
  g_assert_cmpstr (host_get_string (fixture, "AttentionIconName"), ==, ICON_ATTENTION);
  g_assert_cmpstr (host_get_string (fixture, "OverlayIconName"), ==, "");
  g_assert_true (g_variant_lookup (fixture->props, "Menu", "o", &menu_path));
  g_assert_cmpstr (menu_path, ==, MENU_PATH);
  g_assert_true (g_variant_lookup (fixture->props, "ItemIsMenu", "b", &is_menu));
  g_assert_false (is_menu);
  g_assert_true (g_variant_lookup (fixture->props, "WindowId", "i", &window_id));
  g_assert_cmpint (window_id, ==, 0);
  pixmaps = g_variant_lookup_value (fixture->props, "IconPixmap", G_VARIANT_TYPE ("a(iiay)"));
  g_assert_nonnull (pixmaps);
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 0);

  /* Online, and nothing was ever sent: nothing to sync.  The item stays
   * Active, so hosts that hide Passive items keep showing it. */
  assert_host_shows (fixture, "Nothing to sync", ICON_SYNCED, "Active");
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_cmpstr (tip_description, ==, "");
  assert_menu_labels (fixture, "Nothing to sync", FALSE);

  /* The menu object's own properties. */
  reply = host_call (fixture, MENU_PATH, "org.freedesktop.DBus.Properties", "Get",
                     g_variant_new ("(ss)", MENU_INTERFACE, "Version"), "(v)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  g_variant_get (value, "u", &version);
  g_assert_cmpuint (version, ==, 3);

  /* The icon theme path goes to hosts with a signal of its own. */
  ferry_tray_set_icon_theme_path (fixture->tray, "/usr/share/ferry-icons");
  FERRY_TEST_WAIT (g_strcmp0 (host_get_string (fixture, "IconThemePath"),
                              "/usr/share/ferry-icons") == 0, WAIT_MS);
  g_assert_cmpuint (fixture->n_new_icon_theme_path, ==, 1);
  ferry_tray_set_icon_theme_path (fixture->tray, "/usr/share/ferry-icons");
  g_assert_cmpstr (ferry_tray_get_icon_theme_path (fixture->tray), ==, "/usr/share/ferry-icons");
}

static void
test_agent_not_running (Fixture       *fixture,
                        gconstpointer  data)
{
  create_tray (fixture);
  wait_registered (fixture);

  g_assert_false (ferry_client_get_agent_running (fixture->base.client));
  assert_host_shows (fixture, "Ferry’s agent is not running", ICON_OFFLINE, "Active");
  assert_menu_labels (fixture, "Ferry’s agent is not running", FALSE);

  client_fixture_start_agent (&fixture->base);
  assert_host_shows (fixture, "Nothing to sync", ICON_SYNCED, "Active");

  client_fixture_stop_agent (&fixture->base);
  assert_host_shows (fixture, "Ferry’s agent is not running", ICON_OFFLINE, "Active");
}

/* Parses "Syncing D of T". */
static gboolean
parse_progress (const char *title,
                guint      *out_done,
                guint      *out_total)
{
  return sscanf (title, "Syncing %u of %u", out_done, out_total) == 2;
}

static void
test_follows_run (Fixture       *fixture,
                  gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  const guint n_tasks = 3;
  guint last_done = 0;
  guint last_total = 0;
  gboolean seen_syncing = FALSE;

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *path = g_strdup_printf ("/run/%u", i);
      g_autofree char *url = ferry_test_server_url (fixture->server, path);
      g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      ferry_test_server_hold (fixture->server, path);
      ferry_request_set_body_text (request, "{}", "application/json");
      id = client_enqueue (client, request, &error);
      g_assert_no_error (error);
    }

  /* Every request held: the run shows its size and nothing done. */
  assert_host_shows (fixture, "Syncing 0 of 3", ICON_SYNCING, "Active");
  assert_menu_labels (fixture, "Syncing 0 of 3", FALSE);

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *path = g_strdup_printf ("/run/%u", i);
      g_autofree char *title = g_strdup_printf ("Syncing %u of %u", i + 1, n_tasks);

      ferry_test_server_release (fixture->server, path);
      if (i + 1 < n_tasks)
        assert_host_shows (fixture, title, ICON_SYNCING, "Active");
    }

  assert_host_shows (fixture, "All changes synced", ICON_SYNCED, "Active");
  assert_menu_labels (fixture, "All changes synced", FALSE);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 0, WAIT_MS);

  /* nothing yet → syncing with numbers that only grow → synced (before
   * the run starts, the host may also have read "2 changes waiting") */
  g_assert_cmpuint (fixture->titles->len, >=, 5);
  g_assert_cmpstr (g_ptr_array_index (fixture->titles, 0), ==, "Nothing to sync");
  g_assert_cmpstr (g_ptr_array_index (fixture->titles, fixture->titles->len - 1), ==,
                   "All changes synced");
  for (guint i = 1; i + 1 < fixture->titles->len; i++)
    {
      const char *title = g_ptr_array_index (fixture->titles, i);
      guint done;
      guint total;

      if (!parse_progress (title, &done, &total))
        {
          g_assert_false (seen_syncing);
          g_assert_true (g_str_has_suffix (title, "waiting") || g_str_equal (title, "Syncing…"));
          continue;
        }
      g_assert_cmpuint (done, >=, last_done);
      g_assert_cmpuint (total, >=, last_total);
      g_assert_cmpuint (done, <=, total);
      last_done = done;
      last_total = total;
      seen_syncing = TRUE;
    }
  g_assert_true (seen_syncing);
  g_assert_cmpuint (last_done, ==, n_tasks - 1);
  g_assert_cmpuint (last_total, ==, n_tasks);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  /* Offline with nothing to send is nothing to worry about. */
  assert_host_shows (fixture, "Offline", ICON_OFFLINE, "Active");

  ids = client_enqueue_many (fixture->base.client, "https://example.org/notes", 5);
  assert_host_shows (fixture, "Offline — 5 changes waiting", ICON_OFFLINE, "Active");
  assert_menu_labels (fixture, "Offline — 5 changes waiting", FALSE);
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_cmpstr (tip_description, ==, "They are sent when the network is back");
}

static void
test_pause_from_menu (Fixture       *fixture,
                      gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/paused");
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;
  guint menu_updates;

  menu_updates = fixture->n_menu_updates;
  menu_event (fixture, MENU_PAUSE);
  FERRY_TEST_WAIT (ferry_client_get_paused (client), WAIT_MS);
  assert_host_shows (fixture, "Paused", ICON_PAUSED, "Active");
  assert_menu_labels (fixture, "Paused", TRUE);
  FERRY_TEST_WAIT (fixture->n_menu_updates > menu_updates, WAIT_MS);

  /* Changes wait while paused; the tooltip says how many, and that they
   * wait for the person (no next try while paused). */
  request = ferry_request_new ("PUT", url);
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 1, WAIT_MS);
  FERRY_TEST_WAIT ((host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description),
                    g_strcmp0 (tip_description, "1 change waits until you resume") == 0),
                   WAIT_MS);
  g_assert_cmpstr (tip_title, ==, "Paused");
  g_assert_true (host_title_is (fixture, "Paused"));

  menu_event (fixture, MENU_PAUSE);
  FERRY_TEST_WAIT (!ferry_client_get_paused (client), WAIT_MS);
  FERRY_TEST_WAIT (!host_title_is (fixture, "Paused"), WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (host_get_string (fixture, "IconName"), ICON_PAUSED) != 0, WAIT_MS);
  {
    g_autoptr(GVariant) layout = menu_get_layout (fixture);
    g_autofree char *label = layout_dup_label (layout, MENU_PAUSE);

    g_assert_cmpstr (label, ==, "Paused");
    g_assert_cmpint (layout_get_toggle_state (layout, MENU_PAUSE), ==, 0);
    g_assert_true (layout_get_enabled (layout, MENU_SYNC_NOW));
  }
}

static void
test_sync_now_from_menu (Fixture       *fixture,
                         gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/later");
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint runs;

  /* A busy server puts the change off for minutes. */
  ferry_test_server_push_reply (fixture->server, "/later", 503, "Retry-After: 3600", "busy");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_test_server_count_requests (fixture->server, "/later") == 1, WAIT_MS);
  /* The run that put it off is over: Sync now is about a change that
   * waits, not about the attempt still on its way, whose outcome would
   * come after and put the change off again, in the same run. */
  FERRY_TEST_WAIT (fixture->n_run_finished > 0, WAIT_MS);
  assert_host_shows (fixture, "1 change waiting", ICON_SYNCING, "Active");

  /* Sync now sends it at once. */
  runs = fixture->n_run_started;
  menu_event (fixture, MENU_SYNC_NOW);
  FERRY_TEST_WAIT (fixture->n_run_started > runs, WAIT_MS);
  FERRY_TEST_WAIT (ferry_test_server_count_requests (fixture->server, "/later") == 2, WAIT_MS);
  assert_host_shows (fixture, "All changes synced", ICON_SYNCED, "Active");
}

static void
test_menu_protocol (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) groups = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) errors = NULL;
  g_autoptr(GError) error = NULL;
  const char *labels_only[] = { "label", NULL };
  const char *all[] = { NULL };
  gint32 ids[] = { MENU_STATUS, MENU_QUIT, 42 };
  g_autofree char *label = NULL;
  gboolean need_update = TRUE;
  guint32 revision = 0;

  /* The root with no children when asked for depth 0. */
  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetLayout",
                     g_variant_new ("(ii^as)", 0, 0, all), "(u(ia{sv}av))", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u(i@a{sv}@av))", &revision, NULL, &props, &value);
  g_assert_cmpuint (revision, >, 0);
  g_assert_cmpuint (g_variant_n_children (value), ==, 0);
  g_assert_true (g_variant_lookup (props, "children-display", "s", &label));
  g_assert_cmpstr (label, ==, "submenu");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_pointer (&props, g_variant_unref);
  g_clear_pointer (&value, g_variant_unref);

  /* The whole tree: eight items, two of them separators. */
  reply = menu_get_layout (fixture);
  props = layout_dup_item (reply, MENU_SEPARATOR_TOP);
  g_assert_true (g_variant_lookup (props, "type", "s", &label));
  g_assert_cmpstr (label, ==, "separator");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&props, g_variant_unref);
  props = layout_dup_item (reply, MENU_PAUSE);
  g_assert_true (g_variant_lookup (props, "toggle-type", "s", &label));
  g_assert_cmpstr (label, ==, "checkmark");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&props, g_variant_unref);
  /* Defaults stay out of the answer. */
  props = layout_dup_item (reply, MENU_OPEN);
  g_assert_cmpuint (g_variant_n_children (props), ==, 1);
  g_clear_pointer (&props, g_variant_unref);
  g_clear_pointer (&reply, g_variant_unref);

  /* Unknown ids are refused or reported. */
  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetLayout",
                     g_variant_new ("(ii^as)", 42, -1, all), "(u(ia{sv}av))", &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_assert_null (reply);
  g_clear_error (&error);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetGroupProperties",
                     g_variant_new ("(@ai^as)",
                                    g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids,
                                                               G_N_ELEMENTS (ids),
                                                               sizeof (gint32)),
                                    labels_only),
                     "(a(ia{sv}))", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@a(ia{sv}))", &groups);
  g_assert_cmpuint (g_variant_n_children (groups), ==, 2);
  g_variant_get_child (groups, 1, "(i@a{sv})", NULL, &props);
  g_assert_cmpuint (g_variant_n_children (props), ==, 1);
  g_assert_true (g_variant_lookup (props, "label", "s", &label));
  g_assert_cmpstr (label, ==, "Quit");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&props, g_variant_unref);
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetProperty",
                     g_variant_new ("(is)", MENU_STATUS, "label"), "(v)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Nothing to sync");
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "GetProperty",
                     g_variant_new ("(is)", MENU_STATUS, "no-such-property"), "(v)", &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "AboutToShow",
                     g_variant_new ("(i)", MENU_ROOT), "(b)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &need_update);
  g_assert_false (need_update);
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "AboutToShowGroup",
                     g_variant_new ("(@ai)",
                                    g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids,
                                                               G_N_ELEMENTS (ids),
                                                               sizeof (gint32))),
                     "(aiai)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@ai@ai)", NULL, &errors);
  g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
  g_clear_pointer (&errors, g_variant_unref);
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "Event",
                     g_variant_new ("(isvu)", 42, "clicked", g_variant_new_int32 (0), 0),
                     "()", &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* Open Ferry and a click on the item open the window; Quit asks to
   * quit; other events do nothing. */
  menu_event (fixture, MENU_OPEN);
  FERRY_TEST_WAIT (fixture->n_activate == 1, WAIT_MS);

  reply = host_call (fixture, ITEM_PATH, ITEM_INTERFACE, "Activate",
                     g_variant_new ("(ii)", 10, 20), "()", &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (fixture->n_activate == 2, WAIT_MS);
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, MENU_PATH, MENU_INTERFACE, "EventGroup",
                     g_variant_new_parsed ("([(%i, 'opened', <0>, %u), (%i, 'clicked', <0>, %u),"
                                           "  (42, 'clicked', <0>, 0)],)",
                                           (gint32) MENU_ROOT, (guint32) 0,
                                           (gint32) MENU_QUIT, (guint32) 0),
                     "(ai)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@ai)", &errors);
  g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
  FERRY_TEST_WAIT (fixture->n_quit_requested == 1, WAIT_MS);
  g_assert_cmpuint (fixture->n_activate, ==, 2);
  g_clear_pointer (&reply, g_variant_unref);

  reply = host_call (fixture, ITEM_PATH, ITEM_INTERFACE, "ContextMenu",
                     g_variant_new ("(ii)", 0, 0), "()", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  reply = host_call (fixture, ITEM_PATH, ITEM_INTERFACE, "Scroll",
                     g_variant_new ("(is)", 1, "vertical"), "()", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_activate, ==, 2);
  g_assert_cmpuint (fixture->n_quit_requested, ==, 1);
}

static void
test_attention (Fixture       *fixture,
                gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/doc");
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* The server's copy moved on: the change waits for the person. */
  ferry_test_server_push_reply (fixture->server, "/doc", 409, NULL, "{\"title\":\"theirs\"}");
  ferry_test_server_set_default (fixture->server, "/doc", 200, NULL, "{\"title\":\"theirs\"}");
  ferry_request_set_body_text (request, "{\"title\":\"mine\"}", "application/json");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);

  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 1, WAIT_MS);
  assert_host_shows (fixture, "1 conflict needs you", ICON_ATTENTION, "NeedsAttention");
  g_assert_cmpstr (fixture->last_new_status, ==, "NeedsAttention");
  assert_menu_labels (fixture, "1 conflict needs you", FALSE);

  /* The menu says what needs the person, second, and it opens it. */
  {
    g_autoptr(GVariant) layout = menu_get_layout (fixture);
    g_autoptr(GVariant) props = layout_dup_item (layout, MENU_ATTENTION);
    g_autoptr(GVariant) root = g_variant_get_child_value (layout, 1);
    g_autoptr(GVariant) children = g_variant_get_child_value (root, 2);
    g_autoptr(GVariant) second_boxed = g_variant_get_child_value (children, 1);
    g_autoptr(GVariant) second = g_variant_get_variant (second_boxed);
    g_autofree char *label = NULL;
    gboolean visible = FALSE;
    gint32 second_id = -1;
    guint activations = fixture->n_activate;

    g_variant_get_child (second, 0, "i", &second_id);
    g_assert_cmpint (second_id, ==, MENU_ATTENTION);
    g_assert_true (g_variant_lookup (props, "label", "s", &label));
    g_assert_cmpstr (label, ==, "1 conflict needs you");
    g_assert_false (g_variant_lookup (props, "visible", "b", &visible) && !visible);
    menu_event (fixture, MENU_ATTENTION);
    FERRY_TEST_WAIT (fixture->n_activate == activations + 1, WAIT_MS);
  }
}

/* A collection syncing with a REST profile server (scripted on the test's
 * HTTP server, its push held): its run is in the title like the tasks',
 * and the record the server refused counts as a failure. */
static void
test_collection_run (Fixture       *fixture,
                     gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/notes");
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(FerryCollection) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder config;
  const char *ids[] = { "a", "b" };

  ferry_test_server_set_default (fixture->server, "/notes/changes", 200,
                                 "Content-Type: application/json",
                                 "{\"changes\":[],\"cursor\":\"1\",\"has_more\":false}");
  ferry_test_server_set_default (fixture->server, "/notes/batch", 200,
                                 "Content-Type: application/json",
                                 "{\"results\":[{\"id\":\"a\",\"status\":\"ok\","
                                 "\"version\":\"v2\"},{\"id\":\"b\",\"status\":\"rejected\","
                                 "\"error\":\"forbidden\"}]}");
  ferry_test_server_hold (fixture->server, "/notes/batch");

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  ferry_client_add_collection_async (client, g_variant_builder_end (&config), NULL,
                                     client_store_result_cb, &added);
  path = ferry_client_add_collection_finish (client, client_wait_result (&added), &error);
  g_assert_no_error (error);
  ferry_collection_new_async (client, path, NULL, client_store_result_cb, &made);
  notes = ferry_collection_new_finish (client_wait_result (&made), &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_collection_get_state (notes), "synced") == 0, WAIT_MS);
  assert_host_shows (fixture, "Nothing to sync", ICON_SYNCED, "Active");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GAsyncResult) written = NULL;

      ferry_collection_put_async (notes, ids[i], "{\"title\":\"t\"}", NULL,
                                  client_store_result_cb, &written);
      g_assert_cmpint (ferry_collection_put_finish (notes, client_wait_result (&written),
                                                    &error), >, 0);
      g_assert_no_error (error);
    }

  /* The push is held: the run shows its size and nothing done. */
  assert_host_shows (fixture, "Syncing 0 of 2", ICON_SYNCING, "Active");
  assert_menu_labels (fixture, "Syncing 0 of 2", FALSE);

  /* One taken, one refused: the refusal needs the person. */
  ferry_test_server_release (fixture->server, "/notes/batch");
  assert_host_shows (fixture, "1 change failed", ICON_ATTENTION, "NeedsAttention");
  assert_menu_labels (fixture, "1 change failed", FALSE);
  g_assert_cmpuint (ferry_collection_get_failed_count (notes), ==, 1);
}

/* Only a download moves (its server sends slowly): the title speaks of
 * the download, not of "Syncing 0 of 1", and its bytes are in the
 * tooltip. */
static void
test_download_only (Fixture       *fixture,
                    gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  FerryRangeServer *files = ferry_range_server_new ();
  g_autofree char *url = ferry_range_server_url (files, "/maps/city.bin");
  g_autoptr(FerryDownloadRequest) request = ferry_download_request_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  ferry_range_server_set_pattern (files, "/maps/city.bin", 600 * 1000, 7);
  ferry_range_server_set_rate (files, 120 * 1000);
  ferry_download_request_set_expected_size (request, 600 * 1000);
  ferry_client_download_async (client, request, NULL, client_store_result_cb, &result);
  id = ferry_client_download_finish (client, client_wait_result (&result), &error);
  g_assert_no_error (error);

  FERRY_TEST_WAIT (host_title_is (fixture, "Downloading 1 file…"), WAIT_MS);
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_cmpstr (tip_title, ==, "Downloading 1 file…");
  g_assert_true (g_str_has_prefix (tip_description, "Downloading 1 file — "));
  assert_menu_labels (fixture, "Downloading 1 file…", FALSE);

  assert_host_shows (fixture, "All changes synced", ICON_SYNCED, "Active");
  /* Neither before its first bytes nor after its last. */
  for (guint i = 0; i < fixture->titles->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (fixture->titles, i), "Syncing 0 of"));
  ferry_range_server_free (files);
}

/* A conflict during a run that goes on (one slow request is enough):
 * what needs the person wins the item's Status and icon at once; the
 * run's progress stays in the title and the conflict is in the tooltip. */
static void
test_attention_during_run (Fixture       *fixture,
                           gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *slow_url = ferry_test_server_url (fixture->server, "/slow");
  g_autofree char *doc_url = ferry_test_server_url (fixture->server, "/doc");
  g_autoptr(FerryRequest) slow = ferry_request_new ("PUT", slow_url);
  g_autoptr(FerryRequest) doc = ferry_request_new ("PUT", doc_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *slow_id = NULL;
  g_autofree char *doc_id = NULL;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  ferry_test_server_hold (fixture->server, "/slow");
  ferry_test_server_push_reply (fixture->server, "/doc", 409, NULL, "{\"title\":\"theirs\"}");
  ferry_test_server_set_default (fixture->server, "/doc", 200, NULL, "{\"title\":\"theirs\"}");
  ferry_request_set_body_text (doc, "{\"title\":\"mine\"}", "application/json");
  slow_id = client_enqueue (client, slow, &error);
  g_assert_no_error (error);
  doc_id = client_enqueue (client, doc, &error);
  g_assert_no_error (error);

  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 1, WAIT_MS);
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_SYNCING);
  assert_host_shows (fixture, "Syncing 1 of 2", ICON_ATTENTION, "NeedsAttention");
  g_assert_cmpstr (fixture->last_new_status, ==, "NeedsAttention");
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_nonnull (strstr (tip_description, "1 conflict needs you"));

  /* The run ends; the conflict still waits. */
  ferry_test_server_release (fixture->server, "/slow");
  assert_host_shows (fixture, "1 conflict needs you", ICON_ATTENTION, "NeedsAttention");
}

static void
test_watcher_restart (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *bus_name = ferry_tray_get_bus_name (fixture->tray);

  /* The panel goes away … */
  g_clear_pointer (&fixture->watcher, test_watcher_stop);
  FERRY_TEST_WAIT (!ferry_tray_get_registered (fixture->tray), WAIT_MS);

  /* … and comes back: the item registers again, under the same name. */
  fixture->watcher = test_watcher_start (fixture);
  FERRY_TEST_WAIT (ferry_tray_get_registered (fixture->tray), WAIT_MS);
  g_assert_cmpuint (fixture->watcher->items->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->watcher->items, 0), ==, bus_name);

  /* Twice. */
  g_clear_pointer (&fixture->watcher, test_watcher_stop);
  FERRY_TEST_WAIT (!ferry_tray_get_registered (fixture->tray), WAIT_MS);
  fixture->watcher = test_watcher_start (fixture);
  FERRY_TEST_WAIT (ferry_tray_get_registered (fixture->tray), WAIT_MS);
  g_assert_true (test_watcher_has_item (fixture->watcher, bus_name));

  /* The item still answers and still follows the agent. */
  host_refresh (fixture);
  assert_host_shows (fixture, "Nothing to sync", ICON_SYNCED, "Active");
}

/* Counts what the tray hears from the client that a tooltip shows. */
static void
on_client_notify_count (FerryClient *client,
                        GParamSpec  *pspec,
                        guint       *count)
{
  static const char * const shown[] = {
    "agent-running", "state", "paused", "pending-count", "failed-count", "conflict-count",
    "auth-count", "progress-done", "progress-total", NULL
  };

  if (g_strv_contains (shown, pspec->name))
    (*count)++;
}

static void
on_client_task_succeeded (FerryClient *client,
                          const char  *id,
                          const char  *owner,
                          guint        status,
                          guint       *count)
{
  (*count)++;
}

static void
on_burst_task_succeeded (FerryDBusAgent *agent,
                         const char     *id,
                         const char     *owner,
                         guint           status,
                         guint          *count)
{
  (*count)++;
}

static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GMainContext) burst_context = g_main_context_new ();
  g_autoptr(GDBusConnection) burst_connection = NULL;
  g_autoptr(FerryDBusAgent) agent = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/burst");
  g_autoptr(GError) pause_error = NULL;
  const guint n_tasks = 100;
  guint n_succeeded = 0;
  guint n_client_succeeded = 0;
  guint n_changes = 0;
  guint n_tool_tips;
  const char *tip_icon;
  const char *tip_title;
  const char *tip_description;

  g_signal_connect (client, "notify", G_CALLBACK (on_client_notify_count), &n_changes);
  g_signal_connect (client, "task-succeeded", G_CALLBACK (on_client_task_succeeded),
                    &n_client_succeeded);
  fixture->n_new_tool_tip = 0;

  /* The burst: a hundred tasks added and delivered, then a pause, while
   * the tray's main context stands still, as it might behind a busy
   * window.  Everything ferryd said meanwhile reaches the client at once
   * when it runs again: hundreds of changes, a few milliseconds apart. */
  g_main_context_push_thread_default (burst_context);
  burst_connection = ferry_agent_fixture_connect (&fixture->base.bus);
  agent = ferry_agent_fixture_new_proxy (&fixture->base.bus, burst_connection);
  g_signal_connect (agent, "task-succeeded", G_CALLBACK (on_burst_task_succeeded), &n_succeeded);
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      ferry_dbus_agent_call_enqueue_sync (agent, ferry_agent_request_new ("PUT", url, NULL),
                                          &id, NULL, &error);
      g_assert_no_error (error);
    }
  FERRY_TEST_WAIT (n_succeeded == n_tasks &&
                   g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0 &&
                   ferry_dbus_agent_get_pending_count (agent) == 0, 60000);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/burst"), ==, n_tasks);
  ferry_dbus_agent_call_pause_sync (agent, NULL, &pause_error);
  g_assert_no_error (pause_error);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_paused (agent), WAIT_MS);
  g_clear_object (&agent);
  g_dbus_connection_close_sync (burst_connection, NULL, NULL);
  g_main_context_pop_thread_default (burst_context);

  /* Back on the main context: the client catches up, the tray follows
   * and ends on the final state. */
  FERRY_TEST_WAIT (n_client_succeeded == n_tasks && ferry_client_get_paused (client) &&
                   ferry_client_get_pending_count (client) == 0, WAIT_MS);
  assert_host_shows (fixture, "Paused", ICON_PAUSED, "Active");
  FERRY_TEST_WAIT (fixture->calls_in_flight == 0, WAIT_MS);
  host_get_tool_tip (fixture, &tip_icon, &tip_title, &tip_description);
  g_assert_cmpstr (tip_title, ==, "Paused");
  /* Nothing waits; the burst was delivered a moment ago. */
  g_assert_cmpstr (tip_description, ==, "Last synced just now");
  g_assert_cmpstr (tip_icon, ==, ICON_PAUSED);

  n_tool_tips = fixture->n_new_tool_tip;
  g_test_message ("%u client changes, %u NewToolTip signals", n_changes, n_tool_tips);
  g_assert_cmpuint (n_changes, >=, n_tasks);
  g_assert_cmpuint (n_tool_tips, >=, 1);
  g_assert_cmpuint (n_tool_tips * 10, <=, n_changes);

  g_signal_handlers_disconnect_by_func (client, on_client_notify_count, &n_changes);
  g_signal_handlers_disconnect_by_func (client, on_client_task_succeeded, &n_client_succeeded);
}

typedef struct
{
  guint n_debug;
  guint n_louder;
  guint n_about_watcher;
} LogCount;

static void
count_log (const char     *log_domain,
           GLogLevelFlags  log_level,
           const char     *message,
           gpointer        user_data)
{
  LogCount *count = user_data;

  if ((log_level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_DEBUG)
    {
      count->n_debug++;
      if (strstr (message, "watcher") != NULL)
        count->n_about_watcher++;
    }
  else
    {
      count->n_louder++;
      g_test_message ("unexpected log message: %s: %s", log_domain, message);
    }
}

static void
test_no_watcher (Fixture       *fixture,
                 gconstpointer  data)
{
  LogCount count = { 0 };

  g_log_set_default_handler (count_log, &count);

  create_tray (fixture);
  /* The tray found no watcher, said so once, quietly. */
  FERRY_TEST_WAIT (count.n_about_watcher > 0, WAIT_MS);
  host_refresh (fixture);
  FERRY_TEST_WAIT (fixture->calls_in_flight == 0, WAIT_MS);
  g_assert_false (ferry_tray_get_registered (fixture->tray));
  g_assert_cmpuint (count.n_about_watcher, ==, 1);
  g_assert_cmpuint (count.n_louder, ==, 0);

  /* The item is there for whoever looks, as the window would be. */
  assert_host_shows (fixture, "Nothing to sync", ICON_SYNCED, "Active");

  /* A tray host starting later (an extension enabled) gets the item. */
  fixture->watcher = test_watcher_start (fixture);
  FERRY_TEST_WAIT (ferry_tray_get_registered (fixture->tray), WAIT_MS);
  g_assert_true (test_watcher_has_item (fixture->watcher,
                                        ferry_tray_get_bus_name (fixture->tray)));
  g_assert_cmpuint (count.n_louder, ==, 0);

  g_log_set_default_handler (g_log_default_handler, NULL);
}

static void
test_icons_shipped (void)
{
  static const char * const icons[] = {
    ICON_SYNCED, ICON_SYNCING, ICON_OFFLINE, ICON_PAUSED, ICON_ATTENTION
  };

  /* Every icon the item names is in the folder IconThemePath points at
   * when running uninstalled. */
  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      g_autofree char *file = g_strconcat (icons[i], ".svg", NULL);
      g_autofree char *path = g_build_filename (FERRY_TEST_ICON_DIR, "hicolor", "symbolic",
                                                "apps", file, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (contents, "viewBox=\"0 0 16 16\""));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tray/icons-shipped", test_icons_shipped);
  g_test_add ("/tray/register", Fixture, NULL,
              fixture_set_up_online, test_register, fixture_tear_down);
  g_test_add ("/tray/agent-not-running", Fixture, NULL,
              fixture_set_up_agent_stopped, test_agent_not_running, fixture_tear_down);
  g_test_add ("/tray/follows-run", Fixture, NULL,
              fixture_set_up_online, test_follows_run, fixture_tear_down);
  g_test_add ("/tray/offline", Fixture, NULL,
              fixture_set_up_offline, test_offline, fixture_tear_down);
  g_test_add ("/tray/pause-from-menu", Fixture, NULL,
              fixture_set_up_online, test_pause_from_menu, fixture_tear_down);
  g_test_add ("/tray/sync-now-from-menu", Fixture, NULL,
              fixture_set_up_online, test_sync_now_from_menu, fixture_tear_down);
  g_test_add ("/tray/menu-protocol", Fixture, NULL,
              fixture_set_up_online, test_menu_protocol, fixture_tear_down);
  g_test_add ("/tray/attention", Fixture, NULL,
              fixture_set_up_online, test_attention, fixture_tear_down);
  g_test_add ("/tray/download-only", Fixture, NULL,
              fixture_set_up_online, test_download_only, fixture_tear_down);
  g_test_add ("/tray/collection-run", Fixture, NULL,
              fixture_set_up_online, test_collection_run, fixture_tear_down);
  g_test_add ("/tray/attention-during-run", Fixture, NULL,
              fixture_set_up_online, test_attention_during_run, fixture_tear_down);
  g_test_add ("/tray/watcher-restart", Fixture, NULL,
              fixture_set_up_online, test_watcher_restart, fixture_tear_down);
  g_test_add ("/tray/coalesce", Fixture, NULL,
              fixture_set_up_online, test_coalesce, fixture_tear_down);
  g_test_add ("/tray/no-watcher", Fixture, NULL,
              fixture_set_up_no_watcher, test_no_watcher, fixture_tear_down);

  return g_test_run ();
}
