/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-names.h"
#include "ferry-task-private.h"
#include "ferry-task.h"

G_DEFINE_BOXED_TYPE (FerryTask, ferry_task, ferry_task_ref, ferry_task_unref)

/* The D-Bus names of the values come from one table each, shared with the
 * client library. */
G_STATIC_ASSERT (FERRY_N_TASK_STATES == FERRY_NAMES_N_TASK_STATES);
G_STATIC_ASSERT (FERRY_PRIORITY_CRITICAL + 1 == FERRY_NAMES_N_PRIORITIES);
G_STATIC_ASSERT (FERRY_UNIQUE_APPEND + 1 == FERRY_NAMES_N_UNIQUE_POLICIES);
G_STATIC_ASSERT (FERRY_CONFLICT_CUSTOM + 1 == FERRY_NAMES_N_CONFLICT_STRATEGIES);
G_STATIC_ASSERT (FERRY_RESOLVE_BODY + 1 == FERRY_NAMES_N_RESOLVE_CHOICES);
G_STATIC_ASSERT (FERRY_SERVER_COPY_DELETED + 1 == FERRY_NAMES_N_SERVER_COPIES);

#define DEFINE_STRING_PAIR(type, prefix, names, n_names)                         \
  const char *                                                                   \
  prefix##_to_string (type value)                                                \
  {                                                                              \
    return ferry_names_get (names, n_names, (guint) value);                      \
  }                                                                              \
  gboolean                                                                       \
  prefix##_from_string (const char *str,                                         \
                        type       *out_value)                                   \
  {                                                                              \
    guint v;                                                                     \
    if (!ferry_names_lookup (names, n_names, str, &v))                           \
      return FALSE;                                                              \
    if (out_value != NULL)                                                       \
      *out_value = (type) v;                                                     \
    return TRUE;                                                                 \
  }

DEFINE_STRING_PAIR (FerryTaskState, ferry_task_state, ferry_names_task_states,
                    FERRY_NAMES_N_TASK_STATES)
DEFINE_STRING_PAIR (FerryPriority, ferry_priority, ferry_names_priorities,
                    FERRY_NAMES_N_PRIORITIES)
DEFINE_STRING_PAIR (FerryUniquePolicy, ferry_unique_policy, ferry_names_unique_policies,
                    FERRY_NAMES_N_UNIQUE_POLICIES)
DEFINE_STRING_PAIR (FerryConflictStrategy, ferry_conflict_strategy,
                    ferry_names_conflict_strategies, FERRY_NAMES_N_CONFLICT_STRATEGIES)
DEFINE_STRING_PAIR (FerryResolveChoice, ferry_resolve_choice, ferry_names_resolve_choices,
                    FERRY_NAMES_N_RESOLVE_CHOICES)

/**
 * ferry_task_new:
 *
 * Returns: (transfer full): an empty task: medium priority, method unset,
 *   state pending, conflict strategy ask
 */
