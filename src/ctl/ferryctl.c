/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "ferry-client.h"
#include "ferryctl-format.h"

/*
 * ferryctl: the command line of Ferry, for scripts, tests and people.
 * Every command goes through FerryClient, which starts the agent by D-Bus
 * activation when it is not running.
 *
 * Exit status: 0 on success, 1 when the agent (or the bus) reports an
 * error, 2 on bad usage (unknown command or option, missing argument,
 * invalid JSON, unreadable file).
 */

enum {
  EXIT_OK = 0,
  EXIT_AGENT = 1,
  EXIT_USAGE = 2,
};

/* Results of a list fetch are asked in pages of at most this many. */
#define LIST_PAGE_SIZE 1000

typedef struct _Ctl Ctl;

typedef int (*CommandFunc) (Ctl   *ctl,
                            int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  const char  *parameters;   /* after the options in the usage line */
  const char  *summary;      /* one line, for ferryctl --help */
  const char  *help;         /* the summary in the command's --help */
  CommandFunc  run;
} Command;

struct _Ctl
{
  const char    *name;
  const Command *command;
  FerryClient   *client;
};

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* ferryctl is a short-lived command: it waits for each answer in turn. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static int
usage_error (Ctl        *ctl,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (Ctl        *ctl,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("ferryctl %s: %s\n", ctl->name, message);
  g_printerr ("Try 'ferryctl %s --help'.\n", ctl->name);
  return EXIT_USAGE;
}

static int
agent_error (Ctl    *ctl,
             GError *error)
{
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    g_printerr ("ferryctl %s: the Ferry agent is not installed or cannot be started: %s\n",
                ctl->name, error->message);
  else
    g_printerr ("ferryctl %s: %s\n", ctl->name, error->message);
  return EXIT_AGENT;
}

static gboolean
connect_client (Ctl     *ctl,
                GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_client_new_async (NULL, FERRY_CLIENT_FLAGS_NONE, NULL, store_result_cb, &result);
  ctl->client = ferry_client_new_finish (wait_for (&result), error);
  return ctl->client != NULL;
}

static gboolean
start_agent (Ctl     *ctl,
             GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_client_start_agent_async (ctl->client, NULL, store_result_cb, &result);
  return ferry_client_start_agent_finish (ctl->client, wait_for (&result), error);
}

/*
 * Parses a command's options.  Returns -1 when the command should go on,
 * or the exit status.  --help is handled by GOptionContext, which prints
 * and exits with 0.
 */
static int
parse_options (Ctl           *ctl,
               GOptionEntry  *entries,
               const char    *description,
               int           *argc,
               char        ***argv)
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
    return usage_error (ctl, "%s", error->message);
  return -1;
}

