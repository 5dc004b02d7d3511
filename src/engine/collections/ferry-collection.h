/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection-run.h"
#include "ferry-collection-store.h"
#include "ferry-replicator.h"

G_BEGIN_DECLS

/**
 * FerryCollectionState:
 * @FERRY_COLLECTION_STATE_IDLE: nothing running; local changes may wait
 * @FERRY_COLLECTION_STATE_SYNCING: a run is going on
 * @FERRY_COLLECTION_STATE_SYNCED: the last run reached its end and nothing
 *   waits to be sent
 * @FERRY_COLLECTION_STATE_ERROR: the last run failed; it is tried again
 * @FERRY_COLLECTION_STATE_OFFLINE: its server cannot be reached
 * @FERRY_COLLECTION_STATE_PAUSED: sync is paused
 *
 * Where a collection stands, as its State property says.
 */
typedef enum {
  FERRY_COLLECTION_STATE_IDLE,
  FERRY_COLLECTION_STATE_SYNCING,
  FERRY_COLLECTION_STATE_SYNCED,
  FERRY_COLLECTION_STATE_ERROR,
  FERRY_COLLECTION_STATE_OFFLINE,
  FERRY_COLLECTION_STATE_PAUSED,
} FerryCollectionState;

const char *ferry_collection_state_to_string (FerryCollectionState state);

#define FERRY_TYPE_COLLECTION (ferry_collection_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollection, ferry_collection, FERRY, COLLECTION, GObject)

FerryCollection       *ferry_collection_new            (FerryCollectionStore *store,
                                                        FerryReplicator      *replicator,
                                                        GError              **error);
FerryCollectionConfig *ferry_collection_get_config     (FerryCollection      *self);
gint64                 ferry_collection_get_id         (FerryCollection      *self);
FerryCollectionState   ferry_collection_get_state      (FerryCollection      *self);
FerryRunPhase          ferry_collection_get_phase      (FerryCollection      *self);
void                   ferry_collection_get_progress   (FerryCollection      *self,
                                                        guint                *out_total,
                                                        guint                *out_synced,
                                                        guint                *out_failed);
void                   ferry_collection_get_counts     (FerryCollection      *self,
                                                        FerryDocumentCounts  *out_counts);
gint64                 ferry_collection_get_last_sync  (FerryCollection      *self);
gint64                 ferry_collection_get_next_sync  (FerryCollection      *self);
const char            *ferry_collection_get_last_error (FerryCollection      *self);
gboolean               ferry_collection_is_running     (FerryCollection      *self);
const char            *ferry_collection_get_wanted     (FerryCollection      *self);

/* For the collection manager. */
void                   ferry_collection_want_run       (FerryCollection      *self,
                                                        const char           *trigger);
void                   ferry_collection_local_write    (FerryCollection      *self,
                                                        gint64                seq,
                                                        guint                 debounce_ms);
gboolean               ferry_collection_start_run      (FerryCollection      *self);
void                   ferry_collection_refresh        (FerryCollection      *self,
                                                        gboolean              reachable,
                                                        gboolean              paused);
void                   ferry_collection_stop           (FerryCollection      *self);

G_END_DECLS

/*
 * Read-only properties (mirroring the D-Bus interface): "state",
 * "phase" (FerryRunPhase as guint), "progress-total", "progress-synced",
 * "progress-failed", "document-count", "dirty-count", "conflict-count",
 * "failed-count", "last-sync", "next-sync" (µs since the epoch, 0 for
 * none), "last-error".
 *
 * Signals
 *   ::wants-run ()                   a run waits for a slot
 *   ::run-started (const char *trigger)
 *   ::run-finished (FerryRunRecord*) the run's record (borrowed; %NULL
 *                                    when it failed: see "last-error")
 *   ::documents-changed (gint64 seq) local documents changed, up to seq
 *   ::conflict (const char *doc_id)  a document waits for a decision
 */
