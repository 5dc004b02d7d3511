/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-engine"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

/*
 * Figures for the engine, printed, not judged:
 *
 *  1. enqueue: tasks/s through ferry_sync_manager_enqueue_async (calls
 *     arriving in waves, so group commit does its work), and in the same run
 *     the raw SQLite insert rate of the same rows, into the same schema,
 *     under the same PRAGMAs and the same transaction size;
 *  2. RSS of a process holding 10,000 and 100,000 queued tasks (each in a
 *     child process of its own so nothing else is counted).
 *
 * Draining the queue over HTTP is measured by bench-drain.
 */

static int n_enqueue = 20000;
static int wave = 500;
static int rss_tasks = 0;

static GOptionEntry entries[] = {
  { "enqueue", 0, 0, G_OPTION_ARG_INT, &n_enqueue, "Tasks to enqueue", "N" },
  { "wave", 0, 0, G_OPTION_ARG_INT, &wave, "Enqueue calls arriving together", "N" },
  { "rss", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &rss_tasks, NULL, NULL },
  { NULL }
};

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static FerryTask *
bench_task (const char *url,
            guint       i)
{
  FerryTask *task = ferry_task_new ();
  char *body = g_strdup_printf ("{\"id\":%u,\"title\":\"Note %u\",\"done\":false}", i, i);

  task->owner = g_strdup ("org.example.Bench");
  task->method = g_strdup ("POST");
  task->url = g_strdup (url);
  task->body = g_bytes_new_take (body, strlen (body));
  task->content_type = g_strdup ("application/json");
  ferry_task_add_header (task, "X-Client", "bench");
  return task;
}

typedef struct
{
  FerryTaskStore          *store;
  FerryTestNetworkMonitor *network;
  FerryTestPowerMonitor   *power;
  FerryConnectivity       *connectivity;
  FerrySyncManager        *manager;
} Engine;

static void
engine_open (Engine     *engine,
             const char *db_path,
             gboolean    online)
{
  g_autoptr(GError) error = NULL;

  engine->store = ferry_task_store_new (db_path, &error);
  if (engine->store == NULL)
    g_error ("%s", error->message);
  engine->network = ferry_test_network_monitor_new ();
  ferry_test_network_monitor_set_state (engine->network, online,
                                        online ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  engine->power = ferry_test_power_monitor_new ();
  engine->connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (engine->network),
                                                 G_POWER_PROFILE_MONITOR (engine->power), NULL);
  engine->manager = ferry_sync_manager_new (engine->store, NULL, engine->connectivity, NULL);
  g_object_set (engine->manager, "auto-sync-interval", 0, NULL);
}

static void
engine_close (Engine *engine)
{
  ferry_sync_manager_stop (engine->manager);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&engine->manager);
  g_clear_object (&engine->connectivity);
  g_clear_object (&engine->power);
  g_clear_object (&engine->network);
  g_clear_object (&engine->store);
}

/* 1. Enqueue ------------------------------------------------------------- */

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *outstanding = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, &error);
  if (task == NULL)
    g_error ("enqueue: %s", error->message);
  (*outstanding)--;
}

static double
bench_engine_enqueue (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "enqueue.db", NULL);
  Engine engine = { 0 };
  guint outstanding = 0;
  gint64 start;
  double elapsed;

  engine_open (&engine, path, FALSE);
  ferry_sync_manager_pause (engine.manager);
  if (!ferry_sync_manager_start (engine.manager, NULL))
    g_error ("start failed");

  start = g_get_monotonic_time ();
  for (int done = 0; done < n_enqueue;)
    {
      /* A wave of calls arriving together, as from many apps at once. */
      for (int i = 0; i < wave && done < n_enqueue; i++, done++)
        {
          g_autoptr(FerryTask) task = bench_task ("http://127.0.0.1:9/notes", done);

          outstanding++;
          ferry_sync_manager_enqueue_async (engine.manager, task, NULL, enqueue_cb, &outstanding);
        }
      while (outstanding > 0)
        g_main_context_iteration (NULL, TRUE);
    }
  elapsed = seconds_since (start);
  engine_close (&engine);
  return n_enqueue / elapsed;
}

