/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-caller-cache"

#include "config.h"

#include "ferry-error.h"

#include "ferry-caller-cache.h"

/*
 * Who is behind each unique bus name that calls us.  The bus daemon is
 * asked once per name for the process id (GetConnectionUnixProcessID), and
 * the answer is kept until the name leaves the bus (NameOwnerChanged with no
 * new owner): unique names are never reused, so an entry cannot go stale
 * while the name exists.  Calls that arrive while a name is being looked up
 * wait for that one lookup.
 */

typedef struct
{
  GPtrArray *waiters;   /* GTask */
  gboolean   vanished;  /* the name left the bus while we asked about it */
} Lookup;

typedef struct
{
  FerryCallerCache *self;
  char             *sender;
} PidCall;

/* A signal that waits while ferryd moves to another connection. */
typedef struct
{
  char     *destination;   /* NULL: to every peer that listens */
  char     *path;
  char     *interface;
  char     *name;
  GVariant *parameters;    /* nullable */
} HeldSignal;

struct _FerryCallerCache
{
  GObject          parent_instance;

  /* owned */
  GDBusConnection *connection;
  GHashTable      *callers;  /* unique name → FerryCaller */
  GHashTable      *lookups;  /* unique name → Lookup, in flight */
  GCancellable    *cancellable;
  GPtrArray       *held;     /* HeldSignal; NULL unless signals are held */

  /* state */
  guint            name_owner_changed_id;
};

G_DEFINE_FINAL_TYPE (FerryCallerCache, ferry_caller_cache, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lookup_free (Lookup *lookup)
{
  g_ptr_array_unref (lookup->waiters);
  g_free (lookup);
}

static void
pid_call_free (PidCall *call)
{
  g_object_unref (call->self);
  g_free (call->sender);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PidCall, pid_call_free)

static void
held_signal_free (gpointer data)
{
  HeldSignal *held = data;

  g_free (held->destination);
  g_free (held->path);
  g_free (held->interface);
  g_free (held->name);
  g_clear_pointer (&held->parameters, g_variant_unref);
  g_free (held);
}

static void
send_signal (FerryCallerCache *self,
             const char       *destination,
             const char       *path,
             const char       *interface,
             const char       *name,
             GVariant         *parameters)
{
  g_autoptr(GError) error = NULL;

  if (!g_dbus_connection_emit_signal (self->connection, destination, path, interface, name,
                                      parameters, &error))
    g_debug ("%s.%s not sent: %s", interface, name, error->message);
}

/* Sends what waited, in order, from the connection in use. */
static void
release_held (FerryCallerCache *self)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

  for (guint i = 0; held != NULL && i < held->len; i++)
    {
      HeldSignal *signal = g_ptr_array_index (held, i);

      send_signal (self, signal->destination, signal->path, signal->interface, signal->name,
                   signal->parameters);
    }
}
static void
on_name_owner_changed (GDBusConnection *connection,
                       const char      *sender_name,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  FerryCallerCache *self = user_data;
  const char *name, *old_owner, *new_owner;
  Lookup *lookup;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (name[0] != ':' || new_owner[0] != '\0')
    return;

  g_hash_table_remove (self->callers, name);
  lookup = g_hash_table_lookup (self->lookups, name);
  if (lookup != NULL)
    lookup->vanished = TRUE;
}

static void
get_pid_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PidCall) call = user_data;
  FerryCallerCache *self = call->self;
  const char *sender = call->sender;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCaller) caller = NULL;
  g_autoptr(GPtrArray) waiters = NULL;
  gpointer key = NULL, value = NULL;
  Lookup *lookup;
  guint32 pid = 0;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  /* Even when the cache is being disposed (the call was cancelled), every
   * waiter gets an answer. */
  if (!g_hash_table_steal_extended (self->lookups, sender, &key, &value))
    g_assert_not_reached ();
  g_free (key);
  lookup = value;
  waiters = g_steal_pointer (&lookup->waiters);

  if (reply != NULL)
    {
      g_variant_get (reply, "(u)", &pid);
      if (pid == 0)
        g_set_error (&error, FERRY_ERROR, FERRY_ERROR_FAILED,
                     "caller: the bus does not know the process of %s", sender);
      else
        caller = ferry_caller_new_for_pid (sender, pid, &error);
    }
  else
    {
      g_dbus_error_strip_remote_error (error);
      g_prefix_error (&error, "caller: cannot identify %s: ", sender);
    }

  if (caller != NULL && !lookup->vanished)
    g_hash_table_replace (self->callers, g_strdup (sender), ferry_caller_ref (caller));
  g_free (lookup);

  if (caller != NULL)
    g_debug ("%s is %s%s (pid %u)", sender, caller->app_id,
             caller->sandboxed ? ", sandboxed" : "", caller->pid);
  else
    g_debug ("%s", error->message);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (caller != NULL)
        g_task_return_pointer (task, ferry_caller_ref (caller),
                               (GDestroyNotify) ferry_caller_unref);
      else if (error->domain == FERRY_ERROR)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_FAILED, "%s", error->message);
    }
}

