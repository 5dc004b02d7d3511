/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-manager-writes"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-manager-private.h"

/*
 * Local writes of the collection manager (ferry-collection-manager.c):
 * checked when they arrive, committed together on the next idle.
 */

void
ferry_collection_manager_write_request_free (WriteRequest *request)
{
  g_clear_object (&request->collection);
  g_free (request->doc_id);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->task);
  g_free (request);
}

/* Local writes ------------------------------------------------------------- */

static gboolean
write_one (FerryCollectionManager  *self,
           WriteRequest            *request,
           gint64                  *out_seq,
           GError                 **error)
{
  gint64 id = ferry_collection_get_id (request->collection);
  g_autoptr(FerryDocument) before = NULL;
  g_autoptr(GError) local_error = NULL;

  before = ferry_collection_store_dup_document (self->store, id, request->doc_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return ferry_collection_store_write_local (self->store, id, before, request->doc_id,
                                             request->body, out_seq, error);
}

gboolean
ferry_collection_manager_flush_writes (gpointer user_data)
{
  FerryCollectionManager *self = user_data;
  g_autoptr(GPtrArray) writes = g_steal_pointer (&self->writes);
  g_autoptr(GHashTable) touched = g_hash_table_new (NULL, NULL);   /* collection → max seq */
  g_autofree gint64 *seqs = g_new0 (gint64, writes->len);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  self->write_id = 0;
  self->writes = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_collection_manager_write_request_free);

  /* The group commit: one transaction for every write that arrived since
   * the last one.  A delete of a document that never was is refused on
   * its own; a store error fails them all, and nothing is written. */
  if (ferry_collection_store_begin (self->store, &error))
    for (guint i = 0; i < writes->len && error == NULL; i++)
      {
        WriteRequest *request = g_ptr_array_index (writes, i);
        g_autoptr(GError) one = NULL;

        seqs[i] = -1;
        if (g_task_return_error_if_cancelled (request->task))
          continue;
        if (write_one (self, request, &seqs[i], &one))
          g_hash_table_add (touched, request->collection);
        else if (g_error_matches (one, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
          g_task_return_error (request->task, g_steal_pointer (&one));
        else
          error = g_steal_pointer (&one);
      }
  if (error == NULL)
    ferry_collection_store_commit (self->store, &error);
  else
    ferry_collection_store_rollback (self->store);

  for (guint i = 0; i < writes->len; i++)
    {
      WriteRequest *request = g_ptr_array_index (writes, i);

      if (g_task_had_error (request->task))
        continue;
      if (error != NULL)
        g_task_return_error (request->task, g_error_copy (error));
      else
        g_task_return_int (request->task, seqs[i]);
    }
  if (error != NULL)
    return G_SOURCE_REMOVE;

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(FerrySyncInfo) info = NULL;

      info = ferry_collection_store_dup_sync_info (self->store,
                                                   ferry_collection_get_id (key), NULL);
      ferry_collection_local_write (key, info != NULL ? info->local_seq : 0,
                                    self->write_debounce);
    }
  return G_SOURCE_REMOVE;
}

/**
 * ferry_collection_manager_write_async:
 * @self: a manager
 * @collection: one of its collections
 * @doc_id: the document's id
 * @body: (nullable): its new body, a JSON object; %NULL deletes it
 * @cancellable: (nullable): a cancellable
 * @callback: called once the write is on disk, or refused
 * @user_data: for @callback
 *
 * Writes a document locally; writes that arrive together are committed
 * in one transaction.  Refused, with nothing stored, when the id or body
 * is not valid (%FERRY_ERROR_INVALID_ARGUMENT naming it), when the
 * collection only pulls, or when a deleted document never was
 * (%FERRY_ERROR_NOT_FOUND).
 */
void
ferry_collection_manager_write_async (FerryCollectionManager *self,
                                      FerryCollection        *collection,
                                      const char             *doc_id,
                                      GBytes                 *body,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  FerryCollectionConfig *config;
  WriteRequest *request;

  g_return_if_fail (FERRY_IS_COLLECTION_MANAGER (self));
  g_return_if_fail (FERRY_IS_COLLECTION (collection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_collection_manager_write_async);
  config = ferry_collection_get_config (collection);
  if (config->direction == FERRY_DIRECTION_PULL)
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                         "collection: %s only pulls; local writes are refused", config->name);
  else if (ferry_document_id_validate (doc_id, config->protocol, &error) &&
           body != NULL)
    ferry_document_body_validate (body, config->protocol, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  request = g_new0 (WriteRequest, 1);
  request->collection = g_object_ref (collection);
  request->doc_id = g_strdup (doc_id);
  request->body = body != NULL ? g_bytes_ref (body) : NULL;
  request->task = g_steal_pointer (&task);
  g_ptr_array_add (self->writes, request);
  if (self->write_id == 0)
    self->write_id = g_idle_add (ferry_collection_manager_flush_writes, self);
}

/**
 * ferry_collection_manager_write_finish:
 * @self: a manager
 * @result: the result given to the callback
 * @error: return location for why it was refused
 *
 * Returns: the document's local sequence after the write, -1 on error
 */
gint64
ferry_collection_manager_write_finish (FerryCollectionManager  *self,
                                       GAsyncResult            *result,
                                       GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Writes @doc_id's resolution inside the open transaction. */
static gboolean
write_resolution (FerryCollectionManager  *self,
                  gint64                   id,
                  const char              *doc_id,
                  FerryResolveChoice       choice,
                  GBytes                  *merged,
                  gint64                  *out_seq,
                  GError                 **error)
{
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(FerryRemoteDoc) remote = NULL;
  g_autoptr(GError) local_error = NULL;

  doc = ferry_collection_store_dup_document (self->store, id, doc_id, &local_error);
  if (doc == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "id: no document “%s”",
                     doc_id);
      return FALSE;
    }
  if (!doc->conflict)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT, "id: “%s” is not in conflict",
                   doc_id);
      return FALSE;
    }
  remote = ferry_remote_doc_new (doc->id, doc->remote_version, doc->remote_deleted,
                                 doc->remote);
  switch (choice)
    {
    case FERRY_RESOLVE_REMOTE:
      return ferry_collection_store_take_remote (self->store, id, doc, remote, out_seq, error);
    case FERRY_RESOLVE_BODY:
      return ferry_collection_store_rebase (self->store, id, doc, merged, remote, out_seq,
                                            error);
    case FERRY_RESOLVE_LOCAL:
    default:
      return ferry_collection_store_rebase (self->store, id, doc, NULL, remote, out_seq, error);
    }
}

