/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-rest-server"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ferry-soup-thread.h"

#include "ferry-rest-server.h"

typedef struct
{
  char    *json;      /* NULL when deleted */
  guint64  seq;       /* the change that made this version */
} Document;

struct _FerryRestServer
{
  GMutex        lock;
  GHashTable   *documents;   /* id → Document */
  GHashTable   *rejects;     /* id → reason */
  GHashTable   *requests;    /* path → count */
  guint64       seq;
  guint         epoch;           /* cursors of an older one answer 410 */
  char         *fail_path;
  guint         fail_good;       /* requests to let through first */
  guint         fail_status;
  guint         sent;            /* changes sent by /changes */
  guint         received;        /* changes received by /batch */
  GHashTable   *sent_ids;        /* set: documents /changes has sent */
  GHashTable   *received_ids;    /* set: documents /batch has brought */
  char         *hold_path;
  guint         hold_good;       /* requests to answer before holding */
  GPtrArray    *held;            /* Held*, in arrival order */

  FerrySoupThread *thread;
};

/* A request kept unanswered until the test lets it go. */
typedef struct
{
  SoupServerMessage *message;
  char              *name;
  GHashTable        *query;
} Held;

static void
document_free (Document *document)
{
  g_free (document->json);
  g_free (document);
}

static void
held_free (Held *held)
{
  g_object_unref (held->message);
  g_free (held->name);
  g_clear_pointer (&held->query, g_hash_table_unref);
  g_free (held);
}

/* With the lock held. */
static void
store_change (FerryRestServer *self,
              const char      *id,
              const char      *json)
{
  Document *document = g_new0 (Document, 1);

  document->json = g_strdup (json);
  document->seq = ++self->seq;
  g_hash_table_replace (self->documents, g_strdup (id), document);
}

static void
add_document_members (JsonBuilder *builder,
                      Document    *document)
{
  g_autofree char *version = g_strdup_printf ("v%" G_GUINT64_FORMAT, document->seq);

  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, version);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, document->json == NULL);
  if (document->json != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, json_from_string (document->json, NULL));
    }
}

