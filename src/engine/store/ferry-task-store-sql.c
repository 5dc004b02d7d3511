/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store-sql"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-task-store-private.h"

const char * const ferry_store_column_names[N_COLUMNS] = {
  LIGHT_COLUMNS (COLUMN_NAME)
};

const char * const ferry_store_statement_sql[N_STATEMENTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_SYNCHRONOUS_FULL] = "PRAGMA synchronous = FULL",
  [STMT_SYNCHRONOUS_NORMAL] = "PRAGMA synchronous = NORMAL",
  [STMT_INSERT] =
    "INSERT INTO tasks (id, owner, name, group_name, group_key, method, url, content_type,"
    " idempotency_key, if_match, priority, max_attempts, not_before, expires, unmetered_only,"
    " conflict_strategy, conflict_url, state, head, attempts, next_attempt, created, updated,"
    " last_error, last_status, response_status, headers, secret_headers, response_headers,"
    " merge_rules, timestamp_pointer, failing_since, body_size)"
    " VALUES (:id, :owner, :name, :group_name, :group_key, :method, :url, :content_type,"
    " :idempotency_key, :if_match, :priority, :max_attempts, :not_before, :expires,"
    " :unmetered_only, :conflict_strategy, :conflict_url, :state,"
    /* a new task has the largest seq: it heads its group when it holds
     * and nothing else in the group does */
    " " HOLDING (":state") " AND NOT EXISTS (SELECT 1 FROM tasks"
    "   WHERE group_key = :group_key AND " HOLDING ("state") "),"
    " :attempts, :next_attempt, :created, :updated, :last_error, :last_status,"
    " :response_status, :headers, :secret_headers, :response_headers, :merge_rules,"
    " :timestamp_pointer, :failing_since, :body_size)",
  /* With "append", several pending tasks may share a name; the newest one
   * is the one a replacement supersedes. */
  [STMT_FIND_PENDING_NAME] =
    "SELECT seq FROM tasks INDEXED BY tasks_pending_name"
    " WHERE owner = :owner AND name = :name AND state = 0 AND name IS NOT NULL"
    " ORDER BY seq DESC LIMIT 1",
  [STMT_REPLACE_PAYLOAD] =
    "UPDATE tasks SET method = :method, url = :url, headers = :headers,"
    " secret_headers = :secret_headers, body_size = :body_size,"
    " content_type = :content_type,"
    " if_match = :if_match, priority = :priority, not_before = :not_before,"
    " expires = :expires, unmetered_only = :unmetered_only, max_attempts = :max_attempts,"
    " conflict_strategy = :conflict_strategy, conflict_url = :conflict_url,"
    " merge_rules = :merge_rules, timestamp_pointer = :timestamp_pointer, updated = :updated,"
    /* A payload that was already sent under the old key is a different
     * request now: it gets a key of its own (unless the app names one),
     * and its own count of attempts. */
    " idempotency_key = COALESCE (:idempotency_key,"
    "   CASE WHEN attempts > 0 THEN :fresh_key ELSE idempotency_key END),"
    " attempts = 0, next_attempt = :next_attempt, last_error = NULL, last_status = 0,"
    " failing_since = 0"
    " WHERE seq = :seq",
  /* Everything but the identity: id, seq, owner, group and creation time. */
  [STMT_UPDATE] =
    "UPDATE tasks SET name = :name, method = :method, url = :url,"
    " content_type = :content_type, idempotency_key = :idempotency_key,"
    " if_match = :if_match, priority = :priority, max_attempts = :max_attempts,"
    " not_before = :not_before, expires = :expires, unmetered_only = :unmetered_only,"
    " conflict_strategy = :conflict_strategy, conflict_url = :conflict_url,"
    " state = :state, attempts = :attempts, next_attempt = :next_attempt,"
    " updated = :updated, last_error = :last_error, last_status = :last_status,"
    " response_status = :response_status, headers = :headers,"
    " secret_headers = :secret_headers, response_headers = :response_headers,"
    " merge_rules = :merge_rules, timestamp_pointer = :timestamp_pointer,"
    " failing_since = :failing_since, body_size = :body_size"
    " WHERE id = :id",
  /* What an attempt, or the settling of a conflict, changes. */
  [STMT_UPDATE_OUTCOME] =
    "UPDATE tasks SET state = :state, attempts = :attempts, next_attempt = :next_attempt,"
    " updated = :updated, last_error = :last_error, last_status = :last_status,"
    " response_status = :response_status, response_headers = :response_headers,"
    " failing_since = :failing_since, body_size = :body_size, if_match = :if_match"
    " WHERE id = :id",
  [STMT_SELECT_BY_ID] = "SELECT @LIGHT@ FROM tasks WHERE id = :id",
  [STMT_SELECT_BY_SEQ] = "SELECT @LIGHT@ FROM tasks WHERE seq = :seq",
  /* Where the parts are and their sizes: the bytes are read with
   * incremental blob I/O, straight into the task's buffers. */
  [STMT_SELECT_PAYLOAD] =
    "SELECT part, rowid, length (data) FROM payloads WHERE task_seq = :seq",
  /* length () of a blob reads its record header, not its pages. */
  [STMT_PAYLOAD_SIZE] =
    "SELECT coalesce (sum (length (data)), 0) FROM payloads WHERE task_seq = :seq",
  [STMT_SEQ_BY_ID] = "SELECT seq FROM tasks WHERE id = :id",
  /* Room for a part, filled in place afterwards. */
  [STMT_PUT_PART] =
    "INSERT INTO payloads (task_seq, part, data) VALUES (:seq, :part, zeroblob (:size))"
    " ON CONFLICT (task_seq, part) DO UPDATE SET data = excluded.data"
    " RETURNING rowid",
  [STMT_DROP_PART] = "DELETE FROM payloads WHERE task_seq = :seq AND part = :part",
  /* Pending heads in run order; the due and expiry tests are filters on
   * the index walk, so a queue full of due tasks stops at the first rows. */
  [STMT_NEXT_ELIGIBLE] =
    "SELECT @LIGHT@ FROM tasks INDEXED BY tasks_ready"
    " WHERE state = 0 AND head = 1"
    "   AND max (next_attempt, not_before) <= :now"
    "   AND (expires = 0 OR expires > :now)"
    " ORDER BY priority DESC, seq",
  [STMT_NEXT_DUE] =
    "SELECT max (next_attempt, not_before) AS due FROM tasks INDEXED BY tasks_due"
    " WHERE state = 0 AND head = 1 AND max (next_attempt, not_before) > :now"
    " ORDER BY max (next_attempt, not_before) LIMIT 1",
  [STMT_NEXT_EXPIRY] =
    "SELECT expires FROM tasks INDEXED BY tasks_expiry"
    " WHERE state = 0 AND expires > 0 AND expires > :now"
    " ORDER BY expires LIMIT 1",
  [STMT_EXPIRE] =
    "UPDATE tasks INDEXED BY tasks_expiry SET state = 3, last_error = 'expired', updated = :now"
    " WHERE state = 0 AND expires > 0 AND expires <= :now"
    " RETURNING @LIGHT@",
  /* Whether STMT_EXPIRE has anything to do: most passes find nothing,
   * and need no write transaction to learn it. */
  [STMT_ANY_EXPIRED] =
    "SELECT 1 FROM tasks INDEXED BY tasks_expiry"
    " WHERE state = 0 AND expires > 0 AND expires <= :now LIMIT 1",
  [STMT_RECOVER_RUNNING] = "UPDATE tasks SET state = 0 WHERE state = 1",
  /* Only heads can have been tried, so only heads wait in backoff. */
  [STMT_MAKE_DUE] =
    "UPDATE tasks INDEXED BY tasks_ready SET next_attempt = :now"
    " WHERE state = 0 AND head = 1 AND next_attempt > :now",
  [STMT_PRUNE] = "DELETE FROM tasks WHERE state IN (2, 6) AND updated < :before",
  [STMT_LOG_ATTEMPT] =
    "INSERT INTO attempts (task_seq, at, status, error) VALUES (:seq, :at, :status, :error)",
  /* The newest ones, read newest first and handed out oldest first. */
  [STMT_SELECT_ATTEMPTS] =
    "SELECT at, status, error FROM attempts"
    " WHERE task_seq = (SELECT seq FROM tasks WHERE id = :id)"
    " ORDER BY at DESC, rowid DESC LIMIT :limit",
  [STMT_COUNT_STATES] = "SELECT state, count (*) FROM tasks GROUP BY state",
  [STMT_LAST_DELIVERY] =
    "SELECT updated FROM tasks INDEXED BY tasks_state_updated"
    " WHERE state = 2 AND updated <= :now ORDER BY updated DESC LIMIT 1",
};

