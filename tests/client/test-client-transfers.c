/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"

#include "ferry-client-transfers.h"
#include "ferry-status.h"
#include "ferry-storage-usage.h"
#include "ferry-transfer-info.h"

#include "ferry-client-fixture.h"

/* FerryClient's files calls against the real ferryd on a private bus. */

#define SEED 21
#define WAIT_MS 30000

typedef struct
{
  ClientFixture     base;
  FerryRangeServer *server;
  GHashTable       *progress;   /* id → count of transfer-progress */
  gint64            last_done;
} Fixture;

static void
on_transfer_progress (FerryClient *client,
                      const char  *id,
                      const char  *owner,
                      gboolean     upload,
                      gint64       done,
                      gint64       total,
                      guint64      rate,
                      Fixture     *fixture)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->progress, id));

  g_assert_cmpint (done, >=, fixture->last_done);
  fixture->last_done = done;
  g_hash_table_replace (fixture->progress, g_strdup (id), GUINT_TO_POINTER (n + 1));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = ferry_range_server_new ();
  fixture->progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
  ferry_client_set_app_id (fixture->base.client, "org.example.Lessons");
  g_signal_connect (fixture->base.client, "transfer-progress",
                    G_CALLBACK (on_transfer_progress), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_range_server_free);
  g_hash_table_unref (fixture->progress);
}

static gboolean
task_is (Fixture              *fixture,
         const char           *id,
         FerryClientTaskState  state)
{
  g_autoptr(FerryTaskInfo) info = client_get (fixture->base.client, id, NULL);

  return info != NULL && ferry_task_info_get_state (info) == state;
}

static GPtrArray *
list_transfers (Fixture *fixture)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *transfers;

  ferry_client_list_transfers_async (fixture->base.client, NULL, NULL, client_store_result_cb,
                                     &result);
  transfers = ferry_client_list_transfers_finish (fixture->base.client,
                                                  client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  return transfers;
}

/* A download at 2 MB/s: progress comes at most four times a second, the
 * file opens through the client, counts in the app's storage, and goes
 * with RemoveFiles. */
static void
test_download (Fixture       *fixture,
               gconstpointer  data)
{
  const gsize size = 1500 * 1000;
  g_autofree char *url = ferry_range_server_url (fixture->server, "/lesson");
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, size);
  g_autoptr(FerryDownloadRequest) request = ferry_download_request_new (url);
  g_autoptr(GPtrArray) transfers = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *result = NULL;
  FerryTransferInfo *info;
  guint8 head[32], expected[32];
  gint64 started;
  double seconds;
  guint removed = 0;

  ferry_range_server_set_pattern (fixture->server, "/lesson", size, SEED);
  ferry_range_server_set_rate (fixture->server, 2 * 1000 * 1000);
  ferry_download_request_set_name (request, "lesson-1.pdf");
  ferry_download_request_set_expected_sha256 (request, sha);
  started = g_get_monotonic_time ();
  ferry_client_download_async (fixture->base.client, request, NULL, client_store_result_cb,
                               &result);
  id = ferry_client_download_finish (fixture->base.client, client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_is (fixture, id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), WAIT_MS);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fixture->progress, id)), >=, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fixture->progress, id)), <=,
                    (guint) (seconds * 4) + 1);

  transfers = list_transfers (fixture);
  g_assert_cmpuint (transfers->len, ==, 1);
  info = g_ptr_array_index (transfers, 0);
  g_assert_cmpstr (ferry_transfer_info_get_id (info), ==, id);
  g_assert_true (ferry_transfer_info_get_complete (info));
  g_assert_false (ferry_transfer_info_is_upload (info));
  g_assert_cmpint (ferry_transfer_info_get_done (info), ==, size);
  g_assert_cmpstr (ferry_transfer_info_get_owner (info), ==, "org.example.Lessons");

  ferry_client_open_file_async (fixture->base.client, id, NULL, client_store_result_cb, &result);
  stream = ferry_client_open_file_finish (fixture->base.client, client_wait_result (&result),
                                          &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (stream, head, sizeof head, NULL, NULL, &error));
  ferry_range_pattern_fill (SEED, 0, expected, sizeof expected);
  g_assert_true (memcmp (head, expected, sizeof head) == 0);

  ferry_client_get_storage_usage_async (fixture->base.client, NULL, client_store_result_cb,
                                        &result);
  usage = ferry_client_get_storage_usage_finish (fixture->base.client,
                                                 client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 1);
  g_assert_cmpuint (ferry_storage_usage_get_bytes (g_ptr_array_index (usage, 0)), ==, size);

  ferry_client_remove_files_async (fixture->base.client, "org.example.Lessons", NULL, NULL,
                                   client_store_result_cb, &result);
  g_assert_true (ferry_client_remove_files_finish (fixture->base.client,
                                                   client_wait_result (&result), &removed,
                                                   &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
}

/* An upload from a GFile arrives exact; a bad download request is refused
 * naming the key. */
static void
test_upload (Fixture       *fixture,
             gconstpointer  data)
{
  const gsize size = 3 * 1024 * 1024 + 1;
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "recording.ogg", NULL);
  g_autofree guint8 *bytes = g_malloc (size);
  g_autofree char *url = ferry_range_server_url (fixture->server, "/recordings");
  g_autoptr(FerryRequest) request = ferry_request_new ("POST", url);
  g_autoptr(FerryDownloadRequest) bad = ferry_download_request_new (url);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bad_id = NULL;
  g_autofree char *got_sha = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GAsyncResult *result = NULL;
  guint64 got_size = 0;

  ferry_range_pattern_fill (SEED, 0, bytes, size);
  g_checksum_update (checksum, bytes, size);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));
  file = g_file_new_for_path (path);
  ferry_client_upload_async (fixture->base.client, request, file, NULL, client_store_result_cb,
                             &result);
  id = ferry_client_upload_finish (fixture->base.client, client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_is (fixture, id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), WAIT_MS);
  g_assert_true (ferry_range_server_get_upload (fixture->server, &got_size, &got_sha));
  g_assert_cmpuint (got_size, ==, size);
  g_assert_cmpstr (got_sha, ==, g_checksum_get_string (checksum));

  ferry_download_request_set_expected_sha256 (bad, "not-a-checksum");
  ferry_client_download_async (fixture->base.client, bad, NULL, client_store_result_cb, &result);
  bad_id = ferry_client_download_finish (fixture->base.client, client_wait_result (&result),
                                         &error);
  g_clear_object (&result);
  g_assert_null (bad_id);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "sha256"));
  g_unlink (path);
  g_rmdir (dir);
}

