/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * The retry policy as ferryd's callers see it: a change whose server keeps
 * failing stays pending, says since when it fails, and is announced as
 * stalled once (FERRY_TEST_STALLED_AFTER shortens the hour to a moment).
 */

#define WAIT_MS 20000

typedef struct
{
  FerryAgentFixture  base;
  FerryTestServer   *server;
  GPtrArray         *stalled;     /* "<id> <owner> <reason>" */
  gint64             stalled_since;
} Fixture;

static void
on_task_stalled (FerryDBusAgent *agent,
                 const char     *id,
                 const char     *owner,
                 gint64          failing_since,
                 const char     *reason,
                 Fixture        *fixture)
{
  g_ptr_array_add (fixture->stalled, g_strdup_printf ("%s %s %s", id, owner, reason));
  fixture->stalled_since = failing_since;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const environment[] = { "FERRY_TEST_STALLED_AFTER", "300", NULL };

  ferry_agent_fixture_set_up_with_env (&fixture->base, "full", environment);
  fixture->server = ferry_test_server_new ();
  fixture->stalled = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->base.agent, "task-stalled", G_CALLBACK (on_task_stalled), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->stalled, g_ptr_array_unref);
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

static char *
task_state (Fixture    *fixture,
            const char *id)
{
  g_autoptr(GVariant) task = get_task (fixture, id);
  char *state = NULL;

  g_assert_true (g_variant_lookup (task, "state", "s", &state));
  return state;
}

static gboolean
task_in_state (Fixture    *fixture,
               const char *id,
               const char *state)
{
  g_autofree char *current = task_state (fixture, id);

  return g_str_equal (current, state);
}

static void
test_stalled_once_then_delivered (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, "/notes/1");
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  gint64 failing_since = 0;
  guint attempts = 0;

  ferry_test_server_set_default (fixture->server, "/notes/1", 503, NULL, "maintenance");
  request = g_variant_ref_sink (ferry_agent_request_new ("PUT", url,
                                                         "app-id", g_variant_new_string (
                                                           "org.example.Notes"),
                                                         NULL));
  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, request, &id, NULL, &error);
  g_assert_no_error (error);

  FERRY_TEST_WAIT (fixture->stalled->len == 1, WAIT_MS);
  expected = g_strdup_printf ("%s org.example.Notes HTTP 503 Service Unavailable", id);
  g_assert_cmpstr (g_ptr_array_index (fixture->stalled, 0), ==, expected);

  /* Still pending, and it says since when it fails. */
  task = get_task (fixture, id);
  g_assert_true (g_variant_lookup (task, "failing-since", "x", &failing_since));
  g_assert_cmpint (failing_since, ==, fixture->stalled_since);
  g_assert_cmpint (failing_since, >, 0);
  g_assert_true (g_variant_lookup (task, "attempts", "u", &attempts));
  g_assert_cmpuint (attempts, >=, 2);
  g_clear_pointer (&task, g_variant_unref);
  g_assert_true (task_in_state (fixture, id, "pending") || task_in_state (fixture, id, "running"));

  /* The server is back: delivered, and no longer failing. */
  ferry_test_server_set_default (fixture->server, "/notes/1", 204, NULL, NULL);
  FERRY_TEST_WAIT (task_in_state (fixture, id, "succeeded"), WAIT_MS);
  task = get_task (fixture, id);
  g_assert_false (g_variant_lookup (task, "failing-since", "x", &failing_since));
  g_assert_cmpuint (fixture->stalled->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();
  ferry_agent_bus_up ();

  g_test_add ("/dbus/retries/stalled-once-then-delivered", Fixture, NULL, fixture_set_up,
              test_stalled_once_then_delivered, fixture_tear_down);

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
