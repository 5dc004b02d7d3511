/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store"

#include "config.h"

#include <string.h>

#include "ferry-database.h"
#include "ferry-error.h"
#include "ferry-sqlite-private.h"
#include "ferry-task-store.h"

/*
 * The states that hold a group: every state but succeeded and cancelled.
 * Written out as literal SQL so the partial indexes below and the queries
 * that rely on them match term for term (SQLite only uses a partial index
 * when the query repeats its WHERE terms).
 *
 * Since schema 6 they are written "state NOT IN (2, 6)": SQLite tests a
 * list of one or two values with comparisons, but builds a temporary
 * b-tree for a longer list every time a statement evaluates it, and every
 * change of a task's state evaluated the five-value list of schema 1
 * several times (the partial index before and after, the trigger).
 * HOLDING_STATES_V1 stays for the migration that wrote it.
 */
#define HOLDING_STATES_V1 "(0, 1, 3, 4, 5)"
#define NOT_HOLDING_STATES "(2, 6)"
#define HOLDING(column) column " NOT IN " NOT_HOLDING_STATES
G_STATIC_ASSERT (FERRY_TASK_STATE_PENDING == 0);
G_STATIC_ASSERT (FERRY_TASK_STATE_RUNNING == 1);
G_STATIC_ASSERT (FERRY_TASK_STATE_SUCCEEDED == 2);
G_STATIC_ASSERT (FERRY_TASK_STATE_FAILED == 3);
G_STATIC_ASSERT (FERRY_TASK_STATE_CONFLICT == 4);
G_STATIC_ASSERT (FERRY_TASK_STATE_AUTH_REQUIRED == 5);
G_STATIC_ASSERT (FERRY_TASK_STATE_CANCELLED == 6);

/* Separates the owner from the group (or task id) in group_key; owners and
 * groups are labels, which ferry_task_validate() keeps free of controls. */
#define GROUP_KEY_SEPARATOR "\x1f"

/*
 * Forward migrations: entry N takes a database from schema version N to
 * N + 1.  A new version is one more entry; old entries never change.
 *
 * `head` is 1 on exactly the task of each group that holds it: the holding
 * task with the smallest seq.  Inserts compute it, the triggers keep it
 * right when a task starts or stops holding, so the scheduler finds the
 * heads through one partial index instead of walking every task queued
 * behind a held or running head.
 */
