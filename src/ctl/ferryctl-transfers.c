/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-transfers"

#include "config.h"

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/*
 * ferryctl download, transfers and storage: adding a download (and, with
 * --wait, following it to its end), listing downloads and uploads with
 * their progress (transfers pause and resume are in
 * ferryctl-transfers-hold.c), and what each app's files take, with --clean to remove
 * an app's completed downloads.
 */

typedef struct
{
  char    **headers;
  char     *dest;
  char     *name;
  char     *sha256;
  char     *priority;
  char     *group;
  char     *app_id;
  gint64    size;
  gboolean  unmetered;
  gboolean  pinned;
  gboolean  wait;
} DownloadOptions;

static void
download_options_clear (DownloadOptions *o)
{
  g_strfreev (o->headers);
  g_free (o->dest);
  g_free (o->name);
  g_free (o->sha256);
  g_free (o->priority);
  g_free (o->group);
  g_free (o->app_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DownloadOptions, download_options_clear)

static int
build_download (FerryCtl               *ctl,
                DownloadOptions        *o,
                const char             *url,
                FerryDownloadRequest  **out_request)
{
  g_autoptr(FerryDownloadRequest) request = ferry_download_request_new (url);
  FerryClientPriority priority;

  for (guint i = 0; o->headers != NULL && o->headers[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!ferryctl_parse_header (o->headers[i], &name, &value))
        return ferryctl_usage_error (ctl, "--header: '%s' is not of the form 'Name: value'",
                                     o->headers[i]);
      ferry_download_request_add_header (request, name, value);
    }
  if (o->priority != NULL)
    {
      if (!ferry_client_priority_from_string (o->priority, &priority))
        return ferryctl_usage_error (ctl, "--priority: '%s' is not low, medium, high or "
                                     "critical", o->priority);
      ferry_download_request_set_priority (request, priority);
    }
  if (o->dest != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (o->dest);
      g_autofree char *path = g_file_get_path (file);

      ferry_download_request_set_destination (request, path);
    }
  ferry_download_request_set_name (request, o->name);
  ferry_download_request_set_group (request, o->group);
  ferry_download_request_set_app_id (request, o->app_id);
  ferry_download_request_set_expected_sha256 (request, o->sha256);
  if (o->size != G_MININT64 && o->size < 0)
    return ferryctl_usage_error (ctl, "--size: %" G_GINT64_FORMAT " is negative", o->size);
  if (o->size != G_MININT64)
    ferry_download_request_set_expected_size (request, o->size);
  if (o->unmetered)
    ferry_download_request_set_unmetered_only (request, TRUE);
  if (o->pinned)
    ferry_download_request_set_pinned (request, TRUE);
  *out_request = g_steal_pointer (&request);
  return FERRYCTL_CONTINUE;
}

typedef struct
{
  const char           *id;
  FerryClientTaskState  state;
  char                 *reason;
} Waiting;

static void
on_task_settled (FerryClient          *client,
                 const char           *id,
                 const char           *owner,
                 FerryClientTaskState  state,
                 Waiting              *waiting)
{
  if (g_strcmp0 (id, waiting->id) == 0 && state != FERRY_CLIENT_TASK_STATE_PENDING &&
      state != FERRY_CLIENT_TASK_STATE_RUNNING)
    waiting->state = state;
}

/* Follows the download @id until it ends; progress goes to stderr. */
static int
wait_for (FerryCtl   *ctl,
          const char *id)
{
  Waiting waiting = { id, FERRY_CLIENT_TASK_STATE_PENDING, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;

  handler = g_signal_connect (ctl->client, "task-changed", G_CALLBACK (on_task_settled),
                              &waiting);
  /* It may have ended already. */
  ferry_client_get_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
  info = ferry_client_get_finish (ctl->client, ferryctl_wait (&result), &error);
  if (info != NULL && ferry_task_info_get_state (info) != FERRY_CLIENT_TASK_STATE_PENDING &&
      ferry_task_info_get_state (info) != FERRY_CLIENT_TASK_STATE_RUNNING)
    waiting.state = ferry_task_info_get_state (info);
  while (waiting.state == FERRY_CLIENT_TASK_STATE_PENDING)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (ctl->client, handler);
  if (waiting.state == FERRY_CLIENT_TASK_STATE_SUCCEEDED)
    return FERRYCTL_EXIT_OK;
  g_clear_object (&result);
  g_clear_object (&info);
  ferry_client_get_async (ctl->client, id, NULL, ferryctl_store_result_cb, &result);
  info = ferry_client_get_finish (ctl->client, ferryctl_wait (&result), NULL);
  g_printerr ("ferryctl download: %s: %s\n", ferry_client_task_state_to_string (waiting.state),
              info != NULL && ferry_task_info_get_last_error (info) != NULL ?
              ferry_task_info_get_last_error (info) : "no reason given");
  return FERRYCTL_EXIT_AGENT;
}

int
ferryctl_run_download (FerryCtl  *ctl,
                       int        argc,
                       char     **argv)
{
  g_auto(DownloadOptions) o = { .size = G_MININT64 };
  GOptionEntry entries[] = {
    { "dest", 'o', 0, G_OPTION_ARG_FILENAME, &o.dest,
      "Put the file at PATH (default: Ferry's storage for the app)", "PATH" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o.name, "Name the download (and the file)", "NAME" },
    { "sha256", 0, 0, G_OPTION_ARG_STRING, &o.sha256,
      "The file's SHA-256: any other is discarded", "HEX" },
    { "size", 0, 0, G_OPTION_ARG_INT64, &o.size, "The file's size in bytes", "BYTES" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &o.headers,
      "Add a request header (repeatable)", "'NAME: VALUE'" },
    { "priority", 'p', 0, G_OPTION_ARG_STRING, &o.priority,
      "low, medium (default), high or critical", "PRIORITY" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &o.group, "Ordering group", "GROUP" },
    { "app-id", 'a', 0, G_OPTION_ARG_STRING, &o.app_id,
      "Download on behalf of this application id", "ID" },
    { "unmetered", 0, 0, G_OPTION_ARG_NONE, &o.unmetered, "Only on an unmetered network", NULL },
    { "pinned", 0, 0, G_OPTION_ARG_NONE, &o.pinned, "Never remove the file to make room", NULL },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &o.wait,
      "Wait until the file is there (exit 1 if the download fails)", NULL },
    { NULL }
  };
  g_autoptr(FerryDownloadRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 1, "URL");
  if (status == FERRYCTL_CONTINUE)
    status = build_download (ctl, &o, argv[1], &request);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  ferry_client_download_async (ctl->client, request, NULL, ferryctl_store_result_cb, &result);
  id = ferry_client_download_finish (ctl->client, ferryctl_wait (&result), &error);
  if (id == NULL)
    return ferryctl_agent_error (ctl, error);
  g_print ("%s\n", id);
  return o.wait ? wait_for (ctl, id) : FERRYCTL_EXIT_OK;
}

/* A size in words, with a plain space: columns are counted in bytes. */
static char *
format_bytes (guint64 bytes)
{
  g_autofree char *text = g_format_size (bytes);
  g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

static char *
format_progress (FerryTransferInfo *info)
{
  g_autofree char *done = format_bytes (MAX (ferry_transfer_info_get_done (info), 0));
  gint64 total = ferry_transfer_info_get_total (info);
  g_autofree char *all = total >= 0 ? format_bytes (total) : g_strdup ("?");

  if (total > 0)
    return g_strdup_printf ("%s of %s (%d%%)", done, all,
                            (int) (100 * ferry_transfer_info_get_done (info) / total));
  return g_strdup_printf ("%s of %s", done, all);
}

static void
print_transfers_json (GPtrArray *transfers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < transfers->len; i++)
    {
      FerryTransferInfo *info = g_ptr_array_index (transfers, i);
      const char *state = ferry_client_task_state_to_string (ferry_transfer_info_get_state (info));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ferry_transfer_info_get_id (info));
      json_builder_set_member_name (builder, "owner");
      json_builder_add_string_value (builder, ferry_transfer_info_get_owner (info));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, ferry_transfer_info_is_upload (info) ? "upload"
                                                                                  : "download");
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state != NULL ? state : "unknown");
      json_builder_set_member_name (builder, "paused");
      json_builder_add_boolean_value (builder, ferry_transfer_info_get_paused (info));
      json_builder_set_member_name (builder, "done");
      json_builder_add_int_value (builder, ferry_transfer_info_get_done (info));
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, ferry_transfer_info_get_total (info));
      json_builder_set_member_name (builder, "rate");
      json_builder_add_int_value (builder, ferry_transfer_info_get_rate (info));
      json_builder_set_member_name (builder, "destination");
      if (ferry_transfer_info_get_destination (info) != NULL)
        json_builder_add_string_value (builder, ferry_transfer_info_get_destination (info));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = ferryctl_json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static void
