/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-objects"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-collection-args.h"
#include "ferry-dbus-generated.h"

#include "ferry-collection-objects.h"

/*
 * The collections' D-Bus objects, each seen only by those allowed to see
 * it.  Every collection is one object of a subtree at
 * FERRY_COLLECTIONS_PATH; the ObjectManager at the agent's path lists them.  Both are served here
 * rather than by GDBusObjectManagerServer and interface skeletons, because
 * those answer GetManagedObjects and Properties calls at once, for
 * anyone, and broadcast their signals: here every such call waits for its
 * caller to be identified, a sandboxed caller finds only its own app's
 * collections (another app's answer like a missing one), and signals go
 * one by one to the peers that have called the agent and may see the
 * collection.  Peers that leave the bus drop out of the caller cache, and
 * so out of the signals.  Method calls of the Collection interface go to
 * the service's handler.
 */

#define COLLECTION_IFACE     "io.github.ferrysync.Ferry1.Collection"
#define OBJECT_MANAGER_IFACE "org.freedesktop.DBus.ObjectManager"
#define PROPERTIES_IFACE     "org.freedesktop.DBus.Properties"

static const char object_manager_xml[] =
  "<node>"
  "  <interface name='" OBJECT_MANAGER_IFACE "'>"
  "    <method name='GetManagedObjects'>"
  "      <arg name='objects' direction='out' type='a{oa{sa{sv}}}'/>"
  "    </method>"
  "    <signal name='InterfacesAdded'>"
  "      <arg name='object' type='o'/>"
  "      <arg name='interfaces' type='a{sa{sv}}'/>"
  "    </signal>"
  "    <signal name='InterfacesRemoved'>"
  "      <arg name='object' type='o'/>"
  "      <arg name='interfaces' type='as'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  FerryCollectionObjects *self;         /* borrowed: it drops us first */
  FerryCollection        *collection;   /* owned */
  gint64                  id;
  char                   *path;
  GVariant               *properties;   /* a{sv}, as last sent */
  guint                   flush_id;     /* a change waits to be sent */
} Exported;

typedef struct
{
  FerryCollectionObjects *self;
  GDBusMethodInvocation  *invocation;
  gint64                  id;           /* 0 for the ObjectManager */
} Lookup;

struct _FerryCollectionObjects
{
  GObject                    parent_instance;

  /* owned */
  FerryCallerCache          *callers;
  GHashTable                *exported;  /* id → Exported */
  GPtrArray                 *served;    /* Served, one per connection */

  /* state */
  FerryCollectionMethodFunc  method_func;
  gpointer                   user_data;
};

/* The registrations on one connection. */
typedef struct
{
  GDBusConnection *connection;
  guint            manager_id;
  guint            subtree_id;
} Served;

G_DEFINE_FINAL_TYPE (FerryCollectionObjects, ferry_collection_objects, G_TYPE_OBJECT)

static GDBusNodeInfo *object_manager_info;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->invocation);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

/**
 * ferry_collection_objects_path:
 * @id: a collection's id
 *
 * Returns: (transfer full): the object path of the collection @id
 */
char *
ferry_collection_objects_path (gint64 id)
{
  return g_strdup_printf (FERRY_COLLECTIONS_PATH "/%" G_GINT64_FORMAT, id);
}

static const char *
owner_of (Exported *exported)
{
  return ferry_collection_get_config (exported->collection)->owner;
}

