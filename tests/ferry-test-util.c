/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-test-util"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ferry-soup-thread.h"

#include "ferry-test-util.h"

/*
 * The test server runs a SoupServer in a thread of its own, on a main
 * context of its own, so the code under test may block or spin the main
 * thread's loop as it likes.  Everything the test thread touches (scripts,
 * the request log, counters) is behind one mutex; messages themselves are
 * only touched in the server thread.
 *
 * Connections are kept alive, as every real server does, so clients reuse
 * them; each logged request says whether it came on a reused connection.
 * A scripted reset logs the request first (the server "applied" it) and
 * then drops the connection without a byte of answer: on a reused
 * connection that is the race every kept-alive client meets when a server
 * closes an idle connection, and a client may well send the request again
 * at once; the log shows every copy that arrived.
 */

typedef enum {
  REPLY_ANSWER,
  REPLY_RESET,
  REPLY_STALL,
  REPLY_CUT,
} ReplyKind;

typedef struct
{
  ReplyKind  kind;
  guint      status;
  char      *headers;
  GBytes    *body;
  guint      milliseconds;
} Reply;

typedef struct
{
  /* borrowed */
  FerryTestServer   *server;

  /* owned */
  SoupServerMessage *msg;
  char              *path;
  Reply             *reply;
  GSource           *stall_source;
  GSource           *client_watch;

  /* state */
  gboolean           held;
  gulong             finished_id;
  gulong             disconnected_id;
} Pending;

struct _FerryTestServer
{
  /* set when the thread has started, then read only */
  FerrySoupThread  *thread;
  GMainContext     *context;        /* the thread's */
  gboolean          tls;

  /* server thread only */
  GPtrArray        *pending;        /* Pending* */

  /* under mutex */
  GMutex            mutex;
  GHashTable       *scripts;        /* path → GQueue of Reply* */
  GHashTable       *defaults;       /* path → Reply* */
  GHashTable       *held_paths;     /* set of paths */
  GPtrArray        *requests;       /* FerryTestRequest*, with match paths below */
  GPtrArray        *request_paths;  /* char*: the path without query, per request */
  GHashTable       *reused_resets;  /* path → resets left for reused connections */
  guint             in_flight;
  guint             max_in_flight;
  guint             connections;    /* connections that carried a request */
};

static Reply *
reply_new (ReplyKind   kind,
           guint       status,
           const char *headers,
           const char *body)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->kind = kind;
  reply->status = status;
  reply->headers = g_strdup (headers);
  if (body != NULL)
    reply->body = g_bytes_new (body, strlen (body));
  return reply;
}

static Reply *
reply_copy (const Reply *reply)
{
  Reply *copy = g_new0 (Reply, 1);

  copy->kind = reply->kind;
  copy->status = reply->status;
  copy->headers = g_strdup (reply->headers);
  copy->body = reply->body != NULL ? g_bytes_ref (reply->body) : NULL;
  copy->milliseconds = reply->milliseconds;
  return copy;
}

static void
reply_free (Reply *reply)
{
  g_free (reply->headers);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

static void
reply_queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) reply_free);
}

void
ferry_test_request_free (FerryTestRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path);
  g_strfreev (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->idempotency_key);
  g_free (request);
}

static FerryTestRequest *
request_copy (const FerryTestRequest *request)
{
  FerryTestRequest *copy = g_new0 (FerryTestRequest, 1);

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->headers = g_strdupv (request->headers);
  copy->body = request->body != NULL ? g_bytes_ref (request->body) : NULL;
  copy->idempotency_key = g_strdup (request->idempotency_key);
  copy->received = request->received;
  copy->reused = request->reused;
  return copy;
}

/**
 * ferry_test_request_get_header:
 * @request: a logged request
 * @name: a header name, compared without regard to case
 *
 * Returns: (nullable): the first value of @name, borrowed from @request
 */
const char *
ferry_test_request_get_header (FerryTestRequest *request,
                               const char       *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (request->headers == NULL)
    return NULL;
  for (guint i = 0; request->headers[i] != NULL && request->headers[i + 1] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (request->headers[i], name) == 0)
        return request->headers[i + 1];
    }
  return NULL;
}

static void
add_header_pair (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  GStrvBuilder *builder = user_data;

  g_strv_builder_add (builder, name);
  g_strv_builder_add (builder, value);
}

