/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-transfer-row.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_VIEW (ferry_transfer_view_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferView, ferry_transfer_view, FERRY, TRANSFER_VIEW, AdwBin)

GtkWidget        *ferry_transfer_view_new              (void);
FerryClient      *ferry_transfer_view_get_client       (FerryTransferView *self);
void              ferry_transfer_view_set_client       (FerryTransferView *self,
                                                        FerryClient       *client);
guint             ferry_transfer_view_get_active_count (FerryTransferView *self);
guint             ferry_transfer_view_get_n_rows       (FerryTransferView *self);
FerryTransferRow *ferry_transfer_view_find_row         (FerryTransferView *self,
                                                        const char        *id);
void              ferry_transfer_view_reload           (FerryTransferView *self);

G_END_DECLS
