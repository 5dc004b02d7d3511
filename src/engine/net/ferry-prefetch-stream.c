/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-prefetch-stream"

#include "config.h"

#include <string.h>

#include "ferry-prefetch-stream.h"

/*
 * A file body for libsoup, read ahead in large blocks.  libsoup copies a
 * request body 8 KiB at a time (g_output_stream_splice_async), and an
 * input stream that is not pollable answers each of those reads from a
 * worker thread: one thread hop per 8 KiB, which made a file upload cost
 * several times the processor time curl needs.  This stream is pollable:
 * a read is answered at once from a buffer of @buffer_size bytes.  The
 * next block is read into a second buffer (one thread hop per block) as
 * soon as the first is being read, so that the reader finds it there when
 * the first runs dry rather than wait for the disk; only when both are
 * empty does the stream say it would block, and its source wakes the
 * reader once the block is in.
 */

struct _FerryPrefetchStream
{
  GInputStream parent_instance;

  /* owned */
  GInputStream *base;
  guint8       *buffer;     /* being read: pos to end */
  guint8       *spare;      /* being filled, or filled with spare_end bytes */
  GCancellable *ready;      /* cancelled once a fill ended: wakes the sources */
  GCancellable *fill_cancellable;
  GError       *error;      /* the fill's, reported once the bytes before it are read */

  /* state */
  gsize         size;
  gsize         pos;
  gsize         end;
  gsize         spare_end;  /* 0 while the spare holds nothing */
  gboolean      filling;
  gboolean      eof;
};

static void pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryPrefetchStream, ferry_prefetch_stream,
                               G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      pollable_iface_init))

static gboolean
has_answer (FerryPrefetchStream *self)
{
  return self->pos < self->end || self->spare_end > 0 || self->eof || self->error != NULL;
}

static void start_fill (FerryPrefetchStream *self);

/* The spare's block becomes the one read. */
static void
swap_buffers (FerryPrefetchStream *self)
{
  guint8 *read = self->buffer;

  self->buffer = self->spare;
  self->spare = read;
  self->pos = 0;
  self->end = self->spare_end;
  self->spare_end = 0;
}

static void
fill_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryPrefetchStream) self = user_data;
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  self->filling = FALSE;
  if (n < 0)
    g_propagate_error (&self->error, error);
  else if (n == 0)
    self->eof = TRUE;
  else
    self->spare_end = (gsize) n;
  if (self->pos == self->end && self->spare_end > 0)
    swap_buffers (self);
  g_cancellable_cancel (self->ready);
  /* The block that was waited for is in: the next one is read behind it. */
  start_fill (self);
}

static void
start_fill (FerryPrefetchStream *self)
{
  /* One block ahead at most: the spare is free, and there is more. */
  if (self->filling || self->spare_end > 0 || self->eof || self->error != NULL ||
      g_cancellable_is_cancelled (self->fill_cancellable))
    return;
  self->filling = TRUE;
  /* A new signal for the sources made from now on. */
  if (g_cancellable_is_cancelled (self->ready))
    {
      g_object_unref (self->ready);
      self->ready = g_cancellable_new ();
    }
  g_input_stream_read_async (self->base, self->spare, self->size, G_PRIORITY_DEFAULT,
                             self->fill_cancellable, fill_cb, g_object_ref (self));
}

/* What a read gets when the buffer has an answer: bytes, the end, or the
 * fill's error. */
static gssize
take (FerryPrefetchStream  *self,
      void                 *buffer,
      gsize                 count,
      GError              **error)
{
  gsize n;

  if (self->pos == self->end && self->spare_end > 0)
    swap_buffers (self);
  if (self->pos < self->end)
    {
      n = MIN (count, self->end - self->pos);
      memcpy (buffer, self->buffer + self->pos, n);
      self->pos += n;
      /* The next block is on its way before it is asked for. */
      start_fill (self);
      return (gssize) n;
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }
  return 0;
}

static gssize
ferry_prefetch_stream_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  FerryPrefetchStream *self = FERRY_PREFETCH_STREAM (stream);

  if (has_answer (self))
    return take (self, buffer, count, error);
  start_fill (self);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "the next block is on its way");
  return -1;
}

static gboolean
ferry_prefetch_stream_is_readable (GPollableInputStream *stream)
{
  return has_answer (FERRY_PREFETCH_STREAM (stream));
}

static gboolean
ferry_prefetch_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
ferry_prefetch_stream_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  FerryPrefetchStream *self = FERRY_PREFETCH_STREAM (stream);
  g_autoptr(GSource) ready = NULL;

  start_fill (self);
  ready = has_answer (self) ? g_timeout_source_new (0) : g_cancellable_source_new (self->ready);
  return g_pollable_source_new_full (stream, ready, cancellable);
}

/* The blocking read, for callers that use one: from the buffer, or from
 * the file itself when no fill is in flight. */
static gssize
ferry_prefetch_stream_read (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  FerryPrefetchStream *self = FERRY_PREFETCH_STREAM (stream);

  if (has_answer (self))
    return take (self, buffer, count, error);
  if (self->filling)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "a block is being read ahead");
      return -1;
    }
  return g_input_stream_read (self->base, buffer, count, cancellable, error);
}

static gboolean
ferry_prefetch_stream_close (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  FerryPrefetchStream *self = FERRY_PREFETCH_STREAM (stream);

  g_cancellable_cancel (self->fill_cancellable);
  /* A fill still in flight holds the file: it closes when that ends and
   * drops it. */
  if (self->filling)
    return TRUE;
  return g_input_stream_close (self->base, cancellable, error);
}

static void
ferry_prefetch_stream_finalize (GObject *object)
{
  FerryPrefetchStream *self = FERRY_PREFETCH_STREAM (object);

  g_clear_object (&self->base);
  g_clear_object (&self->ready);
  g_clear_object (&self->fill_cancellable);
  g_clear_error (&self->error);
  g_free (self->buffer);
  g_free (self->spare);

  G_OBJECT_CLASS (ferry_prefetch_stream_parent_class)->finalize (object);
}

static void
pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = ferry_prefetch_stream_can_poll;
  iface->is_readable = ferry_prefetch_stream_is_readable;
  iface->create_source = ferry_prefetch_stream_create_source;
  iface->read_nonblocking = ferry_prefetch_stream_read_nonblocking;
}

static void
ferry_prefetch_stream_class_init (FerryPrefetchStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ferry_prefetch_stream_finalize;
  stream_class->read_fn = ferry_prefetch_stream_read;
  stream_class->close_fn = ferry_prefetch_stream_close;
}

static void
ferry_prefetch_stream_init (FerryPrefetchStream *self)
{
  self->ready = g_cancellable_new ();
  self->fill_cancellable = g_cancellable_new ();
}

/**
 * ferry_prefetch_stream_new:
 * @base: a stream to read ahead, a file's
 * @buffer_size: how much is read ahead at once (twice this is held)
 *
 * Returns: (transfer full): a pollable stream of @base's bytes
 */
GInputStream *
ferry_prefetch_stream_new (GInputStream *base,
                           gsize         buffer_size)
{
  FerryPrefetchStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);
  g_return_val_if_fail (buffer_size > 0, NULL);

  self = g_object_new (FERRY_TYPE_PREFETCH_STREAM, NULL);
  self->base = g_object_ref (base);
  self->size = buffer_size;
  self->buffer = g_malloc (buffer_size);
  self->spare = g_malloc (buffer_size);
  return G_INPUT_STREAM (self);
}
