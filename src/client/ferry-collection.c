/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection"

#include "config.h"

#include "ferry-dbus-generated.h"

#include "ferry-client-private.h"
#include "ferry-collection-private.h"
#include "ferry-proxy-signals-private.h"

/**
 * FerryCollection:
 *
 * One collection of an app's JSON documents that the agent keeps in sync
 * with a server (io.github.ferrysync.Ferry1.Collection).  Its properties
 * follow the agent's live; its methods read and write documents in the
 * local replica, which the agent pushes and pulls in runs.
 *
 * Get one with ferry_collection_new_async() from a path that
 * ferry_client_add_collection_finish() or
 * ferry_client_list_collections_finish() gave.
 */

struct _FerryCollection
{
  GObject              parent_instance;

  /* owned */
  FerryDBusCollection *proxy;
};

G_DEFINE_FINAL_TYPE (FerryCollection, ferry_collection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_APP,
  PROP_PROTOCOL,
  PROP_HOST,
  PROP_DIRECTION,
  PROP_STATE,
  PROP_PHASE,
  PROP_LAST_ERROR,
  PROP_DOCUMENT_COUNT,
  PROP_DIRTY_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_FAILED_COUNT,
  PROP_PROGRESS_TOTAL,
  PROP_PROGRESS_SYNCED,
  PROP_PROGRESS_FAILED,
  PROP_LAST_SYNC_TIME,
  PROP_NEXT_SYNC_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which D-Bus property each one mirrors. */
static const char * const dbus_names[N_PROPS] = {
  [PROP_NAME] = "Name", [PROP_APP] = "App", [PROP_PROTOCOL] = "Protocol",
  [PROP_HOST] = "Host", [PROP_DIRECTION] = "Direction", [PROP_STATE] = "State",
  [PROP_PHASE] = "Phase", [PROP_LAST_ERROR] = "LastError",
  [PROP_DOCUMENT_COUNT] = "DocumentCount", [PROP_DIRTY_COUNT] = "DirtyCount",
  [PROP_CONFLICT_COUNT] = "ConflictCount", [PROP_FAILED_COUNT] = "FailedCount",
  [PROP_PROGRESS_TOTAL] = "Progress", [PROP_PROGRESS_SYNCED] = "Progress",
  [PROP_PROGRESS_FAILED] = "Progress", [PROP_LAST_SYNC_TIME] = "LastSyncTime",
  [PROP_NEXT_SYNC_TIME] = "NextSyncTime",
};

enum {
  CHANGED,
  RUN_STARTED,
  RUN_FINISHED,
  CONFLICT_DETECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
on_properties_changed (GDBusProxy *proxy,
                       GVariant   *changed,
                       GStrv       invalidated,
                       gpointer    user_data)
{
  FerryCollection *self = user_data;
  GVariantIter iter;
  const char *name;

  g_object_freeze_notify (G_OBJECT (self));
  g_variant_iter_init (&iter, changed);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    for (guint i = 1; i < N_PROPS; i++)
      if (g_str_equal (dbus_names[i], name))
        g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_changed (FerryDBusCollection *proxy,
            gint64               seq,
            FerryCollection     *self)
{
  g_signal_emit (self, signals[CHANGED], 0, seq);
}

static void
on_run_started (FerryDBusCollection *proxy,
                const char          *trigger,
                FerryCollection     *self)
{
  g_signal_emit (self, signals[RUN_STARTED], 0, trigger);
}

static void
on_run_finished (FerryDBusCollection *proxy,
                 GVariant            *summary,
                 FerryCollection     *self)
{
  g_signal_emit (self, signals[RUN_FINISHED], 0, summary);
}

static void
on_conflict_detected (FerryDBusCollection *proxy,
                      const char          *id,
                      FerryCollection     *self)
{
  g_signal_emit (self, signals[CONFLICT_DETECTED], 0, id);
}

static void
ferry_collection_dispose (GObject *object)
{
  FerryCollection *self = FERRY_COLLECTION (object);

  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);

  G_OBJECT_CLASS (ferry_collection_parent_class)->dispose (object);
}

static void
ferry_collection_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryCollection *self = FERRY_COLLECTION (object);
  guint total = 0, synced = 0, failed = 0;

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, ferry_collection_get_name (self)); break;
    case PROP_APP: g_value_set_string (value, ferry_collection_get_app (self)); break;
    case PROP_PROTOCOL: g_value_set_string (value, ferry_collection_get_protocol (self)); break;
    case PROP_HOST: g_value_set_string (value, ferry_collection_get_host (self)); break;
    case PROP_DIRECTION: g_value_set_string (value, ferry_collection_get_direction (self)); break;
    case PROP_STATE: g_value_set_string (value, ferry_collection_get_state (self)); break;
    case PROP_PHASE: g_value_set_string (value, ferry_collection_get_phase (self)); break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, ferry_collection_get_last_error (self));
      break;
    case PROP_DOCUMENT_COUNT:
      g_value_set_uint (value, ferry_collection_get_document_count (self));
      break;
    case PROP_DIRTY_COUNT: g_value_set_uint (value, ferry_collection_get_dirty_count (self)); break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, ferry_collection_get_conflict_count (self));
      break;
    case PROP_FAILED_COUNT:
      g_value_set_uint (value, ferry_collection_get_failed_count (self));
      break;
    case PROP_PROGRESS_TOTAL:
    case PROP_PROGRESS_SYNCED:
    case PROP_PROGRESS_FAILED:
      ferry_collection_get_progress (self, &total, &synced, &failed);
      g_value_set_uint (value, prop_id == PROP_PROGRESS_TOTAL ? total
                               : prop_id == PROP_PROGRESS_SYNCED ? synced : failed);
      break;
    case PROP_LAST_SYNC_TIME:
      g_value_set_int64 (value, ferry_collection_get_last_sync_time (self));
      break;
    case PROP_NEXT_SYNC_TIME:
      g_value_set_int64 (value, ferry_collection_get_next_sync_time (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_collection_class_init (FerryCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_collection_dispose;
  object_class->get_property = ferry_collection_get_property;

  /**
   * FerryCollection:name: (getter get_name)
   *
   * The collection's name, unique among its app's.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", readable);
  /**
   * FerryCollection:app: (getter get_app)
   *
   * The app it belongs to.
   */
  properties[PROP_APP] = g_param_spec_string ("app", NULL, NULL, "", readable);
  /**
   * FerryCollection:protocol: (getter get_protocol)
   *
   * How it talks to its server: `couchdb` or `rest`.
   */
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, "", readable);
  /**
   * FerryCollection:host: (getter get_host)
   *
   * Its server's host.
   */
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, "", readable);
  /**
   * FerryCollection:direction: (getter get_direction)
   *
   * Which way it syncs: `both`, `push` or `pull`.
   */
  properties[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, "", readable);
  /**
   * FerryCollection:state: (getter get_state)
   *
   * `idle`, `syncing`, `synced`, `error`, `offline` or `paused`.
   */
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, "", readable);
  /**
   * FerryCollection:phase: (getter get_phase)
   *
   * The phase of the run going on (`check`, `push`, `pull`, `finish`), or
   * `none`.
   */
  properties[PROP_PHASE] = g_param_spec_string ("phase", NULL, NULL, "", readable);
  /**
   * FerryCollection:last-error: (getter get_last_error)
   *
   * Why the last run failed; empty after one that did not.
   */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, "", readable);
  /**
   * FerryCollection:document-count: (getter get_document_count)
   *
   * Documents held locally.
   */
  properties[PROP_DOCUMENT_COUNT] =
    g_param_spec_uint ("document-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:dirty-count: (getter get_dirty_count)
   *
   * Local changes waiting to be sent.
   */
  properties[PROP_DIRTY_COUNT] =
    g_param_spec_uint ("dirty-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:conflict-count: (getter get_conflict_count)
   *
   * Documents waiting for a decision.
   */
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:failed-count: (getter get_failed_count)
   *
   * Local changes the server refused.
   */
  properties[PROP_FAILED_COUNT] =
    g_param_spec_uint ("failed-count", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:progress-total:
   *
   * Documents the current (or last) run syncs, as far as known.
   */
  properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_uint ("progress-total", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:progress-synced:
   *
   * Documents the current (or last) run synced.
   */
  properties[PROP_PROGRESS_SYNCED] =
    g_param_spec_uint ("progress-synced", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:progress-failed:
   *
   * Documents the server refused in the current (or last) run.
   */
  properties[PROP_PROGRESS_FAILED] =
    g_param_spec_uint ("progress-failed", NULL, NULL, 0, G_MAXUINT, 0, readable);
  /**
   * FerryCollection:last-sync-time: (getter get_last_sync_time)
   *
   * When the last run that reached its end finished (µs since the epoch),
   * 0 for never.
   */
  properties[PROP_LAST_SYNC_TIME] =
    g_param_spec_int64 ("last-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);
  /**
   * FerryCollection:next-sync-time: (getter get_next_sync_time)
   *
   * When it runs on its own next (µs since the epoch), 0 for not on its
   * own.
   */
  properties[PROP_NEXT_SYNC_TIME] =
    g_param_spec_int64 ("next-sync-time", NULL, NULL, 0, G_MAXINT64, 0, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryCollection::changed:
   * @self: the collection
   * @seq: its local sequence now
   *
   * Local documents changed (a write or a pull); read them with
   * ferry_collection_changes_async().  One per batch, not per document.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * FerryCollection::run-started:
   * @self: the collection
   * @trigger: why: local, interval, online, resume, now, live, retry or start
   *
   * A run began.
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FerryCollection::run-finished:
   * @self: the collection
   * @summary: an `a{sv}`: result, error, pushed, pulled, failed, conflicts,
   *   requests, bytes-sent, bytes-received, started, finished
   *
   * A run ended.
   */
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
  /**
   * FerryCollection::conflict-detected:
   * @self: the collection
   * @id: a document that waits for a decision
   *
   * Neither the strategy nor the app settled a conflict; see
   * ferry_collection_resolve_async().
   */
  signals[CONFLICT_DETECTED] =
    g_signal_new ("conflict-detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_collection_init (FerryCollection *self)
{
}

static void
proxy_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryCollection) self = NULL;
  GError *error = NULL;
  FerryDBusCollection *proxy;

  proxy = ferry_dbus_collection_proxy_new_finish (result, &error);
  if (proxy == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ferry_proxy_follow_signals (G_DBUS_PROXY (proxy));
  self = g_object_new (FERRY_TYPE_COLLECTION, NULL);
  self->proxy = proxy;
  g_signal_connect (proxy, "g-properties-changed", G_CALLBACK (on_properties_changed), self);
  g_signal_connect (proxy, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (proxy, "run-started", G_CALLBACK (on_run_started), self);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (proxy, "conflict-detected", G_CALLBACK (on_conflict_detected), self);
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * ferry_collection_new_async:
 * @client: a client
 * @path: a collection's object path
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes the object of a collection.  Finish with
 * ferry_collection_new_finish().
 */
void
ferry_collection_new_async (FerryClient         *client,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CLIENT (client));
  g_return_if_fail (path != NULL && g_variant_is_object_path (path));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_collection_new_async);
  ferry_dbus_collection_proxy_new (ferry_client_get_connection (client),
                                   G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                                   G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                   FERRY_DBUS_NAME, path,
                                   cancellable, proxy_cb, task);
}

/**
 * ferry_collection_new_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_collection_new_async().
 *
 * Returns: (transfer full) (nullable): the collection
 */
FerryCollection *
ferry_collection_new_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_collection_get_path:
 * @self: a collection
 *
 * Gets the collection's path.
 *
 * Returns: (transfer none): its D-Bus object path
 */
const char *
ferry_collection_get_path (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return g_dbus_proxy_get_object_path (G_DBUS_PROXY (self->proxy));
}

/**
 * ferry_collection_get_name:
 * @self: a collection
 *
 * Gets the collection's name.
 *
 * Returns: (transfer none): its name
 */
const char *
ferry_collection_get_name (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_name (self->proxy));
}

/**
 * ferry_collection_get_app:
 * @self: a collection
 *
 * Gets the collection's app.
 *
 * Returns: (transfer none): the app it belongs to
 */
const char *
ferry_collection_get_app (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_app (self->proxy));
}

/**
 * ferry_collection_get_protocol:
 * @self: a collection
 *
 * Gets the collection's protocol.
 *
 * Returns: (transfer none): `couchdb` or `rest`
 */
const char *
ferry_collection_get_protocol (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_protocol (self->proxy));
}

/**
 * ferry_collection_get_live:
 * @self: a collection
 *
 * Gets whether the collection follows the server's changes live.
 *
 * Returns: whether it follows the server's changes while online
 */
gboolean
ferry_collection_get_live (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), FALSE);

  return ferry_dbus_collection_get_live (self->proxy);
}

/**
 * ferry_collection_get_interval:
 * @self: a collection
 *
 * Gets how often the collection runs on its own.
 *
 * Returns: seconds between the runs it makes on its own, 0 for none
 */
guint
ferry_collection_get_interval (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_interval (self->proxy);
}

/**
 * ferry_collection_get_host:
 * @self: a collection
 *
 * Gets the collection's host.
 *
 * Returns: (transfer none): its server's host
 */
const char *
ferry_collection_get_host (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_host (self->proxy));
}

/**
 * ferry_collection_get_direction:
 * @self: a collection
 *
 * Gets the collection's direction.
 *
 * Returns: (transfer none): `both`, `push` or `pull`
 */
const char *
ferry_collection_get_direction (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_direction (self->proxy));
}

