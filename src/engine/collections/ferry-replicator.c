/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-replicator"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-couchdb-replicator.h"
#include "ferry-rest-replicator.h"

#include "ferry-replicator-private.h"

/*
 * FerryReplicator: what a run asks of a protocol (check, push a batch, pull
 * a page, fetch current copies, wait for changes, keep a checkpoint on the
 * server), and the helpers every protocol shares.  A third protocol is one
 * subclass in a file of its own and one line in ferry_replicator_new().
 *
 * Every request goes through the collection's executor (one SoupSession
 * for the whole agent: kept-alive connections, and a reset of a reused one
 * sent again at once), with the collection's headers.  Each exchange is
 * timed and counted: the link meter learns the round trip and rate from
 * it, and a run reads the counters to report requests and bytes.  An
 * exchange that takes longer than the meter allows for is cancelled and
 * reported as a timeout.
 */

typedef struct
{
  /* owned */
  FerryCollectionConfig *config;
  FerryExecutor         *executor;
  FerryLinkMeter        *meter;

  /* state */
  guint                  requests;
  guint64                bytes_sent;
  guint64                bytes_received;
  gint64                 retry_after;
} FerryReplicatorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FerryReplicator, ferry_replicator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_EXECUTOR,
  PROP_METER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_replicator_finalize (GObject *object)
{
  FerryReplicator *self = FERRY_REPLICATOR (object);
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  g_clear_pointer (&priv->config, ferry_collection_config_unref);
  g_clear_object (&priv->executor);
  g_clear_object (&priv->meter);

  G_OBJECT_CLASS (ferry_replicator_parent_class)->finalize (object);
}

static void
ferry_replicator_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FerryReplicator *self = FERRY_REPLICATOR (object);
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONFIG:
      priv->config = g_value_dup_boxed (value);
      break;
    case PROP_EXECUTOR:
      priv->executor = g_value_dup_object (value);
      break;
    case PROP_METER:
      priv->meter = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_replicator_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryReplicator *self = FERRY_REPLICATOR (object);
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_boxed (value, priv->config);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, priv->executor);
      break;
    case PROP_METER:
      g_value_set_object (value, priv->meter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_replicator_constructed (GObject *object)
{
  FerryReplicator *self = FERRY_REPLICATOR (object);
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  G_OBJECT_CLASS (ferry_replicator_parent_class)->constructed (object);

  g_assert (priv->config != NULL && priv->executor != NULL);
  if (priv->meter == NULL)
    priv->meter = ferry_link_meter_new ();
}

static void
ferry_replicator_class_init (FerryReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_replicator_constructed;
  object_class->finalize = ferry_replicator_finalize;
  object_class->get_property = ferry_replicator_get_property;
  object_class->set_property = ferry_replicator_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, FERRY_TYPE_COLLECTION_CONFIG,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXECUTOR] =
    g_param_spec_object ("executor", NULL, NULL, FERRY_TYPE_EXECUTOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METER] =
    g_param_spec_object ("meter", NULL, NULL, FERRY_TYPE_LINK_METER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_replicator_init (FerryReplicator *self)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  priv->retry_after = -1;
}

/**
 * ferry_replicator_new:
 * @config: the collection
 * @executor: what sends the requests
 * @meter: (nullable): what is known of the link to the collection's host,
 *   shared by the collections on it; %NULL for one of its own
 *
 * Returns: (transfer full): the replicator of @config's protocol
 */
FerryReplicator *
ferry_replicator_new (FerryCollectionConfig *config,
                      FerryExecutor         *executor,
                      FerryLinkMeter        *meter)
{
  GType type;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (FERRY_IS_EXECUTOR (executor), NULL);

  switch (config->protocol)
    {
    case FERRY_PROTOCOL_REST:
      type = FERRY_TYPE_REST_REPLICATOR;
      break;
    case FERRY_PROTOCOL_COUCHDB:
    default:
      type = FERRY_TYPE_COUCHDB_REPLICATOR;
      break;
    }
  return g_object_new (type, "config", config, "executor", executor, "meter", meter, NULL);
}

/**
 * ferry_replicator_get_config:
 * @self: a replicator
 *
 * Returns: (transfer none): its collection
 */
FerryCollectionConfig *
ferry_replicator_get_config (FerryReplicator *self)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  g_return_val_if_fail (FERRY_IS_REPLICATOR (self), NULL);

  return priv->config;
}

