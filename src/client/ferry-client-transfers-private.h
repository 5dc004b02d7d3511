/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-client.h"

G_BEGIN_DECLS

/* What the client knows of the transfers moving now, from their progress
 * signals: for the status line of the window and the tray. */
void ferry_client_note_transfer         (FerryClient *self,
                                         const char  *id,
                                         gboolean     upload,
                                         gint64       done,
                                         gint64       total,
                                         guint64      rate);
void ferry_client_stop_transfer         (FerryClient *self,
                                         const char  *id);
void ferry_client_forget_stopped_transfers (FerryClient *self);
void ferry_client_forget_transfer       (FerryClient *self,
                                         const char  *id);
void ferry_client_get_transfer_summary  (FerryClient *self,
                                         guint       *out_downloads,
                                         guint       *out_uploads,
                                         gint64      *out_done,
                                         gint64      *out_total);

G_END_DECLS
