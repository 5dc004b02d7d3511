/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json-merge"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-json-merge.h"

/* The three-way merge as a table: base, local, remote (NULL: absent),
 * rules, the merged document expected (compact, as json-glib writes it)
 * and the conflicting pointers, space-separated. */
typedef struct
{
  const char *what;
  const char *base;
  const char *local;
  const char *remote;
  const char *rules[5];
  const char *merged;
  const char *conflicts;
} Row;

static const Row rows[] = {
  { "nothing changed",
    "{\"a\":1}", "{\"a\":1}", "{\"a\":1}", { NULL }, "{\"a\":1}", "" },
  { "only local changed",
    "{\"a\":1,\"b\":2}", "{\"a\":5,\"b\":2}", "{\"a\":1,\"b\":2}", { NULL },
    "{\"a\":5,\"b\":2}", "" },
  { "only remote changed",
    "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":7}", { NULL },
    "{\"a\":1,\"b\":7}", "" },
  { "different members combine",
    "{\"title\":\"t\",\"body\":\"b\"}", "{\"title\":\"T2\",\"body\":\"b\"}",
    "{\"title\":\"t\",\"body\":\"B2\"}", { NULL },
    "{\"title\":\"T2\",\"body\":\"B2\"}", "" },
  { "same change both ways",
    "{\"a\":1}", "{\"a\":2}", "{\"a\":2}", { NULL }, "{\"a\":2}", "" },
  { "same member changed differently",
    "{\"a\":1,\"b\":1}", "{\"a\":2,\"b\":1}", "{\"a\":3,\"b\":1}", { NULL },
    "{\"a\":2,\"b\":1}", "/a" },
  { "a rule takes the remote side",
    "{\"a\":1}", "{\"a\":2}", "{\"a\":3}", { "/a", "remote", NULL },
    "{\"a\":3}", "" },
  { "a rule takes the local side",
    "{\"a\":1}", "{\"a\":2}", "{\"a\":3}", { "/a", "local", NULL }, "{\"a\":2}", "" },
  { "a rule for another member leaves the conflict",
    "{\"a\":1}", "{\"a\":2}", "{\"a\":3}", { "/b", "local", NULL }, "{\"a\":2}", "/a" },
  { "nested objects merge deeper",
    "{\"o\":{\"x\":1,\"y\":1}}", "{\"o\":{\"x\":2,\"y\":1}}", "{\"o\":{\"x\":1,\"y\":2}}",
    { NULL }, "{\"o\":{\"x\":2,\"y\":2}}", "" },
  { "nested conflict has a deep pointer",
    "{\"o\":{\"x\":1}}", "{\"o\":{\"x\":2}}", "{\"o\":{\"x\":3}}", { NULL },
    "{\"o\":{\"x\":2}}", "/o/x" },
  { "deep rule",
    "{\"o\":{\"x\":1}}", "{\"o\":{\"x\":2}}", "{\"o\":{\"x\":3}}", { "/o/x", "remote", NULL },
    "{\"o\":{\"x\":3}}", "" },
  { "local delete of an unchanged member",
    "{\"a\":1,\"b\":2}", "{\"b\":2}", "{\"a\":1,\"b\":3}", { NULL }, "{\"b\":3}", "" },
  { "remote delete of an unchanged member",
    "{\"a\":1,\"b\":2}", "{\"a\":9,\"b\":2}", "{\"a\":9}", { NULL }, "{\"a\":9}", "" },
  { "delete on one side, change on the other",
    "{\"a\":1}", "{}", "{\"a\":2}", { NULL }, "{}", "/a" },
  { "deleted on both sides",
    "{\"a\":1,\"b\":1}", "{\"b\":1}", "{\"b\":1}", { NULL }, "{\"b\":1}", "" },
  { "added on both sides, same value",
    "{}", "{\"n\":1}", "{\"n\":1}", { NULL }, "{\"n\":1}", "" },
  { "added on both sides, different values",
    "{}", "{\"n\":1}", "{\"n\":2}", { NULL }, "{\"n\":1}", "/n" },
  { "added on one side each",
    "{}", "{\"l\":1}", "{\"r\":2}", { NULL }, "{\"l\":1,\"r\":2}", "" },
  { "type change on one side",
    "{\"a\":1}", "{\"a\":\"one\"}", "{\"a\":1}", { NULL }, "{\"a\":\"one\"}", "" },
  { "object against scalar is a conflict",
    "{\"a\":1}", "{\"a\":{\"x\":1}}", "{\"a\":2}", { NULL }, "{\"a\":{\"x\":1}}", "/a" },
  { "nulls are values",
    "{\"a\":1}", "{\"a\":null}", "{\"a\":1}", { NULL }, "{\"a\":null}", "" },
  { "null against a change",
    "{\"a\":1}", "{\"a\":null}", "{\"a\":2}", { NULL }, "{\"a\":null}", "/a" },
  { "arrays are values, changed on one side",
    "{\"t\":[1,2]}", "{\"t\":[1,2,3]}", "{\"t\":[1,2]}", { NULL }, "{\"t\":[1,2,3]}", "" },
  { "arrays are values, changed on both",
    "{\"t\":[1,2]}", "{\"t\":[1,2,3]}", "{\"t\":[0,1,2]}", { NULL }, "{\"t\":[1,2,3]}", "/t" },
  { "unicode keys and pointer escapes",
    "{\"é/ü~\":1,\"日本\":1}", "{\"é/ü~\":2,\"日本\":1}", "{\"é/ü~\":3,\"日本\":5}", { NULL },
    "{\"é/ü~\":2,\"日本\":5}", "/é~1ü~0" },
  { "empty documents",
    "{}", "{}", "{}", { NULL }, "{}", "" },
  { "no base: agreeing members are kept",
    NULL, "{\"a\":1,\"b\":2}", "{\"a\":1,\"c\":3}", { NULL }, "{\"a\":1,\"b\":2,\"c\":3}", "" },
  { "no base: disagreeing members conflict",
    NULL, "{\"a\":1}", "{\"a\":2}", { NULL }, "{\"a\":1}", "/a" },
  { "non-object roots, one side changed",
    "1", "2", "1", { NULL }, "2", "" },
  { "array roots, both changed",
    "[1]", "[2]", "[3]", { "", "remote", NULL }, "[3]", "" },
  { "root replaced by an array on one side",
    "{\"a\":1}", "[1]", "{\"a\":1}", { NULL }, "[1]", "" },
};

