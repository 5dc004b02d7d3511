/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-set"

#include "config.h"

#include "ferry-client-private.h"
#include "ferry-collection-set.h"

/*
 * FerryCollectionSet: every collection the client may see, followed live,
 * for the window's header, the tray and the Conflicts view.  The list is
 * read when the agent appears and again whenever its ObjectManager says a
 * collection came or went (coalesced); each collection's properties
 * follow through its own proxy.  ::changed says that anything counted
 * moved.  It never starts the agent: with none running the set is empty.
 * Not part of libferry-1.
 */

#define OBJECT_MANAGER "org.freedesktop.DBus.ObjectManager"

struct _FerryCollectionSet
{
  GObject       parent_instance;

  /* owned */
  FerryClient  *client;
  GCancellable *cancellable;     /* the listing going on */
  GPtrArray    *collections;     /* FerryCollection*, by path */

  /* state */
  guint         added_id;
  guint         removed_id;
  guint         reload_source_id;
  guint         pending;         /* collections of the listing still coming */
  gboolean      loaded;
};

G_DEFINE_FINAL_TYPE (FerryCollectionSet, ferry_collection_set, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (FerryCollectionSet *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_collection_notify (FerryCollection    *collection,
                      GParamSpec         *pspec,
                      FerryCollectionSet *self)
{
  emit_changed (self);
}

static void
drop_collections (FerryCollectionSet *self)
{
  for (guint i = 0; i < self->collections->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->collections, i), self);
  g_ptr_array_set_size (self->collections, 0);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  FerryCollection *first = *(FerryCollection * const *) a;
  FerryCollection *second = *(FerryCollection * const *) b;

  return g_strcmp0 (ferry_collection_get_path (first), ferry_collection_get_path (second));
}

static void
collection_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FerryCollectionSet *self = user_data;
  g_autoptr(FerryCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = ferry_collection_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (collection == NULL)
    g_debug ("Reading a collection: %s", error->message);
  else
    {
      g_signal_connect_object (collection, "notify", G_CALLBACK (on_collection_notify), self, 0);
      g_ptr_array_add (self->collections, g_steal_pointer (&collection));
      g_ptr_array_sort (self->collections, compare_paths);
    }
  if (self->pending == 0)
    self->loaded = TRUE;
  emit_changed (self);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryCollectionSet *self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;

  paths = ferry_client_list_collections_finish (FERRY_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  drop_collections (self);
  self->pending = paths != NULL ? g_strv_length (paths) : 0;
  if (paths == NULL)
    g_debug ("Listing collections: %s", error->message);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    ferry_collection_new_async (self->client, paths[i], self->cancellable, collection_cb, self);
  self->loaded = self->pending == 0;
  emit_changed (self);
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  FerryCollectionSet *self = user_data;

  self->reload_source_id = 0;
  ferry_collection_set_reload (self);
  return G_SOURCE_REMOVE;
}

/* A burst of added or removed collections makes one listing. */
static void
on_objects_changed (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  FerryCollectionSet *self = user_data;

  if (self->reload_source_id == 0)
    self->reload_source_id = g_timeout_add (50, on_reload_timeout, self);
}

static void
on_agent_running (FerryClient        *client,
                  GParamSpec         *pspec,
                  FerryCollectionSet *self)
{
  ferry_collection_set_reload (self);
}

static void
ferry_collection_set_dispose (GObject *object)
{
  FerryCollectionSet *self = FERRY_COLLECTION_SET (object);
  GDBusConnection *connection = self->client != NULL
                                ? ferry_client_get_connection (self->client) : NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_source_id, g_source_remove);
  if (connection != NULL && self->added_id != 0)
    g_dbus_connection_signal_unsubscribe (connection, self->added_id);
  if (connection != NULL && self->removed_id != 0)
    g_dbus_connection_signal_unsubscribe (connection, self->removed_id);
  self->added_id = self->removed_id = 0;
  if (self->collections != NULL)
    drop_collections (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ferry_collection_set_parent_class)->dispose (object);
}

static void
ferry_collection_set_finalize (GObject *object)
{
  FerryCollectionSet *self = FERRY_COLLECTION_SET (object);

  g_clear_pointer (&self->collections, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_collection_set_parent_class)->finalize (object);
}

static void
ferry_collection_set_class_init (FerryCollectionSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_collection_set_dispose;
  object_class->finalize = ferry_collection_set_finalize;

  /**
   * FerryCollectionSet::changed:
   *
   * A collection came, went, or changed what it counts.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ferry_collection_set_init (FerryCollectionSet *self)
{
  self->collections = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/**
 * ferry_collection_set_new:
 * @client: a client
 *
 * Returns: (transfer full): a set that starts reading the collections
 */
FerryCollectionSet *
ferry_collection_set_new (FerryClient *client)
{
  FerryCollectionSet *self;
  GDBusConnection *connection;

  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_SET, NULL);
  self->client = g_object_ref (client);
  connection = ferry_client_get_connection (client);
  if (connection != NULL)
    {
      self->added_id = g_dbus_connection_signal_subscribe (connection, FERRY_DBUS_NAME,
                                                           OBJECT_MANAGER, "InterfacesAdded",
                                                           FERRY_DBUS_PATH, NULL,
                                                           G_DBUS_SIGNAL_FLAGS_NONE,
                                                           on_objects_changed, self, NULL);
      self->removed_id = g_dbus_connection_signal_subscribe (connection, FERRY_DBUS_NAME,
                                                             OBJECT_MANAGER, "InterfacesRemoved",
                                                             FERRY_DBUS_PATH, NULL,
                                                             G_DBUS_SIGNAL_FLAGS_NONE,
                                                             on_objects_changed, self, NULL);
    }
  g_signal_connect (client, "notify::agent-running", G_CALLBACK (on_agent_running), self);
  ferry_collection_set_reload (self);
  return self;
}

/**
 * ferry_collection_set_get_collections:
 * @self: a set
 *
 * Returns: (transfer none) (element-type FerryCollection): the collections,
 *   by object path
 */
GPtrArray *
ferry_collection_set_get_collections (FerryCollectionSet *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_SET (self), NULL);

  return self->collections;
}

