/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-replicator"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-replicator-private.h"

/*
 * The HTTP side every protocol shares: URLs under the endpoint, requests
 * with the collection's headers, timed and counted exchanges, answers
 * turned into errors, and JSON.
 */

/* Answers are read whole; a page is sized to a few MiB, but one document
 * alone may be 4 MiB, and a server may send more than it was asked for. */
#define MAX_ANSWER ((gsize) 256 * 1024 * 1024)

/**
 * ferry_replicator_build_url:
 * @self: a replicator
 * @path: (nullable): a path below the endpoint, e.g. "_changes"; %NULL for
 *   the endpoint itself
 * @query: (nullable): an encoded query
 *
 * Returns: (transfer full): the URL
 */
char *
ferry_replicator_build_url (FerryReplicator *self,
                            const char      *path,
                            const char      *query)
{
  FerryCollectionConfig *config = ferry_replicator_get_config (self);
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *full_path = NULL;
  const char *base_path;

  base = g_uri_parse (config->url, G_URI_FLAGS_ENCODED, NULL);
  g_return_val_if_fail (base != NULL, NULL);

  base_path = g_uri_get_path (base);
  if (path == NULL)
    full_path = g_strdup (*base_path != '\0' ? base_path : "/");
  else if (g_str_has_suffix (base_path, "/"))
    full_path = g_strconcat (base_path, path, NULL);
  else
    full_path = g_strconcat (base_path, "/", path, NULL);
  uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), g_uri_get_userinfo (base),
                     g_uri_get_host (base), g_uri_get_port (base), full_path, query, NULL);
  return g_uri_to_string (uri);
}

/**
 * ferry_replicator_new_request:
 * @self: a replicator
 * @method: the method
 * @path: (nullable): a path below the endpoint
 * @query: (nullable): an encoded query
 * @json_body: (nullable): a JSON body
 *
 * Returns: (transfer full): a request with the collection's headers,
 *   asking for JSON and reading an answer of any size a page may have
 */
FerryHttpRequest *
ferry_replicator_new_request (FerryReplicator *self,
                              const char      *method,
                              const char      *path,
                              const char      *query,
                              GBytes          *json_body)
{
  FerryCollectionConfig *config = ferry_replicator_get_config (self);
  g_autofree char *url = ferry_replicator_build_url (self, path, query);
  FerryHttpRequest *request = ferry_http_request_new (method, url);

  for (guint i = 0; config->headers != NULL && config->headers[i] != NULL &&
                    config->headers[i + 1] != NULL; i += 2)
    ferry_http_request_add_header (request, config->headers[i], config->headers[i + 1]);
  ferry_http_request_add_header (request, "Accept", "application/json");
  request->secret_headers = g_strdupv (config->secret_headers);
  if (json_body != NULL)
    ferry_http_request_set_body (request, json_body, "application/json");
  request->max_response_body = MAX_ANSWER;
  return request;
}

static guint64
request_size (FerryHttpRequest *request)
{
  guint64 size = strlen (request->method) + strlen (request->url) + 12;

  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL; i++)
    size += strlen (request->headers[i]) + 2;
  if (request->body != NULL)
    size += g_bytes_get_size (request->body);
  return size;
}

static guint64
answer_size (FerryAttempt *attempt)
{
  guint64 size = 0;

  if (attempt->kind != FERRY_OUTCOME_HTTP)
    return 0;
  size = 17 + (attempt->reason != NULL ? strlen (attempt->reason) : 0);
  for (guint i = 0; attempt->response_headers != NULL && attempt->response_headers[i] != NULL;
       i++)
    size += strlen (attempt->response_headers[i]) + 2;
  if (attempt->response_body != NULL)
    size += g_bytes_get_size (attempt->response_body);
  return size;
}

