/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-transfers-hold"

#include "config.h"

#include "ferry-error.h"

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/*
 * ferryctl transfers pause and resume: holding downloads and uploads one
 * by one, by id.  Each id is checked before any call; each call then goes
 * on its own, so one unknown id does not keep the others from being held.
 * When the agent refuses one, ferryctl asks it what the id names to say
 * why in words: no such task, a task that is no transfer, or a transfer
 * that has already ended.
 */

static const FerryCtlCommand pause_command = {
  "transfers pause", "ID…", NULL,
  "Hold downloads and uploads: a download in flight stops and keeps the bytes it has; none "
  "starts again until resumed.", NULL,
};

static const FerryCtlCommand resume_command = {
  "transfers resume", "ID…", NULL,
  "Let held downloads and uploads go on, from where they stopped.", NULL,
};

/* Why the agent would not hold or release @id (it answered @error). */
static void
explain_refusal (FerryCtl     *ctl,
                 const char   *id,
                 const GError *error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  const char *state;

  if (!g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND) &&
      !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CONFLICT))
    {
      g_printerr ("ferryctl %s: %s: %s\n", ctl->command->name, id, error->message);
      return;
    }

  ferry_client_get_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
  info = ferry_client_get_finish (ctl->client, ferryctl_wait (&result), NULL);
  if (info == NULL)
    {
      g_printerr ("ferryctl %s: no task has the id %s\n", ctl->command->name, id);
      return;
    }
  if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND))
    {
      g_printerr ("ferryctl %s: %s is a task (%s %s), not a download or upload\n",
                  ctl->command->name, id, ferry_task_info_get_method (info),
                  ferry_task_info_get_url (info));
      return;
    }
  state = ferry_task_info_get_state_name (info);
  g_printerr ("ferryctl %s: %s has already ended (%s): only a transfer in progress can be "
              "paused or resumed\n", ctl->command->name, id, state != NULL ? state : "unknown");
}

/* Pauses or resumes the transfer @id; says why not when it fails. */
static gboolean
hold_one (FerryCtl   *ctl,
          const char *id,
          gboolean    pause)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (pause)
    {
      ferry_client_pause_transfer_async (ctl->client, id, NULL, ferryctl_store_result_cb,
                                         &result);
      ok = ferry_client_pause_transfer_finish (ctl->client, ferryctl_wait (&result), &error);
    }
  else
    {
      ferry_client_resume_transfer_async (ctl->client, id, NULL, ferryctl_store_result_cb,
                                          &result);
      ok = ferry_client_resume_transfer_finish (ctl->client, ferryctl_wait (&result), &error);
    }
  if (!ok)
    {
      if (g_dbus_error_is_remote_error (error))
        g_dbus_error_strip_remote_error (error);
      explain_refusal (ctl, id, error);
    }
  return ok;
}

/* Checks every id's form, then finds the whole id a prefix names. */
static int
resolve_ids (FerryCtl    *ctl,
             int          argc,
             char       **argv,
             GPtrArray   *ids)
{
  int status = FERRYCTL_CONTINUE;

  if (argc < 2)
    return ferryctl_usage_error (ctl, "missing ID");
  for (int i = 1; i < argc && status == FERRYCTL_CONTINUE; i++)
    status = ferryctl_check_id (ctl, argv[i]);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  for (int i = 1; i < argc && status == FERRYCTL_CONTINUE; i++)
    {
      char *id = NULL;

      status = ferryctl_resolve_id (ctl, argv[i], &id);
      if (id != NULL)
        g_ptr_array_add (ids, id);
    }
  return status;
}

static void
print_held_json (GPtrArray *ids,
                 GArray    *done,
                 gboolean   pause)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, g_ptr_array_index (ids, i));
      json_builder_set_member_name (builder, pause ? "paused" : "resumed");
      json_builder_add_boolean_value (builder, g_array_index (done, gboolean, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = ferryctl_json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static int
run_hold (FerryCtl  *ctl,
          int        argc,
          char     **argv,
          gboolean   pause)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print what was done as JSON", NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) done = g_array_new (FALSE, FALSE, sizeof (gboolean));
  int status;
  guint failed = 0;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = resolve_ids (ctl, argc, argv, ids);
  if (status != FERRYCTL_CONTINUE)
    return status;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gboolean ok = hold_one (ctl, id, pause);

      g_array_append_val (done, ok);
      if (!ok)
        failed++;
      else if (!json)
        g_print ("%s %s.\n", pause ? "Paused" : "Resumed", id);
    }
  if (json)
    print_held_json (ids, done, pause);
  return failed > 0 ? FERRYCTL_EXIT_AGENT : FERRYCTL_EXIT_OK;
}

/**
 * ferryctl_run_transfers_hold:
 * @ctl: the command line of ferryctl transfers
 * @argc: the argument count, "pause" or "resume" first
 * @argv: the arguments: the subcommand, its options and the ids
 *
 * Returns: the exit status: 1 when any transfer could not be held or
 *   released, 2 on bad usage (before anything is asked of the agent)
 */
int
ferryctl_run_transfers_hold (FerryCtl  *ctl,
                             int        argc,
                             char     **argv)
{
  gboolean pause = g_str_equal (argv[0], "pause");
  FerryCtl sub = { pause ? &pause_command : &resume_command, NULL };
  int status;

  g_assert (pause || g_str_equal (argv[0], "resume"));

  status = run_hold (&sub, argc, argv, pause);
  g_clear_object (&sub.client);
  return status;
}