print_transfers_text (GPtrArray *transfers)
{
  if (transfers->len == 0)
    {
      g_print ("No downloads or uploads.\n");
      return;
    }
  g_print ("%-8s  %-8s  %-9s  %-28s  %s\n", "ID", "KIND", "STATE", "PROGRESS", "WHAT");
  for (guint i = 0; i < transfers->len; i++)
    {
      FerryTransferInfo *info = g_ptr_array_index (transfers, i);
      const char *id = ferry_transfer_info_get_id (info);
      const char *what = ferry_transfer_info_get_destination (info);
      const char *state = ferry_client_task_state_to_string (ferry_transfer_info_get_state (info));
      g_autofree char *progress = format_progress (info);

      /* Held by transfers pause: it says so rather than "pending". */
      if (ferry_transfer_info_get_paused (info))
        state = "paused";

      if (what == NULL)
        what = ferry_transfer_info_get_url (info);
      g_print ("%-8.8s  %-8s  %-9s  %-28s  %s\n", id != NULL ? id : "",
               ferry_transfer_info_is_upload (info) ? "upload" : "download",
               state != NULL ? state : "unknown", progress, what != NULL ? what : "");
    }
}

int
ferryctl_run_transfers (FerryCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *app_id = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "app-id", 'a', 0, G_OPTION_ARG_STRING, &app_id, "Only this application's", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) transfers = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* The subcommands come first, before any option of the list. */
  if (argc > 1 && (g_str_equal (argv[1], "pause") || g_str_equal (argv[1], "resume")))
    return ferryctl_run_transfers_hold (ctl, argc - 1, argv + 1);

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  ferry_client_list_transfers_async (ctl->client, app_id, NULL, ferryctl_store_result_cb, &result);
  transfers = ferry_client_list_transfers_finish (ctl->client, ferryctl_wait (&result), &error);
  if (transfers == NULL)
    return ferryctl_agent_error (ctl, error);
  if (json)
    print_transfers_json (transfers);
  else
    print_transfers_text (transfers);
  return FERRYCTL_EXIT_OK;
}

