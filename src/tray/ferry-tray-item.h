/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-tray-view.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRAY_ITEM (ferry_tray_item_get_type ())

G_DECLARE_FINAL_TYPE (FerryTrayItem, ferry_tray_item, FERRY, TRAY_ITEM, GObject)

FerryTrayItem *ferry_tray_item_new                 (GDBusConnection     *connection,
                                                    const FerryTrayView *view,
                                                    const char          *icon_theme_path);
gboolean       ferry_tray_item_export              (FerryTrayItem       *self);
void           ferry_tray_item_register            (FerryTrayItem       *self);
const char    *ferry_tray_item_get_bus_name        (FerryTrayItem       *self);
gboolean       ferry_tray_item_get_registered      (FerryTrayItem       *self);
void           ferry_tray_item_set_view            (FerryTrayItem       *self,
                                                    const FerryTrayView *view);
void           ferry_tray_item_set_icon_theme_path (FerryTrayItem       *self,
                                                    const char          *path);

G_END_DECLS
