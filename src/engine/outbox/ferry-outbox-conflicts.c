/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-conflicts"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-conflict-policy.h"
#include "ferry-sync-manager-private.h"

/* Conflicts -------------------------------------------------------------- */

/* Ends the settling of a conflict in @state (pending to send again,
 * succeeded with the server's copy, or conflict to ask). */
static void
finish_settling (Attempt        *data,
                 FerryTaskState  state,
                 const char     *message)
{
  FerrySyncManager *self = data->self;
  FerryTask *task = data->task;
  FerryVerdict verdict;

  g_hash_table_steal (self->running, task->id);
  if (data->cancelled_by_user)
    {
      ferry_outbox_attempt_free (data);
      ferry_outbox_schedule_pass (self);
      return;
    }

  task->state = state;
  task->updated = ferry_outbox_now (self);
  switch (state)
    {
    case FERRY_TASK_STATE_PENDING:
      task->next_attempt = task->updated;
      verdict = FERRY_VERDICT_RETRY;
      break;
    case FERRY_TASK_STATE_SUCCEEDED:
      verdict = FERRY_VERDICT_SUCCEEDED;
      break;
    case FERRY_TASK_STATE_CONFLICT:
    default:
      verdict = FERRY_VERDICT_CONFLICT;
      break;
    }
  if (message != NULL)
    ferry_outbox_set_last_error (task, message);
  else if (state == FERRY_TASK_STATE_SUCCEEDED)
    ferry_outbox_set_last_error (task, NULL);

  /* A conflict settled by sending again is not a retry after a failure. */
  if (verdict == FERRY_VERDICT_RETRY)
    verdict = FERRY_VERDICT_NOT_ATTEMPTED;
  ferry_outbox_record_outcome (self, task, FERRY_TASK_STATE_RUNNING, verdict,
                               message != NULL ? message : ferry_task_state_to_string (state));
  ferry_outbox_attempt_free (data);
  ferry_outbox_schedule_pass (self);
}

static const char *
find_header (char       **headers,
             const char  *name)
{
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (headers[i], name) == 0)
        return headers[i + 1];
    }
  return NULL;
}

/* Sends @body (or the local body when NULL) again, conditional on the
 * server copy's ETag, so a change made meanwhile is caught rather than
 * overwritten. */
static void
send_again_over_server_copy (Attempt    *data,
                             GBytes     *body,
                             const char *message)
{
  FerryTask *task = data->task;
  const char *etag = find_header (task->response_headers, "ETag");

  if (body != NULL)
    {
      g_clear_pointer (&task->body, g_bytes_unref);
      task->body = g_bytes_ref (body);
    }
  if (etag != NULL)
    {
      g_free (task->if_match);
      task->if_match = g_strdup (etag);
    }
  finish_settling (data, FERRY_TASK_STATE_PENDING, message);
}

static void
resolver_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autofree char *message = NULL;

  merged = ferry_resolver_call_finish (result, &error);
  if (merged != NULL)
    {
      send_again_over_server_copy (data, merged, "conflict settled by the app");
      return;
    }
  message = g_strdup_printf ("conflict: the app's resolver %s; a decision is needed",
                             error->message);
  finish_settling (data, FERRY_TASK_STATE_CONFLICT, message);
}

static void
settle_custom (Attempt *data,
               GBytes  *remote)
{
  FerrySyncManager *self = data->self;

  if (self->resolver.resolve == NULL)
    {
      finish_settling (data, FERRY_TASK_STATE_CONFLICT,
                       "conflict: the app has no resolver registered; a decision is needed");
      return;
    }
  ferry_resolver_call_async (&self->resolver, self->resolver_timeout, data->task->owner,
                             data->task->id, data->task->base, data->task->body, remote,
                             data->cancellable, resolver_cb, data);
}

/* Applies the task's strategy (ferry_conflict_settle()) to a conflict
 * whose server copy is @remote, or was deleted there. */
