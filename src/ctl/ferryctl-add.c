/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-add"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/* ferryctl add: a FerryRequest from the command line, enqueued through
 * the client. */

typedef struct
{
  char     *json;
  char     *data;
  char    **headers;
  char    **secret_headers;
  char     *content_type;
  char     *priority;
  char     *name;
  char     *unique;
  char     *group;
  char     *expires;
  char     *not_before;
  char     *app_id;
  char     *if_match;
  char     *idempotency_key;
  char     *strategy;
  char     *conflict;
  char     *conflict_url;
  char     *base;
  char    **merge_rules;
  char     *timestamp_pointer;
  gboolean  unmetered;
  gboolean  force;
  int       max_attempts;
  char     *file;          /* upload only */
  char     *method;        /* upload only */
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_free (options->json);
  g_free (options->data);
  g_strfreev (options->headers);
  g_strfreev (options->secret_headers);
  g_free (options->content_type);
  g_free (options->priority);
  g_free (options->name);
  g_free (options->unique);
  g_free (options->group);
  g_free (options->expires);
  g_free (options->not_before);
  g_free (options->app_id);
  g_free (options->if_match);
  g_free (options->idempotency_key);
  g_free (options->strategy);
  g_free (options->conflict);
  g_free (options->conflict_url);
  g_free (options->base);
  g_strfreev (options->merge_rules);
  g_free (options->timestamp_pointer);
  g_free (options->file);
  g_free (options->method);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* The methods taken in any case and sent in capitals. */
static const char * const standard_methods[] = {
  "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
};

static GOptionEntry *
dup_add_entries (AddOptions *o)
{
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_STRING, &o->json,
      "Send TEXT (or the contents of @FILE) as an application/json body; it must be valid JSON",
      "TEXT" },
    { "data", 'd', 0, G_OPTION_ARG_STRING, &o->data,
      "Send TEXT, or the contents of @FILE (@- for standard input), as the body", "TEXT" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &o->headers,
      "Add a request header (repeatable)", "'NAME: VALUE'" },
    { "secret-header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->secret_headers,
      "Treat header NAME as a credential: never shown, logged or given to other apps "
      "(repeatable; Authorization, Cookie and the like always are)", "NAME" },
    { "content-type", 't', 0, G_OPTION_ARG_STRING, &o->content_type,
      "Content-Type of the body", "TYPE" },
    { "priority", 'p', 0, G_OPTION_ARG_STRING, &o->priority,
      "low, medium (default), high or critical", "PRIORITY" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o->name,
      "Name the task (unique per app; see --unique)", "NAME" },
    { "unique", 'u', 0, G_OPTION_ARG_STRING, &o->unique,
      "With --name, when a pending task of that name exists: replace (default), keep or append",
      "POLICY" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &o->group,
      "Ordering group: tasks of one group run strictly in order", "GROUP" },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &o->expires,
      "Fail the task if it is not delivered by WHEN", "WHEN" },
    { "not-before", 0, 0, G_OPTION_ARG_STRING, &o->not_before,
      "Do not send the task before WHEN", "WHEN" },
    { "unmetered", 0, 0, G_OPTION_ARG_NONE, &o->unmetered,
      "Only send on an unmetered network", NULL },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &o->max_attempts,
      "Attempts before the task fails (0: the agent's setting, no limit by default)", "N" },
    { "app-id", 'a', 0, G_OPTION_ARG_STRING, &o->app_id,
      "Add the task on behalf of this application id", "ID" },
    { "if-match", 0, 0, G_OPTION_ARG_STRING, &o->if_match,
      "Send If-Match: ETAG (a 412 answer is a conflict)", "ETAG" },
    { "idempotency-key", 0, 0, G_OPTION_ARG_STRING, &o->idempotency_key,
      "Idempotency-Key to send (default: generated)", "KEY" },
    { "strategy", 's', 0, G_OPTION_ARG_STRING, &o->strategy,
      "On a conflict: ask, client-wins, server-wins, last-modified-wins, merge or custom "
      "(default: the settings' choice for the app or URL, else ask)", "STRATEGY" },
    { "conflict", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->conflict,
      "The same as --strategy", "STRATEGY" },
    { "conflict-url", 0, 0, G_OPTION_ARG_STRING, &o->conflict_url,
      "Where to fetch the server's copy on a conflict (default: URL)", "URL" },
    { "base", 0, 0, G_OPTION_ARG_STRING, &o->base,
      "The document this change was made from, TEXT or @FILE (for merge and resolvers)",
      "TEXT" },
    { "merge-rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->merge_rules,
      "With merge, whose change wins where both changed POINTER (a JSON pointer): mine or "
      "the server's; repeatable", "POINTER=mine|server" },
    { "timestamp-pointer", 0, 0, G_OPTION_ARG_STRING, &o->timestamp_pointer,
      "With last-modified-wins, the JSON pointer of the time to compare (default /updated_at)",
      "POINTER" },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &o->force,
      "Send METHOD exactly as written, also one that is not a standard method", NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