static void
print_usage (GPtrArray *usage,
             gboolean   json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (!json && usage->len == 0)
    g_print ("No app keeps files in Ferry's storage.\n");
  else if (!json)
    g_print ("%-32s  %10s  %6s  %10s\n", "APP", "USED", "FILES", "QUOTA");
  json_builder_begin_array (builder);
  for (guint i = 0; i < usage->len; i++)
    {
      FerryStorageUsage *entry = g_ptr_array_index (usage, i);
      g_autofree char *used = format_bytes (ferry_storage_usage_get_bytes (entry));
      g_autofree char *quota = format_bytes (ferry_storage_usage_get_quota (entry));

      if (!json)
        g_print ("%-32s  %10s  %6" G_GUINT64_FORMAT "  %10s\n",
                 ferry_storage_usage_get_owner (entry), used,
                 ferry_storage_usage_get_files (entry), quota);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "app");
      json_builder_add_string_value (builder, ferry_storage_usage_get_owner (entry));
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, ferry_storage_usage_get_bytes (entry));
      json_builder_set_member_name (builder, "files");
      json_builder_add_int_value (builder, ferry_storage_usage_get_files (entry));
      json_builder_set_member_name (builder, "quota");
      json_builder_add_int_value (builder, ferry_storage_usage_get_quota (entry));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (!json)
    return;
  root = json_builder_get_root (builder);
  text = ferryctl_json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

int
ferryctl_run_storage (FerryCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_autofree char *clean = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "clean", 0, 0, G_OPTION_ARG_STRING, &clean,
      "Remove the completed downloads of application ID", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  guint removed = 0;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (clean != NULL)
    {
      ferry_client_remove_files_async (ctl->client, clean, NULL, NULL, ferryctl_store_result_cb,
                                       &result);
      if (!ferry_client_remove_files_finish (ctl->client, ferryctl_wait (&result), &removed,
                                             &error))
        return ferryctl_agent_error (ctl, error);
      g_print ("Removed %u file%s of %s.\n", removed, removed == 1 ? "" : "s", clean);
      return FERRYCTL_EXIT_OK;
    }
  ferry_client_get_storage_usage_async (ctl->client, NULL, ferryctl_store_result_cb, &result);
  usage = ferry_client_get_storage_usage_finish (ctl->client, ferryctl_wait (&result), &error);
  if (usage == NULL)
    return ferryctl_agent_error (ctl, error);
  print_usage (usage, json);
  return FERRYCTL_EXIT_OK;
}
