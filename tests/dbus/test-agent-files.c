/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ferry-error.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * Downloads and uploads through the real ferryd on a private bus, from the
 * range server on loopback: files arrive exact, bad requests store
 * nothing, quotas and the free space kept are enforced, and a download
 * survives ferryd being killed again and again.
 */

#define WAIT_MS 60000
#define SEED    11

typedef struct
{
  FerryAgentFixture  base;
  FerryRangeServer  *server;
  char              *dir;
  guint              progress_signals;
  GPtrArray         *quota_signals;   /* owners */
} Fixture;

static void
on_transfer_progress (FerryDBusAgent *agent,
                      const char     *id,
                      const char     *owner,
                      const char     *kind,
                      gint64          done,
                      gint64          total,
                      guint64         rate,
                      Fixture        *fixture)
{
  fixture->progress_signals++;
}

static void
on_quota_exceeded (FerryDBusAgent *agent,
                   const char     *owner,
                   guint64         used,
                   guint64         quota,
                   guint64         needed,
                   Fixture        *fixture)
{
  g_ptr_array_add (fixture->quota_signals, g_strdup (owner));
}

static void
set_up_with_env (Fixture            *fixture,
                 const char * const *environment)
{
  ferry_agent_fixture_set_up_with_env (&fixture->base, "full", environment);
  fixture->server = ferry_range_server_new ();
  fixture->dir = ferry_test_make_temp_dir ();
  fixture->quota_signals = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->base.agent, "transfer-progress",
                    G_CALLBACK (on_transfer_progress), fixture);
  g_signal_connect (fixture->base.agent, "storage-quota-exceeded",
                    G_CALLBACK (on_quota_exceeded), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  set_up_with_env (fixture, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_range_server_free);
  g_clear_pointer (&fixture->quota_signals, g_ptr_array_unref);
  g_free (fixture->dir);
}

static GVariant *
download_request (Fixture    *fixture,
                  const char *path,
                  const char *destination,
                  gint64      size,
                  const char *sha256)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *url = ferry_range_server_url (fixture->server, path);

  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&builder, "{sv}", "app-id", g_variant_new_string ("org.example.Maps"));
  if (destination != NULL)
    g_variant_builder_add (&builder, "{sv}", "destination", g_variant_new_string (destination));
  if (size >= 0)
    g_variant_builder_add (&builder, "{sv}", "size", g_variant_new_int64 (size));
  if (sha256 != NULL)
    g_variant_builder_add (&builder, "{sv}", "sha256", g_variant_new_string (sha256));
  return g_variant_builder_end (&builder);
}

static char *
download (Fixture  *fixture,
          GVariant *request)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  ferry_dbus_agent_call_download_sync (fixture->base.agent, request, &id, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static char *
task_state (Fixture    *fixture,
            const char *id)
{
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GError) error = NULL;
  char *state = NULL;

  if (!ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error))
    return g_strdup ("gone");
  g_variant_lookup (task, "state", "s", &state);
  return state;
}

static gboolean
state_is (Fixture    *fixture,
          const char *id,
          const char *state)
{
  g_autofree char *now = task_state (fixture, id);

  return g_strcmp0 (now, state) == 0;
}

static void
assert_pattern_file (const char *path,
                     guint32     seed,
                     gsize       size)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *expected = g_malloc (size);
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, size);
  ferry_range_pattern_fill (seed, 0, expected, size);
  g_assert_true (memcmp (contents, expected, size) == 0);
}

/* Files in @dir whose name says they are partial. */
static guint
count_partials (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_suffix (name, ".part");
  return n;
}

static guint
count_transfers (Fixture *fixture)
{
  g_autoptr(GVariant) transfers = NULL;
  g_autoptr(GError) error = NULL;

  ferry_dbus_agent_call_list_transfers_sync (fixture->base.agent,
                                             g_variant_new ("a{sv}", NULL),
                                             &transfers, NULL, &error);
  g_assert_no_error (error);
  return g_variant_n_children (transfers);
}

/* A download to a destination, cut once on the way: the file is exact,
 * progress was sent, OpenFile reads it. */
