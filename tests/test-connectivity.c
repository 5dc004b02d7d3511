/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-connectivity"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

#define WAIT_MS 20000

static void
test_loopback_hosts (void)
{
  static const struct { const char *host; gboolean loopback; } rows[] = {
    { "localhost", TRUE },
    { "LOCALHOST", TRUE },
    { "api.localhost", TRUE },
    { "127.0.0.1", TRUE },
    { "127.8.9.10", TRUE },
    { "::1", TRUE },
    { "[::1]", TRUE },
    { "128.0.0.1", FALSE },
    { "10.0.0.1", FALSE },
    { "192.168.1.2", FALSE },
    { "example.com", FALSE },
    { "localhost.example.com", FALSE },
    { "[::2]", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("%s", rows[i].host != NULL ? rows[i].host : "(null)");
      g_assert_cmpint (ferry_host_is_loopback (rows[i].host), ==, rows[i].loopback);
    }
}

static guint changed_count;

static void
on_changed (FerryConnectivity *connectivity,
            gpointer           user_data)
{
  changed_count++;
}

/* Which hosts may be sent to, level by level. */
static void
test_levels (void)
{
  g_autoptr(FerryTestNetworkMonitor) network = ferry_test_network_monitor_new ();
  g_autoptr(FerryTestPowerMonitor) power = ferry_test_power_monitor_new ();
  g_autoptr(FerryConnectivity) connectivity = NULL;
  guint before;

  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (network),
                                         G_POWER_PROFILE_MONITOR (power), NULL);
  g_signal_connect (connectivity, "changed", G_CALLBACK (on_changed), NULL);

  /* Full: everything, and that is online. */
  g_assert_true (ferry_connectivity_get_online (connectivity));
  g_assert_true (ferry_connectivity_host_allowed (connectivity, "example.com", 443));
  g_assert_true (ferry_connectivity_host_allowed (connectivity, "127.0.0.1", 80));

  /* No network: nothing at all, not even loopback. */
  ferry_test_network_monitor_set_state (network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL, FALSE);
  g_assert_false (ferry_connectivity_get_online (connectivity));
  g_assert_false (ferry_connectivity_may_send_anything (connectivity));
  g_assert_false (ferry_connectivity_host_allowed (connectivity, "127.0.0.1", 80));

  /* Portal: loopback only, and no probing. */
  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_PORTAL, FALSE);
  g_assert_false (ferry_connectivity_get_online (connectivity));
  g_assert_true (ferry_connectivity_host_allowed (connectivity, "localhost", 8080));
  g_assert_false (ferry_connectivity_host_allowed (connectivity, "example.com", 443));
  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (network), ==, 0);

  /* Limited: a host is allowed once a probe says it is reachable; the
   * answer is cached until the network changes. */
  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_LIMITED, FALSE);
  ferry_test_network_monitor_add_reachable (network, "nas.lan");
  g_assert_false (ferry_connectivity_host_allowed (connectivity, "nas.lan", 443));
  g_assert_false (ferry_connectivity_host_allowed (connectivity, "far.example.com", 443));
  before = changed_count;
  FERRY_TEST_WAIT (changed_count > before, WAIT_MS);
  FERRY_TEST_WAIT (ferry_connectivity_host_allowed (connectivity, "nas.lan", 443), WAIT_MS);
  g_assert_false (ferry_connectivity_host_allowed (connectivity, "far.example.com", 443));
  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (network), ==, 2);
  g_assert_true (ferry_connectivity_host_allowed (connectivity, "nas.lan", 443));
  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (network), ==, 2);
  g_assert_false (ferry_connectivity_get_online (connectivity));

  /* Metered and power saver are passed on. */
  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_FULL, TRUE);
  g_assert_true (ferry_connectivity_get_metered (connectivity));
  g_assert_false (ferry_connectivity_get_power_saver (connectivity));
  ferry_test_power_monitor_set_power_saver (power, TRUE);
  g_assert_true (ferry_connectivity_get_power_saver (connectivity));
}

/* logind on a private bus ------------------------------------------------- */

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *agent_side;   /* what the connectivity listens on */
  GDBusConnection *logind_side;  /* owns org.freedesktop.login1 */
} BusFixture;

