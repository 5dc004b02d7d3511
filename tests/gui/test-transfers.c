/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-client-transfers.h"
#include "ferry-gui-test-util.h"
#include "ferry-preferences-window.h"
#include "ferry-range-server.h"
#include "ferry-transfer-info.h"
#include "ferry-transfer-view.h"

/*
 * The Transfers view, driven for real: FerryApplication on a private bus
 * with the built ferryd downloading from a loopback range server (with a
 * rate limit, so a download is seen moving), on the test's own Xvfb.
 * Downloads are added through a client of the test's own, as an app
 * would; the person's buttons are pressed in the window.
 */

static struct
{
  ClientFixture     base;
  FerryRangeServer *server;
  FerryApplication *app;
  FerryWindow      *window;
  char             *dir;       /* the test's own, for destinations */
} fx;

#define APP_OWNER "org.example.Lessons"
#define SEED 7

static FerryClient *
test_client (void)
{
  return fx.base.client;
}

static FerryTransferView *
transfer_view (void)
{
  return ferry_window_get_transfer_view (fx.window);
}

/* Into @name in the test's directory, or with %NULL into Ferry's storage
 * for the app. */
static char *
download (const char *path,
          const char *name,
          guint64     size)
{
  g_autofree char *url = ferry_range_server_url (fx.server, path);
  g_autofree char *dest = name != NULL ? g_build_filename (fx.dir, name, NULL) : NULL;
  g_autoptr(FerryDownloadRequest) request = ferry_download_request_new (url);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  char *id;

  ferry_range_server_set_pattern (fx.server, path, size, SEED);
  ferry_range_server_set_validators (fx.server, path, "\"v1\"", NULL, NULL);
  if (name != NULL)
    {
      ferry_download_request_set_name (request, name);
      ferry_download_request_set_destination (request, dest);
    }
  ferry_download_request_set_expected_size (request, size);
  ferry_download_request_set_app_id (request, APP_OWNER);
  ferry_client_download_async (test_client (), request, NULL, client_store_result_cb, &result);
  id = ferry_client_download_finish (test_client (), client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  return id;
}

static FerryClientTaskState
task_state (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = client_get (test_client (), id, &error);

  g_assert_no_error (error);
  return ferry_task_info_get_state (info);
}

static FerryTransferRow *
wait_for_row (const char *id)
{
  FerryTransferRow *row;

  ferry_window_show_view (fx.window, "transfers");
  GUI_WAIT ((row = ferry_transfer_view_find_row (transfer_view (), id)) != NULL);
  GUI_WAIT (gtk_widget_is_drawable (GTK_WIDGET (row)));
  return row;
}

static FerryTransferInfo *
row_info (FerryTransferRow *row)
{
  return ferry_transfer_row_get_info (row);
}

static gboolean
button_shown (FerryTransferRow *row,
              const char       *name)
{
  GObject *button = gtk_widget_get_template_child (GTK_WIDGET (row), FERRY_TYPE_TRANSFER_ROW,
                                                   name);

  return gtk_widget_get_visible (GTK_WIDGET (button));
}

static gboolean
file_matches (const char *path,
              guint64     size)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *expected = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length != size)
    return FALSE;
  expected = g_malloc (size);
  ferry_range_pattern_fill (SEED, 0, expected, size);
  return memcmp (contents, expected, size) == 0;
}

/* A download shows moving with its bytes; Pause holds it where it is,
 * Resume lets it end, and the finished download offers Open. */
