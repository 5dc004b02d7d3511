/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-http-request"

#include "config.h"

#include "ferry-http-request.h"
#include "ferry-task.h"

G_DEFINE_BOXED_TYPE (FerryHttpRequest, ferry_http_request,
                     ferry_http_request_ref, ferry_http_request_unref)

/**
 * ferry_http_request_new:
 * @method: an HTTP method token
 * @url: an absolute http or https URL
 *
 * Returns: (transfer full): a request without headers or body
 */
FerryHttpRequest *
ferry_http_request_new (const char *method,
                        const char *url)
{
  FerryHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (FerryHttpRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = g_strdup (method);
  self->url = g_strdup (url);
  return self;
}

FerryHttpRequest *
ferry_http_request_ref (FerryHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ferry_http_request_unref (FerryHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->method);
  g_free (self->url);
  g_strfreev (self->headers);
  g_strfreev (self->secret_headers);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  g_free (self->idempotency_key);
  g_free (self->if_match);
  g_free (self);
}

/**
 * ferry_http_request_add_header:
 * @self: a request
 * @name: a header name
 * @value: its value
 *
 * Adds a header, after any of the same name.
 */
void
ferry_http_request_add_header (FerryHttpRequest *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  ferry_header_list_add (&self->headers, name, value);
}

/**
 * ferry_http_request_set_body:
 * @self: a request
 * @body: (nullable): the body
 * @content_type: (nullable): its type
 */
void
ferry_http_request_set_body (FerryHttpRequest *self,
                             GBytes           *body,
                             const char       *content_type)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->body, g_bytes_unref);
  if (body != NULL)
    self->body = g_bytes_ref (body);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
}

/**
 * ferry_http_request_header_is_secret:
 * @self: a request
 * @name: a header name
 *
 * Returns: whether @name carries a credential: one of the well-known
 *   names (Authorization, Cookie…) or one of @self's own secret names
 */
gboolean
ferry_http_request_header_is_secret (FerryHttpRequest *self,
                                     const char       *name)
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
 * ferry_http_request_get_max_response_body:
 * @self: a request
 *
 * Returns: how many bytes of the response body are kept
 */
gsize
ferry_http_request_get_max_response_body (FerryHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_response_body != 0 ? self->max_response_body : FERRY_TASK_MAX_RESPONSE_BODY;
}

/* Framing and connection headers belong to the transport: a request must
 * not be able to desynchronise the connection by setting them. */
static const char * const transport_headers[] = {
  "Connection", "Content-Length", "Host", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
  "Transfer-Encoding", "Upgrade",
};

/**
 * ferry_http_header_is_transport:
 * @name: a header name
 *
 * Returns: whether @name is a framing or connection header, which a
 *   request never sends of its own
 */
gboolean
ferry_http_header_is_transport (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (transport_headers); i++)
    {
      if (g_ascii_strcasecmp (transport_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ferry_http_method_is_idempotent:
 * @method: a method token
 *
 * Returns: whether HTTP defines @method as idempotent (RFC 9110, 9.2.2)
 */
gboolean
ferry_http_method_is_idempotent (const char *method)
{
  static const char * const idempotent[] = {
    "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (idempotent); i++)
    {
      if (g_strcmp0 (idempotent[i], method) == 0)
        return TRUE;
    }
  return FALSE;
}
