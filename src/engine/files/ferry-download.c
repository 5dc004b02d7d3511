/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-download"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gfiledescriptorbased.h>
#include <string.h>
#include <unistd.h>

#include "ferry-download-private.h"
#include "ferry-http-redirect.h"

#include "ferry-download.h"

/*
 * FerryDownload fetches one URL into a partial file and, once every byte
 * is there and checked, renames it to its destination.  One run is one
 * attempt of the outbox; the object outlives runs and remembers what the
 * partial file holds (the validator of the representation its bytes came
 * from, the total size).
 *
 * Resuming follows RFC 9110 §14: the partial file's size on disk is the
 * offset (never a counter that a crash could leave behind), asked for as
 * `Range: bytes=N-`; `If-Range` carries the validator when it is strong
 * (an ETag without W/, or a Last-Modified at least a minute older than the
 * Date it came with, §8.8.2.2), so a server that honours it answers 200
 * with the whole new body when the file changed.  Then:
 *   206 with a Content-Range starting at N   append
 *   206 with another validator than stored   the server ignored If-Range
 *                                            and the file changed: start over
 *   206 starting elsewhere                   start over, without Range
 *   200                                      truncate and take the body
 *   416 (bytes *\/L)                          L = N: the partial is complete;
 *                                            otherwise start over
 * Ranges count bytes of the representation as sent, so the request asks
 * for no content coding (Accept-Encoding: identity) and the session's
 * decoder is off for it.
 *
 * A connection that drops inside the body costs nothing: the bytes that
 * came are on disk, and the run asks again from the new size at once, as
 * long as each request brings some.  A request that brings none ends the
 * run with the network error, for the outbox's backoff.  libsoup itself
 * sends a GET again when a reused kept-alive connection closes before an
 * answer.
 *
 * Every FERRY_DOWNLOAD_CHECKPOINT_BYTES the partial file is synced to disk
 * and ::checkpoint is emitted, for the caller to store the validator and
 * the size: after a crash the run resumes from the file as it is.  The
 * sync waits for the disk in the main loop, so it comes seldom (32 MiB: a
 * crash costs at most that much again), and the body is read and written
 * in large pieces (CHUNK), each a wakeup and a worker's write.  The end
 * checks the size (the total the server gave, and the one expected) and the
 * SHA-256 when expected, syncs the file and renames it over the
 * destination in one step, then syncs the directory.  A file that fails a
 * check is deleted and the run ends FERRY_OUTCOME_UNUSABLE with the reason;
 * nothing is ever left under the destination name but a complete file.
 */

#define CHUNK (1024 * 1024)


