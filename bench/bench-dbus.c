/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-dbus"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-agent-fixture.h"
#include "ferry-test-util.h"

#include "bench-nginx.h"
#include "bench-util.h"

/*
 * Figures for ferryd over D-Bus, printed, not judged:
 *
 *  1. pipelined Enqueue from one client connection (many calls in flight),
 *     each durable when its reply arrives: the rate of each 20,000 and
 *     the rate sustained from an empty queue to 100,000 queued;
 *  2. ferryd's resident memory with 100,000 queued;
 *  3. List of one 100-row page out of 100,000 tasks, at the start, the
 *     middle and the end of the queue, and with a state filter;
 *  4. ferryd delivering the whole queue to a keep-alive server on
 *     127.0.0.1 (nginx when installed, else the tests' SoupServer), and
 *     its resident memory after that.
 *
 * The real built ferryd runs on a private bus, started by D-Bus activation,
 * paused so that nothing drains while the queue fills; Resume starts 4.
 */

static int n_tasks = 100000;
static int in_flight = 100;
static int settle = 0;
static gboolean no_drain = FALSE;
static char *nginx_path = NULL;

static GOptionEntry entries[] = {
  { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Tasks to enqueue", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight, "Enqueue calls in flight at once", "N" },
  { "settle", 0, 0, G_OPTION_ARG_INT, &settle,
    "Seconds to wait after ferryd started, e.g. to attach a profiler", "S" },
  { "no-drain", 0, 0, G_OPTION_ARG_NONE, &no_drain, "Do not deliver the queue at the end", NULL },
  { "nginx", 0, 0, G_OPTION_ARG_FILENAME, &nginx_path, "The nginx binary", "PATH" },
  { NULL }
};

static const char *target_url;

typedef struct
{
  GDBusConnection *connection;
  int              sent;
  int              done;
  int              target;
} Pipeline;

static void send_one (Pipeline *pipeline);

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pipeline *pipeline = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_error ("Enqueue: %s", error->message);
  pipeline->done++;
  send_one (pipeline);
}

static void
send_one (Pipeline *pipeline)
{
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  GVariantBuilder request;
  GVariantBuilder headers;

  if (pipeline->sent >= pipeline->target)
    return;
  pipeline->sent++;

  body = g_strdup_printf ("{\"id\":%d,\"title\":\"Note %d\",\"done\":false}",
                          pipeline->sent, pipeline->sent);
  g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&headers, "{ss}", "X-Client", "bench");
  g_variant_builder_init (&request, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&request, "{sv}", "method", g_variant_new_string ("POST"));
  g_variant_builder_add (&request, "{sv}", "url", g_variant_new_string (target_url));
  g_variant_builder_add (&request, "{sv}", "headers", g_variant_builder_end (&headers));
  g_variant_builder_add (&request, "{sv}", "body",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, body, strlen (body), 1));
  g_variant_builder_add (&request, "{sv}", "content-type",
                         g_variant_new_string ("application/json"));
  g_variant_builder_add (&request, "{sv}", "app-id", g_variant_new_string ("org.example.Bench"));
  g_dbus_connection_call (pipeline->connection, FERRY_DBUS_NAME,
                          FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE,
                          "Enqueue", g_variant_new ("(a{sv})", &request),
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                          enqueue_cb, pipeline);
}

static double
enqueue_batch (GDBusConnection *connection,
               int              count)
{
  Pipeline pipeline = { connection, 0, 0, count };
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < in_flight; i++)
    send_one (&pipeline);
  while (pipeline.done < count)
    g_main_context_iteration (NULL, TRUE);
  return count / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Median of 21 calls of List for one page, in milliseconds. */
static double
time_list (GDBusConnection *connection,
           GVariant        *filter,
           guint            offset)
{
  double samples[21];

  g_variant_ref_sink (filter);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) tasks = NULL;
      gint64 start = g_get_monotonic_time ();

      reply = g_dbus_connection_call_sync (connection, FERRY_DBUS_NAME,
                                           FERRY_DBUS_PATH,
                                           FERRY_DBUS_INTERFACE, "List",
                                           g_variant_new ("(@a{sv}uu)", filter, offset, 100),
                                           G_VARIANT_TYPE ("(aa{sv})"),
                                           G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, &error);
      if (reply == NULL)
        g_error ("List: %s", error->message);
      samples[i] = (g_get_monotonic_time () - start) / 1000.0;
      tasks = g_variant_get_child_value (reply, 0);
      if (g_variant_n_children (tasks) != 100)
        g_error ("List returned %" G_GSIZE_FORMAT " rows", g_variant_n_children (tasks));
    }
  g_variant_unref (filter);
  qsort (samples, G_N_ELEMENTS (samples), sizeof samples[0], compare_doubles);
  return samples[G_N_ELEMENTS (samples) / 2];
}

static GVariant *
empty_filter (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
}

static GVariant *
pending_filter (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "state", g_variant_new_string ("pending"));
  return g_variant_builder_end (&builder);
}

