/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-calls"

#include "config.h"

#include "ferry-client-private.h"
#include "ferry-collection-private.h"

/*
 * FerryCollection's methods: each one D-Bus call on the collection's
 * object, whose reply the _finish function reads.
 */

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GVariant *reply;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (object), result, &error);
  if (reply == NULL)
    ferry_client_return_dbus_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) g_variant_unref);
}

static void
call (FerryCollection     *self,
      const char          *method,
      GVariant            *parameters,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_dbus_proxy_call (G_DBUS_PROXY (ferry_collection_get_proxy (self)), method, parameters,
                     G_DBUS_CALL_FLAGS_NONE, -1, cancellable, reply_cb, task);
}

static GVariant *
finish (FerryCollection  *self,
        GAsyncResult     *result,
        gpointer          source_tag,
        GError          **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_collection_put_async:
 * @self: a collection
 * @id: the document's id
 * @json: its new body, a JSON object of at most 4 MiB
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the write is on disk
 * @user_data: data for @callback
 *
 * Writes a document in the local replica; a run pushes it shortly.
 */
void
ferry_collection_put_async (FerryCollection     *self,
                            const char          *id,
                            const char          *json,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (id != NULL && json != NULL);

  call (self, "Put", g_variant_new ("(ss)", id, json), ferry_collection_put_async, cancellable,
        callback, user_data);
}

/**
 * ferry_collection_put_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error: %FERRY_ERROR_INVALID_ARGUMENT
 *   naming the id or the body (nothing is stored)
 *
 * Finishes ferry_collection_put_async().
 *
 * Returns: the document's local sequence after the write, -1 on error
 */
gint64
ferry_collection_put_finish (FerryCollection  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_put_async, error);
  gint64 seq = -1;

  if (reply != NULL)
    g_variant_get (reply, "(x)", &seq);
  return seq;
}

/**
 * ferry_collection_delete_async:
 * @self: a collection
 * @id: the document's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the deletion is on disk
 * @user_data: data for @callback
 *
 * Deletes a document in the local replica; a run pushes the deletion.
 */
void
ferry_collection_delete_async (FerryCollection     *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (id != NULL);

  call (self, "Delete", g_variant_new ("(s)", id), ferry_collection_delete_async, cancellable,
        callback, user_data);
}

/**
 * ferry_collection_delete_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error: %FERRY_ERROR_NOT_FOUND when the
 *   document never existed
 *
 * Finishes ferry_collection_delete_async().
 *
 * Returns: the document's local sequence after the deletion, -1 on error
 */
gint64
ferry_collection_delete_finish (FerryCollection  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_delete_async, error);
  gint64 seq = -1;

  if (reply != NULL)
    g_variant_get (reply, "(x)", &seq);
  return seq;
}

/**
 * ferry_collection_get_async:
 * @self: a collection
 * @id: the document's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the document
 * @user_data: data for @callback
 *
 * Reads a document from the local replica.
 */
void
ferry_collection_get_async (FerryCollection     *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (id != NULL);

  call (self, "Get", g_variant_new ("(s)", id), ferry_collection_get_async, cancellable,
        callback, user_data);
}

/**
 * ferry_collection_get_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error: %FERRY_ERROR_NOT_FOUND
 *
 * Finishes ferry_collection_get_async().
 *
 * Returns: (transfer full) (nullable): the document, an `a{sv}`: id, seq,
 *   deleted, dirty, conflict, updated, failed-reason, conflict-reason,
 *   body, base and remote (see the Get method of the D-Bus interface)
 */
GVariant *
ferry_collection_get_finish (FerryCollection  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_get_async, error);

  return reply != NULL ? g_variant_get_child_value (reply, 0) : NULL;
}

/**
 * ferry_collection_list_async:
 * @self: a collection
 * @filter: (nullable): an `a{sv}`: dirty, conflict, failed, deleted,
 *   bodies (booleans); %NULL for every live document without bodies; a
 *   floating reference is sunk
 * @offset: how many to skip
 * @limit: at most this many, 1 to 1000
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * Reads a page of documents, by id.
 */
