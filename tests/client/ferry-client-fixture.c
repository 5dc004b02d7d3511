/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-fixture"

#include "config.h"

#include <signal.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-dbus-test-config.h"
#include "ferry-client-fixture.h"

/* How many Enqueue calls client_enqueue_many() keeps in flight. */
#define ENQUEUE_WINDOW 100

void
client_store_result_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
client_wait_result (GAsyncResult **slot)
{
  FERRY_TEST_WAIT (*slot != NULL, 30000);
  return *slot;
}

FerryClient *
client_fixture_new_client (ClientFixture    *fixture,
                           GDBusConnection  *connection,
                           FerryClientFlags  flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FerryClient *client;

  ferry_client_new_async (connection, flags, NULL, client_store_result_cb, &result);
  client = ferry_client_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (FERRY_IS_CLIENT (client));
  g_assert_true (ferry_client_get_connection (client) == connection);
  return client;
}

void
client_fixture_set_up (ClientFixture    *fixture,
                       const char       *network,
                       FerryClientFlags  flags)
{
  /* As ferry_agent_fixture_set_up(), without activating ferryd: the bus
   * hands its environment on to the services it starts. */
  fixture->bus.data_dir = ferry_test_make_temp_dir ();
  g_setenv ("FERRY_DATA_DIR", fixture->bus.data_dir, TRUE);
  g_setenv ("FERRY_TEST_NETWORK", network, TRUE);
  ferry_agent_fixture_watch_sanitizers (&fixture->bus);

  fixture->bus.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (fixture->bus.bus, FERRY_TEST_SERVICES_DIR);
  g_test_dbus_up (fixture->bus.bus);

  fixture->bus.connection = ferry_agent_fixture_connect (&fixture->bus);
  fixture->connection = fixture->bus.connection;
  fixture->data_dir = fixture->bus.data_dir;
  fixture->client = client_fixture_new_client (fixture, fixture->connection, flags);
}

guint32
client_fixture_get_agent_pid (ClientFixture *fixture)
{
  guint32 pid = ferry_agent_fixture_get_owner_pid (&fixture->bus);

  g_assert_cmpuint (pid, >, 0);
  fixture->bus.ferryd_pid = pid;
  return pid;
}

void
client_fixture_start_agent (ClientFixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_client_start_agent_async (fixture->client, NULL, client_store_result_cb, &result);
  ferry_client_start_agent_finish (fixture->client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ferry_client_get_agent_running (fixture->client));
  client_fixture_get_agent_pid (fixture);
}

/* Ends ferryd the way a session does (SIGTERM) and waits for the client
 * to see it leave the bus. */
void
client_fixture_stop_agent (ClientFixture *fixture)
{
  guint32 pid = client_fixture_get_agent_pid (fixture);

  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
  FERRY_TEST_WAIT (!ferry_client_get_agent_running (fixture->client), 20000);
  FERRY_TEST_WAIT (!ferry_agent_process_is_alive (pid), 20000);
}

static gboolean
agent_has_owner (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", FERRY_DBUS_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* Each client test has a bus of its own (the agent is not always started
 * by the test): stop whatever ferryd runs on it, then the bus. */
void
client_fixture_tear_down (ClientFixture *fixture)
{
  g_clear_object (&fixture->client);

  if (agent_has_owner (fixture->bus.connection))
    {
      guint32 pid = ferry_agent_fixture_get_owner_pid (&fixture->bus);

      g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
      FERRY_TEST_WAIT (!agent_has_owner (fixture->bus.connection), 20000);
      FERRY_TEST_WAIT (!ferry_agent_process_is_alive (pid), 20000);
    }

  g_dbus_connection_close_sync (fixture->bus.connection, NULL, NULL);
  g_clear_object (&fixture->bus.connection);
  fixture->connection = NULL;
  g_test_dbus_down (fixture->bus.bus);
  g_clear_object (&fixture->bus.bus);

  g_unsetenv ("FERRY_DATA_DIR");
  g_unsetenv ("FERRY_TEST_NETWORK");
  g_clear_pointer (&fixture->bus.data_dir, g_free);
  fixture->data_dir = NULL;

  ferry_agent_fixture_check_sanitizers (&fixture->bus);
}

char *
client_enqueue (FerryClient   *client,
                FerryRequest  *request,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_client_enqueue_async (client, request, NULL, client_store_result_cb, &result);
  return ferry_client_enqueue_finish (client, client_wait_result (&result), error);
}

FerryTaskInfo *
client_get (FerryClient  *client,
            const char   *id,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_client_get_async (client, id, NULL, client_store_result_cb, &result);
  return ferry_client_get_finish (client, client_wait_result (&result), error);
}

GPtrArray *
client_list (FerryClient     *client,
             FerryTaskQuery  *query,
             guint            offset,
             guint            limit,
             GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_client_list_async (client, query, offset, limit, NULL, client_store_result_cb, &result);
  return ferry_client_list_finish (client, client_wait_result (&result), error);
}

guint
client_count (FerryClient    *client,
              FerryTaskQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  ferry_client_count_async (client, query, NULL, client_store_result_cb, &result);
  ferry_client_count_finish (client, client_wait_result (&result), &count, &error);
  g_assert_no_error (error);
  return count;
}

typedef struct
{
  guint      in_flight;
  guint      added;
  GPtrArray *ids;
} EnqueueMany;

static void
on_task_added_count (FerryClient          *client,
                     const char           *id,
                     const char           *owner,
                     FerryClientTaskState  task_state,
                     EnqueueMany          *state)
{
  state->added++;
}

static void
enqueue_many_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EnqueueMany *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = ferry_client_enqueue_finish (FERRY_CLIENT (object), result, &error);
  g_assert_no_error (error);
  g_ptr_array_add (state->ids, g_steal_pointer (&id));
  state->in_flight--;
}

/* Enqueues @n_tasks PUTs to @url, named task-0, task-1, …, with a window
 * of calls in flight, and waits for their TaskAdded signals.  Returns the
 * ids in the order the calls finished. */
GPtrArray *
client_enqueue_many (FerryClient *client,
                     const char  *url,
                     guint        n_tasks)
{
  EnqueueMany state = { 0, 0, g_ptr_array_new_with_free_func (g_free) };
  gulong handler;

  handler = g_signal_connect (client, "task-added", G_CALLBACK (on_task_added_count), &state);
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
      g_autofree char *name = g_strdup_printf ("task-%u", i);

      ferry_request_set_name (request, name);
      ferry_request_set_body_text (request, "{}", "application/json");
      FERRY_TEST_WAIT (state.in_flight < ENQUEUE_WINDOW, 30000);
      state.in_flight++;
      ferry_client_enqueue_async (client, request, NULL, enqueue_many_cb, &state);
    }
  FERRY_TEST_WAIT (state.in_flight == 0, 30000);
  g_assert_cmpuint (state.ids->len, ==, n_tasks);

  /* The signals may trail the replies; let them all arrive, so that what
   * the test builds next does not hear about these tasks. */
  FERRY_TEST_WAIT (state.added >= n_tasks, 30000);
  g_signal_handler_disconnect (client, handler);
  return state.ids;
}
