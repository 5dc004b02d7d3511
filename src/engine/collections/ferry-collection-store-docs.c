/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-store"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-store-private.h"

/*
 * The documents of FerryCollectionStore.  Every write reads the row first
 * (the caller passes it in, read in the same transaction), builds the row
 * it wants, and writes it whole with one upsert; the collection's counts
 * follow the difference between the two rows.  A write that changes what
 * the document holds takes the next local sequence, so the changes feed
 * reports it; bookkeeping (a push accepted, a conflict recorded) keeps the
 * sequence it had.
 */

/* Columns of DOCUMENT_COLUMNS, in order. */
enum {
  COL_ID,
  COL_SEQ,
  COL_DELETED,
  COL_DIRTY,
  COL_CONFLICT,
  COL_REMOTE_DELETED,
  COL_UPDATED,
  COL_BASE_VERSION,
  COL_REMOTE_VERSION,
  COL_FAILED_REASON,
  COL_CONFLICT_REASON,
  COL_BODY,
  COL_BASE,
  COL_REMOTE,
};

static FerryDocument *
read_document (sqlite3_stmt *stmt)
{
  FerryDocument *doc = ferry_document_new ((const char *) sqlite3_column_text (stmt, COL_ID));

  doc->seq = sqlite3_column_int64 (stmt, COL_SEQ);
  doc->deleted = sqlite3_column_int (stmt, COL_DELETED) != 0;
  doc->dirty = sqlite3_column_int (stmt, COL_DIRTY) != 0;
  doc->conflict = sqlite3_column_int (stmt, COL_CONFLICT) != 0;
  doc->remote_deleted = sqlite3_column_int (stmt, COL_REMOTE_DELETED) != 0;
  doc->updated = sqlite3_column_int64 (stmt, COL_UPDATED);
  doc->base_version = ferry_stmt_dup_text (stmt, COL_BASE_VERSION);
  doc->remote_version = ferry_stmt_dup_text (stmt, COL_REMOTE_VERSION);
  doc->failed_reason = ferry_stmt_dup_text (stmt, COL_FAILED_REASON);
  doc->conflict_reason = ferry_stmt_dup_text (stmt, COL_CONFLICT_REASON);
  doc->body = ferry_stmt_dup_bytes (stmt, COL_BODY);
  doc->base = ferry_stmt_dup_bytes (stmt, COL_BASE);
  doc->remote = ferry_stmt_dup_bytes (stmt, COL_REMOTE);
  return doc;
}

static FerryDocument *
copy_document (const FerryDocument *doc)
{
  FerryDocument *copy = ferry_document_new (doc->id);

  copy->seq = doc->seq;
  copy->deleted = doc->deleted;
  copy->body = doc->body != NULL ? g_bytes_ref (doc->body) : NULL;
  copy->base = doc->base != NULL ? g_bytes_ref (doc->base) : NULL;
  copy->base_version = g_strdup (doc->base_version);
  copy->dirty = doc->dirty;
  copy->failed_reason = g_strdup (doc->failed_reason);
  copy->conflict = doc->conflict;
  copy->conflict_reason = g_strdup (doc->conflict_reason);
  copy->remote = doc->remote != NULL ? g_bytes_ref (doc->remote) : NULL;
  copy->remote_version = g_strdup (doc->remote_version);
  copy->remote_deleted = doc->remote_deleted;
  copy->updated = doc->updated;
  return copy;
}

static void
set_bytes (GBytes **field,
           GBytes  *value)
{
  if (value != NULL)
    g_bytes_ref (value);
  g_clear_pointer (field, g_bytes_unref);
  *field = value;
}

