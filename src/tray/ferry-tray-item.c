/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-tray-item"

#include "config.h"

#include <unistd.h>

#include "ferry-tray-private.h"
#include "ferry-tray-menu.h"
#include "ferry-tray-item.h"

/*
 * FerryTrayItem: the StatusNotifierItem at /StatusNotifierItem, as
 * `org.kde.StatusNotifierItem.xml` next to this file describes it, under a
 * bus name of its own, registered with org.kde.StatusNotifierWatcher
 * whenever one is on the bus (and again when it comes back).  It shows a
 * FerryTrayView and passes clicks on as ::activate and
 * ::secondary-activate.
 */

#define ITEM_PATH         "/StatusNotifierItem"
#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"

struct _FerryTrayItem
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  GCancellable    *register_cancellable;   /* the registration in flight */
  char            *bus_name;
  char            *icon_theme_path;
  FerryTrayView    view;                   /* what hosts have been told */

  /* state */
  guint            registration_id;
  guint            own_name_id;
  guint            watch_id;
  gboolean         name_acquired;
  gboolean         watcher_present;
  gboolean         registered;
};

G_DEFINE_FINAL_TYPE (FerryTrayItem, ferry_tray_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  SECONDARY_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GDBusInterfaceInfo *item_interface_info;

/* Items exported by one process are told apart by this number. */
static gint next_item_number;

static void
emit_item_signal (FerryTrayItem *self,
                  const char    *name,
                  GVariant      *parameters)
{
  g_autoptr(GError) error = NULL;

  if (!g_dbus_connection_emit_signal (self->connection, NULL, ITEM_PATH, ITEM_INTERFACE,
                                      name, parameters, &error))
    g_debug ("Could not emit %s: %s", name, error->message);
}

static GVariant *
dup_empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
dup_tool_tip (FerryTrayItem *self)
{
  return g_variant_new ("(s@a(iiay)ss)",
                        self->view.icon_name, dup_empty_pixmaps (),
                        self->view.title, self->view.description);
}

static void
set_registered (FerryTrayItem *self,
                gboolean       registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
on_item_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  FerryTrayItem *self = user_data;
  g_autoptr(FerryTrayItem) hold = g_object_ref (self);   /* handlers may drop the last one */

  /* Answer first: opening the window must not keep the host waiting. */
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method_name, "Activate"))
    g_signal_emit (self, signals[ACTIVATE], 0);
  else if (g_str_equal (method_name, "SecondaryActivate"))
    g_signal_emit (self, signals[SECONDARY_ACTIVATE], 0);
  /* ContextMenu and Scroll do nothing: hosts show the exported menu. */
}

static GVariant *
on_item_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  FerryTrayItem *self = user_data;

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (APP_ID);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (self->view.title);
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (self->view.status);
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_string (self->icon_theme_path);
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (self->view.icon_name);
  if (g_str_equal (property_name, "AttentionIconName"))
    return g_variant_new_string (FERRY_TRAY_ICON_ATTENTION);
  if (g_str_equal (property_name, "OverlayIconName") ||
      g_str_equal (property_name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (property_name, "IconPixmap") ||
      g_str_equal (property_name, "OverlayIconPixmap") ||
      g_str_equal (property_name, "AttentionIconPixmap"))
    return dup_empty_pixmaps ();
  if (g_str_equal (property_name, "ToolTip"))
    return dup_tool_tip (self);
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (FERRY_TRAY_MENU_PATH);

  g_assert_not_reached ();   /* GDBus checks names against the interface */
}

static const GDBusInterfaceVTable item_vtable = {
  .method_call = on_item_method_call,
  .get_property = on_item_get_property,
};