/* Names leave the bus: the same news reaches every connection. */
static guint
follow_departures (FerryCallerCache *self,
                   GDBusConnection  *connection)
{
  return g_dbus_connection_signal_subscribe (connection,
                                             "org.freedesktop.DBus",
                                             "org.freedesktop.DBus",
                                             "NameOwnerChanged",
                                             "/org/freedesktop/DBus",
                                             NULL,
                                             G_DBUS_SIGNAL_FLAGS_NONE,
                                             on_name_owner_changed,
                                             self, NULL);
}

static void
ferry_caller_cache_constructed (GObject *object)
{
  FerryCallerCache *self = FERRY_CALLER_CACHE (object);

  G_OBJECT_CLASS (ferry_caller_cache_parent_class)->constructed (object);

  g_assert (self->connection != NULL);
  self->name_owner_changed_id = follow_departures (self, self->connection);
}

static void
ferry_caller_cache_dispose (GObject *object)
{
  FerryCallerCache *self = FERRY_CALLER_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->name_owner_changed_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->connection, self->name_owner_changed_id);
      self->name_owner_changed_id = 0;
    }
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ferry_caller_cache_parent_class)->dispose (object);
}

static void
ferry_caller_cache_finalize (GObject *object)
{
  FerryCallerCache *self = FERRY_CALLER_CACHE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->callers, g_hash_table_unref);
  g_clear_pointer (&self->lookups, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_caller_cache_parent_class)->finalize (object);
}

static void
ferry_caller_cache_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerryCallerCache *self = FERRY_CALLER_CACHE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_caller_cache_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerryCallerCache *self = FERRY_CALLER_CACHE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_caller_cache_class_init (FerryCallerCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_caller_cache_constructed;
  object_class->dispose = ferry_caller_cache_dispose;
  object_class->finalize = ferry_caller_cache_finalize;
  object_class->set_property = ferry_caller_cache_set_property;
  object_class->get_property = ferry_caller_cache_get_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_caller_cache_init (FerryCallerCache *self)
{
  self->callers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) ferry_caller_unref);
  self->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) lookup_free);
  self->cancellable = g_cancellable_new ();
}

/**
 * ferry_caller_cache_new:
 * @connection: the bus connection the callers use
 *
 * Returns: (transfer full): a new cache
 */
FerryCallerCache *
ferry_caller_cache_new (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (FERRY_TYPE_CALLER_CACHE, "connection", connection, NULL);
}

/**
 * ferry_caller_cache_lookup_async:
 * @self: a cache
 * @sender: the unique bus name of a method call's sender
 * @cancellable: (nullable): a cancellable
 * @callback: called with the answer
 * @user_data: closure
 *
 * Finds out who @sender is; answers from the cache when it can.
 */
void
ferry_caller_cache_lookup_async (FerryCallerCache    *self,
                                 const char          *sender,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FerryCaller *caller;
  Lookup *lookup;

  g_return_if_fail (FERRY_IS_CALLER_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_caller_cache_lookup_async);

  if (sender == NULL || sender[0] != ':')
    {
      /* A peer-to-peer connection has no sender to ask the bus about. */
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                               "caller: only callers on the message bus are served");
      return;
    }

  caller = g_hash_table_lookup (self->callers, sender);
  if (caller != NULL)
    {
      g_task_return_pointer (task, ferry_caller_ref (caller),
                             (GDestroyNotify) ferry_caller_unref);
      return;
    }

  lookup = g_hash_table_lookup (self->lookups, sender);
  if (lookup == NULL)
    {
      PidCall *call = g_new0 (PidCall, 1);

      call->self = g_object_ref (self);
      call->sender = g_strdup (sender);
      lookup = g_new0 (Lookup, 1);
      lookup->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->lookups, g_strdup (sender), lookup);

      g_dbus_connection_call (self->connection,
                              "org.freedesktop.DBus",
                              "/org/freedesktop/DBus",
                              "org.freedesktop.DBus",
                              "GetConnectionUnixProcessID",
                              g_variant_new ("(s)", sender),
                              G_VARIANT_TYPE ("(u)"),
                              G_DBUS_CALL_FLAGS_NONE,
                              -1,
                              self->cancellable,
                              get_pid_cb,
                              call);
    }
  g_ptr_array_add (lookup->waiters, g_steal_pointer (&task));
}

/**
 * ferry_caller_cache_lookup_finish:
 * @self: a cache
 * @result: the result passed to the callback
 * @error: return location for a %FERRY_ERROR
 *
 * Returns: (transfer full): who the sender is, or %NULL with @error set
 */