/**
 * ferry_collection_get_state:
 * @self: a collection
 *
 * Gets the collection's state.
 *
 * Returns: (transfer none): `idle`, `syncing`, `synced`, `error`, `offline`
 *   or `paused`
 */
const char *
ferry_collection_get_state (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_state (self->proxy));
}

/**
 * ferry_collection_get_phase:
 * @self: a collection
 *
 * Gets the collection's phase.
 *
 * Returns: (transfer none): `none`, `check`, `push`, `pull` or `finish`
 */
const char *
ferry_collection_get_phase (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_phase (self->proxy));
}

/**
 * ferry_collection_get_last_error:
 * @self: a collection
 *
 * Gets the collection's last error.
 *
 * Returns: (transfer none): why the last run failed; empty after one that did
 *   not
 */
const char *
ferry_collection_get_last_error (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return text_or_empty (ferry_dbus_collection_get_last_error (self->proxy));
}

/**
 * ferry_collection_get_document_count:
 * @self: a collection
 *
 * Gets the collection's document count.
 *
 * Returns: documents held locally
 */
guint
ferry_collection_get_document_count (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_document_count (self->proxy);
}

/**
 * ferry_collection_get_dirty_count:
 * @self: a collection
 *
 * Gets the collection's dirty count.
 *
 * Returns: local changes waiting to be sent
 */
