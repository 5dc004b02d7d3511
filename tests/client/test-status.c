/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "ferry-status.h"

/*
 * The one status the window's header, the tray and ferryctl say, held to
 * the truth state by state.  Each row is a snapshot of the agent and what
 * must be said of it; NULL for a detail means none is shown.
 */

#define SEC ((gint64) G_USEC_PER_SEC)
#define NOW ((gint64) 1700000000 * SEC)

typedef struct
{
  const char          *what;
  FerryStatusSnapshot  snapshot;
  const char          *title;
  const char          *detail;
  FerryStatusIcon      icon;
  const char          *view;
  const char          *attention;   /* the lines, joined with "|" */
} StatusCase;

#define RUNNING TRUE

static const StatusCase cases[] = {
  { "agent not running",
    { FALSE, FERRY_AGENT_STATE_UNKNOWN, 5, 2, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "Ferry’s agent is not running", "Nothing is known about your changes until it runs",
    FERRY_STATUS_ICON_STOPPED, NULL, "" },
  { "first start: nothing was ever sent",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, 0, 0 },
    "Nothing to sync", NULL, FERRY_STATUS_ICON_SYNCED, NULL, "" },
  { "everything delivered",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 300 * SEC, 0 },
    "All changes synced", "Last synced 5 minutes ago", FERRY_STATUS_ICON_SYNCED, NULL, "" },
  { "every attempt failed: waiting for the next try, never synced",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 1, 0, 0, 0, 0, 0, 0, NOW + 240 * SEC },
    "1 change waiting", "Not synced yet · next try in 4 min", FERRY_STATUS_ICON_SYNCING,
    NULL, "" },
  { "failed attempts after an earlier sync",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 3, 0, 0, 0, 0, 0, NOW - 7200 * SEC, NOW + 30 * SEC },
    "3 changes waiting", "Last synced 2 hours ago · next try in 30 s",
    FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a change held until two hours from now",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 1, 0, 0, 0, 0, 0, 0, NOW + 7200 * SEC },
    "1 change waiting", "Not synced yet · next try in 2 h", FERRY_STATUS_ICON_SYNCING, NULL,
    "" },
  { "paused: no next sync, whatever the agent's timer says",
    { RUNNING, FERRY_AGENT_STATE_PAUSED, 7, 0, 0, 0, 0, 0, NOW - 60 * SEC, NOW + 58 * SEC },
    "Paused", "7 changes wait until you resume", FERRY_STATUS_ICON_PAUSED, NULL, "" },
  { "paused with nothing waiting",
    { RUNNING, FERRY_AGENT_STATE_PAUSED, 0, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "Paused", "Last synced 1 minute ago", FERRY_STATUS_ICON_PAUSED, NULL, "" },
  { "offline with changes waiting",
    { RUNNING, FERRY_AGENT_STATE_OFFLINE, 5, 0, 0, 0, 0, 0, NOW - 60 * SEC, NOW + 58 * SEC },
    "Offline — 5 changes waiting", "They are sent when the network is back",
    FERRY_STATUS_ICON_OFFLINE, NULL, "" },
  { "offline with nothing waiting",
    { RUNNING, FERRY_AGENT_STATE_OFFLINE, 0, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "Offline", "Last synced 1 minute ago", FERRY_STATUS_ICON_OFFLINE, NULL, "" },
  { "syncing",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 40, 0, 0, 0, 12, 40, 0, 0 },
    "Syncing 12 of 40", "Not synced yet", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "syncing, run size not known yet",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 40, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "Syncing…", "Last synced 1 minute ago", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a conflict while syncing: attention wins the picture",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 9, 0, 1, 0, 5, 9, 0, 0 },
    "Syncing 5 of 9", "Not synced yet", FERRY_STATUS_ICON_ATTENTION, "conflicts",
    "1 conflict needs you" },
  { "failures only: counted as changes",
    { RUNNING, FERRY_AGENT_STATE_ATTENTION, 0, 4, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "4 changes failed", "Last synced 1 minute ago", FERRY_STATUS_ICON_ATTENTION, "failed",
    "4 changes failed" },
  { "several kinds: the total says what it counts, the lines each kind",
    { RUNNING, FERRY_AGENT_STATE_ATTENTION, 2, 2, 1, 1, 0, 0, NOW - 60 * SEC, NOW + 60 * SEC },
    "4 changes need your attention", "Last synced 1 minute ago · next try in 1 min",
    FERRY_STATUS_ICON_ATTENTION, "conflicts",
    "1 conflict needs you|1 change needs you to sign in|2 changes failed" },
  { "sign-in only",
    { RUNNING, FERRY_AGENT_STATE_ATTENTION, 0, 0, 0, 1, 0, 0, 0, 0 },
    "1 change needs you to sign in", "Not synced yet", FERRY_STATUS_ICON_ATTENTION, "failed",
    "1 change needs you to sign in" },
  { "a collection syncing while the tasks rest",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0,
      0, 0, 0, 0, 1, 120, 900, 0, 0 },
    "Syncing 120 of 900", "Last synced 1 minute ago", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "tasks and two collections syncing: one count",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 9, 0, 0, 0, 5, 9, 0, 0,
      0, 0, 0, 0, 2, 115, 891, 0, 0 },
    "Syncing 120 of 900", "Not synced yet", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a collection starting its run: size not known yet",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0,
      0, 0, 0, 0, 1, 0, 0, 0, 0 },
    "Syncing…", "Last synced 1 minute ago", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a record in conflict, nothing else",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 60 * SEC, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 1 },
    "1 conflict needs you", "Last synced 1 minute ago", FERRY_STATUS_ICON_ATTENTION,
    "conflicts", "1 conflict needs you" },
  { "records refused and in conflict count with the tasks'",
    { RUNNING, FERRY_AGENT_STATE_ATTENTION, 0, 1, 1, 0, 0, 0, NOW - 60 * SEC, 0,
      0, 0, 0, 0, 0, 0, 0, 2, 1 },
    "5 changes need your attention", "Last synced 1 minute ago", FERRY_STATUS_ICON_ATTENTION,
    "conflicts", "2 conflicts need you|3 changes failed" },
  { "a refused record while a collection runs: attention wins the picture",
    { RUNNING, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 1, 4, 10, 1, 0 },
    "Syncing 4 of 10", "Not synced yet", FERRY_STATUS_ICON_ATTENTION, "collections",
    "1 change failed" },
  { "only a download moves: the title speaks of it",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 1, 0, 0, 0, 0, 1, NOW - 60 * SEC, 0,
      1, 0, 1000, 4000 },
    "Downloading 1 file…", "Last synced 1 minute ago", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a download beside a change: the run counts both",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 2, 0, 0, 0, 0, 2, NOW - 60 * SEC, 0,
      1, 0, 1000, 4000 },
    "Syncing 0 of 2", "Last synced 1 minute ago", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a download beside a collection's run",
    { RUNNING, FERRY_AGENT_STATE_SYNCING, 1, 0, 0, 0, 0, 1, 0, 0,
      1, 0, 0, -1, 1, 3, 10, 0, 0 },
    "Syncing 3 of 11", "Not synced yet", FERRY_STATUS_ICON_SYNCING, NULL, "" },
  { "a failure while offline",
    { RUNNING, FERRY_AGENT_STATE_OFFLINE, 2, 1, 0, 0, 0, 0, NOW - 60 * SEC, 0 },
    "Offline — 2 changes waiting", "They are sent when the network is back",
    FERRY_STATUS_ICON_ATTENTION, "failed", "1 change failed" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const StatusCase *row = &cases[i];
      g_autoptr(FerryStatus) status = ferry_status_describe (&row->snapshot, NOW);
      g_autofree char *lines = g_strjoinv ("|", status->attention);

      g_test_message ("%s", row->what);
      g_assert_cmpstr (status->title, ==, row->title);
      g_assert_cmpstr (status->detail, ==, row->detail);
      g_assert_cmpint (status->icon, ==, row->icon);
      g_assert_cmpstr (status->view, ==, row->view);
      g_assert_cmpstr (lines, ==, row->attention);
      g_assert_true (status->needs_attention == (*row->attention != '\0'));
    }
}

