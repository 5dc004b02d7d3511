/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-format"

#include "config.h"

#include "ferry-collection-set.h"

#include <stdio.h>
#include <string.h>

#include "ferry-status.h"
#include "ferryctl-format.h"

/* How ferryctl shows tasks, times and the agent's status to people and
 * scripts.  Nothing here talks to the agent. */

static char *
plural (gint64      n,
        const char *one,
        const char *many)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s", n, n == 1 ? one : many);
}

/**
 * ferryctl_format_relative:
 * @when: a time in µs since the epoch
 * @now: the current time in the same unit
 *
 * Returns: (transfer full): @when in words: "in 32 seconds", "2 minutes
 *   ago", "just now"
 */
char *
ferryctl_format_relative (gint64 when,
                          gint64 now)
{
  gint64 seconds = (when - now) / G_USEC_PER_SEC;
  gint64 span = ABS (seconds);
  g_autofree char *amount = NULL;

  if (span < 1)
    return g_strdup (when >= now ? "now" : "just now");
  if (span < 60)
    amount = plural (span, "second", "seconds");
  else if (span < 60 * 60)
    amount = plural (span / 60, "minute", "minutes");
  else if (span < 24 * 60 * 60)
    amount = plural (span / (60 * 60), "hour", "hours");
  else
    amount = plural (span / (24 * 60 * 60), "day", "days");

  if (seconds > 0)
    return g_strdup_printf ("in %s", amount);
  return g_strdup_printf ("%s ago", amount);
}

/**
 * ferryctl_format_time:
 * @when: a time in µs since the epoch
 *
 * Returns: (transfer full): @when as local date and time,
 *   "2026-11-22 14:03:07"
 */
char *
ferryctl_format_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("?");
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/**
 * ferryctl_format_iso8601:
 * @when: a time in µs since the epoch
 *
 * Returns: (transfer full): @when in ISO 8601, UTC, with microseconds
 */
