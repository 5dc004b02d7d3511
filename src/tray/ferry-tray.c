/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-tray"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "ferry-tray-resources.h"
#include "ferry-tray.h"
#include "ferry-tray-view.h"

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
 * With no watcher on the bus the tray exports its objects and waits
 * quietly; the rest of the application is not affected.  One tray per
 * connection: the item's object path is fixed by the protocol.
 */

#define ITEM_PATH         "/StatusNotifierItem"
#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"
#define MENU_PATH         "/MenuBar"
#define MENU_INTERFACE    "com.canonical.dbusmenu"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"
#define RESOURCE_PREFIX   "/io/github/ferrysync/Ferry/tray/"

/* A run moves the counts many times a second; hosts hear about it at
 * most this often, the last value always included. */
#define PUBLISH_INTERVAL_MS 150

/* The menu's one layout revision: only labels and states ever change. */
#define MENU_REVISION 1

typedef enum {
  MENU_ITEM_ROOT,
  MENU_ITEM_STATUS,
  MENU_ITEM_SEPARATOR_TOP,
  MENU_ITEM_SYNC_NOW,
  MENU_ITEM_PAUSE,
  MENU_ITEM_SEPARATOR_BOTTOM,
  MENU_ITEM_OPEN,
  MENU_ITEM_QUIT,
  N_MENU_ITEMS
} MenuItem;

struct _FerryTray
{
  GObject parent_instance;

  /* owned */
  FerryClient     *client;
  GDBusConnection *connection;
  GCancellable    *cancellable;            /* client calls; cancelled in dispose */
  GCancellable    *register_cancellable;   /* the registration in flight */
  char            *bus_name;
  char            *icon_theme_path;
  FerryTrayView    view;                   /* what hosts have been told */

