/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-resolve-request"

#include "config.h"

#include "ferry-error.h"
#include "ferry-resolver-private.h"

/**
 * FerryResolveRequest:
 *
 * One conflict the agent asks an app's #FerryResolver to settle: the three
 * versions of the document, and the way to answer.
 *
 * A handler of #FerryResolver::resolve answers exactly once, at once or
 * later (after asking the person, say), with
 * ferry_resolve_request_return_body() or
 * ferry_resolve_request_return_error().  The agent waits ten seconds for
 * the answer; after that the conflict waits in the window for a decision.
 * A request dropped without an answer is answered with an error.
 */
struct _FerryResolveRequest
{
  GObject parent_instance;

  /* owned */
  GDBusMethodInvocation *invocation;   /* NULL once answered */
  GBytes *base;
  GBytes *local;
  GBytes *remote;
};

G_DEFINE_FINAL_TYPE (FerryResolveRequest, ferry_resolve_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE,
  PROP_LOCAL,
  PROP_REMOTE,
  PROP_ANSWERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GBytes *
variant_to_bytes (GVariant *value)
{
  return g_bytes_new (g_variant_get_data (value), g_variant_get_size (value));
}

static void
ferry_resolve_request_dispose (GObject *object)
{
  FerryResolveRequest *self = (FerryResolveRequest *) object;

  /* Never leave the agent waiting for its ten seconds. */
  if (self->invocation != NULL)
    ferry_resolve_request_return_error (self, "The app dropped the conflict without an answer");

  G_OBJECT_CLASS (ferry_resolve_request_parent_class)->dispose (object);
}

static void
ferry_resolve_request_finalize (GObject *object)
{
  FerryResolveRequest *self = (FerryResolveRequest *) object;

  g_clear_pointer (&self->base, g_bytes_unref);
  g_clear_pointer (&self->local, g_bytes_unref);
  g_clear_pointer (&self->remote, g_bytes_unref);

  G_OBJECT_CLASS (ferry_resolve_request_parent_class)->finalize (object);
}

static void
ferry_resolve_request_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FerryResolveRequest *self = FERRY_RESOLVE_REQUEST (object);

  switch (prop_id)
    {
    case PROP_BASE:
      g_value_set_boxed (value, self->base);
      break;
    case PROP_LOCAL:
      g_value_set_boxed (value, self->local);
      break;
    case PROP_REMOTE:
      g_value_set_boxed (value, self->remote);
      break;
    case PROP_ANSWERED:
      g_value_set_boolean (value, self->invocation == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_resolve_request_class_init (FerryResolveRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_resolve_request_dispose;
  object_class->finalize = ferry_resolve_request_finalize;
  object_class->get_property = ferry_resolve_request_get_property;

  /**
   * FerryResolveRequest:base:
   *
   * The document the app edited from: the task's base, empty when it has
   * none.
   */
  properties[PROP_BASE] =
    g_param_spec_boxed ("base", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryResolveRequest:local:
   *
   * The change the app wanted to send: the task's body.
   */
  properties[PROP_LOCAL] =
    g_param_spec_boxed ("local", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryResolveRequest:remote:
   *
   * The server's current copy of the document.
   */
  properties[PROP_REMOTE] =
    g_param_spec_boxed ("remote", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryResolveRequest:answered:
   *
   * Whether the request has been answered.
   */
  properties[PROP_ANSWERED] =
    g_param_spec_boolean ("answered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_resolve_request_init (FerryResolveRequest *self)
{
}

/* Takes over @invocation, which the skeleton's handler owns (returning
 * TRUE from it says the call is ours to answer); the variants are `ay`. */
FerryResolveRequest *
ferry_resolve_request_new (GDBusMethodInvocation *invocation,
                           GVariant              *base,
                           GVariant              *local,
                           GVariant              *remote)
{
  FerryResolveRequest *self = g_object_new (FERRY_TYPE_RESOLVE_REQUEST, NULL);

  self->invocation = invocation;
  self->base = variant_to_bytes (base);
  self->local = variant_to_bytes (local);
  self->remote = variant_to_bytes (remote);
  return self;
}

/**
 * ferry_resolve_request_get_base:
 * @self: a resolve request
 *
 * Gets the document the app edited from (the task's base), empty when the
 * task has none.
 *
 * Returns: (transfer none): the document the app edited from (the task's
 *   base), empty when the task has none
 */
GBytes *
ferry_resolve_request_get_base (FerryResolveRequest *self)
{
  g_return_val_if_fail (FERRY_IS_RESOLVE_REQUEST (self), NULL);
  return self->base;
}

/**
 * ferry_resolve_request_get_local:
 * @self: a resolve request
 *
 * Gets the change the app wanted to send (the task's body), empty when it has
 * none.
 *
 * Returns: (transfer none): the change the app wanted to send (the task's
 *   body), empty when it has none
 */
GBytes *
ferry_resolve_request_get_local (FerryResolveRequest *self)
{
  g_return_val_if_fail (FERRY_IS_RESOLVE_REQUEST (self), NULL);
  return self->local;
}

/**
 * ferry_resolve_request_get_remote:
 * @self: a resolve request
 *
 * Gets the server's current copy.
 *
 * Returns: (transfer none): the server's current copy
 */
GBytes *
ferry_resolve_request_get_remote (FerryResolveRequest *self)
{
  g_return_val_if_fail (FERRY_IS_RESOLVE_REQUEST (self), NULL);
  return self->remote;
}

/**
 * ferry_resolve_request_get_answered:
 * @self: a resolve request
 *
 * Tells whether @self has been answered.
 *
 * Returns: whether @self has been answered
 */
gboolean
ferry_resolve_request_get_answered (FerryResolveRequest *self)
{
  g_return_val_if_fail (FERRY_IS_RESOLVE_REQUEST (self), FALSE);
  return self->invocation == NULL;
}

/**
 * ferry_resolve_request_return_body:
 * @self: a resolve request that has not been answered
 * @merged: the body to send instead of the task's, at most 16 MiB
 *
 * Settles the conflict: the agent sends @merged with the task's method and
 * URL, conditional on the server copy's ETag.
 */
void
ferry_resolve_request_return_body (FerryResolveRequest *self,
                                   GBytes              *merged)
{
  g_autoptr(GDBusMethodInvocation) invocation = NULL;

  g_return_if_fail (FERRY_IS_RESOLVE_REQUEST (self));
  g_return_if_fail (merged != NULL);
  g_return_if_fail (self->invocation != NULL);

  invocation = g_steal_pointer (&self->invocation);
  ferry_dbus_resolver_complete_resolve (NULL, g_object_ref (invocation),
                                        g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                                  merged, TRUE));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED]);
}

/**
 * ferry_resolve_request_return_error:
 * @self: a resolve request that has not been answered
 * @message: why the app leaves the conflict to the person
 *
 * Declines to settle the conflict: the task stays in conflict, waiting for
 * a decision in the window, and its last error quotes @message.
 */
void
ferry_resolve_request_return_error (FerryResolveRequest *self,
                                    const char          *message)
{
  g_autoptr(GDBusMethodInvocation) invocation = NULL;

  g_return_if_fail (FERRY_IS_RESOLVE_REQUEST (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (self->invocation != NULL);

  invocation = g_steal_pointer (&self->invocation);
  g_dbus_method_invocation_return_error_literal (g_object_ref (invocation),
                                                 FERRY_ERROR, FERRY_ERROR_FAILED, message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED]);
}
