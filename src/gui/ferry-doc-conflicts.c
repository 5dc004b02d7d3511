/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-doc-conflicts"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-conflict-window.h"
#include "ferry-task-view.h"
#include "ferry-doc-conflicts.h"

/*
 * The records of collections that wait for a decision, at the top of the
 * Conflicts view, beside the tasks in conflict: a row per record saying
 * which app and collection it belongs to, opening the same resolution
 * window as a task.  The list is read again when a collection's count of
 * conflicts changes (or collections come and go), not on every step of a
 * run.  While records wait and no task does, the task list's "No
 * conflicts" gives way to them.
 */

#define MAX_PER_COLLECTION 200

struct _FerryDocConflicts
{
  AdwBin              parent_instance;

  /* owned */
  FerryClient        *client;
  FerryCollectionSet *collections;
  GtkWidget          *task_view;
  GCancellable       *cancellable;   /* the reading going on */
  GPtrArray          *found;         /* Found*, of the reading going on */
  char               *key;           /* the counts the rows were read for */

  /* template children */
  GtkLabel           *heading;
  GtkListBox         *list_box;

  /* state */
  guint               count;
  guint               waiting;       /* replies of the reading still to come */
};

G_DEFINE_FINAL_TYPE (FerryDocConflicts, ferry_doc_conflicts, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  FerryCollection *collection;
  GVariant        *documents;   /* aa{sv}, NULL when it could not be read */
} Found;

static void
found_free (Found *found)
{
  g_clear_object (&found->collection);
  g_clear_pointer (&found->documents, g_variant_unref);
  g_free (found);
}

/* One List call: its reading's Found* (kept alive by it) and where its
 * answer goes.  @self is only touched when the call was not cancelled,
 * which dispose and every new reading do. */
typedef struct
{
  FerryDocConflicts *self;
  GPtrArray         *batch;
  guint              index;
} Reply;

static void
reply_free (Reply *reply)
{
  g_ptr_array_unref (reply->batch);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static GtkWidget *
make_row (FerryCollection *collection,
          const char      *doc_id)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), doc_id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: the app a record belongs to, then its collection */
  subtitle = g_strdup_printf (_("%s · %s"), ferry_collection_get_app (collection),
                              ferry_collection_get_name (collection));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Resolve this record’s conflict"));
  g_object_set_data_full (G_OBJECT (row), "collection", g_object_ref (collection),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "doc-id", g_strdup (doc_id), g_free);
  return row;
}

static void
update_task_view (FerryDocConflicts *self)
{
  gboolean empty;

  if (self->task_view == NULL)
    return;
  empty = g_strcmp0 (ferry_task_view_get_page (FERRY_TASK_VIEW (self->task_view)), "empty") == 0;
  gtk_widget_set_visible (self->task_view, !(empty && self->count > 0));
  /* Alone, the records take the whole view. */
  gtk_widget_set_vexpand (GTK_WIDGET (self), empty && self->count > 0);
}

/* All replies are in: the rows become what they said. */
static void
show_found (FerryDocConflicts *self)
{
  GtkWidget *child;
  guint count = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < self->found->len; i++)
    {
      Found *found = g_ptr_array_index (self->found, i);
      GVariantIter iter;
      const char *doc_id;
      GVariant *doc;

      if (found->documents == NULL)
        continue;
      g_variant_iter_init (&iter, found->documents);
      while ((doc = g_variant_iter_next_value (&iter)) != NULL)
        {
          if (g_variant_lookup (doc, "id", "&s", &doc_id))
            {
              gtk_list_box_append (self->list_box, make_row (found->collection, doc_id));
              count++;
            }
          g_variant_unref (doc);
        }
    }
  gtk_label_set_label (self->heading, "");
  if (count > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u record needs a decision",
                                                         "%u records need a decision", count),
                                               count);

      gtk_label_set_label (self->heading, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), count > 0);
  if (self->count != count)
    {
      self->count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
  update_task_view (self);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  Found *found = g_ptr_array_index (reply->batch, reply->index);
  g_autoptr(GError) error = NULL;

  found->documents = ferry_collection_list_finish (FERRY_COLLECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Listing the conflicts of %s: %s", ferry_collection_get_name (found->collection),
             error->message);
  if (--reply->self->waiting == 0)
    show_found (reply->self);
}

/* "path=count;…" of the collections with records in conflict. */
static char *
dup_counts_key (FerryDocConflicts *self)
{
  GPtrArray *collections = ferry_collection_set_get_collections (self->collections);
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < collections->len; i++)
    {
      FerryCollection *collection = g_ptr_array_index (collections, i);
      guint conflicts = ferry_collection_get_conflict_count (collection);

      if (conflicts > 0)
        g_string_append_printf (key, "%s=%u;", ferry_collection_get_path (collection),
                                conflicts);
    }
  return g_string_free (key, FALSE);
}

