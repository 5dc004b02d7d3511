/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ferry-collection-manager.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

/*
 * The collections an agent serves: local writes durable when they return
 * and committed together, bad input refused with nothing stored, a run
 * after a burst of writes, Sync now, offline and back online, several
 * collections under one concurrency limit, removal.
 */

typedef struct
{
  char                    *dir;
  FerryDatabase           *database;
  FerryCollectionStore    *store;
  FerryTestNetworkMonitor *network;
  FerryTestPowerMonitor   *power;
  FerryConnectivity       *connectivity;
  FerryCollectionManager  *manager;
  FerryRestServer         *server;
  guint                    running;
  guint                    max_running;
  guint                    runs;
} Fixture;

static void on_collection_added (FerryCollectionManager *manager,
                                 FerryCollection        *collection,
                                 Fixture                *fixture);

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = ferry_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "ferry.db", NULL);
  fixture->database = ferry_database_new (path, &error);
  g_assert_no_error (error);
  fixture->store = ferry_collection_store_new (fixture->database, &error);
  g_assert_no_error (error);
  fixture->network = ferry_test_network_monitor_new ();
  ferry_test_network_monitor_set_state (fixture->network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  fixture->power = ferry_test_power_monitor_new ();
  fixture->connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (fixture->network),
                                                  G_POWER_PROFILE_MONITOR (fixture->power),
                                                  NULL);
  fixture->manager = ferry_collection_manager_new (fixture->store, executor,
                                                   fixture->connectivity, NULL);
  g_object_set (fixture->manager, "write-debounce", 20, NULL);
  fixture->server = ferry_rest_server_new ();
  g_signal_connect (fixture->manager, "collection-added", G_CALLBACK (on_collection_added),
                    fixture);
  g_assert_true (ferry_collection_manager_start (fixture->manager, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->manager);
  /* Cancelled runs end on the loop. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
  g_clear_object (&fixture->connectivity);
  g_clear_object (&fixture->power);
  g_clear_object (&fixture->network);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->database);
  g_free (fixture->dir);
}

static void
on_run_started (FerryCollection *collection,
                const char      *trigger,
                Fixture         *fixture)
{
  fixture->running++;
  fixture->runs++;
  fixture->max_running =
    MAX (fixture->max_running, ferry_collection_manager_get_running_count (fixture->manager));
}

static void
on_run_finished (FerryCollection *collection,
                 gpointer         record,
                 Fixture         *fixture)
{
  fixture->running--;
}

/* Before its first run starts. */
static void
on_collection_added (FerryCollectionManager *manager,
                     FerryCollection        *collection,
                     Fixture                *fixture)
{
  g_signal_connect (collection, "run-started", G_CALLBACK (on_run_started), fixture);
  g_signal_connect (collection, "run-finished", G_CALLBACK (on_run_finished), fixture);
}

static FerryCollection *
add (Fixture        *fixture,
     const char     *name,
     FerryDirection  direction)
{
  g_autoptr(FerryCollectionConfig) config = ferry_collection_config_new ();
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;

  config->owner = g_strdup ("org.example.Notes");
  config->name = g_strdup (name);
  config->protocol = FERRY_PROTOCOL_REST;
  config->url = ferry_rest_server_url (fixture->server);
  config->direction = direction;
  config->interval = FERRY_COLLECTION_DEFAULT_INTERVAL;
  config->batch_limit = 100;
  config->conflict_strategy = FERRY_CONFLICT_MERGE;
  collection = ferry_collection_manager_add (fixture->manager, config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  return collection;
}

typedef struct
{
  gint64  seq;
  GError *error;
  gboolean done;
} Written;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Written *written = user_data;

  written->seq = ferry_collection_manager_write_finish (FERRY_COLLECTION_MANAGER (object),
                                                        result, &written->error);
  written->done = TRUE;
}

static void
write_start (Fixture         *fixture,
             FerryCollection *collection,
             const char      *id,
             const char      *json,
             gsize            len,
             Written         *written)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, len) : NULL;

  ferry_collection_manager_write_async (fixture->manager, collection, id, body, NULL,
                                        write_cb, written);
}

static gint64
write_doc (Fixture         *fixture,
       FerryCollection *collection,
       const char      *id,
       const char      *json,
       GError         **error)
{
  Written written = { 0, };

  write_start (fixture, collection, id, json, json != NULL ? strlen (json) : 0, &written);
  FERRY_TEST_WAIT (written.done, 5000);
  if (written.error != NULL)
    g_propagate_error (error, written.error);
  return written.seq;
}

static gboolean
is_synced (FerryCollection *collection)
{
  return ferry_collection_get_state (collection) == FERRY_COLLECTION_STATE_SYNCED &&
         !ferry_collection_is_running (collection) &&
         ferry_collection_get_wanted (collection) == NULL;
}

