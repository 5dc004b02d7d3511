/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "ferry-executor-private.h"

/*
 * A large file body is sent from a thread of its own, with libsoup's
 * blocking API.  Sent from the main loop, libsoup copies a body 8 KiB at a
 * time, each step a read and a write that complete through the main loop:
 * against a receiver as fast as nginx on loopback, the sending was bound by
 * the processor at half of curl's rate.  In a thread the same copy is a
 * plain loop of reads and writes.
 *
 * The request goes on a connection of its own, closed after the answer
 * (the thread ends with it, and no other request waits behind the upload).
 * While the body goes out, that socket is corked (TCP_CORK): the kernel
 * sends full segments instead of one per 8 KiB write, which is what the
 * processor time went to.  It is corked once the connection is complete
 * (after any TLS handshake, whose small messages must not wait) and
 * uncorked as soon as the body is written, so the last bytes leave at
 * once.
 *
 * Everything about the message happens in the thread: its signals too
 * (libsoup emits them where the request started).  Byte progress goes to
 * the exchange's context at most every PROGRESS_INTERVAL, and the last
 * count once the thread ended.  The answer's body, read there up to one
 * byte past the request's limit, comes back as a memory stream for the
 * exchange's usual reading, with the error that ended the reading, if one
 * did.
 */

#define PROGRESS_INTERVAL (100 * 1000)   /* µs */
#define READ_CHUNK        (64 * 1024)

typedef struct
{
  /* owned */
  GTask        *task;          /* the exchange's */
  GMainContext *context;       /* where the exchange runs */
  GSocket      *corked;        /* while the body goes out */
  GByteArray   *received;
  GError       *send_error;
  GError       *read_error;
  GInputStream *stream;        /* the answer, as soup_session_send() gave it */

  /* borrowed: the task's data */
  Exchange     *exchange;

  /* state, the thread's own */
  gint64        posted;        /* when progress last went to the context */
} ThreadSend;

typedef struct
{
  GTask  *task;
  goffset sent;
  guint   seq;
} Progress;

static void
thread_send_free (ThreadSend *send)
{
  g_clear_object (&send->task);
  g_clear_pointer (&send->context, g_main_context_unref);
  g_clear_object (&send->corked);
  g_clear_pointer (&send->received, g_byte_array_unref);
  g_clear_error (&send->send_error);
  g_clear_error (&send->read_error);
  g_clear_object (&send->stream);
  g_free (send);
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->task);
  g_free (progress);
}

/* In the exchange's context: a count newer than any given before, while
 * the thread still sends (once it ended, every count posted is old). */
static gboolean
progress_in_context (gpointer data)
{
  Progress *progress = data;
  Exchange *exchange = g_task_get_task_data (progress->task);

  if (progress->seq > exchange->progress_seen)
    {
      exchange->progress_seen = progress->seq;
      exchange->request->body_progress (progress->sent, exchange->request->body_progress_data);
    }
  return G_SOURCE_REMOVE;
}

static void
post_progress (ThreadSend *send,
               goffset     sent)
{
  Progress *progress = g_new0 (Progress, 1);
  GSource *source;

  progress->task = g_object_ref (send->task);
  progress->sent = sent;
  progress->seq = ++send->exchange->progress_posted;
  /* Always through the context, never called from here: the thread has no
   * context of its own, so g_main_context_invoke() would run it at once
   * whenever it can take the process's default context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_in_context, progress, progress_free);
  g_source_set_static_name (source, "[ferry] body progress");
  g_source_attach (source, send->context);
  g_source_unref (source);
}

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    ThreadSend  *send)
{
  gint64 now = g_get_monotonic_time ();

  send->exchange->body_sent += chunk_size;
  if (send->exchange->request->body_progress != NULL && now - send->posted >= PROGRESS_INTERVAL)
    {
      send->posted = now;
      post_progress (send, send->exchange->body_sent);
    }
}

/* The socket under @stream: a TCP connection, maybe under TLS. */
static GSocket *
socket_of (GIOStream *stream)
{
  while (G_IS_TLS_CONNECTION (stream))
    {
      GIOStream *base = NULL;

      g_object_get (stream, "base-io-stream", &base, NULL);
      if (base == NULL)
        return NULL;
      g_object_unref (base);  /* the TLS connection holds it */
      stream = base;
    }
  return G_IS_SOCKET_CONNECTION (stream) ?
         g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)) : NULL;
}

static void
set_cork (ThreadSend *send,
          gboolean    cork)
{
  g_autoptr(GError) error = NULL;

  if (!g_socket_set_option (send->corked, IPPROTO_TCP, TCP_CORK, cork, &error))
    g_debug ("TCP_CORK %d: %s", cork, error->message);
}

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  ThreadSend         *send)
{
  GSocket *socket;

  if (event != G_SOCKET_CLIENT_COMPLETE || send->corked != NULL)
    return;
  socket = socket_of (connection);
  if (socket == NULL || g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX)
    return;
  send->corked = g_object_ref (socket);
  set_cork (send, TRUE);
}

