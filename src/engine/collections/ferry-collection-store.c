/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-store"

#include "config.h"

#include "ferry-error.h"
#include "ferry-sqlite-private.h"

#include "ferry-collection-store-private.h"

/*
 * The local replicas of collections, in the shared database as a part of
 * its own ("collections"), beside the tasks.
 *
 * collections     one row per collection an app added: its configuration,
 *                 the last local sequence handed out, the pull checkpoint
 *                 (the replicator's own text), the last run's outcome.  A
 *                 collection removed with its data kept stays, detached:
 *                 adding it again picks its documents up where they were.
 * documents       one row per document: the local body (NULL when
 *                 deleted), the base both sides agreed on and its server
 *                 version, dirty/failed/conflict marks, the server's copy
 *                 while in conflict, and seq, the collection's local
 *                 sequence at the document's last change.  Deleted
 *                 documents stay as tombstones, so the changes feed can
 *                 say they went.
 * collection_runs the last runs of each collection, for the window.
 *
 * Writes of documents happen inside a transaction the caller opens: a
 * batch of pulled changes and its checkpoint, or a group of local writes,
 * commit together or not at all.  The counts each collection shows are
 * computed once and then kept up to date by every write (forgotten on a
 * rollback).
 */

static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE collections ("
  "  id                INTEGER PRIMARY KEY,"
  "  owner             TEXT    NOT NULL,"
  "  name              TEXT    NOT NULL,"
  "  attached          INTEGER NOT NULL,"
  "  protocol          INTEGER NOT NULL CHECK (protocol BETWEEN 0 AND 1),"
  "  url               TEXT    NOT NULL,"
  "  direction         INTEGER NOT NULL CHECK (direction BETWEEN 0 AND 2),"
  "  interval          INTEGER NOT NULL,"
  "  live              INTEGER NOT NULL,"
  "  conflict_strategy INTEGER NOT NULL CHECK (conflict_strategy BETWEEN 0 AND 5),"
  "  timestamp_pointer TEXT,"
  "  batch_limit       INTEGER NOT NULL,"
  "  created           INTEGER NOT NULL,"
  "  local_seq         INTEGER NOT NULL DEFAULT 0,"
  "  checkpoint        TEXT,"
  "  remote_marker     TEXT,"
  "  last_sync         INTEGER NOT NULL DEFAULT 0,"
  "  last_error        TEXT,"
  "  headers           BLOB,"
  "  secret_headers    BLOB,"
  "  merge_rules       BLOB,"
  "  UNIQUE (owner, name)"
  ");"
  "CREATE TABLE documents ("
  "  collection        INTEGER NOT NULL,"
  "  doc_id            TEXT    NOT NULL,"
  "  seq               INTEGER NOT NULL,"
  "  deleted           INTEGER NOT NULL,"
  "  dirty             INTEGER NOT NULL,"
  "  conflict          INTEGER NOT NULL,"
  "  remote_deleted    INTEGER NOT NULL,"
  "  updated           INTEGER NOT NULL,"
  "  base_version      TEXT,"
  "  remote_version    TEXT,"
  "  failed_reason     TEXT,"
  "  conflict_reason   TEXT,"
  /* Large values last, as in the tasks table. */
  "  body              BLOB,"
  "  base              BLOB,"
  "  remote            BLOB,"
  "  PRIMARY KEY (collection, doc_id)"
  ");"
  "CREATE INDEX documents_seq ON documents (collection, seq);"
  "CREATE INDEX documents_dirty ON documents (collection, seq) WHERE dirty = 1;"
  "CREATE INDEX documents_conflict ON documents (collection, doc_id) WHERE conflict = 1;"
  "CREATE INDEX documents_failed ON documents (collection, doc_id)"
  "  WHERE failed_reason IS NOT NULL;"
  "CREATE TABLE collection_runs ("
  "  id                INTEGER PRIMARY KEY,"
  "  collection        INTEGER NOT NULL,"
  "  trigger           TEXT    NOT NULL,"
  "  result            TEXT    NOT NULL,"
  "  error             TEXT,"
  "  started           INTEGER NOT NULL,"
  "  finished          INTEGER NOT NULL,"
  "  pushed            INTEGER NOT NULL,"
  "  pulled            INTEGER NOT NULL,"
  "  failed            INTEGER NOT NULL,"
  "  conflicts         INTEGER NOT NULL,"
  "  requests          INTEGER NOT NULL,"
  "  bytes_sent        INTEGER NOT NULL,"
  "  bytes_received    INTEGER NOT NULL,"
  "  check_us          INTEGER NOT NULL,"
  "  push_us           INTEGER NOT NULL,"
  "  pull_us           INTEGER NOT NULL,"
  "  finish_us         INTEGER NOT NULL"
  ");"
  "CREATE INDEX collection_runs_order ON collection_runs (collection, id);",
};

