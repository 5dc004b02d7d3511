/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-details-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-conflict-window.h"
#include "ferry-task-format.h"
#include "ferry-task-loader.h"
#include "ferry-details-window.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"

/**
 * FerryDetailsWindow:
 *
 * Everything about one task: the request (method, URL, headers with
 * credentials hidden, body size and a preview of a text body), the last
 * response, the error, the times and the ids.  It fetches the whole task
 * with `Get` and fetches it again whenever the agent says it changed.
 */
struct _FerryDetailsWindow
{
  AdwWindow parent_instance;

  /* owned */
  FerryClient *client;
  char *id;
  FerryTaskInfo *info;
  FerryTaskLoader *loader;
  GCancellable *cancellable;
  GPtrArray *rows;              /* (GtkWidget *, its group) pairs added for the task */
  GString *text;                /* what the rows say, for copying */

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  AdwStatusPage *error_page;
  AdwPreferencesGroup *request_group;
  AdwPreferencesGroup *request_headers_group;
  AdwPreferencesGroup *request_body_group;
  GtkWidget *request_body_frame;
  GtkTextView *request_body_view;
  AdwPreferencesGroup *response_group;
  AdwPreferencesGroup *response_headers_group;
  AdwPreferencesGroup *response_body_group;
  GtkWidget *response_body_frame;
  GtkTextView *response_body_view;
  AdwPreferencesGroup *error_group;
  AdwPreferencesGroup *times_group;
  AdwPreferencesGroup *ids_group;
  AdwPreferencesGroup *conflict_group;
};

G_DEFINE_FINAL_TYPE (FerryDetailsWindow, ferry_details_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ID,
  PROP_INFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_rows (FerryDetailsWindow *self)
{
  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->rows, i + 1),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_string_truncate (self->text, 0);
}

/* A row with a small title above a value that can be selected and
 * copied; long values (URLs, ids) wrap. */
static void
add_field (FerryDetailsWindow  *self,
           AdwPreferencesGroup *group,
           const char          *title,
           const char          *value)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *title_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "dim-label");
  gtk_widget_add_css_class (title_label, "caption");
  gtk_box_append (GTK_BOX (box), title_label);

  value_label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_box_append (GTK_BOX (box), value_label);

  /* A preferences row, so that the group puts it in its boxed list. */
  row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);

  g_string_append_printf (self->text, "%s: %s\n", title, value);
}

static void
add_time (FerryDetailsWindow  *self,
          AdwPreferencesGroup *group,
          const char          *title,
          gint64               when)
{
  g_autofree char *text = NULL;

  if (when <= 0)
    return;
  text = ferry_format_timestamp (when);
  add_field (self, group, title, text);
}

static gboolean
name_in (const char         *name,
         const char * const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* Returns whether any header was shown. */
static gboolean
add_headers (FerryDetailsWindow  *self,
             AdwPreferencesGroup *group,
             const char * const  *headers,
             const char * const  *hidden)
{
  FerryTaskInfo *info = self->info;
  gboolean any = FALSE;

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      const char *name = headers[i];
      const char *value = headers[i + 1];

      /* Credentials stay hidden whatever the agent sent. */
      if (ferry_task_info_header_is_secret (info, name) || name_in (name, hidden))
        value = _("Hidden");
      else if (*value == '\0')
        value = _("(empty)");
      add_field (self, group, name, value);
      any = TRUE;
    }
  return any;
}

static void
show_body (FerryDetailsWindow  *self,
           AdwPreferencesGroup *group,
           GtkWidget           *frame,
           GtkTextView         *view,
           const char          *content_type,
           GBytes              *body,
           guint64              size)
{
  g_autofree char *size_text = NULL;
  g_autofree char *description = NULL;
  gboolean text = ferry_body_is_text (content_type, body);

  if (size == 0 && body != NULL)
    size = g_bytes_get_size (body);

  if (size == 0)
    {
      adw_preferences_group_set_description (group, _("No body"));
      gtk_widget_set_visible (frame, FALSE);
      return;
    }

  size_text = g_format_size (size);
  if (content_type != NULL && *content_type != '\0')
    /* Translators: a body's size and content type, "1.2 kB, application/json" */
    description = g_strdup_printf (_("%s, %s"), size_text, content_type);
  else
    description = g_strdup (size_text);
  if (!text)
    {
      g_autofree char *plain = g_steal_pointer (&description);

      /* Translators: %s is the body's size and type */
      description = g_strdup_printf (_("%s — not text, so not shown"), plain);
    }
  adw_preferences_group_set_description (group, description);
  gtk_widget_set_visible (frame, text);

  if (text)
    {
      g_autofree char *preview = ferry_format_body_preview (body, FERRY_BODY_PREVIEW_BYTES);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), preview, -1);
      g_string_append_printf (self->text, "%s\n", preview);
    }
}

