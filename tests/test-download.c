/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-download"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-download.h"
#include "ferry-download-private.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"

/*
 * FerryDownload against the range server: every way a server can answer
 * a resumed download ends with exactly the server's bytes under the
 * destination name, or with a clear failure and nothing there.
 */

#define SIZE   (3 * 1024 * 1024 + 123)   /* not a multiple of any chunk */
#define SEED   7
#define SEED2  8
#define OLD_DATE "Mon, 01 Jun 2026 10:00:00 GMT"
#define NOW_DATE "Tue, 02 Jun 2026 10:00:00 GMT"

typedef struct
{
  FerryRangeServer *server;
  FerryExecutor    *executor;
  char             *dir;
  char             *part;
  char             *dest;
  char             *url;
  guint             checkpoints;
  gboolean          checkpoint_before_body;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = ferry_range_server_new ();
  fixture->executor = ferry_executor_new (NULL);
  fixture->dir = ferry_test_make_temp_dir ();
  fixture->part = g_build_filename (fixture->dir, ".file.part", NULL);
  fixture->dest = g_build_filename (fixture->dir, "file", NULL);
  fixture->url = ferry_range_server_url (fixture->server, "/file");
  ferry_range_server_set_pattern (fixture->server, "/file", SIZE, SEED);
  ferry_range_server_set_validators (fixture->server, "/file", "\"v1\"", OLD_DATE, NOW_DATE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_unlink (fixture->part);
  g_unlink (fixture->dest);
  g_rmdir (fixture->dir);
  g_object_unref (fixture->executor);
  ferry_range_server_free (fixture->server);
  g_free (fixture->dir);
  g_free (fixture->part);
  g_free (fixture->dest);
  g_free (fixture->url);
}

static void
on_checkpoint (FerryDownload *download,
               Fixture       *fixture)
{
  fixture->checkpoints++;
  if (fixture->checkpoints == 1 && ferry_download_get_done (download) == 0)
    fixture->checkpoint_before_body = TRUE;
}

static FerryDownload *
new_download (Fixture *fixture)
{
  g_autoptr(FerryHttpRequest) request = ferry_http_request_new ("GET", fixture->url);
  FerryDownload *download;

  ferry_http_request_add_header (request, "Accept-Encoding", "gzip");
  download = ferry_download_new (fixture->executor, request, fixture->part, fixture->dest);
  g_signal_connect (download, "checkpoint", G_CALLBACK (on_checkpoint), fixture);
  return download;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  FerryAttempt **out = user_data;

  *out = ferry_download_run_finish (FERRY_DOWNLOAD (object), result);
}

static FerryAttempt *
run (FerryDownload *download)
{
  FerryAttempt *attempt = NULL;

  ferry_download_run_async (download, NULL, run_cb, &attempt);
  FERRY_TEST_WAIT (attempt != NULL, 20000);
  return attempt;
}

/* The destination holds exactly the pattern of @seed, and no partial is
 * left. */
static void
assert_file (Fixture *fixture,
             guint32  seed,
             gsize    size)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *expected = g_malloc (size);
  gsize length = 0;

  g_assert_true (g_file_get_contents (fixture->dest, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, size);
  ferry_range_pattern_fill (seed, 0, expected, size);
  g_assert_true (memcmp (contents, expected, size) == 0);
  g_assert_false (g_file_test (fixture->part, G_FILE_TEST_EXISTS));
}

static void
assert_succeeded (FerryAttempt *attempt)
{
  if (attempt->error != NULL)
    g_error ("download failed: %s", attempt->error->message);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (attempt->status / 100, ==, 2);
}

/* Writes the first @length bytes of the pattern of @seed as the partial
 * file, as an earlier run left it. */
static void
write_partial (Fixture *fixture,
               guint32  seed,
               gsize    length)
{
  g_autofree guint8 *bytes = g_malloc (MAX (length, 1));

  ferry_range_pattern_fill (seed, 0, bytes, length);
  g_assert_true (g_file_set_contents (fixture->part, (const char *) bytes, length, NULL));
}

static FerryRangeRequest *
request_at (GPtrArray *requests,
            guint      index)
{
  g_assert_cmpuint (index, <, requests->len);
  return g_ptr_array_index (requests, index);
}

static void
test_whole (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, SIZE);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_download_set_expected (download, SIZE, sha);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 1);
  /* No content coding, whatever the app's headers said, and no range. */
  g_assert_cmpstr (request_at (requests, 0)->accept_encoding, ==, "identity");
  g_assert_null (request_at (requests, 0)->range);
  g_assert_true (fixture->checkpoint_before_body);
  g_assert_cmpint (ferry_download_get_total (download), ==, SIZE);
  g_assert_cmpstr (ferry_download_get_etag (download), ==, "\"v1\"");
}

