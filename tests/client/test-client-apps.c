/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-doc-server.h"
#include "ferry-test-util.h"

#include "ferry-client-fixture.h"

/*
 * What an app does with FerryClient beyond the task calls: naming the
 * owner of its tasks once (FerryClient:app-id), and settling its own
 * conflicts with a FerryResolver.  Against the real ferryd on a private
 * bus, and a document server that answers 412 to a stale If-Match.
 */

#define WAIT_MS 20000

#define BASE_DOC "{\"title\":\"base\",\"n\":1}"
#define THEIRS_DOC "{\"title\":\"theirs\",\"n\":1}"
#define MINE_DOC "{\"title\":\"mine\",\"n\":2}"
#define MERGED_DOC "{\"title\":\"theirs\",\"n\":2}"

typedef struct
{
  ClientFixture   base;
  FerryDocServer *docs;
  FerryResolver  *resolver;
  guint           resolve_calls;
  FerryResolveRequest *kept;   /* a request answered later */
  GHashTable     *succeeded;   /* ids */
  GHashTable     *conflicted;  /* ids */
} Fixture;

static void
on_task_succeeded (FerryClient *client,
                   const char  *id,
                   const char  *owner,
                   guint        status,
                   Fixture     *fixture)
{
  g_hash_table_add (fixture->succeeded, g_strdup (id));
}

static void
on_conflict_detected (FerryClient *client,
                      const char  *id,
                      const char  *owner,
                      Fixture     *fixture)
{
  g_hash_table_add (fixture->conflicted, g_strdup (id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->docs = ferry_doc_server_new ();
  fixture->succeeded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->conflicted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
  g_signal_connect (fixture->base.client, "task-succeeded",
                    G_CALLBACK (on_task_succeeded), fixture);
  g_signal_connect (fixture->base.client, "conflict-detected",
                    G_CALLBACK (on_conflict_detected), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->kept);
  g_clear_object (&fixture->resolver);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->docs, ferry_doc_server_free);
  g_clear_pointer (&fixture->succeeded, g_hash_table_unref);
  g_clear_pointer (&fixture->conflicted, g_hash_table_unref);
}

static char *
owner_of (FerryClient *client,
          const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = client_get (client, id, &error);

  g_assert_no_error (error);
  return g_strdup (ferry_task_info_get_owner (info));
}

static char *
enqueue_simple (FerryClient *client,
                const char  *app_id)
{
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", "https://example.org/notes/1");
  g_autoptr(GError) error = NULL;
  char *id;

  if (app_id != NULL)
    ferry_request_set_app_id (request, app_id);
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  return id;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* An app names the owner of its tasks once; a request may still name its
 * own; unset, it is the program's name. */
static void
test_app_id (Fixture       *fixture,
             gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *program = g_path_get_basename (g_get_prgname ());
  g_autofree char *id = NULL;
  g_autofree char *owner = NULL;
  guint notifies = 0;

  /* No GApplication here: the default is the program's name, which is
   * also what the agent would find itself. */
  g_assert_cmpstr (ferry_client_get_app_id (client), ==, program);
  id = enqueue_simple (client, NULL);
  owner = owner_of (client, id);
  g_assert_cmpstr (owner, ==, program);

  g_signal_connect (client, "notify::app-id", G_CALLBACK (count_notify), &notifies);
  ferry_client_set_app_id (client, "org.example.Notes");
  ferry_client_set_app_id (client, "org.example.Notes");
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (ferry_client_get_app_id (client), ==, "org.example.Notes");

  g_clear_pointer (&id, g_free);
  g_clear_pointer (&owner, g_free);
  id = enqueue_simple (client, NULL);
  owner = owner_of (client, id);
  g_assert_cmpstr (owner, ==, "org.example.Notes");

  /* The request's own name wins. */
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&owner, g_free);
  id = enqueue_simple (client, "org.example.Other");
  owner = owner_of (client, id);
  g_assert_cmpstr (owner, ==, "org.example.Other");

  /* NULL restores the default. */
  ferry_client_set_app_id (client, NULL);
  g_assert_cmpuint (notifies, ==, 2);
  g_assert_cmpstr (ferry_client_get_app_id (client), ==, program);
}

/* With a GApplication, its id is the default. */
static void
test_app_id_from_application (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GApplication) application = NULL;
  g_autoptr(FerryClient) client = NULL;
  g_autofree char *id = NULL;
  g_autofree char *owner = NULL;

  application = g_application_new ("org.example.FerryTest", G_APPLICATION_DEFAULT_FLAGS);
  g_application_set_default (application);
  client = client_fixture_new_client (&fixture->base, fixture->base.connection,
                                      FERRY_CLIENT_FLAGS_NONE);
  g_application_set_default (NULL);

  g_assert_cmpstr (ferry_client_get_app_id (client), ==, "org.example.FerryTest");
  id = enqueue_simple (client, NULL);
  owner = owner_of (client, id);
  g_assert_cmpstr (owner, ==, "org.example.FerryTest");
}

