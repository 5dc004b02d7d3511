/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ferry-database.h"
#include "ferry-error.h"
#include "ferry-sqlite-private.h"

/*
 * FerryDatabase owns Ferry's one SQLite connection: it makes the file
 * private, checks it, moves a corrupt one aside, turns on write-ahead
 * logging and full synchronous commits, and brings each part's schema up to
 * date.  The parts that keep data (tasks, collections, files) each prepare
 * their own statements on the shared handle.
 *
 * Every part has its own schema version, in the `schema_parts` table, and
 * its own list of forward migrations: entry N takes the part from version N
 * to N + 1.  A part adds a migration without touching the others, and a
 * database gains a part by running that part's migrations from 0.
 */

#define BUSY_TIMEOUT_MS   5000
#define WAL_SIZE_LIMIT    "67108864"

struct _FerryDatabase
{
  GObject  parent_instance;

  /* owned */
  char    *path;
  sqlite3 *db;
};

static void ferry_database_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryDatabase, ferry_database, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ferry_database_initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_storage_full (sqlite3 *db,
                 int      rc,
                 int      saved_errno)
{
  int sys_errno;

  if ((rc & 0xff) == SQLITE_FULL)
    return TRUE;
  if ((rc & 0xff) != SQLITE_IOERR)
    return FALSE;
  /* A write refused for want of space (ENOSPC), by RLIMIT_FSIZE (EFBIG)
   * or by a quota (EDQUOT) arrives as an I/O error.  SQLite records the
   * system error only for failures inside a statement; a failed COMMIT
   * leaves sqlite3_system_errno() at 0 while errno still holds the code of
   * the failed write, so that is the fallback. */
  sys_errno = sqlite3_system_errno (db);
  if (sys_errno == 0)
    sys_errno = saved_errno;
  return sys_errno == ENOSPC || sys_errno == EFBIG || sys_errno == EDQUOT;
}

/**
 * ferry_database_set_error:
 * @db: (nullable): the connection the failure happened on
 * @rc: what SQLite returned
 * @what: what was being done, for the message
 * @error: return location for the error
 *
 * The one place SQLite failures become GErrors: %FERRY_ERROR_STORAGE_FULL
 * when the disk (or a quota) is full, else %FERRY_ERROR_STORE.  Call it
 * right after the failing SQLite call, before anything else can change
 * errno.
 */
void
ferry_database_set_error (sqlite3     *db,
                          int          rc,
                          const char  *what,
                          GError     **error)
{
  int saved_errno = errno;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  if (db != NULL && is_storage_full (db, rc, saved_errno))
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORAGE_FULL,
                 "disk full: %s: %s", what, message);
  else
    g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORE, "%s: %s", what, message);
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *what,
              const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Creates @path if missing, with mode 0600 from the start so the data is
 * never readable by others, and narrows the mode of an existing file. */
static gboolean
ensure_private_file (const char  *path,
                     gboolean     create,
                     GError     **error)
{
  struct stat st;
  int fd;

  fd = g_open (path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
  if (fd < 0)
    {
      if (!create && errno == ENOENT)
        return TRUE;
      return set_io_error (error, errno, "Could not open", path);
    }
  if (fstat (fd, &st) != 0 || ((st.st_mode & 0777) != 0600 && fchmod (fd, 0600) != 0))
    {
      int saved_errno = errno;

      close (fd);
      return set_io_error (error, saved_errno, "Could not make private", path);
    }
  close (fd);
  return TRUE;
}

typedef enum {
  OPEN_OK,
  OPEN_CORRUPT,
  OPEN_FAILED,
} OpenResult;

static gboolean
is_corruption (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

/* Opens the connection and checks the file.  Corruption is reported as
 * OPEN_CORRUPT with the connection closed and @error untouched. */
static OpenResult
try_open (FerryDatabase  *self,
          GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);
  const char *result;
  int rc;

  if (!ensure_private_file (self->path, TRUE, error) ||
      !ensure_private_file (wal, FALSE, error) ||
      !ensure_private_file (shm, FALSE, error))
    return OPEN_FAILED;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, "opening the database", error);
      g_clear_pointer (&self->db, sqlite3_close);
      return OPEN_FAILED;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first statement reads the header: a file that is not a database
   * fails here, a damaged one fails or gets a report other than "ok". */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      result = (const char *) sqlite3_column_text (stmt, 0);
      if (g_strcmp0 (result, "ok") == 0)
        return OPEN_OK;
      g_debug ("%s: quick_check says: %s", self->path, result);
    }
  else if (!is_corruption (rc))
    {
      ferry_database_set_error (self->db, rc, "checking the database", error);
      g_clear_pointer (&stmt, sqlite3_finalize);
      g_clear_pointer (&self->db, sqlite3_close);
      return OPEN_FAILED;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  return OPEN_CORRUPT;
}

