/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-list"

#include "config.h"

#include "ferry-task-info-private.h"
#include "ferry-task-list.h"

/**
 * FerryTaskList:
 *
 * A #GListModel of the tasks a #FerryTaskQuery matches, paged from the
 * agent on demand, so a view over 100,000 tasks stays cheap.
 *
 * The number of items comes from `Count`.  Items are fetched with `List`,
 * one page (#FerryTaskList:page-size rows) at a time, and only for pages
 * actually asked for: g_list_model_get_item() on a row whose page has not
 * arrived returns an unloaded #FerryTaskInfo (#FerryTaskInfo:loaded is
 * %FALSE) that fills in when its page arrives, at which point
 * #GListModel::items-changed is emitted for the page.  At most
 * #FerryTaskList:max-pages pages are kept; the ones farthest from the last
 * row asked for are dropped first.
 *
 * The list follows the agent's signals: a burst of added or changed tasks
 * leads to one recount and one reload of the cached pages, after which
 * ::items-changed describes what moved.  Rows before the first row known to
 * differ keep their objects (updated in place); everything from that row
 * on is reported as replaced.
 */
struct _FerryTaskList
{
  GObject parent_instance;

  /* owned */
  FerryClient *client;
  FerryTaskQuery *query;
  GCancellable *cancellable;
  GHashTable *pages;            /* page index → Page * */

  /* borrowed: owned by its callbacks until it completes */
  struct _Refresh *refresh;       /* the recount in flight, or NULL */

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

static void ferry_task_list_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTaskList, ferry_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ferry_task_list_list_model_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_QUERY,
  PROP_PAGE_SIZE,
  PROP_MAX_PAGES,
  PROP_REFRESH_DELAY,
  PROP_LOADING,
  PROP_LIST_CALLS,
  PROP_COUNT_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint      index;
  guint      serial;            /* of the load in flight, 0 when none */
  GPtrArray *items;             /* FerryTaskInfo *, one per row of the page */
  gboolean   failed;            /* the last load failed; wait for a refresh */
} Page;

typedef struct _Refresh
{
  FerryTaskList *self;          /* borrowed: the list cancels us in dispose */
  guint          n_items;
  guint          outstanding;
  GHashTable    *results;       /* page index → GPtrArray of FerryTaskInfo */
  gboolean       failed;
} Refresh;

typedef struct
{
  FerryTaskList *self;          /* borrowed, as above */
  Refresh       *refresh;       /* NULL for an on-demand page load */
  guint          index;
  guint          serial;
  guint          generation;
} PageLoad;

static void schedule_refresh (FerryTaskList *self);
static void start_refresh (FerryTaskList *self);

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static Page *
page_new (guint index,
          guint n_rows)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->items = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (page->items, ferry_task_info_new_unloaded ());
  return page;
}

static void
refresh_free (Refresh *refresh)
{
  g_clear_pointer (&refresh->results, g_hash_table_unref);
  g_free (refresh);
}

static guint
page_rows (FerryTaskList *self,
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
dup_page_indexes (FerryTaskList *self)
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
emit_row_runs (FerryTaskList *self,
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
      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
      i += n;
    }
}

/* Loading: a recount is due or in flight. */
static gboolean
is_loading (FerryTaskList *self)
{
  return self->refresh != NULL || self->refresh_source_id != 0;
}

