/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"
#include "ferry-dbus-test-config.h"

/*
 * The real ferryd over a private bus: every method with good and bad
 * arguments, every property and every signal.
 */

#define WAIT_MS 20000

typedef struct
{
  FerryAgentFixture  base;
  FerryTestServer   *server;

  /* What the agent said, in order. */
  GPtrArray         *events;       /* "added <id> <state>", "run-started", … */
  GPtrArray         *changes;      /* GVariant (sv): every PropertiesChanged entry */
} Fixture;

static void
record_event (Fixture    *fixture,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
record_event (Fixture    *fixture,
              const char *format,
              ...)
{
  va_list args;
  char *event;

  va_start (args, format);
  event = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (fixture->events, event);
}

static void
on_task_added (FerryDBusAgent *agent,
               const char     *id,
               const char     *owner,
               const char     *state,
               Fixture        *fixture)
{
  record_event (fixture, "added %s %s %s", id, owner, state);
}

static void
on_task_changed (FerryDBusAgent *agent,
                 const char     *id,
                 const char     *owner,
                 const char     *state,
                 Fixture        *fixture)
{
  record_event (fixture, "changed %s %s %s", id, owner, state);
}

static void
on_task_succeeded (FerryDBusAgent *agent,
                   const char     *id,
                   const char     *owner,
                   guint           status,
                   Fixture        *fixture)
{
  record_event (fixture, "succeeded %s %s %u", id, owner, status);
}

static void
on_task_failed (FerryDBusAgent *agent,
                const char     *id,
                const char     *owner,
                const char     *reason,
                Fixture        *fixture)
{
  record_event (fixture, "failed %s %s %s", id, owner, reason);
}

static void
on_retry_scheduled (FerryDBusAgent *agent,
                    const char     *id,
                    const char     *owner,
                    guint           attempt,
                    gint64          when,
                    const char     *reason,
                    Fixture        *fixture)
{
  g_assert_cmpint (when, >, 0);
  record_event (fixture, "retry %s %s %u %s", id, owner, attempt, reason);
}

static void
on_conflict_detected (FerryDBusAgent *agent,
                      const char     *id,
                      const char     *owner,
                      Fixture        *fixture)
{
  record_event (fixture, "conflict %s %s", id, owner);
}

static void
on_auth_required (FerryDBusAgent *agent,
                  const char     *id,
                  const char     *owner,
                  Fixture        *fixture)
{
  record_event (fixture, "auth %s %s", id, owner);
}

static void
on_run_started (FerryDBusAgent *agent,
                Fixture        *fixture)
{
  record_event (fixture, "run-started");
}

static void
on_run_finished (FerryDBusAgent *agent,
                 GVariant       *summary,
                 Fixture        *fixture)
{
  guint succeeded = 0, failed = 0, retried = 0, conflicts = 0, auth = 0;
  gint64 started = 0, finished = 0;

  g_assert_true (g_variant_lookup (summary, "succeeded", "u", &succeeded));
  g_assert_true (g_variant_lookup (summary, "failed", "u", &failed));
  g_assert_true (g_variant_lookup (summary, "retried", "u", &retried));
  g_assert_true (g_variant_lookup (summary, "conflicts", "u", &conflicts));
  g_assert_true (g_variant_lookup (summary, "auth-required", "u", &auth));
  g_assert_true (g_variant_lookup (summary, "started", "x", &started));
  g_assert_true (g_variant_lookup (summary, "finished", "x", &finished));
  g_assert_cmpint (started, >, 0);
  g_assert_cmpint (finished, >=, started);
  record_event (fixture, "run-finished %u %u %u %u %u",
                succeeded, failed, retried, conflicts, auth);
}

static void
on_properties_changed (GDBusProxy *proxy,
                       GVariant   *changed,
                       GStrv       invalidated,
                       Fixture    *fixture)
{
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_variant_iter_init (&iter, changed);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_ptr_array_add (fixture->changes, g_variant_ref_sink (g_variant_new ("(sv)", name, value)));
      g_variant_unref (value);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *network = user_data;

  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fixture->server = ferry_test_server_new ();

  ferry_agent_fixture_set_up (&fixture->base, network);

  g_signal_connect (fixture->base.agent, "task-added", G_CALLBACK (on_task_added), fixture);
  g_signal_connect (fixture->base.agent, "task-changed", G_CALLBACK (on_task_changed), fixture);
  g_signal_connect (fixture->base.agent, "task-succeeded",
                    G_CALLBACK (on_task_succeeded), fixture);
  g_signal_connect (fixture->base.agent, "task-failed", G_CALLBACK (on_task_failed), fixture);
  g_signal_connect (fixture->base.agent, "retry-scheduled",
                    G_CALLBACK (on_retry_scheduled), fixture);
  g_signal_connect (fixture->base.agent, "conflict-detected",
                    G_CALLBACK (on_conflict_detected), fixture);
  g_signal_connect (fixture->base.agent, "auth-required",
                    G_CALLBACK (on_auth_required), fixture);
  g_signal_connect (fixture->base.agent, "run-started", G_CALLBACK (on_run_started), fixture);
  g_signal_connect (fixture->base.agent, "run-finished", G_CALLBACK (on_run_finished), fixture);
  g_signal_connect (fixture->base.agent, "g-properties-changed",
                    G_CALLBACK (on_properties_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Signals are broadcast: none may carry a URL, a header or a body. */
  for (guint i = 0; i < fixture->events->len; i++)
    {
      const char *event = g_ptr_array_index (fixture->events, i);

      g_assert_null (strstr (event, "http"));
      g_assert_null (strstr (event, "127.0.0.1"));
      g_assert_null (strstr (event, "s3cret"));
    }

  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_test_server_free);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
}

/* Helpers */

static char *
enqueue (Fixture  *fixture,
         GVariant *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, request, &id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id));
  return g_steal_pointer (&id);
}

static void
assert_error (GError     *error,
              int         code,
              const char *message_part)
{
  g_autofree char *remote = NULL;

  /* Registered names arrive as FERRY_ERROR codes. */
  g_assert_error (error, FERRY_ERROR, code);
  remote = g_dbus_error_get_remote_error (error);
  g_assert_true (g_str_has_prefix (remote, "io.github.ferrysync.Ferry1.Error."));
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
enqueue_fails (Fixture    *fixture,
               GVariant   *request,
               int         code,
               const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_false (ferry_dbus_agent_call_enqueue_sync (fixture->base.agent, request, &id,
                                                      NULL, &error));
  assert_error (error, code, message_part);
  g_assert_null (id);
}

static GVariant *
get_task (Fixture    *fixture,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  GVariant *task = NULL;

  ferry_dbus_agent_call_get_sync (fixture->base.agent, id, &task, NULL, &error);
  g_assert_no_error (error);
  return task;
}

static char *
dup_task_string (Fixture    *fixture,
                 const char *id,
                 const char *key)
{
  g_autoptr(GVariant) task = get_task (fixture, id);
  char *value = NULL;

  g_variant_lookup (task, key, "s", &value);
  return value;
}

static gboolean
task_in_state (Fixture    *fixture,
               const char *id,
               const char *state)
{
  g_autofree char *current = dup_task_string (fixture, id, "state");

  return g_strcmp0 (current, state) == 0;
}

static guint
count_tasks (Fixture  *fixture,
             GVariant *filter)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  ferry_dbus_agent_call_count_sync (fixture->base.agent, filter, &count, NULL, &error);
  g_assert_no_error (error);
  return count;
}