static FerryStatusSnapshot
snapshot_of (Fixture *fixture)
{
  FerryStatusSnapshot snapshot = { 0, };

  ferry_status_snapshot_from_client (&snapshot, fixture->base.client);
  return snapshot;
}

/* The status line of the window and the tray counts the files moving and
 * their bytes, from the progress signals, and forgets a file once it
 * stopped. */
static void
test_status_bytes (Fixture       *fixture,
                   gconstpointer  data)
{
  const gsize size = 2 * 1000 * 1000;
  g_autofree char *url = ferry_range_server_url (fixture->server, "/atlas");
  g_autoptr(FerryDownloadRequest) request = ferry_download_request_new (url);
  g_autoptr(FerryStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *result = NULL;
  FerryStatusSnapshot snapshot;

  snapshot = snapshot_of (fixture);
  g_assert_cmpuint (snapshot.downloads + snapshot.uploads, ==, 0);
  ferry_range_server_set_pattern (fixture->server, "/atlas", size, SEED);
  ferry_range_server_set_rate (fixture->server, 1000 * 1000);
  ferry_download_request_set_expected_size (request, size);
  ferry_client_download_async (fixture->base.client, request, NULL, client_store_result_cb,
                               &result);
  id = ferry_client_download_finish (fixture->base.client, client_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);

  FERRY_TEST_WAIT ((snapshot = snapshot_of (fixture)).downloads == 1 &&
                   snapshot.transfer_done > 0, WAIT_MS);
  g_assert_cmpuint (snapshot.uploads, ==, 0);
  g_assert_cmpint (snapshot.transfer_total, ==, size);
  status = ferry_status_describe (&snapshot, 0);
  g_assert_true (g_str_has_prefix (status->transfers, "Downloading 1 file — "));
  g_assert_true (g_str_has_suffix (status->transfers, " of 2.0\u00a0MB"));

  FERRY_TEST_WAIT (task_is (fixture, id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), WAIT_MS);
  FERRY_TEST_WAIT (snapshot_of (fixture).downloads == 0, WAIT_MS);
  g_clear_pointer (&status, ferry_status_free);
  snapshot = snapshot_of (fixture);
  status = ferry_status_describe (&snapshot, 0);
  g_assert_null (status->transfers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/client/transfers/download", Fixture, NULL, fixture_set_up, test_download,
              fixture_tear_down);
  g_test_add ("/client/transfers/status-bytes", Fixture, NULL, fixture_set_up,
              test_status_bytes, fixture_tear_down);
  g_test_add ("/client/transfers/upload", Fixture, NULL, fixture_set_up, test_upload,
              fixture_tear_down);
  return g_test_run ();
}
