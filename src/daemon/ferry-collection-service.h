/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-caller-cache.h"
#include "ferry-collection-manager.h"
#include "ferry-dbus-generated.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTION_SERVICE (ferry_collection_service_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionService, ferry_collection_service,
                      FERRY, COLLECTION_SERVICE, GObject)

FerryCollectionService *ferry_collection_service_new    (FerryCallerCache       *callers,
                                                         FerryDBusAgent         *agent,
                                                         GDBusConnection        *connection);
void                    ferry_collection_service_attach (FerryCollectionService *self,
                                                         FerryCollectionManager *manager);
void                    ferry_collection_service_serve  (FerryCollectionService *self,
                                                         GDBusConnection        *connection);
void                    ferry_collection_service_retire (FerryCollectionService *self,
                                                         GDBusConnection        *connection);

G_END_DECLS
