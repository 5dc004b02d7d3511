/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DETAILS_WINDOW (ferry_details_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryDetailsWindow, ferry_details_window, FERRY, DETAILS_WINDOW, AdwWindow)

GtkWidget     *ferry_details_window_new        (FerryClient        *client,
                                                const char         *id);

const char    *ferry_details_window_get_id     (FerryDetailsWindow *self);
FerryTaskInfo *ferry_details_window_get_info   (FerryDetailsWindow *self);
char          *ferry_details_window_dup_text   (FerryDetailsWindow *self);

G_END_DECLS