/* What went wrong, first: it is what the person came for. */
static void
show_what_happened (FerryDetailsWindow *self)
{
  FerryTaskInfo *info = self->info;
  FerryClientTaskState state = ferry_task_info_get_state (info);
  g_autofree char *error = NULL;
  g_autofree char *attempts = NULL;

  error = ferry_format_error (state, ferry_task_info_get_last_status (info),
                              ferry_task_info_get_last_error (info));
  add_field (self, self->error_group, _("What happened"), error);
  add_field (self, self->error_group, _("Last error"), ferry_task_info_get_last_error (info));
  if (ferry_task_info_get_last_status (info) != 0)
    {
      g_autofree char *last_status = NULL;

      last_status = ferry_format_http_status (ferry_task_info_get_last_status (info));

      add_field (self, self->error_group, _("Last status"), last_status);
    }
  if (ferry_task_info_get_max_attempts (info) > 0)
    /* Translators: attempts made of attempts allowed */
    attempts = g_strdup_printf (_("%u of %u"), ferry_task_info_get_attempts (info),
                                ferry_task_info_get_max_attempts (info));
  else
    attempts = g_strdup_printf ("%u", ferry_task_info_get_attempts (info));
  add_field (self, self->error_group, _("Attempts"), attempts);
  if (ferry_task_info_get_failing_since (info) > 0 && state == FERRY_CLIENT_TASK_STATE_PENDING)
    {
      add_time (self, self->error_group, _("Failing since"),
                ferry_task_info_get_failing_since (info));
      add_time (self, self->error_group, _("Next try"), ferry_task_info_get_next_attempt (info));
    }
}

static void
show_request (FerryDetailsWindow *self,
              const char         *app)
{
  FerryTaskInfo *info = self->info;
  gboolean any;

  add_field (self, self->request_group, _("Method"), ferry_task_info_get_method (info));
  add_field (self, self->request_group, _("URL"), ferry_task_info_get_url (info));
  add_field (self, self->request_group, _("App"), app);
  add_field (self, self->request_group, _("Name"), ferry_task_info_get_name (info));
  add_field (self, self->request_group, _("Group"), ferry_task_info_get_group (info));
  add_field (self, self->request_group, _("Priority"),
             ferry_describe_priority (ferry_task_info_get_priority (info)));
  add_field (self, self->request_group, _("State"),
             ferry_describe_state (ferry_task_info_get_state (info)));
  add_field (self, self->request_group, _("If-Match"), ferry_task_info_get_if_match (info));
  add_field (self, self->request_group, _("On a conflict"),
             ferry_describe_strategy (ferry_task_info_get_conflict_strategy (info)));
  if (ferry_task_info_get_unmetered_only (info))
    add_field (self, self->request_group, _("Network"), _("Only sent on unmetered networks"));

  any = add_headers (self, self->request_headers_group, ferry_task_info_get_headers (info),
                     ferry_task_info_get_hidden_headers (info));
  adw_preferences_group_set_description (self->request_headers_group,
                                         any ? NULL : _("No headers"));
  show_body (self, self->request_body_group, self->request_body_frame, self->request_body_view,
             ferry_task_info_get_content_type (info), ferry_task_info_get_body (info),
             ferry_task_info_get_body_size (info));
}

static void
show_response (FerryDetailsWindow *self)
{
  FerryTaskInfo *info = self->info;
  guint response_status = ferry_task_info_get_response_status (info);
  const char * const *headers = ferry_task_info_get_response_headers (info);
  const char *content_type = NULL;
  g_autofree char *status = NULL;
  gboolean any;

  gtk_widget_set_visible (GTK_WIDGET (self->response_group), response_status != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->response_headers_group), response_status != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->response_body_group), response_status != 0);
  if (response_status == 0)
    return;

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    if (g_ascii_strcasecmp (headers[i], "Content-Type") == 0)
      content_type = headers[i + 1];

  status = ferry_format_http_status (response_status);
  add_field (self, self->response_group, _("Status"), status);
  any = add_headers (self, self->response_headers_group, headers, NULL);
  adw_preferences_group_set_description (self->response_headers_group,
                                         any ? NULL : _("No headers"));
  show_body (self, self->response_body_group, self->response_body_frame,
             self->response_body_view, content_type,
             ferry_task_info_get_response_body (info), 0);
}

