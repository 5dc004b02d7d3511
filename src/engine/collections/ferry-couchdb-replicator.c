/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-couchdb-replicator"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-couchdb-replicator-private.h"

/*
 * The CouchDB replication protocol, server authoritative: the server keeps
 * the revision tree, Ferry keeps for each document the revision it last
 * agreed on (the base) and never creates branches.  Any CouchDB 2 or 3,
 * Cloudant or PouchDB Server will do.
 *
 * check   GET {db} (doc_count, update_seq); a missing database is created
 *         with PUT {db}.  When Ferry saved its checkpoint on the server
 *         before and that _local document is gone, the database was made
 *         anew: the pull starts over.
 * push    POST {db}/_bulk_docs with each document's base _rev (none for a
 *         new one, `_deleted` for a deletion).  Each document gets its own
 *         result: a new _rev, "conflict" (its current copy is then fetched
 *         for the strategy), or a refusal ("forbidden"…).  A batch the
 *         server refuses whole (400, 413: one bad document spoils it) is
 *         halved until the bad one is alone, and that one is refused.
 * pull    A first pull reads the current documents a page at a time
 *         through GET {db}/_all_docs?include_docs=true (deleted documents
 *         are not there, so their history is never replayed), then
 *         follows GET {db}/_changes from the update_seq taken before the
 *         first page.  A database that held no documents at the run's
 *         check has nothing to read: the first pull follows _changes from
 *         that check's update_seq at once (what a first push just wrote
 *         would otherwise be read back whole).  Changes come without
 *         bodies (ids and revisions only, with seq_interval): the run
 *         skips those it already has, its own pushes coming back among
 *         them, and fetches the rest.
 * fetch   POST {db}/_all_docs?include_docs=true with the ids as keys: the
 *         winning revision of each.
 * watch   GET {db}/_changes?feed=longpoll with a heartbeat, which keeps the
 *         connection alive until a change comes.
 * save    PUT {db}/_local/ferry-<uuid>: the checkpoint kept on the server,
 *         best effort; only used to tell a database made anew.
 *
 * Checkpoints are JSON: {"snapshot": S, "after": id} while the first pull
 * reads documents (S is the update_seq it will follow from), {"since": S}
 * after it.  A sequence is kept as the server gave it (a number, or
 * CouchDB 2's opaque text).
 */

struct _FerryCouchdbReplicator
{
  FerryReplicator parent_instance;

  /* owned */
  JsonNode *update_seq;   /* from the last check, for a first pull */
  char     *local_rev;    /* of the _local checkpoint, once written */

  /* state */
  gboolean  was_empty;    /* no documents at the last check */
  guint     written;      /* documents its pushes wrote since the last check */
};

G_DEFINE_FINAL_TYPE (FerryCouchdbReplicator, ferry_couchdb_replicator, FERRY_TYPE_REPLICATOR)

/* JSON -------------------------------------------------------------------- */

/* A sequence as a query value: a text sequence unquoted, a number as is. */
char *
ferry_couchdb_seq_to_query (JsonNode *seq)
{
  g_autofree char *text = NULL;

  if (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_uri_escape_string (json_node_get_string (seq), NULL, FALSE);
  text = json_to_string (seq, FALSE);
  return g_uri_escape_string (text, NULL, FALSE);
}

/* How many changes a sequence stands for: its number, or the number that
 * starts CouchDB 2's text ("1841-g1AAAA…"); -1 when it has none. */
static gint64
seq_number (JsonNode *seq)
{
  if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq))
    return -1;
  if (json_node_get_value_type (seq) == G_TYPE_INT64)
    return json_node_get_int (seq);
  if (json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (seq), NULL, 10);
  return -1;
}

static char *
make_checkpoint (const char *kind,
                 JsonNode   *seq,
                 const char *after)
{
  g_autoptr(GString) out = g_string_new ("{");
  g_autofree char *seq_text = json_to_string (seq, FALSE);

  ferry_json_append_string (out, kind);
  g_string_append_printf (out, ":%s", seq_text);
  if (after != NULL)
    {
      g_string_append (out, ",\"after\":");
      ferry_json_append_string (out, after);
    }
  g_string_append_c (out, '}');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Check ------------------------------------------------------------------- */

typedef struct
{
  FerryCheckResult *result;
  char             *marker;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->result);
  g_free (data->marker);
  g_free (data);
}

/* Takes @task. */
static void
return_check (GTask *task)
{
  g_autoptr(GTask) owned = task;
  CheckData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->result), g_free);
}

