/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-format"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ferry-task-info-private.h"

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

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *key,
          gint64       value)
{
  g_autofree char *text = value != 0 ? ferryctl_format_iso8601 (value) : NULL;

  add_string (builder, key, text);
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

static void
add_headers (JsonBuilder        *builder,
             const char         *key,
             const char * const *pairs)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  for (guint i = 0; pairs != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, pairs[i]);
      json_builder_add_string_value (builder, pairs[i + 1]);
    }
  json_builder_end_object (builder);
}

/*
 * Keys of the task dictionary that FerryTaskInfo has no getter for, read
 * from the dictionary it was made from.
 */
static GVariant *
lookup_task_value (FerryTaskInfo      *info,
                   const char         *key,
                   const GVariantType *type)
{
  GVariant *task = ferry_task_info_get_variant (info);

  if (task == NULL)
    return NULL;
  return g_variant_lookup_value (task, key, type);
}

static char *
dup_task_string (FerryTaskInfo *info,
                 const char    *key)
{
  g_autoptr(GVariant) value = lookup_task_value (info, key, G_VARIANT_TYPE_STRING);

  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

/* Merge rules as flat pointer/side pairs, in the agent's order. */
static char **
dup_merge_rules (FerryTaskInfo *info)
{
  g_autoptr(GVariant) value = lookup_task_value (info, "merge-rules", G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GStrvBuilder) builder = NULL;
  GVariantIter iter;
  const char *pointer, *side;

  if (value == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &pointer, &side))
    {
      g_strv_builder_add (builder, pointer);
      g_strv_builder_add (builder, side);
    }
  return g_strv_builder_end (builder);
}

/* A body as text when it is UTF-8, else in base64 under "<key>-base64". */
static void
add_body (JsonBuilder *builder,
          const char  *key,
          GBytes      *body)
{
  gsize size;
  const char *data;

  if (body == NULL)
    return;

  data = g_bytes_get_data (body, &size);
  if (g_utf8_validate_len (data, size, NULL))
    {
      g_autofree char *text = g_strndup (data, size);

      add_string (builder, key, text);
    }
  else
    {
      g_autofree char *name = g_strconcat (key, "-base64", NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) data, size);

      add_string (builder, name, encoded);
    }
}

/**
 * ferryctl_task_to_json:
 * @info: a task
 *
 * Returns: (transfer full): the task as a JSON object whose keys are those
 *   of the agent's task dictionary; times in ISO 8601 (UTC) or null
 */
