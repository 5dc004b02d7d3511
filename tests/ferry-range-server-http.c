/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-range-server-http"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ferry-range-server-private.h"

/*
 * One connection of the range server, in its own thread: blocking I/O, a
 * loop of requests until the client closes it.  Each request is read,
 * logged, answered as HTTP/1.1 and the server's script says (ranges,
 * If-Range, validators, faults, rate), or its body read and hashed for an
 * upload.
 */

/* Reads one request head: request line and headers, as lower-cased
 * names.  FALSE when the client closed the connection. */
static gboolean
read_head (GDataInputStream  *in,
           char             **out_method,
           char             **out_path,
           GHashTable        *headers)
{
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  g_auto(GStrv) parts = NULL;

  if (line == NULL)
    return FALSE;
  g_strchomp (line);
  parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;
  *out_method = g_strdup (parts[0]);
  *out_path = g_strdup (parts[1]);
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      char *colon;

      if (header == NULL)
        return FALSE;
      g_strchomp (header);
      if (*header == '\0')
        return TRUE;
      colon = strchr (header, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      g_hash_table_replace (headers, g_ascii_strdown (header, -1),
                            g_strdup (g_strstrip (colon + 1)));
    }
}

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

static void
reset_connection (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { 1, 0 };

  (void) setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (socket, NULL);
}

/* Reads a request body (Content-Length or chunked) into a checksum. */
static gboolean
read_body (GDataInputStream *in,
           GHashTable       *headers,
           guint64          *out_size,
           GChecksum        *checksum)
{
  const char *length_text = g_hash_table_lookup (headers, "content-length");
  const char *encoding = g_hash_table_lookup (headers, "transfer-encoding");
  g_autofree guint8 *buffer = g_malloc (FERRY_RANGE_CHUNK);
  gboolean chunked = encoding != NULL && g_ascii_strcasecmp (encoding, "chunked") == 0;
  guint64 left = length_text != NULL ? g_ascii_strtoull (length_text, NULL, 10) : 0;

  *out_size = 0;
  for (;;)
    {
      if (chunked)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (line == NULL)
            return FALSE;
          left = g_ascii_strtoull (line, NULL, 16);
          if (left == 0)
            {
              g_autofree char *end = g_data_input_stream_read_line (in, NULL, NULL, NULL);
              return end != NULL;
            }
        }
      while (left > 0)
        {
          gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer,
                                          MIN (FERRY_RANGE_CHUNK, left), NULL, NULL);
          if (n <= 0)
            return FALSE;
          g_checksum_update (checksum, buffer, n);
          *out_size += n;
          left -= n;
        }
      if (!chunked)
        return TRUE;
      g_free (g_data_input_stream_read_line (in, NULL, NULL, NULL));
    }
}

typedef struct
{
  guint              status;
  guint64            start;
  guint64            length;      /* body bytes to send */
  gboolean           has_fault;
  FerryRangeScripted fault;
} Answer;

/* Under the mutex: decides the answer to a GET of @resource. */
static void
decide (FerryRangeServer   *self,
        FerryRangeResource *resource,
        GHashTable         *headers,
        Answer             *answer)
{
  const char *range = g_hash_table_lookup (headers, "range");
  const char *if_range = g_hash_table_lookup (headers, "if-range");
  guint64 first, last;
  char *end = NULL;

  answer->status = 200;
  answer->start = 0;
  answer->length = resource->size;
  if (range == NULL || !self->honour_ranges || !g_str_has_prefix (range, "bytes="))
    return;
  if (if_range != NULL && self->honour_if_range)
    {
      gboolean strong_etag = resource->etag != NULL && !g_str_has_prefix (resource->etag, "W/");
      gboolean matches = (strong_etag && strcmp (if_range, resource->etag) == 0) ||
                         (resource->last_modified != NULL &&
                          strcmp (if_range, resource->last_modified) == 0);
      if (!matches)
        return;
    }
  first = g_ascii_strtoull (range + 6, &end, 10);
  if (end == NULL || *end != '-')
    return;
  last = end[1] != '\0' ? g_ascii_strtoull (end + 1, NULL, 10) : resource->size - 1;
  if (first >= resource->size)
    {
      answer->status = 416;
      answer->length = 0;
      return;
    }
  last = MIN (last, resource->size - 1);
  answer->status = 206;
  answer->start = first;
  answer->length = last - first + 1;
}

