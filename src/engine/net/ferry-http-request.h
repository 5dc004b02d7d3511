/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FerryHttpRequest:
 * @method: the HTTP method token
 * @url: an absolute http or https URL
 * @headers: (nullable): flat name/value pairs to send; framing and
 *   connection headers (Content-Length, Connection, Host…) are never sent
 * @secret_headers: (nullable): names whose values are credentials, besides
 *   the well-known ones: never logged, dropped when a redirect leaves the
 *   first origin
 * @body: (nullable): the body, sent byte for byte on every copy of the
 *   request
 * @content_type: (nullable): the body's type; application/octet-stream
 *   when there is a body and none is given (nor a Content-Type header)
 * @idempotency_key: (nullable): sent as Idempotency-Key; a request that
 *   has one may be sent again after a dropped connection, so it reuses
 *   kept-alive connections whatever its method
 * @if_match: (nullable): sent as If-Match
 * @max_response_body: how much of the response body is kept, in bytes;
 *   0 keeps %FERRY_TASK_MAX_RESPONSE_BODY
 * @body_path: (nullable): a file to send as the body instead of @body,
 *   read from its start on every copy of the request, never held in
 *   memory whole
 * @body_size: @body_path's size
 * @body_progress: (nullable): called as body bytes go out, with how many
 *   went since the request was last started from the first byte
 * @body_progress_data: for @body_progress
 * @raw_response: the response body as the server sent it: no content
 *   decoding (a download resumed by byte ranges counts those bytes)
 *
 * One HTTP exchange to perform: what the outbox sends for a task, what a
 * conflict fetches, what a replicator sends for a batch.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  char    *method;
  char    *url;
  char   **headers;
  char   **secret_headers;
  GBytes  *body;
  char    *content_type;
  char    *idempotency_key;
  char    *if_match;
  gsize    max_response_body;
  char    *body_path;
  goffset  body_size;
  void   (*body_progress) (goffset sent, gpointer data);
  gpointer body_progress_data;
  gboolean raw_response;
} FerryHttpRequest;

#define FERRY_TYPE_HTTP_REQUEST (ferry_http_request_get_type ())

GType             ferry_http_request_get_type   (void) G_GNUC_CONST;
FerryHttpRequest *ferry_http_request_new        (const char        *method,
                                                 const char        *url);
FerryHttpRequest *ferry_http_request_ref        (FerryHttpRequest  *self);
void              ferry_http_request_unref      (FerryHttpRequest  *self);
void              ferry_http_request_add_header (FerryHttpRequest  *self,
                                                 const char        *name,
                                                 const char        *value);
void              ferry_http_request_set_body   (FerryHttpRequest  *self,
                                                 GBytes            *body,
                                                 const char        *content_type);

gboolean          ferry_http_request_header_is_secret (FerryHttpRequest *self,
                                                       const char       *name);
gsize             ferry_http_request_get_max_response_body (FerryHttpRequest *self);

gboolean          ferry_http_header_is_transport (const char *name);
gboolean          ferry_http_method_is_idempotent (const char *method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryHttpRequest, ferry_http_request_unref)

G_END_DECLS
