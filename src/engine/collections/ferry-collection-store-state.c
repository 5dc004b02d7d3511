/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-store"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-store-private.h"

/*
 * Where each collection's sync stands (sequence, checkpoint, last run) and
 * the history of its runs: the part of FerryCollectionStore that is about
 * collections rather than their documents.
 */

void
ferry_sync_info_free (FerrySyncInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->checkpoint);
  g_free (info->remote_marker);
  g_free (info->last_error);
  g_free (info);
}

/**
 * ferry_collection_store_dup_sync_info:
 * @self: a store
 * @collection: a collection's id
 * @error: return location for an error (%FERRY_ERROR_NOT_FOUND for an
 *   unknown collection)
 *
 * Returns: (transfer full) (nullable): where its sync stands
 */
FerrySyncInfo *
ferry_collection_store_dup_sync_info (FerryCollectionStore  *self,
                                      gint64                 collection,
                                      GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;
  FerrySyncInfo *info;
  int rc;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);

  stmt = ferry_collection_store_borrow (self, STMT_SYNC_INFO);
  sqlite3_bind_int64 (stmt, 1, collection);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (ferry_collection_store_step_done (self, stmt, rc, "reading a collection", error))
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                     "no collection %" G_GINT64_FORMAT, collection);
      return NULL;
    }
  info = g_new0 (FerrySyncInfo, 1);
  info->local_seq = sqlite3_column_int64 (stmt, 0);
  info->checkpoint = ferry_stmt_dup_text (stmt, 1);
  info->remote_marker = ferry_stmt_dup_text (stmt, 2);
  info->last_sync = sqlite3_column_int64 (stmt, 3);
  info->last_error = ferry_stmt_dup_text (stmt, 4);
  return info;
}

static gboolean
set_text (FerryCollectionStore  *self,
          FerryCollectionStmt    which,
          gint64                 collection,
          const char            *text,
          GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = ferry_collection_store_borrow (self, which);

  sqlite3_bind_int64 (stmt, 1, collection);
  ferry_stmt_bind_text (stmt, 2, text);
  return ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt),
                                           "updating a collection", error);
}

/**
 * ferry_collection_store_set_checkpoint:
 * @self: a store
 * @collection: a collection's id
 * @checkpoint: (nullable): where the next pull starts
 * @error: return location for an error
 *
 * Inside a transaction: the checkpoint goes with the changes it covers.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_set_checkpoint (FerryCollectionStore  *self,
                                       gint64                 collection,
                                       const char            *checkpoint,
                                       GError               **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  return set_text (self, STMT_SET_CHECKPOINT, collection, checkpoint, error);
}

/**
 * ferry_collection_store_set_remote_marker:
 * @self: a store
 * @collection: a collection's id
 * @marker: (nullable): what the replicator keeps on the server
 * @error: return location for an error
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_set_remote_marker (FerryCollectionStore  *self,
                                          gint64                 collection,
                                          const char            *marker,
                                          GError               **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);

  if (self->in_transaction)
    return set_text (self, STMT_SET_REMOTE_MARKER, collection, marker, error);
  IN_OWN_TRANSACTION (self, error,
                      set_text (self, STMT_SET_REMOTE_MARKER, collection, marker, error));
}

/* Runs ----------------------------------------------------------------- */

/**
 * ferry_run_record_new:
 *
 * Returns: (transfer full): an empty record
 */
FerryRunRecord *
ferry_run_record_new (void)
{
  return g_new0 (FerryRunRecord, 1);
}

/**
 * ferry_run_record_free:
 * @record: (nullable): a record
 *
 * Frees @record.
 */
void
ferry_run_record_free (FerryRunRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->trigger);
  g_free (record->result);
  g_free (record->error);
  g_free (record);
}