G_DEFINE_FINAL_TYPE (FerryDownload, ferry_download, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_CHECKPOINT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define MAX_RESUMES  100 /* dropped connections resumed within one run */

static void read_more (FerryDownload *self);

FerryAttempt *
ferry_download_attempt_new (FerryOutcomeKind  kind,
                            guint             status,
                            GError           *error)
{
  FerryAttempt *attempt = g_new0 (FerryAttempt, 1);

  attempt->kind = kind;
  attempt->status = status;
  attempt->retry_after = -1;
  attempt->error = error;
  return attempt;
}

void
ferry_download_drop_exchange (FerryDownload *self)
{
  if (self->body != NULL)
    {
      g_autoptr(GCancellable) drop = g_cancellable_new ();

      /* A cancelled close makes libsoup drop the connection rather than
       * read what is left of a body that may be large. */
      g_cancellable_cancel (drop);
      g_input_stream_close (self->body, drop, NULL);
    }
  g_clear_object (&self->body);
  g_clear_object (&self->msg);
  if (self->out != NULL)
    g_output_stream_close (self->out, NULL, NULL);
  g_clear_object (&self->out);
  if (self->prefix != NULL)
    g_input_stream_close (self->prefix, NULL, NULL);
  g_clear_object (&self->prefix);
}

void
ferry_download_end_run (FerryDownload *self,
                        FerryAttempt  *attempt)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  ferry_download_drop_exchange (self);
  g_clear_pointer (&self->buffer, g_free);
  if (attempt->error != NULL)
    g_debug ("download of %s ended: %s", self->destination, attempt->error->message);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

void
ferry_download_end_with_error (FerryDownload    *self,
                               FerryOutcomeKind  kind,
                               GError           *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kind = FERRY_OUTCOME_CANCELLED;
  ferry_download_end_run (self, ferry_download_attempt_new (kind, 0, error));
}

static void
end_unusable (FerryDownload *self,
              GError        *error)
{
  /* Bytes that failed a check are worth nothing: never resume from them. */
  ferry_download_drop_exchange (self);
  ferry_download_private_truncate (self->part_path, NULL);
  g_unlink (self->part_path);
  self->offset = 0;
  self->hashed = 0;
  g_clear_pointer (&self->etag, g_free);
  g_clear_pointer (&self->last_modified, g_free);
  self->total = -1;
  ferry_download_end_with_error (self, FERRY_OUTCOME_UNUSABLE, error);
}

/* Empties the partial file and forgets what it held. */
gboolean
ferry_download_start_over (FerryDownload  *self,
                           GError        **error)
{
  if (!ferry_download_private_truncate (self->part_path, error))
    return FALSE;
  self->offset = 0;
  self->hashed = 0;
  self->last_checkpoint = 0;
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_clear_pointer (&self->etag, g_free);
  g_clear_pointer (&self->last_modified, g_free);
  self->total = -1;
  return TRUE;
}

static void
emit_checkpoint (FerryDownload *self)
{
  self->last_checkpoint = self->offset;
  g_signal_emit (self, signals[SIGNAL_CHECKPOINT], 0);
}

/* Syncs what was written so far, then says so. */
static gboolean
checkpoint (FerryDownload  *self,
            GError        **error)
{
  if (self->out != NULL && G_IS_FILE_DESCRIPTOR_BASED (self->out) &&
      fdatasync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (self->out))) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "syncing %s: %s", self->part_path, g_strerror (saved));
      return FALSE;
    }
  emit_checkpoint (self);
  return TRUE;
}

/* The end: every check, then the rename over the destination. */
void
ferry_download_finish_file (FerryDownload *self,
                            guint          status)
{
  GError *error = NULL;

  ferry_download_drop_exchange (self);
  if (self->total >= 0 && self->offset != self->total)
    {
      end_unusable (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                       "size: %" G_GINT64_FORMAT " bytes arrived, the server "
                                       "announced %" G_GINT64_FORMAT,
                                       self->offset, self->total));
      return;
    }
  if (self->expected_size >= 0 && self->offset != self->expected_size)
    {
      end_unusable (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                       "size: %" G_GINT64_FORMAT " bytes arrived, %"
                                       G_GINT64_FORMAT " were expected",
                                       self->offset, self->expected_size));
      return;
    }
  if (self->expected_sha256 != NULL)
    {
      const char *got = g_checksum_get_string (self->checksum);

      g_assert (self->hashed == self->offset);
      if (g_ascii_strcasecmp (got, self->expected_sha256) != 0)
        {
          end_unusable (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           "SHA-256: the file's is %s, %s was expected",
                                           got, self->expected_sha256));
          return;
        }
    }
  if (!ferry_download_private_commit (self->part_path, self->destination, &error))
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  emit_checkpoint (self);
  ferry_download_end_run (self, ferry_download_attempt_new (FERRY_OUTCOME_HTTP, status, NULL));
}

/* The request in progress ended early (a dropped connection, a body
 * shorter than announced): ask again from the new size when it brought
 * bytes, end the run otherwise. */
