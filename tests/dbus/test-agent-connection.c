/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"
#include "ferry-dbus-test-config.h"

/*
 * ferryd moves to a fresh bus connection after a large message, once calls
 * are quiet (GDBus keeps a connection's read buffer as large as its largest
 * message): the same process keeps serving, under a new unique name, and
 * what clients hold (proxies, signals, collections, tasks) carries on.
 */

#define WAIT_MS 20000
#define LARGE_SIZE (2 * 1024 * 1024)   /* over what makes ferryd move */
#define QUIET_MS 3000                  /* what ferryd waits for after calls */

typedef struct
{
  FerryAgentFixture base;
  guint             changed;   /* TaskChanged heard */
  char             *changed_id;
} Fixture;

static void
on_task_changed (FerryDBusAgent *agent,
                 const char     *id,
                 const char     *owner,
                 const char     *state,
                 Fixture        *fixture)
{
  fixture->changed++;
  g_free (fixture->changed_id);
  fixture->changed_id = g_strdup (id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* Offline: what is enqueued stays. */
  ferry_agent_fixture_set_up (&fixture->base, "offline");
  g_signal_connect (fixture->base.agent, "task-changed", G_CALLBACK (on_task_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->changed_id, g_free);
}

static GBytes *
patterned (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  return g_bytes_new_take (data, size);
}

static char *
enqueue (Fixture *fixture,
         GBytes  *body)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  ferry_dbus_agent_call_enqueue_sync (
    fixture->base.agent,
    ferry_agent_request_new ("PUT", "http://127.0.0.1:9/notes/1",
                             "body", ferry_agent_bytes (g_bytes_get_data (body, NULL),
                                                        g_bytes_get_size (body)),
                             NULL),
    &id, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static gboolean
proxy_follows (Fixture    *fixture,
               const char *owner)
{
  g_autofree char *known = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->base.agent));

  return g_strcmp0 (known, owner) == 0;
}

/* Lets the main context run for @ms. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    ferry_test_iterate_briefly ();
}

static void
assert_body (Fixture    *fixture,
             const char *id,
             GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) body = NULL;

  ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error);
  g_assert_no_error (error);
  body = g_variant_lookup_value (task, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
test_moves_after_large (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) small = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) large = patterned (LARGE_SIZE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ferry_agent_fixture_dup_owner (&fixture->base);
  g_autofree char *second = NULL;
  g_autofree char *small_id = NULL;
  g_autofree char *large_id = NULL;
  guint total = 0;

  /* Small calls, then quiet: ferryd stays where it is. */
  small_id = enqueue (fixture, small);
  spin (QUIET_MS + 1500);
  g_assert_false (ferry_agent_fixture_owned_elsewhere (&fixture->base, first));

  /* A large body: once quiet, the same process owns the name on a new
   * connection, and the old one leaves the bus. */
  large_id = enqueue (fixture, large);
  FERRY_TEST_WAIT (ferry_agent_fixture_owned_elsewhere (&fixture->base, first), WAIT_MS);
  second = ferry_agent_fixture_dup_owner (&fixture->base);
  g_test_message ("ferryd moved from %s to %s", first, second);
  g_assert_cmpuint (ferry_agent_fixture_get_owner_pid (&fixture->base), ==,
                    fixture->base.ferryd_pid);
  FERRY_TEST_WAIT (!ferry_agent_name_has_owner (fixture->base.connection, first), WAIT_MS);

  /* The client's proxy follows; tasks and their bodies are all there. */
  FERRY_TEST_WAIT (proxy_follows (fixture, second), WAIT_MS);
  assert_body (fixture, large_id, large);
  assert_body (fixture, small_id, small);
  ferry_dbus_agent_call_count_sync (fixture->base.agent, g_variant_new ("a{sv}", NULL), &total,
                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);

  /* Signals come from the new connection. */
  fixture->changed = 0;
  ferry_dbus_agent_call_cancel_sync (fixture->base.agent, small_id, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (fixture->changed > 0, WAIT_MS);
  g_assert_cmpstr (fixture->changed_id, ==, small_id);

  /* Another large message, another move. */
  g_clear_pointer (&large_id, g_free);
  large_id = enqueue (fixture, large);
  FERRY_TEST_WAIT (ferry_agent_fixture_owned_elsewhere (&fixture->base, second), WAIT_MS);
  g_assert_cmpuint (ferry_agent_fixture_get_owner_pid (&fixture->base), ==,
                    fixture->base.ferryd_pid);
  assert_body (fixture, large_id, large);
}

/* A collection added before the move is served after it, at the same path. */
static void
test_collections_follow (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) large = patterned (LARGE_SIZE);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDBusCollection) collection = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GVariant) managed = NULL;
  g_autofree char *first = ferry_agent_fixture_dup_owner (&fixture->base);
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  GVariantBuilder config;
  gint64 seq = 0;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("Notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string ("http://127.0.0.1:9/"));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string ("org.example.Notes"));
  ferry_dbus_agent_call_add_collection_sync (fixture->base.agent, g_variant_builder_end (&config),
                                             &path, NULL, &error);
  g_assert_no_error (error);
  collection = ferry_dbus_collection_proxy_new_sync (fixture->base.connection,
                                                     G_DBUS_PROXY_FLAGS_NONE, FERRY_DBUS_NAME,
                                                     path, NULL, &error);
  g_assert_no_error (error);

  id = enqueue (fixture, large);
  FERRY_TEST_WAIT (ferry_agent_fixture_owned_elsewhere (&fixture->base, first), WAIT_MS);
  FERRY_TEST_WAIT (!ferry_agent_name_has_owner (fixture->base.connection, first), WAIT_MS);

  /* Its properties come again from the new owner, its methods answer. */
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_collection_get_name (collection), "Notes") == 0,
                   WAIT_MS);
  objects = g_dbus_connection_call_sync (fixture->base.connection, FERRY_DBUS_NAME,
                                         FERRY_DBUS_PATH, "org.freedesktop.DBus.ObjectManager",
                                         "GetManagedObjects", NULL,
                                         G_VARIANT_TYPE ("(a{oa{sa{sv}}})"),
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  managed = g_variant_get_child_value (objects, 0);
  g_assert_cmpuint (g_variant_n_children (managed), ==, 1);
  ferry_dbus_collection_call_put_sync (collection, "n1", "{\"title\":\"after the move\"}",
                                       &seq, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq, >, 0);
  FERRY_TEST_WAIT (ferry_dbus_collection_get_dirty_count (collection) == 1, WAIT_MS);
}