/* "@FILE" (or "@-" for standard input) is read; anything else is itself. */
static GBytes *
read_argument (Ctl         *ctl,
               const char  *option,
               const char  *value,
               int         *out_status)
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
          *out_status = usage_error (ctl, "%s: cannot read standard input: %s",
                                     option, error->message);
          return NULL;
        }
      return g_bytes_new_take (contents, length);
    }

  if (!g_file_get_contents (value + 1, &contents, &length, &error))
    {
      *out_status = usage_error (ctl, "%s: cannot read '%s': %s", option, value + 1,
                                 error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static gboolean
parse_header (const char  *line,
              char       **out_name,
              char       **out_value)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;

  if (colon == NULL || colon == line)
    return FALSE;

  name = g_strstrip (g_strndup (line, colon - line));
  if (*name == '\0')
    return FALSE;

  *out_value = g_strstrip (g_strdup (colon + 1));
  *out_name = g_steal_pointer (&name);
  return TRUE;
}

/*
 * "POINTER=local" or "POINTER=remote" into @builder (an a{ss}).  The
 * pointer is everything before the last '=': a member name may hold one.
 */
static gboolean
parse_merge_rule (const char      *text,
                  GVariantBuilder *builder)
{
  const char *equals = strrchr (text, '=');
  g_autofree char *pointer = NULL;

  if (equals == NULL)
    return FALSE;
  if (!g_str_equal (equals + 1, "local") && !g_str_equal (equals + 1, "remote"))
    return FALSE;
  pointer = g_strndup (text, equals - text);
  g_variant_builder_add (builder, "{ss}", pointer, equals + 1);
  return TRUE;
}

/*
 * Enqueues @request with keys FerryRequest has no setter for.  The call
 * goes to the agent's name directly, on the client's connection; the bus
 * starts the agent when it is not running, as the client would.
 */
static char *
enqueue_with_keys (Ctl           *ctl,
                   FerryRequest  *request,
                   GVariant      *merge_rules,
                   const char    *timestamp_pointer,
                   GError       **error)
{
  g_autoptr(GVariant) base = g_variant_ref_sink (ferry_request_to_variant (request));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantDict dict;
  char *id = NULL;

  g_variant_dict_init (&dict, base);
  if (merge_rules != NULL)
    g_variant_dict_insert_value (&dict, "merge-rules", merge_rules);
  if (timestamp_pointer != NULL)
    g_variant_dict_insert (&dict, "timestamp-pointer", "s", timestamp_pointer);

  g_dbus_connection_call (ferry_client_get_connection (ctl->client), FERRY_DBUS_NAME,
                          FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE, "Enqueue",
                          g_variant_new ("(@a{sv})", g_variant_dict_end (&dict)),
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, 60 * 1000, NULL,
                          store_result_cb, &result);
  reply = g_dbus_connection_call_finish (ferry_client_get_connection (ctl->client),
                                         wait_for (&result), error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (*error);
      return NULL;
    }
  g_variant_get (reply, "(s)", &id);
  return id;
}

static int
run_add (Ctl   *ctl,
         int    argc,
         char **argv)
{
  g_autofree char *json = NULL;
  g_autofree char *data = NULL;
  g_auto(GStrv) headers = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *name = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *group = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *if_match = NULL;
  g_autofree char *idempotency_key = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *strategy = NULL;
  g_autofree char *conflict_url = NULL;
  g_autofree char *base = NULL;
  g_auto(GStrv) merge_rules = NULL;
  g_autofree char *timestamp_pointer = NULL;
  gboolean unmetered = FALSE;
  int max_attempts = -1;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_STRING, &json,
      "Send TEXT (or the contents of @FILE) as an application/json body; it must be valid JSON",
      "TEXT" },
    { "data", 'd', 0, G_OPTION_ARG_STRING, &data,
      "Send TEXT, or the contents of @FILE (@- for standard input), as the body", "TEXT" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      "Add a request header (repeatable)", "'NAME: VALUE'" },
    { "content-type", 't', 0, G_OPTION_ARG_STRING, &content_type,
      "Content-Type of the body", "TYPE" },
    { "priority", 'p', 0, G_OPTION_ARG_STRING, &priority,
      "low, medium (default), high or critical", "PRIORITY" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "Name the task (unique per app; see --unique)", "NAME" },
    { "unique", 'u', 0, G_OPTION_ARG_STRING, &unique,
      "With --name, when a pending task of that name exists: replace (default), keep or append",
      "POLICY" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group,
      "Ordering group: tasks of one group run strictly in order", "GROUP" },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &expires,
      "Fail the task if it is not delivered by WHEN", "WHEN" },
    { "not-before", 0, 0, G_OPTION_ARG_STRING, &not_before,
      "Do not send the task before WHEN", "WHEN" },
    { "unmetered", 0, 0, G_OPTION_ARG_NONE, &unmetered,
      "Only send on an unmetered network", NULL },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &max_attempts,
      "Attempts before the task fails (0: the agent's setting, no limit by default)",
      "N" },
    { "app-id", 'a', 0, G_OPTION_ARG_STRING, &app_id,
      "Add the task on behalf of this application id", "ID" },
    { "if-match", 0, 0, G_OPTION_ARG_STRING, &if_match,
      "Send If-Match: ETAG (a 412 answer is a conflict)", "ETAG" },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &idempotency_key,
      "Idempotency-Key to send (default: generated)", "KEY" },
    { "strategy", 's', 0, G_OPTION_ARG_STRING, &strategy,
      "On a conflict: ask, client-wins, server-wins, last-modified-wins, merge or custom "
      "(default: the settings' choice for the app or URL, else ask)", "STRATEGY" },
    { "conflict", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &conflict,
      "The same as --strategy", "STRATEGY" },
    { "conflict-url", 0, 0, G_OPTION_ARG_STRING, &conflict_url,
      "Where to fetch the server's copy on a conflict (default: URL)", "URL" },
    { "base", 0, 0, G_OPTION_ARG_STRING, &base,
      "The document this change was made from, TEXT or @FILE (for merge and resolvers)",
      "TEXT" },
    { "merge-rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &merge_rules,
      "With merge, which side wins where both changed POINTER (a JSON pointer); repeatable",
      "POINTER=local|remote" },
    { "timestamp-pointer", 0, 0, G_OPTION_ARG_STRING, &timestamp_pointer,
      "With last-modified-wins, the JSON pointer of the time to compare (default /updated_at)",
      "POINTER" },
    { NULL }
  };
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) rules_value = NULL;
  g_autofree char *id = NULL;
  GVariantBuilder rules;
  gint64 now = g_get_real_time ();
  int status;

  status = parse_options (ctl, entries,
                          "WHEN is seconds from now (90, 15m, 2h, 1d) or an ISO 8601 date "
                          "(2026-12-01, 2026-12-01T09:30:00).",
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (argc < 3)
    return usage_error (ctl, "%s", argc < 2 ? "missing METHOD and URL" : "missing URL");
  if (argc > 3)
    return usage_error (ctl, "unexpected argument '%s'", argv[3]);
  if (json != NULL && data != NULL)
    return usage_error (ctl, "--json and --data cannot be used together");
  if (strategy != NULL && conflict != NULL)
    return usage_error (ctl, "--strategy and --conflict are the same option; give one");
  if (strategy == NULL)
    strategy = g_steal_pointer (&conflict);

  request = ferry_request_new (argv[1], argv[2]);

  if (json != NULL)
    {
      g_autoptr(GBytes) body = read_argument (ctl, "--json", json, &status);
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *text;

      if (body == NULL)
        return status;
      text = g_bytes_get_data (body, &size);
      if (!json_parser_load_from_data (parser, size > 0 ? text : "", size, &error))
        return usage_error (ctl, "--json: not valid JSON: %s", error->message);
      if (json_parser_get_root (parser) == NULL)
        return usage_error (ctl, "--json: not valid JSON: the text is empty");
      ferry_request_set_body (request, body,
                              content_type != NULL ? content_type : "application/json");
    }
  else if (data != NULL)
    {
      g_autoptr(GBytes) body = read_argument (ctl, "--data", data, &status);

      if (body == NULL)
        return status;
      ferry_request_set_body (request, body, content_type);
    }
  else if (content_type != NULL)
    {
      ferry_request_set_body (request, NULL, content_type);
    }

  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      g_autofree char *header_name = NULL;
      g_autofree char *header_value = NULL;

      if (!parse_header (headers[i], &header_name, &header_value))
        return usage_error (ctl, "--header: '%s' is not of the form 'Name: value'", headers[i]);
      ferry_request_add_header (request, header_name, header_value);
    }

  if (priority != NULL)
    {
      FerryClientPriority value;

      if (!ferry_client_priority_from_string (priority, &value))
        return usage_error (ctl, "--priority: '%s' is not one of low, medium, high, critical",
                            priority);
      ferry_request_set_priority (request, value);
    }
  if (unique != NULL)
    {
      FerryClientUniquePolicy value;

      if (!ferry_client_unique_policy_from_string (unique, &value))
        return usage_error (ctl, "--unique: '%s' is not one of replace, keep, append", unique);
      ferry_request_set_unique (request, value);
    }
  if (strategy != NULL)
    {
      FerryClientConflictStrategy value;

      if (!ferry_client_conflict_strategy_from_string (strategy, &value))
        return usage_error (ctl, "--strategy: '%s' is not one of ask, client-wins, server-wins, "
                            "last-modified-wins, merge, custom", strategy);
      ferry_request_set_conflict_strategy (request, value);
    }
  if (base != NULL)
    {
      g_autoptr(GBytes) bytes = read_argument (ctl, "--base", base, &status);

      if (bytes == NULL)
        return status;
      ferry_request_set_base (request, bytes);
    }
  if (merge_rules != NULL)
    {
      g_variant_builder_init (&rules, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; merge_rules[i] != NULL; i++)
        {
          if (!parse_merge_rule (merge_rules[i], &rules))
            {
              g_variant_builder_clear (&rules);
              return usage_error (ctl, "--merge-rule: '%s' is not of the form "
                                  "POINTER=local or POINTER=remote", merge_rules[i]);
            }
        }
      rules_value = g_variant_ref_sink (g_variant_builder_end (&rules));
    }
  if (expires != NULL)
    {
      gint64 when;

      if (!ferryctl_parse_when (expires, now, &when, &error))
        return usage_error (ctl, "--expires: %s", error->message);
      ferry_request_set_expires (request, when);
    }
  if (not_before != NULL)
    {
      gint64 when;

      if (!ferryctl_parse_when (not_before, now, &when, &error))
        return usage_error (ctl, "--not-before: %s", error->message);
      ferry_request_set_not_before (request, when);
    }
  if (max_attempts != -1)
    {
      if (max_attempts < 0)
        return usage_error (ctl, "--max-attempts: %d is negative", max_attempts);
      ferry_request_set_max_attempts (request, max_attempts);
    }
  if (unmetered)
    ferry_request_set_unmetered_only (request, TRUE);
  if (name != NULL)
    ferry_request_set_name (request, name);
  if (group != NULL)
    ferry_request_set_group (request, group);
  if (app_id != NULL)
    ferry_request_set_app_id (request, app_id);
  if (if_match != NULL)
    ferry_request_set_if_match (request, if_match);
  if (idempotency_key != NULL)
    ferry_request_set_idempotency_key (request, idempotency_key);
  if (conflict_url != NULL)
    ferry_request_set_conflict_url (request, conflict_url);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  if (rules_value != NULL || timestamp_pointer != NULL)
    {
      id = enqueue_with_keys (ctl, request, rules_value, timestamp_pointer, &error);
    }
  else
    {
      ferry_client_enqueue_async (ctl->client, request, NULL, store_result_cb, &result);
      id = ferry_client_enqueue_finish (ctl->client, wait_for (&result), &error);
    }
  if (id == NULL)
    return agent_error (ctl, error);

  g_print ("%s\n", id);
  return EXIT_OK;
}