const char * const ferry_store_task_param_names[N_TASK_PARAMS] = {
  TASK_PARAMS (PARAM_NAME)
};

void
ferry_store_release_stmt (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}


CachedStmt *
ferry_store_borrow_stmt (FerryTaskStore *self,
                         Statement       which)
{
  g_assert (self->stmts[which] != NULL);
  g_assert (!sqlite3_stmt_busy (self->stmts[which]));
  return self->stmts[which];
}

/* Steps @stmt once.  Returns %FALSE with @error set on failure; otherwise
 * *@has_row says whether a row is ready. */
gboolean
ferry_store_step (FerryTaskStore  *self,
                  sqlite3_stmt    *stmt,
                  gboolean        *has_row,
                  const char      *what,
                  GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      if (has_row != NULL)
        *has_row = rc == SQLITE_ROW;
      return TRUE;
    }
  ferry_database_set_error (self->db, rc, what, error);
  return FALSE;
}

static gboolean
run_stmt (FerryTaskStore  *self,
          Statement        which,
          const char      *what,
          GError         **error)
{
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, which);

  return ferry_store_step (self, stmt, NULL, what, error);
}


void
ferry_store_end_transaction (Transaction *txn)
{
  g_autoptr(GError) local_error = NULL;

  if (txn->store == NULL || sqlite3_get_autocommit (txn->store->db))
    return;
  if (!run_stmt (txn->store, STMT_ROLLBACK, "rolling back", &local_error))
    g_warning ("%s: %s", txn->store->path, local_error->message);
}


