/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-conflict-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ferry-task-format.h"
#include "ferry-conflict-window-private.h"

/**
 * FerryConflictWindow:
 *
 * Settles one task, or one record of a collection, in conflict.  For
 * JSON objects it lists the top-level members with the base, the local
 * change and the server's copy side by side, lets the person keep mine or
 * the server's per member, and shows the document those choices make,
 * which Send Merged sends.  Any body can be settled whole with Keep Mine
 * or Keep Server's.  It fetches the task
 * (or the record) with `Get`, and again whenever the agent says it
 * changed, so a conflict settled elsewhere shows as such.
 */

G_DEFINE_FINAL_TYPE (FerryConflictWindow, ferry_conflict_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TASK_ID,
  PROP_COLLECTION,
  PROP_DOCUMENT_ID,
  PROP_INFO,
  PROP_IN_CONFLICT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
bytes_equal (GBytes *a,
             GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

void
ferry_conflict_window_update_actions (FerryConflictWindow *self)
{
  gboolean can = self->loaded && self->in_conflict && !self->resolving;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep-mine", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep-server", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.send-merged",
                                 can && self->model != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->members), can);
  /* Only documents compared member by member can be merged. */
  gtk_widget_set_visible (self->send_merged_button, !self->loaded || self->model != NULL);
}

static void
update_result (FerryConflictWindow *self)
{
  g_autofree char *document = NULL;

  if (self->model == NULL)
    return;
  document = ferry_conflict_model_dup_document (self->model);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->result_view), document, -1);
}

static void
on_members_choice_changed (FerryConflictWindow  *self,
                           guint                 index,
                           FerryConflictSide     side,
                           FerryConflictMembers *members)
{
  if (self->model == NULL)
    return;
  ferry_conflict_model_set_choice (self->model, index, side);
  update_result (self);
}

static void
show_text (GtkTextView *view,
           const char  *content_type,
           GBytes      *body)
{
  g_autofree char *text = NULL;

  if (body == NULL || g_bytes_get_size (body) == 0)
    text = g_strdup (_("(empty)"));
  else if (!ferry_body_is_text (content_type, body))
    {
      g_autofree char *size = g_format_size (g_bytes_get_size (body));

      /* Translators: %s is a size such as "2.1 kB" */
      text = g_strdup_printf (_("%s that is not text, so not shown"), size);
    }
  else
    text = ferry_format_body_preview (body, FERRY_BODY_PREVIEW_BYTES);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static const char *
response_content_type (FerryTaskInfo *info)
{
  const char * const *headers = ferry_task_info_get_response_headers (info);
  const char *content_type = NULL;

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    if (g_ascii_strcasecmp (headers[i], "Content-Type") == 0)
      content_type = headers[i + 1];
  return content_type != NULL ? content_type : ferry_task_info_get_content_type (info);
}

static const char *
describe_settled (FerryClientTaskState state)
{
  switch (state)
    {
    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
      return _("This conflict has been resolved elsewhere, and the change is done.");
    case FERRY_CLIENT_TASK_STATE_PENDING:
    case FERRY_CLIENT_TASK_STATE_RUNNING:
      return _("This conflict has been resolved elsewhere, and the change is being sent.");
    case FERRY_CLIENT_TASK_STATE_CANCELLED:
      return _("This change has been cancelled, so there is nothing left to resolve.");
    case FERRY_CLIENT_TASK_STATE_FAILED:
    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
    case FERRY_CLIENT_TASK_STATE_CONFLICT:
    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      return _("This change is no longer in conflict.");
    }
}

/* Builds the comparison again only when the documents changed, so the
 * choices made survive a reload for another reason (attempts, times). */
/* What the two whole-copy buttons do depends on what became of the
 * server's copy: when it was deleted there, keeping mine creates it again
 * and keeping the server's drops the change. */
void
ferry_conflict_window_label_choices (FerryConflictWindow *self,
                                     gboolean             deleted)
{
  gtk_widget_set_tooltip_text (self->keep_mine_button,
                               deleted ? _("Create the document again from my change")
                                       : _("Send my whole change over the server’s copy"));
  gtk_widget_set_tooltip_text (self->keep_server_button,
                               deleted ? _("Drop my change: the document stays deleted")
                                       : _("Drop my change and keep the server’s copy"));
}

/* A server's copy that is not there to compare: deleted there, or not
 * fetched. */
void
ferry_conflict_window_show_missing (FerryConflictWindow *self,
                                    gboolean             deleted,
                                    const char          *mine_type,
                                    GBytes              *mine)
{
  show_text (self->mine_text_view, mine_type, mine);
  if (deleted)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->server_text_view),
                                _("(deleted on the server)"), -1);
      gtk_label_set_text (self->explanation_label,
                          _("The document was deleted on the server after this change was made, "
                            "so the change was not sent. Keep Mine creates it again from your "
                            "change; Keep Server’s drops your change."));
    }
  else
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->server_text_view),
                                _("(the server’s copy could not be fetched)"), -1);
      gtk_label_set_text (self->explanation_label,
                          _("The server refused this change because its copy changed, but that "
                            "copy could not be fetched to compare. Keep Mine sends your change "
                            "again; Keep Server’s drops it."));
    }
  gtk_stack_set_visible_child_name (self->mode_stack, "text");
}

