/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-collection.h"
#include "ferry-status.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTION_SET (ferry_collection_set_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionSet, ferry_collection_set, FERRY, COLLECTION_SET, GObject)

FerryCollectionSet *ferry_collection_set_new               (FerryClient               *client);
GPtrArray          *ferry_collection_set_get_collections   (FerryCollectionSet        *self);
gboolean            ferry_collection_set_get_loaded        (FerryCollectionSet        *self);
void                ferry_collection_set_reload            (FerryCollectionSet        *self);
void                ferry_collection_set_add_to_snapshot   (FerryCollectionSet        *self,
                                                            FerryStatusSnapshot       *snapshot);
void                ferry_status_snapshot_add_collection   (FerryStatusSnapshot       *snapshot,
                                                            FerryCollection           *collection);

G_END_DECLS
