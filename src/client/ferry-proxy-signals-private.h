/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void ferry_proxy_follow_signals (GDBusProxy *proxy);

G_END_DECLS
