/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-manager"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-test-manager.h"

/*
 * The sync manager end to end: a real store on disk, a real executor, a
 * real HTTP server on 127.0.0.1, and a network monitor the test controls.
 */

#define WAIT_MS 20000

typedef struct
{
  FerryTestManager         base;
  FerryTestServer         *server;

  GPtrArray               *events;      /* "signal:id" strings */
  guint                    runs_started;
  guint                    runs_finished;
  FerryRunSummary          last_summary;
  guint                    retries;
  gint64                   last_retry_when;
  char                    *last_retry_reason;
  GArray                  *progress;    /* pairs of guint done, total */
} Fixture;

static void
record (Fixture    *fixture,
        const char *what,
        FerryTask  *task)
{
  g_ptr_array_add (fixture->events, g_strdup_printf ("%s:%s", what, task->id));
}

static void
on_task_added (FerrySyncManager *manager, FerryTask *task, Fixture *fixture)
{
  record (fixture, "added", task);
}

static void
on_task_succeeded (FerrySyncManager *manager, FerryTask *task, Fixture *fixture)
{
  record (fixture, "succeeded", task);
}

static void
on_task_failed (FerrySyncManager *manager, FerryTask *task, Fixture *fixture)
{
  record (fixture, "failed", task);
}

static void
on_conflict_detected (FerrySyncManager *manager, FerryTask *task, Fixture *fixture)
{
  record (fixture, "conflict", task);
}

static void
on_retry_scheduled (FerrySyncManager *manager,
                    FerryTask        *task,
                    guint             attempt,
                    gint64            when,
                    const char       *reason,
                    Fixture          *fixture)
{
  fixture->retries++;
  fixture->last_retry_when = when;
  g_free (fixture->last_retry_reason);
  fixture->last_retry_reason = g_strdup (reason);
  record (fixture, "retry", task);
}

static void
on_run_started (FerrySyncManager *manager, Fixture *fixture)
{
  fixture->runs_started++;
}

static void
on_run_finished (FerrySyncManager *manager, FerryRunSummary *summary, Fixture *fixture)
{
  fixture->runs_finished++;
  fixture->last_summary = *summary;
}

static void
on_progress_notify (FerrySyncManager *manager, GParamSpec *pspec, Fixture *fixture)
{
  guint pair[2];

  ferry_sync_manager_get_progress (manager, &pair[0], &pair[1]);
  g_array_append_vals (fixture->progress, pair, 2);
}

static void
make_manager (Fixture *fixture)
{
  FerryExecutor *executor = ferry_executor_new (NULL);

  g_object_set (executor, "timeout", 1, NULL);
  ferry_test_manager_open (&fixture->base, executor);
  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) 5000,
                "backoff-max", (gint64) 50000,
                "enqueue-debounce", 5,
                "auto-sync-interval", 0,
                NULL);

  g_signal_connect (fixture->base.manager, "task-added", G_CALLBACK (on_task_added), fixture);
  g_signal_connect (fixture->base.manager, "task-succeeded", G_CALLBACK (on_task_succeeded),
                    fixture);
  g_signal_connect (fixture->base.manager, "task-failed", G_CALLBACK (on_task_failed), fixture);
  g_signal_connect (fixture->base.manager, "conflict-detected",
                    G_CALLBACK (on_conflict_detected), fixture);
  g_signal_connect (fixture->base.manager, "retry-scheduled", G_CALLBACK (on_retry_scheduled),
                    fixture);
  g_signal_connect (fixture->base.manager, "run-started", G_CALLBACK (on_run_started), fixture);
  g_signal_connect (fixture->base.manager, "run-finished", G_CALLBACK (on_run_finished), fixture);
  g_signal_connect (fixture->base.manager, "notify::progress-done",
                    G_CALLBACK (on_progress_notify), fixture);
  g_signal_connect (fixture->base.manager, "notify::progress-total",
                    G_CALLBACK (on_progress_notify), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ferry_test_manager_set_up (&fixture->base,
                             data != NULL
                             ? ferry_clock_new_manual ((gint64) 1700000000 * G_USEC_PER_SEC)
                             : ferry_clock_new ());
  fixture->server = ferry_test_server_new ();
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->progress = g_array_new (FALSE, FALSE, sizeof (guint));
  make_manager (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_test_manager_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_clear_pointer (&fixture->progress, g_array_unref);
  g_clear_pointer (&fixture->last_retry_reason, g_free);
}

static FerryTask *
new_task (Fixture    *fixture,
          const char *path)
{
  FerryTask *task = ferry_task_new ();

  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("POST");
  task->url = ferry_test_server_url (fixture->server, path);
  task->body = g_bytes_new_static ("{\"note\":1}", 10);
  task->content_type = g_strdup ("application/json");
  return task;
}

static char *
enqueue_task (Fixture   *fixture,
              FerryTask *task)
{
  return ferry_test_manager_enqueue (&fixture->base, task);
}

static char *
enqueue_path (Fixture    *fixture,
              const char *path)
{
  g_autoptr(FerryTask) task = new_task (fixture, path);

  return enqueue_task (fixture, task);
}

static FerryTask *
get_task (Fixture    *fixture,
          const char *id)
{
  return ferry_test_manager_dup_task (&fixture->base, id);
}

static FerryTaskState
task_state (Fixture    *fixture,
            const char *id)
{
  return ferry_test_manager_task_state (&fixture->base, id);
}

static void
start (Fixture *fixture)
{
  ferry_test_manager_start (&fixture->base);
}

static guint
count_events (Fixture    *fixture,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < fixture->events->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix))
        n++;
    }
  return n;
}

/* Waits until the manager has settled: nothing running or due. */
static gboolean
manager_is_quiet (gpointer user_data)
{
  Fixture *fixture = user_data;
  guint done, total;

  ferry_sync_manager_get_progress (fixture->base.manager, &done, &total);
  return ferry_sync_manager_get_state (fixture->base.manager) != FERRY_SYNC_STATE_SYNCING &&
         ferry_test_server_get_in_flight (fixture->server) == 0;
}

/* Requests to @path other than GETs: the conflict settling fetches the
 * server's copy with a GET, which is not a delivery. */
static guint
count_deliveries (Fixture    *fixture,
                  const char *path)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      if (!g_str_equal (request->method, "GET"))
        n++;
    }
  return n;
}

/* Deliveries that came on a new connection. */
static guint
count_fresh_deliveries (Fixture    *fixture,
                        const char *path)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      if (!g_str_equal (request->method, "GET") && !request->reused)
        n++;
    }
  return n;
}

static GPtrArray *
dup_deliveries (Fixture    *fixture,
                const char *path)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);
  GPtrArray *out = g_ptr_array_new ();

  /* The requests stay alive in @requests' elements, which move over. */
  g_ptr_array_set_free_func (out, (GDestroyNotify) ferry_test_request_free);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      if (!g_str_equal (request->method, "GET"))
        g_ptr_array_add (out, g_ptr_array_steal_index (requests, i--));
    }
  return out;
}

/* Runs the loop for a while and asserts the server saw nothing new: used
 * where the point is that nothing is sent. */
static void
assert_nothing_sent_for (Fixture *fixture,
                         guint    before,
                         guint    milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    ferry_test_iterate_briefly ();
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, NULL), ==, before);
}

/* Tests ------------------------------------------------------------------- */

static void
test_delivers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;

  start (fixture);
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (ids, enqueue_path (fixture, "/notes"));
  g_assert_cmpuint (ferry_sync_manager_get_pending_count (fixture->base.manager), ==, 10);

  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 10, WAIT_MS);
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);

  requests = ferry_test_server_dup_requests (fixture->server, "/notes");
  g_assert_cmpuint (requests->len, ==, 10);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(FerryTask) task = get_task (fixture, g_ptr_array_index (ids, i));
      gboolean found = FALSE;

      g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
      g_assert_cmpuint (task->attempts, ==, 1);
      g_assert_cmpuint (task->response_status, ==, 200);
      g_assert_nonnull (task->idempotency_key);
      for (guint j = 0; j < requests->len; j++)
        {
          FerryTestRequest *request = g_ptr_array_index (requests, j);

          if (g_strcmp0 (request->idempotency_key, task->idempotency_key) == 0)
            {
              g_assert_false (found);
              found = TRUE;
              g_assert_cmpstr (request->method, ==, "POST");
              g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==,
                               "application/json");
              g_assert_cmpmem (g_bytes_get_data (request->body, NULL),
                               g_bytes_get_size (request->body), "{\"note\":1}", 10);
            }
        }
      g_assert_true (found);
    }

  g_assert_cmpuint (count_events (fixture, "added:"), ==, 10);
  g_assert_cmpuint (ferry_sync_manager_get_pending_count (fixture->base.manager), ==, 0);
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==, FERRY_SYNC_STATE_IDLE);
  g_assert_cmpuint (fixture->runs_started, >=, 1);
  g_assert_cmpuint (fixture->runs_finished, ==, fixture->runs_started);
  g_assert_cmpint (ferry_sync_manager_get_last_sync_time (fixture->base.manager), >, 0);
  g_assert_cmpint (ferry_sync_manager_get_next_sync_time (fixture->base.manager), ==, 0);
}