static char *
format_head (FerryRangeResource *resource,
             const Answer       *answer,
             guint64             announced)
{
  GString *head = g_string_new (NULL);
  const char *reason = answer->status == 206 ? "Partial Content" :
                       answer->status == 416 ? "Range Not Satisfiable" :
                       answer->status == 200 ? "OK" : "Error";

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", answer->status, reason);
  g_string_append (head, "Accept-Ranges: bytes\r\nContent-Type: application/octet-stream\r\n");
  if (resource->etag != NULL)
    g_string_append_printf (head, "ETag: %s\r\n", resource->etag);
  if (resource->last_modified != NULL)
    g_string_append_printf (head, "Last-Modified: %s\r\n", resource->last_modified);
  if (resource->date != NULL)
    g_string_append_printf (head, "Date: %s\r\n", resource->date);
  if (answer->status == 206)
    g_string_append_printf (head, "Content-Range: bytes %" G_GUINT64_FORMAT "-%"
                            G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\r\n", answer->start,
                            answer->start + answer->length - 1, resource->size);
  if (answer->status == 416)
    g_string_append_printf (head, "Content-Range: bytes */%" G_GUINT64_FORMAT "\r\n",
                            resource->size);
  g_string_append_printf (head, "Content-Length: %" G_GUINT64_FORMAT "\r\n\r\n", announced);
  return g_string_free (head, FALSE);
}

/* Writes @length body bytes of @resource from @start; how many went. */
static guint64
write_body (FerryRangeServer   *self,
            GOutputStream      *out,
            FerryRangeResource *resource,
            guint64             start,
            guint64             length)
{
  g_autofree guint8 *buffer = g_malloc (FERRY_RANGE_CHUNK);
  guint64 sent = 0;

  while (sent < length)
    {
      gsize n = MIN (FERRY_RANGE_CHUNK, length - sent);
      gsize written = 0;
      gboolean ok;

      guint64 rate;

      ferry_range_resource_read (resource, start + sent, buffer, n);
      ok = g_output_stream_write_all (out, buffer, n, &written, NULL, NULL);
      sent += written;
      g_mutex_lock (&self->mutex);
      self->body_sent += written;
      rate = self->rate;
      g_mutex_unlock (&self->mutex);
      if (rate > 0)
        g_usleep (written * G_USEC_PER_SEC / rate);
      if (!ok)
        break;
    }
  return sent;
}

static FerryRangeRequest *
log_request (FerryRangeServer *self,
             const char       *method,
             const char       *path,
             GHashTable       *headers,
             gboolean          reused)
{
  FerryRangeRequest *request = g_new0 (FerryRangeRequest, 1);

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->range = g_strdup (g_hash_table_lookup (headers, "range"));
  request->if_range = g_strdup (g_hash_table_lookup (headers, "if-range"));
  request->accept_encoding = g_strdup (g_hash_table_lookup (headers, "accept-encoding"));
  request->reused = reused;
  g_ptr_array_add (self->requests, request);
  return request;
}

/* Under the mutex: the resource and the fault for a request. */
static FerryRangeResource *
take_resource (FerryRangeServer *self,
               const char       *path,
               Answer           *answer)
{
  FerryRangeResource *resource = g_hash_table_lookup (self->resources, path);
  GQueue *faults = g_hash_table_lookup (self->faults, path);
  FerryRangeScripted *fault = faults != NULL ? g_queue_pop_head (faults) : NULL;

  if (fault != NULL)
    {
      answer->has_fault = TRUE;
      answer->fault = *fault;
      g_free (fault);
    }
  return resource != NULL ? ferry_range_resource_copy (resource) : NULL;
}

