/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client.h"
#include "ferry-task-query.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_LIST (ferry_task_list_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryTaskList, ferry_task_list, FERRY, TASK_LIST, GObject)

FERRY_AVAILABLE_IN_ALL
FerryTaskList  *ferry_task_list_new                (FerryClient    *client,
                                                    FerryTaskQuery *query);

FERRY_AVAILABLE_IN_ALL
FerryClient    *ferry_task_list_get_client         (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
FerryTaskQuery *ferry_task_list_get_query          (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_list_get_page_size      (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_list_get_max_pages      (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
gboolean        ferry_task_list_get_loading        (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_list_get_list_calls     (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_list_get_count_calls    (FerryTaskList  *self);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_list_get_n_cached_pages (FerryTaskList  *self);

G_END_DECLS