static char **
flatten_headers (SoupMessageHeaders *headers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  soup_message_headers_foreach (headers, add_header_pair, builder);
  return g_strv_builder_end (builder);
}

/* Server thread only.  Called with the mutex held. */
static void
leave_flight_locked (FerryTestServer *self)
{
  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static void
leave_flight (FerryTestServer *self)
{
  g_mutex_lock (&self->mutex);
  leave_flight_locked (self);
  g_mutex_unlock (&self->mutex);
}

static void
set_response (SoupServerMessage *msg,
              guint              status,
              const char        *header_lines,
              GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *content_type = NULL;
  g_auto(GStrv) lines = NULL;

  soup_server_message_set_status (msg, status, NULL);
  if (header_lines != NULL)
    lines = g_strsplit (header_lines, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      value = g_strstrip (g_strdup (colon + 1));
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        soup_message_headers_replace (headers, name, value);
      else
        soup_message_headers_append (headers, name, value);
    }
  if (body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      /* Copied: setting the body replaces the header it points into. */
      content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
      soup_server_message_set_response (msg, content_type != NULL ? content_type : "text/plain",
                                        SOUP_MEMORY_COPY, data, size);
    }
}

/* Close the connection under the message without writing a byte.  A zero
 * linger time makes the kernel send a RST rather than a FIN, as a crashed
 * or overloaded server does. */
static void
reset_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  if (G_IS_SOCKET_CONNECTION (stream))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
      struct linger linger = { 1, 0 };

      (void) setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                         &linger, sizeof linger);
    }
  g_io_stream_close (stream, NULL, NULL);
}


/* Start an answer, send part of its body, then reset the connection: the
 * client has response bytes in hand when the connection goes. */
static void
cut_connection (SoupServerMessage *msg)
{
  static const char partial[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\npartial";
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;
  (void) g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial,
                                    sizeof partial - 1, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_pending_message_gone (SoupServerMessage *msg,
                         Pending           *pending)
{
  FerryTestServer *self = pending->server;

  /* The client went away (or the exchange ended) before the test let the
   * answer out: nothing more may be done with this message. */
  leave_flight (self);
  g_ptr_array_remove (self->pending, pending);
}

typedef enum {
  FINISH_ANSWER,
  FINISH_RESET,
  FINISH_CUT,
} FinishHow;

static void finish_pending (FerryTestServer *self,
                            Pending         *pending,
                            guint            status,
                            const char      *headers,
                            GBytes          *body,
                            FinishHow        how);

/* A paused message is not read from, so libsoup does not see its client
 * leave (e.g. after a timeout).  The client sends nothing more on a
 * connection it waits on, so the socket turning readable means it closed:
 * drop the message then, or it would count as in flight for ever. */
static gboolean
on_pending_client_gone (GSocket      *socket,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  Pending *pending = user_data;

  g_clear_pointer (&pending->client_watch, g_source_unref);
  finish_pending (pending->server, pending, 0, NULL, NULL, FINISH_RESET);
  return G_SOURCE_REMOVE;
}

static Pending *
pending_new (FerryTestServer   *self,
             SoupServerMessage *msg,
             const char        *path,
             Reply             *reply)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->server = self;
  pending->msg = g_object_ref (msg);
  pending->path = g_strdup (path);
  pending->reply = reply;
  pending->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (on_pending_message_gone), pending);
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_pending_message_gone), pending);
  pending->client_watch = g_socket_create_source (soup_server_message_get_socket (msg),
                                                  G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (pending->client_watch, G_SOURCE_FUNC (on_pending_client_gone),
                         pending, NULL);
  g_source_attach (pending->client_watch, self->context);
  return pending;
}

static void
pending_free (Pending *pending)
{
  if (pending->stall_source != NULL)
    {
      g_source_destroy (pending->stall_source);
      g_clear_pointer (&pending->stall_source, g_source_unref);
    }
  if (pending->client_watch != NULL)
    {
      g_source_destroy (pending->client_watch);
      g_clear_pointer (&pending->client_watch, g_source_unref);
    }
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_clear_object (&pending->msg);
  g_free (pending->path);
  g_clear_pointer (&pending->reply, reply_free);
  g_free (pending);
}

/* Server thread.  Takes @pending out of the list and frees it after the
 * message got its answer. */
