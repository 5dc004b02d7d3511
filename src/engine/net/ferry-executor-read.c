/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include "ferry-executor-private.h"

/*
 * The end of an exchange: its response body read in chunks up to the
 * request's limit, the stream closed (dropping the connection when more
 * was coming), and the attempt returned.
 */

#define READ_CHUNK (64 * 1024)

void
ferry_exchange_return (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  FerryAttempt *attempt = g_steal_pointer (&exchange->attempt);

  if (attempt->kind == FERRY_OUTCOME_HTTP)
    g_debug ("answer: %u %s", attempt->status, attempt->reason != NULL ? attempt->reason : "");
  else if (attempt->error != NULL)
    g_debug ("failed: %s", attempt->error->message);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

GCancellable *
ferry_cancellable_new_cancelled (void)
{
  GCancellable *cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  return cancellable;
}

void
ferry_exchange_close_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Closing only hands the connection back (or drops it); the attempt is
   * complete either way. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("closing the response stream: %s", error->message);

  ferry_exchange_return (task);
}

/* Ends the read: the body so far is the attempt's; @drop, when set, makes
 * libsoup drop the connection rather than read what is left. */
static void
finish_reading (GTask        *task_in,
                GCancellable *drop)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);

  if (exchange->received != NULL && exchange->attempt->kind == FERRY_OUTCOME_HTTP)
    exchange->attempt->response_body = g_byte_array_free_to_bytes (g_steal_pointer (&exchange->received));
  g_clear_pointer (&exchange->received, g_byte_array_unref);
  g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                              ferry_exchange_close_cb, g_steal_pointer (&task));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  gsize limit = ferry_http_request_get_max_response_body (exchange->request);
  g_autoptr(GCancellable) drop = NULL;
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read < 0)
    {
      ferry_attempt_fail (exchange->attempt, error);
      drop = ferry_cancellable_new_cancelled ();
      finish_reading (task, drop);
      return;
    }
  /* Room was made for a whole chunk: keep what came. */
  exchange->have += n_read;
  g_byte_array_set_size (exchange->received, exchange->have);
  if (n_read == 0 && exchange->read_error != NULL)
    {
      /* The answer a sending thread read ended in this. */
      ferry_attempt_fail (exchange->attempt, g_steal_pointer (&exchange->read_error));
      drop = ferry_cancellable_new_cancelled ();
      finish_reading (task, drop);
      return;
    }
  if (n_read == 0)
    {
      finish_reading (task, NULL);
      return;
    }
  if (exchange->have > limit)
    {
      g_debug ("response body cut at %" G_GSIZE_FORMAT " bytes", limit);
      g_byte_array_set_size (exchange->received, limit);
      exchange->attempt->body_cut = TRUE;
      drop = ferry_cancellable_new_cancelled ();
      finish_reading (task, drop);
      return;
    }
  ferry_exchange_read_body (task);
}

/* Reads the next chunk of the response body; one byte more than is kept
 * tells whether the body went on. */
void
ferry_exchange_read_body (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  gsize limit = ferry_http_request_get_max_response_body (exchange->request);
  gsize want = MIN (READ_CHUNK, limit + 1 - exchange->have);

  g_byte_array_set_size (exchange->received, exchange->have + want);
  g_input_stream_read_async (exchange->stream, exchange->received->data + exchange->have, want,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task), read_cb, task);
}
