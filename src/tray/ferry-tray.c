/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-tray"

#include "config.h"

#include "ferry-collection-set.h"

#include "ferry-tray-resources.h"
#include "ferry-tray-private.h"
#include "ferry-tray-item.h"
#include "ferry-tray-menu.h"
#include "ferry-tray-view.h"
#include "ferry-tray.h"

/**
 * FerryTray:
 *
 * Ferry's tray indicator: a StatusNotifierItem with a com.canonical.dbusmenu
 * menu, exported over GDBus and registered with org.kde.StatusNotifierWatcher
 * whenever one is on the bus.
 *
 * The item follows the agent only through its #FerryClient, so it shows
 * what the window shows.  The interfaces, and what each member does, are
 * described in `org.kde.StatusNotifierItem.xml` and `com.canonical.dbusmenu.xml`
 * next to this file.
 *
 * The tray ties three parts together: the view (ferry-tray-view.c, what
 * the client's status looks like in a tray), the item (ferry-tray-item.c:
 * the StatusNotifierItem and its registration with the watcher) and the
 * menu (ferry-tray-menu.c: the dbusmenu server).  It publishes the view to
 * both, at a bounded rate, and turns their clicks into client calls and
 * its own signals.
 *
 * With no watcher on the bus the tray exports its objects and waits
 * quietly; the rest of the application is not affected.  One tray per
 * connection: the item's object path is fixed by the protocol.
 */

/* A run moves the counts many times a second; hosts hear about it at
 * most this often, the last value always included. */
#define PUBLISH_INTERVAL_MS 150
/* Bytes of moving files change all the time, and hosts hide a tooltip
 * whose text changes while it is shown: those go out at this pace. */
#define BYTES_INTERVAL_MS   2000

struct _FerryTray
{
  GObject parent_instance;

  /* owned */
  FerryClient     *client;
  FerryCollectionSet *collections;         /* their runs count with the tasks' */
  GDBusConnection *connection;
  GCancellable    *cancellable;            /* client calls; cancelled in dispose */
  FerryTrayItem   *item;
  FerryTrayMenu   *menu;
  char            *icon_theme_path;
  FerryTrayView    view;                   /* what hosts have been told */

  /* state */
  guint            publish_id;
  gint64           publish_due;            /* monotonic µs, while publish_id is set */
  gint64           last_publish;           /* monotonic µs */
};

