/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ferry-collection-details.h"
#include "ferry-collections-view.h"
#include "ferry-conflict-window.h"
#include "ferry-rest-server.h"
#include "ferry-details-window.h"
#include "ferry-preferences-window.h"
#include "ferry-dbus-test-config.h"
#include "ferry-gui-test-util.h"

/*
 * Not a test: takes the README's screenshots of the real window, against
 * the built ferryd on a private bus delivering to a loopback server, on an
 * Xvfb of its own.  Each window is drawn by GTK itself into a PNG.
 *
 *   _build/tests/gui/take-screenshots docs/screenshots
 */

#define WAIT(expr) FERRY_TEST_WAIT ((expr), 30000)
#define CONNECTION_FLAGS (G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT \
                          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION)

static struct
{
  const char       *out_dir;
  FerryTestServer  *server;
  FerryClient      *client;        /* the screenshots' "apps" */
  FerryApplication *app;
  FerryWindow      *window;
  gpointer          app_client;    /* weak */
  char             *failed_auth_id;
} shot;

/* Waits until @widget is drawn; adds it to @snapshot at its size. */
static void
snapshot_widget (GtkSnapshot *snapshot,
                 GtkWidget   *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;

  WAIT (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0);
  gtk_test_widget_wait_for_draw (widget);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
}

/* Renders what @snapshot holds with @widget's renderer into NAME. */
static void
write_png (GtkSnapshot *snapshot,
           GtkWidget   *widget,
           int          width,
           int          height,
           const char  *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderNode *node;
  GskRenderer *renderer;

  node = gtk_snapshot_free_to_node (snapshot);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  path = g_build_filename (shot.out_dir, name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s (%d×%d)\n", path, width, height);
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  snapshot_widget (snapshot, widget);
  write_png (snapshot, widget, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
             name);
}

/* @front over @back, as a window opened over another one: @front's
 * top left corner at (@x, @y) of @back's. */
static void
save_over_png (GtkWidget  *back,
               GtkWidget  *front,
               int         x,
               int         y,
               const char *name)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRoundedRect outline;
  int width;
  int height;

  snapshot_widget (snapshot, back);
  /* The shadow a window manager would give it. */
  WAIT (gtk_widget_get_mapped (front) && gtk_widget_get_width (front) > 0);
  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (x, y, gtk_widget_get_width (front),
                                                        gtk_widget_get_height (front)),
                                   12);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &(GdkRGBA) { 0, 0, 0, 0.35 },
                                     0, 6, 2, 24);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  snapshot_widget (snapshot, front);
  gtk_snapshot_restore (snapshot);
  width = MAX (gtk_widget_get_width (back), x + gtk_widget_get_width (front));
  height = MAX (gtk_widget_get_height (back), y + gtk_widget_get_height (front));
  write_png (snapshot, back, width, height, name);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

static void
write_desktop_file (const char *dir,
                    const char *id,
                    const char *name,
                    const char *icon)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.desktop", dir, id);
  g_autofree char *text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=%s\n"
                                           "Exec=true\nIcon=%s\n", name, icon);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
enqueue (const char          *app_id,
         const char          *method,
         const char          *path,
         const char          *name,
         FerryClientPriority  priority,
         const char          *body)
{
  g_autofree char *url = ferry_test_server_url (shot.server, path);
  g_autoptr(FerryRequest) request = ferry_request_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  ferry_request_set_app_id (request, app_id);
  ferry_request_set_priority (request, priority);
  if (name != NULL)
    ferry_request_set_name (request, name);
  if (body != NULL)
    ferry_request_set_body_text (request, body, "application/json");
  if (g_str_has_prefix (path, "/mail/"))
    ferry_request_add_header (request, "Authorization", "Bearer mail-token");
  ferry_client_enqueue_async (shot.client, request, NULL, client_store_result_cb, &result);
  id = ferry_client_enqueue_finish (shot.client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  return id;
}

static void
set_paused (gboolean paused)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (paused)
    {
      ferry_client_pause_async (shot.client, NULL, client_store_result_cb, &result);
      ferry_client_pause_finish (shot.client, client_wait_result (&result), &error);
    }
  else
    {
      ferry_client_resume_async (shot.client, NULL, client_store_result_cb, &result);
      ferry_client_resume_finish (shot.client, client_wait_result (&result), &error);
    }
  g_assert_no_error (error);
}

