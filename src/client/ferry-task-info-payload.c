/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-info-payload"

#include "config.h"

#include "ferry-task-info-private.h"

/*
 * The getters that are not properties (they do not notify): what a task
 * sends (headers, bodies, policy), the state as the agent named it, and the
 * response or the server's copy.  The object itself is in
 * ferry-task-info.c.
 */

/**
 * ferry_task_info_get_headers:
 * @self: a task info
 *
 * The request headers as a flat list of names and values (`name0, value0,
 * name1, value1, …`).  For a caller that does not own the task, credential
 * values are empty strings (see ferry_task_info_get_hidden_headers()).
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   headers, or %NULL when there are none
 */
const char * const *
ferry_task_info_get_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->fields.headers;
}

/**
 * ferry_task_info_get_header:
 * @self: a task info
 * @name: a header name (compared case-insensitively)
 *
 * Gets the value of the first header called @name.
 *
 * Returns: (nullable): the value of the first header called @name
 */
const char *
ferry_task_info_get_header (FerryTaskInfo *self,
                            const char    *name)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; self->fields.headers != NULL && self->fields.headers[i] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (self->fields.headers[i], name) == 0)
        return self->fields.headers[i + 1];
    }
  return NULL;
}

/**
 * ferry_task_info_get_hidden_headers:
 * @self: a task info
 *
 * Gets the names of headers whose values the agent hid from this caller.
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): names of
 *   headers whose values the agent hid from this caller
 */
const char * const *
ferry_task_info_get_hidden_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->fields.hidden_headers;
}

/**
 * ferry_task_info_get_content_type:
 * @self: a task info
 *
 * Gets the Content-Type of the body.
 *
 * Returns: (nullable): the Content-Type of the body
 */
const char *
ferry_task_info_get_content_type (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.content_type;
}

/**
 * ferry_task_info_get_body:
 * @self: a task info
 *
 * The request body.  Only `Get` sends it: a task from a list has none (see
 * ferry_task_info_get_body_size()).
 *
 * Returns: (nullable) (transfer none): the body
 */
GBytes *
ferry_task_info_get_body (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.body;
}

/**
 * ferry_task_info_get_body_size:
 * @self: a task info
 *
 * Gets the size of the request body in bytes.
 *
 * Returns: the size of the request body in bytes
 */
guint64
ferry_task_info_get_body_size (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.body_size;
}

/**
 * ferry_task_info_get_secret_headers:
 * @self: a task info
 *
 * Gets the task's own names of credential headers, besides the well-known
 * ones (see ferry_client_header_is_secret()).
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the task's
 *   own names of credential headers, besides the well-known ones (see
 *   ferry_client_header_is_secret())
 */
const char * const *
ferry_task_info_get_secret_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->fields.secret_headers;
}

/**
 * ferry_task_info_header_is_secret:
 * @self: a task info
 * @name: a header name
 *
 * Tells whether the value of @name is a credential for this task: a
 * well-known credential header, or one the task names itself.
 *
 * Returns: whether the value of @name is a credential for this task: a
 *   well-known credential header, or one the task names itself
 */
