/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keep-alive"

#include "config.h"

#include <string.h>

#include "ferry-executor.h"
#include "ferry-test-executor.h"
#include "ferry-test-util.h"

/*
 * The executor against a server that keeps its connections alive and
 * drops them the way real servers do: after applying a request, before a
 * byte of the answer.  Whatever libsoup or the executor then sends again
 * must carry exactly the body that was enqueued.
 */

typedef struct
{
  FerryTestServer *server;
  FerryExecutor   *executor;
} Fixture;

static const char * const body_methods[] = { "PUT", "POST", "PATCH", "DELETE" };

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->server = ferry_test_server_new ();
  fixture->executor = ferry_executor_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->executor);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
}

/* Every byte value, then some text: a body no layer may touch. */
static GBytes *
make_body (guint seed)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autofree char *text = g_strdup_printf ("{\"document\":%u,\"text\":\"é\\n\"}", seed);

  for (guint i = 0; i < 256; i++)
    {
      guint8 byte = (guint8) (i + seed);

      g_byte_array_append (bytes, &byte, 1);
    }
  g_byte_array_append (bytes, (const guint8 *) text, strlen (text));
  return g_byte_array_free_to_bytes (bytes);
}

static FerryTask *
make_task (Fixture    *fixture,
           const char *method,
           const char *path,
           guint       seed)
{
  FerryTask *task = ferry_task_new ();

  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup (method);
  task->url = ferry_test_server_url (fixture->server, path);
  task->idempotency_key = g_uuid_string_random ();
  task->body = make_body (seed);
  task->content_type = g_strdup ("application/x-ferry-test");
  return task;
}

static FerryAttempt *
fetch_and_wait (FerryExecutor *executor,
                const char    *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryHttpRequest) request = ferry_http_request_new ("GET", url);
  FerryAttempt *attempt;

  ferry_executor_request_async (executor, request, NULL, ferry_test_store_result_cb, &result);
  FERRY_TEST_WAIT (result != NULL, 20000);
  attempt = ferry_executor_request_finish (executor, result, NULL);
  g_assert_nonnull (attempt);
  return attempt;
}

/* One exchange first, so the session holds an idle kept-alive connection. */
static void
warm_up (Fixture *fixture)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, "/warm");
  g_autoptr(FerryAttempt) attempt = fetch_and_wait (fixture->executor, url);

  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
}

/* Every copy of @task's request that reached the server carried its
 * method, body, content type and key, byte for byte. */
static GPtrArray *
assert_every_copy_exact (Fixture    *fixture,
                         const char *path,
                         FerryTask  *task)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);

  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      g_test_message ("copy %u of %s %s: %s connection, %zu bytes", i + 1, request->method,
                      path, request->reused ? "reused" : "new",
                      request->body != NULL ? g_bytes_get_size (request->body) : 0);
      g_assert_cmpstr (request->method, ==, task->method);
      g_assert_nonnull (request->body);
      g_assert_true (g_bytes_equal (request->body, task->body));
      g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==,
                       task->content_type);
      g_assert_cmpstr (request->idempotency_key, ==, task->idempotency_key);
    }
  return g_steal_pointer (&requests);
}

/* The server applies the request, then drops the reused connection
 * before answering: the request goes again at once on a new connection,
 * with the same body, and the attempt is the second copy's answer. */
static void
test_reset_after_apply (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *method = user_data;
  g_autoptr(FerryTask) task = make_task (fixture, method, "/doc", 7);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  warm_up (fixture);
  ferry_test_server_push_reset_reused (fixture->server, "/doc");
  ferry_test_server_push_reply (fixture->server, "/doc", 201, NULL, "stored");

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 201);
  g_assert_no_error (attempt->error);

  requests = assert_every_copy_exact (fixture, "/doc", task);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_true (((FerryTestRequest *) g_ptr_array_index (requests, 0))->reused);
  g_assert_false (((FerryTestRequest *) g_ptr_array_index (requests, 1))->reused);
}

/* When the new connection is dropped too, the attempt fails as a network
 * error: one immediate copy, never a loop. */
static void
test_reset_twice (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *method = user_data;
  g_autoptr(FerryTask) task = make_task (fixture, method, "/doc", 11);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  warm_up (fixture);
  ferry_test_server_push_reset_reused (fixture->server, "/doc");
  ferry_test_server_push_reset (fixture->server, "/doc");

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_nonnull (attempt->error);

  requests = assert_every_copy_exact (fixture, "/doc", task);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_false (((FerryTestRequest *) g_ptr_array_index (requests, 1))->reused);
}

/* A reset on a new connection is the server's answer to this attempt: it
 * is reported, not hidden behind a silent second copy. */
static void
test_reset_on_new_connection (Fixture       *fixture,
                              gconstpointer  user_data)
{
  const char *method = user_data;
  g_autoptr(FerryTask) task = make_task (fixture, method, "/doc", 13);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_test_server_push_reset (fixture->server, "/doc");
  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);

  requests = assert_every_copy_exact (fixture, "/doc", task);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_false (((FerryTestRequest *) g_ptr_array_index (requests, 0))->reused);
}