/* Runs ferryd with @address as the session bus's (%NULL: none given, and
 * none to find) and waits for it to give up. */
static void
assert_gives_up (const char *address)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) ferryd = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime_dir = ferry_test_make_temp_dir ();
  g_autofree char *data_dir = ferry_test_make_temp_dir ();
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (address != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  /* Nowhere to find one either: no bus socket in the runtime directory,
   * no display to start one for. */
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  ferryd = g_subprocess_launcher_spawn (launcher, &error, FERRYD_PATH, "--data-dir", data_dir,
                                        NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (ferryd, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (ferryd));
  g_assert_cmpint (g_subprocess_get_exit_status (ferryd), ==, 1);
  g_assert_nonnull (strstr (err, "cannot connect to the session bus"));
}

/* Without a session bus ferryd says so and exits, whether the address is
 * wrong or there is none at all. */
static void
test_no_bus (void)
{
  g_autofree char *nowhere = ferry_test_make_temp_dir ();
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-bus", nowhere);

  assert_gives_up (address);
  assert_gives_up (NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/dbus/connection/moves-after-large", test_moves_after_large);
  ADD ("/dbus/connection/collections-follow", test_collections_follow);
  g_test_add_func ("/dbus/connection/no-bus", test_no_bus);

#undef ADD

  ferry_agent_bus_up ();
  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
