/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "test-ferryctl-util.h"

/*
 * The first hour with ferryctl: an agent that cannot be found is said so
 * in words; methods in any case, a URL without its scheme caught with a
 * suggestion; ids by their first characters; a list that fits a terminal;
 * watch --json for scripts.
 */

#define NOT_STARTED "The Ferry agent is not running and could not be started: "

/* No service file on the bus: nothing can start the agent. */
static void
test_agent_missing (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  const char * const *commands[] = {
    (const char * const[]) { "status", NULL },
    (const char * const[]) { "list", NULL },
    (const char * const[]) { "add", "get", "https://example.org/a", NULL },
    (const char * const[]) { "show", "0f1e2d3c", NULL },
    (const char * const[]) { "watch", NULL },
  };

  g_test_dbus_up (bus);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CtlRun) run = { 0, };

      run_ctlv (&run, NULL, commands[i]);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      assert_contains (run.err, NOT_STARTED "no D-Bus service file on this bus names");
      assert_contains (run.err, "Start it with 'ferryd' (or '_build/src/daemon/ferryd' from a "
                                "build tree)");
      assert_not_contains (run.err, "GDBus.Error");
    }
  g_test_dbus_down (bus);
}

/* No session bus at all, as on a console without a desktop session. */
static void
test_no_bus (void)
{
  g_autofree char *runtime_dir = ferry_test_make_temp_dir ();
  g_autofree char *runtime_env = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
  const char * const env[] = {
    "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", runtime_env, NULL,
  };
  const char * const stale[] = { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", NULL };

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl_full (&run, env, NULL, (const char * const[]) { "status", NULL });
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "The Ferry agent cannot be reached: there is no session bus");
    assert_contains (run.err, "export DBUS_SESSION_BUS_ADDRESS");
    assert_contains (run.err, ".ci/start");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl_full (&run, stale, NULL, (const char * const[]) { "list", NULL });
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "there is no session bus");
    assert_contains (run.err, "unix:path=/nonexistent/bus");
  }
}

static char *
add_method (const char *method,
            const char *force)
{
  g_auto(CtlRun) run = { 0, };

  run_ctl (&run, "add", method, "https://example.org/m", force);
  g_assert_cmpint (run.status, ==, 0);
  return g_strdup (g_strchomp (run.out));
}

static void
assert_method (FerryClient *client,
               const char  *id,
               const char  *method)
{
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = client_get (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_task_info_get_method (info), ==, method);
}

static void
test_methods_and_urls (Fixture       *fixture,
                       gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autofree char *get = add_method ("get", NULL);
  g_autofree char *patch = add_method ("Patch", NULL);
  g_autofree char *custom = add_method ("PROPFIND", "--force");
  g_autofree char *as_written = add_method ("get", "--force");

  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  /* The standard methods in capitals; --force sends what was written. */
  assert_method (client, get, "GET");
  assert_method (client, patch, "PATCH");
  assert_method (client, custom, "PROPFIND");
  assert_method (client, as_written, "get");

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PROPFIND", "https://example.org/m");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "METHOD: 'PROPFIND' is not one of GET, HEAD, POST, PUT, PATCH, "
                              "DELETE, OPTIONS (give --force to send it as written)");
    assert_contains (run.err, "Try 'ferryctl add --help'.");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "GET", "127.0.0.1:8080/x");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "did you mean http://127.0.0.1:8080/x?");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "GET", "localhost:8080/x");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "did you mean http://localhost:8080/x?");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "put", "example.org/notes/1");
    g_assert_cmpint (run.status, ==, 2);
    assert_contains (run.err, "did you mean https://example.org/notes/1?");
  }
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every task id, as a sorted array of strings. */
static GPtrArray *
dup_sorted_ids (FerryClient *client)
{
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint offset = 0;; offset += 1000)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;

      page = client_list (client, query, offset, 1000, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (ids, g_strdup (ferry_task_info_get_id (g_ptr_array_index (page, i))));
      if (page->len < 1000)
        break;
    }
  g_ptr_array_sort (ids, compare_ids);
  return ids;
}

static void
test_id_prefixes (Fixture       *fixture,
                  gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *ambiguous = NULL;
  g_autofree char *unique = NULL;
  const char *last;
  const char *first = NULL;
  const char *second = NULL;

  client_fixture_start_agent (&fixture->base);
  /* 2,000 random ids: two share their first 4 characters but for a chance
   * of about e^-30; and the last one added is on List's second page. */
  added = client_enqueue_many (client, "https://example.org/prefix", 2000);
  last = g_ptr_array_index (added, added->len - 1);
  ids = dup_sorted_ids (client);
  g_assert_cmpuint (ids->len, ==, 2000);
  for (guint i = 1; i < ids->len && first == NULL; i++)
    {
      if (strncmp (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i), 4) == 0)
        {
          first = g_ptr_array_index (ids, i - 1);
          second = g_ptr_array_index (ids, i);
        }
    }
  g_assert_nonnull (first);
  ambiguous = g_strndup (first, 4);
  unique = g_ascii_strup (last, 13);

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "show", ambiguous);
    g_assert_cmpint (run.status, ==, 1);
    assert_contains (run.err, "is ambiguous");
    assert_contains (run.err, first);
    assert_contains (run.err, second);
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autofree char *line = g_strdup_printf ("ID:              %s\n", last);

    /* In capitals, with its dash: as it was shown. */
    run_ctl (&run, "show", unique);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, line);
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autofree char *done = g_strdup_printf ("Cancelled %s.\n", last);

    run_ctl (&run, "cancel", unique);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, done);
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "retry", "0000000");
    if (strncmp (g_ptr_array_index (ids, 0), "0000000", 7) != 0)
      {
        g_assert_cmpint (run.status, ==, 1);
        assert_contains (run.err, "no task has an id that starts with '0000000'");
      }
  }
}

