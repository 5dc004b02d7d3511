/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-range-server.h"

#include "test-ferryctl-util.h"

/*
 * ferryctl download, upload, transfers and storage against the real
 * ferryd and the range server.
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/ferryctl/transfers/download-and-storage", Fixture, NULL,
              fixture_set_up_online, test_download_and_storage, fixture_tear_down);
  g_test_add ("/ferryctl/transfers/upload", Fixture, NULL,
              fixture_set_up_online, test_upload, fixture_tear_down);
  return g_test_run ();
}
