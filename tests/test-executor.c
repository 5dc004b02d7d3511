/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-executor"

#include "config.h"

#include <string.h>

#include "ferry-executor.h"
#include "ferry-test-executor.h"
#include "ferry-test-util.h"

#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  FerryTestServer *server;
  FerryExecutor   *executor;
} Fixture;

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

static FerryTask *
make_task (const char *method,
           const char *url)
{
  FerryTask *task = ferry_task_new ();

  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup (method);
  task->url = g_strdup (url);
  task->idempotency_key = g_uuid_string_random ();
  return task;
}

static FerryTask *
make_server_task (Fixture    *fixture,
                  const char *method,
                  const char *path)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, path);

  return make_task (method, url);
}

static FerryAttempt *
fetch_and_wait (FerryExecutor      *executor,
                const char         *url,
                const char * const *headers)
{
  g_autoptr(FerryHttpRequest) request = ferry_http_request_new ("GET", url);

  request->headers = g_strdupv ((char **) headers);
  return ferry_test_request_and_wait (executor, request, NULL);
}

static const char *
attempt_header (FerryAttempt *attempt,
                const char   *name)
{
  for (guint i = 0; attempt->response_headers != NULL && attempt->response_headers[i] != NULL;
       i += 2)
    {
      if (g_ascii_strcasecmp (attempt->response_headers[i], name) == 0)
        return attempt->response_headers[i + 1];
    }
  return NULL;
}

static FerryTestRequest *
only_request (Fixture    *fixture,
              const char *path)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);

  g_assert_cmpuint (requests->len, ==, 1);
  return g_ptr_array_steal_index (requests, 0);
}

static void
assert_bytes_equal (GBytes       *bytes,
                    gconstpointer data,
                    gsize         size)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);
}

static void
count_signal (guint *counter)
{
  (*counter)++;
}

static void
test_properties (void)
{
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(SoupSession) given = soup_session_new ();
  g_autoptr(FerryExecutor) sharing = ferry_executor_new (given);
  SoupSession *session = ferry_executor_get_session (executor);
  g_autoptr(SoupSession) from_property = NULL;
  guint notifications = 0;
  guint timeout = 0;

  g_assert_true (SOUP_IS_SESSION (session));
  g_assert_cmpuint (soup_session_get_max_conns_per_host (session), ==, 6);
  g_assert_cmpuint (soup_session_get_max_conns (session), ==, 16);
  g_assert_cmpuint (soup_session_get_timeout (session), ==, 30);
  g_assert_cmpuint (soup_session_get_idle_timeout (session), ==, 60);

  g_object_get (executor, "timeout", &timeout, "session", &from_property, NULL);
  g_assert_cmpuint (timeout, ==, 30);
  g_assert_true (from_property == session);

  g_signal_connect_swapped (executor, "notify::timeout", G_CALLBACK (count_signal),
                            &notifications);
  g_object_set (executor, "timeout", 5, NULL);
  g_assert_cmpuint (soup_session_get_timeout (session), ==, 5);
  g_assert_cmpuint (notifications, ==, 1);
  g_object_set (executor, "timeout", 5, NULL);
  g_assert_cmpuint (notifications, ==, 1);

  /* A session passed in is used as it is. */
  g_assert_true (ferry_executor_get_session (sharing) == given);
  g_assert_cmpuint (soup_session_get_timeout (given), ==, 60);
}

static void
test_success_round_trip (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/notes/1");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryTestRequest) request = NULL;

  ferry_test_server_push_reply (fixture->server, "/notes/1", 201,
                                "ETag: \"v2\"\n"
                                "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\n"
                                "X-Served-By: test\n"
                                "Content-Type: application/json",
                                "{\"id\":1}");
  ferry_task_add_header (task, "X-Client", "notes");
  ferry_task_add_header (task, "Authorization", "Bearer s3cret");
  task->body = g_bytes_new_static ("{\"title\":\"a\"}", 13);
  task->content_type = g_strdup ("application/json");

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 201);
  g_assert_cmpstr (attempt->reason, ==, "Created");
  g_assert_no_error (attempt->error);
  assert_bytes_equal (attempt->response_body, "{\"id\":1}", 8);
  g_assert_cmpstr (attempt->etag, ==, "\"v2\"");
  g_assert_cmpstr (attempt->last_modified, ==, "Sun, 06 Nov 1994 08:49:37 GMT");
  g_assert_cmpstr (attempt_header (attempt, "X-Served-By"), ==, "test");
  g_assert_cmpstr (attempt_header (attempt, "Content-Type"), ==, "application/json");
  g_assert_cmpint (attempt->retry_after, ==, -1);
  g_assert_cmpuint (g_strv_length (attempt->response_headers) % 2, ==, 0);

  request = only_request (fixture, "/notes/1");
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/notes/1");
  g_assert_cmpstr (ferry_test_request_get_header (request, "X-Client"), ==, "notes");
  g_assert_cmpstr (ferry_test_request_get_header (request, "Authorization"), ==, "Bearer s3cret");
  g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==,
                   "application/json");
  assert_bytes_equal (request->body, "{\"title\":\"a\"}", 13);
}

static void
test_success_empty_body (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "DELETE", "/notes/2?rev=3");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryTestRequest) request = NULL;

  ferry_test_server_push_reply (fixture->server, "/notes/2", 204, NULL, NULL);
  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 204);
  g_assert_nonnull (attempt->response_body);
  g_assert_cmpuint (g_bytes_get_size (attempt->response_body), ==, 0);
  g_assert_null (attempt->etag);

  request = only_request (fixture, "/notes/2");
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/notes/2?rev=3");
}