/* Base, mine and the server's side by side: member by member when all
 * are JSON objects, else as whole copies. */
void
ferry_conflict_window_compare (FerryConflictWindow *self,
                               GBytes              *base,
                               GBytes              *mine,
                               const char          *mine_type,
                               GBytes              *server,
                               const char          *server_type)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->model, ferry_conflict_model_free);
  self->model = ferry_conflict_model_new (base, mine, server, &error);
  if (self->model != NULL)
    {
      ferry_conflict_members_show (self->members, self->model);
      update_result (self);
      gtk_label_set_text (self->explanation_label,
                          _("The server’s copy changed after this change was made, so the change "
                            "was not sent. Choose which version to keep for each member, or keep "
                            "one whole copy."));
      gtk_stack_set_visible_child_name (self->mode_stack, "json");
    }
  else
    {
      g_debug ("Comparing as text: %s", error->message);
      show_text (self->mine_text_view, mine_type, mine);
      show_text (self->server_text_view, server_type, server);
      gtk_label_set_text (self->explanation_label,
                          _("The server’s copy changed after this change was made, so the change "
                            "was not sent. Choose which whole copy to keep."));
      gtk_stack_set_visible_child_name (self->mode_stack, "text");
    }
}

static void
show_documents (FerryConflictWindow *self,
                FerryTaskInfo       *old_info)
{
  FerryTaskInfo *info = self->info;
  GBytes *mine = ferry_task_info_get_body (info);
  GBytes *server = ferry_task_info_get_response_body (info);
  GBytes *base = ferry_task_info_get_base (info);
  FerryClientServerCopy copy = ferry_task_info_get_server_copy (info);

  ferry_conflict_window_label_choices (self, copy == FERRY_CLIENT_SERVER_COPY_DELETED);
  if (old_info != NULL
      && copy == ferry_task_info_get_server_copy (old_info)
      && bytes_equal (mine, ferry_task_info_get_body (old_info))
      && bytes_equal (server, ferry_task_info_get_response_body (old_info))
      && bytes_equal (base, ferry_task_info_get_base (old_info)))
    return;

  if (copy != FERRY_CLIENT_SERVER_COPY_PRESENT &&
      ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_CONFLICT)
    {
      g_clear_pointer (&self->model, ferry_conflict_model_free);
      ferry_conflict_window_show_missing (self, copy == FERRY_CLIENT_SERVER_COPY_DELETED,
                                          ferry_task_info_get_content_type (info), mine);
      return;
    }
  ferry_conflict_window_compare (self, base, mine, ferry_task_info_get_content_type (info),
                                 server, response_content_type (info));
}

/* Shows whether it still waits for a decision. */
void
ferry_conflict_window_set_in_conflict (FerryConflictWindow *self,
                                       gboolean             in_conflict)
{
  self->loaded = TRUE;
  if (self->in_conflict != in_conflict)
    {
      self->in_conflict = in_conflict;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CONFLICT]);
    }
  ferry_conflict_window_update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "conflict");
}