/**
 * ferry_replicator_get_meter:
 * @self: a replicator
 *
 * Returns: (transfer none): what it knows of the link
 */
FerryLinkMeter *
ferry_replicator_get_meter (FerryReplicator *self)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  g_return_val_if_fail (FERRY_IS_REPLICATOR (self), NULL);

  return priv->meter;
}

/**
 * ferry_replicator_can_watch:
 * @self: a replicator
 *
 * Returns: whether its protocol can wait on the server for changes
 */
gboolean
ferry_replicator_can_watch (FerryReplicator *self)
{
  g_return_val_if_fail (FERRY_IS_REPLICATOR (self), FALSE);

  return FERRY_REPLICATOR_GET_CLASS (self)->watch != NULL;
}

/**
 * ferry_replicator_take_counters:
 * @self: a replicator
 * @out_requests: (out) (optional): exchanges since the last call
 * @out_sent: (out) (optional): bytes sent since
 * @out_received: (out) (optional): bytes received since
 *
 * Reads the counters and sets them back to zero.
 */
void
ferry_replicator_take_counters (FerryReplicator *self,
                                guint           *out_requests,
                                guint64         *out_sent,
                                guint64         *out_received)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  g_return_if_fail (FERRY_IS_REPLICATOR (self));

  if (out_requests != NULL)
    *out_requests = priv->requests;
  if (out_sent != NULL)
    *out_sent = priv->bytes_sent;
  if (out_received != NULL)
    *out_received = priv->bytes_received;
  priv->requests = 0;
  priv->bytes_sent = 0;
  priv->bytes_received = 0;
}

/**
 * ferry_replicator_get_retry_after:
 * @self: a replicator
 *
 * Returns: the delay the server asked for in its last failed answer (µs),
 *   or -1
 */
gint64
ferry_replicator_get_retry_after (FerryReplicator *self)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  g_return_val_if_fail (FERRY_IS_REPLICATOR (self), -1);

  return priv->retry_after;
}

void
ferry_replicator_count_exchange (FerryReplicator *self,
                                 guint64          sent,
                                 guint64          received)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  priv->requests++;
  priv->bytes_sent += sent;
  priv->bytes_received += received;
}

void
ferry_replicator_set_retry_after (FerryReplicator *self,
                                  gint64           retry_after)
{
  FerryReplicatorPrivate *priv = ferry_replicator_get_instance_private (self);

  priv->retry_after = retry_after;
}

/* The phases ----------------------------------------------------------- */