/**
 * ferry_collection_manager_resolve:
 * @self: a manager
 * @collection: one of its collections
 * @doc_id: a document in conflict
 * @choice: keep the local side, take the server's, or keep @merged
 * @merged: (nullable): with %FERRY_RESOLVE_BODY, the body to keep
 * @error: return location for %FERRY_ERROR_NOT_FOUND,
 *   %FERRY_ERROR_CONFLICT (not in conflict) or
 *   %FERRY_ERROR_INVALID_ARGUMENT naming merged
 *
 * Settles a conflict that waits for a decision; a side to send goes with
 * the next run, over the server's copy.
 *
 * Returns: whether it is settled
 */
gboolean
ferry_collection_manager_resolve (FerryCollectionManager  *self,
                                  FerryCollection         *collection,
                                  const char              *doc_id,
                                  FerryResolveChoice       choice,
                                  GBytes                  *merged,
                                  GError                 **error)
{
  FerryCollectionConfig *config;
  gint64 seq = 0;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (FERRY_IS_COLLECTION (collection), FALSE);

  config = ferry_collection_get_config (collection);
  if (choice == FERRY_RESOLVE_BODY)
    {
      if (merged == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "merged: required with the choice merged");
          return FALSE;
        }
      if (!ferry_document_body_validate (merged, config->protocol, error))
        {
          g_prefix_error (error, "merged: ");
          return FALSE;
        }
    }
  if (!ferry_collection_store_begin (self->store, error))
    return FALSE;
  if (!write_resolution (self, config->id, doc_id, choice, merged, &seq, error))
    {
      ferry_collection_store_rollback (self->store);
      return FALSE;
    }
  if (!ferry_collection_store_commit (self->store, error))
    return FALSE;
  ferry_collection_local_write (collection, seq, self->write_debounce);
  return TRUE;
}

/**
 * ferry_collection_manager_retry_failed:
 * @self: a manager
 * @collection: one of its collections
 * @out_count: (out) (optional): how many documents will be sent again
 * @error: return location for a store error
 *
 * Sends the documents the server refused again, with a run shortly.
 *
 * Returns: whether it is done
 */
gboolean
ferry_collection_manager_retry_failed (FerryCollectionManager  *self,
                                       FerryCollection         *collection,
                                       guint                   *out_count,
                                       GError                 **error)
{
  guint count = 0;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (FERRY_IS_COLLECTION (collection), FALSE);

  if (!ferry_collection_store_begin (self->store, error))
    return FALSE;
  if (!ferry_collection_store_retry_failed (self->store, ferry_collection_get_id (collection),
                                            &count, error))
    {
      ferry_collection_store_rollback (self->store);
      return FALSE;
    }
  if (!ferry_collection_store_commit (self->store, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = count;
  if (count > 0)
    {
      g_autoptr(FerrySyncInfo) info = NULL;

      info = ferry_collection_store_dup_sync_info (self->store,
                                                   ferry_collection_get_id (collection), NULL);
      ferry_collection_local_write (collection, info != NULL ? info->local_seq : 0,
                                    self->write_debounce);
    }
  return TRUE;
}