static FerryTaskView *
view (const char *kind)
{
  return ferry_window_get_view (shot.window, kind);
}

static gboolean
rows_loaded (FerryTaskView *task_view)
{
  GtkWidget *list_view = GTK_WIDGET (ferry_task_view_get_list_view (task_view));
  guint shown = 0;

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

static void
show (const char *kind)
{
  ferry_window_show_view (shot.window, kind);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (shot.window));
  /* A view being emptied may still count rows it no longer shows. */
  WAIT (ferry_task_view_get_n_items (view (kind)) == 0 || rows_loaded (view (kind)));
}

static void
fill_history (void)
{
  static const char * const paths[] = {
    "/notes/3", "/notes/4", "/photos/albums/summer", "/mail/sent/88", "/notes/5", "/notes/6",
  };
  static const char * const apps[] = {
    "org.example.Notes", "org.example.Notes", "org.example.Photos", "org.example.Mail",
    "org.example.Notes", "org.example.Notes",
  };
  g_autofree char *dropped = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_test_server_set_default (shot.server, "/photos/albums/summer", 201, NULL, "{}");
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_free (enqueue (apps[i], "PUT", paths[i], NULL, FERRY_CLIENT_PRIORITY_MEDIUM,
                     "{\"title\":\"Groceries\"}"));

  /* One the person thought better of. */
  set_paused (TRUE);
  dropped = enqueue ("org.example.Photos", "DELETE", "/photos/412", "Delete photo 412",
                     FERRY_CLIENT_PRIORITY_LOW, NULL);
  ferry_client_cancel_async (shot.client, dropped, NULL, client_store_result_cb, &result);
  ferry_client_cancel_finish (shot.client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  set_paused (FALSE);
  WAIT (ferry_window_get_view_count (shot.window, "history") == G_N_ELEMENTS (paths) + 1);
}

static void
fill_failures (void)
{
  ferry_test_server_set_default (shot.server, "/notes/17", 404, NULL, "not found");
  ferry_test_server_set_default (shot.server, "/mail/drafts/3", 401, NULL, "sign in");
  ferry_test_server_set_default (shot.server, "/photos/upload", 413, NULL, "too large");
  ferry_test_server_set_default (shot.server, "/notes/21", 422, NULL, "{\"error\":\"title\"}");

  g_free (enqueue ("org.example.Notes", "PUT", "/notes/17", "Shopping list",
                   FERRY_CLIENT_PRIORITY_MEDIUM, "{\"title\":\"Shopping list\"}"));
  shot.failed_auth_id = enqueue ("org.example.Mail", "POST", "/mail/drafts/3", "Draft to Ana",
                                 FERRY_CLIENT_PRIORITY_HIGH,
                                 "{\"to\":\"ana@example.com\",\"subject\":\"Sunday\"}");
  g_free (enqueue ("org.example.Photos", "POST", "/photos/upload", "IMG_2041.jpg",
                   FERRY_CLIENT_PRIORITY_LOW, NULL));
  g_free (enqueue ("org.example.Notes", "PATCH", "/notes/21", "Meeting notes",
                   FERRY_CLIENT_PRIORITY_MEDIUM, "{\"title\":\"\"}"));
  WAIT (ferry_window_get_view_count (shot.window, "failed") == 4);
}

static void
fill_conflicts (void)
{
  g_autofree char *url = ferry_test_server_url (shot.server, "/notes/12");
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) base = g_bytes_new_static ("{\"title\":\"Trip\",\"items\":3}", 26);
  g_autofree char *id = NULL;

  ferry_test_server_set_default (shot.server, "/notes/12", 409,
                                 "Content-Type: application/json",
                                 "{\"title\":\"Trip to Porto\",\"items\":3}");
  ferry_request_set_app_id (request, "org.example.Notes");
  ferry_request_set_name (request, "Trip");
  ferry_request_set_body_text (request, "{\"title\":\"Trip\",\"items\":5}", "application/json");
  ferry_request_set_base (request, base);
  ferry_client_enqueue_async (shot.client, request, NULL, client_store_result_cb, &result);
  id = ferry_client_enqueue_finish (shot.client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  WAIT (ferry_window_get_view_count (shot.window, "conflicts") == 1);
}

/* A run of 40: 12 delivered at once, 4 in flight, 2 waiting to retry,
 * the rest queued. */
static void
start_run (void)
{
  set_paused (TRUE);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *path = g_strdup_printf ("/notes/%u", 100 + i);

      g_free (enqueue ("org.example.Notes", "PUT", path, NULL, FERRY_CLIENT_PRIORITY_MEDIUM,
                       "{\"done\":true}"));
    }
  ferry_test_server_set_default (shot.server, "/mail/outbox", 503, "Retry-After: 45", "busy");
  g_free (enqueue ("org.example.Mail", "POST", "/mail/outbox", "Reply to Jonas",
                   FERRY_CLIENT_PRIORITY_HIGH, "{\"to\":\"jonas@example.com\"}"));
  g_free (enqueue ("org.example.Mail", "POST", "/mail/outbox", "Reply to Mei",
                   FERRY_CLIENT_PRIORITY_MEDIUM, "{\"to\":\"mei@example.com\"}"));
  ferry_test_server_hold (shot.server, "/photos/upload/summer");
  for (guint i = 0; i < 26; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%u.jpg", 3100 + i);

      g_free (enqueue ("org.example.Photos", "POST", "/photos/upload/summer", name,
                       i < 2 ? FERRY_CLIENT_PRIORITY_LOW : FERRY_CLIENT_PRIORITY_MEDIUM, NULL));
    }
  set_paused (FALSE);
  WAIT (ferry_client_get_progress_done (ferry_window_get_client (shot.window)) >= 12
        && ferry_test_server_get_in_flight (shot.server) >= 2
        && ferry_test_server_count_requests (shot.server, "/mail/outbox") >= 2);
}

