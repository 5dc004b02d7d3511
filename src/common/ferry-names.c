/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-names"

#include "config.h"

#include "ferry-names.h"

/* The names on the wire; see the interface XML. */

const char * const ferry_names_task_states[] = {
  "pending", "running", "succeeded", "failed", "conflict", "auth-required", "cancelled",
};
const char * const ferry_names_priorities[] = { "low", "medium", "high", "critical" };
const char * const ferry_names_unique_policies[] = { "replace", "keep", "append" };
const char * const ferry_names_conflict_strategies[] = {
  "ask", "client-wins", "server-wins", "last-modified-wins", "merge", "custom",
};
const char * const ferry_names_resolve_choices[] = { "local", "remote", "body" };
const char * const ferry_names_server_copies[] = { "unknown", "present", "deleted" };
const char * const ferry_names_sync_states[] = {
  "idle", "syncing", "offline", "paused", "attention",
};
const char * const ferry_names_protocols[] = { "couchdb", "rest" };
const char * const ferry_names_directions[] = { "both", "push", "pull" };
const char * const ferry_names_collection_states[] = {
  "idle", "syncing", "synced", "error", "offline", "paused",
};
const char * const ferry_names_run_phases[] = { "none", "check", "push", "pull", "finish" };
const char * const ferry_names_secret_headers[] = {
  "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
  "X-Auth-Token",
};

G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_task_states) == FERRY_NAMES_N_TASK_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_priorities) == FERRY_NAMES_N_PRIORITIES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_unique_policies) == FERRY_NAMES_N_UNIQUE_POLICIES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_conflict_strategies)
                 == FERRY_NAMES_N_CONFLICT_STRATEGIES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_resolve_choices) == FERRY_NAMES_N_RESOLVE_CHOICES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_server_copies) == FERRY_NAMES_N_SERVER_COPIES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_sync_states) == FERRY_NAMES_N_SYNC_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_protocols) == FERRY_NAMES_N_PROTOCOLS);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_directions) == FERRY_NAMES_N_DIRECTIONS);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_collection_states)
                 == FERRY_NAMES_N_COLLECTION_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_run_phases) == FERRY_NAMES_N_RUN_PHASES);
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_names_secret_headers) == FERRY_NAMES_N_SECRET_HEADERS);

/**
 * ferry_names_get:
 * @names: one of the tables above
 * @n_names: its count
 * @value: an enum value
 *
 * Returns: (nullable): the name of @value, or %NULL when it is out of range
 */
const char *
ferry_names_get (const char * const *names,
                 guint               n_names,
                 guint               value)
{
  g_return_val_if_fail (names != NULL, NULL);

  return value < n_names ? names[value] : NULL;
}

/**
 * ferry_names_lookup:
 * @names: one of the tables above
 * @n_names: its count
 * @name: (nullable): a name
 * @out_value: (out) (optional): where to store the value of @name
 *
 * Names compare exactly, case included.
 *
 * Returns: %TRUE when @name is in @names
 */
gboolean
ferry_names_lookup (const char * const *names,
                    guint               n_names,
                    const char         *name,
                    guint              *out_value)
{
  g_return_val_if_fail (names != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (names[i] != NULL && g_str_equal (names[i], name))
        {
          if (out_value != NULL)
            *out_value = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * ferry_names_header_is_secret:
 * @name: a header name
 *
 * Whether a header named @name carries a credential whatever task carries
 * it; compared without regard to case.
 *
 * Returns: whether @name is one of ferry_names_secret_headers
 */
gboolean
ferry_names_header_is_secret (const char *name)
{
  g_return_val_if_fail (name != NULL, TRUE);

  for (guint i = 0; i < FERRY_NAMES_N_SECRET_HEADERS; i++)
    {
      if (g_ascii_strcasecmp (ferry_names_secret_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}
