/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collections-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-collection-details.h"
#include "ferry-collections-view.h"

/*
 * The Collections view: one row per collection the agent syncs, with its
 * app, name and server, its state in words ("Synced 3 minutes ago",
 * "Pulling 2,300 of 10,000", "3 records could not be sent"), a progress
 * bar during runs, Sync now, and its details (the row or its arrow).  Rows follow their collection live; the
 * list is read again whenever the view is shown.
 */

struct _FerryCollectionsView
{
  AdwBin        parent_instance;

  /* owned */
  FerryClient  *client;
  GCancellable *cancellable;
  GPtrArray    *collections;   /* FerryCollection*, in the list's order */

  /* template children */
  GtkStack     *stack;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (FerryCollectionsView, ferry_collections_view, ADW_TYPE_BIN)

/* "2,300": a count as people read it. */
static char *
format_count (guint count)
{
  return g_strdup_printf ("%'u", count);
}

static char *
describe_age (gint64 when,
              gint64 now)
{
  gint64 minutes = (now - when) / (60 * G_USEC_PER_SEC);

  if (minutes < 1)
    return g_strdup (_("Synced just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d minute ago",
                                         "Synced %d minutes ago", minutes), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d hour ago",
                                         "Synced %d hours ago", minutes / 60),
                            (int) (minutes / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d day ago",
                                       "Synced %d days ago", minutes / (24 * 60)),
                          (int) (minutes / (24 * 60)));
}

/**
 * ferry_describe_collection:
 * @collection: a collection
 * @now: the time to count ages from (µs since the epoch)
 *
 * Returns: (transfer full): where it stands, in words
 */
char *
ferry_describe_collection (FerryCollection *collection,
                           gint64           now)
{
  const char *state = ferry_collection_get_state (collection);
  const char *phase = ferry_collection_get_phase (collection);
  guint failed = ferry_collection_get_failed_count (collection);
  guint conflicts = ferry_collection_get_conflict_count (collection);
  guint dirty = ferry_collection_get_dirty_count (collection);
  guint total, synced;

  if (g_str_equal (state, "syncing"))
    {
      g_autofree char *done = NULL;
      g_autofree char *all = NULL;

      ferry_collection_get_progress (collection, &total, &synced, NULL);
      done = format_count (synced);
      all = format_count (total);
      if (g_str_equal (phase, "push"))
        /* Translators: documents sent so far, of all to send. */
        return g_strdup_printf (_("Sending %s of %s"), done, all);
      if (g_str_equal (phase, "pull"))
        /* Translators: documents received so far, of all expected. */
        return g_strdup_printf (_("Pulling %s of %s"), done, all);
      return g_strdup (_("Syncing"));
    }
  if (failed > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record could not be sent",
                                         "%u records could not be sent", failed), failed);
  if (conflicts > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record needs a decision",
                                         "%u records need a decision", conflicts), conflicts);
  if (g_str_equal (state, "error"))
    return g_strdup (_("Could not sync; trying again"));
  if (g_str_equal (state, "offline"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline — %u change waiting",
                                         "Offline — %u changes waiting", dirty), dirty);
  if (g_str_equal (state, "paused"))
    return g_strdup (_("Paused"));
  if (dirty > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting",
                                         "%u changes waiting", dirty), dirty);
  if (ferry_collection_get_last_sync_time (collection) > 0)
    return describe_age (ferry_collection_get_last_sync_time (collection), now);
  return g_strdup (_("Not synced yet"));
}

static void
update_row (GtkWidget       *row,
            FerryCollection *collection)
{
  GtkLabel *state = g_object_get_data (G_OBJECT (row), "state");
  GtkProgressBar *bar = g_object_get_data (G_OBJECT (row), "progress");
  g_autofree char *text = ferry_describe_collection (collection, g_get_real_time ());
  g_autofree char *subtitle = NULL;
  guint total, synced;

  gtk_label_set_label (state, text);
  ferry_collection_get_progress (collection, &total, &synced, NULL);
  gtk_widget_set_visible (GTK_WIDGET (bar),
                          g_str_equal (ferry_collection_get_state (collection), "syncing"));
  gtk_progress_bar_set_fraction (bar, total > 0 ? MIN ((double) synced / total, 1.0) : 0.0);
  /* Translators: the app a collection belongs to, and its server. */
  subtitle = g_strdup_printf (_("%s · %s"), ferry_collection_get_app (collection),
                              ferry_collection_get_host (collection));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
on_collection_notify (FerryCollection *collection,
                      GParamSpec      *pspec,
                      GtkWidget       *row)
{
  update_row (row, collection);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_collection_sync_finish (FERRY_COLLECTION (object), result, &error))
    g_debug ("Sync now of a collection: %s", error->message);
}