static void
test_idempotency_key_every_attempt (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "POST", "/notes");
  g_autoptr(FerryAttempt) first = NULL;
  g_autoptr(FerryAttempt) second = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  /* A key the app put among the headers does not make a second one. */
  ferry_task_add_header (task, "Idempotency-Key", "from-the-app");
  ferry_test_server_push_reply (fixture->server, "/notes", 503, NULL, "busy");
  ferry_test_server_push_reply (fixture->server, "/notes", 201, NULL, "made");

  first = ferry_test_send_and_wait (fixture->executor, task, NULL);
  second = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpuint (first->status, ==, 503);
  g_assert_cmpuint (second->status, ==, 201);

  requests = ferry_test_server_dup_requests (fixture->server, "/notes");
  g_assert_cmpuint (requests->len, ==, 2);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);
      guint n_keys = 0;

      g_assert_cmpstr (request->idempotency_key, ==, task->idempotency_key);
      for (guint h = 0; request->headers[h] != NULL; h += 2)
        n_keys += g_ascii_strcasecmp (request->headers[h], "Idempotency-Key") == 0;
      g_assert_cmpuint (n_keys, ==, 1);
    }
}

static void
test_if_match (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(FerryTask) with = make_server_task (fixture, "PUT", "/with");
  g_autoptr(FerryTask) without = make_server_task (fixture, "PUT", "/without");
  g_autoptr(FerryAttempt) a = NULL;
  g_autoptr(FerryAttempt) b = NULL;
  g_autoptr(FerryTestRequest) request_with = NULL;
  g_autoptr(FerryTestRequest) request_without = NULL;

  with->if_match = g_strdup ("\"v7\"");
  a = ferry_test_send_and_wait (fixture->executor, with, NULL);
  b = ferry_test_send_and_wait (fixture->executor, without, NULL);

  request_with = only_request (fixture, "/with");
  request_without = only_request (fixture, "/without");
  g_assert_cmpstr (ferry_test_request_get_header (request_with, "If-Match"), ==, "\"v7\"");
  g_assert_null (ferry_test_request_get_header (request_without, "If-Match"));
}

static GBytes *
make_binary (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 256);
  return g_bytes_new_take (data, size);
}

static void
test_binary_body (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(FerryTask) typed = make_server_task (fixture, "POST", "/typed");
  g_autoptr(FerryTask) untyped = make_server_task (fixture, "POST", "/untyped");
  g_autoptr(FerryTask) in_headers = make_server_task (fixture, "POST", "/in-headers");
  g_autoptr(GBytes) body = make_binary (100000);
  g_autoptr(FerryAttempt) a = NULL;
  g_autoptr(FerryAttempt) b = NULL;
  g_autoptr(FerryAttempt) c = NULL;
  g_autoptr(FerryTestRequest) request = NULL;
  g_autoptr(FerryTestRequest) request_untyped = NULL;
  g_autoptr(FerryTestRequest) request_in_headers = NULL;

  g_assert_nonnull (memchr (g_bytes_get_data (body, NULL), 0, g_bytes_get_size (body)));

  typed->body = g_bytes_ref (body);
  typed->content_type = g_strdup ("application/x-ferry-test");
  untyped->body = g_bytes_ref (body);
  in_headers->body = g_bytes_new_static ("a\0b", 3);
  ferry_task_add_header (in_headers, "Content-Type", "text/csv");

  a = ferry_test_send_and_wait (fixture->executor, typed, NULL);
  b = ferry_test_send_and_wait (fixture->executor, untyped, NULL);
  c = ferry_test_send_and_wait (fixture->executor, in_headers, NULL);

  request = only_request (fixture, "/typed");
  g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==,
                   "application/x-ferry-test");
  assert_bytes_equal (request->body, g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  request_untyped = only_request (fixture, "/untyped");
  g_assert_cmpstr (ferry_test_request_get_header (request_untyped, "Content-Type"), ==,
                   "application/octet-stream");
  assert_bytes_equal (request_untyped->body, g_bytes_get_data (body, NULL),
                      g_bytes_get_size (body));

  request_in_headers = only_request (fixture, "/in-headers");
  g_assert_cmpstr (ferry_test_request_get_header (request_in_headers, "Content-Type"), ==,
                   "text/csv");
  assert_bytes_equal (request_in_headers->body, "a\0b", 3);
}

static void
test_transport_headers_not_sent (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "POST", "/framing");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryTestRequest) request = NULL;

  task->body = g_bytes_new_static ("hello", 5);
  ferry_task_add_header (task, "Content-Length", "1");
  ferry_task_add_header (task, "Transfer-Encoding", "chunked");
  ferry_task_add_header (task, "Host", "elsewhere.example");
  ferry_task_add_header (task, "X-Kept", "yes");

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpuint (attempt->status, ==, 200);

  request = only_request (fixture, "/framing");
  assert_bytes_equal (request->body, "hello", 5);
  g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Length"), ==, "5");
  g_assert_null (ferry_test_request_get_header (request, "Transfer-Encoding"));
  g_assert_true (g_str_has_prefix (ferry_test_request_get_header (request, "Host"),
                                   "127.0.0.1"));
  g_assert_cmpstr (ferry_test_request_get_header (request, "X-Kept"), ==, "yes");
}

typedef struct
{
  guint       status;
  const char *headers;
  gint64      retry_after;
} StatusCase;