FerryTask *
ferry_task_new (void)
{
  FerryTask *self = g_new0 (FerryTask, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->priority = FERRY_PRIORITY_MEDIUM;
  self->state = FERRY_TASK_STATE_PENDING;
  self->conflict_strategy = FERRY_CONFLICT_ASK;
  self->unique = FERRY_UNIQUE_REPLACE;
  self->has_payload = TRUE;
  return self;
}

FerryTask *
ferry_task_ref (FerryTask *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
ferry_task_free (FerryTask *self)
{
  g_free (self->id);
  g_free (self->owner);
  g_free (self->name);
  g_free (self->group);
  g_free (self->method);
  g_free (self->url);
  g_strfreev (self->headers);
  g_strfreev (self->secret_headers);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  g_free (self->idempotency_key);
  g_free (self->if_match);
  g_free (self->conflict_url);
  g_clear_pointer (&self->base, g_bytes_unref);
  g_strfreev (self->merge_rules);
  g_free (self->timestamp_pointer);
  g_free (self->last_error);
  g_strfreev (self->response_headers);
  g_clear_pointer (&self->response_body, g_bytes_unref);
  g_free (self);
}

void
ferry_task_unref (FerryTask *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    ferry_task_free (self);
}

static GBytes *
ref_bytes (GBytes *bytes)
{
  return bytes != NULL ? g_bytes_ref (bytes) : NULL;
}

/**
 * ferry_task_copy:
 * @self: a task
 *
 * Returns: (transfer full): a deep copy with its own reference count
 */
FerryTask *
ferry_task_copy (const FerryTask *self)
{
  FerryTask *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ferry_task_new ();
  copy->id = g_strdup (self->id);
  copy->seq = self->seq;
  copy->owner = g_strdup (self->owner);
  copy->name = g_strdup (self->name);
  copy->group = g_strdup (self->group);
  copy->method = g_strdup (self->method);
  copy->url = g_strdup (self->url);
  copy->headers = g_strdupv (self->headers);
  copy->secret_headers = g_strdupv (self->secret_headers);
  copy->body = ref_bytes (self->body);
  copy->content_type = g_strdup (self->content_type);
  copy->idempotency_key = g_strdup (self->idempotency_key);
  copy->if_match = g_strdup (self->if_match);
  copy->priority = self->priority;
  copy->unique = self->unique;
  copy->max_attempts = self->max_attempts;
  copy->not_before = self->not_before;
  copy->expires = self->expires;
  copy->unmetered_only = self->unmetered_only;
  copy->conflict_strategy = self->conflict_strategy;
  copy->conflict_url = g_strdup (self->conflict_url);
  copy->base = ref_bytes (self->base);
  copy->merge_rules = g_strdupv (self->merge_rules);
  copy->timestamp_pointer = g_strdup (self->timestamp_pointer);
  copy->has_payload = self->has_payload;
  copy->body_size = self->body_size;
  copy->state = self->state;
  copy->attempts = self->attempts;
  copy->next_attempt = self->next_attempt;
  copy->created = self->created;
  copy->updated = self->updated;
  copy->last_error = g_strdup (self->last_error);
  copy->last_status = self->last_status;
  copy->failing_since = self->failing_since;
  copy->response_status = self->response_status;
  copy->response_headers = g_strdupv (self->response_headers);
  copy->response_body = ref_bytes (self->response_body);
  return copy;
}

/**
 * ferry_task_get_header:
 * @self: a task
 * @name: a header name, compared without regard to case
 *
 * Returns: (nullable): the first value of @name, borrowed from @self
 */
const char *
ferry_task_get_header (const FerryTask *self,
                       const char      *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->headers == NULL)
    return NULL;
  for (guint i = 0; self->headers[i] != NULL && self->headers[i + 1] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (self->headers[i], name) == 0)
        return self->headers[i + 1];
    }
  return NULL;
}

/**
 * ferry_task_add_header:
 * @self: a task
 * @name: header name
 * @value: header value
 *
 * Appends a header; values are not checked here (ferry_task_validate() does).
 */
void
ferry_task_add_header (FerryTask  *self,
                       const char *name,
                       const char *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  ferry_header_list_add (&self->headers, name, value);
}

/**
 * ferry_header_list_add:
 * @headers: (inout): a flat list of names and values (`name0, value0, …`),
 *   %NULL-terminated, or %NULL for none
 * @name: header name
 * @value: header value
 *
 * Appends a header to the list, after any of the same name.
 */
void
ferry_header_list_add (char       ***headers,
                       const char   *name,
                       const char   *value)
{
  guint n = *headers != NULL ? g_strv_length (*headers) : 0;

  *headers = g_renew (char *, *headers, n + 3);
  (*headers)[n] = g_strdup (name);
  (*headers)[n + 1] = g_strdup (value);
  (*headers)[n + 2] = NULL;
}

/**
 * ferry_header_name_is_secret:
 * @name: a header name
 *
 * Returns: %TRUE for headers that carry credentials (Authorization,
 *   Proxy-Authorization, Cookie, …) whatever the task says
 */
