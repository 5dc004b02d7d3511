/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syncfs(2) */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-agent-fixture.h"
#include "ferry-executor.h"
#include "ferry-range-server.h"
#include "ferry-test-util.h"

#include "bench-nginx.h"
#include "bench-util.h"

/*
 * Downloads and uploads through ferryd beside curl, printed, not judged:
 * a large file from the tests' loopback range server with `curl -o` and
 * with Download, then the same file sent with `curl -T` and with Enqueue
 * (body-fd), each in turn for a few rounds; each round's ratios, then the
 * medians, so that an unsteady machine shows.  The same against nginx
 * (static files, PUT through its WebDAV module) when it is installed.
 * Against each server, the engine's sending alone beside curl -T as well:
 * FerryExecutor in this process sends the same file, with no ferryd, spool
 * or D-Bus in the way.  Then ferryd's resident memory while it spools and
 * sends a 2 GiB upload (a ferryd of its own, so its peak is the upload's
 * alone).
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
static int rounds = 3;
static gboolean skip_memory = FALSE;
static gboolean skip_nginx = FALSE;
static int warm_mib = 2048;

static GOptionEntry entries[] = {
  { "size", 0, 0, G_OPTION_ARG_INT, &size_mb, "Size of the file compared with curl, in MB",
    "MB" },
  { "memory-size", 0, 0, G_OPTION_ARG_INT, &upload_mib,
    "Size of the upload whose memory is measured, in MiB", "MIB" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of each; the median counts", "N" },
  { "skip-memory", 0, 0, G_OPTION_ARG_NONE, &skip_memory, "Leave the memory part out", NULL },
  { "skip-nginx", 0, 0, G_OPTION_ARG_NONE, &skip_nginx, "Leave the nginx part out", NULL },
  { "warm-memory", 0, 0, G_OPTION_ARG_INT, &warm_mib,
    "Memory touched and given back before every timed run (0: none)", "MIB" },
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

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (values, double, n / 2);
  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
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

/* One round: each way with curl, then with ferryd, in turn, so that both
 * see the same load of the machine. */
typedef struct
{
  Run curl_get;
  Run ferry_get;
  Run curl_put;
  Run ferry_put;    /* spool and send */
  Run ferry_send;   /* send only */
} Round;

typedef enum {
  RUN_CURL_GET,
  RUN_FERRY_GET,
  RUN_CURL_PUT,
  RUN_FERRY_PUT,
  RUN_FERRY_SEND,
  N_RUNS
} RunKind;

static const Run *
round_run (const Round *round,
           RunKind      kind)
{
  const Run *runs[N_RUNS] = {
    &round->curl_get, &round->ferry_get, &round->curl_put, &round->ferry_put, &round->ferry_send
  };

  return runs[kind];
}

/* The median over @rounds of one kind of run's seconds and processor
 * time. */
static Run
median_run (GArray  *all,
            RunKind  kind)
{
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  Run run;

  for (guint i = 0; i < all->len; i++)
    {
      const Run *one = round_run (&g_array_index (all, Round, i), kind);

      g_array_append_val (seconds, one->seconds);
      g_array_append_val (cpu, one->cpu);
    }
  run.seconds = median (seconds);
  run.cpu = median (cpu);
  return run;
}

/* curl's time over ferryd's in one round, in percent: above 100 ferryd
 * was faster. */
static double
ratio (const Round *round,
       RunKind      curl,
       RunKind      ferry)
{
  return 100.0 * round_run (round, curl)->seconds / round_run (round, ferry)->seconds;
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
print_rounds (const char *server,
              GArray     *all,
              guint64     size)
{
  g_autoptr(GArray) get = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) put = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) send = g_array_new (FALSE, FALSE, sizeof (double));
  Run run;

  g_print ("%d MB from and to %s, median of %u rounds (%u cores)\n", size_mb, server,
           all->len, g_get_num_processors ());
  for (guint i = 0; i < all->len; i++)
    {
      const Round *round = &g_array_index (all, Round, i);
      double r_get = ratio (round, RUN_CURL_GET, RUN_FERRY_GET);
      double r_put = ratio (round, RUN_CURL_PUT, RUN_FERRY_PUT);
      double r_send = ratio (round, RUN_CURL_PUT, RUN_FERRY_SEND);

      g_print ("  round %u: ferryd / curl: download %.0f%%, upload %.0f%% (spool + send), "
               "%.0f%% (send only)\n", i + 1, r_get, r_put, r_send);
      g_array_append_val (get, r_get);
      g_array_append_val (put, r_put);
      g_array_append_val (send, r_send);
    }
  run = median_run (all, RUN_CURL_GET);
  print_line ("download: curl -o", size, &run);
  run = median_run (all, RUN_FERRY_GET);
  print_line ("download: ferryd Download", size, &run);
  run = median_run (all, RUN_CURL_PUT);
  print_line ("upload: curl -T", size, &run);
  run = median_run (all, RUN_FERRY_PUT);
  print_line ("upload: ferryd, spool + send", size, &run);
  run = median_run (all, RUN_FERRY_SEND);
  print_line ("upload: ferryd, send only", size, &run);
  g_print ("  ferryd / curl, median of the rounds: download %.0f%%, upload %.0f%% "
           "(spool + send), %.0f%% (send only)\n", median (get), median (put), median (send));
}

