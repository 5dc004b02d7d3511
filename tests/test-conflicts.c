/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-conflicts"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-doc-server.h"
#include "ferry-test-manager.h"

/*
 * Each conflict strategy end to end against the document server of the
 * test library (ferry-doc-server.h) on 127.0.0.1: one JSON document per
 * path with an ETag ("v<N>"); GET answers the document, and a PUT whose
 * If-Match is not the current ETag gets 412 (a PUT without If-Match to a
 * document told to refuse it gets 409).  A document the other writer
 * deleted answers GET with 404 and a conditional PUT with 412; an
 * unconditional PUT creates it again.  The test plays that other writer.
 */

#define WAIT_MS 20000

typedef struct
{
  FerryTestManager  base;
  FerryDocServer   *docs;
  guint             conflicts_detected;
} Fixture;

static void
on_conflict_detected (FerrySyncManager *manager,
                      FerryTask        *task,
                      Fixture          *fixture)
{
  fixture->conflicts_detected++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->docs = ferry_doc_server_new ();
  ferry_test_manager_set_up (&fixture->base, NULL);
  ferry_test_manager_open (&fixture->base, NULL);
  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) 1000,
                "enqueue-debounce", 1,
                "auto-sync-interval", 0,
                NULL);
  g_signal_connect (fixture->base.manager, "conflict-detected",
                    G_CALLBACK (on_conflict_detected), fixture);
  ferry_test_manager_start (&fixture->base);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_test_manager_tear_down (&fixture->base);
  g_clear_pointer (&fixture->docs, ferry_doc_server_free);
}

/* The app's edit: PUT @local over version @if_match_version (0: no
 * If-Match), edited from @base. */
static char *
enqueue_edit (Fixture               *fixture,
              const char            *path,
              const char            *base,
              const char            *local,
              guint                  if_match_version,
              FerryConflictStrategy  strategy)
{
  g_autoptr(FerryTask) task = ferry_task_new ();

  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("PUT");
  task->url = ferry_doc_server_url (fixture->docs, path);
  task->body = g_bytes_new (local, strlen (local));
  task->content_type = g_strdup ("application/json");
  if (base != NULL)
    task->base = g_bytes_new (base, strlen (base));
  if (if_match_version > 0)
    task->if_match = g_strdup_printf ("\"v%u\"", if_match_version);
  task->conflict_strategy = strategy;
  return ferry_test_manager_enqueue (&fixture->base, task);
}

static FerryTask *
get_task (Fixture    *fixture,
          const char *id)
{
  return ferry_test_manager_dup_task (&fixture->base, id);
}

static gboolean
task_settled (Fixture    *fixture,
              const char *id)
{
  return ferry_test_manager_is_settled (&fixture->base, id);
}

static void
assert_body (GBytes     *bytes,
             const char *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_client_wins (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;
  guint puts, refusals;

  ferry_doc_server_write (fixture->docs, "/docs/a", "{\"title\":\"base\"}");
  ferry_doc_server_write (fixture->docs, "/docs/a", "{\"title\":\"theirs\"}");   /* now v2 */
  id = enqueue_edit (fixture, "/docs/a", "{\"title\":\"base\"}", "{\"title\":\"mine\"}", 1,
                     FERRY_CONFLICT_CLIENT_WINS);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);

  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/a", NULL, &puts, &refusals);
  g_assert_cmpstr (final, ==, "{\"title\":\"mine\"}");
  g_assert_cmpuint (refusals, ==, 1);
  g_assert_cmpuint (puts, ==, 1);
  /* The second send was conditional on the version it overwrote. */
  g_assert_cmpstr (task->if_match, ==, "\"v2\"");
  g_assert_cmpuint (fixture->conflicts_detected, ==, 0);
}

static void
test_server_wins (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;
  guint puts;

  ferry_doc_server_write (fixture->docs, "/docs/b", "{\"title\":\"base\"}");
  ferry_doc_server_write (fixture->docs, "/docs/b", "{\"title\":\"theirs\"}");
  id = enqueue_edit (fixture, "/docs/b", NULL, "{\"title\":\"mine\"}", 1,
                     FERRY_CONFLICT_SERVER_WINS);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);

  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  /* Nothing was overwritten; the app gets the server copy through Get. */
  final = ferry_doc_server_read (fixture->docs, "/docs/b", NULL, &puts, NULL);
  g_assert_cmpstr (final, ==, "{\"title\":\"theirs\"}");
  g_assert_cmpuint (puts, ==, 0);
  g_assert_cmpuint (task->response_status, ==, 200);
  assert_body (task->response_body, "{\"title\":\"theirs\"}");
  g_assert_cmpuint (task->last_status, ==, 412);
}

