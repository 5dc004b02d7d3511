/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-notifier.h"
#include "ferry-window.h"

G_BEGIN_DECLS

#define FERRY_TYPE_APPLICATION (ferry_application_get_type ())

G_DECLARE_FINAL_TYPE (FerryApplication, ferry_application, FERRY, APPLICATION, AdwApplication)

FerryApplication *ferry_application_new                (void);

FerryClient      *ferry_application_get_client         (FerryApplication *self);
GSettings        *ferry_application_get_settings       (FerryApplication *self);
FerryNotifier    *ferry_application_get_notifier       (FerryApplication *self);
FerryWindow      *ferry_application_get_window         (FerryApplication *self);
GObject          *ferry_application_get_tray           (FerryApplication *self);
gboolean          ferry_application_get_tray_available (void);

G_END_DECLS
