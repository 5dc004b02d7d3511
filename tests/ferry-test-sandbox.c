/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-test-util.h"

#include "ferry-test-sandbox.h"

/*
 * A sandboxed process for tests, made the way Flatpak makes an app's:
 * bubblewrap with a /.flatpak-info naming the app, which is what ferryd
 * looks for in /proc/PID/root.  The sandbox holds the whole file system,
 * bound from the outside, but its root is bubblewrap's own, so the file
 * is not created on the real one.
 */

/**
 * ferry_test_sandbox_argv:
 * @app_id: the app the sandbox says it runs
 *
 * The start of a command line that runs the rest of it in the sandbox;
 * append the program and its arguments, then %NULL.  The test command
 * installs bubblewrap (.ci/deps); without it the test fails.
 *
 * Returns: (transfer full): the arguments, owning their strings
 */
GPtrArray *
ferry_test_sandbox_argv (const char *app_id)
{
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autofree char *info_path = g_build_filename (dir, "flatpak-info", NULL);
  g_autofree char *info = g_strdup_printf ("[Application]\nname=%s\n", app_id);
  g_autofree char *bwrap = g_find_program_in_path ("bwrap");
  g_autoptr(GDir) root = g_dir_open ("/", 0, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (bwrap);
  g_assert_nonnull (root);
  g_file_set_contents (info_path, info, -1, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, g_steal_pointer (&bwrap));
  while ((name = g_dir_read_name (root)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/", name, NULL);
      g_autofree char *target = NULL;

      if (g_str_equal (name, "proc") || g_str_equal (name, "dev"))
        continue;
      if ((target = g_file_read_link (path, NULL)) != NULL)
        {
          g_ptr_array_add (argv, g_strdup ("--symlink"));
          g_ptr_array_add (argv, g_steal_pointer (&target));
          g_ptr_array_add (argv, g_steal_pointer (&path));
        }
      else if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (argv, g_strdup ("--bind"));
          g_ptr_array_add (argv, g_strdup (path));
          g_ptr_array_add (argv, g_steal_pointer (&path));
        }
    }
  g_ptr_array_add (argv, g_strdup ("--ro-bind"));
  g_ptr_array_add (argv, g_steal_pointer (&info_path));
  g_ptr_array_add (argv, g_strdup ("/.flatpak-info"));
  g_ptr_array_add (argv, g_strdup ("--dev"));
  g_ptr_array_add (argv, g_strdup ("/dev"));
  g_ptr_array_add (argv, g_strdup ("--proc"));
  g_ptr_array_add (argv, g_strdup ("/proc"));
  g_ptr_array_add (argv, g_strdup ("--"));
  return argv;
}

struct _FerryTestPeer
{
  GSubprocess      *process;
  GDataInputStream *output;
  GPtrArray        *lines;   /* what it printed */
  gboolean          eof;
};

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryTestPeer *peer = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      peer->eof = TRUE;
      return;
    }
  g_test_message ("peer: %s", line);
  g_ptr_array_add (peer->lines, line);
  g_data_input_stream_read_line_async (peer->output, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       peer);
}

/**
 * ferry_test_peer_start:
 * @app_id: the app the sandbox says it runs
 * @command: the program and its arguments
 *
 * Runs @command in a sandbox of @app_id and waits until it says "ready".
 *
 * Returns: (transfer full): the peer, running
 */
FerryTestPeer *
ferry_test_peer_start (const char         *app_id,
                       const char * const *command)
{
  g_autoptr(GPtrArray) argv = ferry_test_sandbox_argv (app_id);
  g_autoptr(GError) error = NULL;
  FerryTestPeer *peer = g_new0 (FerryTestPeer, 1);

  for (guint i = 0; command[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (command[i]));
  g_ptr_array_add (argv, NULL);

  peer->lines = g_ptr_array_new_with_free_func (g_free);
  peer->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  peer->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  g_data_input_stream_read_line_async (peer->output, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       peer);
  FERRY_TEST_WAIT (ferry_test_peer_said (peer, "ready") || peer->eof, 20000);
  g_assert_true (ferry_test_peer_said (peer, "ready"));
  return peer;
}

/**
 * ferry_test_peer_stop:
 * @peer: a peer
 *
 * Closes its standard input, reads the rest of what it says and waits
 * for it to exit, which it must with status 0.
 */
void
ferry_test_peer_stop (FerryTestPeer *peer)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (peer->process), NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (peer->eof, 20000);
  g_subprocess_wait_check (peer->process, NULL, &error);
  g_assert_no_error (error);
}

/**
 * ferry_test_peer_free:
 * @peer: a peer
 *
 * Ends the peer if it still runs and frees it.
 */
void
ferry_test_peer_free (FerryTestPeer *peer)
{
  if (peer->process != NULL && !g_subprocess_get_if_exited (peer->process) &&
      !g_subprocess_get_if_signaled (peer->process))
    {
      g_subprocess_force_exit (peer->process);
      g_subprocess_wait (peer->process, NULL, NULL);
    }
  g_clear_object (&peer->output);
  g_clear_object (&peer->process);
  g_clear_pointer (&peer->lines, g_ptr_array_unref);
  g_free (peer);
}

/**
 * ferry_test_peer_said:
 * @peer: a peer
 * @line: a line
 *
 * Returns: whether @peer has printed @line
 */
gboolean
ferry_test_peer_said (FerryTestPeer *peer,
                      const char    *line)
{
  for (guint i = 0; i < peer->lines->len; i++)
    if (g_str_equal (g_ptr_array_index (peer->lines, i), line))
      return TRUE;
  return FALSE;
}

/**
 * ferry_test_peer_count:
 * @peer: a peer
 * @prefix: how the lines start
 * @word: (nullable): a word they hold, between spaces
 *
 * Returns: how many lines @peer printed that start with @prefix and hold
 *   @word
 */
guint
ferry_test_peer_count (FerryTestPeer *peer,
                       const char    *prefix,
                       const char    *word)
{
  g_autofree char *spaced = g_strdup_printf (" %s ", word != NULL ? word : "");
  guint n = 0;

  for (guint i = 0; i < peer->lines->len; i++)
    {
      const char *line = g_ptr_array_index (peer->lines, i);

      if (g_str_has_prefix (line, prefix) && (word == NULL || strstr (line, spaced) != NULL))
        n++;
    }
  return n;
}
