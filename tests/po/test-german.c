/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The German catalog as built (po/de/LC_MESSAGES/ferry.mo in the build
 * tree) is the one the window's and the tray's words come out of with
 * LANGUAGE=de: the window's status line through its own formatting code,
 * the tray's menu and titles through the calls ferry-tray.c makes.
 */
#define G_LOG_DOMAIN "ferry-test"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "ferry-task-format.h"

#define MINUTE (G_USEC_PER_SEC * G_GINT64_CONSTANT (60))

static void
assert_status_says (const FerryStatusSnapshot *snapshot,
                    const char                *expected)
{
  g_autoptr(FerryStatus) status = ferry_status_describe (snapshot, g_get_real_time ());

  g_assert_cmpstr (status->title, ==, expected);
}

static void
test_window_status (void)
{
  FerryStatusSnapshot snapshot = {
    .agent_running = TRUE,
    .state = FERRY_AGENT_STATE_IDLE,
    .last_sync_time = g_get_real_time (),
  };

  assert_status_says (&snapshot, "Alle Änderungen synchronisiert");

  snapshot.state = FERRY_AGENT_STATE_SYNCING;
  snapshot.progress_done = 3;
  snapshot.progress_total = 12;
  assert_status_says (&snapshot, "Synchronisierung: 3 von 12");
  snapshot.progress_total = 0;
  assert_status_says (&snapshot, "Wird synchronisiert …");

  snapshot.state = FERRY_AGENT_STATE_OFFLINE;
  snapshot.pending = 1;
  assert_status_says (&snapshot, "Offline – 1 Änderung wartet");
  snapshot.pending = 5;
  assert_status_says (&snapshot, "Offline – 5 Änderungen warten");

  snapshot.state = FERRY_AGENT_STATE_PAUSED;
  assert_status_says (&snapshot, "Angehalten");

  snapshot.state = FERRY_AGENT_STATE_IDLE;
  assert_status_says (&snapshot, "5 Änderungen warten");

  snapshot.state = FERRY_AGENT_STATE_ATTENTION;
  snapshot.conflicts = 1;
  assert_status_says (&snapshot, "1 Konflikt erfordert eine Entscheidung");
  snapshot.failed = 2;
  assert_status_says (&snapshot, "3 Änderungen erfordern Ihre Aufmerksamkeit");

  snapshot.agent_running = FALSE;
  assert_status_says (&snapshot, "Der Ferry-Hintergrunddienst läuft nicht");
}

static void
test_window_last_sync (void)
{
  gint64 now = g_get_real_time ();
  g_autofree char *never = ferry_format_last_sync (0, now);
  g_autofree char *one = ferry_format_last_sync (now - 1 * MINUTE, now);
  g_autofree char *two = ferry_format_last_sync (now - 2 * MINUTE, now);

  g_assert_cmpstr (never, ==, "Noch nicht synchronisiert");
  g_assert_cmpstr (one, ==, "Zuletzt vor 1 Minute synchronisiert");
  g_assert_cmpstr (two, ==, "Zuletzt vor 2 Minuten synchronisiert");
}

/* ferry-tray.c builds its menu and titles from these calls (gi18n-lib.h:
 * _() is g_dgettext (GETTEXT_PACKAGE, …)). */
static void
test_tray (void)
{
  g_autofree char *waiting1 = NULL;
  g_autofree char *waiting4 = NULL;
  g_autofree char *syncing = NULL;
  g_autofree char *conflicts = NULL;

  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Open Ferry"), ==, "Ferry öffnen");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Sync now"), ==, "Jetzt synchronisieren");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Paused"), ==, "Angehalten");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Quit"), ==, "Beenden");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "All changes synced"), ==,
                   "Alle Änderungen synchronisiert");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Ferry’s agent is not running"), ==,
                   "Der Ferry-Hintergrunddienst läuft nicht");
  /* German is written left to right: the menu's direction. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "default:LTR"), ==, "default:LTR");

  waiting1 = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u change waiting", "%u changes waiting", 1), 1);
  waiting4 = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u change waiting", "%u changes waiting", 4), 4);
  syncing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Syncing %'u of %'u", "Syncing %'u of %'u", 40),
                             12, 40);
  conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u conflict needs you", "%u conflicts need you", 2),
                               2);
  g_assert_cmpstr (waiting1, ==, "1 Änderung wartet");
  g_assert_cmpstr (waiting4, ==, "4 Änderungen warten");
  g_assert_cmpstr (syncing, ==, "Synchronisierung: 12 von 40");
  g_assert_cmpstr (conflicts, ==, "2 Konflikte erfordern eine Entscheidung");
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("FERRY_TEST_LOCALEDIR");
  g_autofree char *catalog = NULL;
  const char *locale;

  /* gettext reads LANGUAGE only when the locale is not "C": C.UTF-8 is
   * built into glibc and is not "C".  LC_ALL and LC_MESSAGES would win over
   * LANG, so whatever meson test inherited goes. */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  locale = setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (localedir == NULL)
    g_error ("FERRY_TEST_LOCALEDIR is not set: run this through meson test");
  catalog = g_build_filename (localedir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (catalog, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: build the tree first", catalog);
  if (locale == NULL)
    g_error ("the C.UTF-8 locale is missing, so LANGUAGE would be ignored");

  /* As the window's main() does, with the build tree for LOCALEDIR. */
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/po/german/window-status", test_window_status);
  g_test_add_func ("/po/german/window-last-sync", test_window_last_sync);
  g_test_add_func ("/po/german/tray", test_tray);

  return g_test_run ();
}
