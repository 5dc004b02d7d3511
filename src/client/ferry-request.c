/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-request"

#include "config.h"

#include <string.h>

#include "ferry-request-private.h"

/**
 * FerryRequest:
 *
 * A builder for the dictionary `Enqueue` takes, so apps do not assemble
 * variants by hand.  Only the method and the URL are required; every
 * setter adds one optional key.  The agent validates the result and names
 * the key that is wrong.
 *
 * ```c
 * g_autoptr(FerryRequest) request = ferry_request_new ("PUT", url);
 *
 * ferry_request_set_body_text (request, json, "application/json");
 * ferry_request_set_name (request, "note-42");
 * ferry_client_enqueue_async (client, request, NULL, enqueue_cb, self);
 * ```
 */
struct _FerryRequest
{
  GObject parent_instance;

  /* owned */
  char *method;
  char *url;
  GHashTable *values;       /* key → floating-free GVariant */
  GPtrArray *headers;       /* flat name/value pairs */
  GPtrArray *secret_headers;
};

G_DEFINE_FINAL_TYPE (FerryRequest, ferry_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_value (FerryRequest *self,
           const char   *key,
           GVariant     *value)
{
  if (value == NULL)
    g_hash_table_remove (self->values, key);
  else
    g_hash_table_insert (self->values, g_strdup (key), g_variant_ref_sink (value));
}

static void
set_string_value (FerryRequest *self,
                  const char   *key,
                  const char   *value)
{
  set_value (self, key, value != NULL ? g_variant_new_string (value) : NULL);
}

static GVariant *
bytes_to_variant (GBytes *bytes)
{
  return g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE);
}

static void
ferry_request_finalize (GObject *object)
{
  FerryRequest *self = (FerryRequest *) object;

  g_free (self->method);
  g_free (self->url);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->secret_headers, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_request_parent_class)->finalize (object);
}

static void
ferry_request_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FerryRequest *self = FERRY_REQUEST (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_request_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FerryRequest *self = FERRY_REQUEST (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      self->method = g_value_dup_string (value);
      break;
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_request_class_init (FerryRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_request_finalize;
  object_class->get_property = ferry_request_get_property;
  object_class->set_property = ferry_request_set_property;

  /**
   * FerryRequest:method:
   *
   * The HTTP method, e.g. "PUT".
   */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryRequest:url:
   *
   * The absolute http:// or https:// URL.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_request_init (FerryRequest *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_variant_unref);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->secret_headers = g_ptr_array_new_with_free_func (g_free);
}

/**
 * ferry_request_new:
 * @method: the HTTP method, e.g. "POST"
 * @url: the absolute http:// or https:// URL
 *
 * Starts a request.  Neither argument is checked here: the agent checks
 * them (and every other key) when the request is enqueued.
 *
 * Returns: (transfer full): a new request
 */
FerryRequest *
ferry_request_new (const char *method,
                   const char *url)
{
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (FERRY_TYPE_REQUEST, "method", method, "url", url, NULL);
}

/**
 * ferry_request_get_method:
 * @self: a request
 *
 * Gets the HTTP method.
 *
 * Returns: the HTTP method
 */
const char *
ferry_request_get_method (FerryRequest *self)
{
  g_return_val_if_fail (FERRY_IS_REQUEST (self), NULL);
  return self->method;
}

/**
 * ferry_request_get_url:
 * @self: a request
 *
 * Gets the URL.
 *
 * Returns: the URL
 */
const char *
ferry_request_get_url (FerryRequest *self)
{
  g_return_val_if_fail (FERRY_IS_REQUEST (self), NULL);
  return self->url;
}

/**
 * ferry_request_add_header:
 * @self: a request
 * @name: a header name
 * @value: its value
 *
 * Adds a request header.  Adding a header of a name already added replaces
 * the earlier value (the agent takes headers as a dictionary).
 * Authorization, Proxy-Authorization and Cookie values are stored and sent
 * but shown to nobody but the owner.
 */
void
ferry_request_add_header (FerryRequest *self,
                          const char   *name,
                          const char   *value)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  for (guint i = 0; i < self->headers->len; i += 2)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
        {
          g_free (g_ptr_array_index (self->headers, i + 1));
          g_ptr_array_index (self->headers, i + 1) = g_strdup (value);
          return;
        }
    }
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

/**
 * ferry_request_set_body:
 * @self: a request
 * @body: (nullable): the body, or %NULL for none
 * @content_type: (nullable): its Content-Type
 *
 * Sets the request body and its content type.
 */
void
ferry_request_set_body (FerryRequest *self,
                        GBytes       *body,
                        const char   *content_type)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));

  set_value (self, "body", body != NULL ? bytes_to_variant (body) : NULL);
  set_string_value (self, "content-type", content_type);
}