/**
 * ferry_collection_set_get_loaded:
 * @self: a set
 *
 * Returns: whether the last listing and its collections have all arrived
 */
gboolean
ferry_collection_set_get_loaded (FerryCollectionSet *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_SET (self), FALSE);

  return self->loaded;
}

/**
 * ferry_collection_set_reload:
 * @self: a set
 *
 * Reads the list of collections again (without starting the agent).
 */
void
ferry_collection_set_reload (FerryCollectionSet *self)
{
  g_return_if_fail (FERRY_IS_COLLECTION_SET (self));

  /* Only the latest listing fills the set. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending = 0;
  if (!ferry_client_get_agent_running (self->client))
    {
      gboolean had = self->collections->len > 0;

      drop_collections (self);
      self->loaded = TRUE;
      if (had)
        emit_changed (self);
      return;
    }
  self->loaded = FALSE;
  ferry_client_list_collections_async (self->client, self->cancellable, list_cb, self);
}

/**
 * ferry_status_snapshot_add_collection:
 * @snapshot: a snapshot
 * @collection: a collection
 *
 * Counts @collection's run and what needs the person into @snapshot.
 */
void
ferry_status_snapshot_add_collection (FerryStatusSnapshot *snapshot,
                                      FerryCollection     *collection)
{
  guint total = 0, synced = 0, failed = 0;

  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (FERRY_IS_COLLECTION (collection));

  snapshot->collection_failed += ferry_collection_get_failed_count (collection);
  snapshot->collection_conflicts += ferry_collection_get_conflict_count (collection);
  /* "Last synced" speaks of the last time anything reached its server. */
  snapshot->last_sync_time = MAX (snapshot->last_sync_time,
                                  ferry_collection_get_last_sync_time (collection));
  if (g_strcmp0 (ferry_collection_get_state (collection), "syncing") != 0)
    return;
  ferry_collection_get_progress (collection, &total, &synced, &failed);
  snapshot->collections_syncing++;
  snapshot->collection_total += total;
  /* Refused records are settled too, as failed tasks are. */
  snapshot->collection_done += MIN (synced + failed, total);
}

/**
 * ferry_collection_set_add_to_snapshot:
 * @self: a set
 * @snapshot: a snapshot, filled by ferry_status_snapshot_from_client()
 *
 * Counts every collection of @self into @snapshot.
 */
void
ferry_collection_set_add_to_snapshot (FerryCollectionSet  *self,
                                      FerryStatusSnapshot *snapshot)
{
  g_return_if_fail (FERRY_IS_COLLECTION_SET (self));
  g_return_if_fail (snapshot != NULL);

  if (!snapshot->agent_running)
    return;
  for (guint i = 0; i < self->collections->len; i++)
    ferry_status_snapshot_add_collection (snapshot, g_ptr_array_index (self->collections, i));
}
