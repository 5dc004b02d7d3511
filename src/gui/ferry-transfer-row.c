/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-task-format.h"
#include "ferry-transfer-format.h"
#include "ferry-transfer-row.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"

/**
 * FerryTransferRow:
 *
 * One download or upload in the Transfers view: its name, app and state, a
 * progress bar with the bytes, speed and time left, and the buttons that
 * apply to it now (Pause or Resume, Cancel, Open).  A button only says what
 * the person asked for, through #FerryTransferRow::action; the view does it.
 */
struct _FerryTransferRow
{
  GtkListBoxRow parent_instance;

  /* owned */
  FerryTransferInfo *info;

  /* template children */
  GtkImage *kind_icon;
  GtkLabel *title_label;
  GtkLabel *state_label;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
  GtkButton *pause_button;
  GtkButton *open_button;
  GtkButton *cancel_button;
};

G_DEFINE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_title (FerryTransferInfo *info)
{
  const char *name = ferry_transfer_info_get_name (info);
  const char *destination = ferry_transfer_info_get_destination (info);

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  if (destination != NULL && *destination != '\0')
    return g_path_get_basename (destination);
  return ferry_format_short_url (ferry_transfer_info_get_url (info));
}

static gboolean
can_cancel (FerryTransferInfo *info)
{
  switch (ferry_transfer_info_get_state (info))
    {
    case FERRY_CLIENT_TASK_STATE_PENDING:
    case FERRY_CLIENT_TASK_STATE_RUNNING:
    case FERRY_CLIENT_TASK_STATE_FAILED:
    case FERRY_CLIENT_TASK_STATE_CONFLICT:
    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
      return !ferry_transfer_info_get_complete (info);
    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
    case FERRY_CLIENT_TASK_STATE_CANCELLED:
    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      return FALSE;
    }
}

static gboolean
can_pause (FerryTransferInfo *info)
{
  FerryClientTaskState state = ferry_transfer_info_get_state (info);

  return !ferry_transfer_info_get_complete (info) &&
         (state == FERRY_CLIENT_TASK_STATE_PENDING || state == FERRY_CLIENT_TASK_STATE_RUNNING);
}

static void
set_button_words (GtkButton  *button,
                  const char *icon_name,
                  const char *words)
{
  gtk_button_set_icon_name (button, icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  words, -1);
}

static void
update_buttons (FerryTransferRow *self)
{
  FerryTransferInfo *info = self->info;
  gboolean paused = ferry_transfer_info_get_paused (info);

  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), can_pause (info));
  if (paused)
    set_button_words (self->pause_button, "media-playback-start-symbolic", _("Resume"));
  else
    set_button_words (self->pause_button, "media-playback-pause-symbolic", _("Pause"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), can_cancel (info));
  set_button_words (self->cancel_button, "process-stop-symbolic", _("Cancel"));
  gtk_widget_set_visible (GTK_WIDGET (self->open_button),
                          ferry_transfer_info_get_complete (info) &&
                          ferry_transfer_info_get_destination (info) != NULL);
  set_button_words (self->open_button, "document-open-symbolic", _("Open"));
}

static void
emit_action (FerryTransferRow *self,
             const char       *action)
{
  if (self->info != NULL)
    g_signal_emit (self, signals[SIGNAL_ACTION], 0, action);
}

static void
on_pause_button_clicked (FerryTransferRow *self)
{
  emit_action (self, ferry_transfer_info_get_paused (self->info) ? "resume" : "pause");
}

static void
on_open_button_clicked (FerryTransferRow *self)
{
  emit_action (self, "open");
}

static void
on_cancel_button_clicked (FerryTransferRow *self)
{
  emit_action (self, "cancel");
}

static void
ferry_transfer_row_dispose (GObject *object)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_ROW);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (ferry_transfer_row_parent_class)->dispose (object);
}

static void
ferry_transfer_row_class_init (FerryTransferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_row_dispose;

  /**
   * FerryTransferRow::action:
   * @self: the row
   * @action: what the person asked for: "pause", "resume", "cancel" or
   *   "open"
   */
  signals[SIGNAL_ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, UI_PREFIX "ferry-transfer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked);
}

static void
ferry_transfer_row_init (FerryTransferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_transfer_row_new:
 * @info: the transfer to show
 *
 * Returns: (transfer full): a new row
 */
GtkWidget *
ferry_transfer_row_new (FerryTransferInfo *info)
{
  FerryTransferRow *self;

  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (info), NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER_ROW, NULL);
  ferry_transfer_row_set_info (self, info);
  return GTK_WIDGET (self);
}

/**
 * ferry_transfer_row_get_info:
 * @self: a row
 *
 * Returns: (transfer none): the transfer shown
 */
FerryTransferInfo *
ferry_transfer_row_get_info (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);
  return self->info;
}

/**
 * ferry_transfer_row_set_info:
 * @self: a row
 * @info: the transfer to show (newer facts about the same one, or another)
 */
void
ferry_transfer_row_set_info (FerryTransferRow  *self,
                             FerryTransferInfo *info)
{
  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));
  g_return_if_fail (FERRY_IS_TRANSFER_INFO (info));

  g_set_object (&self->info, info);
  ferry_transfer_row_update (self);
}

/**
 * ferry_transfer_row_update:
 * @self: a row
 *
 * Shows the transfer's facts again, after its progress changed.
 */
void
ferry_transfer_row_update (FerryTransferRow *self)
{
  FerryTransferInfo *info;
  g_autofree char *title = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *progress = NULL;
  g_autoptr(GIcon) app_icon = NULL;
  gint64 done;
  gint64 total;
  gboolean moving;

  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));

  info = self->info;
  done = ferry_transfer_info_get_done (info);
  total = ferry_transfer_info_get_total (info);
  moving = ferry_transfer_info_get_state (info) == FERRY_CLIENT_TASK_STATE_RUNNING &&
           !ferry_transfer_info_get_paused (info);

  title = dup_title (info);
  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label),
                               ferry_transfer_info_get_url (info));
  gtk_image_set_from_icon_name (self->kind_icon, ferry_transfer_info_is_upload (info)
                                ? "send-to-symbolic" : "folder-download-symbolic");

  ferry_lookup_app (ferry_transfer_info_get_owner (info), &app_name, &app_icon);
  /* Translators: the app a transfer is for, and what it does: "Notes · Paused" */
  state_text = g_strdup_printf (_("%s · %s"), app_name, ferry_transfer_format_state (info));
  gtk_label_set_label (self->state_label, state_text);

  progress = ferry_transfer_format_progress (done, total,
                                             moving ? ferry_transfer_info_get_rate (info) : 0);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, ferry_transfer_info_get_complete (info)
                                 ? 1.0 : ferry_transfer_fraction (done, total));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  update_buttons (self);
}

/**
 * ferry_transfer_row_get_fraction:
 * @self: a row
 *
 * Returns: how far its progress bar goes, 0 to 1
 */
double
ferry_transfer_row_get_fraction (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress_bar);
}