/* Touches, then gives back, --warm-memory of memory.  The host of a
 * virtual machine may back the guest's free memory lazily: memory the
 * guest has not used lately is far slower to fill the first time (on the
 * machine of the README's figures, 350 MB/s against 1.9 GB/s), and a run
 * that comes after a large copy pays for it.  Within a round that is
 * ferryd's upload: its spool copy takes 512 MB of memory just before the
 * send, and the server then fills memory of its own (nginx's PUT goes to
 * /dev/shm). */
static void
warm_memory (void)
{
  gsize size = (gsize) MAX (warm_mib, 0) * MIB;
  guint8 *block;

  if (size == 0)
    return;
  block = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED)
    return;
  for (gsize i = 0; i < size; i += 4096)
    block[i] = 1;
  munmap (block, size);
}

/* Writes back what earlier runs left dirty, and warms memory, outside of
 * any timing, so that no run pays for the one before it. */
static void
settle (const char *tmp)
{
  int fd = open (tmp, O_RDONLY | O_DIRECTORY);

  g_assert_cmpint (fd, >=, 0);
  syncfs (fd);
  close (fd);
  warm_memory ();
}

/* The processor time (user and system) this process used so far, all its
 * threads included. */
static double
self_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
engine_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FerryAttempt **out = user_data;

  *out = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, NULL);
}

/* @path sent to @url by the engine in this process. */
static Run
engine_upload (FerryExecutor *executor,
               const char    *url,
               const char    *path,
               guint64        size)
{
  g_autoptr(FerryHttpRequest) request = ferry_http_request_new ("PUT", url);
  FerryAttempt *attempt = NULL;
  double started = now_seconds ();
  double cpu = self_cpu ();
  Run run;

  request->body_path = g_strdup (path);
  request->body_size = size;
  ferry_executor_request_async (executor, request, NULL, engine_sent_cb, &attempt);
  while (attempt == NULL)
    g_main_context_iteration (NULL, TRUE);
  run.seconds = now_seconds () - started;
  run.cpu = self_cpu () - cpu;
  if (attempt->kind != FERRY_OUTCOME_HTTP || attempt->status / 100 != 2)
    g_error ("engine upload: %u %s", attempt->status,
             attempt->error != NULL ? attempt->error->message : "");
  ferry_attempt_free (attempt);
  return run;
}

/* curl -T and the engine in turn, sending the same file to @upload_url. */
static void
compare_engine_send (const char *server,
                     const char *upload_url,
                     const char *tmp)
{
  g_autofree char *path = g_build_filename (tmp, "engine.bin", NULL);
  g_autoptr(FerryExecutor) executor = ferry_executor_new (NULL);
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) curl_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) engine_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 size = (guint64) size_mb * 1000 * 1000;
  const char *put_argv[] = { "curl", "-s", "-f", "-o", "/dev/null", "-H", "Expect:",
                             "-T", path, upload_url, NULL };

  write_pattern_file (path, size);
  g_print ("The engine's sending alone (no ferryd, no spool) beside curl -T, %d MB to %s:\n",
           size_mb, server);
  for (int i = 0; i < rounds; i++)
    {
      Run curl, engine;
      double r;

      settle (tmp);
      curl = run_curl (put_argv);
      settle (tmp);
      engine = engine_upload (executor, upload_url, path, size);
      r = 100.0 * curl.seconds / engine.seconds;
      g_print ("  round %d: curl %.2f s, engine %.2f s: %.0f%%; processor %.2f s / %.2f s\n",
               i + 1, curl.seconds, engine.seconds, r, curl.cpu, engine.cpu);
      g_array_append_val (ratios, r);
      g_array_append_val (curl_cpu, curl.cpu);
      g_array_append_val (engine_cpu, engine.cpu);
    }
  g_print ("  engine / curl, median of the rounds: %.0f%%; processor, median: "
           "curl %.2f s, engine %.2f s\n", median (ratios), median (curl_cpu),
           median (engine_cpu));
  g_unlink (path);
}

