/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-client-transfers.h"
#include "ferry-transfer-info.h"

G_BEGIN_DECLS

/*
 * The words of the Transfers view: what a download or upload is doing, how
 * far it is, how fast it moves and how long it still needs.
 */
char       *ferry_transfer_format_time_left (guint64            seconds);
char       *ferry_transfer_format_progress  (gint64             done,
                                             gint64             total,
                                             guint64            rate);
const char *ferry_transfer_format_state     (FerryTransferInfo *info);
double      ferry_transfer_fraction         (gint64             done,
                                             gint64             total);

G_END_DECLS
