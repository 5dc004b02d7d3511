/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_HTTP_MAX_REDIRECTS 20   /* as libsoup and browsers */

GUri       *ferry_http_redirect_target  (const char *method,
                                         GUri       *from,
                                         guint       status,
                                         const char *location);
const char *ferry_http_redirect_method  (const char *method,
                                         guint       status);
gboolean    ferry_http_same_origin      (GUri       *a,
                                         GUri       *b);

G_END_DECLS
