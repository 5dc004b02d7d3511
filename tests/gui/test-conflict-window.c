/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-conflict-window.h"
#include "ferry-doc-server.h"
#include "ferry-gui-test-util.h"

/*
 * The conflict window against real conflicts: the built ferryd on a
 * private bus sends an app's edit, made from version 1 of a document, to
 * a document server that has moved on to version 2; it answers 412, the
 * agent fetches its copy and the task waits in conflict (strategy ask).
 * The window, on the test's own Xvfb, settles it.
 */

static struct
{
  ClientFixture   base;   /* the bus, the agent and a client */
  FerryDocServer *docs;
} fx;

static FerryClient *
client (void)
{
  return fx.base.client;
}

static FerryClientTaskState
task_state (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = client_get (client (), id, &error);

  g_assert_no_error (error);
  return ferry_task_info_get_state (info);
}

/* The server holds @base as version 1 and @theirs as version 2; the app
 * sends @mine, made from version 1.  Returns the task, once in conflict. */
static char *
make_conflict (const char *path,
               const char *base,
               const char *theirs,
               const char *mine,
               const char *content_type)
{
  g_autofree char *url = ferry_doc_server_url (fx.docs, path);
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GBytes) base_bytes = g_bytes_new (base, strlen (base));
  g_autoptr(GError) error = NULL;
  char *id;

  ferry_doc_server_write (fx.docs, path, base);
  ferry_doc_server_write (fx.docs, path, theirs);

  ferry_request_set_body_text (request, mine, content_type);
  ferry_request_set_name (request, "Shopping list");
  ferry_request_set_if_match (request, "\"v1\"");
  ferry_request_set_base (request, base_bytes);
  ferry_request_set_conflict_strategy (request, FERRY_CLIENT_CONFLICT_ASK);
  id = client_enqueue (client (), request, &error);
  g_assert_no_error (error);

  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_CONFLICT);
  return id;
}

static FerryConflictWindow *
open_window (const char *id)
{
  FerryConflictWindow *window;

  ferry_conflict_window_present (NULL, client (), id);
  window = FERRY_CONFLICT_WINDOW (gui_find_toplevel (FERRY_TYPE_CONFLICT_WINDOW));
  g_assert_nonnull (window);
  g_object_ref (window);
  GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window))
            && ferry_conflict_window_get_in_conflict (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
close_window (FerryConflictWindow *window)
{
  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  GUI_WAIT (gui_find_toplevel (FERRY_TYPE_CONFLICT_WINDOW) == NULL);
}

static gboolean
tooltip_is (GtkWidget *widget,
            gpointer   user_data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), user_data) == 0;
}

static GtkWidget *
find_by_tooltip (FerryConflictWindow *window,
                 GType                type,
                 const char          *tooltip)
{
  return gui_find_widget (GTK_WIDGET (window), type, tooltip_is, (gpointer) tooltip);
}

static GtkToggleButton *
choice_button (FerryConflictWindow *window,
               const char          *member,
               FerryConflictSide    side)
{
  g_autofree char *tooltip = NULL;

  if (side == FERRY_CONFLICT_SIDE_MINE)
    tooltip = g_strdup_printf ("Keep mine for %s", member);
  else
    tooltip = g_strdup_printf ("Keep the server’s for %s", member);
  return (GtkToggleButton *) find_by_tooltip (window, GTK_TYPE_TOGGLE_BUTTON, tooltip);
}

static gboolean
has_class (GtkWidget *widget,
           gpointer   user_data)
{
  return gtk_widget_has_css_class (widget, user_data);
}

static guint
count_with_class (GtkWidget  *root,
                  const char *css_class)
{
  guint count = has_class (root, (gpointer) css_class) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_with_class (child, css_class);
  return count;
}

static gboolean
uses_action (GtkWidget *widget,
             gpointer   user_data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), user_data) == 0;
}

