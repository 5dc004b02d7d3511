/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "test-ferryctl-util.h"

/*
 * Credentials never show on the command line unless asked for: show, show
 * --json, list --json and watch leave them out; --show-secrets prints what
 * the agent gave, which is the values of ferryctl's own tasks only, and
 * says so where the agent withheld one.
 */

#define OWN_TOKEN "Bearer own-s3cret-token"
#define OWN_COOKIE "session=own-c00kie"
#define OTHER_TOKEN "Bearer other-s3cret-token"
#define APP_SESSION "app-s3ss10n"
#define OWN_SESSION "own-s3ss10n"
#define SERVER_COOKIE "sid=server-c00kie"

#define MASKED "(hidden; --show-secrets shows it)"
#define WITHHELD "(hidden: only the task's owner can read it)"

/* No secret in @text at all, whatever the form. */
static void
assert_no_secret (const char *text)
{
  assert_not_contains (text, "own-s3cret-token");
  assert_not_contains (text, "own-c00kie");
  assert_not_contains (text, "other-s3cret-token");
  assert_not_contains (text, "app-s3ss10n");
  assert_not_contains (text, "own-s3ss10n");
  assert_not_contains (text, "server-c00kie");
}

typedef struct
{
  char *own;     /* added by ferryctl: ferryctl owns it */
  char *other;   /* added by ferryctl for another app */
  char *app;     /* added by this test, with a secret header of its own */
} Tasks;

static void
add_tasks (Fixture *fixture,
           Tasks   *tasks)
{
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CtlRun) own = { 0, };
  g_auto(CtlRun) other = { 0, };

  run_ctl (&own, "add", "PUT", "https://example.org/own", "-H", "Authorization: " OWN_TOKEN,
           "-H", "Cookie: " OWN_COOKIE, "-H", "X-Trace: visible",
           "-H", "X-Session: " OWN_SESSION, "--secret-header", "X-Session");
  g_assert_cmpint (own.status, ==, 0);
  tasks->own = g_strdup (g_strchomp (own.out));

  run_ctl (&other, "add", "PUT", "https://example.org/other", "--app-id", "org.example.Other",
           "-H", "Authorization: " OTHER_TOKEN);
  g_assert_cmpint (other.status, ==, 0);
  tasks->other = g_strdup (g_strchomp (other.out));

  FERRY_TEST_WAIT (ferry_client_get_agent_running (fixture->base.client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  request = ferry_request_new ("PUT", "https://example.org/app");
  ferry_request_add_header (request, "X-Session", APP_SESSION);
  ferry_request_add_secret_header (request, "X-Session");
  tasks->app = client_enqueue (fixture->base.client, request, &error);
  g_assert_no_error (error);
}

static void
tasks_clear (Tasks *tasks)
{
  g_free (tasks->own);
  g_free (tasks->other);
  g_free (tasks->app);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tasks, tasks_clear)

static JsonObject *
get_headers (JsonNode *task)
{
  return json_object_get_object_member (json_node_get_object (task), "headers");
}

static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Tasks) tasks = { NULL, };

  add_tasks (fixture, &tasks);

  /* The owner's credentials: left out, unless asked for. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", tasks.own);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  Authorization: " MASKED "\n");
    assert_contains (run.out, "  Cookie: " MASKED "\n");
    assert_contains (run.out, "  X-Trace: visible\n");
    /* A header the task itself names as a credential, too. */
    assert_contains (run.out, "  X-Session: " MASKED "\n");
    assert_no_secret (run.out);
    assert_no_secret (run.err);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", "--show-secrets", tasks.own);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  Authorization: " OWN_TOKEN "\n");
    assert_contains (run.out, "  Cookie: " OWN_COOKIE "\n");
    assert_contains (run.out, "  X-Session: " OWN_SESSION "\n");
  }

  /* Another app's: the agent withholds them, and ferryctl says so. */
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", tasks.other, "--show-secrets");
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  Authorization: " WITHHELD "\n");
    assert_no_secret (run.out);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", tasks.app);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  X-Session: " WITHHELD "\n");
    assert_no_secret (run.out);
  }
}

static void
test_show_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Tasks) tasks = { NULL, };

  add_tasks (fixture, &tasks);

  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *headers;

    run_ctl (&run, "show", "--json", tasks.own);
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secret (run.out);
    root = parse_json (run.out);
    headers = get_headers (root);
    g_assert_true (json_object_get_null_member (headers, "Authorization"));
    g_assert_true (json_object_get_null_member (headers, "Cookie"));
    g_assert_cmpstr (json_object_get_string_member (headers, "X-Trace"), ==, "visible");
    /* The agent hid nothing from the owner. */
    g_assert_false (json_object_has_member (json_node_get_object (root), "hidden-headers"));
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *headers;

    run_ctl (&run, "show", "--json", "--show-secrets", tasks.own);
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    headers = get_headers (root);
    g_assert_cmpstr (json_object_get_string_member (headers, "Authorization"), ==, OWN_TOKEN);
    g_assert_cmpstr (json_object_get_string_member (headers, "Cookie"), ==, OWN_COOKIE);
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *hidden;

    run_ctl (&run, "show", "--json", "--show-secrets", tasks.app);
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secret (run.out);
    root = parse_json (run.out);
    g_assert_true (json_object_get_null_member (get_headers (root), "X-Session"));
    hidden = json_object_get_array_member (json_node_get_object (root), "hidden-headers");
    g_assert_cmpuint (json_array_get_length (hidden), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (hidden, 0), ==, "X-Session");
  }
}

