/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-range-server.h"

#include "test-ferryctl-util.h"

/*
 * ferryctl download, upload, transfers (with pause and resume) and storage
 * against the real ferryd and the range server.
 */

#define SEED 31

static void
test_download_and_storage (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  g_autofree char *url = ferry_range_server_url (server, "/atlas");
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, 400000);
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *dest = g_build_filename (dir, "atlas.bin", NULL);
  g_autofree char *stored = NULL;
  g_auto(CtlRun) got = { 0, };
  g_auto(CtlRun) kept = { 0, };
  g_auto(CtlRun) list = { 0, };
  g_auto(CtlRun) usage = { 0, };
  g_auto(CtlRun) clean = { 0, };
  g_auto(CtlRun) bad = { 0, };
  g_auto(CtlRun) negative = { 0, };
  g_autoptr(JsonNode) json = NULL;
  gsize length = 0;

  ferry_range_server_set_pattern (server, "/atlas", 400000, SEED);
  run_ctl (&got, "download", "--wait", "--sha256", sha, "--dest", dest, url);
  g_assert_cmpint (got.status, ==, 0);
  g_assert_true (g_file_get_contents (dest, &stored, &length, NULL));
  g_assert_cmpuint (length, ==, 400000);

  run_ctl (&kept, "download", "--wait", "--app-id", "org.example.Atlas", "--name", "atlas", url);
  g_assert_cmpint (kept.status, ==, 0);

  run_ctl (&list, "transfers");
  g_assert_cmpint (list.status, ==, 0);
  assert_contains (list.out, "download");
  assert_contains (list.out, dest);
  assert_contains (list.out, "400.0 kB of 400.0 kB (100%)");

  run_ctl (&usage, "storage", "--json");
  g_assert_cmpint (usage.status, ==, 0);
  json = parse_json (usage.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 1);
  assert_contains (usage.out, "\"bytes\" : 400000");

  run_ctl (&clean, "storage", "--clean", "org.example.Atlas");
  g_assert_cmpint (clean.status, ==, 0);
  assert_contains (clean.out, "Removed 1 file of org.example.Atlas.");

  /* A download that cannot succeed: exit 1 with the reason. */
  run_ctl (&bad, "download", "--wait", "--size", "5", "--dest", dest, url);
  g_assert_cmpint (bad.status, ==, 1);
  assert_contains (bad.err, "size");
  run_ctl (&negative, "download", "--size", "-5", url);
  g_assert_cmpint (negative.status, ==, 2);
  assert_contains (negative.err, "--size");
  g_unlink (dest);
  g_rmdir (dir);
}

static gboolean
uploaded (FerryRangeServer  *server,
          guint64           *out_size,
          char             **out_sha)
{
  g_clear_pointer (out_sha, g_free);
  return ferry_range_server_get_upload (server, out_size, out_sha);
}

static void
test_upload (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  g_autofree char *url = ferry_range_server_url (server, "/scans");
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "scan.pdf", NULL);
  g_autofree char *sha = NULL;
  g_autofree char *got_sha = NULL;
  g_auto(CtlRun) sent = { 0, };
  g_auto(CtlRun) missing = { 0, };
  g_auto(CtlRun) directory = { 0, };
  guint64 size = 0;

  g_assert_true (g_file_set_contents (path, "%PDF-1.7 scanned", -1, NULL));
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "%PDF-1.7 scanned", -1);
  run_ctl (&sent, "upload", "--file", path, "--method", "POST", url);
  g_assert_cmpint (sent.status, ==, 0);
  FERRY_TEST_WAIT (uploaded (server, &size, &got_sha), 20000);
  g_assert_cmpuint (size, ==, strlen ("%PDF-1.7 scanned"));
  g_assert_cmpstr (got_sha, ==, sha);

  run_ctl (&missing, "upload", url);
  g_assert_cmpint (missing.status, ==, 2);
  assert_contains (missing.err, "--file");
  run_ctl (&directory, "upload", "--file", dir, url);
  g_assert_cmpint (directory.status, ==, 2);
  g_unlink (path);
  g_rmdir (dir);
}