static const char * const migrations[] = {
  /* 0 → 1: the task queue */
  "CREATE TABLE tasks ("
  "  seq               INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                TEXT    NOT NULL UNIQUE,"
  "  owner             TEXT    NOT NULL,"
  "  name              TEXT,"
  "  group_name        TEXT,"
  "  group_key         TEXT    NOT NULL,"
  "  method            TEXT    NOT NULL,"
  "  url               TEXT    NOT NULL,"
  "  content_type      TEXT,"
  "  idempotency_key   TEXT    NOT NULL,"
  "  if_match          TEXT,"
  "  priority          INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),"
  "  max_attempts      INTEGER NOT NULL,"
  "  not_before        INTEGER NOT NULL,"
  "  expires           INTEGER NOT NULL,"
  "  unmetered_only    INTEGER NOT NULL,"
  "  conflict_strategy INTEGER NOT NULL CHECK (conflict_strategy BETWEEN 0 AND 5),"
  "  conflict_url      TEXT,"
  "  state             INTEGER NOT NULL CHECK (state BETWEEN 0 AND 6),"
  "  head              INTEGER NOT NULL,"
  "  attempts          INTEGER NOT NULL,"
  "  next_attempt      INTEGER NOT NULL,"
  "  created           INTEGER NOT NULL,"
  "  updated           INTEGER NOT NULL,"
  "  last_error        TEXT,"
  "  last_status       INTEGER NOT NULL,"
  "  response_status   INTEGER NOT NULL,"
  /* Large values last: reading the small columns of a row never has to
   * walk its overflow pages. */
  "  headers           BLOB,"
  "  secret_headers    BLOB,"
  "  response_headers  BLOB,"
  "  body              BLOB,"
  "  base              BLOB,"
  "  response_body     BLOB"
  ");"
  "CREATE INDEX tasks_holding ON tasks (group_key, seq)"
  "  WHERE state IN " HOLDING_STATES_V1 ";"
  "CREATE INDEX tasks_ready ON tasks (priority DESC, seq)"
  "  WHERE state = 0 AND head = 1;"
  "CREATE INDEX tasks_due ON tasks (max (next_attempt, not_before))"
  "  WHERE state = 0 AND head = 1;"
  "CREATE INDEX tasks_expiry ON tasks (expires)"
  "  WHERE state = 0 AND expires > 0;"
  "CREATE INDEX tasks_pending_name ON tasks (owner, name, seq)"
  "  WHERE state = 0 AND name IS NOT NULL;"
  "CREATE INDEX tasks_state ON tasks (state, seq);"
  "CREATE INDEX tasks_state_updated ON tasks (state, updated, seq);"
  "CREATE INDEX tasks_owner ON tasks (owner, seq);"
  /* A task started or stopped holding its group: clear the head mark of
   * the task and of the previous head, then mark the first holding task. */
  "CREATE TRIGGER tasks_head_on_state AFTER UPDATE OF state ON tasks"
  "  WHEN (OLD.state IN " HOLDING_STATES_V1 ") != (NEW.state IN " HOLDING_STATES_V1 ")"
  "  BEGIN"
  "    UPDATE tasks SET head = 0"
  "      WHERE seq = NEW.seq"
  "         OR seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = NEW.group_key AND state IN " HOLDING_STATES_V1
  "                       AND seq != NEW.seq);"
  "    UPDATE tasks SET head = 1"
  "      WHERE seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = NEW.group_key AND state IN " HOLDING_STATES_V1 ");"
  "  END;"
  "CREATE TRIGGER tasks_head_on_delete AFTER DELETE ON tasks"
  "  WHEN OLD.head = 1"
  "  BEGIN"
  "    UPDATE tasks SET head = 1"
  "      WHERE seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = OLD.group_key AND state IN " HOLDING_STATES_V1 ");"
  "  END;",

  /* 1 → 2: a narrow index in enqueue order, so a page deep into the whole
   * queue skips small index entries rather than whole rows */
  "CREATE INDEX tasks_order ON tasks (seq);",

  /* 2 → 3: how a conflict is settled field by field, and where the
   * timestamp of last-modified-wins lives */
  "ALTER TABLE tasks ADD COLUMN merge_rules BLOB;"
  "ALTER TABLE tasks ADD COLUMN timestamp_pointer TEXT;",

  /* 3 → 4: the history of each task's attempts, gone with the task */
  "CREATE TABLE attempts ("
  "  task_seq  INTEGER NOT NULL,"
  "  at        INTEGER NOT NULL,"
  "  status    INTEGER NOT NULL,"
  "  error     TEXT"
  ");"
  "CREATE INDEX attempts_by_task ON attempts (task_seq, at);"
  "CREATE TRIGGER attempts_forget AFTER DELETE ON tasks"
  "  BEGIN"
  "    DELETE FROM attempts WHERE task_seq = OLD.seq;"
  "  END;",

  /* 4 → 5: since when the task's attempts keep failing in a way worth
   * retrying (0 while they do not) */
  "ALTER TABLE tasks ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;",

  /* 5 → 6: the holding states written as HOLDING () writes them (see the
   * top of the file), and the head trigger without the OR that SQLite ran
   * as two passes over a temporary table; a head mark that is right
   * already is left alone.  Same index, same heads as before. */
  "DROP INDEX tasks_holding;"
  "CREATE INDEX tasks_holding ON tasks (group_key, seq)"
  "  WHERE " HOLDING ("state") ";"
  "DROP TRIGGER tasks_head_on_state;"
  "CREATE TRIGGER tasks_head_on_state AFTER UPDATE OF state ON tasks"
  "  WHEN (" HOLDING ("OLD.state") ") != (" HOLDING ("NEW.state") ")"
  "  BEGIN"
  "    UPDATE tasks SET head = 0 WHERE seq = NEW.seq AND head != 0;"
  "    UPDATE tasks SET head = 0"
  "      WHERE seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = NEW.group_key AND " HOLDING ("state")
  "                       AND seq != NEW.seq)"
  "        AND head != 0;"
  "    UPDATE tasks SET head = 1"
  "      WHERE seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = NEW.group_key AND " HOLDING ("state") ")"
  "        AND head != 1;"
  "  END;"
  "DROP TRIGGER tasks_head_on_delete;"
  "CREATE TRIGGER tasks_head_on_delete AFTER DELETE ON tasks"
  "  WHEN OLD.head = 1"
  "  BEGIN"
  "    UPDATE tasks SET head = 1"
  "      WHERE seq = (SELECT min (seq) FROM tasks"
  "                     WHERE group_key = OLD.group_key AND " HOLDING ("state") ");"
  "  END;",

  /* 6 → 7: bodies out of the task rows.  Reading, counting or changing a
   * task's state no longer reads or rewrites a body of up to 16 MiB: the
   * payload has a table of its own, a row per part (0 body, 1 base, 2
   * response body), read only to send the task or show it whole, and the
   * task row keeps the body's size.  Each part is the last column of its
   * row, so it is written and read in place (incremental blob I/O)
   * without SQLite building a copy of it first. */
  "CREATE TABLE payloads ("
  "  task_seq INTEGER NOT NULL,"
  "  part     INTEGER NOT NULL CHECK (part BETWEEN 0 AND 2),"
  "  data     BLOB    NOT NULL,"
  "  PRIMARY KEY (task_seq, part)"
  ");"
  "INSERT INTO payloads (task_seq, part, data)"
  "  SELECT seq, 0, body FROM tasks WHERE body IS NOT NULL;"
  "INSERT INTO payloads (task_seq, part, data)"
  "  SELECT seq, 1, base FROM tasks WHERE base IS NOT NULL;"
  "INSERT INTO payloads (task_seq, part, data)"
  "  SELECT seq, 2, response_body FROM tasks WHERE response_body IS NOT NULL;"
  "ALTER TABLE tasks ADD COLUMN body_size INTEGER NOT NULL DEFAULT 0;"
  "UPDATE tasks SET body_size = length (body) WHERE body IS NOT NULL;"
  "ALTER TABLE tasks DROP COLUMN body;"
  "ALTER TABLE tasks DROP COLUMN base;"
  "ALTER TABLE tasks DROP COLUMN response_body;"
  "CREATE TRIGGER payloads_forget AFTER DELETE ON tasks"
  "  BEGIN"
  "    DELETE FROM payloads WHERE task_seq = OLD.seq;"
  "  END;",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

/* The columns of a task row, read back into a FerryTask; its payload is
 * read from the payloads table only when asked for. */
#define LIGHT_COLUMNS(X)                                                          \
  X (SEQ, seq)                                                                    \
  X (ID, id)                                                                      \
  X (OWNER, owner)                                                                \
  X (NAME, name)                                                                  \
  X (GROUP_NAME, group_name)                                                      \
  X (METHOD, method)                                                              \
  X (URL, url)                                                                    \
  X (CONTENT_TYPE, content_type)                                                  \
  X (IDEMPOTENCY_KEY, idempotency_key)                                            \
  X (IF_MATCH, if_match)                                                          \
  X (PRIORITY, priority)                                                          \
  X (MAX_ATTEMPTS, max_attempts)                                                  \
  X (NOT_BEFORE, not_before)                                                      \
  X (EXPIRES, expires)                                                            \
  X (UNMETERED_ONLY, unmetered_only)                                              \
  X (CONFLICT_STRATEGY, conflict_strategy)                                        \
  X (CONFLICT_URL, conflict_url)                                                  \
  X (STATE, state)                                                                \
  X (ATTEMPTS, attempts)                                                          \
  X (NEXT_ATTEMPT, next_attempt)                                                  \
  X (CREATED, created)                                                            \
  X (UPDATED, updated)                                                            \
  X (LAST_ERROR, last_error)                                                      \
  X (LAST_STATUS, last_status)                                                    \
  X (RESPONSE_STATUS, response_status)                                            \
  X (HEADERS, headers)                                                            \
  X (SECRET_HEADERS, secret_headers)                                              \
  X (RESPONSE_HEADERS, response_headers)                                          \
  X (MERGE_RULES, merge_rules)                                                    \
  X (TIMESTAMP_POINTER, timestamp_pointer)                                        \
  X (FAILING_SINCE, failing_since)                                                \
  X (BODY_SIZE, body_size)

#define COLUMN_ENUM(sym, name) COL_##sym,
#define COLUMN_NAME(sym, name) #name,

enum {
  LIGHT_COLUMNS (COLUMN_ENUM)
  N_COLUMNS
};

static const char * const column_names[N_COLUMNS] = {
  LIGHT_COLUMNS (COLUMN_NAME)
};

/* Statements prepared once at open and reset after every use.  "@LIGHT@"
 * stands for the column list above. */
typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SYNCHRONOUS_FULL,
  STMT_SYNCHRONOUS_NORMAL,
  STMT_INSERT,
  STMT_FIND_PENDING_NAME,
  STMT_REPLACE_PAYLOAD,
  STMT_UPDATE,
  STMT_UPDATE_OUTCOME,
  STMT_SELECT_BY_ID,
  STMT_SELECT_BY_SEQ,
  STMT_SELECT_PAYLOAD,
  STMT_SEQ_BY_ID,
  STMT_PUT_PART,
  STMT_DROP_PART,
  STMT_NEXT_ELIGIBLE,
  STMT_NEXT_DUE,
  STMT_NEXT_EXPIRY,
  STMT_EXPIRE,
  STMT_ANY_EXPIRED,
  STMT_RECOVER_RUNNING,
  STMT_LOG_ATTEMPT,
  STMT_SELECT_ATTEMPTS,
  STMT_MAKE_DUE,
  STMT_PRUNE,
  STMT_COUNT_STATES,
  STMT_LAST_DELIVERY,
  N_STATEMENTS
} Statement;

