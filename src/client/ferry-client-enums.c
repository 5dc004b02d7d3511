/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-enums"

#include "config.h"

#include "ferry-names.h"
#include "ferry-client-enums-private.h"

/* The names on the wire come from src/common (the agent's come from the
 * same tables); these tie the public enums to them. */
G_STATIC_ASSERT (FERRY_AGENT_STATE_ATTENTION == FERRY_NAMES_N_SYNC_STATES);
G_STATIC_ASSERT (FERRY_CLIENT_TASK_STATE_UNKNOWN == FERRY_NAMES_N_TASK_STATES);
G_STATIC_ASSERT (FERRY_CLIENT_PRIORITY_CRITICAL + 1 == FERRY_NAMES_N_PRIORITIES);
G_STATIC_ASSERT (FERRY_CLIENT_UNIQUE_APPEND + 1 == FERRY_NAMES_N_UNIQUE_POLICIES);
G_STATIC_ASSERT (FERRY_CLIENT_CONFLICT_CUSTOM + 1 == FERRY_NAMES_N_CONFLICT_STRATEGIES);
G_STATIC_ASSERT (FERRY_CLIENT_RESOLVE_BODY + 1 == FERRY_NAMES_N_RESOLVE_CHOICES);
G_STATIC_ASSERT (FERRY_CLIENT_SERVER_COPY_DELETED + 1 == FERRY_NAMES_N_SERVER_COPIES);

/* The same three choices in the words a person reads everywhere: the
 * window's Mine, Server's and Merged, and ferryctl's --take.  Words for
 * people, not names on the wire, so the client keeps them. */
static const char * const choice_words[] = { "mine", "server", "merged" };

G_STATIC_ASSERT (G_N_ELEMENTS (choice_words) == FERRY_NAMES_N_RESOLVE_CHOICES);

/* Reads @str into *@out_value as a value of the enum whose names are
 * @names; leaves *@out_value alone when @str is not one of them. */
#define LOOKUP(names, str, out_value) \
  ferry_names_lookup ((names), G_N_ELEMENTS (names), (str), (out_value))
#define NAME_OF(names, value) \
  ferry_names_get ((names), G_N_ELEMENTS (names), (value))

/**
 * ferry_agent_state_to_string:
 * @state: a #FerryAgentState
 *
 * Gets the agent's name for @state, or %NULL for %FERRY_AGENT_STATE_UNKNOWN.
 *
 * Returns: (nullable): the agent's name for @state, or %NULL for
 *   %FERRY_AGENT_STATE_UNKNOWN
 */
const char *
ferry_agent_state_to_string (FerryAgentState state)
{
  if (state == FERRY_AGENT_STATE_UNKNOWN)
    return NULL;
  return NAME_OF (ferry_names_sync_states, state - 1);
}

/**
 * ferry_agent_state_from_string:
 * @str: (nullable): a state name as the agent's `State` property has it
 *
 * Gets the matching state, or %FERRY_AGENT_STATE_UNKNOWN.
 *
 * Returns: the matching state, or %FERRY_AGENT_STATE_UNKNOWN
 */
FerryAgentState
ferry_agent_state_from_string (const char *str)
{
  guint value;

  /* UNKNOWN comes first in the client's enum, so the agent's states are
   * one further on than their index in the table. */
  if (!LOOKUP (ferry_names_sync_states, str, &value))
    return FERRY_AGENT_STATE_UNKNOWN;
  return (FerryAgentState) (value + 1);
}

/**
 * ferry_client_task_state_to_string:
 * @state: a #FerryClientTaskState
 *
 * Gets the agent's name for @state ("pending", "auth-required", …), or %NULL
 * for %FERRY_CLIENT_TASK_STATE_UNKNOWN.
 *
 * Returns: (nullable): the agent's name for @state ("pending",
 *   "auth-required", …), or %NULL for %FERRY_CLIENT_TASK_STATE_UNKNOWN
 */
const char *
ferry_client_task_state_to_string (FerryClientTaskState state)
{
  return NAME_OF (ferry_names_task_states, state);
}

/**
 * ferry_client_task_state_from_string:
 * @str: (nullable): a state name
 * @out_state: (out) (optional): where to store the state
 *
 * Parses @str as the name of a state.
 *
 * Returns: %TRUE when @str names a state
 */
gboolean
ferry_client_task_state_from_string (const char           *str,
                                     FerryClientTaskState *out_state)
{
  guint value;

  if (!LOOKUP (ferry_names_task_states, str, &value))
    return FALSE;
  if (out_state != NULL)
    *out_state = (FerryClientTaskState) value;
  return TRUE;
}

