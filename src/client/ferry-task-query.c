/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-query"

#include "config.h"

#include "ferry-task-query-private.h"

/**
 * FerryTaskQuery:
 *
 * Which tasks a list, a count or a retry-all looks at: a set of states, an
 * owner, a name, a group, a search text and an order.  Every part is
 * optional; an empty query matches every task the caller may see.
 *
 * A query is reference counted and mutable; a #FerryTaskList copies the
 * query it is given, so changing it afterwards does not affect the list.
 */
struct _FerryTaskQuery
{
  gatomicrefcount ref_count;

  guint states;
  char *owner;
  char *name;
  char *group;
  char *search;
  gboolean newest_first;
};

#define ALL_STATES ((1u << FERRY_CLIENT_TASK_STATE_UNKNOWN) - 1)

G_DEFINE_BOXED_TYPE (FerryTaskQuery, ferry_task_query, ferry_task_query_ref,
                     ferry_task_query_unref)

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;

  g_free (*field);
  *field = copy;
}

/**
 * ferry_task_query_new:
 *
 * Creates an empty query, which matches every task in enqueue order.
 *
 * Returns: (transfer full): an empty query, matching every task in enqueue
 *   order
 */
FerryTaskQuery *
ferry_task_query_new (void)
{
  FerryTaskQuery *self = g_new0 (FerryTaskQuery, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

/**
 * ferry_task_query_ref:
 * @self: a query
 *
 * Takes a reference on @self.
 *
 * Returns: (transfer full): @self with one more reference
 */
FerryTaskQuery *
ferry_task_query_ref (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * ferry_task_query_unref:
 * @self: (transfer full): a query
 *
 * Drops a reference; frees the query when it was the last.
 */
void
ferry_task_query_unref (FerryTaskQuery *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->owner);
  g_free (self->name);
  g_free (self->group);
  g_free (self->search);
  g_free (self);
}

/**
 * ferry_task_query_copy:
 * @self: a query
 *
 * Copies @self; changing the copy leaves @self alone.
 *
 * Returns: (transfer full): an independent copy of @self
 */
FerryTaskQuery *
ferry_task_query_copy (FerryTaskQuery *self)
{
  FerryTaskQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ferry_task_query_new ();
  copy->states = self->states;
  copy->owner = g_strdup (self->owner);
  copy->name = g_strdup (self->name);
  copy->group = g_strdup (self->group);
  copy->search = g_strdup (self->search);
  copy->newest_first = self->newest_first;
  return copy;
}

/**
 * ferry_task_query_set_states:
 * @self: a query
 * @states: a mask of FERRY_CLIENT_STATE_BIT() values; 0 for every state
 *
 * Limits the query to tasks in these states.
 */
void
ferry_task_query_set_states (FerryTaskQuery *self,
                             guint           states)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((states & ~ALL_STATES) == 0);

  self->states = states;
}

/**
 * ferry_task_query_get_states:
 * @self: a query
 *
 * Gets the state mask; 0 means every state.
 *
 * Returns: the state mask; 0 means every state
 */
guint
ferry_task_query_get_states (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->states;
}

/**
 * ferry_task_query_add_state:
 * @self: a query
 * @state: a state other than %FERRY_CLIENT_TASK_STATE_UNKNOWN
 *
 * Adds @state to the states the query matches.
 */
void
ferry_task_query_add_state (FerryTaskQuery       *self,
                            FerryClientTaskState  state)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (state < FERRY_CLIENT_TASK_STATE_UNKNOWN);

  self->states |= FERRY_CLIENT_STATE_BIT (state);
}

/**
 * ferry_task_query_has_state:
 * @self: a query
 * @state: a state
 *
 * Tells whether a task in @state can match the query.
 *
 * Returns: whether a task in @state can match the query
 */
gboolean
ferry_task_query_has_state (FerryTaskQuery       *self,
                            FerryClientTaskState  state)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->states == 0)
    return TRUE;
  if (state >= FERRY_CLIENT_TASK_STATE_UNKNOWN)
    return FALSE;
  return (self->states & FERRY_CLIENT_STATE_BIT (state)) != 0;
}

/**
 * ferry_task_query_set_owner:
 * @self: a query
 * @owner: (nullable): an owner, or %NULL for every owner
 *
 * Limits the query to one owner's tasks.  The agent ignores this for a
 * sandboxed caller, which only ever sees its own tasks.
 */
