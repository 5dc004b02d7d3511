/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-gui-settings.h"
#include "ferry-task-format.h"
#include "ferry-window-private.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"

/**
 * FerryWindow:
 *
 * The main window: the agent's status in words with Sync now and Pause,
 * the Pending, Failed, Conflicts and History views with their counts, a
 * search, and a banner while the agent is not running.  Everything comes
 * from the #FerryClient; the window keeps no state of its own about tasks.
 */

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

FerryTaskView *
ferry_window_view_for_kind (FerryWindow *self,
                            const char  *kind)
{
  if (g_strcmp0 (kind, "pending") == 0)
    return self->pending_view;
  if (g_strcmp0 (kind, "failed") == 0)
    return self->failed_view;
  if (g_strcmp0 (kind, "conflicts") == 0)
    return self->conflicts_view;
  if (g_strcmp0 (kind, "history") == 0)
    return self->history_view;
  return NULL;
}

void
ferry_window_show_toast (FerryWindow *self,
                         const char  *text)
{
  AdwToast *toast;

  /* A call may finish after the window was closed. */
  if (self->toast_overlay == NULL)
    return;
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
ferry_window_show_error_toast (FerryWindow  *self,
                               const char   *what,
                               const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s are what failed ("Could not retry") and why */
  text = g_strdup_printf (_("%s: %s"), what, error->message);
  ferry_window_show_toast (self, text);
}

gboolean
ferry_window_agent_running (FerryWindow *self)
{
  return self->client != NULL && ferry_client_get_agent_running (self->client);
}

void
ferry_window_update_actions (FerryWindow *self)
{
  gboolean running = ferry_window_agent_running (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-task", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-task", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-all", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-all", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-agent",
                                 !running && !self->starting_agent);
}

/* The header says the status, and under it what the status leaves out
 * (the files moving, "Last synced 2 minutes ago · next try in 4 min"), in
 * the words the tray and ferryctl use too. */
static void
update_status (FerryWindow *self)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;
  g_autofree char *subtitle = NULL;
  gboolean syncing;
  guint done, total;

  ferry_window_take_snapshot (self, &snapshot);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  subtitle = ferry_status_dup_subtitle (status);

  g_free (self->status_text);
  self->status_text = g_strdup (status->title);
  gtk_label_set_label (self->status_label, self->status_text);
  adw_view_switcher_title_set_title (self->switcher_title, self->status_text);

  g_free (self->last_sync_text);
  self->last_sync_text = g_strdup (subtitle != NULL ? subtitle : "");
  gtk_label_set_label (self->last_sync_label, self->last_sync_text);
  gtk_widget_set_visible (GTK_WIDGET (self->last_sync_label), subtitle != NULL);
  adw_view_switcher_title_set_subtitle (self->switcher_title, self->last_sync_text);

  if (snapshot.state != FERRY_AGENT_STATE_SYNCING)
    snapshot.progress_done = snapshot.progress_total = 0;
  done = MIN (snapshot.progress_done, snapshot.progress_total) + snapshot.collection_done;
  total = snapshot.progress_total + snapshot.collection_total;
  syncing = snapshot.agent_running && total > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), syncing);
  if (syncing)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) MIN (done, total) / total);
}

static void
set_page_count (AdwViewStackPage *page,
                guint             count,
                gboolean          attention)
{
  adw_view_stack_page_set_badge_number (page, count);
  adw_view_stack_page_set_needs_attention (page, attention && count > 0);
}

static void
update_counts (FerryWindow *self)
{
  guint pending = 0;
  guint failed = 0;
  guint conflicts = 0;
  guint history = 0;

  if (self->client != NULL && ferry_window_agent_running (self))
    {
      FerryStatusSnapshot snapshot = { 0, };

      /* The Conflicts view lists records in conflict beside tasks. */
      ferry_window_take_snapshot (self, &snapshot);
      pending = ferry_client_get_pending_count (self->client);
      failed = ferry_client_get_failed_count (self->client)
               + ferry_client_get_auth_count (self->client);
      conflicts = snapshot.conflicts + snapshot.collection_conflicts;
    }
  if (self->history_total != NULL && ferry_window_agent_running (self))
    history = g_list_model_get_n_items (G_LIST_MODEL (self->history_total));

  set_page_count (self->pending_page, pending, FALSE);
  set_page_count (self->failed_page, failed, TRUE);
  set_page_count (self->conflicts_page, conflicts, TRUE);
  set_page_count (self->history_page, history, FALSE);

  /* The window opens on what needs the person, once the agent said. */
  if (!self->view_chosen && self->client != NULL && ferry_window_agent_running (self))
    {
      ferry_window_show_attention (self);
      self->view_chosen = TRUE;
    }
}