void
ferry_collection_list_async (FerryCollection     *self,
                             GVariant            *filter,
                             guint                offset,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (filter == NULL || g_variant_is_of_type (filter, G_VARIANT_TYPE_VARDICT));

  if (filter == NULL)
    filter = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  call (self, "List", g_variant_new ("(@a{sv}uu)", filter, offset, limit),
        ferry_collection_list_async, cancellable, callback, user_data);
}

/**
 * ferry_collection_list_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_collection_list_async().
 *
 * Returns: (transfer full) (nullable): an `aa{sv}` of documents
 */
GVariant *
ferry_collection_list_finish (FerryCollection  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_list_async, error);

  return reply != NULL ? g_variant_get_child_value (reply, 0) : NULL;
}

/**
 * ferry_collection_changes_async:
 * @self: a collection
 * @after: a local sequence; 0 for every document
 * @limit: at most this many, 1 to 1000
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * Reads the local changes feed: documents changed after @after, by a local
 * write or a pull, each once, in the order of their last change.
 */
void
ferry_collection_changes_async (FerryCollection     *self,
                                gint64               after,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  call (self, "Changes", g_variant_new ("(xu)", after, limit), ferry_collection_changes_async,
        cancellable, callback, user_data);
}

/**
 * ferry_collection_changes_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @out_last: (out) (optional): the sequence to ask from next
 * @error: return location for an error
 *
 * Finishes ferry_collection_changes_async().
 *
 * Returns: (transfer full) (nullable): an `aa{sv}` of documents, with
 *   bodies
 */
GVariant *
ferry_collection_changes_finish (FerryCollection  *self,
                                 GAsyncResult     *result,
                                 gint64           *out_last,
                                 GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_changes_async, error);
  GVariant *changes = NULL;
  gint64 last = 0;

  if (reply != NULL)
    g_variant_get (reply, "(@aa{sv}x)", &changes, &last);
  if (out_last != NULL)
    *out_last = last;
  return changes;
}

/**
 * ferry_collection_sync_async:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the run is asked for (not when it ends)
 * @user_data: data for @callback
 *
 * Starts a run now, or right after the one going on.
 */
void
ferry_collection_sync_async (FerryCollection     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  call (self, "Sync", NULL, ferry_collection_sync_async, cancellable, callback, user_data);
}

/**
 * ferry_collection_sync_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_collection_sync_async().
 *
 * Returns: %TRUE when the run is asked for
 */
gboolean
ferry_collection_sync_finish (FerryCollection  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_sync_async, error);

  return reply != NULL;
}

/**
 * ferry_collection_resolve_async:
 * @self: a collection
 * @id: a document in conflict
 * @choice: `local` (keep this side), `remote` (take the server's copy) or
 *   `merged` (keep @merged)
 * @merged: (nullable): with `merged`, the body to keep, a JSON object
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Settles a conflict that waits for a decision.
 */
void
ferry_collection_resolve_async (FerryCollection     *self,
                                const char          *id,
                                const char          *choice,
                                const char          *merged,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (id != NULL && choice != NULL);

  call (self, "Resolve", g_variant_new ("(sss)", id, choice, merged != NULL ? merged : ""),
        ferry_collection_resolve_async, cancellable, callback, user_data);
}

/**
 * ferry_collection_resolve_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @error: return location for an error: %FERRY_ERROR_NOT_FOUND,
 *   %FERRY_ERROR_CONFLICT (not in conflict), %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Finishes ferry_collection_resolve_async().
 *
 * Returns: %TRUE when the conflict is settled
 */
gboolean
ferry_collection_resolve_finish (FerryCollection  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_resolve_async, error);

  return reply != NULL;
}

/**
 * ferry_collection_retry_failed_async:
 * @self: a collection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sends the documents the server refused again with the next run.
 */
void
ferry_collection_retry_failed_async (FerryCollection     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  call (self, "RetryFailed", NULL, ferry_collection_retry_failed_async, cancellable, callback,
        user_data);
}

