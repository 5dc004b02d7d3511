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

/* RFC 9110 tchar. */
gboolean
ferry_http_token_is_valid (const char *str)
{
  static const char extra[] = "!#$%&'*+-.^_`|~";

  if (str == NULL || *str == '\0')
    return FALSE;
  for (const char *p = str; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_line_break (const char *str)
{
  return strpbrk (str, "\r\n") != NULL;
}

gboolean
ferry_validate_label (const char  *value,
                      const char  *field,
                      GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (*value == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: must not be empty", field);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not valid UTF-8", field);
      return FALSE;
    }
  if (strlen (value) > FERRY_TASK_MAX_NAME_LENGTH)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: longer than %d bytes", field, FERRY_TASK_MAX_NAME_LENGTH);
      return FALSE;
    }
  /* Any control character, not only line breaks: the store joins owner
   * and group with U+001F into one ordering key, which stays unambiguous
   * only while labels hold no control characters. */
  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: contains a control character", field);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ferry_validate_url (const char  *url,
                    const char  *field,
                    gboolean     required,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (url == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "%s: missing", field);
      return FALSE;
    }
  if (strlen (url) > FERRY_TASK_MAX_URL_LENGTH)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: longer than %d bytes", field, FERRY_TASK_MAX_URL_LENGTH);
      return FALSE;
    }
  if (!g_utf8_validate (url, -1, NULL) || strpbrk (url, "\r\n\t ") != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: contains spaces, control characters or invalid UTF-8", field);
      return FALSE;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not an absolute URL (%s)", field, local_error->message);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: scheme “%s” is not http or https", field, scheme);
      return FALSE;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "%s: has no host", field);
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_validate_header_list (char       **headers,
                            const char  *field,
                            GError     **error)
{
  guint n;
  gsize total = 0;

  if (headers == NULL)
    return TRUE;

  n = g_strv_length (headers);
  if (n % 2 != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: a header name has no value", field);
      return FALSE;
    }
  if (n / 2 > FERRY_TASK_MAX_HEADERS)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: more than %d headers", field, FERRY_TASK_MAX_HEADERS);
      return FALSE;
    }
  for (guint i = 0; i < n; i += 2)
    {
      const char *name = headers[i];
      const char *value = headers[i + 1];

      if (has_line_break (name) || has_line_break (value))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: header “%s” contains CR or LF", field,
                       has_line_break (name) ? "(name)" : name);
          return FALSE;
        }
      if (!ferry_http_token_is_valid (name))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: “%s” is not a valid header name", field,
                       g_utf8_validate (name, -1, NULL) ? name : "(invalid UTF-8)");
          return FALSE;
        }
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: value of “%s” is not valid UTF-8", field, name);
          return FALSE;
        }
      for (const char *p = value; *p; p++)
        {
          if ((guchar) *p < 0x20 && *p != '\t')
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                           "%s: value of “%s” contains a control character", field, name);
              return FALSE;
            }
        }
      total += strlen (name) + strlen (value);
    }
  if (total > FERRY_TASK_MAX_HEADER_SIZE * 4)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: larger than %d bytes in all", field, FERRY_TASK_MAX_HEADER_SIZE * 4);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_short_text (const char  *value,
                     const char  *field,
                     GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL) || strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: contains CR, LF or invalid UTF-8", field);
      return FALSE;
    }
  if (strlen (value) > FERRY_TASK_MAX_HEADER_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: longer than %d bytes", field, FERRY_TASK_MAX_HEADER_SIZE);
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_validate_pointer (const char  *pointer,
                        const char  *field,
                        GError     **error)
{
  if (!g_utf8_validate (pointer, -1, NULL) || strlen (pointer) > FERRY_TASK_MAX_NAME_LENGTH ||
      (*pointer != '\0' && *pointer != '/'))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not a JSON pointer (it starts with “/”, or is empty for the whole "
                   "document)", field);
      return FALSE;
    }
  for (const char *p = pointer; *p != '\0'; p++)
    {
      if (p[0] == '~' && p[1] != '0' && p[1] != '1')
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: “~” must be followed by 0 or 1", field);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ferry_validate_merge_rules (char   **rules,
                            GError **error)
{
  guint n;

  if (rules == NULL)
    return TRUE;
  n = g_strv_length (rules);
  if (n % 2 != 0 || n / 2 > FERRY_TASK_MAX_HEADERS)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "merge-rules: expected pairs of JSON pointer and rule, at most %d",
                   FERRY_TASK_MAX_HEADERS);
      return FALSE;
    }
  for (guint i = 0; i < n; i += 2)
    {
      if (!ferry_validate_pointer (rules[i], "merge-rules", error))
        return FALSE;
      if (!g_str_equal (rules[i + 1], "local") && !g_str_equal (rules[i + 1], "remote"))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "merge-rules: the rule for “%s” is not local or remote", rules[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* What is sent: the owner, method, URLs, headers and bodies. */
static gboolean
validate_request (const FerryTask  *self,
                  GError          **error)
{
  if (self->owner == NULL || *self->owner == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "owner: missing");
      return FALSE;
    }
  if (!ferry_validate_label (self->owner, "owner", error))
    return FALSE;
  if (self->method == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "method: missing");
      return FALSE;
    }
  if (!ferry_http_token_is_valid (self->method) || strlen (self->method) > 32)
    {
      /* escaped: the message reaches logs and other processes, and a
       * method like "GET\r\n…" must not write lines of its own there */
      g_autofree char *escaped = g_strescape (self->method, NULL);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "method: “%s” is not an HTTP method token", escaped);
      return FALSE;
    }
  if (!ferry_validate_url (self->url, "url", TRUE, error))
    return FALSE;
  if (!ferry_validate_url (self->conflict_url, "conflict-url", FALSE, error))
    return FALSE;
  if (!ferry_validate_header_list (self->headers, "headers", error))
    return FALSE;
  if (self->secret_headers != NULL)
    {
      for (guint i = 0; self->secret_headers[i] != NULL; i++)
        {
          if (!ferry_http_token_is_valid (self->secret_headers[i]))
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                           "secret-headers: “%s” is not a valid header name",
                           g_utf8_validate (self->secret_headers[i], -1, NULL)
                             ? self->secret_headers[i] : "(invalid UTF-8)");
              return FALSE;
            }
        }
    }
  if (self->body != NULL && g_bytes_get_size (self->body) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: %" G_GSIZE_FORMAT " bytes is over the limit of %d bytes",
                   g_bytes_get_size (self->body), FERRY_TASK_MAX_BODY_SIZE);
      return FALSE;
    }
  if (self->base != NULL && g_bytes_get_size (self->base) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "base: over the limit of %d bytes", FERRY_TASK_MAX_BODY_SIZE);
      return FALSE;
    }
  if (!validate_short_text (self->content_type, "content-type", error) ||
      !validate_short_text (self->if_match, "if-match", error))
    return FALSE;
  if (self->idempotency_key != NULL &&
      (!ferry_validate_label (self->idempotency_key, "idempotency-key", error) ||
       !validate_short_text (self->idempotency_key, "idempotency-key", error)))
    return FALSE;
  return TRUE;
}

