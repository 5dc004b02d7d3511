/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-drain"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

#include "bench-nginx.h"
#include "bench-util.h"

/*
 * Draining a queue against a keep-alive server, printed, not judged.
 *
 * For each server, in one run and side by side: the engine delivering N
 * queued POSTs (its own executor and session, concurrency 4), and a plain
 * libsoup client keeping 4 of the same requests in flight on reused
 * connections (messages marked idempotent, as the engine marks its own).
 * Each line gives the rate, the connections the server accepted for it and
 * the engine / plain ratio of that round; rounds alternate which one goes
 * first.
 *
 * Servers:
 *  - nginx, when installed (apt-get install nginx-light): started here on
 *    127.0.0.1 with a generated configuration in a temporary directory
 *    (one process, keep-alive, `return 200` for every method, no access
 *    log); connections are counted with stub_status' "accepts".  Stopped
 *    by its process id at the end.
 *  - the tests' SoupServer (tests/ferry-test-util.c), which keeps
 *    connections alive and counts the connections that carried a request.
 */

static int n_tasks = 20000;
static int in_flight = 4;
static int rounds = 1;
static char *only = NULL;
static char *side = NULL;
static char *nginx_path = NULL;

static GOptionEntry entries[] = {
  { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Tasks (and plain requests) per measure", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight,
    "Engine concurrency and plain requests in flight", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds per server", "N" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &only, "Only this server: nginx or soup", "NAME" },
  { "nginx", 0, 0, G_OPTION_ARG_FILENAME, &nginx_path, "The nginx binary", "PATH" },
  { "side", 0, 0, G_OPTION_ARG_STRING, &side,
    "Only measure one side, e.g. under a profiler: engine or plain", "SIDE" },
  { NULL }
};

static const char request_body[] = "{\"id\":1,\"title\":\"Note 1\",\"done\":false}";

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* CPU time of this thread, where both the engine and the plain client
 * run (the SoupServer has a thread of its own), in microseconds: less
 * disturbed by other load on a shared machine than the rates. */
static double
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Servers ----------------------------------------------------------------- */

typedef struct
{
  const char      *name;
  char            *url;            /* where the requests go */
  BenchNginx      *nginx;
  FerryTestServer *test_server;
} Server;

/* Connections the server accepted so far. */
static guint64
server_count_connections (Server *server)
{
  if (server->test_server != NULL)
    return ferry_test_server_count_connections (server->test_server);
  return bench_nginx_count_connections (server->nginx);
}

static void
server_stop (Server *server)
{
  if (server->test_server != NULL)
    ferry_test_server_free (server->test_server);
  else
    bench_nginx_stop (server->nginx);
  g_free (server->url);
}

/* The engine ---------------------------------------------------------------- */

typedef struct
{
  FerryTaskStore          *store;
  FerryTestNetworkMonitor *network;
  FerryTestPowerMonitor   *power;
  FerryConnectivity       *connectivity;
  FerrySyncManager        *manager;
  gboolean                 finished;
} Engine;

static void
on_run_finished (FerrySyncManager *manager,
                 FerryRunSummary  *summary,
                 gboolean         *finished)
{
  if (ferry_sync_manager_get_pending_count (manager) == 0)
    *finished = TRUE;
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

/* Queues the tasks (not timed), then times the engine delivering them. */
static double
measure_engine (const char *url,
                double     *cpu_per_task)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "drain.db", NULL);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  g_autoptr(GError) error = NULL;
  Engine engine = { 0 };
  gint64 now = g_get_real_time ();
  gint64 start;
  double cpu;
  double elapsed;

  engine.store = ferry_task_store_new (path, &error);
  if (engine.store == NULL)
    g_error ("%s", error->message);
  for (int i = 0; i < n_tasks; i++)
    {
      FerryTask *task = bench_task (url, i);

      task->created = task->updated = task->next_attempt = now;
      g_ptr_array_add (tasks, task);
    }
  if (!ferry_task_store_enqueue (engine.store, tasks, NULL, &error))
    g_error ("%s", error->message);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  engine.network = ferry_test_network_monitor_new ();
  ferry_test_network_monitor_set_state (engine.network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  engine.power = ferry_test_power_monitor_new ();
  engine.connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (engine.network),
                                                G_POWER_PROFILE_MONITOR (engine.power), NULL);
  engine.manager = ferry_sync_manager_new (engine.store, NULL, engine.connectivity, NULL);
  g_object_set (engine.manager, "auto-sync-interval", 0, "max-concurrency", in_flight, NULL);
  g_signal_connect (engine.manager, "run-finished", G_CALLBACK (on_run_finished),
                    &engine.finished);

  start = g_get_monotonic_time ();
  cpu = thread_cpu_us ();
  if (!ferry_sync_manager_start (engine.manager, &error))
    g_error ("%s", error->message);
  while (!engine.finished)
    g_main_context_iteration (NULL, TRUE);
  elapsed = seconds_since (start);
  *cpu_per_task = (thread_cpu_us () - cpu) / n_tasks;

  if (ferry_sync_manager_get_failed_count (engine.manager) != 0)
    g_error ("drain: %u tasks failed", ferry_sync_manager_get_failed_count (engine.manager));

  ferry_sync_manager_stop (engine.manager);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&engine.manager);
  g_clear_object (&engine.connectivity);
  g_clear_object (&engine.power);
  g_clear_object (&engine.network);
  g_clear_object (&engine.store);
  /* Let the session's connections close before anything else counts. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bench_remove_tree (dir);
  return n_tasks / elapsed;
}

/* The plain client ------------------------------------------------------------ */

typedef struct
{
  SoupSession *session;
  const char  *url;
  GBytes      *body;
  int          sent;
  int          done;
} PlainLoop;