static void
bus_set_up (BusFixture    *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  fixture->agent_side =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->logind_side =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (fixture->logind_side, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
}

static void
bus_tear_down (BusFixture    *fixture,
               gconstpointer  data)
{
  g_dbus_connection_close_sync (fixture->agent_side, NULL, NULL);
  g_dbus_connection_close_sync (fixture->logind_side, NULL, NULL);
  g_clear_object (&fixture->agent_side);
  g_clear_object (&fixture->logind_side);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

static void
emit_prepare_for_sleep (BusFixture *fixture,
                        gboolean    going_to_sleep)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (fixture->logind_side, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", going_to_sleep), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (fixture->logind_side, NULL, &error);
  g_assert_no_error (error);
}

static guint resumed_count;

static void
on_resumed (FerryConnectivity *connectivity,
            gpointer           user_data)
{
  resumed_count++;
}

/* GDBus learns who owns org.freedesktop.login1 with a call of its own
 * after the subscription is made, and drops the signals that arrive
 * before the answer: wake-ups are sent until one is heard, so the
 * subscription is known to be live. */
static void
wait_until_listening (BusFixture *fixture,
                      guint      *counter)
{
  guint before = *counter;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (*counter == before)
    {
      gint64 next = g_get_monotonic_time () + 50 * 1000;

      if (g_get_monotonic_time () > deadline)
        g_error ("the resume signal was never heard");
      emit_prepare_for_sleep (fixture, FALSE);
      while (*counter == before && g_get_monotonic_time () < next)
        ferry_test_iterate_briefly ();
    }
}

static void
test_resume_signal (BusFixture    *fixture,
                    gconstpointer  data)
{
  g_autoptr(FerryTestNetworkMonitor) network = ferry_test_network_monitor_new ();
  g_autoptr(FerryConnectivity) connectivity = NULL;

  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (network), NULL, fixture->agent_side);
  resumed_count = 0;
  g_signal_connect (connectivity, "resumed", G_CALLBACK (on_resumed), NULL);
  wait_until_listening (fixture, &resumed_count);
  /* Wake-ups sent while the first was on its way are heard too. */
  for (guint i = 0; i < 20; i++)
    ferry_test_iterate_briefly ();
  resumed_count = 0;

  /* Going to sleep is not a wake-up; the signal after it is. */
  emit_prepare_for_sleep (fixture, TRUE);
  emit_prepare_for_sleep (fixture, FALSE);
  FERRY_TEST_WAIT (resumed_count == 1, WAIT_MS);

  /* The same signal from anyone but logind is ignored. */
  {
    g_autoptr(GError) error = NULL;

    g_dbus_connection_emit_signal (fixture->agent_side, NULL, "/org/freedesktop/login1",
                                   "org.freedesktop.login1.Manager", "PrepareForSleep",
                                   g_variant_new ("(b)", FALSE), &error);
    g_assert_no_error (error);
  }
  emit_prepare_for_sleep (fixture, FALSE);
  FERRY_TEST_WAIT (resumed_count >= 2, WAIT_MS);
  for (guint i = 0; i < 50; i++)
    ferry_test_iterate_briefly ();
  g_assert_cmpuint (resumed_count, ==, 2);
}

static guint retries;

static void
on_retry_scheduled (FerrySyncManager *manager,
                    FerryTask        *task,
                    guint             attempt,
                    gint64            when,
                    const char       *reason,
                    gpointer          user_data)
{
  retries++;
}

/* After resume, a task waiting out a long backoff is tried at once. */
static void
test_resume_starts_run (BusFixture    *fixture,
                        gconstpointer  data)
{
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "tasks.db", NULL);
  g_autoptr(FerryTestNetworkMonitor) network = ferry_test_network_monitor_new ();
  g_autoptr(FerryTestPowerMonitor) power = ferry_test_power_monitor_new ();
  g_autoptr(FerryConnectivity) connectivity = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(FerrySyncManager) manager = NULL;
  g_autoptr(FerryTask) task = ferry_task_new ();
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GError) error = NULL;
  FerryTestServer *server = ferry_test_server_new ();
  g_autofree char *id = NULL;

  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (network),
                                         G_POWER_PROFILE_MONITOR (power), fixture->agent_side);
  store = ferry_task_store_new (path, &error);
  g_assert_no_error (error);
  manager = ferry_sync_manager_new (store, NULL, connectivity, NULL);
  g_object_set (manager,
                "backoff-initial", (gint64) 3600 * G_USEC_PER_SEC,
                "backoff-max", (gint64) 3600 * G_USEC_PER_SEC,
                "auto-sync-interval", 0,
                "enqueue-debounce", 1,
                NULL);
  retries = 0;
  g_signal_connect (manager, "retry-scheduled", G_CALLBACK (on_retry_scheduled), NULL);
  resumed_count = 0;
  g_signal_connect (connectivity, "resumed", G_CALLBACK (on_resumed), NULL);
  wait_until_listening (fixture, &resumed_count);
  ferry_sync_manager_start (manager, &error);
  g_assert_no_error (error);

  ferry_test_server_push_reply (server, "/after-sleep", 503, "Retry-After: 3000", NULL);
  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("PUT");
  task->url = ferry_test_server_url (server, "/after-sleep");
  stored = ferry_sync_manager_enqueue (manager, task, &error);
  g_assert_no_error (error);
  id = g_strdup (stored->id);
  FERRY_TEST_WAIT (retries == 1, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (server, "/after-sleep"), ==, 1);

  emit_prepare_for_sleep (fixture, TRUE);
  emit_prepare_for_sleep (fixture, FALSE);
  FERRY_TEST_WAIT (ferry_test_server_count_requests (server, "/after-sleep") == 2, WAIT_MS);
  FERRY_TEST_WAIT (ferry_sync_manager_get_pending_count (manager) == 0, WAIT_MS);

  ferry_sync_manager_stop (manager);
  for (guint i = 0; i < 10; i++)
    ferry_test_iterate_briefly ();
  ferry_test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add_func ("/engine/connectivity/loopback-hosts", test_loopback_hosts);
  g_test_add_func ("/engine/connectivity/levels", test_levels);
  g_test_add ("/engine/connectivity/resume-signal", BusFixture, NULL,
              bus_set_up, test_resume_signal, bus_tear_down);
  g_test_add ("/engine/connectivity/resume-starts-run", BusFixture, NULL,
              bus_set_up, test_resume_starts_run, bus_tear_down);

  return g_test_run ();
}
