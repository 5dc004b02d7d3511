/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-caller.h"
#include "ferry-collection-store.h"

G_BEGIN_DECLS

FerryCollectionConfig *ferry_collection_args_parse_config (GVariant             *config,
                                                           char                **out_app_id,
                                                           GError              **error);
gboolean               ferry_collection_args_parse_filter (GVariant             *filter,
                                                           FerryDocumentFilter  *out_filter,
                                                           GError              **error);
GVariant              *ferry_collection_args_document     (const FerryDocument  *doc,
                                                           gboolean              bodies);
GVariant              *ferry_collection_args_summary      (const FerryRunRecord *record,
                                                           const char           *error);
gboolean               ferry_collection_args_check_access (const FerryCaller    *caller,
                                                           const char           *owner,
                                                           GError              **error);

G_END_DECLS