JsonNode *
ferryctl_task_to_json (FerryTaskInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *hidden = ferry_task_info_get_hidden_headers (info);
  g_auto(GStrv) rules = dup_merge_rules (info);
  g_autofree char *timestamp_pointer = dup_task_string (info, "timestamp-pointer");

  json_builder_begin_object (builder);
  add_string (builder, "id", ferry_task_info_get_id (info));
  add_string (builder, "owner", ferry_task_info_get_owner (info));
  add_string (builder, "name", ferry_task_info_get_name (info));
  add_string (builder, "group", ferry_task_info_get_group (info));
  add_string (builder, "method", ferry_task_info_get_method (info));
  add_string (builder, "url", ferry_task_info_get_url (info));
  add_string (builder, "state", ferry_task_info_get_state_name (info));
  add_string (builder, "priority",
              ferry_client_priority_to_string (ferry_task_info_get_priority (info)));
  add_int (builder, "attempts", ferry_task_info_get_attempts (info));
  add_int (builder, "max-attempts", ferry_task_info_get_max_attempts (info));
  add_time (builder, "next-attempt", ferry_task_info_get_next_attempt (info));
  add_time (builder, "failing-since", ferry_task_info_get_failing_since (info));
  add_time (builder, "created", ferry_task_info_get_created (info));
  add_time (builder, "updated", ferry_task_info_get_updated (info));
  add_time (builder, "not-before", ferry_task_info_get_not_before (info));
  add_time (builder, "expires", ferry_task_info_get_expires (info));
  json_builder_set_member_name (builder, "unmetered-only");
  json_builder_add_boolean_value (builder, ferry_task_info_get_unmetered_only (info));
  add_headers (builder, "headers", ferry_task_info_get_headers (info));
  if (hidden != NULL)
    {
      json_builder_set_member_name (builder, "hidden-headers");
      json_builder_begin_array (builder);
      for (guint i = 0; hidden[i] != NULL; i++)
        json_builder_add_string_value (builder, hidden[i]);
      json_builder_end_array (builder);
    }
  add_string (builder, "content-type", ferry_task_info_get_content_type (info));
  add_int (builder, "body-size", (gint64) ferry_task_info_get_body_size (info));
  add_body (builder, "body", ferry_task_info_get_body (info));
  add_string (builder, "idempotency-key", ferry_task_info_get_idempotency_key (info));
  add_string (builder, "if-match", ferry_task_info_get_if_match (info));
  add_string (builder, "conflict-strategy",
              ferry_client_conflict_strategy_to_string (
                ferry_task_info_get_conflict_strategy (info)));
  add_string (builder, "conflict-url", ferry_task_info_get_conflict_url (info));
  add_body (builder, "base", ferry_task_info_get_base (info));
  json_builder_set_member_name (builder, "merge-rules");
  json_builder_begin_object (builder);
  for (guint i = 0; rules != NULL && rules[i] != NULL && rules[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, rules[i]);
      json_builder_add_string_value (builder, rules[i + 1]);
    }
  json_builder_end_object (builder);
  add_string (builder, "timestamp-pointer", timestamp_pointer);
  add_string (builder, "last-error", ferry_task_info_get_last_error (info));
  add_int (builder, "last-status", ferry_task_info_get_last_status (info));
  add_int (builder, "response-status", ferry_task_info_get_response_status (info));
  if (ferry_task_info_get_response_headers (info) != NULL)
    add_headers (builder, "response-headers", ferry_task_info_get_response_headers (info));
  add_body (builder, "response-body", ferry_task_info_get_response_body (info));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ferryctl_json_to_string:
 * @node: a JSON node
 *
 * Returns: (transfer full): @node as indented JSON, without a final newline
 */
char *
ferryctl_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static char *
format_tries (FerryTaskInfo *info)
{
  guint max = ferry_task_info_get_max_attempts (info);

  if (max == 0)
    return g_strdup_printf ("%u", ferry_task_info_get_attempts (info));
  return g_strdup_printf ("%u/%u", ferry_task_info_get_attempts (info), max);
}

static void
print_padded (const char *text,
              guint       width,
              gboolean    last)
{
  glong length = g_utf8_strlen (text, -1);

  if (last)
    {
      g_print ("%s\n", text);
      return;
    }
  g_print ("%s", text);
  for (glong i = length; i < (glong) width + 2; i++)
    g_print (" ");
}

enum { COL_ID, COL_STATE, COL_PRIORITY, COL_TRIES, COL_OWNER, COL_NAME, COL_REQUEST, N_COLS };

/**
 * ferryctl_print_task_table:
 * @tasks: (element-type FerryTaskInfo): the tasks
 *
 * Prints one line per task under a header line, in aligned columns.
 */
void
ferryctl_print_task_table (GPtrArray *tasks)
{
  static const char * const headers[N_COLS] = {
    "ID", "STATE", "PRIORITY", "TRIES", "OWNER", "NAME", "REQUEST",
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint widths[N_COLS];

  for (guint c = 0; c < N_COLS; c++)
    widths[c] = g_utf8_strlen (headers[c], -1);

  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTaskInfo *info = g_ptr_array_index (tasks, i);
      const char *state = ferry_task_info_get_state_name (info);
      const char *name = ferry_task_info_get_name (info);
      char **row = g_new0 (char *, N_COLS + 1);

      row[COL_ID] = g_strdup (ferry_task_info_get_id (info));
      /* A pending task whose server keeps failing is being retried. */
      if (ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_PENDING &&
          ferry_task_info_get_failing_since (info) != 0)
        state = "retrying";
      row[COL_STATE] = g_strdup (state != NULL ? state : "?");
      row[COL_PRIORITY] = g_strdup (ferry_client_priority_to_string (
                                      ferry_task_info_get_priority (info)));
      row[COL_TRIES] = format_tries (info);
      row[COL_OWNER] = g_strdup (ferry_task_info_get_owner (info));
      row[COL_NAME] = g_strdup (name != NULL ? name : "-");
      row[COL_REQUEST] = g_strdup_printf ("%s %s", ferry_task_info_get_method (info),
                                          ferry_task_info_get_url (info));
      for (guint c = 0; c < N_COLS; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c] != NULL ? row[c] : "", -1));
      g_ptr_array_add (rows, row);
    }

  for (guint c = 0; c < N_COLS; c++)
    print_padded (headers[c], widths[c], c == N_COLS - 1);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < N_COLS; c++)
        print_padded (row[c] != NULL ? row[c] : "", widths[c], c == N_COLS - 1);
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
print_headers (const char         *label,
               const char * const *pairs,
               const char * const *hidden)
{
  if (pairs == NULL || pairs[0] == NULL)
    return;

  g_print ("%s\n", label);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      gboolean is_hidden = hidden != NULL && g_strv_contains (hidden, pairs[i]);

      g_print ("  %s: %s\n", pairs[i], is_hidden ? "(hidden)" : pairs[i + 1]);
    }
}

static void
print_body (const char *label,
            GBytes     *body)
{
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
  {
    g_autofree char *text = g_strndup (data, size);
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (lines[i + 1] == NULL && lines[i][0] == '\0')
          break;
        g_print ("  %s\n", lines[i]);
      }
  }
}

