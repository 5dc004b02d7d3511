/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-filter"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-agent-args-private.h"

/*
 * The filter of List, Count, RetryAll and CancelAll: which tasks a call
 * is about.
 */

enum {
  FILTER_STATE,
  FILTER_STATES,
  FILTER_OWNER,
  FILTER_NAME,
  FILTER_GROUP,
  FILTER_SEARCH,
  FILTER_NEWEST_FIRST,
  N_FILTER_KEYS
};

static const FerryAgentKeySpec filter_keys[] = {
  [FILTER_STATE] = { "state", "s" },
  [FILTER_STATES] = { "states", "as" },
  [FILTER_OWNER] = { "owner", "s" },
  [FILTER_NAME] = { "name", "s" },
  [FILTER_GROUP] = { "group", "s" },
  [FILTER_SEARCH] = { "search", "s" },
  [FILTER_NEWEST_FIRST] = { "newest-first", "b" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (filter_keys) == N_FILTER_KEYS);
G_STATIC_ASSERT ((int) N_FILTER_KEYS <= FERRY_AGENT_MAX_DICT_KEYS);

static gboolean
parse_state (const char  *name,
             const char  *key,
             guint       *inout_states,
             GError     **error)
{
  FerryTaskState state;

  if (!ferry_task_state_from_string (name, &state))
    {
      g_autofree char *quoted = ferry_agent_quote_value (name);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: “%s” is not a task state (pending, running, succeeded, failed, "
                   "conflict, auth-required or cancelled)", key, quoted);
      return FALSE;
    }
  *inout_states |= FERRY_STATE_BIT (state);
  return TRUE;
}

/**
 * ferry_agent_args_parse_filter:
 * @filter: a List/Count/RetryAll filter (`a{sv}`)
 * @out_filter: (out caller-allocates): where to store it; clear it with
 *   ferry_agent_filter_clear() whatever this returns
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the key
 *
 * Returns: %TRUE when @filter is well formed
 */
gboolean
ferry_agent_args_parse_filter (GVariant          *filter,
                               FerryAgentFilter  *out_filter,
                               GError           **error)
{
  g_auto(FerryAgentDict) dict = { { NULL, } };
  GVariant **values = dict.v;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (out_filter != NULL, FALSE);

  memset (out_filter, 0, sizeof *out_filter);

  if (!g_variant_is_of_type (filter, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "filter: must be of type a{sv}, not %s", g_variant_get_type_string (filter));
      return FALSE;
    }
  if (!ferry_agent_split_dict (filter, "filter", filter_keys, N_FILTER_KEYS, &dict, error))
    return FALSE;

  if (values[FILTER_STATE] != NULL && values[FILTER_STATES] != NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "filter: give either “state” or “states”, not both");
      return FALSE;
    }
  if (!ferry_agent_check_length (values[FILTER_OWNER], "owner", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[FILTER_NAME], "name", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[FILTER_GROUP], "group", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[FILTER_SEARCH], "search", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_not_empty (values[FILTER_OWNER], "owner", error) ||
      !ferry_agent_check_not_empty (values[FILTER_NAME], "name", error) ||
      !ferry_agent_check_not_empty (values[FILTER_GROUP], "group", error))
    return FALSE;

  if (values[FILTER_STATE] != NULL &&
      !parse_state (g_variant_get_string (values[FILTER_STATE], NULL), "state",
                    &out_filter->filter.states, error))
    return FALSE;
  if (values[FILTER_STATES] != NULL)
    {
      GVariantIter iter;
      const char *name;

      if (g_variant_n_children (values[FILTER_STATES]) == 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "states: must name at least one state");
          return FALSE;
        }
      g_variant_iter_init (&iter, values[FILTER_STATES]);
      while (g_variant_iter_next (&iter, "&s", &name))
        {
          if (!parse_state (name, "states", &out_filter->filter.states, error))
            return FALSE;
        }
    }

  out_filter->owner = ferry_agent_dup_string (values[FILTER_OWNER]);
  out_filter->name = ferry_agent_dup_string (values[FILTER_NAME]);
  out_filter->group = ferry_agent_dup_string (values[FILTER_GROUP]);
  if (values[FILTER_SEARCH] != NULL && *g_variant_get_string (values[FILTER_SEARCH], NULL) != '\0')
    out_filter->search = ferry_agent_dup_string (values[FILTER_SEARCH]);
  if (values[FILTER_NEWEST_FIRST] != NULL)
    out_filter->filter.newest_first = g_variant_get_boolean (values[FILTER_NEWEST_FIRST]);

  out_filter->filter.owner = out_filter->owner;
  out_filter->filter.name = out_filter->name;
  out_filter->filter.group = out_filter->group;
  out_filter->filter.search = out_filter->search;
  return TRUE;
}

/**
 * ferry_agent_filter_clear:
 * @self: a filter
 *
 * Frees the strings of @self and zeroes it.
 */
void
ferry_agent_filter_clear (FerryAgentFilter *self)
{
  g_free (self->owner);
  g_free (self->name);
  g_free (self->group);
  g_free (self->search);
  memset (self, 0, sizeof *self);
}

/**
 * ferry_agent_filter_set_owner:
 * @self: a filter
 * @owner: (nullable): the owner to limit it to
 */
void
ferry_agent_filter_set_owner (FerryAgentFilter *self,
                              const char       *owner)
{
  char *copy = g_strdup (owner);

  g_free (self->owner);
  self->owner = copy;
  self->filter.owner = copy;
}