/* When, and which. */
static void
show_times_and_ids (FerryDetailsWindow *self)
{
  FerryTaskInfo *info = self->info;

  add_time (self, self->times_group, _("Created"), ferry_task_info_get_created (info));
  add_time (self, self->times_group, _("Updated"), ferry_task_info_get_updated (info));
  if (ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_PENDING)
    add_time (self, self->times_group, _("Next attempt"), ferry_task_info_get_next_attempt (info));
  add_time (self, self->times_group, _("Not before"), ferry_task_info_get_not_before (info));
  add_time (self, self->times_group, _("Expires"), ferry_task_info_get_expires (info));

  add_field (self, self->ids_group, _("Task id"), ferry_task_info_get_id (info));
  add_field (self, self->ids_group, _("Idempotency key"),
             ferry_task_info_get_idempotency_key (info));
}

static void
update_actions (FerryDetailsWindow   *self,
                FerryClientTaskState  state)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.retry",
                                 state == FERRY_CLIENT_TASK_STATE_FAILED
                                 || state == FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.cancel",
                                 state == FERRY_CLIENT_TASK_STATE_PENDING
                                 || state == FERRY_CLIENT_TASK_STATE_FAILED
                                 || state == FERRY_CLIENT_TASK_STATE_CONFLICT
                                 || state == FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.compare",
                                 state == FERRY_CLIENT_TASK_STATE_CONFLICT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.keep-local",
                                 state == FERRY_CLIENT_TASK_STATE_CONFLICT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.keep-remote",
                                 state == FERRY_CLIENT_TASK_STATE_CONFLICT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy", TRUE);
}

static void
show_task (FerryDetailsWindow *self)
{
  FerryTaskInfo *info = self->info;
  FerryClientTaskState state = ferry_task_info_get_state (info);
  g_autofree char *app_name = NULL;
  g_autofree char *app = NULL;
  g_autofree char *short_url = NULL;
  const char *owner = ferry_task_info_get_owner (info);
  const char *name = ferry_task_info_get_name (info);

  clear_rows (self);

  ferry_lookup_app (owner, &app_name, NULL);
  if (g_strcmp0 (app_name, owner) != 0)
    app = g_strdup_printf ("%s (%s)", app_name, owner);
  else
    app = g_strdup (owner);
  short_url = ferry_format_short_url (ferry_task_info_get_url (info));
  adw_window_title_set_subtitle (self->window_title,
                                 name != NULL && *name != '\0' ? name : short_url);

  show_what_happened (self);
  show_request (self, app);
  show_response (self);
  show_times_and_ids (self);

  gtk_widget_set_visible (GTK_WIDGET (self->conflict_group),
                          state == FERRY_CLIENT_TASK_STATE_CONFLICT);
  update_actions (self, state);
  gtk_stack_set_visible_child_name (self->stack, "details");
}

static void
on_loader_loaded (FerryDetailsWindow *self,
                  FerryTaskInfo      *info,
                  FerryTaskLoader    *loader)
{
  g_set_object (&self->info, info);
  show_task (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
}

static void
on_loader_failed (FerryDetailsWindow *self,
                  const GError       *error,
                  FerryTaskLoader    *loader)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
report_failure (FerryDetailsWindow *self,
                gboolean            ok,
                const GError       *error)
{
  g_autofree char *text = NULL;

  if (ok || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->toast_overlay == NULL)
    return;
  /* Translators: %s says why */
  text = g_strdup_printf (_("Could not change the task: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
retry_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ferry_client_retry_finish (FERRY_CLIENT (object), result, &error);

  report_failure (self, ok, error);
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FerryDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ferry_client_cancel_finish (FERRY_CLIENT (object), result, &error);

  report_failure (self, ok, error);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ferry_client_resolve_finish (FERRY_CLIENT (object), result, &error);

  report_failure (self, ok, error);
}

static void
details_retry (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);

  ferry_client_retry_async (self->client, self->id, self->cancellable, retry_cb,
                            g_object_ref (self));
}

static void
details_cancel (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);

  ferry_client_cancel_async (self->client, self->id, self->cancellable, cancel_cb,
                             g_object_ref (self));
}

static void
details_keep_local (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);

  ferry_client_resolve_async (self->client, self->id, FERRY_CLIENT_RESOLVE_LOCAL, NULL,
                              self->cancellable, resolve_cb, g_object_ref (self));
}

