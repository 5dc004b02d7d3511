/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-rest-replicator"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-rest-replicator.h"

/*
 * Ferry's REST profile, version 1, for ordinary JSON APIs (README.md,
 * "The REST profile"):
 *
 *   GET  {base}/changes?since=<cursor>&limit=<n>
 *        → {"changes": [{"id", "version", "deleted", "data"}…],
 *           "cursor": "<opaque>", "has_more": bool}
 *        410 Gone: the cursor expired; pull from the start
 *   POST {base}/batch
 *        {"changes": [{"id", "op": "upsert"|"delete", "base_version", "data"}…]}
 *        → {"results": [{"id", "status": "ok", "version"}
 *                       | {"id", "status": "conflict", "current": {…}}
 *                       | {"id", "status": "rejected", "error"}…]}
 *
 * The cursor is the checkpoint, as the server wrote it.  A first pull
 * sends no cursor.  A conflict carries the server's copy, so nothing is
 * fetched; the profile has no way to wait for changes, so a live
 * collection pulls at short intervals instead, and no checkpoint is kept
 * on the server.  There is nothing to check but the network: the first
 * push or pull tells whether the server takes the credentials.
 */

struct _FerryRestReplicator
{
  FerryReplicator parent_instance;
};

G_DEFINE_FINAL_TYPE (FerryRestReplicator, ferry_rest_replicator, FERRY_TYPE_REPLICATOR)

/* A version as text: the profile's are strings, a number is taken too. */
static char *
dup_version (JsonObject *object)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, "version") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

/* {"id", "version", "deleted", "data"} as a remote document. */
static FerryRemoteDoc *
remote_from_object (const char  *id,
                    JsonObject  *object,
                    GError     **error)
{
  g_autofree char *version = dup_version (object);
  JsonNode *data = json_object_get_member (object, "data");
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len;

  if (ferry_json_bool (object, "deleted"))
    return ferry_remote_doc_new (id, version, TRUE, NULL);
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   "“%s”: data is not a JSON object", id);
      return NULL;
    }
  text = json_to_string (data, FALSE);
  len = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  return ferry_remote_doc_new (id, version, FALSE, body);
}

/* Check ------------------------------------------------------------------- */

static void
ferry_rest_replicator_check (FerryReplicator     *replicator,
                             const FerrySyncInfo *info,
                             GTask               *task)
{
  FerryCheckResult *result = g_new0 (FerryCheckResult, 1);

  result->remote_documents = -1;
  g_task_return_pointer (task, result, g_free);
  g_object_unref (task);
}

/* Push -------------------------------------------------------------------- */

static GBytes *
batch_body (GPtrArray *docs,
            guint      start,
            guint      end)
{
  g_autoptr(GString) out = g_string_new ("{\"changes\":[");

  for (guint i = start; i < end; i++)
    {
      FerryDocument *doc = g_ptr_array_index (docs, i);
      gboolean deleted = doc->deleted || doc->body == NULL;

      g_string_append (out, i > start ? ",{\"id\":" : "{\"id\":");
      ferry_json_append_string (out, doc->id);
      g_string_append (out, deleted ? ",\"op\":\"delete\"" : ",\"op\":\"upsert\"");
      g_string_append (out, ",\"base_version\":");
      if (doc->base_version != NULL)
        ferry_json_append_string (out, doc->base_version);
      else
        g_string_append (out, "null");
      if (!deleted)
        {
          gsize len = 0;
          const char *text = g_bytes_get_data (doc->body, &len);

          g_string_append (out, ",\"data\":");
          g_string_append_len (out, text, len);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static FerryPushResult *
push_result_from_object (JsonObject  *object,
                         GError     **error)
{
  const char *id = ferry_json_string (object, "id");
  const char *status = ferry_json_string (object, "status");
  g_autoptr(FerryPushResult) result = NULL;
  JsonObject *current;

  if (id == NULL || status == NULL)
    return NULL;
  if (g_str_equal (status, "ok"))
    {
      result = ferry_push_result_new (id, FERRY_PUSH_OK);
      result->version = dup_version (object);
    }
  else if (g_str_equal (status, "conflict"))
    {
      result = ferry_push_result_new (id, FERRY_PUSH_CONFLICT);
      current = ferry_json_object (object, "current");
      if (current != NULL)
        {
          result->current = remote_from_object (id, current, error);
          if (result->current == NULL)
            return NULL;
        }
      else
        result->status = FERRY_PUSH_RETRY;
    }
  else if (g_str_equal (status, "rejected"))
    {
      const char *reason = ferry_json_string (object, "error");

      result = ferry_push_result_new (id, FERRY_PUSH_REJECTED);
      result->error = g_strdup (reason != NULL ? reason : "rejected");
    }
  else
    result = ferry_push_result_new (id, FERRY_PUSH_RETRY);
  return g_steal_pointer (&result);
}

static gboolean
take_batch_answer (JsonNode   *answer,
                   GPtrArray  *results,
                   GError    **error)
{
  JsonArray *rows = ferry_json_array (ferry_json_root_object (answer), "results");

  if (rows == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "batch: no results in the answer");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = ferry_json_root_object (json_array_get_element (rows, i));
      g_autoptr(GError) row_error = NULL;
      FerryPushResult *result = push_result_from_object (row, &row_error);

      if (row_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&row_error), "batch: ");
          return FALSE;
        }
      if (result != NULL)
        g_ptr_array_add (results, result);
    }
  return TRUE;
}

