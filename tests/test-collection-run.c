/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ferry-collection-run.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

/*
 * Runs of a collection against a server of the REST profile on 127.0.0.1:
 * both ways, delta only, a refused document, conflicts by strategy, an
 * expired cursor, a run cut off and resumed after its last page, progress
 * that only grows.
 */

typedef struct
{
  char                  *dir;
  char                  *path;
  FerryDatabase         *database;
  FerryCollectionStore  *store;
  FerryExecutor         *executor;
  FerryLinkMeter        *meter;
  FerryRestServer       *server;
  FerryCollectionConfig *config;
} Fixture;

typedef struct
{
  FerryRunRecord *record;
  GError         *error;
  gboolean        done;
  guint           last_total;
  guint           last_synced;
  gboolean        shrank;
  guint           conflicts;
} Outcome;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = ferry_test_make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "ferry.db", NULL);
  fixture->database = ferry_database_new (fixture->path, &error);
  g_assert_no_error (error);
  fixture->store = ferry_collection_store_new (fixture->database, &error);
  g_assert_no_error (error);
  fixture->executor = ferry_executor_new (session);
  fixture->meter = ferry_link_meter_new ();
  fixture->server = ferry_rest_server_new ();

  fixture->config = ferry_collection_config_new ();
  fixture->config->owner = g_strdup ("org.example.Notes");
  fixture->config->name = g_strdup ("notes");
  fixture->config->protocol = FERRY_PROTOCOL_REST;
  fixture->config->url = ferry_rest_server_url (fixture->server);
  fixture->config->conflict_strategy = FERRY_CONFLICT_MERGE;
  fixture->config->batch_limit = 100;
  fixture->config->created = 1000;
  g_assert_true (ferry_collection_store_attach (fixture->store, fixture->config, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->config, ferry_collection_config_unref);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
  g_clear_object (&fixture->meter);
  g_clear_object (&fixture->executor);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->database);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
put (Fixture    *fixture,
     const char *id,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDocument) before = NULL;
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  before = ferry_collection_store_dup_document (fixture->store, fixture->config->id, id,
                                                &error);
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_write_local (fixture->store, fixture->config->id,
                                                    before, id, body, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_assert_no_error (error);
}

static FerryDocument *
get (Fixture    *fixture,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  FerryDocument *doc;

  doc = ferry_collection_store_dup_document (fixture->store, fixture->config->id, id, &error);
  g_assert_no_error (error);
  return doc;
}

static char *
body_text (GBytes *body)
{
  g_assert_nonnull (body);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
on_progress (FerryCollectionRun *run,
             gpointer            user_data)
{
  Outcome *outcome = user_data;
  guint total, synced;

  ferry_collection_run_get_progress (run, &total, &synced, NULL);
  if (total < outcome->last_total || synced < outcome->last_synced)
    outcome->shrank = TRUE;
  outcome->last_total = total;
  outcome->last_synced = synced;
}

static void
on_conflict (FerryCollectionRun *run,
             const char         *doc_id,
             gpointer            user_data)
{
  ((Outcome *) user_data)->conflicts++;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->record = ferry_collection_run_finish (FERRY_COLLECTION_RUN (object), result,
                                                 &outcome->error);
  outcome->done = TRUE;
}

/* Runs once; returns the record, or NULL with @error set. */
static FerryRunRecord *
run_once (Fixture  *fixture,
          GError  **error,
          guint    *out_conflicts)
{
  g_autoptr(FerryReplicator) replicator = NULL;
  g_autoptr(FerryCollectionRun) run = NULL;
  Outcome outcome = { 0, };

  replicator = ferry_replicator_new (fixture->config, fixture->executor, fixture->meter);
  run = ferry_collection_run_new (fixture->store, replicator, "now");
  g_signal_connect (run, "progress", G_CALLBACK (on_progress), &outcome);
  g_signal_connect (run, "conflict", G_CALLBACK (on_conflict), &outcome);
  ferry_collection_run_start_async (run, NULL, run_cb, &outcome);
  FERRY_TEST_WAIT (outcome.done, 20000);
  g_assert_false (outcome.shrank);
  g_assert_cmpint (ferry_collection_run_get_phase (run), ==, FERRY_RUN_PHASE_NONE);
  if (out_conflicts != NULL)
    *out_conflicts = outcome.conflicts;
  if (outcome.error != NULL)
    g_propagate_error (error, outcome.error);
  return outcome.record;
}

static FerryRunRecord *
run_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  FerryRunRecord *record = run_once (fixture, &error, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->result, ==, "ok");
  return record;
}