static void send_next (PlainLoop *loop);

static void
plain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PlainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    g_error ("plain client: %s", error->message);
  if (soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object),
                                                                      result)) != 200)
    g_error ("plain client: unexpected status");
  loop->done++;
  send_next (loop);
}

static void
send_next (PlainLoop *loop)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *key = NULL;
  SoupMessageHeaders *headers;

  if (loop->sent >= n_tasks)
    return;
  loop->sent++;
  key = g_uuid_string_random ();
  message = soup_message_new ("POST", loop->url);
  /* What the engine sends: its headers, and marked idempotent so that
   * libsoup reuses kept-alive connections for a POST. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_append (headers, "X-Client", "bench");
  soup_message_headers_append (headers, "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (message, "application/json", loop->body);
  soup_session_send_and_read_async (loop->session, message, G_PRIORITY_DEFAULT, NULL,
                                    plain_cb, loop);
}

static double
measure_plain (const char *url,
               double     *cpu_per_request)
{
  PlainLoop loop = { 0 };
  gint64 start;
  double cpu;
  double elapsed;

  loop.session = soup_session_new ();
  loop.url = url;
  loop.body = g_bytes_new_static (request_body, sizeof request_body - 1);
  start = g_get_monotonic_time ();
  cpu = thread_cpu_us ();
  for (int i = 0; i < in_flight; i++)
    send_next (&loop);
  while (loop.done < n_tasks)
    g_main_context_iteration (NULL, TRUE);
  elapsed = seconds_since (start);
  *cpu_per_request = (thread_cpu_us () - cpu) / n_tasks;

  g_clear_object (&loop.session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_bytes_unref (loop.body);
  return n_tasks / elapsed;
}

/* Rounds ------------------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
print_spread (const char *what,
              GArray     *values)
{
  double *v = (double *) (void *) values->data;

  qsort (v, values->len, sizeof (double), compare_doubles);
  g_print ("  %s over %u rounds: %.0f-%.0f%%, median %.0f%%\n", what, values->len,
           100 * v[0], 100 * v[values->len - 1], 100 * v[values->len / 2]);
}

static void
measure_server (Server *server)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ratios = g_array_new (FALSE, FALSE, sizeof (double));

  g_print ("%s on 127.0.0.1, keep-alive; %d POSTs each, %d in flight:\n", server->name, n_tasks,
           in_flight);
  for (int round = 0; round < rounds; round++)
    {
      double engine_rate = 0, plain_rate = 0, engine_cpu = 0, plain_cpu = 0, ratio, cpu_ratio;
      guint64 engine_connections = 0, plain_connections = 0;

      for (int turn = 0; turn < 2; turn++)
        {
          gboolean engine_turn = (turn == 0) == (round % 2 == 1);
          guint64 before = server_count_connections (server);

          if (side != NULL && !g_str_equal (side, engine_turn ? "engine" : "plain"))
            continue;
          if (engine_turn)
            {
              engine_rate = measure_engine (server->url, &engine_cpu);
              engine_connections = server_count_connections (server) - before;
            }
          else
            {
              plain_rate = measure_plain (server->url, &plain_cpu);
              plain_connections = server_count_connections (server) - before;
            }
        }
      if (side != NULL)
        {
          g_print ("  round %d: %s %6.0f per second (%" G_GUINT64_FORMAT " connections, "
                   "%.0f us of CPU each)\n", round + 1, side, engine_rate + plain_rate,
                   engine_connections + plain_connections, engine_cpu + plain_cpu);
          continue;
        }
      ratio = engine_rate / plain_rate;
      cpu_ratio = plain_cpu / engine_cpu;
      g_array_append_val (ratios, ratio);
      g_array_append_val (cpu_ratios, cpu_ratio);
      g_print ("  round %d: engine %6.0f tasks/s (%" G_GUINT64_FORMAT " connections, "
               "%3.0f us CPU/task), plain libsoup %6.0f requests/s (%" G_GUINT64_FORMAT
               " connections, %3.0f us CPU/request), engine / plain %3.0f%%\n",
               round + 1, engine_rate, engine_connections, engine_cpu, plain_rate,
               plain_connections, plain_cpu, 100 * ratio);
    }
  if (side == NULL)
    {
      print_spread ("engine / plain, rate", ratios);
      print_spread ("plain / engine, CPU per request", cpu_ratios);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Ferry drain figures");
  g_autoptr(GError) error = NULL;
  gboolean want_nginx, want_soup;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  want_nginx = only == NULL || g_str_equal (only, "nginx");
  want_soup = only == NULL || g_str_equal (only, "soup");
  ferry_error_quark ();
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  /* Loopback only: no proxy lookups. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  signal (SIGPIPE, SIG_IGN);

  g_print ("Ferry drain benchmark (%u cores)\n", g_get_num_processors ());

  if (want_nginx)
    {
      Server server = { 0 };

      server.nginx = bench_nginx_start (nginx_path);
      if (server.nginx != NULL)
        {
          server.name = "nginx";
          server.url = g_strdup_printf ("http://127.0.0.1:%u/notes",
                                        bench_nginx_get_port (server.nginx));
          measure_server (&server);
          server_stop (&server);
        }
      else
        g_print ("nginx: not found (apt-get install nginx-light, or --nginx=PATH); skipped\n");
    }

  if (want_soup)
    {
      Server server = { 0 };

      server.name = "SoupServer (tests' server, own thread)";
      server.test_server = ferry_test_server_new ();
      server.url = ferry_test_server_url (server.test_server, "/notes");
      measure_server (&server);
      server_stop (&server);
    }
  return 0;
}
