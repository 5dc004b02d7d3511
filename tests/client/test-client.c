/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-request-private.h"
#include "ferry-task-info-private.h"

#include "ferry-client-fixture.h"

/* FerryClient against the real ferryd on a private bus. */

typedef struct
{
  ClientFixture base;
  FerryTestServer *server;
} Fixture;

static void
fixture_set_up_offline (Fixture       *fixture,
                        gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "offline", FERRY_CLIENT_FLAGS_NONE);
}

static void
fixture_set_up_online (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->server = ferry_test_server_new ();
  client_fixture_set_up (&fixture->base, "full", FERRY_CLIENT_FLAGS_NONE);
}

static void
fixture_set_up_no_auto_start (Fixture       *fixture,
                              gconstpointer  data)
{
  client_fixture_set_up (&fixture->base, "offline", FERRY_CLIENT_FLAGS_DO_NOT_AUTO_START);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
}

/* Every property notification must carry a new value. */
typedef struct
{
  GHashTable *last;          /* property name → GValue * */
  GHashTable *counts;        /* property name → count */
} NotifyLog;

static void
free_value (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

static GValue *
dup_property (GObject    *object,
              GParamSpec *pspec)
{
  GValue *value = g_new0 (GValue, 1);

  g_value_init (value, pspec->value_type);
  g_object_get_property (object, pspec->name, value);
  return value;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  GValue *value = dup_property (object, pspec);
  GValue *previous = g_hash_table_lookup (log->last, pspec->name);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  if (previous != NULL && g_param_values_cmp (pspec, previous, value) == 0)
    g_error ("::notify for %s without a change", pspec->name);

  g_hash_table_replace (log->last, (gpointer) pspec->name, value);
  g_hash_table_replace (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static void
notify_log_init (NotifyLog *log,
                 GObject   *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  log->last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_value);
  log->counts = g_hash_table_new (g_str_hash, g_str_equal);

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (pspecs[i]->flags & G_PARAM_READABLE)
        g_hash_table_replace (log->last, (gpointer) pspecs[i]->name,
                              dup_property (object, pspecs[i]));
    }
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), log);
}

static guint
notify_log_count (NotifyLog  *log,
                  const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
notify_log_clear (NotifyLog *log,
                  GObject   *object)
{
  g_signal_handlers_disconnect_by_func (object, on_notify, log);
  g_clear_pointer (&log->last, g_hash_table_unref);
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

typedef struct
{
  GPtrArray *events;         /* "signal-name id" strings */
} SignalLog;

static void
log_event (SignalLog  *log,
           const char *name,
           const char *id)
{
  g_ptr_array_add (log->events, g_strdup_printf ("%s %s", name, id != NULL ? id : ""));
}

static void
on_task_added (FerryClient          *client,
               const char           *id,
               const char           *owner,
               FerryClientTaskState  state,
               SignalLog            *log)
{
  g_assert_cmpint (state, ==, FERRY_CLIENT_TASK_STATE_PENDING);
  log_event (log, "task-added", id);
}

static void
on_task_succeeded (FerryClient *client,
                   const char  *id,
                   const char  *owner,
                   guint        status,
                   SignalLog   *log)
{
  g_assert_cmpuint (status, ==, 201);
  log_event (log, "task-succeeded", id);
}

static void
on_task_failed (FerryClient *client,
                const char  *id,
                const char  *owner,
                const char  *reason,
                SignalLog   *log)
{
  g_assert_nonnull (reason);
  log_event (log, "task-failed", id);
}

static void
on_conflict_detected (FerryClient *client,
                      const char  *id,
                      const char  *owner,
                      SignalLog   *log)
{
  log_event (log, "conflict-detected", id);
}

static void
on_run_started (FerryClient *client,
                SignalLog   *log)
{
  log_event (log, "run-started", NULL);
}

static void
on_run_finished (FerryClient *client,
                 GVariant    *summary,
                 SignalLog   *log)
{
  guint32 succeeded = 0;

  g_assert_true (g_variant_is_of_type (summary, G_VARIANT_TYPE_VARDICT));
  g_variant_lookup (summary, "succeeded", "u", &succeeded);
  log_event (log, "run-finished", NULL);
}

static gboolean
signal_log_has (SignalLog  *log,
                const char *name,
                const char *id)
{
  g_autofree char *event = g_strdup_printf ("%s %s", name, id != NULL ? id : "");

  for (guint i = 0; i < log->events->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (log->events, i), event))
        return TRUE;
    }
  return FALSE;
}