static gboolean
is_watcher_gone_error (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
register_item_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  FerryTrayItem *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  /* Cancelled when the watcher left or the item was disposed: then self
   * may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  g_clear_object (&self->register_cancellable);

  if (reply == NULL)
    {
      if (g_dbus_error_is_remote_error (error))
        g_dbus_error_strip_remote_error (error);
      if (is_watcher_gone_error (error))
        g_debug ("The status notifier watcher left before registering the tray: %s",
                 error->message);
      else
        g_warning ("Could not register the tray item with the status notifier watcher: %s",
                   error->message);
      return;
    }

  g_debug ("Registered %s with the status notifier watcher", self->bus_name);
  set_registered (self, TRUE);
}

/* The watcher looks the item up by the bus name, so it must be ours
 * first. */
static void
maybe_register_item (FerryTrayItem *self)
{
  if (!self->name_acquired || !self->watcher_present || self->registered ||
      self->register_cancellable != NULL)
    return;

  self->register_cancellable = g_cancellable_new ();
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH, WATCHER_INTERFACE,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", self->bus_name),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->register_cancellable, register_item_cb, self);
}

static void
forget_registration (FerryTrayItem *self)
{
  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  set_registered (self, FALSE);
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  FerryTrayItem *self = user_data;

  self->watcher_present = TRUE;
  maybe_register_item (self);
}

/* Also called once at the start when there is no watcher: the only
 * message a session without a tray host gets. */
static void
on_watcher_vanished (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  FerryTrayItem *self = user_data;

  g_debug ("No status notifier watcher on the bus: the tray icon waits for one");
  self->watcher_present = FALSE;
  forget_registration (self);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  FerryTrayItem *self = user_data;

  self->name_acquired = TRUE;
  maybe_register_item (self);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  FerryTrayItem *self = user_data;

  /* The connection closed, or (never with our per-process name) someone
   * else owns it. */
  g_debug ("The tray item does not own %s", name);
  self->name_acquired = FALSE;
  forget_registration (self);
}

static void
ferry_tray_item_dispose (GObject *object)
{
  FerryTrayItem *self = (FerryTrayItem *) object;

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_name_id, g_bus_unown_name);
  if (self->connection != NULL && self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ferry_tray_item_parent_class)->dispose (object);
}

static void
ferry_tray_item_finalize (GObject *object)
{
  FerryTrayItem *self = (FerryTrayItem *) object;

  g_free (self->bus_name);
  g_free (self->icon_theme_path);
  ferry_tray_view_clear (&self->view);

  G_OBJECT_CLASS (ferry_tray_item_parent_class)->finalize (object);
}

static void
ferry_tray_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryTrayItem *self = FERRY_TRAY_ITEM (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_tray_item_class_init (FerryTrayItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_tray_item_dispose;
  object_class->finalize = ferry_tray_item_finalize;
  object_class->get_property = ferry_tray_item_get_property;

  /**
   * FerryTrayItem:registered:
   *
   * Whether a status notifier watcher has the item.
   */
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTrayItem::activate:
   * @self: the item
   *
   * A host said the person clicked the item.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryTrayItem::secondary-activate:
   * @self: the item
   *
   * A host said the person middle-clicked the item.
   */
  signals[SECONDARY_ACTIVATE] =
    g_signal_new ("secondary-activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  item_interface_info = ferry_tray_load_interface_info ("org.kde.StatusNotifierItem.xml",
                                                        ITEM_INTERFACE);
}

static void
ferry_tray_item_init (FerryTrayItem *self)
{
  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (),
                                    g_atomic_int_add (&next_item_number, 1) + 1);
}

/**
 * ferry_tray_item_new:
 * @connection: the connection to export the item on
 * @view: what the item shows first
 * @icon_theme_path: a directory holding icon themes, or ""
 *
 * Returns: (transfer full): an item, not exported yet
 */
FerryTrayItem *
ferry_tray_item_new (GDBusConnection     *connection,
                     const FerryTrayView *view,
                     const char          *icon_theme_path)
{
  FerryTrayItem *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (view != NULL, NULL);
  g_return_val_if_fail (icon_theme_path != NULL, NULL);

  self = g_object_new (FERRY_TYPE_TRAY_ITEM, NULL);
  self->connection = g_object_ref (connection);
  self->icon_theme_path = g_strdup (icon_theme_path);
  ferry_tray_view_copy (&self->view, view);
  return self;
}

