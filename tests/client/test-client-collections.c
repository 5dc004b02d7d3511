/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-client-fixture.h"
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
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = ferry_rest_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
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
                                             client_wait_result (&result), error);
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
                                                client_wait_result (&result), error);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/client/collections/add-and-remove", Fixture, NULL, fixture_set_up,
              test_add_and_remove, fixture_tear_down);

  return g_test_run ();
}