static void
signal_log_init (SignalLog   *log,
                 FerryClient *client)
{
  log->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (client, "task-added", G_CALLBACK (on_task_added), log);
  g_signal_connect (client, "task-succeeded", G_CALLBACK (on_task_succeeded), log);
  g_signal_connect (client, "task-failed", G_CALLBACK (on_task_failed), log);
  g_signal_connect (client, "conflict-detected", G_CALLBACK (on_conflict_detected), log);
  g_signal_connect (client, "run-started", G_CALLBACK (on_run_started), log);
  g_signal_connect (client, "run-finished", G_CALLBACK (on_run_finished), log);
}

static void
signal_log_clear (SignalLog   *log,
                  FerryClient *client)
{
  g_signal_handlers_disconnect_by_data (client, log);
  g_clear_pointer (&log->events, g_ptr_array_unref);
}

static gboolean
is_uuid (const char *id)
{
  return id != NULL && g_uuid_string_is_valid (id);
}

static FerryClientTaskState
task_state (FerryClient *client,
            const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = client_get (client, id, &error);

  g_assert_no_error (error);
  return ferry_task_info_get_state (info);
}

static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  FerryClient *client = fixture->base.client;

  /* Creating the client does not start the agent. */
  g_assert_false (ferry_client_get_agent_running (client));
  g_assert_null (ferry_client_get_agent_owner (client));
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_UNKNOWN);
  g_assert_cmpint (ferry_client_get_flags (client), ==, FERRY_CLIENT_FLAGS_NONE);

  client_fixture_start_agent (&fixture->base);
  g_assert_true (ferry_client_get_agent_running (client));
  g_assert_nonnull (ferry_client_get_agent_owner (client));
  g_assert_true (g_dbus_is_unique_name (ferry_client_get_agent_owner (client)));

  /* The properties already hold the agent's values: the network is fixed
   * offline for this test. */
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_OFFLINE);
  g_assert_false (ferry_client_get_online (client));
  g_assert_false (ferry_client_get_paused (client));
  g_assert_cmpuint (ferry_client_get_pending_count (client), ==, 0);
  g_assert_cmpuint (ferry_client_get_failed_count (client), ==, 0);
  g_assert_cmpint (ferry_client_get_last_sync_time (client), ==, 0);

  /* A second start finds it running. */
  client_fixture_start_agent (&fixture->base);
}

static void
test_properties_follow_sync (Fixture       *fixture,
                             gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/notes/1");
  g_autofree char *id = NULL;
  NotifyLog notify_log;
  SignalLog signal_log;
  gint64 before = g_get_real_time ();

  ferry_test_server_set_default (fixture->server, "/notes/1", 201, NULL, "{\"ok\":true}");
  client_fixture_start_agent (&fixture->base);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_IDLE, 10000);
  g_assert_true (ferry_client_get_online (client));

  notify_log_init (&notify_log, G_OBJECT (client));
  signal_log_init (&signal_log, client);

  /* Held in flight, the task shows as pending and the run as syncing. */
  ferry_test_server_hold (fixture->server, "/notes/1");
  request = ferry_request_new ("PUT", url);
  ferry_request_set_body_text (request, "{\"text\":\"hello\"}", "application/json");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  g_assert_true (is_uuid (id));

  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) == 1, 10000);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_SYNCING, 10000);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 1, 10000);
  FERRY_TEST_WAIT (ferry_client_get_progress_total (client) >= 1, 10000);
  g_assert_true (signal_log_has (&signal_log, "task-added", id));
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "run-started", NULL), 10000);
  g_assert_cmpint (task_state (client, id), ==, FERRY_CLIENT_TASK_STATE_RUNNING);

  ferry_test_server_release (fixture->server, "/notes/1");

  FERRY_TEST_WAIT (signal_log_has (&signal_log, "task-succeeded", id), 10000);
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "run-finished", NULL), 10000);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 0, 10000);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_IDLE, 10000);
  FERRY_TEST_WAIT (ferry_client_get_last_sync_time (client) >= before, 10000);
  g_assert_cmpint (task_state (client, id), ==, FERRY_CLIENT_TASK_STATE_SUCCEEDED);

  /* Notified only what moved. */
  g_assert_cmpuint (notify_log_count (&notify_log, "pending-count"), >=, 2);
  g_assert_cmpuint (notify_log_count (&notify_log, "state"), >=, 2);
  g_assert_cmpuint (notify_log_count (&notify_log, "last-sync-time"), >=, 1);
  g_assert_cmpuint (notify_log_count (&notify_log, "paused"), ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "metered"), ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "online"), ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "agent-running"), ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "failed-count"), ==, 0);

  signal_log_clear (&signal_log, client);
  notify_log_clear (&notify_log, G_OBJECT (client));
}