char *
ferryctl_format_iso8601 (gint64 when)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (when / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = NULL;

  if (seconds == NULL)
    return NULL;
  time = g_date_time_add (seconds, when % G_USEC_PER_SEC);
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/**
 * ferryctl_format_when:
 * @when: a time in µs since the epoch, or 0
 * @now: the current time
 *
 * Returns: (transfer full): "in 32 seconds (2026-11-22 14:03:07)", or
 *   "never" for 0
 */
char *
ferryctl_format_when (gint64 when,
                      gint64 now)
{
  g_autofree char *relative = NULL;
  g_autofree char *absolute = NULL;

  if (when == 0)
    return g_strdup ("never");
  relative = ferryctl_format_relative (when, now);
  absolute = ferryctl_format_time (when);
  return g_strdup_printf ("%s (%s)", relative, absolute);
}

/**
 * ferryctl_format_size:
 * @size: a size in bytes
 *
 * Returns: (transfer full): "1 byte", "120 bytes", "3.4 kB"
 */
char *
ferryctl_format_size (guint64 size)
{
  if (size < 1000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", size, size == 1 ? "byte" : "bytes");
  return g_format_size (size);
}

static gboolean
parse_duration (const char *text,
                gint64     *out_seconds)
{
  guint64 value;
  const char *end;
  gint64 unit = 1;

  if (!g_ascii_isdigit (*text))
    return FALSE;

  value = g_ascii_strtoull (text, (char **) &end, 10);
  if (g_str_equal (end, "") || g_str_equal (end, "s"))
    unit = 1;
  else if (g_str_equal (end, "m"))
    unit = 60;
  else if (g_str_equal (end, "h"))
    unit = 60 * 60;
  else if (g_str_equal (end, "d"))
    unit = 24 * 60 * 60;
  else
    return FALSE;

  if (value > (guint64) (G_MAXINT64 / G_USEC_PER_SEC / unit))
    return FALSE;
  *out_seconds = (gint64) value * unit;
  return TRUE;
}

/**
 * ferryctl_parse_when:
 * @text: seconds from now ("90", or with a unit: "90s", "15m", "2h",
 *   "1d"), or an ISO 8601 date ("2026-12-01") or date and time
 *   ("2026-12-01T09:30:00", local time unless it names a zone)
 * @now: the current time in µs since the epoch
 * @out_when: (out): the time in µs since the epoch
 * @error: return location for a %G_OPTION_ERROR_BAD_VALUE
 *
 * Returns: %TRUE when @text is understood
 */
gboolean
ferryctl_parse_when (const char  *text,
                     gint64       now,
                     gint64      *out_when,
                     GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *with_time = NULL;
  gint64 seconds;

  if (parse_duration (text, &seconds))
    {
      *out_when = now + seconds * G_USEC_PER_SEC;
      return TRUE;
    }

  time = g_date_time_new_from_iso8601 (text, local);
  if (time == NULL && strchr (text, 'T') == NULL)
    {
      /* A date alone means its start. */
      with_time = g_strconcat (text, "T00:00:00", NULL);
      time = g_date_time_new_from_iso8601 (with_time, local);
    }
  if (time == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "'%s' is neither seconds from now (e.g. 90, 15m, 2h) nor an ISO 8601 "
                   "date (e.g. 2026-12-01 or 2026-12-01T09:30:00)", text);
      return FALSE;
    }

  *out_when = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

static gboolean
strv_contains_name (const char * const *names,
                    const char         *name)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ferryctl_view_header:
 * @info: the task the header belongs to: its hidden-headers are the
 *   request headers whose values the agent withheld, because the caller
 *   does not own the task; its secret-headers, the credential headers it
 *   names besides the well-known ones
 * @name: a header's name
 * @value: its value as the agent sent it
 * @response: whether the header is one of the response's (the agent
 *   withholds those without listing them)
 * @show_secrets: whether the person asked for credentials
 *
 * Returns: how to show the header's value
 */
FerryCtlHeaderView
ferryctl_view_header (FerryTaskInfo *info,
                      const char    *name,
                      const char    *value,
                      gboolean       response,
                      gboolean       show_secrets)
{
  const char * const *hidden = ferry_task_info_get_hidden_headers (info);
  /* A task whose headers the agent hid is not the caller's own. */
  gboolean not_owner = hidden != NULL && hidden[0] != NULL;

  if (!response && strv_contains_name (hidden, name))
    return FERRYCTL_HEADER_WITHHELD;
  if (!ferry_task_info_header_is_secret (info, name))
    return FERRYCTL_HEADER_SHOWN;
  if (response && *value == '\0')
    return not_owner ? FERRYCTL_HEADER_WITHHELD : FERRYCTL_HEADER_EMPTY_OR_WITHHELD;
  if (show_secrets || *value == '\0')
    return FERRYCTL_HEADER_SHOWN;
  return FERRYCTL_HEADER_MASKED;
}

/**
 * ferryctl_header_view_to_text:
 * @view: how a header's value is shown
 *
 * Returns: (nullable): what stands in for a value that is not shown, or
 *   %NULL for %FERRYCTL_HEADER_SHOWN
 */
const char *
ferryctl_header_view_to_text (FerryCtlHeaderView view)
{
  switch (view)
    {
    case FERRYCTL_HEADER_MASKED:
      return "(hidden; --show-secrets shows it)";
    case FERRYCTL_HEADER_WITHHELD:
      return "(hidden: only the task's owner can read it)";
    case FERRYCTL_HEADER_EMPTY_OR_WITHHELD:
      return "(empty, or hidden: only the task's owner can read it)";
    case FERRYCTL_HEADER_SHOWN:
    default:
      return NULL;
    }
}

/* "server unreachable (connection refused) — next try in 4 minutes" for a
 * pending task waiting to be retried; NULL otherwise. */
static char *
describe_retry (FerryTaskInfo *info,
                gint64         now)
{
  const char *error = ferry_task_info_get_last_error (info);
  gint64 next = ferry_task_info_get_next_attempt (info);
  guint status = ferry_task_info_get_last_status (info);
  g_autofree char *when = NULL;
  const char *what;

  if (ferry_task_info_get_state (info) != FERRY_CLIENT_TASK_STATE_PENDING || error == NULL)
    return NULL;
  if (status >= 500 || status == 408 || status == 425 || status == 429)
    what = "server busy or failing";
  else
    what = "server unreachable";
  when = next > now ? ferryctl_format_relative (next, now) : g_strdup ("now");
  return g_strdup_printf ("%s (%s) — next try %s", what, error, when);
}

static void
print_field (const char *label,
             const char *value)
{
  if (value == NULL)
    return;
  g_print ("%-16s %s\n", label, value);
}

static void
print_headers (FerryTaskInfo      *info,
               const char         *label,
               const char * const *pairs,
               gboolean            response,
               gboolean            show_secrets)
{
  if (pairs == NULL || pairs[0] == NULL)
    return;

  g_print ("%s\n", label);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      FerryCtlHeaderView view = ferryctl_view_header (info, pairs[i], pairs[i + 1], response,
                                                      show_secrets);
      const char *stand_in = ferryctl_header_view_to_text (view);

      g_print ("  %s: %s\n", pairs[i], stand_in != NULL ? stand_in : pairs[i + 1]);
    }
}

