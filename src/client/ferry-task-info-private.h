/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-task-info.h"

G_BEGIN_DECLS

FerryTaskInfo *ferry_task_info_new_unloaded (void);
gboolean       ferry_task_info_update          (FerryTaskInfo  *self,
                                                GVariant       *task,
                                                gboolean       *out_changed,
                                                GError        **error);
const char    *ferry_task_info_peek_id         (GVariant       *task);
GVariant      *ferry_task_info_get_variant     (FerryTaskInfo  *self);

G_END_DECLS