#define CONFIG_COLUMNS \
  "id, owner, name, protocol, url, direction, interval, live, conflict_strategy, " \
  "timestamp_pointer, batch_limit, created, headers, secret_headers, merge_rules"

#define DOCUMENT_COLUMNS \
  "doc_id, seq, deleted, dirty, conflict, remote_deleted, updated, base_version, " \
  "remote_version, failed_reason, conflict_reason, body, base, remote"

static const char * const statement_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_FIND_COLLECTION] =
    "SELECT id, protocol, url FROM collections WHERE owner = ?1 AND name = ?2",
  [STMT_INSERT_COLLECTION] =
    "INSERT INTO collections (owner, name, attached, protocol, url, direction, interval, live,"
    "  conflict_strategy, timestamp_pointer, batch_limit, created, headers, secret_headers,"
    "  merge_rules)"
    " VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  [STMT_UPDATE_COLLECTION] =
    "UPDATE collections SET attached = 1, protocol = ?3, url = ?4, direction = ?5,"
    "  interval = ?6, live = ?7, conflict_strategy = ?8, timestamp_pointer = ?9,"
    "  batch_limit = ?10, headers = ?12, secret_headers = ?13, merge_rules = ?14"
    " WHERE id = ?15 RETURNING created",
  [STMT_RESET_ENDPOINT] =
    "UPDATE collections SET checkpoint = NULL, remote_marker = NULL WHERE id = ?1",
  /* Another server: what this one agreed on means nothing there.  Every
   * document with a body is pushed as new; tombstones are dropped. */
  [STMT_RESET_DOCUMENTS] =
    "UPDATE documents SET base = NULL, base_version = NULL, failed_reason = NULL,"
    "  conflict = 0, remote = NULL, remote_version = NULL, remote_deleted = 0,"
    "  conflict_reason = NULL, dirty = (deleted = 0)"
    " WHERE collection = ?1",
  [STMT_LIST_ATTACHED] =
    "SELECT " CONFIG_COLUMNS " FROM collections WHERE attached = 1 ORDER BY id",
  [STMT_SET_ATTACHED] = "UPDATE collections SET attached = ?2 WHERE id = ?1",
  [STMT_DELETE_DOCUMENTS] = "DELETE FROM documents WHERE collection = ?1",
  [STMT_DELETE_RUNS] = "DELETE FROM collection_runs WHERE collection = ?1",
  [STMT_DELETE_COLLECTION] = "DELETE FROM collections WHERE id = ?1",
  [STMT_SYNC_INFO] =
    "SELECT local_seq, checkpoint, remote_marker, last_sync, last_error"
    " FROM collections WHERE id = ?1",
  [STMT_SET_CHECKPOINT] = "UPDATE collections SET checkpoint = ?2 WHERE id = ?1",
  [STMT_SET_REMOTE_MARKER] = "UPDATE collections SET remote_marker = ?2 WHERE id = ?1",
  [STMT_SET_LAST_RUN] =
    "UPDATE collections SET last_error = ?2,"
    "  last_sync = CASE WHEN ?2 IS NULL THEN ?3 ELSE last_sync END"
    " WHERE id = ?1",
  [STMT_INSERT_RUN] =
    "INSERT INTO collection_runs (collection, trigger, result, error, started, finished,"
    "  pushed, pulled, failed, conflicts, requests, bytes_sent, bytes_received, check_us,"
    "  push_us, pull_us, finish_us)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
  [STMT_PRUNE_RUNS] =
    "DELETE FROM collection_runs WHERE collection = ?1 AND id <= ("
    "  SELECT id FROM collection_runs WHERE collection = ?1"
    "  ORDER BY id DESC LIMIT 1 OFFSET ?2)",
  [STMT_LIST_RUNS] =
    "SELECT trigger, result, error, started, finished, pushed, pulled, failed, conflicts,"
    "  requests, bytes_sent, bytes_received, check_us, push_us, pull_us, finish_us"
    " FROM collection_runs WHERE collection = ?1 ORDER BY id DESC LIMIT ?2",
  [STMT_NEXT_SEQ] =
    "UPDATE collections SET local_seq = local_seq + 1 WHERE id = ?1 RETURNING local_seq",
  [STMT_GET_DOCUMENT] =
    "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE collection = ?1 AND doc_id = ?2",
  [STMT_UPSERT_DOCUMENT] =
    "INSERT INTO documents (collection, doc_id, seq, deleted, dirty, conflict, remote_deleted,"
    "  updated, base_version, remote_version, failed_reason, conflict_reason, body, base,"
    "  remote)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    " ON CONFLICT (collection, doc_id) DO UPDATE SET seq = ?3, deleted = ?4, dirty = ?5,"
    "  conflict = ?6, remote_deleted = ?7, updated = ?8, base_version = ?9,"
    "  remote_version = ?10, failed_reason = ?11, conflict_reason = ?12, body = ?13,"
    "  base = ?14, remote = ?15",
  [STMT_CHANGES] =
    "SELECT doc_id, seq, deleted, dirty, conflict, remote_deleted, updated, base_version,"
    "  remote_version, failed_reason, conflict_reason, NULL, NULL, NULL"
    " FROM documents WHERE collection = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
  [STMT_CHANGES_BODIES] =
    "SELECT doc_id, seq, deleted, dirty, conflict, remote_deleted, updated, base_version,"
    "  remote_version, failed_reason, conflict_reason, body, NULL, NULL"
    " FROM documents WHERE collection = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
  [STMT_NEXT_PUSHABLE] =
    "SELECT " DOCUMENT_COLUMNS " FROM documents"
    " WHERE collection = ?1 AND dirty = 1 AND seq > ?2"
    "   AND conflict = 0 AND failed_reason IS NULL"
    " ORDER BY seq LIMIT ?3",
  [STMT_COUNTS] =
    "SELECT coalesce (sum (deleted = 0), 0),"
    "  coalesce (sum (dirty = 1 AND conflict = 0 AND failed_reason IS NULL), 0),"
    "  coalesce (sum (conflict = 1), 0),"
    "  coalesce (sum (conflict = 0 AND failed_reason IS NOT NULL), 0)"
    " FROM documents WHERE collection = ?1",
  [STMT_RETRY_FAILED] =
    "UPDATE documents SET failed_reason = NULL"
    " WHERE collection = ?1 AND failed_reason IS NOT NULL",
};

