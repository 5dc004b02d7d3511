/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl"

#include "config.h"

#include <locale.h>

#include "ferryctl-collections.h"

/*
 * ferryctl: the command line of Ferry, for scripts, tests and people.
 * Every command goes through FerryClient, which starts the agent by D-Bus
 * activation when it is not running.  One file per group of commands:
 * ferryctl-add.c, ferryctl-list.c (list, show), ferryctl-actions.c (retry,
 * cancel, sync, pause, resume), ferryctl-resolve.c, ferryctl-status.c and
 * ferryctl-watch.c; what they share is in ferryctl-common.c and
 * ferryctl-ids.c.  Exit statuses: see ferryctl-private.h.
 */

static const FerryCtlCommand commands[] = {
  { "add", "METHOD URL", "Add a task and print its id",
    "Add a task: an HTTP request for the agent to deliver.  Prints the task's id.",
    ferryctl_run_add },
  { "list", NULL, "List tasks",
    "List tasks, in the order they were added unless --newest-first.", ferryctl_run_list },
  { "show", "ID", "Show everything about a task",
    "Show everything about a task: request, state, attempts, errors, response.  Credentials "
    "are left out unless --show-secrets.", ferryctl_run_show },
  { "retry", "ID|--all", "Make a failed task pending again",
    "Make a failed (or sign-in) task pending again, due now; --all for every one.",
    ferryctl_run_retry },
  { "cancel", "ID|--all", "Drop a task that has not been delivered",
    "Drop a task that is pending, failed, in conflict or waiting for sign-in; --all for every "
    "one.", ferryctl_run_cancel },
  { "resolve", "ID --take mine|server|merged", "Settle a conflict",
    "Settle a task waiting in conflict: send mine again, keep the server's copy, or send a "
    "merged body.", ferryctl_run_resolve },
  { "sync", NULL, "Deliver what is waiting now",
    "Start delivering now, also tasks waiting for a retry time.", ferryctl_run_sync },
  { "pause", NULL, "Stop sending until resumed",
    "Stop starting new attempts until resumed (attempts in flight finish).", ferryctl_run_pause },
  { "resume", NULL, "Start sending again",
    "Undo a pause and start delivering.", ferryctl_run_resume },
  { "status", NULL, "Show what the agent is doing",
    "Show the agent's state, counts, progress and sync times, in words.", ferryctl_run_status },
  { "download", "URL", "Download a file, resumed until it is there",
    "Add a download: the agent fetches URL into a file (in its storage for the app, or at "
    "--dest), resuming where it stopped, and checks it.  Prints the download's id.",
    ferryctl_run_download },
  { "upload", "--file FILE URL", "Send a file as a request's body",
    "Add a request whose body is FILE, of any size: the agent copies it before answering and "
    "sends it streamed from disk.  Prints the task's id.", ferryctl_run_upload },
  { "transfers", "[pause|resume ID…]", "List, pause or resume downloads and uploads",
    "List the downloads and uploads going on, with their progress, then the downloaded files "
    "kept.  'transfers pause ID…' holds transfers, keeping what they have, until "
    "'transfers resume ID…'.", ferryctl_run_transfers },
  { "storage", NULL, "Show what each app's files take",
    "Show, per app, what its downloads and waiting uploads take in Ferry's storage, and its "
    "quota; --clean removes an app's downloaded files.", ferryctl_run_storage },
  { "collection", "add|list|show|sync|remove …", "Sync an app's records with a server",
    "Add, list, show, sync or remove collections: an app's JSON documents, synced both ways "
    "with a CouchDB database or a REST profile server.", ferryctl_run_collection },
  { "doc", "put|get|delete|list|changes COLLECTION …", "Read and write a collection's documents",
    "Read and write the documents of a collection's local replica; runs sync them.",
    ferryctl_run_doc },
  { "watch", NULL, "Print events as they happen, until interrupted",
    "Print the agent's events as they happen, one line each with the time, until "
    "interrupted (Ctrl+C).", ferryctl_run_watch },
};

static char *
describe_commands (void)
{
  GString *text = g_string_new ("Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, commands[i].summary);
  g_string_append_printf (text,
                          "\nRun 'ferryctl COMMAND --help' for a command's options.\n"
                          "A task ID may be given as its first %d or more characters, when "
                          "no other task's id starts with them.\n"
                          "Exit status: 0 on success, 1 when the agent reports an error or "
                          "cannot be reached, 2 on bad usage.", FERRYCTL_MIN_ID_PREFIX);
  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_set_prgname ("ferryctl");

  description = describe_commands ();
  context = g_option_context_new ("COMMAND [ARGUMENTS…]");
  g_option_context_set_summary (context, "Control the Ferry agent: add, list and act on tasks.");
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ferryctl: %s\nTry 'ferryctl --help'.\n", error->message);
      return FERRYCTL_EXIT_USAGE;
    }
  if (version)
    {
      g_print ("ferryctl %s\n", PACKAGE_VERSION);
      return FERRYCTL_EXIT_OK;
    }
  if (argc < 2)
    {
      g_printerr ("ferryctl: missing COMMAND\nTry 'ferryctl --help'.\n");
      return FERRYCTL_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      FerryCtl ctl = { &commands[i], NULL };
      int status;

      if (!g_str_equal (commands[i].name, argv[1]))
        continue;

      status = commands[i].run (&ctl, argc - 1, argv + 1);
      g_clear_object (&ctl.client);
      return status;
    }

  g_printerr ("ferryctl: unknown command '%s'\nTry 'ferryctl --help'.\n", argv[1]);
  return FERRYCTL_EXIT_USAGE;
}
