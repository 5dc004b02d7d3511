/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ferry-client.h"
#include "ferry-client-transfers.h"
#include "ferry-transfer-info.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_ROW (ferry_transfer_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, FERRY, TRANSFER_ROW, GtkListBoxRow)

GtkWidget         *ferry_transfer_row_new           (FerryTransferInfo *info);
FerryTransferInfo *ferry_transfer_row_get_info      (FerryTransferRow  *self);
void               ferry_transfer_row_set_info      (FerryTransferRow  *self,
                                                     FerryTransferInfo *info);
void               ferry_transfer_row_update        (FerryTransferRow  *self);
double             ferry_transfer_row_get_fraction  (FerryTransferRow  *self);

G_END_DECLS
