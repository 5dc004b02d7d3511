/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-store"

#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-task-store-private.h"

/* Separates the owner from the group (or task id) in group_key; owners and
 * groups are labels, which ferry_task_validate() keeps free of controls. */
#define GROUP_KEY_SEPARATOR "\x1f"

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

/* The stored task with the given seq, its payload included: what
 * enqueue hands back for a task it replaced or kept. */
static FerryTask *
dup_task_by_seq (FerryTaskStore  *self,
                 gint64           seq,
                 GError         **error)
{
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_SELECT_BY_SEQ);
  g_autoptr(FerryTask) task = NULL;
  gboolean has_row;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), seq);
  if (!ferry_store_step (self, stmt, &has_row, "reading a task", error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "no task with seq %" G_GINT64_FORMAT, seq);
      return NULL;
    }
  task = ferry_store_read_light_row (stmt);
  if (!ferry_store_load_payload (self, task, error))
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
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_FIND_PENDING_NAME);
  Binder binder = { stmt, SQLITE_OK };
  gboolean has_row;

  ferry_store_bind_text (&binder, ":owner", owner);
  ferry_store_bind_text (&binder, ":name", name);
  if (binder.rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, binder.rc, "looking up a task name", error);
      return FALSE;
    }
  if (!ferry_store_step (self, stmt, &has_row, "looking up a task name", error))
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
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_REPLACE_PAYLOAD);
  g_autofree char *fresh_key = g_uuid_string_random ();
  int rc;

  rc = ferry_store_bind_task (self, STMT_REPLACE_PAYLOAD, stmt, task, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":seq"), seq);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fresh_key"), fresh_key,
                            -1, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, "replacing a task", error);
      return NULL;
    }
  if (!ferry_store_step (self, stmt, NULL, "replacing a task", error))
    return NULL;
  g_clear_pointer (&stmt, ferry_store_release_stmt);
  {
    g_autoptr(FerryTask) with_seq = ferry_task_copy (task);

    with_seq->seq = seq;
    rc = ferry_store_write_payload (self, with_seq, PARTS_REQUEST, FALSE);
  }
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, "replacing a task's body", error);
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
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_INSERT);
  g_autoptr(FerryTask) stored = ferry_task_copy (task);
  g_autofree char *group_key = NULL;
  int rc;

  g_free (stored->id);
  stored->id = g_uuid_string_random ();
  if (stored->idempotency_key == NULL)
    stored->idempotency_key = g_uuid_string_random ();
  group_key = dup_group_key (self, stored);

  rc = ferry_store_bind_task (self, STMT_INSERT, stmt, stored, group_key);
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, "adding a task", error);
      return NULL;
    }
  if (!ferry_store_step (self, stmt, NULL, "adding a task", error))
    return NULL;
  stored->seq = sqlite3_last_insert_rowid (self->db);
  if (stored->body != NULL || stored->base != NULL || stored->response_body != NULL)
    {
      rc = ferry_store_write_payload (self, stored, PARTS_ALL, FALSE);
      if (rc != SQLITE_OK)
        {
          ferry_database_set_error (self->db, rc, "adding a task's body", error);
          return NULL;
        }
    }
  stored->body_size = ferry_task_get_body_size (stored);
  return g_steal_pointer (&stored);
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
  if (!ferry_database_migrate (self->database, "tasks", ferry_store_migrations,
                               ferry_store_n_migrations, FERRY_DATABASE_PART_USER_VERSION, error))
    return FALSE;

  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      self->stmts[i] = ferry_store_prepare (self, ferry_store_statement_sql[i], error);
      if (self->stmts[i] == NULL)
        return FALSE;
      for (guint p = 0; p < N_TASK_PARAMS; p++)
        self->task_params[i][p] = sqlite3_bind_parameter_index (self->stmts[i],
                                                                ferry_store_task_param_names[p]);
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

  if (!ferry_store_begin_transaction (self, &txn, SYNCHRONOUS_FULL, what, error))
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

  if (!ferry_store_commit_transaction (&txn, what, error))
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
      g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, which);
      int rc;

      g_return_val_if_fail (task != NULL && task->id != NULL, FALSE);

      rc = ferry_store_bind_task (self, which, stmt, task, NULL);
      if (rc != SQLITE_OK)
        {
          ferry_database_set_error (self->db, rc, "updating a task", error);
          return FALSE;
        }
      if (!ferry_store_step (self, stmt, NULL, "updating a task", error))
        return FALSE;
      if (sqlite3_changes (self->db) == 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                       "no task with id “%s”", task->id);
          return FALSE;
        }
      rc = ferry_store_write_payload (self, task,
                                      which == STMT_UPDATE_OUTCOME ? PARTS_OUTCOME : PARTS_ALL,
                                      TRUE);
      if (rc != SQLITE_OK)
        {
          ferry_database_set_error (self->db, rc, "updating a task's body", error);
          return FALSE;
        }
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

/* Writes @tasks with @stmt and @records to their histories, in one
 * transaction. */
static gboolean
update_in_one_transaction (FerryTaskStore  *self,
                           Statement        stmt,
                           GPtrArray       *tasks,
                           GArray          *records,
                           GError         **error)
{
  g_auto(Transaction) txn = { NULL };

  if (tasks->len == 0 && (records == NULL || records->len == 0))
    return TRUE;
  if (!ferry_store_begin_transaction (self, &txn, SYNCHRONOUS_NORMAL, "updating tasks", error))
    return FALSE;
  if (!write_updates (self, stmt, tasks, error) ||
      !ferry_store_write_attempts (self, records, error))
    return FALSE;
  return ferry_store_commit_transaction (&txn, "updating tasks", error);
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
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_in_one_transaction (self, STMT_UPDATE, tasks, records, error);
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
  g_return_val_if_fail (FERRY_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_in_one_transaction (self, STMT_UPDATE_OUTCOME, tasks, records, error);
}

/* The stored task with id @id, without its payload. */
static FerryTask *
dup_task_by_id (FerryTaskStore  *self,
                const char      *id,
                GError         **error)
{
  g_autoptr(CachedStmt) stmt = ferry_store_borrow_stmt (self, STMT_SELECT_BY_ID);
  Binder binder = { stmt, SQLITE_OK };
  gboolean has_row;

  ferry_store_bind_text (&binder, ":id", id);
  if (binder.rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, binder.rc, "reading a task", error);
      return NULL;
    }
  if (!ferry_store_step (self, stmt, &has_row, "reading a task", error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "no task with id “%s”", id);
      return NULL;
    }
  return ferry_store_read_light_row (stmt);
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
  if (task == NULL || !ferry_store_load_payload (self, task, error))
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