static char *
join (GPtrArray *strings)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (strings, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GBytes *
bytes_or_null (const char *text)
{
  return text != NULL ? g_bytes_new_static (text, strlen (text)) : NULL;
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const Row *row = &rows[i];
      g_autoptr(GBytes) base = bytes_or_null (row->base);
      g_autoptr(GBytes) local = bytes_or_null (row->local);
      g_autoptr(GBytes) remote = bytes_or_null (row->remote);
      g_autoptr(FerryMergeResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *conflicts = NULL;
      g_autofree char *merged = NULL;

      g_test_message ("%s", row->what);
      result = ferry_json_merge (base, local, remote, row->rules[0] != NULL ? row->rules : NULL,
                                 &error);
      g_assert_no_error (error);
      merged = g_strndup (g_bytes_get_data (result->merged, NULL),
                          g_bytes_get_size (result->merged));
      conflicts = join (result->conflicts);
      g_assert_cmpstr (merged, ==, row->merged);
      g_assert_cmpstr (conflicts, ==, row->conflicts);
    }
}

/* A changed root on both sides with no rule is one conflict at "". */
static void
test_root_conflict (void)
{
  g_autoptr(GBytes) base = g_bytes_new_static ("\"x\"", 3);
  g_autoptr(GBytes) local = g_bytes_new_static ("\"y\"", 3);
  g_autoptr(GBytes) remote = g_bytes_new_static ("\"z\"", 3);
  g_autoptr(FerryMergeResult) result = ferry_json_merge (base, local, remote, NULL, NULL);

  g_assert_nonnull (result);
  g_assert_cmpuint (result->conflicts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->conflicts, 0), ==, "");
}

static void
test_invalid (void)
{
  static const struct { const char *base, *local, *remote, *field; } bad[] = {
    { "{", "{}", "{}", "base" },
    { "{}", "{\"a\":}", "{}", "local" },
    { "{}", "{}", "nope", "remote" },
    { "{}", "", "{}", "local" },
    { "{}", "{}", "", "remote" },
    { "{}", "{}", "\xff\xfe", "remote" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) base = bytes_or_null (bad[i].base);
      g_autoptr(GBytes) local = bytes_or_null (bad[i].local);
      g_autoptr(GBytes) remote = bytes_or_null (bad[i].remote);
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryMergeResult) result = ferry_json_merge (base, local, remote, NULL, &error);

      g_assert_null (result);
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, bad[i].field));
    }
}

/* Documents nested deeper than the merge recurses are compared whole. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) local = g_string_new (NULL);
  g_autoptr(GString) remote = g_string_new (NULL);
  g_autoptr(GBytes) l = NULL;
  g_autoptr(GBytes) r = NULL;
  g_autoptr(FerryMergeResult) result = NULL;

  for (guint i = 0; i < 400; i++)
    {
      g_string_append (local, "{\"k\":");
      g_string_append (remote, "{\"k\":");
    }
  g_string_append (local, "1");
  g_string_append (remote, "2");
  for (guint i = 0; i < 400; i++)
    {
      g_string_append_c (local, '}');
      g_string_append_c (remote, '}');
    }
  l = g_bytes_new (local->str, local->len);
  r = g_bytes_new (remote->str, remote->len);
  result = ferry_json_merge (NULL, l, r, NULL, NULL);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->conflicts->len, ==, 1);
}

static void
test_pointer (void)
{
  g_autoptr(GBytes) doc = NULL;
  static const char json[] =
    "{\"updated_at\":\"2026-11-22T10:00:00Z\",\"n\":5,\"f\":1.5,\"o\":{\"a/b\":{\"c~\":\"deep\"}}}";
  static const struct { const char *pointer, *value; } rows_[] = {
    { "/updated_at", "2026-11-22T10:00:00Z" },
    { "/n", "5" },
    { "/f", "1.5" },
    { "/o/a~1b/c~0", "deep" },
    { "/missing", NULL },
    { "/o/missing/x", NULL },
    { "/o", NULL },
    { "no-slash", NULL },
  };

  doc = g_bytes_new_static (json, strlen (json));
  for (guint i = 0; i < G_N_ELEMENTS (rows_); i++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (ferry_json_get_pointer (doc, rows_[i].pointer, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, rows_[i].value);
    }
  {
    g_autoptr(GBytes) bad = g_bytes_new_static ("{", 1);
    g_autofree char *value = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (ferry_json_get_pointer (bad, "/a", &value, &error));
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add_func ("/engine/json-merge/table", test_table);
  g_test_add_func ("/engine/json-merge/root-conflict", test_root_conflict);
  g_test_add_func ("/engine/json-merge/invalid", test_invalid);
  g_test_add_func ("/engine/json-merge/deep-nesting", test_deep_nesting);
  g_test_add_func ("/engine/json-merge/pointer", test_pointer);

  return g_test_run ();
}