/* The Collection interface's properties, as they are now. */
static GVariant *
collection_properties (FerryCollection *collection)
{
  FerryCollectionConfig *config = ferry_collection_get_config (collection);
  g_autofree char *host = ferry_collection_config_dup_host (config);
  const char *last_error = ferry_collection_get_last_error (collection);
  FerryDocumentCounts counts;
  GVariantBuilder builder;
  guint total, synced, failed;

  ferry_collection_get_counts (collection, &counts);
  ferry_collection_get_progress (collection, &total, &synced, &failed);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
#define ADD(name, format, value) \
  g_variant_builder_add (&builder, "{sv}", name, g_variant_new (format, value))
  ADD ("Name", "s", config->name);
  ADD ("App", "s", config->owner);
  ADD ("Protocol", "s", ferry_protocol_to_string (config->protocol));
  ADD ("Host", "s", host != NULL ? host : "");
  ADD ("Direction", "s", ferry_direction_to_string (config->direction));
  ADD ("Live", "b", (gboolean) config->live);
  ADD ("Interval", "u", (guint32) config->interval);
  ADD ("State", "s", ferry_collection_state_to_string (ferry_collection_get_state (collection)));
  ADD ("Phase", "s", ferry_run_phase_to_string (ferry_collection_get_phase (collection)));
  ADD ("DocumentCount", "u", (guint32) counts.documents);
  ADD ("DirtyCount", "u", (guint32) counts.dirty);
  ADD ("ConflictCount", "u", (guint32) counts.conflicts);
  ADD ("FailedCount", "u", (guint32) counts.failed);
  ADD ("LastSyncTime", "x", ferry_collection_get_last_sync (collection));
  ADD ("NextSyncTime", "x", ferry_collection_get_next_sync (collection));
  ADD ("LastError", "s", last_error != NULL ? last_error : "");
#undef ADD
  g_variant_builder_add (&builder, "{sv}", "Progress",
                         g_variant_new ("(uuu)", total, synced, failed));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* Sends a signal about a collection of @owner to every peer that may see
 * it; @parameters is consumed when floating. */
static void
emit (FerryCollectionObjects *self,
      const char             *owner,
      const char             *path,
      const char             *interface,
      const char             *name,
      GVariant               *parameters)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (parameters);
  g_autoptr(GPtrArray) callers = ferry_caller_cache_dup_callers (self->callers);

  for (guint i = 0; i < callers->len; i++)
    {
      FerryCaller *caller = g_ptr_array_index (callers, i);

      if (ferry_collection_args_check_access (caller, owner, NULL))
        ferry_caller_cache_emit (self->callers, caller->unique_name, path, interface, name,
                                 owned);
    }
}

/* Sends the properties that changed since the last time. */
static void
flush_properties (Exported *exported)
{
  g_autoptr(GVariant) now = collection_properties (exported->collection);
  GVariantBuilder changed;
  GVariantIter iter;
  const char *name;
  GVariant *value;
  gboolean any = FALSE;

  g_clear_handle_id (&exported->flush_id, g_source_remove);
  g_variant_builder_init (&changed, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, now);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
    {
      g_autoptr(GVariant) before = g_variant_lookup_value (exported->properties, name, NULL);

      if (before == NULL || !g_variant_equal (before, value))
        {
          g_variant_builder_add (&changed, "{sv}", name, value);
          any = TRUE;
        }
    }
  g_variant_unref (exported->properties);
  exported->properties = g_steal_pointer (&now);
  if (!any)
    {
      g_variant_builder_clear (&changed);
      return;
    }
  emit (exported->self, owner_of (exported), exported->path, PROPERTIES_IFACE,
        "PropertiesChanged",
        g_variant_new ("(sa{sv}@as)", COLLECTION_IFACE, &changed,
                       g_variant_new_strv (NULL, 0)));
}

static gboolean
flush_cb (gpointer user_data)
{
  Exported *exported = user_data;

  exported->flush_id = 0;
  flush_properties (exported);
  return G_SOURCE_REMOVE;
}

static void
exported_free (Exported *exported)
{
  g_signal_handlers_disconnect_by_data (exported->collection, exported);
  g_clear_handle_id (&exported->flush_id, g_source_remove);
  g_clear_object (&exported->collection);
  g_clear_pointer (&exported->properties, g_variant_unref);
  g_free (exported->path);
  g_free (exported);
}

