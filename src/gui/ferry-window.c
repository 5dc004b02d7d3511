/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-conflict-window.h"
#include "ferry-details-window.h"
#include "ferry-gui-settings.h"
#include "ferry-task-format.h"
#include "ferry-window.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"
/* How many tasks one step of Cancel All lists and cancels. */
#define CANCEL_BATCH 200
/* How long a row's cancel can be undone. */
#define CANCEL_UNDO_SECONDS 8

/**
 * FerryWindow:
 *
 * The main window: the agent's status in words with Sync now and Pause,
 * the Pending, Failed, Conflicts and History views with their counts, a
 * search, and a banner while the agent is not running.  Everything comes
 * from the #FerryClient; the window keeps no state of its own about tasks.
 */
struct _FerryWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  FerryClient *client;
  FerryTicker *ticker;
  GSettings *settings;
  GCancellable *cancellable;
  FerryTaskList *history_total;    /* the history without a search: its count */
  char *status_text;
  char *last_sync_text;
  char *start_error;   /* why the last start failed, for a person */
  GHashTable *cancelling;   /* ids of cancels still offering Undo */

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack *view_stack;
  AdwViewStackPage *pending_page;
  AdwViewStackPage *failed_page;
  AdwViewStackPage *conflicts_page;
  AdwViewStackPage *history_page;
  FerryTaskView *pending_view;
  FerryTaskView *failed_view;
  FerryTaskView *conflicts_view;
  FerryTaskView *history_view;
  GtkRevealer *banner_revealer;
  GtkImage *banner_icon;
  GtkSpinner *banner_spinner;
  GtkLabel *banner_label;
  GtkButton *start_button;
  GtkWidget *status_text_box;
  GtkLabel *status_label;
  GtkLabel *last_sync_label;
  GtkProgressBar *progress_bar;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkWidget *sync_button;
  GtkWidget *pause_button;

  /* state */
  gboolean view_chosen;   /* the opening view was picked, or the person picked one */
  gboolean confirm_start; /* the start in progress was asked for from the banner */
  gboolean paused;
  gboolean starting_agent;
  guint last_sync_source_id;
};

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Per-call state of Cancel All. */
typedef struct
{
  FerryWindow    *self;         /* owned */
  FerryTaskQuery *query;
  guint           skipped;      /* tasks that could not be cancelled (running) */
  guint           cancelled;
  guint           in_flight;
  guint           batch_failed;
  guint           batch_size;
} CancelAll;

static void cancel_all_next (CancelAll *job);

static void
cancel_all_free (CancelAll *job)
{
  g_clear_object (&job->self);
  g_clear_pointer (&job->query, ferry_task_query_unref);
  g_free (job);
}

static FerryTaskView *
view_for_kind (FerryWindow *self,
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

static void
show_toast (FerryWindow *self,
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

static void
show_error_toast (FerryWindow  *self,
                  const char   *what,
                  const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s are what failed ("Could not retry") and why */
  text = g_strdup_printf (_("%s: %s"), what, error->message);
  show_toast (self, text);
}

static gboolean
agent_running (FerryWindow *self)
{
  return self->client != NULL && ferry_client_get_agent_running (self->client);
}

static void
update_actions (FerryWindow *self)
{
  gboolean running = agent_running (self);

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
 * ("Last synced 2 minutes ago · next try in 4 min"), in the words the tray
 * and ferryctl use too. */
static void
update_status (FerryWindow *self)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;
  gboolean syncing;

  if (self->client != NULL)
    ferry_status_snapshot_from_client (&snapshot, self->client);
  status = ferry_status_describe (&snapshot, g_get_real_time ());

  g_free (self->status_text);
  self->status_text = g_strdup (status->title);
  gtk_label_set_label (self->status_label, self->status_text);
  adw_view_switcher_title_set_title (self->switcher_title, self->status_text);

  g_free (self->last_sync_text);
  self->last_sync_text = g_strdup (status->detail != NULL ? status->detail : "");
  gtk_label_set_label (self->last_sync_label, self->last_sync_text);
  gtk_widget_set_visible (GTK_WIDGET (self->last_sync_label), status->detail != NULL);
  adw_view_switcher_title_set_subtitle (self->switcher_title, self->last_sync_text);

  syncing = snapshot.agent_running && snapshot.state == FERRY_AGENT_STATE_SYNCING
            && snapshot.progress_total > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), syncing);
  if (syncing)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   (double) MIN (snapshot.progress_done,
                                                 snapshot.progress_total)
                                   / snapshot.progress_total);
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

  if (self->client != NULL && agent_running (self))
    {
      pending = ferry_client_get_pending_count (self->client);
      failed = ferry_client_get_failed_count (self->client)
               + ferry_client_get_auth_count (self->client);
      conflicts = ferry_client_get_conflict_count (self->client);
    }
  if (self->history_total != NULL && agent_running (self))
    history = g_list_model_get_n_items (G_LIST_MODEL (self->history_total));

  set_page_count (self->pending_page, pending, FALSE);
  set_page_count (self->failed_page, failed, TRUE);
  set_page_count (self->conflicts_page, conflicts, TRUE);
  set_page_count (self->history_page, history, FALSE);

  /* The window opens on what needs the person, once the agent said. */
  if (!self->view_chosen && self->client != NULL && agent_running (self))
    {
      ferry_window_show_attention (self);
      self->view_chosen = TRUE;
    }
}

