/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-pager"

#include "config.h"

#include "ferry-pager-private.h"

/*
 * The page cache of a paged list model (FerryTaskList, FerryDocumentList):
 * rows are fetched a page at a time, only for pages asked for, and at most
 * max-pages pages are kept.  A refresh recounts and reloads every cached
 * page together, then tells the model what moved.  What is counted and
 * listed, and what an item is, the model says through FerryPagerFuncs.
 */

typedef struct
{
  guint      index;
  guint      serial;            /* of the load in flight, 0 when none */
  GPtrArray *items;             /* the model's items, one per row of the page */
  gboolean   failed;            /* the last load failed; wait for a refresh */
} Page;

typedef struct _FerryPagerRefresh
{
  FerryPager            *self;     /* borrowed: the model cancels us in dispose */
  const FerryPagerFuncs *funcs;
  guint                  n_items;
  guint                  outstanding;
  GHashTable            *results;  /* page index → GPtrArray of items */
  gboolean               failed;
} Refresh;

typedef struct
{
  FerryPager            *self;     /* borrowed, as above */
  const FerryPagerFuncs *funcs;
  Refresh               *refresh;  /* NULL for an on-demand page load */
  guint                  index;
  guint                  serial;
  guint                  generation;
} PageLoad;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static Page *
page_new (FerryPager *self,
          guint       index,
          guint       n_rows)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->items = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (page->items, self->funcs->new_unloaded ());
  return page;
}

static void
refresh_free (Refresh *refresh)
{
  g_clear_pointer (&refresh->results, g_hash_table_unref);
  g_free (refresh);
}

static void
notify_loading (FerryPager *self,
                gboolean    was_loading)
{
  if (was_loading != ferry_pager_is_loading (self))
    self->funcs->notify (self->model, FERRY_PAGER_LOADING);
}

static guint
page_rows (FerryPager    *self,
           guint          index,
           guint          n_items)
{
  guint start = index * self->page_size;

  if (start >= n_items)
    return 0;
  return MIN (self->page_size, n_items - start);
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/* Page indexes in the cache, in ascending order. */
static GArray *
dup_page_indexes (FerryPager *self)
{
  GArray *indexes = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                       g_hash_table_size (self->pages));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint index = GPOINTER_TO_UINT (key);
      g_array_append_val (indexes, index);
    }
  g_array_sort (indexes, compare_uint);
  return indexes;
}

/* Emits ::items-changed once per run of consecutive rows in @rows. */
static void
emit_row_runs (FerryPager    *self,
               GArray        *rows)
{
  guint i = 0;

  g_array_sort (rows, compare_uint);
  while (i < rows->len)
    {
      guint first = g_array_index (rows, guint, i);
      guint n = 1;

      while (i + n < rows->len && g_array_index (rows, guint, i + n) == first + n)
        n++;
      g_list_model_items_changed (self->model, first, n, n);
      i += n;
    }
}

/* Drops the pages farthest from @keep until the cache fits. */
static void
evict_pages (FerryPager    *self,
             guint          keep)
{
  while (g_hash_table_size (self->pages) > self->max_pages)
    {
      GHashTableIter iter;
      gpointer key;
      guint victim = keep;
      guint distance = 0;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint index = GPOINTER_TO_UINT (key);
          guint d = index > keep ? index - keep : keep - index;

          if (d > distance)
            {
              distance = d;
              victim = index;
            }
        }
      g_assert (victim != keep);
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (victim));
    }
}

/*
 * Fills @page from a List answer for the current state of the list: rows
 * not loaded yet are filled, loaded rows of the same item are updated in
 * place; a loaded row now showing another item means the rows moved
 * under us, which a refresh sorts out.
 */