static const char * const statement_sql[N_STATEMENTS] = {
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

/* The task fields statements bind, by parameter name.  Where each one sits
 * in each statement is looked up once, when the statements are prepared:
 * looking a name up walks the statement's list of names. */
#define TASK_PARAMS(X)                                                            \
  X (ID, ":id")                                                                   \
  X (OWNER, ":owner")                                                             \
  X (NAME, ":name")                                                               \
  X (GROUP_NAME, ":group_name")                                                   \
  X (GROUP_KEY, ":group_key")                                                     \
  X (METHOD, ":method")                                                           \
  X (URL, ":url")                                                                 \
  X (CONTENT_TYPE, ":content_type")                                               \
  X (IDEMPOTENCY_KEY, ":idempotency_key")                                         \
  X (IF_MATCH, ":if_match")                                                       \
  X (PRIORITY, ":priority")                                                       \
  X (MAX_ATTEMPTS, ":max_attempts")                                               \
  X (NOT_BEFORE, ":not_before")                                                   \
  X (EXPIRES, ":expires")                                                         \
  X (UNMETERED_ONLY, ":unmetered_only")                                           \
  X (CONFLICT_STRATEGY, ":conflict_strategy")                                     \
  X (CONFLICT_URL, ":conflict_url")                                               \
  X (STATE, ":state")                                                             \
  X (ATTEMPTS, ":attempts")                                                       \
  X (NEXT_ATTEMPT, ":next_attempt")                                               \
  X (CREATED, ":created")                                                         \
  X (UPDATED, ":updated")                                                         \
  X (LAST_ERROR, ":last_error")                                                   \
  X (LAST_STATUS, ":last_status")                                                 \
  X (RESPONSE_STATUS, ":response_status")                                         \
  X (HEADERS, ":headers")                                                         \
  X (SECRET_HEADERS, ":secret_headers")                                           \
  X (MERGE_RULES, ":merge_rules")                                                 \
  X (TIMESTAMP_POINTER, ":timestamp_pointer")                                     \
  X (FAILING_SINCE, ":failing_since")                                             \
  X (BODY_SIZE, ":body_size")                                                     \
  X (SEQ, ":seq")                                                                 \
  X (RESPONSE_HEADERS, ":response_headers")

#define PARAM_ENUM(sym, name) PARAM_##sym,
#define PARAM_NAME(sym, name) name,

enum {
  TASK_PARAMS (PARAM_ENUM)
  N_TASK_PARAMS
};

static const char * const task_param_names[N_TASK_PARAMS] = {
  TASK_PARAMS (PARAM_NAME)
};

typedef enum {
  SYNCHRONOUS_UNKNOWN,
  SYNCHRONOUS_NORMAL,
  SYNCHRONOUS_FULL,
} Synchronous;

struct _FerryTaskStore
{
  GObject       parent_instance;

  /* owned */
  char          *path;
  FerryDatabase *database;
  sqlite3       *db;              /* the database's connection */
  sqlite3_stmt *stmts[N_STATEMENTS];
  GHashTable   *filter_stmts;     /* SQL text → sqlite3_stmt, for list and count */

  /* state */
  int           task_params[N_STATEMENTS][N_TASK_PARAMS];  /* 0: not in it */
  Synchronous   synchronous;
  gint64        last_key_ms;      /* time part of the last order key made */
  guint         key_counter;      /* counter part of the last order key made */
};

static void ferry_task_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTaskStore, ferry_task_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ferry_task_store_initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A prepared statement on loan: the cleanup resets it and drops its
 * bindings, so no exit path leaves it busy or pointing at freed memory. */
typedef sqlite3_stmt CachedStmt;

static void
release_stmt (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, release_stmt)

static CachedStmt *
borrow_stmt (FerryTaskStore *self,
             Statement       which)
{
  g_assert (self->stmts[which] != NULL);
  g_assert (!sqlite3_stmt_busy (self->stmts[which]));
  return self->stmts[which];
}

static void
set_sqlite_error (sqlite3     *db,
                  int          rc,
                  const char  *what,
                  GError     **error)
{
  ferry_database_set_error (db, rc, what, error);
}

/* Steps @stmt once.  Returns %FALSE with @error set on failure; otherwise
 * *@has_row says whether a row is ready. */
static gboolean
step (FerryTaskStore  *self,
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
  set_sqlite_error (self->db, rc, what, error);
  return FALSE;
}

static gboolean
run_stmt (FerryTaskStore  *self,
          Statement        which,
          const char      *what,
          GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, which);

  return step (self, stmt, NULL, what, error);
}

/* An open write transaction that rolls back unless committed. */
typedef struct
{
  FerryTaskStore *store;  /* borrowed; NULL when none was begun */
} Transaction;

static void
end_transaction (Transaction *txn)
{
  g_autoptr(GError) local_error = NULL;

  if (txn->store == NULL || sqlite3_get_autocommit (txn->store->db))
    return;
  if (!run_stmt (txn->store, STMT_ROLLBACK, "rolling back", &local_error))
    g_warning ("%s: %s", txn->store->path, local_error->message);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Transaction, end_transaction)

/* Enqueue must be durable when it returns (FULL syncs the WAL at every
 * commit).  State updates after attempts only need to survive a crash of
 * the process, which WAL with NORMAL gives at a fraction of the cost. */
static gboolean
begin_transaction (FerryTaskStore  *self,
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

static gboolean
commit_transaction (Transaction  *txn,
                    const char   *what,
                    GError      **error)
{
  g_assert (txn->store != NULL);

  return run_stmt (txn->store, STMT_COMMIT, what, error);
}

/* Binding by parameter name: each statement names the task fields it
 * uses, and one function binds them all.  The first failure sticks. */
typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;
} Binder;

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