static void
details_keep_remote (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);

  ferry_client_resolve_async (self->client, self->id, FERRY_CLIENT_RESOLVE_REMOTE, NULL,
                              self->cancellable, resolve_cb, g_object_ref (self));
}

static void
details_compare (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);

  ferry_conflict_window_present (GTK_WINDOW (self), self->client, self->id);
}

static void
details_copy (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (widget);
  g_autofree char *text = ferry_details_window_dup_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
ferry_details_window_constructed (GObject *object)
{
  FerryDetailsWindow *self = (FerryDetailsWindow *) object;

  G_OBJECT_CLASS (ferry_details_window_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));
  g_assert (self->id != NULL);

  self->loader = ferry_task_loader_start (self->client, self->id, G_CALLBACK (on_loader_loaded),
                                          G_CALLBACK (on_loader_failed), self);
}

static void
ferry_details_window_dispose (GObject *object)
{
  FerryDetailsWindow *self = (FerryDetailsWindow *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->loader != NULL)
    g_signal_handlers_disconnect_by_data (self->loader, self);
  g_clear_object (&self->loader);
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_DETAILS_WINDOW);
  g_clear_object (&self->client);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (ferry_details_window_parent_class)->dispose (object);
}

static void
ferry_details_window_finalize (GObject *object)
{
  FerryDetailsWindow *self = (FerryDetailsWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_string_free (self->text, TRUE);
  g_free (self->id);

  G_OBJECT_CLASS (ferry_details_window_parent_class)->finalize (object);
}

static void
ferry_details_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_details_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FerryDetailsWindow *self = FERRY_DETAILS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_details_window_class_init (FerryDetailsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ferry_details_window_constructed;
  object_class->dispose = ferry_details_window_dispose;
  object_class->finalize = ferry_details_window_finalize;
  object_class->get_property = ferry_details_window_get_property;
  object_class->set_property = ferry_details_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryDetailsWindow:info:
   *
   * The task as last fetched, %NULL until it arrives.
   */
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, FERRY_TYPE_TASK_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, UI_PREFIX "ferry-details-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, request_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, request_headers_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, request_body_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, request_body_frame);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, request_body_view);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, response_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, response_headers_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, response_body_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, response_body_frame);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, response_body_view);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, error_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, times_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, ids_group);
  gtk_widget_class_bind_template_child (widget_class, FerryDetailsWindow, conflict_group);

  gtk_widget_class_install_action (widget_class, "details.retry", NULL, details_retry);
  gtk_widget_class_install_action (widget_class, "details.cancel", NULL, details_cancel);
  gtk_widget_class_install_action (widget_class, "details.keep-local", NULL, details_keep_local);
  gtk_widget_class_install_action (widget_class, "details.keep-remote", NULL,
                                   details_keep_remote);
  gtk_widget_class_install_action (widget_class, "details.compare", NULL, details_compare);
  gtk_widget_class_install_action (widget_class, "details.copy", NULL, details_copy);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
ferry_details_window_init (FerryDetailsWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->text = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.compare", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.keep-local", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.keep-remote", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy", FALSE);
}

/**
 * ferry_details_window_new:
 * @client: the client
 * @id: the task to show
 *
 * Returns: (transfer floating): a window that starts fetching the task
 */
GtkWidget *
ferry_details_window_new (FerryClient *client,
                          const char  *id)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (FERRY_TYPE_DETAILS_WINDOW, "client", client, "id", id, NULL);
}

const char *
ferry_details_window_get_id (FerryDetailsWindow *self)
{
  g_return_val_if_fail (FERRY_IS_DETAILS_WINDOW (self), NULL);
  return self->id;
}

/**
 * ferry_details_window_get_info:
 * @self: a details window
 *
 * Returns: (transfer none) (nullable): the task as last fetched
 */
FerryTaskInfo *
ferry_details_window_get_info (FerryDetailsWindow *self)
{
  g_return_val_if_fail (FERRY_IS_DETAILS_WINDOW (self), NULL);
  return self->info;
}

/**
 * ferry_details_window_dup_text:
 * @self: a details window
 *
 * Returns: (transfer full): what the window shows, as "Title: value"
 *   lines followed by the body previews; what Copy puts on the clipboard
 */
char *
ferry_details_window_dup_text (FerryDetailsWindow *self)
{
  g_return_val_if_fail (FERRY_IS_DETAILS_WINDOW (self), NULL);
  return g_strdup (self->text->str);
}
