/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-resolver-registry"

#include "config.h"

#include "ferry-error.h"

#include "ferry-resolver-registry.h"

/*
 * The resolvers apps register for their own conflicts (the custom
 * strategy), one per owner: the unique bus name and the object path that
 * registered.  A registration ends when its owner unregisters or registers
 * again, or when the registering connection leaves the bus (watched by
 * name, which also catches a connection that left while its call to
 * RegisterResolver was still being answered).
 *
 * Installed on the managers, the registry answers their resolver calls
 * by calling Resolve on the owner's registered object, and only ever the
 * owner's: a task or a document is never shown to another app.
 */

/* The D-Bus call may run a little longer than the manager waits, so that
 * the manager's own timeout, with its own message, ends a silent one. */
#define CALL_TIMEOUT_MARGIN_MS 1000

typedef struct
{
  char                  *owner;
  char                  *unique_name;
  char                  *path;
  guint                  watch_id;
  gboolean               removed;
  FerryResolverRegistry *registry;     /* unowned; valid while !removed */
} Registration;

typedef struct
{
  char *owner;
  char *unique_name;
  char *path;
  char *subject;      /* a task or a document, for logs */
} ResolveCall;

struct _FerryResolverRegistry
{
  GObject          parent_instance;

  /* owned */
  GDBusConnection *connection;
  GHashTable      *registrations;   /* owner → Registration (a reference) */

  /* state */
  guint            call_timeout;    /* ms */
};

G_DEFINE_FINAL_TYPE (FerryResolverRegistry, ferry_resolver_registry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_CALL_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REGISTERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
registration_clear (Registration *registration)
{
  g_free (registration->owner);
  g_free (registration->unique_name);
  g_free (registration->path);
}

static void
registration_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) registration_clear);
}

static void
resolve_call_free (ResolveCall *call)
{
  g_free (call->owner);
  g_free (call->unique_name);
  g_free (call->path);
  g_free (call->subject);
  g_free (call);
}

/* Takes @registration out of service; the table's reference goes with it
 * when it is removed from the table. */
static void
end_registration (Registration *registration)
{
  registration->removed = TRUE;
  registration->registry = NULL;
  if (registration->watch_id != 0)
    {
      g_bus_unwatch_name (registration->watch_id);
      registration->watch_id = 0;
    }
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Registration *registration = user_data;
  FerryResolverRegistry *self = registration->registry;

  if (registration->removed)
    return;

  g_assert (g_hash_table_lookup (self->registrations, registration->owner) == registration);
  g_debug ("%s left the bus: the resolver of %s at %s is gone",
           name, registration->owner, registration->path);
  end_registration (registration);
  g_hash_table_remove (self->registrations, registration->owner);
}

/* The watch holds a reference of its own: it may still call back once
 * after being removed, and then finds the registration marked removed. */
static guint
watch_registration (Registration    *registration,
                    GDBusConnection *connection)
{
  return g_bus_watch_name_on_connection (connection, registration->unique_name,
                                         G_BUS_NAME_WATCHER_FLAGS_NONE,
                                         NULL, on_name_vanished,
                                         g_rc_box_acquire (registration), registration_release);
}

/* Resolving */

static GVariant *
bytes_variant (GBytes *bytes)
{
  if (bytes == NULL)
    return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1);
  return g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE);
}

/*
 * The manager puts "the app's resolver " before the message, and falls
 * back to asking whatever it says.
 */
static void
return_call_error (GTask       *task,
                   ResolveCall *call,
                   GError      *error)
{
  g_autofree char *remote = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The manager gave up waiting (or is stopping): it knows why. */
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED, "did not answer in time");
      return;
    }

  remote = g_dbus_error_get_remote_error (error);
  g_dbus_error_strip_remote_error (error);
  if (g_strcmp0 (remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
      g_strcmp0 (remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0)
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                             "is gone: no resolver registered for “%s” (%s left the bus)",
                             call->owner, call->unique_name);
  else if (g_strcmp0 (remote, "org.freedesktop.DBus.Error.NoReply") == 0)
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED,
                             "left the bus without answering");
  else if (g_strcmp0 (remote, "org.freedesktop.DBus.Error.UnknownMethod") == 0 ||
           g_strcmp0 (remote, "org.freedesktop.DBus.Error.UnknownObject") == 0 ||
           g_strcmp0 (remote, "org.freedesktop.DBus.Error.UnknownInterface") == 0)
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED,
                             "failed: nothing at %s implements %s.Resolve (%s)",
                             call->path, FERRY_RESOLVER_INTERFACE, error->message);
  else if (remote != NULL)
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED,
                             "failed: %s (%s)", error->message, remote);
  else
    g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED,
                             "failed: %s", error->message);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResolveCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) merged = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("the resolver of %s did not settle %s: %s",
               call->owner, call->subject, error->message);
      return_call_error (task, call, error);
      return;
    }

  merged = g_variant_get_child_value (reply, 0);
  if (g_variant_get_size (merged) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED,
                               "answered %" G_GSIZE_FORMAT " bytes, over the limit of %d",
                               g_variant_get_size (merged), FERRY_TASK_MAX_BODY_SIZE);
      return;
    }
  g_debug ("the resolver of %s settled %s", call->owner, call->subject);
  g_task_return_pointer (task, g_variant_get_data_as_bytes (merged),
                         (GDestroyNotify) g_bytes_unref);
}

