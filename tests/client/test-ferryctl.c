/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-client-test-config.h"
#include "ferry-client-fixture.h"
#include "ferry-doc-server.h"

/* The built ferryctl against the real ferryd on the test bus (the bus
 * address reaches ferryctl through DBUS_SESSION_BUS_ADDRESS, which
 * GTestDBus sets). */

typedef struct
{
  ClientFixture    base;
  FerryTestServer *server;
  FerryDocServer  *docs;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CtlRun;

static void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

static void
fixture_set_up_offline (Fixture       *fixture,
                        gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "offline", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

static void
fixture_set_up_online (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->server = ferry_test_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

static void
fixture_set_up_documents (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->docs = ferry_doc_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->docs, ferry_doc_server_free);
}

/* Runs ferryctl with the arguments in @args (NULL-terminated), feeding it
 * @input on standard input when not NULL. */
static void
run_ctlv (CtlRun             *run,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  g_ptr_array_add (argv, (gpointer) FERRYCTL_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (input != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  process = g_subprocess_newv ((const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("ferryctl %s → %d\n%s%s", args[0], run->status, run->out, run->err);
}

#define run_ctl(run, ...) run_ctlv ((run), NULL, (const char * const[]) { __VA_ARGS__, NULL })

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static char *
add_task (const char *url)
{
  g_auto(CtlRun) run = { 0, };

  run_ctl (&run, "add", "PUT", url, "--json", "{\"n\":1}");
  g_assert_cmpint (run.status, ==, 0);
  g_strchomp (run.out);
  g_assert_true (g_uuid_string_is_valid (run.out));
  return g_steal_pointer (&run.out);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const commands[] = {
    "add", "list", "show", "retry", "cancel", "resolve", "sync", "pause", "resume", "status",
    "watch",
  };
  const char * const *bad[] = {
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
    (const char * const[]) { "resolve", "a", NULL },
    (const char * const[]) { "resolve", "a", "--take", "sideways", NULL },
    (const char * const[]) { "resolve", "a", "--take", "merged", NULL },
    (const char * const[]) { "resolve", "a", "--take", "local", "--data", "x", NULL },
    (const char * const[]) { "resolve", "a", "--take", "merged", "--data", "@/nonexistent/x",
                             NULL },
    (const char * const[]) { "sync", "now", NULL },
    (const char * const[]) { "pause", "--x", NULL },
    (const char * const[]) { "resume", "x", NULL },
    (const char * const[]) { "status", "x", NULL },
    (const char * const[]) { "watch", "x", NULL },
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

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CtlRun) run = { 0, };

      run_ctlv (&run, NULL, bad[i]);
      if (run.status != 2)
        g_error ("ferryctl %s … exited with %d, not 2", bad[i][0], run.status);
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

static void
test_add_list_show (Fixture       *fixture,
                    gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *file = NULL;
  g_autofree char *file_arg = NULL;
  gint64 before = g_get_real_time ();
  JsonArray *array;

  /* add, with every kind of option; it starts the agent */
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

  /* --data from a file, on behalf of another app */
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
  g_clear_object (&info);
  info = client_get (client, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_task_info_get_owner (info), ==, "org.example.Other");
  g_assert_cmpstr (ferry_task_info_get_content_type (info), ==, "text/plain");
  g_assert_nonnull (ferry_task_info_get_body (info));
  g_assert_cmpmem (g_bytes_get_data (ferry_task_info_get_body (info), NULL),
                   g_bytes_get_size (ferry_task_info_get_body (info)), "plain body", 10);

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

  /* The agent refuses a bad URL, naming it: exit 1. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "ftp://example.org/file");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    assert_contains (run.err, "url");
  }

  /* list: a table, and JSON a script can read */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list");
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

  /* show */
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
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "id");
  }
}

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
             "--merge-rule", "/t=remote", "--merge-rule", "/a=b/c=local",
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
    assert_contains (shown.out, "Merge rules:\n  /t: remote wins\n  /a=b/c: local wins\n");
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
  /* The agent checks the pointer itself, and says which option was wrong. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/notes/4", "--timestamp-pointer", "when");
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "timestamp-pointer");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", "https://example.org/notes/4", "--merge-rule", "t=local");
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "merge-rules");
  }
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

    run_ctl (&run, "resolve", id, "--take", "local");
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

  /* --take local: sent again over version 2. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", local_id, "--take", "local");
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (task_in_state (client, local_id, FERRY_CLIENT_TASK_STATE_SUCCEEDED), 20000);
  document = ferry_doc_server_read (fixture->docs, "/docs/local", NULL, &puts, NULL);
  g_assert_cmpstr (document, ==, DOC_MINE);
  g_assert_cmpuint (puts, ==, 1);
  g_clear_pointer (&document, g_free);

  /* --take remote: nothing sent; the server's copy stays. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", remote_id, "--take", "remote");
    g_assert_cmpint (run.status, ==, 0);
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

  /* Settled tasks are no longer in conflict. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "resolve", merged_id, "--take", "local");
    g_assert_cmpint (run.status, ==, 1);
  }
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 0, 20000);
}

/* watch */

typedef struct
{
  GDataInputStream *input;
  GCancellable     *cancellable;
  GPtrArray        *lines;
  gboolean          eof;
} LineReader;

static void read_next_line (LineReader *reader);

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineReader *reader = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_assert_no_error (error);
  if (line == NULL)
    {
      reader->eof = TRUE;
      return;
    }
  g_ptr_array_add (reader->lines, line);
  read_next_line (reader);
}

static void
read_next_line (LineReader *reader)
{
  g_data_input_stream_read_line_async (reader->input, G_PRIORITY_DEFAULT, reader->cancellable,
                                       read_line_cb, reader);
}

static const char *
find_line (LineReader *reader,
           const char *text)
{
  for (guint i = 0; i < reader->lines->len; i++)
    {
      const char *line = g_ptr_array_index (reader->lines, i);

      if (strstr (line, text) != NULL)
        return line;
    }
  return NULL;
}

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
wait_check_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *added = NULL;
  g_autofree char *cancelled = NULL;
  LineReader reader = { 0, };
  const char *line;
  gboolean exited = FALSE;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              FERRYCTL_PATH, "watch", NULL);
  g_assert_no_error (error);

  reader.input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  reader.cancellable = g_cancellable_new ();
  reader.lines = g_ptr_array_new_with_free_func (g_free);
  read_next_line (&reader);

  /* watch starts the agent, then says what it watches. */
  FERRY_TEST_WAIT (find_line (&reader, " watching ") != NULL, 20000);
  g_assert_true (has_time_prefix (find_line (&reader, " watching ")));
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  request = ferry_request_new ("PUT", "https://example.org/watched");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);

  added = g_strdup_printf (" task-added %s ", id);
  FERRY_TEST_WAIT (find_line (&reader, added) != NULL, 20000);
  line = find_line (&reader, added);
  g_assert_true (has_time_prefix (line));
  assert_contains (line, "state=pending");

  {
    g_autoptr(GAsyncResult) result = NULL;

    ferry_client_cancel_async (client, id, NULL, client_store_result_cb, &result);
    ferry_client_cancel_finish (client, client_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  cancelled = g_strdup_printf (" task-changed %s ", id);
  FERRY_TEST_WAIT (find_line (&reader, cancelled) != NULL, 20000);
  assert_contains (find_line (&reader, cancelled), "state=cancelled");

  /* Interrupted, it leaves quietly with 0. */
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_check_cb, &exited);
  FERRY_TEST_WAIT (exited, 20000);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_cancellable_cancel (reader.cancellable);
  g_clear_object (&reader.cancellable);
  g_clear_object (&reader.input);
  g_clear_pointer (&reader.lines, g_ptr_array_unref);
}

/* The agent's AuthRequired reaches watch through the client. */
static void
test_watch_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/private");
  g_autofree char *id = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *expected = NULL;
  LineReader reader = { 0, };
  gboolean exited = FALSE;

  ferry_test_server_set_default (fixture->server, "/private", 401,
                                 "WWW-Authenticate: Bearer", "who are you");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              FERRYCTL_PATH, "watch", NULL);
  g_assert_no_error (error);
  reader.input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  reader.cancellable = g_cancellable_new ();
  reader.lines = g_ptr_array_new_with_free_func (g_free);
  read_next_line (&reader);

  FERRY_TEST_WAIT (find_line (&reader, " watching ") != NULL, 20000);
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);

  request = ferry_request_new ("PUT", url);
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);

  auth = g_strdup_printf (" auth-required %s ", id);
  FERRY_TEST_WAIT (find_line (&reader, auth) != NULL, 20000);
  expected = g_strdup_printf ("auth-required %s owner=test-ferryctl", id);
  assert_contains (find_line (&reader, auth), expected);
  g_assert_true (has_time_prefix (find_line (&reader, auth)));

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_check_cb, &exited);
  FERRY_TEST_WAIT (exited, 20000);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_cancellable_cancel (reader.cancellable);
  g_clear_object (&reader.cancellable);
  g_clear_object (&reader.input);
  g_clear_pointer (&reader.lines, g_ptr_array_unref);
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
  g_test_add ("/ferryctl/conflict-options", Fixture, NULL,
              fixture_set_up_offline, test_conflict_options, fixture_tear_down);
  g_test_add ("/ferryctl/actions", Fixture, NULL,
              fixture_set_up_offline, test_actions, fixture_tear_down);
  g_test_add ("/ferryctl/status-starts-agent", Fixture, NULL,
              fixture_set_up_offline, test_status_starts_agent, fixture_tear_down);
  g_test_add ("/ferryctl/retry-and-resolve", Fixture, NULL,
              fixture_set_up_online, test_retry_and_resolve, fixture_tear_down);
  g_test_add ("/ferryctl/watch", Fixture, NULL,
              fixture_set_up_offline, test_watch, fixture_tear_down);
  g_test_add ("/ferryctl/watch-auth", Fixture, NULL,
              fixture_set_up_online, test_watch_auth, fixture_tear_down);
  g_test_add ("/ferryctl/conflict-documents", Fixture, NULL,
              fixture_set_up_documents, test_conflict_documents, fixture_tear_down);

  return g_test_run ();
}