/**
 * ferry_tray_item_export:
 * @self: an item
 *
 * Exports the item at /StatusNotifierItem, once.
 *
 * Returns: whether the item is exported; a warning says why not
 */
gboolean
ferry_tray_item_export (FerryTrayItem *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY_ITEM (self), FALSE);

  if (self->registration_id == 0)
    self->registration_id = ferry_tray_register_object (self->connection, ITEM_PATH,
                                                         item_interface_info, &item_vtable,
                                                         self);
  return self->registration_id != 0;
}

/**
 * ferry_tray_item_register:
 * @self: an exported item
 *
 * Takes the item's bus name, and registers the item with the status
 * notifier watcher whenever one is on the bus from now on.
 */
void
ferry_tray_item_register (FerryTrayItem *self)
{
  g_return_if_fail (FERRY_IS_TRAY_ITEM (self));
  g_return_if_fail (self->registration_id != 0);
  g_return_if_fail (self->own_name_id == 0);

  self->own_name_id = g_bus_own_name_on_connection (self->connection, self->bus_name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    on_name_acquired, on_name_lost,
                                                    self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished,
                                                   self, NULL);
}

/**
 * ferry_tray_item_get_bus_name:
 * @self: an item
 *
 * Returns: the item's bus name, `org.kde.StatusNotifierItem-<pid>-<n>`
 */
const char *
ferry_tray_item_get_bus_name (FerryTrayItem *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY_ITEM (self), NULL);
  return self->bus_name;
}

/**
 * ferry_tray_item_get_registered:
 * @self: an item
 *
 * Returns: %TRUE while a status notifier watcher has the item
 */
gboolean
ferry_tray_item_get_registered (FerryTrayItem *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY_ITEM (self), FALSE);
  return self->registered;
}

/**
 * ferry_tray_item_set_view:
 * @self: an item
 * @view: what the item shows now
 *
 * Tells hosts what changed: NewIcon, NewStatus, NewTitle and NewToolTip,
 * each only when it did.
 */
void
ferry_tray_item_set_view (FerryTrayItem       *self,
                          const FerryTrayView *view)
{
  FerryTrayViewChanges changes;

  g_return_if_fail (FERRY_IS_TRAY_ITEM (self));
  g_return_if_fail (view != NULL);

  changes = ferry_tray_view_diff (&self->view, view);
  ferry_tray_view_clear (&self->view);
  ferry_tray_view_copy (&self->view, view);

  if (changes & FERRY_TRAY_VIEW_ICON)
    emit_item_signal (self, "NewIcon", NULL);
  if (changes & FERRY_TRAY_VIEW_STATUS)
    emit_item_signal (self, "NewStatus", g_variant_new ("(s)", self->view.status));
  if (changes & FERRY_TRAY_VIEW_TITLE)
    emit_item_signal (self, "NewTitle", NULL);
  /* The tooltip shows the icon, the title and the description. */
  if (changes & (FERRY_TRAY_VIEW_ICON | FERRY_TRAY_VIEW_TITLE | FERRY_TRAY_VIEW_DESCRIPTION))
    emit_item_signal (self, "NewToolTip", NULL);
}

/**
 * ferry_tray_item_set_icon_theme_path:
 * @self: an item
 * @path: a directory holding icon themes, or ""
 *
 * Tells hosts (NewIconThemePath) when the item is exported.
 */
void
ferry_tray_item_set_icon_theme_path (FerryTrayItem *self,
                                     const char    *path)
{
  g_return_if_fail (FERRY_IS_TRAY_ITEM (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (self->icon_theme_path, path) == 0)
    return;
  g_free (self->icon_theme_path);
  self->icon_theme_path = g_strdup (path);
  if (self->registration_id != 0)
    emit_item_signal (self, "NewIconThemePath", g_variant_new ("(s)", self->icon_theme_path));
}