static void
update_banner (FerryWindow *self)
{
  gboolean running = agent_running (self);

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


static void
update_paused (FerryWindow *self)
{
  gboolean paused = self->client != NULL && ferry_client_get_paused (self->client);

  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

static void
update_all (FerryWindow *self)
{
  update_status (self);
  update_counts (self);
  update_banner (self);
  update_paused (self);
  update_actions (self);
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
    update_paused (self);
  if (g_str_equal (name, "agent-running"))
    {
      update_banner (self);
      update_actions (self);
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
sync_now_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_sync_now_finish (FERRY_CLIENT (object), result, &error))
    show_error_toast (self, _("Could not start a sync"), error);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_client_sync_now_async (self->client, self->cancellable, sync_now_cb,
                               g_object_ref (self));
}

static void
pause_done (FerryWindow  *self,
            gboolean      ok,
            const GError *error)
{
  if (ok)
    return;
  show_error_toast (self, _("Could not pause or resume sending"), error);
  /* Show the agent's word again. */
  update_paused (self);
}

static void
pause_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ferry_client_pause_finish (FERRY_CLIENT (object), result, &error);
  pause_done (self, ok, error);
}

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ferry_client_resume_finish (FERRY_CLIENT (object), result, &error);
  pause_done (self, ok, error);
}

static void
set_paused (FerryWindow *self,
            gboolean     paused)
{
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);

  if (self->client == NULL || paused == ferry_client_get_paused (self->client))
    return;
  if (paused)
    ferry_client_pause_async (self->client, self->cancellable, pause_cb, g_object_ref (self));
  else
    ferry_client_resume_async (self->client, self->cancellable, resume_cb, g_object_ref (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  gboolean mode = gtk_search_bar_get_search_mode (self->search_bar);

  gtk_search_bar_set_search_mode (self->search_bar, !mode);
  if (!mode)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
start_agent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->starting_agent = FALSE;
  if (!ferry_client_start_agent_finish (FERRY_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not start the agent: %s", error->message);
      g_free (self->start_error);
      self->start_error = ferry_format_agent_start_error (error);
      update_banner (self);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->start_error, g_free);
  if (self->confirm_start)
    show_toast (self, _("Ferry’s agent is running"));
  update_all (self);
}

static void
start_agent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ferry_window_start_agent (FERRY_WINDOW (widget), TRUE);
}

/**
 * ferry_window_start_agent:
 * @self: a window
 * @confirm: whether a person asked, and so hears when it worked
 *
 * Starts the agent by D-Bus activation, unless it runs or is starting;
 * the banner shows the progress, and why when it fails.
 */
void
ferry_window_start_agent (FerryWindow *self,
                          gboolean     confirm)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->starting_agent || agent_running (self))
    return;
  self->confirm_start = confirm;
  self->starting_agent = TRUE;
  update_banner (self);
  update_actions (self);
  ferry_client_start_agent_async (self->client, self->cancellable, start_agent_cb,
                                  g_object_ref (self));
}

static void
retry_task_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_retry_finish (FERRY_CLIENT (object), result, &error))
    show_error_toast (self, _("Could not retry the change"), error);
}

static void
retry_task_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_client_retry_async (self->client, g_variant_get_string (parameter, NULL),
                            self->cancellable, retry_task_cb, g_object_ref (self));
}

static void
cancel_task_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_cancel_finish (FERRY_CLIENT (object), result, &error))
    show_error_toast (self, _("Could not cancel the change"), error);
}

