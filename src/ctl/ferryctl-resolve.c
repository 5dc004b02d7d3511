/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-resolve"

#include "config.h"

#include "ferryctl-private.h"

/*
 * ferryctl resolve: settles a conflict with the window's three choices,
 * in its words: mine, server, merged.  The agent's names, local and
 * remote, are taken too, for scripts written before.
 */

/* What was done, as a person reads it. */
static const char *
describe_choice (FerryClientResolveChoice choice)
{
  switch (choice)
    {
    case FERRY_CLIENT_RESOLVE_LOCAL:
      return "sending mine again over the server's copy";
    case FERRY_CLIENT_RESOLVE_REMOTE:
      return "keeping the server's copy; mine is dropped";
    case FERRY_CLIENT_RESOLVE_BODY:
    default:
      return "sending the merged body";
    }
}

/* --take and --data into a choice and its body, or an exit status. */
static int
parse_choice (FerryCtl                  *ctl,
              const char                *take,
              const char                *data,
              FerryClientResolveChoice  *out_choice,
              GBytes                   **out_body)
{
  int status = FERRYCTL_CONTINUE;

  if (take == NULL)
    return ferryctl_usage_error (ctl, "missing --take mine|server|merged");
  if (!ferry_client_resolve_choice_from_word (take, out_choice))
    return ferryctl_usage_error (ctl, "--take: '%s' is not one of mine, server, merged", take);

  if (*out_choice == FERRY_CLIENT_RESOLVE_BODY && data == NULL)
    return ferryctl_usage_error (ctl, "--take merged needs the merged body in --data");
  if (*out_choice != FERRY_CLIENT_RESOLVE_BODY && data != NULL)
    return ferryctl_usage_error (ctl, "--data only goes with --take merged");
  if (data != NULL)
    {
      *out_body = ferryctl_read_argument (ctl, "--data", data, &status);
      if (*out_body == NULL)
        return status;
    }
  return FERRYCTL_CONTINUE;
}

int
ferryctl_run_resolve (FerryCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_autofree char *take = NULL;
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "take", 0, 0, G_OPTION_ARG_STRING, &take,
      "mine (send my change again over the server's copy), server (keep the server's copy, "
      "drop mine) or merged (send the body given with --data)", "CHOICE" },
    { "data", 'd', 0, G_OPTION_ARG_STRING, &data,
      "With --take merged: the body to send, TEXT or @FILE (@- for standard input)", "TEXT" },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *id = NULL;
  FerryClientResolveChoice choice = FERRY_CLIENT_RESOLVE_LOCAL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 1, "ID");
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_id (ctl, argv[1]);
  if (status == FERRYCTL_CONTINUE)
    status = parse_choice (ctl, take, data, &choice, &body);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_take_task_id (ctl, argc, argv, "ID", &id);
  if (status != FERRYCTL_CONTINUE)
    return status;

  ferry_client_resolve_async (ctl->client, id, choice, body, NULL, ferryctl_store_result_cb,
                              &result);
  if (!ferry_client_resolve_finish (ctl->client, ferryctl_wait (&result), &error))
    return ferryctl_agent_error (ctl, error);
  g_print ("Resolved %s: %s.\n", id, describe_choice (choice));
  return FERRYCTL_EXIT_OK;
}
