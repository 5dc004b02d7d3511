/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection-store.h"
#include "ferry-replicator.h"

G_BEGIN_DECLS

/**
 * FerryRunPhase:
 * @FERRY_RUN_PHASE_NONE: no run
 * @FERRY_RUN_PHASE_CHECK: checking the endpoint and the credentials
 * @FERRY_RUN_PHASE_PUSH: sending local changes
 * @FERRY_RUN_PHASE_PULL: reading remote changes
 * @FERRY_RUN_PHASE_FINISH: recording where the sync stands
 *
 * The phases of a run, in order.
 */
typedef enum {
  FERRY_RUN_PHASE_NONE,
  FERRY_RUN_PHASE_CHECK,
  FERRY_RUN_PHASE_PUSH,
  FERRY_RUN_PHASE_PULL,
  FERRY_RUN_PHASE_FINISH,
} FerryRunPhase;

const char *ferry_run_phase_to_string (FerryRunPhase phase);

/* The conflict reason of a document a run handed to the app's resolver
 * (the custom strategy), until the answer or the timeout. */
#define FERRY_COLLECTION_WAITING_FOR_RESOLVER "waiting for the app's resolver"

#define FERRY_TYPE_COLLECTION_RUN (ferry_collection_run_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionRun, ferry_collection_run, FERRY, COLLECTION_RUN, GObject)

FerryCollectionRun *ferry_collection_run_new          (FerryCollectionStore *store,
                                                       FerryReplicator      *replicator,
                                                       const char           *trigger);
void                ferry_collection_run_start_async  (FerryCollectionRun   *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
FerryRunRecord     *ferry_collection_run_finish       (FerryCollectionRun   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
FerryRunPhase       ferry_collection_run_get_phase    (FerryCollectionRun   *self);
void                ferry_collection_run_get_progress (FerryCollectionRun   *self,
                                                       guint                *out_total,
                                                       guint                *out_synced,
                                                       guint                *out_failed);
GStrv               ferry_collection_run_dup_custom   (FerryCollectionRun   *self);

G_END_DECLS

/*
 * Signals
 *   ::progress ()                    phase or progress changed
 *   ::documents-changed (gint64 seq) local documents changed (pulled, or
 *                                    settled); seq is the last sequence
 *   ::conflict (const char *doc_id)  a document waits for a decision
 */