static void
test_error_statuses (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const StatusCase cases[] = {
    { 500, NULL, -1 },
    { 503, "Retry-After: 120", 120 * SEC },
    { 503, "Retry-After: soon", -1 },
    { 429, "Retry-After: 7", 7 * SEC },
    { 429, "Date: Sun, 06 Nov 1994 08:49:00 GMT\nRetry-After: Sun, 06 Nov 1994 08:49:37 GMT",
      37 * SEC },
    { 401, "WWW-Authenticate: Bearer", -1 },
    { 403, NULL, -1 },
    { 404, NULL, -1 },
    { 409, "ETag: \"v9\"", -1 },
    { 412, NULL, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/status/%u", i);
      g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", path);
      g_autoptr(FerryAttempt) attempt = NULL;
      g_autofree char *body = g_strdup_printf ("answer %u", cases[i].status);

      g_test_message ("%u %s", cases[i].status, cases[i].headers ? cases[i].headers : "");
      ferry_test_server_push_reply (fixture->server, path, cases[i].status, cases[i].headers,
                                    body);
      attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
      g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
      g_assert_cmpuint (attempt->status, ==, cases[i].status);
      g_assert_cmpint (attempt->retry_after, ==, cases[i].retry_after);
      g_assert_no_error (attempt->error);
      g_assert_nonnull (attempt->reason);
      assert_bytes_equal (attempt->response_body, body, strlen (body));
    }
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, NULL), ==,
                    G_N_ELEMENTS (cases));
}

static void
test_connection_reset (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/reset");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) again = NULL;

  ferry_test_server_push_reset (fixture->server, "/reset");
  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_cmpuint (attempt->status, ==, 0);
  g_assert_nonnull (attempt->error);
  g_assert_null (attempt->response_body);
  g_assert_cmpint (attempt->retry_after, ==, -1);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/reset"), ==, 1);

  /* The next attempt goes through. */
  again = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (again->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (again->status, ==, 200);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "POST", "/slow");
  g_autoptr(FerryAttempt) attempt = NULL;

  g_object_set (fixture->executor, "timeout", 1, NULL);
  /* Far longer than the timeout; the server lets it go when it shuts down. */
  ferry_test_server_push_stall (fixture->server, "/slow", 20000);

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (attempt->status, ==, 0);

  /* The server sees the client leave; nothing stays in flight. */
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 0, 5000);
}

static void
test_stall_shorter_than_timeout (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "POST", "/sluggish");
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_push_stall (fixture->server, "/sluggish", 50);
  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
}

static void
test_connection_refused (void)
{
  FerryTestServer *server = ferry_test_server_new ();
  g_autofree char *url = ferry_test_server_url (server, "/gone");
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(FerryTask) task = make_task ("PUT", url);
  g_autoptr(FerryAttempt) attempt = NULL;

  /* Nothing listens on the port once the server is gone. */
  ferry_test_server_free (server);

  attempt = ferry_test_send_and_wait (executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (attempt->status, ==, 0);
}

static void
test_redirect_keeps_method_and_body (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  const guint statuses[] = { 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *from = g_strdup_printf ("/moved/%u", statuses[i]);
      g_autofree char *to = g_strdup_printf ("/here/%u", statuses[i]);
      g_autofree char *location = g_strdup_printf ("Location: %s", to);
      g_autoptr(FerryTask) task = make_server_task (fixture, "PATCH", from);
      g_autoptr(FerryAttempt) attempt = NULL;
      g_autoptr(FerryTestRequest) first = NULL;
      g_autoptr(FerryTestRequest) second = NULL;
      g_autoptr(GBytes) body = make_binary (3000);

      g_test_message ("redirect %u", statuses[i]);
      task->body = g_bytes_ref (body);
      task->content_type = g_strdup ("application/merge-patch+json");
      ferry_task_add_header (task, "Authorization", "Bearer same-origin");
      ferry_test_server_push_reply (fixture->server, from, statuses[i], location, NULL);
      ferry_test_server_push_reply (fixture->server, to, 200, "ETag: \"moved\"", "done");

      attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
      g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
      g_assert_cmpuint (attempt->status, ==, 200);
      g_assert_cmpstr (attempt->etag, ==, "\"moved\"");
      assert_bytes_equal (attempt->response_body, "done", 4);

      first = only_request (fixture, from);
      second = only_request (fixture, to);
      g_assert_cmpstr (first->method, ==, "PATCH");
      g_assert_cmpstr (second->method, ==, "PATCH");
      assert_bytes_equal (second->body, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_assert_cmpstr (ferry_test_request_get_header (second, "Content-Type"), ==,
                       "application/merge-patch+json");
      g_assert_cmpstr (second->idempotency_key, ==, task->idempotency_key);
      /* Same origin: the credentials go along. */
      g_assert_cmpstr (ferry_test_request_get_header (second, "Authorization"), ==,
                       "Bearer same-origin");
    }
}

static void
test_redirect_other_origin_drops_credentials (Fixture       *fixture,
                                              gconstpointer  user_data)
{
  FerryTestServer *other = ferry_test_server_new ();
  g_autofree char *target = ferry_test_server_url (other, "/elsewhere");
  g_autofree char *location = g_strdup_printf ("Location: %s", target);
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/away");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  FerryTestRequest *request;

  task->body = g_bytes_new_static ("payload", 7);
  task->secret_headers = g_strsplit ("X-Session", ",", -1);
  ferry_task_add_header (task, "Authorization", "Bearer first-origin-only");
  ferry_task_add_header (task, "Cookie", "sid=1");
  ferry_task_add_header (task, "X-Session", "abc");
  ferry_task_add_header (task, "X-Public", "fine");
  ferry_test_server_push_reply (fixture->server, "/away", 308, location, NULL);

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpuint (attempt->status, ==, 200);

  requests = ferry_test_server_dup_requests (other, "/elsewhere");
  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->method, ==, "PUT");
  assert_bytes_equal (request->body, "payload", 7);
  g_assert_null (ferry_test_request_get_header (request, "Authorization"));
  g_assert_null (ferry_test_request_get_header (request, "Cookie"));
  g_assert_null (ferry_test_request_get_header (request, "X-Session"));
  g_assert_cmpstr (ferry_test_request_get_header (request, "X-Public"), ==, "fine");
  g_assert_cmpstr (request->idempotency_key, ==, task->idempotency_key);

  g_clear_pointer (&requests, g_ptr_array_unref);
  ferry_test_server_free (other);
}

static void
test_redirect_loop (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/loop");
  g_autoptr(FerryAttempt) attempt = NULL;

  task->body = g_bytes_new_static ("x", 1);
  ferry_test_server_set_default (fixture->server, "/loop", 307, "Location: /loop", NULL);

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_REDIRECT_LOOP);
  g_assert_error (attempt->error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS);
  g_assert_cmpuint (ferry_classifier_classify (attempt->kind, attempt->status, NULL), ==,
                    FERRY_VERDICT_FAILED);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/loop"), >, 1);
}