static void
apply_page_rows (FerryPager    *self,
                 Page          *page,
                 GPtrArray     *infos)
{
  g_autoptr(GArray) changed_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start = page->index * self->page_size;
  gboolean stale = infos->len < page->items->len;

  for (guint i = 0; i < page->items->len && i < infos->len; i++)
    {
      gpointer item = g_ptr_array_index (page->items, i);
      gpointer info = g_ptr_array_index (infos, i);
      gboolean changed = FALSE;

      if (self->funcs->is_loaded (item)
          && g_strcmp0 (self->funcs->get_id (item), self->funcs->get_id (info)) != 0)
        {
          stale = TRUE;
          continue;
        }
      self->funcs->update (item, info, &changed);
      if (changed)
        {
          guint row = start + i;
          g_array_append_val (changed_rows, row);
        }
    }

  emit_row_runs (self, changed_rows);

  if (stale)
    ferry_pager_schedule_refresh (self);
}

static void
page_load_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree PageLoad *load = user_data;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  FerryPager *self;
  Page *page;

  infos = load->funcs->list_finish (object, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = load->self;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (load->index));
  if (page == NULL || page->serial != load->serial)
    return;
  page->serial = 0;

  if (infos == NULL)
    {
      g_debug ("Could not load the rows from %u: %s",
               load->index * self->page_size, error->message);
      page->failed = TRUE;
      return;
    }

  /* The rows changed while the page was on its way; the refresh that
   * the change scheduled reloads every cached page, this one included. */
  if (load->generation != self->generation)
    return;

  apply_page_rows (self, page, infos);
}

static void
load_page (FerryPager *self,
           Page       *page)
{
  PageLoad *load = g_new0 (PageLoad, 1);

  load->self = self;
  load->funcs = self->funcs;
  load->index = page->index;
  load->serial = page->serial = ++self->load_serial;
  load->generation = self->generation;

  self->list_calls++;
  self->funcs->notify (self->model, FERRY_PAGER_LIST_CALLS);
  self->funcs->list_async (self->model, page->index * self->page_size, self->page_size,
                           self->cancellable, page_load_cb, load);
}

/* The first row whose object cannot stay: where a loaded row now shows
 * another item, or G_MAXUINT when no cached row says so. */
static guint
find_first_moved_row (FerryPager    *self,
                      Refresh       *refresh,
                      GArray        *indexes)
{
  for (guint k = 0; k < indexes->len; k++)
    {
      guint index = g_array_index (indexes, guint, k);
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      GPtrArray *infos = g_hash_table_lookup (refresh->results, GUINT_TO_POINTER (index));
      guint start = index * self->page_size;

      if (infos == NULL)
        continue;

      for (guint i = 0; i < page->items->len; i++)
        {
          gpointer item = g_ptr_array_index (page->items, i);

          if (!self->funcs->is_loaded (item))
            continue;
          if (start + i >= refresh->n_items || i >= infos->len
              || g_strcmp0 (self->funcs->get_id (item),
                            self->funcs->get_id (g_ptr_array_index (infos, i))) != 0)
            return start + i;
        }
    }
  return G_MAXUINT;
}

/* The loaded items of the cached pages, by id: items that move keep
 * their objects, so holders see them update. */
static GHashTable *
dup_items_by_id (FerryPager    *self,
                 GArray        *indexes)
{
  GHashTable *by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (guint k = 0; k < indexes->len; k++)
    {
      Page *page = g_hash_table_lookup (self->pages,
                                        GUINT_TO_POINTER (g_array_index (indexes, guint, k)));

      for (guint i = 0; i < page->items->len; i++)
        {
          gpointer item = g_ptr_array_index (page->items, i);

          if (self->funcs->is_loaded (item))
            g_hash_table_replace (by_id, (gpointer) self->funcs->get_id (item),
                                  g_object_ref (item));
        }
    }
  return by_id;
}

/* The object for @row after a refresh: before @first_moved the row keeps
 * its object, updated in place (its row goes into @changed_rows when that
 * changed it); after, an item already held elsewhere keeps its object, and
 * a row whose page did not reload is unloaded. */
