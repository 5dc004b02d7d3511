/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-conflict-window-document"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ferry-conflict-window-private.h"

/*
 * FerryConflictWindow for a record of a collection: the collection's Get
 * gives the local body, the base both sides last agreed on and the
 * server's copy; the same comparison as for a task shows them, and the
 * collection's Resolve takes the decision.  The record is read again
 * whenever the collection says its documents or its conflicts changed,
 * so one settled elsewhere shows as such.  Opening the window, for a task
 * or a record, is here too.
 */

#define JSON_TYPE "application/json"

static GBytes *
lookup_body (GVariant   *doc,
             const char *key)
{
  const char *text = NULL;

  if (doc == NULL || !g_variant_lookup (doc, key, "&s", &text) || *text == '\0')
    return NULL;
  return g_bytes_new (text, strlen (text));
}

static gboolean
same_bodies (GVariant *old_doc,
             GVariant *new_doc)
{
  static const char * const keys[] = { "body", "base", "remote" };

  if (old_doc == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GBytes) a = lookup_body (old_doc, keys[i]);
      g_autoptr(GBytes) b = lookup_body (new_doc, keys[i]);

      if ((a == NULL) != (b == NULL) || (a != NULL && !g_bytes_equal (a, b)))
        return FALSE;
    }
  return TRUE;
}

static void
show_document (FerryConflictWindow *self,
               GVariant            *doc)
{
  g_autoptr(GVariant) old_doc = g_steal_pointer (&self->document);
  g_autoptr(GBytes) base = lookup_body (doc, "base");
  g_autoptr(GBytes) mine = lookup_body (doc, "body");
  g_autoptr(GBytes) server = lookup_body (doc, "remote");
  g_autofree char *subtitle = NULL;
  const char *reason = NULL;
  gboolean conflict = FALSE;

  self->document = g_variant_ref (doc);
  g_variant_lookup (doc, "conflict", "b", &conflict);
  /* Translators: a collection's name, then the record's id */
  subtitle = g_strdup_printf (_("%s · %s"), ferry_collection_get_name (self->collection),
                              self->doc_id);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (conflict && g_variant_lookup (doc, "conflict-reason", "&s", &reason) && *reason != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Reason: %s"), reason);

      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_label_set_text (self->resolved_label,
                      conflict ? "" : _("This record is no longer in conflict."));
  gtk_widget_set_visible (GTK_WIDGET (self->resolved_label), !conflict);

  ferry_conflict_window_label_choices (self, server == NULL);
  if (!same_bodies (old_doc, doc))
    {
      if (server == NULL && conflict)
        {
          g_clear_pointer (&self->model, ferry_conflict_model_free);
          ferry_conflict_window_show_missing (self, TRUE, JSON_TYPE, mine);
        }
      else
        ferry_conflict_window_compare (self, base, mine, JSON_TYPE, server, JSON_TYPE);
    }
  ferry_conflict_window_set_in_conflict (self, conflict);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FerryConflictWindow) self = user_data;
  g_autoptr(GVariant) doc = NULL;
  g_autoptr(GError) error = NULL;

  doc = ferry_collection_get_finish (FERRY_COLLECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (doc != NULL)
    {
      show_document (self, doc);
      return;
    }
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  self->loaded = FALSE;
  ferry_conflict_window_update_actions (self);
}

/**
 * ferry_conflict_window_document_load:
 * @self: a window for a record
 *
 * Reads the record again.
 */
void
ferry_conflict_window_document_load (FerryConflictWindow *self)
{
  ferry_collection_get_async (self->collection, self->doc_id, self->cancellable, get_cb,
                              g_object_ref (self));
}

/* While its own decision is on its way, the window is about to close: a
 * reload would only flash "no longer in conflict". */
static void
on_collection_changed (FerryConflictWindow *self)
{
  if (!self->resolving)
    ferry_conflict_window_document_load (self);
}

/**
 * ferry_conflict_window_document_follow:
 * @self: a window for a record
 *
 * Reads the record, and again whenever the collection changes.
 */
void
ferry_conflict_window_document_follow (FerryConflictWindow *self)
{
  g_signal_connect_object (self->collection, "changed", G_CALLBACK (on_collection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->collection, "notify::conflict-count",
                           G_CALLBACK (on_collection_changed), self, G_CONNECT_SWAPPED);
  ferry_conflict_window_document_load (self);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryConflictWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = ferry_collection_resolve_finish (FERRY_COLLECTION (object), result, &error);
  ferry_conflict_window_resolved (self, done, error);
}

/**
 * ferry_conflict_window_document_resolve:
 * @self: a window for a record
 * @choice: local, remote or merged
 * @merged: (nullable): with merged, the body to keep
 *
 * Sends the decision to the collection.
 */
void
ferry_conflict_window_document_resolve (FerryConflictWindow *self,
                                        const char          *choice,
                                        GBytes              *merged)
{
  g_autofree char *text = NULL;

  if (merged != NULL)
    text = g_strndup (g_bytes_get_data (merged, NULL), g_bytes_get_size (merged));
  ferry_collection_resolve_async (self->collection, self->doc_id, choice, text,
                                  self->cancellable, resolve_cb, g_object_ref (self));
}

/* Shows the window already open for the same conflict, if any. */
static gboolean
present_open (FerryClient     *client,
              const char      *task_id,
              FerryCollection *collection,
              const char      *doc_id)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) open = g_list_model_get_item (toplevels, i);
      FerryConflictWindow *other = FERRY_IS_CONFLICT_WINDOW (open) ? (gpointer) open : NULL;

      if (other != NULL && other->client == client
          && g_strcmp0 (other->task_id, task_id) == 0
          && g_strcmp0 (other->doc_id, doc_id) == 0
          && (other->collection == NULL) == (collection == NULL)
          && (collection == NULL || g_str_equal (ferry_collection_get_path (other->collection),
                                                 ferry_collection_get_path (collection))))
        {
          gtk_window_present (open);
          return TRUE;
        }
    }
  return FALSE;
}