/* The toast of a cancel went: unless Undo was pressed, the change is
 * cancelled now. */
static void
on_cancel_toast_dismissed (AdwToast    *toast,
                           FerryWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "ferry-task-id");

  if (!g_hash_table_remove (self->cancelling, id))
    return;
  ferry_client_cancel_async (self->client, id, self->cancellable, cancel_task_cb,
                             g_object_ref (self));
}

static void
on_cancel_toast_undo (AdwToast    *toast,
                      FerryWindow *self)
{
  g_hash_table_remove (self->cancelling, g_object_get_data (G_OBJECT (toast), "ferry-task-id"));
}

/* Cancel from a row: a slip must not lose a change, so the change is kept
 * while a toast offers Undo, and cancelled when the toast goes. */
static void
cancel_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  AdwToast *toast;

  if (self->toast_overlay == NULL || g_hash_table_contains (self->cancelling, id))
    return;
  g_hash_table_add (self->cancelling, g_strdup (id));

  toast = adw_toast_new (_("The change will be cancelled"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, CANCEL_UNDO_SECONDS);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "ferry-task-id", g_strdup (id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_cancel_toast_undo), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_cancel_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The window goes with cancels still offering Undo: the person meant
 * them. */
static void
finish_cancels (FerryWindow *self)
{
  GHashTableIter iter;
  gpointer id;

  if (self->cancelling == NULL || self->client == NULL)
    return;
  g_hash_table_iter_init (&iter, self->cancelling);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    ferry_client_cancel_async (self->client, id, NULL, NULL, NULL);
  g_hash_table_remove_all (self->cancelling);
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  GtkWindow *details;

  details = GTK_WINDOW (ferry_details_window_new (self->client,
                                                  g_variant_get_string (parameter, NULL)));
  gtk_window_set_transient_for (details, GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (details, TRUE);
  gtk_window_present (details);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ferry_window_show_view (FERRY_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
retry_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint count = 0;

  if (!ferry_client_retry_all_finish (FERRY_CLIENT (object), result, &count, &error))
    {
      show_error_toast (self, _("Could not retry the changes"), error);
      return;
    }
  text = g_strdup_printf (ngettext ("%u change will be tried again",
                                    "%u changes will be tried again", count),
                          count);
  show_toast (self, text);
}

static void
on_retry_all_response (FerryWindow      *self,
                       const char       *response,
                       AdwMessageDialog *dialog)
{
  FerryTaskQuery *query = g_object_get_data (G_OBJECT (dialog), "ferry-query");

  if (g_strcmp0 (response, "retry") != 0 || self->client == NULL)
    return;
  ferry_client_retry_all_async (self->client, query, self->cancellable, retry_all_cb,
                                g_object_ref (self));
}

static void
cancel_all_done (CancelAll *job)
{
  g_autofree char *text = NULL;

  if (job->skipped > 0)
    text = g_strdup_printf (ngettext ("Cancelled %u change; %u could not be cancelled",
                                      "Cancelled %u changes; %u could not be cancelled",
                                      job->cancelled),
                            job->cancelled, job->skipped);
  else
    text = g_strdup_printf (ngettext ("Cancelled %u change", "Cancelled %u changes",
                                      job->cancelled),
                            job->cancelled);
  show_toast (job->self, text);
  cancel_all_free (job);
}

static void
cancel_one_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CancelAll *job = user_data;
  g_autoptr(GError) error = NULL;

  if (ferry_client_cancel_finish (FERRY_CLIENT (object), result, &error))
    job->cancelled++;
  else
    job->batch_failed++;

  if (--job->in_flight > 0)
    return;

  job->skipped += job->batch_failed;
  if (job->batch_size < CANCEL_BATCH || g_cancellable_is_cancelled (job->self->cancellable))
    cancel_all_done (job);
  else
    cancel_all_next (job);
}

static void
cancel_all_list_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CancelAll *job = user_data;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  tasks = ferry_client_list_finish (FERRY_CLIENT (object), result, &error);
  if (tasks == NULL)
    {
      show_error_toast (job->self, _("Could not cancel the changes"), error);
      cancel_all_free (job);
      return;
    }
  if (tasks->len == 0)
    {
      cancel_all_done (job);
      return;
    }

  job->batch_size = tasks->len;
  job->batch_failed = 0;
  job->in_flight = tasks->len;
  for (guint i = 0; i < tasks->len; i++)
    ferry_client_cancel_async (job->self->client,
                               ferry_task_info_get_id (g_ptr_array_index (tasks, i)),
                               job->self->cancellable, cancel_one_cb, job);
}

/* The agent has no CancelAll: list a batch from where the tasks that could
 * not be cancelled end (cancelled ones leave the list), cancel it, repeat
 * until a batch comes back short. */
static void
cancel_all_next (CancelAll *job)
{
  ferry_client_list_async (job->self->client, job->query, job->skipped, CANCEL_BATCH,
                           job->self->cancellable, cancel_all_list_cb, job);
}

static void
on_cancel_all_response (FerryWindow      *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  FerryTaskQuery *query = g_object_get_data (G_OBJECT (dialog), "ferry-query");
  CancelAll *job;

  if (g_strcmp0 (response, "cancel-all") != 0 || self->client == NULL)
    return;

  job = g_new0 (CancelAll, 1);
  job->self = g_object_ref (self);
  job->query = ferry_task_query_ref (query);
  cancel_all_next (job);
}

static AdwMessageDialog *
new_confirmation (FerryWindow   *self,
                  FerryTaskView *view,
                  const char    *heading,
                  const char    *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  g_object_set_data_full (G_OBJECT (dialog), "ferry-query", ferry_task_view_dup_query (view),
                          (GDestroyNotify) ferry_task_query_unref);
  return dialog;
}

static void
retry_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTaskView *view = view_for_kind (self, g_variant_get_string (parameter, NULL));
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  guint n;

  g_return_if_fail (view != NULL);

  n = ferry_task_view_get_n_items (view);
  body = g_strdup_printf (ngettext ("%u change will be sent again, with its attempts counted "
                                    "afresh.",
                                    "%u changes will be sent again, with their attempts counted "
                                    "afresh.", n),
                          n);
  dialog = new_confirmation (self, view, _("Retry All Changes?"), body);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "retry", _("_Retry All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "retry", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "retry");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_retry_all_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  FerryTaskView *view = view_for_kind (self, g_variant_get_string (parameter, NULL));
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  guint n;

  g_return_if_fail (view != NULL);

  n = ferry_task_view_get_n_items (view);
  body = g_strdup_printf (ngettext ("%u change will not be sent. This cannot be undone.",
                                    "%u changes will not be sent. This cannot be undone.", n),
                          n);
  dialog = new_confirmation (self, view, _("Cancel All Changes?"), body);
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Them"),
                                    "cancel-all", _("Cancel _All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-all", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_all_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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
  update_all (self);
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = (FerryWindow *) object;

  finish_cancels (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->last_sync_source_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
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
      set_paused (self, g_value_get_boolean (value));
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
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, history_view);
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

  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.start-agent", NULL, start_agent_action);
  gtk_widget_class_install_action (widget_class, "win.retry-task", "s", retry_task_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-task", "s", cancel_task_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", "s", show_details_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  ferry_conflict_window_install_action (widget_class, "win.resolve-conflict");
  gtk_widget_class_install_action (widget_class, "win.retry-all", "s", retry_all_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-all", "s", cancel_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const kinds[] = { "pending", "failed", "conflicts", "history" };

      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                           "win.show-view", "s", kinds[i]);
    }
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
  width = self->settings != NULL ? g_settings_get_int (self->settings, "window-width") : 900;
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
  return view_for_kind (self, kind);
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
 * @kind: pending, failed, conflicts or history
 */
void
ferry_window_show_view (FerryWindow *self,
                        const char  *kind)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (view_for_kind (self, kind) != NULL);

  self->view_chosen = TRUE;
  adw_view_stack_set_visible_child_name (self->view_stack, kind);
}

/**
 * ferry_window_show_attention:
 * @self: a window
 *
 * Shows the view of what needs the person (conflicts first, then
 * failures), when something does.
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
  ferry_status_snapshot_from_client (&snapshot, self->client);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  if (status->view == NULL)
    return NULL;
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
 * @kind: pending, failed, conflicts or history
 *
 * Returns: the count shown on the view's switcher button
 */
guint
ferry_window_get_view_count (FerryWindow *self,
                             const char  *kind)
{
  AdwViewStackPage *page;

  g_return_val_if_fail (FERRY_IS_WINDOW (self), 0);

  page = adw_view_stack_get_page (self->view_stack, GTK_WIDGET (view_for_kind (self, kind)));
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
