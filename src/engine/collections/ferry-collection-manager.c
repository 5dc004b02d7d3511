/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-manager"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-manager-private.h"

/*
 * Every collection of every app: added, removed, found; local writes,
 * durable when they return, committed together when they arrive together
 * (group commit); and the slots runs take.  The engine has one
 * concurrency limit: the task manager's "max-concurrency" counts its
 * attempts and the collections' runs together, and it leaves the slots
 * runs hold to them ("reserved-slots").  A collection wanting a run waits
 * in line for a slot; its server must be reachable and sync not paused.
 */

#define DEFAULT_WRITE_DEBOUNCE 500
#define DEFAULT_MAX_RUNS       4

G_DEFINE_FINAL_TYPE (FerryCollectionManager, ferry_collection_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WRITE_DEBOUNCE,
  PROP_MAX_RUNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  COLLECTION_ADDED,
  COLLECTION_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Slots -------------------------------------------------------------------- */

static guint
slot_limit (FerryCollectionManager *self)
{
  guint limit = self->max_runs;

  if (self->tasks != NULL)
    g_object_get (self->tasks, "max-concurrency", &limit, NULL);
  if (ferry_connectivity_get_power_saver (self->connectivity))
    limit = 1;
  return MAX (limit, 1);
}

static gboolean
is_paused (FerryCollectionManager *self)
{
  return self->tasks != NULL && ferry_sync_manager_get_paused (self->tasks);
}

static gboolean
reachable (FerryCollectionManager *self,
           FerryCollection        *collection)
{
  g_autoptr(GUri) uri = g_uri_parse (ferry_collection_get_config (collection)->url,
                                     G_URI_FLAGS_NONE, NULL);
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  return ferry_connectivity_host_allowed (self->connectivity, g_uri_get_host (uri),
                                          (guint16) port);
}

static void
reserve_slots (FerryCollectionManager *self)
{
  if (self->tasks != NULL)
    g_object_set (self->tasks, "reserved-slots", self->running, NULL);
}

/* Starts waiting runs while slots are free. */
static void
start_waiting (FerryCollectionManager *self)
{
  guint limit = slot_limit (self);
  GList *link = self->waiting.head;

  if (!self->started)
    return;
  while (link != NULL)
    {
      GList *next = link->next;
      FerryCollection *collection = link->data;
      guint busy = self->running +
                   (self->tasks != NULL ? ferry_sync_manager_get_running_count (self->tasks) : 0);

      if (busy >= limit)
        break;
      ferry_collection_refresh (collection, reachable (self, collection), is_paused (self));
      if (ferry_collection_get_wanted (collection) == NULL)
        g_queue_delete_link (&self->waiting, link);
      else if (ferry_collection_start_run (collection))
        g_queue_delete_link (&self->waiting, link);
      link = next;
    }
  reserve_slots (self);
}

static void
on_collection_wants_run (FerryCollection        *collection,
                         FerryCollectionManager *self)
{
  if (g_queue_find (&self->waiting, collection) == NULL)
    g_queue_push_tail (&self->waiting, collection);
  start_waiting (self);
}

static void
on_collection_run_started (FerryCollection        *collection,
                           const char             *trigger,
                           FerryCollectionManager *self)
{
  self->running++;
}

static void
on_collection_run_finished (FerryCollection        *collection,
                            FerryRunRecord         *record,
                            FerryCollectionManager *self)
{
  g_assert (self->running > 0);
  self->running--;
  reserve_slots (self);
  start_waiting (self);
}

/* A run left a document in conflict (after its batch was committed). */
static void
on_collection_conflict (FerryCollectionManager *self,
                        const char             *doc_id,
                        FerryCollection        *collection)
{
  ferry_collection_manager_ask_resolver (self, collection, doc_id);
}

static void
want_all (FerryCollectionManager *self,
          const char             *trigger)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ferry_collection_want_run (value, trigger);
}

static void
refresh_all (FerryCollectionManager *self,
             const char             *trigger_when_back)
{
  GHashTableIter iter;
  gpointer value;
  gboolean paused = is_paused (self);

  g_hash_table_iter_init (&iter, self->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryCollectionState before = ferry_collection_get_state (value);
      gboolean now = reachable (self, value);

      ferry_collection_refresh (value, now, paused);
      if (now && !paused && (before == FERRY_COLLECTION_STATE_OFFLINE ||
                             before == FERRY_COLLECTION_STATE_PAUSED))
        ferry_collection_want_run (value, trigger_when_back);
    }
  start_waiting (self);
}

