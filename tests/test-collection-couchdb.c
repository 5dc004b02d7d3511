/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ferry-collection-run.h"
#include "ferry-error.h"
#include "ferry-pouchdb-server.h"
#include "ferry-test-collection.h"
#include "ferry-test-util.h"

/*
 * Interoperability with a real CouchDB-compatible server: PouchDB Server
 * in memory on 127.0.0.1, with PouchDB itself as a second client of the
 * same database.  Documents travel both ways, deletes too; a concurrent
 * edit is merged or waits, as the strategy says, and nothing is lost; a
 * first pull of a database full of deleted documents does not replay
 * them.  Without PouchDB Server installed it fails, saying why.
 */

typedef FerryTestCollection Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  FerryPouchdbServer *server;

  ferry_test_collection_open (fixture);
  /* A server that cannot start fails the test: it never skips. */
  if (ferry_pouchdb_server_missing () != NULL)
    g_error ("PouchDB Server cannot start: %s", ferry_pouchdb_server_missing ());
  server = ferry_pouchdb_server_new ();
  fixture->server = server;
  fixture->free_server = (GDestroyNotify) ferry_pouchdb_server_free;
  ferry_test_collection_attach (fixture, FERRY_PROTOCOL_COUCHDB,
                                ferry_pouchdb_server_url (server, "notes"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_test_collection_close (fixture);
}


static FerryRunRecord *
run_ok_counting (Fixture *fixture,
                 guint   *out_conflicts)
{
  g_autoptr(GError) error = NULL;
  FerryRunRecord *record = ferry_test_collection_run_once (fixture, &error, out_conflicts);

  g_assert_no_error (error);
  g_assert_cmpstr (record->result, ==, "ok");
  return record;
}

#define SKIP_IF_MISSING(fixture)  \
  G_STMT_START {                  \
    if ((fixture)->server == NULL) \
      return;                     \
  } G_STMT_END

/* PouchDB's view of the database: id → body. */
static JsonObject *
pouch_all (Fixture *fixture)
{
  g_autofree char *out = ferry_pouchdb_client (fixture->server, "notes", "all", NULL);
  g_autoptr(JsonNode) root = json_from_string (out, NULL);

  g_assert_nonnull (root);
  return json_object_ref (json_node_get_object (root));
}

static char *
pouch_member (Fixture    *fixture,
              const char *id,
              const char *member)
{
  g_autoptr(JsonObject) all = pouch_all (fixture);
  JsonObject *doc;

  if (!json_object_has_member (all, id))
    return NULL;
  doc = json_object_get_object_member (all, id);
  if (!json_object_has_member (doc, member))
    return NULL;
  return g_strdup (json_object_get_string_member (doc, member));
}

static char *
local_body (Fixture    *fixture,
            const char *id)
{
  g_autoptr(FerryDocument) doc = ferry_test_collection_get (fixture, id);

  if (doc == NULL || doc->deleted)
    return NULL;
  return ferry_test_body_text (doc->body);
}

static void
test_both_ways (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryRunRecord) first = NULL;
  g_autoptr(FerryRunRecord) second = NULL;
  g_autoptr(FerryRunRecord) third = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  SKIP_IF_MISSING (fixture);
  /* The first run makes the database. */
  first = ferry_test_collection_run_ok (fixture);
  out = ferry_pouchdb_client (fixture->server, "notes", "put", "p1",
                              "{\"title\":\"from PouchDB\"}", NULL);
  ferry_test_collection_put (fixture, "f1", "{\"title\":\"from Ferry\"}");

  second = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (second->pushed, ==, 1);
  g_assert_cmpuint (second->pulled, ==, 1);
  text = local_body (fixture, "p1");
  g_assert_cmpstr (text, ==, "{\"title\":\"from PouchDB\"}");
  all = pouch_all (fixture);
  g_assert_true (json_object_has_member (all, "f1"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (all, "f1"),
                                                  "title"), ==, "from Ferry");
  g_assert_cmpuint (json_object_get_size (all), ==, 2);

  /* Deletes, both ways. */
  g_free (out);
  out = ferry_pouchdb_client (fixture->server, "notes", "delete", "p1", NULL);
  ferry_test_collection_put (fixture, "f1", NULL);
  third = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (third->pushed, ==, 1);
  g_assert_cmpuint (third->pulled, ==, 1);
  g_clear_pointer (&text, g_free);
  text = local_body (fixture, "p1");
  g_assert_null (text);
  g_clear_pointer (&all, json_object_unref);
  all = pouch_all (fixture);
  g_assert_cmpuint (json_object_get_size (all), ==, 0);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 0);
}

