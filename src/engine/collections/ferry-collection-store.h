/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection-config.h"
#include "ferry-database.h"
#include "ferry-document.h"

G_BEGIN_DECLS

/**
 * FerrySyncInfo:
 * @local_seq: the last local sequence handed out
 * @checkpoint: (nullable): where the next pull starts, in the replicator's
 *   own words; %NULL to pull from the start
 * @remote_marker: (nullable): what the replicator keeps on the server to
 *   recognise it (the CouchDB `_local` document), once written
 * @last_sync: when the last run that reached its end finished (µs)
 * @last_error: (nullable): why the last run did not
 *
 * Where a collection's sync stands.
 */
typedef struct
{
  gint64  local_seq;
  char   *checkpoint;
  char   *remote_marker;
  gint64  last_sync;
  char   *last_error;
} FerrySyncInfo;

void ferry_sync_info_free (FerrySyncInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrySyncInfo, ferry_sync_info_free)

/**
 * FerryRunPhaseTime:
 * @FERRY_RUN_TIME_CHECK: the check phase
 * @FERRY_RUN_TIME_PUSH: the push phase
 * @FERRY_RUN_TIME_PULL: the pull phase
 * @FERRY_RUN_TIME_FINISH: the finish phase
 * @FERRY_N_RUN_TIMES: how many there are
 *
 * The phases a run record times.
 */
typedef enum {
  FERRY_RUN_TIME_CHECK,
  FERRY_RUN_TIME_PUSH,
  FERRY_RUN_TIME_PULL,
  FERRY_RUN_TIME_FINISH,
  FERRY_N_RUN_TIMES,
} FerryRunPhaseTime;

/**
 * FerryRunRecord:
 * @trigger: what started the run (local, interval, online, resume, now,
 *   live, start)
 * @result: ok, error or cancelled
 * @error: (nullable): why it did not end well
 * @started: when it started (µs since the epoch)
 * @finished: when it ended
 * @pushed: documents the server took
 * @pulled: remote changes applied here
 * @failed: documents the server refused
 * @conflicts: conflicts met (settled or not)
 * @requests: HTTP exchanges
 * @bytes_sent: request bytes (bodies and headers)
 * @bytes_received: response bytes
 * @phase_us: time spent in each phase, in µs
 *
 * One run, as the history keeps it.
 */
typedef struct
{
  char    *trigger;
  char    *result;
  char    *error;
  gint64   started;
  gint64   finished;
  guint    pushed;
  guint    pulled;
  guint    failed;
  guint    conflicts;
  guint    requests;
  guint64  bytes_sent;
  guint64  bytes_received;
  gint64   phase_us[FERRY_N_RUN_TIMES];
} FerryRunRecord;

FerryRunRecord *ferry_run_record_new  (void);
void            ferry_run_record_free (FerryRunRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRunRecord, ferry_run_record_free)

/* How many runs the history keeps per collection. */
#define FERRY_COLLECTION_RUNS_KEPT 20

#define FERRY_TYPE_COLLECTION_STORE (ferry_collection_store_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionStore, ferry_collection_store,
                      FERRY, COLLECTION_STORE, GObject)

FerryCollectionStore *ferry_collection_store_new          (FerryDatabase          *database,
                                                           GError                **error);

/* Transactions: every document write below happens inside one. */
gboolean       ferry_collection_store_begin               (FerryCollectionStore   *self,
                                                           GError                **error);
gboolean       ferry_collection_store_commit              (FerryCollectionStore   *self,
                                                           GError                **error);
void           ferry_collection_store_rollback            (FerryCollectionStore   *self);

/* Collections (each call its own transaction). */
gboolean       ferry_collection_store_attach              (FerryCollectionStore   *self,
                                                           FerryCollectionConfig  *config,
                                                           gboolean               *out_reset,
                                                           GError                **error);
GPtrArray     *ferry_collection_store_list_attached       (FerryCollectionStore   *self,
                                                           GError                **error);
gboolean       ferry_collection_store_detach              (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           gboolean                keep_data,
                                                           GError                **error);
FerrySyncInfo *ferry_collection_store_dup_sync_info       (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           GError                **error);
gboolean       ferry_collection_store_set_checkpoint      (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const char             *checkpoint,
                                                           GError                **error);
gboolean       ferry_collection_store_set_remote_marker   (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const char             *marker,
                                                           GError                **error);
gboolean       ferry_collection_store_add_run             (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryRunRecord   *run,
                                                           GError                **error);
GPtrArray     *ferry_collection_store_list_runs           (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           guint                   limit,
                                                           GError                **error);

/* Reading documents. */
FerryDocument *ferry_collection_store_dup_document        (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const char             *doc_id,
                                                           GError                **error);
GPtrArray     *ferry_collection_store_list_documents      (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocumentFilter *filter,
                                                           guint                   offset,
                                                           guint                   limit,
                                                           GError                **error);
GPtrArray     *ferry_collection_store_changes             (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           gint64                  since,
                                                           guint                   limit,
                                                           gboolean                with_bodies,
                                                           GError                **error);
GPtrArray     *ferry_collection_store_next_pushable       (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           gint64                  after_seq,
                                                           guint                   limit,
                                                           GError                **error);
gboolean       ferry_collection_store_get_counts          (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           FerryDocumentCounts    *out_counts,
                                                           GError                **error);

/* Writing documents, inside a transaction.  @before is the row as
 * ferry_collection_store_dup_document() read it in the same transaction
 * (%NULL when there is none); @out_seq, when given, receives the
 * document's sequence afterwards. */
gboolean       ferry_collection_store_write_local         (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *before,
                                                           const char             *doc_id,
                                                           GBytes                 *body,
                                                           gint64                 *out_seq,
                                                           GError                **error);
gboolean       ferry_collection_store_take_remote         (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *before,
                                                           const FerryRemoteDoc   *remote,
                                                           gint64                 *out_seq,
                                                           GError                **error);
gboolean       ferry_collection_store_rebase              (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *before,
                                                           GBytes                 *merged,
                                                           const FerryRemoteDoc   *remote,
                                                           gint64                 *out_seq,
                                                           GError                **error);
gboolean       ferry_collection_store_set_conflict        (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *before,
                                                           const FerryRemoteDoc   *remote,
                                                           const char             *reason,
                                                           GError                **error);
gboolean       ferry_collection_store_mark_pushed         (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *sent,
                                                           const char             *version,
                                                           GError                **error);
gboolean       ferry_collection_store_mark_rejected       (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           const FerryDocument    *sent,
                                                           const char             *reason,
                                                           GError                **error);
gboolean       ferry_collection_store_retry_failed        (FerryCollectionStore   *self,
                                                           gint64                  collection,
                                                           guint                  *out_count,
                                                           GError                **error);

G_END_DECLS
