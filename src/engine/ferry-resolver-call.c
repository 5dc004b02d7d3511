/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-resolver-call"

#include "config.h"

#include "ferry-error.h"

#include "ferry-resolver-call.h"

/*
 * One question to an app's resolver, bounded in time: the part shared by
 * tasks (the outbox) and documents (collections) under the custom
 * strategy.  A resolver that is missing, fails or is too slow leaves the
 * conflict to a person; the caller only words that.
 */

typedef struct
{
  FerryResolverHook  hook;
  GCancellable      *cancellable;   /* ours: cancelled on timeout */
  gulong             outer_id;      /* on the caller's cancellable */
  GCancellable      *outer;
  guint              timeout_id;
  gboolean           timed_out;
} Call;

static void
call_free (Call *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->outer != NULL)
    g_cancellable_disconnect (call->outer, call->outer_id);
  g_clear_object (&call->outer);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static gboolean
on_timeout (gpointer user_data)
{
  Call *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *outer,
                    gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *merged;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  merged = call->hook.finish (result, &error, call->hook.data);
  if (merged != NULL)
    g_task_return_pointer (task, merged, (GDestroyNotify) g_bytes_unref);
  else if (call->timed_out)
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED, "did not answer in time");
  else if (call->outer != NULL && g_cancellable_is_cancelled (call->outer))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "no longer wanted");
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED, "failed");
}

/**
 * ferry_resolver_call_async:
 * @hook: (nullable): the installed resolver, or %NULL when there is none
 * @timeout_ms: how long the answer is waited for
 * @owner: the app asked
 * @subject: what is in conflict, for logs
 * @base: (nullable): what the app edited from
 * @local: (nullable): the app's side
 * @remote: (nullable): the server's copy
 * @cancellable: (nullable): to stop waiting
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * Asks @owner's resolver to settle one conflict; the hook's data must
 * outlive the call.
 */
void
ferry_resolver_call_async (const FerryResolverHook *hook,
                           guint                    timeout_ms,
                           const char              *owner,
                           const char              *subject,
                           GBytes                  *base,
                           GBytes                  *local,
                           GBytes                  *remote,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (owner != NULL);
  g_return_if_fail (subject != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_resolver_call_async);
  /* The answer is delivered even after @cancellable fires, so the
   * resolver's own call always ends before the task does. */
  g_task_set_check_cancellable (task, FALSE);

  if (hook == NULL || hook->resolve == NULL)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                               "is missing: the app has no resolver registered");
      return;
    }

  call = g_new0 (Call, 1);
  call->hook = *hook;
  call->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->outer = g_object_ref (cancellable);
      call->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                              call->cancellable, NULL);
    }
  call->timeout_id = g_timeout_add (MAX (timeout_ms, 1), on_timeout, call);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  hook->resolve (owner, subject, base, local, remote, call->cancellable, resolve_cb,
                 g_steal_pointer (&task), hook->data);
}

/**
 * ferry_resolver_call_finish:
 * @result: the result given to the callback
 * @error: return location for why there is no answer: the resolver's
 *   error, %FERRY_ERROR_NOT_FOUND without a resolver, %FERRY_ERROR_FAILED
 *   "did not answer in time", or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the body the app chose
 */
GBytes *
ferry_resolver_call_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_resolver_hook_set:
 * @hook: where a part keeps its resolver
 * @resolve: (nullable): asks the app, %NULL for none
 * @finish: (nullable): its answer, %NULL with @resolve
 * @data: for both
 * @destroy: (nullable): frees @data
 *
 * Installs a resolver in @hook, freeing the data of the one before.
 */
void
ferry_resolver_hook_set (FerryResolverHook       *hook,
                         FerryResolverFunc        resolve,
                         FerryResolverFinishFunc  finish,
                         gpointer                 data,
                         GDestroyNotify           destroy)
{
  g_return_if_fail (hook != NULL);
  g_return_if_fail ((resolve == NULL) == (finish == NULL));

  if (hook->destroy != NULL)
    hook->destroy (hook->data);
  hook->resolve = resolve;
  hook->finish = finish;
  hook->data = data;
  hook->destroy = destroy;
}

/**
 * ferry_resolver_hook_clear:
 * @hook: where a part keeps its resolver
 *
 * Removes the resolver, freeing its data.
 */
void
ferry_resolver_hook_clear (FerryResolverHook *hook)
{
  ferry_resolver_hook_set (hook, NULL, NULL, NULL, NULL);
}