static void
test_concurrent_edits (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *out = NULL;
  guint conflicts = 0;

  SKIP_IF_MISSING (fixture);
  ferry_test_collection_put (fixture, "n", "{\"title\":\"t\",\"body\":\"b\"}");
  ferry_test_collection_put (fixture, "m", "{\"title\":\"t\"}");
  record = ferry_test_collection_run_ok (fixture);

  /* Different members on each side: merged, on both sides. */
  out = ferry_pouchdb_client (fixture->server, "notes", "put", "n",
                              "{\"title\":\"T\",\"body\":\"b\"}", NULL);
  ferry_test_collection_put (fixture, "n", "{\"title\":\"t\",\"body\":\"B\"}");
  /* The same member: it waits for a decision, nothing is lost. */
  g_free (out);
  out = ferry_pouchdb_client (fixture->server, "notes", "put", "m", "{\"title\":\"theirs\"}",
                              NULL);
  ferry_test_collection_put (fixture, "m", "{\"title\":\"mine\"}");
  g_clear_pointer (&record, ferry_run_record_free);
  record = run_ok_counting (fixture, &conflicts);
  g_assert_cmpuint (conflicts, ==, 1);

  title = pouch_member (fixture, "n", "title");
  body = pouch_member (fixture, "n", "body");
  g_assert_cmpstr (title, ==, "T");
  g_assert_cmpstr (body, ==, "B");
  doc = ferry_test_collection_get (fixture, "n");
  g_assert_false (doc->dirty);
  g_assert_false (doc->conflict);
  g_clear_pointer (&title, g_free);
  title = pouch_member (fixture, "m", "title");
  g_assert_cmpstr (title, ==, "theirs");
  g_clear_pointer (&doc, ferry_document_unref);
  doc = ferry_test_collection_get (fixture, "m");
  g_assert_true (doc->conflict);
  g_assert_nonnull (doc->remote);
  g_clear_pointer (&body, g_free);
  body = local_body (fixture, "m");
  g_assert_nonnull (strstr (body, "mine"));
}

static void
test_first_pull_skips_deleted (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryRunRecord) record = NULL;
  g_autofree char *out = NULL;

  SKIP_IF_MISSING (fixture);
  /* Made by the first run, then filled and mostly emptied by PouchDB. */
  record = ferry_test_collection_run_ok (fixture);
  out = ferry_pouchdb_client (fixture->server, "notes", "fill", "60", "d", NULL);
  g_free (out);
  out = ferry_pouchdb_client (fixture->server, "notes", "drop", "50", "d", NULL);
  /* A new replica: the snapshot brings the ten that live, and no
   * deletion of the fifty that do not. */
  fixture->config->name[0] = 'N';
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FerryCollectionConfig) fresh = ferry_collection_config_copy (fixture->config);

    fresh->id = 0;
    g_assert_true (ferry_collection_store_attach (fixture->store, fresh, NULL, &error));
    g_assert_no_error (error);
    g_clear_pointer (&fixture->config, ferry_collection_config_unref);
    fixture->config = g_steal_pointer (&fresh);
  }
  g_clear_pointer (&record, ferry_run_record_free);
  record = ferry_test_collection_run_ok (fixture);
  g_assert_cmpuint (record->pulled, ==, 10);
  g_assert_cmpuint (ferry_test_collection_counts (fixture).documents, ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/collection-couchdb/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("both-ways", test_both_ways);
  ADD ("concurrent-edits", test_concurrent_edits);
  ADD ("first-pull-skips-deleted", test_first_pull_skips_deleted);
#undef ADD

  return g_test_run ();
}
