/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "ferry-database.h"
#include "ferry-task-store.h"

G_BEGIN_DECLS

/*
 * What the task store's files share: the table's columns, the prepared
 * statements, the store's fields and the helpers that bind, step and read
 * them.  Not installed, not public: the API is ferry-task-store.h.
 */

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

extern const char * const ferry_store_column_names[];

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
  STMT_PAYLOAD_SIZE,
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

extern const char * const ferry_store_statement_sql[];

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

extern const char * const ferry_store_task_param_names[];

extern const char * const ferry_store_migrations[];
extern const guint ferry_store_n_migrations;

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

/* A prepared statement on loan: the cleanup resets it and drops its
 * bindings, so no exit path leaves it busy or pointing at freed memory. */
typedef sqlite3_stmt CachedStmt;

void ferry_store_release_stmt (CachedStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, ferry_store_release_stmt)

/* An open write transaction that rolls back unless committed. */
typedef struct
{
  FerryTaskStore *store;  /* borrowed; NULL when none was begun */
} Transaction;

void ferry_store_end_transaction (Transaction *txn);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Transaction, ferry_store_end_transaction)

/* Binding by parameter name: each statement names the task fields it
 * uses, and one function binds them all.  The first failure sticks. */
typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;
} Binder;

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

/* ferry-task-store-sql.c */
CachedStmt *ferry_store_borrow_stmt (FerryTaskStore *self,
                                     Statement       which);
gboolean ferry_store_step (FerryTaskStore  *self,
                           sqlite3_stmt    *stmt,
                           gboolean        *has_row,
                           const char      *what,
                           GError         **error);
gboolean ferry_store_begin_transaction (FerryTaskStore  *self,
                                        Transaction     *txn,
                                        Synchronous      synchronous,
                                        const char      *what,
                                        GError         **error);
gboolean ferry_store_commit_transaction (Transaction  *txn,
                                         const char   *what,
                                         GError      **error);
void ferry_store_bind_text (Binder     *binder,
                            const char *name,
                            const char *value);
void ferry_store_bind_int64 (Binder     *binder,
                             const char *name,
                             gint64      value);
int ferry_store_bind_task (FerryTaskStore  *self,
                           Statement        which,
                           sqlite3_stmt    *stmt,
                           const FerryTask *task,
                           const char      *group_key);
char *ferry_store_dup_column_text (sqlite3_stmt *stmt,
                                   int           col);
FerryTask *ferry_store_read_light_row (sqlite3_stmt *stmt);
sqlite3_stmt *ferry_store_prepare (FerryTaskStore  *self,
                                   const char      *template,
                                   GError         **error);
gboolean ferry_store_query_next_time (FerryTaskStore  *self,
                                      Statement        which,
                                      gint64           now,
                                      gint64          *out_time,
                                      GError         **error);
gboolean ferry_store_run_write (FerryTaskStore  *self,
                                Statement        which,
                                const char      *param,
                                gint64           value,
                                guint           *out_count,
                                const char      *what,
                                GError         **error);

/* ferry-task-store-payload.c */
int ferry_store_write_payload (FerryTaskStore  *self,
                               const FerryTask *task,
                               guint            parts,
                               gboolean         by_id);
gboolean ferry_store_load_payload (FerryTaskStore  *self,
                                   FerryTask       *task,
                                   GError         **error);

/* ferry-task-store-queries.c */
gboolean ferry_store_write_attempts (FerryTaskStore  *self,
                                     GArray          *records,
                                     GError         **error);

G_END_DECLS