static GTask *
phase_task (FerryReplicator     *self,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static gpointer
phase_finish (FerryReplicator  *self,
              GAsyncResult     *result,
              gpointer          source_tag,
              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_replicator_check_async:
 * @self: a replicator
 * @info: where the collection's sync stands
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * The check phase: the endpoint answers and takes the credentials.
 */
void
ferry_replicator_check_async (FerryReplicator     *self,
                              const FerrySyncInfo *info,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (info != NULL);

  FERRY_REPLICATOR_GET_CLASS (self)->check (self, info,
                                            phase_task (self, cancellable, callback, user_data,
                                                        ferry_replicator_check_async));
}

/**
 * ferry_replicator_check_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the check learned
 */
FerryCheckResult *
ferry_replicator_check_finish (FerryReplicator  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  return phase_finish (self, result, ferry_replicator_check_async, error);
}

/**
 * ferry_replicator_push_async:
 * @self: a replicator
 * @docs: (element-type FerryDocument): the documents to send
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Sends one batch of local changes.
 */
void
ferry_replicator_push_async (FerryReplicator     *self,
                             GPtrArray           *docs,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (docs != NULL && docs->len > 0);

  FERRY_REPLICATOR_GET_CLASS (self)->push (self, docs,
                                           phase_task (self, cancellable, callback, user_data,
                                                       ferry_replicator_push_async));
}

/**
 * ferry_replicator_push_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error: the batch as a whole failed
 *
 * Returns: (transfer full) (element-type FerryPushResult) (nullable): one
 *   result per document
 */
GPtrArray *
ferry_replicator_push_finish (FerryReplicator  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  return phase_finish (self, result, ferry_replicator_push_async, error);
}

/**
 * ferry_replicator_pull_async:
 * @self: a replicator
 * @checkpoint: (nullable): where the last page ended; %NULL from the start
 * @limit: at most this many changes
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads one page of remote changes.
 */
void
ferry_replicator_pull_async (FerryReplicator     *self,
                             const char          *checkpoint,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (limit > 0);

  FERRY_REPLICATOR_GET_CLASS (self)->pull (self, checkpoint, limit,
                                           phase_task (self, cancellable, callback, user_data,
                                                       ferry_replicator_pull_async));
}

/**
 * ferry_replicator_pull_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the page
 */
FerryPullPage *
ferry_replicator_pull_finish (FerryReplicator  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  return phase_finish (self, result, ferry_replicator_pull_async, error);
}

/**
 * ferry_replicator_fetch_async:
 * @self: a replicator
 * @ids: the documents wanted
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the server's current copies of @ids.
 */
void
ferry_replicator_fetch_async (FerryReplicator     *self,
                              const char * const  *ids,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (ids != NULL);

  task = phase_task (self, cancellable, callback, user_data, ferry_replicator_fetch_async);
  if (FERRY_REPLICATOR_GET_CLASS (self)->fetch == NULL || ids[0] == NULL)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (
                                     (GDestroyNotify) ferry_remote_doc_free),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  FERRY_REPLICATOR_GET_CLASS (self)->fetch (self, ids, task);
}

/**
 * ferry_replicator_fetch_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryRemoteDoc) (nullable): the
 *   copies
 */
GPtrArray *
ferry_replicator_fetch_finish (FerryReplicator  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  return phase_finish (self, result, ferry_replicator_fetch_async, error);
}

/**
 * ferry_replicator_watch_async:
 * @self: a replicator that can watch
 * @checkpoint: where the local replica stands
 * @cancellable: (nullable): stops the wait
 * @callback: called when done
 * @user_data: for @callback
 *
 * Waits, with no time limit, until the server has changes after
 * @checkpoint.
 */
void
ferry_replicator_watch_async (FerryReplicator     *self,
                              const char          *checkpoint,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_REPLICATOR (self));
  g_return_if_fail (ferry_replicator_can_watch (self));

  FERRY_REPLICATOR_GET_CLASS (self)->watch (self, checkpoint,
                                            phase_task (self, cancellable, callback, user_data,
                                                        ferry_replicator_watch_async));
}

/**
 * ferry_replicator_watch_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error
 *
 * Returns: whether changes are waiting; %FALSE with @error on a failure
 */
gboolean
ferry_replicator_watch_finish (FerryReplicator  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ferry_replicator_save_checkpoint_async:
 * @self: a replicator
 * @checkpoint: where the local replica stands
 * @marker: (nullable): the name it was saved under before
 * @cancellable: (nullable): stops it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Best effort: keeps @checkpoint on the server too.
 */
void
ferry_replicator_save_checkpoint_async (FerryReplicator     *self,
                                        const char          *checkpoint,
                                        const char          *marker,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_REPLICATOR (self));

  task = phase_task (self, cancellable, callback, user_data,
                     ferry_replicator_save_checkpoint_async);
  if (FERRY_REPLICATOR_GET_CLASS (self)->save_checkpoint == NULL || checkpoint == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  FERRY_REPLICATOR_GET_CLASS (self)->save_checkpoint (self, checkpoint, marker, task);
}

/**
 * ferry_replicator_save_checkpoint_finish:
 * @self: a replicator
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the name it is saved under
 */
char *
ferry_replicator_save_checkpoint_finish (FerryReplicator  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return phase_finish (self, result, ferry_replicator_save_checkpoint_async, error);
}