static void
answer_json (SoupServerMessage *message,
             JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

typedef struct
{
  const char *id;
  Document   *document;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a;
  const Entry *y = b;

  return x->document->seq < y->document->seq ? -1 : x->document->seq > y->document->seq;
}

static void
answer_changes (FerryRestServer   *self,
                SoupServerMessage *message,
                GHashTable        *query)
{
  const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *colon = since_text != NULL ? strchr (since_text, ':') : NULL;
  guint64 since = colon != NULL ? g_ascii_strtoull (colon + 1, NULL, 10) : 0;
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : 100;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *cursor = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n;

  /* A cursor is "<epoch>:<sequence>". */
  if (since_text != NULL && *since_text != '\0' &&
      (colon == NULL || g_ascii_strtoull (since_text, NULL, 10) != self->epoch))
    {
      soup_server_message_set_status (message, SOUP_STATUS_GONE, NULL);
      return;
    }
  limit = CLAMP (limit, 1, 10000);
  g_hash_table_iter_init (&iter, self->documents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry entry = { key, value };

      /* A first pull needs no tombstones. */
      if (entry.document->seq > since && (since > 0 || entry.document->json != NULL))
        g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);
  n = MIN (entries->len, limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      g_hash_table_add (self->sent_ids, g_strdup (entry->id));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      add_document_members (builder, entry->document);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  self->sent += n;
  cursor = g_strdup_printf ("%u:%" G_GUINT64_FORMAT, self->epoch,
                            n > 0 ? g_array_index (entries, Entry, n - 1).document->seq
                                  : MAX (since, self->seq));
  json_builder_set_member_name (builder, "cursor");
  json_builder_add_string_value (builder, cursor);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, n < entries->len);
  json_builder_end_object (builder);
  answer_json (message, builder);
}

/* One change of a batch; adds its result to @builder. */
static void
apply_change (FerryRestServer *self,
              JsonObject      *change,
              JsonBuilder     *builder)
{
  const char *id = json_object_get_string_member_with_default (change, "id", NULL);
  const char *op = json_object_get_string_member_with_default (change, "op", "");
  const char *base = json_object_get_string_member_with_default (change, "base_version", NULL);
  JsonNode *data = json_object_get_member (change, "data");
  g_autofree char *json = NULL;
  g_autofree char *version = NULL;
  Document *current;
  const char *reason;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id != NULL ? id : "");
  if (id == NULL || (!g_str_equal (op, "upsert") && !g_str_equal (op, "delete")) ||
      (g_str_equal (op, "upsert") && (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))))
    {
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "rejected");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "malformed change");
      json_builder_end_object (builder);
      return;
    }
  reason = g_hash_table_lookup (self->rejects, id);
  current = g_hash_table_lookup (self->documents, id);
  version = current != NULL ? g_strdup_printf ("v%" G_GUINT64_FORMAT, current->seq) : NULL;
  json = g_str_equal (op, "upsert") ? json_to_string (data, FALSE) : NULL;
  json_builder_set_member_name (builder, "status");
  if (reason != NULL)
    {
      json_builder_add_string_value (builder, "rejected");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, reason);
    }
  else if (current != NULL && g_strcmp0 (base, version) != 0 &&
           g_strcmp0 (current->json, json) != 0)
    {
      json_builder_add_string_value (builder, "conflict");
      json_builder_set_member_name (builder, "current");
      json_builder_begin_object (builder);
      add_document_members (builder, current);
      json_builder_end_object (builder);
    }
  else
    {
      /* The same content again is ok, at the version it has. */
      if (current == NULL || g_strcmp0 (current->json, json) != 0)
        {
          store_change (self, id, json);
          current = g_hash_table_lookup (self->documents, id);
        }
      g_free (version);
      version = g_strdup_printf ("v%" G_GUINT64_FORMAT, current->seq);
      json_builder_add_string_value (builder, "ok");
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
    }
  json_builder_end_object (builder);
}

static void
answer_batch (FerryRestServer   *self,
              SoupServerMessage *message)
{
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *root;
  JsonNode *changes;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (changes = json_object_get_member (json_node_get_object (root), "changes")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (changes))
    {
      soup_server_message_set_status (message, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (changes)); i++)
    {
      JsonNode *change = json_array_get_element (json_node_get_array (changes), i);

      if (JSON_NODE_HOLDS_OBJECT (change))
        {
          const char *id = json_object_get_string_member_with_default (
            json_node_get_object (change), "id", NULL);

          if (id != NULL)
            g_hash_table_add (self->received_ids, g_strdup (id));
          apply_change (self, json_node_get_object (change), builder);
        }
      self->received++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  answer_json (message, builder);
}

/* With the lock held. */
static void
answer_request (FerryRestServer   *self,
                SoupServerMessage *message,
                const char        *name,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (message);

  if (self->fail_path != NULL && g_str_equal (self->fail_path, name) && self->fail_good-- == 0)
    {
      soup_server_message_set_status (message, self->fail_status, NULL);
      g_clear_pointer (&self->fail_path, g_free);
    }
  else if (g_str_equal (name, "changes") && g_str_equal (method, "GET"))
    answer_changes (self, message, query);
  else if (g_str_equal (name, "batch") && g_str_equal (method, "POST"))
    answer_batch (self, message);
  else
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

/* With the lock held: whether @name's request waits for a release. */
static gboolean
take_hold (FerryRestServer *self,
           const char      *name)
{
  if (self->hold_path == NULL || !g_str_equal (self->hold_path, name))
    return FALSE;
  if (self->hold_good > 0)
    {
      self->hold_good--;
      return FALSE;
    }
  return TRUE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FerryRestServer *self = user_data;
  const char *name = strrchr (path, '/') != NULL ? strrchr (path, '/') + 1 : path;

  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->requests, g_strdup (name),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->requests,
                                                                                name)) + 1));
  if (take_hold (self, name))
    {
      Held *held = g_new0 (Held, 1);

      held->message = g_object_ref (message);
      held->name = g_strdup (name);
      held->query = query != NULL ? g_hash_table_ref (query) : NULL;
      g_ptr_array_add (self->held, held);
      soup_server_message_pause (message);
    }
  else
    answer_request (self, message, name, query);
  g_mutex_unlock (&self->lock);
}