static void
marker_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (object), result);
  if (attempt->kind == FERRY_OUTCOME_CANCELLED)
    {
      g_task_return_error (task, g_error_copy (attempt->error));
      return;
    }
  /* Ferry's checkpoint on the server is gone: not the database it
   * synced with.  Anything else (no right to read it, an error) says
   * nothing, and the pull goes on where it was. */
  if (attempt->kind == FERRY_OUTCOME_HTTP && attempt->status == 404)
    {
      g_message ("the checkpoint kept on the server is gone: pulling from the start");
      data->result->restart_pull = TRUE;
    }
  return_check (g_steal_pointer (&task));
}

static void
check_marker (GTask *task)
{
  FerryReplicator *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autoptr(FerryHttpRequest) request = NULL;

  if (data->marker == NULL)
    {
      return_check (task);
      return;
    }
  path = g_strconcat ("_local/", data->marker, NULL);
  request = ferry_replicator_new_request (self, "GET", path, NULL, NULL);
  ferry_replicator_send_async (self, request, TRUE, g_task_get_cancellable (task), marker_cb,
                               task);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean made_elsewhere;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (object), result);
  /* 412: someone else made it meanwhile. */
  made_elsewhere = attempt->kind == FERRY_OUTCOME_HTTP && attempt->status == 412;
  if (!made_elsewhere &&
      !ferry_replicator_check_answer (FERRY_REPLICATOR (object), attempt,
                                      "creating the database", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->result->remote_documents = 0;
  /* Made just now: nothing in it, its feed from the start (made by
   * someone else, it may hold anything already). */
  self->was_empty = !made_elsewhere;
  self->written = 0;
  g_clear_pointer (&self->update_seq, json_node_unref);
  if (!made_elsewhere)
    self->update_seq = json_from_string ("0", NULL);
  g_clear_pointer (&data->marker, g_free);
  return_check (g_steal_pointer (&task));
}

static void
database_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *info;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (self), result);
  if (attempt->kind == FERRY_OUTCOME_HTTP && attempt->status == 404)
    {
      g_autoptr(FerryHttpRequest) request = NULL;

      request = ferry_replicator_new_request (FERRY_REPLICATOR (self), "PUT", NULL, NULL, NULL);
      ferry_replicator_send_async (FERRY_REPLICATOR (self), request, TRUE,
                                   g_task_get_cancellable (task), create_cb,
                                   g_object_ref (task));
      return;
    }
  if (!ferry_replicator_check_answer (FERRY_REPLICATOR (self), attempt, "database", &error) ||
      (root = ferry_replicator_parse_answer (attempt, "database", &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  info = ferry_json_root_object (root);
  data->result->remote_documents = ferry_json_int (info, "doc_count", -1);
  self->was_empty = data->result->remote_documents == 0;
  self->written = 0;
  g_clear_pointer (&self->update_seq, json_node_unref);
  if (info != NULL && json_object_has_member (info, "update_seq"))
    self->update_seq = json_node_copy (json_object_get_member (info, "update_seq"));
  check_marker (g_steal_pointer (&task));
}

static void
ferry_couchdb_replicator_check (FerryReplicator     *replicator,
                                const FerrySyncInfo *info,
                                GTask               *task)
{
  g_autoptr(FerryHttpRequest) request = NULL;
  CheckData *data = g_new0 (CheckData, 1);

  data->result = g_new0 (FerryCheckResult, 1);
  data->result->remote_documents = -1;
  if (info->checkpoint != NULL)
    data->marker = g_strdup (info->remote_marker);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  request = ferry_replicator_new_request (replicator, "GET", NULL, NULL, NULL);
  ferry_replicator_send_async (replicator, request, TRUE, g_task_get_cancellable (task),
                               database_cb, task);
}

/* Pull -------------------------------------------------------------------- */

typedef struct
{
  guint     limit;
  JsonNode *snapshot;   /* the update_seq a first pull follows from */
  char     *after;      /* the last id of the previous page */
  JsonNode *since;      /* where the feed is read from */
} PullData;

static void
pull_data_free (PullData *data)
{
  g_clear_pointer (&data->snapshot, json_node_unref);
  g_clear_pointer (&data->since, json_node_unref);
  g_free (data->after);
  g_free (data);
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PullData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(FerryPullPage) page = ferry_pull_page_new ();
  const char *last = NULL;
  JsonObject *answer;
  JsonArray *rows;
  guint taken = 0;

  root = ferry_replicator_finish_json (FERRY_REPLICATOR (object), result, "_all_docs", &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = ferry_json_root_object (root);
  rows = ferry_json_array (answer, "rows");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows) && taken < data->limit; i++)
    {
      JsonObject *row = json_node_get_object (json_array_get_element (rows, i));
      const char *id = ferry_json_string (row, "id");
      FerryRemoteDoc *doc;

      /* The page starts at the last id of the one before, inclusive. */
      if (id == NULL || (data->after != NULL && g_str_equal (id, data->after)))
        continue;
      taken++;
      last = id;
      if (ferry_couchdb_is_design (id) || (doc = ferry_couchdb_remote_from_row (row)) == NULL)
        continue;
      g_ptr_array_add (page->changes, doc);
    }
  page->more = TRUE;
  if (taken < data->limit)
    /* Every document is here: from now on, the changes since the
     * snapshot's sequence. */
    page->checkpoint = make_checkpoint ("since", data->snapshot, NULL);
  else
    {
      gint64 total = ferry_json_int (answer, "total_rows", -1);
      gint64 offset = ferry_json_int (answer, "offset", -1);

      page->checkpoint = make_checkpoint ("snapshot", data->snapshot, last);
      if (total >= 0 && offset >= 0)
        page->remaining = MAX (total - offset - (gint64) taken - 1, 0);
    }
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) ferry_pull_page_free);
}

