/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-collection.h"
#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-util.h"

#include "ferry-client-fixture.h"

/*
 * The custom strategy for documents: a collection whose conflicts go to
 * the app's own resolver (a FerryResolver registered through
 * libferry-1), against the real ferryd on a private bus and a REST
 * profile server where another client changed the document.  The app's
 * answer is kept and pushed; a refusal or silence past the timeout leaves
 * the document waiting for a person, as with ask; a question ferryd's
 * stop cut short is asked again when the app registers.
 */

#define WAIT_MS 20000
#define DOC_ID "n1"

#define BASE_DOC "{\"title\":\"base\",\"n\":1}"
#define THEIRS_DOC "{\"title\":\"theirs\",\"n\":1}"
#define MINE_DOC "{\"title\":\"mine\",\"n\":2}"
#define MERGED_DOC "{\"title\":\"theirs\",\"n\":2}"

typedef enum {
  ANSWER,
  DECLINE,
  SILENT,
  UNTIL_RESTART,   /* silent; answers once ferryd started again */
} Mode;

typedef struct
{
  ClientFixture        base;
  FerryRestServer     *server;
  FerryResolver       *resolver;
  FerryCollection     *collection;
  Mode                 mode;
  guint                calls;
  FerryResolveRequest *kept;      /* never answered (silent) */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->mode = GPOINTER_TO_INT (data);
  fixture->server = ferry_rest_server_new ();
  /* The bus hands the environment on to the ferryd it starts: a silent
   * resolver is given up on after half a second rather than ten. */
  if (fixture->mode == SILENT)
    g_setenv ("FERRY_TEST_RESOLVER_TIMEOUT", "500", TRUE);
  else if (fixture->mode == UNTIL_RESTART)
    g_setenv ("FERRY_TEST_RESOLVER_TIMEOUT", "600000", TRUE);
  else
    g_unsetenv ("FERRY_TEST_RESOLVER_TIMEOUT");
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->kept);
  g_clear_object (&fixture->collection);
  g_clear_object (&fixture->resolver);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
  g_unsetenv ("FERRY_TEST_RESOLVER_TIMEOUT");
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static gboolean
on_resolve (FerryResolver       *resolver,
            FerryResolveRequest *request,
            Fixture             *fixture)
{
  g_autoptr(GBytes) merged = g_bytes_new_static (MERGED_DOC, strlen (MERGED_DOC));

  fixture->calls++;
  assert_bytes (ferry_resolve_request_get_base (request), BASE_DOC);
  assert_bytes (ferry_resolve_request_get_local (request), MINE_DOC);
  assert_bytes (ferry_resolve_request_get_remote (request), THEIRS_DOC);

  switch (fixture->mode)
    {
    case ANSWER:
      ferry_resolve_request_return_body (request, merged);
      return TRUE;
    case SILENT:
    case UNTIL_RESTART:
      g_assert_null (fixture->kept);
      fixture->kept = g_object_ref (request);
      return TRUE;
    case DECLINE:
    default:
      ferry_resolve_request_return_error (request, "the person has to look at this");
      return TRUE;
    }
}