/* Fetches up to @limit tasks from @offset, a page at a time. */
static GPtrArray *
fetch_tasks (Ctl             *ctl,
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
      guint want = MIN (LIST_PAGE_SIZE, limit - tasks->len);
      guint got;

      ferry_client_list_async (ctl->client, query, offset + tasks->len, want, NULL,
                               store_result_cb, &result);

      page = ferry_client_list_finish (ctl->client, wait_for (&result), error);
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
print_list_footer (Ctl            *ctl,
                   FerryTaskQuery *query,
                   guint           offset,
                   guint           shown)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint total = 0;

  ferry_client_count_async (ctl->client, query, NULL, store_result_cb, &result);
  if (!ferry_client_count_finish (ctl->client, wait_for (&result), &total, NULL))
    return;
  if (offset + shown < total)
    g_print ("Showing %u to %u of %u tasks (see --offset and --limit).\n",
             offset + 1, offset + shown, total);
}

static int
run_list (Ctl   *ctl,
          int    argc,
          char **argv)
{
  g_auto(GStrv) states = NULL;
  g_autofree char *search = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *name = NULL;
  g_autofree char *group = NULL;
  int limit = 100;
  int offset = 0;
  gboolean newest_first = FALSE;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "state", 's', 0, G_OPTION_ARG_STRING_ARRAY, &states,
      "Only tasks in STATE: pending, running, succeeded, failed, conflict, auth-required, "
      "cancelled (repeatable, or comma-separated)", "STATE" },
    { "search", 'q', 0, G_OPTION_ARG_STRING, &search,
      "Only tasks whose name, URL or owner contains TEXT", "TEXT" },
    { "owner", 'o', 0, G_OPTION_ARG_STRING, &owner,
      "Only tasks of this application", "APP" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "Only tasks of exactly this name", "NAME" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group,
      "Only tasks of this group", "GROUP" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &limit,
      "Show at most N tasks (default 100)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset,
      "Skip the first N tasks", "N" },
    { "newest-first", 0, 0, G_OPTION_ARG_NONE, &newest_first,
      "Order by last change, newest first (default: the order they were added)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      "Print a JSON array of tasks", NULL },
    { NULL }
  };
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc > 1)
    return usage_error (ctl, "unexpected argument '%s'", argv[1]);
  if (limit < 1)
    return usage_error (ctl, "--limit: %d is not a positive number", limit);
  if (offset < 0)
    return usage_error (ctl, "--offset: %d is negative", offset);

  for (guint i = 0; states != NULL && states[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (states[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          FerryClientTaskState state;
          const char *part = g_strstrip (parts[j]);

          if (*part == '\0')
            continue;
          if (!ferry_client_task_state_from_string (part, &state))
            return usage_error (ctl, "--state: '%s' is not a task state (pending, running, "
                                "succeeded, failed, conflict, auth-required, cancelled)", part);
          ferry_task_query_add_state (query, state);
        }
    }
  ferry_task_query_set_search (query, search);
  ferry_task_query_set_owner (query, owner);
  ferry_task_query_set_name (query, name);
  ferry_task_query_set_group (query, group);
  ferry_task_query_set_newest_first (query, newest_first);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  tasks = fetch_tasks (ctl, query, offset, limit, &error);
  if (tasks == NULL)
    return agent_error (ctl, error);

  if (as_json)
    {
      g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      json_node_take_array (array, json_array_sized_new (tasks->len));
      for (guint i = 0; i < tasks->len; i++)
        json_array_add_element (json_node_get_array (array),
                                ferryctl_task_to_json (g_ptr_array_index (tasks, i)));
      text = ferryctl_json_to_string (array);
      g_print ("%s\n", text);
    }
  else if (tasks->len == 0)
    {
      g_print ("No tasks.\n");
    }
  else
    {
      ferryctl_print_task_table (tasks);
      if (tasks->len == (guint) limit)
        print_list_footer (ctl, query, offset, tasks->len);
    }
  return EXIT_OK;
}

static int
run_show (Ctl   *ctl,
          int    argc,
          char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      "Print the task as a JSON object", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc < 2)
    return usage_error (ctl, "missing ID");
  if (argc > 2)
    return usage_error (ctl, "unexpected argument '%s'", argv[2]);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  ferry_client_get_async (ctl->client, argv[1], NULL, store_result_cb, &result);
  info = ferry_client_get_finish (ctl->client, wait_for (&result), &error);
  if (info == NULL)
    return agent_error (ctl, error);

  if (as_json)
    {
      g_autoptr(JsonNode) node = ferryctl_task_to_json (info);
      g_autofree char *text = ferryctl_json_to_string (node);

      g_print ("%s\n", text);
    }
  else
    {
      ferryctl_print_task_details (info, g_get_real_time ());
    }
  return EXIT_OK;
}

