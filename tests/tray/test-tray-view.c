/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "ferry-tray-view.h"

/*
 * The tray item's looks from a status, state by state: what needs the
 * person always makes it NeedsAttention; otherwise it is Active, synced
 * included, so hosts that hide Passive items keep showing it.
 */

#define SEC ((gint64) G_USEC_PER_SEC)
#define NOW ((gint64) 1700000000 * SEC)

typedef struct
{
  FerryStatusSnapshot  snapshot;
  const char          *icon;
  const char          *status;
  const char          *title;
  const char          *description;
} ViewCase;

static const ViewCase cases[] = {
  { { FALSE, FERRY_AGENT_STATE_UNKNOWN, 0, 0, 0, 0, 0, 0, 0, 0 },
    FERRY_TRAY_ICON_OFFLINE, "Active", "Ferry’s agent is not running",
    "Nothing is known about your changes until it runs" },
  { { TRUE, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, NOW - 120 * SEC, 0 },
    FERRY_TRAY_ICON_SYNCED, "Active", "All changes synced", "Last synced 2 minutes ago" },
  { { TRUE, FERRY_AGENT_STATE_IDLE, 0, 0, 0, 0, 0, 0, 0, 0 },
    FERRY_TRAY_ICON_SYNCED, "Active", "Nothing to sync", "" },
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 9, 0, 0, 0, 5, 9, 0, 0 },
    FERRY_TRAY_ICON_SYNCING, "Active", "Syncing 5 of 9", "Not synced yet" },
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 9, 0, 1, 0, 5, 9, 0, 0 },
    FERRY_TRAY_ICON_ATTENTION, "NeedsAttention", "Syncing 5 of 9",
    "Not synced yet\n1 conflict needs you" },
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 9, 0, 0, 2, 5, 9, 0, 0 },
    FERRY_TRAY_ICON_ATTENTION, "NeedsAttention", "Syncing 5 of 9",
    "Not synced yet\n2 changes need you to sign in" },
  { { TRUE, FERRY_AGENT_STATE_OFFLINE, 5, 0, 0, 0, 0, 0, 0, 0 },
    FERRY_TRAY_ICON_OFFLINE, "Active", "Offline — 5 changes waiting",
    "They are sent when the network is back" },
  { { TRUE, FERRY_AGENT_STATE_OFFLINE, 5, 1, 0, 0, 0, 0, 0, 0 },
    FERRY_TRAY_ICON_ATTENTION, "NeedsAttention", "Offline — 5 changes waiting",
    "They are sent when the network is back\n1 change failed" },
  { { TRUE, FERRY_AGENT_STATE_PAUSED, 3, 0, 0, 0, 0, 0, 0, NOW + 60 * SEC },
    FERRY_TRAY_ICON_PAUSED, "Active", "Paused", "3 changes wait until you resume" },
  { { TRUE, FERRY_AGENT_STATE_ATTENTION, 0, 2, 1, 0, 0, 0, NOW - 60 * SEC, 0 },
    FERRY_TRAY_ICON_ATTENTION, "NeedsAttention", "3 changes need your attention",
    "Last synced 1 minute ago\n1 conflict needs you\n2 changes failed" },
  { { TRUE, FERRY_AGENT_STATE_ATTENTION, 0, 0, 1, 0, 0, 0, NOW - 60 * SEC, 0 },
    FERRY_TRAY_ICON_ATTENTION, "NeedsAttention", "1 conflict needs you",
    "Last synced 1 minute ago" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ViewCase *row = &cases[i];
      g_autoptr(FerryStatus) status = ferry_status_describe (&row->snapshot, NOW);
      FerryTrayView view = { 0, };

      ferry_tray_view_from_status (&view, status,
                                   row->snapshot.state == FERRY_AGENT_STATE_PAUSED);
      g_test_message ("row %u: %s", i, view.title);
      g_assert_cmpstr (view.icon_name, ==, row->icon);
      g_assert_cmpstr (view.status, ==, row->status);
      g_assert_cmpstr (view.title, ==, row->title);
      g_assert_cmpstr (view.description, ==, row->description);
      g_assert_cmpint (view.paused, ==, row->snapshot.state == FERRY_AGENT_STATE_PAUSED);
      ferry_tray_view_clear (&view);
      g_assert_null (view.title);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tray/view/table", test_table);

  return g_test_run ();
}
