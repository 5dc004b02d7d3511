/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-rest-server.h"

#include "test-ferryctl-util.h"

/*
 * ferryctl collection and ferryctl doc against the real ferryd, with a
 * REST profile server on 127.0.0.1: a collection added, documents written
 * and read, a sync, the JSON forms, bad input as bad usage, removal.
 */

static FerryRestServer *server;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  server = ferry_rest_server_new ();
  fixture_set_up_online (fixture, data);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  fixture_tear_down (fixture, data);
  g_clear_pointer (&server, ferry_rest_server_free);
}

/* How many runs `collection show --json` lists. */
static guint
count_shown_runs (void)
{
  g_auto(CtlRun) show = { 0, };
  g_autoptr(JsonNode) shown = NULL;

  run_ctl (&show, "collection", "show", "notes", "--json");
  g_assert_cmpint (show.status, ==, 0);
  shown = parse_json (show.out);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (shown),
                                                              "runs"));
}

/* Whether `ferryctl status` begins with @headline. */
static gboolean
status_says (const char *headline)
{
  g_auto(CtlRun) status = { 0, };

  run_ctl (&status, "status");
  g_assert_cmpint (status.status, ==, 0);
  return g_str_has_prefix (status.out, headline);
}

static void
test_collections (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *url = ferry_rest_server_url (server);
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) docs = NULL;
  g_auto(CtlRun) add = { 0, };
  g_auto(CtlRun) put = { 0, };
  g_auto(CtlRun) bad = { 0, };
  g_auto(CtlRun) get = { 0, };
  g_auto(CtlRun) list = { 0, };
  g_auto(CtlRun) show = { 0, };
  g_auto(CtlRun) changes = { 0, };
  g_auto(CtlRun) sync = { 0, };
  g_auto(CtlRun) removed = { 0, };
  g_auto(CtlRun) gone = { 0, };

  run_ctl (&add, "collection", "add", "notes", "--protocol", "rest", "--url", url,
           "--app-id", "org.example.Notes");
  g_assert_cmpint (add.status, ==, 0);
  assert_contains (add.out, "/io/github/ferrysync/Ferry/collections/");

  run_ctl (&put, "doc", "put", "notes", "a", "{\"title\":\"one\"}");
  if (put.status != 0)
    g_test_message ("doc put: %s", put.err);
  g_assert_cmpint (put.status, ==, 0);
  assert_contains (put.out, "Wrote a");
  run_ctl (&bad, "doc", "put", "notes", "b", "not json");
  g_assert_cmpint (bad.status, ==, 2);
  assert_contains (bad.err, "body");

  run_ctl (&get, "doc", "get", "notes", "a");
  g_assert_cmpint (get.status, ==, 0);
  g_assert_cmpstr (get.out, ==, "{\"title\":\"one\"}\n");

  run_ctl (&list, "collection", "list");
  g_assert_cmpint (list.status, ==, 0);
  assert_contains (list.out, "org.example.Notes");

  run_ctl (&sync, "collection", "sync", "org.example.Notes/notes");
  g_assert_cmpint (sync.status, ==, 0);
  FERRY_TEST_WAIT (ferry_rest_server_count (server) == 1, 20000);

  run_ctl (&show, "collection", "show", "notes", "--json");
  g_assert_cmpint (show.status, ==, 0);
  shown = parse_json (show.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "protocol"),
                   ==, "rest");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "endpoint"),
                   ==, url);

  /* The runs, with their counts, in both forms. */
  FERRY_TEST_WAIT (count_shown_runs () >= 1, 20000);
  {
    g_auto(CtlRun) text = { 0, };

    run_ctl (&text, "collection", "show", "notes");
    g_assert_cmpint (text.status, ==, 0);
    assert_contains (text.out, "Last runs:");
    assert_contains (text.out, "pushed ");
    assert_contains (text.out, "push ");
    assert_contains (text.out, url);
  }

  run_ctl (&changes, "doc", "changes", "notes", "--json");
  g_assert_cmpint (changes.status, ==, 0);
  docs = parse_json (changes.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (docs)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_array_get_object_element (json_node_get_array (docs), 0), "body"),
                     "title"), ==, "one");

  /* A record the server refuses counts in the status, as in the window,
   * and `ferryctl watch` says so as it happens. */
  {
    g_auto(CtlRun) refused = { 0, };
    CtlWatch watch = { 0, };

    ctl_watch_start (&watch, (const char * const[]) { "watch", "--json", NULL });
    FERRY_TEST_WAIT (ctl_watch_find_line (&watch, "\"event\":\"watching\"") != NULL, 20000);
    ferry_rest_server_reject (server, "r", "forbidden");
    run_ctl (&refused, "doc", "put", "notes", "r", "{\"title\":\"no\"}");
    g_assert_cmpint (refused.status, ==, 0);
    FERRY_TEST_WAIT (status_says ("1 change failed\n"), 20000);
    FERRY_TEST_WAIT (ctl_watch_find_line (&watch, "\"title\":\"1 change failed\"") != NULL,
                     20000);
    g_assert_cmpint (ctl_watch_stop (&watch), ==, 0);
  }

  run_ctl (&removed, "collection", "remove", "notes");
  g_assert_cmpint (removed.status, ==, 0);
  run_ctl (&gone, "doc", "get", "notes", "a");
  g_assert_cmpint (gone.status, ==, 1);
  assert_contains (gone.err, "no collection");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/ferryctl/collections", Fixture, NULL, set_up, test_collections, tear_down);

  return g_test_run ();
}
