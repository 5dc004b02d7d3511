/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-resolver"

#include "config.h"

#include "ferry-error.h"
#include "ferry-resolver-private.h"

/**
 * FerryResolver:
 *
 * An app's own way of settling the conflicts of its tasks whose conflict
 * strategy is %FERRY_CLIENT_CONFLICT_CUSTOM.
 *
 * Connect to #FerryResolver::resolve, then hand the resolver to
 * ferry_client_register_resolver_async(): the client exports it on its bus
 * connection (as `io.github.ferrysync.Ferry1.Resolver`) and registers it
 * with the agent.  When such a task conflicts, the agent asks the resolver
 * with the base, the local change and the server's copy, and sends the
 * answer over the server's copy.
 *
 * The agent keeps resolvers per owner and forgets them when it restarts
 * or when the app's connection leaves the bus: register again on
 * #FerryClient::agent-appeared.  It knows the owner of a registration from
 * the bus connection alone: a sandboxed app's id, or for an unsandboxed
 * app the name of its executable.  So for an unsandboxed app a resolver
 * only settles tasks added without an app id of their own (see
 * #FerryClient:app-id).
 */
struct _FerryResolver
{
  GObject parent_instance;

  /* owned */
  char *object_path;
  FerryDBusResolver *skeleton;
};

G_DEFINE_FINAL_TYPE (FerryResolver, ferry_resolver, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OBJECT_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESOLVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
on_skeleton_handle_resolve (FerryResolver         *self,
                            GDBusMethodInvocation *invocation,
                            GVariant              *base,
                            GVariant              *local,
                            GVariant              *remote,
                            FerryDBusResolver     *skeleton)
{
  g_autoptr(FerryResolveRequest) request = NULL;
  gboolean handled = FALSE;

  request = ferry_resolve_request_new (invocation, base, local, remote);
  g_signal_emit (self, signals[RESOLVE], 0, request, &handled);

  if (!handled && !ferry_resolve_request_get_answered (request))
    ferry_resolve_request_return_error (request, "The app has no way to settle this conflict");
  /* A handler that keeps the request answers later; dropping the last
   * reference without an answer answers with an error. */
  return TRUE;
}

static void
ferry_resolver_dispose (GObject *object)
{
  FerryResolver *self = (FerryResolver *) object;

  if (self->skeleton != NULL)
    {
      ferry_resolver_unexport (self);
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
      g_clear_object (&self->skeleton);
    }

  G_OBJECT_CLASS (ferry_resolver_parent_class)->dispose (object);
}

static void
ferry_resolver_finalize (GObject *object)
{
  FerryResolver *self = (FerryResolver *) object;

  g_free (self->object_path);

  G_OBJECT_CLASS (ferry_resolver_parent_class)->finalize (object);
}

static void
ferry_resolver_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryResolver *self = FERRY_RESOLVER (object);

  switch (prop_id)
    {
    case PROP_OBJECT_PATH:
      g_value_set_string (value, self->object_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_resolver_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryResolver *self = FERRY_RESOLVER (object);

  switch (prop_id)
    {
    case PROP_OBJECT_PATH:
      g_assert (self->object_path == NULL);
      self->object_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_resolver_constructed (GObject *object)
{
  FerryResolver *self = (FerryResolver *) object;
  static gint counter = 0;

  G_OBJECT_CLASS (ferry_resolver_parent_class)->constructed (object);

  /* Under Ferry's own path, so it cannot clash with the app's objects. */
  if (self->object_path == NULL || !g_variant_is_object_path (self->object_path))
    {
      if (self->object_path != NULL)
        g_critical ("“%s” is not a D-Bus object path; using a path of our own",
                    self->object_path);
      g_free (self->object_path);
      self->object_path = g_strdup_printf ("/io/github/ferrysync/Ferry1/Resolver/%d",
                                           g_atomic_int_add (&counter, 1));
    }
}

static void
ferry_resolver_class_init (FerryResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_resolver_constructed;
  object_class->dispose = ferry_resolver_dispose;
  object_class->finalize = ferry_resolver_finalize;
  object_class->get_property = ferry_resolver_get_property;
  object_class->set_property = ferry_resolver_set_property;

  /**
   * FerryResolver:object-path:
   *
   * Where the resolver is exported on the client's bus connection.  When
   * not given (or not an object path), a path under
   * `/io/github/ferrysync/Ferry1/Resolver/` of its own.
   */
  properties[PROP_OBJECT_PATH] =
    g_param_spec_string ("object-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryResolver::resolve:
   * @self: the resolver
   * @request: the conflict to settle
   *
   * The agent asks to settle a conflict.  A handler that takes it answers
   * with ferry_resolve_request_return_body() or
   * ferry_resolve_request_return_error(), at once or later (keeping a
   * reference to @request), and returns %TRUE.  When no handler does, the
   * conflict is left to the person.
   *
   * Returns: %TRUE when the handler answers @request (now or later)
   */
  signals[RESOLVE] =
    g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, FERRY_TYPE_RESOLVE_REQUEST);
}

static void
ferry_resolver_init (FerryResolver *self)
{
  self->skeleton = ferry_dbus_resolver_skeleton_new ();
  g_signal_connect_swapped (self->skeleton, "handle-resolve",
                            G_CALLBACK (on_skeleton_handle_resolve), self);
}

/* Exports @self on @connection unless it is exported there already. */
gboolean
ferry_resolver_export (FerryResolver    *self,
                       GDBusConnection  *connection,
                       GError          **error)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);

  if (g_dbus_interface_skeleton_has_connection (skeleton, connection))
    return TRUE;
  return g_dbus_interface_skeleton_export (skeleton, connection, self->object_path, error);
}

void
ferry_resolver_unexport (FerryResolver *self)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);

  if (g_dbus_interface_skeleton_get_connection (skeleton) != NULL)
    g_dbus_interface_skeleton_unexport (skeleton);
}

/**
 * ferry_resolver_new:
 *
 * Creates a resolver with an object path of its own.  Connect to
 * #FerryResolver::resolve and register it with
 * ferry_client_register_resolver_async().
 *
 * Returns: (transfer full): a new resolver
 */
FerryResolver *
ferry_resolver_new (void)
{
  return g_object_new (FERRY_TYPE_RESOLVER, NULL);
}

/**
 * ferry_resolver_get_object_path:
 * @self: a resolver
 *
 * Gets where the resolver is exported on the bus.
 *
 * Returns: where the resolver is exported on the bus
 */
const char *
ferry_resolver_get_object_path (FerryResolver *self)
{
  g_return_val_if_fail (FERRY_IS_RESOLVER (self), NULL);
  return self->object_path;
}
