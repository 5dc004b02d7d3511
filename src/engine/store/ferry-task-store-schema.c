/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store-schema"

#include "config.h"

#include "ferry-error.h"
#include "ferry-task-store-private.h"

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
const char * const ferry_store_migrations[] = {
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

const guint ferry_store_n_migrations = G_N_ELEMENTS (ferry_store_migrations);