/* RFC 9110's token: what a method may be made of. */
static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
parse_method (FerryCtl    *ctl,
              const char  *text,
              gboolean     force,
              char       **out_method)
{
  if (force)
    {
      if (!is_token (text))
        return ferryctl_usage_error (ctl, "METHOD: '%s' is not an HTTP method: only letters, "
                                     "digits and !#$%%&'*+-.^_`|~ may make one", text);
      *out_method = g_strdup (text);
      return FERRYCTL_CONTINUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (standard_methods); i++)
    {
      if (g_ascii_strcasecmp (text, standard_methods[i]) == 0)
        {
          *out_method = g_strdup (standard_methods[i]);
          return FERRYCTL_CONTINUE;
        }
    }
  return ferryctl_usage_error (ctl, "METHOD: '%s' is not one of GET, HEAD, POST, PUT, PATCH, "
                               "DELETE, OPTIONS (give --force to send it as written)", text);
}

/* Loopback and address literals are usually plain HTTP; names, HTTPS. */
static const char *
guess_scheme (const char *url)
{
  g_autofree char *host = NULL;
  const char *end;

  if (url[0] == '[')
    return "http";
  end = url + strcspn (url, ":/?#");
  host = g_ascii_strdown (url, end - url);
  if (g_str_equal (host, "localhost") || g_hostname_is_ip_address (host))
    return "http";
  return "https";
}

/* An URL without a scheme is a slip worth catching here; the agent checks
 * the rest. */
static int
check_url (FerryCtl   *ctl,
           const char *option,
           const char *url)
{
  if (*url == '\0')
    return ferryctl_usage_error (ctl, "%s: empty", option);
  if (strstr (url, "://") != NULL)
    return FERRYCTL_CONTINUE;
  if (url[0] == '/')
    return ferryctl_usage_error (ctl, "%s: '%s' is a path, not a whole http:// or https:// URL",
                                 option, url);
  return ferryctl_usage_error (ctl, "%s: '%s' has no scheme; did you mean %s://%s?", option,
                               url, guess_scheme (url), url);
}

static int
set_body (FerryCtl     *ctl,
          AddOptions   *o,
          FerryRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  int status = FERRYCTL_CONTINUE;

  if (o->json != NULL && o->data != NULL)
    return ferryctl_usage_error (ctl, "--json and --data cannot be used together");

  if (o->json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *text;
      gsize size;

      body = ferryctl_read_argument (ctl, "--json", o->json, &status);
      if (body == NULL)
        return status;
      text = g_bytes_get_data (body, &size);
      if (!json_parser_load_from_data (parser, size > 0 ? text : "", size, &error))
        return ferryctl_usage_error (ctl, "--json: not valid JSON: %s", error->message);
      if (json_parser_get_root (parser) == NULL)
        return ferryctl_usage_error (ctl, "--json: not valid JSON: the text is empty");
      ferry_request_set_body (request, body,
                              o->content_type != NULL ? o->content_type : "application/json");
    }
  else if (o->data != NULL)
    {
      body = ferryctl_read_argument (ctl, "--data", o->data, &status);
      if (body == NULL)
        return status;
      ferry_request_set_body (request, body, o->content_type);
    }
  else if (o->content_type != NULL)
    {
      ferry_request_set_body (request, NULL, o->content_type);
    }
  return FERRYCTL_CONTINUE;
}