static void
batches_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  results = ferry_replicator_send_batches_finish (FERRY_REPLICATOR (object), result, &error);
  if (results == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
ferry_rest_replicator_push (FerryReplicator *replicator,
                            GPtrArray       *docs,
                            GTask           *task)
{
  ferry_replicator_send_batches_async (replicator, docs, "batch", batch_body, take_batch_answer,
                                       g_task_get_cancellable (task), batches_cb, task);
}

/* Pull -------------------------------------------------------------------- */

typedef struct
{
  guint    limit;
  gboolean restarted;
} PullData;

static void send_changes (GTask      *task,
                          const char *cursor);

static FerryPullPage *
read_page (JsonObject  *answer,
           GError     **error)
{
  g_autoptr(FerryPullPage) page = ferry_pull_page_new ();
  JsonArray *changes = ferry_json_array (answer, "changes");
  const char *cursor = ferry_json_string (answer, "cursor");

  if (changes == NULL || cursor == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   "changes: no changes or cursor in the answer");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = ferry_json_root_object (json_array_get_element (changes, i));
      const char *id = ferry_json_string (change, "id");
      FerryRemoteDoc *doc;

      if (id == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "changes: a change has no id");
          return NULL;
        }
      doc = remote_from_object (id, change, error);
      if (doc == NULL)
        {
          g_prefix_error (error, "changes: ");
          return NULL;
        }
      g_ptr_array_add (page->changes, doc);
    }
  page->checkpoint = g_strdup (cursor);
  page->more = ferry_json_bool (answer, "has_more");
  return g_steal_pointer (&page);
}

static void
changes_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PullData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  FerryPullPage *page;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (object), result);
  /* The cursor expired: the whole collection again, from the start. */
  if (attempt->kind == FERRY_OUTCOME_HTTP && attempt->status == 410 && !data->restarted)
    {
      g_message ("the server no longer knows the cursor: pulling from the start");
      data->restarted = TRUE;
      send_changes (g_steal_pointer (&task), NULL);
      return;
    }
  if (!ferry_replicator_check_answer (FERRY_REPLICATOR (object), attempt, "changes", &error) ||
      (root = ferry_replicator_parse_answer (attempt, "changes", &error)) == NULL ||
      (page = read_page (ferry_json_root_object (root), &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  page->restarted = data->restarted;
  g_task_return_pointer (task, page, (GDestroyNotify) ferry_pull_page_free);
}

static void
send_changes (GTask      *task,
              const char *cursor)
{
  FerryReplicator *self = g_task_get_source_object (task);
  PullData *data = g_task_get_task_data (task);
  g_autoptr(FerryHttpRequest) request = NULL;
  g_autofree char *query = NULL;

  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      query = g_strdup_printf ("since=%s&limit=%u", escaped, data->limit);
    }
  else
    query = g_strdup_printf ("limit=%u", data->limit);
  request = ferry_replicator_new_request (self, "GET", "changes", query, NULL);
  ferry_replicator_send_async (self, request, TRUE, g_task_get_cancellable (task), changes_cb,
                               task);
}

static void
ferry_rest_replicator_pull (FerryReplicator *replicator,
                            const char      *checkpoint,
                            guint            limit,
                            GTask           *task)
{
  PullData *data = g_new0 (PullData, 1);

  data->limit = limit;
  g_task_set_task_data (task, data, g_free);
  send_changes (task, checkpoint);
}

/* GObject ----------------------------------------------------------------- */

static void
ferry_rest_replicator_class_init (FerryRestReplicatorClass *klass)
{
  FerryReplicatorClass *replicator_class = FERRY_REPLICATOR_CLASS (klass);

  replicator_class->check = ferry_rest_replicator_check;
  replicator_class->push = ferry_rest_replicator_push;
  replicator_class->pull = ferry_rest_replicator_pull;
}

static void
ferry_rest_replicator_init (FerryRestReplicator *self)
{
}
