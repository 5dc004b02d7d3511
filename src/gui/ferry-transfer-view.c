/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-client-transfers.h"
#include "ferry-transfer-view.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"

/* Bursts of task signals (a run finishing many at once) ask for one
 * listing. */
#define RELOAD_DELAY_MS 150

/**
 * FerryTransferView:
 *
 * The window's Transfers view: every download and upload going on, then
 * the downloads kept, a row each, from the agent's ListTransfers.  Byte
 * progress arrives from the client's ::transfer-progress signal (already
 * coalesced by the agent) and moves the rows without a new listing; a
 * transfer starting, stopping or ending lists them again.
 */
struct _FerryTransferView
{
  AdwBin parent_instance;

  /* owned */
  FerryClient *client;
  GCancellable *cancellable;   /* the listing in flight */
  GHashTable *rows;            /* id → FerryTransferRow (owned by the list box) */

  /* template children */
  GtkStack *stack;
  GtkListBox *list_box;

  /* state */
  guint reload_id;
  gboolean loading;
  gboolean reload_again;
  guint active_count;
};

G_DEFINE_FINAL_TYPE (FerryTransferView, ferry_transfer_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ACTIVE_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef gboolean (*ActionFinish) (FerryClient   *client,
                                  GAsyncResult  *result,
                                  GError       **error);

typedef struct
{
  FerryTransferView *self;
  ActionFinish       finish;
  const char        *what;
} ActionCall;

static void list_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
set_active_count (FerryTransferView *self,
                  guint              count)
{
  if (self->active_count == count)
    return;
  self->active_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_COUNT]);
}

static void
remove_row (FerryTransferView *self,
            const char        *id)
{
  FerryTransferRow *row = g_hash_table_lookup (self->rows, id);

  if (row == NULL)
    return;
  g_signal_handlers_disconnect_by_data (row, self);
  gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
  g_hash_table_remove (self->rows, id);
}