typedef struct
{
  const char     *path;
  const char     *script;       /* "status", "reset", "stall" */
  guint           status;
  const char     *headers;
  FerryTaskState  expected;
  guint           attempts;     /* expected attempts counted */
  const char     *error_part;   /* expected in last_error, or NULL */
} OutcomeRow;

/* The outcome table end to end: each scripted answer leads to the state
 * DESIGN.md's table names.  max-attempts is 2, so a transient answer that
 * repeats ends in failed after two attempts. */
static const OutcomeRow outcome_rows[] = {
  { "/o/200", "status", 200, NULL, FERRY_TASK_STATE_SUCCEEDED, 1, NULL },
  { "/o/201", "status", 201, NULL, FERRY_TASK_STATE_SUCCEEDED, 1, NULL },
  { "/o/204", "status", 204, NULL, FERRY_TASK_STATE_SUCCEEDED, 1, NULL },
  { "/o/400", "status", 400, NULL, FERRY_TASK_STATE_FAILED, 1, "400" },
  { "/o/404", "status", 404, NULL, FERRY_TASK_STATE_FAILED, 1, "404" },
  { "/o/405", "status", 405, NULL, FERRY_TASK_STATE_FAILED, 1, "405" },
  { "/o/410", "status", 410, NULL, FERRY_TASK_STATE_FAILED, 1, "410" },
  { "/o/422", "status", 422, NULL, FERRY_TASK_STATE_FAILED, 1, "422" },
  { "/o/401", "status", 401, NULL, FERRY_TASK_STATE_AUTH_REQUIRED, 1, "401" },
  { "/o/403", "status", 403, NULL, FERRY_TASK_STATE_AUTH_REQUIRED, 1, "403" },
  { "/o/409", "status", 409, NULL, FERRY_TASK_STATE_CONFLICT, 1, "409" },
  { "/o/412", "status", 412, NULL, FERRY_TASK_STATE_CONFLICT, 1, "412" },
  { "/o/500", "status", 500, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up after 2 attempts" },
  { "/o/502", "status", 502, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/503", "status", 503, "Retry-After: 0", FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/504", "status", 504, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/408", "status", 408, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/429", "status", 429, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/reset", "reset", 0, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
  { "/o/stall", "stall", 0, NULL, FERRY_TASK_STATE_FAILED, 2, "gave up" },
};

static void
script_row (Fixture          *fixture,
            const OutcomeRow *row)
{
  for (guint n = 0; n < 2; n++)
    {
      if (g_str_equal (row->script, "reset"))
        ferry_test_server_set_default_reset (fixture->server, row->path);
      else if (g_str_equal (row->script, "stall"))
        ferry_test_server_push_stall (fixture->server, row->path, 2500);
      else
        ferry_test_server_push_reply (fixture->server, row->path, row->status, row->headers,
                                      "answer");
    }
}

static void
test_outcome_table (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_object_set (fixture->base.manager, "max-attempts", 2, "max-concurrency", 8, NULL);
  start (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (outcome_rows); i++)
    {
      script_row (fixture, &outcome_rows[i]);
      g_ptr_array_add (ids, enqueue_path (fixture, outcome_rows[i].path));
    }

  for (guint i = 0; i < G_N_ELEMENTS (outcome_rows); i++)
    {
      const OutcomeRow *row = &outcome_rows[i];
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(FerryTask) task = NULL;

      g_test_message ("row %s", row->path);
      FERRY_TEST_WAIT (task_state (fixture, id) == row->expected, WAIT_MS);
      task = get_task (fixture, id);
      g_assert_cmpuint (task->attempts, ==, row->attempts);
      if (row->error_part != NULL)
        {
          g_assert_nonnull (task->last_error);
          g_assert_nonnull (strstr (task->last_error, row->error_part));
        }
      if (row->status != 0 && row->expected != FERRY_TASK_STATE_SUCCEEDED)
        g_assert_cmpuint (task->last_status, ==, row->status);
      if (g_str_equal (row->script, "reset"))
        {
          /* A reset on a reused connection is sent again at once on a new
           * one, at no attempt's cost: each attempt ends on a new one. */
          g_assert_cmpuint (count_fresh_deliveries (fixture, row->path), ==, row->attempts);
          g_assert_cmpuint (count_deliveries (fixture, row->path), <=, 2 * row->attempts);
        }
      else
        g_assert_cmpuint (count_deliveries (fixture, row->path), ==, row->attempts);
    }

  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
  g_assert_cmpuint (ferry_sync_manager_get_failed_count (fixture->base.manager), ==, 13);
  g_assert_cmpuint (ferry_sync_manager_get_conflict_count (fixture->base.manager), ==, 2);
  g_assert_cmpuint (ferry_sync_manager_get_auth_count (fixture->base.manager), ==, 2);
  g_assert_cmpuint (ferry_sync_manager_get_pending_count (fixture->base.manager), ==, 0);
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==,
                   FERRY_SYNC_STATE_ATTENTION);
  g_assert_cmpuint (count_events (fixture, "conflict:"), ==, 2);
  g_assert_cmpuint (count_events (fixture, "failed:"), ==, 13);
}

static void
test_transient_then_success (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  start (fixture);
  ferry_test_server_push_reply (fixture->server, "/flaky", 500, NULL, "oops");
  /* Cut in the middle of its answer: a network failure that costs an
   * attempt even on a reused connection. */
  ferry_test_server_push_cut (fixture->server, "/flaky");
  ferry_test_server_push_reply (fixture->server, "/flaky", 503, NULL, "busy");
  id = enqueue_path (fixture, "/flaky");

  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpuint (task->attempts, ==, 4);
  g_assert_cmpuint (fixture->retries, ==, 3);

  /* Each attempt is in the task's history, oldest first. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) history = ferry_sync_manager_dup_attempts (fixture->base.manager, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (history->len, ==, 4);
    g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 0).status, ==, 500);
    g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 1).status, ==, 0);
    g_assert_nonnull (g_array_index (history, FerryAttemptRecord, 1).error);
    g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 2).status, ==, 503);
    g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 3).status, ==, 200);
    g_assert_null (g_array_index (history, FerryAttemptRecord, 3).error);
    for (guint i = 1; i < history->len; i++)
      g_assert_cmpint (g_array_index (history, FerryAttemptRecord, i).at, >=,
                       g_array_index (history, FerryAttemptRecord, i - 1).at);
  }

  /* Every delivery of the same task carried the same key. */
  requests = ferry_test_server_dup_requests (fixture->server, "/flaky");
  g_assert_cmpuint (requests->len, ==, 4);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (request->idempotency_key, ==, task->idempotency_key);
    }
}

/* Retry-After is honoured exactly (no jitter), within the cap. */
/* Hundreds of PUTs to a kept-alive server that drops a tenth of its
 * connections after applying the request and answers a fifth with 503:
 * every change arrives, with its own body on every copy, and a dropped
 * reused connection costs no attempt. */
static void
test_resets_and_errors_under_load (Fixture       *fixture,
                                   gconstpointer  data)
{
  enum { N = 300 };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  guint errors[N] = { 0 };

  g_object_set (fixture->base.manager, "max-concurrency", 4, NULL);
  start (fixture);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/docs/%u", i);
      g_autoptr(FerryTask) task = new_task (fixture, path);
      g_autofree char *text = g_strdup_printf ("{\"doc\":%u,\"pad\":\"%0*u\"}", i, 64 + i, i);

      if (g_rand_int_range (rand, 0, 10) == 0)
        ferry_test_server_push_reset_reused (fixture->server, path);
      while (g_rand_int_range (rand, 0, 5) == 0)
        {
          ferry_test_server_push_reply (fixture->server, path, 503, NULL, "busy");
          errors[i]++;
        }
      g_free (task->method);
      task->method = g_strdup ("PUT");
      g_clear_pointer (&task->body, g_bytes_unref);
      task->body = g_bytes_new (text, strlen (text));
      g_ptr_array_add (bodies, g_bytes_ref (task->body));
      g_ptr_array_add (ids, enqueue_task (fixture, task));
    }

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/docs/%u", i);
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(GPtrArray) requests = NULL;
      g_autoptr(FerryTask) task = NULL;

      FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
      task = get_task (fixture, id);
      g_assert_cmpuint (task->attempts, ==, errors[i] + 1);
      requests = ferry_test_server_dup_requests (fixture->server, path);
      g_assert_cmpuint (requests->len, >=, errors[i] + 1);
      for (guint r = 0; r < requests->len; r++)
        {
          FerryTestRequest *request = g_ptr_array_index (requests, r);

          g_assert_cmpstr (request->method, ==, "PUT");
          g_assert_true (g_bytes_equal (request->body, g_ptr_array_index (bodies, i)));
          g_assert_cmpstr (request->idempotency_key, ==, task->idempotency_key);
        }
    }
  g_assert_cmpuint (ferry_sync_manager_get_failed_count (fixture->base.manager), ==, 0);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *capped = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryTask) capped_task = NULL;
  gint64 before;

  g_object_set (fixture->base.manager, "backoff-max", (gint64) 3600 * G_USEC_PER_SEC, NULL);
  start (fixture);
  ferry_test_server_push_reply (fixture->server, "/later", 503, "Retry-After: 120", "busy");
  ferry_test_server_push_reply (fixture->server, "/much-later", 429, "Retry-After: 999999", NULL);
  before = g_get_real_time ();
  id = enqueue_path (fixture, "/later");
  capped = enqueue_path (fixture, "/much-later");

  FERRY_TEST_WAIT (fixture->retries == 2, WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_PENDING);
  g_assert_cmpuint (task->attempts, ==, 1);
  g_assert_cmpint (task->next_attempt - task->updated, ==, (gint64) 120 * G_USEC_PER_SEC);
  g_assert_cmpint (task->next_attempt, >=, before + (gint64) 120 * G_USEC_PER_SEC);

  capped_task = get_task (fixture, capped);
  g_assert_cmpint (capped_task->next_attempt - capped_task->updated, ==,
                   (gint64) 3600 * G_USEC_PER_SEC);

  /* The one timer is armed for the earliest of them (by the pass that
   * follows the second outcome). */
  FERRY_TEST_WAIT (ferry_sync_manager_get_next_sync_time (fixture->base.manager) ==
                   task->next_attempt, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/later"), ==, 1);
}

