/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-tray-view.h"

G_BEGIN_DECLS

/* The menu's object path, which the item's Menu property names. */
#define FERRY_TRAY_MENU_PATH "/MenuBar"

/**
 * FerryTrayMenuItem:
 * @FERRY_TRAY_MENU_ITEM_ROOT: the menu itself
 * @FERRY_TRAY_MENU_ITEM_STATUS: the status line (not clickable)
 * @FERRY_TRAY_MENU_ITEM_SEPARATOR_TOP: a separator
 * @FERRY_TRAY_MENU_ITEM_SYNC_NOW: Sync now
 * @FERRY_TRAY_MENU_ITEM_PAUSE: the Paused checkmark
 * @FERRY_TRAY_MENU_ITEM_SEPARATOR_BOTTOM: a separator
 * @FERRY_TRAY_MENU_ITEM_OPEN: Open Ferry
 * @FERRY_TRAY_MENU_ITEM_QUIT: Quit
 * @FERRY_TRAY_MENU_ITEM_ATTENTION: what needs the person ("1 conflict needs
 *   you"), shown below the status line only while something does; it
 *   opens the window on it
 *
 * The menu's items; the values are their dbusmenu ids (the order on
 * screen is the menu's own).
 */
typedef enum {
  FERRY_TRAY_MENU_ITEM_ROOT,
  FERRY_TRAY_MENU_ITEM_STATUS,
  FERRY_TRAY_MENU_ITEM_SEPARATOR_TOP,
  FERRY_TRAY_MENU_ITEM_SYNC_NOW,
  FERRY_TRAY_MENU_ITEM_PAUSE,
  FERRY_TRAY_MENU_ITEM_SEPARATOR_BOTTOM,
  FERRY_TRAY_MENU_ITEM_OPEN,
  FERRY_TRAY_MENU_ITEM_QUIT,
  FERRY_TRAY_MENU_ITEM_ATTENTION,
  FERRY_TRAY_N_MENU_ITEMS
} FerryTrayMenuItem;

#define FERRY_TYPE_TRAY_MENU (ferry_tray_menu_get_type ())

G_DECLARE_FINAL_TYPE (FerryTrayMenu, ferry_tray_menu, FERRY, TRAY_MENU, GObject)

FerryTrayMenu *ferry_tray_menu_new      (GDBusConnection     *connection,
                                         const FerryTrayView *view);
gboolean       ferry_tray_menu_export   (FerryTrayMenu       *self);
void           ferry_tray_menu_set_view (FerryTrayMenu       *self,
                                         const FerryTrayView *view);

G_END_DECLS