static void
print_body (const char *label,
            GBytes     *body)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize size;
  const char *data;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return;

  data = g_bytes_get_data (body, &size);
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_autofree char *formatted = ferryctl_format_size (size);

      g_print ("%s\n  (%s of binary data)\n", label, formatted);
      return;
    }

  g_print ("%s\n", label);
  text = g_strndup (data, size);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      g_print ("  %s\n", lines[i]);
    }
}

/* Merge rules in the words of the window: whose change wins. */
static void
print_merge_rules (const char * const *rules)
{
  if (rules == NULL || rules[0] == NULL)
    return;

  g_print ("Merge rules:\n");
  for (guint i = 0; rules[i] != NULL && rules[i + 1] != NULL; i += 2)
    {
      FerryClientResolveChoice side;
      const char *word = rules[i + 1];

      if (ferry_client_resolve_choice_from_string (rules[i + 1], &side))
        word = ferry_client_resolve_choice_to_word (side);
      g_print ("  %s: %s wins\n", *rules[i] != '\0' ? rules[i] : "(whole document)", word);
    }
}

/* ID to Updated: what the task is and where it stands. */
static void
print_state_fields (FerryTaskInfo *info,
                    gint64         now)
{
  g_autofree char *request = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *waiting = describe_retry (info, now);
  g_autofree char *next = NULL;
  g_autofree char *failing = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  guint max = ferry_task_info_get_max_attempts (info);

  request = g_strdup_printf ("%s %s", ferry_task_info_get_method (info),
                             ferry_task_info_get_url (info));
  if (max != 0)
    attempts = g_strdup_printf ("%u of %u", ferry_task_info_get_attempts (info), max);
  else
    attempts = g_strdup_printf ("%u", ferry_task_info_get_attempts (info));
  if (ferry_task_info_get_next_attempt (info) != 0)
    next = ferryctl_format_when (ferry_task_info_get_next_attempt (info), now);
  if (ferry_task_info_get_failing_since (info) != 0)
    failing = ferryctl_format_when (ferry_task_info_get_failing_since (info), now);
  created = ferryctl_format_when (ferry_task_info_get_created (info), now);
  updated = ferryctl_format_when (ferry_task_info_get_updated (info), now);

  print_field ("ID:", ferry_task_info_get_id (info));
  print_field ("State:", ferry_task_info_get_state_name (info));
  print_field ("Waiting:", waiting);
  print_field ("Request:", request);
  print_field ("Owner:", ferry_task_info_get_owner (info));
  print_field ("Name:", ferry_task_info_get_name (info));
  print_field ("Group:", ferry_task_info_get_group (info));
  print_field ("Priority:",
               ferry_client_priority_to_string (ferry_task_info_get_priority (info)));
  print_field ("Attempts:", attempts);
  print_field ("Next attempt:", next);
  print_field ("Failing since:", failing);
  print_field ("Created:", created);
  print_field ("Updated:", updated);
}

/* Not before to the response's status: how it is sent and what came of
 * it. */
