/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-client-fixture.h"

/* FerryTaskList against the real ferryd: paging, the page cache, and
 * following changes with correct ::items-changed. */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  ClientFixture    base;
  FerryTestServer *server;
  FerryTaskList   *list;
  GArray        *changes;        /* Change */
  guint          mirror;         /* n_items as ::items-changed tells it */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  Change change = { position, removed, added };

  /* Whoever follows only the signal ends up with the model's count. */
  g_assert_cmpuint (position + removed, <=, fixture->mirror);
  fixture->mirror = fixture->mirror - removed + added;
  g_assert_cmpuint (fixture->mirror, ==, g_list_model_get_n_items (model));
  g_array_append_val (fixture->changes, change);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "offline", FERRY_CLIENT_FLAGS_NONE);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
}

static void
fixture_set_up_online (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->server = ferry_test_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->list);
  g_clear_pointer (&fixture->changes, g_array_unref);
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
}

static void
create_list (Fixture        *fixture,
             FerryTaskQuery *query,
             guint           max_pages)
{
  fixture->list = g_object_new (FERRY_TYPE_TASK_LIST,
                                "client", fixture->base.client,
                                "query", query,
                                "page-size", 100,
                                "max-pages", max_pages,
                                "refresh-delay", 10,
                                NULL);
  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (on_items_changed), fixture);
  g_assert_true (ferry_task_list_get_loading (fixture->list));
  FERRY_TEST_WAIT (!ferry_task_list_get_loading (fixture->list), 20000);
}

static Change *
last_change (Fixture *fixture)
{
  g_assert_cmpuint (fixture->changes->len, >, 0);
  return &g_array_index (fixture->changes, Change, fixture->changes->len - 1);
}

static char *
id_at (FerryClient *client,
       guint        position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = client_list (client, NULL, position, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  return g_strdup (ferry_task_info_get_id (g_ptr_array_index (tasks, 0)));
}

static FerryTaskInfo *
item_at (Fixture *fixture,
         guint    position)
{
  return g_list_model_get_item (G_LIST_MODEL (fixture->list), position);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  GListModel *model;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(FerryTaskInfo) far = NULL;
  g_autoptr(FerryTaskInfo) next = NULL;
  g_autoptr(FerryTaskInfo) first = NULL;
  g_autofree char *far_id = NULL;
  g_autofree char *first_id = NULL;
  guint calls;

  ids = client_enqueue_many (client, "https://example.org/bulk", 10000);

  create_list (fixture, NULL, 4);
  model = G_LIST_MODEL (fixture->list);
  g_assert_true (g_list_model_get_item_type (model) == FERRY_TYPE_TASK_INFO);

  /* The count, and nothing else, came first. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);
  g_assert_cmpuint (ferry_task_list_get_count_calls (fixture->list), ==, 1);
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpuint (last_change (fixture)->position, ==, 0);
  g_assert_cmpuint (last_change (fixture)->removed, ==, 0);
  g_assert_cmpuint (last_change (fixture)->added, ==, 10000);
  g_assert_null (g_list_model_get_item (model, 10000));

  /* A far row: unloaded at first, and one List call for its page only. */
  far = item_at (fixture, 9876);
  g_assert_nonnull (far);
  g_assert_false (ferry_task_info_get_loaded (far));
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, 1);
  g_assert_cmpuint (ferry_task_list_get_n_cached_pages (fixture->list), ==, 1);

  /* Its neighbour on the same page costs nothing more. */
  next = item_at (fixture, 9877);
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, 1);

  FERRY_TEST_WAIT (ferry_task_info_get_loaded (far), 20000);
  g_assert_true (ferry_task_info_get_loaded (next));
  g_assert_cmpuint (last_change (fixture)->position, ==, 9800);
  g_assert_cmpuint (last_change (fixture)->removed, ==, 100);
  g_assert_cmpuint (last_change (fixture)->added, ==, 100);

  far_id = id_at (client, 9876);
  g_assert_cmpstr (ferry_task_info_get_id (far), ==, far_id);
  g_assert_cmpint (ferry_task_info_get_state (far), ==, FERRY_CLIENT_TASK_STATE_PENDING);
  g_assert_cmpstr (ferry_task_info_get_url (far), ==, "https://example.org/bulk");

  /* Asking again returns the same object, without a call. */
  {
    g_autoptr(FerryTaskInfo) again = item_at (fixture, 9876);

    g_assert_true (again == far);
  }
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, 1);

  /* The first row is another page: one more call. */
  first = item_at (fixture, 0);
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, 2);
  FERRY_TEST_WAIT (ferry_task_info_get_loaded (first), 20000);
  first_id = id_at (client, 0);
  g_assert_cmpstr (ferry_task_info_get_id (first), ==, first_id);

  /* Scrolling through pages keeps at most max-pages of them. */
  calls = ferry_task_list_get_list_calls (fixture->list);
  for (guint page = 10; page < 60; page += 10)
    {
      g_autoptr(FerryTaskInfo) item = item_at (fixture, page * 100 + 50);

      g_assert_cmpuint (ferry_task_list_get_n_cached_pages (fixture->list), <=, 4);
      FERRY_TEST_WAIT (ferry_task_info_get_loaded (item), 20000);
    }
  g_assert_cmpuint (ferry_task_list_get_list_calls (fixture->list), ==, calls + 5);
  g_assert_cmpuint (ferry_task_list_get_n_cached_pages (fixture->list), <=, 4);
  g_assert_cmpuint (ferry_task_list_get_count_calls (fixture->list), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);
}