static gpointer
refreshed_item (FerryPager    *self,
                guint          row,
                guint          first_moved,
                gpointer       old_item,
                gpointer       info,
                GHashTable    *by_id,
                GArray        *changed_rows)
{
  gpointer known;
  gboolean changed = FALSE;

  if (row < first_moved && old_item != NULL)
    {
      if (info != NULL)
        self->funcs->update (old_item, info, &changed);
      if (changed)
        g_array_append_val (changed_rows, row);
      return g_object_ref (old_item);
    }
  if (info == NULL)
    return self->funcs->new_unloaded ();

  known = g_hash_table_lookup (by_id, self->funcs->get_id (info));
  if (known == NULL)
    return g_object_ref (info);
  self->funcs->update (known, info, NULL);
  return g_object_ref (known);
}

/* Gives the cached page @index its rows for @n_items items; drops it when
 * it has none left. */
static void
refresh_page (FerryPager    *self,
              Refresh       *refresh,
              guint          index,
              guint          first_moved,
              GHashTable    *by_id,
              GArray        *changed_rows)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  GPtrArray *infos = g_hash_table_lookup (refresh->results, GUINT_TO_POINTER (index));
  guint start = index * self->page_size;
  guint n_rows = page_rows (self, index, refresh->n_items);
  g_autoptr(GPtrArray) items = NULL;

  if (n_rows == 0)
    {
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (index));
      return;
    }

  items = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    {
      gpointer old_item = i < page->items->len ? g_ptr_array_index (page->items, i) : NULL;
      gpointer info = infos != NULL && i < infos->len ? g_ptr_array_index (infos, i) : NULL;

      g_ptr_array_add (items, refreshed_item (self, start + i, first_moved, old_item, info, by_id,
                                              changed_rows));
    }

  g_ptr_array_unref (page->items);
  page->items = g_steal_pointer (&items);
  page->failed = FALSE;
  if (infos != NULL)
    page->serial = 0;
}

/*
 * Puts a finished refresh into effect: the new count, the reloaded pages,
 * and ::items-changed for what moved.  The first row whose object cannot
 * stay is where a loaded row now shows another item, or where the count
 * changed when nothing cached says earlier.
 */
static void
apply_refresh (FerryPager    *self,
               Refresh       *refresh)
{
  g_autoptr(GArray) indexes = dup_page_indexes (self);
  g_autoptr(GArray) changed_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) by_id = NULL;
  guint old_n = self->n_items;
  guint new_n = refresh->n_items;
  guint p = find_first_moved_row (self, refresh, indexes);

  if (old_n != new_n)
    p = MIN (p, MIN (old_n, new_n));

  by_id = dup_items_by_id (self, indexes);
  for (guint k = 0; k < indexes->len; k++)
    refresh_page (self, refresh, g_array_index (indexes, guint, k), p, by_id, changed_rows);

  self->n_items = new_n;

  if (p != G_MAXUINT)
    g_list_model_items_changed (self->model, p, old_n - p, new_n - p);
  emit_row_runs (self, changed_rows);
}

static void
finish_refresh (Refresh *refresh)
{
  FerryPager *self = refresh->self;

  if (!refresh->failed)
    apply_refresh (self, refresh);

  self->refresh = NULL;
  refresh_free (refresh);

  if (self->refresh_again)
    ferry_pager_schedule_refresh (self);
  notify_loading (self, TRUE);
}

static void
refresh_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree PageLoad *load = user_data;
  Refresh *refresh = load->refresh;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;

  infos = load->funcs->list_finish (object, result, &error);
  refresh->outstanding--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (refresh->outstanding == 0)
        refresh_free (refresh);
      return;
    }

  if (infos == NULL)
    g_debug ("Could not reload the rows from %u: %s",
             load->index * refresh->self->page_size, error->message);
  else
    g_hash_table_insert (refresh->results, GUINT_TO_POINTER (load->index),
                         g_steal_pointer (&infos));

  if (refresh->outstanding == 0)
    finish_refresh (refresh);
}

