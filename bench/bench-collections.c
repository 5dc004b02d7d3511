/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ferry-collection-run.h"
#include "ferry-pouchdb-server.h"
#include "ferry-test-util.h"

#include "bench-util.h"

/*
 * Collections against PouchDB Server (in memory, on 127.0.0.1): Ferry and
 * PouchDB (node, default settings) each push 10,000 small documents to a
 * fresh server of their own and pull them back into a new replica; then
 * the bytes a sync moves after 1% of the documents changed, beside those
 * of the first full sync.  Prints figures; asserts nothing.
 *
 *   _build/bench/bench-collections [DOCUMENTS]
 */

#define DEFAULT_DOCUMENTS 10000

typedef struct
{
  char                  *dir;
  FerryDatabase         *database;
  FerryCollectionStore  *store;
  FerryExecutor         *executor;
  FerryLinkMeter        *meter;
  FerryCollectionConfig *config;
} Replica;

static void
replica_free (Replica *replica)
{
  g_clear_pointer (&replica->config, ferry_collection_config_unref);
  g_clear_object (&replica->meter);
  g_clear_object (&replica->executor);
  g_clear_object (&replica->store);
  g_clear_object (&replica->database);
  bench_remove_tree (replica->dir);
  g_free (replica->dir);
  g_free (replica);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Replica, replica_free)

static Replica *
replica_new (const char *url)
{
  Replica *replica = g_new0 (Replica, 1);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  replica->dir = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (replica->dir, "ferry.db", NULL);
  replica->database = ferry_database_new (path, &error);
  g_assert_no_error (error);
  replica->store = ferry_collection_store_new (replica->database, &error);
  g_assert_no_error (error);
  replica->executor = ferry_executor_new (NULL);
  replica->meter = ferry_link_meter_new ();
  replica->config = ferry_collection_config_new ();
  replica->config->owner = g_strdup ("org.example.Bench");
  replica->config->name = g_strdup ("notes");
  replica->config->protocol = FERRY_PROTOCOL_COUCHDB;
  replica->config->url = g_strdup (url);
  replica->config->batch_limit = FERRY_COLLECTION_MAX_BATCH;
  replica->config->conflict_strategy = FERRY_CONFLICT_MERGE;
  replica->config->created = 1;
  g_assert_true (ferry_collection_store_attach (replica->store, replica->config, NULL, &error));
  g_assert_no_error (error);
  return replica;
}

/* Writes documents 0 … count-1 (or changes them) in one transaction. */
static void
replica_write (Replica    *replica,
               guint       count,
               const char *extra)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_collection_store_begin (replica->store, &error));
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *id = g_strdup_printf ("d%06u", i);
      g_autofree char *json = g_strdup_printf ("{\"n\":%u,\"title\":\"note %u\"%s}", i, i,
                                               extra);
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      g_autoptr(FerryDocument) before = NULL;

      before = ferry_collection_store_dup_document (replica->store, replica->config->id, id,
                                                    &error);
      g_assert_no_error (error);
      g_assert_true (ferry_collection_store_write_local (replica->store, replica->config->id,
                                                        before, id, body, NULL, &error));
    }
  g_assert_true (ferry_collection_store_commit (replica->store, &error));
  g_assert_no_error (error);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  FerryRunRecord **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ferry_collection_run_finish (FERRY_COLLECTION_RUN (object), result, &error);
  if (*out == NULL)
    g_error ("the run failed: %s", error->message);
}

/* One run; returns its record and the seconds it took. */
static FerryRunRecord *
replica_sync (Replica *replica,
              double  *out_seconds)
{
  g_autoptr(FerryReplicator) replicator = NULL;
  g_autoptr(FerryCollectionRun) run = NULL;
  FerryRunRecord *record = NULL;
  gint64 started;

  replicator = ferry_replicator_new (replica->config, replica->executor, replica->meter);
  run = ferry_collection_run_new (replica->store, replicator, "now");
  started = g_get_monotonic_time ();
  ferry_collection_run_start_async (run, NULL, run_cb, &record);
  while (record == NULL)
    g_main_context_iteration (NULL, TRUE);
  *out_seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  return record;
}