static void
test_redirect_unfollowable (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(FerryTask) no_location = make_server_task (fixture, "PUT", "/no-location");
  g_autoptr(FerryTask) choices = make_server_task (fixture, "PUT", "/choices");
  g_autoptr(FerryAttempt) a = NULL;
  g_autoptr(FerryAttempt) b = NULL;

  ferry_test_server_push_reply (fixture->server, "/no-location", 302, NULL, "nowhere");
  ferry_test_server_push_reply (fixture->server, "/choices", 300, NULL, "pick one");

  a = ferry_test_send_and_wait (fixture->executor, no_location, NULL);
  g_assert_cmpint (a->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (a->status, ==, 302);
  g_assert_cmpuint (ferry_classifier_classify (a->kind, a->status, NULL), ==,
                    FERRY_VERDICT_FAILED);

  b = ferry_test_send_and_wait (fixture->executor, choices, NULL);
  g_assert_cmpint (b->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (b->status, ==, 300);
  assert_bytes_equal (b->response_body, "pick one", 8);
}

static void
test_redirect_see_other_and_moved (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(FerryTask) post = make_server_task (fixture, "POST", "/orders");
  g_autoptr(FerryTask) moved_post = make_server_task (fixture, "POST", "/old-orders");
  g_autoptr(FerryTask) moved_get = make_server_task (fixture, "GET", "/old-page");
  g_autoptr(FerryAttempt) a = NULL;
  g_autoptr(FerryAttempt) b = NULL;
  g_autoptr(FerryAttempt) c = NULL;
  g_autoptr(FerryTestRequest) result = NULL;
  g_autoptr(FerryTestRequest) page = NULL;

  post->body = g_bytes_new_static ("order", 5);
  post->if_match = g_strdup ("\"v1\"");
  moved_post->body = g_bytes_new_static ("order", 5);

  /* 303: the server handled the POST and points at the result. */
  ferry_test_server_push_reply (fixture->server, "/orders", 303, "Location: /orders/77", NULL);
  ferry_test_server_push_reply (fixture->server, "/orders/77", 200, NULL, "order 77");
  a = ferry_test_send_and_wait (fixture->executor, post, NULL);
  g_assert_cmpuint (a->status, ==, 200);
  assert_bytes_equal (a->response_body, "order 77", 8);
  result = only_request (fixture, "/orders/77");
  g_assert_cmpstr (result->method, ==, "GET");
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, 0);
  g_assert_null (ferry_test_request_get_header (result, "If-Match"));

  /* 301 after a POST is not turned into a GET: it comes back, and fails. */
  ferry_test_server_push_reply (fixture->server, "/old-orders", 301, "Location: /orders", NULL);
  b = ferry_test_send_and_wait (fixture->executor, moved_post, NULL);
  g_assert_cmpint (b->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (b->status, ==, 301);
  g_assert_cmpuint (ferry_classifier_classify (b->kind, b->status, NULL), ==,
                    FERRY_VERDICT_FAILED);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/orders"), ==, 1);

  /* A GET follows 301 and 302. */
  ferry_test_server_push_reply (fixture->server, "/old-page", 301, "Location: /mid", NULL);
  ferry_test_server_push_reply (fixture->server, "/mid", 302, "Location: /page", NULL);
  ferry_test_server_push_reply (fixture->server, "/page", 200, NULL, "page");
  c = ferry_test_send_and_wait (fixture->executor, moved_get, NULL);
  g_assert_cmpuint (c->status, ==, 200);
  assert_bytes_equal (c->response_body, "page", 4);
  page = only_request (fixture, "/page");
  g_assert_cmpstr (page->method, ==, "GET");
}

static void
test_large_body_cut (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gsize size = 200 * 1024;
  g_autofree char *big = g_malloc (size + 1);
  g_autoptr(FerryTask) task = make_server_task (fixture, "GET", "/big");
  g_autoptr(FerryTask) after = make_server_task (fixture, "GET", "/after");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) next = NULL;

  for (gsize i = 0; i < size; i++)
    big[i] = 'a' + i % 26;
  big[size] = '\0';
  ferry_test_server_push_reply (fixture->server, "/big", 200, NULL, big);

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  assert_bytes_equal (attempt->response_body, big, FERRY_TASK_MAX_RESPONSE_BODY);
  g_assert_true (attempt->body_cut);

  /* The executor is still fine afterwards. */
  next = ferry_test_send_and_wait (fixture->executor, after, NULL);
  g_assert_cmpuint (next->status, ==, 200);
  assert_bytes_equal (next->response_body, "ok", 2);
}

/* A raw server whose answer announces a gigabyte, sends 128 KiB and then
 * neither sends more nor closes: only a client that stops reading after
 * what it keeps can finish the exchange. */
typedef struct
{
  GSocketService *service;
  guint16         port;
  GPtrArray      *connections;
  GBytes         *answer;
} EndlessServer;

static gboolean
on_endless_incoming (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  EndlessServer *server = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_ptr_array_add (server->connections, g_object_ref (connection));
  g_output_stream_write_all_async (out, g_bytes_get_data (server->answer, NULL),
                                   g_bytes_get_size (server->answer), G_PRIORITY_DEFAULT,
                                   NULL, NULL, NULL);
  return TRUE;
}

static void
test_rest_of_body_not_read (void)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n";
  EndlessServer server = { 0 };
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autofree char *url = NULL;
  guint8 chunk[1024];

  memset (chunk, 'q', sizeof chunk);
  g_byte_array_append (answer, (const guint8 *) head, strlen (head));
  for (guint i = 0; i < 128; i++)
    g_byte_array_append (answer, chunk, sizeof chunk);
  server.answer = g_byte_array_free_to_bytes (g_steal_pointer (&answer));
  server.connections = g_ptr_array_new_with_free_func (g_object_unref);
  server.service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server.service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server.service, "incoming", G_CALLBACK (on_endless_incoming), &server);
  g_socket_service_start (server.service);

  url = g_strdup_printf ("http://127.0.0.1:%u/endless", server.port);
  task = make_task ("GET", url);
  attempt = ferry_test_send_and_wait (executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (attempt->response_body), ==, FERRY_TASK_MAX_RESPONSE_BODY);
  g_assert_true (attempt->body_cut);

  g_socket_service_stop (server.service);
  g_socket_listener_close (G_SOCKET_LISTENER (server.service));
  g_clear_object (&server.service);
  g_ptr_array_unref (server.connections);
  g_bytes_unref (server.answer);
}

