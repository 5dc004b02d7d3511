/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-executor-file"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ferry-executor.h"
#include "ferry-test-executor.h"
#include "ferry-test-util.h"

/*
 * Bodies sent from a file.  A small one goes from the main loop, a large
 * one from a thread of its own with blocking I/O (ferry-executor-thread.c);
 * every case runs with both sizes, so the two ways are held to the same
 * outcomes: the exact bytes on the wire, byte progress in the caller's
 * thread ending at the size, the answer read up to its limit, a redirect
 * sending the file again, failures and cancellation as attempts.
 */

#define SMALL (100 * 1000)
#define LARGE (3 * 1024 * 1024 + 7)

typedef struct
{
  FerryTestServer *server;
  FerryExecutor   *executor;
  char            *dir;
  char            *path;
  GBytes          *body;
  GArray          *progress;    /* goffset, as reported */
  gboolean         progress_elsewhere;
  GThread         *main_thread;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  gsize size = GPOINTER_TO_SIZE (user_data);
  guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + i / 4096);
  fixture->body = g_bytes_new_take (data, size);
  fixture->dir = g_dir_make_tmp ("ferry-executor-file-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "body", NULL);
  g_file_set_contents (fixture->path, (const char *) data, size, &error);
  g_assert_no_error (error);
  fixture->server = ferry_test_server_new ();
  fixture->executor = ferry_executor_new (NULL);
  fixture->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  fixture->main_thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->executor);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_bytes_unref (fixture->body);
  g_array_unref (fixture->progress);
}

static void
on_progress (goffset  sent,
             gpointer data)
{
  Fixture *fixture = data;

  if (g_thread_self () != fixture->main_thread)
    fixture->progress_elsewhere = TRUE;
  g_array_append_val (fixture->progress, sent);
}

static FerryHttpRequest *
file_request (Fixture    *fixture,
              const char *method,
              const char *path)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, path);
  FerryHttpRequest *request = ferry_http_request_new (method, url);

  request->body_path = g_strdup (fixture->path);
  request->body_size = g_bytes_get_size (fixture->body);
  request->content_type = g_strdup ("application/x-ferry-test");
  request->idempotency_key = g_uuid_string_random ();
  request->body_progress = on_progress;
  request->body_progress_data = fixture;
  return request;
}

static void
assert_body_received (Fixture    *fixture,
                      const char *path)
{
  g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, path);
  FerryTestRequest *request;

  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  g_assert_true (g_bytes_equal (request->body, fixture->body));
  g_assert_cmpstr (ferry_test_request_get_header (request, "Content-Type"), ==,
                   "application/x-ferry-test");
}

/* Progress came in the caller's thread, for @copies copies of the body
 * each counted from its start, never backwards within one, ending at the
 * whole size. */
static void
assert_progress_whole (Fixture *fixture,
                       guint    copies)
{
  goffset size = g_bytes_get_size (fixture->body);
  guint starts = 1;

  g_assert_false (fixture->progress_elsewhere);
  g_assert_cmpuint (fixture->progress->len, >, 0);
  for (guint i = 1; i < fixture->progress->len; i++)
    {
      goffset before = g_array_index (fixture->progress, goffset, i - 1);
      goffset now = g_array_index (fixture->progress, goffset, i);

      if (now < before)
        {
          /* A new copy: the one before went out whole. */
          g_assert_cmpint (before, ==, size);
          starts++;
        }
    }
  g_assert_cmpuint (starts, ==, copies);
  g_assert_cmpint (g_array_index (fixture->progress, goffset, fixture->progress->len - 1), ==,
                   size);
}

static void
test_sent_exact (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) request = file_request (fixture, "PUT", "/file");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) again = NULL;

  ferry_test_server_push_reply (fixture->server, "/file", 201, "ETag: \"v1\"", "stored");
  attempt = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 201);
  g_assert_cmpstr (attempt->etag, ==, "\"v1\"");
  g_assert_nonnull (attempt->response_body);
  g_assert_cmpmem (g_bytes_get_data (attempt->response_body, NULL),
                   g_bytes_get_size (attempt->response_body), "stored", 6);
  g_assert_false (attempt->body_cut);
  assert_body_received (fixture, "/file");
  assert_progress_whole (fixture, 1);
  /* A large body went on a connection of its own, closed after it. */
  {
    g_autoptr(GPtrArray) requests = ferry_test_server_dup_requests (fixture->server, "/file");
    const char *connection = ferry_test_request_get_header (requests->pdata[0], "Connection");

    if (g_bytes_get_size (fixture->body) >= 1024 * 1024)
      g_assert_cmpstr (connection, ==, "close");
    else
      g_assert_cmpstr (connection, !=, "close");
  }

  /* The same request again reads the file again from its start. */
  g_array_set_size (fixture->progress, 0);
  again = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/file"), ==, 2);
  assert_progress_whole (fixture, 1);
}