static void
finish_pending (FerryTestServer *self,
                Pending         *pending,
                guint            status,
                const char      *headers,
                GBytes          *body,
                FinishHow        how)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);

  /* Stop listening first: unpausing may finish the message at once. */
  if (pending->client_watch != NULL)
    {
      g_source_destroy (pending->client_watch);
      g_clear_pointer (&pending->client_watch, g_source_unref);
    }
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  leave_flight (self);

  switch (how)
    {
    case FINISH_RESET:
      soup_server_message_unpause (msg);
      reset_connection (msg);
      break;
    case FINISH_CUT:
      soup_server_message_unpause (msg);
      cut_connection (msg);
      break;
    case FINISH_ANSWER:
    default:
      set_response (msg, status, headers, body);
      soup_server_message_unpause (msg);
      break;
    }
  g_ptr_array_remove (self->pending, pending);
}

static gboolean
on_stall_elapsed (gpointer user_data)
{
  Pending *pending = user_data;
  g_autoptr(GBytes) ok = g_bytes_new_static ("ok", 2);

  g_clear_pointer (&pending->stall_source, g_source_unref);
  finish_pending (pending->server, pending, SOUP_STATUS_OK, NULL, ok, FINISH_ANSWER);
  return G_SOURCE_REMOVE;
}

static void
start_stall (FerryTestServer *self,
             Pending         *pending)
{
  pending->stall_source = g_timeout_source_new (pending->reply->milliseconds);
  g_source_set_callback (pending->stall_source, on_stall_elapsed, pending, NULL);
  g_source_attach (pending->stall_source, self->context);
}

/* Server thread: what to do with a message that has its reply, now or
 * after a hold. */
static void
apply_reply (FerryTestServer *self,
             Pending         *pending)
{
  Reply *reply = pending->reply;

  pending->held = FALSE;
  switch (reply->kind)
    {
    case REPLY_ANSWER:
      finish_pending (self, pending, reply->status, reply->headers, reply->body, FINISH_ANSWER);
      break;
    case REPLY_RESET:
      finish_pending (self, pending, 0, NULL, NULL, FINISH_RESET);
      break;
    case REPLY_CUT:
      finish_pending (self, pending, 0, NULL, NULL, FINISH_CUT);
      break;
    case REPLY_STALL:
      start_stall (self, pending);
      break;
    default:
      g_assert_not_reached ();
    }
}

static Reply *
take_reply_locked (FerryTestServer *self,
                   const char      *path)
{
  GQueue *queue = g_hash_table_lookup (self->scripts, path);
  Reply *fallback;

  if (queue != NULL && !g_queue_is_empty (queue))
    return g_queue_pop_head (queue);
  fallback = g_hash_table_lookup (self->defaults, path);
  if (fallback != NULL)
    return reply_copy (fallback);
  return reply_new (REPLY_ANSWER, SOUP_STATUS_OK, NULL, "ok");
}

/* Server thread.  Counts the requests a connection carried, on its
 * socket; returns whether @socket carried one before. */
static gboolean
mark_connection_used (GSocket *socket)
{
  guint served = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), "ferry-test-served"));

  g_object_set_data (G_OBJECT (socket), "ferry-test-served", GUINT_TO_POINTER (served + 1));
  return served > 0;
}

static gboolean
take_reused_reset_locked (FerryTestServer *self,
                          const char      *path)
{
  guint left = GPOINTER_TO_UINT (g_hash_table_lookup (self->reused_resets, path));

  if (left == 0)
    return FALSE;
  g_hash_table_replace (self->reused_resets, g_strdup (path), GUINT_TO_POINTER (left - 1));
  return TRUE;
}

static void
server_callback (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FerryTestServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  FerryTestRequest *request = g_new0 (FerryTestRequest, 1);
  Reply *reply;
  Pending *pending;
  gboolean held;

  request->method = g_strdup (soup_server_message_get_method (msg));
  if (g_uri_get_query (uri) != NULL)
    request->path = g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL);
  else
    request->path = g_strdup (g_uri_get_path (uri));
  request->headers = flatten_headers (request_headers);
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  request->idempotency_key = g_strdup (soup_message_headers_get_one (request_headers,
                                                                     "Idempotency-Key"));
  request->received = g_get_monotonic_time ();
  request->reused = mark_connection_used (soup_server_message_get_socket (msg));

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  g_ptr_array_add (self->request_paths, g_strdup (path));
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  if (!request->reused)
    self->connections++;
  if (request->reused && take_reused_reset_locked (self, path))
    reply = reply_new (REPLY_RESET, 0, NULL, NULL);
  else
    reply = take_reply_locked (self, path);
  held = g_hash_table_contains (self->held_paths, path);
  g_mutex_unlock (&self->mutex);

  if (!held && reply->kind == REPLY_ANSWER)
    {
      set_response (msg, reply->status, reply->headers, reply->body);
      reply_free (reply);
      leave_flight (self);
      return;
    }

  soup_server_message_pause (msg);
  pending = pending_new (self, msg, path, reply);
  g_ptr_array_add (self->pending, pending);
  if (held)
    pending->held = TRUE;
  else
    apply_reply (self, pending);
}