static void
bind_text (Binder     *binder,
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

static void
bind_int64 (Binder     *binder,
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
static int
bind_task (FerryTaskStore  *self,
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

/* The parts of a payload, as the payloads table numbers them. */
typedef enum {
  PART_BODY          = 0,
  PART_BASE          = 1,
  PART_RESPONSE_BODY = 2,
  N_PARTS
} PayloadPart;

#define PARTS_ALL      ((1 << PART_BODY) | (1 << PART_BASE) | (1 << PART_RESPONSE_BODY))
#define PARTS_OUTCOME  ((1 << PART_BODY) | (1 << PART_RESPONSE_BODY))
#define PARTS_REQUEST  ((1 << PART_BODY) | (1 << PART_BASE))

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
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, bytes == NULL ? STMT_DROP_PART : STMT_PUT_PART);
  Binder binder = { stmt, SQLITE_OK };
  sqlite3_blob *blob = NULL;
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  gint64 rowid;
  int rc;

  bind_int64 (&binder, ":seq", seq);
  bind_int64 (&binder, ":part", part);
  if (bytes != NULL)
    bind_int64 (&binder, ":size", (gint64) size);
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
static int
write_payload (FerryTaskStore  *self,
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
      g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_SEQ_BY_ID);
      Binder binder = { stmt, SQLITE_OK };

      bind_text (&binder, ":id", task->id);
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

static char *
dup_column_text (sqlite3_stmt *stmt,
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
static FerryTask *
read_light_row (sqlite3_stmt *stmt)
{
  FerryTask *task = ferry_task_new ();

  task->seq = sqlite3_column_int64 (stmt, COL_SEQ);
  task->id = dup_column_text (stmt, COL_ID);
  task->owner = dup_column_text (stmt, COL_OWNER);
  task->name = dup_column_text (stmt, COL_NAME);
  task->group = dup_column_text (stmt, COL_GROUP_NAME);
  task->method = dup_column_text (stmt, COL_METHOD);
  task->url = dup_column_text (stmt, COL_URL);
  task->content_type = dup_column_text (stmt, COL_CONTENT_TYPE);
  task->idempotency_key = dup_column_text (stmt, COL_IDEMPOTENCY_KEY);
  task->if_match = dup_column_text (stmt, COL_IF_MATCH);
  task->priority = (FerryPriority) sqlite3_column_int (stmt, COL_PRIORITY);
  task->max_attempts = (guint) sqlite3_column_int64 (stmt, COL_MAX_ATTEMPTS);
  task->not_before = sqlite3_column_int64 (stmt, COL_NOT_BEFORE);
  task->expires = sqlite3_column_int64 (stmt, COL_EXPIRES);
  task->unmetered_only = sqlite3_column_int (stmt, COL_UNMETERED_ONLY) != 0;
  task->conflict_strategy = (FerryConflictStrategy) sqlite3_column_int (stmt,
                                                                        COL_CONFLICT_STRATEGY);
  task->conflict_url = dup_column_text (stmt, COL_CONFLICT_URL);
  task->state = (FerryTaskState) sqlite3_column_int (stmt, COL_STATE);
  task->attempts = (guint) sqlite3_column_int64 (stmt, COL_ATTEMPTS);
  task->next_attempt = sqlite3_column_int64 (stmt, COL_NEXT_ATTEMPT);
  task->created = sqlite3_column_int64 (stmt, COL_CREATED);
  task->updated = sqlite3_column_int64 (stmt, COL_UPDATED);
  task->last_error = dup_column_text (stmt, COL_LAST_ERROR);
  task->last_status = (guint) sqlite3_column_int64 (stmt, COL_LAST_STATUS);
  task->response_status = (guint) sqlite3_column_int64 (stmt, COL_RESPONSE_STATUS);
  task->headers = dup_column_strv (stmt, COL_HEADERS);
  task->secret_headers = dup_column_strv (stmt, COL_SECRET_HEADERS);
  task->response_headers = dup_column_strv (stmt, COL_RESPONSE_HEADERS);
  task->merge_rules = dup_column_strv (stmt, COL_MERGE_RULES);
  task->timestamp_pointer = dup_column_text (stmt, COL_TIMESTAMP_POINTER);
  task->failing_since = sqlite3_column_int64 (stmt, COL_FAILING_SINCE);
  task->body_size = (guint64) sqlite3_column_int64 (stmt, COL_BODY_SIZE);
  task->has_payload = FALSE;
  return task;
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
      set_sqlite_error (self->db, rc, "reading a task's body", error);
      return FALSE;
    }
  *out_bytes = g_bytes_new_take (data, size);
  return TRUE;
}

/* Makes @dst describe the stored task @src, whose fields it takes over
 * (@src gets @dst's old ones, to be freed with it).  Swapping whole
 * records keeps this right when FerryTask grows a field.  The reference
 * counts stay with their records; `unique` is an instruction of the
 * caller, not a stored field, so it stays too. */
static void
take_stored_fields (FerryTask *dst,
                    FerryTask *src)
{
  FerryTask saved = *dst;
  gatomicrefcount src_refs = src->ref_count;

  *dst = *src;
  dst->ref_count = saved.ref_count;
  dst->unique = saved.unique;
  *src = saved;
  src->ref_count = src_refs;
}

/* The key that orders a task without a group among the others: a UUID of
 * version 7 (RFC 9562), whose first 48 bits are the time in milliseconds,
 * the next 12 a counter within that millisecond and the rest random.  Keys
 * made one after another sort one after another, so the group index grows
 * at its end instead of at a random place among 100,000 tasks, and each
 * enqueue reads and writes fewer pages.  (Task ids stay random, version 4:
 * people tell them apart, and type them, by their first characters.) */
static char *
new_order_key (FerryTaskStore *self)
{
  gint64 ms = g_get_real_time () / 1000;
  guint32 r0 = g_random_int ();
  guint32 r1 = g_random_int ();
  guint8 b[16];

  if (ms > self->last_key_ms)
    {
      self->last_key_ms = ms;
      self->key_counter = 0;
    }
  else if (++self->key_counter > 0xfff)
    {
      /* 4,096 in one millisecond: borrow the next one. */
      self->last_key_ms++;
      self->key_counter = 0;
    }
  ms = self->last_key_ms;

  for (guint i = 0; i < 6; i++)
    b[i] = (ms >> (40 - 8 * i)) & 0xff;
  b[6] = 0x70 | ((self->key_counter >> 8) & 0x0f);
  b[7] = self->key_counter & 0xff;
  b[8] = 0x80 | (r0 & 0x3f);
  b[9] = (r0 >> 8) & 0xff;
  b[10] = (r0 >> 16) & 0xff;
  b[11] = (r0 >> 24) & 0xff;
  b[12] = r1 & 0xff;
  b[13] = (r1 >> 8) & 0xff;
  b[14] = (r1 >> 16) & 0xff;
  b[15] = (r1 >> 24) & 0xff;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The owner and group of a task in a group; for one without, a group of
 * its own, which no group name can take (a name has no control
 * characters), keyed in time order.  Tasks stored before version 6 have
 * their id there instead, which is just as unique. */
static char *
dup_group_key (FerryTaskStore  *self,
               const FerryTask *task)
{
  g_autofree char *key = NULL;

  if (task->group != NULL)
    return g_strconcat (task->owner, GROUP_KEY_SEPARATOR, task->group, NULL);
  key = new_order_key (self);
  return g_strconcat (task->owner, GROUP_KEY_SEPARATOR, GROUP_KEY_SEPARATOR, key, NULL);
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

static sqlite3_stmt *
prepare (FerryTaskStore  *self,
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

      set_sqlite_error (self->db, rc, what, error);
      return NULL;
    }

  /* The decoders index columns by the enum: check the lists agree. */
  if (strstr (template, "@LIGHT@") != NULL)
    {
      int n = sqlite3_column_count (stmt);

      g_assert (n == N_COLUMNS);
      for (int i = 0; i < n; i++)
        g_assert_cmpstr (sqlite3_column_name (stmt, i), ==, column_names[i]);
    }
  return stmt;
}

/* Escapes LIKE's wildcards so a search is a plain substring match. */
static char *
dup_like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* list and count build their SQL from the shape of the filter (which
 * fields are set, which states); each shape is prepared once and kept.
 *
 * A list picks its page's keys with one SELECT per state joined by UNION
 * ALL: each arm walks (state, seq) or (state, updated, seq) already in
 * order and SQLite merges the streams, so a page never sorts every
 * matching task in a temporary B-tree, and stops once it has offset +
 * limit keys; only then are the full rows of that page read. */
static CachedStmt *
borrow_filter_stmt (FerryTaskStore         *self,
                    const FerryTaskFilter  *filter,
                    gboolean                counting,
                    GError                **error)
{
  const guint all_states = (1u << FERRY_N_TASK_STATES) - 1;
  guint states = filter->states & all_states;
  gboolean every_state = filter->states == 0 || states == all_states;
  g_autoptr(GString) conditions = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  Binder binder;

  if (filter->owner != NULL)
    g_string_append (conditions, " AND owner = :owner");
  if (filter->name != NULL)
    g_string_append (conditions, " AND name = :name");
  if (filter->group != NULL)
    g_string_append (conditions, " AND group_name = :group");
  if (filter->search != NULL)
    g_string_append (conditions,
                     " AND (name LIKE :search ESCAPE '\\' OR url LIKE :search ESCAPE '\\'"
                     " OR owner LIKE :search ESCAPE '\\')");

  if (counting)
    {
      g_string_append (sql, "SELECT count (*) FROM tasks WHERE 1");
      if (!every_state)
        {
          g_string_append (sql, " AND state IN (");
          for (guint state = 0, n = 0; state < FERRY_N_TASK_STATES; state++)
            {
              if ((states & FERRY_STATE_BIT (state)) != 0)
                g_string_append_printf (sql, n++ == 0 ? "%u" : ", %u", state);
            }
          g_string_append_c (sql, ')');
        }
      g_string_append (sql, conditions->str);
    }
  else
    {
      const char *order = filter->newest_first ? " ORDER BY updated DESC, seq DESC"
                                               : " ORDER BY seq";
      const char *keys = filter->newest_first ? "seq, updated" : "seq";
      g_autoptr(GString) page = g_string_new (NULL);

      /* First the page's keys, from the narrow (state, seq) and
       * (state, updated, seq) indexes alone when no other condition is
       * set: skipping to a deep offset then walks small index entries,
       * not whole rows.  Then the full rows of just those keys. */
      if (every_state && !filter->newest_first)
        {
          g_string_append_printf (page, "SELECT seq FROM tasks INDEXED BY tasks_order WHERE 1%s",
                                  conditions->str);
          states = 0;
        }
      else if (every_state)
        states = all_states;
      for (guint state = 0, n = 0; state < FERRY_N_TASK_STATES; state++)
        {
          if ((states & FERRY_STATE_BIT (state)) == 0)
            continue;
          if (n++ > 0)
            g_string_append (page, " UNION ALL ");
          g_string_append_printf (page, "SELECT %s FROM tasks WHERE state = %u%s",
                                  keys, state, conditions->str);
        }
      /* only unknown state bits: nothing can match */
      if (page->len == 0)
        g_string_append_printf (page, "SELECT %s FROM tasks WHERE 0", keys);
      g_string_append (page, order);
      g_string_append (page, " LIMIT :limit OFFSET :offset");

      if (filter->newest_first)
        g_string_append_printf (sql, "SELECT @LIGHT@ FROM tasks WHERE seq IN"
                                     " (SELECT seq FROM (%s))%s", page->str, order);
      else
        g_string_append_printf (sql, "SELECT @LIGHT@ FROM tasks WHERE seq IN (%s)%s",
                                page->str, order);
    }

  stmt = g_hash_table_lookup (self->filter_stmts, sql->str);
  if (stmt == NULL)
    {
      stmt = prepare (self, sql->str, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (self->filter_stmts, g_strdup (sql->str), stmt);
    }
  g_assert (!sqlite3_stmt_busy (stmt));

  binder = (Binder) { stmt, SQLITE_OK };
  bind_text (&binder, ":owner", filter->owner);
  bind_text (&binder, ":name", filter->name);
  bind_text (&binder, ":group", filter->group);
  if (filter->search != NULL)
    {
      g_autofree char *pattern = dup_like_pattern (filter->search);

      bind_text (&binder, ":search", pattern);
    }
  if (binder.rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, binder.rc, "binding a filter", error);
      release_stmt (stmt);
      return NULL;
    }
  return stmt;
}

static gboolean load_payload (FerryTaskStore  *self,
                              FerryTask       *task,
                              GError         **error);

/* The stored task with the given seq, its payload included: what
 * enqueue hands back for a task it replaced or kept. */
static FerryTask *
dup_task_by_seq (FerryTaskStore  *self,
                 gint64           seq,
                 GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_SELECT_BY_SEQ);
  g_autoptr(FerryTask) task = NULL;
  gboolean has_row;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), seq);
  if (!step (self, stmt, &has_row, "reading a task", error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "no task with seq %" G_GINT64_FORMAT, seq);
      return NULL;
    }
  task = read_light_row (stmt);
  if (!load_payload (self, task, error))
    return NULL;
  return g_steal_pointer (&task);
}