static FerryDocumentCounts
counts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts c = { 0, };

  g_assert_true (ferry_collection_store_get_counts (fixture->store, fixture->config->id, &c,
                                                   &error));
  g_assert_no_error (error);
  return c;
}

static void
test_both_ways (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryRunRecord) first = NULL;
  g_autoptr(FerryRunRecord) second = NULL;
  g_autoptr(FerryRunRecord) third = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  gboolean deleted = FALSE;

  put (fixture, "a", "{\"title\":\"one\"}");
  put (fixture, "b", "{\"title\":\"two\"}");
  put (fixture, "c", "{\"title\":\"three\"}");
  ferry_rest_server_put (fixture->server, "x", "{\"title\":\"from elsewhere\"}");
  ferry_rest_server_put (fixture->server, "y", "{\"title\":\"also\"}");

  first = run_ok (fixture);
  g_assert_cmpuint (first->pushed, ==, 3);
  g_assert_cmpuint (first->pulled, ==, 2);
  g_assert_cmpuint (first->failed, ==, 0);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 5);
  json = ferry_rest_server_dup (fixture->server, "b", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"two\"}");
  doc = get (fixture, "x");
  g_assert_nonnull (doc);
  text = body_text (doc->body);
  g_assert_cmpstr (text, ==, "{\"title\":\"from elsewhere\"}");
  g_assert_false (doc->dirty);
  g_assert_cmpuint (counts (fixture).documents, ==, 5);
  g_assert_cmpuint (counts (fixture).dirty, ==, 0);

  /* Delta: nothing changed, nothing moves; its own pushes coming back
   * from the feed are not applied again. */
  second = run_ok (fixture);
  g_assert_cmpuint (second->pushed, ==, 0);
  g_assert_cmpuint (second->pulled, ==, 0);
  g_assert_cmpuint (ferry_rest_server_count_requests (fixture->server, "batch"), ==, 1);

  /* Deletes travel both ways. */
  put (fixture, "a", NULL);
  ferry_rest_server_delete (fixture->server, "y");
  third = run_ok (fixture);
  g_assert_cmpuint (third->pushed, ==, 1);
  g_assert_cmpuint (third->pulled, ==, 1);
  g_clear_pointer (&json, g_free);
  json = ferry_rest_server_dup (fixture->server, "a", &deleted);
  g_assert_null (json);
  g_assert_true (deleted);
  g_clear_pointer (&doc, ferry_document_unref);
  doc = get (fixture, "y");
  g_assert_true (doc->deleted);
  g_assert_cmpuint (counts (fixture).documents, ==, 3);

  /* The history keeps each run with its phases. */
  runs = ferry_collection_store_list_runs (fixture->store, fixture->config->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 3);
}

static void
test_rejected (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(FerryRunRecord) again = NULL;
  g_autoptr(FerryDocument) bad = NULL;
  g_autoptr(GError) error = NULL;
  guint retried = 0;

  ferry_rest_server_reject (fixture->server, "bad", "forbidden");
  put (fixture, "a", "{\"n\":1}");
  put (fixture, "bad", "{\"n\":2}");
  put (fixture, "c", "{\"n\":3}");

  /* The run goes on past the refused document. */
  record = run_ok (fixture);
  g_assert_cmpuint (record->pushed, ==, 2);
  g_assert_cmpuint (record->failed, ==, 1);
  bad = get (fixture, "bad");
  g_assert_cmpstr (bad->failed_reason, ==, "forbidden");
  g_assert_cmpuint (counts (fixture).failed, ==, 1);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 2);

  /* It is not sent again until retried. */
  again = run_ok (fixture);
  g_assert_cmpuint (again->failed, ==, 0);
  g_assert_cmpuint (again->pushed, ==, 0);
  ferry_rest_server_reject (fixture->server, "bad", NULL);
  g_assert_true (ferry_collection_store_begin (fixture->store, &error));
  g_assert_true (ferry_collection_store_retry_failed (fixture->store, fixture->config->id,
                                                     &retried, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_commit (fixture->store, &error));
  g_assert_cmpuint (retried, ==, 1);
  g_clear_pointer (&again, ferry_run_record_free);
  again = run_ok (fixture);
  g_assert_cmpuint (again->pushed, ==, 1);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 3);
}

