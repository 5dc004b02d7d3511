/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * Collections through ferryd, as apps call them: AddCollection, documents
 * written and read over the bus, a run that syncs them with a REST
 * profile server, Changes, the ObjectManager, RemoveCollection, and bad
 * input refused with an error naming it and nothing stored.
 */

#define WAIT_MS 20000

typedef struct
{
  FerryAgentFixture  base;
  FerryRestServer   *server;
  guint              changed;
  guint              finished;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ferry_agent_fixture_set_up (&fixture->base, "full");
  fixture->server = ferry_rest_server_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

static GVariant *
config_new (Fixture    *fixture,
            const char *name,
            const char *extra_key,
            GVariant   *extra_value)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&builder, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&builder, "{sv}", "app-id", g_variant_new_string ("org.example.Notes"));
  if (extra_key != NULL)
    g_variant_builder_add (&builder, "{sv}", extra_key, extra_value);
  return g_variant_builder_end (&builder);
}

static void
on_changed (FerryDBusCollection *collection,
            gint64               seq,
            Fixture             *fixture)
{
  fixture->changed++;
}

static void
on_run_finished (FerryDBusCollection *collection,
                 GVariant            *summary,
                 Fixture             *fixture)
{
  fixture->finished++;
}

static FerryDBusCollection *
add_collection (Fixture    *fixture,
                const char *name,
                char      **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  FerryDBusCollection *collection;

  ferry_dbus_agent_call_add_collection_sync (fixture->base.agent,
                                             config_new (fixture, name, NULL, NULL), &path,
                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, "/io/github/ferrysync/Ferry/collections/"));
  collection = ferry_dbus_collection_proxy_new_sync (fixture->base.connection,
                                                     G_DBUS_PROXY_FLAGS_NONE,
                                                     "io.github.ferrysync.Ferry.Agent", path,
                                                     NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (collection, "changed", G_CALLBACK (on_changed), fixture);
  g_signal_connect (collection, "run-finished", G_CALLBACK (on_run_finished), fixture);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return collection;
}