/* The object `ferryctl transfers --json` prints for @id, or NULL. */
static JsonObject *
dup_transfer (const char *id)
{
  g_auto(CtlRun) list = { 0, };
  g_autoptr(JsonNode) json = NULL;
  JsonArray *array;

  run_ctl (&list, "transfers", "--json");
  g_assert_cmpint (list.status, ==, 0);
  json = parse_json (list.out);
  array = json_node_get_array (json);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
        return json_object_ref (object);
    }
  return NULL;
}

static gboolean
transfer_has_bytes (const char *id)
{
  g_autoptr(JsonObject) transfer = dup_transfer (id);

  return transfer != NULL && json_object_get_int_member (transfer, "done") > 0;
}

static gboolean
transfer_is (const char *id,
             const char *state)
{
  g_autoptr(JsonObject) transfer = dup_transfer (id);

  return transfer != NULL &&
         g_strcmp0 (json_object_get_string_member (transfer, "state"), state) == 0;
}

/* The requests the server saw for @path with a Range header that starts
 * past the first byte. */
static guint
count_resumed (FerryRangeServer *server,
               const char       *path)
{
  g_autoptr(GPtrArray) requests = ferry_range_server_dup_requests (server);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      FerryRangeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, path) && request->range != NULL &&
          !g_str_has_prefix (request->range, "bytes=0-"))
        count++;
    }
  return count;
}

static guint
count_requests (FerryRangeServer *server)
{
  g_autoptr(GPtrArray) requests = ferry_range_server_dup_requests (server);

  return requests->len;
}

/* A download paused mid-way stays paused with its partial bytes, also
 * through a sync; resumed, it goes on from there to the right file. */
static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint64 size = 3 * 1000 * 1000;
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  g_autofree char *url = ferry_range_server_url (server, "/maps");
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, size);
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *dest = g_build_filename (dir, "maps.bin", NULL);
  g_autofree char *stored = NULL;
  g_autofree char *stored_sha = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) held = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_auto(CtlRun) started = { 0, };
  g_auto(CtlRun) paused = { 0, };
  g_auto(CtlRun) again = { 0, };
  g_auto(CtlRun) sync = { 0, };
  g_auto(CtlRun) listed = { 0, };
  g_auto(CtlRun) resumed = { 0, };
  JsonObject *answer;
  gint64 partial;
  guint requests;
  gsize length = 0;

  ferry_range_server_set_pattern (server, "/maps", size, SEED);
  ferry_range_server_set_rate (server, 200 * 1000);
  run_ctl (&started, "download", "--sha256", sha, "--dest", dest, url);
  g_assert_cmpint (started.status, ==, 0);
  id = g_strdup (g_strchomp (started.out));
  FERRY_TEST_WAIT (transfer_has_bytes (id), 20000);

  run_ctl (&paused, "transfers", "pause", id);
  g_assert_cmpint (paused.status, ==, 0);
  assert_contains (paused.out, "Paused ");
  assert_contains (paused.out, id);
  /* Pausing again is no error: it is held already. */
  run_ctl (&again, "transfers", "pause", id);
  g_assert_cmpint (again.status, ==, 0);

  /* Held through a sync: no new request, the partial bytes kept. */
  requests = count_requests (server);
  run_ctl (&sync, "sync");
  g_assert_cmpint (sync.status, ==, 0);
  held = dup_transfer (id);
  g_assert_nonnull (held);
  g_assert_true (json_object_get_boolean_member (held, "paused"));
  partial = json_object_get_int_member (held, "done");
  g_assert_cmpint (partial, >, 0);
  g_assert_cmpint (partial, <, (gint64) size);
  g_assert_cmpuint (count_requests (server), ==, requests);
  run_ctl (&listed, "transfers");
  g_assert_cmpint (listed.status, ==, 0);
  assert_contains (listed.out, "paused");
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));

  ferry_range_server_set_rate (server, 0);
  run_ctl (&resumed, "transfers", "resume", "--json", id);
  g_assert_cmpint (resumed.status, ==, 0);
  json = parse_json (resumed.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 1);
  answer = json_array_get_object_element (json_node_get_array (json), 0);
  g_assert_cmpstr (json_object_get_string_member (answer, "id"), ==, id);
  g_assert_true (json_object_get_boolean_member (answer, "resumed"));

  FERRY_TEST_WAIT (transfer_is (id, "succeeded"), 30000);
  g_assert_cmpuint (count_resumed (server, "/maps"), >=, 1);
  g_assert_true (g_file_get_contents (dest, &stored, &length, NULL));
  g_assert_cmpuint (length, ==, size);
  stored_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) stored, length);
  g_assert_cmpstr (stored_sha, ==, sha);
  g_unlink (dest);
  g_rmdir (dir);
}

