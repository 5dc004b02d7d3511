/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ferry-test-util.h"

#include "ferry-test-executor.h"

void
ferry_test_store_result_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Waits for the result an executor's call stores in *@result (through
 * ferry_test_store_result_cb()); its attempt. */
FerryAttempt *
ferry_test_wait_attempt (FerryExecutor  *executor,
                         GAsyncResult  **result)
{
  g_autoptr(GError) error = NULL;
  FerryAttempt *attempt;

  FERRY_TEST_WAIT (*result != NULL, 20000);
  attempt = ferry_executor_request_finish (executor, *result, &error);
  g_clear_object (result);
  g_assert_no_error (error);
  g_assert_nonnull (attempt);
  return attempt;
}

/* @task sent once; its attempt, whatever the outcome. */
FerryAttempt *
ferry_test_send_and_wait (FerryExecutor *executor,
                          FerryTask     *task,
                          GCancellable  *cancellable)
{
  GAsyncResult *result = NULL;

  ferry_executor_send_async (executor, task, cancellable, ferry_test_store_result_cb, &result);
  return ferry_test_wait_attempt (executor, &result);
}

/* @request sent once; its attempt, whatever the outcome. */
FerryAttempt *
ferry_test_request_and_wait (FerryExecutor    *executor,
                             FerryHttpRequest *request,
                             GCancellable     *cancellable)
{
  GAsyncResult *result = NULL;

  ferry_executor_request_async (executor, request, cancellable, ferry_test_store_result_cb,
                                &result);
  return ferry_test_wait_attempt (executor, &result);
}

void
ferry_test_cancel_when_in_flight (FerryTestServer *server,
                                  GCancellable    *cancellable)
{
  FERRY_TEST_WAIT (ferry_test_server_get_in_flight (server) == 1, 10000);
  g_cancellable_cancel (cancellable);
}
