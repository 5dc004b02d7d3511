/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-preferences-window.h"
#include "ferry-task-view.h"
#include "ferry-application.h"
#include "ferry-gui-settings.h"

#ifdef HAVE_FERRY_TRAY
#include "ferry-tray.h"
#endif


/**
 * FerryApplication:
 *
 * `ferry`: one instance per session, the GApplication APP_ID (the agent
 * owns io.github.ferrysync.Ferry.Agent), D-Bus activatable for its launcher
 * and its notifications' actions.  It connects a #FerryClient to the
 * agent, shows the window on activation (activating again presents it),
 * sends the notifications, and keeps the tray indicator when that is
 * built and wanted.  While the tray is shown, closing the window keeps the
 * application running; otherwise it quits with its last window.
 *
 * `ferry --background` starts only the tray, for the autostart entry: it
 * exits at once when `start-at-login` is off or there is no tray to show.
 */
struct _FerryApplication
{
  AdwApplication parent_instance;

  /* owned */
  GSettings *settings;
  FerryClient *client;
  FerryNotifier *notifier;
  GObject *tray;                 /* FerryTray when built with the tray */
  GCancellable *cancellable;

  /* borrowed */
  FerryWindow *window;           /* weak */

  /* state */
  gboolean background;           /* started with --background */
  gboolean skip_window;          /* the first activation of --background */
  gboolean present_when_ready;   /* activated before the client was ready */
  gboolean holding_for_client;
  gboolean holding_for_tray;
  gboolean agent_start_tried;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "background", 'b', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Start in the tray without opening the window"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

static void update_tray (FerryApplication *self);

/**
 * ferry_application_get_tray_available:
 *
 * Returns: whether this build has the tray indicator
 */
gboolean
ferry_application_get_tray_available (void)
{
#ifdef HAVE_FERRY_TRAY
  return TRUE;
#else
  return FALSE;
#endif
}

static gboolean
tray_wanted (FerryApplication *self)
{
  /* Without settings, the default: shown. */
  return ferry_application_get_tray_available ()
         && (self->settings == NULL || g_settings_get_boolean (self->settings, "show-tray"));
}

static void
set_tray_hold (FerryApplication *self,
               gboolean          hold)
{
  if (self->holding_for_tray == hold)
    return;
  self->holding_for_tray = hold;
  if (hold)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

/* The tray keeps the application alive while it is shown, and from the
 * start when there is no window to keep it (--background): it registers
 * as soon as a tray host appears. */
static void
update_tray_hold (FerryApplication *self)
{
  gboolean registered = FALSE;

  if (self->tray != NULL)
    g_object_get (self->tray, "registered", &registered, NULL);
  set_tray_hold (self, self->tray != NULL && (registered || self->background));
}

static void
present_window (FerryApplication *self)
{
  FerryWindow *window = self->window;

  if (window == NULL)
    {
      window = ferry_window_new (GTK_APPLICATION (self), self->client);
      g_set_weak_pointer (&self->window, window);
    }
  gtk_window_present (GTK_WINDOW (window));

  /* Opening Ferry means wanting the agent: start it once by D-Bus
   * activation.  If it stops later, the window's banner offers to start
   * it again rather than the window doing it behind the person's back. */
  if (!self->agent_start_tried && !ferry_client_get_agent_running (self->client))
    ferry_window_start_agent (window, FALSE);
  self->agent_start_tried = TRUE;
}

static void
client_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->client = ferry_client_new_finish (result, &error);
  if (self->holding_for_client)
    {
      self->holding_for_client = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  if (self->client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr (_("Could not connect to the session bus: %s\n"), error->message);
      g_application_quit (G_APPLICATION (self));
      return;
    }

  self->notifier = ferry_notifier_new (G_APPLICATION (self), self->client, self->settings);
  update_tray (self);

  if (self->present_when_ready)
    {
      self->present_when_ready = FALSE;
      present_window (self);
    }
}

#ifdef HAVE_FERRY_TRAY
static void
on_tray_activate (FerryApplication *self,
                  FerryTray        *tray)
{
  const char *view = NULL;

  g_application_activate (G_APPLICATION (self));
  /* An item asking for attention opens on what asks for it. */
  if (self->window != NULL)
    view = ferry_window_show_attention (self->window);
  if (view != NULL)
    ferry_notifier_acknowledge (self->notifier, view);
}

static void
on_tray_quit_requested (FerryApplication *self,
                        FerryTray        *tray)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
}

static void
on_tray_notify_registered (FerryApplication *self,
                           GParamSpec       *pspec,
                           FerryTray        *tray)
{
  update_tray_hold (self);
}
#endif

static void
update_tray (FerryApplication *self)
{
  gboolean want = self->client != NULL && tray_wanted (self);

  if (want && self->tray == NULL)
    {
#ifdef HAVE_FERRY_TRAY
      FerryTray *tray = ferry_tray_new (self->client, ferry_client_get_connection (self->client));

      g_signal_connect_object (tray, "activate", G_CALLBACK (on_tray_activate), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tray, "quit-requested", G_CALLBACK (on_tray_quit_requested),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (tray, "notify::registered",
                               G_CALLBACK (on_tray_notify_registered), self, G_CONNECT_SWAPPED);
      self->tray = G_OBJECT (tray);
#endif
    }
  else if (!want && self->tray != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tray, self);
      g_clear_object (&self->tray);
    }
  update_tray_hold (self);
}

static void
on_settings_changed_show_tray (FerryApplication *self,
                               const char       *key,
                               GSettings        *settings)
{
  update_tray (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  FerryApplication *self = user_data;
  GList *windows;

  set_tray_hold (self, FALSE);
  /* Closing lets the window save its size. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  FerryApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences;

  if (self->settings == NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (parent, _("Preferences Are Not Available"),
                                                  _("Ferry’s settings schema is not "
                                                    "installed, so Ferry runs on its default "
                                                    "settings. Install Ferry, or run it from "
                                                    "its build tree with “meson devenv”."));

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  preferences = ferry_preferences_window_new (self->settings,
                                              ferry_application_get_tray_available ());
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  if (self->client != NULL)
    ferry_preferences_window_add_storage (FERRY_PREFERENCES_WINDOW (preferences), self->client);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
      gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  FerryApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "Ferry contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Ferry"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Ferry contributors"),
                        "developers", developers,
                        "comments", _("Ferry keeps the changes your apps make until they "
                                      "reach their servers, online or not."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        "modal", parent != NULL,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
is_view_name (const char *name)
{
  return g_strcmp0 (name, "pending") == 0 || g_strcmp0 (name, "failed") == 0
         || g_strcmp0 (name, "conflicts") == 0 || g_strcmp0 (name, "history") == 0;
}

static void
show_view_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FerryApplication *self = user_data;
  const char *view = g_variant_get_string (parameter, NULL);

  if (!is_view_name (view))
    {
      g_warning ("No view called “%s”", view);
      return;
    }
  if (self->client == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      return;
    }
  present_window (self);
  ferry_window_show_view (self->window, view);
  ferry_notifier_acknowledge (self->notifier, view);
}

static void
retry_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!ferry_client_retry_all_finish (FERRY_CLIENT (object), result, &count, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not retry the failed changes: %s", error->message);
}

static void
retry_all_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FerryApplication *self = user_data;
  const char *view = g_variant_get_string (parameter, NULL);
  g_autoptr(FerryTaskQuery) query = NULL;

  if (self->client == NULL || !is_view_name (view))
    return;

  /* A button on a notification says what it does: no second question. */
  query = ferry_task_view_query_for_kind (view);
  ferry_client_retry_all_async (self->client, query, self->cancellable, retry_all_cb,
                                g_object_ref (self));
  ferry_notifier_acknowledge (self->notifier, view);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL },
  { "preferences", preferences_action, NULL, NULL, NULL },
  { "about", about_action, NULL, NULL, NULL },
  { "show-view", show_view_action, "s", NULL, NULL },
  { "retry-all", retry_all_action, "s", NULL, NULL },
};

static int
ferry_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  FerryApplication *self = FERRY_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ferry %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!g_variant_dict_contains (options, "background"))
    return -1;

  /* The autostart entry honours the preference: no tray wanted, or none
   * in this build, means nothing to start; said on stderr, since the
   * session that started it shows nothing else. */
  if (self->settings == NULL)
    self->settings = ferry_gui_settings_new ();
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "start-at-login"))
    {
      g_printerr (_("ferry --background: not starting, because “Start at login” is off "
                    "in Preferences.\n"));
      return 0;
    }
  if (!tray_wanted (self))
    {
      g_printerr (ferry_application_get_tray_available ()
                  ? _("ferry --background: not starting, because “Show in the tray” is off "
                      "in Preferences.\n")
                  : _("ferry --background: not starting, because this build of Ferry has "
                      "no tray icon.\n"));
      return 0;
    }

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Already running: it has its tray already. */
  if (g_application_get_is_remote (application))
    return 0;

  self->background = TRUE;
  self->skip_window = TRUE;
  return -1;
}

