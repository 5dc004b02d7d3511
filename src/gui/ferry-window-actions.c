/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-conflict-window.h"
#include "ferry-details-window.h"
#include "ferry-task-format.h"
#include "ferry-collections-view.h"
#include "ferry-window-private.h"

/*
 * The window's actions (win.*): sync now, pause, search, start the agent,
 * and what the rows and the views ask for (retry, cancel with Undo,
 * details, resolve a conflict, retry all, cancel all), with their
 * completions.
 */

/* How long a row's cancel can be undone. */
#define CANCEL_UNDO_SECONDS 8

static void
sync_now_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_sync_now_finish (FERRY_CLIENT (object), result, &error))
    ferry_window_show_error_toast (self, _("Could not start a sync"), error);
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
  ferry_window_show_error_toast (self, _("Could not pause or resume sending"), error);
  /* Show the agent's word again. */
  ferry_window_update_paused (self);
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

/* The Pause toggle (the property action win.pause): says so at once, and
 * asks the agent; a failure shows the agent's word again. */
void
ferry_window_set_paused (FerryWindow *self,
                         gboolean     paused)
{
  if (!ferry_window_store_paused (self, paused))
    return;

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
      ferry_window_update_banner (self);
      ferry_window_update_actions (self);
      return;
    }
  g_clear_pointer (&self->start_error, g_free);
  if (self->confirm_start)
    ferry_window_show_toast (self, _("Ferry’s agent is running"));
  ferry_window_update_all (self);
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

  if (self->starting_agent || ferry_window_agent_running (self))
    return;
  self->confirm_start = confirm;
  self->starting_agent = TRUE;
  ferry_window_update_banner (self);
  ferry_window_update_actions (self);
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
    ferry_window_show_error_toast (self, _("Could not retry the change"), error);
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
    ferry_window_show_error_toast (self, _("Could not cancel the change"), error);
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
void
ferry_window_finish_cancels (FerryWindow *self)
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
resolve_conflict_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->client != NULL)
    ferry_conflict_window_present (GTK_WINDOW (self), self->client,
                                   g_variant_get_string (parameter, NULL));
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
      ferry_window_show_error_toast (self, _("Could not retry the changes"), error);
      return;
    }
  text = g_strdup_printf (ngettext ("%u change will be tried again",
                                    "%u changes will be tried again", count),
                          count);
  ferry_window_show_toast (self, text);
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
cancel_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint count = 0;

  if (!ferry_client_cancel_all_finish (FERRY_CLIENT (object), result, &count, &error))
    {
      ferry_window_show_error_toast (self, _("Could not cancel the changes"), error);
      return;
    }
  text = g_strdup_printf (ngettext ("Cancelled %u change", "Cancelled %u changes", count), count);
  ferry_window_show_toast (self, text);
}

static void
on_cancel_all_response (FerryWindow      *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  FerryTaskQuery *query = g_object_get_data (G_OBJECT (dialog), "ferry-query");

  if (g_strcmp0 (response, "cancel-all") != 0 || self->client == NULL)
    return;
  ferry_client_cancel_all_async (self->client, query, self->cancellable, cancel_all_cb,
                                 g_object_ref (self));
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
  FerryTaskView *view = ferry_window_view_for_kind (self, g_variant_get_string (parameter, NULL));
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
  FerryTaskView *view = ferry_window_view_for_kind (self, g_variant_get_string (parameter, NULL));
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

/* Called from ferry_window_class_init(). */
/* The Collections view, in a window of its own beside the task views. */
static void
show_collections_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GtkWindow) window = ferry_collections_window_new (GTK_WINDOW (self), self->client);

  gtk_window_present (window);
}

void
ferry_window_install_actions (GtkWidgetClass *widget_class)
{
  static const char * const kinds[] = { "pending", "failed", "conflicts", "history" };

  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.show-collections", NULL,
                                   show_collections_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.start-agent", NULL, start_agent_action);
  gtk_widget_class_install_action (widget_class, "win.retry-task", "s", retry_task_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-task", "s", cancel_task_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", "s", show_details_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.resolve-conflict", "s",
                                   resolve_conflict_action);
  gtk_widget_class_install_action (widget_class, "win.retry-all", "s", retry_all_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-all", "s", cancel_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-view", "s", kinds[i]);
}
