/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ferry-client.h"
#include "ferry-collection-set.h"
#include "ferry-task-list.h"
#include "ferry-ticker.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_VIEW (ferry_task_view_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskView, ferry_task_view, FERRY, TASK_VIEW, GtkWidget)

GtkWidget      *ferry_task_view_new            (const char     *kind);

const char     *ferry_task_view_get_kind       (FerryTaskView  *self);
FerryClient    *ferry_task_view_get_client     (FerryTaskView  *self);
void            ferry_task_view_set_client     (FerryTaskView  *self,
                                                FerryClient    *client);
void            ferry_task_view_set_collections (FerryTaskView     *self,
                                                 FerryCollectionSet *collections);
FerryTicker    *ferry_task_view_get_ticker     (FerryTaskView  *self);
void            ferry_task_view_set_ticker     (FerryTaskView  *self,
                                                FerryTicker    *ticker);
const char     *ferry_task_view_get_search     (FerryTaskView  *self);
void            ferry_task_view_set_search     (FerryTaskView  *self,
                                                const char     *search);
FerryTaskQuery *ferry_task_view_dup_query      (FerryTaskView  *self);
FerryTaskList  *ferry_task_view_get_list       (FerryTaskView  *self);
GtkListView    *ferry_task_view_get_list_view  (FerryTaskView  *self);
guint           ferry_task_view_get_n_items    (FerryTaskView  *self);
const char     *ferry_task_view_get_page       (FerryTaskView  *self);

FerryTaskQuery *ferry_task_view_query_for_kind (const char     *kind);

G_END_DECLS