static void
ferry_application_startup (GApplication *application)
{
  FerryApplication *self = FERRY_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ferry_application_parent_class)->startup (application);

  if (self->settings == NULL)
    self->settings = ferry_gui_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::show-tray",
                             G_CALLBACK (on_settings_changed_show_tray), self,
                             G_CONNECT_SWAPPED);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_accels);

  /* The window shows the agent coming and going: it never starts the
   * agent by accident through a call of its own. */
  self->holding_for_client = TRUE;
  g_application_hold (application);
  ferry_client_new_async (g_application_get_dbus_connection (application),
                          FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START, self->cancellable,
                          client_ready_cb, g_object_ref (self));
}

static void
ferry_application_activate (GApplication *application)
{
  FerryApplication *self = FERRY_APPLICATION (application);

  /* The first activation of `ferry --background` shows no window. */
  if (self->skip_window)
    {
      self->skip_window = FALSE;
      return;
    }

  if (self->client == NULL)
    {
      self->present_when_ready = TRUE;
      return;
    }
  present_window (self);
}

static void
ferry_application_shutdown (GApplication *application)
{
  FerryApplication *self = FERRY_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->tray != NULL)
    g_signal_handlers_disconnect_by_data (self->tray, self);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  /* Whoever still holds the application (a late callback, a binding)
   * should not hold the bus connection through the client too. */
  g_clear_object (&self->client);

  G_APPLICATION_CLASS (ferry_application_parent_class)->shutdown (application);
}

