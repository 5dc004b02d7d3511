/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-collection-args.h"
#include "ferry-collection-runs.h"
#include "ferry-error.h"

/*
 * What ferryd reads from AddCollection and List, and who may use a
 * collection: every key checked for its type, unknown keys and missing
 * ones refused with an error naming them; a sandboxed app finds no
 * collection but its own.
 */

static GVariant *
config_with (const char *key,
             GVariant   *value)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&builder, "{sv}", "protocol", g_variant_new_string ("couchdb"));
  g_variant_builder_add (&builder, "{sv}", "url",
                         g_variant_new_string ("http://127.0.0.1:5984/notes"));
  if (key != NULL)
    g_variant_builder_add (&builder, "{sv}", key, value);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
assert_refused (const char *key,
                GVariant   *value,
                const char *named)
{
  g_autoptr(GVariant) config = config_with (key, value);
  g_autoptr(FerryCollectionConfig) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  parsed = ferry_collection_args_parse_config (config, &app_id, &error);
  if (parsed != NULL)
    {
      /* ferryd names the owner from the caller. */
      parsed->owner = g_strdup ("org.example.Notes");
      ferry_collection_config_validate (parsed, &error);
    }
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, named));
}

static void
test_config (void)
{
  g_autoptr(GVariant) config = NULL;
  g_autoptr(FerryCollectionConfig) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;
  GVariantBuilder headers;

  g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&headers, "{ss}", "Authorization", "Bearer secret");
  config = config_with ("headers", g_variant_builder_end (&headers));
  parsed = ferry_collection_args_parse_config (config, &app_id, &error);
  g_assert_no_error (error);
  parsed->owner = g_strdup ("org.example.Notes");
  g_assert_true (ferry_collection_config_validate (parsed, &error));
  g_assert_cmpstr (parsed->name, ==, "notes");
  g_assert_cmpint (parsed->protocol, ==, FERRY_PROTOCOL_COUCHDB);
  g_assert_cmpstrv (parsed->headers, ((const char * const[]) { "Authorization",
                                                               "Bearer secret", NULL }));
  g_assert_cmpuint (parsed->interval, ==, FERRY_COLLECTION_DEFAULT_INTERVAL);
  g_assert_cmpint (parsed->conflict_strategy, ==, FERRY_CONFLICT_MERGE);
  g_assert_null (app_id);

  assert_refused ("colour", g_variant_new_string ("red"), "colour");
  assert_refused ("live", g_variant_new_string ("yes"), "live");
  assert_refused ("protocol", g_variant_new_string ("gopher"), "protocol");
  assert_refused ("direction", g_variant_new_string ("up"), "direction");
  assert_refused ("conflict-strategy", g_variant_new_string ("coin"), "conflict-strategy");
  assert_refused ("url", g_variant_new_string ("file:///etc/passwd"), "url");
  assert_refused ("batch-limit", g_variant_new_uint32 (5000), "batch");
  assert_refused ("name", g_variant_new_string (""), "name");
}

static void
test_missing (void)
{
  g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"),
                                                                       NULL, 0));
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  g_assert_null (ferry_collection_args_parse_config (empty, &app_id, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "name"));
}

static void
test_filter (void)
{
  g_autoptr(GVariant) good = g_variant_ref_sink (g_variant_new_parsed (
    "{'dirty': <true>, 'bodies': <true>}"));
  g_autoptr(GVariant) bad = g_variant_ref_sink (g_variant_new_parsed ("{'dirty': <1>}"));
  g_autoptr(GError) error = NULL;
  FerryDocumentFilter filter;

  g_assert_true (ferry_collection_args_parse_filter (good, &filter, &error));
  g_assert_true (filter.dirty_only && filter.with_bodies && !filter.conflict_only);
  g_assert_false (ferry_collection_args_parse_filter (bad, &filter, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
}

static void
test_access (void)
{
  g_autoptr(FerryCaller) sandboxed = ferry_caller_new (":1.5", 5, "org.example.Notes", TRUE);
  g_autoptr(FerryCaller) other = ferry_caller_new (":1.6", 6, "org.example.Other", TRUE);
  g_autoptr(FerryCaller) host = ferry_caller_new (":1.7", 7, "ferryctl", FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_collection_args_check_access (sandboxed, "org.example.Notes", &error));
  g_assert_true (ferry_collection_args_check_access (host, "org.example.Notes", &error));
  g_assert_no_error (error);
  /* Another app's collection does not exist for a sandboxed app. */
  g_assert_false (ferry_collection_args_check_access (other, "org.example.Notes", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
}

/* What ListRuns says of the server: never its credentials or query. */
static void
test_endpoint (void)
{
  struct { const char *url; const char *endpoint; } rows[] = {
    { "https://db.example.com/notes", "https://db.example.com/notes" },
    { "https://ann:s3cret@db.example.com:6984/notes", "https://db.example.com:6984/notes" },
    { "http://127.0.0.1:5984/notes?key=s3cret#part", "http://127.0.0.1:5984/notes" },
    { "not a url", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *endpoint = ferry_collection_runs_dup_endpoint (rows[i].url);

      g_assert_cmpstr (endpoint, ==, rows[i].endpoint);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/daemon/collection-args/config", test_config);
  g_test_add_func ("/daemon/collection-args/missing", test_missing);
  g_test_add_func ("/daemon/collection-args/filter", test_filter);
  g_test_add_func ("/daemon/collection-args/access", test_access);
  g_test_add_func ("/daemon/collection-args/endpoint", test_endpoint);

  return g_test_run ();
}
