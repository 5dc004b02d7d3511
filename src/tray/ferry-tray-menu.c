/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-tray-menu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-tray-private.h"
#include "ferry-tray-menu.h"

/*
 * FerryTrayMenu: the tray's com.canonical.dbusmenu server at /MenuBar, as
 * `com.canonical.dbusmenu.xml` next to this file describes it.  The menu
 * is fixed (one layout revision); only the status line and the Paused
 * state change, which hosts hear through ItemsPropertiesUpdated.  A click
 * is passed on as ::clicked; what it does is the tray's business.
 */

#define MENU_INTERFACE "com.canonical.dbusmenu"

/* The menu's one layout revision: only labels and states ever change. */
#define MENU_REVISION 1

/* The items below the root, in the order they show. */
static const FerryTrayMenuItem layout_order[] = {
  FERRY_TRAY_MENU_ITEM_STATUS,
  FERRY_TRAY_MENU_ITEM_ATTENTION,
  FERRY_TRAY_MENU_ITEM_SEPARATOR_TOP,
  FERRY_TRAY_MENU_ITEM_SYNC_NOW,
  FERRY_TRAY_MENU_ITEM_PAUSE,
  FERRY_TRAY_MENU_ITEM_SEPARATOR_BOTTOM,
  FERRY_TRAY_MENU_ITEM_OPEN,
  FERRY_TRAY_MENU_ITEM_QUIT,
};
G_STATIC_ASSERT (G_N_ELEMENTS (layout_order) == FERRY_TRAY_N_MENU_ITEMS - 1);

struct _FerryTrayMenu
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  FerryTrayView    view;                   /* what hosts have been told */

  /* state */
  guint            registration_id;
};

G_DEFINE_FINAL_TYPE (FerryTrayMenu, ferry_tray_menu, G_TYPE_OBJECT)

