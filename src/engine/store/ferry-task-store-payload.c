/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store-payload"

#include "config.h"

#include "ferry-error.h"
#include "ferry-task-store-private.h"


static GBytes **
task_part (FerryTask   *task,
           PayloadPart  part)
{
  switch (part)
    {
    case PART_BODY:
      return &task->body;
    case PART_BASE:
      return &task->base;
    case PART_RESPONSE_BODY:
    default:
      return &task->response_body;
    }
}

/* Writes one part of task @seq: no row for %NULL, else a row made to its
 * size and filled in place, so SQLite never holds a copy of it. */
static int
write_part (FerryTaskStore *self,
            gint64          seq,
            PayloadPart     part,
            GBytes         *bytes)
{
  g_autoptr(CachedStmt) stmt =
    ferry_store_borrow_stmt (self, bytes == NULL ? STMT_DROP_PART : STMT_PUT_PART);
  Binder binder = { stmt, SQLITE_OK };
  sqlite3_blob *blob = NULL;
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  gint64 rowid;
  int rc;

  ferry_store_bind_int64 (&binder, ":seq", seq);
  ferry_store_bind_int64 (&binder, ":part", part);
  if (bytes != NULL)
    ferry_store_bind_int64 (&binder, ":size", (gint64) size);
  if (binder.rc != SQLITE_OK)
    return binder.rc;
  rc = sqlite3_step (stmt);
  if (bytes == NULL)
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  if (rc != SQLITE_ROW)
    return rc;
  rowid = sqlite3_column_int64 (stmt, 0);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return rc;
  if (size == 0)
    return SQLITE_OK;
  rc = sqlite3_blob_open (self->db, "main", "payloads", "data", rowid, 1, &blob);
  if (rc == SQLITE_OK)
    rc = sqlite3_blob_write (blob, g_bytes_get_data (bytes, NULL), (int) size, 0);
  sqlite3_blob_close (blob);
  return rc;
}

/* Writes the @parts of @task's payload, inside the caller's transaction,
 * for the task with @task's seq or, when @by_id, @task's id (an update
 * may carry any seq); nothing for a task read without its payload. */
int
ferry_store_write_payload (FerryTaskStore  *self,
                           const FerryTask *task,
                           guint            parts,
                           gboolean         by_id)
{
  gint64 seq = task->seq;
  int rc = SQLITE_OK;

  if (!task->has_payload)
    return SQLITE_OK;
  if (by_id)
    {
      g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_SEQ_BY_ID);
      Binder binder = { stmt, SQLITE_OK };

      ferry_store_bind_text (&binder, ":id", task->id);
      if (binder.rc != SQLITE_OK)
        return binder.rc;
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
      seq = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  for (PayloadPart part = 0; part < N_PARTS && rc == SQLITE_OK; part++)
    {
      if (parts & (1 << part))
        rc = write_part (self, seq, part, *task_part ((FerryTask *) task, part));
    }
  return rc;
}

/* Reads the part whose row is @rowid, @size bytes, in one go into a buffer
 * of its own (a plain read would make SQLite copy it first). */
static gboolean
read_part (FerryTaskStore  *self,
           gint64           rowid,
           gint64           size,
           GBytes         **out_bytes,
           GError         **error)
{
  sqlite3_blob *blob = NULL;
  guint8 *data;
  int rc;

  if (size == 0)
    {
      *out_bytes = g_bytes_new (NULL, 0);
      return TRUE;
    }
  rc = sqlite3_blob_open (self->db, "main", "payloads", "data", rowid, 0, &blob);
  if (rc == SQLITE_OK && sqlite3_blob_bytes (blob) != size)
    rc = SQLITE_CORRUPT;
  data = rc == SQLITE_OK ? g_malloc (size) : NULL;
  if (rc == SQLITE_OK)
    rc = sqlite3_blob_read (blob, data, (int) size, 0);
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      g_free (data);
      ferry_database_set_error (self->db, rc, "reading a task's body", error);
      return FALSE;
    }
  *out_bytes = g_bytes_new_take (data, size);
  return TRUE;
}

/* Reads body, base and response body of the stored task @task->seq. */
gboolean
ferry_store_load_payload (FerryTaskStore  *self,
                          FerryTask       *task,
                          GError         **error)
{
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_SELECT_PAYLOAD);
  GBytes *parts[N_PARTS] = { NULL, };
  gboolean has_row = TRUE;
  gboolean ok = TRUE;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), task->seq);
  while (ok)
    {
      gint64 part;

      ok = ferry_store_step (self, stmt, &has_row, "reading a task's body", error);
      if (!ok || !has_row)
        break;
      part = sqlite3_column_int64 (stmt, 0);
      if (part >= 0 && part < N_PARTS && parts[part] == NULL)
        ok = read_part (self, sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                        &parts[part], error);
    }
  for (PayloadPart part = 0; part < N_PARTS; part++)
    {
      GBytes **field = task_part (task, part);

      g_clear_pointer (field, g_bytes_unref);
      if (ok)
        *field = parts[part];
      else
        g_clear_pointer (&parts[part], g_bytes_unref);
    }
  task->has_payload = ok;
  return ok;
}

/**
 * ferry_task_store_load_payload:
 * @self: a store
 * @task: a stored task (found by its seq)
 * @error: return location for an error
 *
 * Reads @task's body, base and response body as stored, replacing the
 * ones @task holds.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_NOT_FOUND or
 *   %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_load_payload (FerryTaskStore  *self,
                               FerryTask       *task,
                               GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (task != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ferry_store_load_payload (self, task, error);
}

/**
 * ferry_task_store_get_payload_size:
 * @self: a store
 * @task: a stored task (found by its seq), read with or without its payload
 * @out_size: (out): the bytes of its body, base and response body together
 * @error: return location for an error
 *
 * Tells how large @task's payload is without reading it, so that a caller
 * can decide how to pass it on before it is in memory.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_get_payload_size (FerryTaskStore   *self,
                                   const FerryTask  *task,
                                   guint64          *out_size,
                                   GError          **error)
{
  g_autoptr(CachedStmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (task != NULL, FALSE);
  g_return_val_if_fail (out_size != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = ferry_store_borrow_stmt (self, STMT_PAYLOAD_SIZE);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), task->seq);
  if (!ferry_store_step (self, stmt, &has_row, "reading the size of a task's payload", error))
    return FALSE;
  *out_size = has_row ? (guint64) MAX (sqlite3_column_int64 (stmt, 0), 0) : 0;
  return TRUE;
}
