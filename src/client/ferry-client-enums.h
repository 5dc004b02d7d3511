/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <glib-object.h>

#include "ferry-version.h"

G_BEGIN_DECLS

/**
 * FerryAgentState:
 * @FERRY_AGENT_STATE_UNKNOWN: the agent is not running, or reported a state
 *   this library does not know
 * @FERRY_AGENT_STATE_IDLE: nothing to do, or only waiting for a retry time
 * @FERRY_AGENT_STATE_SYNCING: a run is delivering tasks
 * @FERRY_AGENT_STATE_OFFLINE: no usable network
 * @FERRY_AGENT_STATE_PAUSED: sending is paused
 * @FERRY_AGENT_STATE_ATTENTION: failed, conflicted or credential-held tasks
 *   wait for the person
 *
 * The agent's overall state, as its `State` property tells it.
 */
typedef enum {
  FERRY_AGENT_STATE_UNKNOWN,
  FERRY_AGENT_STATE_IDLE,
  FERRY_AGENT_STATE_SYNCING,
  FERRY_AGENT_STATE_OFFLINE,
  FERRY_AGENT_STATE_PAUSED,
  FERRY_AGENT_STATE_ATTENTION,
} FerryAgentState;

/**
 * FerryClientTaskState:
 * @FERRY_CLIENT_TASK_STATE_PENDING: waiting for its turn or its next attempt
 * @FERRY_CLIENT_TASK_STATE_RUNNING: an attempt is in flight
 * @FERRY_CLIENT_TASK_STATE_SUCCEEDED: delivered
 * @FERRY_CLIENT_TASK_STATE_FAILED: will not be tried again without a retry
 * @FERRY_CLIENT_TASK_STATE_CONFLICT: the server's copy moved on; needs a
 *   decision
 * @FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED: the server wants credentials
 * @FERRY_CLIENT_TASK_STATE_CANCELLED: dropped by its owner or the person
 * @FERRY_CLIENT_TASK_STATE_UNKNOWN: a state this library does not know, or
 *   a task whose data has not arrived yet
 *
 * The life of a task as the agent reports it.  The values below
 * %FERRY_CLIENT_TASK_STATE_UNKNOWN can be used as bit numbers in a
 * #FerryTaskQuery state mask.
 */
typedef enum {
  FERRY_CLIENT_TASK_STATE_PENDING,
  FERRY_CLIENT_TASK_STATE_RUNNING,
  FERRY_CLIENT_TASK_STATE_SUCCEEDED,
  FERRY_CLIENT_TASK_STATE_FAILED,
  FERRY_CLIENT_TASK_STATE_CONFLICT,
  FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED,
  FERRY_CLIENT_TASK_STATE_CANCELLED,
  FERRY_CLIENT_TASK_STATE_UNKNOWN,
} FerryClientTaskState;

/**
 * FERRY_CLIENT_STATE_BIT:
 * @state: a #FerryClientTaskState other than %FERRY_CLIENT_TASK_STATE_UNKNOWN
 *
 * The bit of @state in a #FerryTaskQuery state mask.
 */
#define FERRY_CLIENT_STATE_BIT(state) (1u << (state))

/**
 * FerryClientPriority:
 * @FERRY_CLIENT_PRIORITY_LOW: low
 * @FERRY_CLIENT_PRIORITY_MEDIUM: medium, the default
 * @FERRY_CLIENT_PRIORITY_HIGH: high
 * @FERRY_CLIENT_PRIORITY_CRITICAL: critical
 *
 * How urgent a task is; higher runs first across groups.
 */
typedef enum {
  FERRY_CLIENT_PRIORITY_LOW,
  FERRY_CLIENT_PRIORITY_MEDIUM,
  FERRY_CLIENT_PRIORITY_HIGH,
  FERRY_CLIENT_PRIORITY_CRITICAL,
} FerryClientPriority;

/**
 * FerryClientUniquePolicy:
 * @FERRY_CLIENT_UNIQUE_REPLACE: a pending task of the same name gets the new
 *   payload
 * @FERRY_CLIENT_UNIQUE_KEEP: the pending task stays; the new one is dropped
 * @FERRY_CLIENT_UNIQUE_APPEND: the new task is queued behind the pending one
 *
 * What enqueueing a named task does when its owner still has a pending task
 * of that name.
 */
typedef enum {
  FERRY_CLIENT_UNIQUE_REPLACE,
  FERRY_CLIENT_UNIQUE_KEEP,
  FERRY_CLIENT_UNIQUE_APPEND,
} FerryClientUniquePolicy;

