/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "test-ferryctl-util.h"

/* The commands of ferryctl, each against the real agent: usage, add,
 * list, show, the actions, retries and watch. */

/* Command lines that are wrong, each exiting with 2 before anything asks
 * the agent. */
static const char * const * const bad_usage[] = {
  (const char * const[]) { "frob", NULL },
  (const char * const[]) { "--frob", NULL },
  (const char * const[]) { "add", NULL },
  (const char * const[]) { "add", "PUT", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "extra", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--json", "{\"a\":", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--json", "", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--data", "@/nonexistent/x",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--json", "@/nonexistent/x",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--json", "{}", "--data", "x",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--priority", "urgent", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--unique", "twice", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--expires", "someday", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--not-before", "x1", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "-H", "no-colon", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--max-attempts", "-3",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--max-attempts", "many",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--strategy", "coin-toss",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--strategy", "merge",
                           "--conflict", "merge", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--merge-rule", "/title",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--merge-rule", "/a=both",
                           NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--base", "@/nonexistent/x",
                           NULL },
  (const char * const[]) { "list", "--bogus", NULL },
  (const char * const[]) { "list", "--state", "flying", NULL },
  (const char * const[]) { "list", "--limit", "0", NULL },
  (const char * const[]) { "list", "extra", NULL },
  (const char * const[]) { "show", NULL },
  (const char * const[]) { "show", "a", "b", NULL },
  (const char * const[]) { "retry", NULL },
  (const char * const[]) { "retry", "a", "--all", NULL },
  (const char * const[]) { "cancel", NULL },
  (const char * const[]) { "cancel", "a", "--all", NULL },
  (const char * const[]) { "resolve", "a", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "sideways", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "merged", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "local", "--data", "x", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "mine", "--data", "x", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "remote-ish", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", "merged", "--data",
                           "@/nonexistent/x", NULL },
  (const char * const[]) { "sync", "now", NULL },
  (const char * const[]) { "pause", "--x", NULL },
  (const char * const[]) { "resume", "x", NULL },
  (const char * const[]) { "status", "x", NULL },
  (const char * const[]) { "watch", "x", NULL },
  /* Methods, URLs and ids are checked before anything asks the agent. */
  (const char * const[]) { "add", "FOO", "https://example.org/a", NULL },
  (const char * const[]) { "add", "", "https://example.org/a", NULL },
  (const char * const[]) { "add", "GE T", "https://example.org/a", "--force", NULL },
  (const char * const[]) { "add", "GET", "127.0.0.1:8080/x", NULL },
  (const char * const[]) { "add", "GET", "/x", NULL },
  (const char * const[]) { "add", "GET", "", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--conflict-url",
                           "example.org/a", NULL },
  (const char * const[]) { "add", "PUT", "https://example.org/a", "--merge-rule", "/a=merged",
                           NULL },
  (const char * const[]) { "show", "abc", NULL },
  (const char * const[]) { "show", "zzzz", NULL },
  (const char * const[]) { "show", "0f1e2d3c4b", NULL },
  (const char * const[]) { "show", "--show-secrets", NULL },
  (const char * const[]) { "cancel", "0f1", NULL },
  (const char * const[]) { "cancel", "0f1e2d3c", "extra", NULL },
  (const char * const[]) { "retry", "xyz!", NULL },
  (const char * const[]) { "resolve", "0f1e2d3c", "--take", NULL },
  (const char * const[]) { "list", "--wide", "extra", NULL },
  (const char * const[]) { "list", "--offset", "-1", NULL },
  (const char * const[]) { "status", "--json", "x", NULL },
  (const char * const[]) { "watch", "--json", "x", NULL },
};

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const commands[] = {
    "add", "list", "show", "retry", "cancel", "resolve", "sync", "pause", "resume", "status",
    "watch",
  };

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "--help");
    g_assert_cmpint (run.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autofree char *line = g_strdup_printf ("  %s ", commands[i]);

        assert_contains (run.out, line);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CtlRun) run = { 0, };
      g_autofree char *usage = g_strdup_printf ("ferryctl %s", commands[i]);

      run_ctl (&run, commands[i], "--help");
      g_assert_cmpint (run.status, ==, 0);
      /* GLib's own words around it ("Usage:") are in the locale's
       * language; the command's usage line is not. */
      assert_contains (run.out, usage);
      assert_contains (run.out, "--help");
    }

  {
    g_auto(CtlRun) run = { 0, };

    run_ctlv (&run, NULL, (const char * const[]) { NULL });
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "missing COMMAND");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad_usage); i++)
    {
      g_auto(CtlRun) run = { 0, };

      run_ctlv (&run, NULL, bad_usage[i]);
      if (run.status != 2)
        g_error ("ferryctl %s … exited with %d, not 2", bad_usage[i][0], run.status);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, !=, "");
    }

  /* What a usage error names */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/a", "--json", "{\"a\":");
    assert_contains (run.err, "--json");
    assert_contains (run.err, "JSON");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "frob");
    assert_contains (run.err, "unknown command");
  }

  /* None of this needed the agent. */
  g_assert_false (ferry_client_get_agent_running (fixture->base.client));
}

