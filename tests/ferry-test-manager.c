/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-test-manager"

#include "config.h"

#include <string.h>

#include "ferry-test-manager.h"

/**
 * ferry_test_manager_set_up:
 * @self: a zeroed fixture
 * @clock: (transfer full) (nullable): the clock the manager is to use, or
 *   %NULL for its own
 *
 * Makes the directory and the monitors; ferry_test_manager_open() then
 * makes the engine.
 */
void
ferry_test_manager_set_up (FerryTestManager *self,
                           FerryClock       *clock)
{
  self->dir = ferry_test_make_temp_dir ();
  self->network = ferry_test_network_monitor_new ();
  ferry_test_network_monitor_set_state (self->network, TRUE, G_NETWORK_CONNECTIVITY_FULL, FALSE);
  self->power = ferry_test_power_monitor_new ();
  self->clock = clock;
}

/**
 * ferry_test_manager_open:
 * @self: a fixture set up, with no manager
 * @executor: (transfer full) (nullable): the executor the manager is to
 *   use, or %NULL for its own
 *
 * Opens the store (`tasks.db` in the fixture's directory, created or
 * reopened) and makes the connectivity and the manager on it, not started.
 */
void
ferry_test_manager_open (FerryTestManager *self,
                         FerryExecutor    *executor)
{
  g_autofree char *path = g_build_filename (self->dir, "tasks.db", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (self->manager);

  self->store = ferry_task_store_new (path, &error);
  g_assert_no_error (error);
  self->executor = executor;
  self->connectivity = ferry_connectivity_new (G_NETWORK_MONITOR (self->network),
                                               G_POWER_PROFILE_MONITOR (self->power),
                                               NULL);
  self->manager = ferry_sync_manager_new (self->store, self->executor, self->connectivity,
                                          self->clock);
}

void
ferry_test_manager_start (FerryTestManager *self)
{
  g_autoptr(GError) error = NULL;

  ferry_sync_manager_start (self->manager, &error);
  g_assert_no_error (error);
}

/**
 * ferry_test_manager_close:
 * @self: a fixture with a manager
 *
 * Stops the manager and drops it with the store: what a crash-free exit
 * leaves on disk stays for ferry_test_manager_open() to reopen.
 */
void
ferry_test_manager_close (FerryTestManager *self)
{
  ferry_sync_manager_stop (self->manager);
  /* Let cancelled attempts come back before dropping the last reference. */
  for (guint i = 0; i < 20; i++)
    ferry_test_iterate_briefly ();
  g_clear_object (&self->manager);
  g_clear_object (&self->connectivity);
  g_clear_object (&self->executor);
  g_clear_object (&self->store);
}

void
ferry_test_manager_tear_down (FerryTestManager *self)
{
  if (self->manager != NULL)
    ferry_test_manager_close (self);
  g_clear_object (&self->clock);
  g_clear_object (&self->power);
  g_clear_object (&self->network);
  g_clear_pointer (&self->dir, g_free);
}

/**
 * ferry_test_manager_enqueue:
 * @self: a fixture with a manager
 * @task: a task to enqueue
 *
 * Returns: (transfer full): the stored task's id; the test fails when the
 *   manager refuses it
 */
char *
ferry_test_manager_enqueue (FerryTestManager *self,
                            FerryTask        *task)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) stored = NULL;

  stored = ferry_sync_manager_enqueue (self->manager, task, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_nonnull (stored->id);
  return g_strdup (stored->id);
}

/**
 * ferry_test_manager_dup_task:
 * @self: a fixture with a manager
 * @id: a stored task's id
 *
 * Returns: (transfer full): the task as stored now
 */
FerryTask *
ferry_test_manager_dup_task (FerryTestManager *self,
                             const char       *id)
{
  g_autoptr(GError) error = NULL;
  FerryTask *task = ferry_sync_manager_dup_task (self->manager, id, &error);

  g_assert_no_error (error);
  return task;
}

FerryTaskState
ferry_test_manager_task_state (FerryTestManager *self,
                               const char       *id)
{
  g_autoptr(FerryTask) task = ferry_test_manager_dup_task (self, id);

  return task->state;
}

/* Whether the task is done with for now: neither pending nor running. */
gboolean
ferry_test_manager_is_settled (FerryTestManager *self,
                               const char       *id)
{
  FerryTaskState state = ferry_test_manager_task_state (self, id);

  return state != FERRY_TASK_STATE_PENDING && state != FERRY_TASK_STATE_RUNNING;
}

static guint32
read_be32 (const guint8 *bytes)
{
  return ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
         ((guint32) bytes[2] << 8) | (guint32) bytes[3];
}

/**
 * ferry_test_count_wal_commits:
 * @db_path: a database in write-ahead-log mode, open elsewhere
 * @out_salts: (out caller-allocates): the salts of the log's current
 *   generation (0 and 0 when there is no log)
 *
 * Counts the transactions the database's write-ahead log (`<db>-wal`)
 * holds since it last started over, from the log's own format
 * (https://www.sqlite.org/fileformat2.html#walformat): a frame that ends a
 * transaction records the database's size after the commit, other frames
 * record 0, and the frames of the current generation are those from the
 * start whose salts match the header's.  The log starts over only after a
 * checkpoint, so the difference of two counts with the same salts is how
 * many transactions were committed in between.
 *
 * Returns: the number of commits in the log's current generation
 */
guint
ferry_test_count_wal_commits (const char *db_path,
                              guint32     out_salts[2])
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *contents = NULL;
  const guint8 *data;
  gsize length = 0;
  guint32 page_size;
  guint commits = 0;

  out_salts[0] = out_salts[1] = 0;
  if (!g_file_get_contents (wal_path, &contents, &length, NULL) || length < 32)
    return 0;

  data = (const guint8 *) contents;
  g_assert_cmphex (read_be32 (data) & ~1u, ==, 0x377f0682);
  page_size = read_be32 (data + 8);
  out_salts[0] = read_be32 (data + 16);
  out_salts[1] = read_be32 (data + 20);

  for (gsize frame = 32; frame + 24 + page_size <= length; frame += 24 + page_size)
    {
      if (read_be32 (data + frame + 8) != out_salts[0] ||
          read_be32 (data + frame + 12) != out_salts[1])
        break;
      if (read_be32 (data + frame + 4) != 0)
        commits++;
    }
  return commits;
}