gboolean
ferryctl_parse_header (const char  *line,
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

static int
set_headers (FerryCtl     *ctl,
             AddOptions   *o,
             FerryRequest *request)
{
  for (guint i = 0; o->headers != NULL && o->headers[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ferryctl_parse_header (o->headers[i], &name, &value))
        return ferryctl_usage_error (ctl, "--header: '%s' is not of the form 'Name: value'",
                                     o->headers[i]);
      ferry_request_add_header (request, name, value);
    }
  for (guint i = 0; o->secret_headers != NULL && o->secret_headers[i] != NULL; i++)
    ferry_request_add_secret_header (request, o->secret_headers[i]);
  return FERRYCTL_CONTINUE;
}

/* --priority, --unique and --strategy: words from fixed lists. */
static int
set_choices (FerryCtl     *ctl,
             AddOptions   *o,
             FerryRequest *request)
{
  if (o->strategy != NULL && o->conflict != NULL)
    return ferryctl_usage_error (ctl, "--strategy and --conflict are the same option; give one");
  if (o->strategy == NULL)
    o->strategy = g_steal_pointer (&o->conflict);

  if (o->priority != NULL)
    {
      FerryClientPriority value;

      if (!ferry_client_priority_from_string (o->priority, &value))
        return ferryctl_usage_error (ctl, "--priority: '%s' is not one of low, medium, high, "
                                     "critical", o->priority);
      ferry_request_set_priority (request, value);
    }
  if (o->unique != NULL)
    {
      FerryClientUniquePolicy value;

      if (!ferry_client_unique_policy_from_string (o->unique, &value))
        return ferryctl_usage_error (ctl, "--unique: '%s' is not one of replace, keep, append",
                                     o->unique);
      ferry_request_set_unique (request, value);
    }
  if (o->strategy != NULL)
    {
      FerryClientConflictStrategy value;

      if (!ferry_client_conflict_strategy_from_string (o->strategy, &value))
        return ferryctl_usage_error (ctl, "--strategy: '%s' is not one of ask, client-wins, "
                                     "server-wins, last-modified-wins, merge, custom",
                                     o->strategy);
      ferry_request_set_conflict_strategy (request, value);
    }
  return FERRYCTL_CONTINUE;
}

/*
 * "POINTER=mine" or "POINTER=server" (or the agent's own words, local and
 * remote).  The pointer is everything before the last '=': a member name
 * may hold one.
 */
static int
add_merge_rule (FerryCtl     *ctl,
                const char   *text,
                FerryRequest *request)
{
  const char *equals = strrchr (text, '=');
  g_autofree char *pointer = NULL;
  FerryClientResolveChoice side;

  if (equals == NULL
      || !ferry_client_resolve_choice_from_word (equals + 1, &side)
      || side == FERRY_CLIENT_RESOLVE_BODY)
    return ferryctl_usage_error (ctl, "--merge-rule: '%s' is not of the form POINTER=mine or "
                                 "POINTER=server", text);
  pointer = g_strndup (text, equals - text);
  ferry_request_add_merge_rule (request, pointer, ferry_client_resolve_choice_to_string (side));
  return FERRYCTL_CONTINUE;
}

/* What a conflict is settled with: the base, merge rules, timestamp. */
static int
set_conflict_options (FerryCtl     *ctl,
                      AddOptions   *o,
                      FerryRequest *request)
{
  int status = FERRYCTL_CONTINUE;

  if (o->base != NULL)
    {
      g_autoptr(GBytes) bytes = ferryctl_read_argument (ctl, "--base", o->base, &status);

      if (bytes == NULL)
        return status;
      ferry_request_set_base (request, bytes);
    }
  for (guint i = 0; o->merge_rules != NULL && o->merge_rules[i] != NULL; i++)
    {
      status = add_merge_rule (ctl, o->merge_rules[i], request);
      if (status != FERRYCTL_CONTINUE)
        return status;
    }
  if (o->timestamp_pointer != NULL)
    ferry_request_set_timestamp_pointer (request, o->timestamp_pointer);
  if (o->conflict_url != NULL)
    {
      status = check_url (ctl, "--conflict-url", o->conflict_url);
      if (status != FERRYCTL_CONTINUE)
        return status;
      ferry_request_set_conflict_url (request, o->conflict_url);
    }
  if (o->if_match != NULL)
    ferry_request_set_if_match (request, o->if_match);
  return FERRYCTL_CONTINUE;
}

/* --expires, --not-before and --max-attempts: when and how long. */
static int
set_times (FerryCtl     *ctl,
           AddOptions   *o,
           FerryRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 when;

  if (o->expires != NULL)
    {
      if (!ferryctl_parse_when (o->expires, now, &when, &error))
        return ferryctl_usage_error (ctl, "--expires: %s", error->message);
      ferry_request_set_expires (request, when);
    }
  if (o->not_before != NULL)
    {
      if (!ferryctl_parse_when (o->not_before, now, &when, &error))
        return ferryctl_usage_error (ctl, "--not-before: %s", error->message);
      ferry_request_set_not_before (request, when);
    }
  if (o->max_attempts != -1)
    {
      if (o->max_attempts < 0)
        return ferryctl_usage_error (ctl, "--max-attempts: %d is negative", o->max_attempts);
      ferry_request_set_max_attempts (request, o->max_attempts);
    }
  return FERRYCTL_CONTINUE;
}

/* The request the command line describes, or an exit status. */
static int
build_request (FerryCtl      *ctl,
               AddOptions    *o,
               const char    *method_text,
               const char    *url,
               FerryRequest **out_request)
{
  g_autoptr(FerryRequest) request = NULL;
  g_autofree char *method = NULL;
  int status;

  status = parse_method (ctl, method_text, o->force, &method);
  if (status == FERRYCTL_CONTINUE)
    status = check_url (ctl, "URL", url);
  if (status != FERRYCTL_CONTINUE)
    return status;

  request = ferry_request_new (method, url);
  if ((status = set_body (ctl, o, request)) != FERRYCTL_CONTINUE
      || (status = set_headers (ctl, o, request)) != FERRYCTL_CONTINUE
      || (status = set_choices (ctl, o, request)) != FERRYCTL_CONTINUE
      || (status = set_conflict_options (ctl, o, request)) != FERRYCTL_CONTINUE
      || (status = set_times (ctl, o, request)) != FERRYCTL_CONTINUE)
    return status;

  if (o->unmetered)
    ferry_request_set_unmetered_only (request, TRUE);
  if (o->name != NULL)
    ferry_request_set_name (request, o->name);
  if (o->group != NULL)
    ferry_request_set_group (request, o->group);
  if (o->app_id != NULL)
    ferry_request_set_app_id (request, o->app_id);
  if (o->idempotency_key != NULL)
    ferry_request_set_idempotency_key (request, o->idempotency_key);

  *out_request = g_steal_pointer (&request);
  return FERRYCTL_CONTINUE;
}

int
ferryctl_run_add (FerryCtl  *ctl,
                  int        argc,
                  char     **argv)
{
  g_auto(AddOptions) options = { .max_attempts = -1 };
  g_autofree GOptionEntry *entries = dup_add_entries (&options);
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries,
                                   "METHOD is one of GET, HEAD, POST, PUT, PATCH, DELETE and "
                                   "OPTIONS, in any case.\n"
                                   "WHEN is seconds from now (90, 15m, 2h, 1d) or an ISO 8601 "
                                   "date (2026-12-01, 2026-12-01T09:30:00).",
                                   &argc, &argv);
  if (status != FERRYCTL_CONTINUE)
    return status;
  if (argc < 3)
    return ferryctl_usage_error (ctl, "%s", argc < 2 ? "missing METHOD and URL" : "missing URL");
  if (argc > 3)
    return ferryctl_usage_error (ctl, "unexpected argument '%s'", argv[3]);

  status = build_request (ctl, &options, argv[1], argv[2], &request);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  ferry_client_enqueue_async (ctl->client, request, NULL, ferryctl_store_result_cb, &result);
  id = ferry_client_enqueue_finish (ctl->client, ferryctl_wait (&result), &error);
  if (id == NULL)
    return ferryctl_agent_error (ctl, error);

  g_print ("%s\n", id);
  return FERRYCTL_EXIT_OK;
}

