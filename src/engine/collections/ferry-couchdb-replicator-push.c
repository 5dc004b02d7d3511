/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-couchdb-replicator"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-couchdb-replicator-private.h"

/*
 * Push, fetch and watch of the CouchDB replicator (see
 * ferry-couchdb-replicator.c for the protocol as a whole).
 */

/* Shared with ferry-couchdb-replicator.c ------------------------------- */

gboolean
ferry_couchdb_is_design (const char *id)
{
  return g_str_has_prefix (id, "_design/");
}

/* A row of _all_docs (with include_docs) as a remote document. */
FerryRemoteDoc *
ferry_couchdb_remote_from_row (JsonObject *row)
{
  const char *id = ferry_json_string (row, "id");
  JsonObject *value = ferry_json_object (row, "value");
  JsonObject *doc = ferry_json_object (row, "doc");
  g_autoptr(GBytes) body = NULL;

  if (id == NULL)
    id = ferry_json_string (row, "key");
  if (id == NULL)
    return NULL;
  if (value == NULL || ferry_json_string (row, "error") != NULL)
    return ferry_remote_doc_new (id, NULL, TRUE, NULL);
  if (ferry_json_bool (value, "deleted") || doc == NULL)
    return ferry_remote_doc_new (id, ferry_json_string (value, "rev"), TRUE, NULL);
  body = ferry_json_object_without_reserved (doc);
  return ferry_remote_doc_new (id, ferry_json_string (value, "rev"), FALSE, body);
}

GBytes *
ferry_couchdb_keys_body (const char * const *ids)
{
  g_autoptr(GString) out = g_string_new ("{\"keys\":[");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      ferry_json_append_string (out, ids[i]);
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* Push -------------------------------------------------------------------- */

/* The _bulk_docs body for docs[start, end): each body with _id and the
 * base _rev spliced in front of its own members. */
static GBytes *
bulk_docs_body (GPtrArray *docs,
                guint      start,
                guint      end)
{
  g_autoptr(GString) out = g_string_new ("{\"docs\":[");

  for (guint i = start; i < end; i++)
    {
      FerryDocument *doc = g_ptr_array_index (docs, i);

      g_string_append (out, i > start ? ",{\"_id\":" : "{\"_id\":");
      ferry_json_append_string (out, doc->id);
      if (doc->base_version != NULL)
        {
          g_string_append (out, ",\"_rev\":");
          ferry_json_append_string (out, doc->base_version);
        }
      if (doc->deleted || doc->body == NULL)
        g_string_append (out, ",\"_deleted\":true}");
      else
        {
          gsize len = 0;
          const char *text = g_bytes_get_data (doc->body, &len);
          const char *end_text = text + len;
          const char *p = memchr (text, '{', len);

          g_assert (p != NULL);
          for (p++; p < end_text && g_ascii_isspace (*p); p++)
            ;
          if (p < end_text && *p != '}')
            g_string_append_c (out, ',');
          g_string_append_len (out, p, end_text - p);
        }
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* One element of _bulk_docs' answer: a new _rev, or an error. */
static gboolean
take_bulk_docs_answer (JsonNode   *answer,
                       GPtrArray  *results,
                       GError    **error)
{
  JsonArray *rows;

  if (!JSON_NODE_HOLDS_ARRAY (answer))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   "_bulk_docs: the answer is not an array");
      return FALSE;
    }
  rows = json_node_get_array (answer);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row = ferry_json_root_object (node);
      const char *id = ferry_json_string (row, "id");
      const char *failure = ferry_json_string (row, "error");
      const char *reason = ferry_json_string (row, "reason");
      FerryPushResult *result;

      if (id == NULL)
        continue;
      if (failure == NULL)
        {
          result = ferry_push_result_new (id, FERRY_PUSH_OK);
          result->version = g_strdup (ferry_json_string (row, "rev"));
        }
      else if (g_str_equal (failure, "conflict"))
        result = ferry_push_result_new (id, FERRY_PUSH_CONFLICT);
      else
        {
          result = ferry_push_result_new (id, FERRY_PUSH_REJECTED);
          result->error = reason != NULL ? g_strdup_printf ("%s: %s", failure, reason)
                                         : g_strdup (failure);
        }
      g_ptr_array_add (results, result);
    }
  return TRUE;
}