static void
test_last_modified_wins (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *tie = NULL;
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;

  /* The same instant in two time zones is a tie: asked. */
  ferry_doc_server_write (fixture->docs, "/docs/lm1",
                          "{\"t\":\"x\",\"updated_at\":\"2026-01-01T10:00:00Z\"}");
  ferry_doc_server_write (fixture->docs, "/docs/lm1",
                          "{\"t\":\"server\",\"updated_at\":\"2026-01-01T11:00:00Z\"}");
  tie = enqueue_edit (fixture, "/docs/lm1", NULL,
                      "{\"t\":\"mine\",\"updated_at\":\"2026-01-01T12:00:00+01:00\"}", 1,
                      FERRY_CONFLICT_LAST_MODIFIED_WINS);
  FERRY_TEST_WAIT (task_settled (fixture, tie), WAIT_MS);
  task = get_task (fixture, tie);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "same time"));
  g_clear_pointer (&task, ferry_task_unref);

  /* Server newer (epoch seconds against epoch milliseconds). */
  ferry_doc_server_write (fixture->docs, "/docs/lm2", "{\"t\":\"x\",\"updated_at\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/lm2",
                          "{\"t\":\"server\",\"updated_at\":1800000000000}");
  older = enqueue_edit (fixture, "/docs/lm2", NULL, "{\"t\":\"mine\",\"updated_at\":1700000000}",
                        1, FERRY_CONFLICT_LAST_MODIFIED_WINS);
  FERRY_TEST_WAIT (task_settled (fixture, older), WAIT_MS);
  task = get_task (fixture, older);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/lm2", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"t\":\"server\",\"updated_at\":1800000000000}");
  g_clear_pointer (&task, ferry_task_unref);
  g_clear_pointer (&final, g_free);

  /* Local newer (RFC 3339, at a pointer of the task's choosing): the
   * local change wins. */
  {
    g_autoptr(FerryTask) edit = ferry_task_new ();
    g_autoptr(FerryTask) stored = NULL;

    ferry_doc_server_write (fixture->docs, "/docs/lm3",
                            "{\"meta\":{\"m\":\"2026-01-01T00:00:00Z\"}}");
    ferry_doc_server_write (fixture->docs, "/docs/lm3",
                            "{\"meta\":{\"m\":\"2026-02-01T00:00:00Z\"}}");
    edit->owner = g_strdup ("org.example.Notes");
    edit->method = g_strdup ("PUT");
    edit->url = ferry_doc_server_url (fixture->docs, "/docs/lm3");
    edit->body = g_bytes_new_static ("{\"meta\":{\"m\":\"2026-03-01T00:00:00Z\"}}",
                                     strlen ("{\"meta\":{\"m\":\"2026-03-01T00:00:00Z\"}}"));
    edit->if_match = g_strdup ("\"v1\"");
    edit->conflict_strategy = FERRY_CONFLICT_LAST_MODIFIED_WINS;
    edit->timestamp_pointer = g_strdup ("/meta/m");
    stored = ferry_sync_manager_enqueue (fixture->base.manager, edit, NULL);
    newer = g_strdup (stored->id);
  }
  FERRY_TEST_WAIT (task_settled (fixture, newer), WAIT_MS);
  task = get_task (fixture, newer);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/lm3", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"meta\":{\"m\":\"2026-03-01T00:00:00Z\"}}");
  g_clear_pointer (&task, ferry_task_unref);

  /* A missing field falls back to asking. */
  ferry_doc_server_write (fixture->docs, "/docs/lm4", "{\"t\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/lm4", "{\"t\":2}");
  missing = enqueue_edit (fixture, "/docs/lm4", NULL, "{\"t\":3,\"updated_at\":5}", 1,
                          FERRY_CONFLICT_LAST_MODIFIED_WINS);
  FERRY_TEST_WAIT (task_settled (fixture, missing), WAIT_MS);
  task = get_task (fixture, missing);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "missing"));
}