static void
read_snapshot_page (GTask *task)
{
  FerryReplicator *self = g_task_get_source_object (task);
  PullData *data = g_task_get_task_data (task);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(FerryHttpRequest) request = NULL;

  g_string_printf (query, "include_docs=true&limit=%u", data->limit + 1);
  if (data->after != NULL)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      g_autofree char *escaped = NULL;

      ferry_json_append_string (key, data->after);
      escaped = g_uri_escape_string (key->str, NULL, FALSE);
      g_string_append_printf (query, "&startkey=%s", escaped);
    }
  request = ferry_replicator_new_request (self, "GET", "_all_docs", query->str, NULL);
  ferry_replicator_send_async (self, request, TRUE, g_task_get_cancellable (task), snapshot_cb,
                               task);
}

static void
snapshot_seq_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  PullData *data = g_task_get_task_data (task);
  g_autoptr(FerryCheckResult) check = NULL;
  g_autoptr(GError) error = NULL;

  check = ferry_replicator_check_finish (FERRY_REPLICATOR (self), result, &error);
  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->snapshot = self->update_seq != NULL ? json_node_copy (self->update_seq)
                                            : json_from_string ("0", NULL);
  read_snapshot_page (g_steal_pointer (&task));
}

static void
changes_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  PullData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(FerryPullPage) page = ferry_pull_page_new ();
  JsonObject *answer;
  JsonArray *results;
  JsonNode *last_seq;
  guint n;

  root = ferry_replicator_finish_json (FERRY_REPLICATOR (object), result, "_changes", &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = ferry_json_root_object (root);
  results = ferry_json_array (answer, "results");
  last_seq = answer != NULL ? json_object_get_member (answer, "last_seq") : NULL;
  if (results == NULL || last_seq == NULL)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                               "_changes: no results or last_seq in the answer");
      return;
    }
  n = json_array_get_length (results);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_node_get_object (json_array_get_element (results, i));
      JsonArray *revs = ferry_json_array (row, "changes");
      const char *id = ferry_json_string (row, "id");
      const char *rev = NULL;

      if (id == NULL || ferry_couchdb_is_design (id))
        continue;
      if (revs != NULL && json_array_get_length (revs) > 0)
        rev = ferry_json_string (json_array_get_object_element (revs, 0), "rev");
      /* Without a body: the run fetches those it does not have. */
      g_ptr_array_add (page->changes, ferry_remote_doc_new (id, rev,
                                                            ferry_json_bool (row, "deleted"),
                                                            NULL));
    }
  page->checkpoint = make_checkpoint ("since", last_seq, NULL);
  page->remaining = ferry_json_int (answer, "pending", -1);
  /* No "pending" (PouchDB Server): what the check's update_seq leaves. */
  if (page->remaining < 0 && self->update_seq != NULL && seq_number (last_seq) >= 0 &&
      seq_number (self->update_seq) >= 0)
    page->remaining = MAX (seq_number (self->update_seq) - seq_number (last_seq), 0);
  page->more = n >= data->limit || ferry_json_int (answer, "pending", 0) > 0;
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) ferry_pull_page_free);
}

static void
read_changes (GTask *task)
{
  FerryReplicator *self = g_task_get_source_object (task);
  PullData *data = g_task_get_task_data (task);
  g_autofree char *seq = ferry_couchdb_seq_to_query (data->since);
  g_autofree char *query = g_strdup_printf ("since=%s&limit=%u&seq_interval=%u", seq,
                                            data->limit, data->limit);
  g_autoptr(FerryHttpRequest) request = NULL;

  request = ferry_replicator_new_request (self, "GET", "_changes", query, NULL);
  ferry_replicator_send_async (self, request, TRUE, g_task_get_cancellable (task), changes_cb,
                               task);
}