static void
on_connectivity_changed (FerryConnectivity      *connectivity,
                         FerryCollectionManager *self)
{
  refresh_all (self, "online");
}

static void
on_resumed (FerryConnectivity      *connectivity,
            FerryCollectionManager *self)
{
  want_all (self, "resume");
}

static void
on_tasks_paused (GObject                *object,
                 GParamSpec             *pspec,
                 FerryCollectionManager *self)
{
  refresh_all (self, "online");
}

static void
on_task_settled (FerrySyncManager       *tasks,
                 gpointer                task,
                 FerryCollectionManager *self)
{
  /* An attempt ended: its slot may be a run's now. */
  if (self->waiting.length > 0)
    start_waiting (self);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_collection_manager_dispose (GObject *object)
{
  FerryCollectionManager *self = FERRY_COLLECTION_MANAGER (object);
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->write_id, g_source_remove);
  if (self->resolving != NULL)
    g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  if (self->writes != NULL && self->writes->len > 0)
    ferry_collection_manager_flush_writes (self);
  g_queue_clear (&self->waiting);
  if (self->collections != NULL)
    {
      g_hash_table_iter_init (&iter, self->collections);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          g_signal_handlers_disconnect_by_data (value, self);
          ferry_collection_stop (value);
        }
      g_hash_table_remove_all (self->collections);
    }
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  if (self->connectivity != NULL)
    g_signal_handlers_disconnect_by_data (self->connectivity, self);
  g_clear_object (&self->tasks);
  g_clear_object (&self->connectivity);
  g_clear_object (&self->executor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ferry_collection_manager_parent_class)->dispose (object);
}

static void
ferry_collection_manager_finalize (GObject *object)
{
  FerryCollectionManager *self = FERRY_COLLECTION_MANAGER (object);

  g_clear_pointer (&self->collections, g_hash_table_unref);
  g_clear_pointer (&self->meters, g_hash_table_unref);
  g_clear_pointer (&self->writes, g_ptr_array_unref);
  ferry_resolver_hook_clear (&self->resolver);

  G_OBJECT_CLASS (ferry_collection_manager_parent_class)->finalize (object);
}

