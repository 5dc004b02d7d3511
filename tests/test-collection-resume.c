/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-collection-store.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

/*
 * A run killed (SIGKILL) at random points resumes where it stood: a pull
 * and a push of 10,000 documents, each cut off ten times, end with both
 * sides holding exactly the same documents, and each kill costs at most
 * one batch sent again.  The runs happen in a process of their own
 * (ferry-collection-sync); the kill points come from the test's random
 * seed, so a failure can be replayed with --seed.
 */

#define DOCUMENTS 10000
#define BATCH     100
#define KILLS     10

typedef struct
{
  char            *dir;
  char            *db_path;
  char            *url;
  FerryRestServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = ferry_test_make_temp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "ferry.db", NULL);
  fixture->server = ferry_rest_server_new ();
  fixture->url = ferry_rest_server_url (fixture->server);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
  g_free (fixture->url);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs once; kills the run after @kill_after_ms unless 0.  Returns
 * whether it was killed before its end. */
static gboolean
run_sync (Fixture *fixture,
          guint    kill_after_ms)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "ferry-collection-sync", NULL);
  g_autofree char *batch = g_strdup_printf ("%d", BATCH);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  gint64 deadline;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, fixture->db_path,
                              fixture->url, batch, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, exited_cb, &exited);
  deadline = g_get_monotonic_time () +
             (kill_after_ms > 0 ? kill_after_ms * (gint64) 1000
                                : 120 * G_USEC_PER_SEC * ferry_test_wait_scale ());
  while (!exited && g_get_monotonic_time () < deadline)
    ferry_test_iterate_briefly ();
  if (exited)
    {
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      return FALSE;
    }
  g_assert_cmpuint (kill_after_ms, >, 0);
  g_subprocess_force_exit (process);
  FERRY_TEST_WAIT (exited, 10000);
  return TRUE;
}

static FerryCollectionStore *
open_store (Fixture        *fixture,
            FerryDatabase **out_database,
            gint64         *out_id)
{
  g_autoptr(FerryCollectionConfig) config = ferry_collection_config_new ();
  g_autoptr(GError) error = NULL;
  FerryCollectionStore *store;

  *out_database = ferry_database_new (fixture->db_path, &error);
  g_assert_no_error (error);
  store = ferry_collection_store_new (*out_database, &error);
  g_assert_no_error (error);
  /* The same configuration ferry-collection-sync takes. */
  config->owner = g_strdup ("org.example.Notes");
  config->name = g_strdup ("notes");
  config->protocol = FERRY_PROTOCOL_REST;
  config->url = g_strdup (fixture->url);
  config->batch_limit = BATCH;
  config->conflict_strategy = FERRY_CONFLICT_MERGE;
  config->created = 1;
  g_assert_true (ferry_collection_store_attach (store, config, NULL, &error));
  g_assert_no_error (error);
  *out_id = config->id;
  return store;
}

static char *
body_of (guint i)
{
  return g_strdup_printf ("{\"n\":%u,\"title\":\"note %u\"}", i, i);
}

/* Both sides hold exactly the same documents. */
static void
assert_same (Fixture *fixture)
{
  g_autoptr(FerryDatabase) database = NULL;
  g_autoptr(FerryCollectionStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts counts;
  gint64 id;

  store = open_store (fixture, &database, &id);
  g_assert_true (ferry_collection_store_get_counts (store, id, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.documents, ==, DOCUMENTS);
  g_assert_cmpuint (counts.dirty, ==, 0);
  g_assert_cmpuint (counts.failed, ==, 0);
  g_assert_cmpuint (counts.conflicts, ==, 0);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, DOCUMENTS);
  for (guint i = 0; i < DOCUMENTS; i++)
    {
      g_autofree char *doc_id = g_strdup_printf ("d%05u", i);
      g_autofree char *remote = ferry_rest_server_dup (fixture->server, doc_id, NULL);
      g_autofree char *expected = body_of (i);
      g_autoptr(FerryDocument) local = NULL;

      local = ferry_collection_store_dup_document (store, id, doc_id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (local);
      g_assert_cmpstr (remote, ==, expected);
      g_assert_cmpmem (g_bytes_get_data (local->body, NULL), g_bytes_get_size (local->body),
                       expected, strlen (expected));
    }
}

static guint
kill_repeatedly (Fixture *fixture)
{
  guint kills = 0;

  for (guint i = 0; i < KILLS; i++)
    kills += run_sync (fixture, (guint) g_test_rand_int_range (20, 200));
  g_assert_false (run_sync (fixture, 0));
  return kills;
}

static void
test_pull (Fixture       *fixture,
           gconstpointer  data)
{
  guint kills;

  for (guint i = 0; i < DOCUMENTS; i++)
    {
      g_autofree char *doc_id = g_strdup_printf ("d%05u", i);
      g_autofree char *json = body_of (i);

      ferry_rest_server_put (fixture->server, doc_id, json);
    }
  kills = kill_repeatedly (fixture);
  g_test_message ("%u kills; %u changes sent for %d documents", kills,
                  ferry_rest_server_count_sent (fixture->server), DOCUMENTS);
  g_assert_cmpuint (ferry_rest_server_count_sent (fixture->server), <=,
                    DOCUMENTS + kills * BATCH);
  assert_same (fixture);
}

static void
test_push (Fixture       *fixture,
           gconstpointer  data)
{
  guint kills;

  {
    g_autoptr(FerryDatabase) database = NULL;
    g_autoptr(FerryCollectionStore) store = NULL;
    g_autoptr(GError) error = NULL;
    gint64 id;

    store = open_store (fixture, &database, &id);
    g_assert_true (ferry_collection_store_begin (store, &error));
    for (guint i = 0; i < DOCUMENTS; i++)
      {
        g_autofree char *doc_id = g_strdup_printf ("d%05u", i);
        g_autofree char *json = body_of (i);
        g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

        g_assert_true (ferry_collection_store_write_local (store, id, NULL, doc_id, body, NULL,
                                                          &error));
      }
    g_assert_true (ferry_collection_store_commit (store, &error));
    g_assert_no_error (error);
  }
  kills = kill_repeatedly (fixture);
  g_test_message ("%u kills; %u changes received for %d documents", kills,
                  ferry_rest_server_count_received (fixture->server), DOCUMENTS);
  g_assert_cmpuint (ferry_rest_server_count_received (fixture->server), <=,
                    DOCUMENTS + kills * BATCH);
  assert_same (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/engine/collection-resume/pull", Fixture, NULL, fixture_set_up, test_pull,
              fixture_tear_down);
  g_test_add ("/engine/collection-resume/push", Fixture, NULL, fixture_set_up, test_push,
              fixture_tear_down);

  return g_test_run ();
}
