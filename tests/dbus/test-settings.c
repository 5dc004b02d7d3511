/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

#include "ferry-agent-settings.h"

/*
 * How ferryd's settings reach the manager: each key, converted to the
 * property's unit, at once and on every change.  The memory backend of
 * the test environment serves; the manager is not started.
 */

typedef struct
{
  char                    *dir;
  FerryTestNetworkMonitor *network;
  FerryConnectivity       *connectivity;
  FerryTaskStore          *store;
  FerrySyncManager        *manager;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = ferry_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->store = ferry_task_store_new (path, &error);
  g_assert_no_error (error);
  fixture->network = ferry_test_network_monitor_new ();
  fixture->connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (fixture->network), NULL,
                                                  NULL);
  fixture->manager = ferry_sync_manager_new (fixture->store, NULL, fixture->connectivity, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->connectivity);
  g_clear_object (&fixture->network);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->dir, g_free);
}

static gint64
get_int64 (FerrySyncManager *manager,
           const char       *property)
{
  gint64 value = -1;

  g_object_get (manager, property, &value, NULL);
  return value;
}

static guint
get_uint (FerrySyncManager *manager,
          const char       *property)
{
  guint value = 0;

  g_object_get (manager, property, &value, NULL);
  return value;
}

static void
test_bind (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GSettings) settings = ferry_agent_settings_new ();
  FerrySyncManager *manager = fixture->manager;
  const gint64 day = (gint64) 24 * 60 * 60 * G_USEC_PER_SEC;
  gboolean on_metered = TRUE;

  g_assert_nonnull (settings);

  /* Something else first, so that binding visibly sets every property. */
  g_object_set (manager,
                "max-concurrency", 9, "max-attempts", 9, "auto-sync-interval", 9,
                "backoff-initial", (gint64) 9, "backoff-max", (gint64) 9,
                "history-retention", (gint64) 9, "sync-on-metered", FALSE,
                "retry-period", (gint64) 9,
                NULL);
  ferry_agent_settings_bind (settings, manager);

  /* The schema's defaults, in the manager's units. */
  g_assert_cmpuint (get_uint (manager, "max-concurrency"), ==, 4);
  /* No limit on attempts: a day of retries instead. */
  g_assert_cmpuint (get_uint (manager, "max-attempts"), ==, 0);
  g_assert_cmpint (get_int64 (manager, "retry-period"), ==, day);
  g_assert_cmpuint (get_uint (manager, "auto-sync-interval"), ==, 60);
  g_assert_cmpint (get_int64 (manager, "backoff-initial"), ==, G_USEC_PER_SEC);
  g_assert_cmpint (get_int64 (manager, "backoff-max"), ==, 300 * G_USEC_PER_SEC);
  g_assert_cmpint (get_int64 (manager, "history-retention"), ==, 7 * day);
  g_object_get (manager, "sync-on-metered", &on_metered, NULL);
  g_assert_true (on_metered);

  /* Every change, as it happens. */
  g_settings_set_uint (settings, "max-concurrency", 2);
  g_settings_set_uint (settings, "max-attempts", 11);
  g_settings_set_uint (settings, "auto-sync-interval", 0);
  g_settings_set_uint (settings, "retry-initial-delay", 3);
  g_settings_set_uint (settings, "retry-max-delay", 86400);
  g_settings_set_uint (settings, "history-retention-days", 365);
  g_settings_set_uint (settings, "retry-period", 3600);
  g_settings_set_boolean (settings, "sync-on-metered", FALSE);

  g_assert_cmpuint (get_uint (manager, "max-concurrency"), ==, 2);
  g_assert_cmpuint (get_uint (manager, "max-attempts"), ==, 11);
  g_assert_cmpuint (get_uint (manager, "auto-sync-interval"), ==, 0);
  g_assert_cmpint (get_int64 (manager, "backoff-initial"), ==, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (get_int64 (manager, "backoff-max"), ==, (gint64) 86400 * G_USEC_PER_SEC);
  g_assert_cmpint (get_int64 (manager, "history-retention"), ==, 365 * day);
  g_assert_cmpint (get_int64 (manager, "retry-period"), ==, (gint64) 3600 * G_USEC_PER_SEC);
  g_object_get (manager, "sync-on-metered", &on_metered, NULL);
  g_assert_false (on_metered);

  /* Settings only flow in: setting the manager leaves them alone. */
  g_object_set (manager, "max-concurrency", 7, NULL);
  g_assert_cmpuint (g_settings_get_uint (settings, "max-concurrency"), ==, 2);

  g_settings_reset (settings, "max-concurrency");
  g_assert_cmpuint (get_uint (manager, "max-concurrency"), ==, 4);
}

static void
test_no_schema (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *empty = ferry_test_make_temp_dir ();
      g_autoptr(GSettings) settings = NULL;

      /* Before anything looks for schemas in this process. */
      g_setenv ("GSETTINGS_SCHEMA_DIR", empty, TRUE);
      g_setenv ("XDG_DATA_DIRS", empty, TRUE);
      g_setenv ("XDG_DATA_HOME", empty, TRUE);

      g_test_expect_message ("ferry-agent-settings", G_LOG_LEVEL_WARNING,
                             "*io.github.ferrysync.Ferry is not installed*");
      settings = ferry_agent_settings_new ();
      g_test_assert_expected_messages ();
      g_assert_null (settings);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/daemon/settings/bind", Fixture, NULL, fixture_set_up, test_bind,
              fixture_tear_down);
  g_test_add_func ("/daemon/settings/no-schema", test_no_schema);

  return g_test_run ();
}