void
ferry_window_update_banner (FerryWindow *self)
{
  gboolean running = ferry_window_agent_running (self);

  if (running)
    g_clear_pointer (&self->start_error, g_free);
  gtk_revealer_set_reveal_child (self->banner_revealer, self->client != NULL && !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), !self->starting_agent);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_spinner), self->starting_agent);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_icon), !self->starting_agent);
  gtk_spinner_set_spinning (self->banner_spinner, self->starting_agent);
  if (self->starting_agent)
    gtk_label_set_label (self->banner_label, _("Starting Ferry’s agent…"));
  else if (!running && self->start_error != NULL)
    gtk_label_set_label (self->banner_label, self->start_error);
  else if (!running)
    gtk_label_set_label (self->banner_label,
                         _("Ferry’s agent is not running. Changes stay safe on this "
                           "computer, but nothing is sent until it starts."));

  /* After a failed start, the button offers the same thing again. */
  gtk_button_set_label (self->start_button,
                        self->start_error != NULL ? _("_Try Again") : _("_Start Agent"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->start_error != NULL ? _("Try Again") : _("Start Agent"),
                                  -1);
}

/* Sets :paused and notifies; FALSE when it already was @paused. */
gboolean
ferry_window_store_paused (FerryWindow *self,
                           gboolean     paused)
{
  if (self->paused == paused)
    return FALSE;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  return TRUE;
}

void
ferry_window_update_status (FerryWindow *self)
{
  update_status (self);
}

/* Shows the agent's word. */
void
ferry_window_update_paused (FerryWindow *self)
{
  ferry_window_store_paused (self, self->client != NULL && ferry_client_get_paused (self->client));
}

void
ferry_window_update_all (FerryWindow *self)
{
  update_status (self);
  update_counts (self);
  ferry_window_update_banner (self);
  ferry_window_update_paused (self);
  ferry_window_update_actions (self);
}

static void
on_client_notify (FerryWindow *self,
                  GParamSpec  *pspec,
                  FerryClient *client)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "last-sync-time") || g_str_equal (name, "next-sync-time"))
    {
      update_status (self);
      return;
    }
  if (g_str_equal (name, "paused"))
    ferry_window_update_paused (self);
  if (g_str_equal (name, "agent-running"))
    {
      ferry_window_update_banner (self);
      ferry_window_update_actions (self);
    }
  update_status (self);
  update_counts (self);
}

static void
on_history_total_changed (FerryWindow *self,
                          guint        position,
                          guint        removed,
                          guint        added,
                          GListModel  *list)
{
  if (removed != added)
    update_counts (self);
}