/* Whether the button for @action can be pressed. */
static gboolean
action_enabled (FerryConflictWindow *window,
                const char          *action)
{
  g_autofree char *name = g_strconcat ("conflict.", action, NULL);
  GtkWidget *button = gui_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, uses_action, name);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* Whether pressing @trigger (as gtk_accelerator_parse() reads it)
 * activates @action on @window. */
static gboolean
has_shortcut (FerryConflictWindow *window,
              const char          *trigger,
              const char          *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted)
              && GTK_IS_NAMED_ACTION (named)
              && g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)),
                            action) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
assert_row (FerryConflictWindow *window,
            const char          *member,
            FerryConflictChange  change,
            FerryConflictSide    choice)
{
  FerryConflictModel *model = ferry_conflict_window_get_model (window);
  int index = ferry_conflict_model_find (model, member);
  GtkToggleButton *mine = choice_button (window, member, FERRY_CONFLICT_SIDE_MINE);
  GtkToggleButton *server = choice_button (window, member, FERRY_CONFLICT_SIDE_SERVER);

  g_test_message ("member %s", member);
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (ferry_conflict_model_get_change (model, index), ==, change);
  if (change == FERRY_CONFLICT_CHANGE_NONE)
    {
      /* Nothing to choose. */
      g_assert_null (mine);
      g_assert_null (server);
      return;
    }
  g_assert_nonnull (mine);
  g_assert_nonnull (server);
  g_assert_cmpint (ferry_conflict_model_get_choice (model, index), ==, choice);
  g_assert_cmpint (gtk_toggle_button_get_active (mine), ==, choice == FERRY_CONFLICT_SIDE_MINE);
  g_assert_cmpint (gtk_toggle_button_get_active (server), ==,
                   choice == FERRY_CONFLICT_SIDE_SERVER);
}

/* What the server holds as JSON equals @expected. */
static gboolean
json_equal (const char *text,
            const char *expected)
{
  g_autoptr(JsonParser) a = json_parser_new ();
  g_autoptr(JsonParser) b = json_parser_new ();

  return json_parser_load_from_data (a, text, -1, NULL)
         && json_parser_load_from_data (b, expected, -1, NULL)
         && json_node_equal (json_parser_get_root (a), json_parser_get_root (b));
}

#define BASE_DOC \
  "{\"title\":\"Shopping\",\"items\":[\"milk\"],\"done\":false,\"color\":\"red\"," \
  "\"list\":\"home\"}"
/* The server's side: the title changed, ticked done, the color removed. */
#define THEIRS_DOC \
  "{\"title\":\"Groceries\",\"items\":[\"milk\"],\"done\":true,\"list\":\"home\"}"
/* Mine: another title, an item added, pinned. */
#define MINE_DOC \
  "{\"title\":\"Shopping for Sunday\",\"items\":[\"milk\",\"eggs\"],\"done\":false," \
  "\"color\":\"red\",\"list\":\"home\",\"pinned\":true}"
/* Mine where I changed something, the server's where it did, and for the
 * title (changed on both) what the test chooses: the server's. */
#define MERGED_DOC \
  "{\"title\":\"Groceries\",\"items\":[\"milk\",\"eggs\"],\"done\":true,\"list\":\"home\"," \
  "\"pinned\":true}"

