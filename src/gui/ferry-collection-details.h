/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-collection.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTION_DETAILS (ferry_collection_details_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionDetails, ferry_collection_details,
                      FERRY, COLLECTION_DETAILS, AdwWindow)

GtkWindow  *ferry_collection_details_new          (GtkWindow              *parent,
                                                   FerryCollection        *collection);
guint       ferry_collection_details_get_n_runs   (FerryCollectionDetails *self);
const char *ferry_collection_details_get_endpoint (FerryCollectionDetails *self);
char       *ferry_collection_details_dup_text     (FerryCollectionDetails *self);
char       *ferry_format_run_summary              (GVariant               *run);
char       *ferry_format_run_phases               (GVariant               *run);

G_END_DECLS
