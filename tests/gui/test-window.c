/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "ferry-collection-details.h"
#include "ferry-collections-view.h"
#include "ferry-conflict-window.h"
#include "ferry-rest-server.h"
#include "ferry-details-window.h"
#include "ferry-doc-conflicts.h"
#include "ferry-preferences-window.h"
#include "ferry-gui-test-util.h"

/*
 * The window, driven for real: FerryApplication on a private bus with the
 * built ferryd (started by D-Bus activation, as on a desktop) delivering
 * to a loopback HTTP server, on the test's own Xvfb.  Tasks are added and
 * inspected through a client of the test's own, as another app would.
 *
 * An application registers on the process's session bus connection, so
 * the bus, the agent and the application are set up once for the program;
 * each test starts from an agent that is running, not paused and holds
 * nothing but history.
 */

static struct
{
  ClientFixture     base;      /* the bus, and the test's own client */
  FerryTestServer  *server;
  FerryApplication *app;
  FerryWindow      *window;
} fx;

#define APP_OWNER "org.example.Notes"

static FerryClient *
test_client (void)
{
  return fx.base.client;
}

static FerryClient *
window_client (void)
{
  return ferry_window_get_client (fx.window);
}

static char *
enqueue_full (const char         *path,
              const char         *name,
              FerryClientPriority priority,
              const char * const *headers)
{
  g_autofree char *url = ferry_test_server_url (fx.server, path);
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GError) error = NULL;
  char *id;

  ferry_request_set_body_text (request, "{\"title\":\"Shopping list\"}", "application/json");
  ferry_request_set_app_id (request, APP_OWNER);
  ferry_request_set_priority (request, priority);
  if (name != NULL)
    ferry_request_set_name (request, name);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    ferry_request_add_header (request, headers[i], headers[i + 1]);
  id = client_enqueue (test_client (), request, &error);
  g_assert_no_error (error);
  return id;
}

static char *
enqueue (const char *path,
         const char *name)
{
  return enqueue_full (path, name, FERRY_CLIENT_PRIORITY_MEDIUM, NULL);
}

static FerryClientTaskState
task_state (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = client_get (test_client (), id, &error);

  g_assert_no_error (error);
  return ferry_task_info_get_state (info);
}

static void
call_pause (gboolean paused)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (paused)
    {
      ferry_client_pause_async (test_client (), NULL, client_store_result_cb, &result);
      ferry_client_pause_finish (test_client (), client_wait_result (&result), &error);
    }
  else
    {
      ferry_client_resume_async (test_client (), NULL, client_store_result_cb, &result);
      ferry_client_resume_finish (test_client (), client_wait_result (&result), &error);
    }
  g_assert_no_error (error);
  GUI_WAIT (ferry_client_get_paused (window_client ()) == paused);
}

static FerryTaskView *
view (const char *kind)
{
  return ferry_window_get_view (fx.window, kind);
}

static FerryTaskRow *
wait_for_row (const char *kind,
              const char *id)
{
  FerryTaskRow *row;

  ferry_window_show_view (fx.window, kind);
  GUI_WAIT ((row = gui_find_row (view (kind), id)) != NULL);
  return row;
}

static GtkWidget *
row_child (FerryTaskRow *row,
           const char   *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), FERRY_TYPE_TASK_ROW, name));
}

static const char *
row_text (FerryTaskRow *row,
          const char   *name)
{
  return gui_label_text (GTK_WIDGET (row), FERRY_TYPE_TASK_ROW, name);
}

static gboolean
is_toast_button (GtkWidget *widget,
                 gpointer   user_data)
{
  GType toast = g_type_from_name ("AdwToastWidget");
  const char *wanted = user_data;

  if (!GTK_IS_BUTTON (widget) || toast == G_TYPE_INVALID ||
      gtk_widget_get_ancestor (widget, toast) == NULL || !gtk_widget_get_visible (widget))
    return FALSE;
  if (g_str_equal (wanted, "close"))
    return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)),
                      "window-close-symbolic") == 0;
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), wanted) == 0;
}

static GtkWidget *
toast_button (const char *which)
{
  GtkWidget *button = NULL;

  GUI_WAIT ((button = gui_find_widget (GTK_WIDGET (fx.window), GTK_TYPE_BUTTON,
                                       is_toast_button, (gpointer) which)) != NULL);
  return button;
}

/* Answers a confirmation as a click on one of its buttons does. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

/* Cancels every task that waits for something; running ones are left to
 * finish and caught on a later pass.  Returns whether none was left. */
static gboolean
cancel_waiting_tasks (void)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_FAILED);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_CONFLICT);
  tasks = client_list (test_client (), query, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) cancel_error = NULL;

      ferry_client_cancel_async (test_client (),
                                 ferry_task_info_get_id (g_ptr_array_index (tasks, i)),
                                 NULL, client_store_result_cb, &result);
      /* A task that started meanwhile cannot be cancelled; next pass. */
      ferry_client_cancel_finish (test_client (), client_wait_result (&result), &cancel_error);
    }
  return tasks->len == 0 && ferry_client_get_pending_count (test_client ()) == 0;
}

/* Drops whatever earlier tests left waiting, so counts start at zero, and
 * leaves the agent running and not paused. */
/* Earlier tests' toasts would queue a test's own behind them. */
static void
dismiss_toasts (void)
{
  GtkWidget *close;

  while ((close = gui_find_widget (GTK_WIDGET (fx.window), GTK_TYPE_BUTTON, is_toast_button,
                                   (gpointer) "close")) != NULL)
    {
      g_signal_emit_by_name (close, "clicked");
      for (guint i = 0; i < 5; i++)
        ferry_test_iterate_briefly ();
    }
}

static void
reset (void)
{
  g_autoptr(FerryTaskQuery) history = NULL;
  guint n_history;

  ferry_window_set_search (fx.window, NULL);
  /* Paused, nothing new starts while the queue is emptied. */
  if (!ferry_client_get_paused (test_client ()))
    call_pause (TRUE);
  GUI_WAIT (cancel_waiting_tasks ());
  call_pause (FALSE);

  GUI_WAIT (ferry_client_get_pending_count (window_client ()) == 0
            && ferry_client_get_failed_count (window_client ()) == 0
            && ferry_client_get_auth_count (window_client ()) == 0
            && ferry_client_get_conflict_count (window_client ()) == 0);
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 0
            && ferry_task_view_get_n_items (view ("failed")) == 0);

  /* The cancelled tasks went to the history: let its count catch up. */
  history = ferry_task_view_query_for_kind ("history");
  n_history = client_count (test_client (), history);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "history") == n_history);
  ferry_window_show_view (fx.window, "pending");
  dismiss_toasts ();
}