typedef struct
{
  FerryTestServer *server;
  char            *path;
} ReleaseData;

static gboolean
release_in_thread (gpointer user_data)
{
  ReleaseData *data = user_data;
  FerryTestServer *self = data->server;
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();

  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *pending = g_ptr_array_index (self->pending, i);

      if (pending->held && g_str_equal (pending->path, data->path))
        g_ptr_array_add (ready, pending);
    }
  /* In arrival order, so a released group is answered as it came in. */
  for (guint i = 0; i < ready->len; i++)
    apply_reply (self, g_ptr_array_index (ready, i));
  return G_SOURCE_REMOVE;
}

static void
release_data_free (gpointer user_data)
{
  ReleaseData *data = user_data;

  g_free (data->path);
  g_free (data);
}

/* In the server's thread, as it stops: every held or stalled message
 * goes before the connections close, so none is left paused inside
 * libsoup. */
static void
release_all_in_thread (gpointer user_data)
{
  FerryTestServer *self = user_data;
  g_autoptr(GBytes) ok = g_bytes_new_static ("ok", 2);

  while (self->pending->len > 0)
    {
      Pending *pending = g_ptr_array_index (self->pending, 0);

      if (pending->stall_source != NULL)
        {
          g_source_destroy (pending->stall_source);
          g_clear_pointer (&pending->stall_source, g_source_unref);
        }
      finish_pending (self, pending, SOUP_STATUS_OK, NULL, ok, FINISH_ANSWER);
    }
}

static FerryTestServer *
server_new (GTlsCertificate *certificate)
{
  FerryTestServer *self = g_new0 (FerryTestServer, 1);

  g_mutex_init (&self->mutex);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) reply_queue_free);
  self->defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) reply_free);
  self->held_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_test_request_free);
  self->request_paths = g_ptr_array_new_with_free_func (g_free);
  self->reused_resets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Nothing calls before the test knows the port, which it learns after
   * this returns. */
  self->thread = ferry_soup_thread_start ("ferry-test-server", certificate, server_callback,
                                          self);
  self->context = ferry_soup_thread_get_context (self->thread);
  self->tls = certificate != NULL;
  return self;
}

/**
 * ferry_test_server_new:
 *
 * Returns: (transfer full): a running HTTP server on 127.0.0.1
 */
FerryTestServer *
ferry_test_server_new (void)
{
  return server_new (NULL);
}

/**
 * ferry_test_server_new_tls:
 * @certificate: the server's certificate, with its private key
 *
 * Returns: (transfer full): a running HTTPS server on 127.0.0.1; its URLs
 *   start with https://
 */
FerryTestServer *
ferry_test_server_new_tls (GTlsCertificate *certificate)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  return server_new (certificate);
}

/**
 * ferry_test_server_free:
 * @server: (nullable): a server
 *
 * Answers every held or stalled request, closes all connections, stops the
 * thread and frees the server.
 */
void
ferry_test_server_free (FerryTestServer *server)
{
  if (server == NULL)
    return;

  ferry_soup_thread_stop (server->thread, release_all_in_thread, server);

  g_ptr_array_unref (server->pending);
  g_hash_table_unref (server->scripts);
  g_hash_table_unref (server->defaults);
  g_hash_table_unref (server->held_paths);
  g_ptr_array_unref (server->requests);
  g_ptr_array_unref (server->request_paths);
  g_hash_table_unref (server->reused_resets);
  g_mutex_clear (&server->mutex);
  g_free (server);
}

guint16
ferry_test_server_get_port (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return ferry_soup_thread_get_port (server->thread);
}