/* With a manual clock the retry waits until its time has come, and then
 * runs without anything else poking the manager. */
static void
test_backoff_waits_for_clock (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;
  gint64 wait;

  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) 3600 * G_USEC_PER_SEC,
                "backoff-max", (gint64) 3600 * G_USEC_PER_SEC,
                NULL);
  start (fixture);
  ferry_test_server_push_reply (fixture->server, "/b", 500, NULL, NULL);
  id = enqueue_path (fixture, "/b");
  FERRY_TEST_WAIT (fixture->retries == 1, WAIT_MS);

  task = get_task (fixture, id);
  wait = task->next_attempt - ferry_clock_get_now (fixture->base.clock);
  g_assert_cmpint (wait, >=, 0);
  g_assert_cmpint (wait, <=, (gint64) 3600 * G_USEC_PER_SEC);

  if (wait > 1)
    {
      ferry_clock_advance (fixture->base.clock, wait - 1);
      assert_nothing_sent_for (fixture, 1, 200);
    }
  ferry_clock_advance (fixture->base.clock, 1);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/b"), ==, 2);
}

static void
test_group_order (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;

  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/edits");
      g_autofree char *id = NULL;

      task->group = g_strdup ("note-42");
      task->idempotency_key = g_strdup_printf ("edit-%02u", i);
      id = enqueue_task (fixture, task);
      g_ptr_array_add (keys, g_strdup_printf ("edit-%02u", i));
    }
  ferry_sync_manager_resume (fixture->base.manager);

  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 20, WAIT_MS);
  requests = ferry_test_server_dup_requests (fixture->server, "/edits");
  g_assert_cmpuint (requests->len, ==, 20);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (request->idempotency_key, ==, g_ptr_array_index (keys, i));
    }
  /* Strictly one at a time inside the group. */
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (fixture->server), ==, 1);
}

/* The scheduler looks a few tasks ahead of the free slots; what it found
 * must never outrun the queue's order.  A grouped task that succeeds lets
 * the next one of its group go, before tasks enqueued after it. */
static void
test_look_ahead_group_order (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char * const expected[] = {
    "a1", "a2", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
  };
  g_autoptr(GPtrArray) requests = NULL;

  /* No pass but those the queue itself asks for. */
  g_object_set (fixture->base.manager, "max-concurrency", 1, "enqueue-debounce", 60000, NULL);
  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/ahead");
      g_autofree char *id = NULL;

      if (expected[i][0] == 'a')
        task->group = g_strdup ("a");
      task->idempotency_key = g_strdup (expected[i]);
      id = enqueue_task (fixture, task);
    }
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == G_N_ELEMENTS (expected), WAIT_MS);

  requests = ferry_test_server_dup_requests (fixture->server, "/ahead");
  g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (((FerryTestRequest *) g_ptr_array_index (requests, i))->idempotency_key,
                     ==, expected[i]);
}

/* While tasks wait behind one in flight, a more urgent one goes first, a
 * replaced one goes with its new request, and a cancelled one is never
 * sent. */
static void
test_look_ahead_changes (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(FerryTask) named = NULL;
  g_autoptr(FerryTask) replacement = NULL;
  g_autoptr(FerryTask) urgent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *named_id = NULL;
  g_autofree char *urgent_id = NULL;
  FerryTestRequest *request;

  /* No pass but those the queue itself asks for. */
  g_object_set (fixture->base.manager, "max-concurrency", 1, "enqueue-debounce", 60000, NULL);
  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  ferry_test_server_hold (fixture->server, "/first");
  g_free (enqueue_path (fixture, "/first"));
  for (guint i = 0; i < 5; i++)
    g_free (enqueue_path (fixture, "/later"));
  named = new_task (fixture, "/named");
  named->name = g_strdup ("draft");
  named_id = enqueue_task (fixture, named);
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);

  replacement = new_task (fixture, "/named");
  replacement->name = g_strdup ("draft");
  g_clear_pointer (&replacement->body, g_bytes_unref);
  replacement->body = g_bytes_new_static ("new", 3);
  g_free (replacement->content_type);
  replacement->content_type = g_strdup ("text/plain");
  replacement->unique = FERRY_UNIQUE_REPLACE;
  g_free (enqueue_task (fixture, replacement));
  urgent = new_task (fixture, "/urgent");
  urgent->priority = FERRY_PRIORITY_CRITICAL;
  urgent_id = enqueue_task (fixture, urgent);

  ferry_test_server_release (fixture->server, "/first");
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 8, WAIT_MS);
  requests = ferry_test_server_dup_requests (fixture->server, NULL);
  g_assert_cmpuint (requests->len, ==, 8);
  g_assert_cmpstr (((FerryTestRequest *) g_ptr_array_index (requests, 0))->path, ==, "/first");
  g_assert_cmpstr (((FerryTestRequest *) g_ptr_array_index (requests, 1))->path, ==, "/urgent");
  request = g_ptr_array_index (requests, 7);
  g_assert_cmpstr (request->path, ==, "/named");
  g_assert_cmpmem (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                   "new", 3);
  g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==, "text/plain");

  /* A cancelled task is never sent. */
  ferry_sync_manager_pause (fixture->base.manager);
  ferry_test_server_hold (fixture->server, "/second");
  g_free (enqueue_path (fixture, "/second"));
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (ids, enqueue_path (fixture, "/more"));
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);
  g_assert_true (ferry_sync_manager_cancel (fixture->base.manager, g_ptr_array_index (ids, 2),
                                            &error));
  g_assert_no_error (error);
  ferry_test_server_release (fixture->server, "/second");
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 13, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/more"), ==, 4);
  g_assert_cmpint (task_state (fixture, g_ptr_array_index (ids, 2)), ==,
                   FERRY_TASK_STATE_CANCELLED);
}

/* Outcomes are written in batches, but a run that ends leaves none
 * unwritten: another reader of the database sees them all. */
static void
test_outcomes_written_by_run_end (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "tasks.db", NULL);
  g_autoptr(FerryTaskStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[FERRY_N_TASK_STATES];

  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < 100; i++)
    {
      if (i % 10 == 5)
        ferry_test_server_push_reply (fixture->server, "/batch", 404, NULL, NULL);
      g_free (enqueue_path (fixture, "/batch"));
    }
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (fixture->runs_finished >= 1 &&
                   ferry_sync_manager_get_pending_count (fixture->base.manager) == 0, WAIT_MS);

  reader = ferry_task_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_task_store_count_states (reader, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_SUCCEEDED], ==, 90);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_FAILED], ==, 10);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_PENDING], ==, 0);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_RUNNING], ==, 0);
}

/* Outcomes that cannot be written yet (the database is locked by another
 * process for longer than the store waits) stay in memory and are written
 * later; meanwhile their tasks are not taken for waiting ones and sent
 * again. */
static void
test_outcome_written_later (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "tasks.db", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  sqlite3 *db = NULL;

  /* The store waits 5 s for the lock, blocking the loop: the answer must
   * not time out meanwhile. */
  g_object_set (fixture->base.executor, "timeout", 60, NULL);
  start (fixture);
  ferry_test_server_hold (fixture->server, "/once");
  first = enqueue_path (fixture, "/once");
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_test_expect_message ("ferry-outbox-outcomes", G_LOG_LEVEL_WARNING,
                         "Cannot record the outcome of *");
  ferry_test_server_release (fixture->server, "/once");
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 1, WAIT_MS);
  FERRY_TEST_WAIT (fixture->runs_finished == 1, WAIT_MS);
  g_test_assert_expected_messages ();
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* The next pass writes it, and only the new task is sent. */
  second = enqueue_path (fixture, "/next");
  FERRY_TEST_WAIT (task_state (fixture, second) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpint (task_state (fixture, first), ==, FERRY_TASK_STATE_SUCCEEDED);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/once"), ==, 1);
  g_assert_cmpuint (count_events (fixture, "succeeded:"), ==, 2);
}