G_DEFINE_FINAL_TYPE (FerryCollectionStore, ferry_collection_store, G_TYPE_OBJECT)

/* Helpers shared with ferry-collection-store-docs.c -------------------- */

void
ferry_borrowed_stmt_release (FerryBorrowedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

FerryBorrowedStmt *
ferry_collection_store_borrow (FerryCollectionStore *self,
                               FerryCollectionStmt   which)
{
  g_assert (which < N_STMTS && self->stmts[which] != NULL);
  return self->stmts[which];
}

/* Checks the last step of a statement that returns no rows. */
gboolean
ferry_collection_store_step_done (FerryCollectionStore  *self,
                                  sqlite3_stmt          *stmt,
                                  int                    rc,
                                  const char            *what,
                                  GError               **error)
{
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  ferry_database_set_error (self->db, rc, what, error);
  return FALSE;
}

sqlite3_stmt *
ferry_collection_store_prepare (FerryCollectionStore  *self,
                                const char            *sql,
                                GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, "preparing a statement of collections", error);
      return NULL;
    }
  return stmt;
}

void
ferry_collection_store_forget_counts (FerryCollectionStore *self,
                                      gint64                collection)
{
  g_hash_table_remove (self->counts, &collection);
}

int
ferry_stmt_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index);
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