static void
cancel_task (FerryClient *client,
             const char  *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_client_cancel_async (client, id, NULL, client_store_result_cb, &result);
  ferry_client_cancel_finish (client, client_wait_result (&result), &error);
  g_assert_no_error (error);
}

static void
test_updates (Fixture       *fixture,
              gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(FerryTaskInfo) row4 = NULL;
  g_autoptr(FerryTaskInfo) row5 = NULL;
  g_autoptr(FerryTaskInfo) row210 = NULL;
  g_autoptr(FerryTaskInfo) after = NULL;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *row5_id = NULL;
  g_autofree char *row6_id = NULL;
  GListModel *model;
  guint counts;

  ids = client_enqueue_many (client, "https://example.org/notes", 250);

  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  create_list (fixture, query, 8);
  model = G_LIST_MODEL (fixture->list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);

  row4 = item_at (fixture, 4);
  row5 = item_at (fixture, 5);
  row210 = item_at (fixture, 210);
  FERRY_TEST_WAIT (ferry_task_info_get_loaded (row4) && ferry_task_info_get_loaded (row210),
                   20000);
  row5_id = g_strdup (ferry_task_info_get_id (row5));
  row6_id = id_at (client, 6);

  /* Added at the end: one insertion there. */
  counts = ferry_task_list_get_count_calls (fixture->list);
  request = ferry_request_new ("POST", "https://example.org/notes");
  new_id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (g_list_model_get_n_items (model) == 251, 20000);
  g_assert_cmpuint (ferry_task_list_get_count_calls (fixture->list), >, counts);
  g_assert_cmpuint (last_change (fixture)->position, ==, 250);
  g_assert_cmpuint (last_change (fixture)->removed, ==, 0);
  g_assert_cmpuint (last_change (fixture)->added, ==, 1);
  after = item_at (fixture, 250);
  FERRY_TEST_WAIT (ferry_task_info_get_loaded (after), 20000);
  g_assert_cmpstr (ferry_task_info_get_id (after), ==, new_id);

  /* Cancelled, row 5 leaves the pending list: the change starts there,
   * rows before it keep their objects, and the next task moves up. */
  cancel_task (client, row5_id);
  FERRY_TEST_WAIT (g_list_model_get_n_items (model) == 250, 20000);
  FERRY_TEST_WAIT (!ferry_task_list_get_loading (fixture->list), 20000);
  g_assert_cmpuint (last_change (fixture)->position, ==, 5);
  g_assert_cmpuint (last_change (fixture)->removed - last_change (fixture)->added, ==, 1);
  {
    g_autoptr(FerryTaskInfo) still4 = item_at (fixture, 4);
    g_autoptr(FerryTaskInfo) now5 = item_at (fixture, 5);

    g_assert_true (still4 == row4);
    FERRY_TEST_WAIT (ferry_task_info_get_loaded (now5), 20000);
    g_assert_cmpstr (ferry_task_info_get_id (now5), ==, row6_id);
  }

  /* A task of another owner, when the list shows one owner only, does not
   * touch the list. */
  {
    g_autoptr(FerryTaskQuery) mine = ferry_task_query_new ();
    g_autoptr(FerryTaskList) owned = NULL;
    g_autoptr(FerryRequest) other = ferry_request_new ("PUT", "https://example.org/other");
    g_autofree char *other_id = NULL;
    g_autofree char *followup_id = NULL;
    g_autoptr(FerryRequest) followup = NULL;

    ferry_task_query_set_owner (mine, "org.example.Mine");
    owned = g_object_new (FERRY_TYPE_TASK_LIST, "client", client, "query", mine,
                          "refresh-delay", 10, NULL);
    FERRY_TEST_WAIT (!ferry_task_list_get_loading (owned), 20000);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (owned)), ==, 0);
    counts = ferry_task_list_get_count_calls (owned);

    ferry_request_set_app_id (other, "org.example.Other");
    other_id = client_enqueue (client, other, &error);
    g_assert_no_error (error);

    followup = ferry_request_new ("PUT", "https://example.org/mine");
    ferry_request_set_app_id (followup, "org.example.Mine");
    followup_id = client_enqueue (client, followup, &error);
    g_assert_no_error (error);
    FERRY_TEST_WAIT (g_list_model_get_n_items (G_LIST_MODEL (owned)) == 1, 20000);
    FERRY_TEST_WAIT (!ferry_task_list_get_loading (owned), 20000);
    /* One recount, for the task that is ours. */
    g_assert_cmpuint (ferry_task_list_get_count_calls (owned), ==, counts + 1);
  }
}