static void
apply_settlement (Attempt  *data,
                  GBytes   *remote,
                  gboolean  remote_deleted)
{
  FerryTask *task = data->task;
  FerryConflictSides sides = {
    .strategy = task->conflict_strategy,
    .base = task->base,
    .local = task->body,
    .remote = remote,
    .remote_deleted = remote_deleted,
    .merge_rules = (const char * const *) task->merge_rules,
    .timestamp_pointer = task->timestamp_pointer,
  };
  g_autoptr(FerrySettlement) settlement = ferry_conflict_settle (&sides);

  switch (settlement->kind)
    {
    case FERRY_SETTLE_LOCAL:
      if (!remote_deleted)
        {
          send_again_over_server_copy (data, NULL, settlement->message);
          break;
        }
      /* Created again: there is nothing to match. */
      g_clear_pointer (&task->if_match, g_free);
      finish_settling (data, FERRY_TASK_STATE_PENDING, settlement->message);
      break;
    case FERRY_SETTLE_MERGED:
      send_again_over_server_copy (data, settlement->merged, settlement->message);
      break;
    case FERRY_SETTLE_REMOTE:
      finish_settling (data, FERRY_TASK_STATE_SUCCEEDED, NULL);
      break;
    case FERRY_SETTLE_CUSTOM:
      settle_custom (data, remote);
      break;
    case FERRY_SETTLE_ASK:
    default:
      finish_settling (data, FERRY_TASK_STATE_CONFLICT, settlement->message);
      break;
    }
}

static void
fetch_server_copy_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Attempt *data = user_data;
  FerryTask *task = data->task;
  g_autoptr(FerryAttempt) fetched = NULL;
  g_autofree char *message = NULL;
  GBytes *remote = NULL;

  fetched = ferry_executor_request_finish (FERRY_EXECUTOR (object), result, NULL);
  if (data->cancelled_by_user)
    {
      finish_settling (data, FERRY_TASK_STATE_CANCELLED, NULL);
      return;
    }
  if (fetched != NULL && fetched->kind == FERRY_OUTCOME_CANCELLED)
    {
      /* Paused or stopped meanwhile: try the whole exchange again later. */
      finish_settling (data, FERRY_TASK_STATE_PENDING, NULL);
      return;
    }
  if (fetched != NULL && fetched->kind == FERRY_OUTCOME_HTTP &&
      fetched->status >= 200 && fetched->status < 300 && !fetched->body_cut)
    {
      /* The server's copy, with its ETag and Last-Modified, is what the
       * task keeps beside its own body and base. */
      ferry_outbox_keep_response (task, fetched);
      remote = fetched->response_body != NULL ? fetched->response_body
                                              : g_bytes_new_static ("", 0);
      if (fetched->response_body == NULL)
        fetched->response_body = remote;
    }
  else if (fetched != NULL && fetched->kind == FERRY_OUTCOME_HTTP &&
           (fetched->status == 404 || fetched->status == 410))
    {
      /* Gone: deleted on the server.  The answer is kept for its status
       * and headers; its body is an error page, not a document. */
      ferry_outbox_keep_response (task, fetched);
      g_clear_pointer (&task->response_body, g_bytes_unref);
      apply_settlement (data, NULL, TRUE);
      return;
    }
  else
    {
      /* Nothing is known of the server's copy: the conflict answer's own
       * body must not pose as it. */
      task->response_status = 0;
      g_clear_pointer (&task->response_headers, g_strfreev);
      g_clear_pointer (&task->response_body, g_bytes_unref);
    }

  if (remote == NULL && task->conflict_strategy != FERRY_CONFLICT_ASK &&
      task->conflict_strategy != FERRY_CONFLICT_CLIENT_WINS)
    {
      message = g_strdup_printf ("conflict: cannot fetch the server's copy (%s); "
                                 "a decision is needed",
                                 fetched == NULL ? "no answer"
                                 : fetched->body_cut ? "it is larger than 16 MiB"
                                 : fetched->kind == FERRY_OUTCOME_HTTP
                                   ? "its answer was not 2xx"
                                   : fetched->error != NULL ? fetched->error->message
                                                            : "no answer");
      finish_settling (data, FERRY_TASK_STATE_CONFLICT, message);
      return;
    }

  apply_settlement (data, remote, FALSE);
}

/* A 409/412 answer: fetch the server's current copy (GET of the task's
 * conflict URL, or of its URL, with its headers), then apply the task's
 * strategy. */