/**
 * ferry_test_server_url:
 * @server: a server
 * @path: an absolute path, with a query if wanted
 *
 * Returns: (transfer full): the URL of @path on @server
 */
char *
ferry_test_server_url (FerryTestServer *server,
                       const char      *path)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  return g_strdup_printf ("%s://127.0.0.1:%u%s",
                          server->tls ? "https" : "http",
                          ferry_soup_thread_get_port (server->thread), path);
}

static void
push_locked (FerryTestServer *server,
             const char      *path,
             Reply           *reply)
{
  GQueue *queue = g_hash_table_lookup (server->scripts, path);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (server->scripts, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, reply);
}

static void
push_reply (FerryTestServer *server,
            const char      *path,
            Reply           *reply)
{
  g_mutex_lock (&server->mutex);
  push_locked (server, path, reply);
  g_mutex_unlock (&server->mutex);
}

void
ferry_test_server_push_reply (FerryTestServer *server,
                              const char      *path,
                              guint            status,
                              const char      *headers,
                              const char      *body)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  push_reply (server, path, reply_new (REPLY_ANSWER, status, headers, body));
}

void
ferry_test_server_push_reset (FerryTestServer *server,
                              const char      *path)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  push_reply (server, path, reply_new (REPLY_RESET, 0, NULL, NULL));
}

/**
 * ferry_test_server_push_reset_reused:
 * @server: a server
 * @path: a path
 *
 * The next request for @path that arrives on a reused connection is
 * logged and then reset, without taking a scripted reply; requests on
 * new connections are answered as scripted.  Calls add up.
 */
void
ferry_test_server_push_reset_reused (FerryTestServer *server,
                                     const char      *path)
{
  guint left;

  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&server->mutex);
  left = GPOINTER_TO_UINT (g_hash_table_lookup (server->reused_resets, path));
  g_hash_table_replace (server->reused_resets, g_strdup (path), GUINT_TO_POINTER (left + 1));
  g_mutex_unlock (&server->mutex);
}

/**
 * ferry_test_server_push_cut:
 * @server: a server
 * @path: a path
 *
 * Starts a 200 answer promising 1,000 bytes, sends a few, then resets
 * the connection.
 */
void
ferry_test_server_push_cut (FerryTestServer *server,
                            const char      *path)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  push_reply (server, path, reply_new (REPLY_CUT, 0, NULL, NULL));
}

void
ferry_test_server_push_stall (FerryTestServer *server,
                              const char      *path,
                              guint            milliseconds)
{
  Reply *reply;

  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  reply = reply_new (REPLY_STALL, SOUP_STATUS_OK, NULL, "ok");
  reply->milliseconds = milliseconds;
  push_reply (server, path, reply);
}

void
ferry_test_server_set_default (FerryTestServer *server,
                               const char      *path,
                               guint            status,
                               const char      *headers,
                               const char      *body)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&server->mutex);
  g_hash_table_replace (server->defaults, g_strdup (path),
                        reply_new (REPLY_ANSWER, status, headers, body));
  g_mutex_unlock (&server->mutex);
}

/**
 * ferry_test_server_set_default_reset:
 * @server: a server
 * @path: a path
 *
 * Once its script is spent, every request for @path is logged and reset.
 */
void
ferry_test_server_set_default_reset (FerryTestServer *server,
                                     const char      *path)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&server->mutex);
  g_hash_table_replace (server->defaults, g_strdup (path),
                        reply_new (REPLY_RESET, 0, NULL, NULL));
  g_mutex_unlock (&server->mutex);
}

void
ferry_test_server_hold (FerryTestServer *server,
                        const char      *path)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&server->mutex);
  g_hash_table_add (server->held_paths, g_strdup (path));
  g_mutex_unlock (&server->mutex);
}

void
ferry_test_server_release (FerryTestServer *server,
                           const char      *path)
{
  ReleaseData *data;

  g_return_if_fail (server != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&server->mutex);
  g_hash_table_remove (server->held_paths, path);
  g_mutex_unlock (&server->mutex);

  data = g_new0 (ReleaseData, 1);
  data->server = server;
  data->path = g_strdup (path);
  g_main_context_invoke_full (server->context, G_PRIORITY_DEFAULT,
                              release_in_thread, data, release_data_free);
}

guint
ferry_test_server_get_max_in_flight (FerryTestServer *server)
{
  guint max;

  g_return_val_if_fail (server != NULL, 0);

  g_mutex_lock (&server->mutex);
  max = server->max_in_flight;
  g_mutex_unlock (&server->mutex);
  return max;
}

