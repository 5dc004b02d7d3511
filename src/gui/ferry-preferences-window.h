/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-storage-page.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PREFERENCES_WINDOW (ferry_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window,
                      FERRY, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *ferry_preferences_window_new              (GSettings              *settings,
                                                      gboolean                tray_available);

GSettings *ferry_preferences_window_get_settings     (FerryPreferencesWindow *self);
FerryStoragePage *
           ferry_preferences_window_add_storage      (FerryPreferencesWindow *self,
                                                      FerryClient            *client);

G_END_DECLS