static int
run_retry (Ctl   *ctl,
           int    argc,
           char **argv)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      "Retry every failed task and every task waiting for sign-in", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (all && argc > 1)
    return usage_error (ctl, "give either an ID or --all, not both");
  if (!all && argc < 2)
    return usage_error (ctl, "missing ID (or --all)");
  if (argc > 2)
    return usage_error (ctl, "unexpected argument '%s'", argv[2]);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  if (all)
    {
      guint count = 0;

      ferry_client_retry_all_async (ctl->client, NULL, NULL, store_result_cb, &result);
      if (!ferry_client_retry_all_finish (ctl->client, wait_for (&result), &count, &error))
        return agent_error (ctl, error);
      g_print ("Retrying %u %s.\n", count, count == 1 ? "task" : "tasks");
      return EXIT_OK;
    }

  ferry_client_retry_async (ctl->client, argv[1], NULL, store_result_cb, &result);
  if (!ferry_client_retry_finish (ctl->client, wait_for (&result), &error))
    return agent_error (ctl, error);
  g_print ("Retrying %s.\n", argv[1]);
  return EXIT_OK;
}

static int
run_cancel (Ctl   *ctl,
            int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc < 2)
    return usage_error (ctl, "missing ID");
  if (argc > 2)
    return usage_error (ctl, "unexpected argument '%s'", argv[2]);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  ferry_client_cancel_async (ctl->client, argv[1], NULL, store_result_cb, &result);
  if (!ferry_client_cancel_finish (ctl->client, wait_for (&result), &error))
    return agent_error (ctl, error);
  g_print ("Cancelled %s.\n", argv[1]);
  return EXIT_OK;
}