/* Tasks added through D-Bus show up in the Pending view, each row with
 * its app, request, name and priority. */
static void
test_lists_tasks (void)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *detail = NULL;
  FerryTaskRow *row;

  reset ();
  call_pause (TRUE);
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "Paused") == 0);

  first = enqueue ("/notes/1", "note-1");
  second = enqueue_full ("/notes/2", "note-2", FERRY_CLIENT_PRIORITY_HIGH, NULL);
  third = enqueue ("/notes/3", NULL);

  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 3);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "pending") == 3);
  g_assert_cmpstr (ferry_task_view_get_page (view ("pending")), ==, "list");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx.window));

  row = wait_for_row ("pending", first);
  g_assert_cmpstr (row_text (row, "name_label"), ==, "note-1");
  detail = g_strdup_printf ("%s · PUT 127.0.0.1:%u/notes/1", APP_OWNER,
                            ferry_test_server_get_port (fx.server));
  g_assert_cmpstr (row_text (row, "detail_label"), ==, detail);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Waiting to be sent");
  g_assert_false (gtk_widget_get_visible (row_child (row, "priority_label")));

  row = wait_for_row ("pending", second);
  g_assert_cmpstr (row_text (row, "priority_label"), ==, "High priority");
  g_assert_true (gtk_widget_get_visible (row_child (row, "priority_label")));

  /* Without a name, the request names the task. */
  row = wait_for_row ("pending", third);
  g_assert_true (g_str_has_prefix (row_text (row, "name_label"), "PUT 127.0.0.1:"));
  g_assert_true (g_str_has_suffix (row_text (row, "name_label"), "/notes/3"));
}

/* The counts and the status line follow a real run. */
static void
test_status_follows_sync (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  GtkWidget *progress;
  guint history_before;

  reset ();
  /* Whether earlier tests delivered something decides which. */
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "All changes synced") == 0 ||
            g_strcmp0 (ferry_window_get_status_text (fx.window), "Nothing to sync") == 0);
  history_before = ferry_window_get_view_count (fx.window, "history");

  call_pause (TRUE);
  ferry_test_server_hold (fx.server, "/sync/1");
  ferry_test_server_hold (fx.server, "/sync/2");
  ferry_test_server_hold (fx.server, "/sync/3");
  a = enqueue ("/sync/1", "sync-1");
  b = enqueue ("/sync/2", "sync-2");
  c = enqueue ("/sync/3", "sync-3");
  GUI_WAIT (ferry_window_get_view_count (fx.window, "pending") == 3);

  /* Resume with the window's own toggle. */
  gui_click_button (GTK_WIDGET (fx.window), "Pause Sending");
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "Syncing 0 of 3") == 0);
  progress = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fx.window),
                                                        FERRY_TYPE_WINDOW, "progress_bar"));
  g_assert_true (gtk_widget_get_visible (progress));
  GUI_WAIT (ferry_test_server_get_in_flight (fx.server) == 3);

  ferry_test_server_release (fx.server, "/sync/1");
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "Syncing 1 of 3") == 0);

  ferry_test_server_release (fx.server, "/sync/2");
  ferry_test_server_release (fx.server, "/sync/3");
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "All changes synced") == 0);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "pending") == 0);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "history") == history_before + 3);
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_cmpstr (ferry_window_get_last_sync_text (fx.window), ==, "Last synced just now");

  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "empty") == 0);
  /* Newest first, with the server's answer. */
  {
    FerryTaskRow *row = wait_for_row ("history", c);

    g_assert_true (g_str_has_prefix (row_text (row, "status_label"), "Delivered just now"));
  }
}

/* A change the server refuses fails at once; Retry on its row makes it
 * pending again. */
static void
test_retry_failed_task (void)
{
  g_autofree char *id = NULL;
  FerryTaskRow *row;

  reset ();
  ferry_test_server_set_default (fx.server, "/refused", 404, NULL, "no such note");
  id = enqueue ("/refused", "refused-note");

  GUI_WAIT (ferry_window_get_view_count (fx.window, "failed") == 1);
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "1 change failed") == 0);
  row = wait_for_row ("failed", id);
  g_assert_cmpstr (row_text (row, "error_label"), ==,
                   "The server refused the change (404 Not Found)");
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Failed after 1 attempt");

  /* Paused, so that the retried task stays where the test can see it. */
  call_pause (TRUE);
  gui_click_button (GTK_WIDGET (row), "Retry");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_PENDING);
  GUI_WAIT (ferry_task_view_get_n_items (view ("failed")) == 0);
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("failed")), "empty") == 0);
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 1);
  wait_for_row ("pending", id);
}

/* Retry All asks first; only a yes retries. */
static void
test_retry_all_asks (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  AdwMessageDialog *dialog;

  reset ();
  ferry_test_server_set_default (fx.server, "/gone", 410, NULL, "gone");
  a = enqueue ("/gone", "gone-1");
  b = enqueue ("/gone", "gone-2");
  GUI_WAIT (ferry_task_view_get_n_items (view ("failed")) == 2);
  ferry_window_show_view (fx.window, "failed");
  GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (view ("failed"))));

  gui_click_button (GTK_WIDGET (view ("failed")), "Retry All…");
  GUI_WAIT ((dialog = (AdwMessageDialog *) gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Retry All Changes?");
  respond (dialog, "cancel");
  g_assert_cmpint (task_state (a), ==, FERRY_CLIENT_TASK_STATE_FAILED);

  call_pause (TRUE);
  gui_click_button (GTK_WIDGET (view ("failed")), "Retry All…");
  GUI_WAIT ((dialog = (AdwMessageDialog *) gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  respond (dialog, "retry");
  GUI_WAIT (task_state (a) == FERRY_CLIENT_TASK_STATE_PENDING
            && task_state (b) == FERRY_CLIENT_TASK_STATE_PENDING);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "failed") == 0);
}

/* Cancel All, confirmed, empties the view. */
static void
test_cancel_all (void)
{
  AdwMessageDialog *dialog;

  reset ();
  call_pause (TRUE);
  for (guint i = 0; i < 5; i++)
    g_free (enqueue ("/later", NULL));
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 5);

  gui_click_button (GTK_WIDGET (view ("pending")), "Cancel All…");
  GUI_WAIT ((dialog = (AdwMessageDialog *) gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "5 changes will not be sent. This cannot be undone.");
  respond (dialog, "cancel-all");
  GUI_WAIT (ferry_window_get_view_count (fx.window, "pending") == 0);
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "empty") == 0);
}

