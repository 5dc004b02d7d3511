/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"
#include "ferry-doc-server.h"

/*
 * Conflicts settled by the app that owns them (the custom strategy): the
 * test plays the app, with a second bus connection exporting
 * io.github.ferrysync.Ferry1.Resolver and registering it, against a
 * document server that answers 412 to a stale If-Match.
 */

#define WAIT_MS 20000
#define RESOLVER_PATH "/org/example/Notes/Resolver"
#define GAVE_UP_ERROR "org.example.Notes.Error.GaveUp"

#define BASE_DOC "{\"title\":\"base\",\"n\":1}"
#define THEIRS_DOC "{\"title\":\"theirs\",\"n\":1}"
#define MINE_DOC "{\"title\":\"mine\",\"n\":2}"
#define MERGED_DOC "{\"title\":\"theirs\",\"n\":2}"

typedef enum {
  RESOLVER_ANSWER,
  RESOLVER_FAIL,
  RESOLVER_SILENT,
} ResolverMode;

/* The app's side: its own connection, its resolver object, its calls. */
typedef struct
{
  GDBusConnection       *connection;
  FerryDBusResolver     *skeleton;
  FerryDBusAgent        *agent;
  ResolverMode           mode;
  guint                  calls;
  GBytes                *base;
  GBytes                *local;
  GBytes                *remote;
  GDBusMethodInvocation *unanswered;
} App;

typedef struct
{
  FerryAgentFixture  base;
  gboolean           started;
  FerryDocServer    *docs;
  App                app;
} Fixture;

static GBytes *
variant_bytes (GVariant *value)
{
  return g_bytes_new (g_variant_get_data (value), g_variant_get_size (value));
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
on_handle_resolve (FerryDBusResolver     *resolver,
                   GDBusMethodInvocation *invocation,
                   GVariant              *arg_base,
                   GVariant              *arg_local,
                   GVariant              *arg_remote,
                   App                   *app)
{
  app->calls++;
  g_clear_pointer (&app->base, g_bytes_unref);
  g_clear_pointer (&app->local, g_bytes_unref);
  g_clear_pointer (&app->remote, g_bytes_unref);
  app->base = variant_bytes (arg_base);
  app->local = variant_bytes (arg_local);
  app->remote = variant_bytes (arg_remote);

  switch (app->mode)
    {
    case RESOLVER_ANSWER:
      ferry_dbus_resolver_complete_resolve (resolver, invocation,
                                            ferry_agent_bytes (MERGED_DOC, strlen (MERGED_DOC)));
      break;
    case RESOLVER_FAIL:
      g_dbus_method_invocation_return_dbus_error (invocation, GAVE_UP_ERROR, "the app gave up");
      break;
    case RESOLVER_SILENT:
    default:
      /* Answered at tear-down, long after ferryd stopped waiting. */
      g_assert_null (app->unanswered);
      app->unanswered = invocation;
      break;
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Connects the app, exports its resolver and registers it. */
static void
app_start (Fixture      *fixture,
           ResolverMode  mode)
{
  App *app = &fixture->app;
  g_autoptr(GError) error = NULL;

  app->mode = mode;
  app->connection = ferry_agent_fixture_connect (&fixture->base);
  app->skeleton = ferry_dbus_resolver_skeleton_new ();
  g_signal_connect (app->skeleton, "handle-resolve", G_CALLBACK (on_handle_resolve), app);
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (app->skeleton), app->connection,
                                    RESOLVER_PATH, &error);
  g_assert_no_error (error);
  app->agent = ferry_agent_fixture_new_proxy (&fixture->base, app->connection);
  ferry_dbus_agent_call_register_resolver_sync (app->agent, RESOLVER_PATH, NULL, &error);
  g_assert_no_error (error);
}

static void
app_stop (App *app)
{
  if (app->unanswered != NULL)
    g_dbus_method_invocation_return_dbus_error (g_steal_pointer (&app->unanswered),
                                                GAVE_UP_ERROR, "too late");
  if (app->skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (app->skeleton));
  g_clear_object (&app->skeleton);
  g_clear_object (&app->agent);
  if (app->connection != NULL)
    g_dbus_connection_close_sync (app->connection, NULL, NULL);
  g_clear_object (&app->connection);
  g_clear_pointer (&app->base, g_bytes_unref);
  g_clear_pointer (&app->local, g_bytes_unref);
  g_clear_pointer (&app->remote, g_bytes_unref);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->docs = ferry_doc_server_new ();
}

/* Starts ferryd; resolvers get @timeout_ms to answer. */
static void
start_ferryd (Fixture *fixture,
              guint    timeout_ms)
{
  g_autofree char *timeout = g_strdup_printf ("%u", timeout_ms);
  const char * const environment[] = { "FERRY_TEST_RESOLVER_TIMEOUT", timeout, NULL };

  ferry_agent_fixture_set_up_with_env (&fixture->base, "full", environment);
  fixture->started = TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  app_stop (&fixture->app);
  if (fixture->started)
    ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->docs, ferry_doc_server_free);
}

/* The app's edit of @path, made from version 1, which the server has
 * moved on from: it conflicts. */
static char *
enqueue_stale_edit (Fixture    *fixture,
                    const char *path,
                    const char *app_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_doc_server_url (fixture->docs, path);
  GVariantDict request;
  char *id = NULL;

  ferry_doc_server_write (fixture->docs, path, BASE_DOC);
  ferry_doc_server_write (fixture->docs, path, THEIRS_DOC);

  g_variant_dict_init (&request, NULL);
  g_variant_dict_insert (&request, "method", "s", "PUT");
  g_variant_dict_insert (&request, "url", "s", url);
  g_variant_dict_insert_value (&request, "body", ferry_agent_bytes (MINE_DOC, strlen (MINE_DOC)));
  g_variant_dict_insert_value (&request, "base", ferry_agent_bytes (BASE_DOC, strlen (BASE_DOC)));
  g_variant_dict_insert (&request, "content-type", "s", "application/json");
  g_variant_dict_insert (&request, "if-match", "s", "\"v1\"");
  g_variant_dict_insert (&request, "conflict-strategy", "s", "custom");
  if (app_id != NULL)
    g_variant_dict_insert (&request, "app-id", "s", app_id);
  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, g_variant_dict_end (&request), &id,
                                      NULL, &error);
  g_assert_no_error (error);
  return id;
}