static void
test_body_at_limit_kept_whole (Fixture       *fixture,
                               gconstpointer  user_data)
{
  gsize size = FERRY_TASK_MAX_RESPONSE_BODY;
  g_autofree char *body = g_malloc (size + 1);
  g_autoptr(FerryTask) task = make_server_task (fixture, "GET", "/exact");
  g_autoptr(FerryAttempt) attempt = NULL;

  memset (body, 'z', size);
  body[size] = '\0';
  ferry_test_server_push_reply (fixture->server, "/exact", 200, NULL, body);

  attempt = ferry_test_send_and_wait (fixture->executor, task, NULL);
  assert_bytes_equal (attempt->response_body, body, size);
  g_assert_false (attempt->body_cut);
}

/* A request may keep more than the default: a body of several megabytes
 * comes back whole, read in chunks, and one byte over its own limit is
 * cut there. */
static void
test_larger_limit (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gsize size = 3 * 1024 * 1024 + 17;
  g_autofree char *body = g_malloc (size + 1);
  g_autofree char *url = ferry_test_server_url (fixture->server, "/doc");
  g_autoptr(FerryHttpRequest) request = ferry_http_request_new ("GET", url);
  g_autoptr(FerryAttempt) whole = NULL;
  g_autoptr(FerryAttempt) cut = NULL;

  for (gsize i = 0; i < size; i++)
    body[i] = 'A' + (i * 7) % 26;
  body[size] = '\0';
  ferry_test_server_set_default (fixture->server, "/doc", 200, NULL, body);

  request->max_response_body = size;
  whole = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpuint (whole->status, ==, 200);
  assert_bytes_equal (whole->response_body, body, size);
  g_assert_false (whole->body_cut);

  request->max_response_body = size - 1;
  cut = ferry_test_request_and_wait (fixture->executor, request, NULL);
  assert_bytes_equal (cut->response_body, body, size - 1);
  g_assert_true (cut->body_cut);
}

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/held");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_hold (fixture->server, "/held");
  ferry_executor_send_async (fixture->executor, task, cancellable, ferry_test_store_result_cb,
                             &result);
  ferry_test_cancel_when_in_flight (fixture->server, cancellable);
  attempt = ferry_test_wait_attempt (fixture->executor, &result);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_CANCELLED);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ferry_classifier_classify (attempt->kind, attempt->status, NULL), ==,
                    FERRY_VERDICT_NOT_ATTEMPTED);

  /* The server notices the client left. */
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 0, 5000);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "PUT", "/never");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FerryAttempt) attempt = NULL;

  g_cancellable_cancel (cancellable);
  attempt = ferry_test_send_and_wait (fixture->executor, task, cancellable);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_CANCELLED);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/never"), ==, 0);
}

