/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-database.h"

G_BEGIN_DECLS

/**
 * FerryTransferKind:
 * @FERRY_TRANSFER_DOWNLOAD: a file fetched to a destination
 * @FERRY_TRANSFER_UPLOAD: a request whose body is a spooled file
 *
 * Stored as the number.
 */
typedef enum {
  FERRY_TRANSFER_DOWNLOAD = 0,
  FERRY_TRANSFER_UPLOAD = 1,
} FerryTransferKind;

/**
 * FerryTransferRecord:
 * @key: the task's idempotency key, which ties the two together before
 *   the task has an id
 * @task_id: (nullable): the task's id, once it is stored
 * @owner: the app it belongs to
 * @kind: download or upload
 * @path: a download's destination; an upload's spooled body
 * @part_path: (nullable): a download's partial file
 * @in_storage: whether the file lies in Ferry's storage and counts toward
 *   its owner's quota
 * @etag: (nullable): the validator the partial's bytes came with
 * @last_modified: (nullable): the same, as a strong date
 * @total: the file's size, -1 unknown
 * @done: bytes on disk (partial or complete)
 * @expected_size: the size the file must have, -1 for any
 * @expected_sha256: (nullable): its SHA-256
 * @pinned: never evicted to make room
 * @complete: a download at its destination (kept until removed)
 * @created: when it was added
 * @last_access: when it was last completed or opened
 * @paused: held by the person until resumed
 *
 * What Ferry keeps of one transfer, beside its task.
 */
typedef struct
{
  char              *key;
  char              *task_id;
  char              *owner;
  FerryTransferKind  kind;
  char              *path;
  char              *part_path;
  gboolean           in_storage;
  char              *etag;
  char              *last_modified;
  gint64             total;
  gint64             done;
  gint64             expected_size;
  char              *expected_sha256;
  gboolean           pinned;
  gboolean           complete;
  gint64             created;
  gint64             last_access;
  gboolean           paused;
} FerryTransferRecord;

FerryTransferRecord *ferry_transfer_record_new  (void);
void                 ferry_transfer_record_free (FerryTransferRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTransferRecord, ferry_transfer_record_free)

#define FERRY_TYPE_TRANSFER_STORE (ferry_transfer_store_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferStore, ferry_transfer_store, FERRY, TRANSFER_STORE, GObject)

FerryTransferStore  *ferry_transfer_store_new         (FerryDatabase        *database,
                                                       GError              **error);
gboolean             ferry_transfer_store_insert      (FerryTransferStore   *self,
                                                       FerryTransferRecord  *record,
                                                       GError              **error);
gboolean             ferry_transfer_store_set_task_id (FerryTransferStore   *self,
                                                       const char           *key,
                                                       const char           *task_id,
                                                       GError              **error);
gboolean             ferry_transfer_store_update      (FerryTransferStore   *self,
                                                       FerryTransferRecord  *record,
                                                       GError              **error);
gboolean             ferry_transfer_store_remove      (FerryTransferStore   *self,
                                                       const char           *key,
                                                       GError              **error);
FerryTransferRecord *ferry_transfer_store_lookup      (FerryTransferStore   *self,
                                                       const char           *column,
                                                       const char           *value,
                                                       GError              **error);
GPtrArray           *ferry_transfer_store_list        (FerryTransferStore   *self,
                                                       const char           *owner,
                                                       gboolean              complete,
                                                       GError              **error);

G_END_DECLS
