/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-error.h"

#include "test-ferryctl-util.h"

/* Conflicts on the command line: the options of add that settle them,
 * and resolve with the window's three choices, mine, server and merged. */

static void
test_conflict_options (Fixture       *fixture,
                       gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GError) error = NULL;

  /* The conflict options; --conflict is the older name of --strategy. */
  {
    g_auto(CtlRun) run = { 0, };
    g_auto(CtlRun) shown = { 0, };
    g_autoptr(FerryTaskInfo) merged = NULL;
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;
    JsonObject *rules;

    run_ctl (&run, "add", "PUT", "https://example.org/notes/2", "--json", "{\"t\": \"mine\"}",
             "--strategy", "merge", "--base", "{\"t\": \"base\"}",
             "--merge-rule", "/t=server", "--merge-rule", "/a=b/c=mine",
             "--merge-rule", "/x=remote",
             "--timestamp-pointer", "/meta/modified");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_strchomp (run.out);
    FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
    client_fixture_get_agent_pid (&fixture->base);
    merged = client_get (client, run.out, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ferry_task_info_get_conflict_strategy (merged), ==,
                     FERRY_CLIENT_CONFLICT_MERGE);

    run_ctl (&shown, "show", run.out);
    g_assert_cmpint (shown.status, ==, 0);
    assert_contains (shown.out, "merge");
    assert_contains (shown.out, "Timestamp at:    /meta/modified");
    /* In the words of the window; the agent's local and remote are taken too. */
    assert_contains (shown.out, "Merge rules:\n  /t: server wins\n  /a=b/c: mine wins\n"
                                "  /x: server wins\n");
    assert_contains (shown.out, "Base:\n  {\"t\": \"base\"}\n");

    g_clear_pointer (&shown.out, g_free);
    g_clear_pointer (&shown.err, g_free);
    run_ctl (&shown, "show", "--json", run.out);
    g_assert_cmpint (shown.status, ==, 0);
    node = parse_json (shown.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "conflict-strategy"), ==, "merge");
    g_assert_cmpstr (json_object_get_string_member (object, "base"), ==, "{\"t\": \"base\"}");
    g_assert_cmpstr (json_object_get_string_member (object, "timestamp-pointer"), ==,
                     "/meta/modified");
    rules = json_object_get_object_member (object, "merge-rules");
    g_assert_cmpstr (json_object_get_string_member (rules, "/t"), ==, "remote");
    g_assert_cmpstr (json_object_get_string_member (rules, "/a=b/c"), ==, "local");
    g_assert_cmpstr (json_object_get_string_member (rules, "/x"), ==, "remote");
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(FerryTaskInfo) custom = NULL;

    run_ctl (&run, "add", "PUT", "https://example.org/notes/3", "--conflict", "custom");
    g_assert_cmpint (run.status, ==, 0);
    g_strchomp (run.out);
    custom = client_get (client, run.out, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ferry_task_info_get_conflict_strategy (custom), ==,
                     FERRY_CLIENT_CONFLICT_CUSTOM);
  }
  /* The agent checks the pointer itself, and says which option was wrong:
   * bad usage, exit 2, as for what ferryctl checks itself. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/notes/4", "--timestamp-pointer", "when");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "timestamp-pointer");
    assert_contains (run.err, "Try 'ferryctl add --help'");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/notes/4", "--merge-rule", "t=mine");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "merge-rules");
  }
}

/* A real conflict: a document the server moved on from, settled each way. */

#define DOC_BASE "{\"title\":\"base\"}"
#define DOC_THEIRS "{\"title\":\"theirs\"}"
#define DOC_MINE "{\"title\":\"mine\"}"
#define DOC_MERGED "{\"title\":\"both\"}"

/* Adds an edit of @path from version 1, after the server moved to 2. */
static char *
add_stale_edit (Fixture    *fixture,
                const char *path)
{
  g_autofree char *url = ferry_doc_server_url (fixture->docs, path);
  g_auto(CtlRun) run = { 0, };

  ferry_doc_server_write (fixture->docs, path, DOC_BASE);
  ferry_doc_server_write (fixture->docs, path, DOC_THEIRS);
  run_ctl (&run, "add", "PUT", url, "--json", DOC_MINE, "--if-match", "\"v1\"",
           "--base", DOC_BASE, "--strategy", "ask");
  g_assert_cmpint (run.status, ==, 0);
  return g_strchomp (g_steal_pointer (&run.out));
}

static gboolean
task_in_state (FerryClient          *client,
               const char           *id,
               FerryClientTaskState  state)
{
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = client_get (client, id, &error);
  g_assert_no_error (error);
  return ferry_task_info_get_state (info) == state;
}

