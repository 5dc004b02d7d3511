/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-range-server"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ferry-range-server.h"

/*
 * One thread per connection (GThreadedSocketService), blocking I/O, a loop
 * of requests per connection until the client closes it.  Everything the
 * threads share is under the mutex; the body is written outside it.
 */

#define CHUNK (64 * 1024)

typedef struct
{
  GBytes  *bytes;       /* or a pattern: */
  guint64  size;
  guint32  seed;
  char    *etag;
  char    *last_modified;
  char    *date;
} Resource;

typedef struct
{
  FerryRangeFault fault;
  guint64         bytes;
} Fault;

struct _FerryRangeServer
{
  GMutex           mutex;
  GCond            cond;
  GThread         *thread;       /* accepts connections on its own context */
  GMainContext    *context;
  GMainLoop       *loop;
  gboolean         ready;
  GSocketService  *service;
  guint16          port;
  GHashTable      *resources;    /* path → Resource* */
  GHashTable      *faults;       /* path → GQueue of Fault* */
  GPtrArray       *requests;     /* FerryRangeRequest* */
  GPtrArray       *connections;  /* GSocketConnection* open now */
  guint            n_connections;
  guint64          body_sent;
  gboolean         honour_ranges;
  gboolean         honour_if_range;
  guint64          rate;          /* bytes per second, 0 unlimited */
  gboolean         have_upload;
  guint64          upload_size;
  char            *upload_sha256;
};

static void
resource_free (gpointer data)
{
  Resource *resource = data;

  g_clear_pointer (&resource->bytes, g_bytes_unref);
  g_free (resource->etag);
  g_free (resource->last_modified);
  g_free (resource->date);
  g_free (resource);
}

static void
fault_queue_free (gpointer data)
{
  g_queue_free_full (data, g_free);
}

void
ferry_range_request_free (FerryRangeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->range);
  g_free (request->if_range);
  g_free (request->accept_encoding);
  g_free (request);
}

static guint64
mix (guint64 x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void
ferry_range_pattern_fill (guint32  seed,
                          guint64  offset,
                          guint8  *buffer,
                          gsize    length)
{
  guint64 word = mix ((offset / 8) ^ ((guint64) seed << 40));

  for (gsize i = 0; i < length; i++)
    {
      guint64 at = offset + i;

      if (at % 8 == 0 && i > 0)
        word = mix ((at / 8) ^ ((guint64) seed << 40));
      buffer[i] = (guint8) (word >> (8 * (at % 8)));
    }
}

char *
ferry_range_pattern_sha256 (guint32 seed,
                            guint64 size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (CHUNK);

  for (guint64 at = 0; at < size; at += CHUNK)
    {
      gsize n = MIN (CHUNK, size - at);

      ferry_range_pattern_fill (seed, at, buffer, n);
      g_checksum_update (checksum, buffer, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static void
resource_read (Resource *resource,
               guint64   offset,
               guint8   *buffer,
               gsize     length)
{
  if (resource->bytes != NULL)
    memcpy (buffer, (const guint8 *) g_bytes_get_data (resource->bytes, NULL) + offset, length);
  else
    ferry_range_pattern_fill (resource->seed, offset, buffer, length);
}

static Resource *
resource_copy (const Resource *resource)
{
  Resource *copy = g_new0 (Resource, 1);

  copy->bytes = resource->bytes != NULL ? g_bytes_ref (resource->bytes) : NULL;
  copy->size = resource->size;
  copy->seed = resource->seed;
  copy->etag = g_strdup (resource->etag);
  copy->last_modified = g_strdup (resource->last_modified);
  copy->date = g_strdup (resource->date);
  return copy;
}

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
  g_autofree guint8 *buffer = g_malloc (CHUNK);
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
          gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, MIN (CHUNK, left),
                                          NULL, NULL);
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
  guint    status;
  guint64  start;
  guint64  length;      /* body bytes to send */
  gboolean has_fault;
  Fault    fault;
} Answer;

/* Under the mutex: decides the answer to a GET of @resource. */
static void
decide (FerryRangeServer *self,
        Resource         *resource,
        GHashTable       *headers,
        Answer           *answer)
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
format_head (Resource     *resource,
             const Answer *answer,
             guint64       announced)
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
write_body (FerryRangeServer *self,
            GOutputStream    *out,
            Resource         *resource,
            guint64           start,
            guint64           length)
{
  g_autofree guint8 *buffer = g_malloc (CHUNK);
  guint64 sent = 0;

  while (sent < length)
    {
      gsize n = MIN (CHUNK, length - sent);
      gsize written = 0;
      gboolean ok;

      guint64 rate;

      resource_read (resource, start + sent, buffer, n);
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
static Resource *
take_resource (FerryRangeServer *self,
               const char       *path,
               Answer           *answer)
{
  Resource *resource = g_hash_table_lookup (self->resources, path);
  GQueue *faults = g_hash_table_lookup (self->faults, path);
  Fault *fault = faults != NULL ? g_queue_pop_head (faults) : NULL;

  if (fault != NULL)
    {
      answer->has_fault = TRUE;
      answer->fault = *fault;
      g_free (fault);
    }
  return resource != NULL ? resource_copy (resource) : NULL;
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
  Resource *resource;
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
      g_clear_pointer (&resource, resource_free);
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
      resource_free (resource);
      return FALSE;
    }
  length = write_body (self, out, resource, answer.start, length);
  resource_free (resource);
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

static gboolean
on_run (GThreadedSocketService *service,
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
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), CHUNK);
  while (answer_request (self, connection, in, out, reused))
    reused = TRUE;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_remove (self->connections, connection);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/* The accepting thread: the service's sources live on its context, so the
 * server answers whatever the test's own thread is doing (waiting for a
 * subprocess, say). */
static gpointer
accept_thread (gpointer data)
{
  FerryRangeServer *self = data;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);
  self->service = g_threaded_socket_service_new (64);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &error))
    g_error ("range server: cannot listen on 127.0.0.1: %s", error->message);
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);

  g_mutex_lock (&self->mutex);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