static GVariant *
empty_dict (void)
{
  return g_variant_new ("a{sv}", NULL);
}

static GVariant *
no_bytes (void)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1);
}

static GVariant *
bytes_value (const char *text)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1);
}

static gboolean
has_event (Fixture    *fixture,
           const char *prefix)
{
  for (guint i = 0; i < fixture->events->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix))
        return TRUE;
    }
  return FALSE;
}

static guint
count_events (Fixture    *fixture,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < fixture->events->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix))
        n++;
    }
  return n;
}

static char *
event_prefix (const char *kind,
              const char *id)
{
  return g_strdup_printf ("%s %s ", kind, id);
}

static gboolean
saw_change (Fixture    *fixture,
            const char *property,
            GVariant   *value)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const char *name;
      g_autoptr(GVariant) changed = NULL;

      g_variant_get (g_ptr_array_index (fixture->changes, i), "(&sv)", &name, &changed);
      if (g_str_equal (name, property) && g_variant_equal (changed, owned))
        return TRUE;
    }
  return FALSE;
}

static const char *
agent_owner (void)
{
  /* An unsandboxed caller that names nobody is its executable. */
  return "test-agent";
}

/* Tests */

static void
test_properties_initial (Fixture       *fixture,
                         gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  guint done = 1, total = 1;

  /* Offline and empty: the engine's view once it is attached. */
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "offline") == 0, WAIT_MS);
  g_assert_false (ferry_dbus_agent_get_online (agent));
  g_assert_false (ferry_dbus_agent_get_metered (agent));
  g_assert_false (ferry_dbus_agent_get_paused (agent));
  g_assert_cmpuint (ferry_dbus_agent_get_pending_count (agent), ==, 0);
  g_assert_cmpuint (ferry_dbus_agent_get_failed_count (agent), ==, 0);
  g_assert_cmpuint (ferry_dbus_agent_get_conflict_count (agent), ==, 0);
  g_assert_cmpuint (ferry_dbus_agent_get_auth_count (agent), ==, 0);
  g_variant_get (ferry_dbus_agent_get_progress (agent), "(uu)", &done, &total);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpint (ferry_dbus_agent_get_last_sync_time (agent), ==, 0);
  g_assert_cmpint (ferry_dbus_agent_get_next_sync_time (agent), >=, 0);
}

static void
test_metered (Fixture       *fixture,
              gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;

  FERRY_TEST_WAIT (ferry_dbus_agent_get_metered (agent), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_online (agent), WAIT_MS);
  g_assert_cmpstr (ferry_dbus_agent_get_state (agent), ==, "idle");
}