static void
test_cancel_while_queued (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(FerryTask) task = make_server_task (fixture, "GET", "/stream");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FerryAttempt) attempt = NULL;

  /* Cancelled as soon as the session has queued the message. */
  ferry_test_server_push_stall (fixture->server, "/stream", 20000);
  g_signal_connect_swapped (ferry_executor_get_session (fixture->executor), "request-queued",
                            G_CALLBACK (g_cancellable_cancel), cancellable);
  attempt = ferry_test_send_and_wait (fixture->executor, task, cancellable);
  g_signal_handlers_disconnect_by_data (ferry_executor_get_session (fixture->executor),
                                        cancellable);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_CANCELLED);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_tls_self_signed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ferry-test-cert.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;
  FerryTestServer *server;
  g_autofree char *url = NULL;
  const char *reason = NULL;

  g_assert_no_error (error);
  g_assert_true (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

  server = ferry_test_server_new_tls (certificate);
  url = ferry_test_server_url (server, "/secure");
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  task = make_task ("PUT", url);
  task->body = g_bytes_new_static ("secret", 6);

  attempt = ferry_test_send_and_wait (executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_TLS);
  g_assert_error (attempt->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (attempt->status, ==, 0);
  g_assert_cmpuint (ferry_classifier_classify (attempt->kind, attempt->status, &reason), ==,
                    FERRY_VERDICT_FAILED);
  g_assert_nonnull (strstr (reason, "never retried over plain HTTP"));
  /* Nothing reached the handler. */
  g_assert_cmpuint (ferry_test_server_count_requests (server, NULL), ==, 0);

  ferry_test_server_free (server);
}

static void
test_tls_trusted_and_no_downgrade (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ferry-test-cert.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (path, &error);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database,
                                                                  NULL);
  g_autoptr(FerryExecutor) executor = ferry_executor_new (session);
  FerryTestServer *secure;
  FerryTestServer *plain;
  g_autofree char *plain_url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *url = NULL;
  g_autofree char *moved_url = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryTask) moved = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) refused = NULL;

  g_assert_no_error (error);
  secure = ferry_test_server_new_tls (certificate);
  plain = ferry_test_server_new ();

  /* With the certificate trusted, the exchange goes through. */
  url = ferry_test_server_url (secure, "/secure");
  task = make_task ("PUT", url);
  task->body = g_bytes_new_static ("secret", 6);
  attempt = ferry_test_send_and_wait (executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  g_assert_cmpuint (ferry_test_server_count_requests (secure, "/secure"), ==, 1);

  /* A redirect from https to plain http is not followed. */
  plain_url = ferry_test_server_url (plain, "/clear");
  location = g_strdup_printf ("Location: %s", plain_url);
  ferry_test_server_push_reply (secure, "/moved", 307, location, NULL);
  moved_url = ferry_test_server_url (secure, "/moved");
  moved = make_task ("PUT", moved_url);
  moved->body = g_bytes_new_static ("secret", 6);
  refused = ferry_test_send_and_wait (executor, moved, NULL);
  g_assert_cmpint (refused->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (refused->status, ==, 307);
  g_assert_cmpuint (ferry_classifier_classify (refused->kind, refused->status, NULL), ==,
                    FERRY_VERDICT_FAILED);
  g_assert_cmpuint (ferry_test_server_count_requests (plain, NULL), ==, 0);

  ferry_test_server_free (plain);
  ferry_test_server_free (secure);
}

static void
test_fetch (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, "/notes/9");
  const char * const headers[] = { "Accept", "application/json", "Authorization", "Bearer x",
                                   NULL };
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryTestRequest) request = NULL;

  ferry_test_server_push_reply (fixture->server, "/notes/9", 200,
                                "ETag: \"server\"\nContent-Type: application/json",
                                "{\"title\":\"theirs\"}");
  attempt = fetch_and_wait (fixture->executor, url, headers);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  g_assert_cmpstr (attempt->etag, ==, "\"server\"");
  assert_bytes_equal (attempt->response_body, "{\"title\":\"theirs\"}", 18);

  request = only_request (fixture, "/notes/9");
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (ferry_test_request_get_header (request, "Accept"), ==, "application/json");
  g_assert_cmpstr (ferry_test_request_get_header (request, "Authorization"), ==, "Bearer x");
  g_assert_null (request->idempotency_key);
}

static void
test_fetch_failure (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, "/reset-me");
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_push_reset (fixture->server, "/reset-me");
  attempt = fetch_and_wait (fixture->executor, url, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_nonnull (attempt->error);
}

static void
test_bad_url (void)
{
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(FerryTask) task = make_task ("PUT", "ftp://127.0.0.1/file");
  g_autoptr(FerryAttempt) attempt = NULL;

  attempt = ferry_test_send_and_wait (executor, task, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_shared_session_concurrency (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  GAsyncResult *results[10] = { NULL };

  /* Held, the requests pile up; the per-host limit of the session caps
   * how many reach the server at once. */
  ferry_test_server_hold (fixture->server, "/many");
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      FerryTask *task = make_server_task (fixture, "PUT", "/many");

      g_ptr_array_add (tasks, task);
      ferry_executor_send_async (fixture->executor, task, NULL, ferry_test_store_result_cb,
                                 &results[i]);
    }
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 6, 5000);
  ferry_test_server_release (fixture->server, "/many");
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(FerryAttempt) attempt = NULL;

      FERRY_TEST_WAIT (results[i] != NULL, 10000);
      attempt = ferry_executor_request_finish (fixture->executor, results[i], NULL);
      g_assert_cmpuint (attempt->status, ==, 200);
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (fixture->server), ==, 6);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/many"), ==, 10);
}