/* The options of add, and the file and method of an upload. */
static GOptionEntry *
dup_upload_entries (AddOptions *o)
{
  g_autofree GOptionEntry *add = dup_add_entries (o);
  const GOptionEntry more[] = {
    { "file", 'F', 0, G_OPTION_ARG_FILENAME, &o->file,
      "Send the contents of FILE as the body, of any size: copied by the agent before it "
      "answers, sent streamed from disk", "FILE" },
    { "method", 'X', 0, G_OPTION_ARG_STRING, &o->method,
      "The request's method (default PUT)", "METHOD" },
    { NULL }
  };
  guint n = 0;
  GOptionEntry *entries;

  while (add[n].long_name != NULL)
    n++;
  entries = g_new0 (GOptionEntry, n + G_N_ELEMENTS (more));
  memcpy (entries, add, n * sizeof (GOptionEntry));
  memcpy (entries + n, more, sizeof more);
  return entries;
}

int
ferryctl_run_upload (FerryCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  g_auto(AddOptions) options = { .max_attempts = -1 };
  g_autofree GOptionEntry *entries = dup_upload_entries (&options);
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *id = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries,
                                   "The body comes from --file; --json and --data are for add.",
                                   &argc, &argv);
  if (status != FERRYCTL_CONTINUE)
    return status;
  if (options.file == NULL)
    return ferryctl_usage_error (ctl, "missing --file");
  if (options.json != NULL || options.data != NULL)
    return ferryctl_usage_error (ctl, "--file: not with --json or --data");
  if (!g_file_test (options.file, G_FILE_TEST_IS_REGULAR))
    return ferryctl_usage_error (ctl, "--file: '%s' is not a regular file", options.file);
  status = ferryctl_check_arguments (ctl, argc, argv, 1, "URL");
  if (status == FERRYCTL_CONTINUE)
    status = build_request (ctl, &options, options.method != NULL ? options.method : "PUT",
                            argv[1], &request);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  file = g_file_new_for_commandline_arg (options.file);
  ferry_client_upload_async (ctl->client, request, file, NULL, ferryctl_store_result_cb, &result);
  id = ferry_client_upload_finish (ctl->client, ferryctl_wait (&result), &error);
  if (id == NULL)
    return ferryctl_agent_error (ctl, error);
  g_print ("%s\n", id);
  return FERRYCTL_EXIT_OK;
}
