/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * ferryd under load and abuse: ten thousand tasks paged through, thousands
 * of malformed calls at once, callers that vanish mid-call.  It answers
 * every call and is still there afterwards.
 */

#define WAIT_MS 50000

/* dbus-daemon lets one connection wait for at most 128 replies by
 * default; stay under that on each connection. */
#define WINDOW_PER_CONNECTION 100

typedef struct
{
  FerryAgentFixture base;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  ferry_agent_fixture_set_up (&fixture->base, user_data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  ferry_agent_fixture_tear_down (&fixture->base);
}

static GVariant *
empty_dict (void)
{
  return g_variant_new ("a{sv}", NULL);
}

static guint
count_tasks (FerryDBusAgent *agent)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  ferry_dbus_agent_call_count_sync (agent, empty_dict (), &count, NULL, &error);
  g_assert_no_error (error);
  return count;
}

/* Paging */

typedef struct
{
  GPtrArray  *agents;       /* FerryDBusAgent, one per connection */
  guint       total;
  guint       next;         /* index of the next task to send */
  guint       answered;
  GHashTable *ids;          /* id → index */
} Pipeline;

typedef struct
{
  Pipeline *pipeline;
  guint     index;
} PipelineCall;

static void send_next (Pipeline       *pipeline,
                       FerryDBusAgent *agent);

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree PipelineCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Pipeline *pipeline = call->pipeline;

  ferry_dbus_agent_call_enqueue_finish (FERRY_DBUS_AGENT (object), &id, result, &error);
  g_assert_no_error (error);
  g_assert_false (g_hash_table_contains (pipeline->ids, id));
  g_hash_table_insert (pipeline->ids, g_steal_pointer (&id), GUINT_TO_POINTER (call->index));
  pipeline->answered++;
  send_next (pipeline, FERRY_DBUS_AGENT (object));
}

static void
send_next (Pipeline       *pipeline,
           FerryDBusAgent *agent)
{
  g_autofree char *url = NULL;
  PipelineCall *call;
  GVariant *request;

  if (pipeline->next >= pipeline->total)
    return;

  call = g_new0 (PipelineCall, 1);
  call->pipeline = pipeline;
  call->index = pipeline->next++;
  url = g_strdup_printf ("http://127.0.0.1:9/items/%u", call->index);
  request = ferry_agent_request_new ("PUT", url,
                                     "body", ferry_agent_bytes (url, strlen (url)),
                                     NULL);
  ferry_dbus_agent_call_enqueue (agent, request, NULL, enqueue_cb, call);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  user_data)
{
  const guint n_tasks = 10000;
  const guint page = 1000;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  Pipeline pipeline = { NULL, };

  /* Pipelined over four connections, a window of calls in flight each. */
  pipeline.agents = g_ptr_array_new_with_free_func (g_object_unref);
  pipeline.total = n_tasks;
  pipeline.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint c = 0; c < 4; c++)
    {
      GDBusConnection *connection = ferry_agent_fixture_connect (&fixture->base);

      g_ptr_array_add (connections, connection);
      g_ptr_array_add (pipeline.agents,
                       ferry_agent_fixture_new_proxy (&fixture->base, connection));
    }
  for (guint c = 0; c < pipeline.agents->len; c++)
    for (guint w = 0; w < WINDOW_PER_CONNECTION; w++)
      send_next (&pipeline, g_ptr_array_index (pipeline.agents, c));

  FERRY_TEST_WAIT (pipeline.answered == n_tasks, WAIT_MS);
  g_assert_cmpuint (g_hash_table_size (pipeline.ids), ==, n_tasks);
  g_assert_cmpuint (count_tasks (fixture->base.agent), ==, n_tasks);

  /* Page through: every task once, none missing. */
  for (guint offset = 0; offset < n_tasks + page; offset += page)
    {
      g_autoptr(GVariant) tasks = NULL;
      GVariantIter iter;
      GVariant *task;

      g_assert_true (ferry_dbus_agent_call_list_sync (fixture->base.agent, empty_dict (),
                                                      offset, page, &tasks, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_variant_n_children (tasks), ==, offset < n_tasks ? page : 0);

      g_variant_iter_init (&iter, tasks);
      while ((task = g_variant_iter_next_value (&iter)) != NULL)
        {
          char *id = NULL;

          g_assert_true (g_variant_lookup (task, "id", "s", &id));
          g_assert_false (g_variant_lookup (task, "body", "ay", NULL));
          g_assert_true (g_hash_table_contains (pipeline.ids, id));
          g_assert_true (g_hash_table_add (seen, g_strdup (id)));
          g_ptr_array_add (order, id);
          g_variant_unref (task);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n_tasks);

  /* The order is stable: a page asked again is the same page. */
  {
    g_autoptr(GVariant) again = NULL;

    g_assert_true (ferry_dbus_agent_call_list_sync (fixture->base.agent, empty_dict (),
                                                    4321, 50, &again, NULL, &error));
    g_assert_no_error (error);
    for (guint i = 0; i < g_variant_n_children (again); i++)
      {
        g_autoptr(GVariant) task = g_variant_get_child_value (again, i);
        const char *id;

        g_assert_true (g_variant_lookup (task, "id", "&s", &id));
        g_assert_cmpstr (id, ==, g_ptr_array_index (order, 4321 + i));
      }
  }

  g_ptr_array_unref (pipeline.agents);
  g_hash_table_unref (pipeline.ids);
  for (guint c = 0; c < connections->len; c++)
    g_dbus_connection_close_sync (g_ptr_array_index (connections, c), NULL, NULL);
}

/* Abuse */

typedef struct
{
  guint answered;
  guint ferry_errors;
  guint dbus_errors;
  guint successes;
} AbuseTally;

static void
abuse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AbuseTally *tally = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  tally->answered++;
  if (reply != NULL)
    tally->successes++;
  else if (error->domain == FERRY_ERROR)
    {
      g_assert_cmpint (error->code, ==, FERRY_ERROR_INVALID_ARGUMENT);
      tally->ferry_errors++;
    }
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    tally->dbus_errors++;
  else
    g_error ("unexpected answer to a bad call: %s", error->message);
}

