/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-task-format.h"
#include "ferry-task-row.h"

/**
 * FerryTaskRow:
 *
 * One task in a list: the app, the request, the name, the priority, the
 * attempts, when the next retry is and the last error, with Resolve (for a
 * conflict), Retry, Cancel and Details buttons.  The row follows its #FerryTaskInfo, which the task
 * list fills in when its page arrives and updates in place.  While it is
 * shown and counts down to a retry it holds the shared #FerryTicker.
 */
struct _FerryTaskRow
{
  GtkWidget parent_instance;

  /* owned */
  FerryTaskInfo *info;
  FerryTicker *ticker;

  /* template children */
  GtkWidget *box;
  GtkImage *app_icon;
  GtkLabel *name_label;
  GtkLabel *priority_label;
  GtkLabel *detail_label;
  GtkLabel *status_label;
  GtkLabel *error_label;
  GtkWidget *resolve_button;
  GtkWidget *retry_button;
  GtkWidget *cancel_button;
  GtkWidget *details_button;

  /* state */
  gulong tick_handler;
  char *priority_class;
};

G_DEFINE_FINAL_TYPE (FerryTaskRow, ferry_task_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_INFO,
  PROP_TICKER,
  PROP_TICKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_ticking (FerryTaskRow *self);

static gboolean
info_is_loaded (FerryTaskRow *self)
{
  return self->info != NULL && ferry_task_info_get_loaded (self->info);
}

/* A pending task waiting for its next attempt counts down. */
static gboolean
needs_countdown (FerryTaskRow *self)
{
  return info_is_loaded (self)
         && ferry_task_info_get_state (self->info) == FERRY_CLIENT_TASK_STATE_PENDING
         && ferry_task_info_get_next_attempt (self->info) > g_get_real_time ();
}

static char *
format_attempts (FerryTaskInfo *info)
{
  guint attempts = ferry_task_info_get_attempts (info);
  guint max_attempts = ferry_task_info_get_max_attempts (info);

  if (attempts == 0)
    return NULL;
  if (max_attempts == 0)
    return g_strdup_printf (ngettext ("%u attempt", "%u attempts", attempts), attempts);
  /* Translators: attempts made of the attempts allowed */
  return g_strdup_printf (ngettext ("%u of %u attempt", "%u of %u attempts", max_attempts),
                          attempts, max_attempts);
}

static char *
format_pending (FerryTaskInfo *info,
                gint64         now)
{
  g_autofree char *attempts = format_attempts (info);
  g_autofree char *countdown = NULL;
  g_autofree char *when = NULL;
  gint64 next_attempt = ferry_task_info_get_next_attempt (info);
  gint64 not_before = ferry_task_info_get_not_before (info);

  if (next_attempt > now && ferry_task_info_get_last_error (info) != NULL)
    {
      g_autofree char *reason = ferry_format_error (FERRY_CLIENT_TASK_STATE_PENDING,
                                                    ferry_task_info_get_last_status (info),
                                                    ferry_task_info_get_last_error (info));

      /* Waiting after a failure worth retrying: why, and when it is tried
       * again (the attempts are in the details). */
      countdown = ferry_format_countdown (next_attempt, now);
      /* Translators: why the last attempt failed, and a countdown such as
       * "in 4 min" */
      return g_strdup_printf (_("%s — next try %s"), reason, countdown);
    }
  if (next_attempt > now)
    {
      countdown = ferry_format_countdown (next_attempt, now);
      /* Translators: %s is a countdown such as "in 32 s" */
      when = g_strdup_printf (_("next try %s"), countdown);
    }
  else if (not_before > now)
    {
      g_autofree char *stamp = ferry_format_timestamp (not_before);

      /* Translators: %s is a date and time */
      when = g_strdup_printf (_("not before %s"), stamp);
    }

  if (attempts != NULL && when != NULL)
    return g_strdup_printf ("%s · %s", attempts, when);
  if (attempts != NULL)
    return g_strdup_printf (_("%s · due now"), attempts);
  if (when != NULL)
    /* Translators: %s is "next try in 32 s" or "not before <date>" */
    return g_strdup_printf (_("Waiting, %s"), when);
  return g_strdup (_("Waiting to be sent"));
}

static char *
format_status_line (FerryTaskInfo *info,
                    gint64         now)
{
  g_autofree char *ago = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *code = NULL;
  guint n;

  switch (ferry_task_info_get_state (info))
    {
    case FERRY_CLIENT_TASK_STATE_PENDING:
      return format_pending (info, now);

    case FERRY_CLIENT_TASK_STATE_RUNNING:
      attempts = format_attempts (info);
      if (attempts != NULL)
        return g_strdup_printf (_("Sending… · %s"), attempts);
      return g_strdup (_("Sending…"));

    case FERRY_CLIENT_TASK_STATE_FAILED:
      n = ferry_task_info_get_attempts (info);
      if (n == 0)
        return g_strdup (_("Failed"));
      return g_strdup_printf (ngettext ("Failed after %u attempt", "Failed after %u attempts", n),
                              n);

    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
      return g_strdup (_("Waiting for you to sign in"));

    case FERRY_CLIENT_TASK_STATE_CONFLICT:
      return g_strdup (_("Waiting for you to choose a version"));

    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
      ago = ferry_format_time_ago (ferry_task_info_get_updated (info), now);
      if (ferry_task_info_get_response_status (info) == 0)
        /* Translators: %s is a time such as "2 minutes ago" */
        return g_strdup_printf (_("Delivered %s"), ago);
      code = ferry_format_http_status (ferry_task_info_get_response_status (info));
      /* Translators: %s are a time such as "2 minutes ago" and an HTTP
       * status such as "201 Created" */
      return g_strdup_printf (_("Delivered %s (%s)"), ago, code);

    case FERRY_CLIENT_TASK_STATE_CANCELLED:
      ago = ferry_format_time_ago (ferry_task_info_get_updated (info), now);
      /* Translators: %s is a time such as "2 minutes ago" */
      return g_strdup_printf (_("Cancelled %s"), ago);

    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      return g_strdup ("");
    }
}

static void
set_priority_class (FerryTaskRow *self,
                    const char   *css_class)
{
  if (g_strcmp0 (self->priority_class, css_class) == 0)
    return;
  if (self->priority_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), self->priority_class);
  g_free (self->priority_class);
  self->priority_class = g_strdup (css_class);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_label), css_class);
}