/* Cuts at scripted offsets: the run asks for the rest each time, with
 * If-Range, and no byte is fetched twice. */
static void
test_cuts (Fixture       *fixture,
           gconstpointer  data)
{
  static const guint64 cuts[] = { 1, 65536, 1000000, 1 };
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  guint64 at = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, cuts[i]);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  g_assert_cmpuint (ferry_range_server_get_body_sent (fixture->server), ==, SIZE);

  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (cuts) + 1);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryRangeRequest *request = request_at (requests, i);
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GUINT64_FORMAT "-", at);

      if (i == 0)
        g_assert_null (request->range);
      else
        {
          g_assert_cmpstr (request->range, ==, range);
          g_assert_cmpstr (request->if_range, ==, "\"v1\"");
        }
      if (i < G_N_ELEMENTS (cuts))
        at += cuts[i];
    }
  g_assert_cmpuint (ferry_download_get_received (download), ==, SIZE);
}

/* A cut on a reused kept-alive connection is resumed the same way. */
static void
test_cut_on_reused_connection (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(FerryAttempt) first = NULL;

  /* A first download leaves its connection open in the session. */
  ferry_range_server_set_pattern (fixture->server, "/small", 10, SEED);
  {
    g_autoptr(FerryHttpRequest) request = NULL;
    g_autoptr(FerryDownload) small = NULL;
    g_autofree char *url = ferry_range_server_url (fixture->server, "/small");
    g_autofree char *dest = g_build_filename (fixture->dir, "small", NULL);
    g_autofree char *part = g_build_filename (fixture->dir, ".small.part", NULL);

    request = ferry_http_request_new ("GET", url);
    small = ferry_download_new (fixture->executor, request, part, dest);
    first = run (small);
    assert_succeeded (first);
    g_unlink (dest);
  }
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 5000);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_true (request_at (requests, 1)->reused);
  g_assert_cmpuint (request_at (requests, 1)->body_sent, ==, 5000);
  g_assert_cmpstr (request_at (requests, 2)->range, ==, "bytes=5000-");
}

/* Resets (what the server's socket still held is lost): whatever came is
 * kept, and runs, as the outbox would repeat them, end with the file. */
static void
test_resets (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, SIZE);
  guint runs = 0;

  ferry_download_set_expected (download, SIZE, sha);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_RESET, 200000);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_RESET, 1500000);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_RESET, 10);
  for (;;)
    {
      g_autoptr(FerryAttempt) attempt = run (download);

      runs++;
      if (attempt->kind == FERRY_OUTCOME_HTTP)
        break;
      g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NETWORK);
      g_assert_cmpuint (runs, <, 5);
    }
  assert_file (fixture, SEED, SIZE);
}

/* A later run (after a crash) starts from the partial file on disk. */
static void
test_resume_from_disk (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, SIZE);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  write_partial (fixture, SEED, 1234567);
  ferry_download_set_validator (download, "\"v1\"", NULL, SIZE);
  ferry_download_set_expected (download, SIZE, sha);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (request_at (requests, 0)->range, ==, "bytes=1234567-");
  g_assert_cmpuint (request_at (requests, 0)->status, ==, 206);
  g_assert_cmpuint (ferry_range_server_get_body_sent (fixture->server), ==, SIZE - 1234567);
}

/* The file changed between runs; the server honours If-Range and sends
 * the whole new file, which replaces the partial. */
static void
test_changed_if_range_honoured (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  write_partial (fixture, SEED, 100000);
  ferry_download_set_validator (download, "\"v1\"", NULL, SIZE);
  ferry_range_server_set_pattern (fixture->server, "/file", SIZE - 5, SEED2);
  ferry_range_server_set_validators (fixture->server, "/file", "\"v2\"", NULL, NULL);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED2, SIZE - 5);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (request_at (requests, 0)->if_range, ==, "\"v1\"");
  g_assert_cmpuint (request_at (requests, 0)->status, ==, 200);
  g_assert_cmpstr (ferry_download_get_etag (download), ==, "\"v2\"");
}

