/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "ferry-database.h"
#include "ferry-error.h"
#include "ferry-task-store.h"

/*
 * The shared database: parts keep their own schema versions and
 * migrations, side by side in one file.
 */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ferry-database-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "ferry.db", NULL);
}

static void
remove_all (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_all (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static const char * const notes_v1[] = {
  "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT);",
};

static const char * const notes_v2[] = {
  "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT);",
  "ALTER TABLE notes ADD COLUMN tag TEXT;",
};

static const char * const photos_v1[] = {
  "CREATE TABLE photos (id TEXT PRIMARY KEY);",
};

static gint64
count_rows (FerryDatabase *database,
            const char    *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_true (ferry_database_query_single (database, sql, NULL, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* Two parts migrate on their own: a part that gains a step runs that step
 * only, and a part added later starts from 0 beside the others. */
static void
test_parts (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDatabase) database = NULL;

  database = ferry_database_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_database_get_part_version (database, "notes", &error), ==, 0);
  g_assert_true (ferry_database_migrate (database, "notes", notes_v1, G_N_ELEMENTS (notes_v1),
                                         FERRY_DATABASE_PART_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_database_exec (database, "INSERT INTO notes VALUES ('a', 'x')", "adding",
                                      &error));
  g_clear_object (&database);

  /* Reopened by a newer build: notes gains a column, photos appears. */
  database = ferry_database_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_database_get_part_version (database, "notes", &error), ==, 1);
  g_assert_true (ferry_database_migrate (database, "notes", notes_v2, G_N_ELEMENTS (notes_v2),
                                         FERRY_DATABASE_PART_NONE, &error));
  g_assert_true (ferry_database_migrate (database, "photos", photos_v1,
                                         G_N_ELEMENTS (photos_v1), FERRY_DATABASE_PART_NONE,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (ferry_database_get_part_version (database, "notes", &error), ==, 2);
  g_assert_cmpint (ferry_database_get_part_version (database, "photos", &error), ==, 1);
  g_assert_cmpint (count_rows (database, "SELECT count(*) FROM notes WHERE tag IS NULL"), ==, 1);
  g_assert_cmpint (count_rows (database, "SELECT count(*) FROM photos"), ==, 0);
  /* A part of its own does not touch the tasks' user_version. */
  g_assert_cmpint (count_rows (database, "PRAGMA user_version"), ==, 0);
}

/* A part's version newer than this build knows is refused, and nothing
 * changes. */
static void
test_newer_part (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDatabase) database = NULL;

  database = ferry_database_new (fixture->path, &error);
  g_assert_true (ferry_database_migrate (database, "notes", notes_v2, G_N_ELEMENTS (notes_v2),
                                         FERRY_DATABASE_PART_NONE, &error));
  g_assert_false (ferry_database_migrate (database, "notes", notes_v1, G_N_ELEMENTS (notes_v1),
                                          FERRY_DATABASE_PART_NONE, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "notes"));
  g_clear_error (&error);
  g_assert_cmpint (ferry_database_get_part_version (database, "notes", &error), ==, 2);
}

/* A step that fails leaves the part at its last good version, and the
 * error names what failed. */
static void
test_failed_step (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const broken[] = {
    "CREATE TABLE notes (id TEXT PRIMARY KEY);",
    "CREATE TABLE notes (id TEXT PRIMARY KEY);",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDatabase) database = NULL;

  database = ferry_database_new (fixture->path, &error);
  g_assert_false (ferry_database_migrate (database, "notes", broken, G_N_ELEMENTS (broken),
                                          FERRY_DATABASE_PART_NONE, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_clear_error (&error);
  g_assert_cmpint (ferry_database_get_part_version (database, "notes", &error), ==, 1);
}

/* The task store on a shared database: its tables and another part's live
 * in one file, and its version is kept in user_version too. */
static void
test_task_store_shares (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryDatabase) database = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  gint64 tasks_version;

  database = ferry_database_new (fixture->path, &error);
  g_assert_no_error (error);
  store = ferry_task_store_new_for_database (database, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_task_store_get_database (store) == database);
  g_assert_cmpstr (ferry_task_store_get_path (store), ==, fixture->path);
  g_assert_true (ferry_database_migrate (database, "photos", photos_v1,
                                         G_N_ELEMENTS (photos_v1), FERRY_DATABASE_PART_NONE,
                                         &error));
  tasks_version = ferry_database_get_part_version (database, "tasks", &error);
  g_assert_cmpint (tasks_version, >, 0);
  g_assert_cmpint (count_rows (database, "PRAGMA user_version"), ==, tasks_version);
  g_assert_cmpint (count_rows (database, "SELECT count(*) FROM tasks"), ==, 0);

  /* The store keeps the database open after the caller lets go. */
  g_clear_object (&database);
  g_assert_cmpint (count_rows (ferry_task_store_get_database (store),
                               "SELECT count(*) FROM photos"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/database/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("parts", test_parts);
  ADD ("newer-part", test_newer_part);
  ADD ("failed-step", test_failed_step);
  ADD ("task-store-shares", test_task_store_shares);
#undef ADD

  return g_test_run ();
}