static void
test_download (Fixture       *fixture,
               gconstpointer  data)
{
  const gsize size = 2 * 1024 * 1024 + 17;
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, size);
  g_autofree char *dest = g_build_filename (fixture->dir, "map.bin", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[64];
  guint8 expected[64];
  int fd;

  ferry_range_server_set_pattern (fixture->server, "/map", size, SEED);
  ferry_range_server_set_validators (fixture->server, "/map", "\"m1\"", NULL, NULL);
  ferry_range_server_push_fault (fixture->server, "/map", FERRY_RANGE_FAULT_CUT, 700000);
  id = download (fixture, download_request (fixture, "/map", dest, size, sha));
  FERRY_TEST_WAIT (state_is (fixture, id, "succeeded"), WAIT_MS);
  assert_pattern_file (dest, SEED, size);
  g_assert_cmpuint (count_partials (fixture->dir), ==, 0);
  g_assert_cmpuint (count_transfers (fixture), ==, 1);

  ferry_dbus_agent_call_open_file_sync (fixture->base.agent, id, NULL, &handle, &fds, NULL,
                                        &error);
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_no_error (error);
  g_assert_cmpint (read (fd, buffer, sizeof buffer), ==, sizeof buffer);
  ferry_range_pattern_fill (SEED, 0, expected, sizeof expected);
  g_assert_true (memcmp (buffer, expected, sizeof buffer) == 0);
  /* Read-only: writing through it fails. */
  g_assert_cmpint (write (fd, "x", 1), ==, -1);
  close (fd);
}

/* Without a destination the file goes in Ferry's storage for its app,
 * counts in GetStorageUsage, and RemoveFiles takes it away. */
static void
test_storage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = g_build_filename (fixture->base.data_dir, "files", "org.example.Maps",
                                            "tiles", NULL);
  g_autoptr(GVariant) usage = NULL;
  g_autoptr(GError) error = NULL;
  const char *owner;
  guint64 bytes, files, quota;
  guint removed = 0;

  ferry_range_server_set_pattern (fixture->server, "/tiles", 300000, SEED);
  id = download (fixture, download_request (fixture, "/tiles", NULL, -1, NULL));
  FERRY_TEST_WAIT (state_is (fixture, id, "succeeded"), WAIT_MS);
  assert_pattern_file (path, SEED, 300000);

  ferry_dbus_agent_call_get_storage_usage_sync (fixture->base.agent, &usage, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (usage), ==, 1);
  g_variant_get_child (usage, 0, "(&sttt)", &owner, &bytes, &files, &quota);
  g_assert_cmpstr (owner, ==, "org.example.Maps");
  g_assert_cmpuint (bytes, ==, 300000);
  g_assert_cmpuint (files, ==, 1);
  g_assert_cmpuint (quota, ==, 100000000);

  ferry_dbus_agent_call_remove_files_sync (fixture->base.agent,
                                           g_variant_new_parsed ("{'owner': <'org.example.Maps'>}"),
                                           &removed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_transfers (fixture), ==, 0);
}

static void
assert_refused (Fixture    *fixture,
                GVariant   *request,
                int         code,
                const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_false (ferry_dbus_agent_call_download_sync (fixture->base.agent, request, &id,
                                                       NULL, &error));
  g_assert_error (error, FERRY_ERROR, code);
  g_assert_true (strstr (error->message, key) != NULL);
}

/* Bad input: a clear error naming what was wrong, nothing stored. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "file", NULL);
  g_autoptr(GVariant) count_filter = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  g_autoptr(GError) error = NULL;
  guint count = 1;

  assert_refused (fixture, g_variant_new_parsed ("{'url': <'ftp://127.0.0.1/x'>}"),
                  FERRY_ERROR_INVALID_ARGUMENT, "url");
  assert_refused (fixture, g_variant_new_parsed ("{'url': <'http://127.0.0.1/x'>, "
                                                 "'destination': <'relative/file'>}"),
                  FERRY_ERROR_INVALID_ARGUMENT, "destination");
  assert_refused (fixture, download_request (fixture, "/x", missing, -1, NULL),
                  FERRY_ERROR_INVALID_ARGUMENT, "destination");
  assert_refused (fixture, download_request (fixture, "/x", fixture->dir, -1, NULL),
                  FERRY_ERROR_INVALID_ARGUMENT, "destination");
  assert_refused (fixture, download_request (fixture, "/x", NULL, -1, "abc"),
                  FERRY_ERROR_INVALID_ARGUMENT, "sha256");
  assert_refused (fixture, g_variant_new_parsed ("{'url': <'http://127.0.0.1/x'>, "
                                                 "'size': <int64 -5>}"),
                  FERRY_ERROR_INVALID_ARGUMENT, "size");
  assert_refused (fixture, g_variant_new_parsed ("{'url': <'http://127.0.0.1/x'>, "
                                                 "'method': <'POST'>}"),
                  FERRY_ERROR_INVALID_ARGUMENT, "method");
  assert_refused (fixture, g_variant_new_parsed ("{'url': <'http://127.0.0.1/x'>, "
                                                 "'pinned': <'yes'>}"),
                  FERRY_ERROR_INVALID_ARGUMENT, "pinned");
  if (getuid () != 0)
    assert_refused (fixture, download_request (fixture, "/x", "/proc/ferry-not-here", -1, NULL),
                    FERRY_ERROR_PERMISSION_DENIED, "destination");

  ferry_dbus_agent_call_count_sync (fixture->base.agent, count_filter, &count, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpuint (count_transfers (fixture), ==, 0);
}

/* A quota of 1 MB: a file declared larger is refused at once; one that
 * turns out larger fails with the reason; either way the app hears of it
 * and nothing is left in its storage. */