static void
update_status (FerryTaskRow *self)
{
  g_autofree char *status = NULL;

  if (!info_is_loaded (self))
    {
      gtk_label_set_label (self->status_label, "");
      return;
    }
  status = format_status_line (self->info, g_get_real_time ());
  gtk_label_set_label (self->status_label, status);
}

/* What the row offers: the actions, and the buttons for those that have
 * one. */
static void
set_actions (FerryTaskRow *self,
             gboolean      can_resolve,
             gboolean      can_retry,
             gboolean      can_cancel,
             gboolean      can_show_details)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.resolve", can_resolve);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.retry", can_retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.cancel", can_cancel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.details", can_show_details);
  gtk_widget_set_visible (self->resolve_button, can_resolve);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->cancel_button, can_cancel);
}

static void
set_actions_for_state (FerryTaskRow         *self,
                       FerryClientTaskState  state)
{
  gboolean can_retry = FALSE;
  gboolean can_cancel = FALSE;

  switch (state)
    {
    case FERRY_CLIENT_TASK_STATE_FAILED:
    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
      can_retry = TRUE;
      can_cancel = TRUE;
      break;
    case FERRY_CLIENT_TASK_STATE_PENDING:
    case FERRY_CLIENT_TASK_STATE_CONFLICT:
      can_cancel = TRUE;
      break;
    case FERRY_CLIENT_TASK_STATE_RUNNING:
    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
    case FERRY_CLIENT_TASK_STATE_CANCELLED:
    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      break;
    }
  set_actions (self, state == FERRY_CLIENT_TASK_STATE_CONFLICT, can_retry, can_cancel, TRUE);
}

