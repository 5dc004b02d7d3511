/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-pouchdb-server"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ferry-test-util.h"

#include "ferry-pouchdb-server.h"

struct _FerryPouchdbServer
{
  GSubprocess *process;
  char        *dir;
  guint16      port;
};

/* tests/node, found from G_TEST_SRCDIR (the tests' environment sets it,
 * and so do the benchmarks). */
static char *
node_dir (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  return g_build_filename (srcdir != NULL ? srcdir : ".", "node", NULL);
}

/**
 * ferry_pouchdb_server_missing:
 *
 * Returns: (nullable): why PouchDB Server cannot run here (no node, or the
 *   packages are not installed: `npm ci` in tests/node), %NULL when it can
 */
const char *
ferry_pouchdb_server_missing (void)
{
  g_autofree char *dir = node_dir ();
  g_autofree char *server = g_build_filename (dir, "node_modules", "pouchdb-server", NULL);
  g_autofree char *pouchdb = g_build_filename (dir, "node_modules", "pouchdb", NULL);
  g_autofree char *node = g_find_program_in_path ("node");

  if (node == NULL)
    return "node is not installed";
  if (!g_file_test (server, G_FILE_TEST_IS_DIR) || !g_file_test (pouchdb, G_FILE_TEST_IS_DIR))
    return "PouchDB Server is not installed: run npm ci in tests/node (.ci/test does)";
  return NULL;
}

/* A port nothing listens on now. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
answers (FerryPouchdbServer *self,
         SoupSession        *session)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read (session, message, NULL, NULL);
  return body != NULL && soup_message_get_status (message) == SOUP_STATUS_OK;
}

/**
 * ferry_pouchdb_server_new:
 *
 * Starts PouchDB Server in memory on 127.0.0.1 and waits until it answers.
 * Check ferry_pouchdb_server_missing() first.
 *
 * Returns: (transfer full): the server
 */
FerryPouchdbServer *
ferry_pouchdb_server_new (void)
{
  FerryPouchdbServer *self = g_new0 (FerryPouchdbServer, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = node_dir ();
  g_autofree char *program = g_build_filename (dir, "node_modules", "pouchdb-server", "bin",
                                               "pouchdb-server", NULL);
  g_autofree char *port = NULL;
  gint64 deadline;

  self->port = free_port ();
  port = g_strdup_printf ("%u", self->port);
  /* It writes its config.json and log.txt where it runs. */
  self->dir = ferry_test_make_temp_dir ();
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  self->process = g_subprocess_launcher_spawn (launcher, &error, "node", program, "--in-memory",
                                               "--no-stdout-logs", "--host", "127.0.0.1",
                                               "--port", port, NULL);
  g_assert_no_error (error);
  soup_session_set_timeout (session, 2);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC * ferry_test_wait_scale ();
  while (!answers (self, session))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("PouchDB Server did not answer on port %u", self->port);
      g_usleep (100 * 1000);
    }
  return self;
}

/**
 * ferry_pouchdb_server_free:
 * @server: (nullable): a server
 *
 * Stops it (its databases were in memory: they are gone).
 */
void
ferry_pouchdb_server_free (FerryPouchdbServer *server)
{
  if (server == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (server->dir, i == 0 ? "config.json" : "log.txt",
                                                NULL);

      g_unlink (path);
    }
  g_rmdir (server->dir);
  g_free (server->dir);
  g_free (server);
}

/**
 * ferry_pouchdb_server_url:
 * @server: a server
 * @database: a database's name
 *
 * Returns: (transfer full): the database's URL
 */
char *
ferry_pouchdb_server_url (FerryPouchdbServer *server,
                          const char         *database)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s", server->port, database);
}

/**
 * ferry_pouchdb_client:
 * @server: a server
 * @database: a database's name
 * @...: a command of tests/node/pouch-client.js and its arguments, then
 *   %NULL
 *
 * Runs PouchDB as the second client, to the end; fails the test when it
 * fails.
 *
 * Returns: (transfer full): what it printed
 */
char *
ferry_pouchdb_client (FerryPouchdbServer *server,
                      const char         *database,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = node_dir ();
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("node"));
  g_ptr_array_add (argv, g_build_filename (dir, "pouch-client.js", NULL));
  g_ptr_array_add (argv, ferry_pouchdb_server_url (server, database));
  va_start (args, database);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("pouch-client %s failed: %s", (const char *) argv->pdata[3], err);
  return out;
}
