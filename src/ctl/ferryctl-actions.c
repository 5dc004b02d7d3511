/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-actions"

#include "config.h"

#include "ferryctl-private.h"

/* ferryctl retry, cancel, sync, pause and resume: one call each. */

/* retry --all or cancel --all: one call for every task it applies to. */
static int
run_all (FerryCtl *ctl,
         gboolean  cancel)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gboolean ok;
  int status;

  status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (cancel)
    {
      ferry_client_cancel_all_async (ctl->client, NULL, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_cancel_all_finish (ctl->client, ferryctl_wait (&result), &count, &error);
    }
  else
    {
      ferry_client_retry_all_async (ctl->client, NULL, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_retry_all_finish (ctl->client, ferryctl_wait (&result), &count, &error);
    }
  if (!ok)
    return ferryctl_agent_error (ctl, error);
  g_print ("%s %u %s.\n", cancel ? "Cancelled" : "Retrying", count,
           count == 1 ? "task" : "tasks");
  return FERRYCTL_EXIT_OK;
}

/* retry and cancel: one task by its id, or every one with --all. */
static int
run_task_action (FerryCtl  *ctl,
                 int        argc,
                 char     **argv,
                 gboolean   cancel)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      cancel ? "Cancel every task not delivered yet"
             : "Retry every failed task and every task waiting for sign-in", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean ok;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status != FERRYCTL_CONTINUE)
    return status;
  if (all)
    {
      if (argc > 1)
        return ferryctl_usage_error (ctl, "give either an ID or --all, not both");
      return run_all (ctl, cancel);
    }
  status = ferryctl_take_task_id (ctl, argc, argv, "ID (or --all)", &id);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (cancel)
    {
      ferry_client_cancel_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_cancel_finish (ctl->client, ferryctl_wait (&result), &error);
    }
  else
    {
      ferry_client_retry_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_retry_finish (ctl->client, ferryctl_wait (&result), &error);
    }
  if (!ok)
    return ferryctl_agent_error (ctl, error);
  g_print ("%s %s.\n", cancel ? "Cancelled" : "Retrying", id);
  return FERRYCTL_EXIT_OK;
}

int
ferryctl_run_retry (FerryCtl  *ctl,
                    int        argc,
                    char     **argv)
{
  return run_task_action (ctl, argc, argv, FALSE);
}

int
ferryctl_run_cancel (FerryCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  return run_task_action (ctl, argc, argv, TRUE);
}

typedef enum {
  QUEUE_SYNC,
  QUEUE_PAUSE,
  QUEUE_RESUME,
} QueueAction;

static int
run_queue_action (FerryCtl     *ctl,
                  int           argc,
                  char        **argv,
                  QueueAction   action)
{
  static const char * const done[] = {
    [QUEUE_SYNC] = "Syncing.",
    [QUEUE_PAUSE] = "Paused.",
    [QUEUE_RESUME] = "Resumed.",
  };
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  switch (action)
    {
    case QUEUE_SYNC:
      ferry_client_sync_now_async (ctl->client, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_sync_now_finish (ctl->client, ferryctl_wait (&result), &error);
      break;
    case QUEUE_PAUSE:
      ferry_client_pause_async (ctl->client, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_pause_finish (ctl->client, ferryctl_wait (&result), &error);
      break;
    case QUEUE_RESUME:
      ferry_client_resume_async (ctl->client, NULL, ferryctl_store_result_cb, &result);
      ok = ferry_client_resume_finish (ctl->client, ferryctl_wait (&result), &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return ferryctl_agent_error (ctl, error);

  g_print ("%s\n", done[action]);
  return FERRYCTL_EXIT_OK;
}

int
ferryctl_run_sync (FerryCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_SYNC);
}

int
ferryctl_run_pause (FerryCtl  *ctl,
                    int        argc,
                    char     **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_PAUSE);
}

int
ferryctl_run_resume (FerryCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_RESUME);
}