int
ferry_stmt_bind_bytes (sqlite3_stmt *stmt,
                       int           index,
                       GBytes       *bytes)
{
  gsize len = 0;
  const void *data;

  if (bytes == NULL)
    return sqlite3_bind_null (stmt, index);
  data = g_bytes_get_data (bytes, &len);
  /* An empty blob must stay a blob, not become NULL. */
  return sqlite3_bind_blob64 (stmt, index, data != NULL ? data : "", len, SQLITE_TRANSIENT);
}

char *
ferry_stmt_dup_text (sqlite3_stmt *stmt,
                     int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GBytes *
ferry_stmt_dup_bytes (sqlite3_stmt *stmt,
                      int           column)
{
  const void *data;
  int len;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  data = sqlite3_column_blob (stmt, column);
  len = sqlite3_column_bytes (stmt, column);
  return g_bytes_new (data, len);
}

/* String lists (headers, merge rules) are kept as GVariant "as" bytes. */
static int
bind_strv (sqlite3_stmt *stmt,
           int           index,
           char        **strv)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (strv == NULL)
    return sqlite3_bind_null (stmt, index);
  variant = g_variant_ref_sink (g_variant_new_strv ((const char * const *) strv, -1));
  bytes = g_variant_get_data_as_bytes (variant);
  return ferry_stmt_bind_bytes (stmt, index, bytes);
}

static char **
dup_strv (sqlite3_stmt *stmt,
          int           column)
{
  g_autoptr(GBytes) bytes = ferry_stmt_dup_bytes (stmt, column);
  g_autoptr(GVariant) variant = NULL;

  if (bytes == NULL)
    return NULL;
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_STRING_ARRAY, bytes,
                                                          FALSE));
  return g_variant_dup_strv (variant, NULL);
}

/* Transactions --------------------------------------------------------- */

/**
 * ferry_collection_store_begin:
 * @self: a store
 * @error: return location for an error
 *
 * Opens a write transaction for document writes.  Nothing else may run
 * one on the shared connection until it is committed or rolled back, so
 * a transaction never spans a main loop iteration.
 *
 * Returns: whether it is open
 */
gboolean
ferry_collection_store_begin (FerryCollectionStore  *self,
                              GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  stmt = ferry_collection_store_borrow (self, STMT_BEGIN);
  if (!ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt),
                                         "starting a transaction", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

/**
 * ferry_collection_store_commit:
 * @self: a store
 * @error: return location for an error
 *
 * Commits the open transaction; when that fails it is rolled back.
 *
 * Returns: whether everything written since begin is on disk
 */
gboolean
ferry_collection_store_commit (FerryCollectionStore  *self,
                               GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  stmt = ferry_collection_store_borrow (self, STMT_COMMIT);
  if (!ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt),
                                         "committing", error))
    {
      ferry_collection_store_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  return TRUE;
}

/**
 * ferry_collection_store_rollback:
 * @self: a store
 *
 * Drops everything written since begin.
 */
void
ferry_collection_store_rollback (FerryCollectionStore *self)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_if_fail (FERRY_IS_COLLECTION_STORE (self));

  if (!self->in_transaction)
    return;
  self->in_transaction = FALSE;
  /* The counts followed the writes being dropped. */
  g_hash_table_remove_all (self->counts);
  if (sqlite3_get_autocommit (self->db))
    return;
  stmt = ferry_collection_store_borrow (self, STMT_ROLLBACK);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("rolling back: %s", sqlite3_errmsg (self->db));
}

/* GObject -------------------------------------------------------------- */

static void
ferry_collection_store_finalize (GObject *object)
{
  FerryCollectionStore *self = FERRY_COLLECTION_STORE (object);

  ferry_collection_store_rollback (self);
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->list_stmts, g_hash_table_unref);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ferry_collection_store_parent_class)->finalize (object);
}

static void
ferry_collection_store_class_init (FerryCollectionStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_collection_store_finalize;
}

