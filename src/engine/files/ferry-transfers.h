/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-sync-manager.h"
#include "ferry-transfer-store.h"

G_BEGIN_DECLS

#define FERRY_DEFAULT_QUOTA          (100 * 1000 * 1000)        /* bytes per app */
#define FERRY_DEFAULT_MIN_FREE       (1000 * 1000 * 1000)       /* bytes kept free */
#define FERRY_DEFAULT_MIN_FREE_PERCENT 5
#define FERRY_UPLOAD_MAX_SIZE        (G_GINT64_CONSTANT (1) << 40)

/**
 * FerryDownloadSpec:
 * @destination: (nullable): an absolute path the caller may write; %NULL
 *   puts the file in Ferry's storage for its owner, named @file_name
 * @file_name: (nullable): the name in Ferry's storage (else the task's
 *   name, else the URL's last segment)
 * @expected_size: -1 for any
 * @expected_sha256: (nullable): 64 hex digits
 * @pinned: never evicted to make room
 *
 * What a download adds to its task (which gives URL, headers, owner,
 * name, group, priority, constraints and expiry).
 */
typedef struct
{
  char     *destination;
  char     *file_name;
  gint64    expected_size;
  char     *expected_sha256;
  gboolean  pinned;
} FerryDownloadSpec;

/**
 * FerryTransferUsage:
 * @owner: an app
 * @bytes: bytes its files take in Ferry's storage and spool
 * @files: how many files
 * @quota: its quota
 */
typedef struct
{
  char   *owner;
  guint64 bytes;
  guint   files;
  guint64 quota;
} FerryTransferUsage;

void ferry_transfer_usage_free (FerryTransferUsage *usage);

#define FERRY_TYPE_TRANSFERS (ferry_transfers_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransfers, ferry_transfers, FERRY, TRANSFERS, GObject)

FerryTransfers *ferry_transfers_new              (FerrySyncManager     *manager,
                                                  FerryDatabase        *database,
                                                  const char           *data_dir,
                                                  GError              **error);
const char     *ferry_transfers_get_storage_dir  (FerryTransfers       *self);
char           *ferry_transfers_dup_app_dir      (FerryTransfers       *self,
                                                  const char           *owner);

void            ferry_transfers_download_async   (FerryTransfers       *self,
                                                  FerryTask            *task,
                                                  const FerryDownloadSpec *spec,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
FerryTask      *ferry_transfers_download_finish  (FerryTransfers       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            ferry_transfers_upload_async     (FerryTransfers       *self,
                                                  FerryTask            *task,
                                                  GInputStream         *body,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
FerryTask      *ferry_transfers_upload_finish    (FerryTransfers       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

FerryTransferRecord *ferry_transfers_dup_record  (FerryTransfers       *self,
                                                  const char           *task_id,
                                                  GError              **error);
GPtrArray      *ferry_transfers_list             (FerryTransfers       *self,
                                                  const char           *owner,
                                                  GError              **error);
gboolean        ferry_transfers_get_progress     (FerryTransfers       *self,
                                                  const char           *task_id,
                                                  gint64               *out_done,
                                                  gint64               *out_total,
                                                  guint64              *out_rate);
int             ferry_transfers_open_file        (FerryTransfers       *self,
                                                  const char           *task_id,
                                                  GError              **error);
GPtrArray      *ferry_transfers_dup_usage        (FerryTransfers       *self,
                                                  const char           *owner,
                                                  GError              **error);
gboolean        ferry_transfers_remove_files     (FerryTransfers       *self,
                                                  const char           *owner,
                                                  const char * const   *task_ids,
                                                  guint                *out_removed,
                                                  GError              **error);
gboolean        ferry_transfers_set_paused       (FerryTransfers       *self,
                                                  const char           *task_id,
                                                  gboolean              paused,
                                                  GError              **error);
void            ferry_transfers_set_quotas       (FerryTransfers       *self,
                                                  GVariant             *quotas);
guint64         ferry_transfers_get_quota        (FerryTransfers       *self,
                                                  const char           *owner);

G_END_DECLS
