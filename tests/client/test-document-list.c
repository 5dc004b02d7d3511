/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-client-fixture.h"
#include "ferry-collection.h"
#include "ferry-document-list.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

/*
 * FerryDocumentList against a real ferryd: its length, pages fetched on
 * demand (more than one), the items' fields, and writes and deletions
 * reaching the model as ::items-changed.
 */

#define WAIT_MS   20000
#define N_DOCS    25
#define PAGE_SIZE 10

typedef struct
{
  ClientFixture      base;
  FerryRestServer   *server;
  FerryCollection   *collection;
  FerryDocumentList *list;
  GArray            *changes;   /* Change: every ::items-changed */
} Fixture;

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  Change change = { position, removed, added };

  g_test_message ("items-changed %u -%u +%u (now %u)", position, removed, added,
                  g_list_model_get_n_items (model));

  g_array_append_val (fixture->changes, change);
}

static FerryCollection *
open_collection (Fixture *fixture)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GVariantBuilder config;
  FerryCollection *collection;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  /* Runs only when asked, so that the list's calls can be counted. */
  g_variant_builder_add (&config, "{sv}", "live", g_variant_new_boolean (FALSE));
  g_variant_builder_add (&config, "{sv}", "interval", g_variant_new_uint32 (0));
  ferry_client_add_collection_async (fixture->base.client, g_variant_builder_end (&config),
                                     NULL, client_store_result_cb, &result);
  path = ferry_client_add_collection_finish (fixture->base.client, client_wait_result (&result),
                                             &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  ferry_collection_new_async (fixture->base.client, path, NULL, client_store_result_cb,
                              &result);
  collection = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  return collection;
}