static void
ferry_collection_store_init (FerryCollectionStore *self)
{
  self->list_stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  self->counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/**
 * ferry_collection_store_new:
 * @database: the shared database
 * @error: return location for an error
 *
 * Brings the collections part of @database up to date and prepares its
 * statements.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
FerryCollectionStore *
ferry_collection_store_new (FerryDatabase  *database,
                            GError        **error)
{
  g_autoptr(FerryCollectionStore) self = NULL;

  g_return_val_if_fail (FERRY_IS_DATABASE (database), NULL);

  if (!ferry_database_migrate (database, "collections", migrations, G_N_ELEMENTS (migrations),
                               FERRY_DATABASE_PART_NONE, error))
    return NULL;

  self = g_object_new (FERRY_TYPE_COLLECTION_STORE, NULL);
  self->database = g_object_ref (database);
  self->db = ferry_database_get_handle (database);
  for (guint i = 0; i < N_STMTS; i++)
    {
      self->stmts[i] = ferry_collection_store_prepare (self, statement_sql[i], error);
      if (self->stmts[i] == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

/* Collections ---------------------------------------------------------- */

static void
bind_config (sqlite3_stmt                *stmt,
             const FerryCollectionConfig *config)
{
  ferry_stmt_bind_text (stmt, 1, config->owner);
  ferry_stmt_bind_text (stmt, 2, config->name);
  sqlite3_bind_int (stmt, 3, config->protocol);
  ferry_stmt_bind_text (stmt, 4, config->url);
  sqlite3_bind_int (stmt, 5, config->direction);
  sqlite3_bind_int64 (stmt, 6, config->interval);
  sqlite3_bind_int (stmt, 7, config->live ? 1 : 0);
  sqlite3_bind_int (stmt, 8, config->conflict_strategy);
  ferry_stmt_bind_text (stmt, 9, config->timestamp_pointer);
  sqlite3_bind_int64 (stmt, 10, config->batch_limit);
  sqlite3_bind_int64 (stmt, 11, config->created);
  bind_strv (stmt, 12, config->headers);
  bind_strv (stmt, 13, config->secret_headers);
  bind_strv (stmt, 14, config->merge_rules);
}

/* Inserts @config, or attaches and updates the collection of the same
 * owner and name; tells whether its endpoint changed. */
static gboolean
attach_in_transaction (FerryCollectionStore   *self,
                       FerryCollectionConfig  *config,
                       gboolean               *out_reset,
                       GError                **error)
{
  g_autoptr(FerryBorrowedStmt) find = ferry_collection_store_borrow (self, STMT_FIND_COLLECTION);
  g_autoptr(FerryBorrowedStmt) write = NULL;
  gboolean reset = FALSE;
  gint64 id = 0;
  int rc;

  ferry_stmt_bind_text (find, 1, config->owner);
  ferry_stmt_bind_text (find, 2, config->name);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (find, 0);
      reset = sqlite3_column_int (find, 1) != (int) config->protocol ||
              g_strcmp0 ((const char *) sqlite3_column_text (find, 2), config->url) != 0;
    }
  else if (!ferry_collection_store_step_done (self, find, rc, "finding a collection", error))
    return FALSE;

  write = ferry_collection_store_borrow (self, id != 0 ? STMT_UPDATE_COLLECTION
                                                       : STMT_INSERT_COLLECTION);
  bind_config (write, config);
  if (id != 0)
    sqlite3_bind_int64 (write, 15, id);
  rc = sqlite3_step (write);
  if (!ferry_collection_store_step_done (self, write, rc, "storing a collection", error))
    return FALSE;
  if (id != 0 && rc == SQLITE_ROW)
    config->created = sqlite3_column_int64 (write, 0);
  config->id = id != 0 ? id : sqlite3_last_insert_rowid (self->db);

  if (reset)
    {
      g_autoptr(FerryBorrowedStmt) endpoint = NULL;
      g_autoptr(FerryBorrowedStmt) documents = NULL;

      endpoint = ferry_collection_store_borrow (self, STMT_RESET_ENDPOINT);
      sqlite3_bind_int64 (endpoint, 1, config->id);
      if (!ferry_collection_store_step_done (self, endpoint, sqlite3_step (endpoint),
                                             "resetting a collection", error))
        return FALSE;
      documents = ferry_collection_store_borrow (self, STMT_RESET_DOCUMENTS);
      sqlite3_bind_int64 (documents, 1, config->id);
      if (!ferry_collection_store_step_done (self, documents, sqlite3_step (documents),
                                             "resetting documents", error))
        return FALSE;
      ferry_collection_store_forget_counts (self, config->id);
    }
  if (out_reset != NULL)
    *out_reset = reset;
  return TRUE;
}

