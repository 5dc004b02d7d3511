/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-task-query.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_LIST (ferry_task_list_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskList, ferry_task_list, FERRY, TASK_LIST, GObject)

FerryTaskList  *ferry_task_list_new                (FerryClient    *client,
                                                    FerryTaskQuery *query);

FerryClient    *ferry_task_list_get_client         (FerryTaskList  *self);
FerryTaskQuery *ferry_task_list_get_query          (FerryTaskList  *self);
guint           ferry_task_list_get_page_size      (FerryTaskList  *self);
guint           ferry_task_list_get_max_pages      (FerryTaskList  *self);
gboolean        ferry_task_list_get_loading        (FerryTaskList  *self);
guint           ferry_task_list_get_list_calls     (FerryTaskList  *self);
guint           ferry_task_list_get_count_calls    (FerryTaskList  *self);
guint           ferry_task_list_get_n_cached_pages (FerryTaskList  *self);

void            ferry_task_list_reload             (FerryTaskList  *self);

G_END_DECLS
