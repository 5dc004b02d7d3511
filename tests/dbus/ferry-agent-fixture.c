/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-dbus-test-config.h"

#include "ferry-agent-fixture.h"

#define CONNECTION_FLAGS (G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | \
                          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION)

/*
 * One bus for the whole program, not one per test: GTestDBus forks a
 * watcher on its first use that kills the bus daemons when the test
 * program dies, but every bus daemon started after that inherits the
 * watcher's pipe and keeps it from ever noticing.  A failed assertion in a
 * later test would then leave a bus and a ferryd holding the test's output
 * open until the harness's timeout.
 */
static GTestDBus *shared_bus;

/* gcc says so with a macro, clang with a feature. */
#if defined(__SANITIZE_ADDRESS__)
# define FERRY_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define FERRY_TEST_ASAN 1
# endif
#endif

#ifdef FERRY_TEST_ASAN
static void
leave_before_leak_check (int      status,
                         gpointer user_data)
{
  _exit (status);
}

static void
on_fork_child (void)
{
  /* Runs before LeakSanitizer's own exit handler, registered long ago. */
  on_exit (leave_before_leak_check, NULL);
}
#endif

/*
 * The watcher GTestDBus forks is a copy of the test program that never
 * calls exec: when it exits, LeakSanitizer would check a copy of our heap
 * without the threads that hold much of it (they are not copied by fork;
 * LeakSanitizer itself warns "False leaks are possible") and report their
 * objects.  A child that execs (every other one) starts afresh and is
 * checked as usual: this only skips the check in children that exit
 * without exec, which is the watcher alone.
 */
static void
spare_forks_the_leak_check (void)
{
#ifdef FERRY_TEST_ASAN
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      pthread_atfork (NULL, NULL, on_fork_child);
      g_once_init_leave (&registered, 1);
    }
#endif
}

/**
 * ferry_agent_bus_up:
 *
 * Starts the program's bus; call it in main() before g_test_run().
 *
 * Returns: (transfer none): the bus
 */
GTestDBus *
ferry_agent_bus_up (void)
{
  g_assert_null (shared_bus);

  spare_forks_the_leak_check ();
  shared_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (shared_bus, FERRY_TEST_SERVICES_DIR);
  g_test_dbus_up (shared_bus);
  return shared_bus;
}

/**
 * ferry_agent_bus_down:
 *
 * Stops the program's bus; call it in main() after g_test_run().
 */
void
ferry_agent_bus_down (void)
{
  g_test_dbus_down (shared_bus);
  g_clear_object (&shared_bus);
}

/**
 * ferry_agent_connect:
 * @bus: a bus that is up
 *
 * Returns: (transfer full): a new private connection to @bus (never the
 *   g_bus_get() singleton)
 */