static void
test_parallel_groups (Fixture       *fixture,
                      gconstpointer  data)
{
  start (fixture);
  ferry_test_server_hold (fixture->server, "/held");
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/held");
      g_autofree char *id = NULL;

      task->group = g_strdup_printf ("doc-%u", i);
      id = enqueue_task (fixture, task);
    }

  /* The concurrency limit (4) fills and is not exceeded. */
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 4, WAIT_MS);
  assert_nothing_sent_for (fixture, 4, 100);
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==,
                   FERRY_SYNC_STATE_SYNCING);
  g_assert_cmpuint (ferry_sync_manager_get_pending_count (fixture->base.manager), ==, 10);

  ferry_test_server_release (fixture->server, "/held");
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 10, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (fixture->server), ==, 4);
}

static void
test_priority (Fixture       *fixture,
               gconstpointer  data)
{
  static const FerryPriority order[] = {
    FERRY_PRIORITY_LOW, FERRY_PRIORITY_HIGH, FERRY_PRIORITY_MEDIUM,
    FERRY_PRIORITY_CRITICAL, FERRY_PRIORITY_HIGH, FERRY_PRIORITY_LOW,
  };
  static const char * const expected[] = { "3", "1", "4", "2", "0", "5" };
  g_autoptr(GPtrArray) requests = NULL;

  g_object_set (fixture->base.manager, "max-concurrency", 1, NULL);
  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/p");
      g_autofree char *id = NULL;

      task->priority = order[i];
      task->idempotency_key = g_strdup_printf ("%u", i);
      id = enqueue_task (fixture, task);
    }
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == G_N_ELEMENTS (order), WAIT_MS);

  /* Higher priority first; equal priority oldest first. */
  requests = ferry_test_server_dup_requests (fixture->server, "/p");
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (((FerryTestRequest *) g_ptr_array_index (requests, i))->idempotency_key,
                     ==, expected[i]);
}

static void
enqueue_in_group (Fixture    *fixture,
                  const char *group,
                  const char *path,
                  char      **out_id)
{
  g_autoptr(FerryTask) task = new_task (fixture, path);

  task->group = g_strdup (group);
  *out_id = enqueue_task (fixture, task);
}

/* A failed, conflicted or auth-held head holds its group, and only it. */
static void
test_head_holds_group (Fixture       *fixture,
                       gconstpointer  data)
{
  static const guint statuses[] = { 404, 409, 401 };

  start (fixture);
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autofree char *head = NULL;
      g_autofree char *second = NULL;
      g_autofree char *other = NULL;
      g_autofree char *group = g_strdup_printf ("held-%u", statuses[s]);
      g_autofree char *path = g_strdup_printf ("/head/%u", statuses[s]);
      g_autofree char *other_group = g_strdup_printf ("free-%u", statuses[s]);
      g_autoptr(GError) error = NULL;

      ferry_test_server_push_reply (fixture->server, path, statuses[s], NULL, NULL);
      enqueue_in_group (fixture, group, path, &head);
      enqueue_in_group (fixture, group, "/second", &second);
      enqueue_in_group (fixture, other_group, "/other", &other);

      FERRY_TEST_WAIT (task_state (fixture, other) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
      FERRY_TEST_WAIT (task_state (fixture, head) != FERRY_TASK_STATE_PENDING &&
                       task_state (fixture, head) != FERRY_TASK_STATE_RUNNING, WAIT_MS);
      FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
      g_assert_cmpint (task_state (fixture, second), ==, FERRY_TASK_STATE_PENDING);
      g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/second"), ==, s);

      /* Cancelling the head lets the group move on. */
      ferry_sync_manager_cancel (fixture->base.manager, head, &error);
      g_assert_no_error (error);
      FERRY_TEST_WAIT (task_state (fixture, second) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
    }
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;

  ferry_test_network_monitor_set_state (fixture->base.network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  start (fixture);
  id = enqueue_path (fixture, "/offline");
  assert_nothing_sent_for (fixture, 0, 200);
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==,
                   FERRY_SYNC_STATE_OFFLINE);
  g_assert_false (ferry_sync_manager_get_online (fixture->base.manager));
  task = get_task (fixture, id);
  g_assert_cmpuint (task->attempts, ==, 0);

  /* While it waits for the network, nobody knows when it goes: an
   * automatic run sends nothing while offline, so it is no next sync. */
  g_object_set (fixture->base.manager, "auto-sync-interval", 60, NULL);
  ferry_sync_manager_sync_now (fixture->base.manager);
  assert_nothing_sent_for (fixture, 0, 200);
  g_assert_cmpint (ferry_sync_manager_get_next_sync_time (fixture->base.manager), ==, 0);

  /* Back online: delivered without anything else asking. */
  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_true (ferry_sync_manager_get_online (fixture->base.manager));
}

/* Behind a captive portal only loopback is sent; with limited connectivity
 * a host goes only once the monitor says it can be reached. */
static void
test_portal_and_limited (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(FerryTask) remote_task = NULL;
  g_autoptr(FerryTask) task = NULL;

  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_PORTAL,
                                        FALSE);
  start (fixture);
  task = ferry_task_new ();
  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("PUT");
  task->url = g_strdup ("http://ferry-unreachable.invalid/x");
  remote = enqueue_task (fixture, task);
  local = enqueue_path (fixture, "/loopback");

  FERRY_TEST_WAIT (task_state (fixture, local) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  assert_nothing_sent_for (fixture, 1, 200);
  remote_task = get_task (fixture, remote);
  g_assert_cmpint (remote_task->state, ==, FERRY_TASK_STATE_PENDING);
  g_assert_cmpuint (remote_task->attempts, ==, 0);
  g_assert_false (ferry_sync_manager_get_online (fixture->base.manager));
  /* A portal never even asks whether the host is reachable. */
  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (fixture->base.network), ==, 0);

  /* Limited: the host is probed, found unreachable, not sent. */
  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_LIMITED,
                                        FALSE);
  FERRY_TEST_WAIT (ferry_test_network_monitor_get_reach_calls (fixture->base.network) >= 1,
                   WAIT_MS);
  assert_nothing_sent_for (fixture, 1, 200);
  g_clear_pointer (&remote_task, ferry_task_unref);
  remote_task = get_task (fixture, remote);
  g_assert_cmpuint (remote_task->attempts, ==, 0);

  /* Once reachable it is attempted (and, the name being .invalid, the
   * attempt fails at DNS and counts). */
  ferry_test_network_monitor_add_reachable (fixture->base.network, "ferry-unreachable.invalid");
  FERRY_TEST_WAIT (fixture->retries >= 1, WAIT_MS);
  g_clear_pointer (&remote_task, ferry_task_unref);
  remote_task = get_task (fixture, remote);
  g_assert_cmpuint (remote_task->attempts, ==, 1);
}