static gboolean
on_last_sync_timeout (gpointer user_data)
{
  update_status (FERRY_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_switcher_title_notify_title_visible (FerryWindow          *self,
                                        GParamSpec           *pspec,
                                        AdwViewSwitcherTitle *switcher_title)
{
  /* A narrow window shows the status as its title instead. */
  gtk_widget_set_visible (self->status_text_box,
                          !adw_view_switcher_title_get_title_visible (switcher_title));
}

static void
on_search_changed (FerryWindow    *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  ferry_task_view_set_search (self->pending_view, text);
  ferry_task_view_set_search (self->failed_view, text);
  ferry_task_view_set_search (self->conflicts_view, text);
  ferry_task_view_set_search (self->history_view, text);
}

static void
on_search_bar_notify_search_mode (FerryWindow  *self,
                                  GParamSpec   *pspec,
                                  GtkSearchBar *search_bar)
{
  if (!gtk_search_bar_get_search_mode (search_bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
save_window_state (FerryWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
ferry_window_close_request (GtkWindow *window)
{
  save_window_state (FERRY_WINDOW (window));
  return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);
}

static void
ferry_window_map (GtkWidget *widget)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  GTK_WIDGET_CLASS (ferry_window_parent_class)->map (widget);

  /* "Last synced 2 minutes ago · next try in 40 s" moves in seconds at
   * most: a slow timer while the window is shown is enough. */
  update_status (self);
  if (self->last_sync_source_id == 0)
    {
      self->last_sync_source_id = g_timeout_add_seconds (5, on_last_sync_timeout, self);
      g_source_set_name_by_id (self->last_sync_source_id, "[ferry] last sync label");
    }
}

static void
ferry_window_unmap (GtkWidget *widget)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  g_clear_handle_id (&self->last_sync_source_id, g_source_remove);

  GTK_WIDGET_CLASS (ferry_window_parent_class)->unmap (widget);
}

/* The Transfers view's count: what waits or moves. */
static void
on_transfers_view_notify_active_count (FerryWindow *self)
{
  set_page_count (self->transfers_page,
                  ferry_transfer_view_get_active_count (self->transfers_view), FALSE);
}

static void
ferry_window_constructed (GObject *object)
{
  FerryWindow *self = (FerryWindow *) object;
  g_autoptr(FerryTaskQuery) history = NULL;
  FerryTaskView *views[] = {
    self->pending_view, self->failed_view, self->conflicts_view, self->history_view,
  };

  G_OBJECT_CLASS (ferry_window_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      ferry_task_view_set_ticker (views[i], self->ticker);
      ferry_task_view_set_client (views[i], self->client);
    }

  history = ferry_task_view_query_for_kind ("history");
  self->history_total = ferry_task_list_new (self->client, history);
  g_signal_connect_object (self->history_total, "items-changed",
                           G_CALLBACK (on_history_total_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->client, "notify", G_CALLBACK (on_client_notify), self,
                           G_CONNECT_SWAPPED);
  ferry_window_follow_transfers (self);
  self->collections = ferry_collection_set_new (self->client);
  g_signal_connect_object (self->collections, "changed", G_CALLBACK (ferry_window_update_all),
                           self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    ferry_task_view_set_collections (views[i], self->collections);
  ferry_doc_conflicts_set_source (self->doc_conflicts, self->client, self->collections,
                                  GTK_WIDGET (self->conflicts_view));

  ferry_transfer_view_set_client (self->transfers_view, self->client);
  g_signal_connect_object (self->transfers_view, "notify::active-count",
                           G_CALLBACK (on_transfers_view_notify_active_count), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->transfers_view, "error",
                           G_CALLBACK (ferry_window_show_error_toast), self, G_CONNECT_SWAPPED);
  ferry_window_update_all (self);
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = (FerryWindow *) object;

  ferry_window_finish_cancels (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->last_sync_source_id, g_source_remove);
  g_clear_handle_id (&self->bytes_source_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->collections != NULL)
    g_signal_handlers_disconnect_by_data (self->collections, self);
  g_clear_object (&self->collections);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_WINDOW);
  g_clear_object (&self->history_total);
  g_clear_object (&self->client);
  g_clear_object (&self->ticker);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
}

static void
ferry_window_finalize (GObject *object)
{
  FerryWindow *self = (FerryWindow *) object;

  g_clear_object (&self->cancellable);
  g_free (self->status_text);
  g_free (self->last_sync_text);
  g_free (self->start_error);
  g_clear_pointer (&self->cancelling, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_window_parent_class)->finalize (object);
}

static void
ferry_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryWindow *self = FERRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryWindow *self = FERRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_PAUSED:
      ferry_window_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ferry_window_constructed;
  object_class->dispose = ferry_window_dispose;
  object_class->finalize = ferry_window_finalize;
  object_class->get_property = ferry_window_get_property;
  object_class->set_property = ferry_window_set_property;

  widget_class->map = ferry_window_map;
  widget_class->unmap = ferry_window_unmap;

  window_class->close_request = ferry_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryWindow:paused:
   *
   * Whether sending is paused.  Follows the agent; setting it asks the
   * agent to pause or resume (the Pause toggle's action).
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FERRY_TYPE_TASK_VIEW);
  g_type_ensure (FERRY_TYPE_TRANSFER_VIEW);
  g_type_ensure (FERRY_TYPE_DOC_CONFLICTS);

  gtk_widget_class_set_template_from_resource (widget_class, UI_PREFIX "ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, pending_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, conflicts_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, pending_view);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, failed_view);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, conflicts_view);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, doc_conflicts);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfers_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfers_view);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, banner_spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, status_text_box);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, pause_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_bar_notify_search_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_title_notify_title_visible);

  ferry_window_install_actions (widget_class);
}

static void
ferry_window_init (FerryWindow *self)
{
  GtkShortcutsWindow *help;
  GtkBuilder *builder;
  int width;
  int height;

  self->cancellable = g_cancellable_new ();
  self->cancelling = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ticker = ferry_ticker_new (1000);
  self->settings = ferry_gui_settings_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  builder = gtk_builder_new_from_resource (UI_PREFIX "ferry-shortcuts-window.ui");
  help = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), help);
  g_object_unref (builder);

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  /* The schema's defaults when there are no settings. */
  width = self->settings != NULL ? g_settings_get_int (self->settings, "window-width") : 1000;
  height = self->settings != NULL ? g_settings_get_int (self->settings, "window-height") : 640;
  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 300));
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * ferry_window_new:
 * @application: the application
 * @client: the client to show
 *
 * Returns: (transfer full): a new window
 */
FerryWindow *
ferry_window_new (GtkApplication *application,
                  FerryClient    *client)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);

  return g_object_new (FERRY_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       NULL);
}