static void
notify_loading (FerryTaskList *self,
                gboolean       was_loading)
{
  if (was_loading != is_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Drops the pages farthest from @keep until the cache fits. */
static void
evict_pages (FerryTaskList *self,
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
 * not loaded yet are filled, loaded rows of the same task are updated in
 * place; a loaded row now showing another task means the queue moved
 * under us, which a refresh sorts out.
 */
static void
apply_page_rows (FerryTaskList *self,
                 Page          *page,
                 GPtrArray     *infos)
{
  g_autoptr(GArray) changed_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start = page->index * self->page_size;
  gboolean stale = infos->len < page->items->len;

  for (guint i = 0; i < page->items->len && i < infos->len; i++)
    {
      FerryTaskInfo *item = g_ptr_array_index (page->items, i);
      FerryTaskInfo *info = g_ptr_array_index (infos, i);
      gboolean changed = FALSE;

      if (ferry_task_info_get_loaded (item)
          && g_strcmp0 (ferry_task_info_get_id (item), ferry_task_info_get_id (info)) != 0)
        {
          stale = TRUE;
          continue;
        }
      ferry_task_info_update (item, ferry_task_info_get_variant (info), &changed, NULL);
      if (changed)
        {
          guint row = start + i;
          g_array_append_val (changed_rows, row);
        }
    }

  emit_row_runs (self, changed_rows);

  if (stale)
    schedule_refresh (self);
}

static void
page_load_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree PageLoad *load = user_data;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  FerryTaskList *self;
  Page *page;

  infos = ferry_client_list_finish (FERRY_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = load->self;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (load->index));
  if (page == NULL || page->serial != load->serial)
    return;
  page->serial = 0;

  if (infos == NULL)
    {
      g_debug ("Could not load tasks from row %u: %s",
               load->index * self->page_size, error->message);
      page->failed = TRUE;
      return;
    }

  /* The queue changed while the page was on its way; the refresh that
   * the change scheduled reloads every cached page, this one included. */
  if (load->generation != self->generation)
    return;

  apply_page_rows (self, page, infos);
}

static void
load_page (FerryTaskList *self,
           Page          *page)
{
  PageLoad *load = g_new0 (PageLoad, 1);

  load->self = self;
  load->index = page->index;
  load->serial = page->serial = ++self->load_serial;
  load->generation = self->generation;

  self->list_calls++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_CALLS]);
  ferry_client_list_async (self->client, self->query, page->index * self->page_size,
                           self->page_size, self->cancellable, page_load_cb, load);
}

/*
 * Puts a finished refresh into effect: the new count, the reloaded pages,
 * and ::items-changed for what moved.  @p, the first row whose object
 * cannot stay, is where a loaded row now shows another task, or where the
 * count changed when nothing cached says earlier.
 */
static void
apply_refresh (FerryTaskList *self,
               Refresh       *refresh)
{
  g_autoptr(GArray) indexes = dup_page_indexes (self);
  g_autoptr(GArray) changed_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) by_id = NULL;
  guint old_n = self->n_items;
  guint new_n = refresh->n_items;
  guint p = G_MAXUINT;

  for (guint k = 0; k < indexes->len && p == G_MAXUINT; k++)
    {
      guint index = g_array_index (indexes, guint, k);
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      GPtrArray *infos = g_hash_table_lookup (refresh->results, GUINT_TO_POINTER (index));
      guint start = index * self->page_size;

      if (infos == NULL)
        continue;

      for (guint i = 0; i < page->items->len; i++)
        {
          FerryTaskInfo *item = g_ptr_array_index (page->items, i);

          if (!ferry_task_info_get_loaded (item))
            continue;
          if (start + i >= new_n || i >= infos->len
              || g_strcmp0 (ferry_task_info_get_id (item),
                            ferry_task_info_get_id (g_ptr_array_index (infos, i))) != 0)
            {
              p = start + i;
              break;
            }
        }
    }
  if (old_n != new_n)
    p = MIN (p, MIN (old_n, new_n));

  /* Tasks that move keep their objects, so holders see them update. */
  by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  for (guint k = 0; k < indexes->len; k++)
    {
      Page *page = g_hash_table_lookup (self->pages,
                                        GUINT_TO_POINTER (g_array_index (indexes, guint, k)));

      for (guint i = 0; i < page->items->len; i++)
        {
          FerryTaskInfo *item = g_ptr_array_index (page->items, i);

          if (ferry_task_info_get_loaded (item))
            g_hash_table_replace (by_id, (gpointer) ferry_task_info_get_id (item),
                                  g_object_ref (item));
        }
    }

  for (guint k = 0; k < indexes->len; k++)
    {
      guint index = g_array_index (indexes, guint, k);
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      GPtrArray *infos = g_hash_table_lookup (refresh->results, GUINT_TO_POINTER (index));
      guint start = index * self->page_size;
      guint n_rows = page_rows (self, index, new_n);
      g_autoptr(GPtrArray) items = NULL;

      if (n_rows == 0)
        {
          g_hash_table_remove (self->pages, GUINT_TO_POINTER (index));
          continue;
        }

      items = g_ptr_array_new_full (n_rows, g_object_unref);
      for (guint i = 0; i < n_rows; i++)
        {
          guint row = start + i;
          FerryTaskInfo *old_item = NULL;
          FerryTaskInfo *info = NULL;
          FerryTaskInfo *item;

          if (i < page->items->len)
            old_item = g_ptr_array_index (page->items, i);
          if (infos != NULL && i < infos->len)
            info = g_ptr_array_index (infos, i);

          if (row < p && old_item != NULL)
            {
              gboolean changed = FALSE;

              item = g_object_ref (old_item);
              if (info != NULL)
                ferry_task_info_update (item, ferry_task_info_get_variant (info), &changed, NULL);
              if (changed)
                g_array_append_val (changed_rows, row);
            }
          else if (info != NULL)
            {
              FerryTaskInfo *known = g_hash_table_lookup (by_id, ferry_task_info_get_id (info));

              if (known != NULL)
                {
                  item = g_object_ref (known);
                  ferry_task_info_update (item, ferry_task_info_get_variant (info), NULL, NULL);
                }
              else
                {
                  item = g_object_ref (info);
                }
            }
          else
            {
              item = ferry_task_info_new_unloaded ();
            }
          g_ptr_array_add (items, item);
        }

      g_ptr_array_unref (page->items);
      page->items = g_steal_pointer (&items);
      page->failed = FALSE;
      if (infos != NULL)
        page->serial = 0;
    }

  self->n_items = new_n;

  if (p != G_MAXUINT)
    g_list_model_items_changed (G_LIST_MODEL (self), p, old_n - p, new_n - p);
  emit_row_runs (self, changed_rows);
}

