/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-runs"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-args.h"
#include "ferry-collection-runs.h"

/*
 * A collection's ListRuns: the run history the store keeps and where the
 * sync stands, for the window's details and `ferryctl collection show`.
 * The endpoint is said without what may be secret in a URL (user name,
 * password, query, fragment); header values are never part of it.
 */

static const char * const phase_keys[FERRY_N_RUN_TIMES] = {
  [FERRY_RUN_TIME_CHECK] = "check-time",
  [FERRY_RUN_TIME_PUSH] = "push-time",
  [FERRY_RUN_TIME_PULL] = "pull-time",
  [FERRY_RUN_TIME_FINISH] = "finish-time",
};

/**
 * ferry_collection_runs_dup_endpoint:
 * @url: a collection's URL
 *
 * Returns: (transfer full): @url without user information, query and
 *   fragment; an empty string when it cannot be parsed
 */
char *
ferry_collection_runs_dup_endpoint (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strdup ("");
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

static GVariant *
run_to_variant (const FerryRunRecord *run)
{
  g_autoptr(GVariant) summary = g_variant_ref_sink (ferry_collection_args_summary (run, NULL));
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  /* The same keys as RunFinished's summary, and the run's own. */
  g_variant_iter_init (&iter, summary);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{sv}", "trigger",
                         g_variant_new_string (run->trigger != NULL ? run->trigger : ""));
  for (guint i = 0; i < FERRY_N_RUN_TIMES; i++)
    g_variant_builder_add (&builder, "{sv}", phase_keys[i],
                           g_variant_new_int64 (run->phase_us[i]));
  return g_variant_builder_end (&builder);
}

/**
 * ferry_collection_runs_list:
 * @manager: the engine's collections
 * @collection: the collection asked about, visible to the caller
 * @parameters: the call's `(u)` parameters
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the
 *   limit, or a store error
 *
 * Returns: (transfer floating) (nullable): the `(aa{sv}a{sv})` reply
 */
GVariant *
ferry_collection_runs_list (FerryCollectionManager  *manager,
                            FerryCollection         *collection,
                            GVariant                *parameters,
                            GError                 **error)
{
  FerryCollectionStore *store = ferry_collection_manager_get_store (manager);
  FerryCollectionConfig *config = ferry_collection_get_config (collection);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(FerrySyncInfo) info = NULL;
  g_autofree char *endpoint = NULL;
  GVariantBuilder list;
  GVariantBuilder sync;
  guint limit = 0;

  g_variant_get (parameters, "(u)", &limit);
  if (limit < 1 || limit > FERRY_COLLECTION_RUNS_MAX_LIMIT)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "limit: must be 1 to %d, not %u", FERRY_COLLECTION_RUNS_MAX_LIMIT, limit);
      return NULL;
    }
  runs = ferry_collection_store_list_runs (store, config->id, limit, error);
  if (runs == NULL)
    return NULL;
  info = ferry_collection_store_dup_sync_info (store, config->id, error);
  if (info == NULL)
    return NULL;

  g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < runs->len; i++)
    g_variant_builder_add_value (&list, run_to_variant (g_ptr_array_index (runs, i)));

  endpoint = ferry_collection_runs_dup_endpoint (config->url != NULL ? config->url : "");
  g_variant_builder_init (&sync, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&sync, "{sv}", "endpoint", g_variant_new_string (endpoint));
  g_variant_builder_add (&sync, "{sv}", "checkpoint",
                         g_variant_new_string (info->checkpoint != NULL &&
                                               g_utf8_validate (info->checkpoint, -1, NULL)
                                               ? info->checkpoint : ""));
  g_variant_builder_add (&sync, "{sv}", "local-seq", g_variant_new_int64 (info->local_seq));
  return g_variant_new ("(aa{sv}a{sv})", &list, &sync);
}
