/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-names"

#include "config.h"

#include "ferry-names.h"

/* The shared tables of names: every name is there once, and names and
 * values find each other both ways. */

typedef struct
{
  const char         *what;
  const char * const *names;
  guint               n_names;
  const char         *first;
  const char         *last;
} Table;

#define TABLE(names, count, first, last) { #names, names, count, first, last }

static const Table tables[] = {
  TABLE (ferry_names_task_states, FERRY_NAMES_N_TASK_STATES, "pending", "cancelled"),
  TABLE (ferry_names_priorities, FERRY_NAMES_N_PRIORITIES, "low", "critical"),
  TABLE (ferry_names_unique_policies, FERRY_NAMES_N_UNIQUE_POLICIES, "replace", "append"),
  TABLE (ferry_names_conflict_strategies, FERRY_NAMES_N_CONFLICT_STRATEGIES, "ask", "custom"),
  TABLE (ferry_names_resolve_choices, FERRY_NAMES_N_RESOLVE_CHOICES, "local", "body"),
  TABLE (ferry_names_server_copies, FERRY_NAMES_N_SERVER_COPIES, "unknown", "deleted"),
  TABLE (ferry_names_sync_states, FERRY_NAMES_N_SYNC_STATES, "idle", "attention"),
};

static void
test_round_trip (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const Table *table = &tables[t];

      g_test_message ("%s", table->what);
      g_assert_cmpstr (ferry_names_get (table->names, table->n_names, 0), ==, table->first);
      g_assert_cmpstr (ferry_names_get (table->names, table->n_names, table->n_names - 1), ==,
                       table->last);
      g_assert_null (ferry_names_get (table->names, table->n_names, table->n_names));

      for (guint i = 0; i < table->n_names; i++)
        {
          const char *name = ferry_names_get (table->names, table->n_names, i);
          guint value = G_MAXUINT;

          g_assert_nonnull (name);
          g_assert_true (ferry_names_lookup (table->names, table->n_names, name, &value));
          /* The first match is the value itself: no name twice. */
          g_assert_cmpuint (value, ==, i);
        }

      g_assert_false (ferry_names_lookup (table->names, table->n_names, NULL, NULL));
      g_assert_false (ferry_names_lookup (table->names, table->n_names, "", NULL));
      /* Names compare exactly. */
      g_assert_false (ferry_names_lookup (table->names, table->n_names, "PENDING", NULL));
    }
}

static void
test_secret_headers (void)
{
  g_assert_true (ferry_names_header_is_secret ("Authorization"));
  g_assert_true (ferry_names_header_is_secret ("cookie"));
  g_assert_true (ferry_names_header_is_secret ("X-API-KEY"));
  g_assert_false (ferry_names_header_is_secret ("Content-Type"));
  g_assert_false (ferry_names_header_is_secret (""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/common/names/round-trip", test_round_trip);
  g_test_add_func ("/common/names/secret-headers", test_secret_headers);

  return g_test_run ();
}