/* Cancels what still waits, as the person would from its rows. */
static void
cancel_pending (void)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  tasks = client_list (shot.client, query, 0, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      ferry_client_cancel_async (shot.client,
                                 ferry_task_info_get_id (g_ptr_array_index (tasks, i)), NULL,
                                 client_store_result_cb, &result);
      ferry_client_cancel_finish (shot.client, client_wait_result (&result), NULL);
    }
  WAIT (ferry_client_get_pending_count (ferry_window_get_client (shot.window)) == 0);
}

/* Collections: one synced, one whose server refused records, one with a
 * conflict waiting for a decision. */
static char *
add_shot_collection (FerryRestServer *server,
                     const char      *name,
                     const char      *app,
                     guint            batch_limit)
{
  g_autofree char *url = ferry_rest_server_url (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder config;
  char *path;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string (app));
  g_variant_builder_add (&config, "{sv}", "conflict-strategy", g_variant_new_string ("ask"));
  if (batch_limit > 0)
    g_variant_builder_add (&config, "{sv}", "batch-limit", g_variant_new_uint32 (batch_limit));
  ferry_client_add_collection_async (shot.client, g_variant_builder_end (&config), NULL,
                                     client_store_result_cb, &result);
  path = ferry_client_add_collection_finish (shot.client, client_wait_result (&result), &error);
  g_assert_no_error (error);
  return path;
}