static void
reload (FerryDocConflicts *self)
{
  GPtrArray *collections = ferry_collection_set_get_collections (self->collections);
  g_autofree char *key = dup_counts_key (self);
  GVariantBuilder filter;

  if (g_strcmp0 (key, self->key) == 0)
    return;
  g_free (self->key);
  self->key = g_steal_pointer (&key);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->found, g_ptr_array_unref);
  self->found = g_ptr_array_new_with_free_func ((GDestroyNotify) found_free);
  self->waiting = 0;
  for (guint i = 0; i < collections->len; i++)
    {
      FerryCollection *collection = g_ptr_array_index (collections, i);
      Reply *reply;
      Found *found;

      if (ferry_collection_get_conflict_count (collection) == 0)
        continue;
      found = g_new0 (Found, 1);
      found->collection = g_object_ref (collection);
      reply = g_new0 (Reply, 1);
      reply->self = self;
      reply->batch = g_ptr_array_ref (self->found);
      reply->index = self->found->len;
      g_ptr_array_add (self->found, found);
      g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&filter, "{sv}", "conflict", g_variant_new_boolean (TRUE));
      ferry_collection_list_async (collection, g_variant_builder_end (&filter), 0,
                                   MAX_PER_COLLECTION, self->cancellable, list_cb, reply);
      self->waiting++;
    }
  if (self->waiting == 0)
    show_found (self);
}

static void
on_row_activated (FerryDocConflicts *self,
                  GtkListBoxRow     *row)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  ferry_conflict_window_present_document (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          self->client,
                                          g_object_get_data (G_OBJECT (row), "collection"),
                                          g_object_get_data (G_OBJECT (row), "doc-id"));
}

static void
ferry_doc_conflicts_dispose (GObject *object)
{
  FerryDocConflicts *self = FERRY_DOC_CONFLICTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->collections != NULL)
    g_signal_handlers_disconnect_by_data (self->collections, self);
  if (self->task_view != NULL)
    g_signal_handlers_disconnect_by_data (self->task_view, self);
  g_clear_object (&self->collections);
  g_clear_object (&self->task_view);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_DOC_CONFLICTS);

  G_OBJECT_CLASS (ferry_doc_conflicts_parent_class)->dispose (object);
}

static void
ferry_doc_conflicts_finalize (GObject *object)
{
  FerryDocConflicts *self = FERRY_DOC_CONFLICTS (object);

  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_free (self->key);

  G_OBJECT_CLASS (ferry_doc_conflicts_parent_class)->finalize (object);
}

static void
ferry_doc_conflicts_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FerryDocConflicts *self = FERRY_DOC_CONFLICTS (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_doc_conflicts_class_init (FerryDocConflictsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_doc_conflicts_dispose;
  object_class->finalize = ferry_doc_conflicts_finalize;
  object_class->get_property = ferry_doc_conflicts_get_property;

  /**
   * FerryDocConflicts:count:
   *
   * How many records it shows.
   */
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/"
                                               "ferry-doc-conflicts.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryDocConflicts, heading);
  gtk_widget_class_bind_template_child (widget_class, FerryDocConflicts, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
ferry_doc_conflicts_init (FerryDocConflicts *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->found = g_ptr_array_new_with_free_func ((GDestroyNotify) found_free);
}

/**
 * ferry_doc_conflicts_set_source:
 * @self: a list of records in conflict
 * @client: the agent's client
 * @collections: the collections to follow
 * @task_view: (nullable): the tasks' Conflicts view, hidden while it
 *   would say "No conflicts" above records that wait
 */
void
ferry_doc_conflicts_set_source (FerryDocConflicts  *self,
                                FerryClient        *client,
                                FerryCollectionSet *collections,
                                GtkWidget          *task_view)
{
  g_return_if_fail (FERRY_IS_DOC_CONFLICTS (self));
  g_return_if_fail (self->collections == NULL);

  self->client = g_object_ref (client);
  self->collections = g_object_ref (collections);
  g_signal_connect_object (collections, "changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  if (task_view != NULL)
    {
      self->task_view = g_object_ref (task_view);
      g_signal_connect_object (task_view, "notify::page", G_CALLBACK (update_task_view), self,
                               G_CONNECT_SWAPPED);
    }
  reload (self);
}

guint
ferry_doc_conflicts_get_count (FerryDocConflicts *self)
{
  g_return_val_if_fail (FERRY_IS_DOC_CONFLICTS (self), 0);

  return self->count;
}

/**
 * ferry_doc_conflicts_get_row:
 * @self: a list of records in conflict
 * @index: a row's position
 *
 * Returns: (transfer none) (nullable): the row
 */
GtkListBoxRow *
ferry_doc_conflicts_get_row (FerryDocConflicts *self,
                             guint              index)
{
  g_return_val_if_fail (FERRY_IS_DOC_CONFLICTS (self), NULL);

  return gtk_list_box_get_row_at_index (self->list_box, index);
}