/**
 * ferry_test_server_count_connections:
 * @server: a server
 *
 * Returns: how many connections carried at least one request so far
 */
guint
ferry_test_server_count_connections (FerryTestServer *server)
{
  guint n;

  g_return_val_if_fail (server != NULL, 0);

  g_mutex_lock (&server->mutex);
  n = server->connections;
  g_mutex_unlock (&server->mutex);
  return n;
}

guint
ferry_test_server_get_in_flight (FerryTestServer *server)
{
  guint n;

  g_return_val_if_fail (server != NULL, 0);

  g_mutex_lock (&server->mutex);
  n = server->in_flight;
  g_mutex_unlock (&server->mutex);
  return n;
}

/**
 * ferry_test_server_count_requests:
 * @server: a server
 * @path: (nullable): a path, query ignored; %NULL counts every request
 *
 * Returns: how many requests arrived for @path so far
 */
guint
ferry_test_server_count_requests (FerryTestServer *server,
                                  const char      *path)
{
  guint n = 0;

  g_return_val_if_fail (server != NULL, 0);

  g_mutex_lock (&server->mutex);
  for (guint i = 0; i < server->request_paths->len; i++)
    {
      if (path == NULL || g_str_equal (g_ptr_array_index (server->request_paths, i), path))
        n++;
    }
  g_mutex_unlock (&server->mutex);
  return n;
}

/**
 * ferry_test_server_dup_requests:
 * @server: a server
 * @path: (nullable): a path, query ignored; %NULL for every request
 *
 * Returns: (transfer full) (element-type FerryTestRequest): copies of the
 *   requests for @path, in arrival order
 */
GPtrArray *
ferry_test_server_dup_requests (FerryTestServer *server,
                                const char      *path)
{
  GPtrArray *out;

  g_return_val_if_fail (server != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_test_request_free);
  g_mutex_lock (&server->mutex);
  for (guint i = 0; i < server->requests->len; i++)
    {
      if (path == NULL || g_str_equal (g_ptr_array_index (server->request_paths, i), path))
        g_ptr_array_add (out, request_copy (g_ptr_array_index (server->requests, i)));
    }
  g_mutex_unlock (&server->mutex);
  return out;
}

/* The fake network monitor. */

struct _FerryTestNetworkMonitor
{
  GObject parent_instance;

  /* owned */
  GPtrArray            *reachable;   /* lower-case host names */

  /* state */
  gboolean              available;
  GNetworkConnectivity  connectivity;
  gboolean              metered;
  guint                 reach_calls;
};

static void ferry_test_network_monitor_initable_init (GInitableIface *iface);
static void ferry_test_network_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTestNetworkMonitor, ferry_test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ferry_test_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      ferry_test_network_monitor_iface_init))

enum {
  NM_PROP_0,
  NM_PROP_NETWORK_AVAILABLE,
  NM_PROP_NETWORK_METERED,
  NM_PROP_CONNECTIVITY,
  NM_N_PROPS
};

static char *
dup_connectable_host (GSocketConnectable *connectable)
{
  if (G_IS_NETWORK_ADDRESS (connectable))
    return g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)));
  if (G_IS_NETWORK_SERVICE (connectable))
    return g_strdup (g_network_service_get_domain (G_NETWORK_SERVICE (connectable)));
  if (G_IS_INET_SOCKET_ADDRESS (connectable))
    {
      GInetSocketAddress *socket_address = G_INET_SOCKET_ADDRESS (connectable);

      return g_inet_address_to_string (g_inet_socket_address_get_address (socket_address));
    }
  return g_socket_connectable_to_string (connectable);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