static void
resolve (const char          *owner,
         const char          *subject,
         GBytes              *base,
         GBytes              *local,
         GBytes              *remote,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             callback_data,
         gpointer             user_data)
{
  FerryResolverRegistry *self = user_data;
  g_autoptr(GTask) gtask = NULL;
  ResolveCall *call;
  Registration *registration;

  gtask = g_task_new (self, cancellable, callback, callback_data);
  g_task_set_source_tag (gtask, resolve);

  registration = g_hash_table_lookup (self->registrations, owner);
  if (registration == NULL)
    {
      g_task_return_new_error (gtask, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                               "is missing: no resolver registered for “%s”", owner);
      return;
    }

  call = g_new0 (ResolveCall, 1);
  call->owner = g_strdup (registration->owner);
  call->unique_name = g_strdup (registration->unique_name);
  call->path = g_strdup (registration->path);
  call->subject = g_strdup (subject);
  g_task_set_task_data (gtask, call, (GDestroyNotify) resolve_call_free);

  g_debug ("asking the resolver of %s (%s at %s) to settle %s",
           call->owner, call->unique_name, call->path, call->subject);
  g_dbus_connection_call (self->connection,
                          call->unique_name,
                          call->path,
                          FERRY_RESOLVER_INTERFACE,
                          "Resolve",
                          g_variant_new ("(@ay@ay@ay)", bytes_variant (base), bytes_variant (local),
                                         bytes_variant (remote)),
                          G_VARIANT_TYPE ("(ay)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          (int) MIN ((guint64) self->call_timeout + CALL_TIMEOUT_MARGIN_MS,
                                     G_MAXINT),
                          cancellable,
                          resolve_cb,
                          g_steal_pointer (&gtask));
}

static GBytes *
resolve_finish (GAsyncResult  *result,
                GError       **error,
                gpointer       user_data)
{
  g_return_val_if_fail (g_task_is_valid (result, user_data), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
ferry_resolver_registry_dispose (GObject *object)
{
  FerryResolverRegistry *self = FERRY_RESOLVER_REGISTRY (object);

  if (self->registrations != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->registrations);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        end_registration (value);
      g_hash_table_remove_all (self->registrations);
    }
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ferry_resolver_registry_parent_class)->dispose (object);
}

static void
ferry_resolver_registry_finalize (GObject *object)
{
  FerryResolverRegistry *self = FERRY_RESOLVER_REGISTRY (object);

  g_clear_pointer (&self->registrations, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_resolver_registry_parent_class)->finalize (object);
}

