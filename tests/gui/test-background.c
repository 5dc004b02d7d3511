/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ferry-background-test-config.h"

/*
 * `ferry --background`, as the autostart entry runs it, when it has
 * nothing to show: it says why on stderr and exits at once, with the
 * settings in a keyfile of the test's own; and the window's build tree
 * run without any schema starts on the defaults instead of aborting.
 */

static char *
write_settings (const char *keyfile_text)
{
  g_autofree char *config = g_dir_make_tmp ("ferry-background-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, keyfile_text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&config);
}

static void
run_background (const char  *config,
                gboolean     with_schema,
                int         *out_status,
                char       **out_err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (!with_schema)
    {
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", config, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", config, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", config, TRUE);
    }
  process = g_subprocess_launcher_spawn (launcher, &error, FERRY_PATH, "--background", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, out_err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *out_status = g_subprocess_get_exit_status (process);
}

static void
test_start_at_login_off (void)
{
  g_autofree char *config = write_settings ("[io/github/ferrysync/Ferry]\n"
                                            "start-at-login=false\n");
  g_autofree char *err = NULL;
  int status = -1;

  run_background (config, TRUE, &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "not starting, because “Start at login” is off"));
}

static void
test_tray_off (void)
{
  g_autofree char *config = write_settings ("[io/github/ferrysync/Ferry]\n"
                                            "show-tray=false\n");
  g_autofree char *err = NULL;
  int status = -1;

  run_background (config, TRUE, &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "not starting, because"));
}

/* No schema at all: one warning, not an abort. */
static void
test_no_schema (void)
{
  g_autofree char *config = write_settings ("");
  g_autofree char *err = NULL;
  int status = -1;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  /* No display either: --background with no tray to show still only
   * has to read (or miss) its settings, then stop. */
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");
  run_background (config, FALSE, &status, &err);
  g_assert_cmpint (status, !=, 134);
  g_assert_nonnull (strstr (err, "settings schema io.github.ferrysync.Ferry is not installed"));
  g_assert_null (strstr (err, "No GSettings schemas are installed"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gui/background/start-at-login-off", test_start_at_login_off);
  g_test_add_func ("/gui/background/tray-off", test_tray_off);
  g_test_add_func ("/gui/background/no-schema", test_no_schema);

  return g_test_run ();
}
