/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-json"

#include "config.h"

#include "ferry-names.h"
#include "ferryctl-format.h"

/* Tasks as JSON for scripts: the keys of the agent's task dictionary,
 * times in ISO 8601, credentials left out unless asked for. */

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

/* Headers as an object; a value not shown is null (the person asked not
 * to see credentials, or the agent gave none). */
static void
add_headers (JsonBuilder        *builder,
             FerryTaskInfo      *info,
             const char         *key,
             const char * const *pairs,
             gboolean            response,
             gboolean            show_secrets)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  for (guint i = 0; pairs != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      FerryCtlHeaderView view = ferryctl_view_header (info, pairs[i], pairs[i + 1], response,
                                                      show_secrets);

      add_string (builder, pairs[i], view == FERRYCTL_HEADER_SHOWN ? pairs[i + 1] : NULL);
    }
  json_builder_end_object (builder);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *key,
          const char * const *strv)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

/* Merge rules as pointer → side, in the agent's words and order. */
static void
add_merge_rules (JsonBuilder        *builder,
                 const char * const *rules)
{
  json_builder_set_member_name (builder, "merge-rules");
  json_builder_begin_object (builder);
  for (guint i = 0; rules != NULL && rules[i] != NULL && rules[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, rules[i]);
      json_builder_add_string_value (builder, rules[i + 1]);
    }
  json_builder_end_object (builder);
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

/* The request: what was asked, and how it is sent. */
static void
add_request_members (JsonBuilder   *builder,
                     FerryTaskInfo *info,
                     gboolean       show_secrets)
{
  const char * const *hidden = ferry_task_info_get_hidden_headers (info);

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
  add_headers (builder, info, "headers", ferry_task_info_get_headers (info), FALSE,
               show_secrets);
  if (hidden != NULL)
    add_strv (builder, "hidden-headers", hidden);
  if (ferry_task_info_get_secret_headers (info) != NULL)
    add_strv (builder, "secret-headers", ferry_task_info_get_secret_headers (info));
  add_string (builder, "content-type", ferry_task_info_get_content_type (info));
  add_int (builder, "body-size", (gint64) ferry_task_info_get_body_size (info));
  add_body (builder, "body", ferry_task_info_get_body (info));
  add_string (builder, "idempotency-key", ferry_task_info_get_idempotency_key (info));
  add_string (builder, "if-match", ferry_task_info_get_if_match (info));
}

/**
 * ferryctl_task_to_json:
 * @info: a task
 * @show_secrets: whether to give the values of credential headers that
 *   the agent sent (it sends them to the task's owner only)
 *
 * Returns: (transfer full): the task as a JSON object whose keys are those
 *   of the agent's task dictionary; times in ISO 8601 (UTC) or null; the
 *   value of a header that is not shown is null
 */
JsonNode *
ferryctl_task_to_json (FerryTaskInfo *info,
                       gboolean       show_secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_request_members (builder, info, show_secrets);
  add_string (builder, "conflict-strategy",
              ferry_client_conflict_strategy_to_string (
                ferry_task_info_get_conflict_strategy (info)));
  add_string (builder, "conflict-url", ferry_task_info_get_conflict_url (info));
  add_body (builder, "base", ferry_task_info_get_base (info));
  add_merge_rules (builder, ferry_task_info_get_merge_rules (info));
  add_string (builder, "timestamp-pointer", ferry_task_info_get_timestamp_pointer (info));
  add_string (builder, "last-error", ferry_task_info_get_last_error (info));
  add_int (builder, "last-status", ferry_task_info_get_last_status (info));
  add_int (builder, "response-status", ferry_task_info_get_response_status (info));
  if (ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_CONFLICT)
    add_string (builder, "server-copy",
                ferry_names_get (ferry_names_server_copies, FERRY_NAMES_N_SERVER_COPIES,
                                 ferry_task_info_get_server_copy (info)));
  if (ferry_task_info_get_response_headers (info) != NULL)
    add_headers (builder, info, "response-headers",
                 ferry_task_info_get_response_headers (info), TRUE, show_secrets);
  add_body (builder, "response-body", ferry_task_info_get_response_body (info));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ferryctl_json_to_string:
 * @node: a JSON node
 * @pretty: indent it over several lines, or keep it on one
 *
 * Returns: (transfer full): @node as JSON, without a final newline
 */
char *
ferryctl_json_to_string (JsonNode *node,
                         gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  if (pretty)
    json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}