/* Rows and defaults; a choice flipped; Send Merged sends what is shown. */
static void
test_send_merged (void)
{
  g_autofree char *id = make_conflict ("/notes/merge", BASE_DOC, THEIRS_DOC, MINE_DOC,
                                       "application/json");
  FerryConflictWindow *window = open_window (id);
  FerryConflictModel *model = ferry_conflict_window_get_model (window);
  g_autofree char *shown = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *held = NULL;
  guint version = 0;
  guint puts = 0;
  GtkWidget *warning;

  g_assert_nonnull (model);
  g_assert_true (ferry_conflict_model_get_has_base (model));
  g_assert_cmpuint (ferry_conflict_model_get_n_members (model), ==, 6);
  g_assert_cmpstr (adw_window_title_get_subtitle (
                     ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                      FERRY_TYPE_CONFLICT_WINDOW,
                                                                      "window_title"))),
                   ==, "Shopping list");
  g_assert_true (g_str_has_prefix (gui_label_text (GTK_WIDGET (window),
                                                   FERRY_TYPE_CONFLICT_WINDOW, "error_label"),
                                   "Reason: "));

  assert_row (window, "title", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
  assert_row (window, "items", FERRY_CONFLICT_CHANGE_MINE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (window, "done", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  assert_row (window, "color", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  assert_row (window, "list", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (window, "pinned", FERRY_CONFLICT_CHANGE_MINE, FERRY_CONFLICT_SIDE_MINE);

  /* The member changed on both sides is marked, and only it. */
  warning = find_by_tooltip (window, GTK_TYPE_IMAGE, "Changed on both sides");
  g_assert_nonnull (warning);
  g_assert_true (gtk_widget_get_mapped (warning));
  g_assert_cmpuint (count_with_class (GTK_WIDGET (window), "conflict-both"), ==, 2);
  g_assert_cmpuint (count_with_class (GTK_WIDGET (window), "conflict-mine-changed"), ==, 2);
  g_assert_cmpuint (count_with_class (GTK_WIDGET (window), "conflict-server-changed"), ==, 2);
  /* The color the server removed. */
  g_assert_cmpuint (count_with_class (GTK_WIDGET (window), "conflict-absent"), ==, 3);

  /* The defaults: the title is mine. */
  shown = ferry_conflict_window_dup_result (window);
  g_assert_true (json_equal (shown,
                             "{\"title\":\"Shopping for Sunday\",\"items\":[\"milk\",\"eggs\"],"
                             "\"done\":true,\"list\":\"home\",\"pinned\":true}"));
  g_clear_pointer (&shown, g_free);

  g_assert_true (action_enabled (window, "send-merged"));
  gui_click_button (GTK_WIDGET (window), "Keep the server’s for title");
  g_assert_true (gtk_toggle_button_get_active (choice_button (window, "title",
                                                              FERRY_CONFLICT_SIDE_SERVER)));
  g_assert_false (gtk_toggle_button_get_active (choice_button (window, "title",
                                                               FERRY_CONFLICT_SIDE_MINE)));
  shown = ferry_conflict_window_dup_result (window);
  g_assert_true (json_equal (shown, MERGED_DOC));

  sent = ferry_conflict_window_dup_result (window);
  gui_click_button (GTK_WIDGET (window), "Send Merged");
  GUI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Sent conditionally on the server's version, so accepted as version 3,
   * holding exactly what the window showed. */
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  held = ferry_doc_server_read (fx.docs, "/notes/merge", &version, &puts, NULL);
  g_assert_cmpuint (version, ==, 3);
  g_assert_cmpuint (puts, ==, 1);
  g_assert_cmpstr (held, ==, sent);
  g_assert_true (json_equal (held, MERGED_DOC));

  close_window (window);
}

/* Keep Server's sends nothing: the server's copy stays as it was. */
static void
test_keep_server (void)
{
  g_autofree char *id = make_conflict ("/notes/theirs", BASE_DOC, THEIRS_DOC, MINE_DOC,
                                       "application/json");
  FerryConflictWindow *window = open_window (id);
  g_autofree char *held = NULL;
  guint version = 0;
  guint puts = 0;

  gui_click_button (GTK_WIDGET (window), "Keep Server’s");
  GUI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (window)));
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);

  held = ferry_doc_server_read (fx.docs, "/notes/theirs", &version, &puts, NULL);
  g_assert_cmpuint (version, ==, 2);
  g_assert_cmpuint (puts, ==, 0);
  g_assert_cmpstr (held, ==, THEIRS_DOC);

  close_window (window);
}

/* Bodies that are not JSON objects: both shown as text, settled whole. */
static void
test_text_bodies (void)
{
  g_autofree char *id = make_conflict ("/notes/text", "Milk", "Milk, bread", "Milk, eggs",
                                       "text/plain");
  FerryConflictWindow *window = open_window (id);
  GtkStack *mode = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                              FERRY_TYPE_CONFLICT_WINDOW,
                                                              "mode_stack"));
  GtkTextView *mine_view;
  GtkTextView *server_view;
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *mine_text = NULL;
  g_autofree char *server_text = NULL;
  g_autofree char *held = NULL;

  g_assert_null (ferry_conflict_window_get_model (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (mode), ==, "text");

  mine_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                            FERRY_TYPE_CONFLICT_WINDOW,
                                                            "mine_text_view"));
  server_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                              FERRY_TYPE_CONFLICT_WINDOW,
                                                              "server_text_view"));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (mine_view), &start, &end);
  mine_text = gtk_text_iter_get_text (&start, &end);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (server_view), &start, &end);
  server_text = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (mine_text, ==, "Milk, eggs");
  g_assert_cmpstr (server_text, ==, "Milk, bread");

  g_assert_false (action_enabled (window, "send-merged"));
  g_assert_false (gtk_widget_get_visible (gui_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                           uses_action,
                                                           "conflict.send-merged")));
  g_assert_true (g_str_has_suffix (gui_label_text (GTK_WIDGET (window),
                                                   FERRY_TYPE_CONFLICT_WINDOW,
                                                   "explanation_label"),
                                   "Choose which whole copy to keep."));
  g_assert_true (action_enabled (window, "keep-mine"));
  g_assert_true (action_enabled (window, "keep-server"));

  gui_click_button (GTK_WIDGET (window), "Keep Mine");
  GUI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (window)));
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  held = ferry_doc_server_read (fx.docs, "/notes/text", NULL, NULL, NULL);
  g_assert_cmpstr (held, ==, "Milk, eggs");

  close_window (window);
}