FerryRangeServer *
ferry_range_server_new (void)
{
  FerryRangeServer *self = g_new0 (FerryRangeServer, 1);

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, resource_free);
  self->faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fault_queue_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_range_request_free);
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->honour_ranges = TRUE;
  self->honour_if_range = TRUE;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->thread = g_thread_new ("ferry-range-server", accept_thread, self);
  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  return self;
}

void
ferry_range_server_free (FerryRangeServer *self)
{
  if (self == NULL)
    return;
  /* Quit from inside the loop: a quit before it ran would be lost. */
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);

  /* Wake the threads waiting on kept-alive connections, and wait for
   * them to leave. */
  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->connections->len; i++)
    g_socket_shutdown (g_socket_connection_get_socket (g_ptr_array_index (self->connections, i)),
                       TRUE, TRUE, NULL);
  while (self->connections->len > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  g_object_unref (self->service);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->resources);
  g_hash_table_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->connections);
  g_free (self->upload_sha256);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

char *
ferry_range_server_url (FerryRangeServer *self,
                        const char       *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

static Resource *
ensure_resource_locked (FerryRangeServer *self,
                        const char       *path)
{
  Resource *resource = g_hash_table_lookup (self->resources, path);

  if (resource == NULL)
    {
      resource = g_new0 (Resource, 1);
      g_hash_table_insert (self->resources, g_strdup (path), resource);
    }
  return resource;
}

void
ferry_range_server_set_bytes (FerryRangeServer *self,
                              const char       *path,
                              GBytes           *content)
{
  Resource *resource;

  g_mutex_lock (&self->mutex);
  resource = ensure_resource_locked (self, path);
  g_clear_pointer (&resource->bytes, g_bytes_unref);
  resource->bytes = g_bytes_ref (content);
  resource->size = g_bytes_get_size (content);
  g_mutex_unlock (&self->mutex);
}

void
ferry_range_server_set_pattern (FerryRangeServer *self,
                                const char       *path,
                                guint64           size,
                                guint32           seed)
{
  Resource *resource;

  g_mutex_lock (&self->mutex);
  resource = ensure_resource_locked (self, path);
  g_clear_pointer (&resource->bytes, g_bytes_unref);
  resource->size = size;
  resource->seed = seed;
  g_mutex_unlock (&self->mutex);
}

void
ferry_range_server_set_validators (FerryRangeServer *self,
                                   const char       *path,
                                   const char       *etag,
                                   const char       *last_modified,
                                   const char       *date)
{
  Resource *resource;

  g_mutex_lock (&self->mutex);
  resource = ensure_resource_locked (self, path);
  g_free (resource->etag);
  resource->etag = g_strdup (etag);
  g_free (resource->last_modified);
  resource->last_modified = g_strdup (last_modified);
  g_free (resource->date);
  resource->date = g_strdup (date);
  g_mutex_unlock (&self->mutex);
}

void
ferry_range_server_set_honour (FerryRangeServer *self,
                               gboolean          ranges,
                               gboolean          if_range)
{
  g_mutex_lock (&self->mutex);
  self->honour_ranges = ranges;
  self->honour_if_range = if_range;
  g_mutex_unlock (&self->mutex);
}

void
ferry_range_server_set_rate (FerryRangeServer *self,
                             guint64           bytes_per_second)
{
  g_mutex_lock (&self->mutex);
  self->rate = bytes_per_second;
  g_mutex_unlock (&self->mutex);
}

void
ferry_range_server_push_fault (FerryRangeServer *self,
                               const char       *path,
                               FerryRangeFault   fault,
                               guint64           bytes)
{
  Fault *item = g_new0 (Fault, 1);
  GQueue *queue;

  item->fault = fault;
  item->bytes = bytes;
  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->faults, path);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->faults, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, item);
  g_mutex_unlock (&self->mutex);
}

guint64
ferry_range_server_get_body_sent (FerryRangeServer *self)
{
  guint64 sent;

  g_mutex_lock (&self->mutex);
  sent = self->body_sent;
  g_mutex_unlock (&self->mutex);
  return sent;
}

GPtrArray *
ferry_range_server_dup_requests (FerryRangeServer *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_range_request_free);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      FerryRangeRequest *request = g_ptr_array_index (self->requests, i);
      FerryRangeRequest *dup = g_memdup2 (request, sizeof *request);

      dup->method = g_strdup (request->method);
      dup->path = g_strdup (request->path);
      dup->range = g_strdup (request->range);
      dup->if_range = g_strdup (request->if_range);
      dup->accept_encoding = g_strdup (request->accept_encoding);
      g_ptr_array_add (copy, dup);
    }
  g_mutex_unlock (&self->mutex);
  return copy;
}

guint
ferry_range_server_count_connections (FerryRangeServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_connections;
  g_mutex_unlock (&self->mutex);
  return n;
}

gboolean
ferry_range_server_get_upload (FerryRangeServer  *self,
                               guint64           *out_size,
                               char             **out_sha256)
{
  gboolean have;

  g_mutex_lock (&self->mutex);
  have = self->have_upload;
  *out_size = self->upload_size;
  *out_sha256 = g_strdup (self->upload_sha256);
  g_mutex_unlock (&self->mutex);
  return have;
}
