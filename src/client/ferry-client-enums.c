/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-enums"

#include "config.h"

#include "ferry-client-enums.h"

/* The names on the wire, in the order of the enums (see the interface XML). */
static const char * const agent_state_names[] = {
  NULL, "idle", "syncing", "offline", "paused", "attention",
};
static const char * const task_state_names[] = {
  "pending", "running", "succeeded", "failed", "conflict", "auth-required", "cancelled",
};
static const char * const priority_names[] = { "low", "medium", "high", "critical" };
static const char * const unique_names[] = { "replace", "keep", "append" };
static const char * const strategy_names[] = {
  "ask", "client-wins", "server-wins", "last-modified-wins", "merge", "custom",
};
static const char * const choice_names[] = { "local", "remote", "body" };
/* Headers whose values are credentials, the same names as the agent's
 * (src/engine/ferry-task.c keeps its own copy: the two layers share no
 * code). */
static const char * const secret_header_names[] = {
  "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
  "X-Auth-Token",
};
/* The same three choices in the words a person reads everywhere: the
 * window's Mine, Server's and Merged, and ferryctl's --take. */
static const char * const choice_words[] = { "mine", "server", "merged" };

G_STATIC_ASSERT (G_N_ELEMENTS (agent_state_names) == FERRY_AGENT_STATE_ATTENTION + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (task_state_names) == FERRY_CLIENT_TASK_STATE_UNKNOWN);
G_STATIC_ASSERT (G_N_ELEMENTS (priority_names) == FERRY_CLIENT_PRIORITY_CRITICAL + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (unique_names) == FERRY_CLIENT_UNIQUE_APPEND + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (strategy_names) == FERRY_CLIENT_CONFLICT_CUSTOM + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (choice_names) == FERRY_CLIENT_RESOLVE_BODY + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (choice_words) == FERRY_CLIENT_RESOLVE_BODY + 1);

static const char *
name_of (const char * const *names,
         guint               n_names,
         guint               value)
{
  return value < n_names ? names[value] : NULL;
}