static void
finish_refresh (Refresh *refresh)
{
  FerryTaskList *self = refresh->self;

  if (!refresh->failed)
    apply_refresh (self, refresh);

  self->refresh = NULL;
  refresh_free (refresh);

  if (self->refresh_again)
    schedule_refresh (self);
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

  infos = ferry_client_list_finish (FERRY_CLIENT (object), result, &error);
  refresh->outstanding--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (refresh->outstanding == 0)
        refresh_free (refresh);
      return;
    }

  if (infos == NULL)
    g_debug ("Could not reload tasks from row %u: %s",
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
  FerryTaskList *self;
  g_autoptr(GArray) indexes = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  refresh->outstanding--;
  if (!ferry_client_count_finish (FERRY_CLIENT (object), result, &count, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          refresh_free (refresh);
          return;
        }
      g_debug ("Could not count tasks: %s", error->message);
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
      load->refresh = refresh;
      load->index = index;
      refresh->outstanding++;
      self->list_calls++;
      ferry_client_list_async (self->client, self->query, index * self->page_size,
                               self->page_size, self->cancellable, refresh_page_cb, load);
    }
  if (indexes->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_CALLS]);

  if (refresh->outstanding == 0)
    finish_refresh (refresh);
}

/* Callers notify :loading; it is TRUE from here on. */
static void
start_refresh (FerryTaskList *self)
{
  Refresh *refresh;

  g_assert (self->refresh == NULL);

  refresh = g_new0 (Refresh, 1);
  refresh->self = self;
  refresh->results = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  refresh->outstanding = 1;
  self->refresh_again = FALSE;
  self->refresh = refresh;

  self->count_calls++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_CALLS]);
  ferry_client_count_async (self->client, self->query, self->cancellable,
                            refresh_count_cb, refresh);
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  FerryTaskList *self = user_data;

  /* Still loading throughout: no notification. */
  self->refresh_source_id = 0;
  g_assert (self->refresh == NULL);
  start_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces bursts of changes into one refresh. */
static void
schedule_refresh (FerryTaskList *self)
{
  gboolean was_loading = is_loading (self);

  self->generation++;

  if (self->refresh != NULL)
    {
      self->refresh_again = TRUE;
      return;
    }
  if (self->refresh_source_id != 0)
    return;

  self->refresh_source_id = g_timeout_add (self->refresh_delay, on_refresh_timeout, self);
  g_source_set_name_by_id (self->refresh_source_id, "[ferry] task list refresh");
  notify_loading (self, was_loading);
}

static gboolean
concerns_us (FerryTaskList *self,
             const char    *owner)
{
  const char *query_owner = ferry_task_query_get_owner (self->query);

  return query_owner == NULL || g_strcmp0 (query_owner, owner) == 0;
}

