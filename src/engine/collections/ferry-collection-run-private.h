/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection-run.h"

G_BEGIN_DECLS

#define MAX_SWEEPS 3

struct _FerryCollectionRun
{
  GObject                parent_instance;

  /* owned */
  FerryCollectionStore  *store;
  FerryReplicator       *replicator;
  FerryCollectionConfig *config;
  FerryRunRecord        *record;
  GTask                 *task;
  GPtrArray             *custom;          /* ids waiting for the app's resolver */
  GPtrArray             *conflicts;       /* ids that went into conflict, this batch */
  char                  *checkpoint;      /* where the pull stands */
  char                  *marker;          /* the checkpoint's name on the server */

  /* state */
  FerryRunPhase          phase;
  gint64                 phase_started;
  guint                  push_total;
  guint                  pull_total;
  guint                  pull_done;
  guint                  synced;
  guint                  failed;
  guint                  batch;           /* the size of the last batch */
  double                 doc_bytes;       /* average size of a document */
  gint64                 cursor;          /* the push sweep is past this sequence */
  guint                  sweep;
  gboolean               rebased;         /* a document waits for another sweep */
  gboolean               pulled;          /* the checkpoint moved */
  gint64                 changed_seq;     /* the last sequence a batch wrote */
};

gboolean ferry_collection_run_fail_if_error  (FerryCollectionRun    *self,
                                             GError                *error);
void     ferry_collection_run_complete       (FerryCollectionRun    *self,
                                             GError                *error);
void     ferry_collection_run_enter_phase    (FerryCollectionRun    *self,
                                             FerryRunPhase          phase);
void     ferry_collection_run_note_doc_size  (FerryCollectionRun    *self,
                                             GBytes                *body);
guint    ferry_collection_run_next_batch_size (FerryCollectionRun   *self);
void     ferry_collection_run_announce_batch (FerryCollectionRun    *self);
void     ferry_collection_run_note_seq       (FerryCollectionRun    *self,
                                             gint64                 seq);
gboolean ferry_collection_run_settle         (FerryCollectionRun    *self,
                                             const FerryDocument   *local,
                                             const FerryRemoteDoc  *remote,
                                             GError               **error);
void     ferry_collection_run_start_pull     (FerryCollectionRun    *self);

G_END_DECLS