static void
call_agent (GDBusConnection *connection,
            const char      *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (connection, FERRY_DBUS_NAME,
                                       FERRY_DBUS_PATH,
                                       FERRY_DBUS_INTERFACE, method, NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, &error);
  if (reply == NULL)
    g_error ("%s: %s", method, error->message);
}

static guint
get_pending_count (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (connection, FERRY_DBUS_NAME,
                                       FERRY_DBUS_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", FERRY_DBUS_INTERFACE,
                                                      "PendingCount"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       -1, NULL, &error);
  if (reply == NULL)
    g_error ("PendingCount: %s", error->message);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_uint32 (value);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- ferryd D-Bus figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *url = NULL;
  FerryAgentFixture fixture = { 0 };
  BenchNginx *nginx = NULL;
  FerryTestServer *test_server = NULL;
  const char *server_name;
  double rss, peak;
  gint64 start;
  double total_seconds = 0;
  int segment = 20000;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* Everything the bus and ferryd write goes under one directory of ours. */
  tmp = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("G_TEST_TMPDIR", tmp, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  /* Where the queue goes in the end. */
  nginx = no_drain ? NULL : bench_nginx_start (nginx_path);
  if (nginx != NULL)
    {
      server_name = "nginx";
      url = g_strdup_printf ("http://127.0.0.1:%u/api/notes", bench_nginx_get_port (nginx));
    }
  else
    {
      server_name = "the tests' SoupServer";
      test_server = ferry_test_server_new ();
      url = ferry_test_server_url (test_server, "/api/notes");
    }
  target_url = url;

  ferry_agent_bus_up ();
  ferry_agent_fixture_set_up (&fixture, "full");
  call_agent (fixture.connection, "Pause");
  g_print ("ferryd D-Bus benchmark (%u cores), ferryd pid %u\n", g_get_num_processors (),
           fixture.ferryd_pid);
  bench_read_memory (fixture.ferryd_pid, &rss, &peak);
  g_print ("ferryd started: RSS %.1f MB\n", rss);
  if (settle > 0)
    g_usleep (settle * G_USEC_PER_SEC);

  g_print ("pipelined Enqueue, one connection, %d calls in flight, each durable when "
           "answered:\n", in_flight);
  for (int done = 0; done < n_tasks;)
    {
      int count = MIN (segment, n_tasks - done);
      double rate = enqueue_batch (fixture.connection, count);

      total_seconds += count / rate;
      g_print ("  tasks %6d-%6d: %8.0f tasks/s\n", done + 1, done + count, rate);
      done += count;
    }
  g_print ("  sustained, empty to %d queued: %.0f tasks/s\n", n_tasks, n_tasks / total_seconds);
  bench_read_memory (fixture.ferryd_pid, &rss, &peak);
  g_print ("ferryd with %d queued: RSS %.1f MB (peak %.1f MB)\n", n_tasks, rss, peak);

  if (n_tasks >= 100000)
    {
      g_print ("List, one 100-row page out of %d tasks (median of 21):\n", n_tasks);
      g_print ("  offset 0:        %6.2f ms\n", time_list (fixture.connection, empty_filter (), 0));
      g_print ("  offset %6d:   %6.2f ms\n", n_tasks / 2,
               time_list (fixture.connection, empty_filter (), n_tasks / 2));
      g_print ("  offset %6d:   %6.2f ms\n", n_tasks - 100,
               time_list (fixture.connection, empty_filter (), n_tasks - 100));
      g_print ("  state=pending, offset 0: %6.2f ms\n",
               time_list (fixture.connection, pending_filter (), 0));
    }

  if (!no_drain)
    {
      guint64 before = nginx != NULL ? bench_nginx_count_connections (nginx)
                                     : ferry_test_server_count_connections (test_server);
      guint64 connections;
      double seconds;

      start = g_get_monotonic_time ();
      call_agent (fixture.connection, "Resume");
      while (get_pending_count (fixture.connection) > 0)
        g_usleep (50000);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      connections = (nginx != NULL ? bench_nginx_count_connections (nginx)
                                   : ferry_test_server_count_connections (test_server)) - before;
      g_print ("ferryd delivering the %d tasks to %s on 127.0.0.1 (keep-alive):\n", n_tasks,
               server_name);
      g_print ("  %.0f tasks/s, %" G_GUINT64_FORMAT " connections opened\n", n_tasks / seconds,
               connections);
      bench_read_memory (fixture.ferryd_pid, &rss, &peak);
      g_print ("ferryd after delivering them: RSS %.1f MB (peak %.1f MB)\n", rss, peak);
    }

  ferry_agent_fixture_tear_down (&fixture);
  ferry_agent_bus_down ();
  if (nginx != NULL)
    bench_nginx_stop (nginx);
  g_clear_pointer (&test_server, ferry_test_server_free);
  bench_remove_tree (tmp);
  return 0;
}