typedef struct
{
  GCancellable *cancellable;     /* owned: the exchange's own */
  GCancellable *outer;           /* owned: the caller's, or NULL */
  gulong        outer_id;
  guint         timeout_id;
  guint         timeout_ms;
  gboolean      timed_out;
  gint64        started;
  guint64       sent;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  if (data->outer != NULL)
    g_cancellable_disconnect (data->outer, data->outer_id);
  g_clear_object (&data->outer);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
on_send_timeout (gpointer user_data)
{
  SendData *data = user_data;

  data->timeout_id = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryReplicator *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  FerryAttempt *attempt;
  guint64 received;

  attempt = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, NULL);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  if (data->timed_out && attempt->kind == FERRY_OUTCOME_CANCELLED)
    {
      /* Our own deadline, not the caller's: a network failure. */
      attempt->kind = FERRY_OUTCOME_NETWORK;
      g_clear_error (&attempt->error);
      attempt->error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                    "no answer within %u s", data->timeout_ms / 1000);
      ferry_link_meter_record_timeout (ferry_replicator_get_meter (self));
    }
  received = answer_size (attempt);
  ferry_replicator_count_exchange (self, data->sent, received);
  if (attempt->kind == FERRY_OUTCOME_HTTP)
    ferry_link_meter_record (ferry_replicator_get_meter (self),
                             g_get_monotonic_time () - data->started, data->sent + received);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

/**
 * ferry_replicator_send_async:
 * @self: a replicator
 * @request: what to send
 * @timed: whether the exchange gets a deadline from the link meter (a
 *   long-poll does not)
 * @cancellable: (nullable): stops it
 * @callback: called with the attempt
 * @user_data: for @callback
 *
 * Sends @request through the executor, timing and counting it.
 */
void
ferry_replicator_send_async (FerryReplicator     *self,
                             FerryHttpRequest    *request,
                             gboolean             timed,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(FerryExecutor) executor = NULL;
  SendData *data;

  g_return_if_fail (FERRY_IS_REPLICATOR (self));

  g_object_get (self, "executor", &executor, NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_replicator_send_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (SendData, 1);
  data->cancellable = g_cancellable_new ();
  data->started = g_get_monotonic_time ();
  data->sent = request_size (request);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  if (cancellable != NULL)
    {
      data->outer = g_object_ref (cancellable);
      data->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                              data->cancellable, NULL);
    }
  if (timed)
    {
      data->timeout_ms = ferry_link_meter_timeout_ms (ferry_replicator_get_meter (self),
                                                      data->sent);
      data->timeout_id = g_timeout_add (data->timeout_ms, on_send_timeout, data);
    }
  ferry_executor_request_async (executor, request, data->cancellable, send_cb,
                                g_steal_pointer (&task));
}

/**
 * ferry_replicator_send_finish:
 * @self: a replicator
 * @result: the result
 *
 * Returns: (transfer full): the attempt (never %NULL: every outcome,
 *   cancellation included, is one)
 */
FerryAttempt *
ferry_replicator_send_finish (FerryReplicator *self,
                              GAsyncResult    *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/**
 * ferry_replicator_check_answer:
 * @self: a replicator
 * @attempt: an attempt
 * @what: what it was, for the message
 * @error: return location for why it is not a whole 2xx answer
 *
 * Turns every outcome but a complete 2xx answer into an error: the
 * transport's error (%G_IO_ERROR…; cancellation stays
 * %G_IO_ERROR_CANCELLED), %FERRY_ERROR_OFFLINE, %FERRY_ERROR_AUTH_REQUIRED
 * for 401 and 403, %FERRY_ERROR_HTTP for any other status.  The delay a
 * failed answer asks for is kept (ferry_replicator_get_retry_after()).
 *
 * Returns: whether @attempt is a complete 2xx answer
 */
gboolean
ferry_replicator_check_answer (FerryReplicator  *self,
                               FerryAttempt     *attempt,
                               const char       *what,
                               GError          **error)
{
  g_return_val_if_fail (attempt != NULL, FALSE);

  ferry_replicator_set_retry_after (self, attempt->retry_after);
  switch (attempt->kind)
    {
    case FERRY_OUTCOME_HTTP:
      break;
    case FERRY_OUTCOME_OFFLINE:
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_OFFLINE, "%s: offline", what);
      return FALSE;
    case FERRY_OUTCOME_NETWORK:
    case FERRY_OUTCOME_TLS:
    case FERRY_OUTCOME_REDIRECT_LOOP:
    case FERRY_OUTCOME_EXPIRED:
    case FERRY_OUTCOME_CANCELLED:
    default:
      if (attempt->error != NULL)
        {
          g_propagate_prefixed_error (error, g_error_copy (attempt->error), "%s: ", what);
          return FALSE;
        }
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED, "%s: no answer", what);
      return FALSE;
    }
  if (attempt->status == 401 || attempt->status == 403)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_AUTH_REQUIRED,
                   "%s: the server refused the credentials (HTTP %u)", what, attempt->status);
      return FALSE;
    }
  if (attempt->status < 200 || attempt->status > 299)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_HTTP, "%s: HTTP %u%s%s", what,
                   attempt->status, attempt->reason != NULL ? " " : "",
                   attempt->reason != NULL ? attempt->reason : "");
      return FALSE;
    }
  if (attempt->body_cut)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "%s: the answer is too large",
                   what);
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_replicator_parse_answer:
 * @attempt: a 2xx attempt
 * @what: what it was, for the message
 * @error: return location for a %FERRY_ERROR_PROTOCOL
 *
 * Returns: (transfer full) (nullable): the answer's JSON
 */