static void
test_enqueue_get_list (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GVariant) tasks = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autofree char *id = NULL;
  g_autofree char *plain_id = NULL;
  const char *text;
  guint32 u;
  gint64 x;
  guint64 size;
  gboolean b;
  static const guint8 binary_body[] = { 0x00, 0xff, 0xfe, '{', 0x80, 0x00 };
  const gint64 year_2100 = G_GINT64_CONSTANT (4102444800000000);

  id = enqueue (fixture,
                ferry_agent_request_new ("PUT", "http://127.0.0.1:9/notes/1",
                                         "headers",
                                         g_variant_new_parsed ("{'Accept': 'text/plain'}"),
                                         "body",
                                         ferry_agent_bytes (binary_body, sizeof binary_body),
                                         "content-type", g_variant_new_string ("application/x-bin"),
                                         "priority", g_variant_new_string ("critical"),
                                         "name", g_variant_new_string ("note-1"),
                                         "group", g_variant_new_string ("notes"),
                                         "idempotency-key", g_variant_new_string ("idem-1"),
                                         "if-match", g_variant_new_string ("\"v1\""),
                                         "max-attempts", g_variant_new_uint32 (9),
                                         "not-before", g_variant_new_int64 (1000),
                                         "expires", g_variant_new_int64 (year_2100),
                                         "unmetered-only", g_variant_new_boolean (TRUE),
                                         "conflict-strategy", g_variant_new_string ("server-wins"),
                                         "conflict-url",
                                         g_variant_new_string ("http://127.0.0.1:9/notes/1?full"),
                                         "base", bytes_value ("{}"),
                                         "secret-headers", g_variant_new_strv (NULL, 0),
                                         "merge-rules",
                                         g_variant_new_parsed ("{'/title': 'remote',"
                                                               " '/tags': 'local'}"),
                                         "timestamp-pointer", g_variant_new_string ("/meta/t"),
                                         NULL));

  task = get_task (fixture, id);
  g_assert_true (g_variant_lookup (task, "id", "&s", &text));
  g_assert_cmpstr (text, ==, id);
  g_assert_true (g_variant_lookup (task, "owner", "&s", &text));
  g_assert_cmpstr (text, ==, agent_owner ());
  g_assert_true (g_variant_lookup (task, "method", "&s", &text));
  g_assert_cmpstr (text, ==, "PUT");
  g_assert_true (g_variant_lookup (task, "url", "&s", &text));
  g_assert_cmpstr (text, ==, "http://127.0.0.1:9/notes/1");
  g_assert_true (g_variant_lookup (task, "name", "&s", &text));
  g_assert_cmpstr (text, ==, "note-1");
  g_assert_true (g_variant_lookup (task, "group", "&s", &text));
  g_assert_cmpstr (text, ==, "notes");
  g_assert_true (g_variant_lookup (task, "content-type", "&s", &text));
  g_assert_cmpstr (text, ==, "application/x-bin");
  g_assert_true (g_variant_lookup (task, "priority", "&s", &text));
  g_assert_cmpstr (text, ==, "critical");
  g_assert_true (g_variant_lookup (task, "state", "&s", &text));
  g_assert_cmpstr (text, ==, "pending");
  g_assert_true (g_variant_lookup (task, "idempotency-key", "&s", &text));
  g_assert_cmpstr (text, ==, "idem-1");
  g_assert_true (g_variant_lookup (task, "if-match", "&s", &text));
  g_assert_cmpstr (text, ==, "\"v1\"");
  g_assert_true (g_variant_lookup (task, "conflict-strategy", "&s", &text));
  g_assert_cmpstr (text, ==, "server-wins");
  g_assert_true (g_variant_lookup (task, "conflict-url", "&s", &text));
  g_assert_cmpstr (text, ==, "http://127.0.0.1:9/notes/1?full");
  g_assert_true (g_variant_lookup (task, "attempts", "u", &u));
  g_assert_cmpuint (u, ==, 0);
  g_assert_true (g_variant_lookup (task, "max-attempts", "u", &u));
  g_assert_cmpuint (u, ==, 9);
  g_assert_true (g_variant_lookup (task, "not-before", "x", &x));
  g_assert_cmpint (x, ==, 1000);
  g_assert_true (g_variant_lookup (task, "expires", "x", &x));
  g_assert_cmpint (x, ==, year_2100);
  g_assert_true (g_variant_lookup (task, "created", "x", &x));
  g_assert_cmpint (x, >, 0);
  g_assert_true (g_variant_lookup (task, "updated", "x", &x));
  g_assert_cmpint (x, >, 0);
  g_assert_true (g_variant_lookup (task, "unmetered-only", "b", &b));
  g_assert_true (b);
  g_assert_true (g_variant_lookup (task, "body-size", "t", &size));
  g_assert_cmpuint (size, ==, sizeof binary_body);
  headers = g_variant_lookup_value (task, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (headers, "Accept", "&s", &text));
  g_assert_cmpstr (text, ==, "text/plain");
  g_assert_false (g_variant_lookup (task, "hidden-headers", "as", NULL));
  g_assert_false (g_variant_lookup (task, "last-error", "s", NULL));
  g_assert_false (g_variant_lookup (task, "response-status", "u", NULL));

  g_assert_true (g_variant_lookup (task, "timestamp-pointer", "&s", &text));
  g_assert_cmpstr (text, ==, "/meta/t");
  {
    g_autoptr(GVariant) rules = g_variant_lookup_value (task, "merge-rules",
                                                        G_VARIANT_TYPE ("a{ss}"));

    g_assert_nonnull (rules);
    g_assert_cmpuint (g_variant_n_children (rules), ==, 2);
    g_assert_true (g_variant_lookup (rules, "/title", "&s", &text));
    g_assert_cmpstr (text, ==, "remote");
    g_assert_true (g_variant_lookup (rules, "/tags", "&s", &text));
    g_assert_cmpstr (text, ==, "local");
  }

  /* Get carries the body, byte for byte, and the base. */
  body = g_variant_lookup_value (task, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body),
                   binary_body, sizeof binary_body);
  {
    g_autoptr(GVariant) base = g_variant_lookup_value (task, "base", G_VARIANT_TYPE_BYTESTRING);

    g_assert_nonnull (base);
    g_assert_cmpmem (g_variant_get_data (base), g_variant_get_size (base), "{}", 2);
  }

  plain_id = enqueue (fixture, ferry_agent_request_new ("DELETE", "http://127.0.0.1:9/notes/2",
                                                        NULL));

  /* List stays light: no body. */
  ferry_dbus_agent_call_list_sync (fixture->base.agent, empty_dict (), 0, 10, &tasks,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (tasks), ==, 2);
  listed = g_variant_get_child_value (tasks, 0);
  g_assert_true (g_variant_lookup (listed, "id", "&s", &text));
  g_assert_cmpstr (text, ==, id);
  g_assert_false (g_variant_lookup (listed, "body", "ay", NULL));
  g_assert_false (g_variant_lookup (listed, "response-body", "ay", NULL));
  g_assert_false (g_variant_lookup (listed, "base", "ay", NULL));
  g_assert_true (g_variant_lookup (listed, "merge-rules", "a{ss}", NULL));
  g_assert_true (g_variant_lookup (listed, "body-size", "t", &size));
  g_assert_cmpuint (size, ==, sizeof binary_body);
  g_clear_pointer (&listed, g_variant_unref);
  listed = g_variant_get_child_value (tasks, 1);
  g_assert_true (g_variant_lookup (listed, "id", "&s", &text));
  g_assert_cmpstr (text, ==, plain_id);
  /* Optional values that are unset are left out. */
  g_assert_false (g_variant_lookup (listed, "name", "s", NULL));
  g_assert_false (g_variant_lookup (listed, "group", "s", NULL));
  g_assert_false (g_variant_lookup (listed, "content-type", "s", NULL));
  g_assert_false (g_variant_lookup (listed, "headers", "a{ss}", NULL));

  /* Count and filters. */
  g_assert_cmpuint (count_tasks (fixture, empty_dict ()), ==, 2);
  g_assert_cmpuint (count_tasks (fixture, g_variant_new_parsed ("{'name': <'note-1'>}")), ==, 1);
  g_assert_cmpuint (count_tasks (fixture, g_variant_new_parsed ("{'group': <'notes'>}")), ==, 1);
  g_assert_cmpuint (count_tasks (fixture, g_variant_new_parsed ("{'state': <'pending'>}")), ==, 2);
  g_assert_cmpuint (count_tasks (fixture,
                                 g_variant_new_parsed ("{'states': <['failed', 'conflict']>}")),
                    ==, 0);
  g_assert_cmpuint (count_tasks (fixture, g_variant_new_parsed ("{'search': <'NOTES/2'>}")),
                    ==, 1);
  g_assert_cmpuint (count_tasks (fixture,
                                 g_variant_new_parsed ("{'owner': <'test-agent'>}")), ==, 2);
  g_assert_cmpuint (count_tasks (fixture,
                                 g_variant_new_parsed ("{'owner': <'someone.Else'>}")), ==, 0);

  /* Newest first reverses the order of these two. */
  g_clear_pointer (&tasks, g_variant_unref);
  g_clear_pointer (&listed, g_variant_unref);
  ferry_dbus_agent_call_list_sync (fixture->base.agent,
                                   g_variant_new_parsed ("{'newest-first': <true>}"),
                                   0, 1, &tasks, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (tasks), ==, 1);
  listed = g_variant_get_child_value (tasks, 0);
  g_assert_true (g_variant_lookup (listed, "id", "&s", &text));
  g_assert_cmpstr (text, ==, plain_id);

  /* Both were announced. */
  {
    g_autofree char *added = event_prefix ("added", id);
    g_autofree char *added_plain = event_prefix ("added", plain_id);

    FERRY_TEST_WAIT (has_event (fixture, added) && has_event (fixture, added_plain), WAIT_MS);
  }
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (fixture->base.agent) == 2, WAIT_MS);
}

static void
test_unique (Fixture       *fixture,
             gconstpointer  user_data)
{
  const char *url = "http://127.0.0.1:9/draft";
  g_autofree char *first = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *appended = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) body = NULL;

  first = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                     "name", g_variant_new_string ("draft"),
                                                     "body", bytes_value ("one"),
                                                     NULL));

  /* replace (the default): the pending task takes the new payload. */
  replaced = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                        "name", g_variant_new_string ("draft"),
                                                        "body", bytes_value ("two"),
                                                        NULL));
  g_assert_cmpstr (replaced, ==, first);
  task = get_task (fixture, first);
  body = g_variant_lookup_value (task, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body), "two", 3);
  changed = g_strdup_printf ("changed %s %s pending", first, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, changed), WAIT_MS);
  g_clear_pointer (&body, g_variant_unref);
  g_clear_pointer (&task, g_variant_unref);

  /* keep: the pending one stays as it is. */
  kept = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                    "name", g_variant_new_string ("draft"),
                                                    "unique", g_variant_new_string ("keep"),
                                                    "body", bytes_value ("three"),
                                                    NULL));
  g_assert_cmpstr (kept, ==, first);
  task = get_task (fixture, first);
  body = g_variant_lookup_value (task, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body), "two", 3);

  /* append: a second task behind the first. */
  appended = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                        "name", g_variant_new_string ("draft"),
                                                        "unique", g_variant_new_string ("append"),
                                                        NULL));
  g_assert_cmpstr (appended, !=, first);
  g_assert_cmpuint (count_tasks (fixture, g_variant_new_parsed ("{'name': <'draft'>}")), ==, 2);
  FERRY_TEST_WAIT (count_events (fixture, "added") == 2, WAIT_MS);
}

