/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-args"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-caller.h"

#include "ferry-collection-args.h"

/*
 * The dictionaries of io.github.ferrysync.Ferry1.Collection and
 * AddCollection: a collection's configuration read from one (every key
 * checked for its type, unknown keys refused), documents and run
 * summaries written as one.
 */

typedef enum {
  KEY_NAME,
  KEY_PROTOCOL,
  KEY_URL,
  KEY_HEADERS,
  KEY_SECRET_HEADERS,
  KEY_DIRECTION,
  KEY_INTERVAL,
  KEY_LIVE,
  KEY_CONFLICT_STRATEGY,
  KEY_MERGE_RULES,
  KEY_TIMESTAMP_POINTER,
  KEY_BATCH_LIMIT,
  KEY_APP_ID,
} ConfigKey;

static const struct
{
  const char *name;
  const char *type;
} config_keys[] = {
  [KEY_NAME] = { "name", "s" },
  [KEY_PROTOCOL] = { "protocol", "s" },
  [KEY_URL] = { "url", "s" },
  [KEY_HEADERS] = { "headers", "a{ss}" },
  [KEY_SECRET_HEADERS] = { "secret-headers", "as" },
  [KEY_DIRECTION] = { "direction", "s" },
  [KEY_INTERVAL] = { "interval", "u" },
  [KEY_LIVE] = { "live", "b" },
  [KEY_CONFLICT_STRATEGY] = { "conflict-strategy", "s" },
  [KEY_MERGE_RULES] = { "merge-rules", "a{ss}" },
  [KEY_TIMESTAMP_POINTER] = { "timestamp-pointer", "s" },
  [KEY_BATCH_LIMIT] = { "batch-limit", "u" },
  [KEY_APP_ID] = { "app-id", "s" },
};

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* a{ss} as flat name/value pairs. */
static char **
flat_pairs (GVariant *dict)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GVariantIter iter;
  const char *name, *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    {
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static gboolean
take_value (FerryCollectionConfig  *config,
            ConfigKey               key,
            GVariant               *value,
            char                  **out_app_id,
            GError                **error)
{
  const char *text = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                     ? g_variant_get_string (value, NULL) : NULL;

  switch (key)
    {
    case KEY_NAME:
      g_free (config->name);
      config->name = g_strdup (text);
      return TRUE;
    case KEY_PROTOCOL:
      return ferry_protocol_from_string (text, &config->protocol) ||
             invalid (error, "protocol: “%s” is not couchdb or rest", text);
    case KEY_URL:
      g_free (config->url);
      config->url = g_strdup (text);
      return TRUE;
    case KEY_HEADERS:
      g_strfreev (config->headers);
      config->headers = flat_pairs (value);
      return TRUE;
    case KEY_SECRET_HEADERS:
      g_strfreev (config->secret_headers);
      config->secret_headers = g_variant_dup_strv (value, NULL);
      return TRUE;
    case KEY_DIRECTION:
      return ferry_direction_from_string (text, &config->direction) ||
             invalid (error, "direction: “%s” is not both, push or pull", text);
    case KEY_INTERVAL:
      config->interval = g_variant_get_uint32 (value);
      return TRUE;
    case KEY_LIVE:
      config->live = g_variant_get_boolean (value);
      return TRUE;
    case KEY_CONFLICT_STRATEGY:
      return ferry_conflict_strategy_from_string (text, &config->conflict_strategy) ||
             invalid (error, "conflict-strategy: “%s” is not a strategy", text);
    case KEY_MERGE_RULES:
      g_strfreev (config->merge_rules);
      config->merge_rules = flat_pairs (value);
      return TRUE;
    case KEY_TIMESTAMP_POINTER:
      g_free (config->timestamp_pointer);
      config->timestamp_pointer = g_strdup (text);
      return TRUE;
    case KEY_BATCH_LIMIT:
      config->batch_limit = g_variant_get_uint32 (value);
      return TRUE;
    case KEY_APP_ID:
    default:
      g_free (*out_app_id);
      *out_app_id = g_strdup (text);
      return TRUE;
    }
}

/**
 * ferry_collection_args_parse_config:
 * @config: an a{sv} as AddCollection takes it
 * @out_app_id: (out) (transfer full): the app-id key, %NULL without one
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the
 *   key and what is wrong
 *
 * Reads the keys; the configuration's own checks come after
 * (ferry_collection_config_validate()).
 *
 * Returns: (transfer full) (nullable): the configuration, without owner
 */
FerryCollectionConfig *
ferry_collection_args_parse_config (GVariant  *config,
                                    char     **out_app_id,
                                    GError   **error)
{
  g_autoptr(FerryCollectionConfig) parsed = ferry_collection_config_new ();
  g_autofree char *app_id = NULL;
  gboolean seen[G_N_ELEMENTS (config_keys)] = { FALSE, };
  GVariantIter iter;
  const char *key;
  GVariant *boxed;

  g_return_val_if_fail (g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT), NULL);

  parsed->interval = FERRY_COLLECTION_DEFAULT_INTERVAL;
  parsed->batch_limit = FERRY_COLLECTION_MAX_BATCH;
  parsed->conflict_strategy = FERRY_CONFLICT_MERGE;
  parsed->created = g_get_real_time ();
  g_variant_iter_init (&iter, config);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &boxed))
    {
      g_autoptr(GVariant) value = boxed;
      guint k;

      for (k = 0; k < G_N_ELEMENTS (config_keys); k++)
        if (g_str_equal (config_keys[k].name, key))
          break;
      if (k == G_N_ELEMENTS (config_keys))
        {
          invalid (error, "config: unknown key “%s”",
                   g_utf8_validate (key, -1, NULL) ? key : "(invalid UTF-8)");
          return NULL;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (config_keys[k].type)))
        {
          invalid (error, "%s: must be of type %s, not %s", key, config_keys[k].type,
                   g_variant_get_type_string (value));
          return NULL;
        }
      if (!take_value (parsed, k, value, &app_id, error))
        return NULL;
      seen[k] = TRUE;
    }
  if (parsed->name == NULL)
    {
      invalid (error, "name: missing");
      return NULL;
    }
  if (parsed->url == NULL)
    {
      invalid (error, "url: missing");
      return NULL;
    }
  if (!seen[KEY_PROTOCOL])
    {
      invalid (error, "protocol: missing");
      return NULL;
    }
  *out_app_id = g_steal_pointer (&app_id);
  return g_steal_pointer (&parsed);
}

