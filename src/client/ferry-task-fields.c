/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-fields"

#include "config.h"

#include <string.h>

#include "ferry-names.h"
#include "ferry-task-fields.h"

static char *
lookup_string (GVariant   *task,
               const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (task, key, "&s", &value))
    return NULL;
  return g_strdup (value);
}

static FerryClientServerCopy
lookup_server_copy (GVariant *task)
{
  const char *name = NULL;
  guint value;

  g_variant_lookup (task, "server-copy", "&s", &name);
  if (!ferry_names_lookup (ferry_names_server_copies, FERRY_NAMES_N_SERVER_COPIES, name,
                           &value))
    return FERRY_CLIENT_SERVER_COPY_UNKNOWN;
  return (FerryClientServerCopy) value;
}

static char **
lookup_strv (GVariant   *task,
             const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE_STRING_ARRAY);

  if (value == NULL)
    return NULL;
  return g_variant_dup_strv (value, NULL);
}

/* a{ss} into flat name/value pairs, in the order the agent sent them. */
static char **
lookup_header_pairs (GVariant   *task,
                     const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GStrvBuilder) builder = NULL;
  GVariantIter iter;
  const char *name;
  const char *header_value;

  if (value == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &header_value))
    {
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, header_value);
    }
  return g_strv_builder_end (builder);
}

static GBytes *
lookup_bytes (GVariant   *task,
              const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE_BYTESTRING);

  if (value == NULL)
    return NULL;
  return g_variant_get_data_as_bytes (value);
}

static guint
lookup_uint (GVariant   *task,
             const char *key)
{
  guint32 value = 0;

  g_variant_lookup (task, key, "u", &value);
  return value;
}

static gint64
lookup_int64 (GVariant   *task,
              const char *key)
{
  gint64 value = 0;

  g_variant_lookup (task, key, "x", &value);
  return value;
}

/* The enums the agent sends by name; a name this library does not know
 * keeps the default. */
static void
read_named_values (FerryTaskFields *fields,
                   GVariant        *task)
{
  const char *state_name = NULL;
  const char *priority_name = NULL;
  const char *strategy_name = NULL;

  g_variant_lookup (task, "state", "&s", &state_name);
  if (!ferry_client_task_state_from_string (state_name, &fields->state))
    fields->state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  g_variant_lookup (task, "priority", "&s", &priority_name);
  if (!ferry_client_priority_from_string (priority_name, &fields->priority))
    fields->priority = FERRY_CLIENT_PRIORITY_MEDIUM;
  g_variant_lookup (task, "conflict-strategy", "&s", &strategy_name);
  if (!ferry_client_conflict_strategy_from_string (strategy_name, &fields->conflict_strategy))
    fields->conflict_strategy = FERRY_CLIENT_CONFLICT_ASK;
  fields->server_copy = lookup_server_copy (task);
}

/* Sets @fields to their defaults. */
void
ferry_task_fields_init (FerryTaskFields *fields)
{
  memset (fields, 0, sizeof *fields);
  fields->priority = FERRY_CLIENT_PRIORITY_MEDIUM;
  fields->state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  fields->conflict_strategy = FERRY_CLIENT_CONFLICT_ASK;
  fields->server_copy = FERRY_CLIENT_SERVER_COPY_UNKNOWN;
}

/* Reads every field the task dictionary @task has into @fields, just
 * initialized with ferry_task_fields_init(). */
void
ferry_task_fields_read (FerryTaskFields *fields,
                        GVariant        *task)
{
  g_return_if_fail (g_variant_is_of_type (task, G_VARIANT_TYPE_VARDICT));

  read_named_values (fields, task);
  fields->id = lookup_string (task, "id");
  fields->owner = lookup_string (task, "owner");
  fields->name = lookup_string (task, "name");
  fields->group = lookup_string (task, "group");
  fields->method = lookup_string (task, "method");
  fields->url = lookup_string (task, "url");
  fields->headers = lookup_header_pairs (task, "headers");
  fields->hidden_headers = lookup_strv (task, "hidden-headers");
  fields->secret_headers = lookup_strv (task, "secret-headers");
  fields->content_type = lookup_string (task, "content-type");
  fields->body = lookup_bytes (task, "body");
  g_variant_lookup (task, "body-size", "t", &fields->body_size);
  fields->attempts = lookup_uint (task, "attempts");
  fields->max_attempts = lookup_uint (task, "max-attempts");
  fields->next_attempt = lookup_int64 (task, "next-attempt");
  fields->failing_since = lookup_int64 (task, "failing-since");
  fields->created = lookup_int64 (task, "created");
  fields->updated = lookup_int64 (task, "updated");
  fields->not_before = lookup_int64 (task, "not-before");
  fields->expires = lookup_int64 (task, "expires");
  g_variant_lookup (task, "unmetered-only", "b", &fields->unmetered_only);
  fields->idempotency_key = lookup_string (task, "idempotency-key");
  fields->if_match = lookup_string (task, "if-match");
  fields->conflict_url = lookup_string (task, "conflict-url");
  fields->last_error = lookup_string (task, "last-error");
  fields->last_status = lookup_uint (task, "last-status");
  fields->response_status = lookup_uint (task, "response-status");
  fields->response_headers = lookup_header_pairs (task, "response-headers");
  fields->response_body = lookup_bytes (task, "response-body");
  fields->base = lookup_bytes (task, "base");
  fields->merge_rules = lookup_header_pairs (task, "merge-rules");
  fields->timestamp_pointer = lookup_string (task, "timestamp-pointer");
}

/* Frees what @fields own and sets them back to their defaults. */
void
ferry_task_fields_clear (FerryTaskFields *fields)
{
  g_free (fields->id);
  g_free (fields->owner);
  g_free (fields->name);
  g_free (fields->group);
  g_free (fields->method);
  g_free (fields->url);
  g_strfreev (fields->headers);
  g_strfreev (fields->hidden_headers);
  g_strfreev (fields->secret_headers);
  g_free (fields->content_type);
  g_clear_pointer (&fields->body, g_bytes_unref);
  g_free (fields->idempotency_key);
  g_free (fields->if_match);
  g_free (fields->conflict_url);
  g_free (fields->last_error);
  g_strfreev (fields->response_headers);
  g_clear_pointer (&fields->response_body, g_bytes_unref);
  g_clear_pointer (&fields->base, g_bytes_unref);
  g_strfreev (fields->merge_rules);
  g_free (fields->timestamp_pointer);
  ferry_task_fields_init (fields);
}
