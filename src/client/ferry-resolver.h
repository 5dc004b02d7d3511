/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-resolve-request.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RESOLVER (ferry_resolver_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryResolver, ferry_resolver, FERRY, RESOLVER, GObject)

FERRY_AVAILABLE_IN_ALL
FerryResolver *ferry_resolver_new             (void);
FERRY_AVAILABLE_IN_ALL
const char    *ferry_resolver_get_object_path (FerryResolver *self);

G_END_DECLS