G_DEFINE_FINAL_TYPE (FerryTray, ferry_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONNECTION,
  PROP_BUS_NAME,
  PROP_REGISTERED,
  PROP_ICON_THEME_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  QUIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Both interface files are compiled in; failing here is a build error. */
GDBusInterfaceInfo *
ferry_tray_load_interface_info (const char *file,
                                const char *name)
{
  g_autofree char *path = g_strconcat (FERRY_TRAY_RESOURCE_PREFIX, file, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  GDBusInterfaceInfo *info;

  bytes = g_resource_lookup_data (ferry_tray_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_lookup_interface (node, name);
  g_assert (info != NULL);
  g_dbus_interface_info_cache_build (info);
  return g_dbus_interface_info_ref (info);
}

/* Exports @info at @path for the item or the menu; 0 (with a warning
 * saying why) when that fails. */
guint
ferry_tray_register_object (GDBusConnection            *connection,
                            const char                 *path,
                            GDBusInterfaceInfo         *info,
                            const GDBusInterfaceVTable *vtable,
                            gpointer                    user_data)
{
  g_autoptr(GError) error = NULL;
  guint id;

  id = g_dbus_connection_register_object (connection, path, info, vtable, user_data, NULL,
                                          &error);
  if (id == 0)
    g_warning ("Could not export the tray's %s at %s: %s", info->name, path, error->message);
  return id;
}

/* What the item shows now: the status every part of Ferry says. */
static void
compute_view (FerryTray     *self,
              FerryTrayView *view)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  ferry_status_snapshot_from_client (&snapshot, self->client);
  if (self->collections != NULL)
    ferry_collection_set_add_to_snapshot (self->collections, &snapshot);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  ferry_tray_view_from_status (view, status, ferry_client_get_paused (self->client));
}

/* Makes the client's current state what hosts see; the item and the menu
 * tell them about what really changed, the item first. */
static void
publish (FerryTray *self)
{
  ferry_tray_view_clear (&self->view);
  compute_view (self, &self->view);
  self->last_publish = g_get_monotonic_time ();

  ferry_tray_item_set_view (self->item, &self->view);
  ferry_tray_menu_set_view (self->menu, &self->view);
}

static gboolean
on_publish_timeout (gpointer user_data)
{
  FerryTray *self = user_data;

  self->publish_id = 0;
  publish (self);
  return G_SOURCE_REMOVE;
}

/* At once when the last publication is more than @interval_ms old, else
 * when it will be: a burst costs one update per interval, and its final
 * state is always published.  A sooner publication replaces a later one
 * already planned. */
static void
schedule_publish_within (FerryTray *self,
                         guint      interval_ms)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = MAX (now, self->last_publish + (gint64) interval_ms * 1000);

  if (self->publish_id != 0)
    {
      if (self->publish_due <= due)
        return;
      g_clear_handle_id (&self->publish_id, g_source_remove);
    }
  self->publish_due = due;
  self->publish_id = g_timeout_add ((guint) ((due - now + 999) / 1000), on_publish_timeout,
                                    self);
}

static void
schedule_publish (FerryTray *self)
{
  schedule_publish_within (self, PUBLISH_INTERVAL_MS);
}

static void
warn_unless_cancelled (const char   *what,
                       const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not %s: %s", what, error->message);
}

static void
sync_now_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_client_sync_now_finish (FERRY_CLIENT (object), result, &error))
    warn_unless_cancelled ("sync now", error);
}

static void
pause_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_client_pause_finish (FERRY_CLIENT (object), result, &error))
    warn_unless_cancelled ("pause syncing", error);
}

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_client_resume_finish (FERRY_CLIENT (object), result, &error))
    warn_unless_cancelled ("resume syncing", error);
}

static void
sync_now (FerryTray *self)
{
  ferry_client_sync_now_async (self->client, self->cancellable, sync_now_cb, NULL);
}

static void
toggle_pause (FerryTray *self)
{
  /* The client's live state, not the published one: a click acts on what
   * is true now. */
  if (ferry_client_get_paused (self->client))
    ferry_client_resume_async (self->client, self->cancellable, resume_cb, NULL);
  else
    ferry_client_pause_async (self->client, self->cancellable, pause_cb, NULL);
}

/* Sync now from the item or the menu: nothing is sent while paused, as
 * hosts were told. */
static void
sync_now_unless_paused (FerryTray *self)
{
  if (!self->view.paused)
    sync_now (self);
}

static void
on_menu_clicked (FerryTray     *self,
                 int            item,
                 FerryTrayMenu *menu)
{
  g_autoptr(FerryTray) hold = g_object_ref (self);   /* handlers may drop the last one */

  switch (item)
    {
    case FERRY_TRAY_MENU_ITEM_SYNC_NOW:
      sync_now_unless_paused (self);
      break;
    case FERRY_TRAY_MENU_ITEM_PAUSE:
      toggle_pause (self);
      break;
    case FERRY_TRAY_MENU_ITEM_OPEN:
    case FERRY_TRAY_MENU_ITEM_ATTENTION:
      /* The application opens the window on what needs the person. */
      g_signal_emit (self, signals[ACTIVATE], 0);
      break;
    case FERRY_TRAY_MENU_ITEM_QUIT:
      g_signal_emit (self, signals[QUIT_REQUESTED], 0);
      break;
    default:
      break;
    }
}

