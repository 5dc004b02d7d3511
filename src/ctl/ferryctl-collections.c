/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-collections"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ferry-collection.h"

#include "ferryctl-format.h"
#include "ferryctl-collections.h"

/*
 * ferryctl collection add|list|show|sync|remove and ferryctl doc
 * put|get|delete|list|changes.  A collection is named by its name, or by
 * APP/NAME when two apps use the same name.
 */

/* Every collection the caller may see. */
GPtrArray *
ferryctl_dup_collections (FerryCtl  *ctl,
                          GError   **error)
{
  g_autoptr(GPtrArray) collections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(GStrv) paths = NULL;

  ferry_client_list_collections_async (ctl->client, NULL, ferryctl_store_result_cb, &result);
  paths = ferry_client_list_collections_finish (ctl->client, ferryctl_wait (&result), error);
  if (paths == NULL)
    return NULL;
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) made = NULL;
      FerryCollection *collection;

      ferry_collection_new_async (ctl->client, paths[i], NULL, ferryctl_store_result_cb, &made);
      collection = ferry_collection_new_finish (ferryctl_wait (&made), error);
      if (collection == NULL)
        return NULL;
      g_ptr_array_add (collections, collection);
    }
  return g_steal_pointer (&collections);
}

/* The collection NAME or APP/NAME names. */
int
ferryctl_find_collection (FerryCtl         *ctl,
                 const char       *name,
                 FerryCollection **out)
{
  g_autoptr(GPtrArray) collections = NULL;
  g_autoptr(GError) error = NULL;
  const char *slash = strrchr (name, '/');
  FerryCollection *found = NULL;

  collections = ferryctl_dup_collections (ctl, &error);
  if (collections == NULL)
    return ferryctl_agent_error (ctl, error);
  for (guint i = 0; i < collections->len; i++)
    {
      FerryCollection *collection = g_ptr_array_index (collections, i);
      gboolean match;

      if (slash != NULL)
        match = g_str_equal (slash + 1, ferry_collection_get_name (collection)) &&
                strlen (ferry_collection_get_app (collection)) == (gsize) (slash - name) &&
                strncmp (name, ferry_collection_get_app (collection), slash - name) == 0;
      else
        match = g_str_equal (name, ferry_collection_get_name (collection));
      if (!match)
        continue;
      if (found != NULL)
        return ferryctl_usage_error (ctl, "more than one app has a collection '%s': name it "
                                     "APP/NAME", name);
      found = collection;
    }
  if (found == NULL)
    {
      g_printerr ("ferryctl %s: no collection '%s'\n", ctl->command->name, name);
      return FERRYCTL_EXIT_AGENT;
    }
  *out = g_object_ref (found);
  return FERRYCTL_CONTINUE;
}

static JsonNode *
collection_to_json (FerryCollection *collection)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint total, synced, failed;

  ferry_collection_get_progress (collection, &total, &synced, &failed);
  json_builder_begin_object (builder);
#define STRING(key, value)                          \
  json_builder_set_member_name (builder, key);      \
  json_builder_add_string_value (builder, value)
#define NUMBER(key, value)                          \
  json_builder_set_member_name (builder, key);      \
  json_builder_add_int_value (builder, value)
  STRING ("path", ferry_collection_get_path (collection));
  STRING ("name", ferry_collection_get_name (collection));
  STRING ("app", ferry_collection_get_app (collection));
  STRING ("protocol", ferry_collection_get_protocol (collection));
  STRING ("host", ferry_collection_get_host (collection));
  STRING ("direction", ferry_collection_get_direction (collection));
  STRING ("state", ferry_collection_get_state (collection));
  STRING ("phase", ferry_collection_get_phase (collection));
  STRING ("last-error", ferry_collection_get_last_error (collection));
  NUMBER ("documents", ferry_collection_get_document_count (collection));
  NUMBER ("dirty", ferry_collection_get_dirty_count (collection));
  NUMBER ("conflicts", ferry_collection_get_conflict_count (collection));
  NUMBER ("failed", ferry_collection_get_failed_count (collection));
  NUMBER ("progress-total", total);
  NUMBER ("progress-synced", synced);
  NUMBER ("progress-failed", failed);
  NUMBER ("last-sync", ferry_collection_get_last_sync_time (collection));
  NUMBER ("next-sync", ferry_collection_get_next_sync_time (collection));
