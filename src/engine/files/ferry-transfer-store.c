/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-store"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-sqlite-private.h"

#include "ferry-transfer-store.h"

/*
 * The "files" part of the database: one row per download or upload beside
 * its task in the outbox.  The row is keyed by the task's idempotency key,
 * which exists before the task is stored, so the row is always written
 * first: a crash between the two leaves a row without a task (reaped at
 * start-up), never a task the outbox would send as a plain request.
 * Rows are few (transfers in progress and the files kept), so lists are
 * read whole.
 */

struct _FerryTransferStore
{
  GObject parent_instance;

  /* owned */
  FerryDatabase *database;
};

G_DEFINE_FINAL_TYPE (FerryTransferStore, ferry_transfer_store, G_TYPE_OBJECT)

static const char * const migrations[] = {
  "CREATE TABLE transfers ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  task_id TEXT,"
  "  owner TEXT NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  path TEXT NOT NULL,"
  "  part_path TEXT,"
  "  in_storage INTEGER NOT NULL DEFAULT 0,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  total INTEGER NOT NULL DEFAULT -1,"
  "  done INTEGER NOT NULL DEFAULT 0,"
  "  expected_size INTEGER NOT NULL DEFAULT -1,"
  "  expected_sha256 TEXT,"
  "  pinned INTEGER NOT NULL DEFAULT 0,"
  "  complete INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL DEFAULT 0,"
  "  last_access INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX transfers_task ON transfers (task_id);"
  "CREATE INDEX transfers_owner ON transfers (owner, complete);",
  /* 2: a transfer the person paused is held until resumed. */
  "ALTER TABLE transfers ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;",
};

#define COLUMNS "key, task_id, owner, kind, path, part_path, in_storage, etag, " \
                "last_modified, total, done, expected_size, expected_sha256, pinned, " \
                "complete, created, last_access, paused"

static gboolean
prepare (FerryTransferStore  *self,
         const char          *sql,
         sqlite3_stmt       **out_stmt,
         GError             **error)
{
  sqlite3 *db = ferry_database_get_handle (self->database);
  int rc = sqlite3_prepare_v2 (db, sql, -1, out_stmt, NULL);

  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (db, rc, "preparing a transfer statement", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
finish (FerryTransferStore *self,
        sqlite3_stmt       *stmt,
        const char         *what,
        GError            **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ferry_database_set_error (ferry_database_get_handle (self->database), rc, what, error);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_record (sqlite3_stmt        *stmt,
             FerryTransferRecord *record)
{
  bind_text (stmt, 1, record->key);
  bind_text (stmt, 2, record->task_id);
  bind_text (stmt, 3, record->owner);
  sqlite3_bind_int (stmt, 4, record->kind);
  bind_text (stmt, 5, record->path);
  bind_text (stmt, 6, record->part_path);
  sqlite3_bind_int (stmt, 7, record->in_storage);
  bind_text (stmt, 8, record->etag);
  bind_text (stmt, 9, record->last_modified);
  sqlite3_bind_int64 (stmt, 10, record->total);
  sqlite3_bind_int64 (stmt, 11, record->done);
  sqlite3_bind_int64 (stmt, 12, record->expected_size);
  bind_text (stmt, 13, record->expected_sha256);
  sqlite3_bind_int (stmt, 14, record->pinned);
  sqlite3_bind_int (stmt, 15, record->complete);
  sqlite3_bind_int64 (stmt, 16, record->created);
  sqlite3_bind_int64 (stmt, 17, record->last_access);
  sqlite3_bind_int (stmt, 18, record->paused);
}

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static FerryTransferRecord *
read_record (sqlite3_stmt *stmt)
{
  FerryTransferRecord *record = ferry_transfer_record_new ();

  record->key = dup_text (stmt, 0);
  record->task_id = dup_text (stmt, 1);
  record->owner = dup_text (stmt, 2);
  record->kind = sqlite3_column_int (stmt, 3);
  record->path = dup_text (stmt, 4);
  record->part_path = dup_text (stmt, 5);
  record->in_storage = sqlite3_column_int (stmt, 6);
  record->etag = dup_text (stmt, 7);
  record->last_modified = dup_text (stmt, 8);
  record->total = sqlite3_column_int64 (stmt, 9);
  record->done = sqlite3_column_int64 (stmt, 10);
  record->expected_size = sqlite3_column_int64 (stmt, 11);
  record->expected_sha256 = dup_text (stmt, 12);
  record->pinned = sqlite3_column_int (stmt, 13);
  record->complete = sqlite3_column_int (stmt, 14);
  record->created = sqlite3_column_int64 (stmt, 15);
  record->last_access = sqlite3_column_int64 (stmt, 16);
  record->paused = sqlite3_column_int (stmt, 17);
  return record;
}

static void
ferry_transfer_store_dispose (GObject *object)
{
  FerryTransferStore *self = FERRY_TRANSFER_STORE (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (ferry_transfer_store_parent_class)->dispose (object);
}

static void
ferry_transfer_store_class_init (FerryTransferStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ferry_transfer_store_dispose;
}

static void
ferry_transfer_store_init (FerryTransferStore *self)
{
}

FerryTransferRecord *
ferry_transfer_record_new (void)
{
  FerryTransferRecord *record = g_new0 (FerryTransferRecord, 1);

  record->total = -1;
  record->expected_size = -1;
  return record;
}

void
ferry_transfer_record_free (FerryTransferRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->key);
  g_free (record->task_id);
  g_free (record->owner);
  g_free (record->path);
  g_free (record->part_path);
  g_free (record->etag);
  g_free (record->last_modified);
  g_free (record->expected_sha256);
  g_free (record);
}

/**
 * ferry_transfer_store_new:
 * @database: the database every part shares
 * @error: the migration's error
 *
 * Returns: (transfer full) (nullable): the store, its table up to date
 */
FerryTransferStore *
ferry_transfer_store_new (FerryDatabase  *database,
                          GError        **error)
{
  g_autoptr(FerryTransferStore) self = NULL;

  g_return_val_if_fail (FERRY_IS_DATABASE (database), NULL);

  if (!ferry_database_migrate (database, "files", migrations, G_N_ELEMENTS (migrations),
                               FERRY_DATABASE_PART_NONE, error))
    return NULL;
  self = g_object_new (FERRY_TYPE_TRANSFER_STORE, NULL);
  self->database = g_object_ref (database);
  return g_steal_pointer (&self);
}

/* Stores a new row, durable when this returns. */
gboolean
ferry_transfer_store_insert (FerryTransferStore   *self,
                             FerryTransferRecord  *record,
                             GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);

  if (!prepare (self, "INSERT INTO transfers (" COLUMNS ") VALUES "
                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                &stmt, error))
    return FALSE;
  bind_record (stmt, record);
  return finish (self, stmt, "adding a transfer", error);
}

gboolean
ferry_transfer_store_set_task_id (FerryTransferStore  *self,
                                  const char          *key,
                                  const char          *task_id,
                                  GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);

  if (!prepare (self, "UPDATE transfers SET task_id = ?2 WHERE key = ?1", &stmt, error))
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, task_id);
  return finish (self, stmt, "naming a transfer's task", error);
}