/* Whether the feed from @since may hold nothing but what this run's
 * pushes wrote: @since is where the check found the database, and the
 * sequences are plain numbers, one a write (a cluster's are not). */
static gboolean
only_own_writes_since (FerryCouchdbReplicator *self,
                       JsonNode               *since)
{
  return self->written > 0 && self->update_seq != NULL &&
         JSON_NODE_HOLDS_VALUE (since) && json_node_get_value_type (since) == G_TYPE_INT64 &&
         JSON_NODE_HOLDS_VALUE (self->update_seq) &&
         json_node_get_value_type (self->update_seq) == G_TYPE_INT64 &&
         json_node_get_int (since) == json_node_get_int (self->update_seq);
}

/* After a push from where the check left the database: when it moved on
 * by exactly the documents the push wrote, nobody else wrote meanwhile,
 * and the feed would bring back only those (a whole first push of them).
 * The pull goes on from its end instead. */
static void
own_writes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  PullData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(FerryPullPage) page = NULL;
  JsonObject *info;
  JsonNode *now;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (object), result);
  if (ferry_replicator_check_answer (FERRY_REPLICATOR (object), attempt, "database", NULL))
    root = ferry_replicator_parse_answer (attempt, "database", NULL);
  info = ferry_json_root_object (root);
  now = info != NULL ? json_object_get_member (info, "update_seq") : NULL;
  /* Anything else (an error included) is read from the feed as usual. */
  if (now == NULL || !JSON_NODE_HOLDS_VALUE (now) ||
      json_node_get_value_type (now) != G_TYPE_INT64 ||
      json_node_get_int (now) - json_node_get_int (data->since) != (gint64) self->written)
    {
      read_changes (g_steal_pointer (&task));
      return;
    }
  g_debug ("the database moved on by the %u documents pushed only: the feed is read from %"
           G_GINT64_FORMAT, self->written, json_node_get_int (now));
  self->written = 0;
  g_clear_pointer (&self->update_seq, json_node_unref);
  self->update_seq = json_node_copy (now);
  page = ferry_pull_page_new ();
  page->checkpoint = make_checkpoint ("since", now, NULL);
  page->remaining = 0;
  page->more = FALSE;
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) ferry_pull_page_free);
}

static void
ferry_couchdb_replicator_pull (FerryReplicator *replicator,
                               const char      *checkpoint,
                               guint            limit,
                               GTask           *task)
{
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (replicator);
  g_autoptr(JsonNode) parsed = checkpoint != NULL ? json_from_string (checkpoint, NULL) : NULL;
  JsonObject *position = ferry_json_root_object (parsed);
  PullData *data = g_new0 (PullData, 1);
  JsonNode *since;

  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) pull_data_free);
  since = position != NULL ? json_object_get_member (position, "since") : NULL;
  /* Nothing to read in a database that was empty: what came since is in
   * the feed. */
  if (since == NULL && position == NULL && self->was_empty && self->update_seq != NULL)
    since = self->update_seq;
  if (since != NULL)
    {
      data->since = json_node_copy (since);
      if (only_own_writes_since (self, since))
        {
          g_autoptr(FerryHttpRequest) request = NULL;

          request = ferry_replicator_new_request (replicator, "GET", NULL, NULL, NULL);
          ferry_replicator_send_async (replicator, request, TRUE,
                                       g_task_get_cancellable (task), own_writes_cb, task);
          return;
        }
      read_changes (task);
      return;
    }

  /* A first pull: documents a page at a time, from the sequence taken
   * before the first page. */
  if (position != NULL && json_object_get_member (position, "snapshot") != NULL)
    {
      data->snapshot = json_node_copy (json_object_get_member (position, "snapshot"));
      data->after = g_strdup (ferry_json_string (position, "after"));
      read_snapshot_page (task);
      return;
    }
  if (self->update_seq != NULL)
    {
      data->snapshot = json_node_copy (self->update_seq);
      read_snapshot_page (task);
      return;
    }
  {
    g_autoptr(FerrySyncInfo) nothing = g_new0 (FerrySyncInfo, 1);

    ferry_replicator_check_async (replicator, nothing, g_task_get_cancellable (task),
                                  snapshot_seq_cb, task);
  }
}

/* Save -------------------------------------------------------------------- */

typedef struct
{
  char    *marker;
  char    *checkpoint;
  gboolean second_try;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->marker);
  g_free (data->checkpoint);
  g_free (data);
}

