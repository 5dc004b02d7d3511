/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-preferences-window.h"
#include "ferry-gui-test-util.h"

/* The preferences window changes the settings, and follows changes made
 * elsewhere (GSETTINGS_BACKEND=memory: one store for the process). */

#define SCHEMA "io.github.ferrysync.Ferry"

typedef struct
{
  GSettings *settings;
  GtkWidget *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new (SCHEMA);
  fixture->window = ferry_preferences_window_new (fixture->settings, GPOINTER_TO_INT (data));
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  GUI_WAIT (gtk_widget_get_mapped (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_settings_reset (fixture->settings, "auto-sync-interval");
  g_settings_reset (fixture->settings, "max-concurrency");
  g_settings_reset (fixture->settings, "max-attempts");
  g_settings_reset (fixture->settings, "retry-period");
  g_settings_reset (fixture->settings, "retry-initial-delay");
  g_settings_reset (fixture->settings, "retry-max-delay");
  g_settings_reset (fixture->settings, "history-retention-days");
  g_settings_reset (fixture->settings, "sync-on-metered");
  g_settings_reset (fixture->settings, "notifications");
  g_settings_reset (fixture->settings, "start-at-login");
  g_settings_reset (fixture->settings, "show-tray");
  g_clear_object (&fixture->settings);
}

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (fixture->window,
                                                   FERRY_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  const char *widget;
  const char *key;
  guint       value;
} SpinCase;

static const SpinCase spin_cases[] = {
  { "auto_sync_spin", "auto-sync-interval", 300 },
  { "concurrency_spin", "max-concurrency", 2 },
  { "attempts_spin", "max-attempts", 12 },
  { "initial_delay_spin", "retry-initial-delay", 5 },
  { "max_delay_spin", "retry-max-delay", 900 },
  { "retention_spin", "history-retention-days", 30 },
};

/* Each spin button shows its key, and writes what the person types. */
static void
test_spin_buttons_change_keys (Fixture       *fixture,
                               gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (spin_cases); i++)
    {
      GtkSpinButton *spin = child (fixture, spin_cases[i].widget);
      guint initial = g_settings_get_uint (fixture->settings, spin_cases[i].key);

      g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, initial);

      /* As typed: the text, then committed (Enter or leaving the field). */
      {
        g_autofree char *text = g_strdup_printf ("%u", spin_cases[i].value);

        gtk_editable_set_text (GTK_EDITABLE (spin), text);
        gtk_spin_button_update (spin);
      }
      g_assert_cmpuint (g_settings_get_uint (fixture->settings, spin_cases[i].key), ==,
                        spin_cases[i].value);
    }

  /* The retry period is shown and typed in hours, kept in seconds. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (fixture, "retry_period_spin")), ==,
                   24);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "retry_period_spin")), "72");
  gtk_spin_button_update (child (fixture, "retry_period_spin"));
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "retry-period"), ==, 72 * 3600);
  g_settings_set_uint (fixture->settings, "retry-period", 7200);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (fixture, "retry_period_spin")), ==, 2);

  /* Out of range is clamped to the key's range, not stored. */
  gtk_spin_button_set_value (child (fixture, "concurrency_spin"), 99);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "max-concurrency"), ==, 16);
}

/* A change made elsewhere shows at once. */
static void
test_follows_outside_changes (Fixture       *fixture,
                              gconstpointer  data)
{
  g_settings_set_uint (fixture->settings, "max-attempts", 42);
  g_settings_set_boolean (fixture->settings, "notifications", FALSE);

  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (fixture, "attempts_spin")), ==, 42);
  g_assert_false (gtk_switch_get_active (child (fixture, "notifications_switch")));
}

static void
test_switches_change_keys (Fixture       *fixture,
                           gconstpointer  data)
{
  struct { const char *widget; const char *key; } cases[] = {
    { "metered_switch", "sync-on-metered" },
    { "notifications_switch", "notifications" },
    { "start_at_login_switch", "start-at-login" },
    { "tray_switch", "show-tray" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkSwitch *toggle = child (fixture, cases[i].widget);
      gboolean before = g_settings_get_boolean (fixture->settings, cases[i].key);

      g_assert_cmpint (gtk_switch_get_active (toggle), ==, before);
      /* The way a click does it. */
      gtk_widget_activate (GTK_WIDGET (toggle));
      g_assert_cmpint (g_settings_get_boolean (fixture->settings, cases[i].key), ==, !before);
    }
}

/* Without the tray in the build, its switch cannot be changed. */
static void
test_tray_switch_without_tray (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *row = child (fixture, "tray_row");

  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "This build of Ferry has no tray icon");
}

static gboolean
is_unnamed_control (GtkWidget *widget,
                    gpointer   user_data)
{
  if (!GTK_IS_SPIN_BUTTON (widget) && !GTK_IS_SWITCH (widget))
    return FALSE;
  return !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every control has a name a screen reader can say. */
static void
test_controls_have_names (Fixture       *fixture,
                          gconstpointer  data)
{
  g_assert_null (gui_find_widget (fixture->window, GTK_TYPE_WIDGET, is_unnamed_control, NULL));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();

  g_test_add ("/gui/preferences/spin-buttons-change-keys", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_spin_buttons_change_keys, fixture_tear_down);
  g_test_add ("/gui/preferences/follows-outside-changes", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_follows_outside_changes, fixture_tear_down);
  g_test_add ("/gui/preferences/switches-change-keys", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_switches_change_keys, fixture_tear_down);
  g_test_add ("/gui/preferences/tray-switch-without-tray", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_tray_switch_without_tray, fixture_tear_down);
  g_test_add ("/gui/preferences/controls-have-names", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_controls_have_names, fixture_tear_down);

  return g_test_run ();
}
