/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_INFO (ferry_transfer_info_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryTransferInfo, ferry_transfer_info, FERRY, TRANSFER_INFO, GObject)

FERRY_AVAILABLE_IN_ALL
const char           *ferry_transfer_info_get_id          (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
const char           *ferry_transfer_info_get_owner       (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean              ferry_transfer_info_is_upload       (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
FerryClientTaskState  ferry_transfer_info_get_state       (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
const char           *ferry_transfer_info_get_name        (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
const char           *ferry_transfer_info_get_url         (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
const char           *ferry_transfer_info_get_destination (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gint64                ferry_transfer_info_get_done        (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gint64                ferry_transfer_info_get_total       (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
guint64               ferry_transfer_info_get_rate        (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean              ferry_transfer_info_get_pinned      (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean              ferry_transfer_info_get_paused      (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
gboolean              ferry_transfer_info_get_complete    (FerryTransferInfo *self);
FERRY_AVAILABLE_IN_ALL
void                  ferry_transfer_info_set_progress    (FerryTransferInfo *self,
                                                           gint64             done,
                                                           gint64             total,
                                                           guint64            rate);

G_END_DECLS