/**
 * ferry_collection_args_parse_filter:
 * @filter: an a{sv} as List takes it
 * @out_filter: (out): the filter
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Returns: whether every key is known and a boolean
 */
gboolean
ferry_collection_args_parse_filter (GVariant             *filter,
                                    FerryDocumentFilter  *out_filter,
                                    GError              **error)
{
  static const char * const names[] = { "dirty", "conflict", "failed", "deleted", "bodies" };
  gboolean *fields[] = {
    &out_filter->dirty_only, &out_filter->conflict_only, &out_filter->failed_only,
    &out_filter->with_deleted, &out_filter->with_bodies,
  };
  GVariantIter iter;
  const char *key;
  GVariant *boxed;

  memset (out_filter, 0, sizeof *out_filter);
  g_variant_iter_init (&iter, filter);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &boxed))
    {
      g_autoptr(GVariant) value = boxed;
      guint k;

      for (k = 0; k < G_N_ELEMENTS (names); k++)
        if (g_str_equal (names[k], key))
          break;
      if (k == G_N_ELEMENTS (names))
        return invalid (error, "filter: unknown key “%s”",
                        g_utf8_validate (key, -1, NULL) ? key : "(invalid UTF-8)");
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return invalid (error, "filter: %s must be a boolean", key);
      *fields[k] = g_variant_get_boolean (value);
    }
  return TRUE;
}

static void
add_text (GVariantBuilder *builder,
          const char      *key,
          GBytes          *bytes)
{
  g_autofree char *text = NULL;

  if (bytes == NULL)
    return;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (text));
}