static void
test_metered (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *normal = NULL;
  g_autofree char *wifi_only = NULL;
  g_autoptr(FerryTask) task = new_task (fixture, "/big-upload");

  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        TRUE);
  start (fixture);
  task->unmetered_only = TRUE;
  wifi_only = enqueue_task (fixture, task);
  normal = enqueue_path (fixture, "/small");

  FERRY_TEST_WAIT (task_state (fixture, normal) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  assert_nothing_sent_for (fixture, 1, 200);
  g_assert_cmpint (task_state (fixture, wifi_only), ==, FERRY_TASK_STATE_PENDING);
  g_assert_true (ferry_sync_manager_get_metered (fixture->base.manager));

  /* "Sync on metered networks" off: nothing at all goes. */
  g_object_set (fixture->base.manager, "sync-on-metered", FALSE, NULL);
  g_free (normal);
  normal = enqueue_path (fixture, "/small");
  assert_nothing_sent_for (fixture, 1, 200);

  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  FERRY_TEST_WAIT (task_state (fixture, wifi_only) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  FERRY_TEST_WAIT (task_state (fixture, normal) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
}

static void
test_power_saver (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) urgent = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *low = NULL;
  g_autofree char *medium = NULL;

  ferry_test_power_monitor_set_power_saver (fixture->base.power, TRUE);
  start (fixture);
  ferry_test_server_hold (fixture->server, "/urgent");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/urgent");

      task->priority = i == 0 ? FERRY_PRIORITY_CRITICAL : FERRY_PRIORITY_HIGH;
      g_ptr_array_add (urgent, enqueue_task (fixture, task));
    }
  low = enqueue_path (fixture, "/low");
  {
    g_autoptr(FerryTask) task = new_task (fixture, "/medium");

    task->priority = FERRY_PRIORITY_MEDIUM;
    medium = enqueue_task (fixture, task);
  }

  /* One at a time, urgent only. */
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);
  assert_nothing_sent_for (fixture, 1, 100);
  ferry_test_server_release (fixture->server, "/urgent");
  for (guint i = 0; i < urgent->len; i++)
    FERRY_TEST_WAIT (task_state (fixture, g_ptr_array_index (urgent, i)) ==
                     FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (fixture->server), ==, 1);
  assert_nothing_sent_for (fixture, 3, 200);
  g_assert_cmpint (task_state (fixture, low), ==, FERRY_TASK_STATE_PENDING);

  ferry_test_power_monitor_set_power_saver (fixture->base.power, FALSE);
  FERRY_TEST_WAIT (task_state (fixture, low) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  FERRY_TEST_WAIT (task_state (fixture, medium) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
}

/* A request cut off because the network went away costs no attempt. */
static void
test_offline_attempt_is_free (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;

  start (fixture);
  ferry_test_server_push_stall (fixture->server, "/cut", 3000);
  id = enqueue_path (fixture, "/cut");
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);
  ferry_test_network_monitor_set_state (fixture->base.network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  /* The executor times out after 1 s. */
  FERRY_TEST_WAIT (count_events (fixture, "retry:") == 0 &&
                   task_state (fixture, id) == FERRY_TASK_STATE_PENDING &&
                   ferry_sync_manager_get_state (fixture->base.manager) == FERRY_SYNC_STATE_OFFLINE,
                   WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpuint (task->attempts, ==, 0);
}

static void
test_debounce (Fixture       *fixture,
               gconstpointer  data)
{
  g_object_set (fixture->base.manager, "enqueue-debounce", 100, NULL);
  start (fixture);
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
  for (guint i = 0; i < 50; i++)
    g_free (enqueue_path (fixture, "/burst"));
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 50, WAIT_MS);
  FERRY_TEST_WAIT (fixture->runs_finished == fixture->runs_started, WAIT_MS);
  /* A burst of enqueues makes one run. */
  g_assert_cmpuint (fixture->runs_started, ==, 1);
  g_assert_cmpuint (fixture->last_summary.succeeded, ==, 50);
}

static void
test_sync_now_and_interval (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* A debounce so long that only another trigger can start the run. */
  g_object_set (fixture->base.manager, "enqueue-debounce", 60000, NULL);
  start (fixture);
  /* Let the first pass that start() schedules go by. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  first = enqueue_path (fixture, "/manual");
  assert_nothing_sent_for (fixture, 0, 200);
  ferry_sync_manager_sync_now (fixture->base.manager);
  FERRY_TEST_WAIT (task_state (fixture, first) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  FERRY_TEST_WAIT (fixture->runs_finished == 1, WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  second = enqueue_path (fixture, "/interval");
  assert_nothing_sent_for (fixture, 1, 200);
  g_object_set (fixture->base.manager, "auto-sync-interval", 1, NULL);
  FERRY_TEST_WAIT (task_state (fixture, second) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
}

/* A task waiting out a long backoff is tried at once when the person asks
 * to sync now, and when the network comes back. */
static void
test_waiting_tasks_woken (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;

  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) 3600 * G_USEC_PER_SEC,
                "backoff-max", (gint64) 3600 * G_USEC_PER_SEC,
                NULL);
  start (fixture);
  ferry_test_server_push_reply (fixture->server, "/wake", 503, "Retry-After: 3000", NULL);
  ferry_test_server_push_reply (fixture->server, "/wake", 503, "Retry-After: 3000", NULL);
  id = enqueue_path (fixture, "/wake");
  FERRY_TEST_WAIT (fixture->retries == 1, WAIT_MS);
  assert_nothing_sent_for (fixture, 1, 100);

  ferry_sync_manager_sync_now (fixture->base.manager);
  FERRY_TEST_WAIT (fixture->retries == 2, WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpuint (task->attempts, ==, 2);
  g_assert_cmpint (task->next_attempt - task->updated, ==, (gint64) 3000 * G_USEC_PER_SEC);

  /* Offline and back: tried again without waiting the 3000 s. */
  ferry_test_network_monitor_set_state (fixture->base.network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  assert_nothing_sent_for (fixture, 2, 100);
  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/wake"), ==, 3);
}

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *held = NULL;
  g_autoptr(FerryTask) task = NULL;

  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  g_assert_true (ferry_sync_manager_get_paused (fixture->base.manager));
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==,
                   FERRY_SYNC_STATE_PAUSED);
  id = enqueue_path (fixture, "/paused");
  assert_nothing_sent_for (fixture, 0, 200);
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);

  /* Pausing stops an attempt in flight; it costs nothing. */
  ferry_test_server_hold (fixture->server, "/in-flight");
  held = enqueue_path (fixture, "/in-flight");
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);
  ferry_sync_manager_pause (fixture->base.manager);
  FERRY_TEST_WAIT (task_state (fixture, held) == FERRY_TASK_STATE_PENDING, WAIT_MS);
  task = get_task (fixture, held);
  g_assert_cmpuint (task->attempts, ==, 0);
  ferry_test_server_release (fixture->server, "/in-flight");
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (task_state (fixture, held) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  guint done, total;

  g_object_set (fixture->base.manager, "max-concurrency", 2, NULL);
  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < 30; i++)
    {
      if (i % 7 == 3)
        ferry_test_server_push_reply (fixture->server, "/progress", 500, NULL, NULL);
      g_free (enqueue_path (fixture, "/progress"));
    }
  g_array_set_size (fixture->progress, 0);
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 30, WAIT_MS);
  FERRY_TEST_WAIT (fixture->runs_finished >= 1, WAIT_MS);

  /* Within the run, done and total never go down; it ends at done == total. */
  g_assert_cmpuint (fixture->progress->len, >, 2);
  for (guint i = 2; i < fixture->progress->len; i += 2)
    {
      g_assert_cmpuint (g_array_index (fixture->progress, guint, i), >=,
                        g_array_index (fixture->progress, guint, i - 2));
      g_assert_cmpuint (g_array_index (fixture->progress, guint, i + 1), >=,
                        g_array_index (fixture->progress, guint, i - 1));
      g_assert_cmpuint (g_array_index (fixture->progress, guint, i), <=,
                        g_array_index (fixture->progress, guint, i + 1));
    }
  ferry_sync_manager_get_progress (fixture->base.manager, &done, &total);
  g_assert_cmpuint (done, ==, 30);
  g_assert_cmpuint (total, ==, 30);
}

static void
test_unique_names (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FerryTask) first = new_task (fixture, "/draft");
  g_autoptr(FerryTask) second = new_task (fixture, "/draft");
  g_autoptr(FerryTask) third = new_task (fixture, "/draft");
  g_autoptr(FerryTask) fourth = new_task (fixture, "/draft");
  g_autoptr(FerryTask) stored = NULL;
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autofree char *id4 = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint count = 0;

  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  first->name = g_strdup ("draft-7");
  id1 = enqueue_task (fixture, first);

  second->name = g_strdup ("draft-7");
  g_clear_pointer (&second->body, g_bytes_unref);
  second->body = g_bytes_new_static ("v2", 2);
  id2 = enqueue_task (fixture, second);
  g_assert_cmpstr (id2, ==, id1);

  third->name = g_strdup ("draft-7");
  third->unique = FERRY_UNIQUE_KEEP;
  g_clear_pointer (&third->body, g_bytes_unref);
  third->body = g_bytes_new_static ("v3", 2);
  id3 = enqueue_task (fixture, third);
  g_assert_cmpstr (id3, ==, id1);

  fourth->name = g_strdup ("draft-7");
  fourth->unique = FERRY_UNIQUE_APPEND;
  fourth->group = g_strdup ("drafts");
  g_clear_pointer (&fourth->body, g_bytes_unref);
  fourth->body = g_bytes_new_static ("v4", 2);
  id4 = enqueue_task (fixture, fourth);
  g_assert_cmpstr (id4, !=, id1);

  g_assert_true (ferry_sync_manager_count (fixture->base.manager, NULL, &count, NULL));
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (ferry_sync_manager_get_pending_count (fixture->base.manager), ==, 2);
  stored = get_task (fixture, id1);
  g_assert_cmpmem (g_bytes_get_data (stored->body, NULL), g_bytes_get_size (stored->body),
                   "v2", 2);

  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 2, WAIT_MS);
  requests = ferry_test_server_dup_requests (fixture->server, "/draft");
  g_assert_cmpuint (requests->len, ==, 2);
}

typedef struct
{
  const char *field;
  void      (*spoil) (FerryTask *task);
} BadInput;

static void spoil_scheme (FerryTask *t) { g_free (t->url); t->url = g_strdup ("ftp://example.com/x"); }
static void spoil_relative (FerryTask *t) { g_free (t->url); t->url = g_strdup ("/just/a/path"); }
static void spoil_header_crlf (FerryTask *t) { ferry_task_add_header (t, "X-Evil", "a\r\nInjected: 1"); }
static void spoil_header_name (FerryTask *t) { ferry_task_add_header (t, "Bad\nName", "v"); }
static void spoil_method (FerryTask *t) { g_free (t->method); t->method = g_strdup ("GE T"); }
static void spoil_body (FerryTask *t)
{
  g_bytes_unref (t->body);
  t->body = g_bytes_new_take (g_malloc0 (FERRY_TASK_MAX_BODY_SIZE + 1),
                              FERRY_TASK_MAX_BODY_SIZE + 1);
}
static void spoil_empty_name (FerryTask *t) { t->name = g_strdup (""); }
static void spoil_long_group (FerryTask *t)
{
  t->group = g_malloc (FERRY_TASK_MAX_NAME_LENGTH + 2);
  memset (t->group, 'g', FERRY_TASK_MAX_NAME_LENGTH + 1);
  t->group[FERRY_TASK_MAX_NAME_LENGTH + 1] = '\0';
}
static void spoil_priority (FerryTask *t) { t->priority = (FerryPriority) 7; }