/* Finds the newest pending task of @owner named @name; *@out_seq is 0
 * when there is none. */
static gboolean
find_pending_name (FerryTaskStore  *self,
                   const char      *owner,
                   const char      *name,
                   gint64          *out_seq,
                   GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_FIND_PENDING_NAME);
  Binder binder = { stmt, SQLITE_OK };
  gboolean has_row;

  bind_text (&binder, ":owner", owner);
  bind_text (&binder, ":name", name);
  if (binder.rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, binder.rc, "looking up a task name", error);
      return FALSE;
    }
  if (!step (self, stmt, &has_row, "looking up a task name", error))
    return FALSE;
  *out_seq = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* Gives the pending task @seq the request and policy of @task. */
static FerryTask *
replace_payload (FerryTaskStore   *self,
                 gint64            seq,
                 const FerryTask  *task,
                 GError          **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_REPLACE_PAYLOAD);
  g_autofree char *fresh_key = g_uuid_string_random ();
  int rc;

  rc = bind_task (self, STMT_REPLACE_PAYLOAD, stmt, task, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), seq);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fresh_key"), fresh_key,
                            -1, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, "replacing a task", error);
      return NULL;
    }
  if (!step (self, stmt, NULL, "replacing a task", error))
    return NULL;
  g_clear_pointer (&stmt, release_stmt);
  {
    g_autoptr(FerryTask) with_seq = ferry_task_copy (task);

    with_seq->seq = seq;
    rc = write_payload (self, with_seq, PARTS_REQUEST, FALSE);
  }
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, "replacing a task's body", error);
      return NULL;
    }
  return dup_task_by_seq (self, seq, error);
}

/* Stores @task as a new task; returns the stored record. */
static FerryTask *
insert_task (FerryTaskStore   *self,
             const FerryTask  *task,
             GError          **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_INSERT);
  g_autoptr(FerryTask) stored = ferry_task_copy (task);
  g_autofree char *group_key = NULL;
  int rc;

  g_free (stored->id);
  stored->id = g_uuid_string_random ();
  if (stored->idempotency_key == NULL)
    stored->idempotency_key = g_uuid_string_random ();
  group_key = dup_group_key (self, stored);

  rc = bind_task (self, STMT_INSERT, stmt, stored, group_key);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, "adding a task", error);
      return NULL;
    }
  if (!step (self, stmt, NULL, "adding a task", error))
    return NULL;
  stored->seq = sqlite3_last_insert_rowid (self->db);
  if (stored->body != NULL || stored->base != NULL || stored->response_body != NULL)
    {
      rc = write_payload (self, stored, PARTS_ALL, FALSE);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self->db, rc, "adding a task's body", error);
          return NULL;
        }
    }
  stored->body_size = ferry_task_get_body_size (stored);
  return g_steal_pointer (&stored);
}

static gboolean
query_next_time (FerryTaskStore  *self,
                 Statement        which,
                 gint64           now,
                 gint64          *out_time,
                 GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, which);
  gboolean has_row;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
  if (!step (self, stmt, &has_row, "finding the next wake-up", error))
    return FALSE;
  *out_time = has_row ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64;
  return TRUE;
}

/* Runs a one-statement write in its own transaction; *@out_count gets the
 * number of rows it changed. */
static gboolean
run_write (FerryTaskStore  *self,
           Statement        which,
           const char      *param,
           gint64           value,
           guint           *out_count,
           const char      *what,
           GError         **error)
{
  g_auto(Transaction) txn = { NULL };
  guint changes;

  if (!begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, what, error))
    return FALSE;
  {
    g_autoptr(CachedStmt) stmt = borrow_stmt (self, which);

    if (param != NULL)
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, param), value);
    if (!step (self, stmt, NULL, what, error))
      return FALSE;
    changes = (guint) sqlite3_changes (self->db);
  }
  if (!commit_transaction (&txn, what, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = changes;
  return TRUE;
}

static gboolean
ferry_task_store_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  FerryTaskStore *self = FERRY_TASK_STORE (initable);

  g_return_val_if_fail (self->path != NULL || self->database != NULL, FALSE);

  if (self->database == NULL)
    {
      self->database = ferry_database_new (self->path, error);
      if (self->database == NULL)
        return FALSE;
    }
  else
    self->path = g_strdup (ferry_database_get_path (self->database));
  self->db = ferry_database_get_handle (self->database);
  self->synchronous = SYNCHRONOUS_FULL;

  /* The tasks' schema was versioned by user_version before the database
   * held other parts, and still is, besides the versions table. */
  if (!ferry_database_migrate (self->database, "tasks", migrations, SCHEMA_VERSION,
                               FERRY_DATABASE_PART_USER_VERSION, error))
    return FALSE;

  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      self->stmts[i] = prepare (self, statement_sql[i], error);
      if (self->stmts[i] == NULL)
        return FALSE;
      for (guint p = 0; p < N_TASK_PARAMS; p++)
        self->task_params[i][p] = sqlite3_bind_parameter_index (self->stmts[i],
                                                                task_param_names[p]);
    }
  return TRUE;
}

static void
ferry_task_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = ferry_task_store_initable_init;
}

static void
ferry_task_store_finalize (GObject *object)
{
  FerryTaskStore *self = FERRY_TASK_STORE (object);

  g_clear_pointer (&self->filter_stmts, g_hash_table_unref);
  for (guint i = 0; i < N_STATEMENTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  self->db = NULL;
  g_clear_object (&self->database);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ferry_task_store_parent_class)->finalize (object);
}

static void
ferry_task_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryTaskStore *self = FERRY_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FerryTaskStore *self = FERRY_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_assert (self->path == NULL);
      self->path = g_value_dup_string (value);
      break;

    case PROP_DATABASE:
      g_assert (self->database == NULL);
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_store_class_init (FerryTaskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_task_store_finalize;
  object_class->get_property = ferry_task_store_get_property;
  object_class->set_property = ferry_task_store_set_property;

  /**
   * FerryTaskStore:path:
   *
   * The database file.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * FerryTaskStore:database:
   *
   * The database the tasks live in, shared with the other parts; made
   * from #FerryTaskStore:path when not given.
   */
  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         FERRY_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_task_store_init (FerryTaskStore *self)
{
  self->filter_stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) sqlite3_finalize);
}

/**
 * ferry_task_store_new:
 * @path: the database file; its directory is created (mode 0700) if missing
 * @error: return location for an error
 *
 * Opens (or creates, mode 0600) the task database and brings its schema up
 * to date.  A file that is not a database, or fails SQLite's quick check,
 * is moved aside to `@path.corrupt-<time>` (with its WAL) with a warning,
 * and an empty database takes its place.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 *   (%FERRY_ERROR_STORE, %FERRY_ERROR_STORAGE_FULL, or a %G_IO_ERROR for
 *   the file system)
 */
FerryTaskStore *
ferry_task_store_new (const char  *path,
                      GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (FERRY_TYPE_TASK_STORE, NULL, error, "path", path, NULL);
}

/**
 * ferry_task_store_new_for_database:
 * @database: an open database
 * @error: return location for an error
 *
 * Like ferry_task_store_new(), on a database the other parts share.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
FerryTaskStore *
ferry_task_store_new_for_database (FerryDatabase  *database,
                                   GError        **error)
{
  g_return_val_if_fail (FERRY_IS_DATABASE (database), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (FERRY_TYPE_TASK_STORE, NULL, error, "database", database, NULL);
}

/**
 * ferry_task_store_get_database:
 * @self: a store
 *
 * Returns: (transfer none): the database the tasks live in
 */
FerryDatabase *
ferry_task_store_get_database (FerryTaskStore *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);

  return self->database;
}

