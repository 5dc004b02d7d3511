/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-preferences-window.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"

/**
 * FerryPreferencesWindow:
 *
 * The settings of io.github.ferrysync.Ferry, each control bound to its key
 * with g_settings_bind(): a change is written at once, and a change made
 * elsewhere (ferryctl, dconf, another window) shows at once.  ferryd reads
 * the sync keys live.
 */
struct _FerryPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* owned */
  GSettings *settings;

  /* template children */
  GtkSpinButton *auto_sync_spin;
  GtkSpinButton *concurrency_spin;
  GtkSwitch *metered_switch;
  GtkSpinButton *retry_period_spin;
  GtkSpinButton *attempts_spin;
  GtkSpinButton *initial_delay_spin;
  GtkSpinButton *max_delay_spin;
  GtkSpinButton *retention_spin;
  GtkSwitch *notifications_switch;
  GtkSwitch *start_at_login_switch;
  GtkSwitch *tray_switch;
  AdwActionRow *tray_row;

  /* state */
  gboolean tray_available;
};

G_DEFINE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_TRAY_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bind_value (FerryPreferencesWindow *self,
            const char             *key,
            GtkSpinButton          *spin)
{
  g_settings_bind (self->settings, key, gtk_spin_button_get_adjustment (spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

/* retry-period counts seconds; the window shows hours. */
static gboolean
get_hours (GValue   *value,
           GVariant *variant,
           gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 3600.0);
  return TRUE;
}

static GVariant *
set_hours (const GValue       *value,
           const GVariantType *type,
           gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 3600.0 + 0.5));
}

static void
bind_switch (FerryPreferencesWindow *self,
             const char             *key,
             GtkSwitch              *toggle)
{
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
ferry_preferences_window_constructed (GObject *object)
{
  FerryPreferencesWindow *self = (FerryPreferencesWindow *) object;

  G_OBJECT_CLASS (ferry_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  bind_value (self, "auto-sync-interval", self->auto_sync_spin);
  bind_value (self, "max-concurrency", self->concurrency_spin);
  bind_switch (self, "sync-on-metered", self->metered_switch);
  g_settings_bind_with_mapping (self->settings, "retry-period",
                                gtk_spin_button_get_adjustment (self->retry_period_spin), "value",
                                G_SETTINGS_BIND_DEFAULT, get_hours, set_hours, NULL, NULL);
  bind_value (self, "max-attempts", self->attempts_spin);
  bind_value (self, "retry-initial-delay", self->initial_delay_spin);
  bind_value (self, "retry-max-delay", self->max_delay_spin);
  bind_value (self, "history-retention-days", self->retention_spin);
  bind_switch (self, "notifications", self->notifications_switch);
  bind_switch (self, "start-at-login", self->start_at_login_switch);
  bind_switch (self, "show-tray", self->tray_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->tray_row), self->tray_available);
  if (!self->tray_available)
    adw_action_row_set_subtitle (self->tray_row, _("This build of Ferry has no tray icon"));
}

static void
ferry_preferences_window_dispose (GObject *object)
{
  FerryPreferencesWindow *self = (FerryPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_preferences_window_parent_class)->dispose (object);
}

static void
ferry_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  FerryPreferencesWindow *self = FERRY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_TRAY_AVAILABLE:
      g_value_set_boolean (value, self->tray_available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  FerryPreferencesWindow *self = FERRY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_TRAY_AVAILABLE:
      self->tray_available = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_preferences_window_class_init (FerryPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ferry_preferences_window_constructed;
  object_class->dispose = ferry_preferences_window_dispose;
  object_class->get_property = ferry_preferences_window_get_property;
  object_class->set_property = ferry_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryPreferencesWindow:tray-available:
   *
   * Whether this build has the tray indicator; without it the tray switch
   * is shown but cannot be changed.
   */
  properties[PROP_TRAY_AVAILABLE] =
    g_param_spec_boolean ("tray-available", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, UI_PREFIX "ferry-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, auto_sync_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, metered_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, retry_period_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, initial_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, max_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, retention_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow,
                                        start_at_login_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, tray_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, tray_row);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
ferry_preferences_window_init (FerryPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_preferences_window_new:
 * @settings: the io.github.ferrysync.Ferry settings
 * @tray_available: whether this build has the tray indicator
 *
 * Returns: (transfer floating): a preferences window bound to @settings
 */
GtkWidget *
ferry_preferences_window_new (GSettings *settings,
                              gboolean   tray_available)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FERRY_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "tray-available", tray_available,
                       NULL);
}

/**
 * ferry_preferences_window_get_settings:
 * @self: a preferences window
 *
 * Returns: (transfer none): the settings the window is bound to
 */
GSettings *
ferry_preferences_window_get_settings (FerryPreferencesWindow *self)
{
  g_return_val_if_fail (FERRY_IS_PREFERENCES_WINDOW (self), NULL);
  return self->settings;
}

/**
 * ferry_preferences_window_add_storage:
 * @self: a preferences window
 * @client: the client whose agent's storage to show
 *
 * Adds the Storage page: the quota per app, each app's use and Clean Up.
 *
 * Returns: (transfer none): the page
 */
FerryStoragePage *
ferry_preferences_window_add_storage (FerryPreferencesWindow *self,
                                      FerryClient            *client)
{
  GtkWidget *page;

  g_return_val_if_fail (FERRY_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);

  page = ferry_storage_page_new (client, self->settings);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  return FERRY_STORAGE_PAGE (page);
}
