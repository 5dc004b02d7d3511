/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "ferry-rest-server.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * ferryd itself killed (SIGKILL) at random points of a long pull and a
 * long push, and started again by D-Bus activation each time: in the end
 * both sides hold exactly the same documents, the pulled ones were
 * applied in the server's order, and each kill cost at most one batch
 * sent again: the REST profile server counts what it sent or received,
 * and which documents, so each life of ferryd shows what it moved twice.
 * The kill points are spread over the run by watching its progress, from
 * the test's random seed (printed; replay with --seed).
 *
 * 10,000 documents and ten kills each way; the sanitized build, where
 * everything runs several times slower, takes 2,000 and four.
 */

#define WAIT_MS 60000
#define BATCH   100

typedef struct
{
  FerryAgentFixture    base;
  FerryRestServer     *server;
  FerryDBusCollection *collection;
  char                *path;
  guint                documents;
  guint                kills;

  /* what moved, as the server counts it: all, and different documents */
  guint              (*moved) (FerryRestServer *server);
  guint              (*moved_documents) (FerryRestServer *server);
  guint                last_moved;
  guint                last_documents;
  guint                lives;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean sanitized = ferry_test_wait_scale () > 1;

  fixture->documents = sanitized ? 2000 : 10000;
  fixture->kills = sanitized ? 4 : 10;
  fixture->server = ferry_rest_server_new ();
  ferry_agent_fixture_set_up (&fixture->base, "full");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->collection);
  g_clear_pointer (&fixture->path, g_free);
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

static char *
doc_id_of (guint i)
{
  return g_strdup_printf ("d%05u", i);
}

static char *
body_of (guint i)
{
  return g_strdup_printf ("{\"n\":%u,\"title\":\"note %u\"}", i, i);
}

static void
open_collection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->collection);
  fixture->collection = ferry_dbus_collection_proxy_new_sync (fixture->base.connection,
                                                              G_DBUS_PROXY_FLAGS_NONE,
                                                              "io.github.ferrysync.Ferry.Agent",
                                                              fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (fixture->collection), 60000);
}

static void
add_collection (Fixture *fixture)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  g_autoptr(GError) error = NULL;
  GVariantBuilder config;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string ("notes"));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string ("org.example.Notes"));
  g_variant_builder_add (&config, "{sv}", "batch-limit", g_variant_new_uint32 (BATCH));
  g_assert_true (ferry_dbus_agent_call_add_collection_sync (fixture->base.agent,
                                                            g_variant_builder_end (&config),
                                                            &fixture->path, NULL, &error));
  g_assert_no_error (error);
  open_collection (fixture);
}

static gboolean
agent_has_owner (Fixture *fixture)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->base.agent));

  return owner != NULL;
}

/*
 * One life of ferryd, from its start to its kill (or the end): what it
 * moved that had moved before is what the kill before it cost.  The
 * first life moves nothing twice; each later one at most one batch again.
 */
static void
check_life (Fixture *fixture)
{
  guint moved = fixture->moved (fixture->server);
  guint documents = fixture->moved_documents (fixture->server);
  guint again = (moved - fixture->last_moved) - (documents - fixture->last_documents);

  g_test_message ("life %u of ferryd: %u moved, %u of them again", fixture->lives + 1,
                  moved - fixture->last_moved, again);
  g_assert_cmpuint (again, <=, fixture->lives == 0 ? 0 : BATCH);
  fixture->last_moved = moved;
  fixture->last_documents = documents;
  fixture->lives++;
}

/* Kills ferryd, waits until it is gone, and has the bus start it again;
 * the collection's runs go on by themselves. */
