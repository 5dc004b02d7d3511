/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-reply-gate"

#include "config.h"

#include "ferry-reply-gate.h"

/*
 * Large answers, one at a time.  GDBus turns a reply into one buffer of
 * its whole size and keeps it, with the message it came from, until the
 * caller has read it; a caller with several Gets of 16 MiB tasks in
 * flight would make ferryd hold all of them at once.  A reply that goes
 * through the gate is built only once the one before it has been written
 * out (the connection flushed), so at most one is in memory; the others
 * wait as small records of the calls.
 */

typedef struct
{
  FerryReplyGateFunc func;
  gpointer           data;
  GDestroyNotify     free_data;
} Waiting;

struct _FerryReplyGate
{
  GQueue        waiting;     /* of Waiting */
  GCancellable *cancellable; /* of the flush of the reply let through */
  gboolean      busy;        /* a reply has been let through, not yet written */
};

static void
waiting_free (Waiting *waiting)
{
  if (waiting->free_data != NULL)
    waiting->free_data (waiting->data);
  g_free (waiting);
}

/**
 * ferry_reply_gate_new:
 *
 * Returns: (transfer full): an open gate
 */
FerryReplyGate *
ferry_reply_gate_new (void)
{
  FerryReplyGate *gate = g_new0 (FerryReplyGate, 1);

  g_queue_init (&gate->waiting);
  gate->cancellable = g_cancellable_new ();
  return gate;
}

/**
 * ferry_reply_gate_free:
 * @gate: a gate
 *
 * Frees @gate and the data of the replies still waiting (their calls are
 * not answered: this happens when the service goes away).
 */
void
ferry_reply_gate_free (FerryReplyGate *gate)
{
  if (gate == NULL)
    return;
  g_cancellable_cancel (gate->cancellable);
  g_object_unref (gate->cancellable);
  g_queue_clear_full (&gate->waiting, (GDestroyNotify) waiting_free);
  g_free (gate);
}

/**
 * ferry_reply_gate_enter:
 * @gate: a gate
 * @func: builds and sends the reply, then calls ferry_reply_gate_leave()
 * @data: for @func
 * @free_data: (nullable): frees @data when @func is never called
 *
 * Calls @func now when no large reply is on its way, or once the ones
 * before it have been written out.
 */
void
ferry_reply_gate_enter (FerryReplyGate     *gate,
                        FerryReplyGateFunc  func,
                        gpointer            data,
                        GDestroyNotify      free_data)
{
  Waiting *waiting;

  g_return_if_fail (gate != NULL);
  g_return_if_fail (func != NULL);

  if (!gate->busy)
    {
      gate->busy = TRUE;
      func (data);
      return;
    }
  waiting = g_new0 (Waiting, 1);
  waiting->func = func;
  waiting->data = data;
  waiting->free_data = free_data;
  g_queue_push_tail (&gate->waiting, waiting);
}

static void
let_next_through (FerryReplyGate *gate)
{
  Waiting *next = g_queue_pop_head (&gate->waiting);

  gate->busy = next != NULL;
  if (next != NULL)
    {
      next->func (next->data);
      g_free (next);
    }
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FerryReplyGate *gate = user_data;
  g_autoptr(GError) error = NULL;

  /* A connection that cannot be flushed is closed: nothing more is on
   * its way either, so the next reply may go. */
  if (!g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the gate is gone */
  let_next_through (gate);
}

/**
 * ferry_reply_gate_leave:
 * @gate: a gate
 * @connection: (nullable): the connection the reply was sent on, %NULL
 *   when none was sent after all
 *
 * Lets the next waiting reply through once @connection has written out
 * the one just sent.
 */
void
ferry_reply_gate_leave (FerryReplyGate  *gate,
                        GDBusConnection *connection)
{
  g_return_if_fail (gate != NULL);
  g_return_if_fail (gate->busy);

  if (connection == NULL)
    {
      let_next_through (gate);
      return;
    }
  g_dbus_connection_flush (connection, gate->cancellable, flushed_cb, gate);
}

/**
 * ferry_reply_gate_get_waiting:
 * @gate: a gate
 *
 * Returns: how many replies wait for their turn
 */
guint
ferry_reply_gate_get_waiting (FerryReplyGate *gate)
{
  g_return_val_if_fail (gate != NULL, 0);

  return gate->waiting.length;
}
