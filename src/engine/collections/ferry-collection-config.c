/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-config"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ferry-error.h"
#include "ferry-names.h"
#include "ferry-task-private.h"

#include "ferry-collection-config.h"

G_STATIC_ASSERT (FERRY_PROTOCOL_REST + 1 == FERRY_NAMES_N_PROTOCOLS);
G_STATIC_ASSERT (FERRY_DIRECTION_PULL + 1 == FERRY_NAMES_N_DIRECTIONS);

G_DEFINE_BOXED_TYPE (FerryCollectionConfig, ferry_collection_config,
                     ferry_collection_config_ref, ferry_collection_config_unref)

/**
 * ferry_collection_config_new:
 *
 * Returns: (transfer full): a configuration with the defaults: CouchDB,
 *   both directions, every five minutes, not live, merge, batches of up to
 *   1,000 documents
 */
FerryCollectionConfig *
ferry_collection_config_new (void)
{
  FerryCollectionConfig *self = g_new0 (FerryCollectionConfig, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->protocol = FERRY_PROTOCOL_COUCHDB;
  self->direction = FERRY_DIRECTION_BOTH;
  self->interval = FERRY_COLLECTION_DEFAULT_INTERVAL;
  self->conflict_strategy = FERRY_CONFLICT_MERGE;
  self->batch_limit = FERRY_COLLECTION_MAX_BATCH;
  return self;
}

/**
 * ferry_collection_config_ref:
 * @self: a configuration
 *
 * Returns: (transfer full): @self
 */
FerryCollectionConfig *
ferry_collection_config_ref (FerryCollectionConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * ferry_collection_config_unref:
 * @self: a configuration
 *
 * Drops a reference; the last one frees @self.
 */
void
ferry_collection_config_unref (FerryCollectionConfig *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->owner);
  g_free (self->name);
  g_free (self->url);
  g_strfreev (self->headers);
  g_strfreev (self->secret_headers);
  g_strfreev (self->merge_rules);
  g_free (self->timestamp_pointer);
  g_free (self);
}

/**
 * ferry_collection_config_copy:
 * @self: a configuration
 *
 * Returns: (transfer full): a deep copy of @self
 */
FerryCollectionConfig *
ferry_collection_config_copy (const FerryCollectionConfig *self)
{
  FerryCollectionConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ferry_collection_config_new ();
  copy->id = self->id;
  copy->owner = g_strdup (self->owner);
  copy->name = g_strdup (self->name);
  copy->protocol = self->protocol;
  copy->url = g_strdup (self->url);
  copy->headers = g_strdupv (self->headers);
  copy->secret_headers = g_strdupv (self->secret_headers);
  copy->direction = self->direction;
  copy->interval = self->interval;
  copy->live = self->live;
  copy->conflict_strategy = self->conflict_strategy;
  copy->merge_rules = g_strdupv (self->merge_rules);
  copy->timestamp_pointer = g_strdup (self->timestamp_pointer);
  copy->batch_limit = self->batch_limit;
  copy->created = self->created;
  return copy;
}

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);
  va_start (args, format);
  *error = g_error_new_valist (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, format, args);
  va_end (args);
  return FALSE;
}

/**
 * ferry_collection_config_validate:
 * @self: a configuration about to be stored
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the
 *   field
 *
 * Checks everything an app controls, with the rules tasks follow for the
 * same fields (labels, URL, headers, merge rules).
 *
 * Returns: %TRUE when @self may be stored
 */
gboolean
ferry_collection_config_validate (const FerryCollectionConfig  *self,
                                  GError                      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->owner == NULL || *self->owner == '\0')
    return fail (error, "owner: missing");
  if (self->name == NULL)
    return fail (error, "name: missing");
  if (!ferry_validate_label (self->owner, "owner", error) ||
      !ferry_validate_label (self->name, "name", error) ||
      !ferry_validate_url (self->url, "url", TRUE, error) ||
      !ferry_validate_header_list (self->headers, "headers", error) ||
      !ferry_validate_merge_rules (self->merge_rules, error))
    return FALSE;
  if (self->timestamp_pointer != NULL &&
      !ferry_validate_pointer (self->timestamp_pointer, "timestamp-pointer", error))
    return FALSE;
  for (guint i = 0; self->secret_headers != NULL && self->secret_headers[i] != NULL; i++)
    {
      if (!ferry_http_token_is_valid (self->secret_headers[i]))
        return fail (error, "secret-headers: “%s” is not a valid header name",
                     g_utf8_validate (self->secret_headers[i], -1, NULL)
                       ? self->secret_headers[i] : "(invalid UTF-8)");
    }
  if ((guint) self->protocol > FERRY_PROTOCOL_REST)
    return fail (error, "protocol: %d is not couchdb or rest", self->protocol);
  if ((guint) self->direction > FERRY_DIRECTION_PULL)
    return fail (error, "direction: %d is not both, push or pull", self->direction);
  if ((guint) self->conflict_strategy > FERRY_CONFLICT_CUSTOM)
    return fail (error, "conflict-strategy: %d is unknown", self->conflict_strategy);
  if (self->interval > FERRY_COLLECTION_MAX_INTERVAL)
    return fail (error, "interval: %u seconds is more than a week", self->interval);
  if (self->batch_limit < FERRY_COLLECTION_MIN_BATCH ||
      self->batch_limit > FERRY_COLLECTION_MAX_BATCH)
    return fail (error, "batch-limit: %u is not between %d and %d documents",
                 self->batch_limit, FERRY_COLLECTION_MIN_BATCH, FERRY_COLLECTION_MAX_BATCH);
  return TRUE;
}