static GVariant *
request_plus (const char *key,
              GVariant   *value)
{
  return ferry_agent_request_new ("PUT", "http://127.0.0.1:9/x", key, value, NULL);
}

static GVariant *
many_headers (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-H%u", i);

      g_variant_builder_add (&builder, "{ss}", name, "v");
    }
  return g_variant_builder_end (&builder);
}

/* One malformed call of kind @kind: its method and parameters. */
static const char *
bad_call (guint       kind,
          guint       serial,
          GVariant  **out_parameters)
{
  static const guint8 not_utf8[] = { 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80 };
  g_autofree char *text = NULL;

  switch (kind)
    {
    case 0:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       request_plus ("colour", g_variant_new_string ("red")));
      return "Enqueue";

    case 1:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       request_plus ("priority", g_variant_new_uint32 (serial)));
      return "Enqueue";

    case 2:
      *out_parameters = g_variant_new ("(@a{sv})", ferry_agent_request_new ("PUT", NULL, NULL));
      return "Enqueue";

    case 3:
      /* The wrong signature altogether. */
      *out_parameters = g_variant_new ("(s)", "PUT http://127.0.0.1:9/x");
      return "Enqueue";

    case 4:
      *out_parameters = g_variant_new ("(s)", "garbage");
      return "Get";

    case 5:
      *out_parameters = g_variant_new ("(@a{sv}uu)", empty_dict (), 0, 100000);
      return "List";

    case 6:
      text = g_uuid_string_random ();
      *out_parameters = g_variant_new ("(ss@ay)", text, "mine",
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                  NULL, 0, 1));
      return "Resolve";

    case 7:
      *out_parameters = g_variant_new ("()");
      return "Explode";

    case 8:
      /* A huge string now and then, a long one otherwise. */
      text = g_strnfill (serial % 200 == 8 ? 1024 * 1024 : 300, 'n');
      *out_parameters = g_variant_new ("(@a{sv})",
                                       request_plus ("name", g_variant_new_string (text)));
      return "Enqueue";

    case 9:
      /* Binary junk is fine as a body; the URL is what is wrong here. */
      *out_parameters = g_variant_new ("(@a{sv})",
                                       ferry_agent_request_new ("PUT", "http://",
                                                                "body",
                                                                ferry_agent_bytes (not_utf8,
                                                                                   sizeof not_utf8),
                                                                NULL));
      return "Enqueue";

    case 10:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       g_variant_new_parsed ("{'states': <'failed'>}"));
      return "Count";

    case 11:
      *out_parameters = g_variant_new ("(@a{sv})", request_plus ("headers", many_headers ()));
      return "Enqueue";

    case 12:
      text = g_strnfill (64 * 1024, 'i');
      *out_parameters = g_variant_new ("(s)", text);
      return "Cancel";

    case 13:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       request_plus ("app-id", g_variant_new_string ("../../etc")));
      return "Enqueue";

    case 14:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       request_plus ("headers",
                                                     g_variant_new_parsed ("{'X-Evil': "
                                                                           "'a\\r\\nHost: b'}")));
      return "Enqueue";

    case 15:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       g_variant_new_parsed ("{'newest-first': <'yes'>}"));
      return "RetryAll";

    default:
      g_assert_not_reached ();
    }
}