/* Callers ------------------------------------------------------------------ */

static void
answer_properties (Lookup      *lookup,
                   Exported    *exported)
{
  const char *method = g_dbus_method_invocation_get_method_name (lookup->invocation);
  GVariant *params = g_dbus_method_invocation_get_parameters (lookup->invocation);
  GDBusMethodInvocation *invocation = g_steal_pointer (&lookup->invocation);
  const char *interface = NULL, *name = NULL;
  g_autoptr(GVariant) value = NULL;

  g_variant_get_child (params, 0, "&s", &interface);
  if (!g_str_equal (interface, COLLECTION_IFACE))
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_INTERFACE,
                                             "No such interface “%s”", interface);
      return;
    }
  if (exported->flush_id != 0)
    flush_properties (exported);
  if (g_str_equal (method, "GetAll"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@a{sv})", exported->properties));
      return;
    }
  if (g_str_equal (method, "Get"))
    {
      g_variant_get_child (params, 1, "&s", &name);
      value = g_variant_lookup_value (exported->properties, name, NULL);
    }
  if (value != NULL)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
  else if (name != NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                           G_DBUS_ERROR_UNKNOWN_PROPERTY,
                                           "No such property “%s”", name);
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                           G_DBUS_ERROR_PROPERTY_READ_ONLY,
                                           "The collection's properties are read-only");
}

static void
answer_managed_objects (Lookup      *lookup,
                        FerryCaller *caller)
{
  GVariantBuilder objects;
  GHashTableIter iter;
  gpointer value;

  g_variant_builder_init (&objects, G_VARIANT_TYPE ("a{oa{sa{sv}}}"));
  g_hash_table_iter_init (&iter, lookup->self->exported);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Exported *exported = value;

      if (!ferry_collection_args_check_access (caller, owner_of (exported), NULL))
        continue;
      if (exported->flush_id != 0)
        flush_properties (exported);
      g_variant_builder_open (&objects, G_VARIANT_TYPE ("{oa{sa{sv}}}"));
      g_variant_builder_add (&objects, "o", exported->path);
      g_variant_builder_open (&objects, G_VARIANT_TYPE ("a{sa{sv}}"));
      g_variant_builder_add (&objects, "{s@a{sv}}", COLLECTION_IFACE, exported->properties);
      g_variant_builder_close (&objects);
      g_variant_builder_close (&objects);
    }
  g_dbus_method_invocation_return_value (g_steal_pointer (&lookup->invocation),
                                         g_variant_new ("(a{oa{sa{sv}}})", &objects));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(FerryCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  Exported *exported;

  caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  if (caller == NULL)
    {
      g_debug ("%s: %s", g_dbus_method_invocation_get_sender (lookup->invocation),
               error->message);
      g_dbus_method_invocation_return_error_literal (g_steal_pointer (&lookup->invocation),
                                                     FERRY_ERROR,
                                                     FERRY_ERROR_PERMISSION_DENIED,
                                                     "the caller cannot be identified");
      return;
    }
  if (lookup->id == 0)
    {
      answer_managed_objects (lookup, caller);
      return;
    }
  exported = g_hash_table_lookup (lookup->self->exported, &lookup->id);
  if (exported == NULL)
    g_set_error (&error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "collection: no such collection");
  else
    ferry_collection_args_check_access (caller, owner_of (exported), &error);
  if (error != NULL)
    g_dbus_method_invocation_return_gerror (g_steal_pointer (&lookup->invocation), error);
  else
    answer_properties (lookup, exported);
}

static void
begin_lookup (FerryCollectionObjects *self,
              GDBusMethodInvocation  *invocation,
              gint64                  id)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->self = g_object_ref (self);
  lookup->invocation = invocation;
  lookup->id = id;
  ferry_caller_cache_lookup_async (self->callers,
                                   g_dbus_method_invocation_get_sender (invocation), NULL,
                                   lookup_cb, lookup);
}