/**
 * ferry_task_store_get_path:
 * @self: a store
 *
 * Returns: the database file, borrowed
 */
const char *
ferry_task_store_get_path (FerryTaskStore *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);

  return self->path;
}

/**
 * ferry_task_store_enqueue:
 * @self: a store
 * @tasks: (element-type FerryTask): validated tasks with owner, request,
 *   policy, state and times set by the caller
 * @outcomes: (out caller-allocates) (array) (nullable): @tasks->len
 *   entries, receiving what happened to each task
 * @error: return location for an error
 *
 * Stores every task in one transaction that is on disk when this returns
 * (the group commit).  Each new task gets an id, a seq and, when it has
 * none, an idempotency key.  A named task whose owner has a pending task
 * of that name follows its `unique` policy: replace gives the pending task
 * the new request and policy (it keeps its id, seq, idempotency key and
 * place in line), keep stores nothing, append adds it behind.
 *
 * On success every task in @tasks describes what is stored: the new
 * record, or for replace and keep the pending task it met (its id, seq,
 * state, times…).  On failure nothing is stored and @tasks are unchanged.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_INVALID_ARGUMENT,
 *   %FERRY_ERROR_STORAGE_FULL or %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_enqueue (FerryTaskStore       *self,
                          GPtrArray            *tasks,
                          FerryEnqueueOutcome  *outcomes,
                          GError              **error)
{
  g_auto(Transaction) txn = { NULL };
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree FerryEnqueueOutcome *results = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < tasks->len; i++)
    {
      if (!ferry_task_validate (g_ptr_array_index (tasks, i), error))
        {
          g_prefix_error (error, "task %u: ", i);
          return FALSE;
        }
    }
  if (tasks->len == 0)
    return TRUE;

  what = g_strdup_printf ("enqueueing %u task%s", tasks->len, tasks->len == 1 ? "" : "s");
  stored = g_ptr_array_new_full (tasks->len, (GDestroyNotify) ferry_task_unref);
  results = g_new0 (FerryEnqueueOutcome, tasks->len);

  if (!begin_transaction (self, &txn, SYNCHRONOUS_FULL, what, error))
    return FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      const FerryTask *task = g_ptr_array_index (tasks, i);
      FerryTask *record = NULL;
      gint64 pending_seq = 0;

      if (task->name != NULL && task->unique != FERRY_UNIQUE_APPEND &&
          !find_pending_name (self, task->owner, task->name, &pending_seq, error))
        return FALSE;

      if (pending_seq != 0 && task->unique == FERRY_UNIQUE_REPLACE)
        {
          record = replace_payload (self, pending_seq, task, error);
          results[i] = FERRY_ENQUEUE_REPLACED;
        }
      else if (pending_seq != 0 && task->unique == FERRY_UNIQUE_KEEP)
        {
          record = dup_task_by_seq (self, pending_seq, error);
          results[i] = FERRY_ENQUEUE_KEPT;
        }
      else
        {
          record = insert_task (self, task, error);
          results[i] = FERRY_ENQUEUE_ADDED;
        }
      if (record == NULL)
        return FALSE;
      g_ptr_array_add (stored, record);
    }

  if (!commit_transaction (&txn, what, error))
    return FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      take_stored_fields (g_ptr_array_index (tasks, i), g_ptr_array_index (stored, i));
      if (outcomes != NULL)
        outcomes[i] = results[i];
    }
  return TRUE;
}

/* Writes @tasks with statement @which (STMT_UPDATE or
 * STMT_UPDATE_OUTCOME) inside the caller's transaction. */
static gboolean
write_updates (FerryTaskStore  *self,
               Statement        which,
               GPtrArray       *tasks,
               GError         **error)
{
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      const FerryTask *task = g_ptr_array_index (tasks, i);
      g_autoptr(CachedStmt) stmt = borrow_stmt (self, which);
      int rc;

      g_return_val_if_fail (task != NULL && task->id != NULL, FALSE);

      rc = bind_task (self, which, stmt, task, NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self->db, rc, "updating a task", error);
          return FALSE;
        }
      if (!step (self, stmt, NULL, "updating a task", error))
        return FALSE;
      if (sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                       "no task with id “%s”", task->id);
          return FALSE;
        }
      rc = write_payload (self, task,
                          which == STMT_UPDATE_OUTCOME ? PARTS_OUTCOME : PARTS_ALL, TRUE);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self->db, rc, "updating a task's body", error);
          return FALSE;
        }
    }
  return TRUE;
}

/* Appends @records to their tasks' histories inside the caller's
 * transaction. */
static gboolean
write_attempts (FerryTaskStore  *self,
                GArray          *records,
                GError         **error)
{
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const FerryAttemptRecord *record = &g_array_index (records, FerryAttemptRecord, i);
      g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_LOG_ATTEMPT);
      Binder binder = { stmt, SQLITE_OK };

      bind_int64 (&binder, ":seq", record->seq);
      bind_int64 (&binder, ":at", record->at);
      bind_int64 (&binder, ":status", record->status);
      bind_text (&binder, ":error", record->error);
      if (binder.rc != SQLITE_OK)
        {
          set_sqlite_error (self->db, binder.rc, "recording an attempt", error);
          return FALSE;
        }
      if (!step (self, stmt, NULL, "recording an attempt", error))
        return FALSE;
    }
  return TRUE;
}

/**
 * ferry_task_store_update:
 * @self: a store
 * @tasks: (element-type FerryTask): stored tasks, found by id
 * @error: return location for an error
 *
 * Writes every field of each task except its identity (id, seq, owner,
 * group, creation time), all in one transaction.  The commit survives a
 * crash of the process; a power cut may lose the last few updates, which
 * then run again.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_NOT_FOUND (naming
 *   the id; nothing is written), %FERRY_ERROR_STORAGE_FULL or
 *   %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_update (FerryTaskStore  *self,
                         GPtrArray       *tasks,
                         GError         **error)
{
  g_auto(Transaction) txn = { NULL };

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ferry_task_store_update_with_attempts (self, tasks, NULL, error);
}

/**
 * ferry_task_store_update_with_attempts:
 * @self: a store
 * @tasks: (element-type FerryTask): tasks to write, as for
 *   ferry_task_store_update()
 * @records: (nullable) (element-type FerryAttemptRecord): attempts to add
 *   to their tasks' histories
 * @error: return location for an error
 *
 * Writes the outcome of a batch of attempts, tasks and history together,
 * in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing is written
 */
gboolean
ferry_task_store_update_with_attempts (FerryTaskStore  *self,
                                       GPtrArray       *tasks,
                                       GArray          *records,
                                       GError         **error)
{
  g_auto(Transaction) txn = { NULL };

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tasks->len == 0 && (records == NULL || records->len == 0))
    return TRUE;
  if (!begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, "updating tasks", error))
    return FALSE;
  if (!write_updates (self, STMT_UPDATE, tasks, error) ||
      !write_attempts (self, records, error))
    return FALSE;
  return commit_transaction (&txn, "updating tasks", error);
}

/**
 * ferry_task_store_update_outcomes:
 * @self: a store
 * @tasks: (element-type FerryTask): stored tasks, found by id
 * @records: (nullable) (element-type FerryAttemptRecord): attempts to add
 *   to their tasks' histories
 * @error: return location for an error
 *
 * As ferry_task_store_update_with_attempts(), writing only what running a
 * task changes: its state, attempts, next attempt, update time, last error
 * and status, response (status, headers, body) and failing-since time, and
 * the body and If-Match that settling a conflict may change.  The rest of
 * each stored request is left as it is, which spares encoding it again.
 *
 * Returns: %TRUE on success; on failure nothing is written
 */
gboolean
ferry_task_store_update_outcomes (FerryTaskStore  *self,
                                  GPtrArray       *tasks,
                                  GArray          *records,
                                  GError         **error)
{
  g_auto(Transaction) txn = { NULL };

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tasks->len == 0 && (records == NULL || records->len == 0))
    return TRUE;
  if (!begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, "updating tasks", error))
    return FALSE;
  if (!write_updates (self, STMT_UPDATE_OUTCOME, tasks, error) ||
      !write_attempts (self, records, error))
    return FALSE;
  return commit_transaction (&txn, "updating tasks", error);
}