void
ferry_outbox_settle_conflict (Attempt *data)
{
  FerrySyncManager *self = data->self;
  FerryTask *task = data->task;
  g_autoptr(FerryHttpRequest) request = NULL;

  request = ferry_http_request_new (SOUP_METHOD_GET,
                                    task->conflict_url != NULL ? task->conflict_url : task->url);
  /* The task's own headers (credentials included) but none that make the
   * GET conditional or describe the local body. */
  for (guint i = 0; task->headers != NULL && task->headers[i] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (task->headers[i], "If-Match") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "If-None-Match") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "If-Unmodified-Since") == 0 ||
          g_ascii_strcasecmp (task->headers[i], "Content-Type") == 0)
        continue;
      ferry_http_request_add_header (request, task->headers[i], task->headers[i + 1]);
    }
  request->secret_headers = g_strdupv (task->secret_headers);
  /* The whole copy, as large as a task's own body may be: a merge or a
   * comparison over part of a document would be wrong. */
  request->max_response_body = FERRY_TASK_MAX_BODY_SIZE;

  ferry_executor_request_async (self->executor, request, data->cancellable,
                                fetch_server_copy_cb, data);
}

/**
 * ferry_sync_manager_resolve:
 * @self: a manager
 * @id: a task in conflict
 * @choice: local, remote or body
 * @body: (nullable): with %FERRY_RESOLVE_BODY, what to send instead
 * @error: return location for an error
 *
 * Settles a conflict: %FERRY_RESOLVE_LOCAL sends the local change again
 * (conditional on the server copy's ETag when the task sends If-Match);
 * %FERRY_RESOLVE_REMOTE drops it and ends the task as succeeded with the
 * server's copy as its response; %FERRY_RESOLVE_BODY sends @body instead.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_sync_manager_resolve (FerrySyncManager    *self,
                            const char          *id,
                            FerryResolveChoice   choice,
                            GBytes              *body,
                            GError             **error)
{
  g_autoptr(FerryTask) task = NULL;
  FerryTaskState from;

  g_return_val_if_fail (FERRY_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if ((guint) choice > FERRY_RESOLVE_BODY)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "choice: %d is not local, remote or body", choice);
      return FALSE;
    }
  if (choice == FERRY_RESOLVE_BODY && body == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: required when the choice is body");
      return FALSE;
    }
  if (body != NULL && g_bytes_get_size (body) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: over the limit of %d bytes", FERRY_TASK_MAX_BODY_SIZE);
      return FALSE;
    }

  task = ferry_outbox_dup_task_in_states (self, id, FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT),
                                          TRUE, "resolve", error);
  if (task == NULL)
    return FALSE;

  from = task->state;
  switch (choice)
    {
    case FERRY_RESOLVE_REMOTE:
      task->state = FERRY_TASK_STATE_SUCCEEDED;
      task->updated = ferry_outbox_now (self);
      ferry_outbox_set_last_error (task, NULL);
      break;

    case FERRY_RESOLVE_BODY:
      g_clear_pointer (&task->body, g_bytes_unref);
      task->body = g_bytes_ref (body);
      G_GNUC_FALLTHROUGH;
    case FERRY_RESOLVE_LOCAL:
    default:
      {
        const char *etag = NULL;

        /* Deleted on the server: keeping mine creates it again, with no
         * copy to be conditional on. */
        if (ferry_task_get_server_copy (task) == FERRY_SERVER_COPY_DELETED)
          {
            g_clear_pointer (&task->if_match, g_free);
            ferry_outbox_make_pending_now (self, task);
            break;
          }

        /* Send again over the server's version: conditional on the copy
         * the conflict answer named, so a change made meanwhile is caught
         * again rather than overwritten. */
        for (guint i = 0; task->response_headers != NULL && task->response_headers[i] != NULL;
             i += 2)
          {
            if (g_ascii_strcasecmp (task->response_headers[i], "ETag") == 0)
              etag = task->response_headers[i + 1];
          }
        if (task->if_match != NULL && etag != NULL)
          {
            g_free (task->if_match);
            task->if_match = g_strdup (etag);
          }
        ferry_outbox_make_pending_now (self, task);
      }
      break;
    }

  if (!ferry_outbox_store_one (self, task, from, error))
    return FALSE;
  if (task->state == FERRY_TASK_STATE_SUCCEEDED)
    g_signal_emit (self, ferry_outbox_signals[TASK_SUCCEEDED], 0, task);
  ferry_outbox_schedule_pass (self);
  return TRUE;
}