static void
on_body_broken (FerryDownload *self,
                GError        *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->received_now == 0 ||
      ++self->resumes > MAX_RESUMES)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NETWORK, error);
      return;
    }
  g_debug ("connection dropped at %" G_GINT64_FORMAT " bytes: %s; resuming",
           self->offset, error->message);
  g_error_free (error);
  ferry_download_drop_exchange (self);
  ferry_download_send_request (self);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FerryDownload *self = user_data;
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      /* A full disk or a vanished directory: the network is not at fault,
       * and there may be room later. */
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  self->offset += written;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->offset, self->total);
  if (self->offset - self->last_checkpoint >= FERRY_DOWNLOAD_CHECKPOINT_BYTES &&
      !checkpoint (self, &error))
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  read_more (self);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryDownload *self = user_data;
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      on_body_broken (self, error);
      return;
    }
  if (n == 0)
    {
      if (self->end >= 0 && self->offset < self->end)
        {
          on_body_broken (self, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                             "the body ended at %" G_GINT64_FORMAT
                                             " bytes of %" G_GINT64_FORMAT,
                                             self->offset, self->end));
          return;
        }
      /* The whole body was read: closing hands the kept-alive
       * connection back to the session. */
      g_input_stream_close (self->body, NULL, NULL);
      g_clear_object (&self->body);
      ferry_download_finish_file (self, soup_message_get_status (self->msg));
      return;
    }
  if (self->limit >= 0 && self->offset + n > self->limit)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM,
                      g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                   "the file grew past the %" G_GINT64_FORMAT
                                   " bytes there is room for", self->limit));
      return;
    }
  self->received += n;
  self->received_now += n;
  if (self->checksum != NULL)
    {
      g_checksum_update (self->checksum, self->buffer, n);
      self->hashed += n;
    }
  g_output_stream_write_all_async (self->out, self->buffer, n, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (self->task), write_cb, self);
}

static void
read_more (FerryDownload *self)
{
  g_input_stream_read_async (self->body, self->buffer, CHUNK, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), read_cb, self);
}

/* Opens the partial file for the body that is about to come: appended to
 * for a 206, emptied for a 200. */
void
ferry_download_take_body (FerryDownload *self,
                          gboolean       append)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->part_path);
  GError *error = NULL;

  if (self->limit >= 0 && self->end > self->limit)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM,
                      g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                   "the file needs %" G_GINT64_FORMAT " bytes, there is "
                                   "room for %" G_GINT64_FORMAT, self->end, self->limit));
      return;
    }
  if (append)
    self->out = G_OUTPUT_STREAM (g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, &error));
  else
    self->out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                                 NULL, &error));
  if (self->out == NULL)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  if (!append)
    {
      self->offset = 0;
      self->hashed = 0;
      self->last_checkpoint = 0;
    }
  if (self->expected_sha256 != NULL && self->checksum == NULL)
    self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  /* The validator is stored before the first byte of its body. */
  emit_checkpoint (self);
  read_more (self);
}

/* The request's own headers, but for those each request sets itself. */
static void
add_request_header (const char *name,
                    const char *value,
                    gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Accept-Encoding") == 0 ||
      g_ascii_strcasecmp (name, "Range") == 0 ||
      g_ascii_strcasecmp (name, "If-Range") == 0)
    return;
  ferry_http_request_add_header (user_data, name, value);
}

/* Asks for what the partial file lacks, through the executor (which sends
 * a GET again on a new connection when a reused one closed before an
 * answer); redirects are followed here, to carry the range on. */
void
ferry_download_send_request (FerryDownload *self)
{
  g_autoptr(FerryHttpRequest) request = NULL;
  g_autofree char *url = g_uri_to_string (self->uri);
  const char *validator;

  g_assert (self->msg == NULL);
  request = ferry_http_request_new (SOUP_METHOD_GET, url);
  /* Offsets count the bytes as sent: nothing may decode them. */
  request->raw_response = TRUE;
  request->secret_headers = g_strdupv (self->request->secret_headers);
  soup_message_headers_foreach (self->headers, add_request_header, request);
  ferry_http_request_add_header (request, "Accept-Encoding", "identity");
  if (self->offset > 0)
    {
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", self->offset);

      ferry_http_request_add_header (request, "Range", range);
      validator = ferry_download_private_strong_validator (self->etag, self->last_modified);
      if (validator != NULL)
        ferry_http_request_add_header (request, "If-Range", validator);
    }
  self->end = -1;
  self->received_now = 0;
  self->requests++;
  ferry_executor_open_async (self->executor, request, g_task_get_cancellable (self->task),
                             ferry_download_send_cb, self);
}

