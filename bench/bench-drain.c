/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-drain"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

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

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Servers ----------------------------------------------------------------- */

typedef struct
{
  const char      *name;
  char            *url;            /* where the requests go */

  /* nginx */
  char            *dir;
  GPid             pid;
  guint16          port;
  guint            status_queries; /* each one is a connection of its own */

  /* SoupServer */
  FerryTestServer *test_server;
} Server;

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!g_socket_bind (socket, any, FALSE, &error))
    g_error ("cannot bind a port: %s", error->message);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* One stub_status request on a connection of its own; FALSE while nginx
 * does not answer yet. */
static gboolean
query_nginx_status (Server  *server,
                    guint64 *accepts,
                    guint64 *requests)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  static const char query[] = "GET /nginx_status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  const char *counts;
  char buffer[1024];
  gssize n;
  guint64 handled;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, NULL);
  if (connection == NULL)
    return FALSE;
  server->status_queries++;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  query, sizeof query - 1, NULL, NULL, NULL))
    return FALSE;
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (reply, buffer, n);
  counts = strstr (reply->str, "server accepts handled requests");
  if (counts == NULL ||
      sscanf (counts + strlen ("server accepts handled requests"), " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, accepts, &handled, requests) != 3)
    g_error ("nginx: unexpected stub_status answer: %s", reply->str);
  return TRUE;
}

static char *
find_nginx (void)
{
  char *found;

  if (nginx_path != NULL)
    return g_strdup (nginx_path);
  found = g_find_program_in_path ("nginx");
  if (found == NULL && g_file_test ("/usr/sbin/nginx", G_FILE_TEST_IS_EXECUTABLE))
    found = g_strdup ("/usr/sbin/nginx");
  return found;
}

static gboolean
nginx_start (Server *server)
{
  g_autofree char *binary = find_nginx ();
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *error_log = NULL;
  g_autoptr(GError) error = NULL;
  guint64 accepts, requests;
  const char *argv[8];
  gint64 deadline;

  if (binary == NULL)
    return FALSE;

  server->name = "nginx";
  server->dir = g_dir_make_tmp ("ferry-bench-nginx-XXXXXX", &error);
  g_assert_no_error (error);
  server->port = pick_free_port ();
  error_log = g_build_filename (server->dir, "error.log", NULL);
  config_path = g_build_filename (server->dir, "nginx.conf", NULL);
  /* One process (no master, one worker's work), so one process id to
   * stop; every temporary path in our directory. */
  config = g_strdup_printf (
    "daemon off;\n"
    "master_process off;\n"
    "worker_processes 1;\n"
    "pid %1$s/nginx.pid;\n"
    "error_log %1$s/error.log warn;\n"
    "events { worker_connections 1024; }\n"
    "http {\n"
    "  access_log off;\n"
    "  keepalive_timeout 300s;\n"
    "  keepalive_requests 1000000;\n"
    "  client_body_temp_path %1$s/body;\n"
    "  proxy_temp_path %1$s/proxy;\n"
    "  fastcgi_temp_path %1$s/fastcgi;\n"
    "  uwsgi_temp_path %1$s/uwsgi;\n"
    "  scgi_temp_path %1$s/scgi;\n"
    "  server {\n"
    "    listen 127.0.0.1:%2$u;\n"
    "    location = /nginx_status { stub_status; }\n"
    "    location / { default_type text/plain; return 200 \"ok\\n\"; }\n"
    "  }\n"
    "}\n", server->dir, server->port);
  if (!g_file_set_contents (config_path, config, -1, &error))
    g_error ("%s", error->message);

  argv[0] = binary;
  argv[1] = "-p";
  argv[2] = server->dir;
  argv[3] = "-e";
  argv[4] = error_log;
  argv[5] = "-c";
  argv[6] = config_path;
  argv[7] = NULL;
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                      &server->pid, &error))
    {
      g_printerr ("nginx: cannot start %s: %s\n", binary, error->message);
      remove_tree (server->dir);
      g_clear_pointer (&server->dir, g_free);
      return FALSE;
    }

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!query_nginx_status (server, &accepts, &requests))
    {
      int status;

      if (waitpid (server->pid, &status, WNOHANG) == server->pid ||
          g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (error_log, &log, NULL, NULL);
          g_error ("nginx did not start: %s", log != NULL ? log : "(no log)");
        }
      g_usleep (20000);
    }
  server->url = g_strdup_printf ("http://127.0.0.1:%u/notes", server->port);
  return TRUE;
}