/* add, with every kind of option; it starts the agent. */
static char *
add_with_every_option (Fixture *fixture)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 before = g_get_real_time ();

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/notes/1",
             "--json", "{\"title\": \"one\"}",
             "-H", "X-Trace: abc", "--header", "X-Other:  two words ",
             "--priority", "high", "--name", "note-1", "--unique", "keep", "--group", "notes",
             "--expires", "3600", "--not-before", "2020-01-01T00:00:00Z", "--unmetered",
             "--max-attempts", "7", "--if-match", "\"v1\"", "--conflict", "server-wins");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    id = g_strchomp (g_steal_pointer (&run.out));
    g_assert_true (g_uuid_string_is_valid (id));
  }
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  info = client_get (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_task_info_get_method (info), ==, "PUT");
  g_assert_cmpstr (ferry_task_info_get_url (info), ==, "https://example.org/notes/1");
  g_assert_cmpstr (ferry_task_info_get_content_type (info), ==, "application/json");
  g_assert_cmpuint (ferry_task_info_get_body_size (info), ==, strlen ("{\"title\": \"one\"}"));
  g_assert_cmpstr (ferry_task_info_get_header (info, "X-Trace"), ==, "abc");
  g_assert_cmpstr (ferry_task_info_get_header (info, "X-Other"), ==, "two words");
  g_assert_cmpint (ferry_task_info_get_priority (info), ==, FERRY_CLIENT_PRIORITY_HIGH);
  g_assert_cmpstr (ferry_task_info_get_name (info), ==, "note-1");
  g_assert_cmpstr (ferry_task_info_get_group (info), ==, "notes");
  g_assert_cmpint (ferry_task_info_get_expires (info), >=, before + (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_cmpint (ferry_task_info_get_expires (info), <=,
                   g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_cmpint (ferry_task_info_get_not_before (info), ==, (gint64) 1577836800 * G_USEC_PER_SEC);
  g_assert_true (ferry_task_info_get_unmetered_only (info));
  g_assert_cmpuint (ferry_task_info_get_max_attempts (info), ==, 7);
  g_assert_cmpstr (ferry_task_info_get_if_match (info), ==, "\"v1\"");
  g_assert_cmpint (ferry_task_info_get_conflict_strategy (info), ==,
                   FERRY_CLIENT_CONFLICT_SERVER_WINS);
  g_assert_cmpstr (ferry_task_info_get_owner (info), ==, "ferryctl");

  return g_steal_pointer (&id);
}

/* --data from a file, on behalf of another app. */
static char *
add_for_other_app (Fixture *fixture)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;
  g_autofree char *file = NULL;
  g_autofree char *file_arg = NULL;

  file = g_build_filename (fixture->base.data_dir, "..", "body.txt", NULL);
  g_file_set_contents (file, "plain body", -1, &error);
  g_assert_no_error (error);
  file_arg = g_strconcat ("@", file, NULL);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "POST", "https://example.org/other", "--data", file_arg,
             "--content-type", "text/plain", "--app-id", "org.example.Other");
    g_assert_cmpint (run.status, ==, 0);
    second = g_strchomp (g_steal_pointer (&run.out));
  }
  info = client_get (client, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_task_info_get_owner (info), ==, "org.example.Other");
  g_assert_cmpstr (ferry_task_info_get_content_type (info), ==, "text/plain");
  g_assert_nonnull (ferry_task_info_get_body (info));
  g_assert_cmpmem (g_bytes_get_data (ferry_task_info_get_body (info), NULL),
                   g_bytes_get_size (ferry_task_info_get_body (info)), "plain body", 10);

  return g_steal_pointer (&second);
}

/* list: a table, and JSON a script can read. */
static void
check_list (const char *id,
            const char *second)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--wide");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "ID");
    assert_contains (run.out, "STATE");
    assert_contains (run.out, id);
    assert_contains (run.out, second);
    assert_contains (run.out, "PUT https://example.org/notes/1");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
    array = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (array), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                    "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                    "state"), ==, "pending");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0),
                                                 "max-attempts"), ==, 7);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                    "id"), ==, second);
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--json", "--limit", "1", "--offset", "1");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    array = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                    "id"), ==, second);
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--json", "--owner", "org.example.Other", "--state",
             "pending,failed", "--search", "other");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--limit", "2");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Showing 1 to 2 of 3 tasks");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--state", "failed");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "No tasks");
  }
}

