/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-replicator"

#include "config.h"

#include "ferry-error.h"

#include "ferry-replicator-private.h"

/*
 * Sending a batch of documents in one request, for any protocol whose
 * server answers for each document.  A server that refuses the request as
 * a whole (400, 413) because of one document in it would otherwise stop
 * every other document behind it: the batch is halved, and halved again,
 * until the document it refuses is alone, and only that one is marked
 * refused.  A document the answer says nothing about is sent again by a
 * later run.
 */

typedef struct
{
  GPtrArray             *docs;      /* FerryDocument */
  GPtrArray             *results;   /* FerryPushResult */
  GArray                *ranges;    /* pairs [start, end) still to send, next last */
  char                  *path;
  FerryBatchBodyFunc     body;
  FerryBatchResultsFunc  take;
  guint                  start;
  guint                  end;
} Batches;

static void
batches_free (Batches *batches)
{
  g_ptr_array_unref (batches->docs);
  g_ptr_array_unref (batches->results);
  g_array_unref (batches->ranges);
  g_free (batches->path);
  g_free (batches);
}

static void send_next (GTask *task);

/* Every document of the range gets a result: those the answer skipped
 * wait for the next run. */
static void
complete_range (Batches *batches,
                guint    first_result)
{
  g_autoptr(GHashTable) answered = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = first_result; i < batches->results->len; i++)
    g_hash_table_add (answered, ((FerryPushResult *) batches->results->pdata[i])->id);
  for (guint i = batches->start; i < batches->end; i++)
    {
      FerryDocument *doc = g_ptr_array_index (batches->docs, i);

      if (!g_hash_table_contains (answered, doc->id))
        g_ptr_array_add (batches->results, ferry_push_result_new (doc->id, FERRY_PUSH_RETRY));
    }
}

static void
refuse_alone (Batches      *batches,
              FerryAttempt *attempt)
{
  FerryDocument *doc = g_ptr_array_index (batches->docs, batches->start);
  FerryPushResult *refused = ferry_push_result_new (doc->id, FERRY_PUSH_REJECTED);
  g_autoptr(JsonNode) answer = ferry_replicator_parse_answer (attempt, "", NULL);
  JsonObject *body = ferry_json_root_object (answer);
  const char *reason = ferry_json_string (body, "reason");

  if (reason == NULL)
    reason = ferry_json_string (body, "error");
  if (reason == NULL)
    reason = attempt->status == 413 ? "too large for the server" : "refused by the server";
  refused->error = g_strdup_printf ("%s (HTTP %u)", reason, attempt->status);
  g_ptr_array_add (batches->results, refused);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryReplicator *self = FERRY_REPLICATOR (object);
  Batches *batches = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint first_result = batches->results->len;

  attempt = ferry_replicator_send_finish (self, result);
  if (attempt->kind == FERRY_OUTCOME_HTTP && (attempt->status == 400 || attempt->status == 413))
    {
      guint middle = batches->start + (batches->end - batches->start) / 2;

      if (batches->end - batches->start > 1)
        {
          guint halves[4] = { middle, batches->end, batches->start, middle };

          g_array_append_vals (batches->ranges, halves, 4);
        }
      else
        refuse_alone (batches, attempt);
      send_next (g_steal_pointer (&task));
      return;
    }
  if (!ferry_replicator_check_answer (self, attempt, batches->path, &error) ||
      (answer = ferry_replicator_parse_answer (attempt, batches->path, &error)) == NULL ||
      !batches->take (answer, batches->results, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  complete_range (batches, first_result);
  send_next (g_steal_pointer (&task));
}

static void
send_next (GTask *task)
{
  FerryReplicator *self = g_task_get_source_object (task);
  Batches *batches = g_task_get_task_data (task);
  g_autoptr(FerryHttpRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;

  if (batches->ranges->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (batches->results),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  batches->start = g_array_index (batches->ranges, guint, batches->ranges->len - 2);
  batches->end = g_array_index (batches->ranges, guint, batches->ranges->len - 1);
  g_array_set_size (batches->ranges, batches->ranges->len - 2);

  body = batches->body (batches->docs, batches->start, batches->end);
  request = ferry_replicator_new_request (self, "POST", batches->path, NULL, body);
  ferry_replicator_send_async (self, request, TRUE, g_task_get_cancellable (task), batch_cb,
                               task);
}

/**
 * ferry_replicator_send_batches_async:
 * @self: a replicator
 * @docs: (element-type FerryDocument): the documents
 * @path: where to POST them, below the endpoint
 * @body: (scope call): makes the body for a range of @docs
 * @take: (scope call): reads an answer into push results
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * POSTs @docs in one request, or in smaller ones when the server refuses
 * the request as a whole.
 */
void
ferry_replicator_send_batches_async (FerryReplicator       *self,
                                     GPtrArray             *docs,
                                     const char            *path,
                                     FerryBatchBodyFunc     body,
                                     FerryBatchResultsFunc  take,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  GTask *task;
  Batches *batches;
  guint whole[2] = { 0, docs->len };

  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (docs != NULL && docs->len > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_replicator_send_batches_async);
  batches = g_new0 (Batches, 1);
  batches->docs = g_ptr_array_ref (docs);
  batches->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_push_result_free);
  batches->ranges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (batches->ranges, whole, 2);
  batches->path = g_strdup (path);
  batches->body = body;
  batches->take = take;
  g_task_set_task_data (task, batches, (GDestroyNotify) batches_free);
  send_next (task);
}

/**
 * ferry_replicator_send_batches_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for why the batch as a whole failed
 *
 * Returns: (transfer full) (element-type FerryPushResult) (nullable): a
 *   result for each document
 */
GPtrArray *
ferry_replicator_send_batches_finish (FerryReplicator  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