/* Details show the request with credentials hidden, and the ids. */
static void
test_details_hide_secrets (void)
{
  static const char * const headers[] = {
    "Authorization", "Bearer s3cret-token",
    "Cookie", "session=c00kie",
    "X-Trace", "trace-77",
    NULL,
  };
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_id = NULL;
  FerryDetailsWindow *details;
  FerryTaskRow *row;

  reset ();
  call_pause (TRUE);
  id = enqueue_full ("/private/1", "private-note", FERRY_CLIENT_PRIORITY_LOW, headers);
  row = wait_for_row ("pending", id);

  gui_click_button (GTK_WIDGET (row), "Details");
  GUI_WAIT ((details = (FerryDetailsWindow *) gui_find_toplevel (FERRY_TYPE_DETAILS_WINDOW))
            != NULL);
  GUI_WAIT (ferry_details_window_get_info (details) != NULL);
  g_assert_cmpstr (ferry_details_window_get_id (details), ==, id);

  text = ferry_details_window_dup_text (details);
  g_assert_null (strstr (text, "s3cret"));
  g_assert_null (strstr (text, "c00kie"));
  g_assert_nonnull (strstr (text, "Authorization: Hidden\n"));
  g_assert_nonnull (strstr (text, "Cookie: Hidden\n"));
  g_assert_nonnull (strstr (text, "X-Trace: trace-77\n"));
  g_assert_nonnull (strstr (text, "Method: PUT\n"));
  g_assert_nonnull (strstr (text, "Priority: Low\n"));
  g_assert_nonnull (strstr (text, "App: " APP_OWNER "\n"));
  g_assert_nonnull (strstr (text, "{\"title\":\"Shopping list\"}"));
  g_assert_nonnull (strstr (text, "Idempotency key: "));
  g_assert_nonnull (strstr (text, "Created: "));
  expected_id = g_strdup_printf ("Task id: %s\n", id);
  g_assert_nonnull (strstr (text, expected_id));

  gtk_window_destroy (GTK_WINDOW (details));
}

/* The search filters every view by name, URL or app; an unmatched search
 * says so. */
static void
test_search (void)
{
  g_autofree char *apples = NULL;
  g_autofree char *pears = NULL;

  reset ();
  call_pause (TRUE);
  apples = enqueue ("/fruit/apples", "apples");
  pears = enqueue ("/fruit/pears", "pears");
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 2);

  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (
    gtk_widget_get_template_child (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW, "search_bar"))));

  ferry_window_set_search (fx.window, "pears");
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 1);
  wait_for_row ("pending", pears);

  ferry_window_set_search (fx.window, "no-such-thing");
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "no-results") == 0);

  ferry_window_set_search (fx.window, NULL);
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 2);
}

/* A task waiting for a retry counts down, and holds the clock only while
 * its row is on screen. */
static void
test_retry_countdown (void)
{
  g_autofree char *id = NULL;
  FerryTicker *ticker = ferry_window_get_ticker (fx.window);
  FerryTaskRow *row;

  reset ();
  g_assert_false (ferry_ticker_get_running (ticker));
  ferry_test_server_set_default (fx.server, "/busy", 503, "Retry-After: 120", "busy");
  id = enqueue ("/busy", "busy-note");

  row = wait_for_row ("pending", id);
  /* Why it waits and when it is tried again, in one line. */
  GUI_WAIT (g_str_equal (row_text (row, "status_label"),
                         "The server is unavailable for now (503 Service Unavailable)"
                         " — next try in 2 min"));
  g_assert_false (gtk_widget_get_visible (row_child (row, "error_label")));
  g_assert_true (ferry_task_row_get_ticking (row));
  g_assert_true (ferry_ticker_get_running (ticker));

  /* Out of sight, nothing ticks. */
  ferry_window_show_view (fx.window, "history");
  GUI_WAIT (!ferry_ticker_get_running (ticker));
  ferry_window_show_view (fx.window, "pending");
  GUI_WAIT (ferry_ticker_get_running (ticker));

  /* Cancelled (the toast offering Undo closed at once): nothing left to
   * count down. */
  gui_click_button (GTK_WIDGET (row), "Cancel");
  g_signal_emit_by_name (toast_button ("close"), "clicked");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_CANCELLED);
  GUI_WAIT (!ferry_ticker_get_running (ticker));
}

/* A change in conflict waits in its view; Resolve on its row opens the
 * side-by-side window for it. */
static void
test_conflict_row_resolves (void)
{
  g_autofree char *id = NULL;
  FerryConflictWindow *conflict;
  FerryTaskRow *row;

  reset ();
  ferry_test_server_set_default (fx.server, "/moved", 409, "Content-Type: application/json",
                                 "{\"title\":\"Groceries\"}");
  id = enqueue ("/moved", "moved-note");

  GUI_WAIT (ferry_window_get_view_count (fx.window, "conflicts") == 1);
  row = wait_for_row ("conflicts", id);
  g_assert_cmpstr (row_text (row, "status_label"), ==, "Waiting for you to choose a version");
  g_assert_true (gtk_widget_get_visible (row_child (row, "resolve_button")));
  g_assert_false (gtk_widget_get_visible (row_child (row, "retry_button")));

  gui_click_button (GTK_WIDGET (row), "Choose which version to keep");
  GUI_WAIT ((conflict = (FerryConflictWindow *) gui_find_toplevel (FERRY_TYPE_CONFLICT_WINDOW))
            != NULL);
  g_assert_cmpstr (ferry_conflict_window_get_task_id (conflict), ==, id);
  gtk_window_destroy (GTK_WINDOW (conflict));
}

/* The ✕ on a row does not lose a change by a slip: a toast offers Undo,
 * and the change is only cancelled when it goes. */