/* In the server's thread: answers every held request, as they came. */
static void
release_in_thread (gpointer user_data)
{
  FerryRestServer *self = user_data;
  g_autoptr(GPtrArray) held = NULL;

  g_mutex_lock (&self->lock);
  held = g_steal_pointer (&self->held);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  for (guint i = 0; i < held->len; i++)
    {
      Held *one = g_ptr_array_index (held, i);

      answer_request (self, one->message, one->name, one->query);
    }
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < held->len; i++)
    soup_server_message_unpause (((Held *) g_ptr_array_index (held, i))->message);
}

static gboolean
release_source_cb (gpointer user_data)
{
  release_in_thread (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * ferry_rest_server_new:
 *
 * Returns: (transfer full): a running server with no documents
 */
FerryRestServer *
ferry_rest_server_new (void)
{
  FerryRestServer *self = g_new0 (FerryRestServer, 1);

  g_mutex_init (&self->lock);
  self->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) document_free);
  self->rejects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sent_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->received_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  self->thread = ferry_soup_thread_start ("ferry-rest-server", NULL, handle_request, self);
  return self;
}

/**
 * ferry_rest_server_free:
 * @server: (nullable): a server
 *
 * Stops the server and its thread.
 */
void
ferry_rest_server_free (FerryRestServer *server)
{
  if (server == NULL)
    return;

  /* Held requests are answered before their connections close. */
  ferry_soup_thread_stop (server->thread, release_in_thread, server);
  g_ptr_array_unref (server->held);
  g_free (server->hold_path);
  g_hash_table_unref (server->documents);
  g_hash_table_unref (server->rejects);
  g_hash_table_unref (server->requests);
  g_hash_table_unref (server->sent_ids);
  g_hash_table_unref (server->received_ids);
  g_free (server->fail_path);
  g_mutex_clear (&server->lock);
  g_free (server);
}

/**
 * ferry_rest_server_url:
 * @server: a server
 *
 * Returns: (transfer full): the profile's base URL
 */
char *
ferry_rest_server_url (FerryRestServer *server)
{
  return g_strdup_printf ("http://127.0.0.1:%u/api/notes",
                          ferry_soup_thread_get_port (server->thread));
}

/**
 * ferry_rest_server_put:
 * @server: a server
 * @id: a document's id
 * @json: its new content, a JSON object
 *
 * Writes as the other client does.
 */
