/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "ferry-collection-run.h"

/*
 * One run of one collection, in a process of its own, for the tests that
 * kill it at random points (test-collection-resume):
 *
 *   ferry-collection-sync DATABASE URL BATCH-LIMIT
 *
 * Takes the REST profile collection "notes" of org.example.Notes at URL in
 * DATABASE (adding it the first time), runs it once and exits 0 when the
 * run reached its end.
 */

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  int *status = user_data;
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = ferry_collection_run_finish (FERRY_COLLECTION_RUN (object), result, &error);
  if (record == NULL)
    g_printerr ("ferry-collection-sync: %s\n", error->message);
  *status = record != NULL ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FerryDatabase) database = NULL;
  g_autoptr(FerryCollectionStore) store = NULL;
  g_autoptr(FerryCollectionConfig) config = NULL;
  g_autoptr(FerryExecutor) executor = NULL;
  g_autoptr(FerryLinkMeter) meter = NULL;
  g_autoptr(FerryReplicator) replicator = NULL;
  g_autoptr(FerryCollectionRun) run = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (argc != 4)
    {
      g_printerr ("usage: ferry-collection-sync DATABASE URL BATCH-LIMIT\n");
      return 2;
    }
  database = ferry_database_new (argv[1], &error);
  store = database != NULL ? ferry_collection_store_new (database, &error) : NULL;
  if (store == NULL)
    {
      g_printerr ("ferry-collection-sync: %s\n", error->message);
      return EXIT_FAILURE;
    }
  config = ferry_collection_config_new ();
  config->owner = g_strdup ("org.example.Notes");
  config->name = g_strdup ("notes");
  config->protocol = FERRY_PROTOCOL_REST;
  config->url = g_strdup (argv[2]);
  config->batch_limit = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  config->conflict_strategy = FERRY_CONFLICT_MERGE;
  config->created = 1;
  if (!ferry_collection_store_attach (store, config, NULL, &error))
    {
      g_printerr ("ferry-collection-sync: %s\n", error->message);
      return EXIT_FAILURE;
    }
  executor = ferry_executor_new (NULL);
  meter = ferry_link_meter_new ();
  replicator = ferry_replicator_new (config, executor, meter);
  run = ferry_collection_run_new (store, replicator, "now");
  ferry_collection_run_start_async (run, NULL, run_cb, &status);
  while (status < 0)
    g_main_context_iteration (NULL, TRUE);
  return status;
}
