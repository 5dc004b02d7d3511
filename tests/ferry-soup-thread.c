/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-soup-thread.h"

struct _FerrySoupThread
{
  char               *name;
  GTlsCertificate    *certificate;  /* nullable: plain HTTP */
  SoupServerCallback  callback;
  gpointer            data;

  GMutex              mutex;
  GCond               cond;
  guint16             port;
  gboolean            ready;

  GMainContext       *context;
  GMainLoop          *loop;
  GThread            *thread;
  SoupServer         *server;       /* the thread's */

  /* what runs in the thread just before the server stops */
  FerrySoupThreadFunc before_stop;
  gpointer            before_stop_data;
};

static gboolean
stop_in_thread (gpointer user_data)
{
  FerrySoupThread *self = user_data;

  if (self->before_stop != NULL)
    self->before_stop (self->before_stop_data);
  soup_server_disconnect (self->server);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer user_data)
{
  FerrySoupThread *self = user_data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  GSList *listeners;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("tls-certificate", self->certificate, NULL);
  soup_server_add_handler (self->server, NULL, self->callback, self->data, NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!soup_server_listen (self->server, address,
                           self->certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, &error))
    g_error ("%s: cannot listen on 127.0.0.1: %s", self->name, error->message);

  /* The listening socket says which port the kernel chose.  (Asked of
   * the socket rather than soup_server_get_uris(), which leaks in 3.2.) */
  listeners = soup_server_get_listeners (self->server);
  g_assert (listeners != NULL);
  local = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  if (local == NULL)
    g_error ("%s: no local address: %s", self->name, error->message);

  g_mutex_lock (&self->mutex);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  /* Let closing connections finish their work before the server goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * ferry_soup_thread_start:
 * @name: the thread's name, and the server's in errors
 * @certificate: (nullable): for HTTPS, the server's certificate with its
 *   key; %NULL for plain HTTP
 * @callback: answers every request, in the server's thread
 * @data: for @callback
 *
 * Returns: (transfer full): a server listening on a free port of
 *   127.0.0.1, once it listens
 */
FerrySoupThread *
ferry_soup_thread_start (const char         *name,
                         GTlsCertificate    *certificate,
                         SoupServerCallback  callback,
                         gpointer            data)
{
  static gsize proxy_chosen = 0;
  FerrySoupThread *self;

  /* Tests only talk to loopback.  The desktop proxy resolvers read
   * system GSettings schemas, which G_TEST_OPTION_ISOLATE_DIRS hides (a
   * fatal error on first use), so GIO is told to use no proxy.  Set once,
   * before the first server thread exists. */
  if (g_once_init_enter (&proxy_chosen))
    {
      g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
      g_once_init_leave (&proxy_chosen, 1);
    }

  self = g_new0 (FerrySoupThread, 1);
  self->name = g_strdup (name);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->callback = callback;
  self->data = data;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new (name, server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  return self;
}

/**
 * ferry_soup_thread_stop:
 * @self: (transfer full) (nullable): a server thread
 * @before: (nullable): runs in the server's thread before it stops (to
 *   let held messages go)
 * @data: for @before
 *
 * Closes every connection, stops the thread and frees @self.
 */
void
ferry_soup_thread_stop (FerrySoupThread     *self,
                        FerrySoupThreadFunc  before,
                        gpointer             data)
{
  if (self == NULL)
    return;

  self->before_stop = before;
  self->before_stop_data = data;
  g_main_context_invoke (self->context, stop_in_thread, self);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_object (&self->certificate);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->name);
  g_free (self);
}

/**
 * ferry_soup_thread_get_port:
 * @self: a server thread
 *
 * Returns: the port it listens on
 */
guint16
ferry_soup_thread_get_port (FerrySoupThread *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/**
 * ferry_soup_thread_get_context:
 * @self: a server thread
 *
 * Returns: (transfer none): the main context the server runs in
 */
GMainContext *
ferry_soup_thread_get_context (FerrySoupThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->context;
}