static double
pouch_bench (FerryPouchdbServer *server,
             const char         *database,
             const char         *command,
             guint               count)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-bench-pouch-XXXXXX", NULL);
  g_autofree char *script = g_build_filename (FERRY_BENCH_SRCDIR, "pouch-bench.js", NULL);
  g_autofree char *url = ferry_pouchdb_server_url (server, database);
  g_autofree char *number = g_strdup_printf ("%u", count);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "node", script, dir, url, command, number, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("pouch-bench %s failed: %s", command, err);
  bench_remove_tree (dir);
  return g_ascii_strtod (out, NULL);
}

static guint64
moved (const FerryRunRecord *record)
{
  return record->bytes_sent + record->bytes_received;
}

int
main (int   argc,
      char *argv[])
{
  guint count = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : DEFAULT_DOCUMENTS;
  guint changed = MAX (count / 100, 1);
  g_autoptr(FerryPouchdbServer) server = NULL;
  g_autoptr(FerryPouchdbServer) pouch_server = NULL;
  g_autoptr(Replica) pusher = NULL;
  g_autoptr(Replica) puller = NULL;
  g_autoptr(FerryRunRecord) push = NULL;
  g_autoptr(FerryRunRecord) pull = NULL;
  g_autoptr(FerryRunRecord) push_delta = NULL;
  g_autoptr(FerryRunRecord) pull_delta = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bumped = NULL;
  g_autofree char *number = NULL;
  double ferry_push, ferry_pull, pouch_push, pouch_pull, seconds;

  g_setenv ("G_TEST_SRCDIR", FERRY_TESTS_SRCDIR, FALSE);
  if (ferry_pouchdb_server_missing () != NULL)
    {
      g_printerr ("bench-collections: %s\n", ferry_pouchdb_server_missing ());
      return 77;
    }
  server = ferry_pouchdb_server_new ();
  url = ferry_pouchdb_server_url (server, "ferry");

  /* Ferry: push everything, then a new replica pulls it. */
  pusher = replica_new (url);
  replica_write (pusher, count, "");
  push = replica_sync (pusher, &ferry_push);
  puller = replica_new (url);
  pull = replica_sync (puller, &ferry_pull);
  g_assert_cmpuint (push->pushed, ==, count);
  g_assert_cmpuint (pull->pulled, ==, count);

  /* PouchDB, the same, on a server of its own started the same way: the
   * server slows down as its heap fills (in memory, the documents are
   * its heap), so sharing one would favour whoever goes first. */
  pouch_server = ferry_pouchdb_server_new ();
  pouch_push = pouch_bench (pouch_server, "pouch", "push", count);
  pouch_pull = pouch_bench (pouch_server, "pouch", "pull", count);
  g_clear_pointer (&pouch_server, ferry_pouchdb_server_free);

  /* Deltas: 1% changed here and pushed; 1% changed there and pulled. */
  replica_write (pusher, changed, ",\"edited\":true");
  push_delta = replica_sync (pusher, &seconds);
  number = g_strdup_printf ("%u", changed);
  bumped = ferry_pouchdb_client (server, "ferry", "bump", number, "d", NULL);
  pull_delta = replica_sync (puller, &seconds);

  printf ("bench-collections: %u small documents, PouchDB Server %s in memory on loopback, "
          "%d cores\n", count, "4.2.0", g_get_num_processors ());
  printf ("  push   Ferry %8.0f docs/s (%.2f s, %u requests)   PouchDB %8.0f docs/s (%.2f s)"
          "   ratio %.1fx\n", count / ferry_push, ferry_push, push->requests,
          count / pouch_push, pouch_push, pouch_push / ferry_push);
  printf ("  pull   Ferry %8.0f docs/s (%.2f s, %u requests)   PouchDB %8.0f docs/s (%.2f s)"
          "   ratio %.1fx\n", count / ferry_pull, ferry_pull, pull->requests,
          count / pouch_pull, pouch_pull, pouch_pull / ferry_pull);
  printf ("  delta after %u changed here:  %" G_GUINT64_FORMAT " bytes of %" G_GUINT64_FORMAT
          " for the full push (%.2f%%), %u pushed\n", changed, moved (push_delta), moved (push),
          100.0 * moved (push_delta) / moved (push), push_delta->pushed);
  printf ("  delta after %u changed there: %" G_GUINT64_FORMAT " bytes of %" G_GUINT64_FORMAT
          " for the full pull (%.2f%%), %u pulled\n", changed, moved (pull_delta), moved (pull),
          100.0 * moved (pull_delta) / moved (pull), pull_delta->pulled);
  return 0;
}