static void
test_cancel_can_be_undone (void)
{
  g_autofree char *id = NULL;
  FerryTaskRow *row;

  reset ();
  call_pause (TRUE);
  id = enqueue ("/undo/1", "undo-note");
  row = wait_for_row ("pending", id);

  gui_click_button (GTK_WIDGET (row), "Cancel");
  GUI_WAIT (gui_find_toast_title (GTK_WIDGET (fx.window), "The change will be cancelled"));
  g_assert_cmpint (task_state (id), ==, FERRY_CLIENT_TASK_STATE_PENDING);

  /* Undo: the change stays, once the toast is gone too. */
  g_signal_emit_by_name (toast_button ("_Undo"), "clicked");
  GUI_WAIT (!gui_find_toast_title (GTK_WIDGET (fx.window), "The change will be cancelled"));
  for (guint i = 0; i < 20; i++)
    ferry_test_iterate_briefly ();
  g_assert_cmpint (task_state (id), ==, FERRY_CLIENT_TASK_STATE_PENDING);

  /* No Undo: cancelled when the toast goes. */
  row = wait_for_row ("pending", id);
  gui_click_button (GTK_WIDGET (row), "Cancel");
  GUI_WAIT (gui_find_toast_title (GTK_WIDGET (fx.window), "The change will be cancelled"));
  g_assert_cmpint (task_state (id), ==, FERRY_CLIENT_TASK_STATE_PENDING);
  g_signal_emit_by_name (toast_button ("close"), "clicked");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_CANCELLED);
  call_pause (FALSE);
}

/* Details of a failed change say what went wrong first, above the
 * request, and show the server's answer whole in the page, not in a small
 * box of its own. */
static void
test_details_failure_first (void)
{
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) long_answer = g_string_new (NULL);
  FerryDetailsWindow *details;
  GtkWidget *response_view;
  GtkWidget *scrolled;
  GtkPolicyType vertical;

  reset ();
  for (guint i = 0; i < 60; i++)
    g_string_append_printf (long_answer, "line %u of the server's explanation\n", i);
  ferry_test_server_set_default (fx.server, "/refused-details", 422, NULL, long_answer->str);
  id = enqueue ("/refused-details", "refused-details-note");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_FAILED);

  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.show-details", "s", id);
  GUI_WAIT ((details = (FerryDetailsWindow *) gui_find_toplevel (FERRY_TYPE_DETAILS_WINDOW))
            != NULL);
  GUI_WAIT (ferry_details_window_get_info (details) != NULL);
  text = ferry_details_window_dup_text (details);
  g_assert_nonnull (strstr (text, "What happened"));
  g_assert_nonnull (strstr (text, "Method"));
  g_assert_true (strstr (text, "What happened") < strstr (text, "Method"));
  g_assert_nonnull (strstr (text, "line 59 of the server's explanation"));

  response_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (details),
                                                            FERRY_TYPE_DETAILS_WINDOW,
                                                            "response_body_view"));
  scrolled = gtk_widget_get_ancestor (response_view, GTK_TYPE_SCROLLED_WINDOW);
  gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (scrolled), NULL, &vertical);
  g_assert_cmpint (vertical, ==, GTK_POLICY_NEVER);
  gtk_window_destroy (GTK_WINDOW (details));
}

/* A row's primary click opens its details. */
static void
test_row_click_opens_details (void)
{
  g_autofree char *id = NULL;
  GtkListView *list_view;
  FerryDetailsWindow *details;

  reset ();
  call_pause (TRUE);
  id = enqueue ("/click/1", "click-note");
  wait_for_row ("pending", id);
  list_view = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view ("pending")),
                                                           FERRY_TYPE_TASK_VIEW, "list_view"));
  g_assert_true (gtk_list_view_get_single_click_activate (list_view));
  g_signal_emit_by_name (list_view, "activate", 0);
  GUI_WAIT ((details = (FerryDetailsWindow *) gui_find_toplevel (FERRY_TYPE_DETAILS_WINDOW))
            != NULL);
  GUI_WAIT (ferry_details_window_get_info (details) != NULL);
  g_assert_cmpstr (ferry_details_window_get_id (details), ==, id);
  gtk_window_destroy (GTK_WINDOW (details));
  call_pause (FALSE);
}

static const char *
empty_title (const char *kind)
{
  GObject *page = gtk_widget_get_template_child (GTK_WIDGET (view (kind)), FERRY_TYPE_TASK_VIEW,
                                                 "empty_page");

  return adw_status_page_get_title (ADW_STATUS_PAGE (page));
}

static const char *
empty_description (const char *kind)
{
  GObject *page = gtk_widget_get_template_child (GTK_WIDGET (view (kind)), FERRY_TYPE_TASK_VIEW,
                                                 "empty_page");

  return adw_status_page_get_description (ADW_STATUS_PAGE (page));
}

static GtkButton *
elsewhere_button (const char *kind)
{
  return GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (view (kind)),
                                                    FERRY_TYPE_TASK_VIEW, "elsewhere_button"));
}

/* An empty view is true of the whole picture: with a failure in another
 * view it says so and offers to go there. */
static void
test_empty_states (void)
{
  g_autofree char *id = NULL;
  GtkButton *button;
  FerryWindow *second;

  reset ();
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("conflicts")), "empty") == 0);
  g_assert_cmpstr (empty_title ("conflicts"), ==, "No conflicts");
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "empty") == 0);
  g_assert_cmpstr (empty_title ("pending"), ==, "Nothing waiting");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (elsewhere_button ("pending"))));

  /* Nothing waits, but a change failed: Pending does not say all is well. */
  ferry_test_server_set_default (fx.server, "/refused-again", 404, NULL, "no such note");
  id = enqueue ("/refused-again", "refused-note");
  GUI_WAIT (ferry_window_get_view_count (fx.window, "failed") == 1);
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "empty") == 0);
  GUI_WAIT (g_str_has_suffix (empty_description ("pending"), "But 1 change failed."));
  g_assert_null (strstr (empty_description ("pending"), "reached its server"));
  g_assert_true (g_str_has_suffix (empty_description ("conflicts"), "But 1 change failed."));
  button = elsewhere_button ("pending");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_cmpstr (gtk_button_get_label (button), ==, "Show Failed");

  /* The button takes the person there. */
  ferry_window_show_view (fx.window, "pending");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx.window));
  g_signal_emit_by_name (button, "clicked");
  GUI_WAIT (g_strcmp0 (ferry_window_get_visible_view (fx.window), "failed") == 0);

  /* A window opened now opens on what needs the person. */
  second = ferry_window_new (GTK_APPLICATION (fx.app), window_client ());
  gtk_window_present (GTK_WINDOW (second));
  GUI_WAIT (g_strcmp0 (ferry_window_get_visible_view (second), "failed") == 0);
  gtk_window_destroy (GTK_WINDOW (second));

  reset ();
  GUI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (elsewhere_button ("pending"))));
}