/**
 * ferry_request_set_body_text:
 * @self: a request
 * @text: (nullable): the body as text, without its terminating NUL
 * @content_type: (nullable): its Content-Type, e.g. "application/json"
 *
 * Sets a text body.
 */
void
ferry_request_set_body_text (FerryRequest *self,
                             const char   *text,
                             const char   *content_type)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (FERRY_IS_REQUEST (self));

  if (text != NULL)
    body = g_bytes_new (text, strlen (text));
  ferry_request_set_body (self, body, content_type);
}

/**
 * ferry_request_set_priority:
 * @self: a request
 * @priority: how urgent the task is
 *
 * Sets the priority (medium when never set).
 */
void
ferry_request_set_priority (FerryRequest        *self,
                            FerryClientPriority  priority)
{
  const char *name = ferry_client_priority_to_string (priority);

  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (name != NULL);

  set_string_value (self, "priority", name);
}

/**
 * ferry_request_set_name:
 * @self: a request
 * @name: (nullable): a label, unique per owner, or %NULL for none
 *
 * Names the task (see ferry_request_set_unique()).
 */
void
ferry_request_set_name (FerryRequest *self,
                        const char   *name)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "name", name);
}

/**
 * ferry_request_set_unique:
 * @self: a request
 * @policy: what happens when a pending task of the same name exists
 *
 * Sets the policy for a named task (replace when never set).
 */
void
ferry_request_set_unique (FerryRequest            *self,
                          FerryClientUniquePolicy  policy)
{
  const char *name = ferry_client_unique_policy_to_string (policy);

  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (name != NULL);

  set_string_value (self, "unique", name);
}

/**
 * ferry_request_set_group:
 * @self: a request
 * @group: (nullable): an ordering key, or %NULL for none
 *
 * Tasks of one group run strictly in enqueue order.
 */
void
ferry_request_set_group (FerryRequest *self,
                         const char   *group)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "group", group);
}

/**
 * ferry_request_set_idempotency_key:
 * @self: a request
 * @key: (nullable): the key, or %NULL to let the agent generate one
 *
 * Sets the Idempotency-Key sent on every attempt.
 */
void
ferry_request_set_idempotency_key (FerryRequest *self,
                                   const char   *key)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "idempotency-key", key);
}

/**
 * ferry_request_set_if_match:
 * @self: a request
 * @etag: (nullable): the entity tag, or %NULL for none
 *
 * Sends If-Match; a 412 answer then counts as a conflict.
 */
void
ferry_request_set_if_match (FerryRequest *self,
                            const char   *etag)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "if-match", etag);
}

/**
 * ferry_request_set_max_attempts:
 * @self: a request
 * @max_attempts: attempts before failing; 0 for the agent's default
 *
 * Sets the attempt limit.
 */
void
ferry_request_set_max_attempts (FerryRequest *self,
                                guint         max_attempts)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_value (self, "max-attempts", g_variant_new_uint32 (max_attempts));
}

/**
 * ferry_request_set_not_before:
 * @self: a request
 * @not_before: µs since the epoch (as g_get_real_time() counts); 0 unsets
 *
 * The task is not sent before this time.
 */
void
ferry_request_set_not_before (FerryRequest *self,
                              gint64        not_before)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_value (self, "not-before", not_before != 0 ? g_variant_new_int64 (not_before) : NULL);
}

/**
 * ferry_request_set_expires:
 * @self: a request
 * @expires: µs since the epoch; 0 unsets
 *
 * The task fails as expired if it is not delivered by then.
 */
void
ferry_request_set_expires (FerryRequest *self,
                           gint64        expires)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_value (self, "expires", expires != 0 ? g_variant_new_int64 (expires) : NULL);
}

/**
 * ferry_request_set_unmetered_only:
 * @self: a request
 * @unmetered_only: whether to send only on an unmetered network
 *
 * Holds the task while the network is metered.
 */
void
ferry_request_set_unmetered_only (FerryRequest *self,
                                  gboolean      unmetered_only)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_value (self, "unmetered-only", g_variant_new_boolean (unmetered_only));
}

/**
 * ferry_request_set_conflict_strategy:
 * @self: a request
 * @strategy: how a conflict is settled
 *
 * Sets the conflict strategy (ask when never set).
 */
