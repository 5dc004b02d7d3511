/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_FIXED_NETWORK_MONITOR (ferry_fixed_network_monitor_get_type ())

G_DECLARE_FINAL_TYPE (FerryFixedNetworkMonitor, ferry_fixed_network_monitor,
                      FERRY, FIXED_NETWORK_MONITOR, GObject)

GNetworkMonitor *ferry_fixed_network_monitor_new_from_string (const char  *spec,
                                                              GError     **error);
GNetworkMonitor *ferry_fixed_network_monitor_new_from_file   (const char  *path,
                                                              GError     **error);

G_END_DECLS