static gboolean
is_unnamed_button (GtkWidget *widget,
                   gpointer   user_data)
{
  /* Parts of composite widgets are named by the widget: the switcher's
   * buttons by their pages, a menu button's toggle by the menu button. */
  GType toast = g_type_from_name ("AdwToastWidget");

  if (gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_SWITCHER) != NULL
      || gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
    return FALSE;
  /* libadwaita's own toasts are not ours to name. */
  if (toast != G_TYPE_INVALID && gtk_widget_get_ancestor (widget, toast) != NULL)
    return FALSE;
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_MENU_BUTTON) != NULL)
    return FALSE;
  if (!GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (widget))
    return FALSE;
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return FALSE;
  return !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Shortcuts, the help overlay, the application's actions, and a name for
 * every icon-only control. */
static void
test_keyboard_and_names (void)
{
  g_auto(GStrv) quit = NULL;
  g_auto(GStrv) preferences = NULL;
  g_auto(GStrv) help = NULL;
  GtkWindow *prefs;
  GtkWidget *unnamed;

  reset ();
  quit = gtk_application_get_accels_for_action (GTK_APPLICATION (fx.app), "app.quit");
  preferences = gtk_application_get_accels_for_action (GTK_APPLICATION (fx.app),
                                                       "app.preferences");
  help = gtk_application_get_accels_for_action (GTK_APPLICATION (fx.app),
                                                "win.show-help-overlay");
  g_assert_cmpstr (quit[0], ==, "<Control>q");
  g_assert_cmpstr (preferences[0], ==, "<Control>comma");
  g_assert_cmpstr (help[0], ==, "<Control>question");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fx.window)));

  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "show-view",
                                  g_variant_new_string ("conflicts"));
  g_assert_cmpstr (ferry_window_get_visible_view (fx.window), ==, "conflicts");
  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.show-view", "s", "history");
  g_assert_cmpstr (ferry_window_get_visible_view (fx.window), ==, "history");

  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "preferences", NULL);
  GUI_WAIT ((prefs = gui_find_toplevel (FERRY_TYPE_PREFERENCES_WINDOW)) != NULL);
  gtk_window_destroy (prefs);

  ferry_window_show_view (fx.window, "pending");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx.window));
  unnamed = gui_find_widget (GTK_WIDGET (fx.window), GTK_TYPE_WIDGET, is_unnamed_button, NULL);
  if (unnamed != NULL)
    g_error ("A %s in a %s (tooltip “%s”) has no accessible name",
             G_OBJECT_TYPE_NAME (unnamed),
             G_OBJECT_TYPE_NAME (gtk_widget_get_parent (unnamed)),
             gtk_widget_get_tooltip_text (unnamed));
}

/* When ferryd goes, the banner says so and offers to start it; when it
 * is back, the window carries on by itself. */
static void
test_banner_when_agent_stops (void)
{
  g_autofree char *id = NULL;
  gboolean started_by_click;
  guint32 pid;

  reset ();
  call_pause (TRUE);
  id = enqueue ("/kept", "kept-note");
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) == 1);
  g_assert_false (ferry_window_get_banner_visible (fx.window));

  pid = client_fixture_get_agent_pid (&fx.base);
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
  GUI_WAIT (ferry_window_get_banner_visible (fx.window));
  GUI_WAIT (!ferry_agent_process_is_alive (pid));
  g_assert_cmpstr (ferry_window_get_status_text (fx.window), ==, "Ferry’s agent is not running");
  /* Nothing is known, and no view pretends otherwise. */
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("history")), "empty") == 0);
  g_assert_cmpstr (empty_title ("history"), ==, "Nothing is known");
  g_assert_cmpstr (empty_title ("pending"), ==, "Nothing is known");
  g_assert_cmpstr (gui_label_text (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW, "banner_label"),
                   ==,
                   "Ferry’s agent is not running. Changes stay safe on this computer, but "
                   "nothing is sent until it starts.");
  {
    GtkWidget *start = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fx.window),
                                                                 FERRY_TYPE_WINDOW,
                                                                 "start_button"));
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (start),
                                                                GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                "Start Agent");

    /* Read as "Start Agent", not with its mnemonic mark or twice. */
    g_assert_null (wrong);
  }
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW, "sync_button"))));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx.window));

  gui_click_button (GTK_WIDGET (fx.window), "Start Agent");
  /* Starting is shown while it lasts, and whether it worked after (unless
   * a call of the window's own had started the agent already). */
  started_by_click = g_str_equal (gui_label_text (GTK_WIDGET (fx.window), FERRY_TYPE_WINDOW,
                                                  "banner_label"), "Starting Ferry’s agent…");
  g_assert_true (started_by_click || ferry_client_get_agent_running (window_client ()));
  GUI_WAIT (ferry_client_get_agent_running (window_client ()));
  GUI_WAIT (!ferry_window_get_banner_visible (fx.window));
  if (started_by_click)
    GUI_WAIT (gui_find_toast_title (GTK_WIDGET (fx.window), "Ferry’s agent is running"));
  g_assert_cmpuint (client_fixture_get_agent_pid (&fx.base), !=, pid);

  /* The new agent kept the queue (pausing does not outlive it). */
  GUI_WAIT (ferry_task_view_get_n_items (view ("pending")) <= 1
            && ferry_window_get_view_count (fx.window, "pending")
               == ferry_client_get_pending_count (test_client ()));
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "Ferry’s agent is not running") != 0);
}

