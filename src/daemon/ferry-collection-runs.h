/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection-manager.h"

G_BEGIN_DECLS

#define FERRY_COLLECTION_RUNS_MAX_LIMIT 100

char     *ferry_collection_runs_dup_endpoint (const char              *url);
GVariant *ferry_collection_runs_list         (FerryCollectionManager  *manager,
                                              FerryCollection         *collection,
                                              GVariant                *parameters,
                                              GError                 **error);

G_END_DECLS