/**
 * ferry_client_priority_to_string:
 * @priority: a #FerryClientPriority
 *
 * Gets the name the agent gives the value.
 *
 * Returns: (nullable): "low", "medium", "high" or "critical"; %NULL for a
 *   value out of range
 */
const char *
ferry_client_priority_to_string (FerryClientPriority priority)
{
  return NAME_OF (ferry_names_priorities, priority);
}

/**
 * ferry_client_priority_from_string:
 * @str: (nullable): a priority name
 * @out_priority: (out) (optional): where to store the priority
 *
 * Parses @str as the name of a priority.
 *
 * Returns: %TRUE when @str names a priority
 */
gboolean
ferry_client_priority_from_string (const char          *str,
                                   FerryClientPriority *out_priority)
{
  guint value;

  if (!LOOKUP (ferry_names_priorities, str, &value))
    return FALSE;
  if (out_priority != NULL)
    *out_priority = (FerryClientPriority) value;
  return TRUE;
}

/**
 * ferry_client_unique_policy_to_string:
 * @policy: a #FerryClientUniquePolicy
 *
 * Gets the name the agent gives the value.
 *
 * Returns: (nullable): "replace", "keep" or "append"; %NULL for a value out
 *   of range
 */
const char *
ferry_client_unique_policy_to_string (FerryClientUniquePolicy policy)
{
  return NAME_OF (ferry_names_unique_policies, policy);
}

/**
 * ferry_client_unique_policy_from_string:
 * @str: (nullable): a policy name
 * @out_policy: (out) (optional): where to store the policy
 *
 * Parses @str as the name of a policy.
 *
 * Returns: %TRUE when @str names a policy
 */
gboolean
ferry_client_unique_policy_from_string (const char              *str,
                                        FerryClientUniquePolicy *out_policy)
{
  guint value;

  if (!LOOKUP (ferry_names_unique_policies, str, &value))
    return FALSE;
  if (out_policy != NULL)
    *out_policy = (FerryClientUniquePolicy) value;
  return TRUE;
}

/**
 * ferry_client_conflict_strategy_to_string:
 * @strategy: a #FerryClientConflictStrategy
 *
 * Gets the strategy's name ("ask", "client-wins", …); %NULL for a value out
 * of range.
 *
 * Returns: (nullable): the strategy's name ("ask", "client-wins", …); %NULL
 *   for a value out of range
 */
const char *
ferry_client_conflict_strategy_to_string (FerryClientConflictStrategy strategy)
{
  return NAME_OF (ferry_names_conflict_strategies, strategy);
}

/**
 * ferry_client_conflict_strategy_from_string:
 * @str: (nullable): a strategy name
 * @out_strategy: (out) (optional): where to store the strategy
 *
 * Parses @str as the name of a strategy.
 *
 * Returns: %TRUE when @str names a strategy
 */
gboolean
ferry_client_conflict_strategy_from_string (const char                  *str,
                                            FerryClientConflictStrategy *out_strategy)
{
  guint value;

  if (!LOOKUP (ferry_names_conflict_strategies, str, &value))
    return FALSE;
  if (out_strategy != NULL)
    *out_strategy = (FerryClientConflictStrategy) value;
  return TRUE;
}

/**
 * ferry_client_resolve_choice_to_string:
 * @choice: a #FerryClientResolveChoice
 *
 * Gets the name the agent gives the value.
 *
 * Returns: (nullable): "local", "remote" or "body"; %NULL for a value out
 *   of range
 */
const char *
ferry_client_resolve_choice_to_string (FerryClientResolveChoice choice)
{
  return NAME_OF (ferry_names_resolve_choices, choice);
}

/**
 * ferry_client_resolve_choice_from_string:
 * @str: (nullable): a choice name
 * @out_choice: (out) (optional): where to store the choice
 *
 * Parses @str as the name of a choice.
 *
 * Returns: %TRUE when @str names a choice
 */
gboolean
ferry_client_resolve_choice_from_string (const char               *str,
                                         FerryClientResolveChoice *out_choice)
{
  guint value;

  if (!LOOKUP (ferry_names_resolve_choices, str, &value))
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
  return NAME_OF (choice_words, choice);
}

/**
 * ferry_client_resolve_choice_from_word:
 * @word: (nullable): "mine", "server" or "merged"; the D-Bus names
 *   "local", "remote" and "body" are taken too
 * @out_choice: (out) (optional): where to store the choice
 *
 * Parses @word as the name of a choice.
 *
 * Returns: %TRUE when @word names a choice
 */
gboolean
ferry_client_resolve_choice_from_word (const char               *word,
                                       FerryClientResolveChoice *out_choice)
{
  guint value;

  if (!LOOKUP (choice_words, word, &value) &&
      !LOOKUP (ferry_names_resolve_choices, word, &value))
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

  return ferry_names_header_is_secret (name);
}
