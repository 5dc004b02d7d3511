/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-runs"

#include "config.h"

#include "ferryctl-format.h"
#include "ferryctl-collections.h"

/*
 * The run history `ferryctl collection show` prints after a collection's
 * fields (ListRuns): where the sync stands, then the last runs with the
 * time of each phase and their counts.
 */

#define RUNS_SHOWN 20

static const char * const phases[] = { "check", "push", "pull", "finish" };

static gint64
lookup_int (GVariant   *dict,
            const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value == NULL)
    return 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return 0;
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *text = NULL;

  if (!g_variant_lookup (dict, key, "&s", &text))
    return "";
  return text;
}

/* Every member of an a{sv} of strings and numbers, as JSON. */
static JsonNode *
dict_to_json (GVariant *dict)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GVariantIter iter;
  const char *key;
  GVariant *value;

  json_builder_begin_object (builder);
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      json_builder_set_member_name (builder, key);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
      else
        json_builder_add_int_value (builder, lookup_int (dict, key));
      g_variant_unref (value);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* "0.25 s" */
static char *
format_seconds (gint64 us)
{
  return g_strdup_printf ("%.2f s", (double) us / G_USEC_PER_SEC);
}

static void
print_run (GVariant *run,
           gint64    now)
{
  g_autofree char *when = ferryctl_format_when (lookup_int (run, "started"), now);
  g_autofree char *took = format_seconds (lookup_int (run, "finished") -
                                          lookup_int (run, "started"));
  GString *times = g_string_new (NULL);
  const char *error = lookup_string (run, "error");

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s-time", phases[i]);
      g_autofree char *seconds = format_seconds (lookup_int (run, key));

      g_string_append_printf (times, "%s%s %s", i > 0 ? ", " : "", phases[i], seconds);
    }
  g_print ("  %s (%s, %s): %s\n", when, lookup_string (run, "trigger"), took,
           lookup_string (run, "result"));
  g_print ("    pushed %" G_GINT64_FORMAT ", pulled %" G_GINT64_FORMAT ", failed %"
           G_GINT64_FORMAT ", conflicts %" G_GINT64_FORMAT "; %s\n",
           lookup_int (run, "pushed"), lookup_int (run, "pulled"), lookup_int (run, "failed"),
           lookup_int (run, "conflicts"), times->str);
  if (*error != '\0')
    g_print ("    error: %s\n", error);
  g_string_free (times, TRUE);
}

/**
 * ferryctl_fetch_runs:
 * @collection: a collection
 * @out_sync: (out): where its sync stands
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): its last runs, newest first
 */
GVariant *
ferryctl_fetch_runs (FerryCollection  *collection,
                     GVariant        **out_sync,
                     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_collection_list_runs_async (collection, RUNS_SHOWN, NULL, ferryctl_store_result_cb,
                                    &result);
  return ferry_collection_list_runs_finish (collection, ferryctl_wait (&result), out_sync,
                                            error);
}

/**
 * ferryctl_add_runs_to_json:
 * @object: a collection's JSON object
 * @runs: its runs
 * @sync: where its sync stands
 *
 * Adds endpoint, checkpoint and runs (an array of objects with
 * ListRuns' keys) to @object.
 */
void
ferryctl_add_runs_to_json (JsonObject *object,
                           GVariant   *runs,
                           GVariant   *sync)
{
  JsonArray *array = json_array_new ();
  GVariantIter iter;
  GVariant *run;

  json_object_set_string_member (object, "endpoint", lookup_string (sync, "endpoint"));
  json_object_set_string_member (object, "checkpoint", lookup_string (sync, "checkpoint"));
  g_variant_iter_init (&iter, runs);
  while ((run = g_variant_iter_next_value (&iter)) != NULL)
    {
      json_array_add_element (array, dict_to_json (run));
      g_variant_unref (run);
    }
  json_object_set_array_member (object, "runs", array);
}

/**
 * ferryctl_print_runs:
 * @runs: a collection's runs
 * @sync: where its sync stands
 *
 * Prints the endpoint, the checkpoint and the runs, newest first.
 */
void
ferryctl_print_runs (GVariant *runs,
                     GVariant *sync)
{
  gint64 now = g_get_real_time ();
  const char *checkpoint = lookup_string (sync, "checkpoint");
  GVariantIter iter;
  GVariant *run;

  g_print ("%-16s %s\n", "endpoint", lookup_string (sync, "endpoint"));
  g_print ("%-16s %s\n", "checkpoint", *checkpoint != '\0' ? checkpoint : "(none yet)");
  if (g_variant_n_children (runs) == 0)
    {
      g_print ("No runs yet.\n");
      return;
    }
  g_print ("Last runs:\n");
  g_variant_iter_init (&iter, runs);
  while ((run = g_variant_iter_next_value (&iter)) != NULL)
    {
      print_run (run, now);
      g_variant_unref (run);
    }
}