/* A 307 sends the whole file again to the new place. */
static void
test_redirect_sends_again (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) request = file_request (fixture, "POST", "/from");
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_push_reply (fixture->server, "/from", 307, "Location: /to", "moved");
  ferry_test_server_push_reply (fixture->server, "/to", 200, NULL, "done");
  attempt = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (attempt->response_body, NULL),
                   g_bytes_get_size (attempt->response_body), "done", 4);
  assert_body_received (fixture, "/from");
  assert_body_received (fixture, "/to");
  assert_progress_whole (fixture, 2);
}

/* An answer longer than the limit is kept up to it and said to be cut. */
static void
test_answer_cut (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) request = file_request (fixture, "PUT", "/long");
  g_autoptr(FerryHttpRequest) next = file_request (fixture, "PUT", "/next");
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) after = NULL;
  g_autofree char *long_answer = g_strnfill (300 * 1024, 'x');

  ferry_test_server_push_reply (fixture->server, "/long", 200, NULL, long_answer);
  attempt = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpuint (attempt->status, ==, 200);
  g_assert_true (attempt->body_cut);
  g_assert_cmpuint (g_bytes_get_size (attempt->response_body), ==,
                    ferry_http_request_get_max_response_body (request));

  after = ferry_test_request_and_wait (fixture->executor, next, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_false (after->body_cut);
}

/* A connection reset before an answer, and an answer cut by a reset, are
 * network failures; the next attempt goes through. */
static void
test_network_failures (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) reset = file_request (fixture, "PUT", "/reset");
  g_autoptr(FerryHttpRequest) cut = file_request (fixture, "PUT", "/cut");
  g_autoptr(FerryAttempt) first = NULL;
  g_autoptr(FerryAttempt) second = NULL;
  g_autoptr(FerryAttempt) third = NULL;

  ferry_test_server_push_reset (fixture->server, "/reset");
  first = ferry_test_request_and_wait (fixture->executor, reset, NULL);
  g_assert_cmpint (first->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_nonnull (first->error);
  g_assert_null (first->response_body);

  ferry_test_server_push_cut (fixture->server, "/cut");
  second = ferry_test_request_and_wait (fixture->executor, cut, NULL);
  g_assert_cmpint (second->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_nonnull (second->error);
  g_assert_null (second->response_body);

  third = ferry_test_request_and_wait (fixture->executor, reset, NULL);
  g_assert_cmpint (third->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (third->status, ==, 200);
}

/* Cancelled while the server holds the answer: a cancelled attempt. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) request = file_request (fixture, "PUT", "/held");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_test_server_hold (fixture->server, "/held");
  ferry_executor_request_async (fixture->executor, request, cancellable,
                                ferry_test_store_result_cb, &result);
  ferry_test_cancel_when_in_flight (fixture->server, cancellable);
  attempt = ferry_test_wait_attempt (fixture->executor, &result);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_CANCELLED);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 0, 10000);
  ferry_test_server_release (fixture->server, "/held");
}

/* A file gone before the attempt fails it at once, naming the body,
 * without sending anything. */
static void
test_file_gone (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(FerryHttpRequest) request = file_request (fixture, "PUT", "/gone");
  g_autoptr(FerryAttempt) attempt = NULL;

  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  attempt = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpint (attempt->kind, !=, FERRY_OUTCOME_HTTP);
  g_assert_error (attempt->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (attempt->error->message, "body"));
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/gone"), ==, 0);
}

/* Over TLS: with the certificate trusted the file arrives whole; a
 * certificate nobody trusts fails the attempt before any byte of it. */
static void
test_tls (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "ferry-test-cert.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (cert_path, &error);
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (cert_path, &error);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database,
                                                                  NULL);
  g_autoptr(FerryHttpRequest) request = NULL;
  g_autoptr(FerryHttpRequest) untrusted = NULL;
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) refused = NULL;

  g_assert_no_error (error);
  ferry_test_server_free (fixture->server);
  fixture->server = ferry_test_server_new_tls (certificate);

  g_clear_object (&fixture->executor);
  fixture->executor = ferry_executor_new (session);
  request = file_request (fixture, "PUT", "/secure");
  attempt = ferry_test_request_and_wait (fixture->executor, request, NULL);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status, ==, 200);
  assert_body_received (fixture, "/secure");
  assert_progress_whole (fixture, 1);

  /* The default session trusts only the system's authorities. */
  g_clear_object (&fixture->executor);
  fixture->executor = ferry_executor_new (NULL);
  untrusted = file_request (fixture, "PUT", "/untrusted");
  refused = ferry_test_request_and_wait (fixture->executor, untrusted, NULL);
  g_assert_cmpint (refused->kind, ==, FERRY_OUTCOME_TLS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/untrusted"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/executor/file/small/" path, Fixture, GSIZE_TO_POINTER (SMALL), \
              fixture_set_up, func, fixture_tear_down); \
  g_test_add ("/engine/executor/file/large/" path, Fixture, GSIZE_TO_POINTER (LARGE), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("sent-exact", test_sent_exact);
  ADD ("redirect-sends-again", test_redirect_sends_again);
  ADD ("answer-cut", test_answer_cut);
  ADD ("network-failures", test_network_failures);
  ADD ("cancel", test_cancel);
  ADD ("file-gone", test_file_gone);
  ADD ("tls", test_tls);

#undef ADD

  return g_test_run ();
}
