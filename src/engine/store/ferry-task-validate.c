/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-task.h"
#include "ferry-task-private.h"

/*
 * ferry_task_validate(): everything an app controls in a task, checked
 * before anything is stored.  The task itself is in ferry-task.c.
 */

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