/* What cannot be paused or resumed is said, naming the id, and every id
 * given gets its answer. */
static void
test_pause_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  g_autofree char *url = ferry_range_server_url (server, "/notes");
  g_autofree char *task_url = NULL;
  g_autofree char *task = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *unknown = g_uuid_string_random ();
  g_auto(CtlRun) got = { 0, };
  g_auto(CtlRun) none = { 0, };
  g_auto(CtlRun) plain = { 0, };
  g_auto(CtlRun) ended = { 0, };
  g_auto(CtlRun) malformed = { 0, };
  g_auto(CtlRun) missing = { 0, };
  g_auto(CtlRun) mixed = { 0, };
  g_autoptr(JsonNode) json = NULL;
  JsonArray *array;

  ferry_range_server_set_pattern (server, "/notes", 1000, SEED);
  run_ctl (&got, "download", "--wait", "--app-id", "org.example.Notes", url);
  g_assert_cmpint (got.status, ==, 0);
  finished = g_strdup (g_strchomp (got.out));

  run_ctl (&none, "transfers", "pause", unknown);
  g_assert_cmpint (none.status, ==, 1);
  assert_contains (none.err, "ferryctl transfers pause: no task has the id");
  assert_contains (none.err, unknown);

  task_url = ferry_test_server_url (fixture->server, "/documents/1");
  task = add_task (task_url);
  run_ctl (&plain, "transfers", "resume", task);
  g_assert_cmpint (plain.status, ==, 1);
  assert_contains (plain.err, "not a download or upload");

  run_ctl (&ended, "transfers", "pause", finished);
  g_assert_cmpint (ended.status, ==, 1);
  assert_contains (ended.err, "has already ended (succeeded)");

  run_ctl (&malformed, "transfers", "pause", "not-an-id");
  g_assert_cmpint (malformed.status, ==, 2);
  assert_contains (malformed.err, "not-an-id");
  run_ctl (&missing, "transfers", "resume");
  g_assert_cmpint (missing.status, ==, 2);
  assert_contains (missing.err, "missing ID");

  /* One bad id among good ones: the answer for each, exit 1. */
  run_ctl (&mixed, "transfers", "pause", "--json", finished, unknown);
  g_assert_cmpint (mixed.status, ==, 1);
  json = parse_json (mixed.out);
  array = json_node_get_array (json);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (array, 0),
                                                  "paused"));
  assert_contains (mixed.err, unknown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/ferryctl/transfers/download-and-storage", Fixture, NULL,
              fixture_set_up_online, test_download_and_storage, fixture_tear_down);
  g_test_add ("/ferryctl/transfers/upload", Fixture, NULL,
              fixture_set_up_online, test_upload, fixture_tear_down);
  g_test_add ("/ferryctl/transfers/pause-resume", Fixture, NULL,
              fixture_set_up_online, test_pause_resume, fixture_tear_down);
  g_test_add ("/ferryctl/transfers/pause-refused", Fixture, NULL,
              fixture_set_up_online, test_pause_refused, fixture_tear_down);
  return g_test_run ();
}
