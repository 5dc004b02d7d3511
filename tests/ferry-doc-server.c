/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-doc-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ferry-soup-thread.h"

#include "ferry-doc-server.h"

/* Version 1 was last modified at this time; each version a minute later. */
#define FIRST_MODIFIED 1767225600

typedef struct
{
  char  *json;
  guint  version;
  guint  puts;       /* writes accepted over HTTP */
  guint  refusals;   /* 409 and 412 answers */
  gboolean deleted;  /* by the other writer: GET 404, a conditional PUT 412 */
  gboolean refuse_next_unconditional;   /* answer the next PUT without If-Match 409 */
  char  *last_if_match;                 /* of the last PUT, NULL when it had none */
} Document;

struct _FerryDocServer
{
  GMutex           lock;
  GHashTable      *documents;   /* path → Document */
  FerrySoupThread *thread;
};

static void
document_free (Document *document)
{
  g_free (document->last_if_match);
  g_free (document->json);
  g_free (document);
}

static char *
etag_for (guint version)
{
  return g_strdup_printf ("\"v%u\"", version);
}

/**
 * ferry_doc_server_dup_last_modified:
 * @version: a document version
 *
 * Returns: (transfer full): the Last-Modified the server sends with it
 */
char *
ferry_doc_server_dup_last_modified (guint version)
{
  g_autoptr(GDateTime) time = NULL;

  time = g_date_time_new_from_unix_utc (FIRST_MODIFIED + (gint64) (version - 1) * 60);
  return soup_date_time_to_string (time, SOUP_DATE_HTTP);
}

/* Server thread.  Called with the lock held. */
static void
answer_document (SoupServerMessage *message,
                 Document          *document,
                 guint              status)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  g_autofree char *etag = etag_for (document->version);
  g_autofree char *modified = ferry_doc_server_dup_last_modified (document->version);

  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Last-Modified", modified);
  soup_server_message_set_status (message, status, NULL);
  if (status == SOUP_STATUS_OK)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      document->json, strlen (document->json));
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FerryDocServer *self = user_data;
  const char *method = soup_server_message_get_method (message);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  const char *if_match = soup_message_headers_get_one (request_headers, "If-Match");
  Document *document;

  g_mutex_lock (&self->lock);
  document = g_hash_table_lookup (self->documents, path);
  if (document == NULL || (document->deleted && g_str_equal (method, "GET")))
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
  else if (g_str_equal (method, "GET"))
    answer_document (message, document, SOUP_STATUS_OK);
  else if (g_str_equal (method, "PUT"))
    {
      g_autofree char *etag = etag_for (document->version);

      g_free (document->last_if_match);
      document->last_if_match = g_strdup (if_match);
      if (document->deleted && if_match != NULL)
        {
          document->refusals++;
          soup_server_message_set_status (message, SOUP_STATUS_PRECONDITION_FAILED, NULL);
        }
      else if (if_match != NULL && !g_str_equal (if_match, etag))
        {
          document->refusals++;
          answer_document (message, document, SOUP_STATUS_PRECONDITION_FAILED);
        }
      else if (if_match == NULL && document->refuse_next_unconditional)
        {
          document->refusals++;
          document->refuse_next_unconditional = FALSE;
          answer_document (message, document, SOUP_STATUS_CONFLICT);
        }
      else
        {
          SoupMessageBody *body = soup_server_message_get_request_body (message);
          g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

          g_free (document->json);
          document->json = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          document->deleted = FALSE;
          document->version++;
          document->puts++;
          answer_document (message, document, SOUP_STATUS_NO_CONTENT);
        }
    }
  else
    soup_server_message_set_status (message, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  g_mutex_unlock (&self->lock);
}

/**
 * ferry_doc_server_new:
 *
 * Returns: (transfer full): a running document server with no documents
 */
FerryDocServer *
ferry_doc_server_new (void)
{
  FerryDocServer *self = g_new0 (FerryDocServer, 1);

  g_mutex_init (&self->lock);
  self->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) document_free);
  self->thread = ferry_soup_thread_start ("ferry-doc-server", NULL, handle_request, self);
  return self;
}

