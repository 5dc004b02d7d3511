/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-pouchdb-server.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * What starts a collection's run, through ferryd and without Sync being
 * called: a change another client made on the server, seen by a live
 * collection (CouchDB's long-poll on PouchDB Server; the REST profile's
 * short interval); the interval; the
 * network coming back (FERRY_TEST_NETWORK_FILE, which ferryd follows);
 * resume from suspend (logind's PrepareForSleep, sent on the test's own
 * bus, which ferryd takes for the system bus).  Each test waits for the
 * run's RunStarted with its trigger and for the document it brings.
 */

#define WAIT_MS 20000
#define LOGIN1_NAME "org.freedesktop.login1"

static GTestDBus *test_bus;

typedef struct
{
  FerryAgentFixture    base;
  FerryRestServer     *rest;
  FerryPouchdbServer  *pouchdb;
  FerryDBusCollection *collection;
  GHashTable          *triggers;      /* trigger → number of runs */
  char                *network_file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *bus_address = g_test_dbus_get_bus_address (test_bus);
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autoptr(GError) error = NULL;
  /* Every test of the program says which file (none: empty), as the bus
   * keeps what an earlier test set. */
  const char *network_file = "";
  const char *environment[] = {
    "DBUS_SYSTEM_BUS_ADDRESS", bus_address,
    "FERRY_TEST_NETWORK_FILE", NULL,
    NULL
  };

  fixture->triggers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (data != NULL)
    {
      fixture->network_file = g_build_filename (dir, "network", NULL);
      g_file_set_contents (fixture->network_file, data, -1, &error);
      g_assert_no_error (error);
      network_file = fixture->network_file;
    }
  environment[3] = network_file;
  ferry_agent_fixture_set_up_with_env (&fixture->base, "full", environment);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->collection);
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->rest, ferry_rest_server_free);
  g_clear_pointer (&fixture->pouchdb, ferry_pouchdb_server_free);
  g_clear_pointer (&fixture->triggers, g_hash_table_unref);
  g_clear_pointer (&fixture->network_file, g_free);
}

static void
on_run_started (FerryDBusCollection *collection,
                const char          *trigger,
                Fixture             *fixture)
{
  guint runs = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->triggers, trigger));

  g_hash_table_replace (fixture->triggers, g_strdup (trigger), GUINT_TO_POINTER (runs + 1));
}

static guint
runs_by (Fixture    *fixture,
         const char *trigger)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->triggers, trigger));
}

/* Adds a collection of @protocol at @url, with @key set to @value when
 * not NULL. */
static void
add_collection (Fixture    *fixture,
                const char *protocol,
                const char *url,
                const char *key,
                GVariant   *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder config;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string (protocol));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string ("org.example.Notes"));
  if (key != NULL)
    g_variant_builder_add (&config, "{sv}", key, value);
  g_assert_true (ferry_dbus_agent_call_add_collection_sync (fixture->base.agent,
                                                            g_variant_builder_end (&config),
                                                            &path, NULL, &error));
  g_assert_no_error (error);
  fixture->collection = ferry_dbus_collection_proxy_new_sync (fixture->base.connection,
                                                              G_DBUS_PROXY_FLAGS_NONE,
                                                              "io.github.ferrysync.Ferry.Agent",
                                                              path, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->collection, "run-started", G_CALLBACK (on_run_started), fixture);
}

static void
add_rest_collection (Fixture    *fixture,
                     const char *key,
                     GVariant   *value)
{
  g_autofree char *url = NULL;

  fixture->rest = ferry_rest_server_new ();
  url = ferry_rest_server_url (fixture->rest);
  add_collection (fixture, "rest", url, key, value);
}

static gboolean
is_synced_with (Fixture *fixture,
                guint    documents)
{
  FerryDBusCollection *collection = fixture->collection;

  return g_strcmp0 (ferry_dbus_collection_get_state (collection), "synced") == 0 &&
         ferry_dbus_collection_get_document_count (collection) == documents &&
         ferry_dbus_collection_get_dirty_count (collection) == 0;
}

static gboolean
holds (Fixture    *fixture,
       const char *id,
       const char *json)
{
  g_autoptr(GVariant) doc = NULL;
  const char *body = NULL;

  if (!ferry_dbus_collection_call_get_sync (fixture->collection, id, &doc, NULL, NULL))
    return FALSE;
  return g_variant_lookup (doc, "body", "&s", &body) && g_strcmp0 (body, json) == 0;
}

/* A live CouchDB collection picks up what another client (PouchDB in
 * node) wrote, from its long-poll on the change feed. */