/**
 * ferry_attempt_record_clear:
 * @record: a record
 *
 * Frees what @record owns (for g_array_set_clear_func()).
 */
void
ferry_attempt_record_clear (FerryAttemptRecord *record)
{
  g_clear_pointer (&record->error, g_free);
}

/**
 * ferry_task_store_log_attempts:
 * @self: a store
 * @records: (element-type FerryAttemptRecord): attempts to add to their
 *   tasks' histories
 * @error: return location for an error
 *
 * Appends to each task's history of attempts, in one transaction.  A
 * history goes when its task is pruned.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_task_store_log_attempts (FerryTaskStore  *self,
                               GArray          *records,
                               GError         **error)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  return ferry_task_store_update_with_attempts (self, none, records, error);
}

/**
 * ferry_task_store_dup_attempts:
 * @self: a store
 * @id: a task id
 * @limit: how many of the newest attempts at most
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FerryAttemptRecord): the task's
 *   attempts, oldest first (empty for an unknown task)
 */
GArray *
ferry_task_store_dup_attempts (FerryTaskStore  *self,
                               const char      *id,
                               guint            limit,
                               GError         **error)
{
  g_autoptr(CachedStmt) stmt = NULL;
  g_autoptr(GArray) records = NULL;
  Binder binder;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  records = g_array_new (FALSE, TRUE, sizeof (FerryAttemptRecord));
  g_array_set_clear_func (records, (GDestroyNotify) ferry_attempt_record_clear);
  stmt = borrow_stmt (self, STMT_SELECT_ATTEMPTS);
  binder = (Binder) { stmt, SQLITE_OK };
  bind_text (&binder, ":id", id);
  bind_int64 (&binder, ":limit", limit > 0 ? (gint64) limit : -1);
  for (;;)
    {
      FerryAttemptRecord record = { 0 };
      gboolean has_row;

      if (!step (self, stmt, &has_row, "reading attempts", error))
        return NULL;
      if (!has_row)
        break;
      record.at = sqlite3_column_int64 (stmt, 0);
      record.status = (guint) sqlite3_column_int64 (stmt, 1);
      record.error = dup_column_text (stmt, 2);
      g_array_prepend_val (records, record);
    }
  return g_steal_pointer (&records);
}

/* The stored task with id @id, without its payload. */
static FerryTask *
dup_task_by_id (FerryTaskStore  *self,
                const char      *id,
                GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_SELECT_BY_ID);
  Binder binder = { stmt, SQLITE_OK };
  gboolean has_row;

  bind_text (&binder, ":id", id);
  if (binder.rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, binder.rc, "reading a task", error);
      return NULL;
    }
  if (!step (self, stmt, &has_row, "reading a task", error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "no task with id “%s”", id);
      return NULL;
    }
  return read_light_row (stmt);
}

/**
 * ferry_task_store_dup_task:
 * @self: a store
 * @id: a task id
 * @error: return location for an error
 *
 * Reads the whole task, its payload (body, base, response body) included.
 *
 * Returns: (transfer full) (nullable): the stored task, or %NULL with
 *   %FERRY_ERROR_NOT_FOUND naming @id, or %FERRY_ERROR_STORE
 */
FerryTask *
ferry_task_store_dup_task (FerryTaskStore  *self,
                           const char      *id,
                           GError         **error)
{
  g_autoptr(FerryTask) task = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  task = dup_task_by_id (self, id, error);
  if (task == NULL || !load_payload (self, task, error))
    return NULL;
  return g_steal_pointer (&task);
}

/**
 * ferry_task_store_dup_task_light:
 * @self: a store
 * @id: a task id
 * @error: return location for an error
 *
 * Reads the task without its payload (see #FerryTask): what changing its
 * state or showing it in a list needs, however large its body.
 *
 * Returns: (transfer full) (nullable): the stored task, or %NULL with
 *   %FERRY_ERROR_NOT_FOUND naming @id, or %FERRY_ERROR_STORE
 */
FerryTask *
ferry_task_store_dup_task_light (FerryTaskStore  *self,
                                 const char      *id,
                                 GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return dup_task_by_id (self, id, error);
}

/**
 * ferry_task_store_list:
 * @self: a store
 * @filter: (nullable): which tasks; %NULL for all
 * @offset: how many matching tasks to skip
 * @limit: at most this many tasks; 0 for no limit
 * @error: return location for an error
 *
 * Lists tasks in a stable order (see #FerryTaskFilter), so pages taken
 * with @offset and @limit visit each task once while the set is unchanged.
 * The search is a substring match, case-insensitive for ASCII letters.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks,
 *   or %NULL with %FERRY_ERROR_STORE
 */
GPtrArray *
ferry_task_store_list (FerryTaskStore         *self,
                       const FerryTaskFilter  *filter,
                       guint                   offset,
                       guint                   limit,
                       GError                **error)
{
  static const FerryTaskFilter everything = { 0 };
  g_autoptr(CachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = borrow_filter_stmt (self, filter != NULL ? filter : &everything, FALSE, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                      limit == 0 ? -1 : (gint64) limit);

  tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  for (;;)
    {
      gboolean has_row;

      if (!step (self, stmt, &has_row, "listing tasks", error))
        return NULL;
      if (!has_row)
        break;
      g_ptr_array_add (tasks, read_light_row (stmt));
    }
  return g_steal_pointer (&tasks);
}

/**
 * ferry_task_store_count:
 * @self: a store
 * @filter: (nullable): which tasks; %NULL for all
 * @out_count: (out): how many tasks match
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_count (FerryTaskStore         *self,
                        const FerryTaskFilter  *filter,
                        guint                  *out_count,
                        GError                **error)
{
  static const FerryTaskFilter everything = { 0 };
  g_autoptr(CachedStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = borrow_filter_stmt (self, filter != NULL ? filter : &everything, TRUE, error);
  if (stmt == NULL)
    return FALSE;
  if (!step (self, stmt, &has_row, "counting tasks", error))
    return FALSE;
  g_assert (has_row);
  *out_count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * ferry_task_store_count_states:
 * @self: a store
 * @counts: (out caller-allocates): how many tasks are in each state,
 *   indexed by #FerryTaskState
 * @error: return location for an error
 *
 * Counts every state in one query.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_count_states (FerryTaskStore  *self,
                               guint            counts[FERRY_N_TASK_STATES],
                               GError         **error)
{
  g_autoptr(CachedStmt) stmt = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (counts, 0, sizeof (guint) * FERRY_N_TASK_STATES);
  stmt = borrow_stmt (self, STMT_COUNT_STATES);
  for (;;)
    {
      gboolean has_row;
      int state;

      if (!step (self, stmt, &has_row, "counting tasks", error))
        return FALSE;
      if (!has_row)
        break;
      state = sqlite3_column_int (stmt, 0);
      g_assert (state >= 0 && state < FERRY_N_TASK_STATES);
      counts[state] = (guint) sqlite3_column_int64 (stmt, 1);
    }
  return TRUE;
}

/* Reads body, base and response body of the stored task @task->seq. */
static gboolean
load_payload (FerryTaskStore  *self,
              FerryTask       *task,
              GError         **error)
{
  g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_SELECT_PAYLOAD);
  GBytes *parts[N_PARTS] = { NULL, };
  gboolean has_row = TRUE;
  gboolean ok = TRUE;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), task->seq);
  while (ok)
    {
      gint64 part;

      ok = step (self, stmt, &has_row, "reading a task's body", error);
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

static GPtrArray *
find_eligible (FerryTaskStore       *self,
               gint64                now,
               guint                 limit,
               FerryTaskAcceptFunc   accept,
               gpointer              user_data,
               gboolean              with_payload,
               GError              **error)
{
  g_autoptr(CachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) eligible = NULL;

  eligible = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  if (limit == 0)
    return g_steal_pointer (&eligible);

  stmt = borrow_stmt (self, STMT_NEXT_ELIGIBLE);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
  while (eligible->len < limit)
    {
      g_autoptr(FerryTask) candidate = NULL;
      gboolean has_row;

      if (!step (self, stmt, &has_row, "finding tasks to run", error))
        return NULL;
      if (!has_row)
        break;
      candidate = read_light_row (stmt);
      if (accept != NULL && !accept (candidate, user_data))
        continue;
      if (with_payload && !load_payload (self, candidate, error))
        return NULL;
      g_ptr_array_add (eligible, g_steal_pointer (&candidate));
    }
  return g_steal_pointer (&eligible);
}

/**
 * ferry_task_store_next_eligible:
 * @self: a store
 * @now: the current time (microseconds since the epoch)
 * @limit: at most this many tasks; 0 gives an empty array
 * @accept: (nullable) (scope call): says whether a candidate may run now
 * @user_data: closure for @accept
 * @error: return location for an error
 *
 * Finds the tasks to run next: pending tasks that are due (next attempt
 * and not-before passed, not expired) and head their group (no earlier
 * task of the group is pending, running, failed, in conflict or waiting
 * for credentials), higher priority first, then in enqueue order.
 *
 * The queue is walked through an index in that order and the walk stops
 * as soon as @limit candidates were accepted.  @accept sees each candidate
 * without its body, base and response body (those are read only for the
 * accepted ones), and must not call back into the store.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   in run order, or %NULL with %FERRY_ERROR_STORE
 */
GPtrArray *
ferry_task_store_next_eligible (FerryTaskStore       *self,
                                gint64                now,
                                guint                 limit,
                                FerryTaskAcceptFunc   accept,
                                gpointer              user_data,
                                GError              **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return find_eligible (self, now, limit, accept, user_data, TRUE, error);
}

/**
 * ferry_task_store_next_eligible_light:
 * @self: a store
 * @now: the current time (microseconds since the epoch)
 * @limit: at most this many tasks; 0 gives an empty array
 * @accept: (nullable) (scope call): says whether a candidate may run now
 * @user_data: closure for @accept
 * @error: return location for an error
 *
 * As ferry_task_store_next_eligible(), without reading any body, base or
 * response body: the tasks come without them (see
 * ferry_task_store_load_payload()), so a scheduler can look further ahead
 * than it sends at once without holding up to @limit bodies in memory.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   in run order, or %NULL with %FERRY_ERROR_STORE
 */
GPtrArray *
ferry_task_store_next_eligible_light (FerryTaskStore       *self,
                                      gint64                now,
                                      guint                 limit,
                                      FerryTaskAcceptFunc   accept,
                                      gpointer              user_data,
                                      GError              **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return find_eligible (self, now, limit, accept, user_data, FALSE, error);
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

  return load_payload (self, task, error);
}

/**
 * ferry_task_store_next_wakeup:
 * @self: a store
 * @now: the current time
 * @out_due: (out) (optional): the earliest time after @now at which a
 *   pending task that heads its group becomes due, %G_MAXINT64 when none
 * @error: return location for an error
 *
 * The earliest time after @now at which something changes without
 * anyone acting: a pending task that heads its group becomes due, or a
 * pending task expires.
 *
 * Returns: that time, %G_MAXINT64 when there is none, or 0 with
 *   %FERRY_ERROR_STORE
 */
gint64
ferry_task_store_next_wakeup (FerryTaskStore  *self,
                              gint64           now,
                              gint64          *out_due,
                              GError         **error)
{
  gint64 due;
  gint64 expiry;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!query_next_time (self, STMT_NEXT_DUE, now, &due, error) ||
      !query_next_time (self, STMT_NEXT_EXPIRY, now, &expiry, error))
    return 0;
  if (out_due != NULL)
    *out_due = due;
  return MIN (due, expiry);
}

