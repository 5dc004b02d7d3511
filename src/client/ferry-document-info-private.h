/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-document-info.h"

G_BEGIN_DECLS

FerryDocumentInfo *ferry_document_info_new_unloaded     (void);
FerryDocumentInfo *ferry_document_info_new_from_variant (GVariant           *document,
                                                         GError            **error);
void               ferry_document_info_update           (FerryDocumentInfo  *self,
                                                         FerryDocumentInfo  *from,
                                                         gboolean           *out_changed);

G_END_DECLS
