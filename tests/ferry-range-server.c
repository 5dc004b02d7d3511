/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-range-server"

#include "config.h"

#include <string.h>

#include "ferry-range-server-private.h"

/*
 * The range server's state and what it serves: the accepting thread (one
 * thread per connection, GThreadedSocketService, whose requests and
 * answers are in ferry-range-server-http.c), the resources and their
 * pattern, the script a test writes (validators, faults, rate) and what
 * the server saw.
 */

void
ferry_range_resource_free (gpointer data)
{
  FerryRangeResource *resource = data;

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
  g_autofree guint8 *buffer = g_malloc (FERRY_RANGE_CHUNK);

  for (guint64 at = 0; at < size; at += FERRY_RANGE_CHUNK)
    {
      gsize n = MIN (FERRY_RANGE_CHUNK, size - at);

      ferry_range_pattern_fill (seed, at, buffer, n);
      g_checksum_update (checksum, buffer, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

void
ferry_range_resource_read (FerryRangeResource *resource,
                           guint64             offset,
                           guint8             *buffer,
                           gsize               length)
{
  if (resource->bytes != NULL)
    memcpy (buffer, (const guint8 *) g_bytes_get_data (resource->bytes, NULL) + offset, length);
  else
    ferry_range_pattern_fill (resource->seed, offset, buffer, length);
}

FerryRangeResource *
ferry_range_resource_copy (const FerryRangeResource *resource)
{
  FerryRangeResource *copy = g_new0 (FerryRangeResource, 1);

  copy->bytes = resource->bytes != NULL ? g_bytes_ref (resource->bytes) : NULL;
  copy->size = resource->size;
  copy->seed = resource->seed;
  copy->etag = g_strdup (resource->etag);
  copy->last_modified = g_strdup (resource->last_modified);
  copy->date = g_strdup (resource->date);
  return copy;
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
  g_signal_connect (self->service, "run", G_CALLBACK (ferry_range_server_run_connection),
                    self);
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
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           ferry_range_resource_free);
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

static FerryRangeResource *
ensure_resource_locked (FerryRangeServer *self,
                        const char       *path)
{
  FerryRangeResource *resource = g_hash_table_lookup (self->resources, path);

  if (resource == NULL)
    {
      resource = g_new0 (FerryRangeResource, 1);
      g_hash_table_insert (self->resources, g_strdup (path), resource);
    }
  return resource;
}

void
ferry_range_server_set_bytes (FerryRangeServer *self,
                              const char       *path,
                              GBytes           *content)
{
  FerryRangeResource *resource;

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
  FerryRangeResource *resource;

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
  FerryRangeResource *resource;

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
  FerryRangeScripted *item = g_new0 (FerryRangeScripted, 1);
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
