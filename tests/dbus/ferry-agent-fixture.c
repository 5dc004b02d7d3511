/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-dbus-test-config.h"

#include "ferry-agent-fixture.h"

/**
 * ferry_agent_fixture_connect:
 * @fixture: a fixture that is up
 *
 * Returns: (transfer full): a new private connection to the test bus
 */
GDBusConnection *
ferry_agent_fixture_connect (FerryAgentFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

/**
 * ferry_agent_fixture_new_proxy:
 * @fixture: a fixture that is up
 * @connection: a connection to the test bus
 *
 * Returns: (transfer full): a proxy for the agent; creating it starts
 *   ferryd when it is not running
 */
FerryDBusAgent *
ferry_agent_fixture_new_proxy (FerryAgentFixture *fixture,
                               GDBusConnection   *connection)
{
  g_autoptr(GError) error = NULL;
  FerryDBusAgent *agent;

  agent = ferry_dbus_agent_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE,
                                           FERRY_DBUS_NAME, FERRY_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  /* No call of these tests should come near the default 25 s. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (agent), 60000);
  return agent;
}

/**
 * ferry_agent_fixture_get_owner_pid:
 * @fixture: a fixture that is up
 *
 * Returns: the process id of whoever owns io.github.ferrysync.Ferry
 */
guint32
ferry_agent_fixture_get_owner_pid (FerryAgentFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (fixture->connection,
                                       "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", FERRY_DBUS_NAME),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  return pid;
}

/**
 * ferry_agent_process_is_alive:
 * @pid: a process id
 *
 * Returns: %TRUE while @pid runs (a zombie has exited already: ferryd is
 *   the bus daemon's child, not ours, so nobody here reaps it)
 */
gboolean
ferry_agent_process_is_alive (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* "pid (comm) S …": the state follows the last ')'. */
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/**
 * ferry_agent_fixture_set_up:
 * @fixture: the fixture
 * @network: the FERRY_TEST_NETWORK ferryd gets ("full", "offline", …)
 *
 * Starts a private bus, connects to it and activates ferryd.
 */
void
ferry_agent_fixture_set_up (FerryAgentFixture *fixture,
                            const char        *network)
{
  /* The bus passes its environment on to the services it starts. */
  fixture->data_dir = ferry_test_make_temp_dir ();
  g_setenv ("FERRY_DATA_DIR", fixture->data_dir, TRUE);
  g_setenv ("FERRY_TEST_NETWORK", network, TRUE);

  ferry_error_quark ();

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (fixture->bus, FERRY_TEST_SERVICES_DIR);
  g_test_dbus_up (fixture->bus);

  fixture->connection = ferry_agent_fixture_connect (fixture);
  fixture->agent = ferry_agent_fixture_new_proxy (fixture, fixture->connection);
  g_assert_nonnull (g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->agent)));
  fixture->ferryd_pid = ferry_agent_fixture_get_owner_pid (fixture);
  g_assert_cmpuint (fixture->ferryd_pid, >, 0);
}

/**
 * ferry_agent_fixture_tear_down:
 * @fixture: the fixture
 *
 * Stops the bus and waits for ferryd to leave with it.
 */
void
ferry_agent_fixture_tear_down (FerryAgentFixture *fixture)
{
  g_clear_object (&fixture->agent);
  if (fixture->connection != NULL)
    g_dbus_connection_close_sync (fixture->connection, NULL, NULL);
  g_clear_object (&fixture->connection);

  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);

  /* ferryd sees its bus go and exits; its data directory is removed with
   * the test's, so it must be gone first. */
  if (fixture->ferryd_pid != 0)
    FERRY_TEST_WAIT (!ferry_agent_process_is_alive (fixture->ferryd_pid), 20000);

  g_unsetenv ("FERRY_DATA_DIR");
  g_unsetenv ("FERRY_TEST_NETWORK");
  g_clear_pointer (&fixture->data_dir, g_free);
}

/**
 * ferry_agent_request_new:
 * @method: HTTP method
 * @url: URL
 * @...: more keys and (floating) values, then %NULL
 *
 * Returns: (transfer floating): an Enqueue request
 */
GVariant *
ferry_agent_request_new (const char *method,
                         const char *url,
                         ...)
{
  GVariantDict dict;
  const char *key;
  va_list args;

  g_variant_dict_init (&dict, NULL);
  if (method != NULL)
    g_variant_dict_insert (&dict, "method", "s", method);
  if (url != NULL)
    g_variant_dict_insert (&dict, "url", "s", url);
  va_start (args, url);
  while ((key = va_arg (args, const char *)) != NULL)
    g_variant_dict_insert_value (&dict, key, va_arg (args, GVariant *));
  va_end (args);
  return g_variant_dict_end (&dict);
}