#define SQL_OK(expr)                                                  \
  G_STMT_START {                                                      \
    int rc_ = (expr);                                                 \
    if (rc_ != SQLITE_OK && rc_ != SQLITE_DONE && rc_ != SQLITE_ROW)  \
      g_error ("%s: %s", #expr, sqlite3_errstr (rc_));                \
  } G_STMT_END

/* The same rows, schema, PRAGMAs and transaction size, written with bare
 * SQLite: the ceiling the engine is measured against. */
static double
bench_raw_insert (const char *dir)
{
  g_autofree char *engine_path = g_build_filename (dir, "enqueue.db", NULL);
  g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
  sqlite3 *source = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *schema = NULL;
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *insert = NULL;
  g_autoptr(GString) insert_sql = g_string_new (NULL);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  int n_columns;
  gint64 start;
  double elapsed;

  SQL_OK (sqlite3_open (engine_path, &source));
  SQL_OK (sqlite3_open (raw_path, &db));
  SQL_OK (sqlite3_exec (db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL));
  SQL_OK (sqlite3_exec (db, "PRAGMA synchronous=FULL", NULL, NULL, NULL));

  /* Same tables and indexes as the engine's. */
  SQL_OK (sqlite3_prepare_v2 (source,
                              "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "AND name NOT LIKE 'sqlite_%' "
                              "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END",
                              -1, &schema, NULL));
  while (sqlite3_step (schema) == SQLITE_ROW)
    SQL_OK (sqlite3_exec (db, (const char *) sqlite3_column_text (schema, 0), NULL, NULL, NULL));
  sqlite3_finalize (schema);

  /* Same rows. */
  SQL_OK (sqlite3_prepare_v2 (source, "SELECT * FROM tasks", -1, &read, NULL));
  n_columns = sqlite3_column_count (read);
  g_string_append (insert_sql, "INSERT INTO tasks VALUES (");
  for (int c = 0; c < n_columns; c++)
    g_string_append (insert_sql, c == 0 ? "?" : ",?");
  g_string_append (insert_sql, ")");
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

      for (int c = 0; c < n_columns; c++)
        g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (read, c)));
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (read);
  sqlite3_close (source);

  SQL_OK (sqlite3_prepare_v2 (db, insert_sql->str, -1, &insert, NULL));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < rows->len;)
    {
      SQL_OK (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
      for (int j = 0; j < wave && i < rows->len; j++, i++)
        {
          GPtrArray *row = g_ptr_array_index (rows, i);

          for (int c = 0; c < n_columns; c++)
            SQL_OK (sqlite3_bind_value (insert, c + 1, g_ptr_array_index (row, c)));
          SQL_OK (sqlite3_step (insert));
          SQL_OK (sqlite3_reset (insert));
        }
      SQL_OK (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
    }
  elapsed = seconds_since (start);

  sqlite3_finalize (insert);
  sqlite3_close (db);
  g_ptr_array_unref (rows);
  return n_enqueue / elapsed;
}

/* 2. Memory -------------------------------------------------------------- */

static long
read_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* Child mode: queue N tasks, start a manager that holds them (offline), and
 * print the resident size. */
static int
measure_rss (int n)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rss.db", NULL);
  g_autoptr(GError) error = NULL;
  Engine engine = { 0 };
  gint64 now = g_get_real_time ();
  long before, after;

  /* Fill the database from a store of its own, then drop it, so the
   * figure is of a process that finds the queue on disk at start-up. */
  {
    g_autoptr(FerryTaskStore) filler = ferry_task_store_new (path, &error);

    if (filler == NULL)
      g_error ("%s", error->message);
    for (int done = 0; done < n;)
      {
        g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

        for (int i = 0; i < 5000 && done < n; i++, done++)
          {
            FerryTask *task = bench_task ("https://notes.example.com/api/notes", done);

            task->created = task->updated = task->next_attempt = now;
            g_ptr_array_add (tasks, task);
          }
        if (!ferry_task_store_enqueue (filler, tasks, NULL, &error))
          g_error ("%s", error->message);
      }
  }

  before = read_rss_kib ();
  engine_open (&engine, path, FALSE);
  if (!ferry_sync_manager_start (engine.manager, &error))
    g_error ("%s", error->message);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  after = read_rss_kib ();
  g_print ("%d %ld %ld %u\n", n, before, after, ferry_sync_manager_get_pending_count (engine.manager));
  engine_close (&engine);

  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}

static void
report_rss (const char *self,
            int         n)
{
  g_autofree char *arg = g_strdup_printf ("--rss=%d", n);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self, arg, NULL };
  int status;
  int tasks, pending;
  long before, after;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) ||
      sscanf (out, "%d %ld %ld %d", &tasks, &before, &after, &pending) != 4)
    g_error ("rss child failed: %s", error != NULL ? error->message : out);
  g_print ("  %7d queued tasks: RSS %.1f MB (process with the manager started, %d pending)\n",
           tasks, after / 1024.0, pending);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Ferry engine figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *self = NULL;
  double engine_rate, raw_rate;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  ferry_error_quark ();
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);

  if (rss_tasks > 0)
    return measure_rss (rss_tasks);

  self = g_canonicalize_filename (argv[0], NULL);
  dir = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);

  g_print ("Ferry engine benchmark (%u cores)\n", g_get_num_processors ());

  engine_rate = bench_engine_enqueue (dir);
  raw_rate = bench_raw_insert (dir);
  g_print ("enqueue, %d tasks in waves of %d calls:\n", n_enqueue, wave);
  g_print ("  engine (durable, group commit): %8.0f tasks/s\n", engine_rate);
  g_print ("  raw SQLite, same rows/PRAGMAs:  %8.0f rows/s\n", raw_rate);
  g_print ("  engine / raw: %.0f%%\n", 100.0 * engine_rate / raw_rate);

  g_print ("memory:\n");
  report_rss (self, 10000);
  report_rss (self, 100000);

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