/* Every round against one server: @url serves the file (with a strong
 * validator), @upload_url takes a PUT. */
static GArray *
run_rounds (FerryAgentFixture *fixture,
            const char        *url,
            const char        *upload_url,
            const char        *tmp,
            guint64            size)
{
  g_autofree char *curl_file = g_build_filename (tmp, "curl.bin", NULL);
  g_autofree char *ferry_file = g_build_filename (tmp, "ferry.bin", NULL);
  GArray *all = g_array_new (FALSE, TRUE, sizeof (Round));

  for (int i = 0; i < rounds; i++)
    {
      const char *get_argv[] = { "curl", "-s", "-f", "-o", curl_file, url, NULL };
      const char *put_argv[] = { "curl", "-s", "-f", "-o", "/dev/null", "-H", "Expect:",
                                 "-T", curl_file, upload_url, NULL };
      Round round;
      double spooled, peak;

      settle (tmp);
      round.curl_get = run_curl (get_argv);
      g_unlink (ferry_file);
      settle (tmp);
      round.ferry_get = ferry_download (fixture, url, ferry_file, size);
      settle (tmp);
      round.curl_put = run_curl (put_argv);
      settle (tmp);
      round.ferry_put = ferry_upload (fixture, upload_url, curl_file, &spooled, &peak);
      round.ferry_send = round.ferry_put;
      round.ferry_send.seconds -= spooled;
      g_array_append_val (all, round);
    }
  g_unlink (curl_file);
  g_unlink (ferry_file);
  return all;
}

static void
compare_with_curl (FerryAgentFixture *fixture,
                   const char        *tmp)
{
  g_autoptr(FerryRangeServer) server = ferry_range_server_new ();
  guint64 size = (guint64) size_mb * 1000 * 1000;
  g_autofree char *url = ferry_range_server_url (server, "/big");
  g_autofree char *upload_url = ferry_range_server_url (server, "/upload");
  g_autoptr(GArray) all = NULL;

  ferry_range_server_set_pattern (server, "/big", size, SEED);
  ferry_range_server_set_validators (server, "/big", "\"big\"", NULL, NULL);
  all = run_rounds (fixture, url, upload_url, tmp, size);
  print_rounds ("the tests' loopback range server", all, size);
  compare_engine_send ("the tests' loopback range server", upload_url, tmp);
}

/* The same against nginx: static files, PUT stored by its WebDAV module. */
static void
compare_with_nginx (FerryAgentFixture *fixture,
                    const char        *tmp)
{
  BenchNginx *nginx = bench_nginx_start (NULL);
  guint64 size = (guint64) size_mb * 1000 * 1000;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *upload_url = NULL;
  g_autoptr(GArray) all = NULL;

  if (nginx == NULL)
    {
      g_print ("nginx: not installed (apt-get install nginx-light), left out\n");
      return;
    }
  path = bench_nginx_dup_file_path (nginx, "big.bin");
  write_pattern_file (path, size);
  url = g_strdup_printf ("http://127.0.0.1:%u/files/big.bin", bench_nginx_get_port (nginx));
  upload_url = g_strdup_printf ("http://127.0.0.1:%u/put/upload.bin",
                                bench_nginx_get_port (nginx));
  all = run_rounds (fixture, url, upload_url, tmp, size);
  print_rounds ("nginx on loopback", all, size);
  compare_engine_send ("nginx on loopback", upload_url, tmp);
  bench_nginx_stop (nginx);
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
  {
    FerryAgentFixture fixture = { 0 };

    ferry_agent_fixture_set_up_with_env (&fixture, "full", unlimited);
    compare_with_curl (&fixture, tmp);
    if (!skip_nginx)
      compare_with_nginx (&fixture, tmp);
    ferry_agent_fixture_tear_down (&fixture);
  }
  if (!skip_memory)
    measure_upload_memory (tmp);
  ferry_agent_bus_down ();
  bench_remove_tree (tmp);
  return 0;
}
