/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

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
  /* Files moving: their bytes come first in the tooltip. */
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 3, 0, 0, 0, 0, 3, 0, 0, 3, 0, 120000000, 400000000 },
    FERRY_TRAY_ICON_SYNCING, "Active", "Downloading 3 files…",
    "Downloading 3 files — 120.0\u00a0MB of 400.0\u00a0MB\nNot synced yet" },
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 1, 0, 0, 0, 0, 1, NOW - 60 * SEC, 0, 0, 1, 2500000, -1 },
    FERRY_TRAY_ICON_SYNCING, "Active", "Uploading 1 file…",
    "Uploading 1 file — 2.5\u00a0MB\nLast synced 1 minute ago" },
  { { TRUE, FERRY_AGENT_STATE_SYNCING, 3, 0, 0, 0, 1, 3, NOW - 60 * SEC, 0, 1, 2, 1000, 3000 },
    FERRY_TRAY_ICON_SYNCING, "Active", "Downloading 1, uploading 2 files…",
    "Downloading 1, uploading 2 files — 1.0\u00a0kB of 3.0\u00a0kB\nLast synced 1 minute ago" },
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
      /* The menu's attention item: exactly when the item needs attention,
       * saying what in one line. */
      if (g_str_equal (row->status, "NeedsAttention"))
        {
          g_assert_nonnull (view.attention);
          g_assert_true (g_str_equal (view.attention, row->title) ||
                         strstr (row->description, view.attention) != NULL ||
                         g_str_has_suffix (view.attention, "need your attention"));
        }
      else
        g_assert_null (view.attention);
      ferry_tray_view_clear (&view);
      g_assert_null (view.title);
    }
}

/* What the item and the menu tell hosts about: each field on its own,
 * between every two rows of the table, and nothing after a copy. */
static void
test_diff (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FerryStatus) a = ferry_status_describe (&cases[i].snapshot, NOW);
      FerryTrayView old_view = { 0, };
      FerryTrayView copy = { 0, };

      ferry_tray_view_from_status (&old_view, a, FALSE);
      ferry_tray_view_copy (&copy, &old_view);
      g_assert_cmpint (ferry_tray_view_diff (&old_view, &copy), ==, FERRY_TRAY_VIEW_SAME);
      g_assert_true (copy.title != old_view.title);

      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        {
          g_autoptr(FerryStatus) b = ferry_status_describe (&cases[j].snapshot, NOW);
          FerryTrayView new_view = { 0, };
          FerryTrayViewChanges changes;

          ferry_tray_view_from_status (&new_view, b, j % 2 == 1);
          changes = ferry_tray_view_diff (&old_view, &new_view);
          g_assert_cmpint (!!(changes & FERRY_TRAY_VIEW_ICON), ==,
                           g_strcmp0 (old_view.icon_name, new_view.icon_name) != 0);
          g_assert_cmpint (!!(changes & FERRY_TRAY_VIEW_STATUS), ==,
                           g_strcmp0 (old_view.status, new_view.status) != 0);
          g_assert_cmpint (!!(changes & FERRY_TRAY_VIEW_TITLE), ==,
                           g_strcmp0 (old_view.title, new_view.title) != 0);
          g_assert_cmpint (!!(changes & FERRY_TRAY_VIEW_DESCRIPTION), ==,
                           g_strcmp0 (old_view.description, new_view.description) != 0);
          g_assert_cmpint (!!(changes & FERRY_TRAY_VIEW_PAUSED), ==, j % 2 == 1);
          g_assert_cmpint (changes == FERRY_TRAY_VIEW_SAME, ==, i == j && j % 2 == 0);
          ferry_tray_view_clear (&new_view);
        }
      ferry_tray_view_clear (&old_view);
      ferry_tray_view_clear (&copy);
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
  g_test_add_func ("/tray/view/diff", test_diff);

  return g_test_run ();
}
