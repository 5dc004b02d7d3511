/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ferry-client.h"
#include "ferry-ticker.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_ROW (ferry_task_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskRow, ferry_task_row, FERRY, TASK_ROW, GtkWidget)

GtkWidget     *ferry_task_row_new         (FerryTicker   *ticker);

FerryTaskInfo *ferry_task_row_get_info    (FerryTaskRow  *self);
void           ferry_task_row_set_info    (FerryTaskRow  *self,
                                           FerryTaskInfo *info);
FerryTicker   *ferry_task_row_get_ticker  (FerryTaskRow  *self);
gboolean       ferry_task_row_get_ticking (FerryTaskRow  *self);

G_END_DECLS