static GVariant *
get_task (Fixture    *fixture,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  GVariant *task = NULL;

  ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error);
  g_assert_no_error (error);
  return task;
}

static gboolean
task_in_state (Fixture    *fixture,
               const char *id,
               const char *state)
{
  g_autoptr(GVariant) task = get_task (fixture, id);
  const char *current = NULL;

  g_assert_true (g_variant_lookup (task, "state", "&s", &current));
  return g_str_equal (current, state);
}

/* Waits for @id to end in conflict; returns its last error. */
static char *
wait_for_conflict (Fixture    *fixture,
                   const char *id)
{
  g_autoptr(GVariant) task = NULL;
  char *last_error = NULL;

  FERRY_TEST_WAIT (task_in_state (fixture, id, "conflict"), WAIT_MS);
  task = get_task (fixture, id);
  g_assert_true (g_variant_lookup (task, "last-error", "s", &last_error));
  g_test_message ("%s: %s", id, last_error);
  return last_error;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not mention “%s”", haystack, needle);
}

static void
test_answers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;
  guint version = 0, puts = 0, refusals = 0;

  start_ferryd (fixture, 10000);
  app_start (fixture, RESOLVER_ANSWER);

  id = enqueue_stale_edit (fixture, "/docs/answer", NULL);
  FERRY_TEST_WAIT (task_in_state (fixture, id, "succeeded"), WAIT_MS);

  /* The app saw all three sides ... */
  g_assert_cmpuint (fixture->app.calls, ==, 1);
  assert_bytes (fixture->app.base, BASE_DOC);
  assert_bytes (fixture->app.local, MINE_DOC);
  assert_bytes (fixture->app.remote, THEIRS_DOC);

  /* ... and its answer went over the server's copy, conditionally. */
  final = ferry_doc_server_read (fixture->docs, "/docs/answer", &version, &puts, &refusals);
  g_assert_cmpstr (final, ==, MERGED_DOC);
  g_assert_cmpuint (refusals, ==, 1);
  g_assert_cmpuint (puts, ==, 1);
  g_assert_cmpuint (version, ==, 3);
}