/* The same, with a server that ignores If-Range: its 206 carries the new
 * ETag, and the run starts over rather than splice two versions. */
static void
test_changed_if_range_ignored (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  write_partial (fixture, SEED, 100000);
  ferry_download_set_validator (download, "\"v1\"", NULL, SIZE);
  ferry_range_server_set_honour (fixture->server, TRUE, FALSE);
  ferry_range_server_set_pattern (fixture->server, "/file", SIZE, SEED2);
  ferry_range_server_set_validators (fixture->server, "/file", "\"v2\"", NULL, NULL);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED2, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpuint (request_at (requests, 0)->status, ==, 206);
  g_assert_null (request_at (requests, 1)->range);
  g_assert_cmpuint (request_at (requests, 1)->status, ==, 200);
}

/* A weak ETag never goes into If-Range; a resumed 206 with the same weak
 * ETag is appended, one with another starts over. */
static void
test_weak_etag (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) again = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_range_server_set_validators (fixture->server, "/file", "W/\"w1\"", NULL, NULL);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 70000);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (request_at (requests, 1)->range, ==, "bytes=70000-");
  g_assert_null (request_at (requests, 1)->if_range);

  /* Another version behind another weak ETag, resumed from a partial of
   * the first: the run notices and starts over. */
  g_unlink (fixture->dest);
  write_partial (fixture, SEED, 50000);
  ferry_download_set_validator (download, "W/\"w1\"", NULL, SIZE);
  ferry_range_server_set_pattern (fixture->server, "/file", SIZE, SEED2);
  ferry_range_server_set_validators (fixture->server, "/file", "W/\"w2\"", NULL, NULL);
  again = run (download);
  assert_succeeded (again);
  assert_file (fixture, SEED2, SIZE);
}

/* Without an ETag, a Last-Modified a day older than the Date is strong
 * and goes into If-Range; one as old as the Date is not. */
static void
test_last_modified (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) again = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_range_server_set_validators (fixture->server, "/file", NULL, OLD_DATE, NOW_DATE);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 4096);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpstr (request_at (requests, 1)->if_range, ==, OLD_DATE);

  g_unlink (fixture->dest);
  g_clear_pointer (&requests, g_ptr_array_unref);
  ferry_range_server_set_validators (fixture->server, "/file", NULL, NOW_DATE, NOW_DATE);
  ferry_download_set_validator (download, NULL, NULL, -1);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 4096);
  again = run (download);
  assert_succeeded (again);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpstr (request_at (requests, 3)->range, ==, "bytes=4096-");
  g_assert_null (request_at (requests, 3)->if_range);
}

/* 416 for a partial that is already complete: checked and renamed, no
 * body fetched. */
static void
test_416_complete (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, SIZE);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  write_partial (fixture, SEED, SIZE);
  ferry_download_set_validator (download, "\"v1\"", NULL, SIZE);
  ferry_download_set_expected (download, -1, sha);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpuint (request_at (requests, 0)->status, ==, 416);
  g_assert_cmpuint (ferry_range_server_get_body_sent (fixture->server), ==, 0);
}

/* 416 because the file shrank below the partial: start over. */
static void
test_416_shrunk (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  write_partial (fixture, SEED, 200000);
  ferry_range_server_set_pattern (fixture->server, "/file", 1000, SEED2);
  ferry_range_server_set_validators (fixture->server, "/file", "\"v1\"", NULL, NULL);
  ferry_download_set_validator (download, "\"v1\"", NULL, -1);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED2, 1000);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpuint (request_at (requests, 0)->status, ==, 416);
  g_assert_null (request_at (requests, 1)->range);
}

/* A Content-Length that promises more than comes: the short body is kept
 * and the rest asked for, on a 200 and on a 206. */
static void
test_lying_length (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 300000);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_LIE, 1000);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
  requests = ferry_range_server_dup_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpuint (request_at (requests, 1)->status, ==, 206);
}

/* A server that says less than it sends, or a file that is not what was
 * expected: a clear failure, and neither partial nor destination. */
static void
test_checks_fail (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryDownload) sized = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;
  g_autoptr(FerryAttempt) wrong_size = NULL;

  ferry_download_set_expected (download, -1, "00000000000000000000000000000000"
                                              "00000000000000000000000000000000");
  attempt = run (download);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_UNUSABLE);
  g_assert_nonnull (strstr (attempt->error->message, "SHA-256"));
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fixture->part, G_FILE_TEST_EXISTS));

  ferry_download_set_expected (sized, SIZE + 1, NULL);
  wrong_size = run (sized);
  g_assert_cmpint (wrong_size->kind, ==, FERRY_OUTCOME_UNUSABLE);
  g_assert_nonnull (strstr (wrong_size->error->message, "size"));
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fixture->part, G_FILE_TEST_EXISTS));
}