enum {
  CLICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GDBusInterfaceInfo *menu_interface_info;

/* dbusmenu labels take '_' as a mnemonic marker; status words are text. */
static char *
escape_label (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static gboolean
status_repeats_attention (FerryTrayMenu *self)
{
  return self->view.attention != NULL && g_strcmp0 (self->view.title, self->view.attention) == 0;
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
add_menu_item_properties (FerryTrayMenu      *self,
                          FerryTrayMenuItem   id,
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
    case FERRY_TRAY_MENU_ITEM_ROOT:
      ADD ("children-display", "s", "submenu");
      break;
    case FERRY_TRAY_MENU_ITEM_STATUS:
      {
        g_autofree char *label = escape_label (self->view.title);
        gboolean repeats = status_repeats_attention (self);

        ADD ("label", "s", label);
        ADD ("enabled", "b", FALSE);
        /* When the title is what needs the person ("1 conflict needs
         * you"), the attention item below says it and opens it: one line
         * is enough. */
        if (with_defaults || repeats)
          ADD ("visible", "b", !repeats);
      }
      break;
    case FERRY_TRAY_MENU_ITEM_SEPARATOR_TOP:
    case FERRY_TRAY_MENU_ITEM_SEPARATOR_BOTTOM:
      ADD ("type", "s", "separator");
      break;
    case FERRY_TRAY_MENU_ITEM_SYNC_NOW:
      ADD ("label", "s", _("Sync now"));
      /* Nothing is sent while paused. */
      if (with_defaults || self->view.paused)
        ADD ("enabled", "b", !self->view.paused);
      break;
    case FERRY_TRAY_MENU_ITEM_PAUSE:
      /* A checkmark that reads as the state it shows: "☑ Paused". */
      ADD ("label", "s", _("Paused"));
      ADD ("toggle-type", "s", "checkmark");
      ADD ("toggle-state", "i", self->view.paused ? 1 : 0);
      break;
    case FERRY_TRAY_MENU_ITEM_OPEN:
      ADD ("label", "s", _("Open Ferry"));
      break;
    case FERRY_TRAY_MENU_ITEM_QUIT:
      ADD ("label", "s", _("Quit"));
      break;
    case FERRY_TRAY_MENU_ITEM_ATTENTION:
      {
        g_autofree char *label = escape_label (self->view.attention != NULL
                                               ? self->view.attention : "");

        ADD ("label", "s", label);
        /* Hidden while nothing needs the person. */
        if (with_defaults || self->view.attention == NULL)
          ADD ("visible", "b", self->view.attention != NULL);
      }
      break;
    case FERRY_TRAY_N_MENU_ITEMS:
    default:
      g_assert_not_reached ();
    }

#undef ADD
}

static GVariant *
dup_menu_item_properties (FerryTrayMenu      *self,
                          FerryTrayMenuItem   id,
                          const char * const *names,
                          gboolean            with_defaults)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_menu_item_properties (self, id, names, with_defaults, &builder);
  return g_variant_builder_end (&builder);
}

/* Adds @id with all its properties to an ItemsPropertiesUpdated. */
static void
add_updated_item (FerryTrayMenu     *self,
                  GVariantBuilder   *updated,
                  FerryTrayMenuItem  id)
{
  g_variant_builder_add (updated, "(i@a{sv})", id,
                         dup_menu_item_properties (self, id, NULL, TRUE));
}

static void
emit_menu_items_updated (FerryTrayMenu *self,
                         gboolean       title_changed,
                         gboolean       paused_changed,
                         gboolean       attention_changed)
{
  GVariantBuilder updated;
  g_autoptr(GError) error = NULL;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  /* The status line hides while the attention line repeats it. */
  if (title_changed || attention_changed)
    add_updated_item (self, &updated, FERRY_TRAY_MENU_ITEM_STATUS);
  if (attention_changed)
    add_updated_item (self, &updated, FERRY_TRAY_MENU_ITEM_ATTENTION);
  if (paused_changed)
    {
      add_updated_item (self, &updated, FERRY_TRAY_MENU_ITEM_SYNC_NOW);
      add_updated_item (self, &updated, FERRY_TRAY_MENU_ITEM_PAUSE);
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, FERRY_TRAY_MENU_PATH,
                                      MENU_INTERFACE, "ItemsPropertiesUpdated",
                                      g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL),
                                      &error))
    g_debug ("Could not emit ItemsPropertiesUpdated: %s", error->message);
}

static gboolean
menu_item_is_valid (int id)
{
  return id >= FERRY_TRAY_MENU_ITEM_ROOT && id < FERRY_TRAY_N_MENU_ITEMS;
}

/* Runs after the Event call is answered: what a click does may close the
 * bus. */
static void
activate_menu_item (FerryTrayMenu *self,
                    int            id,
                    const char    *event_id)
{
  g_autoptr(FerryTrayMenu) hold = g_object_ref (self);   /* handlers may drop the last one */

  if (g_str_equal (event_id, "clicked"))
    g_signal_emit (self, signals[CLICKED], 0, id);
}

static void
return_unknown_item (GDBusMethodInvocation *invocation,
                     int                    id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item with id %d", id);
}

static GVariant *
dup_menu_layout (FerryTrayMenu      *self,
                 FerryTrayMenuItem   id,
                 int                 depth,
                 const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  /* A negative depth means the whole tree, which is two levels deep. */
  if (id == FERRY_TRAY_MENU_ITEM_ROOT && depth != 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (layout_order); i++)
        g_variant_builder_add (&children, "v",
                               dup_menu_layout (self, layout_order[i], depth - 1, names));
    }

  return g_variant_new ("(i@a{sv}av)", (gint32) id,
                        dup_menu_item_properties (self, id, names, FALSE),
                        &children);
}