static gboolean
has_expired (FerryTaskStore  *self,
             gint64           now,
             gboolean        *out_any,
             GError         **error)
{
  g_autoptr(CachedStmt) probe = borrow_stmt (self, STMT_ANY_EXPIRED);

  sqlite3_bind_int64 (probe, sqlite3_bind_parameter_index (probe, ":now"), now);
  return step (self, probe, out_any, "looking for expired tasks", error);
}

/**
 * ferry_task_store_has_expired:
 * @self: a store
 * @now: the current time
 * @out_any: (out): whether ferry_task_store_expire() would expire a task
 * @error: return location for an error
 *
 * Tells, with one read, whether a pending task's expiry has passed.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_has_expired (FerryTaskStore  *self,
                              gint64           now,
                              gboolean        *out_any,
                              GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (out_any != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return has_expired (self, now, out_any, error);
}

/**
 * ferry_task_store_last_delivery:
 * @self: a store
 * @now: the current time
 * @out_time: (out): when the newest delivered task still in the history
 *   was delivered, or 0 when there is none
 * @error: return location for an error
 *
 * Returns: %TRUE, or %FALSE with %FERRY_ERROR_STORE
 */
gboolean
ferry_task_store_last_delivery (FerryTaskStore  *self,
                                gint64           now,
                                gint64          *out_time,
                                GError         **error)
{
  gint64 when;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (out_time != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!query_next_time (self, STMT_LAST_DELIVERY, now, &when, error))
    return FALSE;
  *out_time = when == G_MAXINT64 ? 0 : when;
  return TRUE;
}

/**
 * ferry_task_store_expire:
 * @self: a store
 * @now: the current time
 * @error: return location for an error
 *
 * Fails every pending task whose expiry is set and not after @now, with
 * the last error "expired" and @now as update time.
 *
 * Returns: (transfer full) (element-type FerryTask) (nullable): the tasks
 *   that expired, as now stored, or %NULL with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
GPtrArray *
ferry_task_store_expire (FerryTaskStore  *self,
                         gint64           now,
                         GError         **error)
{
  g_auto(Transaction) txn = { NULL };
  g_autoptr(GPtrArray) expired = NULL;
  gboolean any;

  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  expired = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
  if (!has_expired (self, now, &any, error))
    return NULL;
  if (!any)
    return g_steal_pointer (&expired);

  if (!begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, "expiring tasks", error))
    return NULL;
  {
    g_autoptr(CachedStmt) stmt = borrow_stmt (self, STMT_EXPIRE);

    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now);
    for (;;)
      {
        gboolean has_row;

        if (!step (self, stmt, &has_row, "expiring tasks", error))
          return NULL;
        if (!has_row)
          break;
        g_ptr_array_add (expired, read_light_row (stmt));
      }
  }

  if (!commit_transaction (&txn, "expiring tasks", error))
    return NULL;
  return g_steal_pointer (&expired);
}

/**
 * ferry_task_store_recover_running:
 * @self: a store
 * @out_count: (out) (optional): how many tasks were recovered
 * @error: return location for an error
 *
 * Puts tasks left running (by a crash: nothing runs before the manager
 * starts) back to pending.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
gboolean
ferry_task_store_recover_running (FerryTaskStore  *self,
                                  guint           *out_count,
                                  GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_write (self, STMT_RECOVER_RUNNING, NULL, 0, out_count,
                    "recovering running tasks", error);
}

/**
 * ferry_task_store_make_due:
 * @self: a store
 * @now: the current time
 * @out_count: (out) (optional): how many tasks were waiting for a retry
 * @error: return location for an error
 *
 * Makes every pending task that waits for its next attempt due at @now (a
 * task's not-before time still holds).  Used when the person asks to sync
 * now, and when the network or the machine comes back.
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_task_store_make_due (FerryTaskStore  *self,
                           gint64           now,
                           guint           *out_count,
                           GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_write (self, STMT_MAKE_DUE, ":now", now, out_count, "making tasks due", error);
}

/**
 * ferry_task_store_prune:
 * @self: a store
 * @before: delete finished tasks last updated before this time
 * @out_count: (out) (optional): how many tasks were deleted
 * @error: return location for an error
 *
 * Deletes succeeded and cancelled tasks whose last update is older than
 * @before.  Tasks in any other state are never deleted.
 *
 * Returns: %TRUE on success; %FALSE with %FERRY_ERROR_STORE or
 *   %FERRY_ERROR_STORAGE_FULL
 */
gboolean
ferry_task_store_prune (FerryTaskStore  *self,
                        gint64           before,
                        guint           *out_count,
                        GError         **error)
{
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_write (self, STMT_PRUNE, ":before", before, out_count, "pruning tasks", error);
}
