/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-conflict-model.h"

/* The member-by-member comparison behind the conflict window, and the
 * document the choices make.  No display. */

static GBytes *
bytes (const char *text)
{
  return text != NULL ? g_bytes_new (text, strlen (text)) : NULL;
}

static FerryConflictModel *
model_new (const char *base,
           const char *mine,
           const char *server)
{
  g_autoptr(GBytes) base_bytes = bytes (base);
  g_autoptr(GBytes) mine_bytes = bytes (mine);
  g_autoptr(GBytes) server_bytes = bytes (server);
  g_autoptr(GError) error = NULL;
  FerryConflictModel *model;

  model = ferry_conflict_model_new (base_bytes, mine_bytes, server_bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

static guint
member (FerryConflictModel *model,
        const char         *name)
{
  int index = ferry_conflict_model_find (model, name);

  if (index < 0)
    g_error ("No member “%s”", name);
  return (guint) index;
}

static void
assert_row (FerryConflictModel  *model,
            const char          *name,
            FerryConflictChange  change,
            FerryConflictSide    choice)
{
  guint index = member (model, name);

  g_assert_cmpstr (ferry_conflict_model_get_name (model, index), ==, name);
  g_assert_cmpint (ferry_conflict_model_get_change (model, index), ==, change);
  g_assert_cmpint (ferry_conflict_model_get_choice (model, index), ==, choice);
}

static void
assert_text (FerryConflictModel *model,
             const char         *name,
             FerryConflictSide   side,
             const char         *expected)
{
  g_autofree char *text = ferry_conflict_model_dup_text (model, member (model, name), side);

  g_assert_cmpstr (text, ==, expected);
}

/* The result, compared as JSON with @expected. */
static void
assert_result (FerryConflictModel *model,
               const char         *expected)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) document_parser = json_parser_new ();
  g_autoptr(JsonNode) result = ferry_conflict_model_dup_result (model);
  g_autofree char *document = ferry_conflict_model_dup_document (model);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, expected, -1, &error);
  g_assert_no_error (error);
  if (!json_node_equal (result, json_parser_get_root (parser)))
    {
      g_autofree char *got = json_to_string (result, FALSE);

      g_error ("The result is %s, not %s", got, expected);
    }

  /* The text sent is the same document. */
  json_parser_load_from_data (document_parser, document, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (result, json_parser_get_root (document_parser)));
}

/* A member changed on one side takes that side; the others need no
 * choice. */