/* Moves a corrupt database and its WAL and shared-memory files aside, to
 * names SQLite still recognises as one database, so nothing the person
 * had is lost and an expert can still try to recover it. */
static gboolean
move_aside (FerryDatabase  *self,
            GError        **error)
{
  static const char * const suffixes[] = { "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);

  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, n);
    }

  /* WAL first: a WAL left next to a fresh database would be replayed
   * into it. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        return set_io_error (error, errno, "Could not move aside", from);
    }
  if (g_rename (self->path, aside) != 0)
    return set_io_error (error, errno, "Could not move aside", self->path);

  g_warning ("Database %s is corrupt; moved it to %s and starting with an empty queue",
             self->path, aside);
  return TRUE;
}

static gboolean
configure (FerryDatabase  *self,
           GError        **error)
{
  g_autofree char *mode = NULL;

  if (!ferry_database_query_single (self, "PRAGMA journal_mode = WAL", &mode, NULL, error))
    return FALSE;
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORE,
                   "%s: could not switch to write-ahead logging (journal mode is %s)",
                   self->path, mode != NULL ? mode : "unknown");
      return FALSE;
    }
  /* After a checkpoint, cut the WAL back instead of keeping the size of
   * the largest batch ever written. */
  return ferry_database_exec (self, "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT,
                              "configuring", error) &&
         ferry_database_exec (self, "PRAGMA synchronous = FULL", "configuring", error) &&
         ferry_database_exec (self,
                              "CREATE TABLE IF NOT EXISTS schema_parts ("
                              "  part    TEXT    PRIMARY KEY,"
                              "  version INTEGER NOT NULL"
                              ") WITHOUT ROWID",
                              "configuring", error);
}

static gboolean
ferry_database_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  FerryDatabase *self = FERRY_DATABASE (initable);
  g_autofree char *dir = NULL;
  OpenResult result;

  g_return_val_if_fail (self->path != NULL, FALSE);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_io_error (error, errno, "Could not create", dir);

  result = try_open (self, error);
  if (result == OPEN_CORRUPT)
    {
      if (!move_aside (self, error))
        return FALSE;
      result = try_open (self, error);
      if (result == OPEN_CORRUPT)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORE,
                       "%s: a new database is unreadable", self->path);
          return FALSE;
        }
    }
  if (result != OPEN_OK)
    return FALSE;
  return configure (self, error);
}

static void
ferry_database_initable_iface_init (GInitableIface *iface)
{
  iface->init = ferry_database_initable_init;
}

static void
ferry_database_finalize (GObject *object)
{
  FerryDatabase *self = FERRY_DATABASE (object);

  if (self->db != NULL)
    {
      /* Whatever statements a part still holds, the close waits for. */
      int rc = sqlite3_close_v2 (self->db);

      if (rc != SQLITE_OK)
        g_warning ("%s: closing the database: %s", self->path, sqlite3_errstr (rc));
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ferry_database_parent_class)->finalize (object);
}

