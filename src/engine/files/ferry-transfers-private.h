/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-transfers.h"

G_BEGIN_DECLS

typedef struct
{
  char    *task_id;
  char    *owner;
  gboolean upload;
  gint64   done;
  gint64   total;
  gint64   reported_done;
  gint64   reported_at;
  double   rate;          /* bytes per second, smoothed */
  gboolean dirty;
} FerryTransferProgress;

struct _FerryTransfers
{
  GObject parent_instance;

  /* owned */
  FerrySyncManager   *manager;
  FerryTransferStore *store;
  char               *storage_dir;   /* <data>/files: <app-id>/ for each app */
  char               *spool_dir;     /* <data>/spool: uploads' bodies */
  GHashTable         *active;        /* key → FerryTransferRecord*, not complete */
  GHashTable         *downloads;     /* key → FerryDownload* */
  GHashTable         *progress;      /* key → FerryTransferProgress* */
  GHashTable         *quotas;        /* owner → quota in bytes (guint64*) */
  GHashTable         *runs;          /* key → GCancellable* of the attempt running */

  /* state */
  guint               progress_id;
  gulong              changed_id;
  guint64             default_quota;
  guint64             min_free;
  guint               min_free_percent;
};

/* ferry-transfers.c */
void     ferry_transfers_note_progress  (FerryTransfers       *self,
                                         FerryTransferRecord  *record,
                                         gint64                done,
                                         gint64                total);

/* ferry-transfers-runs.c: the attempts, and what follows a task's state. */
extern const FerrySender ferry_transfers_sender;
void     ferry_transfers_on_task_changed (FerrySyncManager    *manager,
                                          FerryTask           *task,
                                          FerryTransfers      *self);

/* ferry-transfer-spool.c: an upload's body into the spool. */
void     ferry_transfers_spool_copy_async  (GOutputStream       *out,
                                            GInputStream        *body,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gssize   ferry_transfers_spool_copy_finish (GAsyncResult        *result,
                                            GError             **error);

/* ferry-transfer-storage.c: room, usage, eviction, reaping. */
gint64   ferry_transfers_room_for       (FerryTransfers       *self,
                                         FerryTransferRecord  *record);
guint64  ferry_transfers_usage_of       (FerryTransfers       *self,
                                         const char           *owner,
                                         const char           *except_key);
void     ferry_transfers_evict_for      (FerryTransfers       *self,
                                         const char           *owner,
                                         guint64               needed);
void     ferry_transfers_reap           (FerryTransfers       *self);
void     ferry_transfers_quota_exceeded (FerryTransfers       *self,
                                         const char           *owner,
                                         guint64               needed);
gboolean ferry_transfers_forget         (FerryTransfers       *self,
                                         FerryTransferRecord  *record,
                                         gboolean              keep_row,
                                         GError              **error);
void     ferry_transfers_drop_upload    (FerryTransfers       *self,
                                         FerryTransferRecord  *record);

G_END_DECLS
