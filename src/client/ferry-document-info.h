/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DOCUMENT_INFO (ferry_document_info_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryDocumentInfo, ferry_document_info, FERRY, DOCUMENT_INFO, GObject)

FERRY_AVAILABLE_IN_ALL
gboolean    ferry_document_info_get_loaded          (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
const char *ferry_document_info_get_id              (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
gint64      ferry_document_info_get_seq             (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_document_info_get_deleted         (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_document_info_get_dirty           (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean    ferry_document_info_get_conflict        (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
const char *ferry_document_info_get_failed_reason   (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
const char *ferry_document_info_get_conflict_reason (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
gint64      ferry_document_info_get_updated         (FerryDocumentInfo *self);
FERRY_AVAILABLE_IN_ALL
const char *ferry_document_info_get_body            (FerryDocumentInfo *self);

G_END_DECLS
