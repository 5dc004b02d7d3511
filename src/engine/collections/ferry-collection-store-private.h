/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "ferry-collection-store.h"

G_BEGIN_DECLS

/* Statements prepared once, by name; see statement_sql in
 * ferry-collection-store.c. */
typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_FIND_COLLECTION,
  STMT_INSERT_COLLECTION,
  STMT_UPDATE_COLLECTION,
  STMT_RESET_ENDPOINT,
  STMT_RESET_DOCUMENTS,
  STMT_LIST_ATTACHED,
  STMT_SET_ATTACHED,
  STMT_DELETE_DOCUMENTS,
  STMT_DELETE_RUNS,
  STMT_DELETE_COLLECTION,
  STMT_SYNC_INFO,
  STMT_SET_CHECKPOINT,
  STMT_SET_REMOTE_MARKER,
  STMT_SET_LAST_RUN,
  STMT_INSERT_RUN,
  STMT_PRUNE_RUNS,
  STMT_LIST_RUNS,
  STMT_NEXT_SEQ,
  STMT_GET_DOCUMENT,
  STMT_UPSERT_DOCUMENT,
  STMT_CHANGES,
  STMT_CHANGES_BODIES,
  STMT_NEXT_PUSHABLE,
  STMT_COUNTS,
  STMT_RETRY_FAILED,
  N_STMTS
} FerryCollectionStmt;

struct _FerryCollectionStore
{
  GObject        parent_instance;

  /* owned */
  FerryDatabase *database;
  sqlite3_stmt  *stmts[N_STMTS];
  GHashTable    *list_stmts;   /* filter shape → sqlite3_stmt, prepared on first use */
  GHashTable    *counts;       /* collection id → FerryDocumentCounts, kept up to date */

  /* borrowed */
  sqlite3       *db;

  /* state */
  gboolean       in_transaction;
};

/* A statement on loan: the cleanup resets it and clears its bindings. */
typedef sqlite3_stmt FerryBorrowedStmt;
void ferry_borrowed_stmt_release (FerryBorrowedStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryBorrowedStmt, ferry_borrowed_stmt_release)

FerryBorrowedStmt *ferry_collection_store_borrow   (FerryCollectionStore *self,
                                                    FerryCollectionStmt   which);
gboolean           ferry_collection_store_step_done (FerryCollectionStore *self,
                                                    sqlite3_stmt         *stmt,
                                                    int                   rc,
                                                    const char           *what,
                                                    GError              **error);
sqlite3_stmt      *ferry_collection_store_prepare  (FerryCollectionStore *self,
                                                    const char           *sql,
                                                    GError              **error);
void               ferry_collection_store_forget_counts (FerryCollectionStore *self,
                                                    gint64                collection);

/* Binding helpers, NULL-safe. */
int     ferry_stmt_bind_text   (sqlite3_stmt *stmt,
                                int           index,
                                const char   *text);
int     ferry_stmt_bind_bytes  (sqlite3_stmt *stmt,
                                int           index,
                                GBytes       *bytes);
char   *ferry_stmt_dup_text    (sqlite3_stmt *stmt,
                                int           column);
GBytes *ferry_stmt_dup_bytes   (sqlite3_stmt *stmt,
                                int           column);

/* Runs @body (an expression) as one transaction of its own, and returns
 * from the calling function with the outcome. */
#define IN_OWN_TRANSACTION(self, error, body)                          \
  G_STMT_START {                                                       \
    if (!ferry_collection_store_begin ((self), (error)))               \
      return FALSE;                                                    \
    if (!(body))                                                       \
      {                                                                \
        ferry_collection_store_rollback (self);                        \
        return FALSE;                                                  \
      }                                                                \
    return ferry_collection_store_commit ((self), (error));            \
  } G_STMT_END

G_END_DECLS