static void
put (Fixture    *fixture,
     const char *id,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_collection_put_async (fixture->collection, id, json, NULL, client_store_result_cb,
                              &result);
  ferry_collection_put_finish (fixture->collection, client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
delete (Fixture    *fixture,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_collection_delete_async (fixture->collection, id, NULL, client_store_result_cb,
                                 &result);
  ferry_collection_delete_finish (fixture->collection, client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
  fixture->server = ferry_rest_server_new ();
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  fixture->collection = open_collection (fixture);

  for (guint i = 0; i < N_DOCS; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%02u", i);
      g_autofree char *json = g_strdup_printf ("{\"n\":%u}", i);

      put (fixture, id, json);
    }
  FERRY_TEST_WAIT (ferry_collection_get_document_count (fixture->collection) == N_DOCS &&
                   ferry_collection_get_dirty_count (fixture->collection) == 0 &&
                   g_strcmp0 (ferry_collection_get_state (fixture->collection), "synced") == 0,
                   WAIT_MS);

  fixture->list = g_object_new (FERRY_TYPE_DOCUMENT_LIST, "collection", fixture->collection,
                                "with-bodies", TRUE, "page-size", PAGE_SIZE, NULL);
  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (on_items_changed), fixture);
  FERRY_TEST_WAIT (!ferry_document_list_get_loading (fixture->list), WAIT_MS);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->list);
  g_clear_object (&fixture->collection);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->changes, g_array_unref);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

/* The item at @position once its page is in. */
static FerryDocumentInfo *
loaded_item (Fixture *fixture,
             guint    position)
{
  FerryDocumentInfo *item = g_list_model_get_item (G_LIST_MODEL (fixture->list), position);

  g_assert_nonnull (item);
  FERRY_TEST_WAIT (ferry_document_info_get_loaded (item), WAIT_MS);
  return item;
}

/* Whether the ::items-changed since @since grew (@delta > 0) or shrank
 * the list by @delta in all, one of them at @position or before: the
 * count and the rows may arrive in separate refreshes. */
static gboolean
saw_change (Fixture *fixture,
            guint    since,
            int      delta,
            guint    position)
{
  gboolean reached = FALSE;
  int net = 0;

  for (guint i = since; i < fixture->changes->len; i++)
    {
      Change *change = &g_array_index (fixture->changes, Change, i);

      net += (int) change->added - (int) change->removed;
      reached = reached || change->position <= position;
    }
  return reached && net == delta;
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->list);
  g_autoptr(FerryDocumentInfo) first = NULL;
  g_autoptr(FerryDocumentInfo) last = NULL;
  g_autoptr(FerryDocumentInfo) other = NULL;
  guint calls;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOCS);
  g_assert_true (g_list_model_get_item_type (model) == FERRY_TYPE_DOCUMENT_INFO);
  g_assert_null (g_list_model_get_item (model, N_DOCS));
  g_assert_cmpuint (ferry_document_list_get_list_calls (fixture->list), ==, 0);

  /* The first page, then the last: two calls, by id. */
  first = loaded_item (fixture, 0);
  g_assert_cmpstr (ferry_document_info_get_id (first), ==, "doc-00");
  g_assert_cmpstr (ferry_document_info_get_body (first), ==, "{\"n\":0}");
  g_assert_false (ferry_document_info_get_deleted (first));
  g_assert_false (ferry_document_info_get_conflict (first));
  g_assert_null (ferry_document_info_get_failed_reason (first));
  g_assert_cmpint (ferry_document_info_get_seq (first), >, 0);
  g_assert_cmpint (ferry_document_info_get_updated (first), >, 0);
  last = loaded_item (fixture, N_DOCS - 1);
  g_assert_cmpstr (ferry_document_info_get_id (last), ==, "doc-24");
  g_assert_cmpstr (ferry_document_info_get_body (last), ==, "{\"n\":24}");
  g_assert_cmpint (ferry_document_info_get_seq (last), >, ferry_document_info_get_seq (first));
  calls = ferry_document_list_get_list_calls (fixture->list);
  g_assert_cmpuint (calls, ==, 2);

  /* Another row of a page already in costs no call. */
  other = loaded_item (fixture, 5);
  g_assert_cmpstr (ferry_document_info_get_id (other), ==, "doc-05");
  g_assert_cmpuint (ferry_document_list_get_list_calls (fixture->list), ==, calls);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->list);
  g_autoptr(FerryDocumentInfo) first = loaded_item (fixture, 0);
  g_autoptr(FerryDocumentInfo) item = NULL;
  g_autoptr(FerryDocumentInfo) moved = NULL;
  guint since = fixture->changes->len;

  /* A new document at the end. */
  put (fixture, "doc-99", "{\"n\":99}");
  FERRY_TEST_WAIT (saw_change (fixture, since, 1, N_DOCS) &&
                   !ferry_document_list_get_loading (fixture->list), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOCS + 1);
  item = loaded_item (fixture, N_DOCS);
  g_assert_cmpstr (ferry_document_info_get_id (item), ==, "doc-99");

  /* A document deleted: listed as deleted while the deletion waits to be
   * sent, then gone, and the rows after it move up. */
  since = fixture->changes->len;
  delete (fixture, "doc-03");
  FERRY_TEST_WAIT (saw_change (fixture, since, -1, 3) &&
                   !ferry_document_list_get_loading (fixture->list), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOCS);
  moved = loaded_item (fixture, 3);
  g_assert_cmpstr (ferry_document_info_get_id (moved), ==, "doc-04");

  /* A new body: the row keeps its object, updated in place. */
  since = fixture->changes->len;
  put (fixture, "doc-00", "{\"n\":100}");
  FERRY_TEST_WAIT (g_strcmp0 (ferry_document_info_get_body (first), "{\"n\":100}") == 0,
                   WAIT_MS);
  g_assert_true (saw_change (fixture, since, 0, 0));
  g_assert_cmpstr (ferry_document_info_get_id (first), ==, "doc-00");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();
  ferry_agent_bus_up ();

  g_test_add ("/client/document-list/paging", Fixture, NULL, fixture_set_up, test_paging,
              fixture_tear_down);
  g_test_add ("/client/document-list/changes", Fixture, NULL, fixture_set_up, test_changes,
              fixture_tear_down);

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
