/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RESOLVE_REQUEST (ferry_resolve_request_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryResolveRequest, ferry_resolve_request, FERRY, RESOLVE_REQUEST, GObject)

FERRY_AVAILABLE_IN_ALL
GBytes   *ferry_resolve_request_get_base      (FerryResolveRequest *self);
FERRY_AVAILABLE_IN_ALL
GBytes   *ferry_resolve_request_get_local     (FerryResolveRequest *self);
FERRY_AVAILABLE_IN_ALL
GBytes   *ferry_resolve_request_get_remote    (FerryResolveRequest *self);
FERRY_AVAILABLE_IN_ALL
gboolean  ferry_resolve_request_get_answered  (FerryResolveRequest *self);

FERRY_AVAILABLE_IN_ALL
void      ferry_resolve_request_return_body   (FerryResolveRequest *self,
                                               GBytes              *merged);
FERRY_AVAILABLE_IN_ALL
void      ferry_resolve_request_return_error  (FerryResolveRequest *self,
                                               const char          *message);

G_END_DECLS
