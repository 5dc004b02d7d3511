/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-error.h"
#include "ferry-rest-server.h"
#include "ferry-test-sandbox.h"
#include "ferry-test-util.h"

#include "ferry-agent-fixture.h"

/*
 * Collections stay private to their app on the bus.  A real sandboxed
 * peer (privacy-peer.py run by bubblewrap with a /.flatpak-info, as
 * Flatpak runs apps) lists the collections through the ObjectManager,
 * reads their properties and listens to every signal, while this
 * unsandboxed test program adds, writes, syncs and removes collections of
 * two apps, and hands ferryd a task of each.  The peer must find and hear
 * only its own app's, introspection of the collections' path included.
 */

#define WAIT_MS 20000
#define NOTES   "org.example.Notes"
#define OTHER   "org.example.Other"

typedef struct
{
  FerryAgentFixture  base;
  FerryRestServer   *server;
  FerryTestPeer     *peer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ferry_agent_fixture_set_up (&fixture->base, "full");
  fixture->server = ferry_rest_server_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->peer, ferry_test_peer_free);
  ferry_agent_fixture_tear_down (&fixture->base);
  g_clear_pointer (&fixture->server, ferry_rest_server_free);
}

static FerryDBusCollection *
add_collection (Fixture    *fixture,
                const char *name,
                const char *app,
                char      **out_path)
{
  g_autofree char *url = ferry_rest_server_url (fixture->server);
  g_autoptr(GError) error = NULL;
  GVariantBuilder config;
  FerryDBusCollection *collection;

  g_variant_builder_init (&config, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&config, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&config, "{sv}", "protocol", g_variant_new_string ("rest"));
  g_variant_builder_add (&config, "{sv}", "url", g_variant_new_string (url));
  g_variant_builder_add (&config, "{sv}", "app-id", g_variant_new_string (app));
  ferry_dbus_agent_call_add_collection_sync (fixture->base.agent,
                                             g_variant_builder_end (&config), out_path,
                                             NULL, &error);
  g_assert_no_error (error);
  collection = ferry_dbus_collection_proxy_new_sync (fixture->base.connection,
                                                     G_DBUS_PROXY_FLAGS_NONE,
                                                     "io.github.ferrysync.Ferry.Agent",
                                                     *out_path, NULL, &error);
  g_assert_no_error (error);
  return collection;
}

static void
remove_collection (Fixture    *fixture,
                   const char *path)
{
  g_autoptr(GError) error = NULL;

  ferry_dbus_agent_call_remove_collection_sync (fixture->base.agent, path, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static void
on_run_finished (FerryDBusCollection *collection,
                 GVariant            *summary,
                 guint               *finished)
{
  (*finished)++;
}

static gboolean
server_has (Fixture    *fixture,
            const char *id)
{
  g_autofree char *body = ferry_rest_server_dup (fixture->server, id, NULL);

  return body != NULL;
}

/* Puts a document and waits until it is on the server and a run has
 * finished since. */
static void
put_and_sync (Fixture             *fixture,
              FerryDBusCollection *collection,
              const char          *id)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;
  guint finished = 0;
  gulong handler = g_signal_connect (collection, "run-finished", G_CALLBACK (on_run_finished),
                                     &finished);

  ferry_dbus_collection_call_put_sync (collection, id, "{\"title\":\"x\"}", &seq, NULL, &error);
  g_assert_no_error (error);
  ferry_dbus_collection_call_sync_sync (collection, NULL, &error);
  g_assert_no_error (error);
  FERRY_TEST_WAIT (finished > 0 && server_has (fixture, id), WAIT_MS);
  g_signal_handler_disconnect (collection, handler);
}

/* What the peer heard. */
static gboolean
peer_heard (Fixture    *fixture,
            const char *path,
            const char *interface,
            const char *member)
{
  g_autofree char *line = g_strdup_printf ("signal %s %s %s", path, interface, member);

  return ferry_test_peer_said (fixture->peer, line);
}

/* Starts the sandboxed peer, which calls Get and GetAll on @paths. */
static void
start_peer (Fixture            *fixture,
            const char * const *paths)
{
  g_autoptr(GPtrArray) command = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (command, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (command, g_test_build_filename (G_TEST_DIST, "dbus", "privacy-peer.py",
                                                   NULL));
  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (command, g_strdup (paths[i]));
  g_ptr_array_add (command, NULL);
  fixture->peer = ferry_test_peer_start (NOTES, (const char * const *) command->pdata);
}

/* Hands ferryd a task of @app (to a port nothing listens on: it stays and
 * is tried again). */
static void
enqueue_for (Fixture    *fixture,
             const char *app)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (ferry_dbus_agent_call_enqueue_sync (fixture->base.agent,
                                                     ferry_agent_request_new (
                                                       "PUT", "http://127.0.0.1:9/x",
                                                       "app-id", g_variant_new_string (app),
                                                       NULL),
                                                     &id, NULL, &error));
  g_assert_no_error (error);
}

/* The tests ------------------------------------------------------------- */

static void
assert_unsandboxed_sees (Fixture            *fixture,
                         const char * const *paths)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (fixture->base.connection,
                                       "io.github.ferrysync.Ferry.Agent",
                                       "/io/github/ferrysync/Ferry",
                                       "org.freedesktop.DBus.ObjectManager",
                                       "GetManagedObjects", NULL,
                                       G_VARIANT_TYPE ("(a{oa{sa{sv}}})"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  objects = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (objects), ==, g_strv_length ((char **) paths));
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GVariant) interfaces = g_variant_lookup_value (objects, paths[i], NULL);

      g_assert_nonnull (interfaces);
    }
}