void
ferry_task_query_set_owner (FerryTaskQuery *self,
                            const char     *owner)
{
  g_return_if_fail (self != NULL);
  replace_string (&self->owner, owner);
}

/**
 * ferry_task_query_get_owner:
 * @self: a query
 *
 * Gets the owner the query is limited to.
 *
 * Returns: (nullable): the owner the query is limited to
 */
const char *
ferry_task_query_get_owner (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->owner;
}

/**
 * ferry_task_query_set_name:
 * @self: a query
 * @name: (nullable): a task name, or %NULL for any
 *
 * Limits the query to tasks of exactly this name.
 */
void
ferry_task_query_set_name (FerryTaskQuery *self,
                           const char     *name)
{
  g_return_if_fail (self != NULL);
  replace_string (&self->name, name);
}

/**
 * ferry_task_query_get_name:
 * @self: a query
 *
 * Gets the name the query is limited to.
 *
 * Returns: (nullable): the name the query is limited to
 */
const char *
ferry_task_query_get_name (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * ferry_task_query_set_group:
 * @self: a query
 * @group: (nullable): a group, or %NULL for any
 *
 * Limits the query to one ordering group.
 */
void
ferry_task_query_set_group (FerryTaskQuery *self,
                            const char     *group)
{
  g_return_if_fail (self != NULL);
  replace_string (&self->group, group);
}

/**
 * ferry_task_query_get_group:
 * @self: a query
 *
 * Gets the group the query is limited to.
 *
 * Returns: (nullable): the group the query is limited to
 */
const char *
ferry_task_query_get_group (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->group;
}

/**
 * ferry_task_query_set_search:
 * @self: a query
 * @search: (nullable): text to look for, or %NULL; an empty string counts
 *   as %NULL
 *
 * Limits the query to tasks whose name, URL or owner contains @search,
 * ignoring case.
 */
void
ferry_task_query_set_search (FerryTaskQuery *self,
                             const char     *search)
{
  g_return_if_fail (self != NULL);
  replace_string (&self->search, search);
}

/**
 * ferry_task_query_get_search:
 * @self: a query
 *
 * Gets the search text.
 *
 * Returns: (nullable): the search text
 */
const char *
ferry_task_query_get_search (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->search;
}

/**
 * ferry_task_query_set_newest_first:
 * @self: a query
 * @newest_first: %TRUE to order by last update, newest first
 *
 * Chooses the order: enqueue order (the default) or newest change first.
 */
void
ferry_task_query_set_newest_first (FerryTaskQuery *self,
                                   gboolean        newest_first)
{
  g_return_if_fail (self != NULL);
  self->newest_first = !!newest_first;
}

/**
 * ferry_task_query_get_newest_first:
 * @self: a query
 *
 * Tells whether the order is newest change first.
 *
 * Returns: whether the order is newest change first
 */
gboolean
ferry_task_query_get_newest_first (FerryTaskQuery *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->newest_first;
}

/**
 * ferry_task_query_to_variant:
 * @self: (nullable): a query, or %NULL for an empty one
 *
 * Builds the filter dictionary `List`, `Count` and `RetryAll` take.
 *
 * Returns: (transfer floating): a new `a{sv}` variant
 */
GVariant *
ferry_task_query_to_variant (FerryTaskQuery *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (self == NULL)
    return g_variant_builder_end (&builder);

  if (self->states != 0)
    {
      GVariantBuilder states;

      g_variant_builder_init (&states, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint i = 0; i < FERRY_CLIENT_TASK_STATE_UNKNOWN; i++)
        {
          if (self->states & FERRY_CLIENT_STATE_BIT (i))
            g_variant_builder_add (&states, "s", ferry_client_task_state_to_string (i));
        }
      g_variant_builder_add (&builder, "{sv}", "states", g_variant_builder_end (&states));
    }
  if (self->owner != NULL)
    g_variant_builder_add (&builder, "{sv}", "owner", g_variant_new_string (self->owner));
  if (self->name != NULL)
    g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (self->name));
  if (self->group != NULL)
    g_variant_builder_add (&builder, "{sv}", "group", g_variant_new_string (self->group));
  if (self->search != NULL)
    g_variant_builder_add (&builder, "{sv}", "search", g_variant_new_string (self->search));
  if (self->newest_first)
    g_variant_builder_add (&builder, "{sv}", "newest-first", g_variant_new_boolean (TRUE));

  return g_variant_builder_end (&builder);
}
