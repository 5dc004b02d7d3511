/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRAY (ferry_tray_get_type ())

G_DECLARE_FINAL_TYPE (FerryTray, ferry_tray, FERRY, TRAY, GObject)

FerryTray       *ferry_tray_new                  (FerryClient     *client,
                                                  GDBusConnection *connection);

FerryClient     *ferry_tray_get_client           (FerryTray       *self);
GDBusConnection *ferry_tray_get_connection       (FerryTray       *self);
const char      *ferry_tray_get_bus_name         (FerryTray       *self);
gboolean         ferry_tray_get_registered       (FerryTray       *self);
const char      *ferry_tray_get_icon_theme_path  (FerryTray       *self);
void             ferry_tray_set_icon_theme_path  (FerryTray       *self,
                                                  const char      *path);

G_END_DECLS