static void
conflicts_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *results = g_task_get_task_data (task);
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  copies = ferry_replicator_fetch_finish (FERRY_REPLICATOR (object), result, &error);
  if (copies == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The pushes themselves went through: the conflicts wait for the
       * next run, which fetches the copies again. */
      g_debug ("fetching the server's copies of conflicts: %s", error->message);
    }
  for (guint i = 0; copies != NULL && i < copies->len; i++)
    {
      FerryRemoteDoc *copy = g_ptr_array_index (copies, i);

      g_hash_table_insert (by_id, copy->id, copy);
    }
  for (guint i = 0; i < results->len; i++)
    {
      FerryPushResult *pushed = g_ptr_array_index (results, i);
      FerryRemoteDoc *copy;

      if (pushed->status != FERRY_PUSH_CONFLICT)
        continue;
      copy = g_hash_table_lookup (by_id, pushed->id);
      if (copy != NULL)
        pushed->current = ferry_remote_doc_copy (copy);
      else
        pushed->status = FERRY_PUSH_RETRY;
    }
  g_task_return_pointer (task, g_ptr_array_ref (results), (GDestroyNotify) g_ptr_array_unref);
}

/* The server answers a conflict without its copy: fetch them all. */
static void
batches_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) wanted = NULL;
  guint written = 0;

  results = ferry_replicator_send_batches_finish (FERRY_REPLICATOR (object), result, &error);
  if (results == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < results->len; i++)
    {
      FerryPushResult *pushed = g_ptr_array_index (results, i);

      if (pushed->status == FERRY_PUSH_CONFLICT)
        g_strv_builder_add (ids, pushed->id);
      else if (pushed->status == FERRY_PUSH_OK)
        written++;
    }
  ferry_couchdb_replicator_note_written (FERRY_REPLICATOR (object), written);
  wanted = g_strv_builder_end (ids);
  if (wanted[0] == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&results),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
  ferry_replicator_fetch_async (FERRY_REPLICATOR (object), (const char * const *) wanted,
                                g_task_get_cancellable (task), conflicts_cb,
                                g_object_ref (task));
}

void
ferry_couchdb_replicator_push (FerryReplicator *replicator,
                               GPtrArray       *docs,
                               GTask           *task)
{
  ferry_replicator_send_batches_async (replicator, docs, "_bulk_docs", bulk_docs_body,
                                       take_bulk_docs_answer, g_task_get_cancellable (task),
                                       batches_cb, task);
}

/* Fetch ------------------------------------------------------------------- */

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  JsonArray *rows;

  root = ferry_replicator_finish_json (FERRY_REPLICATOR (object), result, "_all_docs", &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  copies = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_remote_doc_free);
  rows = ferry_json_array (ferry_json_root_object (root), "rows");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      FerryRemoteDoc *copy;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      copy = ferry_couchdb_remote_from_row (json_node_get_object (node));
      if (copy != NULL)
        g_ptr_array_add (copies, copy);
    }
  g_task_return_pointer (task, g_steal_pointer (&copies), (GDestroyNotify) g_ptr_array_unref);
}

void
ferry_couchdb_replicator_fetch (FerryReplicator    *replicator,
                                const char * const *ids,
                                GTask              *task)
{
  g_autoptr(GBytes) body = ferry_couchdb_keys_body (ids);
  g_autoptr(FerryHttpRequest) request = NULL;

  request = ferry_replicator_new_request (replicator, "POST", "_all_docs", "include_docs=true",
                                          body);
  ferry_replicator_send_async (replicator, request, TRUE, g_task_get_cancellable (task),
                               fetch_cb, task);
}

/* Watch ------------------------------------------------------------------- */

#define HEARTBEAT_MS "10000"

static void
longpoll_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  root = ferry_replicator_finish_json (FERRY_REPLICATOR (object), result, "_changes", &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  results = ferry_json_array (ferry_json_root_object (root), "results");
  g_task_return_boolean (task, results != NULL && json_array_get_length (results) > 0);
}

void
ferry_couchdb_replicator_watch (FerryReplicator *replicator,
                                const char      *checkpoint,
                                GTask           *task)
{
  g_autoptr(JsonNode) parsed = checkpoint != NULL ? json_from_string (checkpoint, NULL) : NULL;
  JsonObject *position = ferry_json_root_object (parsed);
  JsonNode *since = position != NULL ? json_object_get_member (position, "since") : NULL;
  g_autofree char *seq = NULL;
  g_autofree char *query = NULL;
  g_autoptr(FerryHttpRequest) request = NULL;

  /* A first pull not done yet has changes waiting by definition. */
  if (since == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* The heartbeat keeps the connection busy, so no timeout ends the wait
   * before a change comes. */
  seq = ferry_couchdb_seq_to_query (since);
  query = g_strdup_printf ("feed=longpoll&since=%s&limit=1&heartbeat=" HEARTBEAT_MS, seq);
  request = ferry_replicator_new_request (replicator, "GET", "_changes", query, NULL);
  ferry_replicator_send_async (replicator, request, FALSE, g_task_get_cancellable (task),
                               longpoll_cb, task);
}