static void
test_merge_clean (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;

  ferry_doc_server_write (fixture->docs, "/docs/m",
                          "{\"title\":\"t\",\"body\":\"b\",\"tags\":[1]}");
  ferry_doc_server_write (fixture->docs, "/docs/m",
                          "{\"title\":\"t\",\"body\":\"B2\",\"tags\":[1]}");
  id = enqueue_edit (fixture, "/docs/m", "{\"title\":\"t\",\"body\":\"b\",\"tags\":[1]}",
                     "{\"title\":\"T2\",\"body\":\"b\",\"tags\":[1]}", 1, FERRY_CONFLICT_MERGE);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/m", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"title\":\"T2\",\"body\":\"B2\",\"tags\":[1]}");
}

/* A document far larger than an answer's usual 64 KiB: the merge works on
 * the whole of the server's copy, not on its first part. */
static void
test_merge_large_document (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *base = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *final = NULL;
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;

  while (notes->len < 300 * 1024)
    g_string_append_printf (notes, "line %" G_GSIZE_FORMAT " of a long note. ", notes->len);
  base = g_strdup_printf ("{\"title\":\"t\",\"body\":\"%s\",\"tail\":0}", notes->str);
  theirs = g_strdup_printf ("{\"title\":\"t\",\"body\":\"%s\",\"tail\":1}", notes->str);
  mine = g_strdup_printf ("{\"title\":\"T2\",\"body\":\"%s\",\"tail\":0}", notes->str);
  expected = g_strdup_printf ("{\"title\":\"T2\",\"body\":\"%s\",\"tail\":1}", notes->str);

  ferry_doc_server_write (fixture->docs, "/docs/big", base);
  ferry_doc_server_write (fixture->docs, "/docs/big", theirs);
  id = enqueue_edit (fixture, "/docs/big", base, mine, 1, FERRY_CONFLICT_MERGE);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/big", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, expected);
}

#define MR_LOCAL "{\"title\":\"mine\",\"n\":2}"
#define MR_BASE "{\"title\":\"t\",\"n\":1}"

static void
test_merge_conflict_and_rule (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *asked = NULL;
  g_autofree char *ruled = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryTask) edit = ferry_task_new ();
  g_autoptr(FerryTask) stored = NULL;
  const char * const rules[] = { "/title", "remote", NULL };

  /* Same member changed both ways: asked, nothing overwritten. */
  ferry_doc_server_write (fixture->docs, "/docs/mc", "{\"title\":\"t\",\"n\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/mc", "{\"title\":\"theirs\",\"n\":1}");
  asked = enqueue_edit (fixture, "/docs/mc", "{\"title\":\"t\",\"n\":1}",
                        "{\"title\":\"mine\",\"n\":2}", 1, FERRY_CONFLICT_MERGE);
  FERRY_TEST_WAIT (task_settled (fixture, asked), WAIT_MS);
  task = get_task (fixture, asked);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "/title"));
  final = ferry_doc_server_read (fixture->docs, "/docs/mc", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"title\":\"theirs\",\"n\":1}");
  g_assert_cmpuint (fixture->conflicts_detected, ==, 1);
  g_clear_pointer (&final, g_free);
  g_clear_pointer (&task, ferry_task_unref);

  /* With a per-field rule, the same merge settles itself. */
  ferry_doc_server_write (fixture->docs, "/docs/mr", "{\"title\":\"t\",\"n\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/mr", "{\"title\":\"theirs\",\"n\":1}");
  edit->owner = g_strdup ("org.example.Notes");
  edit->method = g_strdup ("PUT");
  edit->url = ferry_doc_server_url (fixture->docs, "/docs/mr");
  edit->body = g_bytes_new (MR_LOCAL, strlen (MR_LOCAL));
  edit->base = g_bytes_new (MR_BASE, strlen (MR_BASE));
  edit->if_match = g_strdup ("\"v1\"");
  edit->conflict_strategy = FERRY_CONFLICT_MERGE;
  edit->merge_rules = g_strdupv ((char **) rules);
  stored = ferry_sync_manager_enqueue (fixture->base.manager, edit, NULL);
  ruled = g_strdup (stored->id);
  FERRY_TEST_WAIT (task_settled (fixture, ruled), WAIT_MS);
  task = get_task (fixture, ruled);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/mr", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"title\":\"theirs\",\"n\":2}");
}

#undef MR_LOCAL
#undef MR_BASE

/* Ask: the task waits in conflict and holds its group; the person takes
 * theirs; a second change on the server meanwhile is caught, not
 * overwritten. */