JsonNode *
ferry_replicator_parse_answer (FerryAttempt  *attempt,
                               const char    *what,
                               GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  const char *data = NULL;
  gsize len = 0;

  if (attempt->response_body != NULL)
    data = g_bytes_get_data (attempt->response_body, &len);
  if (data == NULL || len == 0 ||
      !json_parser_load_from_data (parser, data, len, &parse_error))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "%s: the answer is not JSON%s%s",
                   what, parse_error != NULL ? ": " : "",
                   parse_error != NULL ? parse_error->message : "");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/**
 * ferry_replicator_finish_json:
 * @self: a replicator
 * @result: what ferry_replicator_send_async() gave its callback
 * @what: what was asked, for the messages
 * @error: return location for why there is no answer to read
 *
 * Finishes a request whose answer is a JSON document: checks it (as
 * ferry_replicator_check_answer()) and parses it.
 *
 * Returns: (transfer full) (nullable): the answer's JSON
 */
JsonNode *
ferry_replicator_finish_json (FerryReplicator  *self,
                              GAsyncResult     *result,
                              const char       *what,
                              GError          **error)
{
  g_autoptr(FerryAttempt) attempt = ferry_replicator_send_finish (self, result);

  if (!ferry_replicator_check_answer (self, attempt, what, error))
    return NULL;
  return ferry_replicator_parse_answer (attempt, what, error);
}

/**
 * ferry_json_append_string:
 * @out: where to write
 * @text: UTF-8 text
 *
 * Appends @text as a JSON string literal.
 */
void
ferry_json_append_string (GString    *out,
                          const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/**
 * ferry_json_object_without_reserved:
 * @object: a document as a CouchDB server sends it
 *
 * Returns: (transfer full): @object's JSON without the members whose
 *   names start with "_" (`_id`, `_rev`, `_revisions`…), which are the
 *   protocol's, not the document's
 */
GBytes *
ferry_json_object_without_reserved (JsonObject *object)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GList) members = json_object_get_members (object);
  char *text;
  gsize len = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (name[0] != '_')
        json_object_set_member (copy, name, json_node_copy (json_object_get_member (object,
                                                                                    name)));
    }
  json_node_set_object (node, copy);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* Reading answers: members of the expected type, or NULL (or the
 * fallback) for anything else, so a malformed answer is never read as
 * something it is not. */

/**
 * ferry_json_object:
 * @object: (nullable): an object
 * @name: a member's name
 *
 * Returns: (transfer none) (nullable): the member, when it is an object
 */
JsonObject *
ferry_json_object (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * ferry_json_array:
 * @object: (nullable): an object
 * @name: a member's name
 *
 * Returns: (transfer none) (nullable): the member, when it is an array
 */
JsonArray *
ferry_json_array (JsonObject *object,
                  const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * ferry_json_string:
 * @object: (nullable): an object
 * @name: a member's name
 *
 * Returns: (nullable): the member, when it is a string
 */
const char *
ferry_json_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * ferry_json_int:
 * @object: (nullable): an object
 * @name: a member's name
 * @fallback: what to return when it is not a number
 *
 * Returns: the member as an integer, or @fallback
 */
gint64
ferry_json_int (JsonObject *object,
                const char *name,
                gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return fallback;
  return json_node_get_int (node);
}

/**
 * ferry_json_bool:
 * @object: (nullable): an object
 * @name: a member's name
 *
 * Returns: whether the member is `true`
 */
gboolean
ferry_json_bool (JsonObject *object,
                 const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/**
 * ferry_json_root_object:
 * @root: (nullable): a parsed document
 *
 * Returns: (transfer none) (nullable): @root, when it is an object
 */
JsonObject *
ferry_json_root_object (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}