static char *
text_of (FerryConflictWindow *window,
         const char          *name)
{
  GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                   FERRY_TYPE_CONFLICT_WINDOW,
                                                                   name));
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_iter_get_text (&start, &end);
}

/* The server's copy was deleted there: the window says so instead of
 * showing an error page as the server's copy, and its two choices create
 * the document again or drop the change. */
static void
test_deleted_on_server (void)
{
  g_autofree char *url = ferry_doc_server_url (fx.docs, "/notes/deleted");
  g_autofree char *again_url = ferry_doc_server_url (fx.docs, "/notes/dropped");
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(FerryRequest) dropped = ferry_request_new ("PUT", again_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dropped_id = NULL;
  g_autofree char *server_text = NULL;
  g_autofree char *held = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  FerryConflictWindow *window;

  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? "/notes/deleted" : "/notes/dropped";
      FerryRequest *which = i == 0 ? request : dropped;

      ferry_doc_server_write (fx.docs, path, BASE_DOC);
      ferry_doc_server_delete (fx.docs, path);
      ferry_request_set_body_text (which, MINE_DOC, "application/json");
      ferry_request_set_if_match (which, "\"v1\"");
      ferry_request_set_conflict_strategy (which, FERRY_CLIENT_CONFLICT_ASK);
    }
  id = client_enqueue (client (), request, &error);
  g_assert_no_error (error);
  dropped_id = client_enqueue (client (), dropped, &error);
  g_assert_no_error (error);
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_CONFLICT);
  GUI_WAIT (task_state (dropped_id) == FERRY_CLIENT_TASK_STATE_CONFLICT);

  info = client_get (client (), id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_task_info_get_server_copy (info), ==, FERRY_CLIENT_SERVER_COPY_DELETED);
  g_assert_null (ferry_task_info_get_response_body (info));

  window = open_window (id);
  server_text = text_of (window, "server_text_view");
  g_assert_cmpstr (server_text, ==, "(deleted on the server)");
  g_assert_true (g_str_has_prefix (gui_label_text (GTK_WIDGET (window),
                                                   FERRY_TYPE_CONFLICT_WINDOW,
                                                   "explanation_label"),
                                   "The document was deleted on the server"));
  g_assert_false (action_enabled (window, "send-merged"));
  g_assert_nonnull (find_by_tooltip (window, GTK_TYPE_BUTTON,
                                     "Create the document again from my change"));
  g_assert_nonnull (find_by_tooltip (window, GTK_TYPE_BUTTON,
                                     "Drop my change: the document stays deleted"));

  /* Keep Mine creates it again. */
  gui_click_button (GTK_WIDGET (window), "Keep Mine");
  GUI_WAIT (task_state (id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  g_assert_false (ferry_doc_server_is_deleted (fx.docs, "/notes/deleted"));
  held = ferry_doc_server_read (fx.docs, "/notes/deleted", NULL, NULL, NULL);
  g_assert_cmpstr (held, ==, MINE_DOC);
  close_window (window);

  /* Keep Server's drops the change: still deleted. */
  window = open_window (dropped_id);
  gui_click_button (GTK_WIDGET (window), "Keep Server’s");
  GUI_WAIT (task_state (dropped_id) == FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  g_assert_true (ferry_doc_server_is_deleted (fx.docs, "/notes/dropped"));
  close_window (window);
}

/* Settled elsewhere while open: the window says so and offers nothing. */
static void
test_resolved_elsewhere (void)
{
  g_autofree char *id = make_conflict ("/notes/elsewhere", BASE_DOC, THEIRS_DOC, MINE_DOC,
                                       "application/json");
  FerryConflictWindow *window = open_window (id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *notice = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                 FERRY_TYPE_CONFLICT_WINDOW,
                                                                 "resolved_label"));

  g_assert_false (gtk_widget_get_visible (notice));

  ferry_client_resolve_async (client (), id, FERRY_CLIENT_RESOLVE_REMOTE, NULL, NULL,
                              client_store_result_cb, &result);
  ferry_client_resolve_finish (client (), client_wait_result (&result), &error);
  g_assert_no_error (error);

  GUI_WAIT (!ferry_conflict_window_get_in_conflict (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_visible (notice));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (notice)), ==,
                   "This conflict has been resolved elsewhere, and the change is done.");
  g_assert_false (action_enabled (window, "keep-mine"));
  g_assert_false (action_enabled (window, "keep-server"));
  g_assert_false (action_enabled (window, "send-merged"));

  /* Escape closes it. */
  g_assert_true (has_shortcut (window, "Escape", "window.close"));
  gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL);
  GUI_WAIT (!gtk_widget_get_visible (GTK_WIDGET (window)));
  close_window (window);
}

