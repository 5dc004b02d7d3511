/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "ferry-client-fixture.h"
#include "ferry-notifier.h"
#include "ferry-test-util.h"

/*
 * FerryNotifier against the real ferryd and a real HTTP server, with the
 * notifications going over the private bus to a notification server of
 * the test's own (org.gtk.Notifications, the interface GNOME Shell
 * implements), so what is checked is what a desktop would show.
 */

#define TEST_APP_ID "io.github.ferrysync.Ferry.NotifierTest"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "      <arg type='a{sv}' name='notification' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  char     *method;          /* AddNotification or RemoveNotification */
  char     *app_id;
  char     *id;
  GVariant *notification;    /* a{sv}, NULL for a removal */
} Received;

typedef struct
{
  ClientFixture     base;
  FerryTestServer  *server;
  GDBusConnection  *desktop;        /* the notification server's connection */
  guint             registration;
  GPtrArray        *received;       /* Received */
  GApplication     *application;
  GSettings        *settings;
  FerryNotifier    *notifier;
} Fixture;

static void
received_free (Received *received)
{
  g_free (received->method);
  g_free (received->app_id);
  g_free (received->id);
  g_clear_pointer (&received->notification, g_variant_unref);
  g_free (received);
}

static void
on_notifications_method_call (GDBusConnection       *connection,
                              const char            *sender,
                              const char            *object_path,
                              const char            *interface_name,
                              const char            *method_name,
                              GVariant              *parameters,
                              GDBusMethodInvocation *invocation,
                              gpointer               user_data)
{
  Fixture *fixture = user_data;
  Received *received = g_new0 (Received, 1);

  received->method = g_strdup (method_name);
  if (g_str_equal (method_name, "AddNotification"))
    g_variant_get (parameters, "(ss@a{sv})", &received->app_id, &received->id,
                   &received->notification);
  else
    g_variant_get (parameters, "(ss)", &received->app_id, &received->id);
  g_ptr_array_add (fixture->received, received);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = {
  on_notifications_method_call, NULL, NULL, { 0 }
};

static void
start_notification_server (Fixture *fixture)
{
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result = 0;

  node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);

  fixture->desktop = ferry_agent_fixture_connect (&fixture->base.bus);
  fixture->registration =
    g_dbus_connection_register_object (fixture->desktop, "/org/gtk/Notifications",
                                       node->interfaces[0], &notifications_vtable,
                                       fixture, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (fixture->desktop, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 0u),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
}

/* One private bus, one application and one notifier for the program: an
 * application registers on the process's session bus connection, which
 * lives as long as the bus. */
static Fixture fixture;

static void
set_up_program (void)
{
  g_autoptr(GError) error = NULL;

  fixture.server = ferry_test_server_new ();
  fixture.received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  client_fixture_set_up (&fixture.base, "full", FERRY_CLIENT_FLAGS_NONE);
  start_notification_server (&fixture);

  fixture.application = g_application_new (TEST_APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_application_register (fixture.application, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (fixture.application));

  fixture.settings = g_settings_new ("io.github.ferrysync.Ferry");
  fixture.notifier = ferry_notifier_new (fixture.application, fixture.base.client,
                                         fixture.settings);
  client_fixture_start_agent (&fixture.base);
}

static void
tear_down_program (void)
{
  g_clear_object (&fixture.notifier);
  g_clear_object (&fixture.settings);
  g_clear_object (&fixture.application);
  g_dbus_connection_unregister_object (fixture.desktop, fixture.registration);
  g_dbus_connection_close_sync (fixture.desktop, NULL, NULL);
  g_clear_object (&fixture.desktop);
  client_fixture_tear_down (&fixture.base);
  g_clear_pointer (&fixture.server, ferry_test_server_free);
  g_clear_pointer (&fixture.received, g_ptr_array_unref);
}

/* Each test starts with nothing failed or in conflict, nothing waiting in
 * the notifier, and counts what is received from here on. */
static guint mark;

static void
reset (void)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_FAILED);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_CONFLICT);
  tasks = client_list (fixture.base.client, query, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      ferry_client_cancel_async (fixture.base.client,
                                 ferry_task_info_get_id (g_ptr_array_index (tasks, i)),
                                 NULL, client_store_result_cb, &result);
      ferry_client_cancel_finish (fixture.base.client, client_wait_result (&result), &error);
      g_assert_no_error (error);
    }
  FERRY_TEST_WAIT (ferry_client_get_failed_count (fixture.base.client) == 0
                   && ferry_client_get_auth_count (fixture.base.client) == 0
                   && ferry_client_get_conflict_count (fixture.base.client) == 0, 20000);

  ferry_notifier_acknowledge (fixture.notifier, "failed");
  ferry_notifier_acknowledge (fixture.notifier, "conflicts");
  g_settings_set_boolean (fixture.settings, "notifications", TRUE);
  mark = fixture.received->len;
}