static void
print_delivery_fields (FerryTaskInfo *info,
                       gint64         now)
{
  g_autofree char *not_before = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *last_status = NULL;
  g_autofree char *response = NULL;
  g_autofree char *body = NULL;
  guint64 body_size = ferry_task_info_get_body_size (info);
  gboolean in_conflict = ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_CONFLICT;

  if (ferry_task_info_get_not_before (info) != 0)
    not_before = ferryctl_format_when (ferry_task_info_get_not_before (info), now);
  if (ferry_task_info_get_expires (info) != 0)
    expires = ferryctl_format_when (ferry_task_info_get_expires (info), now);
  if (ferry_task_info_get_last_status (info) != 0)
    last_status = g_strdup_printf ("%u", ferry_task_info_get_last_status (info));
  if (ferry_task_info_get_response_status (info) != 0)
    response = g_strdup_printf ("%u", ferry_task_info_get_response_status (info));
  if (body_size > 0)
    {
      g_autofree char *size = ferryctl_format_size (body_size);
      const char *type = ferry_task_info_get_content_type (info);

      body = type != NULL ? g_strdup_printf ("%s, %s", size, type) : g_steal_pointer (&size);
    }

  print_field ("Not before:", not_before);
  print_field ("Expires:", expires);
  print_field ("Unmetered only:", ferry_task_info_get_unmetered_only (info) ? "yes" : NULL);
  print_field ("Conflicts:",
               ferry_client_conflict_strategy_to_string (
                 ferry_task_info_get_conflict_strategy (info)));
  print_field ("Conflict URL:", ferry_task_info_get_conflict_url (info));
  print_field ("Timestamp at:", ferry_task_info_get_timestamp_pointer (info));
  print_field ("If-Match:", ferry_task_info_get_if_match (info));
  print_field ("Idempotency key:", ferry_task_info_get_idempotency_key (info));
  print_field ("Last error:", ferry_task_info_get_last_error (info));
  print_field ("Last status:", last_status);
  print_field ("Body:", body);
  /* In conflict, the response is the server's copy to compare with, when
   * there is one. */
  if (!in_conflict)
    print_field ("Response:", response);
  else if (ferry_task_info_get_server_copy (info) == FERRY_CLIENT_SERVER_COPY_DELETED)
    print_field ("Server's copy:", "deleted on the server (--take mine creates it again, "
                 "--take server drops this change)");
  else if (ferry_task_info_get_server_copy (info) == FERRY_CLIENT_SERVER_COPY_UNKNOWN)
    print_field ("Server's copy:", "could not be fetched");
  else
    print_field ("Server's copy:", response);
}

/**
 * ferryctl_print_task_details:
 * @info: a task, as Get returns it
 * @now: the current time, µs since the epoch
 * @show_secrets: whether to print the values of credential headers that
 *   the agent sent (it sends them to the task's owner only)
 *
 * Prints every field of a task that is set, one per line, then headers
 * and bodies.
 */
void
ferryctl_print_task_details (FerryTaskInfo *info,
                             gint64         now,
                             gboolean       show_secrets)
{
  gboolean in_conflict = ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_CONFLICT;

  print_state_fields (info, now);
  print_delivery_fields (info, now);
  print_headers (info, "Headers:", ferry_task_info_get_headers (info), FALSE, show_secrets);
  print_merge_rules (ferry_task_info_get_merge_rules (info));
  print_body ("Request body:", ferry_task_info_get_body (info));
  print_body ("Base:", ferry_task_info_get_base (info));
  print_headers (info, in_conflict ? "Server's copy headers:" : "Response headers:",
                 ferry_task_info_get_response_headers (info), TRUE, show_secrets);
  print_body (in_conflict ? "Server's copy body:" : "Response body:",
              ferry_task_info_get_response_body (info));
}

/**
 * ferryctl_describe_status:
 * @client: a client
 * @collections: (nullable) (element-type FerryCollection): the
 *   collections, whose runs and records count with the tasks'
 *
 * Returns: (transfer full): the agent's status as the window's header and
 *   the tray say it: the title, then what it leaves out and what needs
 *   the person, a line each
 */
char *
ferryctl_describe_status (FerryClient *client,
                          GPtrArray   *collections)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  ferry_status_snapshot_from_client (&snapshot, client);
  for (guint i = 0; snapshot.agent_running && collections != NULL && i < collections->len; i++)
    ferry_status_snapshot_add_collection (&snapshot, g_ptr_array_index (collections, i));
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  return ferry_status_to_text (status);
}
