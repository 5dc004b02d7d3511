/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-collection-set.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DOC_CONFLICTS (ferry_doc_conflicts_get_type ())

G_DECLARE_FINAL_TYPE (FerryDocConflicts, ferry_doc_conflicts, FERRY, DOC_CONFLICTS, AdwBin)

void           ferry_doc_conflicts_set_source (FerryDocConflicts  *self,
                                               FerryClient        *client,
                                               FerryCollectionSet *collections,
                                               GtkWidget          *task_view);
guint          ferry_doc_conflicts_get_count  (FerryDocConflicts  *self);
GtkListBoxRow *ferry_doc_conflicts_get_row    (FerryDocConflicts  *self,
                                               guint               index);

G_END_DECLS
