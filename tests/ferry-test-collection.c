/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ferry-test-util.h"

#include "ferry-test-collection.h"

/* What a run reported as it went. */
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

/**
 * ferry_test_collection_open:
 * @self: a zeroed harness
 *
 * Makes a fresh database in a temporary folder, its collection store, an
 * executor and a link meter.
 */
void
ferry_test_collection_open (FerryTestCollection *self)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;

  self->dir = ferry_test_make_temp_dir ();
  self->path = g_build_filename (self->dir, "ferry.db", NULL);
  self->database = ferry_database_new (self->path, &error);
  g_assert_no_error (error);
  self->store = ferry_collection_store_new (self->database, &error);
  g_assert_no_error (error);
  self->executor = ferry_executor_new (session);
  self->meter = ferry_link_meter_new ();
}

/**
 * ferry_test_collection_attach:
 * @self: an open harness
 * @protocol: the server's
 * @url: (transfer full): the collection's endpoint
 *
 * Stores the collection "notes" of org.example.Notes: merge on conflict,
 * batches of at most 100.
 */
void
ferry_test_collection_attach (FerryTestCollection *self,
                              FerryProtocol        protocol,
                              char                *url)
{
  g_autoptr(GError) error = NULL;

  self->config = ferry_collection_config_new ();
  self->config->owner = g_strdup ("org.example.Notes");
  self->config->name = g_strdup ("notes");
  self->config->protocol = protocol;
  self->config->url = url;
  self->config->conflict_strategy = FERRY_CONFLICT_MERGE;
  self->config->batch_limit = 100;
  self->config->created = 1000;
  g_assert_true (ferry_collection_store_attach (self->store, self->config, NULL, &error));
  g_assert_no_error (error);
}

/**
 * ferry_test_collection_close:
 * @self: a harness
 *
 * Frees what the harness holds, its server too.
 */
void
ferry_test_collection_close (FerryTestCollection *self)
{
  g_clear_pointer (&self->config, ferry_collection_config_unref);
  if (self->server != NULL && self->free_server != NULL)
    self->free_server (self->server);
  self->server = NULL;
  g_clear_object (&self->meter);
  g_clear_object (&self->executor);
  g_clear_object (&self->store);
  g_clear_object (&self->database);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->dir, g_free);
}

/**
 * ferry_test_collection_put:
 * @self: an attached harness
 * @id: a document id
 * @json: (nullable): its new body, %NULL to delete it
 *
 * Writes the document locally, as an app's Put or Delete does.
 */
void
ferry_test_collection_put (FerryTestCollection *self,
                           const char          *id,
                           const char          *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDocument) before = NULL;
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  g_assert_true (ferry_collection_store_begin (self->store, &error));
  before = ferry_collection_store_dup_document (self->store, self->config->id, id, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_write_local (self->store, self->config->id,
                                                    before, id, body, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_collection_store_commit (self->store, &error));
  g_assert_no_error (error);
}

/**
 * ferry_test_collection_get:
 * @self: an attached harness
 * @id: a document id
 *
 * Returns: (transfer full) (nullable): the stored document
 */
FerryDocument *
ferry_test_collection_get (FerryTestCollection *self,
                           const char          *id)
{
  g_autoptr(GError) error = NULL;
  FerryDocument *doc;

  doc = ferry_collection_store_dup_document (self->store, self->config->id, id, &error);
  g_assert_no_error (error);
  return doc;
}

/**
 * ferry_test_body_text:
 * @body: a document's body
 *
 * Returns: (transfer full): its bytes as a string
 */
char *
ferry_test_body_text (GBytes *body)
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

/**
 * ferry_test_collection_run_once:
 * @self: an attached harness
 * @error: return location for the run's error
 * @out_conflicts: (out) (optional): how many conflicts it announced
 *
 * Runs the collection once, checking that its progress never went back
 * and that it ended in no phase.
 *
 * Returns: (transfer full) (nullable): the run's record, %NULL with
 *   @error set
 */
FerryRunRecord *
ferry_test_collection_run_once (FerryTestCollection  *self,
                                GError              **error,
                                guint                *out_conflicts)
{
  g_autoptr(FerryReplicator) replicator = NULL;
  g_autoptr(FerryCollectionRun) run = NULL;
  Outcome outcome = { 0, };

  replicator = ferry_replicator_new (self->config, self->executor, self->meter);
  run = ferry_collection_run_new (self->store, replicator, "now");
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

/**
 * ferry_test_collection_run_ok:
 * @self: an attached harness
 *
 * Runs the collection once and checks that the run succeeded.
 *
 * Returns: (transfer full): its record
 */
FerryRunRecord *
ferry_test_collection_run_ok (FerryTestCollection *self)
{
  g_autoptr(GError) error = NULL;
  FerryRunRecord *record = ferry_test_collection_run_once (self, &error, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->result, ==, "ok");
  return record;
}

/**
 * ferry_test_collection_counts:
 * @self: an attached harness
 *
 * Returns: the collection's document counts
 */
FerryDocumentCounts
ferry_test_collection_counts (FerryTestCollection *self)
{
  g_autoptr(GError) error = NULL;
  FerryDocumentCounts c = { 0, };

  g_assert_true (ferry_collection_store_get_counts (self->store, self->config->id, &c,
                                                   &error));
  g_assert_no_error (error);
  return c;
}