static void
test_conflict_documents (Fixture       *fixture,
                         gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_id = NULL;
  g_autofree char *remote_id = NULL;
  g_autofree char *merged_id = NULL;
  g_autofree char *merged_file = NULL;
  g_autofree char *merged_arg = NULL;
  g_autofree char *document = NULL;
  guint puts = 0;

  local_id = add_stale_edit (fixture, "/docs/local");
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  remote_id = add_stale_edit (fixture, "/docs/remote");
  merged_id = add_stale_edit (fixture, "/docs/merged");
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 3, 20000);

  /* show: the three sides, the server's with its validators. */
  {
    g_auto(CtlRun) run = { 0, };
    g_autofree char *modified = ferry_doc_server_dup_last_modified (2);
    g_autofree char *modified_line = g_strdup_printf ("  Last-Modified: %s\n", modified);

    run_ctl (&run, "show", local_id);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "State:           conflict\n");
    assert_contains (run.out, "Last status:     412\n");
    assert_contains (run.out, "Server's copy:   200\n");
    assert_contains (run.out, "Request body:\n  " DOC_MINE "\n");
    assert_contains (run.out, "Base:\n  " DOC_BASE "\n");
    assert_contains (run.out, "Server's copy headers:\n");
    assert_contains (run.out, "  ETag: \"v2\"\n");
    assert_contains (run.out, modified_line);
    assert_contains (run.out, "Server's copy body:\n  " DOC_THEIRS "\n");
  }

  /* --take mine: sent again over version 2. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", local_id, "--take", "mine");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "sending mine again");
  }
  FERRY_TEST_WAIT (task_in_state (client, local_id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), 20000);
  document = ferry_doc_server_read (fixture->docs, "/docs/local", NULL, &puts, NULL);
  g_assert_cmpstr (document, ==, DOC_MINE);
  g_assert_cmpuint (puts, ==, 1);
  g_clear_pointer (&document, g_free);

  /* --take server, by a prefix of the id: nothing sent; the server's copy
   * stays. */
  {
    g_auto(CtlRun) run = { 0, };
    g_autofree char *prefix = g_strndup (remote_id, 8);

    run_ctl (&run, "resolve", prefix, "--take", "server");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, remote_id);
    assert_contains (run.out, "keeping the server's copy");
  }
  FERRY_TEST_WAIT (task_in_state (client, remote_id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), 20000);
  document = ferry_doc_server_read (fixture->docs, "/docs/remote", NULL, &puts, NULL);
  g_assert_cmpstr (document, ==, DOC_THEIRS);
  g_assert_cmpuint (puts, ==, 0);
  g_clear_pointer (&document, g_free);

  /* --take merged --data @FILE: the file's content over version 2. */
  merged_file = g_build_filename (fixture->base.data_dir, "..", "merged-doc.json", NULL);
  g_file_set_contents (merged_file, DOC_MERGED, -1, &error);
  g_assert_no_error (error);
  merged_arg = g_strconcat ("@", merged_file, NULL);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", merged_id, "--take", "merged", "--data", merged_arg);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Resolved");
  }
  FERRY_TEST_WAIT (task_in_state (client, merged_id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), 20000);
  document = ferry_doc_server_read (fixture->docs, "/docs/merged", NULL, &puts, NULL);
  g_assert_cmpstr (document, ==, DOC_MERGED);
  g_assert_cmpuint (puts, ==, 1);

  /* Settled tasks are no longer in conflict (local, the agent's word, is
   * still taken for mine). */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", merged_id, "--take", "local");
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "it is succeeded");
  }
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 0, 20000);
}

/* The server's copy was deleted there: show says so rather than showing
 * an error page as the copy, and --take mine creates it again. */
static void
test_conflict_deleted (Fixture       *fixture,
                       gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_doc_server_url (fixture->docs, "/docs/gone");
  g_autofree char *id = NULL;
  g_autofree char *document = NULL;
  g_autoptr(JsonNode) root = NULL;

  ferry_doc_server_write (fixture->docs, "/docs/gone", DOC_BASE);
  ferry_doc_server_delete (fixture->docs, "/docs/gone");
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", url, "--json", DOC_MINE, "--if-match", "\"v1\"",
             "--base", DOC_BASE, "--strategy", "ask");
    g_assert_cmpint (run.status, ==, 0);
    id = g_strchomp (g_steal_pointer (&run.out));
  }
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 1, 20000);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", id);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Server's copy:   deleted on the server");
    assert_not_contains (run.out, "Server's copy body:");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", id, "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "server-copy"),
                     ==, "deleted");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", id, "--take", "mine");
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (task_in_state (client, id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), 20000);
  g_assert_false (ferry_doc_server_is_deleted (fixture->docs, "/docs/gone"));
  document = ferry_doc_server_read (fixture->docs, "/docs/gone", NULL, NULL, NULL);
  g_assert_cmpstr (document, ==, DOC_MINE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/ferryctl/conflict-options", Fixture, NULL,
              fixture_set_up_offline, test_conflict_options, fixture_tear_down);
  g_test_add ("/ferryctl/conflict-documents", Fixture, NULL,
              fixture_set_up_documents, test_conflict_documents, fixture_tear_down);
  g_test_add ("/ferryctl/conflict-deleted", Fixture, NULL,
              fixture_set_up_documents, test_conflict_deleted, fixture_tear_down);

  return g_test_run ();
}