/* The test utilities themselves. */

static void
test_util_network_monitor (void)
{
  g_autoptr(FerryTestNetworkMonitor) monitor = ferry_test_network_monitor_new ();
  GNetworkMonitor *network = G_NETWORK_MONITOR (monitor);
  g_autoptr(GSocketConnectable) loopback = g_network_address_new ("127.0.0.1", 80);
  g_autoptr(GSocketConnectable) localhost = g_network_address_new ("localhost", 80);
  g_autoptr(GSocketConnectable) lan = g_network_address_new ("nas.lan", 443);
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  guint notified = 0;

  g_assert_true (G_IS_INITABLE (monitor));
  g_assert_true (g_network_monitor_get_network_available (network));
  g_assert_cmpint (g_network_monitor_get_connectivity (network), ==,
                   G_NETWORK_CONNECTIVITY_FULL);
  g_assert_false (g_network_monitor_get_network_metered (network));

  g_signal_connect_swapped (monitor, "network-changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect_swapped (monitor, "notify::connectivity", G_CALLBACK (count_signal),
                            &notified);

  ferry_test_network_monitor_set_state (monitor, TRUE, G_NETWORK_CONNECTIVITY_LOCAL, TRUE);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (g_network_monitor_get_network_metered (network));
  g_assert_cmpint (g_network_monitor_get_connectivity (network), ==,
                   G_NETWORK_CONNECTIVITY_LOCAL);

  /* No change, no signal. */
  ferry_test_network_monitor_set_state (monitor, TRUE, G_NETWORK_CONNECTIVITY_LOCAL, TRUE);
  g_assert_cmpuint (changed, ==, 1);

  g_assert_true (g_network_monitor_can_reach (network, loopback, NULL, NULL));
  g_assert_true (g_network_monitor_can_reach (network, localhost, NULL, NULL));
  g_assert_false (g_network_monitor_can_reach (network, lan, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
  g_clear_error (&error);

  ferry_test_network_monitor_add_reachable (monitor, "NAS.lan");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (g_network_monitor_can_reach (network, lan, NULL, NULL));

  ferry_test_network_monitor_set_state (monitor, FALSE, G_NETWORK_CONNECTIVITY_LOCAL, FALSE);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_false (g_network_monitor_get_network_available (network));
  g_assert_false (g_network_monitor_can_reach (network, loopback, NULL, NULL));
  g_assert_false (g_network_monitor_can_reach (network, lan, NULL, NULL));

  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (monitor), ==, 6);
}

static void
test_util_network_monitor_async (void)
{
  g_autoptr(FerryTestNetworkMonitor) monitor = ferry_test_network_monitor_new ();
  g_autoptr(GSocketConnectable) loopback = g_network_address_new ("::1", 80);
  g_autoptr(GSocketConnectable) remote = g_network_address_new ("example.org", 80);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  g_network_monitor_can_reach_async (G_NETWORK_MONITOR (monitor), loopback, NULL,
                                     ferry_test_store_result_cb, &first);
  g_network_monitor_can_reach_async (G_NETWORK_MONITOR (monitor), remote, NULL,
                                     ferry_test_store_result_cb, &second);
  FERRY_TEST_WAIT (first != NULL && second != NULL, 5000);
  g_assert_true (g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (monitor), first, NULL));
  g_assert_false (g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (monitor), second,
                                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
  g_assert_cmpuint (ferry_test_network_monitor_get_reach_calls (monitor), ==, 2);
}

static void
test_util_power_monitor (void)
{
  g_autoptr(FerryTestPowerMonitor) monitor = ferry_test_power_monitor_new ();
  guint notified = 0;

  g_assert_false (g_power_profile_monitor_get_power_saver_enabled (
    G_POWER_PROFILE_MONITOR (monitor)));
  g_signal_connect_swapped (monitor, "notify::power-saver-enabled", G_CALLBACK (count_signal),
                            &notified);
  ferry_test_power_monitor_set_power_saver (monitor, TRUE);
  ferry_test_power_monitor_set_power_saver (monitor, TRUE);
  g_assert_true (g_power_profile_monitor_get_power_saver_enabled (
    G_POWER_PROFILE_MONITOR (monitor)));
  g_assert_cmpuint (notified, ==, 1);
}

static void
test_util_hold_release (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(FerryTask) a = make_server_task (fixture, "PUT", "/gate");
  g_autoptr(FerryTask) b = make_server_task (fixture, "PUT", "/gate?second");
  g_autoptr(GAsyncResult) result_a = NULL;
  g_autoptr(GAsyncResult) result_b = NULL;
  g_autoptr(FerryAttempt) attempt_a = NULL;
  g_autoptr(FerryAttempt) attempt_b = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_test_server_hold (fixture->server, "/gate");
  ferry_test_server_push_reply (fixture->server, "/gate", 202, NULL, "first");
  ferry_test_server_push_reply (fixture->server, "/gate", 201, NULL, "second");
  ferry_executor_send_async (fixture->executor, a, NULL, ferry_test_store_result_cb, &result_a);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, 5000);
  ferry_executor_send_async (fixture->executor, b, NULL, ferry_test_store_result_cb, &result_b);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 2, 5000);

  /* Held requests are logged already. */
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/gate"), ==, 2);
  g_assert_null (result_a);
  g_assert_null (result_b);

  ferry_test_server_release (fixture->server, "/gate");
  FERRY_TEST_WAIT (result_a != NULL && result_b != NULL, 5000);
  g_assert_cmpuint (ferry_test_server_get_in_flight (fixture->server), ==, 0);
  g_assert_cmpuint (ferry_test_server_get_max_in_flight (fixture->server), ==, 2);

  attempt_a = ferry_executor_request_finish (fixture->executor, result_a, NULL);
  attempt_b = ferry_executor_request_finish (fixture->executor, result_b, NULL);
  g_assert_cmpuint (attempt_a->status, ==, 202);
  g_assert_cmpuint (attempt_b->status, ==, 201);

  requests = ferry_test_server_dup_requests (fixture->server, "/gate");
  g_assert_cmpstr (((FerryTestRequest *) requests->pdata[0])->path, ==, "/gate");
  g_assert_cmpstr (((FerryTestRequest *) requests->pdata[1])->path, ==, "/gate?second");
  g_assert_cmpint (((FerryTestRequest *) requests->pdata[0])->received, <=,
                   ((FerryTestRequest *) requests->pdata[1])->received);
}