gboolean
ferry_header_name_is_secret (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return ferry_names_header_is_secret (name);
}

/**
 * ferry_task_header_is_secret:
 * @self: a task
 * @name: a header name
 *
 * Returns: %TRUE when @name is a credential header or one the task marked
 *   secret
 */
gboolean
ferry_task_header_is_secret (const FerryTask *self,
                             const char      *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (ferry_header_name_is_secret (name))
    return TRUE;
  if (self->secret_headers != NULL)
    {
      for (guint i = 0; self->secret_headers[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (self->secret_headers[i], name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/**
 * ferry_format_headers_for_log:
 * @headers: (nullable): flat name/value pairs
 *
 * The one place headers are turned into text for logs: credential values
 * are replaced by a fixed mark.
 *
 * Returns: (transfer full): `Name: value; Name: value`
 */
char *
ferry_format_headers_for_log (const char * const *headers)
{
  GString *out = g_string_new (NULL);

  if (headers == NULL)
    return g_string_free (out, FALSE);
  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, "%s: %s", headers[i],
                              ferry_header_name_is_secret (headers[i]) ? "(hidden)"
                                                                       : headers[i + 1]);
    }
  return g_string_free (out, FALSE);
}

/**
 * ferry_task_dup_host:
 * @self: a task
 *
 * Returns: (transfer full) (nullable): the host of the task's URL, lower case
 */
char *
ferry_task_dup_host (const FerryTask *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->url == NULL)
    return NULL;
  uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

/**
 * ferry_task_state_is_final:
 * @state: a state
 *
 * Returns: %TRUE for succeeded and cancelled: nothing more happens to the task
 */
gboolean
ferry_task_state_is_final (FerryTaskState state)
{
  return state == FERRY_TASK_STATE_SUCCEEDED || state == FERRY_TASK_STATE_CANCELLED;
}

/**
 * ferry_task_get_server_copy:
 * @self: a task
 *
 * What is known of the server's copy of a task in conflict: after a 409 or
 * 412 the agent fetched it, and the task's response is that fetch's
 * answer.  A 404 or 410 means the copy was deleted on the server; any
 * other answer, or none, leaves it unknown.
 *
 * Returns: the server's copy as far as it is known; unknown for a task
 *   that is not in conflict
 */
FerryServerCopy
ferry_task_get_server_copy (const FerryTask *self)
{
  g_return_val_if_fail (self != NULL, FERRY_SERVER_COPY_UNKNOWN);

  if (self->state != FERRY_TASK_STATE_CONFLICT)
    return FERRY_SERVER_COPY_UNKNOWN;
  if (self->response_status >= 200 && self->response_status < 300)
    return FERRY_SERVER_COPY_PRESENT;
  if (self->response_status == 404 || self->response_status == 410)
    return FERRY_SERVER_COPY_DELETED;
  return FERRY_SERVER_COPY_UNKNOWN;
}

/**
 * ferry_server_copy_to_string:
 * @copy: what is known of a server's copy
 *
 * Returns: "unknown", "present" or "deleted"
 */
const char *
ferry_server_copy_to_string (FerryServerCopy copy)
{
  const char *name = ferry_names_get (ferry_names_server_copies, FERRY_NAMES_N_SERVER_COPIES,
                                      (guint) copy);

  return name != NULL ? name : "unknown";
}

/**
 * ferry_task_state_holds_group:
 * @state: a state
 *
 * Returns: %TRUE when a task in @state keeps later tasks of its group
 *   waiting (every state but succeeded and cancelled)
 */
gboolean
ferry_task_state_holds_group (FerryTaskState state)
{
  return !ferry_task_state_is_final (state);
}

/**
 * ferry_task_get_body_size:
 * @self: a task
 *
 * Returns: the size of the body in bytes, 0 when there is none; known
 *   also when the store left the payload out
 */
guint64
ferry_task_get_body_size (const FerryTask *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->has_payload)
    return self->body != NULL ? g_bytes_get_size (self->body) : 0;
  return self->body_size;
}