static void
check_show (const char *id)
{
  g_autoptr(JsonNode) root = NULL;

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", id);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, id);
    assert_contains (run.out, "State:");
    assert_contains (run.out, "pending");
    assert_contains (run.out, "PUT https://example.org/notes/1");
    assert_contains (run.out, "X-Trace: abc");
    assert_contains (run.out, "\"title\": \"one\"");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", id, "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "body"), ==,
                     "{\"title\": \"one\"}");
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", "00000000-0000-4000-8000-000000000000");
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "no task");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", "not-an-id");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "ID");
  }
}

static void
test_add_list_show (Fixture       *fixture,
                    gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_with_every_option (fixture);
  g_autofree char *second = add_for_other_app (fixture);

  /* --data @- reads standard input */
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(FerryTaskInfo) piped = NULL;

    run_ctlv (&run, "from stdin",
              (const char * const[]) { "add", "POST", "https://example.org/piped", "--data", "@-",
                                       NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_strchomp (run.out);
    piped = client_get (client, run.out, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ferry_task_info_get_body_size (piped), ==, strlen ("from stdin"));
  }

  /* The agent refuses a bad URL, naming it: bad usage, exit 2. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "ftp://example.org/file");
    g_assert_cmpint (run.status, ==, 2);
    g_assert_cmpstr (run.out, ==, "");
    assert_contains (run.err, "url");
  }

  check_list (id, second);
  check_show (id);
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;

  id = add_task ("https://example.org/act");
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", id, "--take", "mine");
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "pending");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "pause");
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (ferry_client_get_paused (client), 10000);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "status");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Paused");
    assert_contains (run.out, "Pending:");
    assert_contains (run.out, "Last sync:");
    assert_contains (run.out, "never");
    /* Paused: no time for the next sync, as the headline says. */
    assert_contains (run.out, "Next sync:      none while paused\n");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "status", "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "paused"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "pending"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "state"), ==,
                     "paused");
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resume");
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (!ferry_client_get_paused (client), 10000);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "sync");
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "status");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Offline");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "cancel", id);
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 0, 10000);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "cancel", id);
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "cancel");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "retry", id);
    g_assert_cmpint (run.status, ==, 1);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "retry", "--all");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "0 tasks");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "cancel", "--all");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Cancelled 0 tasks.");
  }
}

/* A task whose server keeps answering 503 is shown as waiting for its
 * next try, with the reason, not as failed. */
static void
test_retrying (Fixture       *fixture,
               gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/busy");
  g_autofree char *id = NULL;

  ferry_test_server_set_default (fixture->server, "/busy", 503, "Retry-After: 600", "busy");
  id = add_task (url);
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  FERRY_TEST_WAIT (ferry_test_server_count_requests (fixture->server, "/busy") == 1, 10000);
  {
    g_auto(CtlRun) run = { 0, };

    /* The outcome is written a moment after the answer. */
    for (guint i = 0; i < 200; i++)
      {
        ctl_run_clear (&run);
        run_ctl (&run, "show", id);
        if (strstr (run.out, "Waiting:") != NULL)
          break;
        g_usleep (20000);
      }
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "State:           pending");
    assert_contains (run.out, "Waiting:         server busy or failing (HTTP 503 Service "
                              "Unavailable) — next try in");
    assert_contains (run.out, "Failing since:");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "retrying");
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;

    run_ctl (&run, "show", id, "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_true (json_object_has_member (json_node_get_object (root), "failing-since"));
  }
}

static void
test_status_starts_agent (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(CtlRun) run = { 0, };

  g_assert_false (ferry_client_get_agent_running (fixture->base.client));
  run_ctl (&run, "status");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "State:");
  assert_contains (run.out, "offline");
  FERRY_TEST_WAIT (ferry_client_get_agent_running (fixture->base.client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
}

static void
test_retry_and_resolve (Fixture       *fixture,
                        gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *missing = ferry_test_server_url (fixture->server, "/missing");
  g_autofree char *doc = ferry_test_server_url (fixture->server, "/doc");
  g_autofree char *failed_id = NULL;
  g_autofree char *conflict_id = NULL;
  g_autofree char *merged_file = NULL;
  g_autofree char *merged_arg = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  FerryTestRequest *last;

  ferry_test_server_push_reply (fixture->server, "/missing", 404, NULL, "gone");
  ferry_test_server_set_default (fixture->server, "/missing", 201, NULL, "made");
  ferry_test_server_push_reply (fixture->server, "/doc", 409, NULL, "{\"v\":\"theirs\"}");
  ferry_test_server_set_default (fixture->server, "/doc", 201, NULL, "{\"v\":\"theirs\"}");

  failed_id = add_task (missing);
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  FERRY_TEST_WAIT (ferry_client_get_failed_count (client) == 1, 10000);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", failed_id);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "failed");
    assert_contains (run.out, "404");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "retry", failed_id);
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (ferry_client_get_failed_count (client) == 0, 10000);
  FERRY_TEST_WAIT (ferry_test_server_count_requests (fixture->server, "/missing") == 2, 10000);

  conflict_id = add_task (doc);
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 1, 10000);

  merged_file = g_build_filename (fixture->base.data_dir, "..", "merged.json", NULL);
  g_file_set_contents (merged_file, "{\"v\":\"merged\"}", -1, &error);
  g_assert_no_error (error);
  merged_arg = g_strconcat ("@", merged_file, NULL);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", conflict_id, "--take", "merged", "--data", merged_arg);
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 0, 10000);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 0, 10000);

  requests = ferry_test_server_dup_requests (fixture->server, "/doc");
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (last->method, ==, "PUT");
  g_assert_cmpmem (g_bytes_get_data (last->body, NULL), g_bytes_get_size (last->body),
                   "{\"v\":\"merged\"}", strlen ("{\"v\":\"merged\"}"));
}