static void
show_task (FerryConflictWindow *self,
           FerryTaskInfo       *old_info)
{
  FerryTaskInfo *info = self->info;
  FerryClientTaskState state = ferry_task_info_get_state (info);
  const char *name = ferry_task_info_get_name (info);
  const char *last_error = ferry_task_info_get_last_error (info);
  gboolean in_conflict = state == FERRY_CLIENT_TASK_STATE_CONFLICT;

  if (name != NULL && *name != '\0')
    adw_window_title_set_subtitle (self->window_title, name);
  else
    {
      g_autofree char *short_url = ferry_format_short_url (ferry_task_info_get_url (info));
      g_autofree char *subtitle = g_strdup_printf ("%s %s", ferry_task_info_get_method (info),
                                                   short_url);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }

  if (last_error != NULL && *last_error != '\0' && in_conflict)
    {
      /* Translators: %s is the agent's technical reason, such as
       * "conflict: changed on both sides: /title" */
      g_autofree char *text = g_strdup_printf (_("Reason: %s"), last_error);

      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  gtk_label_set_text (self->resolved_label, in_conflict ? "" : describe_settled (state));
  gtk_widget_set_visible (GTK_WIDGET (self->resolved_label), !in_conflict);

  show_documents (self, old_info);
  ferry_conflict_window_set_in_conflict (self, in_conflict);
}

static void
on_loader_loaded (FerryConflictWindow *self,
                  FerryTaskInfo       *info,
                  FerryTaskLoader     *loader)
{
  g_autoptr(FerryTaskInfo) old_info = g_steal_pointer (&self->info);

  self->info = g_object_ref (info);
  show_task (self, old_info);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
}

static void
on_loader_failed (FerryConflictWindow *self,
                  const GError        *error,
                  FerryTaskLoader     *loader)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  g_clear_object (&self->info);
  self->loaded = FALSE;
  ferry_conflict_window_update_actions (self);
}

/* The agent's answer to a decision: done closes the window; a refusal
 * is said, and what the agent has now shown. */
void
ferry_conflict_window_resolved (FerryConflictWindow *self,
                                gboolean             done,
                                const GError        *error)
{
  g_autofree char *text = NULL;

  if (done)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->resolving = FALSE;
  /* Translators: %s says why */
  text = g_strdup_printf (_("Could not resolve the conflict: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  ferry_conflict_window_update_actions (self);
  /* It may have been settled meanwhile: show what the agent has now. */
  if (self->collection != NULL)
    {
      ferry_conflict_window_document_load (self);
      return;
    }
  ferry_task_loader_set_follow_changes (self->loader, TRUE);
  ferry_task_loader_load (self->loader);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryConflictWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = ferry_client_resolve_finish (FERRY_CLIENT (object), result, &error);

  ferry_conflict_window_resolved (self, done, error);
}

static void
resolve (FerryConflictWindow      *self,
         FerryClientResolveChoice  choice,
         GBytes                   *body)
{
  if (self->resolving)
    return;
  self->resolving = TRUE;
  if (self->collection != NULL)
    {
      ferry_conflict_window_update_actions (self);
      ferry_conflict_window_document_resolve (self,
                                              choice == FERRY_CLIENT_RESOLVE_LOCAL ? "local"
                                              : choice == FERRY_CLIENT_RESOLVE_REMOTE ? "remote"
                                              : "merged", body);
      return;
    }
  /* While our own answer is on its way the window is about to close; a
   * reload would only flash "resolved elsewhere". */
  ferry_task_loader_set_follow_changes (self->loader, FALSE);
  ferry_conflict_window_update_actions (self);
  ferry_client_resolve_async (self->client, self->task_id, choice, body, self->cancellable,
                              resolve_cb, g_object_ref (self));
}

static void
conflict_keep_mine (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  resolve (FERRY_CONFLICT_WINDOW (widget), FERRY_CLIENT_RESOLVE_LOCAL, NULL);
}

static void
conflict_keep_server (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  resolve (FERRY_CONFLICT_WINDOW (widget), FERRY_CLIENT_RESOLVE_REMOTE, NULL);
}

static void
conflict_send_merged (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FerryConflictWindow *self = FERRY_CONFLICT_WINDOW (widget);
  g_autoptr(GBytes) body = NULL;
  char *document;

  if (self->model == NULL)
    return;
  document = ferry_conflict_model_dup_document (self->model);
  body = g_bytes_new_take (document, strlen (document));
  resolve (self, FERRY_CLIENT_RESOLVE_BODY, body);
}

static void
ferry_conflict_window_constructed (GObject *object)
{
  FerryConflictWindow *self = (FerryConflictWindow *) object;

  G_OBJECT_CLASS (ferry_conflict_window_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));
  g_assert (self->task_id != NULL || (self->collection != NULL && self->doc_id != NULL));

  if (self->collection != NULL)
    {
      ferry_conflict_window_document_follow (self);
      return;
    }
  self->loader = ferry_task_loader_start (self->client, self->task_id, G_CALLBACK (on_loader_loaded),
                                          G_CALLBACK (on_loader_failed), self);
}

static void
ferry_conflict_window_dispose (GObject *object)
{
  FerryConflictWindow *self = (FerryConflictWindow *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->loader != NULL)
    g_signal_handlers_disconnect_by_data (self->loader, self);
  g_clear_object (&self->loader);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_CONFLICT_WINDOW);
  g_clear_object (&self->client);
  g_clear_object (&self->info);
  if (self->collection != NULL)
    g_signal_handlers_disconnect_by_data (self->collection, self);
  g_clear_object (&self->collection);
  g_clear_pointer (&self->document, g_variant_unref);
  g_clear_pointer (&self->model, ferry_conflict_model_free);

  G_OBJECT_CLASS (ferry_conflict_window_parent_class)->dispose (object);
}