static void
test_fails (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *last_error = NULL;
  g_autofree char *final = NULL;
  g_autofree char *modified = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GVariant) base = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  guint status = 0;

  start_ferryd (fixture, 10000);
  app_start (fixture, RESOLVER_FAIL);

  id = enqueue_stale_edit (fixture, "/docs/fail", NULL);
  last_error = wait_for_conflict (fixture, id);
  assert_contains (last_error, "the app gave up");
  assert_contains (last_error, GAVE_UP_ERROR);
  g_assert_cmpuint (fixture->app.calls, ==, 1);
  final = ferry_doc_server_read (fixture->docs, "/docs/fail", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, THEIRS_DOC);

  /* Everything the person needs to decide: the server's copy with its
   * validators, the local body and the base. */
  task = get_task (fixture, id);
  g_assert_true (g_variant_lookup (task, "last-status", "u", &status));
  g_assert_cmpuint (status, ==, 412);
  g_assert_true (g_variant_lookup (task, "response-status", "u", &status));
  g_assert_cmpuint (status, ==, 200);
  headers = g_variant_lookup_value (task, "response-headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (headers);
  g_assert_true (g_variant_lookup (headers, "ETag", "&s", &text));
  g_assert_cmpstr (text, ==, "\"v2\"");
  modified = ferry_doc_server_dup_last_modified (2);
  g_assert_true (g_variant_lookup (headers, "Last-Modified", "&s", &text));
  g_assert_cmpstr (text, ==, modified);
  body = g_variant_lookup_value (task, "response-body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body),
                   THEIRS_DOC, strlen (THEIRS_DOC));
  base = g_variant_lookup_value (task, "base", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (base), g_variant_get_size (base),
                   BASE_DOC, strlen (BASE_DOC));

  /* The person takes the local side: sent over version 2. */
  g_assert_true (ferry_dbus_agent_call_resolve_sync (fixture->base.agent, id, "local",
                                                     ferry_agent_bytes (NULL, 0), NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_in_state (fixture, id, "succeeded"), WAIT_MS);
  g_clear_pointer (&final, g_free);
  final = ferry_doc_server_read (fixture->docs, "/docs/fail", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, MINE_DOC);
}

static void
test_times_out (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *last_error = NULL;
  g_autofree char *final = NULL;

  start_ferryd (fixture, 200);
  app_start (fixture, RESOLVER_SILENT);

  id = enqueue_stale_edit (fixture, "/docs/silent", NULL);
  last_error = wait_for_conflict (fixture, id);
  assert_contains (last_error, "did not answer in time");
  g_assert_cmpuint (fixture->app.calls, ==, 1);
  g_assert_nonnull (fixture->app.unanswered);
  final = ferry_doc_server_read (fixture->docs, "/docs/silent", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, THEIRS_DOC);
}

static void
test_app_leaves (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *unique_name = NULL;
  g_autofree char *id = NULL;
  g_autofree char *last_error = NULL;

  start_ferryd (fixture, 10000);
  app_start (fixture, RESOLVER_ANSWER);
  unique_name = g_strdup (g_dbus_connection_get_unique_name (fixture->app.connection));

  /* Once the bus has seen the app go, so has ferryd: the bus told it
   * before it answers anything later. */
  app_stop (&fixture->app);
  FERRY_TEST_WAIT (!ferry_agent_name_has_owner (fixture->base.connection, unique_name), WAIT_MS);

  id = enqueue_stale_edit (fixture, "/docs/gone", NULL);
  last_error = wait_for_conflict (fixture, id);
  assert_contains (last_error, "no resolver registered");
}

/* A resolver serves its own app's tasks, and only while registered. */
static void
test_owner_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *last_error = NULL;

  start_ferryd (fixture, 10000);
  app_start (fixture, RESOLVER_ANSWER);

  /* Another app's task never reaches this resolver. */
  other = enqueue_stale_edit (fixture, "/docs/other", "org.example.Other");
  last_error = wait_for_conflict (fixture, other);
  assert_contains (last_error, "no resolver registered");
  assert_contains (last_error, "org.example.Other");
  g_assert_cmpuint (fixture->app.calls, ==, 0);
  g_clear_pointer (&last_error, g_free);

  /* Unregistering: a path it did not register is refused; its own ends
   * the registration. */
  g_assert_false (ferry_dbus_agent_call_unregister_resolver_sync (fixture->app.agent,
                                                                  "/org/example/Elsewhere",
                                                                  NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Another connection of the same app did not register it either. */
  g_assert_false (ferry_dbus_agent_call_unregister_resolver_sync (fixture->base.agent,
                                                                  RESOLVER_PATH, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (ferry_dbus_agent_call_unregister_resolver_sync (fixture->app.agent,
                                                                 RESOLVER_PATH, NULL, &error));
  g_assert_no_error (error);

  mine = enqueue_stale_edit (fixture, "/docs/mine", NULL);
  last_error = wait_for_conflict (fixture, mine);
  assert_contains (last_error, "no resolver registered");
  g_assert_cmpuint (fixture->app.calls, ==, 0);
}

/* ferryd moves to a new bus connection (after a large message) while the
 * app holds its Resolve call: the connection it left waits for the answer,
 * which settles the task, and the registration moved along. */
static void
test_across_connections (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *id = NULL;
  g_autofree char *large_id = NULL;
  g_autofree char *final = NULL;
  g_autofree guint8 *large = g_malloc0 (2 * 1024 * 1024);
  gint64 until;

  start_ferryd (fixture, 60000);
  app_start (fixture, RESOLVER_SILENT);
  first = ferry_agent_fixture_dup_owner (&fixture->base);

  id = enqueue_stale_edit (fixture, "/docs/held", NULL);
  FERRY_TEST_WAIT (fixture->app.unanswered != NULL, WAIT_MS);
  g_assert_cmpstr (g_dbus_method_invocation_get_sender (fixture->app.unanswered), ==, first);

  ferry_dbus_agent_call_enqueue_sync (
    fixture->base.agent,
    ferry_agent_request_new ("PUT", "http://127.0.0.1:9/large",
                             "body", ferry_agent_bytes (large, 2 * 1024 * 1024), NULL),
    &large_id, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_agent_fixture_owned_elsewhere (&fixture->base, first), WAIT_MS);

  /* Well past the least time a connection serves after the move, the
   * left one is still there: it waits for the app's answer. */
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    ferry_test_iterate_briefly ();
  g_assert_true (ferry_agent_name_has_owner (fixture->base.connection, first));

  ferry_dbus_resolver_complete_resolve (fixture->app.skeleton,
                                        g_steal_pointer (&fixture->app.unanswered),
                                        ferry_agent_bytes (MERGED_DOC, strlen (MERGED_DOC)));
  FERRY_TEST_WAIT (task_in_state (fixture, id, "succeeded"), WAIT_MS);
  final = ferry_doc_server_read (fixture->docs, "/docs/held", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, MERGED_DOC);
  FERRY_TEST_WAIT (!ferry_agent_name_has_owner (fixture->base.connection, first), WAIT_MS);

  /* The next conflict reaches the app from the new connection. */
  fixture->app.mode = RESOLVER_ANSWER;
  g_clear_pointer (&id, g_free);
  id = enqueue_stale_edit (fixture, "/docs/later", NULL);
  FERRY_TEST_WAIT (task_in_state (fixture, id, "succeeded"), WAIT_MS);
  g_assert_cmpuint (fixture->app.calls, ==, 2);
  g_clear_pointer (&final, g_free);
  final = ferry_doc_server_read (fixture->docs, "/docs/later", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, MERGED_DOC);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/dbus/resolver/answers", test_answers);
  ADD ("/dbus/resolver/fails", test_fails);
  ADD ("/dbus/resolver/times-out", test_times_out);
  ADD ("/dbus/resolver/app-leaves", test_app_leaves);
  ADD ("/dbus/resolver/owner-only", test_owner_only);
  ADD ("/dbus/resolver/across-connections", test_across_connections);

#undef ADD

  ferry_agent_bus_up ();
  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