GDBusConnection *
ferry_agent_connect (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       CONNECTION_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

/**
 * ferry_agent_fixture_connect:
 * @fixture: a fixture that is up
 *
 * Returns: (transfer full): a new private connection to the test bus
 */
GDBusConnection *
ferry_agent_fixture_connect (FerryAgentFixture *fixture)
{
  return ferry_agent_connect (fixture->bus);
}

/* Where the sanitizers of the sanitized build (meson's b_sanitize) take
 * their options from: tests/meson.build sets them for every test. */
static const char * const sanitizer_variables[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS" };

/*
 * What the next ferryd the bus starts finds in its environment: the bus's
 * own, with these values on top.  A value set once stays for every later
 * ferryd of the bus (there is no unsetting), so a test program that sets
 * a variable for one test sets it for all of them.
 */
static void
set_activation_environment (GDBusConnection    *connection,
                            const char         *data_dir,
                            const char         *network,
                            const char * const *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder environment;

  g_variant_builder_init (&environment, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&environment, "{ss}", "FERRY_DATA_DIR", data_dir);
  g_variant_builder_add (&environment, "{ss}", "FERRY_TEST_NETWORK", network);
  /* The bus started before this test's log directory existed. */
  for (guint i = 0; i < G_N_ELEMENTS (sanitizer_variables); i++)
    {
      const char *value = g_getenv (sanitizer_variables[i]);

      if (value != NULL)
        g_variant_builder_add (&environment, "{ss}", sanitizer_variables[i], value);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL && extra[i + 1] != NULL; i += 2)
    g_variant_builder_add (&environment, "{ss}", extra[i], extra[i + 1]);
  reply = g_dbus_connection_call_sync (connection,
                                       "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", &environment),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
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
 * ferry_agent_fixture_dup_owner:
 * @fixture: a fixture that is up
 *
 * Returns: (transfer full) (nullable): the unique name that owns
 *   io.github.ferrysync.Ferry.Agent, %NULL when none does
 */
char *
ferry_agent_fixture_dup_owner (FerryAgentFixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (fixture->connection,
                                       "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", FERRY_DBUS_NAME),
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(s)", &owner);
  return owner;
}

/**
 * ferry_agent_fixture_owned_elsewhere:
 * @fixture: a fixture that is up
 * @unique_name: a connection that owned io.github.ferrysync.Ferry.Agent
 *
 * Returns: whether another connection owns the name now
 */
gboolean
ferry_agent_fixture_owned_elsewhere (FerryAgentFixture *fixture,
                                     const char        *unique_name)
{
  g_autofree char *owner = ferry_agent_fixture_dup_owner (fixture);

  return owner != NULL && g_strcmp0 (owner, unique_name) != 0;
}

/**
 * ferry_agent_name_has_owner:
 * @connection: a connection to the bus
 * @name: a bus name
 *
 * Returns: whether @name is on the bus
 */
gboolean
ferry_agent_name_has_owner (GDBusConnection *connection,
                            const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = TRUE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
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
 * Connects to the program's bus and activates a fresh ferryd.
 */
void
ferry_agent_fixture_set_up (FerryAgentFixture *fixture,
                            const char        *network)
{
  ferry_agent_fixture_set_up_with_env (fixture, network, NULL);
}

/**
 * ferry_agent_fixture_set_up_with_env:
 * @fixture: the fixture
 * @network: the FERRY_TEST_NETWORK ferryd gets ("full", "offline", …)
 * @environment: (nullable): more variables for ferryd, as a
 *   %NULL-terminated list of name and value pairs; they stay in the bus's
 *   activation environment for the rest of the program
 *
 * As ferry_agent_fixture_set_up(), with more of ferryd's environment.
 */
void
ferry_agent_fixture_set_up_with_env (FerryAgentFixture  *fixture,
                                     const char         *network,
                                     const char * const *environment)
{
  g_autofree char *owner = NULL;

  g_assert_nonnull (shared_bus);

  ferry_error_quark ();

  /* For a ferryd started by the bus, and for any this test starts itself. */
  fixture->data_dir = ferry_test_make_temp_dir ();
  g_setenv ("FERRY_DATA_DIR", fixture->data_dir, TRUE);
  g_setenv ("FERRY_TEST_NETWORK", network, TRUE);

  ferry_agent_fixture_watch_sanitizers (fixture);

  fixture->bus = shared_bus;
  fixture->connection = ferry_agent_fixture_connect (fixture);
  set_activation_environment (fixture->connection, fixture->data_dir, network, environment);

  /* The last test's ferryd is gone: this proxy starts a new one. */
  g_assert_false (ferry_agent_name_has_owner (fixture->connection, FERRY_DBUS_NAME));
  fixture->agent = ferry_agent_fixture_new_proxy (fixture, fixture->connection);
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->agent));
  g_assert_nonnull (owner);
  fixture->ferryd_pid = ferry_agent_fixture_get_owner_pid (fixture);
  g_assert_cmpuint (fixture->ferryd_pid, >, 0);
}

/**
 * ferry_agent_fixture_tear_down:
 * @fixture: the fixture
 *
 * Stops the test's ferryd (the one in @fixture->ferryd_pid, when not 0)
 * and waits until it has left the bus and exited.
 */
void
ferry_agent_fixture_tear_down (FerryAgentFixture *fixture)
{
  g_clear_object (&fixture->agent);

  if (fixture->ferryd_pid != 0)
    g_assert_cmpint (kill ((pid_t) fixture->ferryd_pid, SIGTERM), ==, 0);
  FERRY_TEST_WAIT (!ferry_agent_name_has_owner (fixture->connection, FERRY_DBUS_NAME), 20000);
  /* Its data directory is removed with the test's: it must be gone. */
  if (fixture->ferryd_pid != 0)
    FERRY_TEST_WAIT (!ferry_agent_process_is_alive (fixture->ferryd_pid), 20000);

  g_dbus_connection_close_sync (fixture->connection, NULL, NULL);
  g_clear_object (&fixture->connection);
  fixture->bus = NULL;

  g_unsetenv ("FERRY_DATA_DIR");
  g_unsetenv ("FERRY_TEST_NETWORK");
  g_clear_pointer (&fixture->data_dir, g_free);

  ferry_agent_fixture_check_sanitizers (fixture);
}

/**
 * ferry_agent_fixture_watch_sanitizers:
 * @fixture: a fixture being set up
 *
 * In the sanitized build, sends the reports of every program started from
 * now on (ferryd by the bus or by the test, ferryctl…) to files in a
 * directory of the test's, for ferry_agent_fixture_check_sanitizers().
 * ferryd's stderr is the bus daemon's and its exit status reaches nobody,
 * so a leak or an error in it would otherwise go unseen.  The test program
 * itself read its options when it started: its own reports still go to
 * its stderr and fail it by its exit status.  Does nothing when
 * ASAN_OPTIONS is not set, that is, outside the sanitized build's tests.
 */
void
ferry_agent_fixture_watch_sanitizers (FerryAgentFixture *fixture)
{
  const char *asan_options = g_getenv ("ASAN_OPTIONS");
  const char *ubsan_options = g_getenv ("UBSAN_OPTIONS");
  g_autofree char *asan_logged = NULL;
  g_autofree char *ubsan_logged = NULL;

  if (asan_options == NULL || fixture->sanitizer_dir != NULL)
    return;

  spare_forks_the_leak_check ();

  fixture->sanitizer_dir = ferry_test_make_temp_dir ();
  fixture->asan_options = g_strdup (asan_options);
  fixture->ubsan_options = g_strdup (ubsan_options);

  /* Each process writes to log_path.<pid>, only when it has something to
   * report. */
  asan_logged = g_strdup_printf ("%s:log_path=%s/asan", asan_options, fixture->sanitizer_dir);
  ubsan_logged = g_strdup_printf ("%s%slog_path=%s/ubsan",
                                  ubsan_options != NULL ? ubsan_options : "",
                                  ubsan_options != NULL ? ":" : "",
                                  fixture->sanitizer_dir);
  g_setenv ("ASAN_OPTIONS", asan_logged, TRUE);
  g_setenv ("UBSAN_OPTIONS", ubsan_logged, TRUE);
}

static void
restore_variable (const char *name,
                  const char *value)
{
  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

/**
 * ferry_agent_fixture_check_sanitizers:
 * @fixture: a fixture being torn down, once every program the test
 *   started has exited
 *
 * Prints every report that ferry_agent_fixture_watch_sanitizers()
 * collected and fails the test when there is one; restores the test
 * program's sanitizer options.
 */
void
ferry_agent_fixture_check_sanitizers (FerryAgentFixture *fixture)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint reports = 0;

  if (fixture->sanitizer_dir == NULL)
    return;

  restore_variable ("ASAN_OPTIONS", fixture->asan_options);
  restore_variable ("UBSAN_OPTIONS", fixture->ubsan_options);
  g_clear_pointer (&fixture->asan_options, g_free);
  g_clear_pointer (&fixture->ubsan_options, g_free);

  dir = g_dir_open (fixture->sanitizer_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->sanitizer_dir, name, NULL);
      g_autofree char *report = NULL;

      if (!g_file_get_contents (path, &report, NULL, NULL))
        report = g_strdup ("(unreadable)");
      g_printerr ("%s:\n%s\n", path, report);
      reports++;
    }
  if (reports > 0)
    g_test_fail_printf ("%u sanitizer report(s) from programs the test started, on stderr",
                        reports);
  g_clear_pointer (&fixture->sanitizer_dir, g_free);
}

/**
 * ferry_agent_bytes:
 * @data: (nullable): bytes
 * @size: how many
 *
 * Returns: (transfer floating): an `ay` holding exactly @data (unlike
 *   g_variant_new_bytestring(), no terminating NUL is added)
 */
GVariant *
ferry_agent_bytes (gconstpointer data,
                   gsize         size)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1);
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