static void
ferry_database_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryDatabase *self = FERRY_DATABASE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_database_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryDatabase *self = FERRY_DATABASE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_assert (self->path == NULL);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_database_class_init (FerryDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_database_finalize;
  object_class->get_property = ferry_database_get_property;
  object_class->set_property = ferry_database_set_property;

  /**
   * FerryDatabase:path:
   *
   * The database file.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_database_init (FerryDatabase *self)
{
}

/**
 * ferry_database_new:
 * @path: the database file; it and its folder are made if missing
 * @error: return location for an error
 *
 * Opens the database: private to the user (mode 0600, the WAL too),
 * checked, with write-ahead logging and full synchronous commits.  A
 * corrupt file is moved aside (`<path>.corrupt-<time>`) with a warning and
 * an empty database takes its place.  No part's schema is made yet: each
 * part calls ferry_database_migrate().
 *
 * Returns: (transfer full) (nullable): the database, or %NULL with @error
 *   set (%FERRY_ERROR_STORE, %FERRY_ERROR_STORAGE_FULL, or a %G_IO_ERROR
 *   for the file system)
 */
FerryDatabase *
ferry_database_new (const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (FERRY_TYPE_DATABASE, NULL, error, "path", path, NULL);
}

/**
 * ferry_database_get_path:
 * @self: a database
 *
 * Returns: the database file
 */
const char *
ferry_database_get_path (FerryDatabase *self)
{
  g_return_val_if_fail (FERRY_IS_DATABASE (self), NULL);

  return self->path;
}

/**
 * ferry_database_get_handle:
 * @self: a database
 *
 * Returns: (transfer none): the connection, for the parts to prepare their
 *   statements on; it lives as long as @self
 */
sqlite3 *
ferry_database_get_handle (FerryDatabase *self)
{
  g_return_val_if_fail (FERRY_IS_DATABASE (self), NULL);

  return self->db;
}

/**
 * ferry_database_exec:
 * @self: a database
 * @sql: statements without results
 * @what: what they do, for an error message
 * @error: return location for an error
 *
 * Returns: whether all of @sql ran
 */
gboolean
ferry_database_exec (FerryDatabase  *self,
                     const char     *sql,
                     const char     *what,
                     GError        **error)
{
  int rc;

  g_return_val_if_fail (FERRY_IS_DATABASE (self), FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      ferry_database_set_error (self->db, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_database_query_single:
 * @self: a database
 * @sql: a statement that returns at most one row of one column
 * @out_text: (out) (optional) (nullable): the value as text, %NULL when
 *   there is no row
 * @out_int: (out) (optional): the value as an integer, 0 when there is no
 *   row
 * @error: return location for an error
 *
 * Returns: whether the statement ran
 */
gboolean
ferry_database_query_single (FerryDatabase  *self,
                             const char     *sql,
                             char          **out_text,
                             gint64         *out_int,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (FERRY_IS_DATABASE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ferry_database_set_error (self->db, rc, sql, error);
      return FALSE;
    }
  if (out_text != NULL)
    *out_text = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
                ? g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;
  if (out_int != NULL)
    *out_int = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* The version of @part; 0 when it has none yet.  With
 * FERRY_DATABASE_PART_USER_VERSION, user_version is what counts (the
 * versions table mirrors it), as it did before there were parts. */
static gboolean
read_part_version (FerryDatabase           *self,
                   const char              *part,
                   FerryDatabasePartFlags   flags,
                   gint64                  *out_version,
                   GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (flags & FERRY_DATABASE_PART_USER_VERSION)
    return ferry_database_query_single (self, "PRAGMA user_version", NULL, out_version, error);

  rc = sqlite3_prepare_v2 (self->db, "SELECT version FROM schema_parts WHERE part = ?1", -1,
                           &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, part, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_version = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      ferry_database_set_error (self->db, rc, "reading a schema version", error);
      return FALSE;
    }
  *out_version = 0;
  return TRUE;
}

static gboolean
write_part_version (FerryDatabase           *self,
                    const char              *part,
                    FerryDatabasePartFlags   flags,
                    gint64                   version,
                    GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO schema_parts (part, version) VALUES (?1, ?2)"
                           " ON CONFLICT (part) DO UPDATE SET version = excluded.version",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, part, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 2, version);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      ferry_database_set_error (self->db, rc, "writing a schema version", error);
      return FALSE;
    }
  if (flags & FERRY_DATABASE_PART_USER_VERSION)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT,
                                              version);

      return ferry_database_exec (self, sql, "writing a schema version", error);
    }
  return TRUE;
}

/**
 * ferry_database_get_part_version:
 * @self: a database
 * @part: a part's name
 * @error: return location for an error
 *
 * Returns: the schema version of @part (0 when it has none yet), or -1
 *   with @error set
 */
gint64
ferry_database_get_part_version (FerryDatabase  *self,
                                 const char     *part,
                                 GError        **error)
{
  gint64 version = 0;

  g_return_val_if_fail (FERRY_IS_DATABASE (self), -1);
  g_return_val_if_fail (part != NULL, -1);

  if (!read_part_version (self, part, FERRY_DATABASE_PART_NONE, &version, error))
    return -1;
  return version;
}

/**
 * ferry_database_migrate:
 * @self: a database
 * @part: the part's name, e.g. "tasks"
 * @steps: (array length=n_steps): the part's forward migrations: entry N
 *   takes it from version N to N + 1
 * @n_steps: how many there are, which is the part's current version
 * @flags: how the part keeps its version
 * @error: return location for an error
 *
 * Brings @part's schema to version @n_steps, one step per transaction.
 * Each step reads the version inside its write transaction, so two
 * processes opening at once cannot both run it.  A version newer than
 * @n_steps (a newer Ferry wrote it) is an error and changes nothing.
 *
 * Returns: whether the part is up to date
 */
gboolean
ferry_database_migrate (FerryDatabase           *self,
                        const char              *part,
                        const char * const      *steps,
                        guint                    n_steps,
                        FerryDatabasePartFlags   flags,
                        GError                 **error)
{
  g_return_val_if_fail (FERRY_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (part != NULL, FALSE);
  g_return_val_if_fail (steps != NULL || n_steps == 0, FALSE);

  for (;;)
    {
      gint64 version = 0;

      if (!ferry_database_exec (self, "BEGIN IMMEDIATE", "starting a migration", error))
        return FALSE;
      if (!read_part_version (self, part, flags, &version, error))
        {
          ferry_database_exec (self, "ROLLBACK", "rolling back", NULL);
          return FALSE;
        }
      if (version == n_steps)
        return ferry_database_exec (self, "COMMIT", "reading the schema version", error);
      if (version < 0 || version > n_steps)
        {
          ferry_database_exec (self, "ROLLBACK", "rolling back", NULL);
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_STORE,
                       "%s: schema version %" G_GINT64_FORMAT " of %s is newer than this "
                       "version of Ferry knows (%u)", self->path, version, part, n_steps);
          return FALSE;
        }

      g_debug ("Migrating %s of %s from schema version %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
               part, self->path, version, version + 1);
      if (!ferry_database_exec (self, steps[version], "migrating the schema", error) ||
          !write_part_version (self, part, flags, version + 1, error) ||
          !ferry_database_exec (self, "COMMIT", "migrating the schema", error))
        {
          if (!sqlite3_get_autocommit (self->db))
            ferry_database_exec (self, "ROLLBACK", "rolling back", NULL);
          return FALSE;
        }
    }
}

/**
 * ferry_database_release_memory:
 * @self: a database
 *
 * Gives back the memory SQLite keeps to spare reads (its page cache), for
 * when the agent has been idle a while: the pages come back from the
 * file system's cache when they are read again.
 */
void
ferry_database_release_memory (FerryDatabase *self)
{
  g_return_if_fail (FERRY_IS_DATABASE (self));

  sqlite3_db_release_memory (self->db);
}
