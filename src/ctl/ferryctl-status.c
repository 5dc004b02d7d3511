/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-status"

#include "config.h"

#include "ferryctl-collections.h"
#include "ferryctl-format.h"
#include "ferryctl-private.h"

/*
 * ferryctl status: the headline the window and the tray show (from
 * ferry_status_describe()), then the agent's properties one per line,
 * none of them saying otherwise than the headline.
 */

static void
add_member_time (JsonBuilder *builder,
                 const char  *key,
                 gint64       when)
{
  g_autofree char *text = when != 0 ? ferryctl_format_iso8601 (when) : NULL;

  json_builder_set_member_name (builder, key);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *key,
                gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

static void
add_member_boolean (JsonBuilder *builder,
                    const char  *key,
                    gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static void
print_status_json (FerryClient *client)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *state = ferry_agent_state_to_string (ferry_client_get_state (client));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state != NULL ? state : "unknown");
  add_member_boolean (builder, "online", ferry_client_get_online (client));
  add_member_boolean (builder, "metered", ferry_client_get_metered (client));
  add_member_boolean (builder, "paused", ferry_client_get_paused (client));
  add_member_int (builder, "pending", ferry_client_get_pending_count (client));
  add_member_int (builder, "failed", ferry_client_get_failed_count (client));
  add_member_int (builder, "conflicts", ferry_client_get_conflict_count (client));
  add_member_int (builder, "auth-required", ferry_client_get_auth_count (client));
  add_member_int (builder, "progress-done", ferry_client_get_progress_done (client));
  add_member_int (builder, "progress-total", ferry_client_get_progress_total (client));
  add_member_time (builder, "last-sync", ferry_client_get_last_sync_time (client));
  add_member_time (builder, "next-sync", ferry_client_get_next_sync_time (client));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = ferryctl_json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

/*
 * When changes go next, by the rules of the headline: no time while
 * paused or offline, and none for an automatic run with nothing to send.
 */
static char *
describe_next_sync (FerryClient *client,
                    gint64       now)
{
  FerryAgentState state = ferry_client_get_state (client);
  gint64 next = ferry_client_get_next_sync_time (client);
  guint pending = ferry_client_get_pending_count (client);

  if (ferry_client_get_paused (client) || state == FERRY_AGENT_STATE_PAUSED)
    return g_strdup ("none while paused");
  if (pending == 0)
    return g_strdup ("nothing waiting to be sent");
  if (state == FERRY_AGENT_STATE_OFFLINE || !ferry_client_get_online (client))
    return g_strdup ("when the network is back");
  if (state == FERRY_AGENT_STATE_SYNCING)
    return g_strdup ("now");
  if (next > now)
    return ferryctl_format_when (next, now);
  if (next != 0)
    return g_strdup ("now");
  return g_strdup ("nothing scheduled");
}

static void
print_status_text (FerryCtl *ctl)
{
  FerryClient *client = ctl->client;
  g_autoptr(GPtrArray) collections = ferryctl_dup_collections (ctl, NULL);
  g_autofree char *headline = ferryctl_describe_status (client, collections);
  gint64 now = g_get_real_time ();
  g_autofree char *last = ferryctl_format_when (ferry_client_get_last_sync_time (client), now);
  g_autofree char *next = describe_next_sync (client, now);
  const char *state = ferry_agent_state_to_string (ferry_client_get_state (client));

  g_print ("%s\n\n", headline);
  g_print ("%-15s %s\n", "State:", state != NULL ? state : "unknown");
  g_print ("%-15s %s%s\n", "Network:", ferry_client_get_online (client) ? "online" : "offline",
           ferry_client_get_metered (client) ? ", metered" : "");
  g_print ("%-15s %s\n", "Paused:", ferry_client_get_paused (client) ? "yes" : "no");
  g_print ("%-15s %u\n", "Pending:", ferry_client_get_pending_count (client));
  g_print ("%-15s %u\n", "Failed:", ferry_client_get_failed_count (client));
  g_print ("%-15s %u\n", "Conflicts:", ferry_client_get_conflict_count (client));
  g_print ("%-15s %u\n", "Need sign-in:", ferry_client_get_auth_count (client));
  /* The progress of a run that ended would be old news under "All changes
   * synced": it is shown while a run goes, as in the headline. */
  if (ferry_client_get_state (client) == FERRY_AGENT_STATE_SYNCING &&
      ferry_client_get_progress_total (client) > 0)
    g_print ("%-15s %u of %u\n", "Progress:", ferry_client_get_progress_done (client),
             ferry_client_get_progress_total (client));
  g_print ("%-15s %s\n", "Last sync:", last);
  g_print ("%-15s %s\n", "Next sync:", next);
}

int
ferryctl_run_status (FerryCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the status as a JSON object", NULL },
    { NULL }
  };
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (as_json)
    print_status_json (ctl->client);
  else
    print_status_text (ctl);
  return FERRYCTL_EXIT_OK;
}