static void
present_new (GtkWindow *parent,
             GtkWindow *window)
{
  if (parent != NULL)
    {
      gtk_window_set_transient_for (window, parent);
      gtk_window_set_modal (window, TRUE);
      gtk_window_set_destroy_with_parent (window, TRUE);
    }
  gtk_window_present (window);
}

/**
 * ferry_conflict_window_present:
 * @parent: (nullable): the window it belongs to
 * @client: the client
 * @task_id: a task in conflict
 *
 * Shows the conflict window for @task_id, modal to @parent: the one
 * already open for it, or a new one.
 */
void
ferry_conflict_window_present (GtkWindow   *parent,
                               FerryClient *client,
                               const char  *task_id)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (FERRY_IS_CLIENT (client));
  g_return_if_fail (task_id != NULL);

  if (!present_open (client, task_id, NULL, NULL))
    present_new (parent, GTK_WINDOW (ferry_conflict_window_new (client, task_id)));
}

/**
 * ferry_conflict_window_present_document:
 * @parent: (nullable): the window it belongs to
 * @client: the client
 * @collection: a collection
 * @doc_id: a record of it in conflict
 *
 * Shows the conflict window for a record, as for a task.
 */
void
ferry_conflict_window_present_document (GtkWindow       *parent,
                                        FerryClient     *client,
                                        FerryCollection *collection,
                                        const char      *doc_id)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (FERRY_IS_CLIENT (client));
  g_return_if_fail (FERRY_IS_COLLECTION (collection));
  g_return_if_fail (doc_id != NULL);

  if (!present_open (client, NULL, collection, doc_id))
    present_new (parent, g_object_new (FERRY_TYPE_CONFLICT_WINDOW, "client", client,
                                       "collection", collection, "document-id", doc_id, NULL));
}