/* A server without ranges: each cut starts over with a 200. */
static void
test_no_ranges (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_range_server_set_honour (fixture->server, FALSE, FALSE);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 777);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 100000);
  attempt = run (download);
  assert_succeeded (attempt);
  assert_file (fixture, SEED, SIZE);
}

/* Refusals come back as the status; a cut before any byte as a network
 * error; the partial stays for the next run. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) busy = NULL;
  g_autoptr(FerryAttempt) cut = NULL;
  g_autoptr(FerryAttempt) done = NULL;

  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_STATUS, 503);
  busy = run (download);
  g_assert_cmpint (busy->kind, ==, FERRY_OUTCOME_HTTP);
  g_assert_cmpuint (busy->status, ==, 503);
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));

  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 90000);
  ferry_range_server_push_fault (fixture->server, "/file", FERRY_RANGE_FAULT_CUT, 0);
  cut = run (download);
  g_assert_cmpint (cut->kind, ==, FERRY_OUTCOME_NETWORK);
  g_assert_cmpint (ferry_download_private_file_size (fixture->part), ==, 90000);
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));

  done = run (download);
  assert_succeeded (done);
  assert_file (fixture, SEED, SIZE);
}

/* A file larger than the room it may take is refused before its body. */
static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(FerryDownload) download = new_download (fixture);
  g_autoptr(FerryAttempt) attempt = NULL;

  ferry_download_set_limit (download, SIZE - 1);
  attempt = run (download);
  g_assert_cmpint (attempt->kind, ==, FERRY_OUTCOME_NO_ROOM);
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));
  /* Refused on the headers: not a byte of the body taken. */
  g_assert_cmpuint (ferry_download_get_received (download), ==, 0);
  g_assert_cmpint (ferry_download_private_file_size (fixture->part), ==, 0);
}

static void
test_helpers (void)
{
  g_assert_cmpint (ferry_download_private_parse_unsatisfied_range ("bytes */1234"), ==, 1234);
  g_assert_cmpint (ferry_download_private_parse_unsatisfied_range ("bytes 0-1/2"), ==, -1);
  g_assert_cmpint (ferry_download_private_parse_unsatisfied_range ("bytes */"), ==, -1);
  g_assert_cmpint (ferry_download_private_parse_unsatisfied_range ("bytes */-4"), ==, -1);
  g_assert_cmpint (ferry_download_private_parse_unsatisfied_range (NULL), ==, -1);
  g_assert_cmpstr (ferry_download_private_strong_validator ("\"a\"", "x"), ==, "\"a\"");
  g_assert_null (ferry_download_private_strong_validator ("W/\"a\"", "x"));
  g_assert_cmpstr (ferry_download_private_strong_validator (NULL, "x"), ==, "x");
  g_assert_true (ferry_sha256_is_valid ("0123456789abcdef0123456789ABCDEF"
                                        "0123456789abcdef0123456789abcdef"));
  g_assert_false (ferry_sha256_is_valid ("0123"));
  g_assert_false (ferry_sha256_is_valid ("g123456789abcdef0123456789abcdef"
                                         "0123456789abcdef0123456789abcdef"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/download/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("whole", test_whole);
  ADD ("cuts", test_cuts);
  ADD ("cut-on-reused-connection", test_cut_on_reused_connection);
  ADD ("resets", test_resets);
  ADD ("resume-from-disk", test_resume_from_disk);
  ADD ("changed/if-range-honoured", test_changed_if_range_honoured);
  ADD ("changed/if-range-ignored", test_changed_if_range_ignored);
  ADD ("weak-etag", test_weak_etag);
  ADD ("last-modified", test_last_modified);
  ADD ("416/complete", test_416_complete);
  ADD ("416/shrunk", test_416_shrunk);
  ADD ("lying-content-length", test_lying_length);
  ADD ("checks-fail", test_checks_fail);
  ADD ("no-ranges", test_no_ranges);
  ADD ("refusals", test_refusals);
  ADD ("limit", test_limit);
#undef ADD
  g_test_add_func ("/engine/download/helpers", test_helpers);

  return g_test_run ();
}