static void
prefix_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FerryDownload *self = user_data;
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  if (n > 0 && self->hashed < self->offset)
    {
      gsize take = MIN ((gsize) n, (gsize) (self->offset - self->hashed));

      g_checksum_update (self->checksum, self->buffer, take);
      self->hashed += take;
    }
  if (n == 0 || self->hashed >= self->offset)
    {
      /* A partial shorter than its size said is hashed as far as it goes. */
      self->offset = self->hashed;
      g_input_stream_close (self->prefix, NULL, NULL);
      g_clear_object (&self->prefix);
      ferry_download_send_request (self);
      return;
    }
  g_input_stream_read_async (self->prefix, self->buffer, CHUNK, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), prefix_read_cb, self);
}

/* The checksum covers the partial from its first byte: a run that starts
 * on bytes an earlier process wrote reads them once first. */
static void
hash_prefix (FerryDownload *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->part_path);
  GError *error = NULL;

  g_clear_pointer (&self->checksum, g_checksum_free);
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->hashed = 0;
  self->prefix = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  if (self->prefix == NULL)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  g_input_stream_read_async (self->prefix, self->buffer, CHUNK, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), prefix_read_cb, self);
}

static void
ferry_download_dispose (GObject *object)
{
  FerryDownload *self = FERRY_DOWNLOAD (object);

  g_assert (self->task == NULL);
  ferry_download_drop_exchange (self);

  G_OBJECT_CLASS (ferry_download_parent_class)->dispose (object);
}

static void
ferry_download_finalize (GObject *object)
{
  FerryDownload *self = FERRY_DOWNLOAD (object);

  g_clear_object (&self->executor);
  g_clear_pointer (&self->request, ferry_http_request_unref);
  g_free (self->part_path);
  g_free (self->destination);
  g_free (self->expected_sha256);
  g_free (self->etag);
  g_free (self->last_modified);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->origin, g_uri_unref);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_free (self->buffer);

  G_OBJECT_CLASS (ferry_download_parent_class)->finalize (object);
}

static void
ferry_download_class_init (FerryDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_download_dispose;
  object_class->finalize = ferry_download_finalize;

  /**
   * FerryDownload::progress:
   * @done: bytes in the partial file
   * @total: the file's size, -1 when the server did not say
   *
   * Bytes were written.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * FerryDownload::checkpoint:
   *
   * What the partial file holds is on disk: a good moment to store the
   * validator and the size.  Emitted before the first byte of a body,
   * every FERRY_DOWNLOAD_CHECKPOINT_BYTES, and when the file is complete.
   */
  signals[SIGNAL_CHECKPOINT] =
    g_signal_new ("checkpoint", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ferry_download_init (FerryDownload *self)
{
  self->total = -1;
  self->expected_size = -1;
  self->limit = -1;
  self->end = -1;
}

/**
 * ferry_download_new:
 * @executor: the executor to fetch through
 * @request: the GET to send: URL, headers, secret header names (method
 *   and body are not used)
 * @part_path: where the bytes accumulate
 * @destination: where the complete file goes, on the same file system
 *
 * Returns: (transfer full): a download that resumes from whatever
 *   @part_path holds
 */
FerryDownload *
ferry_download_new (FerryExecutor    *executor,
                    FerryHttpRequest *request,
                    const char       *part_path,
                    const char       *destination)
{
  FerryDownload *self;

  g_return_val_if_fail (FERRY_IS_EXECUTOR (executor), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (part_path != NULL && destination != NULL, NULL);

  self = g_object_new (FERRY_TYPE_DOWNLOAD, NULL);
  self->executor = g_object_ref (executor);
  self->request = ferry_http_request_ref (request);
  self->part_path = g_strdup (part_path);
  self->destination = g_strdup (destination);
  return self;
}

/**
 * ferry_download_set_validator:
 * @self: a download
 * @etag: (nullable): the ETag the partial file's bytes came with
 * @last_modified: (nullable): their Last-Modified
 * @total: the file's size, -1 when unknown
 *
 * Says what the partial file holds, as stored at the last checkpoint.
 */
void
ferry_download_set_validator (FerryDownload *self,
                              const char    *etag,
                              const char    *last_modified,
                              gint64         total)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD (self));

  g_free (self->etag);
  self->etag = g_strdup (etag);
  g_free (self->last_modified);
  self->last_modified = g_strdup (last_modified);
  self->total = total;
}

/**
 * ferry_download_set_expected:
 * @self: a download
 * @size: the size the file must have, -1 for any
 * @sha256: (nullable): its SHA-256 as 64 hex digits
 */
void
ferry_download_set_expected (FerryDownload *self,
                             gint64         size,
                             const char    *sha256)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD (self));
  g_return_if_fail (sha256 == NULL || ferry_sha256_is_valid (sha256));

  self->expected_size = size;
  g_free (self->expected_sha256);
  self->expected_sha256 = g_strdup (sha256);
}

