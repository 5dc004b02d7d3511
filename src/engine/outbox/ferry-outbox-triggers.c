/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-outbox-triggers"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sync-manager-private.h"

static gboolean
on_debounce_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  self->debounce_id = 0;
  ferry_outbox_schedule_pass (self);
  return G_SOURCE_REMOVE;
}

/* A burst of enqueues starts one run, shortly after the burst. */
void
ferry_outbox_schedule_debounced_pass (FerrySyncManager *self)
{
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (self->enqueue_debounce, on_debounce_timeout, self);
}

static gboolean
on_interval_timeout (gpointer user_data)
{
  FerrySyncManager *self = user_data;

  g_debug ("auto-sync interval");
  self->interval_next = ferry_outbox_now (self) +
                        (gint64) self->auto_sync_interval * G_USEC_PER_SEC;
  ferry_outbox_schedule_pass (self);
  return G_SOURCE_CONTINUE;
}

void
ferry_outbox_arm_interval_timer (FerrySyncManager *self)
{
  g_clear_handle_id (&self->interval_id, g_source_remove);
  self->interval_next = 0;
  if (self->started && self->auto_sync_interval > 0)
    {
      self->interval_id = g_timeout_add_seconds (self->auto_sync_interval,
                                                 on_interval_timeout, self);
      self->interval_next = ferry_outbox_now (self) +
                            (gint64) self->auto_sync_interval * G_USEC_PER_SEC;
    }
}

/* Tasks waiting out a backoff after failures that may well have been the
 * network's, or that the person wants tried now, are made due at once. */
static void
wake_waiting_tasks (FerrySyncManager *self,
                    const char       *why)
{
  g_autoptr(GError) error = NULL;
  guint woken = 0;

  /* A retry waiting to be written would keep its old time otherwise. */
  ferry_outbox_flush_unwritten (self);
  if (!ferry_task_store_make_due (self->store, ferry_outbox_now (self), &woken, &error))
    g_warning ("Cannot make waiting tasks due: %s", error->message);
  else if (woken > 0)
    g_debug ("%s: %u waiting tasks are due now", why, woken);
  ferry_outbox_schedule_pass (self);
}

static void
on_connectivity_changed (FerryConnectivity *connectivity,
                         FerrySyncManager  *self)
{
  gboolean online = ferry_connectivity_get_online (connectivity);

  ferry_outbox_update_state (self);
  if (online && !self->was_online && self->started)
    wake_waiting_tasks (self, "back online");
  else
    ferry_outbox_schedule_pass (self);
  self->was_online = online;
}

static void
on_connectivity_resumed (FerryConnectivity *connectivity,
                         FerrySyncManager  *self)
{
  if (self->started)
    wake_waiting_tasks (self, "resumed from sleep");
}

static void
on_connectivity_notify (FerryConnectivity *connectivity,
                        GParamSpec        *pspec,
                        FerrySyncManager  *self)
{
  if (g_str_equal (pspec->name, "online"))
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_ONLINE]);
  else if (g_str_equal (pspec->name, "metered"))
    g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_METERED]);
  /* Which tasks may go (metered, power saver) may have changed. */
  ferry_outbox_drop_ready (self);
  ferry_outbox_update_state (self);
}

static void
on_clock_changed (FerryClock       *clock,
                  FerrySyncManager *self)
{
  ferry_outbox_schedule_pass (self);
}

/**
 * ferry_sync_manager_sync_now:
 * @self: a manager
 *
 * Starts a run at once, as the person asked: tasks waiting for their next
 * attempt are tried now too.
 */
void
ferry_sync_manager_sync_now (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->started)
    wake_waiting_tasks (self, "sync now");
}

/**
 * ferry_sync_manager_pause:
 * @self: a manager
 *
 * Stops sending until ferry_sync_manager_resume().  Attempts in flight are
 * stopped; they cost nothing and their tasks stay pending.
 */
void
ferry_sync_manager_pause (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  if (self->paused)
    return;

  self->paused = TRUE;
  ferry_outbox_cancel_running (self);
  g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_PAUSED]);
  ferry_outbox_update_state (self);
  /* Nothing is sent next while paused: the pass says so. */
  ferry_outbox_schedule_pass (self);
}

/**
 * ferry_sync_manager_resume:
 * @self: a manager
 */
void
ferry_sync_manager_resume (FerrySyncManager *self)
{
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (self));

  if (!self->paused)
    return;

  self->paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), ferry_outbox_properties[PROP_PAUSED]);
  ferry_outbox_update_state (self);
  ferry_outbox_schedule_pass (self);
}

/**
 * ferry_outbox_connect_triggers:
 * @self: a manager
 *
 * Starts passes when the network, the power, a resume from sleep or the
 * clock say things changed.
 */
void
ferry_outbox_connect_triggers (FerrySyncManager *self)
{
  g_signal_connect_object (self->connectivity, "changed",
                           G_CALLBACK (on_connectivity_changed), self, 0);
  g_signal_connect_object (self->connectivity, "resumed",
                           G_CALLBACK (on_connectivity_resumed), self, 0);
  g_signal_connect_object (self->connectivity, "notify",
                           G_CALLBACK (on_connectivity_notify), self, 0);
  g_signal_connect_object (self->clock, "changed",
                           G_CALLBACK (on_clock_changed), self, 0);
}