static void
kill_and_restart (Fixture *fixture)
{
  guint32 pid = fixture->base.ferryd_pid;

  g_assert_cmpint (kill ((pid_t) pid, SIGKILL), ==, 0);
  FERRY_TEST_WAIT (!ferry_agent_process_is_alive (pid), WAIT_MS);
  FERRY_TEST_WAIT (!agent_has_owner (fixture), WAIT_MS);
  check_life (fixture);

  g_clear_object (&fixture->base.agent);
  fixture->base.agent = ferry_agent_fixture_new_proxy (&fixture->base, fixture->base.connection);
  g_assert_true (agent_has_owner (fixture));
  fixture->base.ferryd_pid = ferry_agent_fixture_get_owner_pid (&fixture->base);
  g_assert_cmpuint (fixture->base.ferryd_pid, !=, pid);
  open_collection (fixture);
}

typedef guint (*Progress) (Fixture *fixture);

/* Kills ferryd each time @progress passes the next of the kill points:
 * one drawn in each equal share of the run, so they spread over all of
 * it.  Returns how many kills happened before the run ended. */
static guint
kill_during (Fixture  *fixture,
             Progress  progress)
{
  guint share = fixture->documents / (fixture->kills + 1);
  guint kills = 0;

  for (guint k = 0; k < fixture->kills; k++)
    {
      guint point = share * k + (guint) g_test_rand_int_range (share / 10 + 1, share);

      FERRY_TEST_WAIT (progress (fixture) >= point, WAIT_MS);
      if (progress (fixture) >= fixture->documents)
        break;
      g_test_message ("kill %u at %u of %u documents", k + 1, progress (fixture),
                      fixture->documents);
      kill_and_restart (fixture);
      kills++;
    }
  return kills;
}

static gboolean
is_settled (Fixture *fixture)
{
  FerryDBusCollection *collection = fixture->collection;

  return ferry_dbus_collection_get_document_count (collection) == fixture->documents &&
         ferry_dbus_collection_get_dirty_count (collection) == 0 &&
         ferry_dbus_collection_get_failed_count (collection) == 0 &&
         ferry_dbus_collection_get_conflict_count (collection) == 0 &&
         g_strcmp0 (ferry_dbus_collection_get_state (collection), "synced") == 0 &&
         ferry_rest_server_count (fixture->server) == fixture->documents;
}

/* Both sides hold exactly the same documents; returns each one's local
 * sequence, by index. */
