/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-spool"
/* copy_file_range(2), sync_file_range(2) */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gfiledescriptorbased.h>
#include <gio/gunixinputstream.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-transfers-private.h"

/*
 * Copying an upload's body into the spool, durably.  A body that is a
 * file (a body-fd, or a path) goes descriptor to descriptor in a worker
 * thread: cloned where the file system shares extents (FICLONE: no bytes
 * copied, and the copy still never changes with the original), else with
 * copy_file_range(2) where the kernel offers it (no bytes through user
 * space) and large read/write otherwise; any other stream is spliced as
 * GIO does.  The write-back of each piece is started as soon as it is
 * written (sync_file_range), so the dirty pages never pile up to where the
 * kernel throttles the copy, and the final fsync, also in the worker, has
 * little left to do: the main loop never waits for the disk.  Either way
 * both streams are closed at the end, and the result is the number of
 * bytes copied.
 */

#define COPY_CHUNK (1024 * 1024)

/* How much copy_file_range moves at once, and the write-back started. */
#define RANGE_CHUNK (16 * COPY_CHUNK)

typedef struct
{
  GInputStream  *body;
  GOutputStream *out;
  int            in_fd;
  int            out_fd;
  gint64         written;   /* bytes whose write-back was started */
  gssize         total;     /* what the splice copied */
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *copy = data;

  g_clear_object (&copy->body);
  g_clear_object (&copy->out);
  g_free (copy);
}

static int
fd_of_input (GInputStream *stream)
{
  if (G_IS_UNIX_INPUT_STREAM (stream))
    return g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (stream));
  if (G_IS_FILE_DESCRIPTOR_BASED (stream))
    return g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));
  return -1;
}

/* Starts writing the @n bytes just copied to disk, without waiting: a
 * hint, so a failure is of no matter (the fsync at the end says what
 * counts). */
static void
start_write_back (CopyData *copy,
                  gssize    n)
{
  sync_file_range (copy->out_fd, copy->written, n, SYNC_FILE_RANGE_WRITE);
  copy->written += n;
}

/* read/write in large pieces: for file systems without copy_file_range
 * between these two files. */
static gssize
copy_by_reading (CopyData      *copy,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *buffer = g_malloc (COPY_CHUNK);
  gssize total = 0;

  for (;;)
    {
      gssize n = read (copy->in_fd, buffer, COPY_CHUNK);
      gssize written = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "read: %s",
                       g_strerror (saved));
          return -1;
        }
      if (n == 0)
        return total;
      while (written < n)
        {
          gssize w = write (copy->out_fd, buffer + written, (gsize) (n - written));

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "write: %s",
                           g_strerror (saved));
              return -1;
            }
          written += w;
        }
      total += n;
      start_write_back (copy, n);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
    }
}

/* The whole file in one step, sharing its extents, when the body is read
 * from its start and the file system can (btrfs, XFS): -1 with errno set
 * otherwise. */
static gssize
clone_file (CopyData *copy)
{
  struct stat st;

  if (lseek (copy->in_fd, 0, SEEK_CUR) != 0 || fstat (copy->in_fd, &st) != 0 ||
      !S_ISREG (st.st_mode))
    return -1;
  if (ioctl (copy->out_fd, FICLONE, copy->in_fd) != 0)
    return -1;
  /* Read to its end, as a copy leaves it. */
  lseek (copy->in_fd, st.st_size, SEEK_SET);
  return st.st_size;
}

static gssize
copy_fds (CopyData      *copy,
          GCancellable  *cancellable,
          GError       **error)
{
  gssize total = clone_file (copy);

  if (total >= 0)
    return total;
  total = 0;
  for (;;)
    {
      ssize_t n = copy_file_range (copy->in_fd, NULL, copy->out_fd, NULL, RANGE_CHUNK, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && total == 0 &&
          (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP ||
           errno == EBADF))
        return copy_by_reading (copy, cancellable, error);
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "copy: %s",
                       g_strerror (saved));
          return -1;
        }
      if (n == 0)
        return total;
      total += n;
      start_write_back (copy, n);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
    }
}

/* Syncs the copy, then closes both streams whatever happened, as a splice
 * with CLOSE_SOURCE and CLOSE_TARGET would; a failed sync or close of the
 * copy fails it. */
static void
finish_copy (GTask    *task,
             CopyData *copy,
             gssize    total,
             GError   *error)
{
  if (total >= 0 && fsync (copy->out_fd) != 0)
    {
      int saved = errno;

      error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved), "sync: %s",
                           g_strerror (saved));
      total = -1;
    }
  g_input_stream_close (copy->body, NULL, NULL);
  if (!g_output_stream_close (copy->out, NULL, total >= 0 ? &error : NULL))
    total = -1;
  if (total < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, total);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyData *copy = task_data;
  GError *error = NULL;
  gssize total = copy_fds (copy, cancellable, &error);

  finish_copy (task, copy, total, error);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyData *copy = task_data;

  finish_copy (task, copy, copy->total, NULL);
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyData *copy = g_task_get_task_data (task);
  GError *error = NULL;

  copy->total = g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error);
  if (copy->total < 0)
    {
      g_output_stream_close (copy->out, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, sync_thread);
}

/**
 * ferry_transfers_spool_copy_async:
 * @out: the spool file, open for writing
 * @body: the body to copy, read to its end
 * @cancellable: (nullable): stops the copy
 * @callback: called once the copy is on disk (synced) and both streams
 *   are closed
 * @user_data: for @callback
 */
void
ferry_transfers_spool_copy_async (GOutputStream       *out,
                                  GInputStream        *body,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  int in_fd = fd_of_input (body);
  CopyData *copy;

  g_task_set_source_tag (task, ferry_transfers_spool_copy_async);
  /* The spool file is always a local file, with a descriptor. */
  g_assert (G_IS_FILE_DESCRIPTOR_BASED (out));
  copy = g_new0 (CopyData, 1);
  copy->body = g_object_ref (body);
  copy->out = g_object_ref (out);
  copy->in_fd = in_fd;
  copy->out_fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out));
  g_task_set_task_data (task, copy, copy_data_free);
  if (in_fd < 0)
    {
      /* The target stays open for the sync. */
      g_output_stream_splice_async (out, body, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                    G_PRIORITY_DEFAULT, cancellable, splice_cb,
                                    g_steal_pointer (&task));
      return;
    }
  g_task_run_in_thread (task, copy_thread);
}

/**
 * ferry_transfers_spool_copy_finish:
 * @result: the result given to the callback
 * @error: why the copy failed
 *
 * Returns: the bytes copied, or -1 with @error set
 */
gssize
ferry_transfers_spool_copy_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