#undef STRING
#undef NUMBER
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
ferryctl_print_json (JsonNode *node)
{
  g_autofree char *text = ferryctl_json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

/* collection ----------------------------------------------------------------- */

static void
add_pairs (GVariantBuilder *dict,
           const char      *key,
           char           **pairs)
{
  GVariantBuilder builder;

  if (pairs == NULL || pairs[0] == NULL)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *colon = strchr (pairs[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (pairs[i], colon - pairs[i]);
      g_variant_builder_add (&builder, "{ss}", g_strstrip (name), colon + 1 + strspn (colon + 1,
                                                                                     " "));
    }
  g_variant_builder_add (dict, "{sv}", key, g_variant_builder_end (&builder));
}

static int
run_collection_add (FerryCtl  *ctl,
                    int        argc,
                    char     **argv)
{
  g_autofree char *protocol = NULL, *url = NULL, *direction = NULL, *strategy = NULL;
  g_autofree char *app_id = NULL;
  g_auto(GStrv) headers = NULL;
  int interval = -1, batch_limit = -1;
  gboolean live = FALSE, as_json = FALSE;
  GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, "couchdb or rest", "PROTOCOL" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The database, or the REST base URL", "URL" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers, "A header for every request",
      "'NAME: VALUE'" },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, "both, push or pull", "WAY" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "Seconds between runs (0: none)", "S" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "Follow the server's changes while online", NULL },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, "The conflict strategy", "STRATEGY" },
    { "batch-limit", 0, 0, G_OPTION_ARG_INT, &batch_limit, "Documents per request at most",
      "N" },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &app_id, "The app it belongs to", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the collection as JSON", NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder dict;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 1, "NAME");
  if (status != FERRYCTL_CONTINUE)
    return status;
  if (protocol == NULL || url == NULL)
    return ferryctl_usage_error (ctl, "--protocol and --url are required");
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "name", g_variant_new_string (argv[1]));
  g_variant_builder_add (&dict, "{sv}", "protocol", g_variant_new_string (protocol));
  g_variant_builder_add (&dict, "{sv}", "url", g_variant_new_string (url));
  add_pairs (&dict, "headers", headers);
  if (direction != NULL)
    g_variant_builder_add (&dict, "{sv}", "direction", g_variant_new_string (direction));
  if (strategy != NULL)
    g_variant_builder_add (&dict, "{sv}", "conflict-strategy", g_variant_new_string (strategy));
  if (app_id != NULL)
    g_variant_builder_add (&dict, "{sv}", "app-id", g_variant_new_string (app_id));
  if (interval >= 0)
    g_variant_builder_add (&dict, "{sv}", "interval", g_variant_new_uint32 (interval));
  if (batch_limit >= 0)
    g_variant_builder_add (&dict, "{sv}", "batch-limit", g_variant_new_uint32 (batch_limit));
  if (live)
    g_variant_builder_add (&dict, "{sv}", "live", g_variant_new_boolean (TRUE));

  status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;
  ferry_client_add_collection_async (ctl->client, g_variant_builder_end (&dict), NULL,
                                     ferryctl_store_result_cb, &result);
  path = ferry_client_add_collection_finish (ctl->client, ferryctl_wait (&result), &error);
  if (path == NULL)
    return ferryctl_agent_error (ctl, error);
  if (as_json)
    {
      g_autoptr(GAsyncResult) made = NULL;
      g_autoptr(FerryCollection) collection = NULL;
      g_autoptr(JsonNode) node = NULL;

      ferry_collection_new_async (ctl->client, path, NULL, ferryctl_store_result_cb, &made);
      collection = ferry_collection_new_finish (ferryctl_wait (&made), &error);
      if (collection == NULL)
        return ferryctl_agent_error (ctl, error);
      node = collection_to_json (collection);
      ferryctl_print_json (node);
    }
  else
    g_print ("%s\n", path);
  return FERRYCTL_EXIT_OK;
}

static int
run_collection_list (FerryCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print a JSON array", NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) collections = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status != FERRYCTL_CONTINUE)
    return status;
  collections = ferryctl_dup_collections (ctl, &error);
  if (collections == NULL)
    return ferryctl_agent_error (ctl, error);
  if (as_json)
    {
      g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (array, json_array_new ());
      for (guint i = 0; i < collections->len; i++)
        json_array_add_element (json_node_get_array (array),
                                collection_to_json (g_ptr_array_index (collections, i)));
      ferryctl_print_json (array);
      return FERRYCTL_EXIT_OK;
    }
  if (collections->len == 0)
    {
      g_print ("No collections.\n");
      return FERRYCTL_EXIT_OK;
    }
  g_print ("%-24s %-28s %-8s %9s %6s %9s %6s  %s\n", "NAME", "APP", "STATE", "DOCUMENTS",
           "DIRTY", "CONFLICTS", "FAILED", "HOST");
  for (guint i = 0; i < collections->len; i++)
    {
      FerryCollection *c = g_ptr_array_index (collections, i);

      g_print ("%-24s %-28s %-8s %9u %6u %9u %6u  %s\n", ferry_collection_get_name (c),
               ferry_collection_get_app (c), ferry_collection_get_state (c),
               ferry_collection_get_document_count (c), ferry_collection_get_dirty_count (c),
               ferry_collection_get_conflict_count (c), ferry_collection_get_failed_count (c),
               ferry_collection_get_host (c));
    }
  return FERRYCTL_EXIT_OK;
}