/**
 * ferry_collection_args_document:
 * @doc: a document
 * @bodies: include the bodies
 *
 * Returns: (transfer floating): the document dictionary
 */
GVariant *
ferry_collection_args_document (const FerryDocument *doc,
                                gboolean             bodies)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (doc->id));
  g_variant_builder_add (&builder, "{sv}", "seq", g_variant_new_int64 (doc->seq));
  g_variant_builder_add (&builder, "{sv}", "deleted", g_variant_new_boolean (doc->deleted));
  g_variant_builder_add (&builder, "{sv}", "dirty", g_variant_new_boolean (doc->dirty));
  g_variant_builder_add (&builder, "{sv}", "conflict", g_variant_new_boolean (doc->conflict));
  g_variant_builder_add (&builder, "{sv}", "updated", g_variant_new_int64 (doc->updated));
  if (doc->failed_reason != NULL)
    g_variant_builder_add (&builder, "{sv}", "failed-reason",
                           g_variant_new_string (doc->failed_reason));
  if (doc->conflict_reason != NULL)
    g_variant_builder_add (&builder, "{sv}", "conflict-reason",
                           g_variant_new_string (doc->conflict_reason));
  if (bodies)
    {
      add_text (&builder, "body", doc->body);
      add_text (&builder, "base", doc->base);
      add_text (&builder, "remote", doc->remote);
    }
  return g_variant_builder_end (&builder);
}

/**
 * ferry_collection_args_summary:
 * @record: (nullable): a run's record
 * @error: (nullable): why the run failed, when there is no record
 *
 * Returns: (transfer floating): the RunFinished summary
 */
GVariant *
ferry_collection_args_summary (const FerryRunRecord *record,
                               const char           *error)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (record == NULL)
    {
      g_variant_builder_add (&builder, "{sv}", "result", g_variant_new_string ("error"));
      g_variant_builder_add (&builder, "{sv}", "error",
                             g_variant_new_string (error != NULL ? error : ""));
      return g_variant_builder_end (&builder);
    }
  g_variant_builder_add (&builder, "{sv}", "result",
                         g_variant_new_string (record->result != NULL ? record->result : "ok"));
  if (record->error != NULL)
    g_variant_builder_add (&builder, "{sv}", "error", g_variant_new_string (record->error));
  g_variant_builder_add (&builder, "{sv}", "pushed", g_variant_new_uint32 (record->pushed));
  g_variant_builder_add (&builder, "{sv}", "pulled", g_variant_new_uint32 (record->pulled));
  g_variant_builder_add (&builder, "{sv}", "failed", g_variant_new_uint32 (record->failed));
  g_variant_builder_add (&builder, "{sv}", "conflicts",
                         g_variant_new_uint32 (record->conflicts));
  g_variant_builder_add (&builder, "{sv}", "requests", g_variant_new_uint32 (record->requests));
  g_variant_builder_add (&builder, "{sv}", "bytes-sent",
                         g_variant_new_int64 ((gint64) record->bytes_sent));
  g_variant_builder_add (&builder, "{sv}", "bytes-received",
                         g_variant_new_int64 ((gint64) record->bytes_received));
  g_variant_builder_add (&builder, "{sv}", "started", g_variant_new_int64 (record->started));
  g_variant_builder_add (&builder, "{sv}", "finished", g_variant_new_int64 (record->finished));
  return g_variant_builder_end (&builder);
}

/**
 * ferry_collection_args_check_access:
 * @caller: who calls
 * @owner: the app a collection belongs to
 * @error: return location for a %FERRY_ERROR_NOT_FOUND
 *
 * A sandboxed app sees its own collections only (another app's do not
 * exist for it); unsandboxed callers see every one.
 *
 * Returns: whether @caller may see and use the collection
 */
gboolean
ferry_collection_args_check_access (const FerryCaller  *caller,
                                    const char         *owner,
                                    GError            **error)
{
  g_return_val_if_fail (caller != NULL, FALSE);

  if (!caller->sandboxed || ferry_caller_is_owner (caller, owner))
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "collection: no such collection");
  return FALSE;
}