static void
collection_method_call (GDBusConnection       *connection,
                        const char            *sender,
                        const char            *object_path,
                        const char            *interface_name,
                        const char            *method_name,
                        GVariant              *parameters,
                        GDBusMethodInvocation *invocation,
                        gpointer               user_data)
{
  FerryCollectionObjects *self = user_data;
  gint64 id = g_ascii_strtoll (object_path + strlen (FERRY_COLLECTIONS_PATH "/"), NULL, 10);

  if (g_str_equal (interface_name, PROPERTIES_IFACE))
    begin_lookup (self, invocation, id);
  else
    self->method_func (invocation, id, self->user_data);
}

static void
manager_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  begin_lookup (user_data, invocation, 0);
}

/* Properties calls (get_property left NULL) reach method_call too. */
static const GDBusInterfaceVTable collection_vtable = { collection_method_call, NULL, NULL };
static const GDBusInterfaceVTable manager_vtable = { manager_method_call, NULL, NULL };

/* The collections' subtree.  Listing its nodes (an Introspect of
 * FERRY_COLLECTIONS_PATH) names only the collections the caller may see,
 * and none while the caller is not identified yet: GDBus asks here at
 * once, and identifying takes a call to the bus.  Every node has the
 * Collection interface, whether it exists or not, so introspecting one
 * tells nothing; its calls find out, as their caller may. */
static char **
subtree_enumerate (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   gpointer         user_data)
{
  FerryCollectionObjects *self = user_data;
  g_autoptr(FerryCaller) caller = ferry_caller_cache_peek (self->callers, sender);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->exported);
  while (caller != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      Exported *exported = value;

      if (ferry_collection_args_check_access (caller, owner_of (exported), NULL))
        g_ptr_array_add (nodes, g_strdup_printf ("%" G_GINT64_FORMAT, exported->id));
    }
  return (char **) g_ptr_array_steal (nodes, NULL);
}

static GDBusInterfaceInfo **
subtree_introspect (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *node,
                    gpointer         user_data)
{
  GDBusInterfaceInfo **interfaces;

  if (node == NULL)
    return NULL;
  interfaces = g_new0 (GDBusInterfaceInfo *, 2);
  interfaces[0] = g_dbus_interface_info_ref (ferry_dbus_collection_interface_info ());
  return interfaces;
}

static const GDBusInterfaceVTable *
subtree_dispatch (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  if (node == NULL || !g_str_equal (interface_name, COLLECTION_IFACE))
    return NULL;
  *out_user_data = user_data;
  return &collection_vtable;
}

static const GDBusSubtreeVTable subtree_vtable = {
  subtree_enumerate, subtree_introspect, subtree_dispatch,
};

/* The engine's signals ------------------------------------------------------ */

static void
emit_collection_signal (Exported   *exported,
                        const char *name,
                        GVariant   *parameters)
{
  /* Properties first: a peer that hears of a run's end sees its counts. */
  flush_properties (exported);
  emit (exported->self, owner_of (exported), exported->path, COLLECTION_IFACE, name,
        parameters);
}

static void
on_notify (FerryCollection *collection,
           GParamSpec      *pspec,
           Exported        *exported)
{
  if (exported->flush_id == 0)
    {
      exported->flush_id = g_idle_add (flush_cb, exported);
      g_source_set_name_by_id (exported->flush_id, "[ferryd] collection properties");
    }
}

static void
on_documents_changed (FerryCollection *collection,
                      gint64           seq,
                      Exported        *exported)
{
  emit_collection_signal (exported, "Changed", g_variant_new ("(x)", seq));
}

static void
on_run_started (FerryCollection *collection,
                const char      *trigger,
                Exported        *exported)
{
  emit_collection_signal (exported, "RunStarted", g_variant_new ("(s)", trigger));
}