static void
test_writes (Fixture       *fixture,
             gconstpointer  data)
{
  FerryCollection *notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  Written written[3] = { { 0, } };
  FerryDocumentCounts counts;
  guint runs;

  FERRY_TEST_WAIT (is_synced (notes), 10000);
  runs = fixture->runs;

  /* Written together: committed together, each its own sequence, and one
   * run for the burst. */
  write_start (fixture, notes, "a", "{\"n\":1}", 7, &written[0]);
  write_start (fixture, notes, "b", "{\"n\":2}", 7, &written[1]);
  write_start (fixture, notes, "c", "{\"n\":3}", 7, &written[2]);
  FERRY_TEST_WAIT (written[0].done && written[1].done && written[2].done, 5000);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_error (written[i].error);
      if (i > 0)
        g_assert_cmpint (written[i].seq, >, written[i - 1].seq);
    }
  ferry_collection_get_counts (notes, &counts);
  g_assert_cmpuint (counts.dirty, ==, 3);
  g_assert_cmpint (ferry_collection_get_state (notes), !=, FERRY_COLLECTION_STATE_SYNCED);

  FERRY_TEST_WAIT (ferry_rest_server_count (fixture->server) == 3 && is_synced (notes), 10000);
  g_assert_cmpuint (fixture->runs, ==, runs + 1);
  ferry_collection_get_counts (notes, &counts);
  g_assert_cmpuint (counts.dirty, ==, 0);
  g_assert_cmpuint (counts.documents, ==, 3);

  /* Sync now brings what the other client wrote. */
  ferry_rest_server_put (fixture->server, "x", "{\"n\":9}");
  ferry_collection_manager_sync_now (fixture->manager, notes);
  FERRY_TEST_WAIT (is_synced (notes) && fixture->runs == runs + 2, 10000);
  ferry_collection_get_counts (notes, &counts);
  g_assert_cmpuint (counts.documents, ==, 4);
}