static int
run_collection_one (FerryCtl  *ctl,
                    int        argc,
                    char     **argv,
                    const char *action)
{
  gboolean as_json = FALSE, keep_data = FALSE;
  GOptionEntry show_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print it as JSON", NULL },
    { NULL }
  };
  GOptionEntry remove_entries[] = {
    { "keep-data", 0, 0, G_OPTION_ARG_NONE, &keep_data,
      "Keep the local documents, to resume when it is added again", NULL },
    { NULL }
  };
  GOptionEntry no_entries[] = { { NULL } };
  g_autoptr(FerryCollection) collection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = ferryctl_parse_options (ctl, g_str_equal (action, "show") ? show_entries
                                        : g_str_equal (action, "remove") ? remove_entries
                                        : no_entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 1, "NAME");
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_find_collection (ctl, argv[1], &collection);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (g_str_equal (action, "sync"))
    {
      ferry_collection_sync_async (collection, NULL, ferryctl_store_result_cb, &result);
      if (!ferry_collection_sync_finish (collection, ferryctl_wait (&result), &error))
        return ferryctl_agent_error (ctl, error);
      g_print ("Syncing %s.\n", ferry_collection_get_name (collection));
    }
  else if (g_str_equal (action, "remove"))
    {
      ferry_client_remove_collection_async (ctl->client, ferry_collection_get_path (collection),
                                            keep_data, NULL, ferryctl_store_result_cb, &result);
      if (!ferry_client_remove_collection_finish (ctl->client, ferryctl_wait (&result), &error))
        return ferryctl_agent_error (ctl, error);
      g_print ("Removed %s.\n", ferry_collection_get_name (collection));
    }
  else
    {
      g_autoptr(JsonNode) node = collection_to_json (collection);
      g_autoptr(GVariant) runs = NULL;
      g_autoptr(GVariant) sync = NULL;

      runs = ferryctl_fetch_runs (collection, &sync, &error);
      if (runs == NULL)
        return ferryctl_agent_error (ctl, error);
      if (as_json)
        {
          ferryctl_add_runs_to_json (json_node_get_object (node), runs, sync);
          ferryctl_print_json (node);
        }
      else
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *value = json_object_get_member (object, l->data);

              if (json_node_get_value_type (value) == G_TYPE_STRING)
                g_print ("%-16s %s\n", (const char *) l->data, json_node_get_string (value));
              else
                g_print ("%-16s %" G_GINT64_FORMAT "\n", (const char *) l->data,
                         json_node_get_int (value));
            }
          ferryctl_print_runs (runs, sync);
        }
    }
  return FERRYCTL_EXIT_OK;
}

/**
 * ferryctl_run_collection:
 * @ctl: the command line
 * @argc: the argument count, "collection" first
 * @argv: the arguments
 *
 * Returns: the exit status
 */
int
ferryctl_run_collection (FerryCtl  *ctl,
                         int        argc,
                         char     **argv)
{
  const char *action = argc > 1 ? argv[1] : NULL;

  if (action == NULL || g_str_equal (action, "--help") || g_str_equal (action, "-h"))
    {
      g_print ("Usage: ferryctl collection add|list|show|sync|remove [OPTION…] [NAME]\n"
               "Run 'ferryctl collection SUBCOMMAND --help' for its options.\n");
      return action == NULL ? FERRYCTL_EXIT_USAGE : FERRYCTL_EXIT_OK;
    }
  if (g_str_equal (action, "add"))
    return run_collection_add (ctl, argc - 1, argv + 1);
  if (g_str_equal (action, "list"))
    return run_collection_list (ctl, argc - 1, argv + 1);
  if (g_str_equal (action, "show") || g_str_equal (action, "sync") ||
      g_str_equal (action, "remove"))
    return run_collection_one (ctl, argc - 1, argv + 1, action);
  return ferryctl_usage_error (ctl, "unknown subcommand '%s'", action);
}

