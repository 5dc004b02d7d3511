/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where the two interface files are compiled in (ferry-tray.gresource.xml). */
#define FERRY_TRAY_RESOURCE_PREFIX "/io/github/ferrysync/Ferry/tray/"

GDBusInterfaceInfo *ferry_tray_load_interface_info (const char                 *file,
                                                    const char                 *name);
guint               ferry_tray_register_object     (GDBusConnection            *connection,
                                                    const char                 *path,
                                                    GDBusInterfaceInfo         *info,
                                                    const GDBusInterfaceVTable *vtable,
                                                    gpointer                    user_data);

G_END_DECLS
