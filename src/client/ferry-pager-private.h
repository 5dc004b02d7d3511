/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The page cache shared by the library's paged list models (ferry-pager.c):
 * the model embeds a FerryPager, says through FerryPagerFuncs how to count
 * and list its rows and what its items are, and answers
 * GListModel.get_item() with ferry_pager_dup_item().
 */

typedef enum
{
  FERRY_PAGER_LOADING,       /* ferry_pager_is_loading() changed */
  FERRY_PAGER_LIST_CALLS,    /* list-calls grew */
  FERRY_PAGER_COUNT_CALLS,   /* count-calls grew */
} FerryPagerNotify;

typedef struct
{
  /* The number of rows; finished with the source object of the call. */
  void        (*count_async)  (GListModel          *model,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  gboolean    (*count_finish) (GObject             *source,
                               GAsyncResult        *result,
                               guint               *out_count,
                               GError             **error);
  /* At most @limit rows from @offset, as a GPtrArray of new items. */
  void        (*list_async)   (GListModel          *model,
                               guint                offset,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  GPtrArray  *(*list_finish)  (GObject             *source,
                               GAsyncResult        *result,
                               GError             **error);
  /* Items: GObjects that start unloaded and are filled in place. */
  gpointer    (*new_unloaded) (void);
  gboolean    (*is_loaded)    (gpointer             item);
  const char *(*get_id)       (gpointer             item);
  void        (*update)       (gpointer             item,
                               gpointer             from,
                               gboolean            *out_changed);
  void        (*notify)       (GListModel          *model,
                               FerryPagerNotify     what);
} FerryPagerFuncs;

typedef struct _FerryPagerRefresh FerryPagerRefresh;

typedef struct
{
  /* borrowed */
  GListModel            *model;
  const FerryPagerFuncs *funcs;

  /* owned */
  GCancellable          *cancellable;
  GHashTable            *pages;          /* page index → page */

  /* borrowed: owned by its callbacks until it completes */
  FerryPagerRefresh     *refresh;        /* the recount in flight, or NULL */

  /* state */
  guint                  n_items;
  guint                  page_size;
  guint                  max_pages;
  guint                  refresh_delay;
  guint                  refresh_source_id;
  gboolean               refresh_again;
  guint                  generation;
  guint                  load_serial;
  guint                  list_calls;
  guint                  count_calls;
} FerryPager;

void     ferry_pager_init             (FerryPager            *self,
                                       GListModel            *model,
                                       const FerryPagerFuncs *funcs);
void     ferry_pager_dispose          (FerryPager            *self);
void     ferry_pager_finalize         (FerryPager            *self);
gboolean ferry_pager_is_loading       (FerryPager            *self);
gpointer ferry_pager_dup_item         (FerryPager            *self,
                                       guint                  position);
void     ferry_pager_start_refresh    (FerryPager            *self);
void     ferry_pager_schedule_refresh (FerryPager            *self);

G_END_DECLS
