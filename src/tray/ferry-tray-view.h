/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-status.h"

G_BEGIN_DECLS

/* Icons are named after the product, whatever the build profile. */
#define FERRY_TRAY_ICON_SYNCED    "io.github.ferrysync.Ferry-synced-symbolic"
#define FERRY_TRAY_ICON_SYNCING   "io.github.ferrysync.Ferry-syncing-symbolic"
#define FERRY_TRAY_ICON_OFFLINE   "io.github.ferrysync.Ferry-offline-symbolic"
#define FERRY_TRAY_ICON_PAUSED    "io.github.ferrysync.Ferry-paused-symbolic"
#define FERRY_TRAY_ICON_ATTENTION "io.github.ferrysync.Ferry-attention-symbolic"

#define FERRY_TRAY_STATUS_ACTIVE          "Active"
#define FERRY_TRAY_STATUS_NEEDS_ATTENTION "NeedsAttention"

/**
 * FerryTrayView:
 * @icon_name: the item's IconName (static)
 * @status: the item's Status (static): Active or NeedsAttention
 * @title: the item's Title and the tooltip's title
 * @description: the tooltip's other lines, or ""
 * @paused: whether the menu's Paused item is checked
 * @attention: (nullable): what needs the person, for the menu item that
 *   opens it; %NULL hides the item
 *
 * What the tray item shows.
 */
typedef struct
{
  const char *icon_name;
  const char *status;
  char       *title;
  char       *description;
  gboolean    paused;
  char       *attention;
} FerryTrayView;

/**
 * FerryTrayViewChanges:
 * @FERRY_TRAY_VIEW_SAME: nothing differs
 * @FERRY_TRAY_VIEW_ICON: the icon name
 * @FERRY_TRAY_VIEW_STATUS: the status
 * @FERRY_TRAY_VIEW_TITLE: the title
 * @FERRY_TRAY_VIEW_DESCRIPTION: the tooltip's other lines
 * @FERRY_TRAY_VIEW_PAUSED: whether sending is paused
 * @FERRY_TRAY_VIEW_ATTENTION: what needs the person
 *
 * What differs between two views: what the item and the menu tell hosts
 * about.
 */
typedef enum {
  FERRY_TRAY_VIEW_SAME        = 0,
  FERRY_TRAY_VIEW_ICON        = 1 << 0,
  FERRY_TRAY_VIEW_STATUS      = 1 << 1,
  FERRY_TRAY_VIEW_TITLE       = 1 << 2,
  FERRY_TRAY_VIEW_DESCRIPTION = 1 << 3,
  FERRY_TRAY_VIEW_PAUSED      = 1 << 4,
  FERRY_TRAY_VIEW_ATTENTION   = 1 << 5,
} FerryTrayViewChanges;

void                 ferry_tray_view_from_status (FerryTrayView       *view,
                                                  const FerryStatus   *status,
                                                  gboolean             paused);
void                 ferry_tray_view_copy        (FerryTrayView       *dest,
                                                  const FerryTrayView *src);
FerryTrayViewChanges ferry_tray_view_diff        (const FerryTrayView *old_view,
                                                  const FerryTrayView *new_view);
void                 ferry_tray_view_clear       (FerryTrayView       *view);

G_END_DECLS