static gboolean
on_resolve_merge (FerryResolver       *resolver,
                  FerryResolveRequest *request,
                  Fixture             *fixture)
{
  g_autoptr(GBytes) merged = g_bytes_new_static (MERGED_DOC, strlen (MERGED_DOC));

  fixture->resolve_calls++;
  g_assert_cmpmem (g_bytes_get_data (ferry_resolve_request_get_base (request), NULL),
                   g_bytes_get_size (ferry_resolve_request_get_base (request)),
                   BASE_DOC, strlen (BASE_DOC));
  g_assert_cmpmem (g_bytes_get_data (ferry_resolve_request_get_local (request), NULL),
                   g_bytes_get_size (ferry_resolve_request_get_local (request)),
                   MINE_DOC, strlen (MINE_DOC));
  g_assert_cmpmem (g_bytes_get_data (ferry_resolve_request_get_remote (request), NULL),
                   g_bytes_get_size (ferry_resolve_request_get_remote (request)),
                   THEIRS_DOC, strlen (THEIRS_DOC));

  /* Answered later, as an app that asks the person would. */
  g_assert_null (fixture->kept);
  fixture->kept = g_object_ref (request);
  g_assert_false (ferry_resolve_request_get_answered (request));
  ferry_resolve_request_return_body (fixture->kept, merged);
  g_assert_true (ferry_resolve_request_get_answered (request));
  return TRUE;
}

static gboolean
on_resolve_decline (FerryResolver       *resolver,
                    FerryResolveRequest *request,
                    Fixture             *fixture)
{
  fixture->resolve_calls++;
  return FALSE;
}

static void
register_resolver (Fixture  *fixture,
                   GCallback handler)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  fixture->resolver = ferry_resolver_new ();
  g_assert_true (g_variant_is_object_path (ferry_resolver_get_object_path (fixture->resolver)));
  g_signal_connect (fixture->resolver, "resolve", handler, fixture);
  ferry_client_register_resolver_async (fixture->base.client, fixture->resolver, NULL,
                                        client_store_result_cb, &result);
  g_assert_true (ferry_client_register_resolver_finish (fixture->base.client,
                                                        client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
}

/* The app's edit of @path, made from version 1, which the server has
 * moved on from: it conflicts, and the custom strategy asks the app. */
static char *
enqueue_stale_edit (Fixture    *fixture,
                    const char *path)
{
  g_autofree char *url = ferry_doc_server_url (fixture->docs, path);
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GBytes) base = g_bytes_new_static (BASE_DOC, strlen (BASE_DOC));
  g_autoptr(GError) error = NULL;
  char *id;

  ferry_doc_server_write (fixture->docs, path, BASE_DOC);
  ferry_doc_server_write (fixture->docs, path, THEIRS_DOC);

  ferry_request_set_body_text (request, MINE_DOC, "application/json");
  ferry_request_set_base (request, base);
  ferry_request_set_if_match (request, "\"v1\"");
  ferry_request_set_conflict_strategy (request, FERRY_CLIENT_CONFLICT_CUSTOM);
  id = client_enqueue (fixture->base.client, request, &error);
  g_assert_no_error (error);
  return id;
}

/* A resolver settles its app's conflict; the agent sends its answer. */
static void
test_resolver_merges (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *doc = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  register_resolver (fixture, G_CALLBACK (on_resolve_merge));
  id = enqueue_stale_edit (fixture, "/notes/1");

  FERRY_TEST_WAIT (g_hash_table_contains (fixture->succeeded, id), WAIT_MS);
  g_assert_cmpuint (fixture->resolve_calls, ==, 1);
  doc = ferry_doc_server_read (fixture->docs, "/notes/1", NULL, NULL, NULL);
  g_assert_cmpstr (doc, ==, MERGED_DOC);

  /* Unregistered, and then not registered any more. */
  ferry_client_unregister_resolver_async (fixture->base.client, fixture->resolver, NULL,
                                          client_store_result_cb, &result);
  g_assert_true (ferry_client_unregister_resolver_finish (fixture->base.client,
                                                          client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  ferry_client_unregister_resolver_async (fixture->base.client, fixture->resolver, NULL,
                                          client_store_result_cb, &result);
  g_assert_false (ferry_client_unregister_resolver_finish (fixture->base.client,
                                                           client_wait_result (&result),
                                                           &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_object (&result);
}

/* A resolver that does not take the conflict leaves it to the person. */
static void
test_resolver_declines (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  register_resolver (fixture, G_CALLBACK (on_resolve_decline));
  id = enqueue_stale_edit (fixture, "/notes/2");

  FERRY_TEST_WAIT (g_hash_table_contains (fixture->conflicted, id), WAIT_MS);
  g_assert_cmpuint (fixture->resolve_calls, ==, 1);
  info = client_get (fixture->base.client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_task_info_get_state (info), ==, FERRY_CLIENT_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (ferry_task_info_get_last_error (info), "no way to settle"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/client/app-id", Fixture, NULL,
              fixture_set_up, test_app_id, fixture_tear_down);
  g_test_add ("/client/app-id/application", Fixture, NULL,
              fixture_set_up, test_app_id_from_application, fixture_tear_down);
  g_test_add ("/client/resolver/merges", Fixture, NULL,
              fixture_set_up, test_resolver_merges, fixture_tear_down);
  g_test_add ("/client/resolver/declines", Fixture, NULL,
              fixture_set_up, test_resolver_declines, fixture_tear_down);

  return g_test_run ();
}