static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  guint conflicts = 0;

  put (fixture, "n", "{\"title\":\"t\",\"body\":\"b\"}");
  put (fixture, "m", "{\"title\":\"t\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = run_ok (fixture);

  /* Different members on each side: merged, and the merge sent. */
  ferry_rest_server_put (fixture->server, "n", "{\"title\":\"T\",\"body\":\"b\"}");
  put (fixture, "n", "{\"title\":\"t\",\"body\":\"B\"}");
  /* The same member on each side: the merge cannot say, it waits. */
  ferry_rest_server_put (fixture->server, "m", "{\"title\":\"theirs\"}");
  put (fixture, "m", "{\"title\":\"mine\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = run_once (fixture, &error, &conflicts);
  g_assert_no_error (error);
  g_assert_cmpuint (record->conflicts, ==, 2);
  g_assert_cmpuint (conflicts, ==, 1);

  json = ferry_rest_server_dup (fixture->server, "n", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"T\",\"body\":\"B\"}");
  doc = get (fixture, "n");
  g_assert_false (doc->dirty);
  g_assert_false (doc->conflict);
  g_clear_pointer (&doc, ferry_document_unref);

  /* Nothing lost: the server keeps its copy, the replica both. */
  g_clear_pointer (&json, g_free);
  json = ferry_rest_server_dup (fixture->server, "m", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"theirs\"}");
  doc = get (fixture, "m");
  g_assert_true (doc->conflict);
  g_assert_nonnull (doc->remote);
  g_assert_cmpuint (counts (fixture).conflicts, ==, 1);

  /* server-wins takes the server's copy. */
  fixture->config->conflict_strategy = FERRY_CONFLICT_SERVER_WINS;
  ferry_rest_server_put (fixture->server, "n", "{\"title\":\"S\",\"body\":\"B\"}");
  put (fixture, "n", "{\"title\":\"L\",\"body\":\"B\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = run_ok (fixture);
  g_clear_pointer (&doc, ferry_document_unref);
  doc = get (fixture, "n");
  g_assert_false (doc->dirty);
  g_clear_pointer (&json, g_free);
  json = body_text (doc->body);
  g_assert_cmpstr (json, ==, "{\"title\":\"S\",\"body\":\"B\"}");
}

static void
test_expired_cursor (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(FerryRunRecord) first = NULL;
  g_autoptr(FerryRunRecord) second = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autofree char *text = NULL;

  ferry_rest_server_put (fixture->server, "a", "{\"v\":1}");
  ferry_rest_server_put (fixture->server, "b", "{\"v\":1}");
  first = run_ok (fixture);
  g_assert_cmpuint (first->pulled, ==, 2);

  /* 410: the pull starts over, and what it holds already is not applied
   * again. */
  ferry_rest_server_expire_cursors (fixture->server);
  ferry_rest_server_put (fixture->server, "b", "{\"v\":2}");
  second = run_ok (fixture);
  g_assert_cmpuint (second->pulled, ==, 1);
  doc = get (fixture, "b");
  text = body_text (doc->body);
  g_assert_cmpstr (text, ==, "{\"v\":2}");
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  guint sent_before;

  fixture->config->batch_limit = 10;
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *id = g_strdup_printf ("d%03u", i);
      g_autofree char *json = g_strdup_printf ("{\"n\":%u}", i);

      ferry_rest_server_put (fixture->server, id, json);
    }

  /* The third page fails: the run stops, the two pages before stay. */
  ferry_rest_server_fail_after (fixture->server, "changes", 2, 500);
  record = run_once (fixture, &error, NULL);
  g_assert_null (record);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (counts (fixture).documents, ==, 20);

  /* The next run goes on after them: nothing is sent twice. */
  sent_before = ferry_rest_server_count_sent (fixture->server);
  record = run_ok (fixture);
  g_assert_cmpuint (record->pulled, ==, 230);
  g_assert_cmpuint (ferry_rest_server_count_sent (fixture->server) - sent_before, ==, 230);
  g_assert_cmpuint (counts (fixture).documents, ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/collection-run/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("both-ways", test_both_ways);
  ADD ("rejected", test_rejected);
  ADD ("conflicts", test_conflicts);
  ADD ("expired-cursor", test_expired_cursor);
  ADD ("resume", test_resume);
#undef ADD

  return g_test_run ();
}
