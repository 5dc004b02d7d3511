/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * ferryd follows its settings while it runs.  The memory backend the other
 * tests use lives in one process, so here ferryd and the test share a key
 * file: ferryd gets GSETTINGS_BACKEND=keyfile with XDG_CONFIG_HOME in the
 * test's directory, and the test writes that file through a key file
 * backend of its own.  ferryd notices the file change and applies it.
 */

#define WAIT_MS 20000
#define SCHEMA_ID "io.github.ferrysync.Ferry"

typedef struct
{
  FerryAgentFixture  base;
  gboolean           started;
  FerryTestServer   *server;
  char              *config_dir;    /* ferryd's XDG_CONFIG_HOME */
  GSettings         *settings;      /* the same key file, written by the test */
  GPtrArray         *events;
} Fixture;

static void
on_task_succeeded (FerryDBusAgent *agent,
                   const char     *id,
                   const char     *owner,
                   guint           status,
                   Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup_printf ("succeeded %s", id));
}

static void
on_task_failed (FerryDBusAgent *agent,
                const char     *id,
                const char     *owner,
                const char     *reason,
                Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup_printf ("failed %s", id));
}

static void
on_retry_scheduled (FerryDBusAgent *agent,
                    const char     *id,
                    const char     *owner,
                    guint           attempt,
                    gint64          when,
                    const char     *reason,
                    Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup_printf ("retry %s %u", id, attempt));
}

static gboolean
has_event (Fixture    *fixture,
           const char *kind,
           const char *id)
{
  g_autofree char *prefix = g_strdup_printf ("%s %s", kind, id);

  for (guint i = 0; i < fixture->events->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix))
        return TRUE;
    }
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *keyfile = NULL;

  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->server = ferry_test_server_new ();
  fixture->config_dir = ferry_test_make_temp_dir ();

  /* Where the "keyfile" backend looks, given XDG_CONFIG_HOME. */
  keyfile = g_build_filename (fixture->config_dir, "glib-2.0", "settings", "keyfile", NULL);
  backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), SCHEMA_ID,
                                            FALSE);
  g_assert_nonnull (schema);
  fixture->settings = g_settings_new_full (schema, backend, NULL);
}

/* Starts ferryd on the shared key file; @extra overrides its environment. */
static void
start_ferryd (Fixture            *fixture,
              const char         *network,
              const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) environment = NULL;

  /* Every variable another test of this program may set, set again: the
   * bus keeps them for every later ferryd. */
  g_strv_builder_add_many (builder,
                           "GSETTINGS_BACKEND", "keyfile",
                           "XDG_CONFIG_HOME", fixture->config_dir,
                           "GSETTINGS_SCHEMA_DIR", g_getenv ("GSETTINGS_SCHEMA_DIR"),
                           "XDG_DATA_DIRS", g_getenv ("XDG_DATA_DIRS"),
                           "XDG_DATA_HOME", g_get_user_data_dir (),
                           NULL);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_strv_builder_add (builder, extra[i]);
  environment = g_strv_builder_end (builder);

  ferry_agent_fixture_set_up_with_env (&fixture->base, network,
                                       (const char * const *) environment);
  fixture->started = TRUE;

  g_signal_connect (fixture->base.agent, "task-succeeded",
                    G_CALLBACK (on_task_succeeded), fixture);
  g_signal_connect (fixture->base.agent, "task-failed", G_CALLBACK (on_task_failed), fixture);
  g_signal_connect (fixture->base.agent, "retry-scheduled",
                    G_CALLBACK (on_retry_scheduled), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->started)
    ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->config_dir, g_free);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
}

static char *
enqueue (Fixture    *fixture,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, path);
  char *id = NULL;

  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                      ferry_agent_request_new ("PUT", url, NULL),
                                      &id, NULL, &error);
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

static guint
task_attempts (Fixture    *fixture,
               const char *id)
{
  g_autoptr(GVariant) task = get_task (fixture, id);
  guint attempts = 0;

  g_assert_true (g_variant_lookup (task, "attempts", "u", &attempts));
  return attempts;
}

static char *
task_strategy (Fixture    *fixture,
               const char *id)
{
  g_autoptr(GVariant) task = get_task (fixture, id);
  char *strategy = NULL;

  g_assert_true (g_variant_lookup (task, "conflict-strategy", "s", &strategy));
  return strategy;
}

/* Writes the changes made since g_settings_delay() in one go, so ferryd
 * reads them all in one reload. */
static void
write_settings (Fixture *fixture)
{
  g_settings_apply (fixture->settings);
  g_settings_sync ();
}

/*
 * Read at start-up: max-concurrency 1, max-attempts 1, nothing on metered
 * networks.  Then, live: metered allowed, then 3 at once and 2 attempts.
 * Each live change shows in what ferryd does next.
 */