/**
 * FerryClientConflictStrategy:
 * @FERRY_CLIENT_CONFLICT_ASK: wait in conflict for a decision (the default)
 * @FERRY_CLIENT_CONFLICT_CLIENT_WINS: send the local change again
 * @FERRY_CLIENT_CONFLICT_SERVER_WINS: keep the server's copy
 * @FERRY_CLIENT_CONFLICT_LAST_MODIFIED_WINS: keep the newer of the two
 * @FERRY_CLIENT_CONFLICT_MERGE: three-way merge against the base
 * @FERRY_CLIENT_CONFLICT_CUSTOM: ask the owning app's resolver
 *
 * How a 409 or 412 answer is settled.
 */
typedef enum {
  FERRY_CLIENT_CONFLICT_ASK,
  FERRY_CLIENT_CONFLICT_CLIENT_WINS,
  FERRY_CLIENT_CONFLICT_SERVER_WINS,
  FERRY_CLIENT_CONFLICT_LAST_MODIFIED_WINS,
  FERRY_CLIENT_CONFLICT_MERGE,
  FERRY_CLIENT_CONFLICT_CUSTOM,
} FerryClientConflictStrategy;

/**
 * FerryClientResolveChoice:
 * @FERRY_CLIENT_RESOLVE_LOCAL: send the local change again over the server's
 *   copy
 * @FERRY_CLIENT_RESOLVE_REMOTE: drop the local change and keep the server's
 *   copy
 * @FERRY_CLIENT_RESOLVE_BODY: send a given body instead, e.g. a merged
 *   document
 *
 * How a task waiting in conflict is settled.
 */
typedef enum {
  FERRY_CLIENT_RESOLVE_LOCAL,
  FERRY_CLIENT_RESOLVE_REMOTE,
  FERRY_CLIENT_RESOLVE_BODY,
} FerryClientResolveChoice;

/**
 * FerryClientServerCopy:
 * @FERRY_CLIENT_SERVER_COPY_UNKNOWN: not in conflict, or the server's copy
 *   could not be fetched
 * @FERRY_CLIENT_SERVER_COPY_PRESENT: the response is the server's copy
 * @FERRY_CLIENT_SERVER_COPY_DELETED: the document was deleted on the
 *   server: keeping mine creates it again, keeping the server's drops the
 *   change
 *
 * What a task in conflict knows of the server's copy.
 */
typedef enum {
  FERRY_CLIENT_SERVER_COPY_UNKNOWN,
  FERRY_CLIENT_SERVER_COPY_PRESENT,
  FERRY_CLIENT_SERVER_COPY_DELETED,
} FerryClientServerCopy;

/**
 * FerryClientFlags:
 * @FERRY_CLIENT_FLAGS_NONE: calls start the agent by D-Bus activation when
 *   it is not running (creating the client never does)
 * @FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START: never start the agent implicitly;
 *   calls fail with %G_DBUS_ERROR_NAME_HAS_NO_OWNER while it is not running
 *   (see ferry_client_start_agent_async())
 *
 * How a #FerryClient behaves toward an agent that is not running.
 */
typedef enum /*< flags >*/ {
  FERRY_CLIENT_FLAGS_NONE = 0,
  FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START = 1 << 0,
} FerryClientFlags;

FERRY_AVAILABLE_IN_ALL
const char *ferry_agent_state_to_string                 (FerryAgentState              state);
FERRY_AVAILABLE_IN_ALL
FerryAgentState ferry_agent_state_from_string           (const char                  *str);

FERRY_AVAILABLE_IN_ALL
const char *ferry_client_task_state_to_string           (FerryClientTaskState         state);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_task_state_from_string         (const char                  *str,
                                                         FerryClientTaskState        *out_state);

FERRY_AVAILABLE_IN_ALL
const char *ferry_client_priority_to_string             (FerryClientPriority          priority);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_priority_from_string           (const char                  *str,
                                                         FerryClientPriority         *out_priority);

FERRY_AVAILABLE_IN_ALL
const char *ferry_client_unique_policy_to_string        (FerryClientUniquePolicy      policy);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_unique_policy_from_string      (const char                  *str,
                                                         FerryClientUniquePolicy     *out_policy);

FERRY_AVAILABLE_IN_ALL
const char *ferry_client_conflict_strategy_to_string    (FerryClientConflictStrategy  strategy);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_conflict_strategy_from_string  (const char                  *str,
                                                         FerryClientConflictStrategy *out_strategy);

FERRY_AVAILABLE_IN_ALL
const char *ferry_client_resolve_choice_to_string       (FerryClientResolveChoice     choice);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_header_is_secret                 (const char                  *name);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_client_resolve_choice_from_string     (const char                  *str,
                                                         FerryClientResolveChoice    *out_choice);

G_END_DECLS