static void
on_run_finished (FerryCollection *collection,
                 FerryRunRecord  *record,
                 Exported        *exported)
{
  GVariant *summary = ferry_collection_args_summary (record,
                                                     ferry_collection_get_last_error (collection));

  emit_collection_signal (exported, "RunFinished", g_variant_new ("(@a{sv})", summary));
}

static void
on_conflict (FerryCollection *collection,
             const char      *doc_id,
             Exported        *exported)
{
  emit_collection_signal (exported, "ConflictDetected", g_variant_new ("(s)", doc_id));
}

static void
served_free (gpointer data)
{
  Served *served = data;

  if (served->manager_id != 0)
    g_dbus_connection_unregister_object (served->connection, served->manager_id);
  if (served->subtree_id != 0)
    g_dbus_connection_unregister_subtree (served->connection, served->subtree_id);
  g_object_unref (served->connection);
  g_free (served);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_collection_objects_dispose (GObject *object)
{
  ferry_collection_objects_close (FERRY_COLLECTION_OBJECTS (object));

  G_OBJECT_CLASS (ferry_collection_objects_parent_class)->dispose (object);
}

static void
ferry_collection_objects_finalize (GObject *object)
{
  FerryCollectionObjects *self = FERRY_COLLECTION_OBJECTS (object);

  g_clear_pointer (&self->exported, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_collection_objects_parent_class)->finalize (object);
}

static void
ferry_collection_objects_class_init (FerryCollectionObjectsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_collection_objects_dispose;
  object_class->finalize = ferry_collection_objects_finalize;

  object_manager_info = g_dbus_node_info_new_for_xml (object_manager_xml, NULL);
  g_assert (object_manager_info != NULL);
}

static void
ferry_collection_objects_init (FerryCollectionObjects *self)
{
  self->exported = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                          (GDestroyNotify) exported_free);
  self->served = g_ptr_array_new_with_free_func (served_free);
}

/**
 * ferry_collection_objects_new:
 * @callers: who calls, and who has called
 * @connection: where the objects go
 * @method_func: serves the Collection interface's method calls
 * @user_data: closure for @method_func
 *
 * Registers the ObjectManager at the agent's path.
 *
 * Returns: (transfer full): the objects, none yet
 */
FerryCollectionObjects *
ferry_collection_objects_new (FerryCallerCache          *callers,
                              GDBusConnection           *connection,
                              FerryCollectionMethodFunc  method_func,
                              gpointer                   user_data)
{
  FerryCollectionObjects *self;

  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (callers), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (method_func != NULL, NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_OBJECTS, NULL);
  self->callers = g_object_ref (callers);
  self->method_func = method_func;
  self->user_data = user_data;
  ferry_collection_objects_serve (self, connection);
  return self;
}

/**
 * ferry_collection_objects_serve:
 * @self: the objects
 * @connection: a connection to serve them on too
 *
 * Registers the ObjectManager and the collections' subtree on @connection,
 * beside the connections they are served on already.
 */