static const BadInput bad_inputs[] = {
  { "url", spoil_scheme },
  { "url", spoil_relative },
  { "headers", spoil_header_crlf },
  { "headers", spoil_header_name },
  { "method", spoil_method },
  { "body", spoil_body },
  { "name", spoil_empty_name },
  { "group", spoil_long_group },
  { "priority", spoil_priority },
};

static void
enqueue_async_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(FerryTask) task = NULL;

  task = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, error);
  g_assert_null (task);
  g_assert_nonnull (*error);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  guint count = 99;

  start (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/bad");
      g_autoptr(FerryTask) stored = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) async_error = NULL;

      bad_inputs[i].spoil (task);
      stored = ferry_sync_manager_enqueue (fixture->base.manager, task, &error);
      g_assert_null (stored);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, bad_inputs[i].field));

      ferry_sync_manager_enqueue_async (fixture->base.manager, task, NULL, enqueue_async_cb,
                                        &async_error);
      FERRY_TEST_WAIT (async_error != NULL, WAIT_MS);
      g_assert_error (async_error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
    }

  g_assert_true (ferry_sync_manager_count (fixture->base.manager, NULL, &count, NULL));
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpuint (count_events (fixture, "added:"), ==, 0);
  assert_nothing_sent_for (fixture, 0, 50);
}

typedef struct
{
  GPtrArray *ids;
  guint      pending;
} AsyncBatch;

static void
enqueue_ok_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncBatch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = ferry_sync_manager_enqueue_finish (FERRY_SYNC_MANAGER (object), result, &error);
  g_assert_no_error (error);
  g_ptr_array_add (batch->ids, g_strdup (task->id));
  batch->pending--;
}

/* Starts the manager paused, so it writes nothing of its own (an
 * attempt's outcome would), and counts the transactions in the store's
 * write-ahead log once start-up is over. */
static guint
start_paused_and_count_commits (Fixture *fixture,
                                guint32  out_salts[2])
{
  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  for (guint i = 0; i < 20; i++)
    ferry_test_iterate_briefly ();
  return ferry_test_count_wal_commits (ferry_task_store_get_path (fixture->base.store), out_salts);
}

/* Calls that arrive together are committed together, and each caller gets
 * its own stored task back.  "Together" is seen in the store's
 * write-ahead log: the 200 calls add one transaction to it. */
static void
test_group_commit (Fixture       *fixture,
                   gconstpointer  data)
{
  AsyncBatch batch = { g_ptr_array_new_with_free_func (g_free), 0 };
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  const char *db_path = ferry_task_store_get_path (fixture->base.store);
  guint32 salts_before[2];
  guint32 salts_after[2];
  guint commits_before;
  guint commits_after;

  commits_before = start_paused_and_count_commits (fixture, salts_before);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(FerryTask) task = new_task (fixture, "/together");

      batch.pending++;
      ferry_sync_manager_enqueue_async (fixture->base.manager, task, NULL, enqueue_ok_cb, &batch);
    }
  FERRY_TEST_WAIT (batch.pending == 0, WAIT_MS);
  g_assert_cmpuint (batch.ids->len, ==, 200);
  for (guint i = 0; i < batch.ids->len; i++)
    g_hash_table_add (distinct, g_ptr_array_index (batch.ids, i));
  g_assert_cmpuint (g_hash_table_size (distinct), ==, 200);

  /* The log did not start over in between, so the counts compare. */
  commits_after = ferry_test_count_wal_commits (db_path, salts_after);
  g_assert_cmphex (salts_after[0], ==, salts_before[0]);
  g_assert_cmphex (salts_after[1], ==, salts_before[1]);
  g_assert_cmpuint (commits_after - commits_before, ==, 1);

  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (count_events (fixture, "succeeded:") == 200, WAIT_MS);
  g_ptr_array_unref (batch.ids);
}

/* The other side of the group commit, and a check of how the test above
 * counts: calls made one after the other, each waiting for the last, are
 * one transaction each. */
static void
test_separate_commits (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *db_path = ferry_task_store_get_path (fixture->base.store);
  guint32 salts_before[2];
  guint32 salts_after[2];
  guint commits_before;

  commits_before = start_paused_and_count_commits (fixture, salts_before);

  for (guint i = 0; i < 3; i++)
    g_free (enqueue_path (fixture, "/one-by-one"));

  g_assert_cmpuint (ferry_test_count_wal_commits (db_path, salts_after) - commits_before, ==, 3);
  g_assert_cmphex (salts_after[0], ==, salts_before[0]);
  g_assert_cmphex (salts_after[1], ==, salts_before[1]);
}

static void
test_recovery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* A task left running by a crash ... */
  ferry_sync_manager_pause (fixture->base.manager);
  start (fixture);
  id = enqueue_path (fixture, "/recovered");
  task = get_task (fixture, id);
  task->state = FERRY_TASK_STATE_RUNNING;
  g_ptr_array_add (batch, task);
  ferry_task_store_update (fixture->base.store, batch, &error);
  g_assert_no_error (error);
  ferry_test_manager_close (&fixture->base);

  /* ... goes back to pending at the next start, and is delivered. */
  make_manager (fixture);
  start (fixture);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/recovered"), ==, 1);
}