static FerryCollection *
open_shot_collection (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;

  ferry_collection_new_async (shot.client, path, NULL, client_store_result_cb, &result);
  collection = ferry_collection_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);
  return collection;
}

static void
put_shot_document (FerryCollection *collection,
                   const char      *id,
                   const char      *json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_collection_put_async (collection, id, json, NULL, client_store_result_cb, &result);
  ferry_collection_put_finish (collection, client_wait_result (&result), &error);
  g_assert_no_error (error);
}

/* With FERRY_SCREENSHOTS_NARROW set, also @window at 360 px wide, as
 * NAME-360.png, to check that nothing is clipped on a phone. */
static void
save_narrow (GtkWindow  *window,
             const char *name)
{
  g_autofree char *file = NULL;
  int width;
  int height;

  if (g_getenv ("FERRY_SCREENSHOTS_NARROW") == NULL)
    return;
  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, height);
  /* A window that cannot be that narrow stays at its narrowest. */
  WAIT (gtk_widget_get_width (GTK_WIDGET (window)) < width);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  file = g_strdup_printf ("%s-360.png", name);
  save_png (GTK_WIDGET (window), file);
  gtk_window_set_default_size (window, width, height);
  WAIT (gtk_widget_get_width (GTK_WIDGET (window)) >= width - 10);
}

/* A fourth collection in the middle of its first run: its server holds
 * the batches after the first three, so the run waits there, the same
 * every time, next to the three others. */
static void
shoot_collection_syncing (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autofree char *albums_path = NULL;
  g_autoptr(FerryCollection) albums = NULL;
  g_autoptr(GtkWindow) window = NULL;
  guint total = 0;
  guint synced = 0;

  set_paused (TRUE);
  albums_path = add_shot_collection (server, "albums", "org.example.Photos", 100);
  albums = open_shot_collection (albums_path);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = g_strdup_printf ("photo-%04u", i);

      put_shot_document (albums, id, "{\"album\":\"Summer\",\"starred\":false}");
    }
  ferry_rest_server_hold (server, "batch", 3);
  set_paused (FALSE);
  WAIT (ferry_rest_server_count_held (server) == 1 &&
        (ferry_collection_get_progress (albums, &total, &synced, NULL), synced == 300) &&
        g_str_has_prefix (ferry_window_get_status_text (shot.window), "Syncing"));

  window = ferry_collections_window_new (GTK_WINDOW (shot.window),
                                         ferry_window_get_client (shot.window));
  gtk_window_present (window);
  WAIT (ferry_collections_view_get_count (FERRY_COLLECTIONS_VIEW (
          gui_find_widget (GTK_WIDGET (window), FERRY_TYPE_COLLECTIONS_VIEW, NULL, NULL))) == 4);
  show ("history");
  save_over_png (GTK_WIDGET (shot.window), GTK_WIDGET (window), 170, 110,
                 "collections-syncing.png");
  gtk_window_destroy (window);

  ferry_rest_server_release (server);
  WAIT (g_strcmp0 (ferry_collection_get_state (albums), "synced") == 0);
}

