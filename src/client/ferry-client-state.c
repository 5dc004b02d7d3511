/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-state"

#include "config.h"

#include "ferry-client-private.h"

/*
 * The agent's state as the client mirrors it from the bus: the getters of
 * the read-only properties (state, network, counts, progress and sync
 * times).  The object itself is in ferry-client.c.
 */

/**
 * ferry_client_get_state:
 * @self: a client
 *
 * Gets the agent's state; %FERRY_AGENT_STATE_UNKNOWN while it is not running.
 *
 * Returns: the agent's state; %FERRY_AGENT_STATE_UNKNOWN while it is not
 *   running
 */
FerryAgentState
ferry_client_get_state (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FERRY_AGENT_STATE_UNKNOWN);
  return self->state;
}

/**
 * ferry_client_get_online:
 * @self: a client
 *
 * Tells whether the network allows sending.
 *
 * Returns: whether the network allows sending
 */
gboolean
ferry_client_get_online (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->online;
}

/**
 * ferry_client_get_metered:
 * @self: a client
 *
 * Tells whether the network is metered.
 *
 * Returns: whether the network is metered
 */
gboolean
ferry_client_get_metered (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->metered;
}

/**
 * ferry_client_get_paused:
 * @self: a client
 *
 * Tells whether sending is paused.
 *
 * Returns: whether sending is paused
 */
gboolean
ferry_client_get_paused (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->paused;
}

/**
 * ferry_client_get_pending_count:
 * @self: a client
 *
 * Gets how many tasks are pending or running.
 *
 * Returns: how many tasks are pending or running
 */
guint
ferry_client_get_pending_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->pending_count;
}

/**
 * ferry_client_get_failed_count:
 * @self: a client
 *
 * Gets how many tasks failed for good.
 *
 * Returns: how many tasks failed for good
 */
guint
ferry_client_get_failed_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->failed_count;
}

/**
 * ferry_client_get_conflict_count:
 * @self: a client
 *
 * Gets how many tasks wait in conflict.
 *
 * Returns: how many tasks wait in conflict
 */
guint
ferry_client_get_conflict_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->conflict_count;
}

/**
 * ferry_client_get_auth_count:
 * @self: a client
 *
 * Gets how many tasks are held for credentials.
 *
 * Returns: how many tasks are held for credentials
 */
guint
ferry_client_get_auth_count (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->auth_count;
}

/**
 * ferry_client_get_progress_done:
 * @self: a client
 *
 * Gets how many tasks the current run has finished.
 *
 * Returns: how many tasks the current run has finished
 */
guint
ferry_client_get_progress_done (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->progress_done;
}

/**
 * ferry_client_get_progress_total:
 * @self: a client
 *
 * Gets how many tasks the current run delivers in all.
 *
 * Returns: how many tasks the current run delivers in all
 */
guint
ferry_client_get_progress_total (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->progress_total;
}

/**
 * ferry_client_get_last_sync_time:
 * @self: a client
 *
 * Gets when the last run finished, in µs since the epoch; 0 before the first.
 *
 * Returns: when the last run finished, in µs since the epoch; 0 before the
 *   first
 */
gint64
ferry_client_get_last_sync_time (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->last_sync_time;
}

/**
 * ferry_client_get_next_sync_time:
 * @self: a client
 *
 * Gets when the next run is due, in µs since the epoch; 0 when nothing is
 * scheduled.
 *
 * Returns: when the next run is due, in µs since the epoch; 0 when nothing
 *   is scheduled
 */
gint64
ferry_client_get_next_sync_time (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->next_sync_time;
}