static void
clear_rows (FerryTransferView *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  /* The keys are freed as the rows go: copy them first. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  for (guint i = 0; i < ids->len; i++)
    remove_row (self, g_ptr_array_index (ids, i));
}

static void
update_page (FerryTransferView *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_hash_table_size (self->rows) > 0 ? "list" : "empty");
}

static void
action_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ActionCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (!call->finish (FERRY_CLIENT (object), result, &error))
    g_signal_emit (call->self, signals[SIGNAL_ERROR], 0, call->what, error);
  ferry_transfer_view_reload (call->self);
  g_object_unref (call->self);
  g_free (call);
}

static void
open_download (FerryTransferView *self,
               FerryTransferInfo *info)
{
  const char *destination = ferry_transfer_info_get_destination (info);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (destination == NULL)
    return;
  file = g_file_new_for_path (destination);
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
on_row_action (FerryTransferView *self,
               const char        *action,
               FerryTransferRow  *row)
{
  FerryTransferInfo *info = ferry_transfer_row_get_info (row);
  const char *id = ferry_transfer_info_get_id (info);
  ActionCall *call;

  if (g_strcmp0 (action, "open") == 0)
    {
      open_download (self, info);
      return;
    }
  if (self->client == NULL)
    return;

  call = g_new0 (ActionCall, 1);
  call->self = g_object_ref (self);
  if (g_strcmp0 (action, "pause") == 0)
    {
      call->finish = ferry_client_pause_transfer_finish;
      call->what = _("Could not pause");
      ferry_client_pause_transfer_async (self->client, id, NULL, action_cb, call);
    }
  else if (g_strcmp0 (action, "resume") == 0)
    {
      call->finish = ferry_client_resume_transfer_finish;
      call->what = _("Could not resume");
      ferry_client_resume_transfer_async (self->client, id, NULL, action_cb, call);
    }
  else
    {
      g_assert (g_strcmp0 (action, "cancel") == 0);
      call->finish = ferry_client_cancel_finish;
      call->what = _("Could not cancel");
      ferry_client_cancel_async (self->client, id, NULL, action_cb, call);
    }
}

static void
add_row (FerryTransferView *self,
         FerryTransferInfo *info)
{
  GtkWidget *row = ferry_transfer_row_new (info);

  g_signal_connect_object (row, "action", G_CALLBACK (on_row_action), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->list_box, row);
  g_hash_table_insert (self->rows, g_strdup (ferry_transfer_info_get_id (info)), row);
}

static gboolean
is_active (FerryTransferInfo *info)
{
  FerryClientTaskState state = ferry_transfer_info_get_state (info);

  return !ferry_transfer_info_get_complete (info) &&
         (state == FERRY_CLIENT_TASK_STATE_PENDING || state == FERRY_CLIENT_TASK_STATE_RUNNING);
}

/* The listing in: rows of transfers gone go, the others show their new
 * facts, new ones are added at the end. */
static void
show_transfers (FerryTransferView *self,
                GPtrArray         *transfers)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  guint active = 0;

  for (guint i = 0; i < transfers->len; i++)
    {
      FerryTransferInfo *info = g_ptr_array_index (transfers, i);
      const char *id = ferry_transfer_info_get_id (info);
      FerryTransferRow *row = g_hash_table_lookup (self->rows, id);

      g_hash_table_add (seen, (gpointer) id);
      if (is_active (info))
        active++;
      if (row != NULL)
        ferry_transfer_row_set_info (row, info);
      else
        add_row (self, info);
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    remove_row (self, g_ptr_array_index (gone, i));
  set_active_count (self, active);
  update_page (self);
}

static void
start_listing (FerryTransferView *self)
{
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->loading = TRUE;
  self->reload_again = FALSE;
  ferry_client_list_transfers_async (self->client, NULL, self->cancellable, list_cb, self);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryTransferView *self;
  g_autoptr(GPtrArray) transfers = NULL;
  g_autoptr(GError) error = NULL;

  transfers = ferry_client_list_transfers_finish (FERRY_CLIENT (object), result, &error);
  /* Cancelled only when the view went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->loading = FALSE;
  if (transfers != NULL)
    show_transfers (self, transfers);
  else
    g_debug ("could not list the transfers: %s", error->message);
  if (self->reload_again)
    start_listing (self);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  FerryTransferView *self = user_data;

  self->reload_id = 0;
  if (self->client == NULL || !ferry_client_get_agent_running (self->client))
    {
      clear_rows (self);
      set_active_count (self, 0);
      update_page (self);
      return G_SOURCE_REMOVE;
    }
  start_listing (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (FerryTransferView *self)
{
  /* A call that ends after dispose asks too: nothing is shown any more. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

static void
on_client_transfer_progress (FerryTransferView *self,
                             const char        *id,
                             const char        *owner,
                             gboolean           upload,
                             gint64             done,
                             gint64             total,
                             guint64            rate)
{
  FerryTransferRow *row = g_hash_table_lookup (self->rows, id);

  if (row == NULL)
    {
      schedule_reload (self);
      return;
    }
  ferry_transfer_info_set_progress (ferry_transfer_row_get_info (row), done, total, rate);
  ferry_transfer_row_update (row);
}

static void
on_client_changed (FerryTransferView *self)
{
  schedule_reload (self);
}

static void
ferry_transfer_view_dispose (GObject *object)
{
  FerryTransferView *self = FERRY_TRANSFER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  /* AdwBin disposes its child, the template's stack, itself. */

  G_OBJECT_CLASS (ferry_transfer_view_parent_class)->dispose (object);
}

static void
ferry_transfer_view_finalize (GObject *object)
{
  FerryTransferView *self = FERRY_TRANSFER_VIEW (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (ferry_transfer_view_parent_class)->finalize (object);
}

static void
ferry_transfer_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FerryTransferView *self = FERRY_TRANSFER_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ACTIVE_COUNT:
      g_value_set_uint (value, self->active_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FerryTransferView *self = FERRY_TRANSFER_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      ferry_transfer_view_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_view_class_init (FerryTransferViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_view_dispose;
  object_class->finalize = ferry_transfer_view_finalize;
  object_class->get_property = ferry_transfer_view_get_property;
  object_class->set_property = ferry_transfer_view_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Downloads and uploads waiting or moving: the view's count. */
  properties[PROP_ACTIVE_COUNT] =
    g_param_spec_uint ("active-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTransferView::error:
   * @self: the view
   * @what: what failed, for a person: "Could not pause"
   * @error: why
   *
   * A person's Pause, Resume or Cancel failed.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               UI_PREFIX "ferry-transfer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferView, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferView, list_box);
}

static void
ferry_transfer_view_init (FerryTransferView *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_page (self);
}

/**
 * ferry_transfer_view_new:
 *
 * Returns: (transfer full): a view without a client, empty
 */
GtkWidget *
ferry_transfer_view_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER_VIEW, NULL);
}

/**
 * ferry_transfer_view_get_client:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the client shown
 */
FerryClient *
ferry_transfer_view_get_client (FerryTransferView *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_VIEW (self), NULL);
  return self->client;
}

/**
 * ferry_transfer_view_set_client:
 * @self: a view
 * @client: (nullable): the client whose agent's transfers to show
 */
void
ferry_transfer_view_set_client (FerryTransferView *self,
                                FerryClient       *client)
{
  g_return_if_fail (FERRY_IS_TRANSFER_VIEW (self));
  g_return_if_fail (client == NULL || FERRY_IS_CLIENT (client));

  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      static const char * const changes[] = {
        "task-added", "task-changed", "agent-appeared", "agent-vanished",
        "notify::agent-running",
      };

      g_signal_connect_object (client, "transfer-progress",
                               G_CALLBACK (on_client_transfer_progress), self,
                               G_CONNECT_SWAPPED);
      for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
        g_signal_connect_object (client, changes[i], G_CALLBACK (on_client_changed), self,
                                 G_CONNECT_SWAPPED);
    }
  ferry_transfer_view_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * ferry_transfer_view_get_active_count:
 * @self: a view
 *
 * Returns: the downloads and uploads waiting or moving
 */
guint
ferry_transfer_view_get_active_count (FerryTransferView *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_VIEW (self), 0);
  return self->active_count;
}

/**
 * ferry_transfer_view_get_n_rows:
 * @self: a view
 *
 * Returns: the rows shown
 */
guint
ferry_transfer_view_get_n_rows (FerryTransferView *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_VIEW (self), 0);
  return g_hash_table_size (self->rows);
}

/**
 * ferry_transfer_view_find_row:
 * @self: a view
 * @id: a transfer's task id
 *
 * Returns: (transfer none) (nullable): its row, when shown
 */
FerryTransferRow *
ferry_transfer_view_find_row (FerryTransferView *self,
                              const char        *id)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_VIEW (self), NULL);
  return g_hash_table_lookup (self->rows, id);
}

/**
 * ferry_transfer_view_reload:
 * @self: a view
 *
 * Lists the transfers again, soon.
 */
void
ferry_transfer_view_reload (FerryTransferView *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER_VIEW (self));
  schedule_reload (self);
}
