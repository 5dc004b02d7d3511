/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-dbus"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-agent-fixture.h"
#include "ferry-test-util.h"

/*
 * Figures for ferryd over D-Bus, printed, not judged:
 *
 *  1. pipelined Enqueue from one client connection (many calls in flight),
 *     each durable when its reply arrives;
 *  2. List of one 100-row page out of 100,000 tasks, at the start, the
 *     middle and the end of the queue, and with a state filter.
 *
 * The real built ferryd runs on a private bus, started by D-Bus activation,
 * offline so that nothing drains while it is measured.
 */

static int n_tasks = 100000;
static int in_flight = 100;

static GOptionEntry entries[] = {
  { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Tasks to enqueue", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight, "Enqueue calls in flight at once", "N" },
  { NULL }
};

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
  g_variant_builder_add (&request, "{sv}", "url",
                         g_variant_new_string ("https://notes.example.com/api/notes"));
  g_variant_builder_add (&request, "{sv}", "headers", g_variant_builder_end (&headers));
  g_variant_builder_add (&request, "{sv}", "body",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, body, strlen (body), 1));
  g_variant_builder_add (&request, "{sv}", "content-type",
                         g_variant_new_string ("application/json"));
  g_variant_builder_add (&request, "{sv}", "app-id", g_variant_new_string ("org.example.Bench"));
  g_dbus_connection_call (pipeline->connection, "io.github.ferrysync.Ferry",
                          "/io/github/ferrysync/Ferry", "io.github.ferrysync.Ferry1",
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

      reply = g_dbus_connection_call_sync (connection, "io.github.ferrysync.Ferry",
                                           "/io/github/ferrysync/Ferry",
                                           "io.github.ferrysync.Ferry1", "List",
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- ferryd D-Bus figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  FerryAgentFixture fixture = { 0 };
  double first_rate, rest_rate;
  int first = MIN (20000, n_tasks);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  first = MIN (20000, n_tasks);

  /* Everything the bus and ferryd write goes under one directory of ours. */
  tmp = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("G_TEST_TMPDIR", tmp, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  ferry_agent_bus_up ();
  ferry_agent_fixture_set_up (&fixture, "offline");
  g_print ("ferryd D-Bus benchmark (%u cores)\n", g_get_num_processors ());

  first_rate = enqueue_batch (fixture.connection, first);
  rest_rate = n_tasks > first ? enqueue_batch (fixture.connection, n_tasks - first) : first_rate;
  g_print ("pipelined Enqueue, one connection, %d calls in flight:\n", in_flight);
  g_print ("  first %6d tasks: %8.0f tasks/s (each durable when answered)\n", first, first_rate);
  if (n_tasks > first)
    g_print ("  next  %6d tasks: %8.0f tasks/s\n", n_tasks - first, rest_rate);

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

  ferry_agent_fixture_tear_down (&fixture);
  ferry_agent_bus_down ();
  remove_tree (tmp);
  return 0;
}