static void
test_enqueue_invalid (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *long_name = g_strnfill (257, 'n');
  g_autofree char *huge = g_strnfill (4 * 1024 * 1024, 'h');
  g_autofree guint8 *big_body = g_malloc0 (16 * 1024 * 1024 + 1);
  const char *url = "http://127.0.0.1:9/x";

  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "colour", g_variant_new_string ("red"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "unknown key “colour”");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "priority", g_variant_new_uint32 (3), NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "“priority” must be of type s, not u");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", NULL, NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "“url” is missing");
  enqueue_fails (fixture, ferry_agent_request_new (NULL, url, NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "“method” is missing");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", "ftp://127.0.0.1/x", NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "url:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", "not a url", NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "url:");
  enqueue_fails (fixture, ferry_agent_request_new ("GET BAD", url, NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "method:");
  enqueue_fails (fixture,
                 ferry_agent_request_new ("PUT", url,
                                          "headers",
                                          g_variant_new_parsed ("{'X-A': 'a\\r\\nX-B: b'}"),
                                          NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "headers:");
  enqueue_fails (fixture,
                 ferry_agent_request_new ("PUT", url,
                                          "headers", g_variant_new_parsed ("{'Bad Name': 'a'}"),
                                          NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "headers:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "name", g_variant_new_string (long_name),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "name:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "group", g_variant_new_string (huge), NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "group:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "priority", g_variant_new_string ("urgent"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "priority:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "app-id", g_variant_new_string ("no spaces"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "app-id:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "max-attempts", g_variant_new_uint32 (100000),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "max-attempts:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "not-before", g_variant_new_int64 (5000),
                                                   "expires", g_variant_new_int64 (4000),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "expires:");
  enqueue_fails (fixture,
                 ferry_agent_request_new ("PUT", url,
                                          "body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                             big_body,
                                                                             16 * 1024 * 1024 + 1,
                                                                             1),
                                          NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "body:");

  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "merge-rules",
                                                   g_variant_new_parsed ("{'/a': 'both'}"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "merge-rules: the rule “both” for “/a”");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "merge-rules",
                                                   g_variant_new_parsed ("{'a/b': 'local'}"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "merge-rules: not a JSON pointer");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "merge-rules",
                                                   g_variant_new_parsed ("{'/a~2': 'local'}"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "merge-rules:");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "merge-rules", g_variant_new_strv (NULL, 0),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "“merge-rules” must be of type a{ss}, not as");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "timestamp-pointer",
                                                   g_variant_new_string ("updated_at"),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "timestamp-pointer: not a JSON pointer");
  enqueue_fails (fixture, ferry_agent_request_new ("PUT", url,
                                                   "timestamp-pointer", g_variant_new_uint32 (1),
                                                   NULL),
                 FERRY_ERROR_INVALID_ARGUMENT, "“timestamp-pointer” must be of type s, not u");

  /* Nothing was stored, nothing announced. */
  g_assert_cmpuint (count_tasks (fixture, empty_dict ()), ==, 0);
  g_assert_false (has_event (fixture, "added"));
}

static void
test_bad_ids_and_pages (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) task = NULL;
  g_autoptr(GVariant) tasks = NULL;
  g_autofree char *missing = g_uuid_string_random ();
  g_autofree char *remote = NULL;
  guint count = 0;

  g_assert_false (ferry_dbus_agent_call_get_sync (agent, missing, &task, NULL, &error));
  assert_error (error, FERRY_ERROR_NOT_FOUND, NULL);
  /* The error travels under its documented name. */
  g_clear_error (&error);
  {
    g_autoptr(GVariant) reply = NULL;

    reply = g_dbus_connection_call_sync (fixture->base.connection, FERRY_DBUS_NAME,
                                         FERRY_DBUS_PATH, FERRY_DBUS_INTERFACE, "Get",
                                         g_variant_new ("(s)", missing), NULL,
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_null (reply);
    remote = g_dbus_error_get_remote_error (error);
    g_assert_cmpstr (remote, ==, "io.github.ferrysync.Ferry1.Error.NotFound");
    g_clear_error (&error);
  }

  g_assert_false (ferry_dbus_agent_call_cancel_sync (agent, missing, NULL, &error));
  assert_error (error, FERRY_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_retry_sync (agent, missing, NULL, &error));
  assert_error (error, FERRY_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_resolve_sync (agent, missing, "local", no_bytes (),
                                                      NULL, &error));
  assert_error (error, FERRY_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);

  g_assert_false (ferry_dbus_agent_call_get_sync (agent, "not-an-id", &task, NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "id:");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_cancel_sync (agent, "", NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "id:");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_resolve_sync (agent, missing, "mine", no_bytes (),
                                                      NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "choice:");
  g_clear_error (&error);

  g_assert_false (ferry_dbus_agent_call_list_sync (agent, empty_dict (), 0, 0, &tasks,
                                                   NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "limit:");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_list_sync (agent, empty_dict (), 0, 1001, &tasks,
                                                   NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "limit:");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_list_sync (agent,
                                                   g_variant_new_parsed ("{'state': <'sleepy'>}"),
                                                   0, 10, &tasks, NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "state:");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_count_sync (agent,
                                                    g_variant_new_parsed ("{'owner': <7>}"),
                                                    &count, NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "“owner” must be of type s, not i");
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_retry_all_sync (agent,
                                                        g_variant_new_parsed ("{'x': <7>}"),
                                                        &count, NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "unknown key “x”");
  g_clear_error (&error);

  /* A page past the end is empty, not an error. */
  g_assert_true (ferry_dbus_agent_call_list_sync (agent, empty_dict (), 5000, 10, &tasks,
                                                  NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (tasks), ==, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *changed = NULL;

  id = enqueue (fixture, ferry_agent_request_new ("POST", "http://127.0.0.1:9/a", NULL));
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 1, WAIT_MS);

  g_assert_true (ferry_dbus_agent_call_cancel_sync (agent, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (task_in_state (fixture, id, "cancelled"));
  changed = g_strdup_printf ("changed %s %s cancelled", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, changed), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 0, WAIT_MS);

  /* Cancelled is final. */
  g_assert_false (ferry_dbus_agent_call_cancel_sync (agent, id, NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_retry_sync (agent, id, NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_resolve_sync (agent, id, "remote", no_bytes (),
                                                      NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
}

/* CancelAll: the matching tasks in one call, with their signals; a bad
 * filter is refused before anything is cancelled. */
static void
test_cancel_all (Fixture       *fixture,
                 gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *changed = NULL;
  guint count = 0;

  for (guint i = 0; i < 3; i++)
    g_free (enqueue (fixture, ferry_agent_request_new ("POST", "http://127.0.0.1:9/a",
                                                       "app-id",
                                                       g_variant_new_string ("org.example.A"),
                                                       NULL)));
  mine = enqueue (fixture, ferry_agent_request_new ("POST", "http://127.0.0.1:9/a",
                                                    "app-id", g_variant_new_string ("org.example.A"),
                                                    NULL));
  theirs = enqueue (fixture, ferry_agent_request_new ("POST", "http://127.0.0.1:9/b",
                                                      "app-id",
                                                      g_variant_new_string ("org.example.B"),
                                                      NULL));
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 5, WAIT_MS);

  g_assert_false (ferry_dbus_agent_call_cancel_all_sync (agent,
                                                         g_variant_new_parsed ("{'x': <7>}"),
                                                         &count, NULL, &error));
  assert_error (error, FERRY_ERROR_INVALID_ARGUMENT, "unknown key “x”");
  g_clear_error (&error);
  g_assert_cmpuint (ferry_dbus_agent_get_pending_count (agent), ==, 5);

  g_assert_true (ferry_dbus_agent_call_cancel_all_sync (agent,
                                                        g_variant_new_parsed (
                                                          "{'owner': <'org.example.A'>}"),
                                                        &count, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 4);
  g_assert_true (task_in_state (fixture, mine, "cancelled"));
  g_assert_true (task_in_state (fixture, theirs, "pending"));
  changed = g_strdup_printf ("changed %s org.example.A cancelled", mine);
  FERRY_TEST_WAIT (has_event (fixture, changed), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 1, WAIT_MS);
}

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/paused");
  g_autofree char *id = NULL;
  g_autofree char *succeeded = NULL;

  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);

  g_assert_true (ferry_dbus_agent_call_pause_sync (agent, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_paused (agent), WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "paused") == 0, WAIT_MS);
  g_assert_true (saw_change (fixture, "Paused", g_variant_new_boolean (TRUE)));
  g_assert_true (saw_change (fixture, "State", g_variant_new_string ("paused")));

  /* Nothing leaves while paused, not even on request. */
  id = enqueue (fixture, ferry_agent_request_new ("PUT", url, NULL));
  g_assert_true (ferry_dbus_agent_call_sync_now_sync (agent, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 1, WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/paused"), ==, 0);
  g_assert_true (task_in_state (fixture, id, "pending"));

  g_assert_true (ferry_dbus_agent_call_resume_sync (agent, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (!ferry_dbus_agent_get_paused (agent), WAIT_MS);
  succeeded = event_prefix ("succeeded", id);
  FERRY_TEST_WAIT (has_event (fixture, succeeded), WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/paused"), ==, 1);
  g_assert_true (saw_change (fixture, "Paused", g_variant_new_boolean (FALSE)));
}

static gboolean
progress_is (FerryDBusAgent *agent,
             guint           want_done,
             guint           want_total)
{
  guint done = 0, total = 0;

  g_variant_get (ferry_dbus_agent_get_progress (agent), "(uu)", &done, &total);
  return done == want_done && total == want_total;
}

static gboolean
progress_complete (FerryDBusAgent *agent)
{
  guint done = 0, total = 0;

  g_variant_get (ferry_dbus_agent_get_progress (agent), "(uu)", &done, &total);
  return total > 0 && done == total;
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  const guint n_tasks = 6;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  guint last_pending = G_MAXUINT;
  guint succeeded_total = 0;

  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);

  /* Hold the answers so every task is seen pending first. */
  ferry_test_server_hold (fixture->server, "/sync");
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync?n=%u", i);
      g_autofree char *url = ferry_test_server_url (fixture->server, path);
      g_autofree char *body = g_strdup_printf ("{\"n\": %u}", i);

      GVariant *request;

      request = ferry_agent_request_new ("PUT", url,
                                         "body", bytes_value (body),
                                         "headers",
                                         g_variant_new_parsed ("{'Authorization':"
                                                               " 'Bearer s3cret'}"),
                                         NULL);
      g_ptr_array_add (ids, enqueue (fixture, request));
    }
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == n_tasks, WAIT_MS);
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (fixture->server) > 0, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "syncing") == 0, WAIT_MS);
  g_ptr_array_set_size (fixture->changes, 0);

  ferry_test_server_release (fixture->server, "/sync");

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *succeeded = g_strdup_printf ("succeeded %s %s 200",
                                                    (char *) g_ptr_array_index (ids, i),
                                                    agent_owner ());

      FERRY_TEST_WAIT (has_event (fixture, succeeded), WAIT_MS);
    }
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 0, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);
  FERRY_TEST_WAIT (progress_complete (agent), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_last_sync_time (agent) > 0, WAIT_MS);
  FERRY_TEST_WAIT (count_events (fixture, "run-finished") > 0 &&
                   count_events (fixture, "run-finished") >= count_events (fixture, "run-started"),
                   WAIT_MS);

  /* PendingCount only went down once the server answered. */
  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const char *name;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (g_ptr_array_index (fixture->changes, i), "(&sv)", &name, &value);
      if (g_str_equal (name, "PendingCount"))
        {
          guint pending = g_variant_get_uint32 (value);

          g_assert_cmpuint (pending, <=, last_pending);
          last_pending = pending;
        }
    }
  g_assert_cmpuint (last_pending, ==, 0);

  for (guint i = 0; i < fixture->events->len; i++)
    {
      const char *event = g_ptr_array_index (fixture->events, i);
      guint succeeded = 0;

      if (sscanf (event, "run-finished %u", &succeeded) == 1)
        succeeded_total += succeeded;
    }
  g_assert_cmpuint (succeeded_total, ==, n_tasks);
  g_assert_true (has_event (fixture, "run-started"));
  g_assert_cmpuint (count_events (fixture, "added"), ==, n_tasks);
  g_assert_true (has_event (fixture, "changed"));

  /* The server got every body, with its credentials and idempotency key. */
  requests = ferry_test_server_dup_requests (fixture->server, "/sync");
  g_assert_cmpuint (requests->len, ==, n_tasks);
  for (guint i = 0; i < requests->len; i++)
    {
      FerryTestRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (request->method, ==, "PUT");
      g_assert_cmpstr (ferry_test_request_get_header (request, "Authorization"), ==,
                       "Bearer s3cret");
      g_assert_nonnull (request->idempotency_key);
    }

  /* The response is kept. */
  {
    g_autoptr(GVariant) task = get_task (fixture, g_ptr_array_index (ids, 0));
    guint32 status = 0;

    g_assert_true (g_variant_lookup (task, "state", "&s", NULL));
    g_assert_true (g_variant_lookup (task, "response-status", "u", &status));
    g_assert_cmpuint (status, ==, 200);
    g_assert_true (g_variant_lookup (task, "response-body", "ay", NULL));
  }
}

static void
test_progress_coalesced (Fixture       *fixture,
                         gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  const guint n_tasks = 60;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/many");
  guint progress_changes = 0;

  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);

  /* All queued before the run starts, then delivered in one run. */
  g_assert_true (ferry_dbus_agent_call_pause_sync (agent, NULL, NULL));
  for (guint i = 0; i < n_tasks; i++)
    g_free (enqueue (fixture, ferry_agent_request_new ("POST", url, NULL)));
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == n_tasks, WAIT_MS);
  g_ptr_array_set_size (fixture->changes, 0);
  g_assert_true (ferry_dbus_agent_call_resume_sync (agent, NULL, NULL));

  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 0, WAIT_MS);
  FERRY_TEST_WAIT (progress_is (agent, n_tasks, n_tasks), WAIT_MS);

  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const char *name;

      g_variant_get (g_ptr_array_index (fixture->changes, i), "(&sv)", &name, NULL);
      if (g_str_equal (name, "Progress"))
        progress_changes++;
    }
  /* Sixty steps, but folded: the final value always arrives. */
  g_assert_cmpuint (progress_changes, >=, 1);
  g_assert_cmpuint (progress_changes, <, n_tasks);
  g_assert_true (saw_change (fixture, "Progress", g_variant_new ("(uu)", n_tasks, n_tasks)));
}

static void
test_failure_and_retry (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/gone");
  g_autofree char *other_url = ferry_test_server_url (fixture->server, "/gone-too");
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *failed_other = NULL;
  g_autofree char *succeeded = NULL;
  g_autofree char *last_error = NULL;
  guint count = 0;

  ferry_test_server_set_default (fixture->server, "/gone", 404, NULL, "no such thing");
  ferry_test_server_set_default (fixture->server, "/gone-too", 410, NULL, "gone");

  id = enqueue (fixture, ferry_agent_request_new ("PUT", url, NULL));
  other = enqueue (fixture, ferry_agent_request_new ("PUT", other_url, NULL));
  failed = event_prefix ("failed", id);
  failed_other = event_prefix ("failed", other);
  FERRY_TEST_WAIT (has_event (fixture, failed) && has_event (fixture, failed_other), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_failed_count (agent) == 2, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "attention") == 0, WAIT_MS);
  g_assert_true (task_in_state (fixture, id, "failed"));
  last_error = dup_task_string (fixture, id, "last-error");
  g_assert_nonnull (last_error);
  {
    g_autoptr(GVariant) task = get_task (fixture, id);
    guint32 status = 0;

    g_assert_true (g_variant_lookup (task, "last-status", "u", &status));
    g_assert_cmpuint (status, ==, 404);
  }

  /* Retry one; the server is fixed meanwhile. */
  ferry_test_server_set_default (fixture->server, "/gone", 201, NULL, "made");
  g_assert_true (ferry_dbus_agent_call_retry_sync (agent, id, NULL, &error));
  g_assert_no_error (error);
  succeeded = g_strdup_printf ("succeeded %s %s 201", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, succeeded), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_failed_count (agent) == 1, WAIT_MS);

  /* A pending or finished task cannot be retried. */
  g_assert_false (ferry_dbus_agent_call_retry_sync (agent, id, NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
  g_clear_error (&error);

  /* RetryAll with a filter that matches nothing retries nothing. */
  g_assert_true (ferry_dbus_agent_call_retry_all_sync (agent,
                                                       g_variant_new_parsed ("{'state': "
                                                                             "<'pending'>}"),
                                                       &count, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);

  ferry_test_server_set_default (fixture->server, "/gone-too", 200, NULL, "ok");
  g_assert_true (ferry_dbus_agent_call_retry_all_sync (agent, empty_dict (), &count,
                                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  FERRY_TEST_WAIT (task_in_state (fixture, other, "succeeded"), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_failed_count (agent) == 0, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);
  g_assert_true (saw_change (fixture, "FailedCount", g_variant_new_uint32 (2)));
}

static void
test_retry_scheduled (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *url = ferry_test_server_url (fixture->server, "/flaky");
  g_autofree char *id = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *succeeded = NULL;

  ferry_test_server_push_reply (fixture->server, "/flaky", 503, "Retry-After: 0", "busy");
  id = enqueue (fixture, ferry_agent_request_new ("PUT", url, NULL));
  retry = g_strdup_printf ("retry %s %s 1 ", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, retry), WAIT_MS);
  succeeded = event_prefix ("succeeded", id);
  FERRY_TEST_WAIT (has_event (fixture, succeeded), WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (fixture->server, "/flaky"), ==, 2);
  {
    g_autoptr(GVariant) task = get_task (fixture, id);
    guint32 attempts = 0;

    g_assert_true (g_variant_lookup (task, "attempts", "u", &attempts));
    g_assert_cmpuint (attempts, ==, 2);
  }
}

static void
test_auth_required (Fixture       *fixture,
                    gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/private");
  g_autofree char *id = NULL;
  g_autofree char *held = NULL;
  g_autofree char *succeeded = NULL;

  ferry_test_server_push_reply (fixture->server, "/private", 401,
                                "WWW-Authenticate: Bearer", "who are you");
  id = enqueue (fixture,
                ferry_agent_request_new ("PUT", url,
                                         "headers",
                                         g_variant_new_parsed ("{'Authorization':"
                                                               " 'Bearer expired'}"),
                                         NULL));
  held = g_strdup_printf ("changed %s %s auth-required", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, held), WAIT_MS);
  {
    g_autofree char *auth = g_strdup_printf ("auth %s %s", id, agent_owner ());

    FERRY_TEST_WAIT (has_event (fixture, auth), WAIT_MS);
    g_assert_cmpuint (count_events (fixture, "auth "), ==, 1);
  }
  FERRY_TEST_WAIT (ferry_dbus_agent_get_auth_count (agent) == 1, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "attention") == 0, WAIT_MS);
  g_assert_true (task_in_state (fixture, id, "auth-required"));
  g_assert_true (saw_change (fixture, "AuthCount", g_variant_new_uint32 (1)));

  /* Credentials fixed: retry delivers it. */
  g_assert_true (ferry_dbus_agent_call_retry_sync (agent, id, NULL, &error));
  g_assert_no_error (error);
  succeeded = event_prefix ("succeeded", id);
  FERRY_TEST_WAIT (has_event (fixture, succeeded), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_auth_count (agent) == 0, WAIT_MS);
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "idle") == 0, WAIT_MS);
}