FerryClient *
ferry_window_get_client (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->client;
}

/**
 * ferry_window_get_ticker:
 * @self: a window
 *
 * Returns: (transfer none): the clock the rows count down with
 */
FerryTicker *
ferry_window_get_ticker (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->ticker;
}

/**
 * ferry_window_get_view:
 * @self: a window
 * @kind: pending, failed, conflicts or history
 *
 * Returns: (transfer none) (nullable): the view of @kind
 */
FerryTaskView *
ferry_window_get_view (FerryWindow *self,
                       const char  *kind)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return ferry_window_view_for_kind (self, kind);
}

const char *
ferry_window_get_visible_view (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * ferry_window_show_view:
 * @self: a window
 * @kind: pending, failed, conflicts, history or transfers
 */
void
ferry_window_show_view (FerryWindow *self,
                        const char  *kind)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (ferry_window_view_for_kind (self, kind) != NULL ||
                    g_strcmp0 (kind, "transfers") == 0);

  self->view_chosen = TRUE;
  adw_view_stack_set_visible_child_name (self->view_stack, kind);
}

/**
 * ferry_window_get_transfer_view:
 * @self: a window
 *
 * Returns: (transfer none): the Transfers view
 */
FerryTransferView *
ferry_window_get_transfer_view (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->transfers_view;
}

/**
 * ferry_window_show_attention:
 * @self: a window
 *
 * Shows the view of what needs the person (conflicts first, then
 * failures, then the Collections window for records a server refused),
 * when something does.
 *
 * Returns: (nullable): the view shown (static), or %NULL when nothing
 *   needs the person
 */
const char *
ferry_window_show_attention (FerryWindow *self)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  if (self->client == NULL)
    return NULL;
  ferry_window_take_snapshot (self, &snapshot);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  if (status->view == NULL)
    return NULL;
  /* Records a server refused are listed where their collection is. */
  if (g_str_equal (status->view, "collections"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-collections", NULL);
  else
    ferry_window_show_view (self, status->view);
  return status->view;
}

/**
 * ferry_window_get_status_text:
 * @self: a window
 *
 * Returns: the status line as shown
 */
const char *
ferry_window_get_status_text (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->status_text;
}

const char *
ferry_window_get_last_sync_text (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->last_sync_text;
}

/**
 * ferry_window_get_banner_visible:
 * @self: a window
 *
 * Returns: whether the "agent not running" banner is shown
 */
gboolean
ferry_window_get_banner_visible (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

/**
 * ferry_window_get_view_count:
 * @self: a window
 * @kind: pending, failed, conflicts, history or transfers
 *
 * Returns: the count shown on the view's switcher button
 */
guint
ferry_window_get_view_count (FerryWindow *self,
                             const char  *kind)
{
  AdwViewStackPage *page;

  g_return_val_if_fail (FERRY_IS_WINDOW (self), 0);

  /* Pages are named after their kind. */
  page = adw_view_stack_get_page (self->view_stack,
                                  adw_view_stack_get_child_by_name (self->view_stack, kind));
  g_return_val_if_fail (page != NULL, 0);
  return adw_view_stack_page_get_badge_number (page);
}

/**
 * ferry_window_set_search:
 * @self: a window
 * @search: (nullable): text to search for, or %NULL to end the search
 */
void
ferry_window_set_search (FerryWindow *self,
                         const char  *search)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, search != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search != NULL ? search : "");
}