/**
 * ferryctl_print_task_details:
 * @info: a task, as Get returns it
 * @now: the current time, µs since the epoch
 *
 * Prints every field of a task that is set, one per line, then headers
 * and bodies.
 */
void
ferryctl_print_task_details (FerryTaskInfo *info,
                             gint64         now)
{
  g_autofree char *request = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *body = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *next = NULL;
  g_autofree char *failing = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *last_status = NULL;
  g_autofree char *response = NULL;
  g_autofree char *timestamp_pointer = dup_task_string (info, "timestamp-pointer");
  g_auto(GStrv) rules = dup_merge_rules (info);
  guint64 body_size = ferry_task_info_get_body_size (info);
  guint max = ferry_task_info_get_max_attempts (info);
  /* In conflict, the response is the server's copy to compare with. */
  gboolean in_conflict = ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_CONFLICT;

  request = g_strdup_printf ("%s %s", ferry_task_info_get_method (info),
                             ferry_task_info_get_url (info));
  if (max != 0)
    attempts = g_strdup_printf ("%u of %u", ferry_task_info_get_attempts (info), max);
  else
    attempts = g_strdup_printf ("%u", ferry_task_info_get_attempts (info));
  if (ferry_task_info_get_failing_since (info) != 0)
    failing = ferryctl_format_when (ferry_task_info_get_failing_since (info), now);
  waiting = describe_retry (info, now);
  if (body_size > 0)
    {
      g_autofree char *size = ferryctl_format_size (body_size);
      const char *type = ferry_task_info_get_content_type (info);

      body = type != NULL ? g_strdup_printf ("%s, %s", size, type) : g_steal_pointer (&size);
    }
  created = ferryctl_format_when (ferry_task_info_get_created (info), now);
  updated = ferryctl_format_when (ferry_task_info_get_updated (info), now);
  if (ferry_task_info_get_next_attempt (info) != 0)
    next = ferryctl_format_when (ferry_task_info_get_next_attempt (info), now);
  if (ferry_task_info_get_not_before (info) != 0)
    not_before = ferryctl_format_when (ferry_task_info_get_not_before (info), now);
  if (ferry_task_info_get_expires (info) != 0)
    expires = ferryctl_format_when (ferry_task_info_get_expires (info), now);
  if (ferry_task_info_get_last_status (info) != 0)
    last_status = g_strdup_printf ("%u", ferry_task_info_get_last_status (info));
  if (ferry_task_info_get_response_status (info) != 0)
    response = g_strdup_printf ("%u", ferry_task_info_get_response_status (info));

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
  print_field ("Not before:", not_before);
  print_field ("Expires:", expires);
  print_field ("Unmetered only:", ferry_task_info_get_unmetered_only (info) ? "yes" : NULL);
  print_field ("Conflicts:",
              ferry_client_conflict_strategy_to_string (
                ferry_task_info_get_conflict_strategy (info)));
  print_field ("Conflict URL:", ferry_task_info_get_conflict_url (info));
  print_field ("Timestamp at:", timestamp_pointer);
  print_field ("If-Match:", ferry_task_info_get_if_match (info));
  print_field ("Idempotency key:", ferry_task_info_get_idempotency_key (info));
  print_field ("Last error:", ferry_task_info_get_last_error (info));
  print_field ("Last status:", last_status);
  print_field ("Body:", body);
  print_field (in_conflict ? "Server's copy:" : "Response:", response);
  print_headers ("Headers:", ferry_task_info_get_headers (info),
                 ferry_task_info_get_hidden_headers (info));
  if (rules != NULL && rules[0] != NULL)
    {
      g_print ("Merge rules:\n");
      for (guint i = 0; rules[i] != NULL && rules[i + 1] != NULL; i += 2)
        g_print ("  %s: %s wins\n", *rules[i] != '\0' ? rules[i] : "(whole document)",
                 rules[i + 1]);
    }
  print_body ("Request body:", ferry_task_info_get_body (info));
  print_body ("Base:", ferry_task_info_get_base (info));
  print_headers (in_conflict ? "Server's copy headers:" : "Response headers:",
                 ferry_task_info_get_response_headers (info), NULL);
  print_body (in_conflict ? "Server's copy body:" : "Response body:",
              ferry_task_info_get_response_body (info));
}

/**
 * ferryctl_describe_status:
 * @client: a client
 *
 * Returns: (transfer full): the agent's status as the window's header and
 *   the tray say it: the title, then what it leaves out and what needs
 *   the person, a line each
 */
char *
ferryctl_describe_status (FerryClient *client)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  ferry_status_snapshot_from_client (&snapshot, client);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  return ferry_status_to_text (status);
}
