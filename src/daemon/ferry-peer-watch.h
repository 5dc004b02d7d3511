/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-caller-cache.h"

G_BEGIN_DECLS

typedef struct _FerryPeerWatch FerryPeerWatch;

FerryPeerWatch *ferry_peer_watch_new  (GDBusConnection  *connection,
                                       FerryCallerCache *callers);
void            ferry_peer_watch_free (FerryPeerWatch   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPeerWatch, ferry_peer_watch_free)

G_END_DECLS
