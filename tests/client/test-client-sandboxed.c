/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>

#include "ferry-client-fixture.h"
#include "ferry-collection.h"
#include "ferry-document-list.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-sandbox.h"
#include "ferry-test-util.h"

/*
 * libferry-1 in a sandboxed app: this program, run again in a sandbox of
 * NOTES (--peer), lists the collections, opens its own and another app's,
 * and follows its own while the test writes to it from outside.  It must
 * see its own collection and its documents change live, and nothing of
 * the other app's.
 */

#define WAIT_MS 20000
#define NOTES   "org.example.Notes"
#define OTHER   "org.example.Other"

/* The peer ------------------------------------------------------------- */

static void G_GNUC_PRINTF (1, 2)
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  printf ("\n");
  fflush (stdout);
}

static void
on_changed (FerryCollection *collection,
            gint64           seq,
            gpointer         user_data)
{
  say ("own changed");
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  say ("own documents %u", g_list_model_get_n_items (model));
}

static gboolean
on_input (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  gboolean *done = user_data;
  char buffer[64];

  if (read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;
  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static FerryCollection *
peer_open (FerryClient *client,
           const char  *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;

  ferry_collection_new_async (client, path, NULL, client_store_result_cb, &result);
  collection = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  return collection;
}

static void
peer_list (FerryClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;

  ferry_client_list_collections_async (client, NULL, client_store_result_cb, &result);
  paths = ferry_client_list_collections_finish (client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; paths[i] != NULL; i++)
    say ("listed %s", paths[i]);
}

static void
peer_put_other (FerryCollection *other)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_collection_put_async (other, "x", "{}", NULL, client_store_result_cb, &result);
  ferry_collection_put_finish (other, client_wait_result (&result), &error);
  say ("other app '%s'", ferry_collection_get_app (other));
  if (error != NULL)
    say ("other put error %s %d", g_quark_to_string (error->domain), error->code);
  else
    say ("other put ok");
}

static int
run_peer (const char *own_path,
          const char *other_path)
{
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryClient) client = NULL;
  g_autoptr(FerryCollection) own = NULL;
  g_autoptr(FerryCollection) other = NULL;
  g_autoptr(FerryDocumentList) documents = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  ferry_error_quark ();
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  ferry_client_new_async (connection, FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START, NULL,
                          client_store_result_cb, &result);
  client = ferry_client_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);

  peer_list (client);
  own = peer_open (client, own_path);
  say ("own app %s", ferry_collection_get_app (own));
  other = peer_open (client, other_path);
  peer_put_other (other);

  g_signal_connect (own, "changed", G_CALLBACK (on_changed), NULL);
  documents = ferry_collection_list_documents (own, FALSE);
  FERRY_TEST_WAIT (!ferry_document_list_get_loading (documents), WAIT_MS);
  say ("own documents %u", g_list_model_get_n_items (G_LIST_MODEL (documents)));
  g_signal_connect (documents, "items-changed", G_CALLBACK (on_items_changed), NULL);

  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_input, &done);
  say ("ready");
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&documents);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  return 0;
}

/* The test ------------------------------------------------------------- */

typedef struct
{
  ClientFixture    base;
  FerryRestServer *server;
  FerryTestPeer   *peer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
  fixture->server = ferry_rest_server_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->peer, ferry_test_peer_free);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

static char *
add_collection (Fixture    *fixture,
                const char *app)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder config;
  char *path;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string (app));
  ferry_client_add_collection_async (fixture->base.client, g_variant_builder_end (&config),
                                     NULL, client_store_result_cb, &result);
  path = ferry_client_add_collection_finish (fixture->base.client,
                                             client_wait_result (&result), &error);
  g_assert_no_error (error);
  return path;
}

static void
put (FerryCollection *collection,
     const char      *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_collection_put_async (collection, id, "{}", NULL, client_store_result_cb, &result);
  ferry_collection_put_finish (collection, client_wait_result (&result), &error);
  g_assert_no_error (error);
}

static void
test_sandboxed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *notes_path = add_collection (fixture, NOTES);
  g_autofree char *other_path = add_collection (fixture, OTHER);
  g_autofree char *self = g_test_build_filename (G_TEST_BUILT, "client", "test-client-sandboxed",
                                                 NULL);
  g_autofree char *line = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(FerryCollection) notes = NULL;
  g_autoptr(FerryCollection) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fixture->peer = ferry_test_peer_start (NOTES, (const char *[]) {
                                           self, "--peer", notes_path, other_path, NULL });

  /* It finds its own collection, and the other app's is not there. */
  line = g_strdup_printf ("listed %s", notes_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "listed", NULL), ==, 1);
  g_assert_true (ferry_test_peer_said (fixture->peer, "own app " NOTES));
  g_assert_true (ferry_test_peer_said (fixture->peer, "other app ''"));
  refused = g_strdup_printf ("other put error %s %d", g_quark_to_string (FERRY_ERROR),
                             FERRY_ERROR_NOT_FOUND);
  g_assert_true (ferry_test_peer_said (fixture->peer, refused));
  g_assert_true (ferry_test_peer_said (fixture->peer, "own documents 0"));

  /* Writes from outside reach it live. */
  ferry_collection_new_async (fixture->base.client, other_path, NULL, client_store_result_cb,
                              &result);
  other = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  ferry_collection_new_async (fixture->base.client, notes_path, NULL, client_store_result_cb,
                              &result);
  notes = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  put (other, "elsewhere");
  put (notes, "a");
  FERRY_TEST_WAIT (ferry_test_peer_said (fixture->peer, "own documents 1") &&
                   ferry_test_peer_said (fixture->peer, "own changed"), WAIT_MS);
  ferry_test_peer_stop (fixture->peer);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 4 && g_str_equal (argv[1], "--peer"))
    return run_peer (argv[2], argv[3]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();
  ferry_agent_bus_up ();

  g_test_add ("/client/sandboxed/collections", Fixture, NULL, fixture_set_up, test_sandboxed,
              fixture_tear_down);

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