static guint
count_received (const char *method,
                const char *id)
{
  guint n = 0;

  for (guint i = mark; i < fixture.received->len; i++)
    {
      Received *received = g_ptr_array_index (fixture.received, i);

      if (g_str_equal (received->method, method) && g_strcmp0 (received->id, id) == 0)
        n++;
    }
  return n;
}

static Received *
last_added (const char *id)
{
  for (guint i = fixture.received->len; i > mark; i--)
    {
      Received *received = g_ptr_array_index (fixture.received, i - 1);

      if (g_str_equal (received->method, "AddNotification") && g_strcmp0 (received->id, id) == 0)
        return received;
    }
  return NULL;
}

static char *
enqueue (const char *path,
         const char *app_id)
{
  g_autofree char *url = ferry_test_server_url (fixture.server, path);
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
  g_autoptr(GError) error = NULL;
  char *id;

  ferry_request_set_body_text (request, "{}", "application/json");
  if (app_id != NULL)
    ferry_request_set_app_id (request, app_id);
  id = client_enqueue (fixture.base.client, request, &error);
  g_assert_no_error (error);
  return id;
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  g_assert_true (g_variant_lookup (dict, key, "&s", &value));
  return value;
}

/* The buttons as "label=action(target)" lines. */
static char *
describe_buttons (GVariant *notification)
{
  g_autoptr(GVariant) buttons = g_variant_lookup_value (notification, "buttons",
                                                        G_VARIANT_TYPE ("aa{sv}"));
  GString *text = g_string_new (NULL);

  for (gsize i = 0; buttons != NULL && i < g_variant_n_children (buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
      g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", NULL);
      g_autofree char *printed = target != NULL ? g_variant_print (target, FALSE) : NULL;

      g_string_append_printf (text, "%s=%s(%s)\n", lookup_string (button, "label"),
                              lookup_string (button, "action"),
                              printed != NULL ? printed : "");
    }
  return g_string_free (text, FALSE);
}

/* Three changes fail in one run: one notification says so, with Open
 * and Retry. */
static void
test_one_digest_for_several_failures (void)
{
  g_autofree char *first = NULL;
  g_autofree char *buttons = NULL;
  Received *received;
  const char *title;
  const char *body;
  guint sent;

  reset ();
  /* Held back until flushed: the test decides when the burst is over. */
  ferry_notifier_set_delay (fixture.notifier, 600000);
  ferry_test_server_set_default (fixture.server, "/gone", 404, NULL, "no such note");

  first = enqueue ("/gone", "org.example.Notes");
  g_free (enqueue ("/gone", "org.example.Notes"));
  g_free (enqueue ("/gone", "org.example.Mail"));
  FERRY_TEST_WAIT (ferry_notifier_get_n_waiting (fixture.notifier, "failed") == 3, 20000);
  FERRY_TEST_WAIT (ferry_client_get_failed_count (fixture.base.client) == 3, 20000);
  g_assert_cmpuint (fixture.received->len, ==, mark);

  ferry_notifier_flush (fixture.notifier);
  FERRY_TEST_WAIT (fixture.received->len > mark, 20000);
  g_assert_cmpuint (count_received ("AddNotification", "failed"), ==, 1);
  g_assert_cmpuint (fixture.received->len, ==, mark + 1);

  received = last_added ("failed");
  g_assert_cmpstr (received->app_id, ==, TEST_APP_ID);
  title = lookup_string (received->notification, "title");
  body = lookup_string (received->notification, "body");
  g_assert_cmpstr (title, ==, "3 changes failed");
  g_assert_cmpstr (body, ==,
                   "From org.example.Mail and org.example.Notes. "
                   "They will not be sent again until you retry them.");
  g_assert_cmpstr (lookup_string (received->notification, "default-action"), ==,
                   "app.show-view");
  buttons = describe_buttons (received->notification);
  g_assert_cmpstr (buttons, ==,
                   "Open=app.show-view('failed')\n"
                   "Retry=app.retry-all('failed')\n");

  /* Nothing new: flushing again sends nothing. */
  sent = ferry_notifier_get_n_sent (fixture.notifier);
  ferry_notifier_flush (fixture.notifier);
  g_assert_cmpuint (ferry_notifier_get_n_sent (fixture.notifier), ==, sent);

  /* The person looked: the notification is taken back. */
  ferry_notifier_acknowledge (fixture.notifier, "failed");
  FERRY_TEST_WAIT (count_received ("RemoveNotification", "failed") == 1, 20000);
  g_assert_cmpuint (ferry_notifier_get_n_waiting (fixture.notifier, "failed"), ==, 0);
}

/* A later failure replaces the notification (same id) with the new total,
 * and the digest goes when nothing failed is left. */
static void
test_digest_replaces_and_withdraws (void)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint retried = 0;

  reset ();
  ferry_notifier_set_delay (fixture.notifier, 600000);
  ferry_test_server_set_default (fixture.server, "/bad", 400, NULL, "bad");

  g_free (enqueue ("/bad", "org.example.Notes"));
  FERRY_TEST_WAIT (ferry_notifier_get_n_waiting (fixture.notifier, "failed") == 1, 20000);
  ferry_notifier_flush (fixture.notifier);
  FERRY_TEST_WAIT (count_received ("AddNotification", "failed") == 1, 20000);
  g_assert_cmpstr (lookup_string (last_added ("failed")->notification, "title"), ==,
                   "1 change failed");

  g_free (enqueue ("/bad", "org.example.Notes"));
  FERRY_TEST_WAIT (ferry_notifier_get_n_waiting (fixture.notifier, "failed") == 2, 20000);
  ferry_notifier_flush (fixture.notifier);
  FERRY_TEST_WAIT (count_received ("AddNotification", "failed") == 2, 20000);
  g_assert_cmpstr (lookup_string (last_added ("failed")->notification, "title"), ==,
                   "2 changes failed");
  g_assert_cmpuint (count_received ("RemoveNotification", "failed"), ==, 0);

  /* Retried and delivered this time: nothing failed is left. */
  ferry_test_server_set_default (fixture.server, "/bad", 200, NULL, "ok");
  ferry_client_retry_all_async (fixture.base.client, query, NULL, client_store_result_cb,
                                &result);
  g_assert_true (ferry_client_retry_all_finish (fixture.base.client,
                                                client_wait_result (&result), &retried,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpuint (retried, >=, 2);
  FERRY_TEST_WAIT (ferry_client_get_failed_count (fixture.base.client) == 0, 20000);
  FERRY_TEST_WAIT (count_received ("RemoveNotification", "failed") == 1, 20000);
  g_assert_cmpuint (ferry_notifier_get_n_waiting (fixture.notifier, "failed"), ==, 0);
}

/* Conflicts and servers asking to sign in have digests of their own; the
 * short delay sends them without a flush. */
static void
test_conflict_and_auth_digests (void)
{
  g_autofree char *buttons = NULL;

  reset ();
  ferry_notifier_set_delay (fixture.notifier, 50);
  ferry_test_server_set_default (fixture.server, "/moved", 409, NULL, "{\"v\":2}");
  ferry_test_server_set_default (fixture.server, "/private", 401, NULL, "sign in");

  g_free (enqueue ("/moved", "org.example.Notes"));
  g_free (enqueue ("/private", "org.example.Mail"));

  FERRY_TEST_WAIT (count_received ("AddNotification", "conflicts") == 1, 20000);
  FERRY_TEST_WAIT (count_received ("AddNotification", "auth-required") >= 1, 20000);
  g_assert_cmpstr (lookup_string (last_added ("conflicts")->notification, "title"), ==,
                   "1 change conflicts with the server");
  buttons = describe_buttons (last_added ("conflicts")->notification);
  g_assert_cmpstr (buttons, ==, "Open=app.show-view('conflicts')\n");
  g_assert_cmpstr (lookup_string (last_added ("auth-required")->notification, "title"), ==,
                   "1 change needs you to sign in");
}

/* Changes whose server stays unreachable are retried on; the person
 * hears of them once, in one digest, which goes when they get through. */
static void
test_stalled_digest (void)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *buttons = NULL;
  Received *received;

  reset ();
  ferry_notifier_set_delay (fixture.notifier, 600000);
  ferry_test_server_set_default (fixture.server, "/down", 503, NULL, "maintenance");

  first = enqueue ("/down", "org.example.Notes");
  second = enqueue ("/down", "org.example.Notes");
  FERRY_TEST_WAIT (ferry_notifier_get_n_waiting (fixture.notifier, "stalled") == 2, 20000);
  ferry_notifier_flush (fixture.notifier);
  FERRY_TEST_WAIT (count_received ("AddNotification", "stalled") == 1, 20000);

  received = last_added ("stalled");
  g_assert_cmpstr (lookup_string (received->notification, "title"), ==,
                   "2 changes are still waiting");
  g_assert_cmpstr (lookup_string (received->notification, "body"), ==,
                   "From org.example.Notes. Their servers could not be reached for an hour. "
                   "Ferry keeps trying.");
  buttons = describe_buttons (received->notification);
  g_assert_cmpstr (buttons, ==, "Open=app.show-view('pending')\n");

  /* They still count as pending, not failed. */
  g_assert_cmpuint (ferry_client_get_failed_count (fixture.base.client), ==, 0);

  ferry_test_server_set_default (fixture.server, "/down", 204, NULL, NULL);
  FERRY_TEST_WAIT (count_received ("RemoveNotification", "stalled") == 1, 20000);
  g_assert_cmpuint (ferry_notifier_get_n_waiting (fixture.notifier, "stalled"), ==, 0);
}

/* With the setting off, nothing is sent. */
static void
test_setting_off (void)
{
  guint sent;

  reset ();
  g_settings_set_boolean (fixture.settings, "notifications", FALSE);
  ferry_notifier_set_delay (fixture.notifier, 600000);
  ferry_test_server_set_default (fixture.server, "/refused", 422, NULL, "no");
  sent = ferry_notifier_get_n_sent (fixture.notifier);

  g_free (enqueue ("/refused", "org.example.Notes"));
  FERRY_TEST_WAIT (ferry_client_get_failed_count (fixture.base.client) >= 1, 20000);
  ferry_notifier_flush (fixture.notifier);

  g_assert_cmpuint (ferry_notifier_get_n_waiting (fixture.notifier, "failed"), ==, 0);
  g_assert_cmpuint (ferry_notifier_get_n_sent (fixture.notifier), ==, sent);
  g_assert_cmpuint (count_received ("AddNotification", "failed"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The notification interface GNOME uses, served by this test. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  /* Before the bus starts, which hands it to the ferryd it activates: a
   * change failing for 0.3 s counts as stalled rather than after an hour. */
  g_setenv ("FERRY_TEST_STALLED_AFTER", "300", TRUE);

  g_test_add_func ("/gui/notifier/one-digest-for-several-failures",
                   test_one_digest_for_several_failures);
  g_test_add_func ("/gui/notifier/digest-replaces-and-withdraws",
                   test_digest_replaces_and_withdraws);
  g_test_add_func ("/gui/notifier/conflict-and-auth-digests", test_conflict_and_auth_digests);
  g_test_add_func ("/gui/notifier/stalled-digest", test_stalled_digest);
  g_test_add_func ("/gui/notifier/setting-off", test_setting_off);

  set_up_program ();
  status = g_test_run ();
  tear_down_program ();
  return status;
}
