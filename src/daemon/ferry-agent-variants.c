/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-variants"

#include "config.h"

#include <string.h>

#include "ferry-agent-args.h"

/*
 * Engine records as D-Bus values: a task as the a{sv} of Get and List, a
 * run's summary as the a{sv} of RunFinished.
 */

static void
add_string (GVariantBuilder *builder,
            const char      *key,
            const char      *value)
{
  if (value == NULL)
    return;
  /* Text that came from a server (reasons, response headers) is not
   * guaranteed to be UTF-8; a D-Bus string must be. */
  if (g_utf8_validate (value, -1, NULL))
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
  else
    g_variant_builder_add (builder, "{sv}", key,
                           g_variant_new_take_string (g_utf8_make_valid (value, -1)));
}

static void
add_uint (GVariantBuilder *builder,
          const char      *key,
          guint            value)
{
  g_variant_builder_add (builder, "{sv}", key, g_variant_new_uint32 (value));
}

static void
add_time (GVariantBuilder *builder,
          const char      *key,
          gint64           value)
{
  if (value != 0)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_int64 (value));
}

static void
add_bytes (GVariantBuilder *builder,
           const char      *key,
           GBytes          *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", key,
                           g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, value, TRUE));
}

static GVariant *
make_valid_string (const char *value)
{
  if (g_utf8_validate (value, -1, NULL))
    return g_variant_new_string (value);
  return g_variant_new_take_string (g_utf8_make_valid (value, -1));
}

/*
 * Headers as a{ss}.  For anyone but the owner, credential values become ""
 * and their names are collected in @hidden.
 */
static void
add_headers (GVariantBuilder *builder,
             const char      *key,
             const FerryTask *task,
             char * const    *headers,
             gboolean         show_secrets,
             GPtrArray       *hidden)
{
  GVariantBuilder dict;

  if (headers == NULL || headers[0] == NULL)
    return;

  g_variant_builder_init (&dict, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      const char *value = headers[i + 1];

      if (!show_secrets && ferry_task_header_is_secret (task, headers[i]))
        {
          value = "";
          if (hidden != NULL)
            g_ptr_array_add (hidden, headers[i]);
        }
      g_variant_builder_add (&dict, "{@s@s}",
                             make_valid_string (headers[i]), make_valid_string (value));
    }
  g_variant_builder_add (builder, "{sv}", key, g_variant_builder_end (&dict));
}

/* Flat name/value pairs as a{ss}; nothing when there are none. */
static void
add_pairs (GVariantBuilder *builder,
           const char      *key,
           char * const    *pairs)
{
  GVariantBuilder dict;

  if (pairs == NULL || pairs[0] == NULL)
    return;

  g_variant_builder_init (&dict, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    g_variant_builder_add (&dict, "{@s@s}",
                           make_valid_string (pairs[i]), make_valid_string (pairs[i + 1]));
  g_variant_builder_add (builder, "{sv}", key, g_variant_builder_end (&dict));
}

/**
 * ferry_agent_args_task_to_variant:
 * @task: a task
 * @with_bodies: include body, base and response-body (Get) or not (List)
 * @show_secrets: %TRUE only for the task's owner
 *
 * The task dictionary Get and List send.  Optional values that are unset
 * are left out.
 *
 * Returns: (transfer floating): an `a{sv}`
 */
GVariant *
ferry_agent_args_task_to_variant (const FerryTask *task,
                                  gboolean         with_bodies,
                                  gboolean         show_secrets)
{
  GVariantBuilder builder;
  g_autoptr(GPtrArray) hidden = g_ptr_array_new ();

  g_return_val_if_fail (task != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_string (&builder, "id", task->id);
  add_string (&builder, "owner", task->owner);
  add_string (&builder, "name", task->name);
  add_string (&builder, "group", task->group);
  add_string (&builder, "method", task->method);
  add_string (&builder, "url", task->url);
  add_headers (&builder, "headers", task, task->headers, show_secrets, hidden);
  if (hidden->len > 0)
    {
      g_ptr_array_add (hidden, NULL);
      g_variant_builder_add (&builder, "{sv}", "hidden-headers",
                             g_variant_new_strv ((const char * const *) hidden->pdata, -1));
    }
  if (task->secret_headers != NULL && task->secret_headers[0] != NULL)
    g_variant_builder_add (&builder, "{sv}", "secret-headers",
                           g_variant_new_strv ((const char * const *) task->secret_headers, -1));
  add_string (&builder, "content-type", task->content_type);
  if (with_bodies)
    add_bytes (&builder, "body", task->body);
  g_variant_builder_add (&builder, "{sv}", "body-size",
                         g_variant_new_uint64 (ferry_task_get_body_size (task)));
  add_string (&builder, "priority", ferry_priority_to_string (task->priority));
  add_string (&builder, "state", ferry_task_state_to_string (task->state));
  add_uint (&builder, "attempts", task->attempts);
  add_uint (&builder, "max-attempts", task->max_attempts);
  add_time (&builder, "next-attempt", task->next_attempt);
  add_time (&builder, "failing-since", task->failing_since);
  add_time (&builder, "created", task->created);
  add_time (&builder, "updated", task->updated);
  add_time (&builder, "not-before", task->not_before);
  add_time (&builder, "expires", task->expires);
  g_variant_builder_add (&builder, "{sv}", "unmetered-only",
                         g_variant_new_boolean (task->unmetered_only));
  add_string (&builder, "idempotency-key", task->idempotency_key);
  add_string (&builder, "if-match", task->if_match);
  add_string (&builder, "conflict-strategy",
              ferry_conflict_strategy_to_string (task->conflict_strategy));
  add_string (&builder, "conflict-url", task->conflict_url);
  if (with_bodies)
    add_bytes (&builder, "base", task->base);
  add_pairs (&builder, "merge-rules", task->merge_rules);
  add_string (&builder, "timestamp-pointer", task->timestamp_pointer);
  add_string (&builder, "last-error", task->last_error);
  if (task->last_status != 0)
    add_uint (&builder, "last-status", task->last_status);
  if (task->response_status != 0)
    add_uint (&builder, "response-status", task->response_status);
  if (task->state == FERRY_TASK_STATE_CONFLICT)
    add_string (&builder, "server-copy",
                ferry_server_copy_to_string (ferry_task_get_server_copy (task)));
  add_headers (&builder, "response-headers", task, task->response_headers, show_secrets, NULL);
  if (with_bodies)
    add_bytes (&builder, "response-body", task->response_body);
  return g_variant_builder_end (&builder);
}

/**
 * ferry_agent_args_summary_to_variant:
 * @summary: what a run did
 *
 * Returns: (transfer floating): the RunFinished dictionary
 */
GVariant *
ferry_agent_args_summary_to_variant (const FerryRunSummary *summary)
{
  GVariantBuilder builder;

  g_return_val_if_fail (summary != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_uint (&builder, "succeeded", summary->succeeded);
  add_uint (&builder, "failed", summary->failed);
  add_uint (&builder, "retried", summary->retried);
  add_uint (&builder, "conflicts", summary->conflicts);
  add_uint (&builder, "auth-required", summary->auth_required);
  g_variant_builder_add (&builder, "{sv}", "started", g_variant_new_int64 (summary->started));
  g_variant_builder_add (&builder, "{sv}", "finished", g_variant_new_int64 (summary->finished));
  return g_variant_builder_end (&builder);
}