static void
assert_refused (Fixture         *fixture,
                FerryCollection *collection,
                const char      *id,
                const char      *json,
                gsize            len,
                gint             code,
                const char      *named)
{
  Written written = { 0, };

  write_start (fixture, collection, id, json, len, &written);
  FERRY_TEST_WAIT (written.done, 5000);
  g_assert_error (written.error, FERRY_ERROR, code);
  g_assert_nonnull (strstr (written.error->message, named));
  g_assert_cmpint (written.seq, ==, -1);
  g_clear_error (&written.error);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  FerryCollection *notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  FerryCollection *feed = add (fixture, "feed", FERRY_DIRECTION_PULL);
  g_autoptr(FerrySyncInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_id = g_strnfill (513, 'x');
  g_autofree char *big = NULL;
  FerryDocumentCounts counts;
  gsize big_len = 4 * 1024 * 1024 + 16;

  FERRY_TEST_WAIT (is_synced (notes) && is_synced (feed), 10000);
  big = g_malloc (big_len);
  memset (big, ' ', big_len);
  memcpy (big, "{\"a\":\"", 6);
  memcpy (big + big_len - 2, "\"}", 2);
  memset (big + 6, 'z', big_len - 8);

  assert_refused (fixture, notes, "a", "not json", 8, FERRY_ERROR_INVALID_ARGUMENT, "body");
  assert_refused (fixture, notes, "a", "[1,2]", 5, FERRY_ERROR_INVALID_ARGUMENT, "body");
  assert_refused (fixture, notes, "", "{}", 2, FERRY_ERROR_INVALID_ARGUMENT, "id");
  assert_refused (fixture, notes, long_id, "{}", 2, FERRY_ERROR_INVALID_ARGUMENT, "id");
  assert_refused (fixture, notes, "a", big, big_len, FERRY_ERROR_INVALID_ARGUMENT, "body");
  assert_refused (fixture, notes, "never", NULL, 0, FERRY_ERROR_NOT_FOUND, "never");
  assert_refused (fixture, feed, "a", "{}", 2, FERRY_ERROR_INVALID_ARGUMENT, "collection");

  /* Nothing stored, nothing counted, no sequence used. */
  ferry_collection_get_counts (notes, &counts);
  g_assert_cmpuint (counts.documents, ==, 0);
  g_assert_cmpuint (counts.dirty, ==, 0);
  info = ferry_collection_store_dup_sync_info (fixture->store, ferry_collection_get_id (notes),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->local_seq, ==, 0);

  /* A good write beside a refused one still goes through. */
  g_assert_cmpint (write_doc (fixture, notes, "ok", "{\"fine\":true}", &error), >, 0);
  g_assert_no_error (error);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  FerryCollection *notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  g_autoptr(GError) error = NULL;
  guint runs;

  FERRY_TEST_WAIT (is_synced (notes), 10000);
  ferry_test_network_monitor_set_state (fixture->network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  FERRY_TEST_WAIT (ferry_collection_get_state (notes) == FERRY_COLLECTION_STATE_OFFLINE, 5000);

  /* Written offline: kept, and nothing tried. */
  runs = fixture->runs;
  write_doc (fixture, notes, "a", "{\"n\":1}", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    ferry_test_iterate_briefly ();
  g_assert_cmpuint (fixture->runs, ==, runs);
  g_assert_cmpint (ferry_collection_get_state (notes), ==, FERRY_COLLECTION_STATE_OFFLINE);

  /* Back online: it goes. */
  ferry_test_network_monitor_set_state (fixture->network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  FERRY_TEST_WAIT (is_synced (notes) && ferry_rest_server_count (fixture->server) == 1, 10000);
}

static void
test_concurrency (Fixture       *fixture,
                  gconstpointer  data)
{
  FerryCollection *collections[3];
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->manager, "max-runs", 2, NULL);
  collections[0] = add (fixture, "one", FERRY_DIRECTION_BOTH);
  collections[1] = add (fixture, "two", FERRY_DIRECTION_BOTH);
  collections[2] = add (fixture, "three", FERRY_DIRECTION_BOTH);
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *id = g_strdup_printf ("%u-%u", i, round);

        write_doc (fixture, collections[i], id, "{\"n\":1}", &error);
        g_assert_no_error (error);
        ferry_collection_manager_sync_now (fixture->manager, collections[i]);
      }
  FERRY_TEST_WAIT (is_synced (collections[0]) && is_synced (collections[1]) &&
                   is_synced (collections[2]) &&
                   ferry_collection_manager_get_running_count (fixture->manager) == 0, 20000);
  /* Side by side, never over the limit, and never two runs of one. */
  g_assert_cmpuint (fixture->max_running, <=, 2);
  g_assert_cmpuint (fixture->max_running, >=, 1);
  g_assert_cmpuint (fixture->running, ==, 0);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  FerryCollection *notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  g_autoptr(FerryCollection) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  gint64 id;

  write_doc (fixture, notes, "a", "{\"n\":1}", &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (is_synced (notes) && ferry_rest_server_count (fixture->server) == 1, 10000);
  id = ferry_collection_get_id (notes);
  kept = g_object_ref (notes);
  g_assert_true (ferry_collection_manager_remove (fixture->manager, notes, TRUE, &error));
  g_assert_no_error (error);
  g_assert_null (ferry_collection_manager_lookup (fixture->manager, id));

  /* Added again: its documents are still there, nothing pushed anew. */
  notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  g_assert_cmpint (ferry_collection_get_id (notes), ==, id);
  doc = ferry_collection_store_dup_document (fixture->store, id, "a", &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_false (doc->dirty);
  FERRY_TEST_WAIT (is_synced (notes), 10000);
  g_assert_cmpuint (ferry_rest_server_count_requests (fixture->server, "batch"), ==, 1);
}


static gboolean
server_has (Fixture    *fixture,
            const char *id,
            const char *json)
{
  g_autofree char *current = ferry_rest_server_dup (fixture->server, id, NULL);

  return g_strcmp0 (current, json) == 0;
}

static void
test_resolve (Fixture       *fixture,
              gconstpointer  data)
{
  FerryCollection *notes = add (fixture, "notes", FERRY_DIRECTION_BOTH);
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(GBytes) merged = g_bytes_new_static ("{\"title\":\"both\"}", 16);
  g_autoptr(GBytes) bad = g_bytes_new_static ("[]", 2);
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts counts;
  guint retried = 0;

  write_doc (fixture, notes, "n", "{\"title\":\"t\"}", &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (is_synced (notes) && ferry_rest_server_count (fixture->server) == 1, 10000);

  /* The same member changed on both sides: it waits. */
  ferry_rest_server_put (fixture->server, "n", "{\"title\":\"theirs\"}");
  write_doc (fixture, notes, "n", "{\"title\":\"mine\"}", &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT ((ferry_collection_get_counts (notes, &counts), counts.conflicts == 1) &&
                   !ferry_collection_is_running (notes), 10000);

  /* Not a document in conflict; a merged body that is not an object. */
  g_assert_false (ferry_collection_manager_resolve (fixture->manager, notes, "zz",
                                                    FERRY_RESOLVE_LOCAL, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ferry_collection_manager_resolve (fixture->manager, notes, "n",
                                                    FERRY_RESOLVE_BODY, bad, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "merged"));
  g_clear_error (&error);

  /* Settled with a merge of the person's: it goes to the server. */
  g_assert_true (ferry_collection_manager_resolve (fixture->manager, notes, "n",
                                                   FERRY_RESOLVE_BODY, merged, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (is_synced (notes) && server_has (fixture, "n", "{\"title\":\"both\"}"),
                   10000);
  doc = ferry_collection_store_dup_document (fixture->store, ferry_collection_get_id (notes),
                                             "n", &error);
  g_assert_false (doc->conflict);
  g_assert_false (doc->dirty);
  g_assert_false (ferry_collection_manager_resolve (fixture->manager, notes, "n",
                                                    FERRY_RESOLVE_REMOTE, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Nothing refused: nothing to retry. */
  g_assert_true (ferry_collection_manager_retry_failed (fixture->manager, notes, &retried,
                                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (retried, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/collection-manager/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("writes", test_writes);
  ADD ("bad-input", test_bad_input);
  ADD ("offline", test_offline);
  ADD ("concurrency", test_concurrency);
  ADD ("remove", test_remove);
  ADD ("resolve", test_resolve);
#undef ADD

  return g_test_run ();
}