FerryCaller *
ferry_caller_cache_lookup_finish (FerryCallerCache  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_caller_cache_get_size:
 * @self: a cache
 *
 * Returns: how many callers are remembered
 */
guint
ferry_caller_cache_get_size (FerryCallerCache *self)
{
  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (self), 0);

  return g_hash_table_size (self->callers);
}

/**
 * ferry_caller_cache_peek:
 * @self: a cache
 * @sender: a unique bus name
 *
 * Returns: (transfer full) (nullable): who is behind @sender, when that is
 *   known already; %NULL while it has not been asked (nothing is asked
 *   here)
 */
FerryCaller *
ferry_caller_cache_peek (FerryCallerCache *self,
                         const char       *sender)
{
  FerryCaller *caller;

  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (self), NULL);

  caller = sender != NULL ? g_hash_table_lookup (self->callers, sender) : NULL;
  return caller != NULL ? ferry_caller_ref (caller) : NULL;
}

/**
 * ferry_caller_cache_dup_callers:
 * @self: a cache
 *
 * The peers that have called and are still on the bus: the ones that may
 * hear about what they are allowed to see.
 *
 * Returns: (transfer full) (element-type FerryCaller): the callers known
 */
GPtrArray *
ferry_caller_cache_dup_callers (FerryCallerCache *self)
{
  GPtrArray *callers;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (self), NULL);

  callers = g_ptr_array_new_full (g_hash_table_size (self->callers),
                                  (GDestroyNotify) ferry_caller_unref);
  g_hash_table_iter_init (&iter, self->callers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (callers, ferry_caller_ref (value));
  return callers;
}

/**
 * ferry_caller_cache_get_connection:
 * @self: a cache
 *
 * Returns: (transfer none): the connection ferryd serves on now, the one
 *   its signals go out on
 */
GDBusConnection *
ferry_caller_cache_get_connection (FerryCallerCache *self)
{
  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (self), NULL);

  return self->connection;
}

/**
 * ferry_caller_cache_set_connection:
 * @self: a cache
 * @connection: the connection that now owns ferryd's name
 *
 * Moves to @connection.  Callers keep their unique names, so what is known
 * of them stays; a lookup still in flight finishes on the connection it
 * began on.  Signals held by ferry_caller_cache_hold_signals() go out from
 * @connection now (also when it is the one in use: the move did not
 * happen).
 */
void
ferry_caller_cache_set_connection (FerryCallerCache *self,
                                   GDBusConnection  *connection)
{
  guint subscription;

  g_return_if_fail (FERRY_IS_CALLER_CACHE (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  if (connection != self->connection)
    {
      /* Followed on both for a moment: a departure is never missed between. */
      subscription = follow_departures (self, connection);
      g_dbus_connection_signal_unsubscribe (self->connection, self->name_owner_changed_id);
      self->name_owner_changed_id = subscription;
      g_set_object (&self->connection, connection);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
    }
  release_held (self);
}

/**
 * ferry_caller_cache_emit:
 * @self: a cache
 * @destination: (nullable): the peer the signal goes to, %NULL for every
 *   peer that listens
 * @path: the object it is about
 * @interface: its interface
 * @name: the signal's name
 * @parameters: (nullable): its arguments; consumed when floating
 *
 * Sends a signal from the connection ferryd serves on.  While signals are
 * held it waits, and goes from the connection ferryd moves to.
 */
void
ferry_caller_cache_emit (FerryCallerCache *self,
                         const char       *destination,
                         const char       *path,
                         const char       *interface,
                         const char       *name,
                         GVariant         *parameters)
{
  g_autoptr(GVariant) owned = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  HeldSignal *held;

  g_return_if_fail (FERRY_IS_CALLER_CACHE (self));

  if (self->held == NULL)
    {
      send_signal (self, destination, path, interface, name, owned);
      return;
    }
  held = g_new0 (HeldSignal, 1);
  held->destination = g_strdup (destination);
  held->path = g_strdup (path);
  held->interface = g_strdup (interface);
  held->name = g_strdup (name);
  held->parameters = g_steal_pointer (&owned);
  g_ptr_array_add (self->held, held);
}

/**
 * ferry_caller_cache_hold_signals:
 * @self: a cache
 *
 * Holds what ferry_caller_cache_emit() sends until the next
 * ferry_caller_cache_set_connection(): ferryd is moving, and a signal sent
 * from either connection at the moment the name moves could reach a peer
 * that ignores it (it follows signals from the name's owner only).
 */
void
ferry_caller_cache_hold_signals (FerryCallerCache *self)
{
  g_return_if_fail (FERRY_IS_CALLER_CACHE (self));

  if (self->held == NULL)
    self->held = g_ptr_array_new_with_free_func (held_signal_free);
}