guint
ferry_collection_get_dirty_count (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_dirty_count (self->proxy);
}

/**
 * ferry_collection_get_conflict_count:
 * @self: a collection
 *
 * Gets the collection's conflict count.
 *
 * Returns: documents waiting for a decision
 */
guint
ferry_collection_get_conflict_count (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_conflict_count (self->proxy);
}

/**
 * ferry_collection_get_failed_count:
 * @self: a collection
 *
 * Gets the collection's failed count.
 *
 * Returns: local changes the server refused
 */
guint
ferry_collection_get_failed_count (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_failed_count (self->proxy);
}

/**
 * ferry_collection_get_last_sync_time:
 * @self: a collection
 *
 * Gets the collection's last sync time.
 *
 * Returns: when the last run that reached its end finished (µs since the
 *   epoch), 0 for never
 */
gint64
ferry_collection_get_last_sync_time (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_last_sync_time (self->proxy);
}

/**
 * ferry_collection_get_next_sync_time:
 * @self: a collection
 *
 * Gets the collection's next sync time.
 *
 * Returns: when it runs on its own next (µs since the epoch), 0 for not on
 *   its own
 */
gint64
ferry_collection_get_next_sync_time (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return ferry_dbus_collection_get_next_sync_time (self->proxy);
}

/**
 * ferry_collection_get_progress:
 * @self: a collection
 * @out_total: (out) (optional): documents the current (or last) run syncs
 * @out_synced: (out) (optional): those synced
 * @out_failed: (out) (optional): those the server refused
 *
 * Within a run no number goes down.
 */
void
ferry_collection_get_progress (FerryCollection *self,
                               guint           *out_total,
                               guint           *out_synced,
                               guint           *out_failed)
{
  GVariant *progress;
  guint total = 0, synced = 0, failed = 0;

  g_return_if_fail (FERRY_IS_COLLECTION (self));

  progress = ferry_dbus_collection_get_progress (self->proxy);
  if (progress != NULL)
    g_variant_get (progress, "(uuu)", &total, &synced, &failed);
  if (out_total != NULL)
    *out_total = total;
  if (out_synced != NULL)
    *out_synced = synced;
  if (out_failed != NULL)
    *out_failed = failed;
}

/* For ferry-collection-calls.c. */
FerryDBusCollection *
ferry_collection_get_proxy (FerryCollection *self)
{
  return self->proxy;
}
