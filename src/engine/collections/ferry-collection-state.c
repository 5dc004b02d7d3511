/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-state"

#include "config.h"

#include "ferry-collection-private.h"

/*
 * What a collection shows (ferry-collection.c): its configuration, state,
 * phase, progress, counts and times.
 */

/**
 * ferry_collection_get_config:
 * @self: a collection
 *
 * Returns: (transfer none): what its app asked for
 */
FerryCollectionConfig *
ferry_collection_get_config (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return self->config;
}

/**
 * ferry_collection_get_id:
 * @self: a collection
 *
 * Returns: its row id in the store
 */
gint64
ferry_collection_get_id (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return self->config->id;
}

/**
 * ferry_collection_get_state:
 * @self: a collection
 *
 * Returns: where it stands
 */
FerryCollectionState
ferry_collection_get_state (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), FERRY_COLLECTION_STATE_IDLE);

  return self->state;
}

/**
 * ferry_collection_get_phase:
 * @self: a collection
 *
 * Returns: the phase of its run, %FERRY_RUN_PHASE_NONE between runs
 */
FerryRunPhase
ferry_collection_get_phase (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), FERRY_RUN_PHASE_NONE);

  return self->phase;
}

/**
 * ferry_collection_get_progress:
 * @self: a collection
 * @out_total: (out) (optional): documents the current (or last) run syncs
 * @out_synced: (out) (optional): those synced
 * @out_failed: (out) (optional): those the server refused
 */
void
ferry_collection_get_progress (FerryCollection *self,
                               guint           *out_total,
                               guint           *out_synced,
                               guint           *out_failed)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));

  if (out_total != NULL)
    *out_total = self->total;
  if (out_synced != NULL)
    *out_synced = self->synced;
  if (out_failed != NULL)
    *out_failed = self->failed;
}

/**
 * ferry_collection_get_counts:
 * @self: a collection
 * @out_counts: (out): its documents, dirty, conflicted and failed ones
 */
void
ferry_collection_get_counts (FerryCollection     *self,
                             FerryDocumentCounts *out_counts)
{
  g_return_if_fail (FERRY_IS_COLLECTION (self));
  g_return_if_fail (out_counts != NULL);

  *out_counts = self->counts;
}

/**
 * ferry_collection_get_last_sync:
 * @self: a collection
 *
 * Returns: when its last run that reached its end finished (µs since the
 *   epoch), 0 for never
 */
gint64
ferry_collection_get_last_sync (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return self->last_sync;
}

/**
 * ferry_collection_get_next_sync:
 * @self: a collection
 *
 * Returns: when it runs on its own next (µs since the epoch), 0 for not
 *   on its own
 */
gint64
ferry_collection_get_next_sync (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), 0);

  return self->next_sync;
}

/**
 * ferry_collection_get_last_error:
 * @self: a collection
 *
 * Returns: (nullable): why its last run failed
 */
const char *
ferry_collection_get_last_error (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return self->last_error;
}

/**
 * ferry_collection_is_running:
 * @self: a collection
 *
 * Returns: whether a run is going on
 */
gboolean
ferry_collection_is_running (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), FALSE);

  return self->run != NULL;
}

/**
 * ferry_collection_get_wanted:
 * @self: a collection
 *
 * Returns: (nullable): the trigger of the run waiting for a slot
 */
const char *
ferry_collection_get_wanted (FerryCollection *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return self->wanted;
}