static void
on_client_task_added (FerryTaskList        *self,
                      const char           *id,
                      const char           *owner,
                      FerryClientTaskState  state,
                      FerryClient          *client)
{
  /* A new task in a state the query does not show cannot be in the list. */
  if (concerns_us (self, owner) && ferry_task_query_has_state (self->query, state))
    schedule_refresh (self);
}

static void
on_client_task_event (FerryTaskList *self,
                      const char    *id,
                      const char    *owner)
{
  if (concerns_us (self, owner))
    schedule_refresh (self);
}

static void
on_client_notify_agent_running (FerryTaskList *self,
                                GParamSpec    *pspec,
                                FerryClient   *client)
{
  /* A new agent may have a different queue (or have lost what was in
   * flight): start over from its count. */
  if (ferry_client_get_agent_running (client))
    schedule_refresh (self);
}

static guint
ferry_task_list_get_n_items (GListModel *model)
{
  return FERRY_TASK_LIST (model)->n_items;
}

static GType
ferry_task_list_get_item_type (GListModel *model)
{
  return FERRY_TYPE_TASK_INFO;
}

static gpointer
ferry_task_list_get_item (GListModel *model,
                          guint       position)
{
  FerryTaskList *self = FERRY_TASK_LIST (model);
  FerryTaskInfo *item;
  guint index;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  index = position / self->page_size;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = page_new (index, page_rows (self, index, self->n_items));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
    }

  item = g_object_ref (g_ptr_array_index (page->items, position - index * self->page_size));

  if (!ferry_task_info_get_loaded (item) && page->serial == 0 && !page->failed)
    load_page (self, page);

  evict_pages (self, index);

  return item;
}

static void
ferry_task_list_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_task_list_get_item_type;
  iface->get_n_items = ferry_task_list_get_n_items;
  iface->get_item = ferry_task_list_get_item;
}