gboolean
ferry_task_info_header_is_secret (FerryTaskInfo *self,
                                  const char    *name)
{
  char **secret;

  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), TRUE);
  g_return_val_if_fail (name != NULL, TRUE);

  if (ferry_client_header_is_secret (name))
    return TRUE;
  secret = self->fields.secret_headers;
  for (guint i = 0; secret != NULL && secret[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (secret[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ferry_task_info_get_server_copy:
 * @self: a task info
 *
 * Gets what a task in conflict knows of the server's copy: there, deleted
 * there, or unknown.
 *
 * Returns: what a task in conflict knows of the server's copy: there,
 *   deleted there, or unknown
 */
FerryClientServerCopy
ferry_task_info_get_server_copy (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_SERVER_COPY_UNKNOWN);
  return self->fields.server_copy;
}

/**
 * ferry_task_info_get_state_name:
 * @self: a task info
 *
 * Gets the state as the agent named it, even one this library does not know;
 * %NULL while unloaded.
 *
 * Returns: (nullable): the state as the agent named it, even one this
 *   library does not know; %NULL while unloaded
 */
const char *
ferry_task_info_get_state_name (FerryTaskInfo *self)
{
  const char *name = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);

  if (self->variant != NULL)
    g_variant_lookup (self->variant, "state", "&s", &name);
  return name;
}

/**
 * ferry_task_info_get_not_before:
 * @self: a task info
 *
 * Gets the earliest send time in µs since the epoch; 0 when unset.
 *
 * Returns: the earliest send time in µs since the epoch; 0 when unset
 */
gint64
ferry_task_info_get_not_before (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.not_before;
}

/**
 * ferry_task_info_get_expires:
 * @self: a task info
 *
 * Gets the expiry time in µs since the epoch; 0 when unset.
 *
 * Returns: the expiry time in µs since the epoch; 0 when unset
 */
gint64
ferry_task_info_get_expires (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.expires;
}

/**
 * ferry_task_info_get_unmetered_only:
 * @self: a task info
 *
 * Tells whether the task is only sent on an unmetered network.
 *
 * Returns: whether the task is only sent on an unmetered network
 */
gboolean
ferry_task_info_get_unmetered_only (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FALSE);
  return self->fields.unmetered_only;
}

/**
 * ferry_task_info_get_idempotency_key:
 * @self: a task info
 *
 * Gets the Idempotency-Key sent with every attempt.
 *
 * Returns: (nullable): the Idempotency-Key sent with every attempt
 */
const char *
ferry_task_info_get_idempotency_key (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.idempotency_key;
}

/**
 * ferry_task_info_get_if_match:
 * @self: a task info
 *
 * Gets the If-Match value sent with the request.
 *
 * Returns: (nullable): the If-Match value sent with the request
 */
const char *
ferry_task_info_get_if_match (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.if_match;
}

/**
 * ferry_task_info_get_conflict_strategy:
 * @self: a task info
 *
 * Gets how a conflict of this task is settled.
 *
 * Returns: how a conflict of this task is settled
 */
FerryClientConflictStrategy
ferry_task_info_get_conflict_strategy (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_CONFLICT_ASK);
  return self->fields.conflict_strategy;
}

/**
 * ferry_task_info_get_conflict_url:
 * @self: a task info
 *
 * Gets where the server's copy is fetched on a conflict, when not the task's
 * URL.
 *
 * Returns: (nullable): where the server's copy is fetched on a conflict,
 *   when not the task's URL
 */
const char *
ferry_task_info_get_conflict_url (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.conflict_url;
}

/**
 * ferry_task_info_get_response_headers:
 * @self: a task info
 *
 * Gets the response headers as flat name/value pairs.
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   response headers as flat name/value pairs
 */
const char * const *
ferry_task_info_get_response_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->fields.response_headers;
}

/**
 * ferry_task_info_get_response_body:
 * @self: a task info
 *
 * The final response body, at most 64 KiB.  Only `Get` sends it.
 *
 * Returns: (nullable) (transfer none): the body
 */
GBytes *
ferry_task_info_get_response_body (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.response_body;
}

/**
 * ferry_task_info_get_base:
 * @self: a task info
 *
 * The document the app edited from, for a three-way comparison with the
 * local body and the server's copy.  Only `Get` sends it.
 *
 * Returns: (nullable) (transfer none): the base
 */
GBytes *
ferry_task_info_get_base (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.base;
}

/**
 * ferry_task_info_get_merge_rules:
 * @self: a task info
 *
 * Gets flat pairs of JSON pointer and "local" or "remote" that settle members
 * changed on both sides.
 *
 * Returns: (nullable) (transfer none): flat pairs of JSON pointer and
 *   "local" or "remote" that settle members changed on both sides
 */
const char * const *
ferry_task_info_get_merge_rules (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->fields.merge_rules;
}

/**
 * ferry_task_info_get_timestamp_pointer:
 * @self: a task info
 *
 * Gets where last-modified-wins finds each copy's time; %NULL for the
 * default, /updated_at.
 *
 * Returns: (nullable): where last-modified-wins finds each copy's time;
 *   %NULL for the default, /updated_at
 */
const char *
ferry_task_info_get_timestamp_pointer (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.timestamp_pointer;
}