static void
test_util_held_at_shutdown (void)
{
  FerryTestServer *server = ferry_test_server_new ();
  g_autofree char *url = ferry_test_server_url (server, "/forever");
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(FerryTask) task = make_task ("PUT", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_hold (server, "/forever");
  ferry_executor_send_async (executor, task, NULL, ferry_test_store_result_cb, &result);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (server) == 1, 5000);

  /* Freeing lets the held request go first and then stops cleanly. */
  ferry_test_server_free (server);
  FERRY_TEST_WAIT (result != NULL, 5000);
  attempt = ferry_executor_request_finish (executor, result, NULL);
  g_assert_nonnull (attempt);
  g_assert_true (attempt->kind == FERRY_OUTCOME_HTTP || attempt->kind == FERRY_OUTCOME_NETWORK);
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_util_wait_until (void)
{
  gboolean flag = FALSE;
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *other = ferry_test_make_temp_dir ();

  g_idle_add (set_flag, &flag);
  ferry_test_wait_until (flag_is_set, &flag, 5000, "the idle callback");
  g_assert_true (flag);

  /* A brief iteration returns on its own when nothing else is pending. */
  ferry_test_iterate_briefly ();
  g_assert_false (g_main_context_pending (NULL));

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpstr (dir, !=, other);
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only; the desktop proxy resolvers need system settings the
   * isolated test directories hide. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/engine/executor/properties", test_properties);
  ADD ("/engine/executor/success/round-trip", test_success_round_trip);
  ADD ("/engine/executor/success/empty-body", test_success_empty_body);
  ADD ("/engine/executor/idempotency-key-every-attempt", test_idempotency_key_every_attempt);
  ADD ("/engine/executor/if-match", test_if_match);
  ADD ("/engine/executor/body/binary-and-content-type", test_binary_body);
  ADD ("/engine/executor/body/transport-headers-not-sent", test_transport_headers_not_sent);
  ADD ("/engine/executor/error-statuses", test_error_statuses);
  ADD ("/engine/executor/network/reset", test_connection_reset);
  ADD ("/engine/executor/network/timeout", test_timeout);
  ADD ("/engine/executor/network/stall-within-timeout", test_stall_shorter_than_timeout);
  g_test_add_func ("/engine/executor/network/refused", test_connection_refused);
  ADD ("/engine/executor/redirect/keeps-method-and-body", test_redirect_keeps_method_and_body);
  ADD ("/engine/executor/redirect/other-origin-drops-credentials",
       test_redirect_other_origin_drops_credentials);
  ADD ("/engine/executor/redirect/see-other-and-moved", test_redirect_see_other_and_moved);
  ADD ("/engine/executor/redirect/loop", test_redirect_loop);
  ADD ("/engine/executor/redirect/unfollowable", test_redirect_unfollowable);
  ADD ("/engine/executor/response/large-body-cut", test_large_body_cut);
  ADD ("/engine/executor/response/larger-limit", test_larger_limit);
  ADD ("/engine/executor/response/body-at-limit", test_body_at_limit_kept_whole);
  g_test_add_func ("/engine/executor/response/rest-not-read", test_rest_of_body_not_read);
  ADD ("/engine/executor/cancel/in-flight", test_cancel_in_flight);
  ADD ("/engine/executor/cancel/before-start", test_cancel_before_start);
  ADD ("/engine/executor/cancel/while-queued", test_cancel_while_queued);
  g_test_add_func ("/engine/executor/tls/self-signed", test_tls_self_signed);
  g_test_add_func ("/engine/executor/tls/trusted-and-no-downgrade",
                   test_tls_trusted_and_no_downgrade);
  ADD ("/engine/executor/fetch/success", test_fetch);
  ADD ("/engine/executor/fetch/failure", test_fetch_failure);
  g_test_add_func ("/engine/executor/bad-url", test_bad_url);
  ADD ("/engine/executor/session/per-host-limit", test_shared_session_concurrency);

  g_test_add_func ("/tests/util/network-monitor", test_util_network_monitor);
  g_test_add_func ("/tests/util/network-monitor-async", test_util_network_monitor_async);
  g_test_add_func ("/tests/util/power-monitor", test_util_power_monitor);
  ADD ("/tests/util/hold-release", test_util_hold_release);
  g_test_add_func ("/tests/util/held-at-shutdown", test_util_held_at_shutdown);
  g_test_add_func ("/tests/util/wait-until", test_util_wait_until);

#undef ADD

  return g_test_run ();
}
