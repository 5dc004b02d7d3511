/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-http-redirect"

#include "config.h"

#include <libsoup/soup.h>

#include "ferry-http-redirect.h"

/*
 * Which redirects Ferry follows, and how.  libsoup only follows 307 and
 * 308 for idempotent methods, which would leave a POST or PATCH behind, so
 * the executor follows them itself, by these rules (as HTTP says):
 * - 307 and 308 repeat the request, same method and body, at the new URL
 *   (the Idempotency-Key goes along, so the server can still spot a
 *   repeat);
 * - 303 fetches the result with a GET (a HEAD stays a HEAD): the server
 *   handled the request and points at its answer;
 * - 301 and 302 are followed for GET and HEAD only.  For any other method
 *   HTTP allows turning the request into a GET, which would report success
 *   for a change that never arrived, and nothing asks to send the body
 *   again: the 3xx comes back as the answer, and the classifier fails it;
 * - other 3xx, a Location that is missing or not an http(s) URL, and a
 *   redirect from https to plain http come back as they are.
 */

static gboolean
is_http_uri (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

/**
 * ferry_http_redirect_target:
 * @method: the method of the request that was answered
 * @from: the URL it went to
 * @status: the answer's status
 * @location: (nullable): the answer's Location header
 *
 * Returns: (transfer full) (nullable): where the answer leads, or %NULL
 *   when it is not followed
 */
GUri *
ferry_http_redirect_target (const char *method,
                            GUri       *from,
                            guint       status,
                            const char *location)
{
  g_autoptr(GUri) target = NULL;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (from != NULL, NULL);

  switch (status)
    {
    case SOUP_STATUS_MOVED_PERMANENTLY:
    case SOUP_STATUS_FOUND:
      if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
        return NULL;
      break;
    case SOUP_STATUS_SEE_OTHER:
    case SOUP_STATUS_TEMPORARY_REDIRECT:
    case SOUP_STATUS_PERMANENT_REDIRECT:
      break;
    default:
      return NULL;
    }

  if (location == NULL)
    return NULL;
  target = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL || !is_http_uri (target))
    return NULL;
  /* What was asked over TLS is never sent again in the clear. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (from), "https") == 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (target), "https") != 0)
    return NULL;
  return g_steal_pointer (&target);
}

/**
 * ferry_http_redirect_method:
 * @method: the method of the request that was redirected
 * @status: the redirect's status
 *
 * Returns: the method of the next hop: GET after a 303 (HEAD stays
 *   HEAD), else @method
 */
const char *
ferry_http_redirect_method (const char *method,
                            guint       status)
{
  if (status == SOUP_STATUS_SEE_OTHER && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    return SOUP_METHOD_GET;
  return method;
}

/**
 * ferry_http_same_origin:
 * @a: a URL
 * @b: another
 *
 * Returns: whether both have the same scheme, host and port
 */
gboolean
ferry_http_same_origin (GUri *a,
                        GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}