/* A second request for the same task shows the window already open. */
static void
test_present_once (void)
{
  g_autofree char *id = make_conflict ("/notes/once", BASE_DOC, THEIRS_DOC, MINE_DOC,
                                       "application/json");
  FerryConflictWindow *window = open_window (id);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);

  ferry_conflict_window_present (NULL, client (), id);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* GTestDBus forks a watcher process on its first use, which runs the
   * atexit() handlers registered until then when it ends, after this
   * process.  One of them stops the test's Xvfb, and would wait forever in
   * the watcher for a process that is not its child: let the watcher fork
   * before the display is started, on a bus that is down at once. */
  {
    g_autoptr(GTestDBus) early = g_test_dbus_new (G_TEST_DBUS_NONE);

    g_test_dbus_up (early);
    g_test_dbus_down (early);
  }

  gui_test_init (&argc, &argv);
  adw_init ();

  g_test_add_func ("/gui/conflict-window/send-merged", test_send_merged);
  g_test_add_func ("/gui/conflict-window/keep-server", test_keep_server);
  g_test_add_func ("/gui/conflict-window/text-bodies", test_text_bodies);
  g_test_add_func ("/gui/conflict-window/resolved-elsewhere", test_resolved_elsewhere);
  g_test_add_func ("/gui/conflict-window/deleted-on-server", test_deleted_on_server);
  g_test_add_func ("/gui/conflict-window/present-once", test_present_once);

  fx.docs = ferry_doc_server_new ();
  client_fixture_set_up (&fx.base, "full", FERRY_CLIENT_FLAGS_NONE);
  client_fixture_start_agent (&fx.base);

  status = g_test_run ();

  client_fixture_tear_down (&fx.base);
  g_clear_pointer (&fx.docs, ferry_doc_server_free);
  return status;
}