static void
test_next_sync_time (Fixture       *fixture,
                     gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/later");
  g_autofree char *id = NULL;
  g_autofree char *retry = NULL;
  gint64 before = g_get_real_time ();

  /* The server asks for a minute's pause: the next run is due then. */
  ferry_test_server_push_reply (fixture->server, "/later", 503, "Retry-After: 60", "busy");
  id = enqueue (fixture, ferry_agent_request_new ("PUT", url, NULL));
  retry = g_strdup_printf ("retry %s %s 1 ", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, retry), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_next_sync_time (agent) > before, WAIT_MS);
  /* A run whose only attempt failed delivered nothing: no sync yet. */
  g_assert_cmpint (ferry_dbus_agent_get_last_sync_time (agent), ==, 0);
  g_assert_true (task_in_state (fixture, id, "pending"));
  {
    g_autoptr(GVariant) task = get_task (fixture, id);
    gint64 next_attempt = 0;

    g_assert_true (g_variant_lookup (task, "next-attempt", "x", &next_attempt));
    g_assert_cmpint (next_attempt, >, before);
    g_assert_cmpint (ferry_dbus_agent_get_next_sync_time (agent), <=, next_attempt);
  }

  g_assert_true (ferry_dbus_agent_call_cancel_sync (agent, id, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_pending_count (agent) == 0, WAIT_MS);
}