static void
set_text (char       **field,
          const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
clear_conflict (FerryDocument *doc)
{
  doc->conflict = FALSE;
  doc->remote_deleted = FALSE;
  g_clear_pointer (&doc->conflict_reason, g_free);
  g_clear_pointer (&doc->remote, g_bytes_unref);
  g_clear_pointer (&doc->remote_version, g_free);
}

static gboolean
same_bytes (GBytes *a,
            GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/* Counts ------------------------------------------------------------- */

static void
count_row (FerryDocumentCounts *counts,
           const FerryDocument *doc,
           gboolean             add)
{
  guint *field = NULL;

  if (doc == NULL)
    return;
  if (!doc->deleted)
    counts->documents += add ? 1 : -1;
  if (doc->conflict)
    field = &counts->conflicts;
  else if (doc->failed_reason != NULL)
    field = &counts->failed;
  else if (doc->dirty)
    field = &counts->dirty;
  if (field != NULL)
    *field += add ? 1 : -1;
}

static gboolean
load_counts (FerryCollectionStore  *self,
             gint64                 collection,
             FerryDocumentCounts   *out,
             GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = ferry_collection_store_borrow (self, STMT_COUNTS);
  int rc;

  sqlite3_bind_int64 (stmt, 1, collection);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return ferry_collection_store_step_done (self, stmt, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
                                             "counting documents", error);
  out->documents = sqlite3_column_int64 (stmt, 0);
  out->dirty = sqlite3_column_int64 (stmt, 1);
  out->conflicts = sqlite3_column_int64 (stmt, 2);
  out->failed = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

/**
 * ferry_collection_store_get_counts:
 * @self: a store
 * @collection: a collection's id
 * @out_counts: (out): its counts
 * @error: return location for an error
 *
 * Counted once, then kept up to date by every write.
 *
 * Returns: whether @out_counts is set
 */
gboolean
ferry_collection_store_get_counts (FerryCollectionStore  *self,
                                   gint64                 collection,
                                   FerryDocumentCounts   *out_counts,
                                   GError               **error)
{
  FerryDocumentCounts *counts;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (out_counts != NULL, FALSE);

  counts = g_hash_table_lookup (self->counts, &collection);
  if (counts == NULL)
    {
      FerryDocumentCounts loaded = { 0, };

      if (!load_counts (self, collection, &loaded, error))
        return FALSE;
      counts = g_memdup2 (&loaded, sizeof loaded);
      g_hash_table_insert (self->counts, g_memdup2 (&collection, sizeof collection), counts);
    }
  *out_counts = *counts;
  return TRUE;
}

/* Reading ------------------------------------------------------------- */

/**
 * ferry_collection_store_dup_document:
 * @self: a store
 * @collection: a collection's id
 * @doc_id: a document id
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the document, or %NULL when there
 *   is none (without an error) or on a failure (with @error set)
 */
FerryDocument *
ferry_collection_store_dup_document (FerryCollectionStore  *self,
                                     gint64                 collection,
                                     const char            *doc_id,
                                     GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  stmt = ferry_collection_store_borrow (self, STMT_GET_DOCUMENT);
  sqlite3_bind_int64 (stmt, 1, collection);
  ferry_stmt_bind_text (stmt, 2, doc_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_document (stmt);
  ferry_collection_store_step_done (self, stmt, rc, "reading a document", error);
  return NULL;
}

static GPtrArray *
read_all (FerryCollectionStore  *self,
          sqlite3_stmt          *stmt,
          const char            *what,
          GError               **error)
{
  g_autoptr(GPtrArray) docs = NULL;
  int rc;

  docs = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_document_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (docs, read_document (stmt));
  if (!ferry_collection_store_step_done (self, stmt, rc, what, error))
    return NULL;
  return g_steal_pointer (&docs);
}

/* The statement for one shape of filter, prepared the first time. */
static sqlite3_stmt *
list_statement (FerryCollectionStore       *self,
                const FerryDocumentFilter  *filter,
                GError                    **error)
{
  guint key = (filter->dirty_only ? 1 : 0) | (filter->conflict_only ? 2 : 0) |
              (filter->failed_only ? 4 : 0) | (filter->with_deleted ? 8 : 0) |
              (filter->with_bodies ? 16 : 0);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->list_stmts, GUINT_TO_POINTER (key + 1));
  if (stmt != NULL)
    return stmt;

  sql = g_string_new ("SELECT doc_id, seq, deleted, dirty, conflict, remote_deleted, updated,"
                      " base_version, remote_version, failed_reason, conflict_reason, ");
  g_string_append (sql, filter->with_bodies ? "body, base, remote" : "NULL, NULL, NULL");
  g_string_append (sql, " FROM documents WHERE collection = ?1");
  if (!filter->with_deleted)
    g_string_append (sql, " AND (deleted = 0 OR dirty = 1 OR conflict = 1)");
  wanted = g_ptr_array_new ();
  if (filter->dirty_only)
    g_ptr_array_add (wanted, "(dirty = 1 AND conflict = 0 AND failed_reason IS NULL)");
  if (filter->conflict_only)
    g_ptr_array_add (wanted, "conflict = 1");
  if (filter->failed_only)
    g_ptr_array_add (wanted, "(conflict = 0 AND failed_reason IS NOT NULL)");
  for (guint i = 0; i < wanted->len; i++)
    g_string_append_printf (sql, "%s%s", i == 0 ? " AND (" : " OR ",
                            (const char *) g_ptr_array_index (wanted, i));
  if (wanted->len > 0)
    g_string_append (sql, ")");
  g_string_append (sql, " ORDER BY doc_id LIMIT ?2 OFFSET ?3");

  stmt = ferry_collection_store_prepare (self, sql->str, error);
  if (stmt != NULL)
    g_hash_table_insert (self->list_stmts, GUINT_TO_POINTER (key + 1), stmt);
  return stmt;
}

/**
 * ferry_collection_store_list_documents:
 * @self: a store
 * @collection: a collection's id
 * @filter: which documents
 * @offset: how many to skip
 * @limit: at most this many
 * @error: return location for an error
 *
 * Lists documents in id order.  Without @filter's with_deleted, a deleted
 * document is listed only while its deletion waits to be sent or is in
 * conflict.
 *
 * Returns: (transfer full) (element-type FerryDocument): the page
 */
GPtrArray *
ferry_collection_store_list_documents (FerryCollectionStore       *self,
                                       gint64                      collection,
                                       const FerryDocumentFilter  *filter,
                                       guint                       offset,
                                       guint                       limit,
                                       GError                    **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *docs;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  stmt = list_statement (self, filter, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  docs = read_all (self, stmt, "listing documents", error);
  ferry_borrowed_stmt_release (stmt);
  return docs;
}

/**
 * ferry_collection_store_changes:
 * @self: a store
 * @collection: a collection's id
 * @since: a local sequence
 * @limit: at most this many
 * @with_bodies: read the bodies
 * @error: return location for an error
 *
 * The changes feed: each document whose last change came after @since,
 * once, in the order of their last changes; deletions included.
 *
 * Returns: (transfer full) (element-type FerryDocument): the page
 */
GPtrArray *
ferry_collection_store_changes (FerryCollectionStore  *self,
                                gint64                 collection,
                                gint64                 since,
                                guint                  limit,
                                gboolean               with_bodies,
                                GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);

  stmt = ferry_collection_store_borrow (self, with_bodies ? STMT_CHANGES_BODIES : STMT_CHANGES);
  sqlite3_bind_int64 (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, limit);
  return read_all (self, stmt, "reading changes", error);
}

/**
 * ferry_collection_store_next_pushable:
 * @self: a store
 * @collection: a collection's id
 * @after_seq: only documents changed after this sequence
 * @limit: at most this many
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryDocument): local changes to
 *   push (see ferry_document_pushable()), oldest change first, with their
 *   bodies and bases
 */
GPtrArray *
ferry_collection_store_next_pushable (FerryCollectionStore  *self,
                                      gint64                 collection,
                                      gint64                 after_seq,
                                      guint                  limit,
                                      GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), NULL);

  stmt = ferry_collection_store_borrow (self, STMT_NEXT_PUSHABLE);
  sqlite3_bind_int64 (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  sqlite3_bind_int64 (stmt, 3, limit);
  return read_all (self, stmt, "reading local changes", error);
}

/* Writing -------------------------------------------------------------- */

static gboolean
next_seq (FerryCollectionStore  *self,
          gint64                 collection,
          gint64                *out_seq,
          GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = ferry_collection_store_borrow (self, STMT_NEXT_SEQ);
  int rc;

  sqlite3_bind_int64 (stmt, 1, collection);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (ferry_collection_store_step_done (self, stmt, rc, "taking a sequence", error))
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                     "no collection %" G_GINT64_FORMAT, collection);
      return FALSE;
    }
  *out_seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Writes @after in place of @before, taking a new sequence when @bump. */
static gboolean
write_row (FerryCollectionStore  *self,
           gint64                 collection,
           const FerryDocument   *before,
           FerryDocument         *after,
           gboolean               bump,
           gint64                *out_seq,
           GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;
  FerryDocumentCounts *counts;

  g_return_val_if_fail (self->in_transaction, FALSE);

  if (bump || before == NULL)
    {
      if (!next_seq (self, collection, &after->seq, error))
        return FALSE;
    }
  after->updated = g_get_real_time ();

  stmt = ferry_collection_store_borrow (self, STMT_UPSERT_DOCUMENT);
  sqlite3_bind_int64 (stmt, 1, collection);
  ferry_stmt_bind_text (stmt, 2, after->id);
  sqlite3_bind_int64 (stmt, 3, after->seq);
  sqlite3_bind_int (stmt, 4, after->deleted);
  sqlite3_bind_int (stmt, 5, after->dirty);
  sqlite3_bind_int (stmt, 6, after->conflict);
  sqlite3_bind_int (stmt, 7, after->remote_deleted);
  sqlite3_bind_int64 (stmt, 8, after->updated);
  ferry_stmt_bind_text (stmt, 9, after->base_version);
  ferry_stmt_bind_text (stmt, 10, after->remote_version);
  ferry_stmt_bind_text (stmt, 11, after->failed_reason);
  ferry_stmt_bind_text (stmt, 12, after->conflict_reason);
  ferry_stmt_bind_bytes (stmt, 13, after->deleted ? NULL : after->body);
  ferry_stmt_bind_bytes (stmt, 14, after->base);
  ferry_stmt_bind_bytes (stmt, 15, after->conflict ? after->remote : NULL);
  if (!ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt),
                                         "writing a document", error))
    return FALSE;

  counts = g_hash_table_lookup (self->counts, &collection);
  if (counts != NULL)
    {
      count_row (counts, before, FALSE);
      count_row (counts, after, TRUE);
    }
  if (out_seq != NULL)
    *out_seq = after->seq;
  return TRUE;
}