static void
test_resolve (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *body = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = g_bytes_new_static ("{\"merged\":true}", 15);
  g_autoptr(GPtrArray) requests = NULL;
  FerryTestRequest *last;

  start (fixture);
  /* Each conflict answer, then the server's copy that the GET fetches. */
  ferry_test_server_push_reply (fixture->server, "/doc/local", 412, NULL, NULL);
  ferry_test_server_push_reply (fixture->server, "/doc/local", 200, "ETag: \"v2\"", "{\"v\":2}");
  ferry_test_server_push_reply (fixture->server, "/doc/remote", 409, NULL, NULL);
  ferry_test_server_push_reply (fixture->server, "/doc/remote", 200, "ETag: \"s9\"", "{\"s\":9}");
  ferry_test_server_push_reply (fixture->server, "/doc/body", 409, NULL, NULL);
  task = new_task (fixture, "/doc/local");
  task->if_match = g_strdup ("\"v1\"");
  local = enqueue_task (fixture, task);
  remote = enqueue_path (fixture, "/doc/remote");
  body = enqueue_path (fixture, "/doc/body");
  FERRY_TEST_WAIT (ferry_sync_manager_get_conflict_count (fixture->base.manager) == 3, WAIT_MS);
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
  g_assert_cmpint (ferry_sync_manager_get_state (fixture->base.manager), ==,
                   FERRY_SYNC_STATE_ATTENTION);

  /* Not in conflict: refused, naming the state. */
  ferry_sync_manager_resolve (fixture->base.manager, "no-such-id", FERRY_RESOLVE_LOCAL, NULL,
                              &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ferry_sync_manager_resolve (fixture->base.manager, body, FERRY_RESOLVE_BODY, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Take mine: sent again, conditional on the server's new version. */
  ferry_sync_manager_resolve (fixture->base.manager, local, FERRY_RESOLVE_LOCAL, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_state (fixture, local) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  requests = dup_deliveries (fixture, "/doc/local");
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (ferry_test_request_get_header (g_ptr_array_index (requests, 0), "If-Match"),
                   ==, "\"v1\"");
  g_assert_cmpstr (ferry_test_request_get_header (g_ptr_array_index (requests, 1), "If-Match"),
                   ==, "\"v2\"");
  g_clear_pointer (&requests, g_ptr_array_unref);

  /* Take the server's: nothing sent, the task ends with the server copy. */
  ferry_sync_manager_resolve (fixture->base.manager, remote, FERRY_RESOLVE_REMOTE, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&task, ferry_task_unref);
  task = get_task (fixture, remote);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_SUCCEEDED);
  g_assert_cmpuint (task->response_status, ==, 200);
  g_assert_cmpuint (task->last_status, ==, 409);
  g_assert_cmpmem (g_bytes_get_data (task->response_body, NULL),
                   g_bytes_get_size (task->response_body), "{\"s\":9}", 7);
  g_assert_cmpuint (count_deliveries (fixture, "/doc/remote"), ==, 1);

  /* Take this body. */
  ferry_sync_manager_resolve (fixture->base.manager, body, FERRY_RESOLVE_BODY, merged, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_state (fixture, body) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  requests = dup_deliveries (fixture, "/doc/body");
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpmem (g_bytes_get_data (last->body, NULL), g_bytes_get_size (last->body),
                   "{\"merged\":true}", 15);

  g_assert_cmpuint (ferry_sync_manager_get_conflict_count (fixture->base.manager), ==, 0);
  FERRY_TEST_WAIT (ferry_sync_manager_get_state (fixture->base.manager) == FERRY_SYNC_STATE_IDLE,
                   WAIT_MS);

  /* A finished task cannot be resolved. */
  ferry_sync_manager_resolve (fixture->base.manager, body, FERRY_RESOLVE_LOCAL, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
}

static void
test_cancel_and_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *cancelled = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *failed2 = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  start (fixture);
  ferry_sync_manager_pause (fixture->base.manager);
  cancelled = enqueue_path (fixture, "/never");
  ferry_sync_manager_cancel (fixture->base.manager, cancelled, &error);
  g_assert_no_error (error);
  g_assert_cmpint (task_state (fixture, cancelled), ==, FERRY_TASK_STATE_CANCELLED);
  ferry_sync_manager_cancel (fixture->base.manager, cancelled, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);
  ferry_sync_manager_cancel (fixture->base.manager, "nope", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  ferry_test_server_push_reply (fixture->server, "/once", 404, NULL, NULL);
  ferry_test_server_push_reply (fixture->server, "/twice", 400, NULL, NULL);
  failed = enqueue_path (fixture, "/once");
  failed2 = enqueue_path (fixture, "/twice");
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (ferry_sync_manager_get_failed_count (fixture->base.manager) == 2, WAIT_MS);
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);

  ferry_sync_manager_retry (fixture->base.manager, failed, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_state (fixture, failed) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  ferry_sync_manager_retry (fixture->base.manager, failed, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);

  ferry_sync_manager_retry_all (fixture->base.manager, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  FERRY_TEST_WAIT (task_state (fixture, failed2) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/never"), ==, 0);
  g_assert_cmpuint (ferry_sync_manager_get_failed_count (fixture->base.manager), ==, 0);
}

/* Cancel all: one call stops the attempt in flight and cancels what
 * waits, for the owner asked about only; delivered tasks stay delivered,
 * and the stopped request's late answer changes nothing. */
static void
test_cancel_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) other_task = new_task (fixture, "/other");
  g_autofree char *done = NULL;
  g_autofree char *held = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  FerryTaskFilter filter = { 0 };
  guint count = 0;

  start (fixture);
  done = enqueue_path (fixture, "/done");
  FERRY_TEST_WAIT (task_state (fixture, done) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);

  ferry_test_server_hold (fixture->server, "/held");
  held = enqueue_path (fixture, "/held");
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, WAIT_MS);
  g_object_set (fixture->base.manager, "max-concurrency", 1, NULL);
  for (guint i = 0; i < 250; i++)
    g_ptr_array_add (waiting, enqueue_path (fixture, "/waiting"));
  g_free (other_task->owner);
  other_task->owner = g_strdup ("org.example.Other");
  other = enqueue_task (fixture, other_task);

  filter.owner = "org.example.Notes";
  g_assert_true (ferry_sync_manager_cancel_all (fixture->base.manager, &filter, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 251);
  g_assert_cmpint (task_state (fixture, held), ==, FERRY_TASK_STATE_CANCELLED);
  for (guint i = 0; i < waiting->len; i++)
    g_assert_cmpint (task_state (fixture, g_ptr_array_index (waiting, i)), ==,
                     FERRY_TASK_STATE_CANCELLED);
  g_assert_cmpint (task_state (fixture, done), ==, FERRY_TASK_STATE_SUCCEEDED);

  /* The other app's task goes on; the stopped request never answers. */
  FERRY_TEST_WAIT (task_state (fixture, other) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  ferry_test_server_release (fixture->server, "/held");
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
  g_assert_cmpint (task_state (fixture, held), ==, FERRY_TASK_STATE_CANCELLED);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/waiting"), ==, 0);

  /* Nothing is left to cancel. */
  g_assert_true (ferry_sync_manager_cancel_all (fixture->base.manager, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 0);
}

static void
test_expiry (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FerryTask) task = new_task (fixture, "/too-late");
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) stored = NULL;

  ferry_test_network_monitor_set_state (fixture->base.network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  start (fixture);
  task->expires = ferry_clock_get_now (fixture->base.clock) + (gint64) 60 * G_USEC_PER_SEC;
  id = enqueue_task (fixture, task);
  ferry_clock_advance (fixture->base.clock, (gint64) 61 * G_USEC_PER_SEC);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_FAILED, WAIT_MS);
  stored = get_task (fixture, id);
  g_assert_cmpstr (stored->last_error, ==, "expired");
  g_assert_cmpuint (count_events (fixture, "failed:"), ==, 1);

  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  assert_nothing_sent_for (fixture, 0, 200);
}

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR (60 * MINUTE)

static void
on_task_stalled (FerrySyncManager *manager, FerryTask *task, Fixture *fixture)
{
  record (fixture, "stalled", task);
}

/* Moves the manual clock to @id's next attempt each time one is
 * scheduled, until the task leaves pending or @until is reached. */
static void
follow_retries (Fixture    *fixture,
                const char *id,
                gint64      until)
{
  for (;;)
    {
      guint before = fixture->retries;
      g_autoptr(FerryTask) task = NULL;

      FERRY_TEST_WAIT (task_state (fixture, id) != FERRY_TASK_STATE_RUNNING, WAIT_MS);
      task = get_task (fixture, id);
      if (task->state != FERRY_TASK_STATE_PENDING ||
          ferry_clock_get_now (fixture->base.clock) >= until)
        return;
      if (task->next_attempt > ferry_clock_get_now (fixture->base.clock))
        ferry_clock_set_now (fixture->base.clock, MIN (task->next_attempt, until));
      if (task->next_attempt > until)
        return;
      FERRY_TEST_WAIT (fixture->retries > before ||
                       task_state (fixture, id) != FERRY_TASK_STATE_PENDING, WAIT_MS);
    }
}

/* A server down for hours: the change is retried with backoff (capped at
 * five minutes) for the whole retry period, never given up after a few
 * attempts; the person hears once, after an hour; then it fails, saying
 * since when it could not be delivered. */
static void
test_retries_outlast_outage (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;
  gint64 added = ferry_clock_get_now (fixture->base.clock);
  gint64 last_attempt_at = added;

  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) G_USEC_PER_SEC,
                "backoff-max", 5 * MINUTE,
                "retry-period", 3 * HOUR,
                NULL);
  g_signal_connect (fixture->base.manager, "task-stalled", G_CALLBACK (on_task_stalled), fixture);
  ferry_test_server_set_default (fixture->server, "/outage", 503, NULL, "down for maintenance");
  start (fixture);
  id = enqueue_path (fixture, "/outage");

  /* Well past the old five attempts and the first hour. */
  follow_retries (fixture, id, added + 2 * HOUR);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_PENDING);
  g_assert_cmpuint (task->attempts, >, 20);
  g_assert_cmpint (task->failing_since, ==, added);
  g_assert_cmpint (task->next_attempt - task->updated, <=, 5 * MINUTE);
  g_assert_cmpuint (count_events (fixture, "stalled:"), ==, 1);
  g_assert_cmpuint (count_events (fixture, "failed:"), ==, 0);
  g_clear_pointer (&task, ferry_task_unref);

  follow_retries (fixture, id, added + 4 * HOUR);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_FAILED, WAIT_MS);
  task = get_task (fixture, id);
  last_attempt_at = task->updated;
  g_assert_cmpint (last_attempt_at, >=, added + 3 * HOUR);
  g_assert_cmpint (last_attempt_at, <, added + 3 * HOUR + 5 * MINUTE + G_USEC_PER_SEC);
  g_assert_nonnull (strstr (task->last_error, "gave up after retrying since"));
  g_assert_nonnull (strstr (task->last_error, "503"));
  g_assert_cmpuint (task->last_status, ==, 503);
  g_assert_cmpuint (count_events (fixture, "stalled:"), ==, 1);
  g_assert_cmpuint (count_events (fixture, "failed:"), ==, 1);
}

/* A change that waited offline for longer than the retry period still
 * gets retried for an hour once it starts failing; and success clears
 * the failing mark. */
static void
test_retries_after_long_offline (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(FerryTask) task = NULL;
  gint64 back_online;

  g_object_set (fixture->base.manager,
                "backoff-initial", (gint64) G_USEC_PER_SEC,
                "backoff-max", 5 * MINUTE,
                "retry-period", 2 * HOUR,
                NULL);
  ferry_test_network_monitor_set_state (fixture->base.network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL,
                                        FALSE);
  start (fixture);
  id = enqueue_path (fixture, "/late");
  ferry_clock_advance (fixture->base.clock, 3 * HOUR);
  /* Down until told otherwise: how many attempts fit in the first 50
   * minutes depends on the jitter. */
  ferry_test_server_set_default (fixture->server, "/late", 502, NULL, "bad gateway");
  back_online = ferry_clock_get_now (fixture->base.clock);
  ferry_test_network_monitor_set_state (fixture->base.network, TRUE, G_NETWORK_CONNECTIVITY_FULL,
                                        FALSE);
  FERRY_TEST_WAIT (fixture->retries == 1, WAIT_MS);

  follow_retries (fixture, id, back_online + 50 * MINUTE);
  task = get_task (fixture, id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_PENDING);
  g_assert_cmpint (task->failing_since, ==, back_online);
  g_clear_pointer (&task, ferry_task_unref);

  /* The server comes back before the hour is over. */
  ferry_test_server_set_default (fixture->server, "/late", 200, NULL, "ok");
  follow_retries (fixture, id, back_online + 2 * HOUR);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  task = get_task (fixture, id);
  g_assert_cmpint (task->failing_since, ==, 0);
}