static int
run_resolve (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autofree char *take = NULL;
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "take", 0, 0, G_OPTION_ARG_STRING, &take,
      "local (send this change again), remote (keep the server's copy) or merged "
      "(send the body given with --data)", "SIDE" },
    { "data", 'd', 0, G_OPTION_ARG_STRING, &data,
      "With --take merged: the body to send, TEXT or @FILE (@- for standard input)", "TEXT" },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  FerryClientResolveChoice choice;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc < 2)
    return usage_error (ctl, "missing ID");
  if (argc > 2)
    return usage_error (ctl, "unexpected argument '%s'", argv[2]);
  if (take == NULL)
    return usage_error (ctl, "missing --take local|remote|merged");

  if (g_str_equal (take, "local"))
    choice = FERRY_CLIENT_RESOLVE_LOCAL;
  else if (g_str_equal (take, "remote"))
    choice = FERRY_CLIENT_RESOLVE_REMOTE;
  else if (g_str_equal (take, "merged"))
    choice = FERRY_CLIENT_RESOLVE_BODY;
  else
    return usage_error (ctl, "--take: '%s' is not one of local, remote, merged", take);

  if (choice == FERRY_CLIENT_RESOLVE_BODY && data == NULL)
    return usage_error (ctl, "--take merged needs the merged body in --data");
  if (choice != FERRY_CLIENT_RESOLVE_BODY && data != NULL)
    return usage_error (ctl, "--data only goes with --take merged");
  if (data != NULL)
    {
      body = read_argument (ctl, "--data", data, &status);
      if (body == NULL)
        return status;
    }

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  ferry_client_resolve_async (ctl->client, argv[1], choice, body, NULL, store_result_cb, &result);
  if (!ferry_client_resolve_finish (ctl->client, wait_for (&result), &error))
    return agent_error (ctl, error);
  g_print ("Resolved %s.\n", argv[1]);
  return EXIT_OK;
}

typedef enum {
  QUEUE_SYNC,
  QUEUE_PAUSE,
  QUEUE_RESUME,
} QueueAction;