/**
 * ferry_collection_store_write_local:
 * @self: a store
 * @collection: a collection's id
 * @before: (nullable): the document as it is
 * @doc_id: its id
 * @body: (nullable): the new body, or %NULL to delete it
 * @out_seq: (out) (optional): its sequence afterwards
 * @error: return location for an error (%FERRY_ERROR_NOT_FOUND to delete
 *   a document that never was)
 *
 * A local write: the document changes and waits to be pushed; a refusal
 * of the server's is forgotten (the new content may pass); a conflict is
 * settled by it (it is what the app wants over the server's copy).
 * Writing what the document already holds changes nothing, and deleting
 * a document never sent to the server leaves nothing to push.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_write_local (FerryCollectionStore  *self,
                                    gint64                 collection,
                                    const FerryDocument   *before,
                                    const char            *doc_id,
                                    GBytes                *body,
                                    gint64                *out_seq,
                                    GError               **error)
{
  g_autoptr(FerryDocument) after = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (doc_id != NULL, FALSE);

  if (body == NULL && before == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "id: no document “%s”", doc_id);
      return FALSE;
    }
  if (before != NULL && !before->conflict &&
      (body == NULL ? before->deleted : !before->deleted && same_bytes (before->body, body)))
    {
      if (out_seq != NULL)
        *out_seq = before->seq;
      return TRUE;
    }

  after = before != NULL ? copy_document (before) : ferry_document_new (doc_id);
  after->deleted = body == NULL;
  set_bytes (&after->body, body);
  g_clear_pointer (&after->failed_reason, g_free);
  if (after->conflict)
    {
      /* Over the server's copy, which becomes the base. */
      set_bytes (&after->base, after->remote_deleted ? NULL : after->remote);
      set_text (&after->base_version, after->remote_version);
      clear_conflict (after);
    }
  after->dirty = !(after->deleted && after->base_version == NULL);
  return write_row (self, collection, before, after, TRUE, out_seq, error);
}

