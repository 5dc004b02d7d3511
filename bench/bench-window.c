/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ferry-task-store.h"
#include "ferry-dbus-test-config.h"
#include "ferry-gui-test-util.h"

/*
 * The window over a long queue: ferryd on a private bus with 100,000
 * pending tasks (written straight into its database beforehand, offline so
 * nothing drains), and the real window on an Xvfb of its own.  Prints how
 * long the window takes to show its first rows, to show rows after a jump
 * to the middle and to the end of the list, how many pages it fetched, and
 * its resident memory.  Goals: first rows under 1 s, at most 150 MB.
 *
 *   _build/bench/bench-window [-n TASKS]
 */

static int n_tasks = 100000;

static const GOptionEntry entries[] = {
  { "tasks", 'n', 0, G_OPTION_ARG_INT, &n_tasks, "Tasks in the queue (default 100000)", "N" },
  { NULL }
};

static struct
{
  FerryApplication *app;
  FerryWindow      *window;
  gpointer          client;      /* weak: the application's client */
  gint64            started;
} bench;

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static long
read_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

static void
fill_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "tasks.db", NULL);
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 start = g_get_monotonic_time ();

  store = ferry_task_store_new (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  for (int done = 0; done < n_tasks;)
    {
      g_autoptr(GPtrArray) tasks = NULL;

      tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);

      for (int i = 0; i < 5000 && done < n_tasks; i++, done++)
        {
          FerryTask *task = ferry_task_new ();
          char *body = g_strdup_printf ("{\"id\":%d,\"title\":\"Note %d\"}", done, done);

          task->owner = g_strdup (done % 3 == 0 ? "org.example.Mail" : "org.example.Notes");
          task->name = g_strdup_printf ("note-%d", done);
          task->method = g_strdup ("PUT");
          task->url = g_strdup_printf ("https://notes.example.com/api/notes/%d", done);
          task->body = g_bytes_new_take (body, strlen (body));
          task->content_type = g_strdup ("application/json");
          task->priority = done % 50 == 0 ? FERRY_PRIORITY_HIGH : FERRY_PRIORITY_MEDIUM;
          task->created = task->updated = task->next_attempt = now;
          g_ptr_array_add (tasks, task);
        }
      if (!ferry_task_store_enqueue (store, tasks, NULL, &error))
        g_error ("%s", error->message);
    }
  g_print ("queue: %d pending tasks written in %.1f s\n", n_tasks, ms_since (start) / 1000);
}

static void
remove_store (const char *dir)
{
  const char *names[] = { "tasks.db", "tasks.db-wal", "tasks.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Some rows are on screen and every one of them shows its task. */
static gboolean
rows_shown (FerryTaskView *view)
{
  GtkWidget *list_view = GTK_WIDGET (ferry_task_view_get_list_view (view));
  guint shown = 0;

  if (!gtk_widget_get_mapped (list_view))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      FerryTaskInfo *info;

      if (row == NULL || !FERRY_IS_TASK_ROW (row) || !gtk_widget_get_mapped (row))
        continue;
      info = ferry_task_row_get_info (FERRY_TASK_ROW (row));
      if (info == NULL || !ferry_task_info_get_loaded (info))
        return FALSE;
      shown++;
    }
  return shown > 0;
}

static double
jump_to (FerryTaskView *view,
         double         fraction)
{
  GtkAdjustment *adjustment;
  GtkListView *list_view;
  gint64 start = g_get_monotonic_time ();

  list_view = ferry_task_view_get_list_view (view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  gtk_adjustment_set_value (adjustment,
                            fraction * (gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment)));
  /* Let the list view lay out the new rows before judging them. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  FERRY_TEST_WAIT (rows_shown (view), 60000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  return ms_since (start);
}

static gboolean
measure (gpointer user_data)
{
  FerryTaskView *view;
  FerryTaskList *list;
  double first;
  double middle;
  double end;
  long rss_first;

  FERRY_TEST_WAIT ((bench.window = ferry_application_get_window (bench.app)) != NULL, 60000);
  view = ferry_window_get_view (bench.window, "pending");
  FERRY_TEST_WAIT (rows_shown (view), 60000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (bench.window));
  first = ms_since (bench.started);
  rss_first = read_rss_kib ();

  list = ferry_task_view_get_list (view);
  g_print ("window: first rows shown %.0f ms after start (goal: under 1000 ms)\n", first);
  g_print ("window: %u tasks listed, %u list calls, %u pages cached\n",
           g_list_model_get_n_items (G_LIST_MODEL (list)),
           ferry_task_list_get_list_calls (list), ferry_task_list_get_n_cached_pages (list));
  g_print ("window: resident memory %.1f MB with the first rows (goal: at most 150 MB)\n",
           rss_first / 1024.0);

  middle = jump_to (view, 0.5);
  end = jump_to (view, 1.0);
  g_print ("window: rows shown %.0f ms after a jump to the middle, %.0f ms after a jump "
           "to the end\n", middle, end);
  g_print ("window: %u list calls, %u pages cached after the jumps\n",
           ferry_task_list_get_list_calls (list), ferry_task_list_get_n_cached_pages (list));
  g_print ("window: resident memory %.1f MB after the jumps\n", read_rss_kib () / 1024.0);

  bench.client = ferry_window_get_client (bench.window);
  g_object_add_weak_pointer (bench.client, &bench.client);
  g_action_group_activate_action (G_ACTION_GROUP (bench.app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  char *app_argv[] = { argv[0], NULL };
  gint64 start;

  setlocale (LC_ALL, "C.UTF-8");
  context = g_option_context_new ("— the window over a long queue");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("ferry-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  fill_store (dir);

  /* As the tests run it: no GPU under Xvfb, no accessibility bus. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", FERRY_GSCHEMA_DIR, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  gui_start_xvfb ();
  /* Before the bus: GTestDBus unsets DISPLAY. */
  gtk_init ();

  /* The bus hands its environment on to ferryd when it starts it. */
  g_setenv ("FERRY_DATA_DIR", dir, TRUE);
  g_setenv ("FERRY_TEST_NETWORK", "offline", TRUE);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus, FERRY_TEST_SERVICES_DIR);
  g_test_dbus_up (bus);

  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.ferrysync.Ferry");

    g_settings_set_boolean (settings, "notifications", FALSE);
    g_settings_set_boolean (settings, "show-tray", FALSE);
  }

  /* The agent first, so that the window's figure is the window's. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
    g_autoptr(GVariant) reply = NULL;

    g_assert_no_error (error);
    reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                         "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                         "StartServiceByName",
                                         g_variant_new ("(su)", FERRY_DBUS_NAME, 0u),
                                         G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                         120000, NULL, &error);
    g_assert_no_error (error);
  }
  g_print ("agent: started over %d tasks in %.0f ms\n", n_tasks, ms_since (start));

  bench.app = ferry_application_new ();
  bench.started = g_get_monotonic_time ();
  g_idle_add (measure, NULL);
  g_application_run (G_APPLICATION (bench.app), 1, app_argv);
  g_clear_object (&bench.app);

  /* The bus goes down only when nothing holds its connection. */
  FERRY_TEST_WAIT (bench.client == NULL, 20000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_dbus_down (bus);
  remove_store (dir);
  return 0;
}
