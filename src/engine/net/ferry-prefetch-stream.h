/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_PREFETCH_STREAM (ferry_prefetch_stream_get_type ())

G_DECLARE_FINAL_TYPE (FerryPrefetchStream, ferry_prefetch_stream, FERRY, PREFETCH_STREAM,
                      GInputStream)

GInputStream *ferry_prefetch_stream_new (GInputStream *base,
                                         gsize         buffer_size);

G_END_DECLS