/**
 * ferry_collection_store_take_remote:
 * @self: a store
 * @collection: a collection's id
 * @before: (nullable): the document as it is
 * @remote: the server's copy
 * @out_seq: (out) (optional): its sequence afterwards (0 when nothing was
 *   written)
 * @error: return location for an error
 *
 * The server's copy becomes the document and its base; whatever was
 * local is dropped.  A deletion of a document never seen here writes
 * nothing.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_take_remote (FerryCollectionStore  *self,
                                    gint64                 collection,
                                    const FerryDocument   *before,
                                    const FerryRemoteDoc  *remote,
                                    gint64                *out_seq,
                                    GError               **error)
{
  g_autoptr(FerryDocument) after = NULL;
  gboolean changed;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  if (out_seq != NULL)
    *out_seq = 0;
  if (before == NULL && remote->deleted)
    return TRUE;

  after = before != NULL ? copy_document (before) : ferry_document_new (remote->id);
  changed = before == NULL || before->deleted != remote->deleted ||
            (!remote->deleted && !same_bytes (before->body, remote->body));
  after->deleted = remote->deleted;
  set_bytes (&after->body, remote->deleted ? NULL : remote->body);
  set_bytes (&after->base, remote->deleted ? NULL : remote->body);
  set_text (&after->base_version, remote->version);
  after->dirty = FALSE;
  g_clear_pointer (&after->failed_reason, g_free);
  clear_conflict (after);
  return write_row (self, collection, before, after, changed, out_seq, error);
}

/**
 * ferry_collection_store_rebase:
 * @self: a store
 * @collection: a collection's id
 * @before: the document as it is
 * @merged: (nullable): the new local body, or %NULL to keep the local side
 *   (its body or its deletion)
 * @remote: the server's copy, the new base
 * @out_seq: (out) (optional): its sequence afterwards
 * @error: return location for an error
 *
 * Settles a conflict for the local side (or a merge of both): the local
 * change now applies over the server's copy and waits to be pushed.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_rebase (FerryCollectionStore  *self,
                               gint64                 collection,
                               const FerryDocument   *before,
                               GBytes                *merged,
                               const FerryRemoteDoc  *remote,
                               gint64                *out_seq,
                               GError               **error)
{
  g_autoptr(FerryDocument) after = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (before != NULL && remote != NULL, FALSE);

  after = copy_document (before);
  if (merged != NULL)
    {
      changed = before->deleted || !same_bytes (before->body, merged);
      after->deleted = FALSE;
      set_bytes (&after->body, merged);
    }
  set_bytes (&after->base, remote->deleted ? NULL : remote->body);
  set_text (&after->base_version, remote->version);
  after->dirty = TRUE;
  g_clear_pointer (&after->failed_reason, g_free);
  clear_conflict (after);
  return write_row (self, collection, before, after, changed, out_seq, error);
}

/**
 * ferry_collection_store_set_conflict:
 * @self: a store
 * @collection: a collection's id
 * @before: the document as it is
 * @remote: the server's copy
 * @reason: (nullable): why no strategy settled it
 * @error: return location for an error
 *
 * Keeps the server's copy beside the local change until someone decides;
 * the document is not pushed meanwhile.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_set_conflict (FerryCollectionStore  *self,
                                     gint64                 collection,
                                     const FerryDocument   *before,
                                     const FerryRemoteDoc  *remote,
                                     const char            *reason,
                                     GError               **error)
{
  g_autoptr(FerryDocument) after = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (before != NULL && remote != NULL, FALSE);

  after = copy_document (before);
  after->conflict = TRUE;
  after->remote_deleted = remote->deleted;
  set_bytes (&after->remote, remote->deleted ? NULL : remote->body);
  set_text (&after->remote_version, remote->version);
  set_text (&after->conflict_reason, reason);
  g_clear_pointer (&after->failed_reason, g_free);
  return write_row (self, collection, before, after, FALSE, NULL, error);
}

/**
 * ferry_collection_store_mark_pushed:
 * @self: a store
 * @collection: a collection's id
 * @sent: the document as it was sent
 * @version: the version the server gave it
 * @error: return location for an error
 *
 * What was sent is now the base.  A document written again while it was
 * on its way stays dirty, with the new change.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_mark_pushed (FerryCollectionStore  *self,
                                    gint64                 collection,
                                    const FerryDocument   *sent,
                                    const char            *version,
                                    GError               **error)
{
  g_autoptr(FerryDocument) current = NULL;
  g_autoptr(FerryDocument) after = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (sent != NULL, FALSE);

  current = ferry_collection_store_dup_document (self, collection, sent->id, &local_error);
  if (current == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  after = copy_document (current);
  set_bytes (&after->base, sent->deleted ? NULL : sent->body);
  set_text (&after->base_version, version);
  g_clear_pointer (&after->failed_reason, g_free);
  if (current->seq == sent->seq && !current->conflict)
    after->dirty = FALSE;
  return write_row (self, collection, current, after, FALSE, NULL, error);
}

/**
 * ferry_collection_store_mark_rejected:
 * @self: a store
 * @collection: a collection's id
 * @sent: the document as it was sent
 * @reason: the server's reason
 * @error: return location for an error
 *
 * The server refused the change for good: it stays here, marked failed,
 * and is not sent again until it is written again or retried.  A document
 * written again meanwhile is left as it is: the new change may pass.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_mark_rejected (FerryCollectionStore  *self,
                                      gint64                 collection,
                                      const FerryDocument   *sent,
                                      const char            *reason,
                                      GError               **error)
{
  g_autoptr(FerryDocument) current = NULL;
  g_autoptr(FerryDocument) after = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (sent != NULL, FALSE);

  current = ferry_collection_store_dup_document (self, collection, sent->id, &local_error);
  if (current == NULL || current->seq != sent->seq || current->conflict)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  after = copy_document (current);
  set_text (&after->failed_reason, reason != NULL ? reason : "refused by the server");
  return write_row (self, collection, current, after, FALSE, NULL, error);
}

/**
 * ferry_collection_store_retry_failed:
 * @self: a store
 * @collection: a collection's id
 * @out_count: (out) (optional): how many documents it concerned
 * @error: return location for an error
 *
 * Inside a transaction: the documents the server refused are sent again
 * by the next push.
 *
 * Returns: whether it is written
 */
gboolean
ferry_collection_store_retry_failed (FerryCollectionStore  *self,
                                     gint64                 collection,
                                     guint                 *out_count,
                                     GError               **error)
{
  g_autoptr(FerryBorrowedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_COLLECTION_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  stmt = ferry_collection_store_borrow (self, STMT_RETRY_FAILED);
  sqlite3_bind_int64 (stmt, 1, collection);
  if (!ferry_collection_store_step_done (self, stmt, sqlite3_step (stmt),
                                         "retrying documents", error))
    return FALSE;
  if (out_count != NULL)
    *out_count = sqlite3_changes (self->db);
  ferry_collection_store_forget_counts (self, collection);
  return TRUE;
}