/* The text form used for tooltips and ferryctl: no line twice. */
static void
test_text (void)
{
  FerryStatusSnapshot failed = {
    TRUE, FERRY_AGENT_STATE_ATTENTION, 0, 4, 0, 0, 0, 0, NOW - 60 * SEC, 0
  };
  FerryStatusSnapshot mixed = {
    TRUE, FERRY_AGENT_STATE_SYNCING, 9, 1, 1, 0, 5, 9, NOW - 60 * SEC, 0
  };
  g_autoptr(FerryStatus) one = ferry_status_describe (&failed, NOW);
  g_autoptr(FerryStatus) two = ferry_status_describe (&mixed, NOW);
  g_autofree char *one_text = ferry_status_to_text (one);
  g_autofree char *two_text = ferry_status_to_text (two);

  g_assert_cmpstr (one_text, ==, "4 changes failed\nLast synced 1 minute ago");
  g_assert_cmpstr (two_text, ==,
                   "Syncing 5 of 9\nLast synced 1 minute ago\n1 conflict needs you\n"
                   "1 change failed");
}

/* The one line under the header's title: files moving first, then the
 * detail; either alone, or nothing. */
static void
test_subtitle (void)
{
  FerryStatusSnapshot synced = {
    TRUE, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 300 * SEC, 0,
    2, 0, 120 * 1000 * 1000, 400 * 1000 * 1000
  };
  FerryStatusSnapshot first = {
    TRUE, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 5 * 1000, -1
  };
  FerryStatusSnapshot quiet = {
    TRUE, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };
  g_autoptr(FerryStatus) both = ferry_status_describe (&synced, NOW);
  g_autoptr(FerryStatus) moving = ferry_status_describe (&first, NOW);
  g_autoptr(FerryStatus) none = ferry_status_describe (&quiet, NOW);
  g_autofree char *both_line = ferry_status_dup_subtitle (both);
  g_autofree char *moving_line = ferry_status_dup_subtitle (moving);
  g_autofree char *none_line = ferry_status_dup_subtitle (none);

  g_assert_cmpstr (both->title, ==, "All changes synced");
  g_assert_cmpstr (both_line, ==, "Downloading 2 files — 120.0\u00a0MB of 400.0\u00a0MB · "
                   "Last synced 5 minutes ago");
  g_assert_cmpstr (moving_line, ==, "Downloading 1, uploading 1 files — 5.0\u00a0kB");
  g_assert_null (none_line);
}

static void
test_last_sync (void)
{
  struct { gint64 ago; const char *expected; } rows[] = {
    { -1, "Not synced yet" },
    { 0, "Last synced just now" },
    { 59, "Last synced just now" },
    { 60, "Last synced 1 minute ago" },
    { 150, "Last synced 2 minutes ago" },
    { 3600, "Last synced 1 hour ago" },
    { 3 * 86400 + 5, "Last synced 3 days ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gint64 when = rows[i].ago < 0 ? 0 : NOW - rows[i].ago * SEC;
      g_autofree char *text = ferry_format_last_sync (when, NOW);

      g_assert_cmpstr (text, ==, rows[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* English whatever the machine's locale: the words are the test. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/status/table", test_table);
  g_test_add_func ("/client/status/text", test_text);
  g_test_add_func ("/client/status/subtitle", test_subtitle);
  g_test_add_func ("/client/status/last-sync", test_last_sync);

  return g_test_run ();
}