static void
set_up_program (void)
{
  fx.server = ferry_test_server_new ();
  client_fixture_set_up (&fx.base, "full", FERRY_CLIENT_FLAGS_NONE);

  /* No notification server on the private bus: test-notifier has one. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.ferrysync.Ferry");

    g_settings_set_boolean (settings, "notifications", FALSE);
  }
}

static void
tear_down_program (void)
{
  client_fixture_tear_down (&fx.base);
  g_clear_pointer (&fx.server, ferry_test_server_free);
}

static int status;
static gpointer app_client;    /* weak: the application's client */

/* Runs inside g_application_run(), once the application is activated as
 * a launcher does; the window starts the agent by D-Bus activation. */
static gboolean
run_tests (gpointer user_data)
{
  GUI_WAIT ((fx.window = ferry_application_get_window (fx.app)) != NULL);
  g_object_ref (fx.window);
  GUI_WAIT (ferry_client_get_agent_running (window_client ()));
  GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (fx.window)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx.window));
  client_fixture_get_agent_pid (&fx.base);
  app_client = window_client ();
  g_object_add_weak_pointer (app_client, &app_client);

  status = g_test_run ();

  g_clear_object (&fx.window);
  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "quit", NULL);
  return G_SOURCE_REMOVE;
}


/* The Collections view, in its own window: a collection's row, its state
 * in words as it syncs, and Sync now. */
static FerryCollectionsView *
find_collections_view (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *view = gui_find_widget (GTK_WIDGET (window), FERRY_TYPE_COLLECTIONS_VIEW, NULL,
                                         NULL);

      if (view != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
        return FERRY_COLLECTIONS_VIEW (view);
    }
  return NULL;
}

static gboolean
is_row_state (GtkWidget *widget,
              gpointer   user_data)
{
  return g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), user_data);
}

static void
test_collections (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autofree char *url = ferry_rest_server_url (server);
  g_autoptr(FerryCollection) notes = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  FerryCollectionsView *view;
  GtkWindow *window;
  GVariantBuilder config;

  reset ();
  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  ferry_client_add_collection_async (test_client (), g_variant_builder_end (&config), NULL,
                                     client_store_result_cb, &added);
  path = ferry_client_add_collection_finish (test_client (), client_wait_result (&added),
                                             &error);
  g_assert_no_error (error);
  ferry_collection_new_async (test_client (), path, NULL, client_store_result_cb, &made);
  notes = ferry_collection_new_finish (client_wait_result (&made), &error);
  g_assert_no_error (error);
  ferry_collection_put_async (notes, "a", "{\"title\":\"one\"}", NULL, client_store_result_cb,
                              &written);
  g_assert_cmpint (ferry_collection_put_finish (notes, client_wait_result (&written), &error),
                   >, 0);
  g_assert_no_error (error);
  GUI_WAIT (ferry_rest_server_count (server) == 1 &&
            g_strcmp0 (ferry_collection_get_state (notes), "synced") == 0);

  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.show-collections", NULL);
  GUI_WAIT ((view = find_collections_view ()) != NULL &&
            ferry_collections_view_get_count (view) == 1);
  GUI_WAIT (gui_find_widget (GTK_WIDGET (view), GTK_TYPE_LABEL, is_row_state, "Synced") != NULL);

  /* Sync now from the row brings what the other client wrote. */
  ferry_rest_server_put (server, "b", "{\"title\":\"two\"}");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  gui_click_button (GTK_WIDGET (view), "Sync Now");
  GUI_WAIT (ferry_collection_get_document_count (notes) == 2);

  window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view)));
  gtk_window_destroy (window);
  ferry_client_remove_collection_async (test_client (), path, FALSE, NULL,
                                        client_store_result_cb, &removed);
  g_assert_true (ferry_client_remove_collection_finish (test_client (),
                                                        client_wait_result (&removed), &error));
  g_assert_no_error (error);
}

/* A collection of the test's app syncing with @server, its path in
 * @out_path. */
static FerryCollection *
add_notes_full (FerryRestServer  *server,
                const char       *header,
                const char       *value,
                char            **out_path);

static FerryCollection *
add_notes (FerryRestServer  *server,
           char            **out_path)
{
  return add_notes_full (server, NULL, NULL, out_path);
}

static FerryCollection *
add_notes_full (FerryRestServer  *server,
                const char       *header,
                const char       *value,
                char            **out_path)
{
  g_autofree char *url = ferry_rest_server_url (server);
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GError) error = NULL;
  FerryCollection *notes;
  GVariantBuilder config;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string (APP_OWNER));
  if (header != NULL)
    {
      GVariantBuilder headers;

      g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
      g_variant_builder_add (&headers, "{ss}", header, value);
      g_variant_builder_add (&config, "{sv}", "headers", g_variant_builder_end (&headers));
    }
  ferry_client_add_collection_async (test_client (), g_variant_builder_end (&config), NULL,
                                     client_store_result_cb, &added);
  *out_path = ferry_client_add_collection_finish (test_client (), client_wait_result (&added),
                                                  &error);
  g_assert_no_error (error);
  ferry_collection_new_async (test_client (), *out_path, NULL, client_store_result_cb, &made);
  notes = ferry_collection_new_finish (client_wait_result (&made), &error);
  g_assert_no_error (error);
  return notes;
}