#define N_BAD_KINDS 16

static void
test_abuse (Fixture       *fixture,
            gconstpointer  user_data)
{
  const guint n_connections = 25;
  const guint per_connection = 80;
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GVariant *good;
  AbuseTally tally = { 0, };
  guint serial = 0;

  g_assert_cmpuint (per_connection, <=, WINDOW_PER_CONNECTION);

  /* Two thousand malformed calls in flight at once. */
  for (guint c = 0; c < n_connections; c++)
    g_ptr_array_add (connections, ferry_agent_fixture_connect (&fixture->base));
  for (guint i = 0; i < per_connection; i++)
    {
      for (guint c = 0; c < n_connections; c++)
        {
          GVariant *parameters = NULL;
          const char *method = bad_call (serial % N_BAD_KINDS, serial, &parameters);

          g_dbus_connection_call (g_ptr_array_index (connections, c),
                                  FERRY_DBUS_NAME, FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE,
                                  method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE,
                                  60000, NULL, abuse_cb, &tally);
          serial++;
        }
    }

  FERRY_TEST_WAIT (tally.answered == n_connections * per_connection, WAIT_MS);
  g_test_message ("%u FERRY_ERROR, %u D-Bus errors", tally.ferry_errors, tally.dbus_errors);
  g_assert_cmpuint (tally.successes, ==, 0);
  g_assert_cmpuint (tally.ferry_errors, >, 0);
  g_assert_cmpuint (tally.dbus_errors, >, 0);

  /* Still the same ferryd, still answering, nothing stored. */
  g_assert_true (ferry_agent_process_is_alive (fixture->base.ferryd_pid));
  g_assert_cmpuint (ferry_agent_fixture_get_owner_pid (&fixture->base), ==,
                    fixture->base.ferryd_pid);
  g_assert_cmpuint (count_tasks (fixture->base.agent), ==, 0);

  good = ferry_agent_request_new ("PUT", "http://127.0.0.1:9/ok", NULL);
  g_assert_true (ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, good, &id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_tasks (fixture->base.agent), ==, 1);

  for (guint c = 0; c < connections->len; c++)
    g_dbus_connection_close_sync (g_ptr_array_index (connections, c), NULL, NULL);
}

static void
test_binary_body (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const guint8 not_utf8[] = { 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x00 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autofree char *id = NULL;
  GVariant *request;

  /* A body is bytes, not text: invalid UTF-8 and NULs go through whole. */
  request = ferry_agent_request_new ("POST", "http://127.0.0.1:9/bin",
                                     "body", ferry_agent_bytes (not_utf8, sizeof not_utf8),
                                     NULL);
  g_assert_true (ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, request, &id,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error));
  g_assert_no_error (error);
  body = g_variant_lookup_value (task, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body),
                   not_utf8, sizeof not_utf8);
}

static void
test_callers_vanish (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const guint n_callers = 20;
  const guint calls_each = 20;
  guint count;

  /* Callers that send and leave before the answer: ferryd answers into
   * the void and forgets them. */
  for (guint c = 0; c < n_callers; c++)
    {
      g_autoptr(GDBusConnection) connection = ferry_agent_fixture_connect (&fixture->base);

      for (guint i = 0; i < calls_each; i++)
        {
          g_autofree char *url = g_strdup_printf ("http://127.0.0.1:9/gone/%u/%u", c, i);

          g_dbus_connection_call (connection, FERRY_DBUS_NAME, FERRY_DBUS_PATH,
                                  FERRY_DBUS_INTERFACE, "Enqueue",
                                  g_variant_new ("(@a{sv})",
                                                 ferry_agent_request_new ("PUT", url, NULL)),
                                  NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
        }
      g_dbus_connection_flush_sync (connection, NULL, NULL);
      g_dbus_connection_close_sync (connection, NULL, NULL);
    }

  /* Whatever arrived was handled; the agent is fine. */
  count = count_tasks (fixture->base.agent);
  g_assert_cmpuint (count, <=, n_callers * calls_each);
  g_assert_true (ferry_agent_process_is_alive (fixture->base.ferryd_pid));
  g_assert_cmpuint (ferry_agent_fixture_get_owner_pid (&fixture->base), ==,
                    fixture->base.ferryd_pid);
}

/* A body of @size bytes that tells task @n's from any other's. */
static guint8 *
patterned_body (guint n,
                gsize size)
{
  guint8 *body = g_malloc (size);

  for (gsize j = 0; j < size; j++)
    body[j] = (guint8) ((n * 7 + j) % 251);
  return body;
}

typedef struct
{
  guint     answered;
  GVariant *task;      /* the last one answered */
  GError   *error;
} Answer;

static void
get_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Answer *answer = user_data;

  g_clear_pointer (&answer->task, g_variant_unref);
  g_clear_error (&answer->error);
  ferry_dbus_agent_call_get_finish (FERRY_DBUS_AGENT (source), &answer->task, result,
                                    &answer->error);
  answer->answered++;
}

