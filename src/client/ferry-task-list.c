/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-list"

#include "config.h"

#include "ferry-task-info-private.h"
#include "ferry-task-list-private.h"

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

/* The pager's view of the list ------------------------------------------- */

static void
count_async (GListModel          *model,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  FerryTaskList *self = FERRY_TASK_LIST (model);

  ferry_client_count_async (self->client, self->query, cancellable, callback, user_data);
}

static gboolean
count_finish (GObject       *source,
              GAsyncResult  *result,
              guint         *out_count,
              GError       **error)
{
  return ferry_client_count_finish (FERRY_CLIENT (source), result, out_count, error);
}

static void
list_async (GListModel          *model,
            guint                offset,
            guint                limit,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  FerryTaskList *self = FERRY_TASK_LIST (model);

  ferry_client_list_async (self->client, self->query, offset, limit, cancellable, callback,
                           user_data);
}

static GPtrArray *
list_finish (GObject       *source,
             GAsyncResult  *result,
             GError       **error)
{
  return ferry_client_list_finish (FERRY_CLIENT (source), result, error);
}

static gpointer
new_unloaded (void)
{
  return ferry_task_info_new_unloaded ();
}

static gboolean
is_loaded (gpointer item)
{
  return ferry_task_info_get_loaded (item);
}

static const char *
get_id (gpointer item)
{
  return ferry_task_info_get_id (item);
}

static void
update (gpointer  item,
        gpointer  from,
        gboolean *out_changed)
{
  ferry_task_info_update (item, ferry_task_info_get_variant (from), out_changed, NULL);
}

static void
notify (GListModel       *model,
        FerryPagerNotify  what)
{
  static const guint props[] = {
    [FERRY_PAGER_LOADING] = PROP_LOADING,
    [FERRY_PAGER_LIST_CALLS] = PROP_LIST_CALLS,
    [FERRY_PAGER_COUNT_CALLS] = PROP_COUNT_CALLS,
  };

  g_object_notify_by_pspec (G_OBJECT (model), properties[props[what]]);
}

static const FerryPagerFuncs pager_funcs = {
  count_async, count_finish, list_async, list_finish,
  new_unloaded, is_loaded, get_id, update, notify,
};

/* The client's signals ------------------------------------------------------ */

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
    ferry_pager_schedule_refresh (&self->pager);
}

static void
on_client_task_event (FerryTaskList *self,
                      const char    *id,
                      const char    *owner)
{
  if (concerns_us (self, owner))
    ferry_pager_schedule_refresh (&self->pager);
}

static void
on_client_notify_agent_running (FerryTaskList *self,
                                GParamSpec    *pspec,
                                FerryClient   *client)
{
  /* A new agent may have a different queue (or have lost what was in
   * flight): start over from its count. */
  if (ferry_client_get_agent_running (client))
    ferry_pager_schedule_refresh (&self->pager);
}

static guint
ferry_task_list_get_n_items (GListModel *model)
{
  return FERRY_TASK_LIST (model)->pager.n_items;
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
  return ferry_pager_dup_item (&FERRY_TASK_LIST (model)->pager, position);
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

  ferry_pager_start_refresh (&self->pager);
}

static void
ferry_task_list_dispose (GObject *object)
{
  FerryTaskList *self = (FerryTaskList *) object;

  ferry_pager_dispose (&self->pager);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ferry_task_list_parent_class)->dispose (object);
}

static void
ferry_task_list_finalize (GObject *object)
{
  FerryTaskList *self = (FerryTaskList *) object;

  ferry_pager_finalize (&self->pager);
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
      g_value_set_uint (value, self->pager.page_size);
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->pager.max_pages);
      break;
    case PROP_REFRESH_DELAY:
      g_value_set_uint (value, self->pager.refresh_delay);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, ferry_pager_is_loading (&self->pager));
      break;
    case PROP_LIST_CALLS:
      g_value_set_uint (value, self->pager.list_calls);
      break;
    case PROP_COUNT_CALLS:
      g_value_set_uint (value, self->pager.count_calls);
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
      self->pager.page_size = g_value_get_uint (value);
      break;
    case PROP_MAX_PAGES:
      self->pager.max_pages = g_value_get_uint (value);
      break;
    case PROP_REFRESH_DELAY:
      self->pager.refresh_delay = g_value_get_uint (value);
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
  ferry_pager_init (&self->pager, G_LIST_MODEL (self), &pager_funcs);
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
 * Gets the client.
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
 * Gets the list's own query; do not change it.
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
 * Gets how many tasks one page holds.
 *
 * Returns: how many tasks one page holds
 */
guint
ferry_task_list_get_page_size (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->pager.page_size;
}

/**
 * ferry_task_list_get_max_pages:
 * @self: a task list
 *
 * Gets how many pages the list keeps at most.
 *
 * Returns: how many pages the list keeps at most
 */
guint
ferry_task_list_get_max_pages (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->pager.max_pages;
}

/**
 * ferry_task_list_get_loading:
 * @self: a task list
 *
 * Tells whether a recount is due or in flight.
 *
 * Returns: whether a recount is due or in flight
 */
gboolean
ferry_task_list_get_loading (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), FALSE);
  return ferry_pager_is_loading (&self->pager);
}

/**
 * ferry_task_list_get_list_calls:
 * @self: a task list
 *
 * Gets how many `List` calls the list has made.
 *
 * Returns: how many `List` calls the list has made
 */
guint
ferry_task_list_get_list_calls (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->pager.list_calls;
}

/**
 * ferry_task_list_get_count_calls:
 * @self: a task list
 *
 * Gets how many `Count` calls the list has made.
 *
 * Returns: how many `Count` calls the list has made
 */
guint
ferry_task_list_get_count_calls (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return self->pager.count_calls;
}

/**
 * ferry_task_list_get_n_cached_pages:
 * @self: a task list
 *
 * Gets how many pages the list holds right now.
 *
 * Returns: how many pages the list holds right now
 */
guint
ferry_task_list_get_n_cached_pages (FerryTaskList *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LIST (self), 0);
  return g_hash_table_size (self->pager.pages);
}