static void
ferry_resolver_registry_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  FerryResolverRegistry *self = FERRY_RESOLVER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_CALL_TIMEOUT:
      g_value_set_uint (value, self->call_timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_resolver_registry_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  FerryResolverRegistry *self = FERRY_RESOLVER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_CALL_TIMEOUT:
      if (self->call_timeout != g_value_get_uint (value))
        {
          self->call_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_resolver_registry_class_init (FerryResolverRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_resolver_registry_dispose;
  object_class->finalize = ferry_resolver_registry_finalize;
  object_class->get_property = ferry_resolver_registry_get_property;
  object_class->set_property = ferry_resolver_registry_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* How long a Resolve call may take, in ms: the manager's
   * "resolver-timeout" once installed. */
  properties[PROP_CALL_TIMEOUT] =
    g_param_spec_uint ("call-timeout", NULL, NULL, 1, G_MAXUINT, 10000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An app (the owner) registered a resolver. */
  signals[REGISTERED] =
    g_signal_new ("registered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_resolver_registry_init (FerryResolverRegistry *self)
{
  self->registrations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               registration_release);
  self->call_timeout = 10000;
}

/**
 * ferry_resolver_registry_new:
 * @connection: the bus connection ferryd serves on
 *
 * Returns: (transfer full): a registry with no resolvers
 */
FerryResolverRegistry *
ferry_resolver_registry_new (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (FERRY_TYPE_RESOLVER_REGISTRY, "connection", connection, NULL);
}

/**
 * ferry_resolver_registry_register:
 * @self: a registry
 * @owner: the registering caller's identity
 * @unique_name: its unique bus name
 * @path: where it exports the resolver interface
 * @error: return location for an error
 *
 * Makes @path at @unique_name the resolver of @owner's tasks, in place of
 * any earlier one, until @unique_name leaves the bus.
 *
 * Returns: %TRUE when registered
 */
gboolean
ferry_resolver_registry_register (FerryResolverRegistry  *self,
                                  const char             *owner,
                                  const char             *unique_name,
                                  const char             *path,
                                  GError                **error)
{
  Registration *registration;
  Registration *earlier;

  g_return_val_if_fail (FERRY_IS_RESOLVER_REGISTRY (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  g_return_val_if_fail (unique_name != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (unique_name[0] != ':' || !g_variant_is_object_path (path))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "path: a resolver is registered by a bus peer at an object path");
      return FALSE;
    }

  earlier = g_hash_table_lookup (self->registrations, owner);
  if (earlier != NULL)
    {
      g_debug ("the resolver of %s moves from %s at %s to %s at %s", owner,
               earlier->unique_name, earlier->path, unique_name, path);
      end_registration (earlier);
      g_hash_table_remove (self->registrations, owner);
    }

  registration = g_rc_box_new0 (Registration);
  registration->owner = g_strdup (owner);
  registration->unique_name = g_strdup (unique_name);
  registration->path = g_strdup (path);
  registration->registry = self;
  g_hash_table_insert (self->registrations, registration->owner, registration);

  registration->watch_id = watch_registration (registration, self->connection);
  g_debug ("%s (%s) resolves its conflicts at %s", owner, unique_name, path);
  g_signal_emit (self, signals[REGISTERED], 0, owner);
  return TRUE;
}

/**
 * ferry_resolver_registry_unregister:
 * @self: a registry
 * @owner: the caller's identity
 * @unique_name: its unique bus name
 * @path: the path it registered
 * @error: return location for a %FERRY_ERROR_NOT_FOUND
 *
 * Ends a registration, when it is the one @unique_name made for @owner at
 * @path.
 *
 * Returns: %TRUE when it was registered
 */
gboolean
ferry_resolver_registry_unregister (FerryResolverRegistry  *self,
                                    const char             *owner,
                                    const char             *unique_name,
                                    const char             *path,
                                    GError                **error)
{
  Registration *registration;

  g_return_val_if_fail (FERRY_IS_RESOLVER_REGISTRY (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  g_return_val_if_fail (unique_name != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  registration = g_hash_table_lookup (self->registrations, owner);
  if (registration == NULL || !g_str_equal (registration->unique_name, unique_name) ||
      !g_str_equal (registration->path, path))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "path: this connection has no resolver registered at %s", path);
      return FALSE;
    }

  g_debug ("%s (%s) no longer resolves its conflicts", owner, unique_name);
  end_registration (registration);
  g_hash_table_remove (self->registrations, owner);
  return TRUE;
}

/**
 * ferry_resolver_registry_install:
 * @self: a registry
 * @manager: the sync manager
 *
 * Makes @self the manager's resolver for the custom strategy, and its
 * calls follow the manager's "resolver-timeout".
 */
void
ferry_resolver_registry_install (FerryResolverRegistry *self,
                                 FerrySyncManager      *manager)
{
  g_return_if_fail (FERRY_IS_RESOLVER_REGISTRY (self));
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (manager));

  g_object_bind_property (manager, "resolver-timeout", self, "call-timeout",
                          G_BINDING_SYNC_CREATE);
  ferry_sync_manager_set_resolver (manager, resolve, resolve_finish,
                                   g_object_ref (self), g_object_unref);
}

/**
 * ferry_resolver_registry_install_collections:
 * @self: a registry
 * @collections: the collection manager
 *
 * Makes @self the resolver of documents in collections with the custom
 * strategy, the same apps' objects as for their tasks; an app that
 * registers is asked again about documents still waiting for it.
 */
void
ferry_resolver_registry_install_collections (FerryResolverRegistry  *self,
                                             FerryCollectionManager *collections)
{
  g_return_if_fail (FERRY_IS_RESOLVER_REGISTRY (self));
  g_return_if_fail (FERRY_IS_COLLECTION_MANAGER (collections));

  ferry_collection_manager_set_resolver (collections, resolve, resolve_finish,
                                         g_object_ref (self), g_object_unref);
  /* Questions a stopped ferryd left unanswered go to the app again. */
  g_signal_connect_object (self, "registered",
                           G_CALLBACK (ferry_collection_manager_resolver_ready), collections,
                           G_CONNECT_SWAPPED);
}

/**
 * ferry_resolver_registry_set_connection:
 * @self: a registry
 * @connection: the connection ferryd serves on from now on
 *
 * Watches the resolvers' peers and calls them on @connection.  A call
 * already in flight gets its answer on the connection it was made on.
 */
void
ferry_resolver_registry_set_connection (FerryResolverRegistry *self,
                                        GDBusConnection       *connection)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (FERRY_IS_RESOLVER_REGISTRY (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  if (connection == self->connection)
    return;
  g_hash_table_iter_init (&iter, self->registrations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Registration *registration = value;
      guint earlier = registration->watch_id;

      /* Watched on both for a moment, so a peer leaving is never missed. */
      registration->watch_id = watch_registration (registration, connection);
      g_bus_unwatch_name (earlier);
    }
  g_set_object (&self->connection, connection);
}