static void
test_one_side_changes (void)
{
  g_autoptr(FerryConflictModel) model = NULL;

  model = model_new ("{\"title\":\"Groceries\",\"done\":false,\"count\":1}",
                     "{\"title\":\"Groceries!\",\"done\":false,\"count\":1}",
                     "{\"title\":\"Groceries\",\"done\":true,\"count\":1}");

  g_assert_true (ferry_conflict_model_get_has_base (model));
  g_assert_cmpuint (ferry_conflict_model_get_n_members (model), ==, 3);
  assert_row (model, "title", FERRY_CONFLICT_CHANGE_MINE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "done", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  assert_row (model, "count", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);

  assert_text (model, "title", FERRY_CONFLICT_SIDE_BASE, "\"Groceries\"");
  assert_text (model, "title", FERRY_CONFLICT_SIDE_MINE, "\"Groceries!\"");
  assert_text (model, "done", FERRY_CONFLICT_SIDE_SERVER, "true");

  assert_result (model, "{\"title\":\"Groceries!\",\"done\":true,\"count\":1}");
}

/* Changed on both sides, differently: mine until chosen otherwise; the
 * same change on both sides is no conflict. */
static void
test_both_sides_change (void)
{
  g_autoptr(FerryConflictModel) model = NULL;
  guint title;

  model = model_new ("{\"title\":\"a\",\"tag\":\"x\",\"n\":1}",
                     "{\"title\":\"mine\",\"tag\":\"y\",\"n\":1}",
                     "{\"title\":\"theirs\",\"tag\":\"y\",\"n\":1}");

  assert_row (model, "title", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "tag", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);
  assert_result (model, "{\"title\":\"mine\",\"tag\":\"y\",\"n\":1}");

  title = member (model, "title");
  ferry_conflict_model_set_choice (model, title, FERRY_CONFLICT_SIDE_SERVER);
  g_assert_cmpint (ferry_conflict_model_get_choice (model, title), ==,
                   FERRY_CONFLICT_SIDE_SERVER);
  assert_result (model, "{\"title\":\"theirs\",\"tag\":\"y\",\"n\":1}");

  ferry_conflict_model_set_choice (model, title, FERRY_CONFLICT_SIDE_MINE);
  assert_result (model, "{\"title\":\"mine\",\"tag\":\"y\",\"n\":1}");
}

/* A member deleted on one side: "(none)" there, and choosing that side
 * leaves it out. */
static void
test_deletions (void)
{
  g_autoptr(FerryConflictModel) model = NULL;
  g_autofree char *absent = NULL;

  model = model_new ("{\"a\":1,\"b\":2,\"c\":3}",
                     "{\"a\":1,\"c\":3}",
                     "{\"a\":1,\"b\":2}");

  assert_row (model, "b", FERRY_CONFLICT_CHANGE_MINE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "c", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  absent = ferry_conflict_model_dup_text (model, member (model, "b"), FERRY_CONFLICT_SIDE_MINE);
  g_assert_null (absent);
  g_assert_null (ferry_conflict_model_get_value (model, member (model, "c"),
                                                 FERRY_CONFLICT_SIDE_SERVER));
  /* Both deletions kept. */
  assert_result (model, "{\"a\":1}");

  ferry_conflict_model_set_choice (model, member (model, "b"), FERRY_CONFLICT_SIDE_SERVER);
  ferry_conflict_model_set_choice (model, member (model, "c"), FERRY_CONFLICT_SIDE_MINE);
  assert_result (model, "{\"a\":1,\"b\":2,\"c\":3}");

  /* Deleted on one side, changed on the other: both changed. */
  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new ("{\"a\":1}", "{}", "{\"a\":2}");
  assert_row (model, "a", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
  assert_result (model, "{}");
  ferry_conflict_model_set_choice (model, 0, FERRY_CONFLICT_SIDE_SERVER);
  assert_result (model, "{\"a\":2}");

  /* Deleted on both sides: listed, nothing to choose, stays deleted. */
  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new ("{\"a\":1,\"gone\":true}", "{\"a\":2}", "{\"a\":1}");
  assert_row (model, "gone", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);
  assert_text (model, "gone", FERRY_CONFLICT_SIDE_BASE, "true");
  assert_result (model, "{\"a\":2}");
}

/* Members added on either side come in; mine first, in my order. */
static void
test_additions (void)
{
  g_autoptr(FerryConflictModel) model = NULL;
  g_autofree char *document = NULL;

  model = model_new ("{\"a\":1}",
                     "{\"mine\":\"m\",\"a\":1}",
                     "{\"a\":1,\"theirs\":\"t\"}");

  g_assert_cmpuint (ferry_conflict_model_get_n_members (model), ==, 3);
  g_assert_cmpstr (ferry_conflict_model_get_name (model, 0), ==, "mine");
  g_assert_cmpstr (ferry_conflict_model_get_name (model, 1), ==, "a");
  g_assert_cmpstr (ferry_conflict_model_get_name (model, 2), ==, "theirs");
  assert_row (model, "mine", FERRY_CONFLICT_CHANGE_MINE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "theirs", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  g_assert_null (ferry_conflict_model_get_value (model, member (model, "theirs"),
                                                 FERRY_CONFLICT_SIDE_BASE));
  assert_result (model, "{\"mine\":\"m\",\"a\":1,\"theirs\":\"t\"}");

  /* Pretty, two spaces, members in order. */
  document = ferry_conflict_model_dup_document (model);
  g_assert_cmpstr (document, ==,
                   "{\n  \"mine\" : \"m\",\n  \"a\" : 1,\n  \"theirs\" : \"t\"\n}");

  /* The same member added differently on both sides. */
  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new ("{}", "{\"x\":1}", "{\"x\":2}");
  assert_row (model, "x", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
}

/* Nested objects and arrays are one member each, shown as compact JSON,
 * compared by value. */
static void
test_nested_objects (void)
{
  g_autoptr(FerryConflictModel) model = NULL;

  model = model_new ("{\"meta\":{\"color\":\"red\",\"pinned\":false},\"tags\":[\"a\"]}",
                     "{\"meta\":{\"color\":\"blue\",\"pinned\":false},\"tags\":[\"a\"]}",
                     "{\"meta\":{\"color\":\"red\",\"pinned\":true},\"tags\":[\"a\",\"b\"]}");

  assert_row (model, "meta", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "tags", FERRY_CONFLICT_CHANGE_SERVER, FERRY_CONFLICT_SIDE_SERVER);
  assert_text (model, "meta", FERRY_CONFLICT_SIDE_MINE, "{\"color\":\"blue\",\"pinned\":false}");
  assert_text (model, "tags", FERRY_CONFLICT_SIDE_SERVER, "[\"a\",\"b\"]");
  assert_result (model,
                 "{\"meta\":{\"color\":\"blue\",\"pinned\":false},\"tags\":[\"a\",\"b\"]}");

  ferry_conflict_model_set_choice (model, member (model, "meta"), FERRY_CONFLICT_SIDE_SERVER);
  assert_result (model,
                 "{\"meta\":{\"color\":\"red\",\"pinned\":true},\"tags\":[\"a\",\"b\"]}");

  /* Equal nested values, whatever the member order inside, need no
   * choice. */
  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new (NULL, "{\"o\":{\"a\":1,\"b\":2}}", "{\"o\":{\"b\":2,\"a\":1}}");
  assert_row (model, "o", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);
}

/* Without a base (or with one that is not an object), every member that
 * differs counts as changed on both sides. */
static void
test_without_base (void)
{
  g_autoptr(FerryConflictModel) model = NULL;

  model = model_new (NULL, "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}");
  g_assert_false (ferry_conflict_model_get_has_base (model));
  assert_row (model, "a", FERRY_CONFLICT_CHANGE_NONE, FERRY_CONFLICT_SIDE_MINE);
  assert_row (model, "b", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);
  g_assert_null (ferry_conflict_model_get_value (model, 0, FERRY_CONFLICT_SIDE_BASE));

  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new ("[1,2]", "{\"b\":2}", "{\"b\":3}");
  g_assert_false (ferry_conflict_model_get_has_base (model));
  assert_row (model, "b", FERRY_CONFLICT_CHANGE_BOTH, FERRY_CONFLICT_SIDE_MINE);

  g_clear_pointer (&model, ferry_conflict_model_free);
  model = model_new ("not json", "{\"b\":2}", "{\"b\":3}");
  g_assert_false (ferry_conflict_model_get_has_base (model));
}

typedef struct
{
  const char *mine;
  const char *server;
  GQuark      domain;
  const char *mentions;
} BadCase;

/* Roots that are not objects, text that is not JSON and empty bodies make
 * no model; the window compares them as text. */
static void
test_not_objects (void)
{
  const BadCase cases[] = {
    { "[1,2,3]", "{\"a\":1}", FERRY_ERROR, "mine: not a JSON object" },
    { "{\"a\":1}", "\"text\"", FERRY_ERROR, "server: not a JSON object" },
    { "42", "null", FERRY_ERROR, "mine: not a JSON object" },
    { "{\"a\":", "{\"a\":1}", JSON_PARSER_ERROR, "mine: " },
    { "{\"a\":1}", "<html></html>", JSON_PARSER_ERROR, "server: " },
    { "plain text", "other text", JSON_PARSER_ERROR, "mine: " },
    { "", "{\"a\":1}", FERRY_ERROR, "mine: empty" },
    { "{\"a\":1}", NULL, FERRY_ERROR, "server: empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) base = bytes ("{\"a\":0}");
      g_autoptr(GBytes) mine = bytes (cases[i].mine);
      g_autoptr(GBytes) server = bytes (cases[i].server);
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryConflictModel) model = NULL;

      g_test_message ("case %u: %s / %s", i, cases[i].mine,
                      cases[i].server != NULL ? cases[i].server : "(null)");
      model = ferry_conflict_model_new (base, mine, server, &error);
      g_assert_null (model);
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, cases[i].domain);
      g_assert_true (g_str_has_prefix (error->message, cases[i].mentions));
    }
}

/* Empty objects on both sides make an empty result. */
static void
test_empty_objects (void)
{
  g_autoptr(FerryConflictModel) model = model_new ("{}", "{}", "{ }");

  g_assert_cmpuint (ferry_conflict_model_get_n_members (model), ==, 0);
  assert_result (model, "{}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gui/conflict-model/one-side-changes", test_one_side_changes);
  g_test_add_func ("/gui/conflict-model/both-sides-change", test_both_sides_change);
  g_test_add_func ("/gui/conflict-model/deletions", test_deletions);
  g_test_add_func ("/gui/conflict-model/additions", test_additions);
  g_test_add_func ("/gui/conflict-model/nested-objects", test_nested_objects);
  g_test_add_func ("/gui/conflict-model/without-base", test_without_base);
  g_test_add_func ("/gui/conflict-model/not-objects", test_not_objects);
  g_test_add_func ("/gui/conflict-model/empty-objects", test_empty_objects);

  return g_test_run ();
}
