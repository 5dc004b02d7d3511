/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-task-list.h"

G_BEGIN_DECLS

/*
 * FerryTaskList is one object in two files: ferry-task-list.c (the object,
 * its properties, the GListModel and the agent's signals it follows) and
 * ferry-task-list-pages.c (the page cache: loading pages on demand,
 * evicting them, and the refresh that recounts and reloads them).
 */

typedef struct _FerryTaskListRefresh FerryTaskListRefresh;

struct _FerryTaskList
{
  GObject parent_instance;

  /* owned */
  FerryClient *client;
  FerryTaskQuery *query;
  GCancellable *cancellable;
  GHashTable *pages;            /* page index → page */

  /* borrowed: owned by its callbacks until it completes */
  FerryTaskListRefresh *refresh;  /* the recount in flight, or NULL */

  /* state */
  guint n_items;
  guint page_size;
  guint max_pages;
  guint refresh_delay;
  guint refresh_source_id;
  gboolean refresh_again;
  guint generation;
  guint load_serial;
  guint list_calls;
  guint count_calls;
};

/* ferry-task-list.c */
gboolean    ferry_task_list_is_loading          (FerryTaskList *self);
void        ferry_task_list_notify_loading      (FerryTaskList *self,
                                                 gboolean       was_loading);
void        ferry_task_list_notify_list_calls   (FerryTaskList *self);
void        ferry_task_list_notify_count_calls  (FerryTaskList *self);

/* ferry-task-list-pages.c */
GHashTable *ferry_task_list_new_pages           (void);
gpointer    ferry_task_list_dup_item            (FerryTaskList *self,
                                                 guint          position);
void        ferry_task_list_start_refresh       (FerryTaskList *self);
void        ferry_task_list_schedule_refresh    (FerryTaskList *self);

G_END_DECLS