/**
 * ferry_collection_store_attach:
 * @self: a store
 * @config: a valid configuration; its id (and for a collection added
 *   again, its creation time) is filled in
 * @out_reset: (out) (optional): whether a collection of that owner and
 *   name was known with another endpoint: its checkpoint was dropped and
 *   its documents will be pushed as new
 * @error: return location for an error
 *
 * Adds a collection, or takes back one of the same owner and name (one
 * detached with its data kept, or one attached, whose configuration is
 * replaced).
 *
 * Returns: whether it is stored
 */
gboolean
ferry_collection_store_attach (FerryCollectionStore   *self,
                               FerryCollectionConfig  *config,
                               gboolean               *out_reset,
                               GError                **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  IN_OWN_TRANSACTION (self, error, attach_in_transaction (self, config, out_reset, error));
}

static FerryCollectionConfig *
read_config (sqlite3_stmt *stmt)
{
  FerryCollectionConfig *config = ferry_collection_config_new ();

  config->id = sqlite3_column_int64 (stmt, 0);
  config->owner = ferry_stmt_dup_text (stmt, 1);
  config->name = ferry_stmt_dup_text (stmt, 2);
  config->protocol = sqlite3_column_int (stmt, 3);
  config->url = ferry_stmt_dup_text (stmt, 4);
  config->direction = sqlite3_column_int (stmt, 5);
  config->interval = sqlite3_column_int64 (stmt, 6);
  config->live = sqlite3_column_int (stmt, 7) != 0;
  config->conflict_strategy = sqlite3_column_int (stmt, 8);
  config->timestamp_pointer = ferry_stmt_dup_text (stmt, 9);
  config->batch_limit = sqlite3_column_int64 (stmt, 10);
  config->created = sqlite3_column_int64 (stmt, 11);
  config->headers = dup_strv (stmt, 12);
  config->secret_headers = dup_strv (stmt, 13);
  config->merge_rules = dup_strv (stmt, 14);
  return config;
}

/**
 * ferry_collection_store_list_attached:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryCollectionConfig): the
 *   collections that sync, in the order they were added
 */
GPtrArray *
ferry_collection_store_list_attached (FerryCollectionStore  *self,
                                      GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);

  configs = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_collection_config_unref);
  stmt = ferry_collection_store_borrow (self, STMT_LIST_ATTACHED);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (configs, read_config (stmt));
  if (!ferry_collection_store_step_done (self, stmt, rc, "listing collections", error))
    return NULL;
  return g_steal_pointer (&configs);
}

static gboolean
run_for_id (FerryCollectionStore  *self,
            FerryCollectionStmt    which,
            gint64                 collection,
            const char            *what,
            GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = ferry_collection_store_borrow (self, which);

  sqlite3_bind_int64 (stmt, 1, collection);
  if (which == STMT_SET_ATTACHED)
    sqlite3_bind_int (stmt, 2, 0);
  return ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt), what, error);
}

static gboolean
detach_in_transaction (FerryCollectionStore  *self,
                       gint64                 collection,
                       gboolean               keep_data,
                       GError               **error)
{
  if (keep_data)
    return run_for_id (self, STMT_SET_ATTACHED, collection, "detaching a collection", error);
  ferry_collection_store_forget_counts (self, collection);
  return run_for_id (self, STMT_DELETE_DOCUMENTS, collection, "dropping documents", error) &&
         run_for_id (self, STMT_DELETE_RUNS, collection, "dropping runs", error) &&
         run_for_id (self, STMT_DELETE_COLLECTION, collection, "dropping a collection", error);
}

/**
 * ferry_collection_store_detach:
 * @self: a store
 * @collection: a collection's id
 * @keep_data: keep its documents and checkpoint, for when it is added
 *   again; else drop everything
 * @error: return location for an error
 *
 * Stops a collection from being listed as one that syncs.
 *
 * Returns: whether it is done
 */
gboolean
ferry_collection_store_detach (FerryCollectionStore  *self,
                               gint64                 collection,
                               gboolean               keep_data,
                               GError               **error)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);

  IN_OWN_TRANSACTION (self, error,
                      detach_in_transaction (self, collection, keep_data, error));
}
