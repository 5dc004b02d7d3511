/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-client-fixture.h"
#include "ferry-collection.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

/*
 * Collections through libferry-1: added (starting the agent), refused when
 * a key is wrong, removed, and not found once removed.
 */

typedef struct
{
  ClientFixture    base;
  FerryRestServer *server;
  GPtrArray       *results;   /* GAsyncResult*, kept until tear-down */
} Fixture;

static Fixture *current;

/* Waits for the call started with @slot; the slot is free again after. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  GAsyncResult *result = client_wait_result (slot);

  g_ptr_array_add (current->results, result);
  *slot = NULL;
  return result;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = ferry_rest_server_new ();
  fixture->results = g_ptr_array_new_with_free_func (g_object_unref);
  current = fixture;
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->results, g_ptr_array_unref);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

static GVariant *
config_new (Fixture    *fixture,
            const char *protocol)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&builder, "{sv}", "protocol", g_variant_new_string (protocol));
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (url));
  return g_variant_builder_end (&builder);
}

static char *
add (Fixture     *fixture,
     const char  *protocol,
     GError     **error)
{
  GAsyncResult *result = NULL;

  ferry_client_add_collection_async (fixture->base.client, config_new (fixture, protocol), NULL,
                                     client_store_result_cb, &result);
  return ferry_client_add_collection_finish (fixture->base.client,
                                             wait_for (&result), error);
}

static gboolean
remove_collection (Fixture     *fixture,
                   const char  *path,
                   GError     **error)
{
  GAsyncResult *result = NULL;

  ferry_client_remove_collection_async (fixture->base.client, path, FALSE, NULL,
                                        client_store_result_cb, &result);
  return ferry_client_remove_collection_finish (fixture->base.client,
                                                wait_for (&result), error);
}

static void
test_add_and_remove (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *again = NULL;
  g_autofree char *bad = NULL;

  path = add (fixture, "rest", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_object_path (path));

  /* The same name again is the same collection. */
  again = add (fixture, "rest", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, path);

  bad = add (fixture, "gopher", &error);
  g_assert_null (bad);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "protocol"));
  g_clear_error (&error);

  g_assert_true (remove_collection (fixture, path, &error));
  g_assert_no_error (error);
  g_assert_false (remove_collection (fixture, path, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
}

static FerryCollection *
open_collection (Fixture    *fixture,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  FerryCollection *collection;

  ferry_collection_new_async (fixture->base.client, path, NULL, client_store_result_cb, &result);
  collection = ferry_collection_new_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return collection;
}

static void
test_documents (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = add (fixture, "rest", &error);
  g_autoptr(FerryCollection) notes = NULL;
  g_autoptr(GVariant) doc = NULL;
  g_autoptr(GVariant) page = NULL;
  g_auto(GStrv) paths = NULL;
  GAsyncResult *result = NULL;
  const char *body = NULL;
  gint64 seq, last = 0;

  g_assert_no_error (error);
  notes = open_collection (fixture, path);
  g_assert_cmpstr (ferry_collection_get_name (notes), ==, "notes");
  g_assert_cmpstr (ferry_collection_get_protocol (notes), ==, "rest");

  ferry_collection_put_async (notes, "a", "{\"n\":1}", NULL, client_store_result_cb, &result);
  seq = ferry_collection_put_finish (notes, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq, >, 0);

  ferry_collection_put_async (notes, "b", "[]", NULL, client_store_result_cb, &result);
  g_assert_cmpint (ferry_collection_put_finish (notes, wait_for (&result), &error),
                   ==, -1);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ferry_collection_get_async (notes, "a", NULL, client_store_result_cb, &result);
  doc = ferry_collection_get_finish (notes, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (doc, "body", "&s", &body));
  g_assert_cmpstr (body, ==, "{\"n\":1}");

  ferry_collection_changes_async (notes, 0, 10, NULL, client_store_result_cb, &result);
  page = ferry_collection_changes_finish (notes, wait_for (&result), &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (page), ==, 1);
  g_assert_cmpint (last, ==, seq);

  /* It syncs, and the properties follow. */
  FERRY_TEST_WAIT (ferry_rest_server_count (fixture->server) == 1 &&
                   g_strcmp0 (ferry_collection_get_state (notes), "synced") == 0 &&
                   ferry_collection_get_dirty_count (notes) == 0, 20000);
  g_assert_cmpuint (ferry_collection_get_document_count (notes), ==, 1);

  ferry_client_list_collections_async (fixture->base.client, NULL, client_store_result_cb,
                                       &result);
  paths = ferry_client_list_collections_finish (fixture->base.client,
                                                wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, path);

  /* The runs it made, and where it stands. */
  {
    g_autoptr(GVariant) runs = NULL;
    g_autoptr(GVariant) sync = NULL;
    g_autoptr(GVariant) none = NULL;
    g_autofree char *url = ferry_rest_server_url (fixture->server);
    const char *endpoint = NULL;

    ferry_collection_list_runs_async (notes, 5, NULL, client_store_result_cb, &result);
    runs = ferry_collection_list_runs_finish (notes, wait_for (&result), &sync, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (runs), >=, 1);
    g_assert_true (g_variant_lookup (sync, "endpoint", "&s", &endpoint));
    g_assert_cmpstr (endpoint, ==, url);

    ferry_collection_list_runs_async (notes, 0, NULL, client_store_result_cb, &result);
    none = ferry_collection_list_runs_finish (notes, wait_for (&result), NULL, &error);
    g_assert_null (none);
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/client/collections/add-and-remove", Fixture, NULL, fixture_set_up,
              test_add_and_remove, fixture_tear_down);
  g_test_add ("/client/collections/documents", Fixture, NULL, fixture_set_up,
              test_documents, fixture_tear_down);

  return g_test_run ();
}