static void
ferry_application_dispose (GObject *object)
{
  FerryApplication *self = (FerryApplication *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->window);
  if (self->tray != NULL)
    g_signal_handlers_disconnect_by_data (self->tray, self);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_application_parent_class)->dispose (object);
}

static void
ferry_application_finalize (GObject *object)
{
  FerryApplication *self = (FerryApplication *) object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_application_parent_class)->finalize (object);
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ferry_application_dispose;
  object_class->finalize = ferry_application_finalize;

  application_class->handle_local_options = ferry_application_handle_local_options;
  application_class->startup = ferry_application_startup;
  application_class->activate = ferry_application_activate;
  application_class->shutdown = ferry_application_shutdown;
}

static void
ferry_application_init (FerryApplication *self)
{
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Shows what Ferry is sending, and what needs you."));
}

/**
 * ferry_application_new:
 *
 * Returns: (transfer full): the application
 */
FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/ferrysync/Ferry",
                       NULL);
}

/**
 * ferry_application_get_client:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the client, once connected
 */
FerryClient *
ferry_application_get_client (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->client;
}

/**
 * ferry_application_get_settings:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the settings, after start-up
 */
GSettings *
ferry_application_get_settings (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * ferry_application_get_notifier:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the notifier, once connected
 */
FerryNotifier *
ferry_application_get_notifier (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->notifier;
}

/**
 * ferry_application_get_window:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the main window while it is open
 */
FerryWindow *
ferry_application_get_window (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->window;
}

/**
 * ferry_application_get_tray:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the tray indicator while it exists
 */
GObject *
ferry_application_get_tray (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->tray;
}