/* Writes every field of @record over the row of its key. */
gboolean
ferry_transfer_store_update (FerryTransferStore   *self,
                             FerryTransferRecord  *record,
                             GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);

  if (!prepare (self, "INSERT OR REPLACE INTO transfers (" COLUMNS ") VALUES "
                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                &stmt, error))
    return FALSE;
  bind_record (stmt, record);
  return finish (self, stmt, "updating a transfer", error);
}

gboolean
ferry_transfer_store_remove (FerryTransferStore  *self,
                             const char          *key,
                             GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), FALSE);

  if (!prepare (self, "DELETE FROM transfers WHERE key = ?1", &stmt, error))
    return FALSE;
  bind_text (stmt, 1, key);
  return finish (self, stmt, "removing a transfer", error);
}

/**
 * ferry_transfer_store_lookup:
 * @self: a store
 * @column: "key" or "task_id"
 * @value: what it must hold
 * @error: a database error
 *
 * Returns: (transfer full) (nullable): the row, or %NULL with no error
 *   when there is none
 */
FerryTransferRecord *
ferry_transfer_store_lookup (FerryTransferStore  *self,
                             const char          *column,
                             const char          *value,
                             GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), NULL);
  g_return_val_if_fail (g_strcmp0 (column, "key") == 0 || g_strcmp0 (column, "task_id") == 0,
                        NULL);

  if (!prepare (self, strcmp (column, "key") == 0 ?
                "SELECT " COLUMNS " FROM transfers WHERE key = ?1" :
                "SELECT " COLUMNS " FROM transfers WHERE task_id = ?1", &stmt, error))
    return NULL;
  bind_text (stmt, 1, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_record (stmt);
  if (rc != SQLITE_DONE)
    ferry_database_set_error (ferry_database_get_handle (self->database), rc,
                              "looking up a transfer", error);
  return NULL;
}

/**
 * ferry_transfer_store_list:
 * @self: a store
 * @owner: (nullable): only this app's
 * @complete: complete downloads, or the transfers still going on
 * @error: a database error
 *
 * Returns: (transfer full) (element-type FerryTransferRecord) (nullable):
 *   the rows, oldest first
 */
GPtrArray *
ferry_transfer_store_list (FerryTransferStore  *self,
                           const char          *owner,
                           gboolean             complete,
                           GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_TRANSFER_STORE (self), NULL);

  if (!prepare (self, "SELECT " COLUMNS " FROM transfers "
                "WHERE (?1 IS NULL OR owner = ?1) AND complete = ?2 ORDER BY created, key",
                &stmt, error))
    return NULL;
  bind_text (stmt, 1, owner);
  sqlite3_bind_int (stmt, 2, complete ? 1 : 0);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_transfer_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt));
  if (rc != SQLITE_DONE)
    {
      ferry_database_set_error (ferry_database_get_handle (self->database), rc,
                                "listing transfers", error);
      return NULL;
    }
  return g_steal_pointer (&records);
}
