/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-window-transfers"

#include "config.h"

#include "ferry-window-private.h"

/*
 * The header's bytes of the files moving ("Downloading 2 files — 120 MB
 * of 400 MB"): the agent reports each transfer's progress many times a
 * second while no property changes, so the header follows the reports at
 * most once a second; a transfer that stops (paused, done, failed) leaves
 * the header at once.  What the header says is taken here too: the
 * agent's state with its collections' and its files'.
 */

/* The agent's properties and its collections', as the status says them. */
void
ferry_window_take_snapshot (FerryWindow         *self,
                            FerryStatusSnapshot *snapshot)
{
  if (self->client == NULL)
    return;
  ferry_status_snapshot_from_client (snapshot, self->client);
  if (self->collections != NULL)
    ferry_collection_set_add_to_snapshot (self->collections, snapshot);
}

/* How often the header's bytes follow the progress reports, at most. */
#define BYTES_INTERVAL_MS 1000

static gboolean
on_bytes_timeout (gpointer user_data)
{
  FerryWindow *self = user_data;

  self->bytes_source_id = 0;
  ferry_window_update_status (self);
  return G_SOURCE_REMOVE;
}

static void
on_client_transfer_progress (FerryWindow *self)
{
  if (self->bytes_source_id != 0)
    return;
  self->bytes_source_id = g_timeout_add (BYTES_INTERVAL_MS, on_bytes_timeout, self);
  g_source_set_name_by_id (self->bytes_source_id, "[ferry] header bytes");
}

static void
on_client_task_changed (FerryWindow *self)
{
  g_clear_handle_id (&self->bytes_source_id, g_source_remove);
  ferry_window_update_status (self);
}

/**
 * ferry_window_follow_transfers:
 * @self: the window, with its client set
 *
 * Keeps the header's bytes current while files move.
 */
void
ferry_window_follow_transfers (FerryWindow *self)
{
  g_assert (FERRY_IS_CLIENT (self->client));

  g_signal_connect_object (self->client, "transfer-progress",
                           G_CALLBACK (on_client_transfer_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-changed", G_CALLBACK (on_client_task_changed),
                           self, G_CONNECT_SWAPPED);
}
