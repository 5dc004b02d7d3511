/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-common"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ferry-error.h"

#include "ferryctl-private.h"

/* What every command shares: options, waiting for answers, and saying
 * what went wrong in words, with the right exit status. */

/* Where a command that cannot find the agent tells the person to look. */
#define START_HINT \
  "Start it with 'ferryd' (or '_build/src/daemon/ferryd' from a build tree) on the same " \
  "session bus, then try again."

void
ferryctl_store_result_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* ferryctl is a short-lived command: it waits for each answer in turn. */
GAsyncResult *
ferryctl_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/**
 * ferryctl_usage_error:
 * @ctl: the command line
 * @format: what was wrong, naming the argument or option
 * @...: the values of @format
 *
 * Says what was wrong with the command line and where to read more.
 *
 * Returns: %FERRYCTL_EXIT_USAGE
 */
int
ferryctl_usage_error (FerryCtl   *ctl,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("ferryctl %s: %s\n", ctl->command->name, message);
  g_printerr ("Try 'ferryctl %s --help'.\n", ctl->command->name);
  return FERRYCTL_EXIT_USAGE;
}

/* Errors that mean nothing answers for the agent's name on the bus. */
static gboolean
is_agent_missing (const GError *error)
{
  static const GDBusError codes[] = {
    G_DBUS_ERROR_SERVICE_UNKNOWN,
    G_DBUS_ERROR_NAME_HAS_NO_OWNER,
    G_DBUS_ERROR_SPAWN_EXEC_FAILED,
    G_DBUS_ERROR_SPAWN_FORK_FAILED,
    G_DBUS_ERROR_SPAWN_CHILD_EXITED,
    G_DBUS_ERROR_SPAWN_CHILD_SIGNALED,
    G_DBUS_ERROR_SPAWN_FAILED,
    G_DBUS_ERROR_SPAWN_SETUP_FAILED,
    G_DBUS_ERROR_SPAWN_CONFIG_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND,
    G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID,
    G_DBUS_ERROR_SPAWN_FILE_INVALID,
    G_DBUS_ERROR_SPAWN_NO_MEMORY,
  };

  if (error->domain != G_DBUS_ERROR)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      if (error->code == (int) codes[i])
        return TRUE;
    }
  return FALSE;
}

/* Why the agent could not be started, in words. */
static char *
describe_missing_agent (const GError *error)
{
  const char *message = error->message;

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    return g_strdup_printf ("no D-Bus service file on this bus names %s, so the bus cannot "
                            "start it", FERRY_DBUS_NAME);
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    return g_strdup_printf ("nothing owns the name %s on this bus", FERRY_DBUS_NAME);

  /* The client says what it tried; the rest is why it failed. */
  if (g_str_has_prefix (message, "Could not start the agent: "))
    message += strlen ("Could not start the agent: ");
  return g_strdup_printf ("the bus failed to start it (%s)", message);
}

/**
 * ferryctl_agent_error:
 * @ctl: the command line
 * @error: what the agent, the bus or the client reported
 *
 * Says what went wrong in words.  An argument the agent refuses as
 * malformed is bad usage, like one ferryctl refuses itself; an agent that
 * is not there is said so, with how to start it.
 *
 * Returns: the exit status: %FERRYCTL_EXIT_USAGE or %FERRYCTL_EXIT_AGENT
 */
int
ferryctl_agent_error (FerryCtl *ctl,
                      GError   *error)
{
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);

  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT))
    return ferryctl_usage_error (ctl, "%s", error->message);

  if (is_agent_missing (error))
    {
      g_autofree char *reason = describe_missing_agent (error);

      g_printerr ("ferryctl %s: The Ferry agent is not running and could not be started: %s.\n"
                  "%s\n", ctl->command->name, reason, START_HINT);
      return FERRYCTL_EXIT_AGENT;
    }

  g_printerr ("ferryctl %s: %s\n", ctl->command->name, error->message);
  return FERRYCTL_EXIT_AGENT;
}

/* No client: the session bus itself could not be reached. */
static int
bus_error (FerryCtl     *ctl,
           const GError *error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  g_printerr ("ferryctl %s: The Ferry agent cannot be reached: there is no session bus to "
              "find it on (%s).\n", ctl->command->name, error->message);
  if (address == NULL || *address == '\0')
    g_printerr ("The agent runs on the session bus of a desktop session. Elsewhere (ssh, a "
                "console), export DBUS_SESSION_BUS_ADDRESS as the bus the agent runs on: "
                "'.ci/start' prints the line to use.\n");
  else
    g_printerr ("DBUS_SESSION_BUS_ADDRESS is '%s': is that bus still running?\n", address);
  return FERRYCTL_EXIT_AGENT;
}