/* Enqueue must be durable when it returns (FULL syncs the WAL at every
 * commit).  State updates after attempts only need to survive a crash of
 * the process, which WAL with NORMAL gives at a fraction of the cost. */
gboolean
ferry_store_begin_transaction (FerryTaskStore  *self,
                               Transaction     *txn,
                               Synchronous      synchronous,
                               const char      *what,
                               GError         **error)
{
  g_assert (txn->store == NULL);
  g_assert (sqlite3_get_autocommit (self->db));

  if (self->synchronous != synchronous)
    {
      Statement which = synchronous == SYNCHRONOUS_FULL ? STMT_SYNCHRONOUS_FULL
                                                        : STMT_SYNCHRONOUS_NORMAL;

      if (!run_stmt (self, which, what, error))
        return FALSE;
      self->synchronous = synchronous;
    }
  if (!run_stmt (self, STMT_BEGIN, what, error))
    return FALSE;
  txn->store = self;
  return TRUE;
}

gboolean
ferry_store_commit_transaction (Transaction  *txn,
                                const char   *what,
                                GError      **error)
{
  g_assert (txn->store != NULL);

  return run_stmt (txn->store, STMT_COMMIT, what, error);
}


static int
find_param (Binder     *binder,
            const char *name)
{
  if (binder->rc != SQLITE_OK)
    return 0;
  return sqlite3_bind_parameter_index (binder->stmt, name);
}

/* The *_at functions bind parameter @i, and do nothing for 0 (a field the
 * statement does not use) or after a failure. */
static void
bind_text_at (Binder     *binder,
              int         i,
              const char *value)
{
  if (i == 0 || binder->rc != SQLITE_OK)
    return;
  if (value == NULL)
    binder->rc = sqlite3_bind_null (binder->stmt, i);
  else
    binder->rc = sqlite3_bind_text (binder->stmt, i, value, -1, SQLITE_TRANSIENT);
}

void
ferry_store_bind_text (Binder     *binder,
                       const char *name,
                       const char *value)
{
  bind_text_at (binder, find_param (binder, name), value);
}

