/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ferry-collection-run.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-collection.h"
#include "ferry-test-util.h"

/*
 * Runs of a collection against a server of the REST profile on 127.0.0.1:
 * both ways, delta only, a refused document, conflicts by strategy, an
 * expired cursor, a run cut off and resumed after its last page, progress
 * that only grows, a run waiting in its middle on a held batch.
 */

typedef FerryTestCollection Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  FerryRestServer *server = ferry_rest_server_new ();

  ferry_test_collection_open (fixture);
  fixture->server = server;
  fixture->free_server = (GDestroyNotify) ferry_rest_server_free;
  ferry_test_collection_attach (fixture, FERRY_PROTOCOL_REST, ferry_rest_server_url (server));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_test_collection_close (fixture);
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

  ferry_test_collection_put (fixture, "a", "{\"title\":\"one\"}");
  ferry_test_collection_put (fixture, "b", "{\"title\":\"two\"}");
  ferry_test_collection_put (fixture, "c", "{\"title\":\"three\"}");
  ferry_rest_server_put (fixture->server, "x", "{\"title\":\"from elsewhere\"}");
  ferry_rest_server_put (fixture->server, "y", "{\"title\":\"also\"}");

  first = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (first->pushed, ==, 3);
  g_assert_cmpuint (first->pulled, ==, 2);
  g_assert_cmpuint (first->failed, ==, 0);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 5);
  json = ferry_rest_server_dup (fixture->server, "b", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"two\"}");
  doc = ferry_test_collection_get (fixture, "x");
  g_assert_nonnull (doc);
  text = ferry_test_body_text (doc->body);
  g_assert_cmpstr (text, ==, "{\"title\":\"from elsewhere\"}");
  g_assert_false (doc->dirty);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 5);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).dirty, ==, 0);

  /* Delta: nothing changed, nothing moves; its own pushes coming back
   * from the feed are not applied again. */
  second = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (second->pushed, ==, 0);
  g_assert_cmpuint (second->pulled, ==, 0);
  g_assert_cmpuint (ferry_rest_server_count_requests (fixture->server, "batch"), ==, 1);

  /* Deletes travel both ways. */
  ferry_test_collection_put (fixture, "a", NULL);
  ferry_rest_server_delete (fixture->server, "y");
  third = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (third->pushed, ==, 1);
  g_assert_cmpuint (third->pulled, ==, 1);
  g_clear_pointer (&json, g_free);
  json = ferry_rest_server_dup (fixture->server, "a", &deleted);
  g_assert_null (json);
  g_assert_true (deleted);
  g_clear_pointer (&doc, ferry_document_unref);
  doc = ferry_test_collection_get (fixture, "y");
  g_assert_true (doc->deleted);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 3);

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
  ferry_test_collection_put (fixture, "a", "{\"n\":1}");
  ferry_test_collection_put (fixture, "bad", "{\"n\":2}");
  ferry_test_collection_put (fixture, "c", "{\"n\":3}");

  /* The run goes on past the refused document. */
  record = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (record->pushed, ==, 2);
  g_assert_cmpuint (record->failed, ==, 1);
  bad = ferry_test_collection_get (fixture, "bad");
  g_assert_cmpstr (bad->failed_reason, ==, "forbidden");
  g_assert_cmpuint (ferry_test_collection_counts (fixture).failed, ==, 1);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 2);

  /* It is not sent again until retried. */
  again = ferry_test_collection_run_ok (fixture);
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
  again = ferry_test_collection_run_ok (fixture);
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

  ferry_test_collection_put (fixture, "n", "{\"title\":\"t\",\"body\":\"b\"}");
  ferry_test_collection_put (fixture, "m", "{\"title\":\"t\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = ferry_test_collection_run_ok (fixture);

  /* Different members on each side: merged, and the merge sent. */
  ferry_rest_server_put (fixture->server, "n", "{\"title\":\"T\",\"body\":\"b\"}");
  ferry_test_collection_put (fixture, "n", "{\"title\":\"t\",\"body\":\"B\"}");
  /* The same member on each side: the merge cannot say, it waits. */
  ferry_rest_server_put (fixture->server, "m", "{\"title\":\"theirs\"}");
  ferry_test_collection_put (fixture, "m", "{\"title\":\"mine\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = ferry_test_collection_run_once (fixture, &error, &conflicts);
  g_assert_no_error (error);
  g_assert_cmpuint (record->conflicts, ==, 2);
  g_assert_cmpuint (conflicts, ==, 1);

  json = ferry_rest_server_dup (fixture->server, "n", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"T\",\"body\":\"B\"}");
  doc = ferry_test_collection_get (fixture, "n");
  g_assert_false (doc->dirty);
  g_assert_false (doc->conflict);
  g_clear_pointer (&doc, ferry_document_unref);

  /* Nothing lost: the server keeps its copy, the replica both. */
  g_clear_pointer (&json, g_free);
  json = ferry_rest_server_dup (fixture->server, "m", NULL);
  g_assert_cmpstr (json, ==, "{\"title\":\"theirs\"}");
  doc = ferry_test_collection_get (fixture, "m");
  g_assert_true (doc->conflict);
  g_assert_nonnull (doc->remote);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).conflicts, ==, 1);

  /* server-wins takes the server's copy. */
  fixture->config->conflict_strategy = FERRY_CONFLICT_SERVER_WINS;
  ferry_rest_server_put (fixture->server, "n", "{\"title\":\"S\",\"body\":\"B\"}");
  ferry_test_collection_put (fixture, "n", "{\"title\":\"L\",\"body\":\"B\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = ferry_test_collection_run_ok (fixture);
  g_clear_pointer (&doc, ferry_document_unref);
  doc = ferry_test_collection_get (fixture, "n");
  g_assert_false (doc->dirty);
  g_clear_pointer (&json, g_free);
  json = ferry_test_body_text (doc->body);
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
  first = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (first->pulled, ==, 2);

  /* 410: the pull starts over, and what it holds already is not applied
   * again. */
  ferry_rest_server_expire_cursors (fixture->server);
  ferry_rest_server_put (fixture->server, "b", "{\"v\":2}");
  second = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (second->pulled, ==, 1);
  doc = ferry_test_collection_get (fixture, "b");
  text = ferry_test_body_text (doc->body);
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
  record = ferry_test_collection_run_once (fixture, &error, NULL);
  g_assert_null (record);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 20);

  /* The next run goes on after them: nothing is sent twice. */
  sent_before = ferry_rest_server_count_sent (fixture->server);
  record = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (record->pulled, ==, 230);
  g_assert_cmpuint (ferry_rest_server_count_sent (fixture->server) - sent_before, ==, 230);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 250);
}