/**
 * ferry_doc_server_free:
 * @server: (nullable): a server
 *
 * Stops the server and its thread.
 */
void
ferry_doc_server_free (FerryDocServer *server)
{
  if (server == NULL)
    return;

  ferry_soup_thread_stop (server->thread, NULL, NULL);
  g_hash_table_unref (server->documents);
  g_mutex_clear (&server->lock);
  g_free (server);
}

/**
 * ferry_doc_server_url:
 * @server: a server
 * @path: an absolute path
 *
 * Returns: (transfer full): the URL of @path
 */
char *
ferry_doc_server_url (FerryDocServer *server,
                      const char     *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", ferry_soup_thread_get_port (server->thread),
                          path);
}

/**
 * ferry_doc_server_write:
 * @server: a server
 * @path: a document's path
 * @json: its new content
 *
 * Another writer's change: a new version of the document (version 1 for
 * a new one).
 */
void
ferry_doc_server_write (FerryDocServer *server,
                        const char     *path,
                        const char     *json)
{
  Document *document;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  if (document == NULL)
    {
      document = g_new0 (Document, 1);
      g_hash_table_insert (server->documents, g_strdup (path), document);
    }
  document->version++;
  g_free (document->json);
  document->json = g_strdup (json);
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_doc_server_read:
 * @server: a server
 * @path: a document's path
 * @out_version: (out) (optional): its version
 * @out_puts: (out) (optional): how many PUTs were accepted
 * @out_refusals: (out) (optional): how many PUTs got 409 or 412
 *
 * Returns: (transfer full): the document's current content
 */
char *
ferry_doc_server_read (FerryDocServer *server,
                       const char     *path,
                       guint          *out_version,
                       guint          *out_puts,
                       guint          *out_refusals)
{
  Document *document;
  char *json;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  g_assert (document != NULL);
  json = g_strdup (document->json);
  if (out_version != NULL)
    *out_version = document->version;
  if (out_puts != NULL)
    *out_puts = document->puts;
  if (out_refusals != NULL)
    *out_refusals = document->refusals;
  g_mutex_unlock (&server->lock);
  return json;
}

/**
 * ferry_doc_server_delete:
 * @server: a server
 * @path: a document's path
 *
 * Plays the other writer deleting the document: GET answers 404 from now
 * on, a PUT with If-Match 412; a PUT without one creates it again.
 */
void
ferry_doc_server_delete (FerryDocServer *server,
                         const char     *path)
{
  Document *document;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  g_assert (document != NULL);
  document->deleted = TRUE;
  document->version++;
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_doc_server_is_deleted:
 * @server: a server
 * @path: a document's path
 *
 * Returns: whether the document is deleted
 */
gboolean
ferry_doc_server_is_deleted (FerryDocServer *server,
                             const char     *path)
{
  Document *document;
  gboolean deleted;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  deleted = document == NULL || document->deleted;
  g_mutex_unlock (&server->lock);
  return deleted;
}

/**
 * ferry_doc_server_dup_last_if_match:
 * @server: a server
 * @path: a document's path
 *
 * Returns: (transfer full) (nullable): the If-Match of the last PUT to
 *   the document, %NULL when it had none (or there was none)
 */
char *
ferry_doc_server_dup_last_if_match (FerryDocServer *server,
                                    const char     *path)
{
  Document *document;
  char *if_match;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  g_assert (document != NULL);
  if_match = g_strdup (document->last_if_match);
  g_mutex_unlock (&server->lock);
  return if_match;
}

/**
 * ferry_doc_server_refuse_next_unconditional:
 * @server: a server
 * @path: a document's path
 *
 * Makes the next PUT to the document without If-Match get 409 Conflict,
 * as a server does that sees another writer's change come first.
 */
void
ferry_doc_server_refuse_next_unconditional (FerryDocServer *server,
                                            const char     *path)
{
  Document *document;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, path);
  g_assert (document != NULL);
  document->refuse_next_unconditional = TRUE;
  g_mutex_unlock (&server->lock);
}