static void
on_sync_clicked (GtkButton       *button,
                 FerryCollection *collection)
{
  ferry_collection_sync_async (collection, NULL, sync_cb, NULL);
}

static void
on_details_clicked (GtkButton       *button,
                    FerryCollection *collection)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  g_autoptr(GtkWindow) details = NULL;

  details = ferry_collection_details_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          collection);
  gtk_window_present (details);
}

static GtkWidget *
make_row (FerryCollection *collection)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *state = gtk_label_new (NULL);
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *sync = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *details;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ferry_collection_get_name (collection));
  gtk_label_set_xalign (GTK_LABEL (state), 1);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  gtk_box_append (GTK_BOX (box), state);
  gtk_box_append (GTK_BOX (box), bar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_widget_set_valign (sync, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (sync, _("Sync Now"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sync), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sync now"), -1);
  gtk_widget_add_css_class (sync, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sync);
  g_signal_connect_object (sync, "clicked", G_CALLBACK (on_sync_clicked), collection, 0);
  details = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_valign (details, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (details, _("Details"));
  gtk_widget_add_css_class (details, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), details);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), details);
  g_signal_connect_object (details, "clicked", G_CALLBACK (on_details_clicked), collection, 0);
  g_object_set_data (G_OBJECT (row), "state", state);
  g_object_set_data (G_OBJECT (row), "progress", bar);
  g_signal_connect_object (collection, "notify", G_CALLBACK (on_collection_notify), row, 0);
  update_row (row, collection);
  return row;
}

static void
clear_rows (FerryCollectionsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_ptr_array_set_size (self->collections, 0);
}

static void
collection_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FerryCollectionsView *self = user_data;
  g_autoptr(FerryCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = ferry_collection_new_finish (result, &error);
  if (collection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Reading a collection: %s", error->message);
      return;
    }
  g_ptr_array_add (self->collections, g_object_ref (collection));
  gtk_list_box_append (self->list_box, make_row (collection));
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryCollectionsView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;

  paths = ferry_client_list_collections_finish (FERRY_CLIENT (object), result, &error);
  if (paths == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Listing collections: %s", error->message);
      return;
    }
  clear_rows (self);
  gtk_stack_set_visible_child_name (self->stack, paths[0] != NULL ? "list" : "empty");
  for (guint i = 0; paths[i] != NULL; i++)
    ferry_collection_new_async (self->client, paths[i], self->cancellable, collection_cb, self);
}

static void
ferry_collections_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ferry_collections_view_parent_class)->map (widget);
  ferry_collections_view_reload (FERRY_COLLECTIONS_VIEW (widget));
}

static void
ferry_collections_view_dispose (GObject *object)
{
  FerryCollectionsView *self = FERRY_COLLECTIONS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->collections, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_collections_view_parent_class)->dispose (object);
}

static void
ferry_collections_view_class_init (FerryCollectionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_collections_view_dispose;
  widget_class->map = ferry_collections_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/"
                                               "ferry-collections-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionsView, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionsView, list_box);
}

static void
ferry_collections_view_init (FerryCollectionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->collections = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ferry_collections_view_set_client:
 * @self: a view
 * @client: the agent's client
 */
void
ferry_collections_view_set_client (FerryCollectionsView *self,
                                   FerryClient          *client)
{
  g_return_if_fail (FERRY_IS_COLLECTIONS_VIEW (self));

  g_set_object (&self->client, client);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ferry_collections_view_reload (self);
}

/**
 * ferry_collections_view_reload:
 * @self: a view
 *
 * Reads the list of collections again.
 */
void
ferry_collections_view_reload (FerryCollectionsView *self)
{
  g_return_if_fail (FERRY_IS_COLLECTIONS_VIEW (self));

  if (self->client == NULL)
    return;
  /* Only the latest listing fills the rows. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ferry_client_list_collections_async (self->client, self->cancellable, list_cb, self);
}

/**
 * ferry_collections_view_get_count:
 * @self: a view
 *
 * Returns: how many collections it shows
 */
guint
ferry_collections_view_get_count (FerryCollectionsView *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTIONS_VIEW (self), 0);

  return self->collections->len;
}

/**
 * ferry_collections_window_new:
 * @parent: (nullable): the window it belongs to
 * @client: the agent's client
 *
 * Returns: (transfer full): a window showing the Collections view
 */
GtkWindow *
ferry_collections_window_new (GtkWindow   *parent,
                              FerryClient *client)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  FerryCollectionsView *view = g_object_new (FERRY_TYPE_COLLECTIONS_VIEW, NULL);

  gtk_window_set_title (GTK_WINDOW (window), _("Collections"));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_widget_set_vexpand (GTK_WIDGET (view), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  adw_window_set_content (ADW_WINDOW (window), box);
  ferry_collections_view_set_client (view, client);
  return g_object_ref_sink (GTK_WINDOW (window));
}