static void
update_row (FerryTaskRow *self)
{
  g_autofree char *app_name = NULL;
  g_autofree char *short_url = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  g_autofree char *error = NULL;
  g_autoptr(GIcon) icon = NULL;
  FerryClientTaskState state;
  FerryClientPriority priority;
  const char *priority_text;
  const char *name;
  gboolean loaded = info_is_loaded (self);

  if (!loaded)
    {
      gtk_image_set_from_icon_name (self->app_icon, "content-loading-symbolic");
      gtk_label_set_label (self->name_label, _("Loading…"));
      gtk_label_set_label (self->detail_label, "");
      gtk_label_set_label (self->error_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->priority_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      set_actions (self, FALSE, FALSE, FALSE, FALSE);
      update_status (self);
      return;
    }

  state = ferry_task_info_get_state (self->info);
  priority = ferry_task_info_get_priority (self->info);

  ferry_lookup_app (ferry_task_info_get_owner (self->info), &app_name, &icon);
  gtk_image_set_from_gicon (self->app_icon, icon);

  short_url = ferry_format_short_url (ferry_task_info_get_url (self->info));
  /* A task without a name is known by its request; the line below then
   * needs only the app. */
  name = ferry_task_info_get_name (self->info);
  if (name != NULL && *name != '\0')
    {
      title = g_strdup (name);
      /* Translators: app name · HTTP method and short URL */
      detail = g_strdup_printf (_("%s · %s %s"), app_name,
                                ferry_task_info_get_method (self->info), short_url);
    }
  else
    {
      title = g_strdup_printf ("%s %s", ferry_task_info_get_method (self->info), short_url);
      detail = g_strdup (app_name);
    }
  gtk_label_set_label (self->name_label, title);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label),
                               ferry_task_info_get_url (self->info));

  priority_text = ferry_format_priority (priority);
  gtk_widget_set_visible (GTK_WIDGET (self->priority_label), priority_text != NULL);
  if (priority_text != NULL)
    gtk_label_set_label (self->priority_label, priority_text);
  set_priority_class (self, priority == FERRY_CLIENT_PRIORITY_LOW ? "priority-low"
                            : priority == FERRY_CLIENT_PRIORITY_HIGH ? "priority-high"
                            : priority == FERRY_CLIENT_PRIORITY_CRITICAL ? "priority-critical"
                            : NULL);

  /* A pending task's status line says why it waits already. */
  if (state != FERRY_CLIENT_TASK_STATE_CANCELLED && state != FERRY_CLIENT_TASK_STATE_PENDING)
    error = ferry_format_error (state,
                                ferry_task_info_get_last_status (self->info),
                                ferry_task_info_get_last_error (self->info));
  gtk_label_set_label (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label),
                               ferry_task_info_get_last_error (self->info));

  set_actions_for_state (self, state);
  update_status (self);
}

static void
on_ticker_tick (FerryTaskRow *self,
                FerryTicker  *ticker)
{
  update_status (self);
  update_ticking (self);
}

static void
update_ticking (FerryTaskRow *self)
{
  gboolean want = self->ticker != NULL && gtk_widget_get_mapped (GTK_WIDGET (self))
                  && needs_countdown (self);
  gboolean ticking = self->tick_handler != 0;

  if (want == ticking)
    return;

  if (want)
    {
      self->tick_handler = g_signal_connect_swapped (self->ticker, "tick",
                                                     G_CALLBACK (on_ticker_tick), self);
      ferry_ticker_hold (self->ticker);
    }
  else
    {
      g_clear_signal_handler (&self->tick_handler, self->ticker);
      ferry_ticker_release (self->ticker);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKING]);
}

static void
on_info_changed (FerryTaskRow  *self,
                 GParamSpec    *pspec,
                 FerryTaskInfo *info)
{
  update_row (self);
  update_ticking (self);
}

static void
activate_with_id (FerryTaskRow *self,
                  const char   *action)
{
  if (!info_is_loaded (self))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), action, "s",
                              ferry_task_info_get_id (self->info));
}

static void
row_resolve (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  activate_with_id (FERRY_TASK_ROW (widget), "win.resolve-conflict");
}

static void
row_retry (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  activate_with_id (FERRY_TASK_ROW (widget), "win.retry-task");
}

static void
row_cancel (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  activate_with_id (FERRY_TASK_ROW (widget), "win.cancel-task");
}

static void
row_details (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  activate_with_id (FERRY_TASK_ROW (widget), "win.show-details");
}

static void
ferry_task_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ferry_task_row_parent_class)->map (widget);
  update_ticking (FERRY_TASK_ROW (widget));
}

static void
ferry_task_row_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ferry_task_row_parent_class)->unmap (widget);
  update_ticking (FERRY_TASK_ROW (widget));
}

