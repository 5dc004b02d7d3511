/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FerryResolverFunc:
 * @owner: the app whose task or document is in conflict
 * @subject: what is in conflict, for logs (a task id, a document id)
 * @base: (nullable): what the app edited from
 * @local: (nullable): the app's side
 * @remote: (nullable): the server's current copy
 * @cancellable: cancelled when the answer is no longer wanted (timeout)
 * @callback: to call with the result
 * @callback_data: for @callback
 * @user_data: what was given with the function
 *
 * Asks @owner to settle a conflict (the custom strategy), for tasks and
 * documents alike.
 */
typedef void     (*FerryResolverFunc)       (const char          *owner,
                                             const char          *subject,
                                             GBytes              *base,
                                             GBytes              *local,
                                             GBytes              *remote,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             callback_data,
                                             gpointer             user_data);
/**
 * FerryResolverFinishFunc:
 * @result: the result given to the callback
 * @error: return location for why there is no answer
 * @user_data: what was given with the function
 *
 * Returns: (transfer full) (nullable): the body to keep instead
 */
typedef GBytes * (*FerryResolverFinishFunc) (GAsyncResult        *result,
                                             GError             **error,
                                             gpointer             user_data);

/**
 * FerryResolverHook:
 * @resolve: asks the app
 * @finish: its answer
 * @data: for both
 * @destroy: (nullable): frees @data when the hook is replaced or cleared
 *
 * An installed resolver, as the parts that call it keep it.
 */
typedef struct
{
  FerryResolverFunc        resolve;
  FerryResolverFinishFunc  finish;
  gpointer                 data;
  GDestroyNotify           destroy;
} FerryResolverHook;

void    ferry_resolver_hook_set    (FerryResolverHook       *hook,
                                    FerryResolverFunc        resolve,
                                    FerryResolverFinishFunc  finish,
                                    gpointer                 data,
                                    GDestroyNotify           destroy);
void    ferry_resolver_hook_clear  (FerryResolverHook       *hook);

void    ferry_resolver_call_async  (const FerryResolverHook *hook,
                                    guint                    timeout_ms,
                                    const char              *owner,
                                    const char              *subject,
                                    GBytes                  *base,
                                    GBytes                  *local,
                                    GBytes                  *remote,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data);
GBytes *ferry_resolver_call_finish (GAsyncResult            *result,
                                    GError                 **error);

G_END_DECLS