static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *printed = NULL;

  /* A server that cannot start fails the test: it never skips. */
  if (ferry_pouchdb_server_missing () != NULL)
    g_error ("PouchDB Server cannot start: %s", ferry_pouchdb_server_missing ());
  fixture->pouchdb = ferry_pouchdb_server_new ();
  url = ferry_pouchdb_server_url (fixture->pouchdb, "notes");
  add_collection (fixture, "couchdb", url, "live", g_variant_new_boolean (TRUE));
  g_assert_true (ferry_dbus_collection_get_live (fixture->collection));
  FERRY_TEST_WAIT (is_synced_with (fixture, 0), WAIT_MS);
  printed = ferry_pouchdb_client (fixture->pouchdb, "notes", "put", "first",
                                  "{\"title\":\"first\"}", NULL);
  FERRY_TEST_WAIT (runs_by (fixture, "live") >= 1 && is_synced_with (fixture, 1), WAIT_MS);

  /* And again: the watch goes on after a run it started. */
  g_clear_pointer (&printed, g_free);
  printed = ferry_pouchdb_client (fixture->pouchdb, "notes", "put", "second",
                                  "{\"title\":\"from elsewhere\"}", NULL);
  FERRY_TEST_WAIT (runs_by (fixture, "live") >= 2 && is_synced_with (fixture, 2), WAIT_MS);
  g_assert_true (holds (fixture, "second", "{\"title\":\"from elsewhere\"}"));
}

/* A live REST collection has no feed to wait on: it pulls again after a
 * short interval of its own (ten seconds), without Sync. */
static void
test_live_rest (Fixture       *fixture,
                gconstpointer  data)
{
  add_rest_collection (fixture, "live", g_variant_new_boolean (TRUE));
  FERRY_TEST_WAIT (is_synced_with (fixture, 0), WAIT_MS);
  g_assert_cmpuint (runs_by (fixture, "live"), ==, 0);

  ferry_rest_server_put (fixture->rest, "x", "{\"title\":\"elsewhere\"}");
  FERRY_TEST_WAIT (runs_by (fixture, "live") >= 1 && is_synced_with (fixture, 1), WAIT_MS);
  g_assert_true (holds (fixture, "x", "{\"title\":\"elsewhere\"}"));
}

/* A collection with an interval of a second runs again by itself and
 * brings what changed on the server meanwhile. */
static void
test_interval (Fixture       *fixture,
               gconstpointer  data)
{
  add_rest_collection (fixture, "interval", g_variant_new_uint32 (1));
  g_assert_cmpuint (ferry_dbus_collection_get_interval (fixture->collection), ==, 1);
  FERRY_TEST_WAIT (is_synced_with (fixture, 0), WAIT_MS);

  ferry_rest_server_put (fixture->rest, "x", "{\"title\":\"elsewhere\"}");
  FERRY_TEST_WAIT (runs_by (fixture, "interval") >= 1 && is_synced_with (fixture, 1), WAIT_MS);
  g_assert_true (holds (fixture, "x", "{\"title\":\"elsewhere\"}"));
}

static void
set_network (Fixture    *fixture,
             const char *level)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fixture->network_file, level, -1, &error);
  g_assert_no_error (error);
}

/* When the network comes back, a run brings what changed meanwhile. */
static void
test_online (Fixture       *fixture,
             gconstpointer  data)
{
  add_rest_collection (fixture, NULL, NULL);
  FERRY_TEST_WAIT (is_synced_with (fixture, 0), WAIT_MS);

  set_network (fixture, "offline");
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_collection_get_state (fixture->collection),
                              "offline") == 0, WAIT_MS);
  ferry_rest_server_put (fixture->rest, "x", "{\"title\":\"while offline\"}");
  g_assert_cmpuint (runs_by (fixture, "online"), ==, 0);

  set_network (fixture, "full");
  FERRY_TEST_WAIT (runs_by (fixture, "online") >= 1 && is_synced_with (fixture, 1), WAIT_MS);
  g_assert_true (holds (fixture, "x", "{\"title\":\"while offline\"}"));
}

/* logind's PrepareForSleep (false) after a suspend starts a run. */
static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GDBusConnection) logind = ferry_agent_fixture_connect (&fixture->base);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result = 0;

  add_rest_collection (fixture, NULL, NULL);
  FERRY_TEST_WAIT (is_synced_with (fixture, 0), WAIT_MS);

  /* The test plays logind: ferryd listens to that name only. */
  reply = g_dbus_connection_call_sync (logind, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", LOGIN1_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);

  ferry_rest_server_put (fixture->rest, "x", "{\"title\":\"while asleep\"}");
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (logind, NULL, &error);
  g_assert_no_error (error);

  FERRY_TEST_WAIT (runs_by (fixture, "resume") >= 1 && is_synced_with (fixture, 1), WAIT_MS);
  g_assert_true (holds (fixture, "x", "{\"title\":\"while asleep\"}"));
  g_dbus_connection_close_sync (logind, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_bus = ferry_agent_bus_up ();

#define ADD(path, network, func) \
  g_test_add (path, Fixture, network, fixture_set_up, func, fixture_tear_down)
  ADD ("/dbus/collection-triggers/live", NULL, test_live);
  ADD ("/dbus/collection-triggers/live-rest", NULL, test_live_rest);
  ADD ("/dbus/collection-triggers/interval", NULL, test_interval);
  ADD ("/dbus/collection-triggers/online", "full", test_online);
  ADD ("/dbus/collection-triggers/resume", NULL, test_resume);
#undef ADD

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