/**
 * ferry_collection_config_same_endpoint:
 * @a: a configuration
 * @b: another
 *
 * Returns: whether both sync with the same server the same way: the
 *   protocol and URL are what the stored versions and checkpoint mean
 *   anything against
 */
gboolean
ferry_collection_config_same_endpoint (const FerryCollectionConfig *a,
                                       const FerryCollectionConfig *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->protocol == b->protocol && g_strcmp0 (a->url, b->url) == 0;
}

/**
 * ferry_collection_config_dup_host:
 * @self: a configuration
 *
 * Returns: (transfer full) (nullable): the host of the endpoint
 */
char *
ferry_collection_config_dup_host (const FerryCollectionConfig *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->url == NULL)
    return NULL;
  uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED, NULL);
  return uri != NULL ? g_strdup (g_uri_get_host (uri)) : NULL;
}

/**
 * ferry_collection_config_header_is_secret:
 * @self: a configuration
 * @name: a header name
 *
 * Returns: whether @name's value is a credential: a well-known one, or one
 *   @self names
 */
gboolean
ferry_collection_config_header_is_secret (const FerryCollectionConfig *self,
                                          const char                  *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (ferry_header_name_is_secret (name))
    return TRUE;
  for (guint i = 0; self->secret_headers != NULL && self->secret_headers[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->secret_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ferry_protocol_to_string:
 * @protocol: a protocol
 *
 * Returns: (nullable): its name: couchdb or rest
 */
const char *
ferry_protocol_to_string (FerryProtocol protocol)
{
  return ferry_names_get (ferry_names_protocols, FERRY_NAMES_N_PROTOCOLS, protocol);
}

/**
 * ferry_protocol_from_string:
 * @str: (nullable): a name
 * @out: (out) (optional): the protocol
 *
 * Returns: whether @str names a protocol
 */
gboolean
ferry_protocol_from_string (const char    *str,
                            FerryProtocol *out)
{
  guint value;

  if (!ferry_names_lookup (ferry_names_protocols, FERRY_NAMES_N_PROTOCOLS, str, &value))
    return FALSE;
  if (out != NULL)
    *out = value;
  return TRUE;
}

/**
 * ferry_direction_to_string:
 * @direction: a direction
 *
 * Returns: (nullable): its name: both, push or pull
 */
const char *
ferry_direction_to_string (FerryDirection direction)
{
  return ferry_names_get (ferry_names_directions, FERRY_NAMES_N_DIRECTIONS, direction);
}

/**
 * ferry_direction_from_string:
 * @str: (nullable): a name
 * @out: (out) (optional): the direction
 *
 * Returns: whether @str names a direction
 */
gboolean
ferry_direction_from_string (const char     *str,
                             FerryDirection *out)
{
  guint value;

  if (!ferry_names_lookup (ferry_names_directions, FERRY_NAMES_N_DIRECTIONS, str, &value))
    return FALSE;
  if (out != NULL)
    *out = value;
  return TRUE;
}

/**
 * ferry_document_id_validate:
 * @id: (nullable): a document id
 * @protocol: the collection's protocol
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * An id is 1 to 512 bytes of UTF-8 without control characters.  CouchDB
 * keeps ids starting with "_" for itself (`_design/`, `_local/`), so a
 * CouchDB collection refuses them.
 *
 * Returns: whether @id may name a document
 */
gboolean
ferry_document_id_validate (const char     *id,
                            FerryProtocol   protocol,
                            GError        **error)
{
  if (id == NULL || *id == '\0')
    return fail (error, "id: must not be empty");
  if (strlen (id) > FERRY_COLLECTION_MAX_DOC_ID)
    return fail (error, "id: longer than %d bytes", FERRY_COLLECTION_MAX_DOC_ID);
  if (!g_utf8_validate (id, -1, NULL))
    return fail (error, "id: not valid UTF-8");
  for (const char *p = id; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return fail (error, "id: contains a control character");
    }
  if (protocol == FERRY_PROTOCOL_COUCHDB && id[0] == '_')
    return fail (error, "id: “%s” starts with “_”, which CouchDB keeps for itself", id);
  return TRUE;
}

/**
 * ferry_document_body_validate:
 * @body: (nullable): a document's body
 * @protocol: the collection's protocol
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * A body is a JSON object of at most 4 MiB.  CouchDB keeps the top-level
 * members starting with "_" (`_id`, `_rev`, `_deleted`…) for itself, so a
 * CouchDB collection refuses them.
 *
 * Returns: whether @body may be stored
 */
gboolean
ferry_document_body_validate (GBytes         *body,
                              FerryProtocol   protocol,
                              GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GList) members = NULL;
  const char *data;
  gsize len = 0;
  JsonNode *root;

  if (body == NULL)
    return fail (error, "body: missing");
  data = g_bytes_get_data (body, &len);
  if (len > FERRY_COLLECTION_MAX_DOC_SIZE)
    return fail (error, "body: %" G_GSIZE_FORMAT " bytes is over the limit of %d bytes",
                 len, FERRY_COLLECTION_MAX_DOC_SIZE);
  if (len == 0 || memchr (data, '\0', len) != NULL ||
      !json_parser_load_from_data (parser, data, len, &parse_error))
    return fail (error, "body: not JSON%s%s", parse_error != NULL ? ": " : "",
                 parse_error != NULL ? parse_error->message : "");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, "body: not a JSON object");
  if (protocol != FERRY_PROTOCOL_COUCHDB)
    return TRUE;
  members = json_object_get_members (json_node_get_object (root));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (member[0] == '_')
        return fail (error, "body: member “%s” starts with “_”, which CouchDB keeps for "
                     "itself", member);
    }
  return TRUE;
}