static void
ferry_task_row_dispose (GObject *object)
{
  FerryTaskRow *self = (FerryTaskRow *) object;

  if (self->tick_handler != 0)
    {
      g_clear_signal_handler (&self->tick_handler, self->ticker);
      ferry_ticker_release (self->ticker);
    }
  if (self->info != NULL)
    g_signal_handlers_disconnect_by_data (self->info, self);
  g_clear_object (&self->info);
  g_clear_object (&self->ticker);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TASK_ROW);

  G_OBJECT_CLASS (ferry_task_row_parent_class)->dispose (object);
}

static void
ferry_task_row_finalize (GObject *object)
{
  FerryTaskRow *self = (FerryTaskRow *) object;

  g_free (self->priority_class);

  G_OBJECT_CLASS (ferry_task_row_parent_class)->finalize (object);
}

static void
ferry_task_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryTaskRow *self = FERRY_TASK_ROW (object);

  switch (prop_id)
    {
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    case PROP_TICKER:
      g_value_set_object (value, self->ticker);
      break;
    case PROP_TICKING:
      g_value_set_boolean (value, self->tick_handler != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryTaskRow *self = FERRY_TASK_ROW (object);

  switch (prop_id)
    {
    case PROP_INFO:
      ferry_task_row_set_info (self, g_value_get_object (value));
      break;
    case PROP_TICKER:
      self->ticker = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_row_class_init (FerryTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_task_row_dispose;
  object_class->finalize = ferry_task_row_finalize;
  object_class->get_property = ferry_task_row_get_property;
  object_class->set_property = ferry_task_row_set_property;

  widget_class->map = ferry_task_row_map;
  widget_class->unmap = ferry_task_row_unmap;

  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, FERRY_TYPE_TASK_INFO,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKER] =
    g_param_spec_object ("ticker", NULL, NULL, FERRY_TYPE_TICKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKING] =
    g_param_spec_boolean ("ticking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/ferry-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, box);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, app_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, priority_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskRow, details_button);

  gtk_widget_class_install_action (widget_class, "row.resolve", NULL, row_resolve);
  gtk_widget_class_install_action (widget_class, "row.retry", NULL, row_retry);
  gtk_widget_class_install_action (widget_class, "row.cancel", NULL, row_cancel);
  gtk_widget_class_install_action (widget_class, "row.details", NULL, row_details);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ferrytaskrow");
}

static void
ferry_task_row_init (FerryTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_row (self);
}

/**
 * ferry_task_row_new:
 * @ticker: (nullable): the clock for countdowns
 *
 * Returns: (transfer floating): a row showing nothing yet
 */
GtkWidget *
ferry_task_row_new (FerryTicker *ticker)
{
  g_return_val_if_fail (ticker == NULL || FERRY_IS_TICKER (ticker), NULL);

  return g_object_new (FERRY_TYPE_TASK_ROW, "ticker", ticker, NULL);
}

/**
 * ferry_task_row_get_info:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the task the row shows
 */
FerryTaskInfo *
ferry_task_row_get_info (FerryTaskRow *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_ROW (self), NULL);
  return self->info;
}

/**
 * ferry_task_row_set_info:
 * @self: a row
 * @info: (nullable): the task to show; the row follows its changes
 */
void
ferry_task_row_set_info (FerryTaskRow  *self,
                         FerryTaskInfo *info)
{
  g_return_if_fail (FERRY_IS_TASK_ROW (self));
  g_return_if_fail (info == NULL || FERRY_IS_TASK_INFO (info));

  if (self->info == info)
    return;

  if (self->info != NULL)
    g_signal_handlers_disconnect_by_data (self->info, self);
  g_set_object (&self->info, info);
  if (info != NULL)
    {
      /* "updated" moves with every change of the task; "loaded" when its
       * page first arrives. */
      g_signal_connect_object (info, "notify::updated", G_CALLBACK (on_info_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (info, "notify::loaded", G_CALLBACK (on_info_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (info, "notify::state", G_CALLBACK (on_info_changed), self,
                               G_CONNECT_SWAPPED);
    }

  update_row (self);
  update_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
}

/**
 * ferry_task_row_get_ticker:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the row's clock
 */
FerryTicker *
ferry_task_row_get_ticker (FerryTaskRow *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_ROW (self), NULL);
  return self->ticker;
}

/**
 * ferry_task_row_get_ticking:
 * @self: a row
 *
 * Returns: whether the row holds its ticker to count down to a retry
 */
gboolean
ferry_task_row_get_ticking (FerryTaskRow *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_ROW (self), FALSE);
  return self->tick_handler != 0;
}