static void
ferry_collection_manager_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  FerryCollectionManager *self = FERRY_COLLECTION_MANAGER (object);

  switch (prop_id)
    {
    case PROP_WRITE_DEBOUNCE:
      g_value_set_uint (value, self->write_debounce);
      break;
    case PROP_MAX_RUNS:
      g_value_set_uint (value, self->max_runs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_collection_manager_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  FerryCollectionManager *self = FERRY_COLLECTION_MANAGER (object);
  guint set = g_value_get_uint (value);

  switch (prop_id)
    {
    case PROP_WRITE_DEBOUNCE:
      if (self->write_debounce == set)
        return;
      self->write_debounce = set;
      break;
    case PROP_MAX_RUNS:
      if (self->max_runs == set)
        return;
      self->max_runs = set;
      start_waiting (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
ferry_collection_manager_class_init (FerryCollectionManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                            G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_collection_manager_dispose;
  object_class->finalize = ferry_collection_manager_finalize;
  object_class->get_property = ferry_collection_manager_get_property;
  object_class->set_property = ferry_collection_manager_set_property;

  properties[PROP_WRITE_DEBOUNCE] =
    g_param_spec_uint ("write-debounce", NULL, NULL, 0, 60000, DEFAULT_WRITE_DEBOUNCE, flags);
  properties[PROP_MAX_RUNS] =
    g_param_spec_uint ("max-runs", NULL, NULL, 1, 64, DEFAULT_MAX_RUNS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[COLLECTION_ADDED] =
    g_signal_new ("collection-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_COLLECTION);
  signals[COLLECTION_REMOVED] =
    g_signal_new ("collection-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_COLLECTION);
}

static void
ferry_collection_manager_init (FerryCollectionManager *self)
{
  self->collections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             g_object_unref);
  self->meters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->writes = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_collection_manager_write_request_free);
  g_queue_init (&self->waiting);
  self->resolving = g_cancellable_new ();
  self->write_debounce = DEFAULT_WRITE_DEBOUNCE;
  self->max_runs = DEFAULT_MAX_RUNS;
}

/**
 * ferry_collection_manager_new:
 * @store: the replicas' store
 * @executor: what every request goes through
 * @connectivity: the network, the power saver, resume
 * @tasks: (nullable): the task manager, to share the concurrency limit and
 *   the pause with
 *
 * Returns: (transfer full): a manager; call ferry_collection_manager_start()
 */
FerryCollectionManager *
ferry_collection_manager_new (FerryCollectionStore *store,
                              FerryExecutor        *executor,
                              FerryConnectivity    *connectivity,
                              FerrySyncManager     *tasks)
{
  FerryCollectionManager *self;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (store), NULL);
  g_return_val_if_fail (FERRY_IS_EXECUTOR (executor), NULL);
  g_return_val_if_fail (FERRY_IS_CONNECTIVITY (connectivity), NULL);
  g_return_val_if_fail (tasks == NULL || FERRY_IS_SYNC_MANAGER (tasks), NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_MANAGER, NULL);
  self->store = g_object_ref (store);
  self->executor = g_object_ref (executor);
  self->connectivity = g_object_ref (connectivity);
  self->tasks = tasks != NULL ? g_object_ref (tasks) : NULL;
  return self;
}

static FerryLinkMeter *
meter_for (FerryCollectionManager *self,
           FerryCollectionConfig  *config)
{
  g_autofree char *host = ferry_collection_config_dup_host (config);
  FerryLinkMeter *meter;

  if (host == NULL)
    host = g_strdup ("");
  meter = g_hash_table_lookup (self->meters, host);
  if (meter == NULL)
    {
      meter = ferry_link_meter_new ();
      g_hash_table_insert (self->meters, g_steal_pointer (&host), meter);
    }
  return meter;
}

/* Serves an attached configuration. */
static FerryCollection *
serve (FerryCollectionManager  *self,
       FerryCollectionConfig   *config,
       GError                 **error)
{
  g_autoptr(FerryReplicator) replicator = NULL;
  FerryCollection *collection;

  replicator = ferry_replicator_new (config, self->executor, meter_for (self, config));
  collection = ferry_collection_new (self->store, replicator, error);
  if (collection == NULL)
    return NULL;
  g_signal_connect (collection, "wants-run", G_CALLBACK (on_collection_wants_run), self);
  g_signal_connect (collection, "run-started", G_CALLBACK (on_collection_run_started), self);
  g_signal_connect (collection, "run-finished", G_CALLBACK (on_collection_run_finished), self);
  g_signal_connect_swapped (collection, "conflict",
                            G_CALLBACK (on_collection_conflict), self);
  g_hash_table_insert (self->collections, g_memdup2 (&config->id, sizeof config->id),
                       collection);
  ferry_collection_refresh (collection, reachable (self, collection), is_paused (self));
  return collection;
}

/**
 * ferry_collection_manager_start:
 * @self: a manager
 * @error: return location for a store error
 *
 * Serves the collections the store holds, each with a run to begin.
 *
 * Returns: whether it started
 */
gboolean
ferry_collection_manager_start (FerryCollectionManager  *self,
                                GError                 **error)
{
  g_autoptr(GPtrArray) configs = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  configs = ferry_collection_store_list_attached (self->store, error);
  if (configs == NULL)
    return FALSE;
  for (guint i = 0; i < configs->len; i++)
    if (serve (self, g_ptr_array_index (configs, i), error) == NULL)
      return FALSE;
  g_signal_connect (self->connectivity, "changed", G_CALLBACK (on_connectivity_changed), self);
  g_signal_connect (self->connectivity, "resumed", G_CALLBACK (on_resumed), self);
  if (self->tasks != NULL)
    {
      g_signal_connect (self->tasks, "notify::paused", G_CALLBACK (on_tasks_paused), self);
      g_signal_connect (self->tasks, "task-succeeded", G_CALLBACK (on_task_settled), self);
      g_signal_connect (self->tasks, "task-failed", G_CALLBACK (on_task_settled), self);
      g_signal_connect (self->tasks, "task-changed", G_CALLBACK (on_task_settled), self);
    }
  self->started = TRUE;
  want_all (self, "start");
  return TRUE;
}

/**
 * ferry_collection_manager_get_store:
 * @self: a manager
 *
 * Returns: (transfer none): the replicas' store, for reading documents
 */
FerryCollectionStore *
ferry_collection_manager_get_store (FerryCollectionManager *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), NULL);

  return self->store;
}

/**
 * ferry_collection_manager_add:
 * @self: a manager
 * @config: what the app asks for; its id is filled in
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming what
 *   is wrong, or a store error
 *
 * Adds a collection, or replaces the configuration of the app's collection
 * of that name.  Nothing is stored when @config is not valid.
 *
 * Returns: (transfer none) (nullable): the collection, with a run wanted
 */
FerryCollection *
ferry_collection_manager_add (FerryCollectionManager  *self,
                              FerryCollectionConfig   *config,
                              GError                 **error)
{
  FerryCollection *old;
  FerryCollection *collection;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  if (!ferry_collection_config_validate (config, error))
    return NULL;
  old = ferry_collection_manager_find (self, config->owner, config->name);
  if (old != NULL)
    {
      g_autoptr(FerryCollection) gone = g_object_ref (old);

      g_signal_handlers_disconnect_by_data (gone, self);
      g_queue_remove (&self->waiting, gone);
      if (ferry_collection_is_running (gone))
        self->running--;
      ferry_collection_stop (gone);
      g_hash_table_remove (self->collections, &ferry_collection_get_config (gone)->id);
      g_signal_emit (self, signals[COLLECTION_REMOVED], 0, gone);
      reserve_slots (self);
    }
  if (!ferry_collection_store_attach (self->store, config, NULL, error))
    return NULL;
  collection = serve (self, config, error);
  if (collection == NULL)
    return NULL;
  g_signal_emit (self, signals[COLLECTION_ADDED], 0, collection);
  if (self->started)
    ferry_collection_want_run (collection, "start");
  return collection;
}

/**
 * ferry_collection_manager_remove:
 * @self: a manager
 * @collection: one of its collections
 * @keep_data: keep the documents and checkpoint, for when it is added
 *   again
 * @error: return location for a store error
 *
 * Stops syncing @collection; a run going on is cancelled (what it
 * committed stays).
 *
 * Returns: whether it is removed
 */
gboolean
ferry_collection_manager_remove (FerryCollectionManager  *self,
                                 FerryCollection         *collection,
                                 gboolean                 keep_data,
                                 GError                 **error)
{
  g_autoptr(FerryCollection) gone = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (FERRY_IS_COLLECTION (collection), FALSE);

  if (!ferry_collection_store_detach (self->store, ferry_collection_get_id (collection),
                                      keep_data, error))
    return FALSE;
  gone = g_object_ref (collection);
  g_signal_handlers_disconnect_by_data (gone, self);
  g_queue_remove (&self->waiting, gone);
  if (ferry_collection_is_running (gone))
    self->running--;
  ferry_collection_stop (gone);
  g_hash_table_remove (self->collections, &ferry_collection_get_config (gone)->id);
  reserve_slots (self);
  g_signal_emit (self, signals[COLLECTION_REMOVED], 0, gone);
  start_waiting (self);
  return TRUE;
}

/**
 * ferry_collection_manager_lookup:
 * @self: a manager
 * @id: a collection's id
 *
 * Returns: (transfer none) (nullable): the collection
 */
FerryCollection *
ferry_collection_manager_lookup (FerryCollectionManager *self,
                                 gint64                  id)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), NULL);

  return g_hash_table_lookup (self->collections, &id);
}