  /* state */
  guint            item_registration_id;
  guint            menu_registration_id;
  guint            own_name_id;
  guint            watch_id;
  guint            publish_id;
  gint64           last_publish;           /* monotonic µs */
  gboolean         name_acquired;
  gboolean         watcher_present;
  gboolean         registered;
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

static GDBusInterfaceInfo *item_interface_info;
static GDBusInterfaceInfo *menu_interface_info;

/* Items exported by one process are told apart by this number. */
static gint next_item_number;

static GDBusInterfaceInfo *
load_interface_info (const char *file,
                     const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, file, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  GDBusInterfaceInfo *info;

  /* Both files are compiled in; failing here is a build error. */
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

/* What the item shows now: the status every part of Ferry says. */
static void
compute_view (FerryTray     *self,
              FerryTrayView *view)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  ferry_status_snapshot_from_client (&snapshot, self->client);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  ferry_tray_view_from_status (view, status, ferry_client_get_paused (self->client));
}

static void
emit_item_signal (FerryTray  *self,
                  const char *name,
                  GVariant   *parameters)
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
dup_tool_tip (FerryTray *self)
{
  return g_variant_new ("(s@a(iiay)ss)",
                        self->view.icon_name, dup_empty_pixmaps (),
                        self->view.title, self->view.description);
}

/* dbusmenu labels take '_' as a mnemonic marker; status words are text. */
static char *
escape_label (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static gboolean
wants_property (const char * const *names,
                const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

/* Adds the properties of @id named in @names (all when empty) to
 * @builder.  A property at its protocol default is left out unless
 * @with_defaults. */
static void
add_menu_item_properties (FerryTray          *self,
                          MenuItem            id,
                          const char * const *names,
                          gboolean            with_defaults,
                          GVariantBuilder    *builder)
{
#define ADD(name, format, ...)                                             \
  G_STMT_START {                                                            \
    if (wants_property (names, (name)))                                     \
      g_variant_builder_add (builder, "{sv}", (name),                       \
                             g_variant_new ((format), __VA_ARGS__));        \
  } G_STMT_END

  switch (id)
    {
    case MENU_ITEM_ROOT:
      ADD ("children-display", "s", "submenu");
      break;
    case MENU_ITEM_STATUS:
      {
        g_autofree char *label = escape_label (self->view.title);

        ADD ("label", "s", label);
        ADD ("enabled", "b", FALSE);
      }
      break;
    case MENU_ITEM_SEPARATOR_TOP:
    case MENU_ITEM_SEPARATOR_BOTTOM:
      ADD ("type", "s", "separator");
      break;
    case MENU_ITEM_SYNC_NOW:
      ADD ("label", "s", _("Sync now"));
      /* Nothing is sent while paused. */
      if (with_defaults || self->view.paused)
        ADD ("enabled", "b", !self->view.paused);
      break;
    case MENU_ITEM_PAUSE:
      /* A checkmark that reads as the state it shows: "☑ Paused". */
      ADD ("label", "s", _("Paused"));
      ADD ("toggle-type", "s", "checkmark");
      ADD ("toggle-state", "i", self->view.paused ? 1 : 0);
      break;
    case MENU_ITEM_OPEN:
      ADD ("label", "s", _("Open Ferry"));
      break;
    case MENU_ITEM_QUIT:
      ADD ("label", "s", _("Quit"));
      break;
    case N_MENU_ITEMS:
    default:
      g_assert_not_reached ();
    }

#undef ADD
}

static GVariant *
dup_menu_item_properties (FerryTray          *self,
                          MenuItem            id,
                          const char * const *names,
                          gboolean            with_defaults)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_menu_item_properties (self, id, names, with_defaults, &builder);
  return g_variant_builder_end (&builder);
}

static void
emit_menu_items_updated (FerryTray *self,
                         gboolean   title_changed,
                         gboolean   paused_changed)
{
  GVariantBuilder updated;
  g_autoptr(GError) error = NULL;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  if (title_changed)
    g_variant_builder_add (&updated, "(i@a{sv})", MENU_ITEM_STATUS,
                           dup_menu_item_properties (self, MENU_ITEM_STATUS, NULL, TRUE));
  if (paused_changed)
    {
      g_variant_builder_add (&updated, "(i@a{sv})", MENU_ITEM_SYNC_NOW,
                             dup_menu_item_properties (self, MENU_ITEM_SYNC_NOW, NULL, TRUE));
      g_variant_builder_add (&updated, "(i@a{sv})", MENU_ITEM_PAUSE,
                             dup_menu_item_properties (self, MENU_ITEM_PAUSE, NULL, TRUE));
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, MENU_PATH, MENU_INTERFACE,
                                      "ItemsPropertiesUpdated",
                                      g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL),
                                      &error))
    g_debug ("Could not emit ItemsPropertiesUpdated: %s", error->message);
}

/* Makes the client's current state what hosts see, and tells them about
 * what really changed. */
static void
publish (FerryTray *self)
{
  FerryTrayView view = { 0 };
  gboolean icon_changed;
  gboolean status_changed;
  gboolean title_changed;
  gboolean tool_tip_changed;
  gboolean paused_changed;

  compute_view (self, &view);
  icon_changed = g_strcmp0 (view.icon_name, self->view.icon_name) != 0;
  status_changed = g_strcmp0 (view.status, self->view.status) != 0;
  title_changed = g_strcmp0 (view.title, self->view.title) != 0;
  tool_tip_changed = icon_changed || title_changed ||
                     g_strcmp0 (view.description, self->view.description) != 0;
  paused_changed = view.paused != self->view.paused;

  ferry_tray_view_clear (&self->view);
  self->view = view;
  self->last_publish = g_get_monotonic_time ();

  if (icon_changed)
    emit_item_signal (self, "NewIcon", NULL);
  if (status_changed)
    emit_item_signal (self, "NewStatus", g_variant_new ("(s)", self->view.status));
  if (title_changed)
    emit_item_signal (self, "NewTitle", NULL);
  if (tool_tip_changed)
    emit_item_signal (self, "NewToolTip", NULL);
  if (title_changed || paused_changed)
    emit_menu_items_updated (self, title_changed, paused_changed);
}

static gboolean
on_publish_timeout (gpointer user_data)
{
  FerryTray *self = user_data;

  self->publish_id = 0;
  publish (self);
  return G_SOURCE_REMOVE;
}