/**
 * ferry_download_set_limit:
 * @self: a download
 * @limit: the most bytes the file may have, -1 for no limit
 *
 * A run that learns the file is larger, or sees it grow past @limit,
 * ends with %FERRY_OUTCOME_NO_ROOM.
 */
void
ferry_download_set_limit (FerryDownload *self,
                          gint64         limit)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD (self));

  self->limit = limit;
}

const char *
ferry_download_get_etag (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), NULL);
  return self->etag;
}

const char *
ferry_download_get_last_modified (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), NULL);
  return self->last_modified;
}

/* The file's size, -1 while unknown. */
gint64
ferry_download_get_total (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), -1);
  return self->total;
}

/* Bytes in the partial file (or the finished file). */
gint64
ferry_download_get_done (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), 0);
  return self->offset;
}

/* Body bytes received over every run of this object. */
guint64
ferry_download_get_received (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), 0);
  return self->received;
}

/* Requests sent over every run of this object. */
guint
ferry_download_get_requests (FerryDownload *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), 0);
  return self->requests;
}

/**
 * ferry_download_run_async:
 * @self: a download with no run in progress
 * @cancellable: (nullable): stops the run; the partial file stays
 * @callback: called when the run ends
 * @user_data: for @callback
 *
 * Fetches what the partial file lacks and, when it is complete and
 * checked, renames it to the destination.
 */
void
ferry_download_run_async (FerryDownload       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GError *error = NULL;

  g_return_if_fail (FERRY_IS_DOWNLOAD (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ferry_download_run_async);
  g_task_set_check_cancellable (self->task, FALSE);
  self->buffer = g_malloc (CHUNK);
  self->redirects = 0;
  self->restarts = 0;
  self->resumes = 0;

  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->origin, g_uri_unref);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  self->uri = g_uri_parse (self->request->url, SOUP_HTTP_URI_FLAGS, &error);
  if (self->uri == NULL)
    {
      g_prefix_error (&error, "url: ");
      ferry_download_end_with_error (self, FERRY_OUTCOME_UNUSABLE, error);
      return;
    }
  self->origin = g_uri_ref (self->uri);
  self->headers = ferry_download_private_request_headers (self->request);

  self->offset = ferry_download_private_file_size (self->part_path);
  if (self->total >= 0 && self->offset > self->total && !ferry_download_start_over (self, &error))
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  if (self->expected_sha256 != NULL && self->offset > 0 &&
      (self->checksum == NULL || self->hashed != self->offset))
    hash_prefix (self);
  else
    ferry_download_send_request (self);
}

/**
 * ferry_download_run_finish:
 * @self: a download
 * @result: the result given to the callback
 *
 * Returns: (transfer full): how the run ended: %FERRY_OUTCOME_HTTP with
 *   200 or 206 when the file is at its destination, or with the status
 *   the server refused with; %FERRY_OUTCOME_UNUSABLE when a check failed
 *   (the partial file is gone); %FERRY_OUTCOME_NO_ROOM when the file does
 *   not fit the limit or the disk; a transport outcome otherwise
 */
FerryAttempt *
ferry_download_run_finish (FerryDownload *self,
                           GAsyncResult  *result)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/**
 * ferry_sha256_is_valid:
 * @text: (nullable): a string
 *
 * Returns: whether @text is a SHA-256 digest as 64 hex digits
 */
gboolean
ferry_sha256_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}
