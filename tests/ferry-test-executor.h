/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-executor.h"
#include "ferry-test-util.h"

G_BEGIN_DECLS

/* Waiting for an executor's attempts in tests: the result stored by
 * ferry_test_store_result_cb() into the GAsyncResult * it is given. */
void          ferry_test_store_result_cb  (GObject          *object,
                                           GAsyncResult     *result,
                                           gpointer          user_data);
FerryAttempt *ferry_test_wait_attempt    (FerryExecutor    *executor,
                                           GAsyncResult    **result);
FerryAttempt *ferry_test_send_and_wait    (FerryExecutor    *executor,
                                           FerryTask        *task,
                                           GCancellable     *cancellable);
FerryAttempt *ferry_test_request_and_wait (FerryExecutor    *executor,
                                           FerryHttpRequest *request,
                                           GCancellable     *cancellable);
/* Cancels @cancellable once @server holds one request. */
void          ferry_test_cancel_when_in_flight (FerryTestServer *server,
                                                GCancellable    *cancellable);

G_END_DECLS