static void
uncork (ThreadSend *send)
{
  if (send->corked == NULL)
    return;
  set_cork (send, FALSE);
  g_clear_object (&send->corked);
}

static void
on_wrote_body (SoupMessage *msg,
               ThreadSend  *send)
{
  uncork (send);
}

/* Whether the answer ended before the length it announced: a blocking
 * read of libsoup's says only "end" where the main loop's read fails.
 * Only a body as it came (not decoded) can be held to its length, and
 * only one that has a body. */
static gboolean
answer_short (SoupMessage *msg,
              gsize        have)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  const char *coding = soup_message_headers_get_one (headers, "Content-Encoding");

  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED ||
      (coding != NULL && g_ascii_strcasecmp (coding, "identity") != 0))
    return FALSE;
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         (goffset) have < soup_message_headers_get_content_length (headers);
}

/* Reads the answer's body up to one byte past the limit, and closes it:
 * dropping the connection when more was coming or the reading failed. */
static void
read_answer (ThreadSend   *send,
             GCancellable *cancellable)
{
  gsize limit = ferry_http_request_get_max_response_body (send->exchange->request);
  g_autoptr(GCancellable) drop = NULL;
  gsize have = 0;

  send->received = g_byte_array_new ();
  while (have <= limit)
    {
      gsize want = MIN (READ_CHUNK, limit + 1 - have);
      gssize n_read;

      g_byte_array_set_size (send->received, have + want);
      n_read = g_input_stream_read (send->stream, send->received->data + have, want,
                                    cancellable, &send->read_error);
      if (n_read <= 0)
        break;
      have += n_read;
    }
  g_byte_array_set_size (send->received, have);
  if (send->read_error == NULL && have <= limit && answer_short (send->exchange->msg, have))
    send->read_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                            "Connection terminated unexpectedly");
  if (send->read_error != NULL || have > limit)
    drop = ferry_cancellable_new_cancelled ();
  g_input_stream_close (send->stream, drop, NULL);
}

static gpointer
send_thread (gpointer data)
{
  g_autoptr(GTask) inner = data;
  ThreadSend *send = g_task_get_task_data (inner);
  Exchange *exchange = send->exchange;
  GCancellable *cancellable = g_task_get_cancellable (send->task);
  gint64 started = g_get_monotonic_time ();

  /* No context of the thread's own: the blocking calls need none, and
   * libsoup attaches what outlives the request (the timer that forgets a
   * host once its last connection closed, which happens here) to the
   * thread's default context.  The process's default one is still there
   * when that timer fires or is destroyed; a context of the thread's own
   * would go with the thread while the session still holds its timer. */
  send->stream = soup_session_send (exchange->session, exchange->msg, cancellable,
                                    &send->send_error);
  uncork (send);
  g_debug ("%" G_GOFFSET_FORMAT " bytes of body sent in %.3f s",
           exchange->body_sent, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  if (send->stream != NULL)
    read_answer (send, cancellable);
  g_signal_handlers_disconnect_by_data (exchange->msg, send);

  g_task_return_boolean (inner, TRUE);
  return NULL;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ThreadSend *send = g_task_get_task_data (G_TASK (result));
  Exchange *exchange = send->exchange;
  GTask *task = g_steal_pointer (&send->task);

  /* The last count, from here: counts still on their way are old. */
  exchange->progress_seen = exchange->progress_posted;
  if (exchange->request->body_progress != NULL)
    exchange->request->body_progress (exchange->body_sent, exchange->request->body_progress_data);

  g_clear_object (&exchange->stream);
  g_clear_error (&exchange->read_error);
  if (send->stream != NULL)
    {
      gsize size = send->received->len;

      exchange->stream = g_memory_input_stream_new_from_data (
        g_byte_array_free (g_steal_pointer (&send->received), FALSE), size, g_free);
      exchange->read_error = g_steal_pointer (&send->read_error);
    }
  ferry_exchange_sent (task, g_steal_pointer (&send->send_error));
}

/**
 * ferry_exchange_send_in_thread:
 * @task: (transfer full): an exchange whose message is ready to send
 *
 * Sends the exchange's message from a new thread, then goes on with
 * ferry_exchange_sent() in @task's context.
 */
void
ferry_exchange_send_in_thread (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  ThreadSend *send = g_new0 (ThreadSend, 1);
  GTask *inner = g_task_new (NULL, NULL, sent_cb, NULL);

  send->task = task;
  send->exchange = exchange;
  send->context = g_main_context_ref (g_task_get_context (task));
  g_task_set_task_data (inner, send, (GDestroyNotify) thread_send_free);

  soup_message_add_flags (exchange->msg, SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (exchange->msg),
                                "Connection", "close");
  g_signal_connect (exchange->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), send);
  g_signal_connect (exchange->msg, "network-event", G_CALLBACK (on_network_event), send);
  g_signal_connect (exchange->msg, "wrote-body", G_CALLBACK (on_wrote_body), send);

  g_thread_unref (g_thread_new ("ferry-upload", send_thread, inner));
}