void
ferry_rest_server_put (FerryRestServer *server,
                       const char      *id,
                       const char      *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autofree char *normal = NULL;

  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  normal = json_to_string (node, FALSE);
  g_mutex_lock (&server->lock);
  store_change (server, id, normal);
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_delete:
 * @server: a server
 * @id: a document's id
 *
 * Deletes as the other client does; a tombstone stays.
 */
void
ferry_rest_server_delete (FerryRestServer *server,
                          const char      *id)
{
  g_mutex_lock (&server->lock);
  store_change (server, id, NULL);
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_dup:
 * @server: a server
 * @id: a document's id
 * @out_deleted: (out) (optional): whether it is a tombstone
 *
 * Returns: (transfer full) (nullable): its content, compact JSON
 */
char *
ferry_rest_server_dup (FerryRestServer *server,
                       const char      *id,
                       gboolean        *out_deleted)
{
  Document *document;
  char *json;

  g_mutex_lock (&server->lock);
  document = g_hash_table_lookup (server->documents, id);
  json = document != NULL ? g_strdup (document->json) : NULL;
  if (out_deleted != NULL)
    *out_deleted = document != NULL && document->json == NULL;
  g_mutex_unlock (&server->lock);
  return json;
}

/**
 * ferry_rest_server_count:
 * @server: a server
 *
 * Returns: how many documents it holds, tombstones aside
 */
guint
ferry_rest_server_count (FerryRestServer *server)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_mutex_lock (&server->lock);
  g_hash_table_iter_init (&iter, server->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((Document *) value)->json != NULL;
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_reject:
 * @server: a server
 * @id: a document's id
 * @reason: (nullable): the error to answer with; %NULL to accept it again
 *
 * Refuses every change of @id for good.
 */
void
ferry_rest_server_reject (FerryRestServer *server,
                          const char      *id,
                          const char      *reason)
{
  g_mutex_lock (&server->lock);
  if (reason != NULL)
    g_hash_table_replace (server->rejects, g_strdup (id), g_strdup (reason));
  else
    g_hash_table_remove (server->rejects, id);
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_fail_after:
 * @server: a server
 * @path: "changes" or "batch"
 * @good: how many such requests to answer first
 * @status: the status the next one gets
 */
void
ferry_rest_server_fail_after (FerryRestServer *server,
                              const char      *path,
                              guint            good,
                              guint            status)
{
  g_mutex_lock (&server->lock);
  g_free (server->fail_path);
  server->fail_path = g_strdup (path);
  server->fail_good = good;
  server->fail_status = status;
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_expire_cursors:
 * @server: a server
 *
 * Every cursor handed out so far answers 410 Gone from now on.
 */
void
ferry_rest_server_expire_cursors (FerryRestServer *server)
{
  g_mutex_lock (&server->lock);
  server->epoch++;
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_count_requests:
 * @server: a server
 * @path: "changes" or "batch"
 *
 * Returns: how many requests of that kind arrived
 */
guint
ferry_rest_server_count_requests (FerryRestServer *server,
                                  const char      *path)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (server->requests, path));
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_count_sent:
 * @server: a server
 *
 * Returns: how many changes the change feed has sent
 */
guint
ferry_rest_server_count_sent (FerryRestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->sent;
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_count_received:
 * @server: a server
 *
 * Returns: how many changes pushes have brought, repeats included
 */
guint
ferry_rest_server_count_received (FerryRestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->received;
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_count_sent_documents:
 * @server: a server
 *
 * Returns: how many different documents the change feed has sent: with
 *   ferry_rest_server_count_sent(), how many it sent again
 */
guint
ferry_rest_server_count_sent_documents (FerryRestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = g_hash_table_size (server->sent_ids);
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_count_received_documents:
 * @server: a server
 *
 * Returns: how many different documents pushes have brought: with
 *   ferry_rest_server_count_received(), how many came again
 */
guint
ferry_rest_server_count_received_documents (FerryRestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = g_hash_table_size (server->received_ids);
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_hold:
 * @server: a server
 * @path: "changes" or "batch"
 * @good: how many such requests to answer first
 *
 * Keeps every later request of that kind unanswered, its client waiting
 * in the middle of a run, until ferry_rest_server_release().
 */
void
ferry_rest_server_hold (FerryRestServer *server,
                        const char      *path,
                        guint            good)
{
  g_mutex_lock (&server->lock);
  g_free (server->hold_path);
  server->hold_path = g_strdup (path);
  server->hold_good = good;
  g_mutex_unlock (&server->lock);
}

/**
 * ferry_rest_server_count_held:
 * @server: a server
 *
 * Returns: how many requests wait for a release
 */
guint
ferry_rest_server_count_held (FerryRestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->held->len;
  g_mutex_unlock (&server->lock);
  return n;
}

/**
 * ferry_rest_server_release:
 * @server: a server
 *
 * Stops holding: the held requests are answered, in the order they came,
 * and later ones at once.
 */
void
ferry_rest_server_release (FerryRestServer *server)
{
  g_mutex_lock (&server->lock);
  g_clear_pointer (&server->hold_path, g_free);
  g_mutex_unlock (&server->lock);
  g_main_context_invoke (ferry_soup_thread_get_context (server->thread), release_source_cb,
                         server);
}