static void
assert_error_message_clean (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "GDBus.Error"));
  g_assert_null (strstr (error->message, "io.github.ferrysync.Ferry1.Error"));
}

static void
test_methods (Fixture       *fixture,
              gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(FerryTaskQuery) query = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"title\":\"x\"}", 13);
  g_autoptr(GBytes) base = g_bytes_new_static ("{\"title\":\"\"}", 12);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  gint64 now = g_get_real_time ();
  guint count = 0;

  /* The first call starts the agent. */
  request = ferry_request_new ("PATCH", "https://example.org/notes/7");
  ferry_request_add_header (request, "X-Trace", "abc");
  ferry_request_add_header (request, "Authorization", "Bearer secret");
  ferry_request_set_body (request, body, "application/json");
  ferry_request_set_priority (request, FERRY_CLIENT_PRIORITY_HIGH);
  ferry_request_set_name (request, "note-7");
  ferry_request_set_unique (request, FERRY_CLIENT_UNIQUE_APPEND);
  ferry_request_set_group (request, "notes");
  ferry_request_set_idempotency_key (request, "key-7");
  ferry_request_set_if_match (request, "\"v1\"");
  ferry_request_set_max_attempts (request, 3);
  ferry_request_set_not_before (request, now - G_USEC_PER_SEC);
  ferry_request_set_expires (request, now + (gint64) 3600 * G_USEC_PER_SEC);
  ferry_request_set_unmetered_only (request, TRUE);
  ferry_request_set_conflict_strategy (request, FERRY_CLIENT_CONFLICT_MERGE);
  ferry_request_set_conflict_url (request, "https://example.org/notes/7?full=1");
  ferry_request_set_base (request, base);
  ferry_request_add_merge_rule (request, "/title", "local");
  ferry_request_add_merge_rule (request, "/tags", "local");
  ferry_request_add_merge_rule (request, "/title", "remote");
  ferry_request_set_timestamp_pointer (request, "/meta/modified");
  g_assert_cmpstr (ferry_request_get_method (request), ==, "PATCH");
  g_assert_cmpstr (ferry_request_get_url (request), ==, "https://example.org/notes/7");

  g_assert_false (ferry_client_get_agent_running (client));
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  g_assert_true (is_uuid (id));
  g_assert_true (ferry_client_get_agent_running (client));
  client_fixture_get_agent_pid (&fixture->base);

  /* get */
  info = client_get (client, id, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_task_info_get_loaded (info));
  g_assert_cmpstr (ferry_task_info_get_id (info), ==, id);
  g_assert_cmpstr (ferry_task_info_get_method (info), ==, "PATCH");
  g_assert_cmpstr (ferry_task_info_get_url (info), ==, "https://example.org/notes/7");
  g_assert_cmpstr (ferry_task_info_get_name (info), ==, "note-7");
  g_assert_cmpstr (ferry_task_info_get_group (info), ==, "notes");
  g_assert_nonnull (ferry_task_info_get_owner (info));
  g_assert_cmpint (ferry_task_info_get_priority (info), ==, FERRY_CLIENT_PRIORITY_HIGH);
  g_assert_cmpint (ferry_task_info_get_state (info), ==, FERRY_CLIENT_TASK_STATE_PENDING);
  g_assert_cmpstr (ferry_task_info_get_state_name (info), ==, "pending");
  g_assert_cmpuint (ferry_task_info_get_attempts (info), ==, 0);
  g_assert_cmpuint (ferry_task_info_get_max_attempts (info), ==, 3);
  g_assert_cmpint (ferry_task_info_get_not_before (info), ==, now - G_USEC_PER_SEC);
  g_assert_cmpint (ferry_task_info_get_expires (info), ==, now + (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_true (ferry_task_info_get_unmetered_only (info));
  g_assert_cmpstr (ferry_task_info_get_idempotency_key (info), ==, "key-7");
  g_assert_cmpstr (ferry_task_info_get_if_match (info), ==, "\"v1\"");
  g_assert_cmpint (ferry_task_info_get_conflict_strategy (info), ==, FERRY_CLIENT_CONFLICT_MERGE);
  {
    const char * const *rules = ferry_task_info_get_merge_rules (info);
    const char * const expected[] = { "/tags", "local", "/title", "remote", NULL };

    g_assert_nonnull (rules);
    g_assert_true (g_strv_equal (rules, expected));
  }
  g_assert_cmpstr (ferry_task_info_get_timestamp_pointer (info), ==, "/meta/modified");
  g_assert_nonnull (ferry_task_info_get_base (info));
  g_assert_cmpstr (ferry_task_info_get_conflict_url (info), ==,
                   "https://example.org/notes/7?full=1");
  g_assert_cmpstr (ferry_task_info_get_content_type (info), ==, "application/json");
  g_assert_cmpuint (ferry_task_info_get_body_size (info), ==, 13);
  g_assert_nonnull (ferry_task_info_get_body (info));
  g_assert_true (g_bytes_equal (ferry_task_info_get_body (info), body));
  g_assert_cmpstr (ferry_task_info_get_header (info, "x-trace"), ==, "abc");
  /* We own the task: the credential is ours to see. */
  g_assert_cmpstr (ferry_task_info_get_header (info, "Authorization"), ==, "Bearer secret");
  g_assert_cmpint (ferry_task_info_get_created (info), >=, now);
  g_assert_cmpint (ferry_task_info_get_updated (info), >=, ferry_task_info_get_created (info));
  g_clear_object (&info);

  /* app-id names another owner. */
  g_clear_object (&request);
  request = ferry_request_new ("DELETE", "https://example.org/notes/8");
  ferry_request_set_app_id (request, "org.example.Notes");
  ferry_request_add_secret_header (request, "X-Session");
  ferry_request_add_header (request, "X-Session", "s3cret");
  other_id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  info = client_get (client, other_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_task_info_get_owner (info), ==, "org.example.Notes");
  g_assert_cmpint (ferry_task_info_get_body_size (info), ==, 0);
  g_clear_object (&info);

  /* list and count, with and without a query */
  tasks = client_list (client, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (ferry_task_info_get_id (g_ptr_array_index (tasks, 0)), ==, id);
  g_assert_cmpstr (ferry_task_info_get_id (g_ptr_array_index (tasks, 1)), ==, other_id);
  /* List stays light: no bodies. */
  g_assert_null (ferry_task_info_get_body (g_ptr_array_index (tasks, 0)));
  g_assert_cmpuint (ferry_task_info_get_body_size (g_ptr_array_index (tasks, 0)), ==, 13);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_cmpuint (client_count (client, NULL), ==, 2);

  query = ferry_task_query_new ();
  ferry_task_query_set_owner (query, "org.example.Notes");
  tasks = client_list (client, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (ferry_task_info_get_id (g_ptr_array_index (tasks, 0)), ==, other_id);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_cmpuint (client_count (client, query), ==, 1);

  ferry_task_query_set_owner (query, NULL);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_FAILED);
  g_assert_cmpuint (client_count (client, query), ==, 0);
  ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
  g_assert_cmpuint (client_count (client, query), ==, 2);
  ferry_task_query_set_states (query, 0);
  ferry_task_query_set_search (query, "notes/8");
  g_assert_cmpuint (client_count (client, query), ==, 1);
  ferry_task_query_set_search (query, NULL);
  ferry_task_query_set_name (query, "note-7");
  g_assert_cmpuint (client_count (client, query), ==, 1);
  ferry_task_query_set_name (query, NULL);
  ferry_task_query_set_group (query, "notes");
  ferry_task_query_set_newest_first (query, TRUE);
  tasks = client_list (client, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  /* Errors arrive as FERRY_ERROR, with the argument named. */
  info = client_get (client, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  assert_error_message_clean (error);
  g_assert_null (info);
  g_clear_error (&error);

  info = client_get (client, "not-an-id", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  assert_error_message_clean (error);
  g_clear_error (&error);

  g_clear_object (&request);
  request = ferry_request_new ("PUT", "ftp://example.org/file");
  g_clear_pointer (&id, g_free);
  id = client_enqueue (client, request, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "url"));
  assert_error_message_clean (error);
  g_assert_null (id);
  g_clear_error (&error);

  tasks = client_list (client, NULL, 0, 0, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_null (tasks);
  g_clear_error (&error);

  /* Retrying or resolving a pending task does not fit its state. */
  ferry_client_resolve_async (client, other_id, FERRY_CLIENT_RESOLVE_LOCAL, NULL, NULL,
                              client_store_result_cb, &result);
  g_assert_false (ferry_client_resolve_finish (client, client_wait_result (&result), &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* cancel, then again */
  ferry_client_cancel_async (client, other_id, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_cancel_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (task_state (client, other_id), ==, FERRY_CLIENT_TASK_STATE_CANCELLED);

  ferry_client_cancel_async (client, other_id, NULL, client_store_result_cb, &result);
  g_assert_false (ferry_client_cancel_finish (client, client_wait_result (&result), &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  assert_error_message_clean (error);
  g_clear_error (&error);
  g_clear_object (&result);

  ferry_client_retry_async (client, other_id, NULL, client_store_result_cb, &result);
  g_assert_false (ferry_client_retry_finish (client, client_wait_result (&result), &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  ferry_client_retry_async (client, "00000000-0000-4000-8000-000000000000", NULL,
                            client_store_result_cb, &result);
  g_assert_false (ferry_client_retry_finish (client, client_wait_result (&result), &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  ferry_client_retry_all_async (client, NULL, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_retry_all_finish (client, client_wait_result (&result), &count,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);
  g_clear_object (&result);

  /* Cancel all, for an app with no tasks: the query goes along. */
  {
    g_autoptr(FerryTaskQuery) nobody = ferry_task_query_new ();

    ferry_task_query_set_owner (nobody, "org.example.Nobody");
    ferry_client_cancel_all_async (client, nobody, NULL, client_store_result_cb, &result);
    g_assert_true (ferry_client_cancel_all_finish (client, client_wait_result (&result), &count,
                                                   &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count, ==, 0);
    g_clear_object (&result);
  }

  /* pause, resume, sync now */
  ferry_client_pause_async (client, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_pause_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  FERRY_TEST_WAIT (ferry_client_get_paused (client), 10000);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_PAUSED, 10000);

  ferry_client_sync_now_async (client, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_sync_now_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  ferry_client_resume_async (client, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_resume_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  FERRY_TEST_WAIT (!ferry_client_get_paused (client), 10000);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_OFFLINE, 10000);
  g_assert_cmpuint (ferry_client_get_pending_count (client), ==, 1);
}

static void
test_retry_and_resolve (Fixture       *fixture,
                        gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) merged = g_bytes_new_static ("{\"title\":\"merged\"}", 18);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing_url = ferry_test_server_url (fixture->server, "/missing");
  g_autofree char *doc_url = ferry_test_server_url (fixture->server, "/doc");
  g_autofree char *failed_id = NULL;
  g_autofree char *conflict_id = NULL;
  FerryTestRequest *last;
  SignalLog signal_log;

  client_fixture_start_agent (&fixture->base);
  signal_log_init (&signal_log, client);

  /* A 404 fails for good; a retry sends it again. */
  ferry_test_server_push_reply (fixture->server, "/missing", 404, NULL, "no such thing");
  ferry_test_server_set_default (fixture->server, "/missing", 201, NULL, "made");
  request = ferry_request_new ("PUT", missing_url);
  failed_id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "task-failed", failed_id), 10000);
  FERRY_TEST_WAIT (ferry_client_get_failed_count (client) == 1, 10000);
  FERRY_TEST_WAIT (ferry_client_get_state (client) == FERRY_AGENT_STATE_ATTENTION, 10000);
  g_assert_cmpint (task_state (client, failed_id), ==, FERRY_CLIENT_TASK_STATE_FAILED);

  ferry_client_retry_async (client, failed_id, NULL, client_store_result_cb, &result);
  g_assert_true (ferry_client_retry_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "task-succeeded", failed_id), 10000);
  FERRY_TEST_WAIT (ferry_client_get_failed_count (client) == 0, 10000);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/missing"), ==, 2);

  /* A 409 waits in conflict (strategy ask) until resolved with a body. */
  ferry_test_server_push_reply (fixture->server, "/doc", 409, NULL, "{\"title\":\"theirs\"}");
  ferry_test_server_set_default (fixture->server, "/doc", 201, NULL, "{\"title\":\"theirs\"}");
  g_clear_object (&request);
  request = ferry_request_new ("PUT", doc_url);
  ferry_request_set_body_text (request, "{\"title\":\"mine\"}", "application/json");
  conflict_id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "conflict-detected", conflict_id), 10000);
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 1, 10000);
  g_assert_cmpint (task_state (client, conflict_id), ==, FERRY_CLIENT_TASK_STATE_CONFLICT);

  ferry_client_resolve_async (client, conflict_id, FERRY_CLIENT_RESOLVE_BODY, merged, NULL,
                              client_store_result_cb, &result);
  g_assert_true (ferry_client_resolve_finish (client, client_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  FERRY_TEST_WAIT (signal_log_has (&signal_log, "task-succeeded", conflict_id), 10000);
  FERRY_TEST_WAIT (ferry_client_get_conflict_count (client) == 0, 10000);

  /* The merged body, not the local one, went out last. */
  requests = ferry_test_server_dup_requests (fixture->server, "/doc");
  g_assert_cmpuint (requests->len, >=, 2);
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (last->method, ==, "PUT");
  g_assert_true (g_bytes_equal (last->body, merged));

  signal_log_clear (&signal_log, client);
}

static guint appeared;
static guint vanished;

static void
on_agent_appeared (FerryClient *client,
                   gpointer     user_data)
{
  g_assert_true (ferry_client_get_agent_running (client));
  appeared++;
}

static void
on_agent_vanished (FerryClient *client,
                   gpointer     user_data)
{
  g_assert_false (ferry_client_get_agent_running (client));
  vanished++;
}

static void
test_agent_restart (Fixture       *fixture,
                    gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryClient) starter = NULL;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *first_owner = NULL;
  guint count = 0;

  appeared = vanished = 0;
  g_signal_connect (client, "agent-appeared", G_CALLBACK (on_agent_appeared), NULL);
  g_signal_connect (client, "agent-vanished", G_CALLBACK (on_agent_vanished), NULL);

  /* This client never starts the agent by itself. */
  g_assert_false (ferry_client_get_agent_running (client));
  ferry_client_count_async (client, NULL, NULL, client_store_result_cb, &result);
  g_assert_false (ferry_client_count_finish (client, client_wait_result (&result), &count,
                                             &error));
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
  g_assert_false (ferry_client_get_agent_running (client));
  g_clear_error (&error);
  g_clear_object (&result);

  /* But it starts it when asked. */
  client_fixture_start_agent (&fixture->base);
  g_assert_cmpuint (appeared, ==, 1);
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_OFFLINE);
  first_owner = g_strdup (ferry_client_get_agent_owner (client));

  request = ferry_request_new ("PUT", "https://example.org/kept");
  id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 1, 10000);

  /* It goes away: followed, and the mirrored state resets. */
  client_fixture_stop_agent (&fixture->base);
  g_assert_cmpuint (vanished, ==, 1);
  g_assert_null (ferry_client_get_agent_owner (client));
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_UNKNOWN);
  g_assert_cmpuint (ferry_client_get_pending_count (client), ==, 0);

  /* Another client, allowed to, starts it again on its first call; this
   * one follows, and the task survived. */
  starter = client_fixture_new_client (&fixture->base, fixture->base.connection,
                                       FERRY_CLIENT_FLAGS_NONE);
  g_assert_false (ferry_client_get_agent_running (starter));
  g_assert_cmpuint (client_count (starter, NULL), ==, 1);
  FERRY_TEST_WAIT (ferry_client_get_agent_running (client), 10000);
  g_assert_cmpuint (appeared, ==, 2);
  g_assert_cmpstr (ferry_client_get_agent_owner (client), !=, first_owner);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 1, 10000);
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_OFFLINE);
  client_fixture_get_agent_pid (&fixture->base);

  g_signal_handlers_disconnect_by_func (client, on_agent_appeared, NULL);
  g_signal_handlers_disconnect_by_func (client, on_agent_vanished, NULL);
}

/* Cancels tasks one by one at a steady pace, a few in flight, and notes
 * which cancellations the client heard of. */
typedef struct
{
  FerryClient *client;
  GPtrArray   *ids;
  guint        next;
  guint        in_flight;
  guint        answered;
  GHashTable  *heard;        /* ids said cancelled by task-changed */
  guint        tick_id;
} Canceller;

static void
cancel_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Canceller *canceller = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_client_cancel_finish (FERRY_CLIENT (source), result, &error));
  g_assert_no_error (error);
  canceller->in_flight--;
  canceller->answered++;
}

static gboolean
cancel_tick (gpointer user_data)
{
  Canceller *canceller = user_data;

  if (canceller->next == canceller->ids->len)
    {
      canceller->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (canceller->in_flight < 4)
    {
      canceller->in_flight++;
      ferry_client_cancel_async (canceller->client,
                                 g_ptr_array_index (canceller->ids, canceller->next++), NULL,
                                 cancel_cb, canceller);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_task_changed_cancelled (FerryClient          *client,
                           const char           *id,
                           const char           *owner,
                           FerryClientTaskState  state,
                           Canceller            *canceller)
{
  if (state == FERRY_CLIENT_TASK_STATE_CANCELLED)
    g_hash_table_add (canceller->heard, g_strdup (id));
}

/* The agent moves to a new bus connection after a large body: the client
 * follows without taking it for a restart, and hears every signal sent
 * while calls were in flight across the move. */
static void
test_agent_moves (Fixture       *fixture,
                  gconstpointer  data)
{
  FerryClient *client = fixture->base.client;
  g_autoptr(FerryRequest) request = ferry_request_new ("PUT", "https://example.org/large");
  g_autoptr(GBytes) large = g_bytes_new_take (g_malloc0 (2 * 1024 * 1024), 2 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autofree char *large_id = NULL;
  g_autofree char *first_owner = NULL;
  Canceller canceller = { client, NULL, 0, 0, 0, NULL, 0 };
  NotifyLog notify_log;

  canceller.ids = client_enqueue_many (client, "https://example.org/small", 400);
  canceller.heard = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first_owner = g_strdup (ferry_client_get_agent_owner (client));
  g_assert_nonnull (first_owner);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 400, 10000);

  appeared = vanished = 0;
  g_signal_connect (client, "agent-appeared", G_CALLBACK (on_agent_appeared), NULL);
  g_signal_connect (client, "agent-vanished", G_CALLBACK (on_agent_vanished), NULL);
  g_signal_connect (client, "task-changed", G_CALLBACK (on_task_changed_cancelled), &canceller);
  notify_log_init (&notify_log, G_OBJECT (client));

  /* A large body, then cancellations one every 10 ms: the move comes in
   * the middle of them. */
  ferry_request_set_body (request, large, "application/octet-stream");
  large_id = client_enqueue (client, request, &error);
  g_assert_no_error (error);
  canceller.tick_id = g_timeout_add (10, cancel_tick, &canceller);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_client_get_agent_owner (client), first_owner) != 0, 20000);
  g_test_message ("the agent moved after %u of %u cancellations", canceller.answered,
                  canceller.ids->len);
  FERRY_TEST_WAIT (canceller.answered == canceller.ids->len, 30000);
  FERRY_TEST_WAIT (g_hash_table_size (canceller.heard) == canceller.ids->len, 10000);

  /* Not a restart: nothing vanished, nothing to read again. */
  g_assert_cmpuint (vanished, ==, 0);
  g_assert_cmpuint (appeared, ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "agent-running"), ==, 0);
  g_assert_cmpuint (notify_log_count (&notify_log, "agent-owner"), ==, 1);
  g_assert_true (ferry_client_get_agent_running (client));
  g_assert_cmpint (ferry_client_get_state (client), ==, FERRY_AGENT_STATE_OFFLINE);
  FERRY_TEST_WAIT (ferry_client_get_pending_count (client) == 1, 10000);
  g_assert_cmpuint (client_count (client, NULL), ==, 401);

  g_clear_handle_id (&canceller.tick_id, g_source_remove);
  notify_log_clear (&notify_log, G_OBJECT (client));
  g_signal_handlers_disconnect_by_func (client, on_task_changed_cancelled, &canceller);
  g_signal_handlers_disconnect_by_func (client, on_agent_appeared, NULL);
  g_signal_handlers_disconnect_by_func (client, on_agent_vanished, NULL);
  g_hash_table_unref (canceller.heard);
  g_ptr_array_unref (canceller.ids);
}

static void
test_task_info_from_variant (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GVariant) not_a_dict = g_variant_ref_sink (g_variant_new_string ("x"));
  GVariantDict dict;
  g_autoptr(GVariant) task = NULL;

  info = ferry_task_info_new_from_variant (not_a_dict, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
  g_assert_null (info);
  g_clear_error (&error);

  /* Unknown keys are ignored; values of the wrong type count as absent;
   * a state this library does not know keeps its name. */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", "0b0e3c5a-52f4-4bd4-9d3e-0c6a3c0f6a11");
  g_variant_dict_insert (&dict, "state", "s", "teleporting");
  g_variant_dict_insert (&dict, "attempts", "s", "three");
  g_variant_dict_insert (&dict, "future-key", "b", TRUE);
  task = g_variant_ref_sink (g_variant_dict_end (&dict));
  info = ferry_task_info_new_from_variant (task, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_task_info_get_loaded (info));
  g_assert_cmpint (ferry_task_info_get_state (info), ==, FERRY_CLIENT_TASK_STATE_UNKNOWN);
  g_assert_cmpstr (ferry_task_info_get_state_name (info), ==, "teleporting");
  g_assert_cmpuint (ferry_task_info_get_attempts (info), ==, 0);
  g_assert_null (ferry_task_info_get_url (info));
}

static void
test_request_to_variant (void)
{
  g_autoptr(FerryRequest) request = ferry_request_new ("POST", "https://example.org/a");
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) headers = NULL;
  const char *value;
  guint32 attempts;

  ferry_request_add_header (request, "X-One", "1");
  ferry_request_add_header (request, "x-one", "2");
  ferry_request_set_max_attempts (request, 4);
  ferry_request_set_name (request, "n");
  ferry_request_set_name (request, NULL);
  dict = g_variant_ref_sink (ferry_request_to_variant (request));

  g_assert_true (g_variant_lookup (dict, "method", "&s", &value));
  g_assert_cmpstr (value, ==, "POST");
  g_assert_true (g_variant_lookup (dict, "max-attempts", "u", &attempts));
  g_assert_cmpuint (attempts, ==, 4);
  g_assert_false (g_variant_lookup (dict, "name", "&s", &value));
  headers = g_variant_lookup_value (dict, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (headers);
  g_assert_cmpuint (g_variant_n_children (headers), ==, 1);
  g_assert_true (g_variant_lookup (headers, "X-One", "&s", &value));
  g_assert_cmpstr (value, ==, "2");
}

static void
test_enums (void)
{
  FerryClientTaskState state;
  FerryClientPriority priority;
  FerryClientResolveChoice choice;

  g_assert_true (ferry_client_task_state_from_string ("auth-required", &state));
  g_assert_cmpint (state, ==, FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
  g_assert_false (ferry_client_task_state_from_string ("nope", &state));
  g_assert_null (ferry_client_task_state_to_string (FERRY_CLIENT_TASK_STATE_UNKNOWN));
  g_assert_true (ferry_client_priority_from_string ("critical", &priority));
  g_assert_cmpint (priority, ==, FERRY_CLIENT_PRIORITY_CRITICAL);
  g_assert_true (ferry_client_resolve_choice_from_string ("body", &choice));
  g_assert_cmpint (choice, ==, FERRY_CLIENT_RESOLVE_BODY);
  g_assert_cmpint (ferry_agent_state_from_string ("attention"), ==, FERRY_AGENT_STATE_ATTENTION);
  g_assert_cmpint (ferry_agent_state_from_string ("later"), ==, FERRY_AGENT_STATE_UNKNOWN);
  g_assert_cmpstr (ferry_agent_state_to_string (FERRY_AGENT_STATE_SYNCING), ==, "syncing");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();

  g_test_add_func ("/client/enums", test_enums);
  g_test_add_func ("/client/task-info/from-variant", test_task_info_from_variant);
  g_test_add_func ("/client/request/to-variant", test_request_to_variant);
  g_test_add ("/client/connect", Fixture, NULL,
              fixture_set_up_offline, test_connect, fixture_tear_down);
  g_test_add ("/client/properties-follow-sync", Fixture, NULL,
              fixture_set_up_online, test_properties_follow_sync, fixture_tear_down);
  g_test_add ("/client/methods", Fixture, NULL,
              fixture_set_up_offline, test_methods, fixture_tear_down);
  g_test_add ("/client/retry-and-resolve", Fixture, NULL,
              fixture_set_up_online, test_retry_and_resolve, fixture_tear_down);
  g_test_add ("/client/agent-restart", Fixture, NULL,
              fixture_set_up_no_auto_start, test_agent_restart, fixture_tear_down);
  g_test_add ("/client/agent-moves", Fixture, NULL,
              fixture_set_up_offline, test_agent_moves, fixture_tear_down);

  return g_test_run ();
}