/**
 * ferryctl_connect:
 * @ctl: the command line
 *
 * Connects to the session bus and starts the agent by D-Bus activation
 * when it is not running; says what is wrong when either fails.
 *
 * Returns: %FERRYCTL_CONTINUE with @ctl's client set, or the exit status
 */
int
ferryctl_connect (FerryCtl *ctl)
{
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GError) error = NULL;

  ferry_client_new_async (NULL, FERRY_CLIENT_FLAGS_NONE, NULL, ferryctl_store_result_cb,
                          &created);
  ctl->client = ferry_client_new_finish (ferryctl_wait (&created), &error);
  if (ctl->client == NULL)
    return bus_error (ctl, error);

  ferry_client_start_agent_async (ctl->client, NULL, ferryctl_store_result_cb, &started);
  if (!ferry_client_start_agent_finish (ctl->client, ferryctl_wait (&started), &error))
    return ferryctl_agent_error (ctl, error);
  return FERRYCTL_CONTINUE;
}

/**
 * ferryctl_parse_options:
 * @ctl: the command line
 * @entries: the command's options
 * @description: (nullable): text for the end of the command's --help
 * @argc: (inout): the command's argument count, its name first
 * @argv: (inout): the command's arguments
 *
 * Parses a command's options.  --help is handled by GOptionContext, which
 * prints and exits with 0.
 *
 * Returns: %FERRYCTL_CONTINUE, or the exit status
 */
int
ferryctl_parse_options (FerryCtl       *ctl,
                        GOptionEntry   *entries,
                        const char     *description,
                        int            *argc,
                        char         ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("ferryctl %s", ctl->command->name);

  g_set_prgname (prgname);
  context = g_option_context_new (ctl->command->parameters);
  g_option_context_set_summary (context, ctl->command->help);
  if (description != NULL)
    g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    return ferryctl_usage_error (ctl, "%s", error->message);
  return FERRYCTL_CONTINUE;
}

/**
 * ferryctl_check_arguments:
 * @ctl: the command line
 * @argc: the argument count after the options, the command's name first
 * @argv: the arguments
 * @n_arguments: how many the command takes
 * @missing: (nullable): what to call the first missing one, e.g. "ID"
 *
 * Returns: %FERRYCTL_CONTINUE when exactly @n_arguments were given, or
 *   %FERRYCTL_EXIT_USAGE after saying what is missing or too much
 */
int
ferryctl_check_arguments (FerryCtl    *ctl,
                          int          argc,
                          char       **argv,
                          int          n_arguments,
                          const char  *missing)
{
  if (argc - 1 < n_arguments)
    return ferryctl_usage_error (ctl, "missing %s", missing != NULL ? missing : "argument");
  if (argc - 1 > n_arguments)
    return ferryctl_usage_error (ctl, "unexpected argument '%s'", argv[n_arguments + 1]);
  return FERRYCTL_CONTINUE;
}

/**
 * ferryctl_read_argument:
 * @ctl: the command line
 * @option: the option's name, for messages
 * @value: "@FILE", "@-" for standard input, or the text itself
 * @out_status: (out): the exit status when this fails
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL after a usage
 *   error
 */
GBytes *
ferryctl_read_argument (FerryCtl   *ctl,
                        const char *option,
                        const char *value,
                        int        *out_status)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (value[0] != '@')
    return g_bytes_new (value, strlen (value));

  if (g_str_equal (value, "@-"))
    {
      g_autoptr(GIOChannel) input = g_io_channel_unix_new (0);

      if (g_io_channel_set_encoding (input, NULL, &error) != G_IO_STATUS_NORMAL
          || g_io_channel_read_to_end (input, &contents, &length, &error) != G_IO_STATUS_NORMAL)
        {
          *out_status = ferryctl_usage_error (ctl, "%s: cannot read standard input: %s",
                                              option, error->message);
          return NULL;
        }
      return g_bytes_new_take (contents, length);
    }

  if (!g_file_get_contents (value + 1, &contents, &length, &error))
    {
      *out_status = ferryctl_usage_error (ctl, "%s: cannot read '%s': %s", option, value + 1,
                                          error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}