static void
shoot_collections (void)
{
  g_autoptr(FerryRestServer) server = ferry_rest_server_new ();
  g_autofree char *notes_path = add_shot_collection (server, "notes", "org.example.Notes", 0);
  g_autofree char *readings_path = add_shot_collection (server, "readings",
                                                        "org.example.Meter", 0);
  g_autofree char *contacts_path = add_shot_collection (server, "contacts",
                                                        "org.example.Contacts", 0);
  g_autoptr(FerryCollection) notes = open_shot_collection (notes_path);
  g_autoptr(FerryCollection) readings = open_shot_collection (readings_path);
  g_autoptr(FerryCollection) contacts = open_shot_collection (contacts_path);
  g_autoptr(GtkWindow) window = NULL;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("note-%u", i);

      put_shot_document (notes, id, "{\"title\":\"Groceries\"}");
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("bad-%u", i);

      ferry_rest_server_reject (server, id, "the value is out of range");
      put_shot_document (readings, id, "{\"kwh\":-1}");
    }
  put_shot_document (contacts, "ada", "{\"phone\":\"1\"}");
  WAIT (g_strcmp0 (ferry_collection_get_state (contacts), "synced") == 0);
  ferry_rest_server_put (server, "ada", "{\"phone\":\"2\"}");
  put_shot_document (contacts, "ada", "{\"phone\":\"3\"}");
  WAIT (ferry_collection_get_conflict_count (contacts) == 1 &&
        ferry_collection_get_failed_count (readings) == 3 &&
        g_strcmp0 (ferry_collection_get_state (notes), "synced") == 0);

  window = ferry_collections_window_new (GTK_WINDOW (shot.window),
                                         ferry_window_get_client (shot.window));
  gtk_window_present (window);
  WAIT (ferry_collections_view_get_count (FERRY_COLLECTIONS_VIEW (
          gui_find_widget (GTK_WIDGET (window), FERRY_TYPE_COLLECTIONS_VIEW, NULL, NULL))) == 3);
  save_png (GTK_WIDGET (window), "collections.png");
  gtk_window_destroy (window);
  g_clear_object (&window);

  /* A collection's details, with its last runs. */
  WAIT (ferry_collection_get_dirty_count (notes) == 0);
  window = ferry_collection_details_new (GTK_WINDOW (shot.window), notes);
  gtk_window_set_default_size (window, 560, 720);
  gtk_window_present (window);
  WAIT (ferry_collection_details_get_n_runs (FERRY_COLLECTION_DETAILS (window)) >= 2);
  save_png (GTK_WIDGET (window), "collection-details.png");
  save_narrow (window, "collection-details");
  gtk_window_destroy (window);
  g_clear_object (&window);

  /* The record in conflict waits in the Conflicts view, beside the task. */
  show ("conflicts");
  WAIT (ferry_window_get_view_count (shot.window, "conflicts") == 2);
  save_png (GTK_WIDGET (shot.window), "conflicts.png");
  save_narrow (GTK_WINDOW (shot.window), "conflicts");

  shoot_collection_syncing ();
}

