/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTIVITY (ferry_connectivity_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectivity, ferry_connectivity, FERRY, CONNECTIVITY, GObject)

FerryConnectivity   *ferry_connectivity_new               (GNetworkMonitor      *network_monitor,
                                                           GPowerProfileMonitor *power_monitor,
                                                           GDBusConnection      *system_bus);
gboolean             ferry_connectivity_get_online        (FerryConnectivity    *self);
gboolean             ferry_connectivity_get_metered       (FerryConnectivity    *self);
gboolean             ferry_connectivity_get_power_saver   (FerryConnectivity    *self);
GNetworkConnectivity ferry_connectivity_get_level         (FerryConnectivity    *self);
gboolean             ferry_connectivity_may_send_anything (FerryConnectivity    *self);
gboolean             ferry_connectivity_host_allowed      (FerryConnectivity    *self,
                                                           const char           *host,
                                                           guint16               port);
gboolean             ferry_host_is_loopback               (const char           *host);

G_END_DECLS