/* At once when the last publication is old enough, else when it will be:
 * a burst costs one update per interval, and its final state is always
 * published. */
static void
schedule_publish (FerryTray *self)
{
  gint64 due;
  gint64 now;
  guint delay_ms = 0;

  if (self->publish_id != 0)
    return;

  now = g_get_monotonic_time ();
  due = self->last_publish + PUBLISH_INTERVAL_MS * 1000;
  if (due > now)
    delay_ms = (guint) ((due - now + 999) / 1000);
  self->publish_id = g_timeout_add (delay_ms, on_publish_timeout, self);
}

static void
set_registered (FerryTray *self,
                gboolean   registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
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

static gboolean
menu_item_is_valid (int id)
{
  return id >= MENU_ITEM_ROOT && id < N_MENU_ITEMS;
}

/* Runs after the Event call is answered: quitting may close the bus. */
static void
activate_menu_item (FerryTray  *self,
                    int         id,
                    const char *event_id)
{
  g_autoptr(FerryTray) hold = g_object_ref (self);   /* handlers may drop the last one */

  if (!g_str_equal (event_id, "clicked"))
    return;

  switch (id)
    {
    case MENU_ITEM_SYNC_NOW:
      if (!self->view.paused)
        sync_now (self);
      break;
    case MENU_ITEM_PAUSE:
      toggle_pause (self);
      break;
    case MENU_ITEM_OPEN:
      g_signal_emit (self, signals[ACTIVATE], 0);
      break;
    case MENU_ITEM_QUIT:
      g_signal_emit (self, signals[QUIT_REQUESTED], 0);
      break;
    default:
      break;
    }
}

static void
return_unknown_item (GDBusMethodInvocation *invocation,
                     int                    id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item with id %d", id);
}

static GVariant *
dup_menu_layout (FerryTray          *self,
                 MenuItem            id,
                 int                 depth,
                 const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  /* A negative depth means the whole tree, which is two levels deep. */
  if (id == MENU_ITEM_ROOT && depth != 0)
    {
      for (MenuItem child = MENU_ITEM_ROOT + 1; child < N_MENU_ITEMS; child++)
        g_variant_builder_add (&children, "v",
                               dup_menu_layout (self, child, depth - 1, names));
    }

  return g_variant_new ("(i@a{sv}av)", (gint32) id,
                        dup_menu_item_properties (self, id, names, FALSE),
                        &children);
}

static void
handle_get_layout (FerryTray             *self,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation)
{
  g_autofree const char **names = NULL;
  gint32 parent_id;
  gint32 depth;

  g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);
  if (!menu_item_is_valid (parent_id))
    {
      return_unknown_item (invocation, parent_id);
      return;
    }
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(u@(ia{sv}av))", MENU_REVISION,
                                                        dup_menu_layout (self, parent_id, depth,
                                                                         names)));
}

static void
handle_get_group_properties (FerryTray             *self,
                             GVariant              *parameters,
                             GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) ids = NULL;
  g_autofree const char **names = NULL;
  GVariantBuilder builder;
  gsize n_ids;
  const gint32 *id_list;

  g_variant_get (parameters, "(@ai^a&s)", &ids, &names);
  id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
  if (n_ids == 0)
    {
      for (MenuItem id = MENU_ITEM_ROOT; id < N_MENU_ITEMS; id++)
        g_variant_builder_add (&builder, "(i@a{sv})", (gint32) id,
                               dup_menu_item_properties (self, id, names, FALSE));
    }
  for (gsize i = 0; i < n_ids; i++)
    {
      if (menu_item_is_valid (id_list[i]))
        g_variant_builder_add (&builder, "(i@a{sv})", id_list[i],
                               dup_menu_item_properties (self, id_list[i], names, FALSE));
    }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
}