static void
test_ask_and_concurrent_change (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;
  guint puts, refusals;

  ferry_doc_server_write (fixture->docs, "/docs/ask", "{\"v\":\"base\"}");
  ferry_doc_server_write (fixture->docs, "/docs/ask", "{\"v\":\"theirs\"}");
  id = enqueue_edit (fixture, "/docs/ask", "{\"v\":\"base\"}", "{\"v\":\"mine\"}", 1,
                     FERRY_CONFLICT_ASK);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  /* Local, server and base are all there for the person to compare. */
  assert_body (task->body, "{\"v\":\"mine\"}");
  assert_body (task->response_body, "{\"v\":\"theirs\"}");
  assert_body (task->base, "{\"v\":\"base\"}");
  g_assert_cmpuint (fixture->conflicts_detected, ==, 1);
  g_clear_pointer (&task, ferry_task_unref);

  /* Someone else writes again before the person decides. */
  ferry_doc_server_write (fixture->docs, "/docs/ask", "{\"v\":\"theirs again\"}");
  ferry_sync_manager_resolve (fixture->base.manager, id, FERRY_RESOLVE_LOCAL, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (fixture->conflicts_detected == 2, WAIT_MS);
  final = ferry_doc_server_read (fixture->docs, "/docs/ask", NULL, &puts, &refusals);
  g_assert_cmpstr (final, ==, "{\"v\":\"theirs again\"}");
  g_assert_cmpuint (puts, ==, 0);
  g_assert_cmpuint (refusals, ==, 2);
  g_clear_pointer (&final, g_free);

  /* Now the person takes the newest server copy for what it is. */
  task = get_task (fixture, id);
  assert_body (task->response_body, "{\"v\":\"theirs again\"}");
  ferry_sync_manager_resolve (fixture->base.manager, id, FERRY_RESOLVE_LOCAL, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);
  g_clear_pointer (&task, ferry_task_unref);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/ask", NULL, &puts, NULL);
  g_assert_cmpstr (final, ==, "{\"v\":\"mine\"}");
  g_assert_cmpuint (puts, ==, 1);
}

/* A 409 to an unconditional request settles the same way. */
static void
test_conflict_409 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *final = NULL;

  ferry_doc_server_write (fixture->docs, "/docs/409", "{\"a\":1,\"b\":1}");
  /* Another writer's change, which the server stands by with a 409 to the
   * next write that does not say what it overwrites. */
  ferry_doc_server_write (fixture->docs, "/docs/409", "{\"a\":1,\"b\":2}");
  ferry_doc_server_refuse_next_unconditional (fixture->docs, "/docs/409");

  id = enqueue_edit (fixture, "/docs/409", "{\"a\":1,\"b\":1}", "{\"a\":5,\"b\":1}", 0,
                     FERRY_CONFLICT_MERGE);
  FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);
  final = ferry_doc_server_read (fixture->docs, "/docs/409", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"a\":5,\"b\":2}");
}

/* Custom: the owner's resolver answers, fails, or takes too long. */
typedef enum { ANSWER, FAIL, SILENT } ResolverMode;

static ResolverMode resolver_mode;
static guint resolver_calls;

static void
return_cancelled (GCancellable *cancellable,
                  GTask        *gtask)
{
  g_task_return_error_if_cancelled (gtask);
}

/* The other writer deleted the document: each strategy does what it
 * promises with a copy that is gone, and the task says so. */
typedef struct
{
  FerryConflictStrategy  strategy;
  gboolean               edited;        /* the local change differs from its base */
  FerryTaskState         expected;
  gboolean               recreated;     /* the document exists again, from the task */
} DeletedCase;