void
ferry_collection_objects_serve (FerryCollectionObjects *self,
                                GDBusConnection        *connection)
{
  g_autoptr(GError) error = NULL;
  Served *served;

  g_return_if_fail (FERRY_IS_COLLECTION_OBJECTS (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (self->served != NULL);

  served = g_new0 (Served, 1);
  served->connection = g_object_ref (connection);
  served->manager_id = g_dbus_connection_register_object (connection, FERRY_DBUS_PATH,
                                                          object_manager_info->interfaces[0],
                                                          &manager_vtable, self, NULL, &error);
  if (served->manager_id == 0)
    g_warning ("Cannot export the collections' ObjectManager: %s", error->message);
  g_clear_error (&error);
  served->subtree_id = g_dbus_connection_register_subtree (
    connection, FERRY_COLLECTIONS_PATH, &subtree_vtable,
    G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES, self, NULL, &error);
  if (served->subtree_id == 0)
    g_warning ("Cannot export the collections: %s", error->message);
  g_ptr_array_add (self->served, served);
}

/**
 * ferry_collection_objects_retire:
 * @self: the objects
 * @connection: a connection they are served on
 *
 * Stops serving them on @connection.
 */
void
ferry_collection_objects_retire (FerryCollectionObjects *self,
                                 GDBusConnection        *connection)
{
  g_return_if_fail (FERRY_IS_COLLECTION_OBJECTS (self));

  for (guint i = 0; self->served != NULL && i < self->served->len; i++)
    {
      Served *served = g_ptr_array_index (self->served, i);

      if (served->connection == connection)
        {
          g_ptr_array_remove_index (self->served, i);
          return;
        }
    }
}

/**
 * ferry_collection_objects_add:
 * @self: the objects
 * @collection: a collection of the engine
 *
 * Exports @collection's object and tells the peers that may see it.
 */
void
ferry_collection_objects_add (FerryCollectionObjects *self,
                              FerryCollection        *collection)
{
  Exported *exported;

  g_return_if_fail (FERRY_IS_COLLECTION_OBJECTS (self));
  g_return_if_fail (self->served != NULL);

  exported = g_new0 (Exported, 1);
  exported->self = self;
  exported->collection = g_object_ref (collection);
  exported->id = ferry_collection_get_id (collection);
  exported->path = ferry_collection_objects_path (exported->id);
  exported->properties = collection_properties (collection);
  g_signal_connect (collection, "notify", G_CALLBACK (on_notify), exported);
  g_signal_connect (collection, "documents-changed", G_CALLBACK (on_documents_changed),
                    exported);
  g_signal_connect (collection, "run-started", G_CALLBACK (on_run_started), exported);
  g_signal_connect (collection, "run-finished", G_CALLBACK (on_run_finished), exported);
  g_signal_connect (collection, "conflict", G_CALLBACK (on_conflict), exported);
  g_hash_table_replace (self->exported, &exported->id, exported);

  emit (self, owner_of (exported), FERRY_DBUS_PATH, OBJECT_MANAGER_IFACE, "InterfacesAdded",
        g_variant_new_parsed ("(%o, {%s: %@a{sv}})", exported->path, COLLECTION_IFACE,
                              exported->properties));
}

/**
 * ferry_collection_objects_remove:
 * @self: the objects
 * @collection: a collection ferry_collection_objects_add() exported
 *
 * Takes its object away and tells the peers that could see it.
 */
void
ferry_collection_objects_remove (FerryCollectionObjects *self,
                                 FerryCollection        *collection)
{
  gint64 id = ferry_collection_get_id (collection);
  g_autofree char *path = NULL;
  g_autofree char *owner = NULL;
  const char *interfaces[] = { COLLECTION_IFACE, NULL };
  Exported *exported;

  g_return_if_fail (FERRY_IS_COLLECTION_OBJECTS (self));

  exported = g_hash_table_lookup (self->exported, &id);
  if (exported == NULL)
    return;
  path = g_strdup (exported->path);
  owner = g_strdup (owner_of (exported));
  g_hash_table_remove (self->exported, &id);
  emit (self, owner, FERRY_DBUS_PATH, OBJECT_MANAGER_IFACE, "InterfacesRemoved",
        g_variant_new ("(o^as)", path, interfaces));
}

/**
 * ferry_collection_objects_close:
 * @self: the objects
 *
 * Takes every object away, the ObjectManager too, without a word: the
 * agent is going away.
 */
void
ferry_collection_objects_close (FerryCollectionObjects *self)
{
  g_return_if_fail (FERRY_IS_COLLECTION_OBJECTS (self));

  if (self->exported != NULL)
    g_hash_table_remove_all (self->exported);
  g_clear_pointer (&self->served, g_ptr_array_unref);
  g_clear_object (&self->callers);
}
