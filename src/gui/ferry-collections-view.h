/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-collection.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTIONS_VIEW (ferry_collections_view_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionsView, ferry_collections_view,
                      FERRY, COLLECTIONS_VIEW, AdwBin)

void  ferry_collections_view_set_client (FerryCollectionsView *self,
                                         FerryClient          *client);
void  ferry_collections_view_reload     (FerryCollectionsView *self);
guint ferry_collections_view_get_count  (FerryCollectionsView *self);
char *ferry_describe_collection         (FerryCollection      *collection,
                                         gint64                now);

GtkWindow *ferry_collections_window_new (GtkWindow            *parent,
                                         FerryClient          *client);

G_END_DECLS