static void
test_progress_pause_resume (void)
{
  const guint64 size = 3 * 1000 * 1000;
  g_autofree char *id = NULL;
  g_autofree char *dest = g_build_filename (fx.dir, "lesson.pdf", NULL);
  FerryTransferRow *row;
  const char *progress;

  ferry_range_server_set_rate (fx.server, 500 * 1000);
  id = download ("/lesson", "lesson.pdf", size);
  row = wait_for_row (id);
  g_assert_false (button_shown (row, "open_button"));
  g_assert_true (button_shown (row, "cancel_button"));

  /* Moving: the bar and the words follow the bytes. */
  GUI_WAIT (ferry_transfer_row_get_fraction (row) > 0.0 &&
            ferry_transfer_info_get_state (row_info (row)) == FERRY_CLIENT_TASK_STATE_RUNNING);
  progress = gui_label_text (GTK_WIDGET (row), FERRY_TYPE_TRANSFER_ROW, "progress_label");
  g_assert_nonnull (strstr (progress, " of 3.0\u00a0MB"));
  g_assert_cmpstr (gui_label_text (GTK_WIDGET (row), FERRY_TYPE_TRANSFER_ROW, "title_label"),
                   ==, "lesson.pdf");
  g_assert_cmpuint (ferry_transfer_view_get_active_count (transfer_view ()), ==, 1);
  g_assert_cmpuint (ferry_window_get_view_count (fx.window, "transfers"), ==, 1);

  gui_click_button (GTK_WIDGET (row), "Pause");
  GUI_WAIT (ferry_transfer_info_get_paused (row_info (row)));
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_PENDING);
  GUI_WAIT (strstr (gui_label_text (GTK_WIDGET (row), FERRY_TYPE_TRANSFER_ROW, "state_label"),
                    "Paused") != NULL);
  g_assert_false (ferry_transfer_info_get_complete (row_info (row)));
  g_assert_cmpfloat (ferry_transfer_row_get_fraction (row), <, 1.0);

  ferry_range_server_set_rate (fx.server, 0);
  gui_click_button (GTK_WIDGET (row), "Resume");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  GUI_WAIT (ferry_transfer_info_get_complete (row_info (row)));
  g_assert_cmpfloat (ferry_transfer_row_get_fraction (row), ==, 1.0);
  g_assert_true (button_shown (row, "open_button"));
  g_assert_false (button_shown (row, "pause_button"));
  g_assert_false (button_shown (row, "cancel_button"));
  GUI_WAIT (ferry_window_get_view_count (fx.window, "transfers") == 0);
  g_assert_true (file_matches (dest, size));
}

static const char *
header_line (void)
{
  return gui_label_text (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW, "last_sync_label");
}

static gboolean
header_says (const char *start,
             const char *total)
{
  const char *line = header_line ();
  g_autofree char *end = g_strdup_printf (" of %s", total);

  /* The same words in the label and in what the window says it shows. */
  return g_str_has_prefix (line, start) && strstr (line, end) != NULL &&
         g_strcmp0 (line, ferry_window_get_last_sync_text (fx.window)) == 0;
}

/* While files move the header counts them and their bytes, under the
 * status (which speaks of the files too when they are all that moves); a
 * file held leaves the count, and once all ended the header says no more
 * of them. */