static void
held_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryRunRecord **record = user_data;
  g_autoptr(GError) error = NULL;

  *record = ferry_collection_run_finish (FERRY_COLLECTION_RUN (object), result, &error);
  g_assert_no_error (error);
}

/* The server holds the batches after the first: the run waits in its
 * middle, with what it sent so far, until they are let go. */
static void
test_held (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(FerryReplicator) replicator = NULL;
  g_autoptr(FerryCollectionRun) run = NULL;
  g_autoptr(FerryRunRecord) record = NULL;
  guint total, synced;

  fixture->config->batch_limit = 10;
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("d%02u", i);

      ferry_test_collection_put (fixture, id, "{\"n\":1}");
    }
  ferry_rest_server_hold (fixture->server, "batch", 1);

  replicator = ferry_replicator_new (fixture->config, fixture->executor, fixture->meter);
  run = ferry_collection_run_new (fixture->store, replicator, "now");
  ferry_collection_run_start_async (run, NULL, held_run_cb, &record);
  FERRY_TEST_WAIT (ferry_rest_server_count_held (fixture->server) == 1, 20000);
  ferry_collection_run_get_progress (run, &total, &synced, NULL);
  g_assert_cmpuint (total, ==, 30);
  g_assert_cmpuint (synced, ==, 10);
  g_assert_cmpint (ferry_collection_run_get_phase (run), ==, FERRY_RUN_PHASE_PUSH);
  g_assert_null (record);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 10);
  g_assert_cmpuint (ferry_rest_server_count_requests (fixture->server, "batch"), ==, 2);

  ferry_rest_server_release (fixture->server);
  FERRY_TEST_WAIT (record != NULL, 20000);
  g_assert_cmpstr (record->result, ==, "ok");
  g_assert_cmpuint (record->pushed, ==, 30);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 30);
  g_assert_cmpuint (ferry_rest_server_count_held (fixture->server), ==, 0);
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
  ADD ("held", test_held);
#undef ADD

  return g_test_run ();
}
