/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-collection.h"
#include "ferry-document-info.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DOCUMENT_LIST (ferry_document_list_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryDocumentList, ferry_document_list, FERRY, DOCUMENT_LIST, GObject)

FERRY_AVAILABLE_IN_ALL
FerryDocumentList *ferry_collection_list_documents     (FerryCollection   *self,
                                                        gboolean           with_bodies);
FERRY_AVAILABLE_IN_ALL
FerryCollection   *ferry_document_list_get_collection  (FerryDocumentList *self);
FERRY_AVAILABLE_IN_ALL
gboolean           ferry_document_list_get_with_bodies (FerryDocumentList *self);
FERRY_AVAILABLE_IN_ALL
guint              ferry_document_list_get_page_size   (FerryDocumentList *self);
FERRY_AVAILABLE_IN_ALL
gboolean           ferry_document_list_get_loading     (FerryDocumentList *self);
FERRY_AVAILABLE_IN_ALL
guint              ferry_document_list_get_list_calls  (FerryDocumentList *self);

G_END_DECLS