static void
test_quota (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *app_dir = g_build_filename (fixture->base.data_dir, "files",
                                               "org.example.Maps", NULL);
  g_autofree char *id = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *last_error = NULL;

  ferry_range_server_set_pattern (fixture->server, "/big", 2000000, SEED);
  assert_refused (fixture, download_request (fixture, "/big", NULL, 2000000, NULL),
                  FERRY_ERROR_STORAGE_FULL, "quota");
  FERRY_TEST_WAIT (fixture->quota_signals->len == 1, WAIT_MS);

  id = download (fixture, download_request (fixture, "/big", NULL, -1, NULL));
  FERRY_TEST_WAIT (state_is (fixture, id, "failed"), WAIT_MS);
  ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (task, "last-error", "&s", &last_error));
  g_assert_nonnull (strstr (last_error, "quota"));
  FERRY_TEST_WAIT (fixture->quota_signals->len >= 2, WAIT_MS);
  g_assert_cmpstr (g_ptr_array_index (fixture->quota_signals, 1), ==, "org.example.Maps");
  g_assert_cmpuint (count_partials (app_dir), ==, 0);
  big = g_build_filename (app_dir, "big", NULL);
  g_assert_false (g_file_test (big, G_FILE_TEST_EXISTS));
}

/* Free space below what Ferry keeps: the download waits (pending, retried
 * later), the app hears of it, nothing appears at the destination. */
static void
test_free_space (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (fixture->dir, "big", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GError) error = NULL;
  guint attempts = 0;

  ferry_range_server_set_pattern (fixture->server, "/big", 100000, SEED);
  id = download (fixture, download_request (fixture, "/big", dest, -1, NULL));
  FERRY_TEST_WAIT (fixture->quota_signals->len >= 1, WAIT_MS);
  ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error);
  g_assert_no_error (error);
  g_variant_lookup (task, "attempts", "u", &attempts);
  g_assert_cmpuint (attempts, >=, 1);
  g_assert_true (state_is (fixture, id, "pending") || state_is (fixture, id, "running"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static char *
write_pattern_file (const char *dir,
                    gsize       size)
{
  char *path = g_build_filename (dir, "body", NULL);
  g_autofree guint8 *bytes = g_malloc (size);

  ferry_range_pattern_fill (SEED, 0, bytes, size);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, size, NULL));
  return path;
}

static gboolean
upload (Fixture  *fixture,
        int       fd,
        char    **out_id,
        GError  **error)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autofree char *url = ferry_range_server_url (fixture->server, "/upload");
  g_autoptr(GVariant) reply = NULL;

  g_unix_fd_list_append (fds, fd, NULL);
  reply = g_dbus_proxy_call_with_unix_fd_list_sync (
    G_DBUS_PROXY (fixture->base.agent), "Enqueue",
    g_variant_new_parsed ("({'method': <'PUT'>, 'url': <%s>, 'body-fd': <handle 0>},)", url),
    G_DBUS_CALL_FLAGS_NONE, -1, fds, NULL, NULL, error);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(s)", out_id);
  return TRUE;
}

/* An upload from a file descriptor: spooled, sent exact, spool emptied;
 * descriptors that are no readable file are refused. */