static void
bind_int64_at (Binder *binder,
               int     i,
               gint64  value)
{
  if (i != 0 && binder->rc == SQLITE_OK)
    binder->rc = sqlite3_bind_int64 (binder->stmt, i, value);
}

void
ferry_store_bind_int64 (Binder     *binder,
                        const char *name,
                        gint64      value)
{
  bind_int64_at (binder, find_param (binder, name), value);
}

/* The bytes of @strv as a GVariant `aay` in normal form, exactly as
 * g_variant_new_bytestring_array() serializes it, written directly: that
 * builds a GVariant per string first, which cost more than the rest of
 * binding a task.  The serialization of an array of variable-sized
 * elements, as the GVariant specification gives it: the elements one
 * after another (each string with its nul; byte strings need no
 * padding), then the end offset of each element, little-endian, in the
 * smallest of 1, 2, 4 or 8 bytes for which the whole fits. */
static guint8 *
serialize_bytestring_array (char  **strv,
                            gsize  *out_size)
{
  guint n = g_strv_length (strv);
  gsize body = 0;
  gsize offset_size;
  gsize total;
  guint8 *data;
  guint8 *offsets;
  gsize end = 0;

  for (guint i = 0; i < n; i++)
    body += strlen (strv[i]) + 1;
  if (body + n <= G_MAXUINT8)
    offset_size = 1;
  else if (body + 2 * (gsize) n <= G_MAXUINT16)
    offset_size = 2;
  else if (body + 4 * (gsize) n <= G_MAXUINT32)
    offset_size = 4;
  else
    offset_size = 8;
  total = body + offset_size * n;

  data = g_malloc (MAX (total, 1));
  offsets = data + body;
  for (guint i = 0; i < n; i++)
    {
      gsize length = strlen (strv[i]) + 1;

      memcpy (data + end, strv[i], length);
      end += length;
      for (gsize k = 0; k < offset_size; k++)
        *offsets++ = (end >> (8 * k)) & 0xff;
    }
  *out_size = total;
  return data;
}

/* Header lists are stored as a serialized GVariant `aay`: compact, and a
 * response header that is not UTF-8 survives unchanged. */
static void
bind_strv_at (Binder  *binder,
              int      i,
              char   **strv)
{
  guint8 *data;
  gsize size;

  if (i == 0 || binder->rc != SQLITE_OK)
    return;
  if (strv == NULL)
    {
      binder->rc = sqlite3_bind_null (binder->stmt, i);
      return;
    }
  data = serialize_bytestring_array (strv, &size);
  if (size == 0)
    {
      g_free (data);
      binder->rc = sqlite3_bind_zeroblob (binder->stmt, i, 0);
    }
  else
    binder->rc = sqlite3_bind_blob64 (binder->stmt, i, data, size, g_free);
}

/* Binds the fields of @task that statement @which uses; @stmt is that
 * statement, on loan. */
