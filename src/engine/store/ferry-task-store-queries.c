/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store-queries"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-task-store-private.h"

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

/* The SQL that counts the tasks in @states (every one when @every_state)
 * that meet @conditions. */
static void
append_count_sql (GString    *sql,
                  guint       states,
                  gboolean    every_state,
                  const char *conditions)
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
  g_string_append (sql, conditions);
}

/* The SQL that reads one page of the tasks in @states (every one when
 * @every_state) that meet @conditions, in @filter's order. */
static void
append_list_sql (GString               *sql,
                 const FerryTaskFilter *filter,
                 guint                  states,
                 gboolean               every_state,
                 const char            *conditions)
{
  const guint all_states = (1u << FERRY_N_TASK_STATES) - 1;
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
                              conditions);
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
                              keys, state, conditions);
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
    append_count_sql (sql, states, every_state, conditions->str);
  else
    append_list_sql (sql, filter, states, every_state, conditions->str);

  stmt = g_hash_table_lookup (self->filter_stmts, sql->str);
  if (stmt == NULL)
    {
      stmt = ferry_store_prepare (self, sql->str, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (self->filter_stmts, g_strdup (sql->str), stmt);
    }
  g_assert (!sqlite3_stmt_busy (stmt));

  binder = (Binder) { stmt, SQLITE_OK };
  ferry_store_bind_text (&binder, ":owner", filter->owner);
  ferry_store_bind_text (&binder, ":name", filter->name);
  ferry_store_bind_text (&binder, ":group", filter->group);
  if (filter->search != NULL)
    {
      g_autofree char *pattern = dup_like_pattern (filter->search);

      ferry_store_bind_text (&binder, ":search", pattern);
    }
  if (binder.rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, binder.rc, "binding a filter", error);
      ferry_store_release_stmt (stmt);
      return NULL;
    }
  return stmt;
}

/* Appends @records to their tasks' histories inside the caller's
 * transaction. */
gboolean
ferry_store_write_attempts (FerryTaskStore  *self,
                            GArray          *records,
                            GError         **error)
{
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const FerryAttemptRecord *record = &g_array_index (records, FerryAttemptRecord, i);
      g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_LOG_ATTEMPT);
      Binder binder = { stmt, SQLITE_OK };

      ferry_store_bind_int64 (&binder, ":seq", record->seq);
      ferry_store_bind_int64 (&binder, ":at", record->at);
      ferry_store_bind_int64 (&binder, ":status", record->status);
      ferry_store_bind_text (&binder, ":error", record->error);
      if (binder.rc != SQLITE_OK)
        {
          ferry_database_set_error (self->db, binder.rc, "recording an attempt", error);
          return FALSE;
        }
      if (!ferry_store_step (self, stmt, NULL, "recording an attempt", error))
        return FALSE;
    }
  return TRUE;
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
  stmt = ferry_store_borrow_stmt (self, STMT_SELECT_ATTEMPTS);
  binder = (Binder) { stmt, SQLITE_OK };
  ferry_store_bind_text (&binder, ":id", id);
  ferry_store_bind_int64 (&binder, ":limit", limit > 0 ? (gint64) limit : -1);
  for (;;)
    {
      FerryAttemptRecord record = { 0 };
      gboolean has_row;

      if (!ferry_store_step (self, stmt, &has_row, "reading attempts", error))
        return NULL;
      if (!has_row)
        break;
      record.at = sqlite3_column_int64 (stmt, 0);
      record.status = (guint) sqlite3_column_int64 (stmt, 1);
      record.error = ferry_store_dup_column_text (stmt, 2);
      g_array_prepend_val (records, record);
    }
  return g_steal_pointer (&records);
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

      if (!ferry_store_step (self, stmt, &has_row, "listing tasks", error))
        return NULL;
      if (!has_row)
        break;
      g_ptr_array_add (tasks, ferry_store_read_light_row (stmt));
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
  if (!ferry_store_step (self, stmt, &has_row, "counting tasks", error))
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
  stmt = ferry_store_borrow_stmt (self, STMT_COUNT_STATES);
  for (;;)
    {
      gboolean has_row;
      int state;

      if (!ferry_store_step (self, stmt, &has_row, "counting tasks", error))
        return FALSE;
      if (!has_row)
        break;
      state = sqlite3_column_int (stmt, 0);
      g_assert (state >= 0 && state < FERRY_N_TASK_STATES);
      counts[state] = (guint) sqlite3_column_int64 (stmt, 1);
    }
  return TRUE;
}