static gboolean
is_synced (FerryDBusCollection *collection)
{
  return g_strcmp0 (ferry_dbus_collection_get_state (collection), "synced") == 0;
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(FerryDBusCollection) notes = add_collection (fixture, "notes", NULL);
  g_autoptr(GVariant) doc = NULL;
  g_autoptr(GVariant) changes = NULL;
  g_autoptr(GError) error = NULL;
  const char *body = NULL;
  gint64 seq = 0, seq2 = 0, last = 0;

  g_assert_cmpstr (ferry_dbus_collection_get_name (notes), ==, "notes");
  g_assert_cmpstr (ferry_dbus_collection_get_app (notes), ==, "org.example.Notes");
  g_assert_cmpstr (ferry_dbus_collection_get_protocol (notes), ==, "rest");
  g_assert_cmpstr (ferry_dbus_collection_get_host (notes), ==, "127.0.0.1");

  g_assert_true (ferry_dbus_collection_call_put_sync (notes, "a", "{\"title\":\"one\"}", &seq,
                                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_dbus_collection_call_put_sync (notes, "b", "{\"title\":\"two\"}", &seq2,
                                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq2, >, seq);

  /* Readable at once, synced shortly. */
  g_assert_true (ferry_dbus_collection_call_get_sync (notes, "a", &doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (doc, "body", "&s", &body));
  g_assert_cmpstr (body, ==, "{\"title\":\"one\"}");
  FERRY_TEST_WAIT (ferry_rest_server_count (fixture->server) == 2 && is_synced (notes) &&
                   ferry_dbus_collection_get_dirty_count (notes) == 0, WAIT_MS);
  g_assert_cmpuint (fixture->changed, >=, 1);
  g_assert_cmpint (ferry_dbus_collection_get_last_sync_time (notes), >, 0);

  /* Sync now brings the other client's document; Changes lists it. */
  ferry_rest_server_put (fixture->server, "x", "{\"title\":\"elsewhere\"}");
  g_assert_true (ferry_dbus_collection_call_sync_sync (notes, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_dbus_collection_get_document_count (notes) == 3, WAIT_MS);
  g_assert_true (ferry_dbus_collection_call_changes_sync (notes, seq2, 100, &changes, &last,
                                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (changes), ==, 1);
  g_assert_cmpint (last, >, seq2);

  /* A delete travels too. */
  g_assert_true (ferry_dbus_collection_call_delete_sync (notes, "a", &seq, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_rest_server_count (fixture->server) == 2 && is_synced (notes) &&
                   ferry_dbus_collection_get_dirty_count (notes) == 0, WAIT_MS);
  g_assert_cmpuint (fixture->finished, >=, 2);
}

static void
assert_add_refused (Fixture    *fixture,
                    const char *key,
                    GVariant   *value,
                    const char *named)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_false (ferry_dbus_agent_call_add_collection_sync (fixture->base.agent,
                                                             config_new (fixture, "bad", key,
                                                                         value),
                                                             &path, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, named));
}

static void
assert_put_refused (FerryDBusCollection *collection,
                    const char          *id,
                    const char          *json,
                    const char          *named)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_false (ferry_dbus_collection_call_put_sync (collection, id, json, &seq, NULL,
                                                       &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, named));
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryDBusCollection) notes = add_collection (fixture, "notes", NULL);
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GVariant) managed = NULL;
  g_autoptr(GVariant) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_id = g_strnfill (600, 'i');
  GVariantBuilder filter;

  assert_add_refused (fixture, "colour", g_variant_new_string ("red"), "colour");
  assert_add_refused (fixture, "protocol", g_variant_new_string ("ftp"), "protocol");
  assert_add_refused (fixture, "url", g_variant_new_string ("ftp://127.0.0.1/x"), "url");
  assert_add_refused (fixture, "batch-limit", g_variant_new_string ("many"), "batch-limit");
  assert_add_refused (fixture, "batch-limit", g_variant_new_uint32 (5), "batch");
  assert_add_refused (fixture, "direction", g_variant_new_string ("sideways"), "direction");
  assert_add_refused (fixture, "conflict-strategy", g_variant_new_string ("coin"),
                      "conflict-strategy");

  assert_put_refused (notes, "a", "not json", "body");
  assert_put_refused (notes, "a", "[1]", "body");
  assert_put_refused (notes, "", "{}", "id");
  assert_put_refused (notes, long_id, "{}", "id");

  g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&filter, "{sv}", "dirty", g_variant_new_string ("yes"));
  g_assert_false (ferry_dbus_collection_call_list_sync (notes, g_variant_builder_end (&filter),
                                                        0, 10, &page, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Nothing was stored, and only the good collection exists. */
  g_assert_cmpuint (ferry_dbus_collection_get_document_count (notes), ==, 0);
  g_assert_cmpuint (ferry_dbus_collection_get_dirty_count (notes), ==, 0);
  objects = g_dbus_connection_call_sync (fixture->base.connection,
                                         "io.github.ferrysync.Ferry.Agent",
                                         "/io/github/ferrysync/Ferry",
                                         "org.freedesktop.DBus.ObjectManager",
                                         "GetManagedObjects", NULL, NULL,
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  managed = g_variant_get_child_value (objects, 0);
  g_assert_cmpuint (g_variant_n_children (managed), ==, 1);
}

static gint64
lookup_number (GVariant   *dict,
               const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return g_variant_get_int64 (value);
}

/* How many runs @collection has on record; @out_pushed gets the documents
 * they pushed. */
static guint
count_runs (FerryDBusCollection *collection,
            guint               *out_pushed)
{
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GVariant) sync = NULL;
  g_autoptr(GError) error = NULL;
  guint pushed = 0;

  g_assert_true (ferry_dbus_collection_call_list_runs_sync (collection, 100, &runs, &sync, NULL,
                                                            &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < g_variant_n_children (runs); i++)
    {
      g_autoptr(GVariant) run = g_variant_get_child_value (runs, i);

      pushed += lookup_number (run, "pushed");
    }
  if (out_pushed != NULL)
    *out_pushed = pushed;
  return g_variant_n_children (runs);
}

/* The history of runs: newest first, with phases and counts, and where
 * the sync stands; limits outside 1 to 100 refused by name. */
static void
test_list_runs (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryDBusCollection) notes = add_collection (fixture, "notes", NULL);
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GVariant) sync = NULL;
  g_autoptr(GVariant) newest = NULL;
  g_autoptr(GVariant) older = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  const char *text = NULL;
  guint pushed = 0;
  gint64 seq = 0;

  /* Waited for in the history itself: the first run may end before the
   * proxy is there to hear its RunFinished. */
  FERRY_TEST_WAIT (count_runs (notes, NULL) >= 1, WAIT_MS);
  g_assert_true (ferry_dbus_collection_call_put_sync (notes, "a", "{\"title\":\"one\"}", &seq,
                                                      NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (count_runs (notes, &pushed) >= 2 && pushed == 1, WAIT_MS);
  pushed = 0;

  g_assert_true (ferry_dbus_collection_call_list_runs_sync (notes, 10, &runs, &sync, NULL,
                                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (runs), >=, 2);
  newest = g_variant_get_child_value (runs, 0);
  older = g_variant_get_child_value (runs, 1);
  g_assert_cmpint (lookup_number (newest, "started"), >=, lookup_number (older, "started"));
  g_assert_true (g_variant_lookup (newest, "result", "&s", &text));
  g_assert_cmpstr (text, ==, "ok");
  g_assert_true (g_variant_lookup (newest, "trigger", "&s", &text));
  g_assert_cmpstr (text, !=, "");
  g_assert_cmpint (lookup_number (newest, "finished"), >=, lookup_number (newest, "started"));
  g_assert_cmpint (lookup_number (newest, "check-time"), >=, 0);
  g_assert_cmpint (lookup_number (newest, "push-time"), >, 0);
  g_assert_cmpint (lookup_number (newest, "pull-time"), >, 0);
  g_assert_cmpint (lookup_number (newest, "finish-time"), >=, 0);
  for (gsize i = 0; i < g_variant_n_children (runs); i++)
    {
      g_autoptr(GVariant) run = g_variant_get_child_value (runs, i);

      pushed += lookup_number (run, "pushed");
    }
  g_assert_cmpuint (pushed, ==, 1);

  g_assert_true (g_variant_lookup (sync, "endpoint", "&s", &text));
  g_assert_cmpstr (text, ==, url);
  g_assert_true (g_variant_lookup (sync, "checkpoint", "&s", &text));
  g_assert_cmpstr (text, !=, "");
  g_clear_pointer (&runs, g_variant_unref);
  g_clear_pointer (&sync, g_variant_unref);

  /* One run when one is asked for. */
  g_assert_true (ferry_dbus_collection_call_list_runs_sync (notes, 1, &runs, &sync, NULL,
                                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (runs), ==, 1);
  g_clear_pointer (&runs, g_variant_unref);
  g_clear_pointer (&sync, g_variant_unref);

  g_assert_false (ferry_dbus_collection_call_list_runs_sync (notes, 0, &runs, &sync, NULL,
                                                             &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "limit"));
  g_clear_error (&error);
  g_assert_false (ferry_dbus_collection_call_list_runs_sync (notes, 101, &runs, &sync, NULL,
                                                             &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "limit"));
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(FerryDBusCollection) notes = add_collection (fixture, "notes", &path);
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_true (ferry_dbus_collection_call_put_sync (notes, "a", "{}", &seq, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_dbus_agent_call_remove_collection_sync (fixture->base.agent, path, FALSE,
                                                               NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ferry_dbus_collection_call_put_sync (notes, "b", "{}", &seq, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_remove_collection_sync (fixture->base.agent, path,
                                                                FALSE, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();
  ferry_agent_bus_up ();

#define ADD(path, func) \
  g_test_add ("/dbus/collections/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sync", test_sync);
  ADD ("bad-input", test_bad_input);
  ADD ("remove", test_remove);
  ADD ("list-runs", test_list_runs);
#undef ADD

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
