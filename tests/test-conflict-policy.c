/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-conflict-policy.h"

/* The strategies as one table: what each makes of an edit against an
 * edit, and of a deletion on either side, for tasks and documents alike. */

#define BASE   "{\"title\":\"a\",\"done\":false,\"updated_at\":\"2024-01-01T00:00:00Z\"}"
#define LOCAL  "{\"title\":\"b\",\"done\":false,\"updated_at\":\"2024-01-02T00:00:00Z\"}"
#define REMOTE "{\"title\":\"a\",\"done\":true,\"updated_at\":\"2024-01-03T00:00:00Z\"}"
#define BOTH   "{\"title\":\"c\",\"done\":false,\"updated_at\":\"2024-01-01T00:00:00Z\"}"
/* Edits of different members only, for the merge. */
#define MLOCAL  "{\"title\":\"b\",\"done\":false,\"updated_at\":\"2024-01-01T00:00:00Z\"}"
#define MREMOTE "{\"title\":\"a\",\"done\":true,\"updated_at\":\"2024-01-01T00:00:00Z\"}"

typedef struct
{
  const char            *what;
  FerryConflictStrategy  strategy;
  const char            *local;          /* NULL: deleted here */
  const char            *remote;         /* NULL: deleted on the server */
  FerrySettleKind        expected;
  const char            *message_part;   /* NULL: no message expected */
} Case;

static const Case cases[] = {
  { "client-wins", FERRY_CONFLICT_CLIENT_WINS, LOCAL, REMOTE, FERRY_SETTLE_LOCAL, "local change wins" },
  { "server-wins", FERRY_CONFLICT_SERVER_WINS, LOCAL, REMOTE, FERRY_SETTLE_REMOTE, NULL },
  { "last-modified, server newer", FERRY_CONFLICT_LAST_MODIFIED_WINS, LOCAL, REMOTE,
    FERRY_SETTLE_REMOTE, NULL },
  { "last-modified, local newer", FERRY_CONFLICT_LAST_MODIFIED_WINS, REMOTE, LOCAL,
    FERRY_SETTLE_LOCAL, "newer" },
  { "last-modified, same time", FERRY_CONFLICT_LAST_MODIFIED_WINS, BOTH, BASE,
    FERRY_SETTLE_ASK, "same time" },
  { "merge, different members", FERRY_CONFLICT_MERGE, MLOCAL, MREMOTE, FERRY_SETTLE_MERGED,
    "merged" },
  { "merge, same member", FERRY_CONFLICT_MERGE, LOCAL, BOTH, FERRY_SETTLE_ASK, "/title" },
  { "custom", FERRY_CONFLICT_CUSTOM, LOCAL, REMOTE, FERRY_SETTLE_CUSTOM, NULL },
  { "ask", FERRY_CONFLICT_ASK, LOCAL, REMOTE, FERRY_SETTLE_ASK, NULL },

  { "client-wins, deleted there", FERRY_CONFLICT_CLIENT_WINS, LOCAL, NULL, FERRY_SETTLE_LOCAL,
    "created again" },
  { "server-wins, deleted there", FERRY_CONFLICT_SERVER_WINS, LOCAL, NULL, FERRY_SETTLE_REMOTE,
    NULL },
  { "merge, deleted there, unchanged here", FERRY_CONFLICT_MERGE, BASE, NULL,
    FERRY_SETTLE_REMOTE, NULL },
  { "merge, deleted there, changed here", FERRY_CONFLICT_MERGE, LOCAL, NULL, FERRY_SETTLE_ASK,
    "deleted on the server" },
  { "ask, deleted there", FERRY_CONFLICT_ASK, LOCAL, NULL, FERRY_SETTLE_ASK,
    "deleted on the server" },

  { "client-wins, deleted here", FERRY_CONFLICT_CLIENT_WINS, NULL, REMOTE, FERRY_SETTLE_LOCAL,
    "deletion wins" },
  { "server-wins, deleted here", FERRY_CONFLICT_SERVER_WINS, NULL, REMOTE, FERRY_SETTLE_REMOTE,
    NULL },
  { "merge, deleted here, unchanged there", FERRY_CONFLICT_MERGE, NULL, BASE, FERRY_SETTLE_LOCAL,
    "unchanged on the server" },
  { "merge, deleted here, changed there", FERRY_CONFLICT_MERGE, NULL, MREMOTE, FERRY_SETTLE_ASK,
    "deleted here" },
  { "last-modified, deleted here", FERRY_CONFLICT_LAST_MODIFIED_WINS, NULL, REMOTE,
    FERRY_SETTLE_ASK, "deleted here" },
  { "ask, deleted on both sides", FERRY_CONFLICT_ASK, NULL, NULL, FERRY_SETTLE_REMOTE, NULL },
};