static guint task_signals;

static void
on_task_signal (FerryClient *client,
                const char  *id,
                const char  *owner)
{
  task_signals++;
}

/* Every row the list holds shows the task the agent has at that row. */
static void
assert_matches_agent (Fixture *fixture)
{
  FerryClient *client = fixture->base.client;
  GListModel *model = G_LIST_MODEL (fixture->list);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  guint n = g_list_model_get_n_items (model);

  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  tasks = client_list (client, query, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, n);
  g_assert_cmpuint (fixture->mirror, ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTaskInfo) item = item_at (fixture, i);

      FERRY_TEST_WAIT (ferry_task_info_get_loaded (item), 20000);
      g_assert_cmpstr (ferry_task_info_get_id (item), ==,
                       ferry_task_info_get_id (g_ptr_array_index (tasks, i)));
    }
}

static void
test_stays_consistent (Fixture       *fixture,
                       gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  guint expected = 300;

  ids = client_enqueue_many (client, "https://example.org/c", expected);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  create_list (fixture, query, 3);

  g_signal_connect (client, "task-added", G_CALLBACK (on_task_signal), NULL);
  g_signal_connect (client, "task-changed", G_CALLBACK (on_task_signal), NULL);

  for (guint round = 0; round < 6; round++)
    {
      guint signals_wanted;

      /* Hold a few pages, as a view scrolled somewhere would. */
      for (guint k = 0; k < 3; k++)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->list));
          g_autoptr(FerryTaskInfo) item = item_at (fixture, g_rand_int_range (rand, 0, n));

          FERRY_TEST_WAIT (ferry_task_info_get_loaded (item), 20000);
        }

      /* Cancel some tasks anywhere, add some at the end. */
      task_signals = 0;
      signals_wanted = 0;
      for (guint k = 0; k < 4; k++)
        {
          guint index = g_rand_int_range (rand, 0, ids->len);
          const char *id = g_ptr_array_index (ids, index);

          cancel_task (client, id);
          g_ptr_array_remove_index (ids, index);
          signals_wanted++;
          expected--;
        }
      for (guint k = 0; k < 3; k++)
        {
          g_autoptr(FerryRequest) request = ferry_request_new ("PUT", "https://example.org/c");
          g_autoptr(GError) error = NULL;

          g_ptr_array_add (ids, client_enqueue (client, request, &error));
          g_assert_no_error (error);
          signals_wanted++;
          expected++;
        }

      FERRY_TEST_WAIT (task_signals >= signals_wanted, 20000);
      FERRY_TEST_WAIT (!ferry_task_list_get_loading (fixture->list), 20000);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, expected);
    }

  assert_matches_agent (fixture);
  g_signal_handlers_disconnect_by_func (client, on_task_signal, NULL);
}