static int
run_queue_action (Ctl         *ctl,
                  int          argc,
                  char       **argv,
                  QueueAction  action)
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

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc > 1)
    return usage_error (ctl, "unexpected argument '%s'", argv[1]);

  if (!connect_client (ctl, &error))
    return agent_error (ctl, error);

  switch (action)
    {
    case QUEUE_SYNC:
      ferry_client_sync_now_async (ctl->client, NULL, store_result_cb, &result);
      ok = ferry_client_sync_now_finish (ctl->client, wait_for (&result), &error);
      break;
    case QUEUE_PAUSE:
      ferry_client_pause_async (ctl->client, NULL, store_result_cb, &result);
      ok = ferry_client_pause_finish (ctl->client, wait_for (&result), &error);
      break;
    case QUEUE_RESUME:
      ferry_client_resume_async (ctl->client, NULL, store_result_cb, &result);
      ok = ferry_client_resume_finish (ctl->client, wait_for (&result), &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return agent_error (ctl, error);

  g_print ("%s\n", done[action]);
  return EXIT_OK;
}

static int
run_sync (Ctl   *ctl,
          int    argc,
          char **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_SYNC);
}

static int
run_pause (Ctl   *ctl,
           int    argc,
           char **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_PAUSE);
}

static int
run_resume (Ctl   *ctl,
            int    argc,
            char **argv)
{
  return run_queue_action (ctl, argc, argv, QUEUE_RESUME);
}

static void
print_status_json (FerryClient *client)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last = NULL;
  g_autofree char *next = NULL;
  const char *state = ferry_agent_state_to_string (ferry_client_get_state (client));

  if (ferry_client_get_last_sync_time (client) != 0)
    last = ferryctl_format_iso8601 (ferry_client_get_last_sync_time (client));
  if (ferry_client_get_next_sync_time (client) != 0)
    next = ferryctl_format_iso8601 (ferry_client_get_next_sync_time (client));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state != NULL ? state : "unknown");
  json_builder_set_member_name (builder, "online");
  json_builder_add_boolean_value (builder, ferry_client_get_online (client));
  json_builder_set_member_name (builder, "metered");
  json_builder_add_boolean_value (builder, ferry_client_get_metered (client));
  json_builder_set_member_name (builder, "paused");
  json_builder_add_boolean_value (builder, ferry_client_get_paused (client));
  json_builder_set_member_name (builder, "pending");
  json_builder_add_int_value (builder, ferry_client_get_pending_count (client));
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, ferry_client_get_failed_count (client));
  json_builder_set_member_name (builder, "conflicts");
  json_builder_add_int_value (builder, ferry_client_get_conflict_count (client));
  json_builder_set_member_name (builder, "auth-required");
  json_builder_add_int_value (builder, ferry_client_get_auth_count (client));
  json_builder_set_member_name (builder, "progress-done");
  json_builder_add_int_value (builder, ferry_client_get_progress_done (client));
  json_builder_set_member_name (builder, "progress-total");
  json_builder_add_int_value (builder, ferry_client_get_progress_total (client));
  json_builder_set_member_name (builder, "last-sync");
  if (last != NULL)
    json_builder_add_string_value (builder, last);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "next-sync");
  if (next != NULL)
    json_builder_add_string_value (builder, next);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = ferryctl_json_to_string (root);
  g_print ("%s\n", text);
}

static int
run_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      "Print the status as a JSON object", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *headline = NULL;
  g_autofree char *last = NULL;
  g_autofree char *next = NULL;
  FerryClient *client;
  gint64 now = g_get_real_time ();
  const char *state;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc > 1)
    return usage_error (ctl, "unexpected argument '%s'", argv[1]);

  if (!connect_client (ctl, &error) || !start_agent (ctl, &error))
    return agent_error (ctl, error);
  client = ctl->client;

  if (as_json)
    {
      print_status_json (client);
      return EXIT_OK;
    }

  headline = ferryctl_describe_status (client);
  state = ferry_agent_state_to_string (ferry_client_get_state (client));
  last = ferryctl_format_when (ferry_client_get_last_sync_time (client), now);
  if (ferry_client_get_next_sync_time (client) != 0)
    next = ferryctl_format_when (ferry_client_get_next_sync_time (client), now);
  else if (ferry_client_get_paused (client))
    next = g_strdup ("none while paused");
  else if (!ferry_client_get_online (client) && ferry_client_get_pending_count (client) > 0)
    next = g_strdup ("when the network is back");
  else
    next = g_strdup ("nothing scheduled");

  g_print ("%s\n\n", headline);
  g_print ("%-15s %s\n", "State:", state != NULL ? state : "unknown");
  g_print ("%-15s %s%s\n", "Network:", ferry_client_get_online (client) ? "online" : "offline",
           ferry_client_get_metered (client) ? ", metered" : "");
  g_print ("%-15s %s\n", "Paused:", ferry_client_get_paused (client) ? "yes" : "no");
  g_print ("%-15s %u\n", "Pending:", ferry_client_get_pending_count (client));
  g_print ("%-15s %u\n", "Failed:", ferry_client_get_failed_count (client));
  g_print ("%-15s %u\n", "Conflicts:", ferry_client_get_conflict_count (client));
  g_print ("%-15s %u\n", "Need sign-in:", ferry_client_get_auth_count (client));
  if (ferry_client_get_progress_total (client) > 0)
    g_print ("%-15s %u of %u\n", "Progress:", ferry_client_get_progress_done (client),
             ferry_client_get_progress_total (client));
  g_print ("%-15s %s\n", "Last sync:", last);
  g_print ("%-15s %s\n", "Next sync:", next);
  return EXIT_OK;
}