static GBytes *
bytes_or_null (const char *text)
{
  return text != NULL ? g_bytes_new_static (text, strlen (text)) : NULL;
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GBytes) base = bytes_or_null (BASE);
      g_autoptr(GBytes) local = bytes_or_null (c->local);
      g_autoptr(GBytes) remote = bytes_or_null (c->remote);
      FerryConflictSides sides = {
        .strategy = c->strategy,
        .base = base,
        .local = local,
        .local_deleted = c->local == NULL,
        .remote = remote,
        .remote_deleted = c->remote == NULL,
      };
      g_autoptr(FerrySettlement) settlement = NULL;

      g_test_message ("case: %s", c->what);
      settlement = ferry_conflict_settle (&sides);
      g_assert_cmpint (settlement->kind, ==, c->expected);
      if (c->message_part != NULL)
        {
          g_assert_nonnull (settlement->message);
          g_assert_nonnull (strstr (settlement->message, c->message_part));
        }
      if (c->expected == FERRY_SETTLE_MERGED)
        {
          g_autoptr(GBytes) expected = bytes_or_null (
            "{\"title\":\"b\",\"done\":true,\"updated_at\":\"2024-01-01T00:00:00Z\"}");
          g_assert_nonnull (settlement->merged);
          g_assert_true (g_bytes_equal (settlement->merged, expected));
        }
      else
        g_assert_null (settlement->merged);
    }
}

static void
test_rules (void)
{
  static const char * const rules[] = { "/title", "remote", NULL };
  g_autoptr(GBytes) base = bytes_or_null (BASE);
  g_autoptr(GBytes) local = bytes_or_null (LOCAL);
  g_autoptr(GBytes) remote = bytes_or_null (BOTH);
  FerryConflictSides sides = {
    .strategy = FERRY_CONFLICT_MERGE,
    .base = base,
    .local = local,
    .remote = remote,
    .merge_rules = rules,
  };
  g_autoptr(FerrySettlement) settlement = ferry_conflict_settle (&sides);

  /* A rule for the member both sides changed settles it. */
  g_assert_cmpint (settlement->kind, ==, FERRY_SETTLE_MERGED);
  g_assert_nonnull (strstr (g_bytes_get_data (settlement->merged, NULL), "\"title\":\"c\""));
}

static void
test_parse_time (void)
{
  g_assert_cmpint (ferry_conflict_parse_time ("1700000000"), ==, (gint64) 1700000000 * G_USEC_PER_SEC);
  g_assert_cmpint (ferry_conflict_parse_time ("1700000000000"), ==,
                   (gint64) 1700000000 * G_USEC_PER_SEC);
  g_assert_cmpint (ferry_conflict_parse_time ("1970-01-01T00:00:01Z"), ==, G_USEC_PER_SEC);
  g_assert_cmpint (ferry_conflict_parse_time ("yesterday"), ==, -1);
  g_assert_cmpint (ferry_conflict_parse_time (""), ==, -1);
  g_assert_cmpint (ferry_conflict_parse_time (NULL), ==, -1);
  g_assert_cmpint (ferry_conflict_parse_time ("-5"), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/conflict-policy/table", test_table);
  g_test_add_func ("/engine/conflict-policy/rules", test_rules);
  g_test_add_func ("/engine/conflict-policy/parse-time", test_parse_time);

  return g_test_run ();
}