void
ferry_request_set_conflict_strategy (FerryRequest                *self,
                                     FerryClientConflictStrategy  strategy)
{
  const char *name = ferry_client_conflict_strategy_to_string (strategy);

  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (name != NULL);

  set_string_value (self, "conflict-strategy", name);
}

/**
 * ferry_request_set_conflict_url:
 * @self: a request
 * @url: (nullable): where to fetch the server's copy on a conflict, or
 *   %NULL for the request's URL
 *
 * Sets the conflict URL.
 */
void
ferry_request_set_conflict_url (FerryRequest *self,
                                const char   *url)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "conflict-url", url);
}

/**
 * ferry_request_set_base:
 * @self: a request
 * @base: (nullable): the document the app edited from, or %NULL
 *
 * Sets the merge base for the merge strategy.
 */
void
ferry_request_set_base (FerryRequest *self,
                        GBytes       *base)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_value (self, "base", base != NULL ? bytes_to_variant (base) : NULL);
}

/**
 * ferry_request_add_merge_rule:
 * @self: a request
 * @pointer: the JSON pointer of a member, e.g. "/title"
 * @side: "local" or "remote"
 *
 * With the merge strategy, settles a member changed on both sides without
 * asking: its value is taken from @side.  Setting a rule for the same
 * pointer again replaces it.
 */
void
ferry_request_add_merge_rule (FerryRequest *self,
                              const char   *pointer,
                              const char   *side)
{
  GVariant *old;
  GVariantBuilder rules;

  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (pointer != NULL);
  g_return_if_fail (g_strcmp0 (side, "local") == 0 || g_strcmp0 (side, "remote") == 0);

  g_variant_builder_init (&rules, G_VARIANT_TYPE ("a{ss}"));
  old = g_hash_table_lookup (self->values, "merge-rules");
  if (old != NULL)
    {
      GVariantIter iter;
      const char *key;
      const char *value;

      g_variant_iter_init (&iter, old);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        {
          if (!g_str_equal (key, pointer))
            g_variant_builder_add (&rules, "{ss}", key, value);
        }
    }
  g_variant_builder_add (&rules, "{ss}", pointer, side);
  set_value (self, "merge-rules", g_variant_builder_end (&rules));
}

/**
 * ferry_request_set_timestamp_pointer:
 * @self: a request
 * @pointer: (nullable): the JSON pointer of the timestamp the
 *   last-modified-wins strategy compares, or %NULL for /updated_at
 *
 * Sets where last-modified-wins finds the time of each copy.
 */
void
ferry_request_set_timestamp_pointer (FerryRequest *self,
                                     const char   *pointer)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "timestamp-pointer", pointer);
}

/**
 * ferry_request_set_app_id:
 * @self: a request
 * @app_id: (nullable): the owner name, or %NULL for the caller's own
 *
 * Names the owner for an unsandboxed caller; the agent refuses it from a
 * sandboxed one with %FERRY_ERROR_PERMISSION_DENIED.
 */
void
ferry_request_set_app_id (FerryRequest *self,
                          const char   *app_id)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  set_string_value (self, "app-id", app_id);
}

/**
 * ferry_request_add_secret_header:
 * @self: a request
 * @name: a header name
 *
 * Treats the header @name as a credential: its value is sent but never
 * shown to anyone but the owner, nor logged.
 */
void
ferry_request_add_secret_header (FerryRequest *self,
                                 const char   *name)
{
  g_return_if_fail (FERRY_IS_REQUEST (self));
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->secret_headers, g_strdup (name));
}

/**
 * ferry_request_to_variant:
 * @self: a request
 *
 * Builds the dictionary `Enqueue` takes.
 *
 * Returns: (transfer floating): a new `a{sv}` variant
 */
GVariant *
ferry_request_to_variant (FerryRequest *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (FERRY_IS_REQUEST (self), NULL);

  g_variant_builder_add (&builder, "{sv}", "method", g_variant_new_string (self->method));
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (self->url));

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&builder, "{sv}", (const char *) key, (GVariant *) value);

  if (self->headers->len > 0)
    {
      GVariantBuilder headers;

      g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; i < self->headers->len; i += 2)
        g_variant_builder_add (&headers, "{ss}",
                               (const char *) g_ptr_array_index (self->headers, i),
                               (const char *) g_ptr_array_index (self->headers, i + 1));
      g_variant_builder_add (&builder, "{sv}", "headers", g_variant_builder_end (&headers));
    }

  if (self->secret_headers->len > 0)
    g_variant_builder_add (&builder, "{sv}", "secret-headers",
                           g_variant_new_strv ((const char * const *) self->secret_headers->pdata,
                                               self->secret_headers->len));

  return g_variant_builder_end (&builder);
}