static void
handle_get_property (FerryTray             *self,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation)
{
  const char *name;
  const char *names[2] = { NULL, NULL };
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) value = NULL;
  gint32 id;

  g_variant_get (parameters, "(i&s)", &id, &name);
  if (!menu_item_is_valid (id))
    {
      return_unknown_item (invocation, id);
      return;
    }

  names[0] = name;
  props = g_variant_ref_sink (dup_menu_item_properties (self, id, names, TRUE));
  value = g_variant_lookup_value (props, name, NULL);
  if (value == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "Menu item %d has no property “%s”", id, name);
      return;
    }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
}

static void
handle_event (FerryTray             *self,
              GVariant              *parameters,
              GDBusMethodInvocation *invocation)
{
  g_autofree char *event_id = NULL;
  gint32 id;

  g_variant_get (parameters, "(isvu)", &id, &event_id, NULL, NULL);
  if (!menu_item_is_valid (id))
    {
      return_unknown_item (invocation, id);
      return;
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
  activate_menu_item (self, id, event_id);
}

static GVariant *
dup_int32_array (GArray *ids)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids->data, ids->len, sizeof (gint32));
}

static void
handle_event_group (FerryTray             *self,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) events = NULL;
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) valid = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize n_events;

  g_variant_get (parameters, "(@a(isvu))", &events);
  n_events = g_variant_n_children (events);
  for (gsize i = 0; i < n_events; i++)
    {
      gint32 id;

      g_variant_get_child (events, i, "(i&svu)", &id, NULL, NULL, NULL);
      if (menu_item_is_valid (id))
        g_array_append_val (valid, i);
      else
        g_array_append_val (errors, id);
    }

  if (n_events > 0 && valid->len == 0)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
                                                     G_DBUS_ERROR_INVALID_ARGS,
                                                     "No event names a known menu item");
      return;
    }

  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@ai)", dup_int32_array (errors)));
  for (guint i = 0; i < valid->len; i++)
    {
      const char *event_id;
      gint32 id;

      g_variant_get_child (events, g_array_index (valid, gsize, i), "(i&svu)",
                           &id, &event_id, NULL, NULL);
      activate_menu_item (self, id, event_id);
    }
}

static void
handle_about_to_show_group (FerryTray             *self,
                            GVariant              *parameters,
                            GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) ids = NULL;
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
  const gint32 *id_list;
  gsize n_ids;

  g_variant_get (parameters, "(@ai)", &ids);
  id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
  for (gsize i = 0; i < n_ids; i++)
    {
      if (!menu_item_is_valid (id_list[i]))
        g_array_append_val (errors, id_list[i]);
    }

  /* The menu is always current: no item needs an update. */
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@ai@ai)",
                                                        g_variant_new_array (G_VARIANT_TYPE_INT32,
                                                                             NULL, 0),
                                                        dup_int32_array (errors)));
}

static void
on_menu_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  FerryTray *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    handle_get_layout (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetGroupProperties"))
    handle_get_group_properties (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetProperty"))
    handle_get_property (self, parameters, invocation);
  else if (g_str_equal (method_name, "Event"))
    handle_event (self, parameters, invocation);
  else if (g_str_equal (method_name, "EventGroup"))
    handle_event_group (self, parameters, invocation);
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      gint32 id;

      g_variant_get (parameters, "(i)", &id);
      if (menu_item_is_valid (id))
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
      else
        return_unknown_item (invocation, id);
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    handle_about_to_show_group (self, parameters, invocation);
  else
    g_assert_not_reached ();   /* GDBus checks calls against the interface */
}

static const char *
get_text_direction (void)
{
  /* Translators: do not translate this into your language; write
   * "default:RTL" if your language is written from right to left, and
   * "default:LTR" otherwise.  It sets the direction of the tray's menu. */
  const char *direction = _("default:LTR");

  return g_str_equal (direction, "default:RTL") ? "rtl" : "ltr";
}

static GVariant *
on_menu_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string (get_text_direction ());
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_assert_not_reached ();
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
  FerryTray *self = user_data;
  g_autoptr(FerryTray) hold = g_object_ref (self);   /* handlers may drop the last one */

  /* Answer first: opening the window must not keep the host waiting. */
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method_name, "Activate"))
    g_signal_emit (self, signals[ACTIVATE], 0);
  else if (g_str_equal (method_name, "SecondaryActivate"))
    {
      if (!self->view.paused)
        sync_now (self);
    }
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
  FerryTray *self = user_data;

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
    return g_variant_new_object_path (MENU_PATH);

  g_assert_not_reached ();   /* GDBus checks names against the interface */
}