static void
put_note (FerryCollection *notes,
          const char      *id,
          const char      *json)
{
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GError) error = NULL;

  ferry_collection_put_async (notes, id, json, NULL, client_store_result_cb, &written);
  g_assert_cmpint (ferry_collection_put_finish (notes, client_wait_result (&written), &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
remove_notes (const char *path)
{
  g_autoptr(GAsyncResult) removed = NULL;
  g_autoptr(GError) error = NULL;

  ferry_client_remove_collection_async (test_client (), path, FALSE, NULL,
                                        client_store_result_cb, &removed);
  g_assert_true (ferry_client_remove_collection_finish (test_client (),
                                                        client_wait_result (&removed), &error));
  g_assert_no_error (error);
}

static gboolean
is_synced (FerryCollection *notes)
{
  return g_strcmp0 (ferry_collection_get_state (notes), "synced") == 0 &&
         ferry_collection_get_dirty_count (notes) == 0;
}

/* A record in conflict shows in the Conflicts view, saying its app and
 * collection; it opens the same member-by-member window as a task, and
 * keeping mine settles it there: the row goes, the collection's count
 * drops and the server has my version. */
static void
test_document_conflict (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autoptr(FerryCollection) notes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *on_server = NULL;
  FerryConflictWindow *conflict;
  FerryConflictModel *model;
  FerryDocConflicts *list;
  GtkListBoxRow *row;

  reset ();
  notes = add_notes (server, &path);
  put_note (notes, "n", "{\"title\":\"Groceries\",\"body\":\"milk\"}");
  GUI_WAIT (ferry_rest_server_count (server) == 1 && is_synced (notes));

  /* The same member changed on both sides. */
  ferry_rest_server_put (server, "n", "{\"title\":\"Shopping\",\"body\":\"milk\"}");
  put_note (notes, "n", "{\"title\":\"Food\",\"body\":\"milk\"}");
  GUI_WAIT (ferry_collection_get_conflict_count (notes) == 1);

  list = FERRY_DOC_CONFLICTS (gui_find_widget (GTK_WIDGET (fx.window), FERRY_TYPE_DOC_CONFLICTS,
                                               NULL, NULL));
  GUI_WAIT (ferry_doc_conflicts_get_count (list) == 1);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "conflicts") == 1);
  /* Said once the run that found it has ended. */
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "1 conflict needs you") == 0);
  g_assert_cmpstr (ferry_window_show_attention (fx.window), ==, "conflicts");
  row = ferry_doc_conflicts_get_row (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "n");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   APP_OWNER " · notes");
  /* No task waits: "No conflicts" gives way to the record. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view ("conflicts"))));

  gtk_widget_activate (GTK_WIDGET (row));
  GUI_WAIT ((conflict = (FerryConflictWindow *) gui_find_toplevel (FERRY_TYPE_CONFLICT_WINDOW))
            != NULL && ferry_conflict_window_get_in_conflict (conflict));
  model = ferry_conflict_window_get_model (conflict);
  g_assert_nonnull (model);
  g_assert_true (ferry_conflict_model_get_has_base (model));
  g_assert_cmpint (ferry_conflict_model_get_change (model,
                                                    ferry_conflict_model_find (model, "title")),
                   ==, FERRY_CONFLICT_CHANGE_BOTH);
  g_assert_cmpint (ferry_conflict_model_get_change (model,
                                                    ferry_conflict_model_find (model, "body")),
                   ==, FERRY_CONFLICT_CHANGE_NONE);

  /* Mine for the title: sent as merged, the window closes. */
  ferry_conflict_model_set_choice (model, ferry_conflict_model_find (model, "title"),
                                   FERRY_CONFLICT_SIDE_MINE);
  gtk_widget_activate_action (GTK_WIDGET (conflict), "conflict.send-merged", NULL);
  GUI_WAIT (gui_find_toplevel (FERRY_TYPE_CONFLICT_WINDOW) == NULL);
  GUI_WAIT (ferry_collection_get_conflict_count (notes) == 0);
  GUI_WAIT (ferry_doc_conflicts_get_count (list) == 0);
  GUI_WAIT (ferry_window_get_view_count (fx.window, "conflicts") == 0);
  GUI_WAIT (is_synced (notes));
  on_server = ferry_rest_server_dup (server, "n", NULL);
  g_assert_nonnull (strstr (on_server, "\"Food\""));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view ("conflicts"))));

  remove_notes (path);
}

static gboolean
is_status_label (GtkWidget *widget,
                 gpointer   user_data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)),
                    ferry_window_get_status_text (fx.window)) == 0;
}

/* Counts the header's "Syncing N of M" as it is shown. */
static void
on_status_label (GtkLabel   *label,
                 GParamSpec *pspec,
                 guint      *seen)
{
  const char *text = gtk_label_get_label (label);

  if (g_str_has_prefix (text, "Syncing ") && strstr (text, " of ") != NULL)
    (*seen)++;
}

/* A collection's run and its refused records are in the header with the
 * tasks': "Syncing … of …" while it runs, then the failure. */
static void
test_collection_status (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autoptr(FerryCollection) notes = NULL;
  g_autofree char *path = NULL;
  FerryCollectionsView *view;
  GtkWidget *label;
  guint seen_syncing = 0;

  reset ();
  label = gui_find_widget (GTK_WIDGET (fx.window), GTK_TYPE_LABEL, is_status_label, NULL);
  g_assert_nonnull (label);
  g_signal_connect (label, "notify::label", G_CALLBACK (on_status_label), &seen_syncing);
  ferry_rest_server_reject (server, "n0", "forbidden");
  notes = add_notes (server, &path);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("n%u", i);

      put_note (notes, id, "{\"title\":\"note\"}");
    }
  GUI_WAIT (ferry_collection_get_failed_count (notes) == 1 &&
            ferry_collection_get_dirty_count (notes) == 0 &&
            g_strcmp0 (ferry_collection_get_state (notes), "syncing") != 0);
  g_signal_handlers_disconnect_by_func (label, on_status_label, &seen_syncing);
  g_assert_cmpuint (seen_syncing, >, 0);
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "1 change failed") == 0);
  /* Nothing waits in Pending, nor in Failed, but a record failed: both
   * say so and lead to the Collections window. */
  GUI_WAIT (g_str_has_suffix (empty_description ("pending"), "But 1 change failed."));
  g_assert_true (g_str_has_suffix (empty_description ("failed"), "But 1 change failed."));
  g_assert_cmpstr (gtk_button_get_label (elsewhere_button ("failed")), ==, "Show Collections");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (elsewhere_button ("failed"))),
                   ==, "win.show-collections");
  /* No task ever synced, but the collection's run did. */
  g_assert_true (g_str_has_prefix (ferry_window_get_last_sync_text (fx.window), "Last synced"));
  /* The Failed view lists tasks: what needs the person here is in the
   * Collections window, which opens on it. */
  g_assert_cmpstr (ferry_window_show_attention (fx.window), ==, "collections");
  GUI_WAIT ((view = find_collections_view ()) != NULL &&
            ferry_collections_view_get_count (view) == 1);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));

  remove_notes (path);
  GUI_WAIT (g_strcmp0 (ferry_window_get_status_text (fx.window), "1 change failed") != 0);
}

/* Pending with no task waiting speaks of collections too: records waiting
 * (paused) and a run in the middle are said, with a way to the Collections
 * window, instead of "every change has reached its server", which is said
 * once a collection's run sent everything, even with no task ever. */