static void
on_item_activate (FerryTray     *self,
                  FerryTrayItem *item)
{
  g_autoptr(FerryTray) hold = g_object_ref (self);   /* handlers may drop the last one */

  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
on_item_secondary_activate (FerryTray     *self,
                            FerryTrayItem *item)
{
  sync_now_unless_paused (self);
}

static void
on_item_notify_registered (FerryTray     *self,
                           GParamSpec    *pspec,
                           FerryTrayItem *item)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
on_client_notify (FerryTray  *self,
                  GParamSpec *pspec,
                  GObject    *client)
{
  schedule_publish (self);
}

/* Files moving change the tooltip's bytes without a property changing. */
static void
on_client_transfers_moved (FerryTray *self)
{
  schedule_publish_within (self, BYTES_INTERVAL_MS);
}

/* A task or transfer that changes state: its words go out at once. */
static void
on_client_task_changed (FerryTray *self)
{
  schedule_publish (self);
}

static void
ferry_tray_constructed (GObject *object)
{
  FerryTray *self = (FerryTray *) object;

  G_OBJECT_CLASS (ferry_tray_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));
  g_assert (G_IS_DBUS_CONNECTION (self->connection));

  self->collections = ferry_collection_set_new (self->client);
  compute_view (self, &self->view);
  g_signal_connect_object (self->client, "notify", G_CALLBACK (on_client_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->collections, "changed",
                           G_CALLBACK (on_client_task_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "transfer-progress",
                           G_CALLBACK (on_client_transfers_moved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-changed",
                           G_CALLBACK (on_client_task_changed), self, G_CONNECT_SWAPPED);

  self->item = ferry_tray_item_new (self->connection, &self->view, self->icon_theme_path);
  self->menu = ferry_tray_menu_new (self->connection, &self->view);
  g_signal_connect_object (self->item, "activate", G_CALLBACK (on_item_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->item, "secondary-activate",
                           G_CALLBACK (on_item_secondary_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->item, "notify::registered",
                           G_CALLBACK (on_item_notify_registered), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->menu, "clicked", G_CALLBACK (on_menu_clicked), self,
                           G_CONNECT_SWAPPED);

  /* The watcher looks the item up by its bus name, which it takes only
   * once both objects are there to be found. */
  if (!ferry_tray_item_export (self->item) || !ferry_tray_menu_export (self->menu))
    return;
  ferry_tray_item_register (self->item);
}

static void
ferry_tray_dispose (GObject *object)
{
  FerryTray *self = (FerryTray *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->publish_id, g_source_remove);

  /* The item first: it gives up its name and registration, then both
   * objects leave the bus. */
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  if (self->menu != NULL)
    g_signal_handlers_disconnect_by_data (self->menu, self);
  g_clear_object (&self->menu);

  if (self->collections != NULL)
    g_signal_handlers_disconnect_by_data (self->collections, self);
  g_clear_object (&self->collections);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ferry_tray_parent_class)->dispose (object);
}

static void
ferry_tray_finalize (GObject *object)
{
  FerryTray *self = (FerryTray *) object;

  g_clear_object (&self->cancellable);
  g_free (self->icon_theme_path);
  ferry_tray_view_clear (&self->view);

  G_OBJECT_CLASS (ferry_tray_parent_class)->finalize (object);
}

static void
ferry_tray_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FerryTray *self = FERRY_TRAY (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_BUS_NAME:
      g_value_set_string (value, ferry_tray_get_bus_name (self));
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, ferry_tray_get_registered (self));
      break;
    case PROP_ICON_THEME_PATH:
      g_value_set_string (value, self->icon_theme_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_tray_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FerryTray *self = FERRY_TRAY (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_ICON_THEME_PATH:
      ferry_tray_set_icon_theme_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_tray_class_init (FerryTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_tray_constructed;
  object_class->dispose = ferry_tray_dispose;
  object_class->finalize = ferry_tray_finalize;
  object_class->get_property = ferry_tray_get_property;
  object_class->set_property = ferry_tray_set_property;

  /**
   * FerryTray:client:
   *
   * The client whose agent the tray shows and controls.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTray:connection:
   *
   * The session bus connection the item is exported on.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTray:bus-name:
   *
   * The item's own bus name, `org.kde.StatusNotifierItem-<pid>-<n>`.
   */
  properties[PROP_BUS_NAME] =
    g_param_spec_string ("bus-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTray:registered:
   *
   * Whether a status notifier watcher has the item, so a tray may show it.
   */
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTray:icon-theme-path:
   *
   * A directory holding icon themes (such as `hicolor/`) that hosts search
   * for the item's icons before their own, or "" to use only theirs.
   * Starts as the environment variable `FERRY_ICON_THEME_PATH`, which
   * `meson devenv` points at the source tree's `data/icons`.
   */
  properties[PROP_ICON_THEME_PATH] =
    g_param_spec_string ("icon-theme-path", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTray::activate:
   * @self: the tray
   *
   * The person clicked the item or chose "Open Ferry": show the window.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryTray::quit-requested:
   * @self: the tray
   *
   * The person chose "Quit" in the menu.
   */
  signals[QUIT_REQUESTED] =
    g_signal_new ("quit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ferry_tray_init (FerryTray *self)
{
  const char *icon_theme_path = g_getenv ("FERRY_ICON_THEME_PATH");

  self->cancellable = g_cancellable_new ();
  self->icon_theme_path = g_strdup (icon_theme_path != NULL ? icon_theme_path : "");
}

/**
 * ferry_tray_new:
 * @client: the client of the agent to show
 * @connection: the session bus connection to export the item on
 *
 * Creates the tray item, exports it and its menu on @connection, and
 * registers it with the status notifier watcher as soon as there is one.
 *
 * Returns: (transfer full): a new #FerryTray
 */
FerryTray *
ferry_tray_new (FerryClient     *client,
                GDBusConnection *connection)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (FERRY_TYPE_TRAY,
                       "client", client,
                       "connection", connection,
                       NULL);
}

/**
 * ferry_tray_get_client:
 * @self: a #FerryTray
 *
 * Returns: (transfer none): the client the tray follows
 */
FerryClient *
ferry_tray_get_client (FerryTray *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY (self), NULL);
  return self->client;
}

/**
 * ferry_tray_get_connection:
 * @self: a #FerryTray
 *
 * Returns: (transfer none): the connection the item is exported on
 */
GDBusConnection *
ferry_tray_get_connection (FerryTray *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY (self), NULL);
  return self->connection;
}

/**
 * ferry_tray_get_bus_name:
 * @self: a #FerryTray
 *
 * Returns: the item's bus name, `org.kde.StatusNotifierItem-<pid>-<n>`
 */
const char *
ferry_tray_get_bus_name (FerryTray *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY (self), NULL);
  return self->item != NULL ? ferry_tray_item_get_bus_name (self->item) : NULL;
}

/**
 * ferry_tray_get_registered:
 * @self: a #FerryTray
 *
 * Returns: %TRUE while a status notifier watcher has the item
 */
gboolean
ferry_tray_get_registered (FerryTray *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY (self), FALSE);
  return self->item != NULL && ferry_tray_item_get_registered (self->item);
}

/**
 * ferry_tray_get_icon_theme_path:
 * @self: a #FerryTray
 *
 * Returns: the directory hosts search for the item's icons first, or ""
 */
const char *
ferry_tray_get_icon_theme_path (FerryTray *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY (self), NULL);
  return self->icon_theme_path;
}

/**
 * ferry_tray_set_icon_theme_path:
 * @self: a #FerryTray
 * @path: (nullable): a directory holding icon themes, or %NULL for none
 *
 * Points hosts at the item's icons when they are not installed in the
 * hicolor theme, e.g. the source tree's `data/icons`.
 */
void
ferry_tray_set_icon_theme_path (FerryTray  *self,
                                const char *path)
{
  g_return_if_fail (FERRY_IS_TRAY (self));

  if (path == NULL)
    path = "";
  if (g_strcmp0 (self->icon_theme_path, path) == 0)
    return;

  g_free (self->icon_theme_path);
  self->icon_theme_path = g_strdup (path);
  if (self->item != NULL)
    ferry_tray_item_set_icon_theme_path (self->item, self->icon_theme_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_THEME_PATH]);
}
