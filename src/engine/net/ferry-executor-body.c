/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include "ferry-executor-private.h"
#include "ferry-prefetch-stream.h"

/*
 * The request body of an exchange: bytes, or a file opened anew from its
 * start for every copy sent (after a redirect, or when libsoup sends the
 * message again by itself), and the byte progress of a file sent from the
 * main loop (a sending thread counts its own: ferry-executor-thread.c).
 */

#define BODY_FILE_BUFFER (1024 * 1024)

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    Exchange    *exchange)
{
  exchange->body_sent += chunk_size;
  exchange->request->body_progress (exchange->body_sent, exchange->request->body_progress_data);
}

/* A file for @exchange's way of sending: blocking reads from a thread, or
 * reads from the main loop answered at once. */
static GInputStream *
wrap_file (Exchange     *exchange,
           GInputStream *stream)
{
  /* libsoup reads a body 8 KiB at a time.  A blocking reader gets them
   * from memory, a block read at a time; from the main loop a file reads
   * through a thread, so it is read ahead: one thread hop per block
   * instead of per 8 KiB. */
  if (exchange->in_thread)
    return g_buffered_input_stream_new_sized (stream, BODY_FILE_BUFFER);
  return ferry_prefetch_stream_new (stream, BODY_FILE_BUFFER);
}

/**
 * ferry_exchange_set_body:
 * @exchange: an exchange
 * @msg: its message
 * @error: why the file cannot be read
 *
 * Gives @msg the exchange's body: the bytes, or the file opened anew from
 * its start.
 *
 * Returns: %FALSE when the file cannot be opened
 */
gboolean
ferry_exchange_set_body (Exchange     *exchange,
                         SoupMessage  *msg,
                         GError      **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GInputStream) body = NULL;

  if (exchange->body != NULL)
    soup_message_set_request_body_from_bytes (msg, exchange->content_type, exchange->body);
  if (exchange->body_path == NULL)
    return TRUE;
  file = g_file_new_for_path (exchange->body_path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    {
      g_prefix_error (error, "Cannot read the body: ");
      return FALSE;
    }
  body = wrap_file (exchange, G_INPUT_STREAM (stream));
  exchange->body_sent = 0;
  soup_message_set_request_body (msg, exchange->content_type, body,
                                 exchange->request->body_size);
  return TRUE;
}

/* libsoup dropped the request body before sending @msg again (on a new
 * connection after a reused one closed, or with credentials): put back
 * exactly the body that was enqueued. */
static void
on_message_restarted (SoupMessage *msg,
                      Exchange    *exchange)
{
  g_autoptr(GError) error = NULL;

  g_debug ("%s sent again by libsoup", exchange->method);
  if (!ferry_exchange_set_body (exchange, msg, &error))
    {
      /* Gone since the first copy: an empty stream of the announced
       * length, which the server sees cut short, rather than anything
       * else. */
      g_autoptr(GInputStream) empty = g_memory_input_stream_new ();

      g_warning ("%s", error->message);
      soup_message_set_request_body (msg, exchange->content_type, empty,
                                     exchange->request->body_size);
    }
}

/**
 * ferry_exchange_follow_body:
 * @exchange: an exchange whose message is new
 *
 * Keeps the message's body the exchange's when libsoup sends it again, and
 * reports its progress when it is sent from the main loop.
 */
void
ferry_exchange_follow_body (Exchange *exchange)
{
  g_signal_connect (exchange->msg, "restarted", G_CALLBACK (on_message_restarted), exchange);
  if (exchange->request->body_progress != NULL && !exchange->in_thread)
    g_signal_connect (exchange->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), exchange);
}