static gboolean
take_screenshots (gpointer user_data)
{
  GtkWidget *details;
  GtkWidget *preferences;
  guint32 pid;

  WAIT ((shot.window = ferry_application_get_window (shot.app)) != NULL);
  g_object_ref (shot.window);
  WAIT (ferry_client_get_agent_running (ferry_window_get_client (shot.window)));
  shot.app_client = ferry_window_get_client (shot.window);
  g_object_add_weak_pointer (shot.app_client, &shot.app_client);
  gtk_window_set_default_size (GTK_WINDOW (shot.window), 900, 640);

  show ("pending");
  save_png (GTK_WIDGET (shot.window), "empty.png");

  fill_history ();
  fill_failures ();
  fill_conflicts ();
  start_run ();
  show ("pending");
  save_png (GTK_WIDGET (shot.window), "pending.png");

  ferry_test_server_release (shot.server, "/photos/upload/summer");
  WAIT (g_str_has_suffix (ferry_window_get_status_text (shot.window), "need your attention"));
  show ("failed");
  save_png (GTK_WIDGET (shot.window), "failed.png");
  show ("history");
  save_png (GTK_WIDGET (shot.window), "history.png");

  /* Nothing waits, but other views need the person: Pending says so. */
  cancel_pending ();
  show ("pending");
  WAIT (g_strcmp0 (ferry_task_view_get_page (ferry_window_get_view (shot.window, "pending")),
                   "empty") == 0);
  save_png (GTK_WIDGET (shot.window), "empty-attention.png");

  gtk_widget_activate_action (GTK_WIDGET (shot.window), "win.show-details", "s",
                              shot.failed_auth_id);
  WAIT ((details = GTK_WIDGET (gui_find_toplevel (FERRY_TYPE_DETAILS_WINDOW))) != NULL);
  WAIT (ferry_details_window_get_info (FERRY_DETAILS_WINDOW (details)) != NULL);
  save_png (details, "details.png");
  gtk_window_destroy (GTK_WINDOW (details));

  g_action_group_activate_action (G_ACTION_GROUP (shot.app), "preferences", NULL);
  WAIT ((preferences = GTK_WIDGET (gui_find_toplevel (FERRY_TYPE_PREFERENCES_WINDOW))) != NULL);
  save_png (preferences, "preferences.png");
  gtk_window_destroy (GTK_WINDOW (preferences));

  shoot_collections ();

  /* The agent goes away. */
  show ("failed");
  {
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) error = NULL;

    reply = g_dbus_connection_call_sync (ferry_client_get_connection (shot.client),
                                         "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                         g_variant_new ("(s)", FERRY_DBUS_NAME),
                                         G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                         NULL, &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(u)", &pid);
  }
  kill ((pid_t) pid, SIGTERM);
  WAIT (ferry_window_get_banner_visible (shot.window));
  save_png (GTK_WIDGET (shot.window), "agent-stopped.png");

  g_clear_object (&shot.window);
  g_action_group_activate_action (G_ACTION_GROUP (shot.app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *apps = NULL;
  g_autofree char *data_dir = NULL;
  char *app_argv[] = { argv[0], NULL };

  if (argc != 2)
    {
      g_printerr ("Usage: %s DIRECTORY\n", argv[0]);
      return 2;
    }
  shot.out_dir = argv[1];
  g_mkdir_with_parents (shot.out_dir, 0755);

  setlocale (LC_ALL, "C.UTF-8");
  home = g_dir_make_tmp ("ferry-screenshots-XXXXXX", &error);
  g_assert_no_error (error);
  apps = g_build_filename (home, "applications", NULL);
  data_dir = g_build_filename (home, "ferry", NULL);
  g_mkdir_with_parents (apps, 0700);
  g_mkdir_with_parents (data_dir, 0700);
  write_desktop_file (apps, "org.example.Notes", "Notes", "document-edit-symbolic");
  write_desktop_file (apps, "org.example.Mail", "Mail", "mail-message-new-symbolic");
  write_desktop_file (apps, "org.example.Photos", "Photos", "emblem-photos-symbolic");

  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", FERRY_GSCHEMA_DIR, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("FERRY_DATA_DIR", data_dir, TRUE);
  g_setenv ("FERRY_TEST_NETWORK", "full", TRUE);
  g_setenv ("FERRY_ICON_THEME_PATH", FERRY_SOURCE_ICONS, TRUE);

  gui_start_xvfb ();
  /* Before the bus: GTestDBus unsets DISPLAY. */
  gtk_init ();
  /* Pictures of where transitions end, not of their middle. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  shot.server = ferry_test_server_new ();
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus, FERRY_TEST_SERVICES_DIR);
  g_test_dbus_up (bus);

  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.ferrysync.Ferry");

    g_settings_set_boolean (settings, "notifications", FALSE);
  }

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       CONNECTION_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  ferry_client_new_async (connection, FERRY_CLIENT_FLAGS_NONE, NULL, client_store_result_cb,
                          &result);
  shot.client = ferry_client_new_finish (client_wait_result (&result), &error);
  g_assert_no_error (error);

  shot.app = ferry_application_new ();
  g_idle_add (take_screenshots, NULL);
  g_application_run (G_APPLICATION (shot.app), 1, app_argv);
  g_clear_object (&shot.app);

  WAIT (shot.app_client == NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&shot.client);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_test_dbus_down (bus);
  ferry_test_server_free (shot.server);
  g_free (shot.failed_auth_id);
  {
    g_autoptr(GFile) tree = g_file_new_for_path (home);

    remove_tree (tree);
  }
  return 0;
}
