/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-list"

#include "config.h"

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/* ferryctl list and ferryctl show: tasks as a table, in detail, or as
 * JSON. */

/* The table's width unless --wide. */
#define TABLE_WIDTH 80

#define SHOW_SECRETS_HELP \
  "Print the values of credential headers (Authorization, Cookie…); the agent gives them " \
  "only for the tasks ferryctl added itself"

typedef struct
{
  char     **states;
  char      *search;
  char      *owner;
  char      *name;
  char      *group;
  int        limit;
  int        offset;
  gboolean   newest_first;
  gboolean   as_json;
  gboolean   wide;
  gboolean   show_secrets;
} ListOptions;

static void
list_options_clear (ListOptions *options)
{
  g_strfreev (options->states);
  g_free (options->search);
  g_free (options->owner);
  g_free (options->name);
  g_free (options->group);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListOptions, list_options_clear)

/* Fetches up to @limit tasks from @offset, a page at a time. */
static GPtrArray *
fetch_tasks (FerryCtl        *ctl,
             FerryTaskQuery  *query,
             guint            offset,
             guint            limit,
             GError         **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  while (tasks->len < limit)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      guint want = MIN (FERRYCTL_PAGE_SIZE, limit - tasks->len);
      guint got;

      ferry_client_list_async (ctl->client, query, offset + tasks->len, want, NULL,
                               ferryctl_store_result_cb, &result);
      page = ferry_client_list_finish (ctl->client, ferryctl_wait (&result), error);
      if (page == NULL)
        return NULL;
      got = page->len;
      g_ptr_array_extend_and_steal (tasks, g_steal_pointer (&page));
      if (got < want)
        break;
    }
  return g_steal_pointer (&tasks);
}

/* Under a table that was cut short: which part of how many it shows. */
static void
print_list_footer (FerryCtl       *ctl,
                   FerryTaskQuery *query,
                   guint           offset,
                   guint           shown)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint total = 0;

  ferry_client_count_async (ctl->client, query, NULL, ferryctl_store_result_cb, &result);
  if (!ferry_client_count_finish (ctl->client, ferryctl_wait (&result), &total, NULL))
    return;
  if (offset + shown < total)
    g_print ("Showing %u to %u of %u tasks (see --offset and --limit).\n",
             offset + 1, offset + shown, total);
}

/* The query the filter options describe, or an exit status. */
static int
build_query (FerryCtl        *ctl,
             ListOptions     *o,
             FerryTaskQuery **out_query)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();

  for (guint i = 0; o->states != NULL && o->states[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (o->states[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          FerryClientTaskState state;
          const char *part = g_strstrip (parts[j]);

          if (*part == '\0')
            continue;
          if (!ferry_client_task_state_from_string (part, &state))
            return ferryctl_usage_error (ctl, "--state: '%s' is not a task state (pending, "
                                         "running, succeeded, failed, conflict, auth-required, "
                                         "cancelled)", part);
          ferry_task_query_add_state (query, state);
        }
    }
  ferry_task_query_set_search (query, o->search);
  ferry_task_query_set_owner (query, o->owner);
  ferry_task_query_set_name (query, o->name);
  ferry_task_query_set_group (query, o->group);
  ferry_task_query_set_newest_first (query, o->newest_first);

  *out_query = g_steal_pointer (&query);
  return FERRYCTL_CONTINUE;
}

static void
print_json_array (GPtrArray *tasks,
                  gboolean   show_secrets)
{
  g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  json_node_take_array (array, json_array_sized_new (tasks->len));
  for (guint i = 0; i < tasks->len; i++)
    json_array_add_element (json_node_get_array (array),
                            ferryctl_task_to_json (g_ptr_array_index (tasks, i), show_secrets));
  text = ferryctl_json_to_string (array, TRUE);
  g_print ("%s\n", text);
}

int
ferryctl_run_list (FerryCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  g_auto(ListOptions) o = { .limit = 100 };
  GOptionEntry entries[] = {
    { "state", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o.states,
      "Only tasks in STATE: pending, running, succeeded, failed, conflict, auth-required, "
      "cancelled (repeatable, or comma-separated)", "STATE" },
    { "search", 'q', 0, G_OPTION_ARG_STRING, &o.search,
      "Only tasks whose name, URL or owner contains TEXT", "TEXT" },
    { "owner", 'o', 0, G_OPTION_ARG_STRING, &o.owner, "Only tasks of this application", "APP" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o.name, "Only tasks of exactly this name", "NAME" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &o.group, "Only tasks of this group", "GROUP" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &o.limit, "Show at most N tasks (default 100)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &o.offset, "Skip the first N tasks", "N" },
    { "newest-first", 0, 0, G_OPTION_ARG_NONE, &o.newest_first,
      "Order by last change, newest first (default: the order they were added)", NULL },
    { "wide", 'w', 0, G_OPTION_ARG_NONE, &o.wide,
      "Print whole ids, owners, names and URLs, however wide the table gets (default: fit "
      "in 80 columns)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.as_json, "Print a JSON array of tasks", NULL },
    { "show-secrets", 0, 0, G_OPTION_ARG_NONE, &o.show_secrets, SHOW_SECRETS_HELP, NULL },
    { NULL }
  };
  g_autoptr(FerryTaskQuery) query = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status != FERRYCTL_CONTINUE)
    return status;
  if (o.limit < 1)
    return ferryctl_usage_error (ctl, "--limit: %d is not a positive number", o.limit);
  if (o.offset < 0)
    return ferryctl_usage_error (ctl, "--offset: %d is negative", o.offset);

  status = build_query (ctl, &o, &query);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  tasks = fetch_tasks (ctl, query, o.offset, o.limit, &error);
  if (tasks == NULL)
    return ferryctl_agent_error (ctl, error);

  if (o.as_json)
    {
      print_json_array (tasks, o.show_secrets);
    }
  else if (tasks->len == 0)
    {
      g_print ("No tasks.\n");
    }
  else
    {
      ferryctl_print_task_table (tasks, o.wide ? 0 : TABLE_WIDTH);
      if (tasks->len == (guint) o.limit)
        print_list_footer (ctl, query, o.offset, tasks->len);
    }
  return FERRYCTL_EXIT_OK;
}

int
ferryctl_run_show (FerryCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  gboolean as_json = FALSE;
  gboolean show_secrets = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the task as a JSON object", NULL },
    { "show-secrets", 0, 0, G_OPTION_ARG_NONE, &show_secrets, SHOW_SECRETS_HELP, NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_take_task_id (ctl, argc, argv, "ID", &id);
  if (status != FERRYCTL_CONTINUE)
    return status;

  ferry_client_get_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
  info = ferry_client_get_finish (ctl->client, ferryctl_wait (&result), &error);
  if (info == NULL)
    return ferryctl_agent_error (ctl, error);

  if (as_json)
    {
      g_autoptr(JsonNode) node = ferryctl_task_to_json (info, show_secrets);
      g_autofree char *text = ferryctl_json_to_string (node, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      ferryctl_print_task_details (info, g_get_real_time (), show_secrets);
    }
  return FERRYCTL_EXIT_OK;
}