/* watch: one line per event, each with the local time. */

static void
print_event (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_event (const char *format,
             ...)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("%s %s\n", time, message);
}

static const char *
state_name (FerryClientTaskState state)
{
  const char *name = ferry_client_task_state_to_string (state);

  return name != NULL ? name : "unknown";
}

static void
on_task_added (FerryClient          *client,
               const char           *id,
               const char           *owner,
               FerryClientTaskState  state,
               gpointer              user_data)
{
  print_event ("task-added %s owner=%s state=%s", id, owner, state_name (state));
}

static void
on_task_changed (FerryClient          *client,
                 const char           *id,
                 const char           *owner,
                 FerryClientTaskState  state,
                 gpointer              user_data)
{
  print_event ("task-changed %s owner=%s state=%s", id, owner, state_name (state));
}

static void
on_task_succeeded (FerryClient *client,
                   const char  *id,
                   const char  *owner,
                   guint        status,
                   gpointer     user_data)
{
  print_event ("task-succeeded %s owner=%s status=%u", id, owner, status);
}

static void
on_task_failed (FerryClient *client,
                const char  *id,
                const char  *owner,
                const char  *reason,
                gpointer     user_data)
{
  print_event ("task-failed %s owner=%s reason=%s", id, owner, reason);
}

static void
on_retry_scheduled (FerryClient *client,
                    const char  *id,
                    const char  *owner,
                    guint        attempt,
                    gint64       when,
                    const char  *reason,
                    gpointer     user_data)
{
  g_autofree char *relative = ferryctl_format_relative (when, g_get_real_time ());

  print_event ("retry-scheduled %s owner=%s attempt=%u next=%s reason=%s",
               id, owner, attempt, relative, reason);
}

static void
on_task_stalled (FerryClient *client,
                 const char  *id,
                 const char  *owner,
                 gint64       failing_since,
                 const char  *reason,
                 gpointer     user_data)
{
  g_autofree char *since = ferryctl_format_relative (failing_since, g_get_real_time ());

  print_event ("task-stalled %s owner=%s failing-since=%s reason=%s", id, owner, since, reason);
}

static void
on_conflict_detected (FerryClient *client,
                      const char  *id,
                      const char  *owner,
                      gpointer     user_data)
{
  print_event ("conflict-detected %s owner=%s", id, owner);
}

static void
on_auth_required (FerryClient *client,
                  const char  *id,
                  const char  *owner,
                  gpointer     user_data)
{
  print_event ("auth-required %s owner=%s", id, owner);
}

static void
on_run_started (FerryClient *client,
                gpointer     user_data)
{
  print_event ("run-started");
}

static void
on_run_finished (FerryClient *client,
                 GVariant    *summary,
                 gpointer     user_data)
{
  guint32 succeeded = 0;
  guint32 failed = 0;
  guint32 retried = 0;
  guint32 conflicts = 0;
  guint32 auth = 0;

  g_variant_lookup (summary, "succeeded", "u", &succeeded);
  g_variant_lookup (summary, "failed", "u", &failed);
  g_variant_lookup (summary, "retried", "u", &retried);
  g_variant_lookup (summary, "conflicts", "u", &conflicts);
  g_variant_lookup (summary, "auth-required", "u", &auth);
  print_event ("run-finished succeeded=%u failed=%u retried=%u conflicts=%u auth-required=%u",
               succeeded, failed, retried, conflicts, auth);
}

static void
on_notify_state (FerryClient *client,
                 GParamSpec  *pspec,
                 gpointer     user_data)
{
  g_autofree char *headline = ferryctl_describe_status (client);
  char *newline = strchr (headline, '\n');

  /* One line per event: the title alone. */
  if (newline != NULL)
    *newline = '\0';
  if (ferry_client_get_agent_running (client))
    print_event ("status %s", headline);
}

static void
on_agent_appeared (FerryClient *client,
                   gpointer     user_data)
{
  print_event ("agent-appeared %s", ferry_client_get_agent_owner (client));
}

static void
on_agent_vanished (FerryClient *client,
                   gpointer     user_data)
{
  print_event ("agent-vanished");
}