int
ferry_store_bind_task (FerryTaskStore  *self,
                       Statement        which,
                       sqlite3_stmt    *stmt,
                       const FerryTask *task,
                       const char      *group_key)
{
  const int *at = self->task_params[which];
  Binder binder = { stmt, SQLITE_OK };

  g_assert (stmt == self->stmts[which]);

  bind_text_at (&binder, at[PARAM_ID], task->id);
  bind_text_at (&binder, at[PARAM_OWNER], task->owner);
  bind_text_at (&binder, at[PARAM_NAME], task->name);
  bind_text_at (&binder, at[PARAM_GROUP_NAME], task->group);
  bind_text_at (&binder, at[PARAM_GROUP_KEY], group_key);
  bind_text_at (&binder, at[PARAM_METHOD], task->method);
  bind_text_at (&binder, at[PARAM_URL], task->url);
  bind_text_at (&binder, at[PARAM_CONTENT_TYPE], task->content_type);
  bind_text_at (&binder, at[PARAM_IDEMPOTENCY_KEY], task->idempotency_key);
  bind_text_at (&binder, at[PARAM_IF_MATCH], task->if_match);
  bind_int64_at (&binder, at[PARAM_PRIORITY], task->priority);
  bind_int64_at (&binder, at[PARAM_MAX_ATTEMPTS], task->max_attempts);
  bind_int64_at (&binder, at[PARAM_NOT_BEFORE], task->not_before);
  bind_int64_at (&binder, at[PARAM_EXPIRES], task->expires);
  bind_int64_at (&binder, at[PARAM_UNMETERED_ONLY], task->unmetered_only ? 1 : 0);
  bind_int64_at (&binder, at[PARAM_CONFLICT_STRATEGY], task->conflict_strategy);
  bind_text_at (&binder, at[PARAM_CONFLICT_URL], task->conflict_url);
  bind_int64_at (&binder, at[PARAM_STATE], task->state);
  bind_int64_at (&binder, at[PARAM_ATTEMPTS], task->attempts);
  bind_int64_at (&binder, at[PARAM_NEXT_ATTEMPT], task->next_attempt);
  bind_int64_at (&binder, at[PARAM_CREATED], task->created);
  bind_int64_at (&binder, at[PARAM_UPDATED], task->updated);
  bind_text_at (&binder, at[PARAM_LAST_ERROR], task->last_error);
  bind_int64_at (&binder, at[PARAM_LAST_STATUS], task->last_status);
  bind_int64_at (&binder, at[PARAM_RESPONSE_STATUS], task->response_status);
  bind_strv_at (&binder, at[PARAM_HEADERS], task->headers);
  bind_strv_at (&binder, at[PARAM_SECRET_HEADERS], task->secret_headers);
  bind_strv_at (&binder, at[PARAM_MERGE_RULES], task->merge_rules);
  bind_text_at (&binder, at[PARAM_TIMESTAMP_POINTER], task->timestamp_pointer);
  bind_int64_at (&binder, at[PARAM_FAILING_SINCE], task->failing_since);
  bind_int64_at (&binder, at[PARAM_BODY_SIZE], (gint64) ferry_task_get_body_size (task));
  bind_int64_at (&binder, at[PARAM_SEQ], task->seq);
  bind_strv_at (&binder, at[PARAM_RESPONSE_HEADERS], task->response_headers);
  return binder.rc;
}

char *
ferry_store_dup_column_text (sqlite3_stmt *stmt,
                             int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static GBytes *
dup_column_bytes (sqlite3_stmt *stmt,
                  int           col)
{
  const void *data;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  /* blob before bytes, as the SQLite documentation asks */
  data = sqlite3_column_blob (stmt, col);
  return g_bytes_new (data, sqlite3_column_bytes (stmt, col));
}

static char **
dup_column_strv (sqlite3_stmt *stmt,
                 int           col)
{
  g_autoptr(GBytes) bytes = dup_column_bytes (stmt, col);
  g_autoptr(GVariant) variant = NULL;

  if (bytes == NULL)
    return NULL;
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING_ARRAY,
                                                          bytes, FALSE));
  return g_variant_dup_bytestring_array (variant, NULL);
}

