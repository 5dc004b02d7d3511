/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection.h"

G_BEGIN_DECLS

/* A live collection whose protocol cannot wait for changes pulls this
 * often while online. */
#define LIVE_PULL_INTERVAL_S 10

struct _FerryCollection
{
  GObject                parent_instance;

  /* owned */
  FerryCollectionStore  *store;
  FerryReplicator       *replicator;
  FerryCollectionRun    *run;
  GCancellable          *cancellable;     /* the run's */
  GCancellable          *watch;           /* the live watch's */
  char                  *wanted;          /* the trigger of the run waiting for a slot */
  char                  *last_error;
  GRand                 *rand;

  /* borrowed */
  FerryCollectionConfig *config;          /* the replicator's */

  /* state */
  FerryCollectionState   state;
  FerryRunPhase          phase;
  guint                  total;
  guint                  synced;
  guint                  failed;
  FerryDocumentCounts    counts;
  gint64                 last_sync;
  gint64                 next_sync;
  gboolean               last_failed;
  guint                  failures;        /* runs failed in a row */
  guint                  watch_failures;
  gboolean               reachable;
  gboolean               paused;
  guint                  debounce_id;
  guint                  interval_id;
  guint                  retry_id;
  guint                  live_id;
};

G_END_DECLS