static gboolean
on_interrupt (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
run_watch (Ctl   *ctl,
           int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headline = NULL;
  guint sigint_id;
  guint sigterm_id;
  int status;

  status = parse_options (ctl, entries, NULL, &argc, &argv);
  if (status >= 0)
    return status;
  if (argc > 1)
    return usage_error (ctl, "unexpected argument '%s'", argv[1]);

  /* Each event is one line; a reader on a pipe sees it at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, loop);

  if (!connect_client (ctl, &error) || !start_agent (ctl, &error))
    {
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      return agent_error (ctl, error);
    }

  g_signal_connect (ctl->client, "task-added", G_CALLBACK (on_task_added), NULL);
  g_signal_connect (ctl->client, "task-changed", G_CALLBACK (on_task_changed), NULL);
  g_signal_connect (ctl->client, "task-succeeded", G_CALLBACK (on_task_succeeded), NULL);
  g_signal_connect (ctl->client, "task-failed", G_CALLBACK (on_task_failed), NULL);
  g_signal_connect (ctl->client, "retry-scheduled", G_CALLBACK (on_retry_scheduled), NULL);
  g_signal_connect (ctl->client, "task-stalled", G_CALLBACK (on_task_stalled), NULL);
  g_signal_connect (ctl->client, "conflict-detected", G_CALLBACK (on_conflict_detected), NULL);
  g_signal_connect (ctl->client, "auth-required", G_CALLBACK (on_auth_required), NULL);
  g_signal_connect (ctl->client, "run-started", G_CALLBACK (on_run_started), NULL);
  g_signal_connect (ctl->client, "run-finished", G_CALLBACK (on_run_finished), NULL);
  g_signal_connect (ctl->client, "notify::state", G_CALLBACK (on_notify_state), NULL);
  g_signal_connect (ctl->client, "agent-appeared", G_CALLBACK (on_agent_appeared), NULL);
  g_signal_connect (ctl->client, "agent-vanished", G_CALLBACK (on_agent_vanished), NULL);

  headline = ferryctl_describe_status (ctl->client);
  print_event ("watching %s", headline);

  g_main_loop_run (loop);

  g_signal_handlers_disconnect_by_data (ctl->client, NULL);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return EXIT_OK;
}

static const Command commands[] = {
  { "add", "METHOD URL", "Add a task and print its id",
    "Add a task: an HTTP request for the agent to deliver.  Prints the task's id.", run_add },
  { "list", NULL, "List tasks",
    "List tasks, in the order they were added unless --newest-first.", run_list },
  { "show", "ID", "Show everything about a task",
    "Show everything about a task: request, state, attempts, errors, response.", run_show },
  { "retry", "ID|--all", "Make a failed task pending again",
    "Make a failed (or sign-in) task pending again, due now; --all for every one.", run_retry },
  { "cancel", "ID", "Drop a task that has not been delivered",
    "Drop a task that is pending, failed, in conflict or waiting for sign-in.", run_cancel },
  { "resolve", "ID --take local|remote|merged", "Settle a conflict",
    "Settle a task waiting in conflict: send the local change again, keep the server's "
    "copy, or send a merged body.", run_resolve },
  { "sync", NULL, "Deliver what is waiting now",
    "Start delivering now, also tasks waiting for a retry time.", run_sync },
  { "pause", NULL, "Stop sending until resumed",
    "Stop starting new attempts until resumed (attempts in flight finish).", run_pause },
  { "resume", NULL, "Start sending again",
    "Undo a pause and start delivering.", run_resume },
  { "status", NULL, "Show what the agent is doing",
    "Show the agent's state, counts, progress and sync times, in words.", run_status },
  { "watch", NULL, "Print events as they happen, until interrupted",
    "Print the agent's events as they happen, one line each with the time, until "
    "interrupted (Ctrl+C).", run_watch },
};

static char *
describe_commands (void)
{
  GString *text = g_string_new ("Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, commands[i].summary);
  g_string_append (text,
                   "\nRun 'ferryctl COMMAND --help' for a command's options.\n"
                   "Exit status: 0 on success, 1 when the agent reports an error, "
                   "2 on bad usage.");
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
  Ctl ctl = { "", NULL, NULL };
  int status;

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
      return EXIT_USAGE;
    }
  if (version)
    {
      g_print ("ferryctl %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (argc < 2)
    {
      g_printerr ("ferryctl: missing COMMAND\nTry 'ferryctl --help'.\n");
      return EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (commands[i].name, argv[1]))
        continue;

      ctl.name = commands[i].name;
      ctl.command = &commands[i];
      status = commands[i].run (&ctl, argc - 1, argv + 1);
      g_clear_object (&ctl.client);
      return status;
    }

  g_printerr ("ferryctl: unknown command '%s'\nTry 'ferryctl --help'.\n", argv[1]);
  return EXIT_USAGE;
}
