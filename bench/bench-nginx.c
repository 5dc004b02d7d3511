/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-nginx"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-nginx.h"
#include "bench-util.h"

struct _BenchNginx
{
  char    *dir;
  char    *put_dir;         /* where PUT bodies go: memory when it can */
  GPid     pid;
  guint16  port;
  guint    status_queries;  /* each one is a connection of its own */
};

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
 * does not answer. */
static gboolean
query_status (BenchNginx *nginx,
              guint64    *accepts)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  static const char query[] = "GET /nginx_status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  const char *counts;
  char buffer[1024];
  gssize n;
  guint64 handled, requests;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", nginx->port, NULL, NULL);
  if (connection == NULL)
    return FALSE;
  nginx->status_queries++;
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  query, sizeof query - 1, NULL, NULL, NULL))
    return FALSE;
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (reply, buffer, n);
  counts = strstr (reply->str, "server accepts handled requests");
  if (counts == NULL ||
      sscanf (counts + strlen ("server accepts handled requests"), " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, accepts, &handled, &requests) != 3)
    g_error ("nginx: unexpected stub_status answer: %s", reply->str);
  return TRUE;
}

static char *
find_nginx (const char *binary)
{
  char *found;

  if (binary != NULL)
    return g_strdup (binary);
  found = g_find_program_in_path ("nginx");
  if (found == NULL && g_file_test ("/usr/sbin/nginx", G_FILE_TEST_IS_EXECUTABLE))
    found = g_strdup ("/usr/sbin/nginx");
  return found;
}

/**
 * bench_nginx_start:
 * @binary: (nullable): the nginx to run; %NULL looks in PATH and /usr/sbin
 *
 * Returns: (nullable): the running server, or %NULL when there is no nginx
 */
BenchNginx *
bench_nginx_start (const char *binary)
{
  g_autofree char *path = find_nginx (binary);
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *error_log = NULL;
  g_autoptr(GError) error = NULL;
  BenchNginx *nginx;
  guint64 accepts;
  const char *argv[8];
  gint64 deadline;

  if (path == NULL)
    return NULL;

  nginx = g_new0 (BenchNginx, 1);
  nginx->dir = g_dir_make_tmp ("ferry-bench-nginx-XXXXXX", &error);
  g_assert_no_error (error);
  /* PUT bodies are stored in memory (tmpfs) where there is one, so that
   * an upload measures the sending, not this disk. */
  nginx->put_dir = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ?
                   g_mkdtemp (g_strdup ("/dev/shm/ferry-bench-nginx-XXXXXX")) : NULL;
  if (nginx->put_dir == NULL)
    nginx->put_dir = g_strdup (nginx->dir);
  nginx->port = pick_free_port ();
  error_log = g_build_filename (nginx->dir, "error.log", NULL);
  config_path = g_build_filename (nginx->dir, "nginx.conf", NULL);
  /* One process (no master), so one process id to stop; every temporary
   * path in our directory. */
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
    "    location /files/ { root %1$s; sendfile on; }\n"
    /* PUT bodies are read to their end and written under files/, as a
     * WebDAV server stores them, whatever their size. */
    "    location /put/ {\n"
    "      root %3$s;\n"
    "      client_body_temp_path %3$s/body;\n"
    "      dav_methods PUT;\n"
    "      create_full_put_path on;\n"
    "      client_max_body_size 0;\n"
    "      client_body_buffer_size 1m;\n"
    "    }\n"
    "    location / { default_type text/plain; return 200 \"ok\\n\"; }\n"
    "  }\n"
    "}\n", nginx->dir, nginx->port, nginx->put_dir);
  if (!g_file_set_contents (config_path, config, -1, &error))
    g_error ("%s", error->message);

  argv[0] = path;
  argv[1] = "-p";
  argv[2] = nginx->dir;
  argv[3] = "-e";
  argv[4] = error_log;
  argv[5] = "-c";
  argv[6] = config_path;
  argv[7] = NULL;
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                      &nginx->pid, &error))
    {
      g_printerr ("nginx: cannot start %s: %s\n", path, error->message);
      if (!g_str_equal (nginx->put_dir, nginx->dir))
        bench_remove_tree (nginx->put_dir);
      bench_remove_tree (nginx->dir);
      g_free (nginx->put_dir);
      g_free (nginx->dir);
      g_free (nginx);
      return NULL;
    }

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!query_status (nginx, &accepts))
    {
      int status;

      if (waitpid (nginx->pid, &status, WNOHANG) == nginx->pid ||
          g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (error_log, &log, NULL, NULL);
          g_error ("nginx did not start: %s", log != NULL ? log : "(no log)");
        }
      g_usleep (20000);
    }
  return nginx;
}

guint16
bench_nginx_get_port (BenchNginx *nginx)
{
  return nginx->port;
}

/**
 * bench_nginx_dup_file_path:
 * @nginx: a running server
 * @name: a file name
 *
 * Returns: (transfer full): where to put a file that nginx serves as
 *   /files/@name (a PUT to /put/@name is stored under put/)
 */
char *
bench_nginx_dup_file_path (BenchNginx *nginx,
                           const char *name)
{
  g_autofree char *files = g_build_filename (nginx->dir, "files", NULL);

  g_mkdir_with_parents (files, 0700);
  return g_build_filename (files, name, NULL);
}

/**
 * bench_nginx_count_connections:
 * @nginx: a running server
 *
 * Returns: the connections it accepted so far, without our own status
 *   queries
 */
guint64
bench_nginx_count_connections (BenchNginx *nginx)
{
  guint64 accepts;

  if (!query_status (nginx, &accepts))
    g_error ("nginx stopped answering");
  return accepts - nginx->status_queries;
}

void
bench_nginx_stop (BenchNginx *nginx)
{
  int status;

  /* SIGQUIT: a graceful stop of the one process we started. */
  if (kill (nginx->pid, SIGQUIT) == 0)
    waitpid (nginx->pid, &status, 0);
  g_spawn_close_pid (nginx->pid);
  if (!g_str_equal (nginx->put_dir, nginx->dir))
    bench_remove_tree (nginx->put_dir);
  bench_remove_tree (nginx->dir);
  g_free (nginx->put_dir);
  g_free (nginx->dir);
  g_free (nginx);
}
