/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-classifier.h"
#include "ferry-http-request.h"
#include "ferry-task.h"

G_BEGIN_DECLS

/**
 * FerryAttempt:
 * @kind: what happened
 * @status: HTTP status when @kind is %FERRY_OUTCOME_HTTP, else 0
 * @reason: (nullable): the status line's reason phrase
 * @response_headers: (nullable): flat name/value pairs of the response
 * @response_body: (nullable): the response body, at most as much as the
 *   request keeps
 * @body_cut: whether the response body went on beyond that
 * @retry_after: delay the server asked for in microseconds, or -1
 * @error: (nullable): the transport error, for %FERRY_OUTCOME_NETWORK,
 *   %FERRY_OUTCOME_TLS, %FERRY_OUTCOME_REDIRECT_LOOP, %FERRY_OUTCOME_CANCELLED
 * @etag: (nullable): the response's ETag
 * @last_modified: (nullable): the response's Last-Modified
 *
 * The result of one HTTP exchange.
 */
typedef struct
{
  FerryOutcomeKind kind;
  guint            status;
  char            *reason;
  char           **response_headers;
  GBytes          *response_body;
  gboolean         body_cut;
  gint64           retry_after;
  GError          *error;
  char            *etag;
  char            *last_modified;
} FerryAttempt;

void ferry_attempt_free (FerryAttempt *attempt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryAttempt, ferry_attempt_free)

#define FERRY_TYPE_EXECUTOR (ferry_executor_get_type ())

G_DECLARE_FINAL_TYPE (FerryExecutor, ferry_executor, FERRY, EXECUTOR, GObject)

FerryExecutor    *ferry_executor_new              (SoupSession          *session);
SoupSession      *ferry_executor_get_session      (FerryExecutor        *self);
void              ferry_executor_request_async    (FerryExecutor        *self,
                                                   FerryHttpRequest     *request,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
FerryAttempt     *ferry_executor_request_finish   (FerryExecutor        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void              ferry_executor_open_async       (FerryExecutor        *self,
                                                   FerryHttpRequest     *request,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GInputStream     *ferry_executor_open_finish      (FerryExecutor        *self,
                                                   GAsyncResult         *result,
                                                   SoupMessage         **out_msg,
                                                   GError              **error);
FerryHttpRequest *ferry_executor_request_for_task (FerryTask            *task);
void              ferry_executor_send_async       (FerryExecutor        *self,
                                                   FerryTask            *task,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);

G_END_DECLS