/* Once some of the answer arrived, a drop is this attempt's outcome. */
static void
test_cut_mid_answer (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *method = user_data;
  g_autoptr(FerryTask) task = make_task (fixture, method, "/doc", 17);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  warm_up (fixture);
  ferry_test_server_push_cut (fixture->server, "/doc");
  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_nonnull (attempt->error);

  requests = assert_every_copy_exact (fixture, "/doc", task);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_true (((FerryTestRequest *) g_ptr_array_index (requests, 0))->reused);
}

/* One after another, every method goes over the one kept-alive
 * connection: no new connection per POST or PATCH. */
static void
test_connections_reused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  for (guint i = 0; i < 40; i++)
    {
      const char *method = body_methods[i % G_N_ELEMENTS (body_methods)];
      g_autoptr(FerryTask) task = make_task (fixture, method, "/many", i);
      g_autoptr(FerryAttempt) attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);

      g_assert_cmpuint (attempt->status, ==, 200);
    }
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/many"), ==, 40);
  g_assert_cmpuint (ferry_test_server_count_connections (fixture->server), ==, 1);
}

/* libsoup answers a 401 itself when the URL carries credentials, and sends
 * the message again with them: the body goes along again too. */
static void
test_body_survives_authentication (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  const char *method = user_data;
  g_autoptr(FerryTask) task = make_task (fixture, method, "/private", 19);
  g_autoptr(GUri) plain = g_uri_parse (task->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  g_free (task->url);
  task->url = g_uri_join (G_URI_FLAGS_NONE, "http", "reader:open-sesame",
                          g_uri_get_host (plain), g_uri_get_port (plain),
                          g_uri_get_path (plain), NULL, NULL);
  ferry_test_server_push_reply (fixture->server, "/private", 401,
                                "WWW-Authenticate: Basic realm=\"notes\"", "who are you?");
  ferry_test_server_push_reply (fixture->server, "/private", 200, NULL, "welcome");

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpuint (attempt->status, ==, 200);

  requests = assert_every_copy_exact (fixture, "/private", task);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (ferry_test_request_get_header (g_ptr_array_index (requests, 1),
                                                  "Authorization"),
                   ==, "Basic cmVhZGVyOm9wZW4tc2VzYW1l");
}

/* Many tasks at once over a few kept-alive connections, a tenth of them
 * dropped after the server applied them: every task gets its answer and
 * every copy that reached the server is exact. */
static void
test_resets_under_load (Fixture       *fixture,
                        gconstpointer  user_data)
{
  enum { N = 120 };
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  GAsyncResult *results[N] = { NULL };
  guint done = 0;

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/load/%u", i);
      const char *method = body_methods[i % G_N_ELEMENTS (body_methods)];

      if (i % 10 == 3)
        ferry_test_server_push_reset_reused (fixture->server, path);
      g_ptr_array_add (tasks, make_task (fixture, method, path, i));
    }
  warm_up (fixture);
  for (guint i = 0; i < N; i++)
    ferry_executor_send_async (fixture->executor, g_ptr_array_index (tasks, i), NULL,
                               ferry_test_store_result_cb, &results[i]);
  while (done < N)
    {
      done = 0;
      for (guint i = 0; i < N; i++)
        done += results[i] != NULL;
      ferry_test_iterate_briefly ();
    }

  for (guint i = 0; i < N; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *path = g_strdup_printf ("/load/%u", i);
      g_autoptr(FerryAttempt) attempt = ferry_executor_request_finish (fixture->executor,
                                                                    results[i], NULL);
      g_autoptr(GPtrArray) requests = assert_every_copy_exact (fixture, path, task);

      g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
      g_assert_cmpuint (attempt->status, ==, 200);
      g_assert_cmpuint (requests->len, >=, 1);
      g_assert_cmpuint (requests->len, <=, 2);
      g_clear_object (&results[i]);
    }
  /* Far fewer connections than requests: the session's per-host limit,
   * plus, for each reset, a lost connection and a new one for the copy. */
  g_assert_cmpuint (ferry_test_server_count_connections (fixture->server), <, N / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (body_methods); i++)
    {
      static const struct {
        const char *name;
        void      (*func) (Fixture *, gconstpointer);
      } cases[] = {
        { "reset-after-apply", test_reset_after_apply },
        { "reset-twice", test_reset_twice },
        { "reset-on-new-connection", test_reset_on_new_connection },
        { "cut-mid-answer", test_cut_mid_answer },
        { "body-survives-authentication", test_body_survives_authentication },
      };

      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          g_autofree char *path = g_strdup_printf ("/engine/keep-alive/%s/%s", cases[c].name,
                                                   body_methods[i]);

          g_test_add (path, Fixture, body_methods[i], fixture_set_up, cases[c].func,
                      fixture_tear_down);
        }
    }
  g_test_add ("/engine/keep-alive/connections-reused", Fixture, NULL, fixture_set_up,
              test_connections_reused, fixture_tear_down);
  g_test_add ("/engine/keep-alive/resets-under-load", Fixture, NULL, fixture_set_up,
              test_resets_under_load, fixture_tear_down);

  return g_test_run ();
}
