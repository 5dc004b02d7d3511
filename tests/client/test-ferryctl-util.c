/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "ferry-client-test-config.h"
#include "test-ferryctl-util.h"

/* What the ferryctl tests share: fixtures, running ferryctl, reading
 * what it says. */

void
fixture_set_up_offline (Fixture       *fixture,
                        gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "offline", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

void
fixture_set_up_online (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->server = ferry_test_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

void
fixture_set_up_documents (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->docs = ferry_doc_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->docs, ferry_doc_server_free);
}

void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags    flags,
              const char * const *env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals == NULL)
        {
          g_subprocess_launcher_unsetenv (launcher, env[i]);
        }
      else
        {
          g_autofree char *name = g_strndup (env[i], equals - env[i]);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
    }
  return launcher;
}

static GPtrArray *
ctl_argv (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) FERRYCTL_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

void
run_ctl_full (CtlRun             *run,
              const char * const *env,
              const char         *input,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = ctl_argv (args);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  if (input != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = new_launcher (flags, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("ferryctl %s → %d\n%s%s", args[0] != NULL ? args[0] : "", run->status,
                  run->out, run->err);
}

void
run_ctlv (CtlRun             *run,
          const char         *input,
          const char * const *args)
{
  run_ctl_full (run, NULL, input, args);
}

void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” found in:\n%s", needle, haystack);
}

JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

char *
add_task (const char *url)
{
  g_auto(CtlRun) run = { 0, };

  run_ctl (&run, "add", "PUT", url, "--json", "{\"n\":1}");
  g_assert_cmpint (run.status, ==, 0);
  g_strchomp (run.out);
  g_assert_true (g_uuid_string_is_valid (run.out));
  return g_steal_pointer (&run.out);
}

static void read_next_line (CtlWatch *watch);

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CtlWatch *watch = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_assert_no_error (error);
  if (line == NULL)
    {
      watch->eof = TRUE;
      return;
    }
  g_ptr_array_add (watch->lines, line);
  read_next_line (watch);
}

static void
read_next_line (CtlWatch *watch)
{
  g_data_input_stream_read_line_async (watch->input, G_PRIORITY_DEFAULT, watch->cancellable,
                                       read_line_cb, watch);
}

/* Starts ferryctl with @args, reading its standard output line by line
 * as the main context runs. */
void
ctl_watch_start (CtlWatch           *watch,
                 const char * const *args)
{
  g_autoptr(GPtrArray) argv = ctl_argv (args);
  g_autoptr(GError) error = NULL;

  watch->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  watch->input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch->process));
  watch->cancellable = g_cancellable_new ();
  watch->lines = g_ptr_array_new_with_free_func (g_free);
  watch->eof = FALSE;
  read_next_line (watch);
}

const char *
ctl_watch_find_line (CtlWatch   *watch,
                     const char *text)
{
  for (guint i = 0; i < watch->lines->len; i++)
    {
      const char *line = g_ptr_array_index (watch->lines, i);

      if (strstr (line, text) != NULL)
        return line;
    }
  return NULL;
}

static void
wait_check_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* Interrupts the process as Ctrl+C does, waits for it and returns its
 * exit status. */
int
ctl_watch_stop (CtlWatch *watch)
{
  gboolean exited = FALSE;
  int status;

  g_subprocess_send_signal (watch->process, SIGINT);
  g_subprocess_wait_async (watch->process, NULL, wait_check_cb, &exited);
  FERRY_TEST_WAIT (exited, 20000);
  g_assert_true (g_subprocess_get_if_exited (watch->process));
  status = g_subprocess_get_exit_status (watch->process);
  /* Read to the end, so no read is left pending with its buffer. */
  FERRY_TEST_WAIT (watch->eof, 20000);

  g_cancellable_cancel (watch->cancellable);
  g_clear_object (&watch->cancellable);
  g_clear_object (&watch->input);
  g_clear_object (&watch->process);
  g_clear_pointer (&watch->lines, g_ptr_array_unref);
  return status;
}