static void
test_large_gets (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const gsize size = 3 * 1024 * 1024;
  const guint n_tasks = 4;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Answer answers[4] = { { 0, }, };
  Answer missing = { 0, };
  g_autoptr(GDBusConnection) leaving = ferry_agent_fixture_connect (&fixture->base);

  for (guint n = 0; n < n_tasks; n++)
    {
      g_autofree guint8 *body = patterned_body (n, size);
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:9/large/%u", n);
      g_autoptr(GError) error = NULL;
      char *id = NULL;

      g_assert_true (ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                                         ferry_agent_request_new ("PUT", url,
                                                                                  "body",
                                                                                  ferry_agent_bytes (body, size),
                                                                                  NULL),
                                                         &id, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (ids, id);
    }

  /* A caller asks for them all and leaves before reading a byte: the
   * replies that wait behind its first must not hold up anyone else's. */
  for (guint n = 0; n < n_tasks; n++)
    g_dbus_connection_call (leaving, FERRY_DBUS_NAME, FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE,
                            "Get", g_variant_new ("(s)", (char *) g_ptr_array_index (ids, n)),
                            NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
  g_dbus_connection_flush_sync (leaving, NULL, NULL);
  g_dbus_connection_close_sync (leaving, NULL, NULL);

  /* All at once: each large reply waits for the one before it to be
   * written, the small calls between them do not wait, and every answer
   * is whole and its own task's. */
  for (guint n = 0; n < n_tasks; n++)
    {
      ferry_dbus_agent_call_get (fixture->base.agent, g_ptr_array_index (ids, n), NULL,
                                 get_cb, &answers[n]);
      ferry_dbus_agent_call_get (fixture->base.agent, "0190f3a0-0000-7000-8000-000000000000",
                                 NULL, get_cb, &missing);
    }
  g_assert_cmpuint (count_tasks (fixture->base.agent), ==, n_tasks);
  for (guint n = 0; n < n_tasks; n++)
    FERRY_TEST_WAIT (answers[n].answered == 1, WAIT_MS);
  FERRY_TEST_WAIT (missing.answered == n_tasks, WAIT_MS);
  g_assert_error (missing.error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);

  for (guint n = 0; n < n_tasks; n++)
    {
      g_autofree guint8 *expected = patterned_body (n, size);
      g_autoptr(GVariant) body = NULL;
      const char *id = NULL;

      g_assert_no_error (answers[n].error);
      g_assert_true (g_variant_lookup (answers[n].task, "id", "&s", &id));
      g_assert_cmpstr (id, ==, g_ptr_array_index (ids, n));
      body = g_variant_lookup_value (answers[n].task, "body", G_VARIANT_TYPE_BYTESTRING);
      g_assert_nonnull (body);
      g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body), expected, size);
      g_clear_pointer (&answers[n].task, g_variant_unref);
    }
  g_clear_pointer (&missing.task, g_variant_unref);
  g_clear_error (&missing.error);
  g_assert_true (ferry_agent_process_is_alive (fixture->base.ferryd_pid));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/dbus/load/paging-10000", Fixture, "offline",
              fixture_set_up, test_paging, fixture_tear_down);
  g_test_add ("/dbus/load/abuse", Fixture, "offline",
              fixture_set_up, test_abuse, fixture_tear_down);
  g_test_add ("/dbus/load/binary-body", Fixture, "offline",
              fixture_set_up, test_binary_body, fixture_tear_down);
  g_test_add ("/dbus/load/callers-vanish", Fixture, "offline",
              fixture_set_up, test_callers_vanish, fixture_tear_down);
  g_test_add ("/dbus/load/large-gets", Fixture, "offline",
              fixture_set_up, test_large_gets, fixture_tear_down);

  ferry_agent_bus_up ();
  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