/**
 * ferry_collection_manager_find:
 * @self: a manager
 * @owner: an app id
 * @name: the name of one of its collections
 *
 * Returns: (transfer none) (nullable): the collection
 */
FerryCollection *
ferry_collection_manager_find (FerryCollectionManager *self,
                               const char             *owner,
                               const char             *name)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), NULL);

  g_hash_table_iter_init (&iter, self->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FerryCollectionConfig *config = ferry_collection_get_config (value);

      if (g_strcmp0 (config->owner, owner) == 0 && g_strcmp0 (config->name, name) == 0)
        return value;
    }
  return NULL;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = ferry_collection_get_id (*(FerryCollection * const *) a);
  gint64 y = ferry_collection_get_id (*(FerryCollection * const *) b);

  return x < y ? -1 : x > y;
}

/**
 * ferry_collection_manager_list:
 * @self: a manager
 *
 * Returns: (transfer container) (element-type FerryCollection): every
 *   collection, in the order they were added
 */
GPtrArray *
ferry_collection_manager_list (FerryCollectionManager *self)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), NULL);

  list = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->collections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, g_object_ref (value));
  g_ptr_array_sort (list, compare_ids);
  return list;
}

/**
 * ferry_collection_manager_get_running_count:
 * @self: a manager
 *
 * Returns: how many runs are going on, each holding a slot
 */
guint
ferry_collection_manager_get_running_count (FerryCollectionManager *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_MANAGER (self), 0);

  return self->running;
}

/**
 * ferry_collection_manager_sync_now:
 * @self: a manager
 * @collection: (nullable): one collection; %NULL for all
 *
 * Asks for a run now ("Sync now").
 */
void
ferry_collection_manager_sync_now (FerryCollectionManager *self,
                                   FerryCollection        *collection)
{
  g_return_if_fail (FERRY_IS_COLLECTION_MANAGER (self));

  if (collection != NULL)
    ferry_collection_want_run (collection, "now");
  else
    want_all (self, "now");
}
