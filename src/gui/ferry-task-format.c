/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gdesktopappinfo.h>

#include "ferry-task-format.h"

/* How the window puts the agent's state and a task's fields into words.
 * Nothing here talks to the agent or needs a display, so the tests call
 * these directly. */

#define SECONDS(us) ((us) / G_USEC_PER_SEC)

/**
 * ferry_format_timestamp:
 * @when: a time in µs since the epoch, or 0
 *
 * Returns: (transfer full): @when as local date and time, or "—" for 0
 */
char *
ferry_format_timestamp (gint64 when)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (when <= 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (SECONDS (when));
  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

/**
 * ferry_format_short_url:
 * @url: an http or https URL
 *
 * Returns: (transfer full): the URL's host (and port) and path, which is
 *   what tells changes apart: "example.com/notes/12"; @url itself when it
 *   cannot be parsed
 */
char *
ferry_format_short_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  GString *text;
  const char *host;
  const char *path;

  if (url == NULL)
    return g_strdup ("");

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  text = g_string_new (NULL);
  if (strchr (host, ':') != NULL)
    g_string_append_printf (text, "[%s]", host);
  else
    g_string_append (text, host);
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (text, ":%d", g_uri_get_port (uri));
  if (path != NULL && strcmp (path, "/") != 0)
    g_string_append (text, path);
  if (g_uri_get_query (uri) != NULL)
    g_string_append_printf (text, "?%s", g_uri_get_query (uri));
  return g_string_free (text, FALSE);
}

/**
 * ferry_format_priority:
 * @priority: a priority
 *
 * Returns: (nullable): the priority in words, or %NULL for medium, which
 *   is not worth showing
 */
const char *
ferry_format_priority (FerryClientPriority priority)
{
  switch (priority)
    {
    case FERRY_CLIENT_PRIORITY_LOW:
      return _("Low priority");
    case FERRY_CLIENT_PRIORITY_HIGH:
      return _("High priority");
    case FERRY_CLIENT_PRIORITY_CRITICAL:
      return _("Critical");
    case FERRY_CLIENT_PRIORITY_MEDIUM:
    default:
      return NULL;
    }
}

/**
 * ferry_describe_state:
 * @state: a task state
 *
 * Returns: the state in words, as the details window says it
 */
