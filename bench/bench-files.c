/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-agent-fixture.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"

#include "bench-util.h"

/*
 * Downloads and uploads through ferryd beside curl, printed, not judged:
 * a large file from the tests' loopback range server with `curl -o` and
 * with Download, then the same file sent with `curl -T` and with Enqueue
 * (body-fd), each in turn for a few rounds, best of each; then ferryd's
 * resident memory while it spools and sends a 2 GiB upload (a ferryd of
 * its own, so its peak is the upload's alone).
 *
 * The built ferryd runs on a private bus with the network fixed at full
 * and no storage limits.  curl is told not to wait for 100-continue,
 * which the server does not send.
 */

#define MB (1000.0 * 1000.0)
#define MIB (1024 * 1024)
#define SEED 3

static int size_mb = 512;
static int upload_mib = 2048;
static int rounds = 2;
static gboolean skip_memory = FALSE;

static GOptionEntry entries[] = {
  { "size", 0, 0, G_OPTION_ARG_INT, &size_mb, "Size of the file compared with curl, in MB",
    "MB" },
  { "memory-size", 0, 0, G_OPTION_ARG_INT, &upload_mib,
    "Size of the upload whose memory is measured, in MiB", "MIB" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of each; the best counts", "N" },
  { "skip-memory", 0, 0, G_OPTION_ARG_NONE, &skip_memory, "Leave the memory part out", NULL },
  { NULL }
};

static const char * const unlimited[] = {
  "FERRY_TEST_STORAGE_QUOTA", "1152921504606846976", "FERRY_TEST_MIN_FREE", "0", NULL
};

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* The processor time (user and system) that waited-for children used. */
static double
children_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The processor time @pid used so far, from /proc. */
static double
process_cpu (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *stat = NULL;
  unsigned long utime = 0, stime = 0;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) ||
      (after_name = strrchr (stat, ')')) == NULL ||
      sscanf (after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return 0;
  return (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

typedef struct
{
  double seconds;   /* wall clock */
  double cpu;       /* the client's processor time */
} Run;

static void
keep_best (Run       *best,
           const Run *run)
{
  if (best->seconds == 0 || run->seconds < best->seconds)
    best->seconds = run->seconds;
  if (best->cpu == 0 || run->cpu < best->cpu)
    best->cpu = run->cpu;
}

static Run
run_curl (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  double started = now_seconds ();
  double cpu = children_cpu ();
  Run run;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &wait_status, &error) ||
      !g_spawn_check_wait_status (wait_status, &error))
    g_error ("curl: %s", error->message);
  run.seconds = now_seconds () - started;
  run.cpu = children_cpu () - cpu;
  return run;
}

static char *
task_state (FerryAgentFixture *fixture,
            const char        *id)
{
  g_autoptr(GVariant) task = NULL;
  char *state = NULL;

  if (!ferry_dbus_agent_call_get_sync (fixture->agent, id, &task, NULL, NULL))
    return g_strdup ("gone");
  g_variant_lookup (task, "state", "s", &state);
  return state;
}

/* Waits for @id to end, sampling ferryd's memory on the way; the peak
 * resident memory seen, in MB. */
static double
wait_done (FerryAgentFixture *fixture,
           const char        *id)
{
  double peak_seen = 0;

  for (;;)
    {
      g_autofree char *state = task_state (fixture, id);
      double rss, peak;

      bench_read_memory (fixture->ferryd_pid, &rss, &peak);
      peak_seen = MAX (peak_seen, peak);
      if (g_strcmp0 (state, "succeeded") == 0)
        return peak_seen;
      if (g_strcmp0 (state, "pending") != 0 && g_strcmp0 (state, "running") != 0)
        g_error ("the transfer ended %s", state);
      ferry_test_iterate_briefly ();
      g_usleep (10000);
    }
}

static Run
ferry_download (FerryAgentFixture *fixture,
                const char        *url,
                const char        *destination,
                guint64            size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  double started = now_seconds ();
  double cpu = process_cpu (fixture->ferryd_pid);
  GVariant *request;
  Run run;

  request = g_variant_new_parsed ("{'url': <%s>, 'destination': <%s>, 'size': <%x>}", url,
                                  destination, (gint64) size);
  if (!ferry_dbus_agent_call_download_sync (fixture->agent, request, &id, NULL, &error))
    g_error ("Download: %s", error->message);
  wait_done (fixture, id);
  run.seconds = now_seconds () - started;
  run.cpu = process_cpu (fixture->ferryd_pid) - cpu;
  return run;
}

/* Enqueue with the body from @path; the seconds until the call returned
 * (the spooling) in @out_spooled. */
static Run
ferry_upload (FerryAgentFixture *fixture,
              const char        *url,
              const char        *path,
              double            *out_spooled,
              double            *out_peak)
{
  double cpu = process_cpu (fixture->ferryd_pid);
  Run run;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  double started = now_seconds ();
  int fd = open (path, O_RDONLY);

  g_assert_cmpint (fd, >=, 0);
  g_unix_fd_list_append (fds, fd, NULL);
  close (fd);
  reply = g_dbus_proxy_call_with_unix_fd_list_sync (
    G_DBUS_PROXY (fixture->agent), "Enqueue",
    g_variant_new_parsed ("({'method': <'PUT'>, 'url': <%s>, 'body-fd': <handle 0>},)", url),
    G_DBUS_CALL_FLAGS_NONE, G_MAXINT, fds, NULL, NULL, &error);
  if (reply == NULL)
    g_error ("Enqueue: %s", error->message);
  g_variant_get (reply, "(s)", &id);
  *out_spooled = now_seconds () - started;
  *out_peak = wait_done (fixture, id);
  run.seconds = now_seconds () - started;
  run.cpu = process_cpu (fixture->ferryd_pid) - cpu;
  return run;
}

static void
write_pattern_file (const char *path,
                    guint64     size)
{
  g_autofree guint8 *buffer = g_malloc (MIB);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (guint64 offset = 0; offset < size; offset += MIB)
    {
      gsize n = (gsize) MIN ((guint64) MIB, size - offset);

      ferry_range_pattern_fill (SEED, offset, buffer, n);
      g_assert_cmpint (write (fd, buffer, n), ==, (gssize) n);
    }
  close (fd);
}

static void
print_line (const char *what,
            guint64     size,
            const Run  *run)
{
  g_print ("  %-28s %7.2f s  %8.1f MB/s  %6.2f s of processor\n", what, run->seconds,
           size / MB / run->seconds, run->cpu);
}

static void
compare_with_curl (const char *tmp)
{
  FerryAgentFixture fixture = { 0 };
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  guint64 size = (guint64) size_mb * 1000 * 1000;
  g_autofree char *url = ferry_range_server_url (server, "/big");
  g_autofree char *upload_url = ferry_range_server_url (server, "/upload");
  g_autofree char *curl_file = g_build_filename (tmp, "curl.bin", NULL);
  g_autofree char *ferry_file = g_build_filename (tmp, "ferry.bin", NULL);
  Run curl_get = { 0 }, ferry_get = { 0 }, curl_put = { 0 }, ferry_put = { 0 };
  Run ferry_send = { 0 };

  ferry_range_server_set_pattern (server, "/big", size, SEED);
  ferry_range_server_set_validators (server, "/big", "\"big\"", NULL, NULL);
  ferry_agent_fixture_set_up_with_env (&fixture, "full", unlimited);

  /* In turn, so that both see the same load of the machine. */
  for (int round = 0; round < rounds; round++)
    {
      const char *get_argv[] = { "curl", "-s", "-f", "-o", curl_file, url, NULL };
      const char *put_argv[] = { "curl", "-s", "-f", "-o", "/dev/null", "-H", "Expect:",
                                 "-T", curl_file, upload_url, NULL };
      double spooled, peak;
      Run run;

      run = run_curl (get_argv);
      keep_best (&curl_get, &run);
      g_unlink (ferry_file);
      run = ferry_download (&fixture, url, ferry_file, size);
      keep_best (&ferry_get, &run);
      run = run_curl (put_argv);
      keep_best (&curl_put, &run);
      run = ferry_upload (&fixture, upload_url, curl_file, &spooled, &peak);
      keep_best (&ferry_put, &run);
      run.seconds -= spooled;
      keep_best (&ferry_send, &run);
    }

  g_print ("%d MB from and to a loopback range server, best of %d (%u cores)\n", size_mb,
           rounds, g_get_num_processors ());
  print_line ("download: curl -o", size, &curl_get);
  print_line ("download: ferryd Download", size, &ferry_get);
  g_print ("  ferryd / curl: %.0f%%\n", 100.0 * curl_get.seconds / ferry_get.seconds);
  print_line ("upload: curl -T", size, &curl_put);
  print_line ("upload: ferryd, spool + send", size, &ferry_put);
  print_line ("upload: ferryd, send only", size, &ferry_send);
  g_print ("  ferryd / curl: %.0f%% (spool + send), %.0f%% (send only)\n",
           100.0 * curl_put.seconds / ferry_put.seconds,
           100.0 * curl_put.seconds / ferry_send.seconds);

  ferry_agent_fixture_tear_down (&fixture);
  g_unlink (curl_file);
  g_unlink (ferry_file);
}

static void
measure_upload_memory (const char *tmp)
{
  FerryAgentFixture fixture = { 0 };
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  g_autofree char *upload_url = ferry_range_server_url (server, "/upload");
  g_autofree char *path = g_build_filename (tmp, "upload.bin", NULL);
  guint64 size = (guint64) upload_mib * MIB;
  g_autofree char *sha = NULL;
  double rss, start_peak, peak, spooled;
  Run run;
  guint64 got_size = 0;

  write_pattern_file (path, size);
  ferry_agent_fixture_set_up_with_env (&fixture, "full", unlimited);
  bench_read_memory (fixture.ferryd_pid, &rss, &start_peak);
  run = ferry_upload (&fixture, upload_url, path, &spooled, &peak);
  bench_read_memory (fixture.ferryd_pid, &rss, &peak);
  g_assert_true (ferry_range_server_get_upload (server, &got_size, &sha));

  g_print ("ferryd's memory over a %d MiB upload (%u cores)\n", upload_mib,
           g_get_num_processors ());
  g_print ("  started:  RSS %6.1f MB\n", start_peak);
  g_print ("  peak:     RSS %6.1f MB (spooled in %.1f s, sent in %.1f s, %s)\n", peak, spooled,
           run.seconds - spooled, got_size == size ? "all bytes arrived" : "BYTES MISSING");
  g_print ("  after:    RSS %6.1f MB\n", rss);

  ferry_agent_fixture_tear_down (&fixture);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- transfers beside curl");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  size_mb = MAX (size_mb, 1);
  upload_mib = MAX (upload_mib, 1);
  rounds = MAX (rounds, 1);

  tmp = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("G_TEST_TMPDIR", tmp, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  ferry_agent_bus_up ();
  compare_with_curl (tmp);
  if (!skip_memory)
    measure_upload_memory (tmp);
  ferry_agent_bus_down ();
  bench_remove_tree (tmp);
  return 0;
}