/* The length of the longest line of @text, in characters. */
static glong
widest_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  glong widest = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    widest = MAX (widest, g_utf8_strlen (lines[i], -1));
  return widest;
}

static void
test_list_width (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *url = "https://api.example.org/v1/users/42/notebooks/7/notes/1234567890";
  g_autofree char *id = NULL;
  g_autofree char *short_id = NULL;

  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "add", "PUT", url, "--app-id", "org.example.AnApplicationWithALongName",
             "--name", "a name that is longer than any column should be");
    g_assert_cmpint (run.status, ==, 0);
    id = g_strdup (g_strchomp (run.out));
    short_id = g_strndup (id, 8);
  }
  g_free (add_task ("https://example.org/short"));

  {
    g_auto(CtlRun) run = { 0, };
    g_autofree char *line_start = g_strdup_printf ("\n%s  pending", short_id);

    run_ctl (&run, "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpint (widest_line (run.out), <=, 80);
    assert_contains (run.out, line_start);
    assert_not_contains (run.out, id);
    assert_contains (run.out, "…");
    assert_contains (run.out, "PUT https://");
    /* The URL keeps its start and its end. */
    assert_contains (run.out, "7890\n");
  }
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "list", "--wide");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpint (widest_line (run.out), >, 80);
    assert_contains (run.out, id);
    assert_contains (run.out, url);
    assert_contains (run.out, "org.example.AnApplicationWithALongName");
    assert_not_contains (run.out, "…");
  }
  {
    g_auto(CtlRun) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *task;

    /* JSON is for scripts: whole, whatever the width. */
    run_ctl (&run, "list", "--json");
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    task = json_array_get_object_element (json_node_get_array (root), 0);
    g_assert_cmpstr (json_object_get_string_member (task, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (task, "url"), ==, url);
  }
  {
    g_auto(CtlRun) run = { 0, };

    /* The short id the table shows names the task. */
    run_ctl (&run, "show", short_id);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, id);
  }
}

static JsonObject *
find_event (CtlWatch   *watch,
            const char *text,
            JsonNode  **out_node)
{
  const char *line = ctl_watch_find_line (watch, text);

  g_assert_nonnull (line);
  *out_node = parse_json (line);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_node));
  return json_node_get_object (*out_node);
}

static void
test_watch_json (Fixture       *fixture,
                 gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(JsonNode) watching = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) paused = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id_member = NULL;
  CtlWatch watch = { 0, };
  JsonObject *event;

  ctl_watch_start (&watch, (const char * const[]) { "watch", "--json", NULL });
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, "\"event\":\"watching\"") != NULL, 20000);
  event = find_event (&watch, "\"event\":\"watching\"", &watching);
  g_assert_cmpstr (json_object_get_string_member (event, "title"), ==, "Offline");
  g_assert_cmpstr (json_object_get_string_member (event, "state"), ==, "offline");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (event, "time"), "Z"));

  id = add_task ("https://example.org/watched");
  id_member = g_strdup_printf ("\"id\":\"%s\"", id);
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, id_member) != NULL, 20000);
  event = find_event (&watch, id_member, &added);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "task-added");
  g_assert_cmpstr (json_object_get_string_member (event, "owner"), ==, "ferryctl");
  g_assert_cmpstr (json_object_get_string_member (event, "state"), ==, "pending");

  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  client_fixture_get_agent_pid (&fixture->base);
  {
    g_auto(CtlRun) run = { 0, };

    run_ctl (&run, "pause");
    g_assert_cmpint (run.status, ==, 0);
  }
  FERRY_TEST_WAIT (ctl_watch_find_line (&watch, "\"title\":\"Paused\"") != NULL, 20000);
  event = find_event (&watch, "\"title\":\"Paused\"", &paused);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (event, "state"), ==, "paused");

  /* Every line, one object. */
  for (guint i = 0; i < watch.lines->len; i++)
    {
      g_autoptr(JsonNode) node = parse_json (g_ptr_array_index (watch.lines, i));

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_assert_true (json_object_has_member (json_node_get_object (node), "event"));
    }
  g_assert_cmpint (ctl_watch_stop (&watch), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add_func ("/ferryctl/cli/agent-missing", test_agent_missing);
  g_test_add_func ("/ferryctl/cli/no-bus", test_no_bus);
  g_test_add ("/ferryctl/cli/methods-and-urls", Fixture, NULL,
              fixture_set_up_offline, test_methods_and_urls, fixture_tear_down);
  g_test_add ("/ferryctl/cli/id-prefixes", Fixture, NULL,
              fixture_set_up_offline, test_id_prefixes, fixture_tear_down);
  g_test_add ("/ferryctl/cli/list-width", Fixture, NULL,
              fixture_set_up_offline, test_list_width, fixture_tear_down);
  g_test_add ("/ferryctl/cli/watch-json", Fixture, NULL,
              fixture_set_up_offline, test_watch_json, fixture_tear_down);

  return g_test_run ();
}