static void
ferry_conflict_window_finalize (GObject *object)
{
  FerryConflictWindow *self = (FerryConflictWindow *) object;

  g_clear_object (&self->cancellable);
  g_free (self->task_id);
  g_free (self->doc_id);

  G_OBJECT_CLASS (ferry_conflict_window_parent_class)->finalize (object);
}

static void
ferry_conflict_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FerryConflictWindow *self = FERRY_CONFLICT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;
    case PROP_DOCUMENT_ID:
      g_value_set_string (value, self->doc_id);
      break;
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    case PROP_IN_CONFLICT:
      g_value_set_boolean (value, self->in_conflict);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_conflict_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FerryConflictWindow *self = FERRY_CONFLICT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_TASK_ID:
      self->task_id = g_value_dup_string (value);
      break;
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;
    case PROP_DOCUMENT_ID:
      self->doc_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_conflict_window_class_init (FerryConflictWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ferry_conflict_window_constructed;
  object_class->dispose = ferry_conflict_window_dispose;
  object_class->finalize = ferry_conflict_window_finalize;
  object_class->get_property = ferry_conflict_window_get_property;
  object_class->set_property = ferry_conflict_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryConflictWindow:collection:
   *
   * The collection of the record in conflict, %NULL for a task.
   */
  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL, FERRY_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT_ID] =
    g_param_spec_string ("document-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryConflictWindow:info:
   *
   * The task as last fetched, %NULL until it arrives.
   */
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, FERRY_TYPE_TASK_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * FerryConflictWindow:in-conflict:
   *
   * Whether the task, as last fetched, still waits in conflict.
   */
  properties[PROP_IN_CONFLICT] =
    g_param_spec_boolean ("in-conflict", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FERRY_TYPE_CONFLICT_MEMBERS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/ferry-conflict-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, resolved_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, members);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, result_view);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, mine_text_view);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, server_text_view);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, keep_mine_button);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, keep_server_button);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictWindow, send_merged_button);
  gtk_widget_class_bind_template_callback (widget_class, on_members_choice_changed);

  gtk_widget_class_install_action (widget_class, "conflict.keep-mine", NULL, conflict_keep_mine);
  gtk_widget_class_install_action (widget_class, "conflict.keep-server", NULL,
                                   conflict_keep_server);
  gtk_widget_class_install_action (widget_class, "conflict.send-merged", NULL,
                                   conflict_send_merged);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
ferry_conflict_window_init (FerryConflictWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  ferry_conflict_window_update_actions (self);
}

/**
 * ferry_conflict_window_new:
 * @client: the client
 * @task_id: a task in conflict
 *
 * Returns: (transfer floating): a window that starts fetching the task
 */
GtkWidget *
ferry_conflict_window_new (FerryClient *client,
                           const char  *task_id)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  return g_object_new (FERRY_TYPE_CONFLICT_WINDOW, "client", client, "task-id", task_id, NULL);
}

const char *
ferry_conflict_window_get_task_id (FerryConflictWindow *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_WINDOW (self), NULL);
  return self->task_id;
}

/**
 * ferry_conflict_window_get_info:
 * @self: a conflict window
 *
 * Returns: (transfer none) (nullable): the task as last fetched
 */
FerryTaskInfo *
ferry_conflict_window_get_info (FerryConflictWindow *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_WINDOW (self), NULL);
  return self->info;
}

/**
 * ferry_conflict_window_get_model:
 * @self: a conflict window
 *
 * Returns: (transfer none) (nullable): the members and choices shown, or
 *   %NULL until the task arrives or when the bodies are not both JSON
 *   objects
 */
FerryConflictModel *
ferry_conflict_window_get_model (FerryConflictWindow *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_WINDOW (self), NULL);
  return self->model;
}

gboolean
ferry_conflict_window_get_in_conflict (FerryConflictWindow *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_WINDOW (self), FALSE);
  return self->in_conflict;
}

/**
 * ferry_conflict_window_dup_result:
 * @self: a conflict window
 *
 * Returns: (transfer full): the text under "Will Be Sent"
 */
char *
ferry_conflict_window_dup_result (FerryConflictWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;
  GtkTextIter end;

  g_return_val_if_fail (FERRY_IS_CONFLICT_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->result_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