/**
 * ferry_collection_retry_failed_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @out_count: (out) (optional): how many documents will be sent again
 * @error: return location for an error
 *
 * Finishes ferry_collection_retry_failed_async().
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_collection_retry_failed_finish (FerryCollection  *self,
                                      GAsyncResult     *result,
                                      guint            *out_count,
                                      GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_retry_failed_async,
                                      error);
  guint count = 0;

  if (reply != NULL)
    g_variant_get (reply, "(u)", &count);
  if (out_count != NULL)
    *out_count = count;
  return reply != NULL;
}

/**
 * ferry_collection_list_runs_async:
 * @self: a collection
 * @limit: at most this many runs, 1 to 100 (Ferry keeps the last 20)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the runs
 * @user_data: data for @callback
 *
 * Reads the collection's last runs, with their phases' timings and
 * counts, and where its sync stands.
 */
void
ferry_collection_list_runs_async (FerryCollection     *self,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  call (self, "ListRuns", g_variant_new ("(u)", limit), ferry_collection_list_runs_async,
        cancellable, callback, user_data);
}

/**
 * ferry_collection_list_runs_finish:
 * @self: a collection
 * @result: the result passed to the callback
 * @out_sync: (out) (optional) (transfer full): where the sync stands, an
 *   `a{sv}` with endpoint (the server's URL without credentials, query
 *   or fragment), checkpoint and local-seq
 * @error: return location for an error: %FERRY_ERROR_INVALID_ARGUMENT
 *   naming the limit
 *
 * Finishes ferry_collection_list_runs_async().
 *
 * Returns: (transfer full) (nullable): the runs, newest first, an
 *   `aa{sv}`: trigger, result, error, started, finished, pushed, pulled,
 *   failed, conflicts, requests, bytes-sent, bytes-received, and the µs
 *   spent in each phase (check-time, push-time, pull-time, finish-time);
 *   see the ListRuns method of the D-Bus interface
 */
GVariant *
ferry_collection_list_runs_finish (FerryCollection  *self,
                                   GAsyncResult     *result,
                                   GVariant        **out_sync,
                                   GError          **error)
{
  g_autoptr(GVariant) reply = finish (self, result, ferry_collection_list_runs_async, error);
  GVariant *runs = NULL;
  GVariant *sync = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(@aa{sv}@a{sv})", &runs, &sync);
  if (out_sync != NULL)
    *out_sync = sync;
  else if (sync != NULL)
    g_variant_unref (sync);
  return runs;
}

static void
managed_objects_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  GVariantIter iter;
  const char *path;
  GVariant *interfaces;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  objects = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &interfaces))
    {
      g_autoptr(GVariant) owned = interfaces;
      g_autoptr(GVariant) collection = NULL;

      collection = g_variant_lookup_value (interfaces, "io.github.ferrysync.Ferry1.Collection",
                                           NULL);
      if (collection != NULL)
        g_ptr_array_add (paths, g_strdup (path));
    }
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (paths, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (paths, NULL), (GDestroyNotify) g_strfreev);
}

static void
call_list_collections (FerryClient *self,
                       GTask       *task)
{
  g_dbus_connection_call (ferry_client_get_connection (self), FERRY_DBUS_NAME, FERRY_DBUS_PATH,
                          "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL,
                          G_VARIANT_TYPE ("(a{oa{sa{sv}}})"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), managed_objects_cb, task);
}

/**
 * ferry_client_list_collections_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the paths
 * @user_data: data for @callback
 *
 * Lists the collections the caller may see: its app's own, or every one
 * for an unsandboxed caller.  Finish with
 * ferry_client_list_collections_finish().
 */
void
ferry_client_list_collections_async (FerryClient         *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CLIENT (self));

  task = ferry_client_new_call_task (self, call_list_collections, cancellable, callback,
                                     user_data, ferry_client_list_collections_async);
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_list_collections_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_list_collections_async().
 *
 * Returns: (transfer full) (nullable): the collections' object paths, for
 *   ferry_collection_new_async()
 */
char **
ferry_client_list_collections_finish (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