static void
ferry_task_list_constructed (GObject *object)
{
  FerryTaskList *self = (FerryTaskList *) object;

  G_OBJECT_CLASS (ferry_task_list_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));

  if (self->query == NULL)
    self->query = ferry_task_query_new ();

  g_signal_connect_object (self->client, "task-added",
                           G_CALLBACK (on_client_task_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-changed",
                           G_CALLBACK (on_client_task_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-succeeded",
                           G_CALLBACK (on_client_task_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-failed",
                           G_CALLBACK (on_client_task_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "retry-scheduled",
                           G_CALLBACK (on_client_task_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "conflict-detected",
                           G_CALLBACK (on_client_task_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::agent-running",
                           G_CALLBACK (on_client_notify_agent_running), self,
                           G_CONNECT_SWAPPED);

  start_refresh (self);
}

static void
ferry_task_list_dispose (GObject *object)
{
  FerryTaskList *self = (FerryTaskList *) object;

  /* Calls in flight hold plain pointers to us: cancelling makes their
   * callbacks only free their own state. */
  g_cancellable_cancel (self->cancellable);
  self->refresh = NULL;
  g_clear_handle_id (&self->refresh_source_id, g_source_remove);
  g_hash_table_remove_all (self->pages);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ferry_task_list_parent_class)->dispose (object);
}

static void
ferry_task_list_finalize (GObject *object)
{
  FerryTaskList *self = (FerryTaskList *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->query, ferry_task_query_unref);

  G_OBJECT_CLASS (ferry_task_list_parent_class)->finalize (object);
}

static void
ferry_task_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryTaskList *self = FERRY_TASK_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;
    case PROP_REFRESH_DELAY:
      g_value_set_uint (value, self->refresh_delay);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, is_loading (self));
      break;
    case PROP_LIST_CALLS:
      g_value_set_uint (value, self->list_calls);
      break;
    case PROP_COUNT_CALLS:
      g_value_set_uint (value, self->count_calls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryTaskList *self = FERRY_TASK_LIST (object);
  FerryTaskQuery *query;

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      query = g_value_get_boxed (value);
      self->query = query != NULL ? ferry_task_query_copy (query) : NULL;
      break;
    case PROP_PAGE_SIZE:
      self->page_size = g_value_get_uint (value);
      break;
    case PROP_MAX_PAGES:
      self->max_pages = g_value_get_uint (value);
      break;
    case PROP_REFRESH_DELAY:
      self->refresh_delay = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_list_class_init (FerryTaskListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_task_list_constructed;
  object_class->dispose = ferry_task_list_dispose;
  object_class->finalize = ferry_task_list_finalize;
  object_class->get_property = ferry_task_list_get_property;
  object_class->set_property = ferry_task_list_set_property;

  /**
   * FerryTaskList:client:
   *
   * The client the list asks.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:query:
   *
   * Which tasks the list shows, in which order.  The list keeps a copy.
   */
  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL, FERRY_TYPE_TASK_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:page-size:
   *
   * How many tasks one `List` call fetches.
   */
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 1000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:max-pages:
   *
   * How many pages the list keeps at most.
   */
  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL, 2, 1000, 8,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:refresh-delay:
   *
   * How long, in milliseconds, the list gathers change signals before it
   * recounts and reloads.
   */
  properties[PROP_REFRESH_DELAY] =
    g_param_spec_uint ("refresh-delay", NULL, NULL, 0, 10000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:loading:
   *
   * Whether a recount (the first one included) is due or in flight: after
   * a change signal, %TRUE until the list reflects the change.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:list-calls:
   *
   * How many `List` calls the list has made, for tests and diagnostics.
   */
  properties[PROP_LIST_CALLS] =
    g_param_spec_uint ("list-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskList:count-calls:
   *
   * How many `Count` calls the list has made, for tests and diagnostics.
   */
  properties[PROP_COUNT_CALLS] =
    g_param_spec_uint ("count-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_task_list_init (FerryTaskList *self)
{
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->page_size = 100;
  self->max_pages = 8;
  self->refresh_delay = 100;
}

/**
 * ferry_task_list_new:
 * @client: a client
 * @query: (nullable): which tasks to show, or %NULL for all; copied
 *
 * Creates a list and starts counting.  The list is empty until the count
 * arrives (#FerryTaskList:loading turns %FALSE).
 *
 * Returns: (transfer full): a new list
 */
FerryTaskList *
ferry_task_list_new (FerryClient    *client,
                     FerryTaskQuery *query)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);

  return g_object_new (FERRY_TYPE_TASK_LIST, "client", client, "query", query, NULL);
}

/**
 * ferry_task_list_get_client:
 * @self: a task list
 *
 * Returns: (transfer none): the client
 */
FerryClient *
ferry_task_list_get_client (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), NULL);
  return self->client;
}

/**
 * ferry_task_list_get_query:
 * @self: a task list
 *
 * Returns: (transfer none): the list's own query; do not change it
 */
FerryTaskQuery *
ferry_task_list_get_query (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), NULL);
  return self->query;
}

/**
 * ferry_task_list_get_page_size:
 * @self: a task list
 *
 * Returns: how many tasks one page holds
 */
guint
ferry_task_list_get_page_size (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->page_size;
}

/**
 * ferry_task_list_get_max_pages:
 * @self: a task list
 *
 * Returns: how many pages the list keeps at most
 */
guint
ferry_task_list_get_max_pages (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->max_pages;
}

/**
 * ferry_task_list_get_loading:
 * @self: a task list
 *
 * Returns: whether a recount is due or in flight
 */
gboolean
ferry_task_list_get_loading (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), FALSE);
  return is_loading (self);
}

/**
 * ferry_task_list_get_list_calls:
 * @self: a task list
 *
 * Returns: how many `List` calls the list has made
 */
guint
ferry_task_list_get_list_calls (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->list_calls;
}

/**
 * ferry_task_list_get_count_calls:
 * @self: a task list
 *
 * Returns: how many `Count` calls the list has made
 */
guint
ferry_task_list_get_count_calls (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->count_calls;
}

/**
 * ferry_task_list_get_n_cached_pages:
 * @self: a task list
 *
 * Returns: how many pages the list holds right now
 */
guint
ferry_task_list_get_n_cached_pages (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return g_hash_table_size (self->pages);
}

/**
 * ferry_task_list_reload:
 * @self: a task list
 *
 * Recounts and reloads the cached pages soon, as a change signal would.
 */
void
ferry_task_list_reload (FerryTaskList *self)
{
  g_return_if_fail (FERRY_IS_TASK_LIST (self));
  schedule_refresh (self);
}