static void
test_pending_while_collection_syncs (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autoptr(FerryCollection) notes = NULL;
  g_autofree char *path = NULL;
  GtkButton *button;
  FerryCollectionsView *collections;

  reset ();
  notes = add_notes (server, &path);
  put_note (notes, "first", "{\"title\":\"one\"}");
  /* Synced once the server has it, not only before the first run. */
  GUI_WAIT (ferry_rest_server_count_received_documents (server) >= 1);
  GUI_WAIT (is_synced (notes));
  /* Everything sent, by a collection alone. */
  GUI_WAIT (g_strcmp0 (empty_description ("pending"), "Every change has reached its server.") == 0);

  /* Paused, records wait: not everything reached its server. */
  call_pause (TRUE);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *id = g_strdup_printf ("n%u", i);

      put_note (notes, id, "{\"title\":\"note\"}");
    }
  GUI_WAIT (g_str_has_suffix (empty_description ("pending"),
                              "250 changes wait in collections."));
  g_assert_cmpstr (gtk_button_get_label (elsewhere_button ("pending")), ==, "Show Collections");

  /* At most one batch goes through before one is held. */
  ferry_rest_server_hold (server, "batch", 1);
  call_pause (FALSE);
  GUI_WAIT (ferry_rest_server_count_held (server) == 1 &&
            g_strcmp0 (ferry_collection_get_state (notes), "syncing") == 0);
  GUI_WAIT (g_strcmp0 (ferry_task_view_get_page (view ("pending")), "empty") == 0);
  GUI_WAIT (g_str_has_suffix (empty_description ("pending"), "1 collection is syncing."));
  g_assert_null (strstr (empty_description ("pending"), "reached its server"));
  g_assert_cmpstr (empty_title ("pending"), ==, "Nothing waiting");
  button = elsewhere_button ("pending");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_cmpstr (gtk_button_get_label (button), ==, "Show Collections");
  /* Only Pending speaks of a run going on. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (elsewhere_button ("history"))));
  gtk_widget_activate (GTK_WIDGET (button));
  GUI_WAIT ((collections = find_collections_view ()) != NULL &&
            ferry_collections_view_get_count (collections) == 1);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (collections))));

  ferry_rest_server_release (server);
  GUI_WAIT (is_synced (notes));
  GUI_WAIT (g_strcmp0 (empty_description ("pending"), "Every change has reached its server.") == 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  remove_notes (path);
}

/* A collection's details, from its row in the Collections view: the
 * server's address without secrets, the last runs with their counts and
 * phases, following a new run. */
static void
test_collection_details (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autofree char *url = ferry_rest_server_url (server);
  g_autoptr(FerryCollection) notes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  FerryCollectionDetails *details;
  FerryCollectionsView *view;
  guint runs;

  reset ();
  notes = add_notes_full (server, "Authorization", "Bearer s3cret-token", &path);
  put_note (notes, "a", "{\"title\":\"one\"}");
  GUI_WAIT (ferry_rest_server_count (server) == 1 && is_synced (notes));

  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.show-collections", NULL);
  GUI_WAIT ((view = find_collections_view ()) != NULL &&
            ferry_collections_view_get_count (view) == 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  gui_click_button (GTK_WIDGET (view), "Details");
  GUI_WAIT ((details = (FerryCollectionDetails *)
             gui_find_toplevel (FERRY_TYPE_COLLECTION_DETAILS)) != NULL &&
            ferry_collection_details_get_n_runs (details) >= 1);
  g_assert_cmpstr (ferry_collection_details_get_endpoint (details), ==, url);
  text = ferry_collection_details_dup_text (details);
  g_assert_nonnull (strstr (text, url));
  g_assert_nonnull (strstr (text, "Pushed 1 · pulled 0 · refused 0 · conflicts 0"));
  g_assert_nonnull (strstr (text, "Check "));
  g_assert_nonnull (strstr (text, "1 held · 0 waiting · 0 in conflict · 0 refused"));
  g_assert_null (strstr (text, "s3cret"));
  g_assert_null (strstr (text, "Bearer"));

  /* A new run shows up by itself. */
  runs = ferry_collection_details_get_n_runs (details);
  ferry_rest_server_put (server, "b", "{\"title\":\"two\"}");
  gui_click_button (GTK_WIDGET (view), "Sync Now");
  GUI_WAIT (ferry_collection_details_get_n_runs (details) > runs);
  g_clear_pointer (&text, g_free);
  text = ferry_collection_details_dup_text (details);
  g_assert_nonnull (strstr (text, "Pushed 0 · pulled 1 · refused 0 · conflicts 0"));

  gtk_window_destroy (GTK_WINDOW (details));
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));
  remove_notes (path);
}

int
main (int   argc,
      char *argv[])
{
  char *app_argv[] = { argv[0], NULL };

  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/window/lists-tasks", test_lists_tasks);
  g_test_add_func ("/gui/window/status-follows-sync", test_status_follows_sync);
  g_test_add_func ("/gui/window/retry-failed-task", test_retry_failed_task);
  g_test_add_func ("/gui/window/retry-all-asks", test_retry_all_asks);
  g_test_add_func ("/gui/window/cancel-all", test_cancel_all);
  g_test_add_func ("/gui/window/details-hide-secrets", test_details_hide_secrets);
  g_test_add_func ("/gui/window/search", test_search);
  g_test_add_func ("/gui/window/retry-countdown", test_retry_countdown);
  g_test_add_func ("/gui/window/conflict-row-resolves", test_conflict_row_resolves);
  g_test_add_func ("/gui/window/empty-states", test_empty_states);
  g_test_add_func ("/gui/window/cancel-can-be-undone", test_cancel_can_be_undone);
  g_test_add_func ("/gui/window/row-click-opens-details", test_row_click_opens_details);
  g_test_add_func ("/gui/window/details-failure-first", test_details_failure_first);
  g_test_add_func ("/gui/window/keyboard-and-names", test_keyboard_and_names);
  g_test_add_func ("/gui/window/collections", test_collections);
  g_test_add_func ("/gui/window/document-conflict", test_document_conflict);
  g_test_add_func ("/gui/window/collection-status", test_collection_status);
  g_test_add_func ("/gui/window/pending-while-collection-syncs",
                   test_pending_while_collection_syncs);
  g_test_add_func ("/gui/window/collection-details", test_collection_details);
  g_test_add_func ("/gui/window/banner-when-agent-stops", test_banner_when_agent_stops);

  set_up_program ();
  fx.app = ferry_application_new ();
  g_idle_add (run_tests, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (fx.app), 1, app_argv), ==, 0);
  g_clear_object (&fx.app);

  /* Calls the window cancelled still hold its client, and the client the
   * session bus, until their callbacks have run; the bus can only go
   * down after that. */
  GUI_WAIT (app_client == NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  tear_down_program ();
  return status;
}