static void
refresh_count_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refresh *refresh = user_data;
  FerryPager *self;
  g_autoptr(GArray) indexes = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  refresh->outstanding--;
  if (!refresh->funcs->count_finish (object, result, &count, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          refresh_free (refresh);
          return;
        }
      g_debug ("Could not count the rows: %s", error->message);
      refresh->failed = TRUE;
      finish_refresh (refresh);
      return;
    }

  self = refresh->self;
  refresh->n_items = count;

  /* Reload the pages in the cache now; pages that appear later are
   * loaded on demand. */
  indexes = dup_page_indexes (self);
  for (guint k = 0; k < indexes->len; k++)
    {
      guint index = g_array_index (indexes, guint, k);
      PageLoad *load;

      if (page_rows (self, index, count) == 0)
        continue;

      load = g_new0 (PageLoad, 1);
      load->self = self;
      load->funcs = self->funcs;
      load->refresh = refresh;
      load->index = index;
      refresh->outstanding++;
      self->list_calls++;
      self->funcs->list_async (self->model, index * self->page_size, self->page_size,
                               self->cancellable, refresh_page_cb, load);
    }
  if (indexes->len > 0)
    self->funcs->notify (self->model, FERRY_PAGER_LIST_CALLS);

  if (refresh->outstanding == 0)
    finish_refresh (refresh);
}

/* Callers notify :loading; it is TRUE from here on. */
void
ferry_pager_start_refresh (FerryPager *self)
{
  Refresh *refresh;

  g_assert (self->refresh == NULL);

  refresh = g_new0 (Refresh, 1);
  refresh->self = self;
  refresh->funcs = self->funcs;
  refresh->results = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  refresh->outstanding = 1;
  self->refresh_again = FALSE;
  self->refresh = refresh;

  self->count_calls++;
  self->funcs->notify (self->model, FERRY_PAGER_COUNT_CALLS);
  self->funcs->count_async (self->model, self->cancellable, refresh_count_cb, refresh);
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  FerryPager *self = user_data;

  /* Still loading throughout: no notification. */
  self->refresh_source_id = 0;
  g_assert (self->refresh == NULL);
  ferry_pager_start_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces bursts of changes into one refresh. */
void
ferry_pager_schedule_refresh (FerryPager *self)
{
  gboolean was_loading = ferry_pager_is_loading (self);

  self->generation++;

  if (self->refresh != NULL)
    {
      self->refresh_again = TRUE;
      return;
    }
  if (self->refresh_source_id != 0)
    return;

  self->refresh_source_id = g_timeout_add (self->refresh_delay, on_refresh_timeout, self);
  g_source_set_name_by_id (self->refresh_source_id, "[ferry] list refresh");
  notify_loading (self, was_loading);
}

/* Sets @self up for @model, for the model's init. */
void
ferry_pager_init (FerryPager            *self,
                  GListModel            *model,
                  const FerryPagerFuncs *funcs)
{
  self->model = model;
  self->funcs = funcs;
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->page_size = 100;
  self->max_pages = 8;
  self->refresh_delay = 100;
}

/* Stops everything in flight and drops the pages, for the model's
 * dispose.  Calls in flight hold plain pointers to @self: cancelling makes
 * their callbacks only free their own state. */
void
ferry_pager_dispose (FerryPager *self)
{
  g_cancellable_cancel (self->cancellable);
  self->refresh = NULL;
  g_clear_handle_id (&self->refresh_source_id, g_source_remove);
  g_hash_table_remove_all (self->pages);
}

/* For the model's finalize. */
void
ferry_pager_finalize (FerryPager *self)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
}

/* Loading: a recount is due or in flight. */
gboolean
ferry_pager_is_loading (FerryPager *self)
{
  return self->refresh != NULL || self->refresh_source_id != 0;
}

/* GListModel.get_item: the item at @position, unloaded until its page
 * arrives; asking for it starts loading its page. */
gpointer
ferry_pager_dup_item (FerryPager *self,
                      guint       position)
{
  gpointer item;
  guint index;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  index = position / self->page_size;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = page_new (self, index, page_rows (self, index, self->n_items));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
    }

  item = g_object_ref (g_ptr_array_index (page->items, position - index * self->page_size));

  if (!self->funcs->is_loaded (item) && page->serial == 0 && !page->failed)
    load_page (self, page);

  evict_pages (self, index);

  return item;
}