/* An app that asks for a limit of attempts still gets it. */
static void
test_retries_app_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(FerryTask) task = new_task (fixture, "/limited");
  g_autoptr(FerryTask) stored = NULL;
  g_autofree char *id = NULL;

  ferry_test_server_set_default (fixture->server, "/limited", 500, NULL, "oops");
  start (fixture);
  task->max_attempts = 3;
  id = enqueue_task (fixture, task);
  follow_retries (fixture, id, ferry_clock_get_now (fixture->base.clock) + HOUR);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_FAILED, WAIT_MS);
  stored = get_task (fixture, id);
  g_assert_cmpuint (stored->attempts, ==, 3);
  g_assert_nonnull (strstr (stored->last_error, "gave up after 3 attempts"));
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/limited"), ==, 3);
}

static void
test_not_before (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FerryTask) task = new_task (fixture, "/scheduled");
  g_autofree char *id = NULL;

  start (fixture);
  task->not_before = ferry_clock_get_now (fixture->base.clock) + (gint64) 3600 * G_USEC_PER_SEC;
  id = enqueue_task (fixture, task);
  assert_nothing_sent_for (fixture, 0, 200);
  g_assert_cmpint (ferry_sync_manager_get_next_sync_time (fixture->base.manager), ==,
                   task->not_before);
  ferry_clock_advance (fixture->base.clock, (gint64) 3600 * G_USEC_PER_SEC);
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
}

/* What the manager says of the last and next sync is true: a run where
 * every attempt failed is no sync; the next sync is when a change really
 * goes, not the next automatic run; nothing is next while paused. */
static void
test_sync_times_are_true (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(FerryTask) later = new_task (fixture, "/later");
  g_autofree char *failing = NULL;
  g_autofree char *later_id = NULL;
  g_autofree char *ok = NULL;

  g_object_set (fixture->base.manager, "auto-sync-interval", 60, NULL);
  start (fixture);

  /* Every attempt of the first run fails. */
  ferry_test_server_set_default (fixture->server, "/down", 503, NULL, "down");
  failing = enqueue_path (fixture, "/down");
  FERRY_TEST_WAIT (fixture->runs_finished == 1, WAIT_MS);
  g_assert_cmpuint (fixture->last_summary.retried, ==, 1);
  g_assert_cmpint (ferry_sync_manager_get_last_sync_time (fixture->base.manager), ==, 0);
  ferry_sync_manager_cancel (fixture->base.manager, failing, NULL);

  /* A change that may not go for two hours: that is the next sync, not
   * the automatic run a minute away. */
  later->not_before = ferry_clock_get_now (fixture->base.clock) + 2 * HOUR;
  later_id = enqueue_task (fixture, later);
  FERRY_TEST_WAIT (ferry_sync_manager_get_next_sync_time (fixture->base.manager) ==
                   later->not_before, WAIT_MS);

  /* Paused, nothing goes next. */
  ferry_sync_manager_pause (fixture->base.manager);
  FERRY_TEST_WAIT (ferry_sync_manager_get_next_sync_time (fixture->base.manager) == 0, WAIT_MS);
  ferry_sync_manager_resume (fixture->base.manager);
  FERRY_TEST_WAIT (ferry_sync_manager_get_next_sync_time (fixture->base.manager) ==
                   later->not_before, WAIT_MS);

  /* A run that delivers something is a sync. */
  ok = enqueue_path (fixture, "/fine");
  FERRY_TEST_WAIT (task_state (fixture, ok) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  FERRY_TEST_WAIT (ferry_sync_manager_get_last_sync_time (fixture->base.manager) > 0, WAIT_MS);

  /* The agent starting again knows it from the history. */
  {
    g_autoptr(FerryTask) delivered = get_task (fixture, ok);

    ferry_test_manager_close (&fixture->base);
    make_manager (fixture);
    start (fixture);
    g_assert_cmpint (ferry_sync_manager_get_last_sync_time (fixture->base.manager), ==,
                     delivered->updated);
  }
}

static gboolean
task_is_gone (Fixture    *fixture,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = ferry_sync_manager_dup_task (fixture->base.manager, id, &error);

  return task == NULL && g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
}

static void
test_history_pruned (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *young = NULL;

  start (fixture);
  id = enqueue_path (fixture, "/old");
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  ferry_clock_advance (fixture->base.clock, 6 * G_TIME_SPAN_DAY);
  young = enqueue_path (fixture, "/young");
  FERRY_TEST_WAIT (task_state (fixture, young) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);

  /* Seven days on, the first is gone and the younger one is kept. */
  ferry_clock_advance (fixture->base.clock, G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
  FERRY_TEST_WAIT (task_is_gone (fixture, id), WAIT_MS);
  task = ferry_sync_manager_dup_task (fixture->base.manager, id, &error);
  g_assert_null (task);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_cmpint (task_state (fixture, young), ==, FERRY_TASK_STATE_SUCCEEDED);
}

/* Once everything is delivered, nothing wakes the process. */
static void
test_idle_is_quiet (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *id = NULL;
  guint dispatched = 0;
  gint64 end;

  start (fixture);
  id = enqueue_path (fixture, "/quiet");
  FERRY_TEST_WAIT (task_state (fixture, id) == FERRY_TASK_STATE_SUCCEEDED, WAIT_MS);
  FERRY_TEST_WAIT (manager_is_quiet (fixture), WAIT_MS);
  /* Let the tail of the run (flush, last pass) finish, and drop the kept-
   * alive connection, whose socket is not the manager's to keep quiet. */
  soup_session_abort (ferry_executor_get_session (fixture->base.executor));
  for (guint i = 0; i < 10; i++)
    ferry_test_iterate_briefly ();
  while (g_main_context_iteration (NULL, FALSE))
    ;

  end = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < end)
    {
      if (g_main_context_iteration (NULL, FALSE))
        dispatched++;
      g_usleep (1000);
    }
  g_assert_cmpuint (dispatched, ==, 0);
  g_assert_cmpint (ferry_sync_manager_get_next_sync_time (fixture->base.manager), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  static const int manual = 1;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

#define ADD(path, func, clock) \
  g_test_add ("/engine/sync-manager/" path, Fixture, clock, fixture_set_up, func, fixture_tear_down)

  ADD ("delivers", test_delivers, NULL);
  ADD ("outcome-table", test_outcome_table, NULL);
  ADD ("transient-then-success", test_transient_then_success, NULL);
  ADD ("resets-and-errors-under-load", test_resets_and_errors_under_load, NULL);
  ADD ("retry-after", test_retry_after, NULL);
  ADD ("backoff-waits-for-clock", test_backoff_waits_for_clock, &manual);
  ADD ("group-order", test_group_order, NULL);
  ADD ("parallel-groups", test_parallel_groups, NULL);
  ADD ("priority", test_priority, NULL);
  ADD ("look-ahead/group-order", test_look_ahead_group_order, NULL);
  ADD ("look-ahead/changes", test_look_ahead_changes, NULL);
  ADD ("outcomes-written-by-run-end", test_outcomes_written_by_run_end, NULL);
  ADD ("outcome-written-later", test_outcome_written_later, NULL);
  ADD ("head-holds-group", test_head_holds_group, NULL);
  ADD ("offline", test_offline, NULL);
  ADD ("portal-and-limited", test_portal_and_limited, NULL);
  ADD ("metered", test_metered, NULL);
  ADD ("power-saver", test_power_saver, NULL);
  ADD ("offline-attempt-is-free", test_offline_attempt_is_free, NULL);
  ADD ("debounce", test_debounce, NULL);
  ADD ("sync-now-and-interval", test_sync_now_and_interval, NULL);
  ADD ("waiting-tasks-woken", test_waiting_tasks_woken, NULL);
  ADD ("pause-resume", test_pause_resume, NULL);
  ADD ("progress", test_progress, NULL);
  ADD ("unique-names", test_unique_names, NULL);
  ADD ("bad-input", test_bad_input, NULL);
  ADD ("group-commit", test_group_commit, NULL);
  ADD ("separate-commits", test_separate_commits, NULL);
  ADD ("recovery", test_recovery, NULL);
  ADD ("resolve", test_resolve, NULL);
  ADD ("cancel-and-retry", test_cancel_and_retry, NULL);
  ADD ("cancel-all", test_cancel_all, NULL);
  ADD ("expiry", test_expiry, &manual);
  ADD ("not-before", test_not_before, &manual);
  ADD ("retries/outlast-outage", test_retries_outlast_outage, &manual);
  ADD ("retries/after-long-offline", test_retries_after_long_offline, &manual);
  ADD ("retries/app-limit", test_retries_app_limit, &manual);
  ADD ("sync-times-are-true", test_sync_times_are_true, &manual);
  ADD ("history-pruned", test_history_pruned, &manual);
  ADD ("idle-is-quiet", test_idle_is_quiet, NULL);

#undef ADD

  return g_test_run ();
}