monitor_can_reach (FerryTestNetworkMonitor  *self,
                   GSocketConnectable       *connectable,
                   GError                  **error)
{
  g_autofree char *host = dup_connectable_host (connectable);
  g_autofree char *lower = NULL;

  g_atomic_int_inc (&self->reach_calls);

  if (host != NULL && self->available)
    {
      lower = g_ascii_strdown (host, -1);
      if (host_is_loopback (lower))
        return TRUE;
      for (guint i = 0; i < self->reachable->len; i++)
        {
          if (g_str_equal (g_ptr_array_index (self->reachable, i), lower))
            return TRUE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
               "Host “%s” is unreachable", host != NULL ? host : "(unknown)");
  return FALSE;
}

static gboolean
network_monitor_can_reach (GNetworkMonitor     *monitor,
                           GSocketConnectable  *connectable,
                           GCancellable        *cancellable,
                           GError             **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return monitor_can_reach (FERRY_TEST_NETWORK_MONITOR (monitor), connectable, error);
}

static void
network_monitor_can_reach_async (GNetworkMonitor     *monitor,
                                 GSocketConnectable  *connectable,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (monitor, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, network_monitor_can_reach_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (monitor_can_reach (FERRY_TEST_NETWORK_MONITOR (monitor), connectable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
network_monitor_can_reach_finish (GNetworkMonitor  *monitor,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, monitor), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
network_monitor_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return TRUE;
}

static void
ferry_test_network_monitor_initable_init (GInitableIface *iface)
{
  iface->init = network_monitor_initable_init;
}

static void
ferry_test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = network_monitor_can_reach;
  iface->can_reach_async = network_monitor_can_reach_async;
  iface->can_reach_finish = network_monitor_can_reach_finish;
}

static void
ferry_test_network_monitor_finalize (GObject *object)
{
  FerryTestNetworkMonitor *self = FERRY_TEST_NETWORK_MONITOR (object);

  g_ptr_array_unref (self->reachable);

  G_OBJECT_CLASS (ferry_test_network_monitor_parent_class)->finalize (object);
}

static void
ferry_test_network_monitor_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  FerryTestNetworkMonitor *self = FERRY_TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case NM_PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case NM_PROP_NETWORK_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case NM_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_test_network_monitor_class_init (FerryTestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_test_network_monitor_finalize;
  object_class->get_property = ferry_test_network_monitor_get_property;

  g_object_class_override_property (object_class, NM_PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NM_PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, NM_PROP_CONNECTIVITY, "connectivity");
}

static void
ferry_test_network_monitor_init (FerryTestNetworkMonitor *self)
{
  self->reachable = g_ptr_array_new_with_free_func (g_free);
  self->available = TRUE;
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
  self->metered = FALSE;
}

/**
 * ferry_test_network_monitor_new:
 *
 * Returns: (transfer full): a monitor that says: available, full
 *   connectivity, not metered
 */
FerryTestNetworkMonitor *
ferry_test_network_monitor_new (void)
{
  return g_object_new (FERRY_TYPE_TEST_NETWORK_MONITOR, NULL);
}

/**
 * ferry_test_network_monitor_set_state:
 * @self: a monitor
 * @available: whether a network is available
 * @connectivity: how far it reaches
 * @metered: whether it costs money
 *
 * Changes what the monitor says; when anything changed, notifies the
 * changed properties and emits ::network-changed once.
 */
void
ferry_test_network_monitor_set_state (FerryTestNetworkMonitor *self,
                                      gboolean                 available,
                                      GNetworkConnectivity     connectivity,
                                      gboolean                 metered)
{
  gboolean changed = FALSE;

  g_return_if_fail (FERRY_IS_TEST_NETWORK_MONITOR (self));

  available = !!available;
  metered = !!metered;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->available != available)
    {
      self->available = available;
      g_object_notify (G_OBJECT (self), "network-available");
      changed = TRUE;
    }
  if (self->connectivity != connectivity)
    {
      self->connectivity = connectivity;
      g_object_notify (G_OBJECT (self), "connectivity");
      changed = TRUE;
    }
  if (self->metered != metered)
    {
      self->metered = metered;
      g_object_notify (G_OBJECT (self), "network-metered");
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit_by_name (self, "network-changed", self->available);
}

/**
 * ferry_test_network_monitor_add_reachable:
 * @self: a monitor
 * @host: a host name or address
 *
 * Makes can_reach answer %TRUE for @host while the network is available;
 * emits ::network-changed, as a real monitor does when routes change.
 */
void
ferry_test_network_monitor_add_reachable (FerryTestNetworkMonitor *self,
                                          const char              *host)
{
  g_return_if_fail (FERRY_IS_TEST_NETWORK_MONITOR (self));
  g_return_if_fail (host != NULL);

  g_ptr_array_add (self->reachable, g_ascii_strdown (host, -1));
  g_signal_emit_by_name (self, "network-changed", self->available);
}

guint
ferry_test_network_monitor_get_reach_calls (FerryTestNetworkMonitor *self)
{
  g_return_val_if_fail (FERRY_IS_TEST_NETWORK_MONITOR (self), 0);

  return (guint) g_atomic_int_get (&self->reach_calls);
}

/* The fake power profile monitor. */

struct _FerryTestPowerMonitor
{
  GObject parent_instance;

  /* state */
  gboolean power_saver;
};

static void ferry_test_power_monitor_initable_init (GInitableIface *iface);
static void ferry_test_power_monitor_iface_init (GPowerProfileMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTestPowerMonitor, ferry_test_power_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ferry_test_power_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_POWER_PROFILE_MONITOR,
                                                      ferry_test_power_monitor_iface_init))

enum {
  PM_PROP_0,
  PM_PROP_POWER_SAVER_ENABLED,
  PM_N_PROPS
};

static gboolean
power_monitor_initable_init (GInitable     *initable,
                             GCancellable  *cancellable,
                             GError       **error)
{
  return TRUE;
}

static void
ferry_test_power_monitor_initable_init (GInitableIface *iface)
{
  iface->init = power_monitor_initable_init;
}

static void
ferry_test_power_monitor_iface_init (GPowerProfileMonitorInterface *iface)
{
}

static void
ferry_test_power_monitor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  FerryTestPowerMonitor *self = FERRY_TEST_POWER_MONITOR (object);

  switch (prop_id)
    {
    case PM_PROP_POWER_SAVER_ENABLED:
      g_value_set_boolean (value, self->power_saver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_test_power_monitor_class_init (FerryTestPowerMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ferry_test_power_monitor_get_property;

  g_object_class_override_property (object_class, PM_PROP_POWER_SAVER_ENABLED,
                                    "power-saver-enabled");
}

static void
ferry_test_power_monitor_init (FerryTestPowerMonitor *self)
{
}

/**
 * ferry_test_power_monitor_new:
 *
 * Returns: (transfer full): a monitor with power saving off
 */
FerryTestPowerMonitor *
ferry_test_power_monitor_new (void)
{
  return g_object_new (FERRY_TYPE_TEST_POWER_MONITOR, NULL);
}

void
ferry_test_power_monitor_set_power_saver (FerryTestPowerMonitor *self,
                                          gboolean               enabled)
{
  g_return_if_fail (FERRY_IS_TEST_POWER_MONITOR (self));

  enabled = !!enabled;
  if (self->power_saver == enabled)
    return;
  self->power_saver = enabled;
  g_object_notify (G_OBJECT (self), "power-saver-enabled");
}

/* Main loop helpers. */

static gboolean
on_brief_timeout (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * ferry_test_iterate_briefly:
 *
 * Runs one blocking iteration of the thread-default main context.  A
 * timeout source of its own wakes it after at most 5 ms when nothing else
 * does, and is removed before returning.
 */
void
ferry_test_iterate_briefly (void)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) source = g_timeout_source_new (5);
  gboolean fired = FALSE;

  g_source_set_callback (source, on_brief_timeout, &fired, NULL);
  g_source_attach (source, context);
  g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
}

/**
 * ferry_test_wait_until:
 * @condition: checked before each iteration
 * @user_data: passed to @condition
 * @timeout_ms: how long to wait, at most
 * @what: what is awaited, for the failure message
 *
 * Iterates the thread-default main context until @condition holds; aborts
 * the test, naming @what, when @timeout_ms pass first.
 */
void
ferry_test_wait_until (FerryTestCondition  condition,
                       gpointer            user_data,
                       guint               timeout_ms,
                       const char         *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000 * ferry_test_wait_scale ();

  g_return_if_fail (condition != NULL);

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms waiting for %s", timeout_ms,
                 what != NULL ? what : "a condition");
      ferry_test_iterate_briefly ();
    }
}

/**
 * ferry_test_make_temp_dir:
 *
 * Returns: (transfer full): the path of a new, empty directory (mode 0700)
 *   inside the test's isolated temporary directory, removed with it
 */
char *
ferry_test_make_temp_dir (void)
{
  const char *base = g_getenv ("G_TEST_TMPDIR");
  g_autofree char *template = NULL;

  if (base == NULL)
    base = g_get_tmp_dir ();
  template = g_build_filename (base, "ferry-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    g_error ("cannot make a temporary directory in %s: %s", base, g_strerror (errno));
  return g_steal_pointer (&template);
}
