/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-info-progress"

#include "config.h"

#include "ferry-task-info-private.h"

/*
 * How delivery of a task is going: the getters of its state, attempts,
 * times, last error and final response.  The object itself is in
 * ferry-task-info.c.
 */

/**
 * ferry_task_info_get_state:
 * @self: a task info
 *
 * Gets the task's state; %FERRY_CLIENT_TASK_STATE_UNKNOWN for a task not
 * loaded yet or a state this library does not know.
 *
 * Returns: the task's state; %FERRY_CLIENT_TASK_STATE_UNKNOWN for a
 *   task not loaded yet or a state this library does not know
 */
FerryClientTaskState
ferry_task_info_get_state (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_TASK_STATE_UNKNOWN);
  return self->fields.state;
}

/**
 * ferry_task_info_get_attempts:
 * @self: a task info
 *
 * Gets how many attempts were made so far.
 *
 * Returns: attempts made so far
 */
guint
ferry_task_info_get_attempts (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.attempts;
}

/**
 * ferry_task_info_get_max_attempts:
 * @self: a task info
 *
 * Gets the attempt limit; 0 means the agent's default.
 *
 * Returns: the attempt limit; 0 means the agent's default
 */
guint
ferry_task_info_get_max_attempts (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.max_attempts;
}

/**
 * ferry_task_info_get_next_attempt:
 * @self: a task info
 *
 * Gets when the next attempt is due, in µs since the epoch; 0 when none.
 *
 * Returns: when the next attempt is due, in µs since the epoch; 0 when none
 */
gint64
ferry_task_info_get_next_attempt (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.next_attempt;
}

/**
 * ferry_task_info_get_failing_since:
 * @self: a task info
 *
 * Gets since when the task's attempts keep failing in a way worth retrying,
 * in µs since the epoch; 0 while they do not.
 *
 * Returns: since when the task's attempts keep failing in a way worth
 *   retrying, in µs since the epoch; 0 while they do not
 */
gint64
ferry_task_info_get_failing_since (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.failing_since;
}

/**
 * ferry_task_info_get_created:
 * @self: a task info
 *
 * Gets when the task was added, in µs since the epoch.
 *
 * Returns: when the task was added, in µs since the epoch
 */
gint64
ferry_task_info_get_created (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.created;
}

/**
 * ferry_task_info_get_updated:
 * @self: a task info
 *
 * Gets when the task last changed, in µs since the epoch.
 *
 * Returns: when the task last changed, in µs since the epoch
 */
gint64
ferry_task_info_get_updated (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.updated;
}

/**
 * ferry_task_info_get_last_error:
 * @self: a task info
 *
 * Gets why the last attempt did not succeed.
 *
 * Returns: (nullable): why the last attempt did not succeed
 */
const char *
ferry_task_info_get_last_error (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.last_error;
}

/**
 * ferry_task_info_get_last_status:
 * @self: a task info
 *
 * Gets the HTTP status of the last attempt, 0 when there was none.
 *
 * Returns: the HTTP status of the last attempt, 0 when there was none
 */
guint
ferry_task_info_get_last_status (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.last_status;
}

/**
 * ferry_task_info_get_response_status:
 * @self: a task info
 *
 * Gets the status of the final response, or of the server's copy in a
 * conflict; 0 when there is none.
 *
 * Returns: the status of the final response, or of the server's copy in a
 *   conflict; 0 when there is none
 */
guint
ferry_task_info_get_response_status (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->fields.response_status;
}
