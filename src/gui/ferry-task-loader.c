/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-loader"

#include "config.h"

#include "ferry-task-loader.h"

/**
 * FerryTaskLoader:
 *
 * Fetches one task with `Get` for a window that shows it, and again
 * whenever the agent says the task changed or the agent (re)appears, so
 * the window follows the task.  Fetches never overlap: asking while one is
 * on its way fetches once more after it.  Each fetch ends in ::loaded or
 * ::failed.  Dropping the loader cancels the fetch in flight, which then
 * reports nothing.
 */
struct _FerryTaskLoader
{
  GObject parent_instance;

  /* owned */
  FerryClient *client;
  char *task_id;
  GCancellable *cancellable;

  /* state */
  gboolean loading;
  gboolean load_again;
  gboolean follow_changes;
};

G_DEFINE_FINAL_TYPE (FerryTaskLoader, ferry_task_loader, G_TYPE_OBJECT)

enum {
  LOADED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
get_task_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  FerryTaskLoader *self;

  info = ferry_client_get_finish (FERRY_CLIENT (object), result, &error);
  /* Cancelled when the loader was dropped: then it may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  g_object_ref (self);   /* handlers may drop the last reference */
  self->loading = FALSE;
  if (info == NULL)
    g_signal_emit (self, signals[FAILED], 0, error);
  else
    g_signal_emit (self, signals[LOADED], 0, info);

  if (self->load_again && !g_cancellable_is_cancelled (self->cancellable))
    ferry_task_loader_load (self);
  g_object_unref (self);
}

static void
on_client_task_changed (FerryTaskLoader      *self,
                        const char           *id,
                        const char           *owner,
                        FerryClientTaskState  state,
                        FerryClient          *client)
{
  if (self->follow_changes && g_strcmp0 (id, self->task_id) == 0)
    ferry_task_loader_load (self);
}

static void
on_client_agent_appeared (FerryTaskLoader *self,
                          FerryClient     *client)
{
  ferry_task_loader_load (self);
}

static void
ferry_task_loader_dispose (GObject *object)
{
  FerryTaskLoader *self = (FerryTaskLoader *) object;

  /* The fetch in flight holds a plain pointer to us: cancelled, its
   * callback touches nothing. */
  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ferry_task_loader_parent_class)->dispose (object);
}

static void
ferry_task_loader_finalize (GObject *object)
{
  FerryTaskLoader *self = (FerryTaskLoader *) object;

  g_clear_object (&self->cancellable);
  g_free (self->task_id);

  G_OBJECT_CLASS (ferry_task_loader_parent_class)->finalize (object);
}

static void
ferry_task_loader_class_init (FerryTaskLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_task_loader_dispose;
  object_class->finalize = ferry_task_loader_finalize;

  /**
   * FerryTaskLoader::loaded:
   * @self: the loader
   * @info: the task as the agent has it now
   *
   * A fetch brought the task.
   */
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TASK_INFO);

  /**
   * FerryTaskLoader::failed:
   * @self: the loader
   * @error: why, e.g. %FERRY_ERROR_NOT_FOUND
   *
   * A fetch failed.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
ferry_task_loader_init (FerryTaskLoader *self)
{
  self->cancellable = g_cancellable_new ();
  self->follow_changes = TRUE;
}

/**
 * ferry_task_loader_new:
 * @client: the client
 * @task_id: the task to fetch
 *
 * Creates a loader that follows the agent's signals from now on; the
 * first fetch starts with ferry_task_loader_load().
 *
 * Returns: (transfer full): a new loader
 */
FerryTaskLoader *
ferry_task_loader_new (FerryClient *client,
                       const char  *task_id)
{
  FerryTaskLoader *self;

  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  self = g_object_new (FERRY_TYPE_TASK_LOADER, NULL);
  self->client = g_object_ref (client);
  self->task_id = g_strdup (task_id);
  g_signal_connect_object (client, "task-changed",
                           G_CALLBACK (on_client_task_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "agent-appeared",
                           G_CALLBACK (on_client_agent_appeared), self, G_CONNECT_SWAPPED);
  return self;
}

/**
 * ferry_task_loader_start:
 * @client: the client to load with
 * @task_id: the task to load
 * @on_loaded: (scope notified): called with @window first on #FerryTaskLoader::loaded
 * @on_failed: (scope notified): called with @window first on #FerryTaskLoader::failed
 * @window: the object the handlers belong to; they go with it
 *
 * Creates a loader for the window that shows @task_id, connects its
 * handlers and starts the first load.
 *
 * Returns: (transfer full): the loader; disconnect @window from it before
 *   dropping it
 */
FerryTaskLoader *
ferry_task_loader_start (FerryClient *client,
                         const char  *task_id,
                         GCallback    on_loaded,
                         GCallback    on_failed,
                         gpointer     window)
{
  FerryTaskLoader *self = ferry_task_loader_new (client, task_id);

  g_signal_connect_object (self, "loaded", on_loaded, window, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "failed", on_failed, window, G_CONNECT_SWAPPED);
  ferry_task_loader_load (self);
  return self;
}

/**
 * ferry_task_loader_load:
 * @self: a loader
 *
 * Fetches the task now, or once more after the fetch on its way.
 */
void
ferry_task_loader_load (FerryTaskLoader *self)
{
  g_return_if_fail (FERRY_IS_TASK_LOADER (self));

  if (self->loading)
    {
      self->load_again = TRUE;
      return;
    }
  self->loading = TRUE;
  self->load_again = FALSE;
  ferry_client_get_async (self->client, self->task_id, self->cancellable, get_task_cb, self);
}

/**
 * ferry_task_loader_get_follow_changes:
 * @self: a loader
 *
 * Returns: whether the agent's word that the task changed fetches it again
 */
gboolean
ferry_task_loader_get_follow_changes (FerryTaskLoader *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_LOADER (self), FALSE);
  return self->follow_changes;
}

/**
 * ferry_task_loader_set_follow_changes:
 * @self: a loader
 * @follow_changes: whether the agent's word that the task changed fetches
 *   it again (the default)
 *
 * A window that is about to close because of its own change turns this
 * off, so a reload does not flash what the change did.
 */
void
ferry_task_loader_set_follow_changes (FerryTaskLoader *self,
                                      gboolean         follow_changes)
{
  g_return_if_fail (FERRY_IS_TASK_LOADER (self));
  self->follow_changes = !!follow_changes;
}