/* watch */

static gboolean
has_time_prefix (const char *line)
{
  /* "HH:MM:SS " */
  return strlen (line) > 9
         && g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) && line[2] == ':'
         && g_ascii_isdigit (line[3]) && g_ascii_isdigit (line[4]) && line[5] == ':'
         && g_ascii_isdigit (line[6]) && g_ascii_isdigit (line[7]) && line[8] == ' ';
}

static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *added = NULL;
  g_autofree char *cancelled = NULL;
  CtlWatch watch = { 0, };
  const char *line;

  ctl_watch_start (&watch, (const char * const[]) { "watch", NULL });

  /* watch starts the agent, then says what it watches. */
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, " watching ") != NULL, 20000);
  g_assert_true (has_time_prefix (ctl_watch_find_line (&watch, " watching ")));
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  request = ferry_request_new ("PUT", "https://example.org/watched");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);

  added = g_strdup_printf (" task-added %s ", id);
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, added) != NULL, 20000);
  line = ctl_watch_find_line (&watch, added);
  g_assert_true (has_time_prefix (line));
  assert_contains (line, "state=pending");

  {
    g_autoptr(GAsyncResult) result = NULL;

    ferry_client_cancel_async (client, id, NULL, client_store_result_cb, &result);
    ferry_client_cancel_finish (client, client_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  cancelled = g_strdup_printf (" task-changed %s ", id);
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, cancelled) != NULL, 20000);
  assert_contains (ctl_watch_find_line (&watch, cancelled), "state=cancelled");

  /* Interrupted, it leaves quietly with 0. */
  g_assert_cmpint (ctl_watch_stop (&watch), ==, 0);
}

/* The agent's AuthRequired reaches watch through the client. */
static void
test_watch_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/private");
  g_autofree char *id = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *expected = NULL;
  CtlWatch watch = { 0, };

  ferry_test_server_set_default (fixture->server, "/private", 401,
                                 "WWW-Authenticate: Bearer", "who are you");
  ctl_watch_start (&watch, (const char * const[]) { "watch", NULL });

  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, " watching ") != NULL, 20000);
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  request = ferry_request_new ("PUT", url);
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);

  auth = g_strdup_printf (" auth-required %s ", id);
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, auth) != NULL, 20000);
  expected = g_strdup_printf ("auth-required %s owner=test-ferryctl", id);
  assert_contains (ctl_watch_find_line (&watch, auth), expected);
  g_assert_true (has_time_prefix (ctl_watch_find_line (&watch, auth)));

  g_assert_cmpint (ctl_watch_stop (&watch), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/ferryctl/usage", Fixture, NULL,
              fixture_set_up_offline, test_usage, fixture_tear_down);
  g_test_add ("/ferryctl/add-list-show", Fixture, NULL,
              fixture_set_up_offline, test_add_list_show, fixture_tear_down);
  g_test_add ("/ferryctl/actions", Fixture, NULL,
              fixture_set_up_offline, test_actions, fixture_tear_down);
  g_test_add ("/ferryctl/retrying", Fixture, NULL,
              fixture_set_up_online, test_retrying, fixture_tear_down);
  g_test_add ("/ferryctl/status-starts-agent", Fixture, NULL,
              fixture_set_up_offline, test_status_starts_agent, fixture_tear_down);
  g_test_add ("/ferryctl/retry-and-resolve", Fixture, NULL,
              fixture_set_up_online, test_retry_and_resolve, fixture_tear_down);
  g_test_add ("/ferryctl/watch", Fixture, NULL,
              fixture_set_up_offline, test_watch, fixture_tear_down);
  g_test_add ("/ferryctl/watch-auth", Fixture, NULL,
              fixture_set_up_online, test_watch_auth, fixture_tear_down);

  return g_test_run ();
}