static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  FerryTestServer *server = fixture->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  char *held[3];

  g_settings_delay (fixture->settings);
  g_settings_set_uint (fixture->settings, "max-concurrency", 1);
  g_settings_set_uint (fixture->settings, "max-attempts", 1);
  g_settings_set_boolean (fixture->settings, "sync-on-metered", FALSE);
  write_settings (fixture);

  start_ferryd (fixture, "full,metered", NULL);
  ferry_test_server_set_default (server, "/fail", 503, NULL, "busy");
  ferry_test_server_hold (server, "/held");

  first = enqueue (fixture, "/fail");
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = enqueue (fixture, "/held");
  g_assert_true (ferry_dbus_agent_call_sync_now_sync (fixture->base.agent, NULL, &error));
  g_assert_no_error (error);

  /* Metered, and not allowed to: nothing went out. */
  g_assert_cmpuint (ferry_test_server_count_requests (server, "/fail"), ==, 0);
  g_assert_cmpuint (ferry_test_server_count_requests (server, "/held"), ==, 0);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (fixture->base.agent) == 4, WAIT_MS);

  /* Allowed now.  The oldest goes first and fails at its first attempt
   * (max-attempts 1); then one held request at a time. */
  g_settings_set_boolean (fixture->settings, "sync-on-metered", TRUE);
  write_settings (fixture);
  FERRY_TEST_WAIT (has_event (fixture, "failed", first), WAIT_MS);
  g_assert_false (has_event (fixture, "retry", first));
  g_assert_cmpuint (task_attempts (fixture, first), ==, 1);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (server) == 1, WAIT_MS);
  second = enqueue (fixture, "/fail");
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (server), ==, 1);

  /* Three at once, two attempts: the other two held requests join. */
  g_settings_set_uint (fixture->settings, "max-concurrency", 3);
  g_settings_set_uint (fixture->settings, "max-attempts", 2);
  write_settings (fixture);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (server) == 3, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (server, "/fail"), ==, 1);

  /* The second failing task gets its two attempts. */
  ferry_test_server_release (server, "/held");
  FERRY_TEST_WAIT (has_event (fixture, "failed", second), WAIT_MS);
  g_assert_true (has_event (fixture, "retry", second));
  g_assert_cmpuint (task_attempts (fixture, second), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      FERRY_TEST_WAIT (has_event (fixture, "succeeded", held[i]), WAIT_MS);
      g_free (held[i]);
    }
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (server), ==, 3);
}

/* Enqueues that name no strategy get the person's default. */
static void
test_conflict_defaults (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *by_prefix = NULL;
  g_autofree char *by_app = NULL;
  g_autofree char *named = NULL;
  g_autofree char *strategy = NULL;
  GVariantBuilder defaults;

  g_variant_builder_init (&defaults, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&defaults, "{ss}", "https://api.example.org/docs/", "server-wins");
  g_variant_builder_add (&defaults, "{ss}", "https://api.example.org/", "merge");
  /* Tasks of this program belong to its executable's name. */
  g_variant_builder_add (&defaults, "{ss}", "test-agent-settings", "client-wins");
  g_settings_set_value (fixture->settings, "conflict-strategies",
                        g_variant_builder_end (&defaults));
  g_settings_sync ();

  start_ferryd (fixture, "offline", NULL);

  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                      ferry_agent_request_new ("PUT",
                                                               "https://api.example.org/docs/7",
                                                               NULL),
                                      &by_prefix, NULL, &error);
  g_assert_no_error (error);
  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                      ferry_agent_request_new ("PUT", "https://other.example/x",
                                                               NULL),
                                      &by_app, NULL, &error);
  g_assert_no_error (error);
  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                      ferry_agent_request_new ("PUT",
                                                               "https://api.example.org/docs/8",
                                                               "conflict-strategy",
                                                               g_variant_new_string ("ask"),
                                                               NULL),
                                      &named, NULL, &error);
  g_assert_no_error (error);

  strategy = task_strategy (fixture, by_prefix);
  g_assert_cmpstr (strategy, ==, "server-wins");
  g_free (strategy);
  strategy = task_strategy (fixture, by_app);
  g_assert_cmpstr (strategy, ==, "client-wins");
  g_free (strategy);
  strategy = task_strategy (fixture, named);
  g_assert_cmpstr (strategy, ==, "ask");
}

/* Without the schema, ferryd warns once and runs on its defaults. */
static void
test_no_schema (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *empty = ferry_test_make_temp_dir ();
  const char * const extra[] = {
    "GSETTINGS_SCHEMA_DIR", empty,
    "XDG_DATA_DIRS", empty,
    "XDG_DATA_HOME", empty,
    NULL
  };
  g_autofree char *id = NULL;
  g_autoptr(GVariant) task = NULL;
  guint max_attempts = 0;

  start_ferryd (fixture, "full", extra);
  id = enqueue (fixture, "/ok");
  FERRY_TEST_WAIT (has_event (fixture, "succeeded", id), WAIT_MS);
  g_assert_true (ferry_agent_process_is_alive (fixture->base.ferryd_pid));
  task = get_task (fixture, id);
  g_assert_true (g_variant_lookup (task, "max-attempts", "u", &max_attempts));
  g_assert_cmpuint (max_attempts, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/dbus/settings/live", test_live);
  ADD ("/dbus/settings/conflict-defaults", test_conflict_defaults);
  ADD ("/dbus/settings/no-schema", test_no_schema);

#undef ADD

  ferry_agent_bus_up ();
  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