static JsonNode *
find_task (JsonArray  *array,
           const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *task = json_array_get_element (array, i);

      if (g_str_equal (json_object_get_string_member (json_node_get_object (task), "id"), id))
        return task;
    }
  g_error ("task %s not listed", id);
}

static void
test_list_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Tasks) tasks = { NULL, };

  add_tasks (fixture, &tasks);

  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;

    run_ctl (&run, "list", "--json");
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secret (run.out);
    root = parse_json (run.out);
    g_assert_true (json_object_get_null_member (
      get_headers (find_task (json_node_get_array (root), tasks.own)), "Authorization"));
    g_assert_true (json_object_get_null_member (
      get_headers (find_task (json_node_get_array (root), tasks.other)), "Authorization"));
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *array;

    run_ctl (&run, "list", "--json", "--show-secrets");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    array = json_node_get_array (root);
    g_assert_cmpstr (json_object_get_string_member (
      get_headers (find_task (array, tasks.own)), "Authorization"), ==, OWN_TOKEN);
    /* Only what the agent gives: never another app's credentials. */
    assert_not_contains (run.out, "other-s3cret-token");
    assert_not_contains (run.out, APP_SESSION);
    g_assert_true (json_object_get_null_member (
      get_headers (find_task (array, tasks.other)), "Authorization"));
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--wide");
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secret (run.out);
  }
}

/* watch hears of tasks by id, owner and state: nothing secret. */
static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(Tasks) tasks = { NULL, };
  g_autofree char *added = NULL;
  CtlWatch watch = { 0, };

  ctl_watch_start (&watch, (const char * const[]) { "watch", "--json", NULL });
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, "\"watching\"") != NULL, 20000);
  add_tasks (fixture, &tasks);
  added = g_strdup_printf ("\"id\":\"%s\"", tasks.app);
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, added) != NULL, 20000);
  for (guint i = 0; i < watch.lines->len; i++)
    assert_no_secret (g_ptr_array_index (watch.lines, i));
  g_assert_cmpint (ctl_watch_stop (&watch), ==, 0);
}

static gboolean
succeeded (FerryClient *client,
           const char  *id)
{
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = client_get (client, id, &error);
  g_assert_no_error (error);
  return ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_SUCCEEDED;
}

/* A response's Set-Cookie: the owner's is masked; for another app's task
 * the agent sends it empty, which ferryctl does not pass off as empty. */
static void
test_response (Fixture       *fixture,
               gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/login");
  g_autoptr(FerryRequest) request = ferry_request_new ("POST", url);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = NULL;
  g_autofree char *app = NULL;

  ferry_test_server_set_default (fixture->server, "/login", 200, "Set-Cookie: " SERVER_COOKIE,
                                 "ok");
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "POST", url);
    g_assert_cmpint (run.status, ==, 0);
    own = g_strdup (g_strchomp (run.out));
  }
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  app = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  /* The response is kept with the outcome, a moment after the answer. */
  FERRY_TEST_WAIT (succeeded (client, own) && succeeded (client, app), 20000);

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", own);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "Response headers:\n");
    assert_contains (run.out, "  Set-Cookie: " MASKED "\n");
    assert_no_secret (run.out);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", "--show-secrets", own);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  Set-Cookie: " SERVER_COOKIE "\n");
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *headers;

    run_ctl (&run, "show", "--json", own);
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secret (run.out);
    root = parse_json (run.out);
    headers = json_object_get_object_member (json_node_get_object (root), "response-headers");
    g_assert_true (json_object_get_null_member (headers, "Set-Cookie"));
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", "--show-secrets", app);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "  Set-Cookie: (empty, or hidden: only the task's owner can read "
                              "it)\n");
    assert_no_secret (run.out);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/ferryctl/secrets/show", Fixture, NULL,
              fixture_set_up_offline, test_show, fixture_tear_down);
  g_test_add ("/ferryctl/secrets/show-json", Fixture, NULL,
              fixture_set_up_offline, test_show_json, fixture_tear_down);
  g_test_add ("/ferryctl/secrets/list-json", Fixture, NULL,
              fixture_set_up_offline, test_list_json, fixture_tear_down);
  g_test_add ("/ferryctl/secrets/watch", Fixture, NULL,
              fixture_set_up_offline, test_watch, fixture_tear_down);
  g_test_add ("/ferryctl/secrets/response", Fixture, NULL,
              fixture_set_up_online, test_response, fixture_tear_down);

  return g_test_run ();
}