static gboolean
answer_upload (FerryRangeServer  *self,
               GDataInputStream  *in,
               GOutputStream     *out,
               GHashTable        *headers,
               FerryRangeRequest *logged)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint64 size = 0;

  if (!read_body (in, headers, &size, checksum))
    return FALSE;
  g_mutex_lock (&self->mutex);
  self->have_upload = TRUE;
  self->upload_size = size;
  g_free (self->upload_sha256);
  self->upload_sha256 = g_strdup (g_checksum_get_string (checksum));
  logged->status = 201;
  g_mutex_unlock (&self->mutex);
  return write_text (out, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
}

/* Answers one request; FALSE when the connection must end. */
static gboolean
answer_request (FerryRangeServer  *self,
                GSocketConnection *connection,
                GDataInputStream  *in,
                GOutputStream     *out,
                gboolean           reused)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *head = NULL;
  Answer answer = { 0, };
  FerryRangeResource *resource;
  FerryRangeRequest *logged;
  guint64 announced, length;

  if (!read_head (in, &method, &path, headers))
    return FALSE;
  g_mutex_lock (&self->mutex);
  logged = log_request (self, method, path, headers, reused);
  resource = take_resource (self, path, &answer);
  if (strcmp (method, "GET") != 0)
    {
      g_mutex_unlock (&self->mutex);
      g_clear_pointer (&resource, ferry_range_resource_free);
      return answer_upload (self, in, out, headers, logged);
    }
  if (resource == NULL)
    {
      logged->status = 404;
      g_mutex_unlock (&self->mutex);
      return write_text (out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
  decide (self, resource, headers, &answer);
  if (answer.has_fault && answer.fault.fault == FERRY_RANGE_FAULT_STATUS)
    {
      answer.status = (guint) answer.fault.bytes;
      answer.length = 0;
    }
  logged->status = answer.status;
  g_mutex_unlock (&self->mutex);

  length = answer.length;
  announced = length;
  if (answer.has_fault && answer.fault.fault == FERRY_RANGE_FAULT_LIE)
    announced += answer.fault.bytes;
  if (answer.has_fault && (answer.fault.fault == FERRY_RANGE_FAULT_CUT ||
                           answer.fault.fault == FERRY_RANGE_FAULT_RESET))
    length = MIN (length, answer.fault.bytes);
  head = format_head (resource, &answer, announced);
  if (!write_text (out, head))
    {
      ferry_range_resource_free (resource);
      return FALSE;
    }
  length = write_body (self, out, resource, answer.start, length);
  ferry_range_resource_free (resource);
  g_mutex_lock (&self->mutex);
  logged->body_sent = length;
  g_mutex_unlock (&self->mutex);
  if (answer.has_fault && answer.fault.fault == FERRY_RANGE_FAULT_RESET)
    {
      reset_connection (connection);
      return FALSE;
    }
  if (answer.has_fault && answer.fault.fault == FERRY_RANGE_FAULT_CUT)
    return FALSE;
  return !(answer.has_fault && answer.fault.fault == FERRY_RANGE_FAULT_LIE);
}

gboolean
ferry_range_server_run_connection (GThreadedSocketService *service,
                                   GSocketConnection      *connection,
                                   GObject                *source_object,
                                   gpointer                user_data)
{
  FerryRangeServer *self = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  gboolean reused = FALSE;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->connections, g_object_ref (connection));
  self->n_connections++;
  g_mutex_unlock (&self->mutex);

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), FERRY_RANGE_CHUNK);
  while (answer_request (self, connection, in, out, reused))
    reused = TRUE;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_remove (self->connections, connection);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}
