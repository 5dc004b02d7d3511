/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-caller.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CALLER_CACHE (ferry_caller_cache_get_type ())

G_DECLARE_FINAL_TYPE (FerryCallerCache, ferry_caller_cache, FERRY, CALLER_CACHE, GObject)

FerryCallerCache *ferry_caller_cache_new           (GDBusConnection      *connection);
void              ferry_caller_cache_lookup_async  (FerryCallerCache     *self,
                                                    const char           *sender,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
FerryCaller      *ferry_caller_cache_lookup_finish (FerryCallerCache     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
FerryCaller      *ferry_caller_cache_peek          (FerryCallerCache     *self,
                                                    const char           *sender);
guint             ferry_caller_cache_get_size      (FerryCallerCache     *self);
GPtrArray        *ferry_caller_cache_dup_callers   (FerryCallerCache     *self);
GDBusConnection  *ferry_caller_cache_get_connection (FerryCallerCache    *self);
void              ferry_caller_cache_set_connection (FerryCallerCache    *self,
                                                     GDBusConnection     *connection);
void              ferry_caller_cache_emit          (FerryCallerCache     *self,
                                                    const char           *destination,
                                                    const char           *path,
                                                    const char           *interface,
                                                    const char           *name,
                                                    GVariant             *parameters);
void              ferry_caller_cache_hold_signals  (FerryCallerCache     *self);

G_END_DECLS