/* Reads the light columns (see LIGHT_COLUMNS) of the current row. */
FerryTask *
ferry_store_read_light_row (sqlite3_stmt *stmt)
{
  FerryTask *task = ferry_task_new ();

  task->seq = sqlite3_column_int64 (stmt, COL_SEQ);
  task->id = ferry_store_dup_column_text (stmt, COL_ID);
  task->owner = ferry_store_dup_column_text (stmt, COL_OWNER);
  task->name = ferry_store_dup_column_text (stmt, COL_NAME);
  task->group = ferry_store_dup_column_text (stmt, COL_GROUP_NAME);
  task->method = ferry_store_dup_column_text (stmt, COL_METHOD);
  task->url = ferry_store_dup_column_text (stmt, COL_URL);
  task->content_type = ferry_store_dup_column_text (stmt, COL_CONTENT_TYPE);
  task->idempotency_key = ferry_store_dup_column_text (stmt, COL_IDEMPOTENCY_KEY);
  task->if_match = ferry_store_dup_column_text (stmt, COL_IF_MATCH);
  task->priority = (FerryPriority) sqlite3_column_int (stmt, COL_PRIORITY);
  task->max_attempts = (guint) sqlite3_column_int64 (stmt, COL_MAX_ATTEMPTS);
  task->not_before = sqlite3_column_int64 (stmt, COL_NOT_BEFORE);
  task->expires = sqlite3_column_int64 (stmt, COL_EXPIRES);
  task->unmetered_only = sqlite3_column_int (stmt, COL_UNMETERED_ONLY) != 0;
  task->conflict_strategy = (FerryConflictStrategy) sqlite3_column_int (stmt,
                                                                        COL_CONFLICT_STRATEGY);
  task->conflict_url = ferry_store_dup_column_text (stmt, COL_CONFLICT_URL);
  task->state = (FerryTaskState) sqlite3_column_int (stmt, COL_STATE);
  task->attempts = (guint) sqlite3_column_int64 (stmt, COL_ATTEMPTS);
  task->next_attempt = sqlite3_column_int64 (stmt, COL_NEXT_ATTEMPT);
  task->created = sqlite3_column_int64 (stmt, COL_CREATED);
  task->updated = sqlite3_column_int64 (stmt, COL_UPDATED);
  task->last_error = ferry_store_dup_column_text (stmt, COL_LAST_ERROR);
  task->last_status = (guint) sqlite3_column_int64 (stmt, COL_LAST_STATUS);
  task->response_status = (guint) sqlite3_column_int64 (stmt, COL_RESPONSE_STATUS);
  task->headers = dup_column_strv (stmt, COL_HEADERS);
  task->secret_headers = dup_column_strv (stmt, COL_SECRET_HEADERS);
  task->response_headers = dup_column_strv (stmt, COL_RESPONSE_HEADERS);
  task->merge_rules = dup_column_strv (stmt, COL_MERGE_RULES);
  task->timestamp_pointer = ferry_store_dup_column_text (stmt, COL_TIMESTAMP_POINTER);
  task->failing_since = sqlite3_column_int64 (stmt, COL_FAILING_SINCE);
  task->body_size = (guint64) sqlite3_column_int64 (stmt, COL_BODY_SIZE);
  task->has_payload = FALSE;
  return task;
}

static char *
expand_sql (const char *template)
{
  static const char * const light_columns[] = { LIGHT_COLUMNS (COLUMN_NAME) NULL };
  GString *sql = g_string_new (template);
  g_autofree char *light = g_strjoinv (", ", (char **) light_columns);

  g_string_replace (sql, "@LIGHT@", light, 0);
  return g_string_free (sql, FALSE);
}

sqlite3_stmt *
ferry_store_prepare (FerryTaskStore  *self,
                     const char      *template,
                     GError         **error)
{
  g_autofree char *sql = expand_sql (template);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("preparing “%s”", sql);

      ferry_database_set_error (self->db, rc, what, error);
      return NULL;
    }

  /* The decoders index columns by the enum: check the lists agree. */
  if (strstr (template, "@LIGHT@") != NULL)
    {
      int n = sqlite3_column_count (stmt);

      g_assert (n == N_COLUMNS);
      for (int i = 0; i < n; i++)
        g_assert_cmpstr (sqlite3_column_name (stmt, i), ==, ferry_store_column_names[i]);
    }
  return stmt;
}

gboolean
ferry_store_query_next_time (FerryTaskStore  *self,
                             Statement        which,
                             gint64           now,
                             gint64          *out_time,
                             GError         **error)
{
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, which);
  gboolean has_row;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
  if (!ferry_store_step (self, stmt, &has_row, "finding the next wake-up", error))
    return FALSE;
  *out_time = has_row ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64;
  return TRUE;
}

/* Runs a one-statement write in its own transaction; *@out_count gets the
 * number of rows it changed. */
gboolean
ferry_store_run_write (FerryTaskStore  *self,
                       Statement        which,
                       const char      *param,
                       gint64           value,
                       guint           *out_count,
                       const char      *what,
                       GError         **error)
{
  g_auto(Transaction) txn = { NULL };
  guint changes;

  if (!ferry_store_begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, what, error))
    return FALSE;
  {
    g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, which);

    if (param != NULL)
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, param), value);
    if (!ferry_store_step (self, stmt, NULL, what, error))
      return FALSE;
    changes = (guint) sqlite3_changes (self->db);
  }
  if (!ferry_store_commit_transaction (&txn, what, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = changes;
  return TRUE;
}