static void put_local (GTask *task);

static void
local_rev_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = ferry_replicator_finish_json (FERRY_REPLICATOR (self), result, "_local", &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->local_rev);
  self->local_rev = g_strdup (ferry_json_string (ferry_json_root_object (root), "_rev"));
  put_local (g_steal_pointer (&task));
}

static void
put_local_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  attempt = ferry_replicator_send_finish (FERRY_REPLICATOR (self), result);
  /* Written meanwhile (by an earlier Ferry): read its revision, once. */
  if (attempt->kind == FERRY_OUTCOME_HTTP && attempt->status == 409 && !data->second_try)
    {
      g_autofree char *path = g_strconcat ("_local/", data->marker, NULL);
      g_autoptr(FerryHttpRequest) request = NULL;

      data->second_try = TRUE;
      request = ferry_replicator_new_request (FERRY_REPLICATOR (self), "GET", path, NULL, NULL);
      ferry_replicator_send_async (FERRY_REPLICATOR (self), request, TRUE,
                                   g_task_get_cancellable (task), local_rev_cb,
                                   g_object_ref (task));
      return;
    }
  if (!ferry_replicator_check_answer (FERRY_REPLICATOR (self), attempt, "_local", &error) ||
      (root = ferry_replicator_parse_answer (attempt, "_local", &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->local_rev);
  self->local_rev = g_strdup (ferry_json_string (ferry_json_root_object (root), "rev"));
  g_task_return_pointer (task, g_strdup (data->marker), g_free);
}

static void
put_local (GTask *task)
{
  FerryCouchdbReplicator *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GString) body = g_string_new ("{");
  g_autofree char *path = g_strconcat ("_local/", data->marker, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FerryHttpRequest) request = NULL;

  if (self->local_rev != NULL)
    {
      g_string_append (body, "\"_rev\":");
      ferry_json_append_string (body, self->local_rev);
      g_string_append_c (body, ',');
    }
  g_string_append (body, "\"replicator\":\"ferry\",\"checkpoint\":");
  ferry_json_append_string (body, data->checkpoint);
  g_string_append_c (body, '}');
  bytes = g_string_free_to_bytes (g_steal_pointer (&body));
  request = ferry_replicator_new_request (FERRY_REPLICATOR (self), "PUT", path, NULL, bytes);
  ferry_replicator_send_async (FERRY_REPLICATOR (self), request, TRUE,
                               g_task_get_cancellable (task), put_local_cb, task);
}

static void
ferry_couchdb_replicator_save_checkpoint (FerryReplicator *replicator,
                                          const char      *checkpoint,
                                          const char      *marker,
                                          GTask           *task)
{
  SaveData *data = g_new0 (SaveData, 1);

  if (marker != NULL)
    data->marker = g_strdup (marker);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      data->marker = g_strconcat ("ferry-", uuid, NULL);
    }
  data->checkpoint = g_strdup (checkpoint);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  put_local (task);
}

/* GObject ----------------------------------------------------------------- */

static void
ferry_couchdb_replicator_finalize (GObject *object)
{
  FerryCouchdbReplicator *self = FERRY_COUCHDB_REPLICATOR (object);

  g_clear_pointer (&self->update_seq, json_node_unref);
  g_clear_pointer (&self->local_rev, g_free);

  G_OBJECT_CLASS (ferry_couchdb_replicator_parent_class)->finalize (object);
}

static void
ferry_couchdb_replicator_class_init (FerryCouchdbReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FerryReplicatorClass *replicator_class = FERRY_REPLICATOR_CLASS (klass);

  object_class->finalize = ferry_couchdb_replicator_finalize;
  replicator_class->check = ferry_couchdb_replicator_check;
  replicator_class->push = ferry_couchdb_replicator_push;
  replicator_class->pull = ferry_couchdb_replicator_pull;
  replicator_class->fetch = ferry_couchdb_replicator_fetch;
  replicator_class->watch = ferry_couchdb_replicator_watch;
  replicator_class->save_checkpoint = ferry_couchdb_replicator_save_checkpoint;
}

static void
ferry_couchdb_replicator_init (FerryCouchdbReplicator *self)
{
}

/**
 * ferry_couchdb_replicator_note_written:
 * @replicator: a CouchDB replicator
 * @count: documents a push just wrote on the server
 *
 * Counts what the run's pushes wrote, for the pull that follows.
 */
void
ferry_couchdb_replicator_note_written (FerryReplicator *replicator,
                                       guint            count)
{
  FERRY_COUCHDB_REPLICATOR (replicator)->written += count;
}