static void
test_deleted_on_server (Fixture       *fixture,
                        gconstpointer  data)
{
  static const DeletedCase cases[] = {
    { FERRY_CONFLICT_ASK, TRUE, FERRY_TASK_STATE_CONFLICT, FALSE },
    { FERRY_CONFLICT_CLIENT_WINS, TRUE, FERRY_TASK_STATE_SUCCEEDED, TRUE },
    { FERRY_CONFLICT_SERVER_WINS, TRUE, FERRY_TASK_STATE_SUCCEEDED, FALSE },
    { FERRY_CONFLICT_MERGE, TRUE, FERRY_TASK_STATE_CONFLICT, FALSE },
    { FERRY_CONFLICT_MERGE, FALSE, FERRY_TASK_STATE_SUCCEEDED, FALSE },
    { FERRY_CONFLICT_LAST_MODIFIED_WINS, TRUE, FERRY_TASK_STATE_CONFLICT, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DeletedCase *row = &cases[i];
      g_autofree char *path = g_strdup_printf ("/docs/deleted-%u", i);
      const char *base = "{\"title\":\"base\",\"updated_at\":1}";
      const char *local = row->edited ? "{\"title\":\"mine\",\"updated_at\":2}" : base;
      g_autofree char *id = NULL;
      g_autofree char *last_if_match = NULL;
      g_autoptr(FerryTask) task = NULL;

      g_test_message ("%s, %s", ferry_conflict_strategy_to_string (row->strategy),
                      row->edited ? "edited" : "unchanged");
      ferry_doc_server_write (fixture->docs, path, base);
      ferry_doc_server_delete (fixture->docs, path);
      id = enqueue_edit (fixture, path, base, local, 1, row->strategy);
      FERRY_TEST_WAIT (task_settled (fixture, id), WAIT_MS);

      task = get_task (fixture, id);
      g_assert_cmpint (task->state, ==, row->expected);
      last_if_match = ferry_doc_server_dup_last_if_match (fixture->docs, path);
      g_assert_cmpint (ferry_doc_server_is_deleted (fixture->docs, path), ==, !row->recreated);
      if (row->recreated)
        {
          g_autofree char *final = ferry_doc_server_read (fixture->docs, path, NULL, NULL, NULL);

          /* Created again from the local change, with nothing to match. */
          g_assert_cmpstr (final, ==, local);
          g_assert_null (last_if_match);
        }
      if (row->expected == FERRY_TASK_STATE_CONFLICT)
        {
          g_assert_cmpint (ferry_task_get_server_copy (task), ==, FERRY_SERVER_COPY_DELETED);
          g_assert_null (task->response_body);
          g_assert_nonnull (strstr (task->last_error, "deleted on the server"));
        }
    }
}

/* A person's choice on a copy deleted on the server: keeping mine creates
 * it again, keeping the server's drops the change. */
static void
test_deleted_resolve (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *base = "{\"title\":\"base\"}";
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *final = NULL;
  g_autofree char *last_if_match = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  ferry_doc_server_write (fixture->docs, "/docs/gone-1", base);
  ferry_doc_server_delete (fixture->docs, "/docs/gone-1");
  ferry_doc_server_write (fixture->docs, "/docs/gone-2", base);
  ferry_doc_server_delete (fixture->docs, "/docs/gone-2");
  mine = enqueue_edit (fixture, "/docs/gone-1", base, "{\"title\":\"mine\"}", 1,
                       FERRY_CONFLICT_ASK);
  theirs = enqueue_edit (fixture, "/docs/gone-2", base, "{\"title\":\"mine\"}", 1,
                         FERRY_CONFLICT_ASK);
  FERRY_TEST_WAIT (task_settled (fixture, mine) && task_settled (fixture, theirs), WAIT_MS);

  g_assert_true (ferry_sync_manager_resolve (fixture->base.manager, mine, FERRY_RESOLVE_LOCAL, NULL,
                                             &error));
  g_assert_no_error (error);
  g_assert_true (ferry_sync_manager_resolve (fixture->base.manager, theirs, FERRY_RESOLVE_REMOTE,
                                             NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_settled (fixture, mine), WAIT_MS);

  task = get_task (fixture, mine);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  g_assert_false (ferry_doc_server_is_deleted (fixture->docs, "/docs/gone-1"));
  last_if_match = ferry_doc_server_dup_last_if_match (fixture->docs, "/docs/gone-1");
  g_assert_null (last_if_match);
  final = ferry_doc_server_read (fixture->docs, "/docs/gone-1", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"title\":\"mine\"}");
  g_clear_pointer (&task, ferry_task_unref);

  task = get_task (fixture, theirs);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  g_assert_true (ferry_doc_server_is_deleted (fixture->docs, "/docs/gone-2"));
}

static void
test_resolver (const char          *owner,
               const char          *subject,
               GBytes              *base,
               GBytes              *local,
               GBytes              *remote,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             callback_data,
               gpointer             user_data)
{
  GTask *gtask = g_task_new (NULL, cancellable, callback, callback_data);

  resolver_calls++;
  g_assert_nonnull (remote);
  switch (resolver_mode)
    {
    case ANSWER:
      g_task_return_pointer (gtask, g_bytes_new_static ("{\"resolved\":true}", 17),
                             (GDestroyNotify) g_bytes_unref);
      g_object_unref (gtask);
      break;
    case FAIL:
      g_task_return_new_error (gtask, FERRY_ERROR, FERRY_ERROR_FAILED, "the app gave up");
      g_object_unref (gtask);
      break;
    case SILENT:
    default:
      /* Answers only once cancelled (by the manager's timeout). */
      g_cancellable_connect (cancellable, G_CALLBACK (return_cancelled), gtask, g_object_unref);
      break;
    }
}

static GBytes *
test_resolver_finish (GAsyncResult  *result,
                      GError       **error,
                      gpointer       user_data)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_custom (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *answered = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *silent = NULL;
  g_autofree char *none = NULL;
  g_autofree char *final = NULL;
  g_autoptr(FerryTask) task = NULL;

  /* No resolver registered: asked. */
  ferry_doc_server_write (fixture->docs, "/docs/c0", "{\"x\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/c0", "{\"x\":2}");
  none = enqueue_edit (fixture, "/docs/c0", NULL, "{\"x\":3}", 1, FERRY_CONFLICT_CUSTOM);
  FERRY_TEST_WAIT (task_settled (fixture, none), WAIT_MS);
  task = get_task (fixture, none);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "no resolver"));
  g_clear_pointer (&task, ferry_task_unref);

  ferry_sync_manager_set_resolver (fixture->base.manager, test_resolver, test_resolver_finish,
                                   NULL, NULL);
  g_object_set (fixture->base.manager, "resolver-timeout", 300, NULL);

  resolver_mode = ANSWER;
  ferry_doc_server_write (fixture->docs, "/docs/c1", "{\"x\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/c1", "{\"x\":2}");
  answered = enqueue_edit (fixture, "/docs/c1", NULL, "{\"x\":3}", 1, FERRY_CONFLICT_CUSTOM);
  FERRY_TEST_WAIT (task_settled (fixture, answered), WAIT_MS);
  task = get_task (fixture, answered);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  final = ferry_doc_server_read (fixture->docs, "/docs/c1", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"resolved\":true}");
  g_clear_pointer (&task, ferry_task_unref);

  resolver_mode = FAIL;
  ferry_doc_server_write (fixture->docs, "/docs/c2", "{\"x\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/c2", "{\"x\":2}");
  failed = enqueue_edit (fixture, "/docs/c2", NULL, "{\"x\":3}", 1, FERRY_CONFLICT_CUSTOM);
  FERRY_TEST_WAIT (task_settled (fixture, failed), WAIT_MS);
  task = get_task (fixture, failed);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "the app gave up"));
  g_clear_pointer (&task, ferry_task_unref);

  resolver_mode = SILENT;
  ferry_doc_server_write (fixture->docs, "/docs/c3", "{\"x\":1}");
  ferry_doc_server_write (fixture->docs, "/docs/c3", "{\"x\":2}");
  silent = enqueue_edit (fixture, "/docs/c3", NULL, "{\"x\":3}", 1, FERRY_CONFLICT_CUSTOM);
  FERRY_TEST_WAIT (task_settled (fixture, silent), WAIT_MS);
  task = get_task (fixture, silent);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_nonnull (strstr (task->last_error, "in time"));
  g_assert_cmpuint (resolver_calls, ==, 3);

  g_clear_pointer (&final, g_free);
  final = ferry_doc_server_read (fixture->docs, "/docs/c3", NULL, NULL, NULL);
  g_assert_cmpstr (final, ==, "{\"x\":2}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

#define ADD(path, func) \
  g_test_add ("/engine/conflicts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("client-wins", test_client_wins);
  ADD ("server-wins", test_server_wins);
  ADD ("last-modified-wins", test_last_modified_wins);
  ADD ("merge-clean", test_merge_clean);
  ADD ("merge-large-document", test_merge_large_document);
  ADD ("merge-conflict-and-rule", test_merge_conflict_and_rule);
  ADD ("ask-and-concurrent-change", test_ask_and_concurrent_change);
  ADD ("conflict-409", test_conflict_409);
  ADD ("custom", test_custom);
  ADD ("deleted-on-server", test_deleted_on_server);
  ADD ("deleted-resolve", test_deleted_resolve);

#undef ADD

  return g_test_run ();
}