static gboolean
value_of (const char * const *names,
          guint               n_names,
          const char         *str,
          guint              *out_value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (names[i] != NULL && g_str_equal (names[i], str))
        {
          *out_value = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * ferry_agent_state_to_string:
 * @state: a #FerryAgentState
 *
 * Returns: (nullable): the agent's name for @state, or %NULL for
 *   %FERRY_AGENT_STATE_UNKNOWN
 */
const char *
ferry_agent_state_to_string (FerryAgentState state)
{
  return name_of (agent_state_names, G_N_ELEMENTS (agent_state_names), state);
}

/**
 * ferry_agent_state_from_string:
 * @str: (nullable): a state name as the agent's `State` property has it
 *
 * Returns: the matching state, or %FERRY_AGENT_STATE_UNKNOWN
 */
FerryAgentState
ferry_agent_state_from_string (const char *str)
{
  guint value;

  if (!value_of (agent_state_names, G_N_ELEMENTS (agent_state_names), str, &value))
    return FERRY_AGENT_STATE_UNKNOWN;
  return (FerryAgentState) value;
}

/**
 * ferry_client_task_state_to_string:
 * @state: a #FerryClientTaskState
 *
 * Returns: (nullable): the agent's name for @state ("pending",
 *   "auth-required", …), or %NULL for %FERRY_CLIENT_TASK_STATE_UNKNOWN
 */
const char *
ferry_client_task_state_to_string (FerryClientTaskState state)
{
  return name_of (task_state_names, G_N_ELEMENTS (task_state_names), state);
}

/**
 * ferry_client_task_state_from_string:
 * @str: (nullable): a state name
 * @out_state: (out) (optional): where to store the state
 *
 * Returns: %TRUE when @str names a state
 */
gboolean
ferry_client_task_state_from_string (const char           *str,
                                     FerryClientTaskState *out_state)
{
  guint value;

  if (!value_of (task_state_names, G_N_ELEMENTS (task_state_names), str, &value))
    return FALSE;
  if (out_state != NULL)
    *out_state = (FerryClientTaskState) value;
  return TRUE;
}

/**
 * ferry_client_priority_to_string:
 * @priority: a #FerryClientPriority
 *
 * Returns: (nullable): "low", "medium", "high" or "critical"; %NULL for a
 *   value out of range
 */
const char *
ferry_client_priority_to_string (FerryClientPriority priority)
{
  return name_of (priority_names, G_N_ELEMENTS (priority_names), priority);
}

/**
 * ferry_client_priority_from_string:
 * @str: (nullable): a priority name
 * @out_priority: (out) (optional): where to store the priority
 *
 * Returns: %TRUE when @str names a priority
 */
gboolean
ferry_client_priority_from_string (const char          *str,
                                   FerryClientPriority *out_priority)
{
  guint value;

  if (!value_of (priority_names, G_N_ELEMENTS (priority_names), str, &value))
    return FALSE;
  if (out_priority != NULL)
    *out_priority = (FerryClientPriority) value;
  return TRUE;
}

/**
 * ferry_client_unique_policy_to_string:
 * @policy: a #FerryClientUniquePolicy
 *
 * Returns: (nullable): "replace", "keep" or "append"; %NULL for a value out
 *   of range
 */
const char *
ferry_client_unique_policy_to_string (FerryClientUniquePolicy policy)
{
  return name_of (unique_names, G_N_ELEMENTS (unique_names), policy);
}

/**
 * ferry_client_unique_policy_from_string:
 * @str: (nullable): a policy name
 * @out_policy: (out) (optional): where to store the policy
 *
 * Returns: %TRUE when @str names a policy
 */
gboolean
ferry_client_unique_policy_from_string (const char              *str,
                                        FerryClientUniquePolicy *out_policy)
{
  guint value;

  if (!value_of (unique_names, G_N_ELEMENTS (unique_names), str, &value))
    return FALSE;
  if (out_policy != NULL)
    *out_policy = (FerryClientUniquePolicy) value;
  return TRUE;
}

/**
 * ferry_client_conflict_strategy_to_string:
 * @strategy: a #FerryClientConflictStrategy
 *
 * Returns: (nullable): the strategy's name ("ask", "client-wins", …); %NULL
 *   for a value out of range
 */
const char *
ferry_client_conflict_strategy_to_string (FerryClientConflictStrategy strategy)
{
  return name_of (strategy_names, G_N_ELEMENTS (strategy_names), strategy);
}

/**
 * ferry_client_conflict_strategy_from_string:
 * @str: (nullable): a strategy name
 * @out_strategy: (out) (optional): where to store the strategy
 *
 * Returns: %TRUE when @str names a strategy
 */
gboolean
ferry_client_conflict_strategy_from_string (const char                  *str,
                                            FerryClientConflictStrategy *out_strategy)
{
  guint value;

  if (!value_of (strategy_names, G_N_ELEMENTS (strategy_names), str, &value))
    return FALSE;
  if (out_strategy != NULL)
    *out_strategy = (FerryClientConflictStrategy) value;
  return TRUE;
}

/**
 * ferry_client_resolve_choice_to_string:
 * @choice: a #FerryClientResolveChoice
 *
 * Returns: (nullable): "local", "remote" or "body"; %NULL for a value out
 *   of range
 */
const char *
ferry_client_resolve_choice_to_string (FerryClientResolveChoice choice)
{
  return name_of (choice_names, G_N_ELEMENTS (choice_names), choice);
}

/**
 * ferry_client_resolve_choice_from_string:
 * @str: (nullable): a choice name
 * @out_choice: (out) (optional): where to store the choice
 *
 * Returns: %TRUE when @str names a choice
 */
gboolean
ferry_client_resolve_choice_from_string (const char               *str,
                                         FerryClientResolveChoice *out_choice)
{
  guint value;

  if (!value_of (choice_names, G_N_ELEMENTS (choice_names), str, &value))
    return FALSE;
  if (out_choice != NULL)
    *out_choice = (FerryClientResolveChoice) value;
  return TRUE;
}

/**
 * ferry_client_resolve_choice_to_word:
 * @choice: a #FerryClientResolveChoice
 *
 * The word a person reads for @choice, the same in the window and on the
 * command line.
 *
 * Returns: (nullable): "mine", "server" or "merged"; %NULL for a value out
 *   of range
 */
const char *
ferry_client_resolve_choice_to_word (FerryClientResolveChoice choice)
{
  return name_of (choice_words, G_N_ELEMENTS (choice_words), choice);
}

/**
 * ferry_client_resolve_choice_from_word:
 * @word: (nullable): "mine", "server" or "merged"; the D-Bus names
 *   "local", "remote" and "body" are taken too
 * @out_choice: (out) (optional): where to store the choice
 *
 * Returns: %TRUE when @word names a choice
 */
gboolean
ferry_client_resolve_choice_from_word (const char               *word,
                                       FerryClientResolveChoice *out_choice)
{
  guint value;

  if (!value_of (choice_words, G_N_ELEMENTS (choice_words), word, &value) &&
      !value_of (choice_names, G_N_ELEMENTS (choice_names), word, &value))
    return FALSE;
  if (out_choice != NULL)
    *out_choice = (FerryClientResolveChoice) value;
  return TRUE;
}

/**
 * ferry_client_header_is_secret:
 * @name: a header name
 *
 * Whether the value of a header named @name is a credential whatever task
 * carries it (Authorization, Proxy-Authorization, Cookie, Set-Cookie,
 * X-Api-Key, X-Auth-Token; compared without regard to case).  A task may
 * name more: see ferry_task_info_header_is_secret().  Anything that shows
 * a task hides these values.
 *
 * Returns: whether @name is a credential header
 */
gboolean
ferry_client_header_is_secret (const char *name)
{
  g_return_val_if_fail (name != NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (secret_header_names); i++)
    {
      if (g_ascii_strcasecmp (secret_header_names[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}