static void
test_upload (Fixture       *fixture,
             gconstpointer  data)
{
  const gsize size = 20 * 1024 * 1024 + 5;
  g_autofree char *body = write_pattern_file (fixture->dir, size);
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, size);
  g_autofree char *spool = g_build_filename (fixture->base.data_dir, "spool", NULL);
  g_autofree char *id = NULL;
  g_autofree char *got_sha = NULL;
  g_autoptr(GError) error = NULL;
  guint64 got_size = 0;
  int fd = open (body, O_RDONLY);

  upload (fixture, fd, &id, &error);
  g_assert_no_error (error);
  close (fd);
  FERRY_TEST_WAIT (state_is (fixture, id, "succeeded"), WAIT_MS);
  g_assert_true (ferry_range_server_get_upload (fixture->server, &got_size, &got_sha));
  g_assert_cmpuint (got_size, ==, size);
  g_assert_cmpstr (got_sha, ==, sha);
  FERRY_TEST_WAIT (count_transfers (fixture) == 0, WAIT_MS);
  g_assert_cmpint (g_rmdir (spool), ==, 0);   /* empty */

  fd = open (fixture->dir, O_RDONLY | O_DIRECTORY);
  g_assert_false (upload (fixture, fd, &id, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "body-fd"));
  g_clear_error (&error);
  close (fd);
  fd = open (body, O_WRONLY);
  g_assert_false (upload (fixture, fd, &id, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  close (fd);
  g_assert_cmpuint (count_transfers (fixture), ==, 0);
  g_unlink (body);
}

static gboolean
transfer_paused (Fixture *fixture)
{
  g_autoptr(GVariant) transfers = NULL;
  g_autoptr(GVariant) first = NULL;
  gboolean paused = FALSE;

  ferry_dbus_agent_call_list_transfers_sync (fixture->base.agent,
                                             g_variant_new ("a{sv}", NULL),
                                             &transfers, NULL, NULL);
  if (transfers == NULL || g_variant_n_children (transfers) == 0)
    return FALSE;
  first = g_variant_get_child_value (transfers, 0);
  g_variant_lookup (first, "paused", "b", &paused);
  return paused;
}

static gint64 partial_size (const char *dir);

/* A paused download stops where it is and starts no attempt; resumed, it
 * goes on from there and ends exact. */
static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  const gsize size = 3 * 1000 * 1000;
  g_autofree char *dest = g_build_filename (fixture->dir, "video.webm", NULL);
  g_autofree char *id = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *other = NULL;
  g_autofree char *other_dest = g_build_filename (fixture->dir, "other", NULL);
  g_autoptr(GError) error = NULL;
  gint64 kept;

  ferry_range_server_set_pattern (fixture->server, "/video", size, SEED);
  ferry_range_server_set_validators (fixture->server, "/video", "\"v\"", NULL, NULL);
  ferry_range_server_set_rate (fixture->server, 4 * 1000 * 1000);
  id = download (fixture, download_request (fixture, "/video", dest, size, NULL));
  FERRY_TEST_WAIT (partial_size (fixture->dir) > 0, WAIT_MS);
  ferry_dbus_agent_call_pause_transfer_sync (fixture->base.agent, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (transfer_paused (fixture));
  FERRY_TEST_WAIT (state_is (fixture, id, "pending"), WAIT_MS);
  kept = partial_size (fixture->dir);
  g_assert_cmpint (kept, <, size);
  /* Nothing moves while it is held: another download added after it
   * goes through the passes and ends, and it stays where it was. */
  ferry_range_server_set_rate (fixture->server, 0);
  ferry_range_server_set_pattern (fixture->server, "/other", 1000, SEED);
  other = download (fixture, download_request (fixture, "/other", other_dest, -1, NULL));
  FERRY_TEST_WAIT (state_is (fixture, other, "succeeded"), WAIT_MS);
  g_assert_cmpint (partial_size (fixture->dir), ==, kept);
  g_assert_true (state_is (fixture, id, "pending"));

  ferry_dbus_agent_call_resume_transfer_sync (fixture->base.agent, id, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (state_is (fixture, id, "succeeded"), WAIT_MS);
  assert_pattern_file (dest, SEED, size);

  /* Pausing what is not in progress is refused. */
  g_assert_false (ferry_dbus_agent_call_pause_transfer_sync (fixture->base.agent, id, NULL,
                                                             &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);
  wrong = g_strdup ("00000000-0000-0000-0000-000000000000");
  g_assert_false (ferry_dbus_agent_call_pause_transfer_sync (fixture->base.agent, wrong, NULL,
                                                             &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
}

static char *
find_partial (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      if (g_str_has_suffix (name, ".part"))
        return g_build_filename (dir, name, NULL);
    }
  return NULL;
}

static gint64
partial_size (const char *dir)
{
  g_autofree char *path = find_partial (dir);
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return 0;
  return st.st_size;
}

/* SIGKILL ferryd ten times during a 200 MB download: each time it is
 * started again, resumes from the partial file, and the file ends exact.
 * The server sends the file once, plus what was in flight at each kill
 * (written by the server, never on disk: bounded by socket buffers). */
static void
test_sigkill (Fixture       *fixture,
              gconstpointer  data)
{
  const guint64 size = 200 * 1000 * 1000;
  g_autofree char *sha = ferry_range_pattern_sha256 (SEED, size);
  g_autofree char *dest = g_build_filename (fixture->dir, "course.bin", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GMappedFile) mapped = NULL;
  guint64 in_flight = 0;   /* lost by the kills so far */

  ferry_range_server_set_pattern (fixture->server, "/course", size, SEED);
  ferry_range_server_set_validators (fixture->server, "/course", "\"c1\"", NULL, NULL);
  id = download (fixture, download_request (fixture, "/course", dest, size, sha));
  for (guint kill_no = 1; kill_no <= 10; kill_no++)
    {
      gint64 at = (gint64) (size / 11 * kill_no);
      guint64 sent;
      gint64 kept;

      FERRY_TEST_WAIT (partial_size (fixture->dir) >= at, WAIT_MS);
      g_assert_cmpint (kill ((pid_t) fixture->base.ferryd_pid, SIGKILL), ==, 0);
      FERRY_TEST_WAIT (!ferry_agent_process_is_alive (fixture->base.ferryd_pid), WAIT_MS);
      /* What the server got out before its connection broke. */
      do
        {
          sent = ferry_range_server_get_body_sent (fixture->server);
          g_usleep (20000);
        }
      while (sent != ferry_range_server_get_body_sent (fixture->server));
      kept = partial_size (fixture->dir);
      g_assert_cmpint (kept, >=, at);
      g_assert_cmpuint (sent, >=, (guint64) kept);
      /* Every byte on disk was sent once; the rest was lost in flight. */
      g_test_message ("kill %u at %" G_GINT64_FORMAT " bytes: %" G_GUINT64_FORMAT
                      " in flight", kill_no, kept, sent - kept - in_flight);
      /* In flight: the kernel's socket buffers on loopback (autotuned to
       * several MiB each way under load) and the piece being read. */
      g_assert_cmpuint (sent - kept - in_flight, <=, 32 * 1024 * 1024);
      in_flight = sent - (guint64) kept;
      /* Calling it starts it again; the download goes on by itself. */
      g_clear_object (&fixture->base.agent);
      fixture->base.agent = ferry_agent_fixture_new_proxy (&fixture->base,
                                                           fixture->base.connection);
      g_assert_cmpuint (count_transfers (fixture), ==, 1);
      fixture->base.ferryd_pid = ferry_agent_fixture_get_owner_pid (&fixture->base);
    }
  FERRY_TEST_WAIT (state_is (fixture, id, "succeeded"), WAIT_MS * 2);
  /* Fetched in all: the file once, plus what each kill lost in flight. */
  g_assert_cmpuint (ferry_range_server_get_body_sent (fixture->server), ==, size + in_flight);
  mapped = g_mapped_file_new (dest, FALSE, NULL);
  g_assert_nonnull (mapped);
  g_assert_cmpuint (g_mapped_file_get_length (mapped), ==, size);
  g_checksum_update (checksum, (const guchar *) g_mapped_file_get_contents (mapped), size);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, sha);
  g_assert_null (find_partial (fixture->dir));
}

int
main (int   argc,
      char *argv[])
{
  /* The bus keeps activation variables from test to test: each sets both. */
  static const char * const plain_env[] = { "FERRY_TEST_STORAGE_QUOTA", "",
                                            "FERRY_TEST_MIN_FREE", "", NULL };
  static const char * const quota_env[] = { "FERRY_TEST_STORAGE_QUOTA", "1000000",
                                            "FERRY_TEST_MIN_FREE", "", NULL };
  static const char * const full_disk_env[] = { "FERRY_TEST_STORAGE_QUOTA", "",
                                                "FERRY_TEST_MIN_FREE", "1152921504606846976",
                                                NULL };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_agent_bus_up ();

#define ADD(path, env, func) \
  g_test_add ("/dbus/files/" path, Fixture, env, fixture_set_up, func, fixture_tear_down)
  ADD ("download", plain_env, test_download);
  ADD ("storage", plain_env, test_storage);
  ADD ("bad-input", plain_env, test_bad_input);
  ADD ("quota", quota_env, test_quota);
  ADD ("free-space", full_disk_env, test_free_space);
  ADD ("upload", plain_env, test_upload);
  ADD ("pause", plain_env, test_pause);
  ADD ("sigkill", plain_env, test_sigkill);
#undef ADD

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