static void
handle_get_layout (FerryTrayMenu         *self,
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
handle_get_group_properties (FerryTrayMenu         *self,
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
      for (FerryTrayMenuItem id = FERRY_TRAY_MENU_ITEM_ROOT; id < FERRY_TRAY_N_MENU_ITEMS; id++)
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
handle_get_property (FerryTrayMenu         *self,
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
handle_event (FerryTrayMenu         *self,
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
handle_event_group (FerryTrayMenu         *self,
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
handle_about_to_show_group (FerryTrayMenu         *self,
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
  FerryTrayMenu *self = user_data;

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

static const GDBusInterfaceVTable menu_vtable = {
  .method_call = on_menu_method_call,
  .get_property = on_menu_get_property,
};

static void
ferry_tray_menu_dispose (GObject *object)
{
  FerryTrayMenu *self = (FerryTrayMenu *) object;

  if (self->connection != NULL && self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ferry_tray_menu_parent_class)->dispose (object);
}

static void
ferry_tray_menu_finalize (GObject *object)
{
  FerryTrayMenu *self = (FerryTrayMenu *) object;

  ferry_tray_view_clear (&self->view);

  G_OBJECT_CLASS (ferry_tray_menu_parent_class)->finalize (object);
}

static void
ferry_tray_menu_class_init (FerryTrayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_tray_menu_dispose;
  object_class->finalize = ferry_tray_menu_finalize;

  /**
   * FerryTrayMenu::clicked:
   * @self: the menu
   * @item: the #FerryTrayMenuItem clicked
   *
   * A host said the person clicked @item.
   */
  signals[CLICKED] =
    g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  menu_interface_info = ferry_tray_load_interface_info ("com.canonical.dbusmenu.xml",
                                                        MENU_INTERFACE);
}

static void
ferry_tray_menu_init (FerryTrayMenu *self)
{
}

/**
 * ferry_tray_menu_new:
 * @connection: the connection to export the menu on
 * @view: what the menu shows first
 *
 * Returns: (transfer full): a menu, not exported yet
 */
FerryTrayMenu *
ferry_tray_menu_new (GDBusConnection     *connection,
                     const FerryTrayView *view)
{
  FerryTrayMenu *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  self = g_object_new (FERRY_TYPE_TRAY_MENU, NULL);
  self->connection = g_object_ref (connection);
  ferry_tray_view_copy (&self->view, view);
  return self;
}

/**
 * ferry_tray_menu_export:
 * @self: a menu
 *
 * Exports the menu at %FERRY_TRAY_MENU_PATH, once.
 *
 * Returns: whether the menu is exported; a warning says why not
 */
gboolean
ferry_tray_menu_export (FerryTrayMenu *self)
{
  g_return_val_if_fail (FERRY_IS_TRAY_MENU (self), FALSE);

  if (self->registration_id == 0)
    self->registration_id = ferry_tray_register_object (self->connection,
                                                         FERRY_TRAY_MENU_PATH,
                                                         menu_interface_info, &menu_vtable,
                                                         self);
  return self->registration_id != 0;
}

/**
 * ferry_tray_menu_set_view:
 * @self: a menu
 * @view: what the menu shows now
 *
 * Tells hosts about the items that changed: the status line with the
 * title, Sync now and Paused with the paused state.
 */
void
ferry_tray_menu_set_view (FerryTrayMenu       *self,
                          const FerryTrayView *view)
{
  FerryTrayViewChanges changes;

  g_return_if_fail (FERRY_IS_TRAY_MENU (self));
  g_return_if_fail (view != NULL);

  changes = ferry_tray_view_diff (&self->view, view);
  ferry_tray_view_clear (&self->view);
  ferry_tray_view_copy (&self->view, view);

  if (changes & (FERRY_TRAY_VIEW_TITLE | FERRY_TRAY_VIEW_PAUSED | FERRY_TRAY_VIEW_ATTENTION))
    emit_menu_items_updated (self, (changes & FERRY_TRAY_VIEW_TITLE) != 0,
                             (changes & FERRY_TRAY_VIEW_PAUSED) != 0,
                             (changes & FERRY_TRAY_VIEW_ATTENTION) != 0);
}