/* A run delivering hundreds of tasks sends a storm of signals; the list of
 * pending tasks follows it down to empty, and the history up to full. */
static void
test_during_sync (Fixture       *fixture,
                  gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryTaskQuery) pending = ferry_task_query_new ();
  g_autoptr(FerryTaskQuery) done = ferry_task_query_new ();
  g_autoptr(FerryTaskList) history = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/items");

  ferry_test_server_set_default (fixture->server, "/items", 201, NULL, "{}");
  client_fixture_start_agent (&fixture->base);

  /* Held until both lists look at the queue. */
  ferry_test_server_hold (fixture->server, "/items");
  ids = client_enqueue_many (client, url, 400);

  ferry_task_query_add_state (pending, FERRY_CLIENT_TASK_STATE_PENDING);
  ferry_task_query_add_state (pending, FERRY_CLIENT_TASK_STATE_RUNNING);
  create_list (fixture, pending, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 400);

  ferry_task_query_add_state (done, FERRY_CLIENT_TASK_STATE_SUCCEEDED);
  ferry_task_query_set_newest_first (done, TRUE);
  history = g_object_new (FERRY_TYPE_TASK_LIST, "client", client, "query", done,
                          "refresh-delay", 10, NULL);
  FERRY_TEST_WAIT (!ferry_task_list_get_loading (history), 20000);

  /* Rows from both ends are held, as a view would. */
  {
    g_autoptr(FerryTaskInfo) head = item_at (fixture, 0);
    g_autoptr(FerryTaskInfo) tail = item_at (fixture, 399);

    FERRY_TEST_WAIT (ferry_task_info_get_loaded (head) && ferry_task_info_get_loaded (tail),
                     20000);
  }

  ferry_test_server_release (fixture->server, "/items");
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 0, 30000);
  FERRY_TEST_WAIT (!ferry_task_list_get_loading (fixture->list)
                   && g_list_model_get_n_items (G_LIST_MODEL (fixture->list)) == 0, 20000);
  g_assert_cmpuint (fixture->mirror, ==, 0);
  FERRY_TEST_WAIT (!ferry_task_list_get_loading (history)
                   && g_list_model_get_n_items (G_LIST_MODEL (history)) == 400, 20000);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/items"), ==, 400);
}

static void
test_follows_agent (Fixture       *fixture,
                    gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  /* An empty list, made before the agent runs, starts it and counts. */
  create_list (fixture, NULL, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_true (ferry_client_get_agent_running (client));
  client_fixture_get_agent_pid (&fixture->base);

  ids = client_enqueue_many (client, "https://example.org/a", 3);
  FERRY_TEST_WAIT (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)) == 3, 20000);

  /* A restarted agent is counted afresh. */
  client_fixture_stop_agent (&fixture->base);
  request = ferry_request_new ("PUT", "https://example.org/b");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  client_fixture_get_agent_pid (&fixture->base);
  FERRY_TEST_WAIT (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)) == 4, 20000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add ("/client/task-list/paging", Fixture, NULL,
              fixture_set_up, test_paging, fixture_tear_down);
  g_test_add ("/client/task-list/updates", Fixture, NULL,
              fixture_set_up, test_updates, fixture_tear_down);
  g_test_add ("/client/task-list/stays-consistent", Fixture, NULL,
              fixture_set_up, test_stays_consistent, fixture_tear_down);
  g_test_add ("/client/task-list/during-sync", Fixture, NULL,
              fixture_set_up_online, test_during_sync, fixture_tear_down);
  g_test_add ("/client/task-list/follows-agent", Fixture, NULL,
              fixture_set_up, test_follows_agent, fixture_tear_down);

  return g_test_run ();
}