/* How it is handled: names, merge rules, priority, uniqueness, conflict
 * strategy, attempts and times. */
static gboolean
validate_policy (const FerryTask  *self,
                 GError          **error)
{
  if (!ferry_validate_label (self->name, "name", error) ||
      !ferry_validate_label (self->group, "group", error))
    return FALSE;
  if (!ferry_validate_merge_rules (self->merge_rules, error))
    return FALSE;
  if (self->timestamp_pointer != NULL &&
      !ferry_validate_pointer (self->timestamp_pointer, "timestamp-pointer", error))
    return FALSE;
  if ((guint) self->priority > FERRY_PRIORITY_CRITICAL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "priority: %d is not low, medium, high or critical", self->priority);
      return FALSE;
    }
  if ((guint) self->unique > FERRY_UNIQUE_APPEND)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "unique: %d is not replace, keep or append", self->unique);
      return FALSE;
    }
  if ((guint) self->conflict_strategy > FERRY_CONFLICT_CUSTOM)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "conflict-strategy: %d is unknown", self->conflict_strategy);
      return FALSE;
    }
  if (self->max_attempts > 1000)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "max-attempts: %u is more than 1000", self->max_attempts);
      return FALSE;
    }
  if (self->not_before < 0 || self->expires < 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: must not be negative", self->not_before < 0 ? "not-before" : "expires");
      return FALSE;
    }
  if (self->expires != 0 && self->not_before != 0 && self->expires <= self->not_before)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "expires: must be later than not-before");
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_task_validate:
 * @self: a task about to be enqueued
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the field
 *
 * Checks everything an app controls: URL, method, headers, sizes, labels,
 * enumerations and times.  Fields the store fills in are not looked at.
 *
 * Returns: %TRUE when the task may be stored
 */
gboolean
ferry_task_validate (const FerryTask  *self,
                     GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return validate_request (self, error) && validate_policy (self, error);
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
