/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-task-fields.h"
#include "ferry-task-info.h"

G_BEGIN_DECLS

/* One object in two files: ferry-task-info.c (the object, its properties
 * and their getters) and ferry-task-info-payload.c (the other getters). */
struct _FerryTaskInfo
{
  GObject parent_instance;

  /* owned */
  GVariant *variant;            /* what the fields were read from; NULL while unloaded */
  FerryTaskFields fields;
};

FerryTaskInfo *ferry_task_info_new_from_variant (GVariant       *task,
                                                GError        **error);
FerryTaskInfo *ferry_task_info_new_unloaded (void);
gboolean       ferry_task_info_update          (FerryTaskInfo  *self,
                                                GVariant       *task,
                                                gboolean       *out_changed,
                                                GError        **error);
const char    *ferry_task_info_peek_id         (GVariant       *task);
GVariant      *ferry_task_info_get_variant     (FerryTaskInfo  *self);

G_END_DECLS
