/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-collection-store.h"
#include "ferry-error.h"
#include "ferry-task-store.h"
#include "ferry-test-util.h"

/*
 * The local replicas of collections in SQLite: local writes and the
 * changes feed, what a push and a pull write, conflicts, counts, a
 * collection removed with its data kept and added again, transactions.
 */

typedef struct
{
  char                 *dir;
  char                 *path;
  FerryDatabase        *database;
  FerryCollectionStore *store;
  gint64                id;
} Fixture;

static GBytes *
text (const char *json)
{
  return g_bytes_new (json, strlen (json));
}

static FerryCollectionConfig *
notes_config (const char *url)
{
  FerryCollectionConfig *config = ferry_collection_config_new ();

  config->owner = g_strdup ("org.example.Notes");
  config->name = g_strdup ("notes");
  config->url = g_strdup (url);
  config->created = 1000;
  return config;
}

static void
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->database = ferry_database_new (fixture->path, &error);
  g_assert_no_error (error);
  fixture->store = ferry_collection_store_new (fixture->database, &error);
  g_assert_no_error (error);
}

static void
close_store (Fixture *fixture)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->database);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryCollectionConfig) config = notes_config ("http://127.0.0.1:1/notes");
  g_autoptr(GError) error = NULL;

  fixture->dir = ferry_test_make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "ferry.db", NULL);
  open_store (fixture);
  g_assert_true (ferry_collection_store_attach (fixture->store, config, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->id, >, 0);
  fixture->id = config->id;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_store (fixture);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
put (Fixture    *fixture,
     const char *id,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDocument) before = NULL;
  g_autoptr(GBytes) body = json != NULL ? text (json) : NULL;
  gint64 seq = -1;

  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  before = ferry_collection_store_dup_document (fixture->store, fixture->id, id, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_write_local (fixture->store, fixture->id, before, id,
                                                    body, &seq, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  return seq;
}

static FerryDocument *
get (Fixture    *fixture,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  FerryDocument *doc = ferry_collection_store_dup_document (fixture->store, fixture->id, id,
                                                            &error);

  g_assert_no_error (error);
  return doc;
}

static FerryDocumentCounts
counts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts c = { 0, };

  g_assert_true (ferry_collection_store_get_counts (fixture->store, fixture->id, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* The counts kept up to date match a fresh count from the database. */
static void
assert_counts (Fixture *fixture,
               guint    documents,
               guint    dirty,
               guint    conflicts,
               guint    failed)
{
  FerryDocumentCounts c = counts (fixture);

  g_assert_cmpuint (c.documents, ==, documents);
  g_assert_cmpuint (c.dirty, ==, dirty);
  g_assert_cmpuint (c.conflicts, ==, conflicts);
  g_assert_cmpuint (c.failed, ==, failed);
  close_store (fixture);
  open_store (fixture);
  c = counts (fixture);
  g_assert_cmpuint (c.documents, ==, documents);
  g_assert_cmpuint (c.dirty, ==, dirty);
  g_assert_cmpuint (c.conflicts, ==, conflicts);
  g_assert_cmpuint (c.failed, ==, failed);
}

static void
test_local_writes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  gint64 a, b, a2, gone;

  a = put (fixture, "a", "{\"title\":\"one\"}");
  b = put (fixture, "b", "{\"title\":\"two\"}");
  g_assert_cmpint (b, >, a);
  /* Writing the same content again changes nothing. */
  g_assert_cmpint (put (fixture, "a", "{\"title\":\"one\"}"), ==, a);
  a2 = put (fixture, "a", "{\"title\":\"uno\"}");
  g_assert_cmpint (a2, >, b);
  assert_counts (fixture, 2, 2, 0, 0);

  /* Never on the server: deleting it leaves nothing to push. */
  gone = put (fixture, "b", NULL);
  g_assert_cmpint (gone, >, a2);
  doc = get (fixture, "b");
  g_assert_true (doc->deleted);
  g_assert_false (doc->dirty);
  g_assert_null (doc->body);
  assert_counts (fixture, 1, 1, 0, 0);

  /* The feed: each document once, in the order of its last change. */
  changes = ferry_collection_store_changes (fixture->store, fixture->id, 0, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (((FerryDocument *) changes->pdata[0])->id, ==, "a");
  g_assert_cmpstr (((FerryDocument *) changes->pdata[1])->id, ==, "b");
  g_assert_true (((FerryDocument *) changes->pdata[1])->deleted);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = ferry_collection_store_changes (fixture->store, fixture->id, a2, 10, FALSE, &error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_null (((FerryDocument *) changes->pdata[0])->body);

  /* A document that never was cannot be deleted. */
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_false (ferry_collection_store_write_local (fixture->store, fixture->id, NULL, "zz",
                                                     NULL, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  ferry_collection_store_rollback (fixture->store);
}

static FerryRemoteDoc *
remote (const char *id,
        const char *version,
        const char *json)
{
  g_autoptr(GBytes) body = json != NULL ? text (json) : NULL;

  return ferry_remote_doc_new (id, version, json == NULL, body);
}

static void
test_push_and_pull (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pushable = NULL;
  g_autoptr(FerryDocument) sent = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(FerryRemoteDoc) r1 = NULL;
  g_autoptr(FerryRemoteDoc) r2 = NULL;
  gint64 seq = 0;

  put (fixture, "a", "{\"n\":1}");
  pushable = ferry_collection_store_next_pushable (fixture->store, fixture->id, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pushable->len, ==, 1);
  sent = ferry_document_ref (pushable->pdata[0]);

  /* Written again while on its way: the new change stays dirty. */
  put (fixture, "a", "{\"n\":2}");
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_mark_pushed (fixture->store, fixture->id, sent, "1-x",
                                                    &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  doc = get (fixture, "a");
  g_assert_true (doc->dirty);
  g_assert_cmpstr (doc->base_version, ==, "1-x");
  g_assert_cmpmem (g_bytes_get_data (doc->base, NULL), g_bytes_get_size (doc->base),
                   "{\"n\":1}", 7);
  g_clear_pointer (&doc, ferry_document_unref);

  /* A pulled change of a clean document replaces it. */
  r1 = remote ("b", "1-b", "{\"m\":1}");
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_take_remote (fixture->store, fixture->id, NULL, r1, &seq,
                                                    &error));
  g_assert_cmpint (seq, >, 0);
  /* A deletion of a document never seen here writes nothing. */
  r2 = remote ("c", "2-c", NULL);
  g_assert_true (ferry_collection_store_take_remote (fixture->store, fixture->id, NULL, r2, &seq,
                                                    &error));
  g_assert_cmpint (seq, ==, 0);
  g_assert_true (ferry_collection_store_set_checkpoint (fixture->store, fixture->id, "7",
                                                       &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  doc = get (fixture, "b");
  g_assert_false (doc->dirty);
  g_assert_cmpstr (doc->base_version, ==, "1-b");
  g_assert_null (get (fixture, "c"));
  assert_counts (fixture, 2, 1, 0, 0);
  {
    g_autoptr(FerrySyncInfo) info = ferry_collection_store_dup_sync_info (fixture->store,
                                                                          fixture->id, &error);
    g_assert_cmpstr (info->checkpoint, ==, "7");
  }
}

static void
test_conflict_and_reject (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(FerryRemoteDoc) theirs = remote ("a", "2-t", "{\"n\":3}");
  g_autoptr(GBytes) merged = text ("{\"n\":4}");
  gint64 seq = 0;

  put (fixture, "a", "{\"n\":1}");
  doc = get (fixture, "a");
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_set_conflict (fixture->store, fixture->id, doc, theirs,
                                                     "changed on both sides", &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_clear_pointer (&doc, ferry_document_unref);
  doc = get (fixture, "a");
  g_assert_true (doc->conflict);
  g_assert_cmpstr (doc->remote_version, ==, "2-t");
  assert_counts (fixture, 1, 0, 1, 0);

  /* Settled with a merge: dirty over the server's copy. */
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_rebase (fixture->store, fixture->id, doc, merged, theirs,
                                               &seq, &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_assert_cmpint (seq, >, doc->seq);
  g_clear_pointer (&doc, ferry_document_unref);
  doc = get (fixture, "a");
  g_assert_false (doc->conflict);
  g_assert_true (doc->dirty);
  g_assert_cmpstr (doc->base_version, ==, "2-t");
  g_assert_cmpmem (g_bytes_get_data (doc->body, NULL), g_bytes_get_size (doc->body),
                   "{\"n\":4}", 7);
  assert_counts (fixture, 1, 1, 0, 0);

  /* Refused: failed until written again or retried. */
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_mark_rejected (fixture->store, fixture->id, doc,
                                                      "forbidden", &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  assert_counts (fixture, 1, 0, 0, 1);
  {
    g_autoptr(GPtrArray) none = ferry_collection_store_next_pushable (fixture->store,
                                                                      fixture->id, 0, 10,
                                                                      &error);
    g_assert_cmpuint (none->len, ==, 0);
  }
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_retry_failed (fixture->store, fixture->id, NULL, &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  assert_counts (fixture, 1, 1, 0, 0);
}

static void
test_rollback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = text ("{}");

  put (fixture, "a", "{}");
  assert_counts (fixture, 1, 1, 0, 0);
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_write_local (fixture->store, fixture->id, NULL, "b",
                                                    body, NULL, &error));
  g_assert_true (ferry_collection_store_set_checkpoint (fixture->store, fixture->id, "9",
                                                       &error));
  ferry_collection_store_rollback (fixture->store);
  g_assert_null (get (fixture, "b"));
  g_assert_cmpuint (counts (fixture).documents, ==, 1);
}

static void
test_reattach (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCollectionConfig) same = notes_config ("http://127.0.0.1:1/notes");
  g_autoptr(FerryCollectionConfig) moved = notes_config ("http://127.0.0.1:2/notes");
  g_autoptr(GPtrArray) attached = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(FerryDocument) sent = NULL;
  gboolean reset = TRUE;

  put (fixture, "a", "{}");
  sent = get (fixture, "a");
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_mark_pushed (fixture->store, fixture->id, sent, "1-a",
                                                    &error));
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));

  g_assert_true (ferry_collection_store_detach (fixture->store, fixture->id, TRUE, &error));
  attached = ferry_collection_store_list_attached (fixture->store, &error);
  g_assert_cmpuint (attached->len, ==, 0);
  g_clear_pointer (&attached, g_ptr_array_unref);

  /* Added again, same endpoint: where it was. */
  g_assert_true (ferry_collection_store_attach (fixture->store, same, &reset, &error));
  g_assert_false (reset);
  g_assert_cmpint (same->id, ==, fixture->id);
  doc = get (fixture, "a");
  g_assert_cmpstr (doc->base_version, ==, "1-a");
  g_clear_pointer (&doc, ferry_document_unref);

  /* Another server: everything is new there. */
  g_assert_true (ferry_collection_store_attach (fixture->store, moved, &reset, &error));
  g_assert_true (reset);
  doc = get (fixture, "a");
  g_assert_null (doc->base_version);
  g_assert_true (doc->dirty);
  attached = ferry_collection_store_list_attached (fixture->store, &error);
  g_assert_cmpuint (attached->len, ==, 1);
  g_assert_cmpstr (((FerryCollectionConfig *) attached->pdata[0])->url, ==,
                   "http://127.0.0.1:2/notes");

  /* Dropped with its data. */
  g_assert_true (ferry_collection_store_detach (fixture->store, fixture->id, FALSE, &error));
  g_assert_null (get (fixture, "a"));
}

static void
test_runs (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(FerrySyncInfo) info = NULL;

  for (guint i = 0; i < FERRY_COLLECTION_RUNS_KEPT + 5; i++)
    {
      g_autoptr(FerryRunRecord) run = ferry_run_record_new ();

      run->trigger = g_strdup ("now");
      run->result = g_strdup (i == FERRY_COLLECTION_RUNS_KEPT + 4 ? "error" : "ok");
      run->error = i == FERRY_COLLECTION_RUNS_KEPT + 4 ? g_strdup ("HTTP 503") : NULL;
      run->started = 1000 * i;
      run->finished = 1000 * i + 10;
      run->pushed = i;
      g_assert_true (ferry_collection_store_add_run (fixture->store, fixture->id, run, &error));
      g_assert_no_error (error);
    }
  runs = ferry_collection_store_list_runs (fixture->store, fixture->id, 100, &error);
  g_assert_cmpuint (runs->len, ==, FERRY_COLLECTION_RUNS_KEPT);
  g_assert_cmpuint (((FerryRunRecord *) runs->pdata[0])->pushed, ==, FERRY_COLLECTION_RUNS_KEPT + 4);
  info = ferry_collection_store_dup_sync_info (fixture->store, fixture->id, &error);
  g_assert_cmpstr (info->last_error, ==, "HTTP 503");
  g_assert_cmpint (info->last_sync, ==, 1000 * (FERRY_COLLECTION_RUNS_KEPT + 3) + 10);
}

static void
test_beside_tasks (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) tasks = NULL;

  /* Both parts in one file, each with its own schema version. */
  tasks = ferry_task_store_new_for_database (fixture->database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_database_get_part_version (fixture->database, "collections", &error),
                   ==, 1);
  put (fixture, "a", "{}");
  g_assert_cmpuint (counts (fixture).documents, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/collection-store/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("local-writes", test_local_writes);
  ADD ("push-and-pull", test_push_and_pull);
  ADD ("conflict-and-reject", test_conflict_and_reject);
  ADD ("rollback", test_rollback);
  ADD ("reattach", test_reattach);
  ADD ("runs", test_runs);
  ADD ("beside-tasks", test_beside_tasks);
#undef ADD

  return g_test_run ();
}