static void
register_resolver (Fixture *fixture)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->resolver);
  fixture->resolver = ferry_resolver_new ();
  g_signal_connect (fixture->resolver, "resolve", G_CALLBACK (on_resolve), fixture);
  ferry_client_register_resolver_async (fixture->base.client, fixture->resolver, NULL,
                                        client_store_result_cb, &result);
  g_assert_true (ferry_client_register_resolver_finish (fixture->base.client,
                                                        client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
add_custom_collection (Fixture *fixture)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GVariantBuilder config;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "conflict-strategy", g_variant_new_string ("custom"));
  ferry_client_add_collection_async (fixture->base.client, g_variant_builder_end (&config),
                                     NULL, client_store_result_cb, &result);
  path = ferry_client_add_collection_finish (fixture->base.client,
                                             client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  ferry_collection_new_async (fixture->base.client, path, NULL, client_store_result_cb, &result);
  fixture->collection = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
}

static void
put (Fixture    *fixture,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_collection_put_async (fixture->collection, DOC_ID, json, NULL, client_store_result_cb,
                              &result);
  g_assert_cmpint (ferry_collection_put_finish (fixture->collection, client_wait_result (&result),
                                                &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&result);
}

/* The document as ferryd holds it, with its bodies. */
static GVariant *
get (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GVariant *doc;

  ferry_collection_get_async (fixture->collection, DOC_ID, NULL, client_store_result_cb, &result);
  doc = ferry_collection_get_finish (fixture->collection, client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  return doc;
}

static gboolean
server_holds (Fixture    *fixture,
              const char *json)
{
  g_autofree char *held = ferry_rest_server_dup (fixture->server, DOC_ID, NULL);

  return g_strcmp0 (held, json) == 0;
}

static gboolean
is_settled (Fixture *fixture)
{
  FerryCollection *collection = fixture->collection;

  return ferry_collection_get_dirty_count (collection) == 0 &&
         ferry_collection_get_conflict_count (collection) == 0 &&
         g_strcmp0 (ferry_collection_get_state (collection), "synced") == 0;
}

/* Synced once from BASE_DOC; then the other client writes THEIRS_DOC and
 * the app MINE_DOC: the push comes back as a conflict. */
static void
make_conflict (Fixture *fixture)
{
  register_resolver (fixture);
  add_custom_collection (fixture);
  put (fixture, BASE_DOC);
  FERRY_TEST_WAIT (server_holds (fixture, BASE_DOC) && is_settled (fixture), WAIT_MS);

  ferry_rest_server_put (fixture->server, DOC_ID, THEIRS_DOC);
  put (fixture, MINE_DOC);
}

static const char *
lookup_string (GVariant   *doc,
               const char *key)
{
  const char *value = NULL;

  g_variant_lookup (doc, key, "&s", &value);
  return value;
}

/* The app's merged body is kept here and reaches the server. */
static void
test_answer_is_pushed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GVariant) doc = NULL;
  gboolean conflict = TRUE;

  make_conflict (fixture);
  FERRY_TEST_WAIT (fixture->calls == 1 && server_holds (fixture, MERGED_DOC) &&
                   is_settled (fixture), WAIT_MS);

  doc = get (fixture);
  g_assert_cmpstr (lookup_string (doc, "body"), ==, MERGED_DOC);
  g_assert_cmpstr (lookup_string (doc, "base"), ==, MERGED_DOC);
  g_assert_true (g_variant_lookup (doc, "conflict", "b", &conflict));
  g_assert_false (conflict);
  g_assert_cmpuint (fixture->calls, ==, 1);
}

static gboolean
reason_has (Fixture    *fixture,
            const char *part)
{
  g_autoptr(GVariant) doc = NULL;
  const char *reason;

  if (ferry_collection_get_conflict_count (fixture->collection) != 1)
    return FALSE;
  doc = get (fixture);
  reason = lookup_string (doc, "conflict-reason");
  return reason != NULL && strstr (reason, part) != NULL;
}

/* Waits until the document is in conflict with @reason_part in its
 * reason, and checks nothing of the app's reached the server. */
static void
wait_left_to_person (Fixture    *fixture,
                     const char *reason_part)
{
  g_autoptr(GVariant) doc = NULL;
  gboolean conflict = FALSE;

  FERRY_TEST_WAIT (fixture->calls == 1 && reason_has (fixture, reason_part), WAIT_MS);
  doc = get (fixture);
  g_assert_true (g_variant_lookup (doc, "conflict", "b", &conflict));
  g_assert_true (conflict);
  g_assert_cmpstr (lookup_string (doc, "body"), ==, MINE_DOC);
  g_assert_cmpstr (lookup_string (doc, "remote"), ==, THEIRS_DOC);
  g_assert_nonnull (strstr (lookup_string (doc, "conflict-reason"), "a decision is needed"));
  g_assert_true (server_holds (fixture, THEIRS_DOC));
}

/* A person settles what the app left; the choice is pushed. */
static void
resolve_by_hand (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_collection_resolve_async (fixture->collection, DOC_ID, "local", NULL, NULL,
                                  client_store_result_cb, &result);
  g_assert_true (ferry_collection_resolve_finish (fixture->collection,
                                                  client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  FERRY_TEST_WAIT (server_holds (fixture, MINE_DOC) && is_settled (fixture), WAIT_MS);
}

static void
test_refusal_waits (Fixture       *fixture,
                    gconstpointer  data)
{
  make_conflict (fixture);
  wait_left_to_person (fixture, "the person has to look at this");
  resolve_by_hand (fixture);
  g_assert_cmpuint (fixture->calls, ==, 1);
}

static void
test_silence_waits (Fixture       *fixture,
                    gconstpointer  data)
{
  make_conflict (fixture);
  wait_left_to_person (fixture, "did not answer in time");
  resolve_by_hand (fixture);
  g_assert_cmpuint (fixture->calls, ==, 1);
}

/* ferryd stops while the app thinks; started again, it asks again as
 * soon as the app registers, and keeps the answer. */
static void
test_asked_again (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GVariant) doc = NULL;

  make_conflict (fixture);
  FERRY_TEST_WAIT (fixture->calls == 1 && fixture->kept != NULL, WAIT_MS);
  client_fixture_stop_agent (&fixture->base);
  g_assert_true (server_holds (fixture, THEIRS_DOC));

  /* The question died with that ferryd; registering starts a new one. */
  g_clear_object (&fixture->kept);
  fixture->mode = ANSWER;
  register_resolver (fixture);
  client_fixture_get_agent_pid (&fixture->base);
  FERRY_TEST_WAIT (fixture->calls == 2 && server_holds (fixture, MERGED_DOC), WAIT_MS);
  doc = get (fixture);
  g_assert_cmpstr (lookup_string (doc, "body"), ==, MERGED_DOC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, mode, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down)
  ADD ("/client/collection-resolver/answer-is-pushed", ANSWER, test_answer_is_pushed);
  ADD ("/client/collection-resolver/refusal-waits", DECLINE, test_refusal_waits);
  ADD ("/client/collection-resolver/silence-waits", SILENT, test_silence_waits);
  ADD ("/client/collection-resolver/asked-again", UNTIL_RESTART, test_asked_again);
#undef ADD

  return g_test_run ();
}