static gboolean
add_run_in_transaction (FerryCollectionStore  *self,
                        gint64                 collection,
                        const FerryRunRecord  *run,
                        GError               **error)
{
  g_autoptr(FerryBorrowedStmt) insert = ferry_collection_store_borrow (self, STMT_INSERT_RUN);
  g_autoptr(FerryBorrowedStmt) prune = NULL;
  g_autoptr(FerryBorrowedStmt) last = NULL;

  sqlite3_bind_int64 (insert, 1, collection);
  ferry_stmt_bind_text (insert, 2, run->trigger != NULL ? run->trigger : "");
  ferry_stmt_bind_text (insert, 3, run->result != NULL ? run->result : "");
  ferry_stmt_bind_text (insert, 4, run->error);
  sqlite3_bind_int64 (insert, 5, run->started);
  sqlite3_bind_int64 (insert, 6, run->finished);
  sqlite3_bind_int64 (insert, 7, run->pushed);
  sqlite3_bind_int64 (insert, 8, run->pulled);
  sqlite3_bind_int64 (insert, 9, run->failed);
  sqlite3_bind_int64 (insert, 10, run->conflicts);
  sqlite3_bind_int64 (insert, 11, run->requests);
  sqlite3_bind_int64 (insert, 12, (gint64) run->bytes_sent);
  sqlite3_bind_int64 (insert, 13, (gint64) run->bytes_received);
  for (guint i = 0; i < FERRY_N_RUN_TIMES; i++)
    sqlite3_bind_int64 (insert, 14 + i, run->phase_us[i]);
  if (!ferry_collection_store_step_done (self, insert, sqlite3_step (insert),
                                         "recording a run", error))
    return FALSE;

  prune = ferry_collection_store_borrow (self, STMT_PRUNE_RUNS);
  sqlite3_bind_int64 (prune, 1, collection);
  sqlite3_bind_int64 (prune, 2, FERRY_COLLECTION_RUNS_KEPT);
  if (!ferry_collection_store_step_done (self, prune, sqlite3_step (prune),
                                         "pruning runs", error))
    return FALSE;

  /* A cancelled run (shutdown, removal) says nothing of the server. */
  if (g_strcmp0 (run->result, "cancelled") == 0)
    return TRUE;
  last = ferry_collection_store_borrow (self, STMT_SET_LAST_RUN);
  sqlite3_bind_int64 (last, 1, collection);
  ferry_stmt_bind_text (last, 2, run->error);
  sqlite3_bind_int64 (last, 3, run->finished);
  return ferry_collection_store_step_done (self, last, sqlite3_step (last),
                                           "recording a run", error);
}

/**
 * ferry_collection_store_add_run:
 * @self: a store
 * @collection: a collection's id
 * @run: the run that ended
 * @error: return location for an error
 *
 * Adds @run to the history (which keeps the last
 * %FERRY_COLLECTION_RUNS_KEPT), and records its outcome as the
 * collection's last error, or as its last sync when it had none.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_add_run (FerryCollectionStore  *self,
                                gint64                 collection,
                                const FerryRunRecord  *run,
                                GError               **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (run != NULL, FALSE);

  IN_OWN_TRANSACTION (self, error, add_run_in_transaction (self, collection, run, error));
}

/**
 * ferry_collection_store_list_runs:
 * @self: a store
 * @collection: a collection's id
 * @limit: at most this many
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryRunRecord): the last runs,
 *   newest first
 */
GPtrArray *
ferry_collection_store_list_runs (FerryCollectionStore  *self,
                                  gint64                 collection,
                                  guint                  limit,
                                  GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);

  runs = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_run_record_free);
  stmt = ferry_collection_store_borrow (self, STMT_LIST_RUNS);
  sqlite3_bind_int64 (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FerryRunRecord *run = ferry_run_record_new ();

      run->trigger = ferry_stmt_dup_text (stmt, 0);
      run->result = ferry_stmt_dup_text (stmt, 1);
      run->error = ferry_stmt_dup_text (stmt, 2);
      run->started = sqlite3_column_int64 (stmt, 3);
      run->finished = sqlite3_column_int64 (stmt, 4);
      run->pushed = sqlite3_column_int64 (stmt, 5);
      run->pulled = sqlite3_column_int64 (stmt, 6);
      run->failed = sqlite3_column_int64 (stmt, 7);
      run->conflicts = sqlite3_column_int64 (stmt, 8);
      run->requests = sqlite3_column_int64 (stmt, 9);
      run->bytes_sent = sqlite3_column_int64 (stmt, 10);
      run->bytes_received = sqlite3_column_int64 (stmt, 11);
      for (guint i = 0; i < FERRY_N_RUN_TIMES; i++)
        run->phase_us[i] = sqlite3_column_int64 (stmt, 12 + i);
      g_ptr_array_add (runs, run);
    }
  if (!ferry_collection_store_step_done (self, stmt, rc, "listing runs", error))
    return NULL;
  return g_steal_pointer (&runs);
}
