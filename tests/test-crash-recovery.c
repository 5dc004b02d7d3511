/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-crash-recovery"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

/*
 * A child process drains a queue of 2,000 tasks to a real HTTP server that
 * lives in this (the parent) process.  The child is killed with SIGKILL at
 * random moments, several times, and started again on the same database.
 * In the end every task must have reached the server, none may be left
 * running or lost, and every repeated delivery of a task must have carried
 * that task's Idempotency-Key.
 */

#define N_TASKS 2000
#define N_KILLS 6

/* The child: drain the database at argv[2] until nothing is left. */

static void
on_run_finished (FerrySyncManager *manager,
                 FerryRunSummary  *summary,
                 GMainLoop        *loop)
{
  if (ferry_sync_manager_get_pending_count (manager) == 0)
    g_main_loop_quit (loop);
}

static int
drain (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(FerryTestNetworkMonitor) network = NULL;
  g_autoptr(FerryTestPowerMonitor) power = NULL;
  g_autoptr(FerryConnectivity) connectivity = NULL;
  g_autoptr(FerrySyncManager) manager = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  store = ferry_task_store_new (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 3;
    }
  network = ferry_test_network_monitor_new ();
  ferry_test_network_monitor_set_state (network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  power = ferry_test_power_monitor_new ();
  connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (network),
                                         G_POWER_PROFILE_MONITOR (power), NULL);
  manager = ferry_sync_manager_new (store, NULL, connectivity, NULL);
  g_object_set (manager,
                "backoff-initial", (gint64) 1000,
                "backoff-max", (gint64) 10000,
                "max-attempts", 100,
                "auto-sync-interval", 0,
                NULL);
  g_signal_connect (manager, "run-finished", G_CALLBACK (on_run_finished), loop);
  if (!ferry_sync_manager_start (manager, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 3;
    }
  if (ferry_sync_manager_get_pending_count (manager) > 0)
    g_main_loop_run (loop);
  ferry_sync_manager_stop (manager);
  return 0;
}

/* The parent. */

static void
fill_queue (const char      *db_path,
            FerryTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) store = ferry_task_store_new (db_path, &error);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  gint64 now = g_get_real_time ();

  g_assert_no_error (error);
  for (guint i = 0; i < N_TASKS; i++)
    {
      FerryTask *task = ferry_task_new ();
      g_autofree char *path = g_strdup_printf ("/crash/%u", i);
      char *body = g_strdup_printf ("{\"n\":%u}", i);

      task->owner = g_strdup ("org.example.Crash");
      task->method = g_strdup ("PUT");
      task->url = ferry_test_server_url (server, path);
      task->body = g_bytes_new_take (body, strlen (body));
      task->content_type = g_strdup ("application/json");
      /* Some tasks share groups, so ordering survives the kills too. */
      if (i % 3 == 0)
        task->group = g_strdup_printf ("g%u", i % 30);
      task->created = task->updated = task->next_attempt = now;
      g_ptr_array_add (tasks, task);
    }
  ferry_task_store_enqueue (store, tasks, NULL, &error);
  g_assert_no_error (error);
}

static GSubprocess *
spawn_child (const char *self_path,
             const char *db_path)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            self_path, "--drain", db_path, NULL);
  g_assert_no_error (error);
  return child;
}

static char *self_path;

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

static void
test_kill_and_restart (void)
{
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "tasks.db", NULL);
  FerryTestServer *server = ferry_test_server_new ();
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  guint counts[FERRY_N_TASK_STATES] = { 0 };
  guint kills = 0;
  guint repeats = 0;
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  fill_queue (db_path, server);

  while (kills < N_KILLS)
    {
      g_autoptr(GSubprocess) child = spawn_child (self_path, db_path);
      guint before = ferry_test_server_count_requests (server, NULL);
      guint target = before + (guint) g_rand_int_range (rand, 20, 250);
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      gboolean exited = FALSE;

      g_subprocess_wait_async (child, NULL, child_exited_cb, &exited);

      /* Kill it in the middle of the work: after a random number of
       * requests reached the server. */
      while (ferry_test_server_count_requests (server, NULL) < target &&
             g_get_monotonic_time () < deadline && !exited)
        ferry_test_iterate_briefly ();

      if (!exited)
        {
          g_subprocess_send_signal (child, SIGKILL);
          kills++;
        }
      while (!exited)
        ferry_test_iterate_briefly ();
      g_test_message ("kill %u after %u requests", kills,
                      ferry_test_server_count_requests (server, NULL));
      if (ferry_test_server_count_requests (server, NULL) >= N_TASKS + 200)
        break;
    }

  /* The last run goes to the end. */
  {
    g_autoptr(GSubprocess) child = spawn_child (self_path, db_path);

    g_subprocess_wait_check (child, NULL, &error);
    g_assert_no_error (error);
  }

  store = ferry_task_store_new (db_path, &error);
  g_assert_no_error (error);
  ferry_task_store_count_states (store, counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_SUCCEEDED], ==, N_TASKS);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_RUNNING], ==, 0);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_PENDING], ==, 0);

  /* Every task reached the server, and every delivery of one task carried
   * the same key: the task's own. */
  tasks = ferry_task_store_list (store, NULL, 0, N_TASKS + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, N_TASKS);
  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);
      g_autoptr(GUri) uri = g_uri_parse (task->url, G_URI_FLAGS_NONE, NULL);

      g_hash_table_insert (keys, g_strdup (g_uri_get_path (uri)), g_strdup (task->idempotency_key));
    }

  requests = ferry_test_server_dup_requests (server, NULL);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < requests->len; i++)
      {
        FerryTestRequest *request = g_ptr_array_index (requests, i);
        const char *expected = g_hash_table_lookup (keys, request->path);

        g_assert_nonnull (expected);
        g_assert_cmpstr (request->idempotency_key, ==, expected);
        if (!g_hash_table_add (seen, request->path))
          repeats++;
      }
    g_assert_cmpuint (g_hash_table_size (seen), ==, N_TASKS);
  }

  g_test_message ("%u kills, %u requests, %u repeated deliveries (each with its task's key)",
                  kills, requests->len, repeats);
  g_assert_cmpuint (kills, >=, 1);

  g_rand_free (rand);
  g_clear_pointer (&requests, g_ptr_array_unref);
  ferry_test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--drain"))
    return drain (argv[2]);

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add_func ("/engine/crash-recovery/kill-and-restart", test_kill_and_restart);

  return g_test_run ();
}