static gint64 *
assert_same (Fixture *fixture)
{
  g_autofree gint64 *seqs = g_new0 (gint64, fixture->documents);
  GVariantBuilder filter;
  guint seen = 0;

  while (seen < fixture->documents)
    {
      g_autoptr(GVariant) page = NULL;
      g_autoptr(GError) error = NULL;
      GVariantIter iter;
      GVariant *doc;

      g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&filter, "{sv}", "bodies", g_variant_new_boolean (TRUE));
      g_assert_true (ferry_dbus_collection_call_list_sync (fixture->collection,
                                                           g_variant_builder_end (&filter),
                                                           seen, 1000, &page, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_variant_n_children (page), >, 0);
      g_variant_iter_init (&iter, page);
      while ((doc = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autofree char *doc_id = doc_id_of (seen);
          g_autofree char *expected = body_of (seen);
          g_autofree char *remote = ferry_rest_server_dup (fixture->server, doc_id, NULL);
          const char *id = NULL, *body = NULL;
          gboolean dirty = TRUE;

          g_assert_true (g_variant_lookup (doc, "id", "&s", &id));
          g_assert_true (g_variant_lookup (doc, "body", "&s", &body));
          g_assert_true (g_variant_lookup (doc, "dirty", "b", &dirty));
          g_assert_true (g_variant_lookup (doc, "seq", "x", &seqs[seen]));
          g_assert_cmpstr (id, ==, doc_id);
          g_assert_cmpstr (body, ==, expected);
          g_assert_cmpstr (remote, ==, expected);
          g_assert_false (dirty);
          g_variant_unref (doc);
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, fixture->documents);
  return g_steal_pointer (&seqs);
}

static guint
pulled (Fixture *fixture)
{
  return ferry_dbus_collection_get_document_count (fixture->collection);
}

static void
test_pull (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree gint64 *seqs = NULL;
  guint kills, sent;

  for (guint i = 0; i < fixture->documents; i++)
    {
      g_autofree char *doc_id = doc_id_of (i);
      g_autofree char *json = body_of (i);

      ferry_rest_server_put (fixture->server, doc_id, json);
    }
  fixture->moved = ferry_rest_server_count_sent;
  fixture->moved_documents = ferry_rest_server_count_sent_documents;
  add_collection (fixture);
  kills = kill_during (fixture, pulled);
  FERRY_TEST_WAIT (is_settled (fixture), WAIT_MS);
  check_life (fixture);

  sent = ferry_rest_server_count_sent (fixture->server);
  g_test_message ("%u kills; %u documents sent for %u", kills, sent, fixture->documents);
  g_assert_cmpuint (kills, >, 0);
  g_assert_cmpuint (sent, <=, fixture->documents + kills * BATCH);

  /* Applied in the server's order: a batch applied again after a kill is
   * the last one before it, so the local sequence still follows the
   * server's. */
  seqs = assert_same (fixture);
  for (guint i = 1; i < fixture->documents; i++)
    g_assert_cmpint (seqs[i], >, seqs[i - 1]);
}

typedef struct
{
  guint pending;
  guint failed;
} Puts;

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Puts *puts = user_data;
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  if (!ferry_dbus_collection_call_put_finish (FERRY_DBUS_COLLECTION (object), &seq, result,
                                              &error))
    {
      g_printerr ("Put failed: %s\n", error->message);
      puts->failed++;
    }
  puts->pending--;
}

/* Writes every document here, many calls in flight at once (fewer than
 * the 128 replies a connection may await on the bus). */
static void
put_all (Fixture *fixture)
{
  Puts puts = { 0, 0 };

  for (guint i = 0; i < fixture->documents; i++)
    {
      g_autofree char *doc_id = doc_id_of (i);
      g_autofree char *json = body_of (i);

      FERRY_TEST_WAIT (puts.pending < 100, WAIT_MS);
      puts.pending++;
      ferry_dbus_collection_call_put (fixture->collection, doc_id, json, NULL, put_cb, &puts);
    }
  FERRY_TEST_WAIT (puts.pending == 0, WAIT_MS);
  g_assert_cmpuint (puts.failed, ==, 0);
}

static guint
pushed (Fixture *fixture)
{
  return ferry_rest_server_count (fixture->server);
}

static void
test_push (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *seqs = NULL;
  guint kills, received;

  /* Written while paused, so the push starts with all of them. */
  g_assert_true (ferry_dbus_agent_call_pause_sync (fixture->base.agent, NULL, &error));
  g_assert_no_error (error);
  add_collection (fixture);
  put_all (fixture);
  g_assert_cmpuint (ferry_rest_server_count (fixture->server), ==, 0);
  g_assert_true (ferry_dbus_agent_call_resume_sync (fixture->base.agent, NULL, &error));
  g_assert_no_error (error);

  fixture->moved = ferry_rest_server_count_received;
  fixture->moved_documents = ferry_rest_server_count_received_documents;
  kills = kill_during (fixture, pushed);
  FERRY_TEST_WAIT (is_settled (fixture), WAIT_MS);
  check_life (fixture);

  received = ferry_rest_server_count_received (fixture->server);
  g_test_message ("%u kills; %u documents received for %u", kills, received,
                  fixture->documents);
  g_assert_cmpuint (kills, >, 0);
  g_assert_cmpuint (received, <=, fixture->documents + kills * BATCH);
  seqs = assert_same (fixture);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_agent_bus_up ();

  g_test_add ("/dbus/collection-resume/pull", Fixture, NULL, fixture_set_up, test_pull,
              fixture_tear_down);
  g_test_add ("/dbus/collection-resume/push", Fixture, NULL, fixture_set_up, test_push,
              fixture_tear_down);

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