static const GDBusInterfaceVTable item_vtable = {
  .method_call = on_item_method_call,
  .get_property = on_item_get_property,
};

static const GDBusInterfaceVTable menu_vtable = {
  .method_call = on_menu_method_call,
  .get_property = on_menu_get_property,
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
  FerryTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  /* Cancelled when the watcher left or the tray was disposed: then self
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
maybe_register_item (FerryTray *self)
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
forget_registration (FerryTray *self)
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
  FerryTray *self = user_data;

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
  FerryTray *self = user_data;

  g_debug ("No status notifier watcher on the bus: the tray icon waits for one");
  self->watcher_present = FALSE;
  forget_registration (self);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  FerryTray *self = user_data;

  self->name_acquired = TRUE;
  maybe_register_item (self);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  FerryTray *self = user_data;

  /* The connection closed, or (never with our per-process name) someone
   * else owns it. */
  g_debug ("The tray item does not own %s", name);
  self->name_acquired = FALSE;
  forget_registration (self);
}

static void
on_client_notify (FerryTray  *self,
                  GParamSpec *pspec,
                  GObject    *client)
{
  schedule_publish (self);
}

static guint
register_object (FerryTray                  *self,
                 const char                 *path,
                 GDBusInterfaceInfo         *info,
                 const GDBusInterfaceVTable *vtable)
{
  g_autoptr(GError) error = NULL;
  guint id;

  id = g_dbus_connection_register_object (self->connection, path, info, vtable,
                                          self, NULL, &error);
  if (id == 0)
    g_warning ("Could not export the tray's %s at %s: %s", info->name, path, error->message);
  return id;
}

static void
ferry_tray_constructed (GObject *object)
{
  FerryTray *self = (FerryTray *) object;

  G_OBJECT_CLASS (ferry_tray_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));
  g_assert (G_IS_DBUS_CONNECTION (self->connection));

  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (),
                                    g_atomic_int_add (&next_item_number, 1) + 1);

  compute_view (self, &self->view);
  g_signal_connect_object (self->client, "notify", G_CALLBACK (on_client_notify), self,
                           G_CONNECT_SWAPPED);

  self->item_registration_id = register_object (self, ITEM_PATH, item_interface_info,
                                                &item_vtable);
  self->menu_registration_id = register_object (self, MENU_PATH, menu_interface_info,
                                                &menu_vtable);
  if (self->item_registration_id == 0 || self->menu_registration_id == 0)
    return;

  self->own_name_id = g_bus_own_name_on_connection (self->connection, self->bus_name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    on_name_acquired, on_name_lost,
                                                    self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished,
                                                   self, NULL);
}

static void
ferry_tray_dispose (GObject *object)
{
  FerryTray *self = (FerryTray *) object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  g_clear_handle_id (&self->publish_id, g_source_remove);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_name_id, g_bus_unown_name);

  if (self->connection != NULL)
    {
      if (self->item_registration_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->item_registration_id);
      if (self->menu_registration_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->menu_registration_id);
    }
  self->item_registration_id = 0;
  self->menu_registration_id = 0;

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
  g_free (self->bus_name);
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
      g_value_set_string (value, self->bus_name);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
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

  item_interface_info = load_interface_info ("org.kde.StatusNotifierItem.xml", ITEM_INTERFACE);
  menu_interface_info = load_interface_info ("com.canonical.dbusmenu.xml", MENU_INTERFACE);
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
  return self->bus_name;
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
  return self->registered;
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
  if (self->item_registration_id != 0)
    emit_item_signal (self, "NewIconThemePath", g_variant_new ("(s)", self->icon_theme_path));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_THEME_PATH]);
}