static void
nginx_stop (Server *server)
{
  int status;

  /* SIGQUIT: graceful shutdown of the one process we started. */
  if (kill (server->pid, SIGQUIT) == 0)
    waitpid (server->pid, &status, 0);
  g_spawn_close_pid (server->pid);
  remove_tree (server->dir);
  g_clear_pointer (&server->dir, g_free);
}

/* Connections the server accepted so far, not counting our own status
 * queries. */
static guint64
server_count_connections (Server *server)
{
  guint64 accepts, requests;

  if (server->test_server != NULL)
    return ferry_test_server_count_connections (server->test_server);
  if (!query_nginx_status (server, &accepts, &requests))
    g_error ("nginx stopped answering");
  return accepts - server->status_queries;
}

static void
server_stop (Server *server)
{
  if (server->test_server != NULL)
    ferry_test_server_free (server->test_server);
  else
    nginx_stop (server);
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
measure_engine (const char *url)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "drain.db", NULL);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  g_autoptr(GError) error = NULL;
  Engine engine = { 0 };
  gint64 now = g_get_real_time ();
  gint64 start;
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
  if (!ferry_sync_manager_start (engine.manager, &error))
    g_error ("%s", error->message);
  while (!engine.finished)
    g_main_context_iteration (NULL, TRUE);
  elapsed = seconds_since (start);

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
  remove_tree (dir);
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
measure_plain (const char *url)
{
  PlainLoop loop = { 0 };
  gint64 start;
  double elapsed;

  loop.session = soup_session_new ();
  loop.url = url;
  loop.body = g_bytes_new_static (request_body, sizeof request_body - 1);
  start = g_get_monotonic_time ();
  for (int i = 0; i < in_flight; i++)
    send_next (&loop);
  while (loop.done < n_tasks)
    g_main_context_iteration (NULL, TRUE);
  elapsed = seconds_since (start);

  g_clear_object (&loop.session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_bytes_unref (loop.body);
  return n_tasks / elapsed;
}

/* Rounds ------------------------------------------------------------------------ */

static void
measure_server (Server *server)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  double lowest = G_MAXDOUBLE, highest = 0;

  g_print ("%s on 127.0.0.1, keep-alive; %d POSTs each, %d in flight:\n", server->name, n_tasks,
           in_flight);
  for (int round = 0; round < rounds; round++)
    {
      double engine_rate = 0, plain_rate = 0, ratio;
      guint64 engine_connections = 0, plain_connections = 0;

      for (int turn = 0; turn < 2; turn++)
        {
          gboolean engine_turn = (turn == 0) == (round % 2 == 1);
          guint64 before = server_count_connections (server);

          if (side != NULL && !g_str_equal (side, engine_turn ? "engine" : "plain"))
            continue;
          if (engine_turn)
            {
              engine_rate = measure_engine (server->url);
              engine_connections = server_count_connections (server) - before;
            }
          else
            {
              plain_rate = measure_plain (server->url);
              plain_connections = server_count_connections (server) - before;
            }
        }
      if (side != NULL)
        {
          g_print ("  round %d: %s %6.0f per second (%" G_GUINT64_FORMAT " connections)\n",
                   round + 1, side, engine_rate + plain_rate,
                   engine_connections + plain_connections);
          continue;
        }
      ratio = engine_rate / plain_rate;
      lowest = MIN (lowest, ratio);
      highest = MAX (highest, ratio);
      g_print ("  round %d: engine %6.0f tasks/s (%" G_GUINT64_FORMAT " connections), "
               "plain libsoup %6.0f requests/s (%" G_GUINT64_FORMAT " connections), "
               "engine / plain %3.0f%%\n",
               round + 1, engine_rate, engine_connections, plain_rate, plain_connections,
               100 * ratio);
    }
  if (rounds > 1 && side == NULL)
    g_print ("  engine / plain over %d rounds: %.0f-%.0f%%\n", rounds, 100 * lowest,
             100 * highest);
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

      if (nginx_start (&server))
        {
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
