/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-task-view.h"
#include "ferry-ticker.h"
#include "ferry-transfer-view.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

FerryWindow   *ferry_window_new                (GtkApplication *application,
                                                FerryClient    *client);

FerryClient   *ferry_window_get_client         (FerryWindow    *self);
FerryTicker   *ferry_window_get_ticker         (FerryWindow    *self);
FerryTaskView *ferry_window_get_view           (FerryWindow    *self,
                                                const char     *kind);
const char    *ferry_window_get_visible_view   (FerryWindow    *self);
void           ferry_window_show_view          (FerryWindow    *self,
                                                const char     *kind);
const char    *ferry_window_show_attention     (FerryWindow    *self);
FerryTransferView *
               ferry_window_get_transfer_view  (FerryWindow    *self);
void           ferry_window_start_agent        (FerryWindow    *self,
                                                gboolean        confirm);
const char    *ferry_window_get_status_text    (FerryWindow    *self);
const char    *ferry_window_get_last_sync_text (FerryWindow    *self);
gboolean       ferry_window_get_banner_visible (FerryWindow    *self);
guint          ferry_window_get_view_count     (FerryWindow    *self,
                                                const char     *kind);
void           ferry_window_set_search         (FerryWindow    *self,
                                                const char     *search);

G_END_DECLS
