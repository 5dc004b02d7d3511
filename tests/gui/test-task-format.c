/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "ferry-task-format.h"

/* The words the window uses for the agent's state and a task's fields. */

#define SEC ((gint64) G_USEC_PER_SEC)

static void
test_countdown (void)
{
  gint64 now = 1700000000 * SEC;
  struct { gint64 in_us; const char *expected; } cases[] = {
    { -5 * SEC, "now" },
    { 0, "now" },
    { 1, "in 1 s" },
    { 32 * SEC, "in 32 s" },
    { 32 * SEC - SEC / 2, "in 32 s" },
    { 59 * SEC, "in 59 s" },
    { 60 * SEC, "in 1 min" },
    { 61 * SEC, "in 2 min" },
    { 2 * 3600 * SEC, "in 2 h" },
    { 3 * 86400 * SEC, "in 3 d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_format_countdown (now + cases[i].in_us, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_time_ago (void)
{
  gint64 now = 1700000000 * SEC;
  g_autofree char *a = ferry_format_time_ago (now - 5 * SEC, now);
  g_autofree char *b = ferry_format_time_ago (now - 120 * SEC, now);
  g_autofree char *c = ferry_format_time_ago (now - 86400 * SEC, now);
  g_autofree char *d = ferry_format_time_ago (now + 30 * SEC, now);

  g_assert_cmpstr (a, ==, "just now");
  g_assert_cmpstr (b, ==, "2 minutes ago");
  g_assert_cmpstr (c, ==, "1 day ago");
  g_assert_cmpstr (d, ==, "just now");
}

typedef struct
{
  FerryClientTaskState  state;
  guint                 status;
  const char           *last_error;
  const char           *expected;
} ErrorCase;

static void
test_error_sentences (void)
{
  static const ErrorCase cases[] = {
    { FERRY_CLIENT_TASK_STATE_FAILED, 404, "HTTP 404 Not Found",
      "The server refused the change (404 Not Found)" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 400, "HTTP 400 Bad Request",
      "The server refused the change (400 Bad Request)" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 422, "HTTP 422",
      "The server refused the change (422 Unprocessable Content)" },
    { FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED, 401, "HTTP 401 Unauthorized",
      "The server asks you to sign in again (401 Unauthorized)" },
    { FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED, 403, "HTTP 403 Forbidden",
      "The server refused access (403 Forbidden)" },
    { FERRY_CLIENT_TASK_STATE_CONFLICT, 409, "HTTP 409 Conflict",
      "The server’s copy changed in the meantime (409 Conflict)" },
    { FERRY_CLIENT_TASK_STATE_CONFLICT, 412, NULL,
      "The server’s copy changed in the meantime (412 Precondition Failed)" },
    { FERRY_CLIENT_TASK_STATE_PENDING, 503, "HTTP 503 Service Unavailable",
      "The server is unavailable for now (503 Service Unavailable)" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 500, "gave up after 5 attempts: HTTP 500",
      "The server ran into a problem (500 Internal Server Error)" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 599, NULL, "The server ran into a problem (599)" },
    { FERRY_CLIENT_TASK_STATE_PENDING, 429, NULL,
      "The server is busy and asked to wait (429 Too Many Requests)" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 0,
      "gave up after 5 attempts: Could not connect to 127.0.0.1: Connection refused",
      "Could not reach the server" },
    { FERRY_CLIENT_TASK_STATE_PENDING, 0,
      "Error resolving “nowhere.invalid”: Name or service not known",
      "Could not find the server" },
    { FERRY_CLIENT_TASK_STATE_PENDING, 0, "Socket I/O timed out",
      "The server did not answer in time" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 0, "expired", "It expired before it could be delivered" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 0, "TLS certificate refused; never retried over plain HTTP",
      "The server’s certificate is not trusted" },
    { FERRY_CLIENT_TASK_STATE_FAILED, 0, "redirects did not end",
      "The server kept redirecting the change" },
    { FERRY_CLIENT_TASK_STATE_PENDING, 0, NULL, NULL },
    { FERRY_CLIENT_TASK_STATE_SUCCEEDED, 201, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_format_error (cases[i].state, cases[i].status,
                                                  cases[i].last_error);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_short_url (void)
{
  struct { const char *url; const char *expected; } cases[] = {
    { "https://example.com/notes/12", "example.com/notes/12" },
    { "https://example.com/", "example.com" },
    { "http://127.0.0.1:8080/a/b?x=1", "127.0.0.1:8080/a/b?x=1" },
    { "https://[::1]:443/v1", "[::1]:443/v1" },
    { "not a url", "not a url" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_format_short_url (cases[i].url);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_secret_headers (void)
{
  g_assert_true (ferry_client_header_is_secret ("Authorization"));
  g_assert_true (ferry_client_header_is_secret ("authorization"));
  g_assert_true (ferry_client_header_is_secret ("Cookie"));
  g_assert_true (ferry_client_header_is_secret ("Proxy-Authorization"));
  g_assert_true (ferry_client_header_is_secret ("Set-Cookie"));
  g_assert_false (ferry_client_header_is_secret ("Content-Type"));
  g_assert_false (ferry_client_header_is_secret ("If-Match"));
}

static void
test_body_preview (void)
{
  static const char json_text[] = "{\"title\":\"Grüße\"}";
  g_autoptr(GBytes) json = g_bytes_new_static (json_text, strlen (json_text));
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x89PNG\r\n\x1a\n\0\0", 10);
  g_autoptr(GBytes) latin1 = g_bytes_new_static ("caf\xe9", 4);
  g_autoptr(GBytes) long_text = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *cut = NULL;
  GString *text = g_string_new (NULL);

  g_assert_true (ferry_body_is_text ("application/json", json));
  g_assert_true (ferry_body_is_text (NULL, json));
  g_assert_true (ferry_body_is_text ("text/plain; charset=utf-8", json));
  g_assert_false (ferry_body_is_text ("image/png", json));
  g_assert_false (ferry_body_is_text (NULL, binary));
  g_assert_false (ferry_body_is_text ("text/plain", latin1));
  g_assert_false (ferry_body_is_text ("text/plain", NULL));

  preview = ferry_format_body_preview (json, 1000);
  g_assert_cmpstr (preview, ==, "{\"title\":\"Grüße\"}");

  /* Cut inside "ü": the preview stops before it. */
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "ü");
  long_text = g_bytes_new_take (text->str, text->len);
  g_string_free (text, FALSE);
  cut = ferry_format_body_preview (long_text, 11);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpstr (cut, ==, "üüüüü\n…");
}

static void
test_priority (void)
{
  g_assert_null (ferry_format_priority (FERRY_CLIENT_PRIORITY_MEDIUM));
  g_assert_cmpstr (ferry_format_priority (FERRY_CLIENT_PRIORITY_HIGH), ==, "High priority");
  g_assert_cmpstr (ferry_format_priority (FERRY_CLIENT_PRIORITY_LOW), ==, "Low priority");
  g_assert_cmpstr (ferry_format_priority (FERRY_CLIENT_PRIORITY_CRITICAL), ==, "Critical");
}

static void
test_app_lookup (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *path = g_build_filename (dir, "org.example.Notes.desktop", NULL);
  g_autofree char *name = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *odd = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autoptr(GIcon) generic = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path,
                       "[Desktop Entry]\nType=Application\nName=Notes\n"
                       "Exec=true\nIcon=accessories-text-editor\n",
                       -1, &error);
  g_assert_no_error (error);

  ferry_lookup_app ("org.example.Notes", &name, &icon);
  g_assert_cmpstr (name, ==, "Notes");
  g_assert_true (G_IS_THEMED_ICON (icon));
  g_assert_cmpstr (g_themed_icon_get_names (G_THEMED_ICON (icon))[0], ==,
                   "accessories-text-editor");

  ferry_lookup_app ("python3", &fallback, &generic);
  g_assert_cmpstr (fallback, ==, "python3");
  g_assert_cmpstr (g_themed_icon_get_names (G_THEMED_ICON (generic))[0], ==,
                   "application-x-executable-symbolic");

  ferry_lookup_app ("../../etc/passwd", &odd, NULL);
  g_assert_cmpstr (odd, ==, "../../etc/passwd");
}

/* Why the agent could not be started, in words, with what to do; never
 * a raw D-Bus error name. */
static void
test_agent_start_error (void)
{
  g_autoptr(GError) unknown = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                                   "The name io.github.ferrysync.Ferry was not "
                                                   "provided by any .service files");
  g_autoptr(GError) remote = g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.Spawn"
                                                              ".ChildExited",
                                                              "Process ferryd exited with "
                                                              "status 1");
  g_autofree char *unknown_text = ferry_format_agent_start_error (unknown);
  g_autofree char *remote_text = ferry_format_agent_start_error (remote);

  g_assert_cmpstr (unknown_text, ==,
                   "Ferry’s agent could not be started: this session does not know where it "
                   "is installed. Install Ferry, or start the agent yourself with the command "
                   "“ferryd”, then try again.");
  g_assert_cmpstr (remote_text, ==,
                   "Ferry’s agent could not be started (Process ferryd exited with status 1). "
                   "Start it yourself with the command “ferryd”, then try again.");
  g_assert_null (strstr (remote_text, "GDBus.Error"));
}

int
main (int   argc,
      char *argv[])
{
  /* Untranslated English: these are the msgids. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gui/format/countdown", test_countdown);
  g_test_add_func ("/gui/format/time-ago", test_time_ago);
  g_test_add_func ("/gui/format/error-sentences", test_error_sentences);
  g_test_add_func ("/gui/format/short-url", test_short_url);
  g_test_add_func ("/gui/format/secret-headers", test_secret_headers);
  g_test_add_func ("/gui/format/body-preview", test_body_preview);
  g_test_add_func ("/gui/format/priority", test_priority);
  g_test_add_func ("/gui/format/app-lookup", test_app_lookup);
  g_test_add_func ("/gui/format/agent-start-error", test_agent_start_error);

  return g_test_run ();
}