static void
test_conflict_resolve (Fixture       *fixture,
                       gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *url = ferry_test_server_url (fixture->server, "/doc");
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *conflict_second = NULL;
  FerryTestRequest *last;

  ferry_test_server_set_default (fixture->server, "/doc", 200, "Content-Type: application/json",
                                 "{\"server\": true}");
  ferry_test_server_push_reply (fixture->server, "/doc", 409, NULL, "conflict");
  id = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                  "body", bytes_value ("{\"local\": 1}"),
                                                  "group", g_variant_new_string ("doc-a"),
                                                  NULL));
  conflict = g_strdup_printf ("conflict %s %s", id, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, conflict), WAIT_MS);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_conflict_count (agent) == 1, WAIT_MS);
  g_assert_true (task_in_state (fixture, id, "conflict"));
  FERRY_TEST_WAIT (g_strcmp0 (ferry_dbus_agent_get_state (agent), "attention") == 0, WAIT_MS);

  /* Keep the server's copy. */
  g_assert_true (ferry_dbus_agent_call_resolve_sync (agent, id, "remote", no_bytes (),
                                                     NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (ferry_dbus_agent_get_conflict_count (agent) == 0, WAIT_MS);
  g_assert_false (task_in_state (fixture, id, "conflict"));

  /* Not in conflict any more. */
  g_assert_false (ferry_dbus_agent_call_resolve_sync (agent, id, "local", no_bytes (),
                                                      NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
  g_clear_error (&error);

  /* Send a merged body instead. */
  ferry_test_server_push_reply (fixture->server, "/doc", 412, NULL, "precondition");
  second = enqueue (fixture, ferry_agent_request_new ("PUT", url,
                                                      "body", bytes_value ("{\"local\": 2}"),
                                                      "if-match", g_variant_new_string ("\"v1\""),
                                                      "group", g_variant_new_string ("doc-b"),
                                                      NULL));
  conflict_second = event_prefix ("conflict", second);
  FERRY_TEST_WAIT (has_event (fixture, conflict_second), WAIT_MS);
  g_assert_true (ferry_dbus_agent_call_resolve_sync (agent, second, "body",
                                                     bytes_value ("{\"merged\": true}"),
                                                     NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_in_state (fixture, second, "succeeded"), WAIT_MS);

  requests = ferry_test_server_dup_requests (fixture->server, "/doc");
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (last->method, ==, "PUT");
  g_assert_cmpmem (g_bytes_get_data (last->body, NULL), g_bytes_get_size (last->body),
                   "{\"merged\": true}", strlen ("{\"merged\": true}"));
}

/* What Retry and Cancel accept beyond failed tasks: Retry makes a
 * waiting task due now and sends a conflicted one again; Cancel drops a
 * running one. */
static void
test_retry_and_cancel_states (Fixture       *fixture,
                              gconstpointer  user_data)
{
  FerryDBusAgent *agent = fixture->base.agent;
  FerryTestServer *server = fixture->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *slow_url = ferry_test_server_url (server, "/slow");
  g_autofree char *later_url = ferry_test_server_url (server, "/later");
  g_autofree char *doc_url = ferry_test_server_url (server, "/doc");
  g_autofree char *running = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *conflicted = NULL;
  g_autofree char *retry_event = NULL;
  g_autofree char *conflict_event = NULL;

  /* Running: cancelled while its request is in flight. */
  ferry_test_server_hold (server, "/slow");
  running = enqueue (fixture, ferry_agent_request_new ("PUT", slow_url, NULL));
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (server) == 1, WAIT_MS);
  g_assert_true (task_in_state (fixture, running, "running"));
  g_assert_true (ferry_dbus_agent_call_cancel_sync (agent, running, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (task_in_state (fixture, running, "cancelled"));
  ferry_test_server_release (server, "/slow");

  /* Pending, waiting out a minute: due now. */
  ferry_test_server_push_reply (server, "/later", 503, "Retry-After: 60", "busy");
  waiting = enqueue (fixture, ferry_agent_request_new ("PUT", later_url, NULL));
  retry_event = g_strdup_printf ("retry %s %s 1 ", waiting, agent_owner ());
  FERRY_TEST_WAIT (has_event (fixture, retry_event), WAIT_MS);
  g_assert_true (task_in_state (fixture, waiting, "pending"));
  g_assert_true (ferry_dbus_agent_call_retry_sync (agent, waiting, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_in_state (fixture, waiting, "succeeded"), WAIT_MS);
  g_assert_cmpuint (ferry_test_server_count_requests (server, "/later"), ==, 2);

  /* In conflict: sent again as it is. */
  ferry_test_server_push_reply (server, "/doc", 409, NULL, "conflict");
  conflicted = enqueue (fixture, ferry_agent_request_new ("PUT", doc_url,
                                                          "body", bytes_value ("{\"v\": 1}"),
                                                          NULL));
  conflict_event = event_prefix ("conflict", conflicted);
  FERRY_TEST_WAIT (has_event (fixture, conflict_event), WAIT_MS);
  FERRY_TEST_WAIT (task_in_state (fixture, conflicted, "conflict"), WAIT_MS);
  g_assert_true (ferry_dbus_agent_call_retry_sync (agent, conflicted, NULL, &error));
  g_assert_no_error (error);
  FERRY_TEST_WAIT (task_in_state (fixture, conflicted, "succeeded"), WAIT_MS);

  /* Finished tasks take neither. */
  g_assert_false (ferry_dbus_agent_call_retry_sync (agent, conflicted, NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
  g_clear_error (&error);
  g_assert_false (ferry_dbus_agent_call_cancel_sync (agent, running, NULL, &error));
  assert_error (error, FERRY_ERROR_CONFLICT, NULL);
}

static void
test_secrets (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GVariant) mine = NULL;
  g_autoptr(GVariant) theirs = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **hidden = NULL;
  g_autofree char *mine_id = NULL;
  g_autofree char *their_id = NULL;
  g_autofree char *printed = NULL;
  const char *text;
  const char *url = "http://127.0.0.1:9/secret";

  mine_id = enqueue (fixture,
                     ferry_agent_request_new ("PUT", url,
                                              "headers",
                                              g_variant_new_parsed ("{'Authorization':"
                                                                    " 'Bearer s3cret',"
                                                                    " 'X-Token': 'tok3n',"
                                                                    " 'Accept': 'text/plain'}"),
                                              "secret-headers",
                                              g_variant_new_parsed ("['X-Token']"),
                                              NULL));
  their_id = enqueue (fixture,
                      ferry_agent_request_new ("PUT", url,
                                               "app-id", g_variant_new_string ("org.example.Other"),
                                               "headers",
                                               g_variant_new_parsed ("{'Cookie': 'session=s3cret',"
                                                                     " 'X-Token': 'tok3n',"
                                                                     " 'Proxy-Authorization':"
                                                                     " 'Basic s3cret',"
                                                                     " 'Accept': 'text/plain'}"),
                                               "secret-headers",
                                               g_variant_new_parsed ("['x-token']"),
                                               NULL));

  /* The owner sees its own credentials. */
  mine = get_task (fixture, mine_id);
  headers = g_variant_lookup_value (mine, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (headers, "Authorization", "&s", &text));
  g_assert_cmpstr (text, ==, "Bearer s3cret");
  g_assert_true (g_variant_lookup (headers, "X-Token", "&s", &text));
  g_assert_cmpstr (text, ==, "tok3n");
  g_assert_false (g_variant_lookup (mine, "hidden-headers", "as", NULL));
  g_clear_pointer (&headers, g_variant_unref);

  /* Anyone else sees the names, not the values. */
  theirs = get_task (fixture, their_id);
  g_assert_true (g_variant_lookup (theirs, "owner", "&s", &text));
  g_assert_cmpstr (text, ==, "org.example.Other");
  headers = g_variant_lookup_value (theirs, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (headers, "Cookie", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "Proxy-Authorization", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "X-Token", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "Accept", "&s", &text));
  g_assert_cmpstr (text, ==, "text/plain");
  g_assert_true (g_variant_lookup (theirs, "hidden-headers", "^a&s", &hidden));
  g_assert_cmpuint (g_strv_length ((char **) hidden), ==, 3);
  g_assert_true (g_strv_contains (hidden, "Cookie"));
  g_assert_true (g_strv_contains (hidden, "Proxy-Authorization"));
  g_assert_true (g_strv_contains (hidden, "X-Token"));
  printed = g_variant_print (theirs, FALSE);
  g_assert_null (strstr (printed, "s3cret"));
  g_assert_null (strstr (printed, "tok3n"));
  g_clear_pointer (&printed, g_free);

  /* List redacts the same way. */
  ferry_dbus_agent_call_list_sync (fixture->base.agent, empty_dict (), 0, 10, &tasks,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (tasks), ==, 2);
  {
    g_autoptr(GVariant) listed = g_variant_get_child_value (tasks, 1);

    printed = g_variant_print (listed, FALSE);
    g_assert_null (strstr (printed, "s3cret"));
    g_assert_nonnull (strstr (printed, "hidden-headers"));
  }
}

static void
test_two_app_ids (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GDBusConnection) other_connection = ferry_agent_fixture_connect (&fixture->base);
  g_autoptr(FerryDBusAgent) other = ferry_agent_fixture_new_proxy (&fixture->base,
                                                                   other_connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) tasks = NULL;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  g_autofree char *owner = NULL;
  GVariant *request_b;
  guint count = 0;

  id_a = enqueue (fixture,
                  ferry_agent_request_new ("PUT", "http://127.0.0.1:9/a",
                                           "app-id", g_variant_new_string ("org.example.A"),
                                           NULL));
  request_b = ferry_agent_request_new ("PUT", "http://127.0.0.1:9/b",
                                       "app-id", g_variant_new_string ("org.example.B"),
                                       NULL);
  g_assert_true (ferry_dbus_agent_call_enqueue_sync (other, request_b, &id_b, NULL, &error));
  g_assert_no_error (error);

  owner = dup_task_string (fixture, id_b, "owner");
  g_assert_cmpstr (owner, ==, "org.example.B");
  g_clear_pointer (&owner, g_free);

  /* Neither is sandboxed: both see every task. */
  g_assert_cmpuint (count_tasks (fixture, empty_dict ()), ==, 2);
  g_assert_true (ferry_dbus_agent_call_count_sync (other, empty_dict (), &count, NULL, &error));
  g_assert_cmpuint (count, ==, 2);
  g_assert_true (ferry_dbus_agent_call_list_sync (other, empty_dict (), 0, 10, &tasks,
                                                  NULL, &error));
  g_assert_cmpuint (g_variant_n_children (tasks), ==, 2);
  g_assert_true (ferry_dbus_agent_call_count_sync (other,
                                                   g_variant_new_parsed ("{'owner': "
                                                                         "<'org.example.A'>}"),
                                                   &count, NULL, &error));
  g_assert_cmpuint (count, ==, 1);
  {
    g_autoptr(GVariant) task = NULL;

    g_assert_true (ferry_dbus_agent_call_get_sync (other, id_a, &task, NULL, &error));
    g_assert_no_error (error);
  }
  /* And either may act on the other's. */
  g_assert_true (ferry_dbus_agent_call_cancel_sync (other, id_a, NULL, &error));
  g_assert_no_error (error);

  g_dbus_connection_close_sync (other_connection, NULL, NULL);
}

static void
test_second_instance (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autofree char *err = NULL;
  g_autofree char *other_dir = ferry_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (other_dir, "tasks.db", NULL);

  g_assert_cmpuint (count_tasks (fixture, empty_dict ()), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (fixture->base.bus), TRUE);
  second = g_subprocess_launcher_spawn (launcher, &error, FERRYD_PATH,
                                        "--data-dir", other_dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
  g_assert_nonnull (strstr (err, "already owned"));

  /* It touched no database, and the first one still serves. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (ferry_agent_fixture_get_owner_pid (&fixture->base), ==,
                    fixture->base.ferryd_pid);
  g_assert_cmpuint (count_tasks (fixture, empty_dict ()), ==, 0);
}

static char *
dup_name_owner (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *owner = NULL;

  reply = g_dbus_connection_call_sync (fixture->base.connection,
                                       "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", FERRY_DBUS_NAME),
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(s)", &owner);
  return owner;
}

/* The unique name the proxy believes owns the agent's name is @owner. */
static gboolean
proxy_owner_is (FerryDBusAgent *agent,
                const char     *owner)
{
  g_autofree char *current = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (agent));

  return g_strcmp0 (current, owner) == 0;
}

static void
test_replace (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) replacement = NULL;
  g_autofree char *id = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *new_owner = NULL;
  guint32 old_pid = fixture->base.ferryd_pid;

  id = enqueue (fixture, ferry_agent_request_new ("PUT", "http://127.0.0.1:9/kept", NULL));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (fixture->base.bus), TRUE);
  replacement = g_subprocess_launcher_spawn (launcher, &error, FERRYD_PATH, "--replace", NULL);
  g_assert_no_error (error);

  /* The old one hands over and leaves. */
  FERRY_TEST_WAIT (!ferry_agent_process_is_alive (old_pid), WAIT_MS);
  FERRY_TEST_WAIT (ferry_agent_fixture_get_owner_pid (&fixture->base) ==
                   (guint32) atoi (g_subprocess_get_identifier (replacement)), WAIT_MS);
  fixture->base.ferryd_pid = ferry_agent_fixture_get_owner_pid (&fixture->base);

  /* The proxy follows the new owner once it has read its properties. */
  new_owner = dup_name_owner (fixture);
  FERRY_TEST_WAIT (proxy_owner_is (fixture->base.agent, new_owner), WAIT_MS);

  /* Same data directory (from the environment), same tasks. */
  owner = dup_task_string (fixture, id, "owner");
  g_assert_cmpstr (owner, ==, agent_owner ());

  /* Our child: stop it and reap it. */
  g_subprocess_send_signal (replacement, SIGTERM);
  g_assert_true (g_subprocess_wait (replacement, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (replacement));
  g_assert_cmpint (g_subprocess_get_exit_status (replacement), ==, 0);
  fixture->base.ferryd_pid = 0;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, network, func) \
  g_test_add (path, Fixture, network, fixture_set_up, func, fixture_tear_down)

  ADD ("/dbus/agent/properties/initial", "offline", test_properties_initial);
  ADD ("/dbus/agent/properties/metered", "full,metered", test_metered);
  ADD ("/dbus/agent/enqueue/get-list-count", "offline", test_enqueue_get_list);
  ADD ("/dbus/agent/enqueue/unique", "offline", test_unique);
  ADD ("/dbus/agent/enqueue/invalid", "offline", test_enqueue_invalid);
  ADD ("/dbus/agent/errors/ids-and-pages", "offline", test_bad_ids_and_pages);
  ADD ("/dbus/agent/cancel", "offline", test_cancel);
  ADD ("/dbus/agent/cancel-all", "offline", test_cancel_all);
  ADD ("/dbus/agent/pause-resume", "full", test_pause_resume);
  ADD ("/dbus/agent/sync/properties-and-signals", "full", test_sync);
  ADD ("/dbus/agent/sync/progress-coalesced", "full", test_progress_coalesced);
  ADD ("/dbus/agent/sync/failure-and-retry", "full", test_failure_and_retry);
  ADD ("/dbus/agent/sync/retry-scheduled", "full", test_retry_scheduled);
  ADD ("/dbus/agent/sync/conflict-resolve", "full", test_conflict_resolve);
  ADD ("/dbus/agent/sync/auth-required", "full", test_auth_required);
  ADD ("/dbus/agent/sync/next-sync-time", "full", test_next_sync_time);
  ADD ("/dbus/agent/sync/retry-and-cancel-states", "full", test_retry_and_cancel_states);
  ADD ("/dbus/agent/identity/secrets", "offline", test_secrets);
  ADD ("/dbus/agent/identity/two-app-ids", "offline", test_two_app_ids);
  ADD ("/dbus/agent/instance/second-exits", "offline", test_second_instance);
  ADD ("/dbus/agent/instance/replace", "offline", test_replace);

#undef ADD

  ferry_agent_bus_up ();
  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
