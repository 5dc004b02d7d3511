/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_STORAGE_PAGE (ferry_storage_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryStoragePage, ferry_storage_page, FERRY, STORAGE_PAGE,
                      AdwPreferencesPage)

GtkWidget   *ferry_storage_page_new         (FerryClient      *client,
                                             GSettings        *settings);
void         ferry_storage_page_reload      (FerryStoragePage *self);
AdwActionRow *ferry_storage_page_find_row   (FerryStoragePage *self,
                                             const char       *owner);
gboolean     ferry_storage_page_get_loaded  (FerryStoragePage *self);

G_END_DECLS