/* The child nodes an Introspect of the collections' path lists to this
 * (unsandboxed) test program. */
static guint
count_nodes (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml = NULL;
  guint n = 0;

  reply = g_dbus_connection_call_sync (fixture->base.connection,
                                       "io.github.ferrysync.Ferry.Agent",
                                       "/io/github/ferrysync/Ferry/collections",
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  while (node->nodes != NULL && node->nodes[n] != NULL)
    n++;
  return n;
}

static void
test_sandboxed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *notes_path = NULL, *other_path = NULL;
  g_autofree char *notes2_path = NULL, *other2_path = NULL;
  g_autoptr(FerryDBusCollection) notes = add_collection (fixture, "notes", NOTES, &notes_path);
  g_autoptr(FerryDBusCollection) other = add_collection (fixture, "notes", OTHER, &other_path);
  g_autoptr(FerryDBusCollection) notes2 = NULL;
  g_autoptr(FerryDBusCollection) other2 = NULL;
  const char *collection_iface = "io.github.ferrysync.Ferry1.Collection";
  const char *manager_iface = "org.freedesktop.DBus.ObjectManager";
  g_autofree char *line = NULL;

  /* What it finds: its own collection only; the other app's properties
   * answer like a missing collection.  The unsandboxed caller sees both,
   * properties included. */
  start_peer (fixture, (const char *[]) { other_path, notes_path, NULL });
  line = g_strdup_printf ("managed %s " NOTES, notes_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "managed ", NULL), ==, 1);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("getall %s error io.github.ferrysync.Ferry1.Error.NotFound",
                          other_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("getall %s ok " NOTES, notes_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("get %s error io.github.ferrysync.Ferry1.Error.NotFound", other_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("get %s ok " NOTES, notes_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  /* Introspection names only its own collection too. */
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("node %s", notes_path);
  g_assert_true (ferry_test_peer_said (fixture->peer, line));
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "node ", NULL), ==, 1);
  assert_unsandboxed_sees (fixture, (const char *[]) { notes_path, other_path, NULL });
  g_assert_cmpuint (count_nodes (fixture), ==, 2);
  g_assert_cmpstr (ferry_dbus_collection_get_app (other), ==, OTHER);

  /* The other app's collections come, change, run and go (a removed
   * collection's id may be given again: both are added first)... */
  other2 = add_collection (fixture, "more", OTHER, &other2_path);
  put_and_sync (fixture, other, "a");
  notes2 = add_collection (fixture, "more", NOTES, &notes2_path);
  remove_collection (fixture, other2_path);

  enqueue_for (fixture, OTHER);

  /* ...then its own: whatever ferryd sent it about the other app's would
   * have arrived before these. */
  put_and_sync (fixture, notes, "b");
  remove_collection (fixture, notes2_path);
  enqueue_for (fixture, NOTES);
  FERRY_TEST_WAIT (peer_heard (fixture, notes2_path, manager_iface, "InterfacesRemoved") &&
                   peer_heard (fixture, notes_path, collection_iface, "RunFinished") &&
                   ferry_test_peer_said (fixture->peer, "agent " NOTES " TaskAdded"), WAIT_MS);
  ferry_test_peer_stop (fixture->peer);

  /* Of tasks, too, it heard its own app's only. */
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "agent ", OTHER), ==, 0);

  g_assert_true (peer_heard (fixture, notes2_path, manager_iface, "InterfacesAdded"));
  g_assert_true (peer_heard (fixture, notes_path, collection_iface, "Changed"));
  g_assert_true (peer_heard (fixture, notes_path, collection_iface, "RunStarted"));
  g_assert_true (peer_heard (fixture, notes_path, collection_iface, "RunFinished"));
  g_assert_true (peer_heard (fixture, notes_path, "org.freedesktop.DBus.Properties",
                             "PropertiesChanged"));
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "signal ", other_path), ==, 0);
  g_assert_cmpuint (ferry_test_peer_count (fixture->peer, "signal ", other2_path), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ferry_error_quark ();
  ferry_agent_bus_up ();

  g_test_add ("/dbus/privacy/sandboxed", Fixture, NULL, fixture_set_up, test_sandboxed,
              fixture_tear_down);

  status = g_test_run ();
  ferry_agent_bus_down ();
  return status;
}
