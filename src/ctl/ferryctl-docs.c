/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-docs"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ferryctl-collections.h"

/*
 * ferryctl doc put|get|delete|list|changes COLLECTION …: the documents of
 * a collection's local replica.
 */

#define DOC_PAGE 1000

/* A document dictionary as JSON; its bodies as JSON, not as text. */
static JsonNode *
document_to_json (GVariant *doc)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GVariantIter iter;
  const char *key;
  GVariant *value;

  json_builder_begin_object (builder);
  g_variant_iter_init (&iter, doc);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      json_builder_set_member_name (builder, key);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          (g_str_equal (key, "body") || g_str_equal (key, "base") || g_str_equal (key, "remote")))
        {
          JsonNode *parsed = json_from_string (g_variant_get_string (value, NULL), NULL);

          if (parsed != NULL)
            json_builder_add_value (builder, parsed);
          else
            json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        json_builder_add_boolean_value (builder, g_variant_get_boolean (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        json_builder_add_int_value (builder, g_variant_get_int64 (value));
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_documents (GVariant *docs,
                 gboolean  as_json)
{
  g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
  GVariantIter iter;
  GVariant *doc;

  json_node_take_array (array, json_array_new ());
  g_variant_iter_init (&iter, docs);
  while ((doc = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = doc;
      const char *id = "", *body = NULL;
      gboolean deleted = FALSE, dirty = FALSE, conflict = FALSE;
      gint64 seq = 0;

      if (as_json)
        {
          json_array_add_element (json_node_get_array (array), document_to_json (doc));
          continue;
        }
      g_variant_lookup (doc, "id", "&s", &id);
      g_variant_lookup (doc, "seq", "x", &seq);
      g_variant_lookup (doc, "deleted", "b", &deleted);
      g_variant_lookup (doc, "dirty", "b", &dirty);
      g_variant_lookup (doc, "conflict", "b", &conflict);
      g_variant_lookup (doc, "body", "&s", &body);
      g_print ("%-8" G_GINT64_FORMAT " %-32s %-9s %s\n", seq, id,
               conflict ? "conflict" : deleted ? "deleted" : dirty ? "unsent" : "synced",
               body != NULL ? body : "");
    }
  if (as_json)
    ferryctl_print_json (array);
}

/* doc put (with @body) or doc delete. */
static int
write_doc (FerryCtl        *ctl,
           FerryCollection *collection,
           const char      *id,
           GBytes          *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = body != NULL ? g_strndup (g_bytes_get_data (body, NULL),
                                                    g_bytes_get_size (body)) : NULL;
  gint64 seq;

  if (json != NULL)
    ferry_collection_put_async (collection, id, json, NULL, ferryctl_store_result_cb, &result);
  else
    ferry_collection_delete_async (collection, id, NULL, ferryctl_store_result_cb, &result);
  seq = json != NULL
        ? ferry_collection_put_finish (collection, ferryctl_wait (&result), &error)
        : ferry_collection_delete_finish (collection, ferryctl_wait (&result), &error);
  if (seq < 0)
    return ferryctl_agent_error (ctl, error);
  g_print ("%s %s (sequence %" G_GINT64_FORMAT ").\n", json != NULL ? "Wrote" : "Deleted", id,
           seq);
  return FERRYCTL_EXIT_OK;
}

static int
run_doc (FerryCtl   *ctl,
         const char *action,
         int         argc,
         char      **argv)
{
  gboolean as_json = FALSE, dirty = FALSE, conflict = FALSE, failed = FALSE;
  gint64 since = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { "dirty", 0, 0, G_OPTION_ARG_NONE, &dirty, "list: only documents waiting to be sent",
      NULL },
    { "conflict", 0, 0, G_OPTION_ARG_NONE, &conflict, "list: only documents in conflict",
      NULL },
    { "failed", 0, 0, G_OPTION_ARG_NONE, &failed, "list: only documents the server refused",
      NULL },
    { "since", 0, 0, G_OPTION_ARG_INT64, &since, "changes: after this local sequence", "SEQ" },
    { NULL }
  };
  int needed = g_str_equal (action, "put") ? 3
               : g_str_equal (action, "get") || g_str_equal (action, "delete") ? 2 : 1;
  g_autoptr(FerryCollection) collection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, needed,
                                       needed == 1 ? "COLLECTION" : argc < 3 ? "ID" : "JSON");
  if (status == FERRYCTL_CONTINUE && needed == 3)
    body = ferryctl_read_argument (ctl, "JSON", argv[3], &status);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_find_collection (ctl, argv[1], &collection);
  if (status != FERRYCTL_CONTINUE)
    return status;

  if (g_str_equal (action, "put") || g_str_equal (action, "delete"))
    return write_doc (ctl, collection, argv[2], body);
  if (g_str_equal (action, "get"))
    {
      g_autoptr(JsonNode) node = NULL;
      const char *text = NULL;

      ferry_collection_get_async (collection, argv[2], NULL, ferryctl_store_result_cb, &result);
      reply = ferry_collection_get_finish (collection, ferryctl_wait (&result), &error);
      if (reply == NULL)
        return ferryctl_agent_error (ctl, error);
      if (as_json)
        {
          node = document_to_json (reply);
          ferryctl_print_json (node);
        }
      else if (g_variant_lookup (reply, "body", "&s", &text))
        g_print ("%s\n", text);
      else
        g_print ("(deleted)\n");
      return FERRYCTL_EXIT_OK;
    }
  if (g_str_equal (action, "list"))
    {
      GVariantBuilder filter;

      g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&filter, "{sv}", "bodies", g_variant_new_boolean (TRUE));
      if (dirty)
        g_variant_builder_add (&filter, "{sv}", "dirty", g_variant_new_boolean (TRUE));
      if (conflict)
        g_variant_builder_add (&filter, "{sv}", "conflict", g_variant_new_boolean (TRUE));
      if (failed)
        g_variant_builder_add (&filter, "{sv}", "failed", g_variant_new_boolean (TRUE));
      ferry_collection_list_async (collection, g_variant_builder_end (&filter), 0, DOC_PAGE, NULL,
                                   ferryctl_store_result_cb, &result);
      reply = ferry_collection_list_finish (collection, ferryctl_wait (&result), &error);
    }
  else
    {
      ferry_collection_changes_async (collection, since, DOC_PAGE, NULL,
                                      ferryctl_store_result_cb, &result);
      reply = ferry_collection_changes_finish (collection, ferryctl_wait (&result), NULL, &error);
    }
  if (reply == NULL)
    return ferryctl_agent_error (ctl, error);
  print_documents (reply, as_json);
  return FERRYCTL_EXIT_OK;
}

/**
 * ferryctl_run_doc:
 * @ctl: the command line
 * @argc: the argument count, "doc" first
 * @argv: the arguments
 *
 * Returns: the exit status
 */
int
ferryctl_run_doc (FerryCtl  *ctl,
                  int        argc,
                  char     **argv)
{
  static const char * const actions[] = { "put", "get", "delete", "list", "changes" };
  const char *action = argc > 1 ? argv[1] : NULL;

  if (action == NULL || g_str_equal (action, "--help") || g_str_equal (action, "-h"))
    {
      g_print ("Usage: ferryctl doc put COLLECTION ID JSON|@FILE\n"
               "       ferryctl doc get|delete COLLECTION ID\n"
               "       ferryctl doc list|changes COLLECTION\n"
               "Run 'ferryctl doc SUBCOMMAND --help' for its options.\n");
      return action == NULL ? FERRYCTL_EXIT_USAGE : FERRYCTL_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i]))
      return run_doc (ctl, action, argc - 1, argv + 1);
  return ferryctl_usage_error (ctl, "unknown subcommand '%s'", action);
}