const char *
ferry_describe_state (FerryClientTaskState state)
{
  switch (state)
    {
    case FERRY_CLIENT_TASK_STATE_PENDING:
      return _("Waiting to be sent");
    case FERRY_CLIENT_TASK_STATE_RUNNING:
      return _("Being sent");
    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
      return _("Delivered");
    case FERRY_CLIENT_TASK_STATE_FAILED:
      return _("Failed");
    case FERRY_CLIENT_TASK_STATE_CONFLICT:
      return _("In conflict with the server’s copy");
    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
      return _("Waiting for you to sign in");
    case FERRY_CLIENT_TASK_STATE_CANCELLED:
      return _("Cancelled");
    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/**
 * ferry_describe_priority:
 * @priority: a priority
 *
 * Returns: the priority in words, medium included
 */
const char *
ferry_describe_priority (FerryClientPriority priority)
{
  switch (priority)
    {
    case FERRY_CLIENT_PRIORITY_LOW:
      return _("Low");
    case FERRY_CLIENT_PRIORITY_HIGH:
      return _("High");
    case FERRY_CLIENT_PRIORITY_CRITICAL:
      return _("Critical");
    case FERRY_CLIENT_PRIORITY_MEDIUM:
    default:
      return _("Medium");
    }
}

/**
 * ferry_describe_strategy:
 * @strategy: a conflict strategy
 *
 * Returns: what the strategy does with a conflict, in words
 */
const char *
ferry_describe_strategy (FerryClientConflictStrategy strategy)
{
  switch (strategy)
    {
    case FERRY_CLIENT_CONFLICT_CLIENT_WINS:
      return _("Send this change again");
    case FERRY_CLIENT_CONFLICT_SERVER_WINS:
      return _("Keep the server’s copy");
    case FERRY_CLIENT_CONFLICT_LAST_MODIFIED_WINS:
      return _("Keep the newer copy");
    case FERRY_CLIENT_CONFLICT_MERGE:
      return _("Merge both, ask when they clash");
    case FERRY_CLIENT_CONFLICT_CUSTOM:
      return _("Ask the app");
    case FERRY_CLIENT_CONFLICT_ASK:
    default:
      return _("Ask me");
    }
}

typedef struct
{
  guint       status;
  const char *phrase;
} ReasonPhrase;

/* The reason phrases of RFC 9110 (and 429 from RFC 6585): protocol terms
 * people search for, so they stay as the server world spells them. */
static const ReasonPhrase reason_phrases[] = {
  { 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
  { 300, "Multiple Choices" }, { 301, "Moved Permanently" }, { 302, "Found" },
  { 303, "See Other" }, { 304, "Not Modified" }, { 307, "Temporary Redirect" },
  { 308, "Permanent Redirect" },
  { 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" },
  { 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
  { 406, "Not Acceptable" }, { 407, "Proxy Authentication Required" },
  { 408, "Request Timeout" }, { 409, "Conflict" }, { 410, "Gone" },
  { 411, "Length Required" }, { 412, "Precondition Failed" }, { 413, "Content Too Large" },
  { 414, "URI Too Long" }, { 415, "Unsupported Media Type" }, { 416, "Range Not Satisfiable" },
  { 417, "Expectation Failed" }, { 421, "Misdirected Request" },
  { 422, "Unprocessable Content" }, { 423, "Locked" }, { 424, "Failed Dependency" },
  { 425, "Too Early" }, { 426, "Upgrade Required" }, { 428, "Precondition Required" },
  { 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
  { 451, "Unavailable For Legal Reasons" },
  { 500, "Internal Server Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
  { 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
  { 505, "HTTP Version Not Supported" }, { 507, "Insufficient Storage" },
  { 511, "Network Authentication Required" },
};

/**
 * ferry_http_reason_phrase:
 * @status: an HTTP status code
 *
 * Returns: (nullable): the standard reason phrase of @status, or %NULL
 */
const char *
ferry_http_reason_phrase (guint status)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_phrases); i++)
    if (reason_phrases[i].status == status)
      return reason_phrases[i].phrase;
  return NULL;
}

/**
 * ferry_format_http_status:
 * @status: an HTTP status code
 *
 * Returns: (transfer full): "404 Not Found", or "599" for a status
 *   without a standard phrase
 */
char *
ferry_format_http_status (guint status)
{
  const char *phrase = ferry_http_reason_phrase (status);

  if (phrase == NULL)
    return g_strdup_printf ("%u", status);
  return g_strdup_printf ("%u %s", status, phrase);
}

static char *
describe_http_status (guint status)
{
  g_autofree char *code = ferry_format_http_status (status);

  switch (status)
    {
    case 401:
    case 407:
      return g_strdup_printf (_("The server asks you to sign in again (%s)"), code);
    case 403:
      return g_strdup_printf (_("The server refused access (%s)"), code);
    case 409:
    case 412:
      return g_strdup_printf (_("The server’s copy changed in the meantime (%s)"), code);
    case 408:
    case 504:
      return g_strdup_printf (_("The server did not answer in time (%s)"), code);
    case 413:
      return g_strdup_printf (_("The change is too large for the server (%s)"), code);
    case 429:
      return g_strdup_printf (_("The server is busy and asked to wait (%s)"), code);
    case 503:
      return g_strdup_printf (_("The server is unavailable for now (%s)"), code);
    default:
      break;
    }

  if (status >= 300 && status < 400)
    return g_strdup_printf (_("The server sent the change elsewhere (%s)"), code);
  if (status >= 400 && status < 500)
    return g_strdup_printf (_("The server refused the change (%s)"), code);
  if (status >= 500 && status < 600)
    return g_strdup_printf (_("The server ran into a problem (%s)"), code);
  return g_strdup_printf (_("The server sent a broken answer (%s)"), code);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return strstr (haystack, needle) != NULL;
}

/**
 * ferry_format_error:
 * @state: the task's state
 * @last_status: the HTTP status of the last attempt, or 0
 * @last_error: (nullable): the agent's technical reason
 *
 * Says why the last attempt did not succeed in words a person can act on.
 * An HTTP status decides when there is one; otherwise the agent's reason
 * (a transport error, "expired", …) is sorted into a few plain cases.
 *
 * Returns: (transfer full) (nullable): the sentence, or %NULL when nothing
 *   went wrong
 */
char *
ferry_format_error (FerryClientTaskState  state,
                    guint                 last_status,
                    const char           *last_error)
{
  g_autofree char *lower = NULL;

  if (state == FERRY_CLIENT_TASK_STATE_SUCCEEDED)
    return NULL;
  if (last_status >= 100 && last_status < 200)
    return g_strdup (_("The server sent a broken answer"));
  if (last_status >= 300)
    return describe_http_status (last_status);
  if (last_error == NULL || *last_error == '\0')
    return NULL;

  lower = g_utf8_strdown (last_error, -1);
  if (contains (lower, "expired"))
    return g_strdup (_("It expired before it could be delivered"));
  if (g_str_equal (lower, "cancelled"))
    return g_strdup (_("It was cancelled"));
  if (contains (lower, "tls") || contains (lower, "certificate"))
    return g_strdup (_("The server’s certificate is not trusted"));
  if (contains (lower, "redirect"))
    return g_strdup (_("The server kept redirecting the change"));
  if (contains (lower, "resolv") || contains (lower, "name or service")
      || contains (lower, "unknown host") || contains (lower, "no such host"))
    return g_strdup (_("Could not find the server"));
  if (contains (lower, "timed out") || contains (lower, "timeout"))
    return g_strdup (_("The server did not answer in time"));
  if (contains (lower, "broken response"))
    return g_strdup (_("The server sent a broken answer"));
  if (contains (lower, "offline") || contains (lower, "network is unreachable"))
    return g_strdup (_("The network is not available"));
  return g_strdup (_("Could not reach the server"));
}

/**
 * ferry_body_is_text:
 * @content_type: (nullable): the body's Content-Type
 * @body: (nullable): the body
 *
 * Returns: whether @body is text worth previewing: a textual content type
 *   (or none) and valid UTF-8 without NUL bytes
 */
gboolean
ferry_body_is_text (const char *content_type,
                    GBytes     *body)
{
  const gsize limit = 64 * 1024;
  const char *data;
  const char *end = NULL;
  gsize size;
  gsize checked;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return FALSE;

  if (content_type != NULL && *content_type != '\0')
    {
      g_autofree char *type = g_ascii_strdown (content_type, -1);

      if (!g_str_has_prefix (type, "text/") && !contains (type, "json")
          && !contains (type, "xml") && !contains (type, "javascript")
          && !contains (type, "x-www-form-urlencoded") && !contains (type, "yaml")
          && !contains (type, "csv"))
        return FALSE;
    }

  data = g_bytes_get_data (body, &size);
  checked = MIN (size, limit);
  if (memchr (data, '\0', checked) != NULL)
    return FALSE;
  if (g_utf8_validate_len (data, checked, &end))
    return TRUE;
  /* A body cut at a size limit may end inside a character: forgive only
   * a last character that is incomplete. */
  return (checked == limit || size == limit) && checked - (gsize) (end - data) < 4;
}

/**
 * ferry_format_body_preview:
 * @body: a body that ferry_body_is_text() accepts
 * @max_bytes: how much to show at most
 *
 * Returns: (transfer full): the start of @body, cut at a character
 *   boundary, with "…" when it was cut
 */
char *
ferry_format_body_preview (GBytes *body,
                           gsize   max_bytes)
{
  const char *data;
  const char *end = NULL;
  gsize size;
  GString *text;

  g_return_val_if_fail (body != NULL, NULL);

  data = g_bytes_get_data (body, &size);
  g_utf8_validate_len (data, MIN (size, max_bytes), &end);
  text = g_string_new_len (data, end - data);
  if ((gsize) (end - data) < size)
    g_string_append (text, "\n…");
  return g_string_free (text, FALSE);
}

typedef struct
{
  char  *name;
  GIcon *icon;
} AppEntry;

static void
app_entry_free (AppEntry *entry)
{
  g_free (entry->name);
  g_clear_object (&entry->icon);
  g_free (entry);
}

static gboolean
is_desktop_id_stem (const char *owner)
{
  if (*owner == '\0')
    return FALSE;
  for (const char *p = owner; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * ferry_lookup_app:
 * @owner: a task's owner: an application id or an executable's name
 * @out_name: (out) (transfer full): the app's name, or @owner
 * @out_icon: (out) (transfer full): the app's icon, or a generic one
 *
 * Finds the app behind @owner from its desktop file, `<owner>.desktop`.
 * Answers are kept for the life of the process: the window asks for the
 * same few owners over and over while rows scroll by.
 */
void
ferry_lookup_app (const char  *owner,
                  char       **out_name,
                  GIcon      **out_icon)
{
  static GHashTable *cache = NULL;
  AppEntry *entry;

  g_return_if_fail (owner != NULL);

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) app_entry_free);

  entry = g_hash_table_lookup (cache, owner);
  if (entry == NULL)
    {
      g_autoptr(GDesktopAppInfo) info = NULL;

      entry = g_new0 (AppEntry, 1);
      if (is_desktop_id_stem (owner))
        {
          g_autofree char *desktop_id = g_strconcat (owner, ".desktop", NULL);

          info = g_desktop_app_info_new (desktop_id);
        }
      if (info != NULL)
        {
          entry->name = g_strdup (g_app_info_get_display_name (G_APP_INFO (info)));
          if (g_app_info_get_icon (G_APP_INFO (info)) != NULL)
            entry->icon = g_object_ref (g_app_info_get_icon (G_APP_INFO (info)));
        }
      if (entry->name == NULL)
        entry->name = g_strdup (owner);
      if (entry->icon == NULL)
        entry->icon = g_themed_icon_new ("application-x-executable-symbolic");
      g_hash_table_insert (cache, g_strdup (owner), entry);
    }

  if (out_name != NULL)
    *out_name = g_strdup (entry->name);
  if (out_icon != NULL)
    *out_icon = g_object_ref (entry->icon);
}

/**
 * ferry_format_agent_start_error:
 * @error: why starting the agent failed
 *
 * Returns: (transfer full): why the agent could not be started, and what
 *   to do, in words; the technical reason only where there is no better
 *   one, and then without the D-Bus error name
 */
char *
ferry_format_agent_start_error (const GError *error)
{
  g_autoptr(GError) copy = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND))
    return g_strdup (_("Ferry’s agent could not be started: this session does not know "
                       "where it is installed. Install Ferry, or start the agent yourself "
                       "with the command “ferryd”, then try again."));
  copy = g_error_copy (error);
  if (g_dbus_error_is_remote_error (copy))
    g_dbus_error_strip_remote_error (copy);
  /* Translators: %s is the system's technical reason */
  return g_strdup_printf (_("Ferry’s agent could not be started (%s). Start it yourself with "
                            "the command “ferryd”, then try again."), copy->message);
}