static void
test_header_bytes (void)
{
  g_autofree char *atlas = NULL;
  g_autofree char *lecture = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_range_server_set_rate (fx.server, 200 * 1000);
  atlas = download ("/atlas", "atlas.bin", 2 * 1000 * 1000);
  lecture = download ("/lecture", "lecture.ogg", 3 * 1000 * 1000);
  GUI_WAIT (header_says ("Downloading 2 files — ", "5.0\u00a0MB"));
  g_assert_cmpstr (ferry_window_get_status_text (fx.window), ==, "Downloading 2 files…");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW,
                                   "last_sync_label"))));

  ferry_client_pause_transfer_async (test_client (), atlas, NULL, client_store_result_cb,
                                     &result);
  g_assert_true (ferry_client_pause_transfer_finish (test_client (),
                                                     client_wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  GUI_WAIT (header_says ("Downloading 1 file — ", "3.0\u00a0MB"));

  ferry_range_server_set_rate (fx.server, 0);
  ferry_client_resume_transfer_async (test_client (), atlas, NULL, client_store_result_cb,
                                      &result);
  g_assert_true (ferry_client_resume_transfer_finish (test_client (),
                                                      client_wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  GUI_WAIT (task_state (atlas) == FERRY_CLIENT_TASK_STATE_SUCCEEDED &&
            task_state (lecture) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  GUI_WAIT (strstr (header_line (), "Downloading") == NULL);
  g_assert_null (strstr (ferry_window_get_last_sync_text (fx.window), "Downloading"));
}

/* Cancel stops a download for good: nothing under its name. */
static void
test_cancel (void)
{
  const guint64 size = 4 * 1000 * 1000;
  g_autofree char *id = NULL;
  g_autofree char *dest = g_build_filename (fx.dir, "map.tiles", NULL);
  FerryTransferRow *row;

  ferry_range_server_set_rate (fx.server, 400 * 1000);
  id = download ("/map", "map.tiles", size);
  row = wait_for_row (id);
  GUI_WAIT (ferry_transfer_row_get_fraction (row) > 0.0);
  gui_click_button (GTK_WIDGET (row), "Cancel");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_CANCELLED);
  GUI_WAIT (ferry_transfer_view_find_row (transfer_view (), id) == NULL ||
            !button_shown (ferry_transfer_view_find_row (transfer_view (), id),
                           "cancel_button"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  ferry_range_server_set_rate (fx.server, 0);
}

/* Pausing what already ended says why, in a toast. */
static void
test_pause_refused (void)
{
  g_autofree char *id = NULL;
  g_autofree char *toast = NULL;
  FerryTransferRow *row;

  id = download ("/small", "small.txt", 1000);
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  row = wait_for_row (id);
  GUI_WAIT (ferry_transfer_info_get_complete (row_info (row)));
  g_signal_emit_by_name (row, "action", "pause");
  toast = g_strdup_printf ("Could not pause: “%s” is no download or upload in progress", id);
  GUI_WAIT (gui_find_toast_title (GTK_WIDGET (fx.window), toast));
}

static gboolean
transfer_listed (const char *id)
{
  g_autoptr(GPtrArray) transfers = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ferry_client_list_transfers_async (test_client (), NULL, NULL, client_store_result_cb,
                                     &result);
  transfers = ferry_client_list_transfers_finish (test_client (), client_wait_result (&result),
                                                  &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  for (guint i = 0; i < transfers->len; i++)
    if (g_strcmp0 (ferry_transfer_info_get_id (g_ptr_array_index (transfers, i)), id) == 0)
      return TRUE;
  return FALSE;
}

/* Preferences show each app's use of Ferry's storage; Clean Up, once
 * confirmed, removes its downloaded files. */
static void
test_storage_clean_up (void)
{
  g_autofree char *id = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.ferrysync.Ferry");
  GtkWindow *preferences;
  GtkWidget *page;
  GtkWindow *dialog;
  GtkSpinButton *quota_spin;
  AdwActionRow *row;

  id = download ("/notes", NULL, 2000);
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  g_settings_set_uint64 (settings, "storage-quota", 50 * 1000 * 1000);

  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "preferences", NULL);
  GUI_WAIT ((preferences = gui_find_toplevel (FERRY_TYPE_PREFERENCES_WINDOW)) != NULL);
  page = gui_find_widget (GTK_WIDGET (preferences), FERRY_TYPE_STORAGE_PAGE, NULL, NULL);
  g_assert_nonnull (page);
  quota_spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (page, FERRY_TYPE_STORAGE_PAGE,
                                                               "quota_spin"));
  g_assert_cmpfloat (gtk_spin_button_get_value (quota_spin), ==, 50.0);
  GUI_WAIT ((row = ferry_storage_page_find_row (FERRY_STORAGE_PAGE (page), APP_OWNER)) != NULL);
  /* ferryd keeps its own settings here (a memory backend per process):
   * its quota is the default. */
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "2.0\u00a0kB in 1 file, of 100.0\u00a0MB");

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  GUI_WAIT (gtk_widget_is_drawable (GTK_WIDGET (row)));
  gui_click_button (GTK_WIDGET (row), "Remove this app’s downloaded files");
  GUI_WAIT ((dialog = gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  GUI_WAIT (!transfer_listed (id));
  GUI_WAIT (ferry_storage_page_get_loaded (FERRY_STORAGE_PAGE (page)) &&
            ferry_storage_page_find_row (FERRY_STORAGE_PAGE (page), APP_OWNER) == NULL);

  gtk_window_destroy (preferences);
  g_settings_reset (settings, "storage-quota");
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

static int status;
static gpointer app_client;    /* weak: the application's client */

static gboolean
run_tests (gpointer user_data)
{
  GUI_WAIT ((fx.window = ferry_application_get_window (fx.app)) != NULL);
  g_object_ref (fx.window);
  GUI_WAIT (ferry_client_get_agent_running (ferry_window_get_client (fx.window)));
  /* Not one of the isolated directories each test gets: those go with it. */
  fx.dir = g_dir_make_tmp ("ferry-test-transfers-XXXXXX", NULL);
  g_assert_nonnull (fx.dir);
  GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (fx.window)));
  app_client = ferry_window_get_client (fx.window);
  g_object_add_weak_pointer (app_client, &app_client);

  status = g_test_run ();
  remove_dir (fx.dir);
  g_clear_pointer (&fx.dir, g_free);

  g_clear_object (&fx.window);
  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  char *app_argv[] = { argv[0], NULL };

  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/transfers/progress-pause-resume", test_progress_pause_resume);
  g_test_add_func ("/gui/transfers/header-bytes", test_header_bytes);
  g_test_add_func ("/gui/transfers/cancel", test_cancel);
  g_test_add_func ("/gui/transfers/pause-refused", test_pause_refused);
  g_test_add_func ("/gui/transfers/storage-clean-up", test_storage_clean_up);

  fx.server = ferry_range_server_new ();
  client_fixture_set_up (&fx.base, "full", FERRY_CLIENT_FLAGS_NONE);
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.ferrysync.Ferry");

    g_settings_set_boolean (settings, "notifications", FALSE);
  }

  fx.app = ferry_application_new ();
  g_idle_add (run_tests, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (fx.app), 1, app_argv), ==, 0);
  g_clear_object (&fx.app);

  GUI_WAIT (app_client == NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  client_fixture_tear_down (&fx.base);
  g_clear_pointer (&fx.server, ferry_range_server_free);
  return status;
}
