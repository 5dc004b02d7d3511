/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "ferry-sqlite-private.h"
#include "ferry-task-store.h"

/* A fixed clock: the store takes every time from its caller. */
#define NOW G_GINT64_CONSTANT (1700000000000000)
#define SECOND G_GINT64_CONSTANT (1000000)

#define ALL_STATES ((1u << FERRY_N_TASK_STATES) - 1)

typedef struct
{
  /* Under the test's isolated data dir, so a subprocess trapped by the
   * same test computes the same path. */
  char           *dir;
  char           *path;
  FerryTaskStore *store;
} Fixture;

static void
fixture_set_up_closed (Fixture       *fixture,
                       gconstpointer  data)
{
  fixture->dir = g_build_filename (g_get_user_data_dir (), "ferry", NULL);
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up_closed (fixture, data);
  fixture->store = ferry_task_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = ferry_task_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static FerryTask *
make_task (const char *owner,
           const char *group,
           const char *name)
{
  FerryTask *task = ferry_task_new ();

  task->owner = g_strdup (owner);
  task->group = g_strdup (group);
  task->name = g_strdup (name);
  task->method = g_strdup ("PUT");
  task->url = g_strdup ("https://example.com/items/1");
  task->created = NOW;
  task->updated = NOW;
  task->next_attempt = NOW;
  return task;
}

static GPtrArray *
task_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_task_unref);
}

/* Enqueues one task and returns it as stored (the passed task, filled in). */
static FerryTask *
enqueue_one (FerryTaskStore      *store,
             FerryTask           *task,
             FerryEnqueueOutcome *out_outcome)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  FerryEnqueueOutcome outcome = (FerryEnqueueOutcome) -1;

  g_ptr_array_add (tasks, ferry_task_ref (task));
  g_assert_true (ferry_task_store_enqueue (store, tasks, &outcome, &error));
  g_assert_no_error (error);
  if (out_outcome != NULL)
    *out_outcome = outcome;
  return task;
}

static FerryTask *
add_task (FerryTaskStore *store,
          const char     *owner,
          const char     *group,
          const char     *name)
{
  g_autoptr(FerryTask) task = make_task (owner, group, name);
  FerryEnqueueOutcome outcome;

  enqueue_one (store, task, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
  return g_steal_pointer (&task);
}

static void
update_one (FerryTaskStore *store,
            FerryTask      *task)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (tasks, ferry_task_ref (task));
  g_assert_true (ferry_task_store_update (store, tasks, &error));
  g_assert_no_error (error);
}

static void
set_state (FerryTaskStore *store,
           FerryTask      *task,
           FerryTaskState  state)
{
  task->state = state;
  update_one (store, task);
}

static FerryTask *
dup_task (FerryTaskStore *store,
          const char     *id)
{
  g_autoptr(GError) error = NULL;
  FerryTask *task = ferry_task_store_dup_task (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (task);
  return task;
}

static guint
count_tasks (FerryTaskStore        *store,
             const FerryTaskFilter *filter)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  g_assert_true (ferry_task_store_count (store, filter, &count, &error));
  g_assert_no_error (error);
  return count;
}

static GPtrArray *
list_tasks (FerryTaskStore        *store,
            const FerryTaskFilter *filter,
            guint                  offset,
            guint                  limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks = ferry_task_store_list (store, filter, offset, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  return tasks;
}

static GPtrArray *
next_eligible (FerryTaskStore      *store,
               gint64               now,
               guint                limit,
               FerryTaskAcceptFunc  accept,
               gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks = ferry_task_store_next_eligible (store, now, limit, accept, user_data,
                                                     &error);

  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  return tasks;
}

/* The ids of @tasks joined by spaces, for readable comparisons. */
static char *
join_names (GPtrArray *tasks)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, task->name != NULL ? task->name : task->id);
    }
  return g_strdup (out->str);
}

static char *
eligible_names (FerryTaskStore *store,
                gint64          now)
{
  g_autoptr(GPtrArray) tasks = next_eligible (store, now, 100, NULL, NULL);

  return join_names (tasks);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  if (a == NULL || b == NULL)
    g_assert_true (a == b);
  else
    g_assert_true (g_bytes_equal (a, b));
}

static void
assert_strv_equal (char **a,
                   char **b)
{
  if (a == NULL || b == NULL)
    g_assert_true (a == b);
  else
    g_assert_true (g_strv_equal ((const char * const *) a, (const char * const *) b));
}

/* Every stored field; `unique` is an enqueue instruction and not stored. */
static void
assert_tasks_equal (const FerryTask *a,
                    const FerryTask *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->seq, ==, b->seq);
  g_assert_cmpstr (a->owner, ==, b->owner);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->group, ==, b->group);
  g_assert_cmpstr (a->method, ==, b->method);
  g_assert_cmpstr (a->url, ==, b->url);
  assert_strv_equal (a->headers, b->headers);
  assert_strv_equal (a->secret_headers, b->secret_headers);
  assert_bytes_equal (a->body, b->body);
  g_assert_cmpstr (a->content_type, ==, b->content_type);
  g_assert_cmpstr (a->idempotency_key, ==, b->idempotency_key);
  g_assert_cmpstr (a->if_match, ==, b->if_match);
  g_assert_cmpint (a->priority, ==, b->priority);
  g_assert_cmpuint (a->max_attempts, ==, b->max_attempts);
  g_assert_cmpint (a->not_before, ==, b->not_before);
  g_assert_cmpint (a->expires, ==, b->expires);
  g_assert_cmpint (a->unmetered_only, ==, b->unmetered_only);
  g_assert_cmpint (a->conflict_strategy, ==, b->conflict_strategy);
  g_assert_cmpstr (a->conflict_url, ==, b->conflict_url);
  assert_bytes_equal (a->base, b->base);
  g_assert_true ((a->merge_rules == NULL) == (b->merge_rules == NULL));
  if (a->merge_rules != NULL)
    g_assert_true (g_strv_equal ((const char * const *) a->merge_rules,
                                 (const char * const *) b->merge_rules));
  g_assert_cmpstr (a->timestamp_pointer, ==, b->timestamp_pointer);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpuint (a->attempts, ==, b->attempts);
  g_assert_cmpint (a->next_attempt, ==, b->next_attempt);
  g_assert_cmpint (a->created, ==, b->created);
  g_assert_cmpint (a->updated, ==, b->updated);
  g_assert_cmpstr (a->last_error, ==, b->last_error);
  g_assert_cmpuint (a->last_status, ==, b->last_status);
  g_assert_cmpuint (a->response_status, ==, b->response_status);
  assert_strv_equal (a->response_headers, b->response_headers);
  assert_bytes_equal (a->response_body, b->response_body);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

static char *
raw_query (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static char *
raw_query_path (const char *path,
                const char *sql)
{
  g_autoptr(sqlite3) db = open_raw (path);

  return raw_query (db, sql);
}

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static goffset
file_size (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size;
}

static GBytes *
binary_bytes (gsize size,
              guint seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) ((i * 31 + seed) % 251);
  if (size > 2)
    data[1] = 0;
  return g_bytes_new_take (data, size);
}

static FerryTask *
make_full_task (void)
{
  static const guint8 body[] = { 'a', 0, 'b', 0xff, 0, 0x80, '\n' };
  static const guint8 base[] = { 0, 0, 0 };
  FerryTask *task = make_task ("org.example.Notes", "doc-42", "save doc 42");

  g_free (task->method);
  task->method = g_strdup ("PATCH");
  g_free (task->url);
  task->url = g_strdup ("https://example.com/docs/42?rev=7&x=%20y");
  ferry_task_add_header (task, "Authorization", "Bearer secret");
  ferry_task_add_header (task, "X-Empty", "");
  ferry_task_add_header (task, "Accept", "application/json; q=1, text/plain ünïcode");
  task->secret_headers = g_strdupv ((char *[]) { "X-Session", "X-Other", NULL });
  task->body = g_bytes_new (body, sizeof body);
  task->content_type = g_strdup ("application/merge-patch+json");
  task->idempotency_key = g_strdup ("caller-chosen-key");
  task->if_match = g_strdup ("\"etag-7\"");
  task->priority = FERRY_PRIORITY_CRITICAL;
  task->max_attempts = 9;
  task->not_before = NOW + 5 * SECOND;
  task->expires = NOW + 3600 * SECOND;
  task->unmetered_only = TRUE;
  task->conflict_strategy = FERRY_CONFLICT_LAST_MODIFIED_WINS;
  task->conflict_url = g_strdup ("https://example.com/docs/42/current");
  task->base = g_bytes_new (base, sizeof base);
  {
    const char * const rules[] = { "/title", "remote", "/tags/0", "local", NULL };

    task->merge_rules = g_strdupv ((char **) rules);
  }
  task->timestamp_pointer = g_strdup ("/meta/modified");
  task->state = FERRY_TASK_STATE_CONFLICT;
  task->attempts = 3;
  task->next_attempt = NOW + 17;
  task->created = NOW - 1;
  task->updated = NOW + 2;
  task->last_error = g_strdup ("server said 409");
  task->last_status = 409;
  task->response_status = 200;
  /* a server may answer with a header that is not UTF-8 */
  task->response_headers = g_strdupv ((char *[]) { "ETag", "\"v8\"", "X-Latin1", "caf\xe9",
                                                   NULL });
  task->response_body = binary_bytes (1000, 3);
  return task;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FerryTask) full = make_full_task ();
  g_autoptr(FerryTask) minimal = make_task ("org.example.Min", NULL, NULL);
  g_autoptr(FerryTask) empty = make_task ("org.example.Min", NULL, NULL);
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  FerryEnqueueOutcome outcomes[3];
  FerryTask *stored[3];

  /* present but empty is not the same as absent */
  empty->headers = g_new0 (char *, 1);
  empty->secret_headers = g_new0 (char *, 1);
  empty->response_headers = g_new0 (char *, 1);
  empty->body = g_bytes_new (NULL, 0);
  empty->base = g_bytes_new (NULL, 0);
  empty->response_body = g_bytes_new (NULL, 0);

  g_ptr_array_add (tasks, ferry_task_ref (full));
  g_ptr_array_add (tasks, ferry_task_ref (minimal));
  g_ptr_array_add (tasks, ferry_task_ref (empty));
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, outcomes, &error));
  g_assert_no_error (error);

  /* the store decided id, seq and (when missing) the idempotency key */
  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      g_assert_cmpint (outcomes[i], ==, FERRY_ENQUEUE_ADDED);
      g_assert_true (g_uuid_string_is_valid (task->id));
      g_assert_cmpint (task->seq, >, 0);
      g_assert_nonnull (task->idempotency_key);
    }
  g_assert_cmpstr (full->idempotency_key, ==, "caller-chosen-key");
  g_assert_true (g_uuid_string_is_valid (minimal->idempotency_key));
  g_assert_cmpstr (minimal->idempotency_key, !=, empty->idempotency_key);
  g_assert_cmpint (full->seq, <, minimal->seq);
  g_assert_cmpint (minimal->seq, <, empty->seq);

  reopen (fixture);

  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      stored[i] = dup_task (fixture->store, task->id);
      assert_tasks_equal (stored[i], task);
    }
  g_assert_null (stored[1]->name);
  g_assert_null (stored[1]->group);
  g_assert_null (stored[1]->headers);
  g_assert_null (stored[1]->body);
  g_assert_null (stored[1]->content_type);
  g_assert_null (stored[1]->conflict_url);
  g_assert_null (stored[1]->last_error);
  g_assert_nonnull (stored[2]->headers);
  g_assert_null (stored[2]->headers[0]);
  g_assert_nonnull (stored[2]->body);
  g_assert_cmpuint (g_bytes_get_size (stored[2]->body), ==, 0);
  g_assert_cmpstr (ferry_task_get_header (stored[0], "accept"), ==,
                   "application/json; q=1, text/plain ünïcode");
  for (guint i = 0; i < G_N_ELEMENTS (stored); i++)
    ferry_task_unref (stored[i]);
}

static void
test_update_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(FerryTask) task = add_task (fixture->store, "org.example.App", "g", "n");
  g_autoptr(FerryTask) changed = make_full_task ();
  g_autoptr(FerryTask) stored = NULL;

  /* identity comes from the stored record, not from the update */
  g_free (changed->id);
  changed->id = g_strdup (task->id);
  changed->seq = 12345;
  changed->created = 1;
  g_free (changed->owner);
  changed->owner = g_strdup ("org.example.Intruder");
  g_free (changed->group);
  changed->group = g_strdup ("another-group");
  update_one (fixture->store, changed);

  reopen (fixture);
  stored = dup_task (fixture->store, task->id);
  g_assert_cmpint (stored->seq, ==, task->seq);
  g_assert_cmpint (stored->created, ==, task->created);
  g_assert_cmpstr (stored->owner, ==, task->owner);
  g_assert_cmpstr (stored->group, ==, task->group);

  /* everything else is what the update said */
  changed->seq = task->seq;
  changed->created = task->created;
  g_free (changed->owner);
  changed->owner = g_strdup (task->owner);
  g_free (changed->group);
  changed->group = g_strdup (task->group);
  assert_tasks_equal (stored, changed);
}

/* A task read without its payload is written back without it: its state
 * changes, its body, base and last answer stay as stored. */
static void
test_update_light (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FerryTask) full = make_full_task ();
  g_autoptr(FerryTask) light = NULL;
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GError) error = NULL;

  enqueue_one (fixture->store, full, NULL);
  light = ferry_task_store_dup_task_light (fixture->store, full->id, &error);
  g_assert_no_error (error);
  g_assert_false (light->has_payload);
  g_assert_null (light->body);
  g_assert_null (light->base);
  g_assert_cmpuint (ferry_task_get_body_size (light), ==, g_bytes_get_size (full->body));

  light->state = FERRY_TASK_STATE_CANCELLED;
  update_one (fixture->store, light);

  stored = dup_task (fixture->store, full->id);
  g_assert_true (stored->has_payload);
  g_assert_cmpint (stored->state, ==, FERRY_TASK_STATE_CANCELLED);
  assert_bytes_equal (stored->body, full->body);
  assert_bytes_equal (stored->base, full->base);
  assert_bytes_equal (stored->response_body, full->response_body);
}

/* An outcome writes what an attempt changes, and nothing of the rest of
 * the stored request; its history lines go with it. */
static void
test_update_outcomes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(FerryTask) full = make_full_task ();
  g_autoptr(FerryTask) outcome = NULL;
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(FerryTask) expected = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (FerryAttemptRecord));
  g_autoptr(GArray) history = NULL;
  g_autoptr(GError) error = NULL;
  FerryAttemptRecord record = { 0, NOW + 3, 503, (char *) "HTTP 503" };

  full->state = FERRY_TASK_STATE_PENDING;
  enqueue_one (fixture->store, full, NULL);

  /* the running snapshot, with every field a run may change changed, and
   * the rest scribbled over */
  outcome = ferry_task_copy (full);
  outcome->state = FERRY_TASK_STATE_PENDING;
  outcome->attempts = 4;
  outcome->next_attempt = NOW + 99;
  outcome->updated = NOW + 3;
  g_free (outcome->last_error);
  outcome->last_error = g_strdup ("HTTP 503");
  outcome->last_status = 503;
  outcome->response_status = 503;
  g_strfreev (outcome->response_headers);
  outcome->response_headers = g_strdupv ((char *[]) { "Retry-After", "5", NULL });
  g_clear_pointer (&outcome->response_body, g_bytes_unref);
  outcome->response_body = g_bytes_new_static ("busy", 4);
  outcome->failing_since = NOW + 1;
  g_clear_pointer (&outcome->body, g_bytes_unref);
  outcome->body = g_bytes_new_static ("{\"merged\":true}", 15);
  g_free (outcome->if_match);
  outcome->if_match = g_strdup ("\"etag-8\"");
  expected = ferry_task_copy (outcome);

  g_free (outcome->url);
  outcome->url = g_strdup ("https://elsewhere.example.com/");
  g_free (outcome->method);
  outcome->method = g_strdup ("DELETE");
  g_clear_pointer (&outcome->headers, g_strfreev);
  g_clear_pointer (&outcome->base, g_bytes_unref);
  outcome->priority = FERRY_PRIORITY_LOW;
  g_free (outcome->name);
  outcome->name = g_strdup ("renamed");

  record.seq = full->seq;
  g_array_append_val (records, record);
  g_ptr_array_add (batch, outcome);
  g_assert_true (ferry_task_store_update_outcomes (fixture->store, batch, records, &error));
  g_assert_no_error (error);

  reopen (fixture);
  stored = dup_task (fixture->store, full->id);
  assert_tasks_equal (stored, expected);
  history = ferry_task_store_dup_attempts (fixture->store, full->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 0).status, ==, 503);
  g_array_set_clear_func (history, (GDestroyNotify) ferry_attempt_record_clear);

  /* an unknown task: nothing at all is written */
  g_free (outcome->id);
  outcome->id = g_strdup ("no-such-task");
  outcome->state = FERRY_TASK_STATE_SUCCEEDED;
  g_assert_false (ferry_task_store_update_outcomes (fixture->store, batch, records, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_pointer (&history, g_array_unref);
  history = ferry_task_store_dup_attempts (fixture->store, full->id, 10, NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_array_set_clear_func (history, (GDestroyNotify) ferry_attempt_record_clear);
}

/* Header lists are stored as GLib serializes an `aay`, byte for byte, at
 * every size of framing offset (request headers are at most 32 KiB in
 * all; a response's are not bounded that way). */
static void
test_header_encoding (Fixture       *fixture,
                      gconstpointer  data)
{
  static const guint sizes[][2] = {
    /* pairs, length of each value */
    { 0, 0 }, { 1, 0 }, { 1, 3 }, { 3, 60 }, { 2, 120 }, { 2, 124 }, { 2, 125 },
    { 50, 600 }, { 100, 640 }, { 100, 8000 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(FerryTask) task = make_task ("org.example.App", NULL, NULL);
      g_autoptr(GVariant) expected = NULL;
      g_autoptr(sqlite3) db = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *value = g_strnfill (sizes[s][1], 'v');
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) headers = NULL;

      for (guint i = 0; i < sizes[s][0]; i++)
        {
          g_autofree char *name = g_strdup_printf ("X-Header-%u", i);

          g_strv_builder_add (builder, name);
          g_strv_builder_add (builder, value);
        }
      headers = g_strv_builder_end (builder);
      expected = g_variant_ref_sink (
        g_variant_new_bytestring_array ((const char * const *) headers, -1));

      /* as request headers when the task may have them, and always as a
       * response's */
      enqueue_one (fixture->store, task, NULL);
      g_strfreev (task->response_headers);
      task->response_headers = g_strdupv (headers);
      update_one (fixture->store, task);
      if (g_variant_get_size (expected) <= FERRY_TASK_MAX_HEADER_SIZE * 4)
        {
          g_strfreev (task->headers);
          task->headers = g_strdupv (headers);
          update_one (fixture->store, task);
        }

      db = open_raw (fixture->path);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT headers, response_headers FROM tasks"
                                               " WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, task->id, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpmem (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                       g_variant_get_data (expected), g_variant_get_size (expected));
      if (g_variant_get_size (expected) <= FERRY_TASK_MAX_HEADER_SIZE * 4)
        g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                         g_variant_get_data (expected), g_variant_get_size (expected));

      /* and read back as they were */
      {
        g_autoptr(FerryTask) stored = dup_task (fixture->store, task->id);

        assert_tasks_equal (stored, task);
      }
    }
}

/* Task ids are random UUIDs, so that two of them seldom share their
 * first characters, which is how people tell them apart. */
static void
test_ids_random (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint shared_prefixes = 0;

  for (guint i = 0; i < 5000; i++)
    g_ptr_array_add (tasks, make_task ("org.example.App", NULL, NULL));
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      g_assert_true (g_uuid_string_is_valid (task->id));
      g_assert_cmpint (task->id[14], ==, '4');
      if (!g_hash_table_add (seen, g_strndup (task->id, 6)))
        shared_prefixes++;
    }
  /* 5,000 random ids in 16.7 million six-digit prefixes share about one;
   * ids that counted time or a sequence would share thousands. */
  g_assert_cmpuint (shared_prefixes, <, 50);
}

static void
test_enqueue_is_durable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  FerryTask *task;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      FerryTaskStore *store = ferry_task_store_new (fixture->path, &error);
      g_autoptr(FerryTask) durable = make_task ("org.example.App", NULL, "durable");

      g_assert_no_error (error);
      durable->body = binary_bytes (5000, 1);
      enqueue_one (store, durable, NULL);
      /* No close, no checkpoint, no exit handlers: the process is gone
       * the moment enqueue returned. */
      raise (SIGKILL);
      g_assert_not_reached ();
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  /* the task is only in the WAL the killed process left behind */
  g_assert_cmpint (file_size (wal), >, 0);

  reopen (fixture);
  tasks = list_tasks (fixture->store, NULL, 0, 0);
  g_assert_cmpuint (tasks->len, ==, 1);
  task = g_ptr_array_index (tasks, 0);
  g_assert_cmpstr (task->name, ==, "durable");
  g_assert_true (g_uuid_string_is_valid (task->id));
  /* a list leaves the payload out, and knows its size */
  g_assert_false (task->has_payload);
  g_assert_null (task->body);
  g_assert_cmpuint (ferry_task_get_body_size (task), ==, 5000);
  task = dup_task (fixture->store, task->id);
  g_assert_nonnull (task->body);
  g_assert_cmpuint (g_bytes_get_size (task->body), ==, 5000);
  ferry_task_unref (task);
}

/* Counts the store's "Migrating …" debug messages. */
static guint n_migrations;

static void
count_migrations (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if (g_str_has_prefix (message, "Migrating "))
    n_migrations++;
}

static void
test_migration_new_path (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "deeper", "still", NULL);
  g_autofree char *path = g_build_filename (dir, "tasks.db", NULL);
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  guint handler;

  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));

  n_migrations = 0;
  handler = g_log_set_handler ("ferry-database", G_LOG_LEVEL_DEBUG, count_migrations, NULL);
  store = ferry_task_store_new (path, &error);
  g_log_remove_handler ("ferry-database", handler);
  g_assert_no_error (error);
  g_assert_cmpuint (n_migrations, ==, 7);
  g_assert_cmpstr (ferry_task_store_get_path (store), ==, path);

  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (fixture->dir), ==, 0700);
  version = raw_query_path (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
  g_free (version);
  version = raw_query_path (path, "SELECT version FROM schema_parts WHERE part = 'tasks'");
  g_assert_cmpstr (version, ==, "7");
}

static void
test_migration_empty_file (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autoptr(FerryTask) task = NULL;
  guint handler;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, "", 0, &error));
  g_assert_no_error (error);

  n_migrations = 0;
  handler = g_log_set_handler ("ferry-database", G_LOG_LEVEL_DEBUG, count_migrations, NULL);
  reopen (fixture);
  g_assert_cmpuint (n_migrations, ==, 7);
  task = add_task (fixture->store, "org.example.App", NULL, "first");

  /* an up-to-date database migrates nothing and keeps its tasks */
  reopen (fixture);
  g_log_remove_handler ("ferry-database", handler);
  g_assert_cmpuint (n_migrations, ==, 7);
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 1);

  version = raw_query_path (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
}

/* Turns the payloads of schema 7 back into the columns of the earlier
 * ones, bodies included. */
#define UNDO_PAYLOADS                                                             \
  "ALTER TABLE tasks ADD COLUMN body BLOB;"                                       \
  "ALTER TABLE tasks ADD COLUMN base BLOB;"                                       \
  "ALTER TABLE tasks ADD COLUMN response_body BLOB;"                              \
  "UPDATE tasks SET body = (SELECT data FROM payloads WHERE task_seq = seq AND part = 0)," \
  "  base = (SELECT data FROM payloads WHERE task_seq = seq AND part = 1),"       \
  "  response_body = (SELECT data FROM payloads WHERE task_seq = seq AND part = 2);" \
  "DROP TRIGGER payloads_forget;"                                                 \
  "DROP TABLE payloads;"                                                          \
  "ALTER TABLE tasks DROP COLUMN body_size;"

/* A database of version 6 keeps bodies in the task rows: they move to
 * the payloads table, sizes known, nothing lost. */
static void
test_migration_from_version_6 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryTask) big = make_task ("org.example.App", NULL, "big");
  g_autoptr(FerryTask) empty = add_task (fixture->store, "org.example.App", NULL, "empty");
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GBytes) body = binary_bytes (300 * 1024, 7);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *version = NULL;

  big->body = g_bytes_ref (body);
  big->base = g_bytes_new_static ("{}", 2);
  enqueue_one (fixture->store, big, NULL);
  g_clear_object (&fixture->store);
  {
    g_autoptr(sqlite3) db = open_raw (fixture->path);

    g_assert_cmpint (sqlite3_exec (db, UNDO_PAYLOADS "PRAGMA user_version = 6",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  reopen (fixture);
  version = raw_query_path (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
  tasks = list_tasks (fixture->store, NULL, 0, 0);
  g_assert_cmpuint (tasks->len, ==, 2);
  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      g_assert_null (task->body);
      g_assert_cmpuint (ferry_task_get_body_size (task), ==,
                        g_str_equal (task->name, "big") ? 300 * 1024 : 0);
    }
  stored = dup_task (fixture->store, big->id);
  assert_bytes_equal (stored->body, body);
  assert_bytes_equal (stored->base, big->base);
  g_clear_pointer (&stored, ferry_task_unref);
  stored = dup_task (fixture->store, empty->id);
  g_assert_null (stored->body);
}

/* A database of version 1, with tasks in it, takes the steps to the
 * current version and keeps every task. */
static void
test_migration_from_version_1 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryTask) task = add_task (fixture->store, "org.example.App", NULL, "kept");
  g_autofree char *version = NULL;
  g_autofree char *index = NULL;
  guint handler;

  g_clear_object (&fixture->store);
  {
    g_autoptr(sqlite3) db = open_raw (fixture->path);

    g_assert_cmpint (sqlite3_exec (db,
                                   "DROP TRIGGER attempts_forget;"
                                   "DROP TABLE attempts;"
                                   "DROP INDEX tasks_order;"
                                   "ALTER TABLE tasks DROP COLUMN merge_rules;"
                                   "ALTER TABLE tasks DROP COLUMN timestamp_pointer;"
                                   "ALTER TABLE tasks DROP COLUMN failing_since;"
                                   UNDO_PAYLOADS
                                   "PRAGMA user_version = 1",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  n_migrations = 0;
  handler = g_log_set_handler ("ferry-database", G_LOG_LEVEL_DEBUG, count_migrations, NULL);
  reopen (fixture);
  g_log_remove_handler ("ferry-database", handler);
  g_assert_cmpuint (n_migrations, ==, 6);
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 1);
  version = raw_query_path (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
  index = raw_query_path (fixture->path,
                          "SELECT count (*) FROM sqlite_master WHERE name = 'tasks_order'");
  g_assert_cmpstr (index, ==, "1");
}

/* A database of version 5, whose group index and head triggers test the
 * holding states with a five-value list, gets them rewritten and keeps
 * every task, head mark and group order. */
static void
test_migration_from_version_5 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(FerryTask) a1 = add_task (fixture->store, "org.example.App", "g", "a1");
  g_autoptr(FerryTask) a2 = add_task (fixture->store, "org.example.App", "g", "a2");
  g_autoptr(FerryTask) a3 = add_task (fixture->store, "org.example.App", "g", "a3");
  g_autoptr(FerryTask) solo = add_task (fixture->store, "org.example.App", NULL, "solo");
  g_autofree char *version = NULL;
  g_autofree char *index = NULL;
  g_autofree char *names = NULL;
  guint handler;

  set_state (fixture->store, a1, FERRY_TASK_STATE_SUCCEEDED);
  g_clear_object (&fixture->store);
  {
    g_autoptr(sqlite3) db = open_raw (fixture->path);

    /* The index and triggers as schema 1 wrote them. */
    g_assert_cmpint (sqlite3_exec (db,
                                   "DROP INDEX tasks_holding;"
                                   "CREATE INDEX tasks_holding ON tasks (group_key, seq)"
                                   "  WHERE state IN (0, 1, 3, 4, 5);"
                                   "DROP TRIGGER tasks_head_on_state;"
                                   "CREATE TRIGGER tasks_head_on_state AFTER UPDATE OF state"
                                   "  ON tasks"
                                   "  WHEN (OLD.state IN (0, 1, 3, 4, 5))"
                                   "    != (NEW.state IN (0, 1, 3, 4, 5))"
                                   "  BEGIN"
                                   "    UPDATE tasks SET head = 0"
                                   "      WHERE seq = NEW.seq"
                                   "         OR seq = (SELECT min (seq) FROM tasks"
                                   "           WHERE group_key = NEW.group_key"
                                   "             AND state IN (0, 1, 3, 4, 5)"
                                   "             AND seq != NEW.seq);"
                                   "    UPDATE tasks SET head = 1"
                                   "      WHERE seq = (SELECT min (seq) FROM tasks"
                                   "        WHERE group_key = NEW.group_key"
                                   "          AND state IN (0, 1, 3, 4, 5));"
                                   "  END;"
                                   "DROP TRIGGER tasks_head_on_delete;"
                                   "CREATE TRIGGER tasks_head_on_delete AFTER DELETE ON tasks"
                                   "  WHEN OLD.head = 1"
                                   "  BEGIN"
                                   "    UPDATE tasks SET head = 1"
                                   "      WHERE seq = (SELECT min (seq) FROM tasks"
                                   "        WHERE group_key = OLD.group_key"
                                   "          AND state IN (0, 1, 3, 4, 5));"
                                   "  END;"
                                   UNDO_PAYLOADS
                                   "PRAGMA user_version = 5",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  n_migrations = 0;
  handler = g_log_set_handler ("ferry-database", G_LOG_LEVEL_DEBUG, count_migrations, NULL);
  reopen (fixture);
  g_log_remove_handler ("ferry-database", handler);
  g_assert_cmpuint (n_migrations, ==, 2);
  version = raw_query_path (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");
  index = raw_query_path (fixture->path,
                          "SELECT count (*) FROM sqlite_master WHERE sql LIKE '%state IN (0%'");
  g_assert_cmpstr (index, ==, "0");
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 4);

  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a2 solo");

  /* the rewritten triggers move the group on, and back */
  set_state (fixture->store, a2, FERRY_TASK_STATE_FAILED);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "solo");
  set_state (fixture->store, a2, FERRY_TASK_STATE_CANCELLED);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a3 solo");
  set_state (fixture->store, a2, FERRY_TASK_STATE_PENDING);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a2 solo");
}

static void
test_migration_newer_version (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(FerryTask) task = add_task (fixture->store, "org.example.App", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  g_autofree char *count = NULL;

  g_clear_object (&fixture->store);
  {
    g_autoptr(sqlite3) db = open_raw (fixture->path);

    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
                     SQLITE_OK);
  }

  /* refused, and left exactly where it was */
  store = ferry_task_store_new (fixture->path, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STORE);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "99"));
  count = raw_query_path (fixture->path, "SELECT count (*) FROM tasks");
  g_assert_cmpstr (count, ==, "1");
}

static void
test_file_modes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask;

  /* with no umask to help, the modes must come from the store itself */
  old_umask = umask (0);
  reopen (fixture);
  task = add_task (fixture->store, "org.example.App", NULL, NULL);

  g_assert_cmpuint (file_mode (fixture->dir), ==, 0700);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  /* a file someone left readable is narrowed */
  g_clear_object (&fixture->store);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  reopen (fixture);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  umask (old_umask);
}

static void
test_group_commit_batch (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree FerryEnqueueOutcome *outcomes = g_new0 (FerryEnqueueOutcome, 1000);

  for (guint i = 0; i < 1000; i++)
    {
      FerryTask *task = make_task ("org.example.App", i % 3 == 0 ? "g" : NULL, NULL);

      task->priority = (FerryPriority) (i % 4);
      g_ptr_array_add (tasks, task);
      outcomes[i] = (FerryEnqueueOutcome) -1;
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, outcomes, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);

      g_assert_cmpint (outcomes[i], ==, FERRY_ENQUEUE_ADDED);
      g_assert_true (g_hash_table_add (ids, task->id));
      if (i > 0)
        g_assert_cmpint (task->seq, >, ((FerryTask *) g_ptr_array_index (tasks, i - 1))->seq);
    }

  reopen (fixture);
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 1000);
  listed = list_tasks (fixture->store, NULL, 0, 0);
  g_assert_cmpuint (listed->len, ==, 1000);
  for (guint i = 0; i < listed->len; i++)
    {
      FerryTask *task = g_ptr_array_index (listed, i);

      g_assert_cmpstr (task->id, ==, ((FerryTask *) g_ptr_array_index (tasks, i))->id);
    }
}

static void
test_enqueue_invalid_stores_nothing (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  FerryTask *bad;

  g_ptr_array_add (tasks, make_task ("org.example.App", NULL, NULL));
  g_ptr_array_add (tasks, make_task ("org.example.App", NULL, NULL));
  bad = make_task ("org.example.App", NULL, NULL);
  g_free (bad->url);
  bad->url = g_strdup ("ftp://example.com/");
  g_ptr_array_add (tasks, bad);

  g_assert_false (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "url"));
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 0);
  for (guint i = 0; i < tasks->len; i++)
    g_assert_null (((FerryTask *) g_ptr_array_index (tasks, i))->id);
}

static void
test_update_batch_is_atomic (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(FerryTask) a = add_task (fixture->store, "org.example.App", NULL, "a");
  g_autoptr(FerryTask) b = add_task (fixture->store, "org.example.App", NULL, "b");
  g_autoptr(FerryTask) ghost = make_task ("org.example.App", NULL, "ghost");
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GError) error = NULL;

  ghost->id = g_uuid_string_random ();
  a->state = FERRY_TASK_STATE_SUCCEEDED;
  b->state = FERRY_TASK_STATE_FAILED;
  g_ptr_array_add (tasks, ferry_task_ref (a));
  g_ptr_array_add (tasks, ferry_task_ref (ghost));
  g_ptr_array_add (tasks, ferry_task_ref (b));
  g_assert_false (ferry_task_store_update (fixture->store, tasks, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, ghost->id));

  /* the update before the unknown id was rolled back with it */
  stored = dup_task (fixture->store, a->id);
  g_assert_cmpint (stored->state, ==, FERRY_TASK_STATE_PENDING);
  g_clear_pointer (&stored, ferry_task_unref);
  stored = dup_task (fixture->store, b->id);
  g_assert_cmpint (stored->state, ==, FERRY_TASK_STATE_PENDING);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(FerryTask) ghost = make_task ("org.example.App", NULL, NULL);
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = task_array_new ();

  task = ferry_task_store_dup_task (fixture->store, "no-such-task", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_null (task);
  g_assert_nonnull (strstr (error->message, "no-such-task"));
  g_clear_error (&error);

  ghost->id = g_strdup ("also-missing");
  g_ptr_array_add (tasks, ferry_task_ref (ghost));
  g_assert_false (ferry_task_store_update (fixture->store, tasks, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "also-missing"));
}

static FerryTask *
make_named (const char        *owner,
            const char        *name,
            FerryUniquePolicy  unique,
            const char        *body)
{
  FerryTask *task = make_task (owner, NULL, name);

  task->unique = unique;
  task->body = g_bytes_new (body, strlen (body));
  return task;
}

static void
test_unique_replace (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(FerryTask) first = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE, "v1");
  g_autoptr(FerryTask) other = add_task (fixture->store, "org.example.App", NULL, "other");
  g_autoptr(FerryTask) second = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE,
                                            "v2");
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *order = NULL;
  FerryEnqueueOutcome outcome;
  g_autofree char *first_id = NULL;
  g_autofree char *first_key = NULL;

  first->attempts = 0;
  enqueue_one (fixture->store, first, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
  first_id = g_strdup (first->id);
  first_key = g_strdup (first->idempotency_key);
  /* a later enqueue goes behind "other"; the replacement must not */
  g_clear_pointer (&other, ferry_task_unref);
  other = add_task (fixture->store, "org.example.App", NULL, "later");

  g_free (second->url);
  second->url = g_strdup ("https://example.com/items/2");
  second->priority = FERRY_PRIORITY_HIGH;
  second->updated = NOW + 50;
  second->created = NOW + 50;
  enqueue_one (fixture->store, second, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_REPLACED);

  /* the caller's task now describes the stored one */
  g_assert_cmpstr (second->id, ==, first_id);
  g_assert_cmpint (second->seq, ==, first->seq);
  g_assert_cmpstr (second->idempotency_key, ==, first_key);
  g_assert_cmpint (second->created, ==, NOW);
  g_assert_cmpint (second->updated, ==, NOW + 50);
  g_assert_cmpint (second->unique, ==, FERRY_UNIQUE_REPLACE);

  stored = dup_task (fixture->store, first_id);
  assert_tasks_equal (stored, second);
  g_assert_cmpstr (stored->url, ==, "https://example.com/items/2");
  g_assert_cmpint (stored->priority, ==, FERRY_PRIORITY_HIGH);
  g_assert_true (g_bytes_equal (stored->body, second->body));
  g_assert_cmpuint (g_bytes_get_size (stored->body), ==, 2);
  g_assert_cmpint (memcmp (g_bytes_get_data (stored->body, NULL), "v2", 2), ==, 0);

  /* still one task of that name, still in its old place in line */
  listed = list_tasks (fixture->store, NULL, 0, 0);
  order = join_names (listed);
  g_assert_cmpstr (order, ==, "other save later");
}

/* A payload already sent under the old key is a new request: it gets a key
 * (and a count of attempts) of its own, unless the app names a key. */
static void
test_unique_replace_after_attempt (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(FerryTask) first = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE, "v1");
  g_autoptr(FerryTask) second = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE,
                                            "v2");
  g_autoptr(FerryTask) third = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE,
                                           "v3");
  g_autoptr(FerryTask) stored = NULL;
  g_autofree char *first_key = NULL;
  FerryEnqueueOutcome outcome;

  enqueue_one (fixture->store, first, &outcome);
  first_key = g_strdup (first->idempotency_key);
  first->attempts = 2;
  first->last_status = 503;
  first->last_error = g_strdup ("HTTP 503");
  first->next_attempt = NOW + 1000000;
  update_one (fixture->store, first);

  second->next_attempt = NOW + 10;
  enqueue_one (fixture->store, second, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_REPLACED);
  stored = dup_task (fixture->store, first->id);
  g_assert_cmpstr (stored->idempotency_key, !=, first_key);
  g_assert_cmpuint (stored->attempts, ==, 0);
  g_assert_cmpuint (stored->last_status, ==, 0);
  g_assert_null (stored->last_error);
  g_assert_cmpint (stored->next_attempt, ==, NOW + 10);
  g_clear_pointer (&stored, ferry_task_unref);

  third->idempotency_key = g_strdup ("app-chosen");
  enqueue_one (fixture->store, third, &outcome);
  stored = dup_task (fixture->store, first->id);
  g_assert_cmpstr (stored->idempotency_key, ==, "app-chosen");
}

/* A task's history of attempts: kept in order, bounded on reading, gone
 * with the task. */
static void
test_attempt_history (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(FerryTask) task = add_task (fixture->store, "org.example.App", NULL, "h");
  g_autoptr(GArray) log = g_array_new (FALSE, TRUE, sizeof (FerryAttemptRecord));
  g_autoptr(GPtrArray) tasks_none = g_ptr_array_new ();
  g_autoptr(GArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *attempts = NULL;
  guint pruned = 0;

  g_array_set_clear_func (log, (GDestroyNotify) ferry_attempt_record_clear);
  for (guint i = 0; i < 5; i++)
    {
      FerryAttemptRecord record = { task->seq, NOW + i, 500 + i, g_strdup_printf ("try %u", i) };

      g_array_append_val (log, record);
    }
  g_assert_true (ferry_task_store_update_with_attempts (fixture->store, tasks_none, log, &error));
  g_assert_no_error (error);

  history = ferry_task_store_dup_attempts (fixture->store, task->id, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpuint (g_array_index (history, FerryAttemptRecord, 0).status, ==, 502);
  g_assert_cmpstr (g_array_index (history, FerryAttemptRecord, 2).error, ==, "try 4");
  g_clear_pointer (&history, g_array_unref);

  task->state = FERRY_TASK_STATE_SUCCEEDED;
  task->updated = NOW;
  update_one (fixture->store, task);
  g_assert_true (ferry_task_store_prune (fixture->store, NOW + 1, &pruned, &error));
  g_assert_cmpuint (pruned, ==, 1);
  history = ferry_task_store_dup_attempts (fixture->store, task->id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  attempts = raw_query_path (fixture->path, "SELECT count (*) FROM attempts");
  g_assert_cmpstr (attempts, ==, "0");
}

static void
test_unique_keep (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(FerryTask) first = make_named ("org.example.App", "save", FERRY_UNIQUE_KEEP, "v1");
  g_autoptr(FerryTask) second = make_named ("org.example.App", "save", FERRY_UNIQUE_KEEP, "v2");
  g_autoptr(FerryTask) stored = NULL;
  FerryEnqueueOutcome outcome;

  enqueue_one (fixture->store, first, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
  enqueue_one (fixture->store, second, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_KEPT);
  g_assert_cmpstr (second->id, ==, first->id);
  g_assert_cmpint (second->seq, ==, first->seq);

  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 1);
  stored = dup_task (fixture->store, first->id);
  g_assert_true (g_bytes_equal (stored->body, first->body));
  assert_tasks_equal (second, stored);
}

static void
test_unique_append (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(FerryTask) first = make_named ("org.example.App", "save", FERRY_UNIQUE_APPEND,
                                           "v1");
  g_autoptr(FerryTask) second = make_named ("org.example.App", "save", FERRY_UNIQUE_APPEND,
                                            "v2");
  g_autoptr(FerryTask) third = make_named ("org.example.App", "save", FERRY_UNIQUE_REPLACE,
                                           "v3");
  g_autoptr(FerryTask) stored = NULL;
  FerryTaskFilter by_name = { .name = "save" };
  FerryEnqueueOutcome outcome;

  enqueue_one (fixture->store, first, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
  enqueue_one (fixture->store, second, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
  g_assert_cmpstr (second->id, !=, first->id);
  g_assert_cmpint (second->seq, >, first->seq);
  g_assert_cmpuint (count_tasks (fixture->store, &by_name), ==, 2);

  /* a replacement supersedes the newest of them, so v1 still goes first
   * and v3 never runs before v1 */
  enqueue_one (fixture->store, third, &outcome);
  g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_REPLACED);
  g_assert_cmpstr (third->id, ==, second->id);
  stored = dup_task (fixture->store, first->id);
  g_assert_cmpint (memcmp (g_bytes_get_data (stored->body, NULL), "v1", 2), ==, 0);
  g_assert_cmpuint (count_tasks (fixture->store, &by_name), ==, 2);
}

static void
test_unique_only_pending_counts (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const FerryTaskState states[] = {
    FERRY_TASK_STATE_RUNNING, FERRY_TASK_STATE_SUCCEEDED, FERRY_TASK_STATE_FAILED,
    FERRY_TASK_STATE_CONFLICT, FERRY_TASK_STATE_AUTH_REQUIRED, FERRY_TASK_STATE_CANCELLED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *name = g_strdup_printf ("name-%u", i);
      g_autoptr(FerryTask) old = make_named ("org.example.App", name, FERRY_UNIQUE_REPLACE, "a");
      g_autoptr(FerryTask) fresh = make_named ("org.example.App", name, FERRY_UNIQUE_REPLACE,
                                               "b");
      g_autoptr(FerryTask) kept = make_named ("org.example.App", name, FERRY_UNIQUE_KEEP, "c");
      FerryEnqueueOutcome outcome;

      enqueue_one (fixture->store, old, NULL);
      set_state (fixture->store, old, states[i]);
      enqueue_one (fixture->store, fresh, &outcome);
      g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_ADDED);
      g_assert_cmpstr (fresh->id, !=, old->id);

      /* the new pending one does count */
      enqueue_one (fixture->store, kept, &outcome);
      g_assert_cmpint (outcome, ==, FERRY_ENQUEUE_KEPT);
      g_assert_cmpstr (kept->id, ==, fresh->id);
    }
}

static void
test_unique_per_owner_and_batch (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  FerryEnqueueOutcome outcomes[4];
  FerryTask *t[4];

  t[0] = make_named ("org.example.A", "sync", FERRY_UNIQUE_REPLACE, "1");
  t[1] = make_named ("org.example.B", "sync", FERRY_UNIQUE_REPLACE, "2");
  t[2] = make_named ("org.example.A", "sync", FERRY_UNIQUE_REPLACE, "3");
  t[3] = make_named ("org.example.A", "sync", FERRY_UNIQUE_KEEP, "4");
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_ptr_array_add (tasks, t[i]);
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, outcomes, &error));
  g_assert_no_error (error);

  /* another owner's name is another name; inside one batch the earlier
   * task is already there for the later ones */
  g_assert_cmpint (outcomes[0], ==, FERRY_ENQUEUE_ADDED);
  g_assert_cmpint (outcomes[1], ==, FERRY_ENQUEUE_ADDED);
  g_assert_cmpint (outcomes[2], ==, FERRY_ENQUEUE_REPLACED);
  g_assert_cmpint (outcomes[3], ==, FERRY_ENQUEUE_KEPT);
  g_assert_cmpstr (t[2]->id, ==, t[0]->id);
  g_assert_cmpstr (t[3]->id, ==, t[0]->id);
  g_assert_cmpstr (t[1]->id, !=, t[0]->id);
  g_assert_cmpuint (g_bytes_get_size (t[3]->body), ==, 1);
  g_assert_cmpint (memcmp (g_bytes_get_data (t[3]->body, NULL), "3", 1), ==, 0);
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 2);
}

static void
test_eligible_heads_only (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(FerryTask) a1 = add_task (fixture->store, "org.example.App", "g", "a1");
  g_autoptr(FerryTask) a2 = add_task (fixture->store, "org.example.App", "g", "a2");
  g_autoptr(FerryTask) a3 = add_task (fixture->store, "org.example.App", "g", "a3");
  g_autoptr(FerryTask) other = add_task (fixture->store, "org.example.Other", "g", "other");
  g_autofree char *names = NULL;

  /* the same group name under another owner is another group */
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a1 other");

  /* a running head holds its group */
  set_state (fixture->store, a1, FERRY_TASK_STATE_RUNNING);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "other");

  /* strictly in enqueue order */
  set_state (fixture->store, a1, FERRY_TASK_STATE_SUCCEEDED);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a2 other");

  set_state (fixture->store, a2, FERRY_TASK_STATE_CANCELLED);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a3 other");

  /* a task taken back into the queue heads it again if it is older */
  set_state (fixture->store, a2, FERRY_TASK_STATE_PENDING);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a2 other");

  /* the marks survive a reopen */
  reopen (fixture);
  g_free (names);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a2 other");
}

static void
test_eligible_priority (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct {
    const char    *name;
    const char    *group;
    FerryPriority  priority;
  } specs[] = {
    { "low", NULL, FERRY_PRIORITY_LOW },
    { "high", NULL, FERRY_PRIORITY_HIGH },
    { "medium-head", "g", FERRY_PRIORITY_MEDIUM },
    { "critical-behind", "g", FERRY_PRIORITY_CRITICAL },
    { "high-2", NULL, FERRY_PRIORITY_HIGH },
    { "critical", "h", FERRY_PRIORITY_CRITICAL },
  };
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GPtrArray) first_two = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *limited = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      FerryTask *task = make_task ("org.example.App", specs[i].group, specs[i].name);

      task->priority = specs[i].priority;
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  /* priority across groups, enqueue order between equals; a critical task
   * waits behind the head of its own group */
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "critical high high-2 medium-head low");

  first_two = next_eligible (fixture->store, NOW, 2, NULL, NULL);
  limited = join_names (first_two);
  g_assert_cmpstr (limited, ==, "critical high");
  g_clear_pointer (&first_two, g_ptr_array_unref);
  first_two = next_eligible (fixture->store, NOW, 0, NULL, NULL);
  g_assert_cmpuint (first_two->len, ==, 0);
}

static void
test_eligible_holding_states (Fixture       *fixture,
                              gconstpointer  data)
{
  static const FerryTaskState holding[] = {
    FERRY_TASK_STATE_FAILED, FERRY_TASK_STATE_CONFLICT, FERRY_TASK_STATE_AUTH_REQUIRED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (holding); i++)
    {
      g_autofree char *group = g_strdup_printf ("held-%u", i);
      g_autofree char *other_group = g_strdup_printf ("free-%u", i);
      g_autoptr(FerryTask) head = add_task (fixture->store, "org.example.App", group, "head");
      g_autoptr(FerryTask) behind = add_task (fixture->store, "org.example.App", group,
                                              "behind");
      g_autoptr(FerryTask) free_task = add_task (fixture->store, "org.example.App", other_group,
                                                 "free");
      g_autoptr(FerryTask) solo = add_task (fixture->store, "org.example.App", NULL, "solo");
      g_autofree char *names = NULL;

      set_state (fixture->store, head, holding[i]);
      names = eligible_names (fixture->store, NOW);
      g_assert_cmpstr (names, ==, "free solo");

      /* and once settled, the group moves on */
      set_state (fixture->store, head, FERRY_TASK_STATE_CANCELLED);
      g_free (names);
      names = eligible_names (fixture->store, NOW);
      g_assert_cmpstr (names, ==, "behind free solo");

      set_state (fixture->store, behind, FERRY_TASK_STATE_SUCCEEDED);
      set_state (fixture->store, free_task, FERRY_TASK_STATE_SUCCEEDED);
      set_state (fixture->store, solo, FERRY_TASK_STATE_SUCCEEDED);
    }

  /* a failed head that is retried keeps its place at the front */
  {
    g_autoptr(FerryTask) head = add_task (fixture->store, "org.example.App", "r", "head");
    g_autoptr(FerryTask) behind = add_task (fixture->store, "org.example.App", "r", "behind");
    g_autofree char *names = NULL;

    set_state (fixture->store, head, FERRY_TASK_STATE_FAILED);
    set_state (fixture->store, head, FERRY_TASK_STATE_PENDING);
    names = eligible_names (fixture->store, NOW);
    g_assert_cmpstr (names, ==, "head");
  }
}

static void
test_eligible_times (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(FerryTask) later = make_task ("org.example.App", NULL, "not-before");
  g_autoptr(FerryTask) retry = make_task ("org.example.App", NULL, "next-attempt");
  g_autoptr(FerryTask) expired = make_task ("org.example.App", NULL, "expired");
  g_autoptr(FerryTask) due = make_task ("org.example.App", NULL, "due");
  g_autofree char *names = NULL;

  later->not_before = NOW + 10 * SECOND;
  retry->next_attempt = NOW + 20 * SECOND;
  expired->expires = NOW;
  due->expires = NOW + 1;
  enqueue_one (fixture->store, later, NULL);
  enqueue_one (fixture->store, retry, NULL);
  enqueue_one (fixture->store, expired, NULL);
  enqueue_one (fixture->store, due, NULL);

  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "due");
  g_free (names);
  names = eligible_names (fixture->store, NOW + 10 * SECOND - 1);
  g_assert_cmpstr (names, ==, "");
  g_free (names);
  names = eligible_names (fixture->store, NOW + 10 * SECOND);
  g_assert_cmpstr (names, ==, "not-before");
  g_free (names);
  names = eligible_names (fixture->store, NOW + 20 * SECOND);
  g_assert_cmpstr (names, ==, "not-before next-attempt");
}

typedef struct
{
  guint    calls;
  gboolean saw_body;
} AcceptData;

static gboolean
accept_unmetered (const FerryTask *task,
                  gpointer         user_data)
{
  AcceptData *data = user_data;

  data->calls++;
  if (task->body != NULL)
    data->saw_body = TRUE;
  return !task->unmetered_only;
}

static void
test_eligible_accept (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GPtrArray) eligible = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  AcceptData accept_data = { 0 };

  for (guint i = 0; i < 10; i++)
    {
      FerryTask *task = make_task ("org.example.App", NULL, NULL);

      task->name = g_strdup_printf ("t%u", i);
      task->unmetered_only = i < 5 || i == 7;
      task->body = binary_bytes (100 + i, i);
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  /* rejected candidates are skipped and the walk goes on until the limit */
  eligible = next_eligible (fixture->store, NOW, 2, accept_unmetered, &accept_data);
  names = join_names (eligible);
  g_assert_cmpstr (names, ==, "t5 t6");
  g_assert_cmpuint (accept_data.calls, ==, 7);
  g_assert_false (accept_data.saw_body);
  for (guint i = 0; i < eligible->len; i++)
    {
      FerryTask *task = g_ptr_array_index (eligible, i);
      g_autoptr(FerryTask) stored = dup_task (fixture->store, task->id);

      assert_tasks_equal (task, stored);
      g_assert_nonnull (task->body);
    }

  /* the candidates run out before the limit */
  g_clear_pointer (&eligible, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);
  accept_data.calls = 0;
  eligible = next_eligible (fixture->store, NOW, 100, accept_unmetered, &accept_data);
  names = join_names (eligible);
  g_assert_cmpstr (names, ==, "t5 t6 t8 t9");
  g_assert_cmpuint (accept_data.calls, ==, 10);

  /* the same walk without bodies, which are read when asked for */
  g_clear_pointer (&eligible, g_ptr_array_unref);
  g_clear_pointer (&names, g_free);
  accept_data.calls = 0;
  eligible = ferry_task_store_next_eligible_light (fixture->store, NOW, 3, accept_unmetered,
                                                   &accept_data, &error);
  g_assert_no_error (error);
  names = join_names (eligible);
  g_assert_cmpstr (names, ==, "t5 t6 t8");
  g_assert_cmpuint (accept_data.calls, ==, 9);
  for (guint i = 0; i < eligible->len; i++)
    {
      FerryTask *task = g_ptr_array_index (eligible, i);
      g_autoptr(FerryTask) stored = dup_task (fixture->store, task->id);

      g_assert_null (task->body);
      g_assert_true (ferry_task_store_load_payload (fixture->store, task, &error));
      g_assert_no_error (error);
      assert_tasks_equal (task, stored);
      g_assert_nonnull (task->body);
    }
}

static gint64
next_wakeup (FerryTaskStore *store,
             gint64          now)
{
  g_autoptr(GError) error = NULL;
  gint64 wakeup = ferry_task_store_next_wakeup (store, now, NULL, &error);

  g_assert_no_error (error);
  return wakeup;
}

static void
test_next_wakeup (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(FerryTask) retry = make_task ("org.example.App", NULL, "retry");
  g_autoptr(FerryTask) later = make_task ("org.example.App", NULL, "later");
  g_autoptr(FerryTask) expiring = make_task ("org.example.App", NULL, "expiring");
  g_autoptr(FerryTask) head = make_task ("org.example.App", "g", "head");
  g_autoptr(FerryTask) behind = make_task ("org.example.App", "g", "behind");

  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, G_MAXINT64);

  /* due now is not a wake-up: it is eligible already */
  enqueue_one (fixture->store, head, NULL);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, G_MAXINT64);

  /* a task behind a head becomes due only when the head is done */
  behind->not_before = NOW + 2 * SECOND;
  enqueue_one (fixture->store, behind, NULL);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, G_MAXINT64);

  retry->next_attempt = NOW + 30 * SECOND;
  retry->not_before = NOW + 10 * SECOND;
  enqueue_one (fixture->store, retry, NULL);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, NOW + 30 * SECOND);

  later->not_before = NOW + 20 * SECOND;
  enqueue_one (fixture->store, later, NULL);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, NOW + 20 * SECOND);

  set_state (fixture->store, head, FERRY_TASK_STATE_SUCCEEDED);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, NOW + 2 * SECOND);

  expiring->expires = NOW + SECOND;
  enqueue_one (fixture->store, expiring, NULL);
  g_assert_cmpint (next_wakeup (fixture->store, NOW), ==, NOW + SECOND);
  g_assert_cmpint (next_wakeup (fixture->store, NOW + SECOND), ==, NOW + 2 * SECOND);

  /* only pending tasks wake anything up */
  set_state (fixture->store, later, FERRY_TASK_STATE_RUNNING);
  set_state (fixture->store, retry, FERRY_TASK_STATE_FAILED);
  g_assert_cmpint (next_wakeup (fixture->store, NOW + 2 * SECOND), ==, G_MAXINT64);
}

static void
test_expire (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FerryTask) gone = make_task ("org.example.App", NULL, "gone");
  g_autoptr(FerryTask) on_time = make_task ("org.example.App", NULL, "on-time");
  g_autoptr(FerryTask) forever = make_task ("org.example.App", NULL, "forever");
  g_autoptr(FerryTask) running = make_task ("org.example.App", NULL, "running");
  g_autoptr(FerryTask) stored = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(GError) error = NULL;
  FerryTask *task;
  gboolean any = FALSE;

  gone->expires = NOW + 5;
  on_time->expires = NOW + 6;
  running->expires = NOW;
  enqueue_one (fixture->store, gone, NULL);
  enqueue_one (fixture->store, on_time, NULL);
  enqueue_one (fixture->store, forever, NULL);
  enqueue_one (fixture->store, running, NULL);
  set_state (fixture->store, running, FERRY_TASK_STATE_RUNNING);

  /* a running task is never expired; a pending one is, once due */
  g_assert_true (ferry_task_store_has_expired (fixture->store, NOW + 4, &any, &error));
  g_assert_no_error (error);
  g_assert_false (any);
  g_assert_true (ferry_task_store_has_expired (fixture->store, NOW + 5, &any, &error));
  g_assert_no_error (error);
  g_assert_true (any);

  expired = ferry_task_store_expire (fixture->store, NOW + 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 1);
  task = g_ptr_array_index (expired, 0);
  g_assert_cmpstr (task->id, ==, gone->id);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_FAILED);
  g_assert_cmpstr (task->last_error, ==, "expired");
  g_assert_cmpint (task->updated, ==, NOW + 5);
  stored = dup_task (fixture->store, gone->id);
  assert_tasks_equal (stored, task);

  g_clear_pointer (&stored, ferry_task_unref);
  stored = dup_task (fixture->store, on_time->id);
  g_assert_cmpint (stored->state, ==, FERRY_TASK_STATE_PENDING);
  g_clear_pointer (&stored, ferry_task_unref);
  stored = dup_task (fixture->store, running->id);
  g_assert_cmpint (stored->state, ==, FERRY_TASK_STATE_RUNNING);

  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = ferry_task_store_expire (fixture->store, NOW + 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 0);
  g_assert_true (ferry_task_store_has_expired (fixture->store, NOW + 5, &any, &error));
  g_assert_no_error (error);
  g_assert_false (any);
}

static void
test_recover_running (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(FerryTask) a = add_task (fixture->store, "org.example.App", "g", "a");
  g_autoptr(FerryTask) b = add_task (fixture->store, "org.example.App", NULL, "b");
  g_autoptr(FerryTask) c = add_task (fixture->store, "org.example.App", NULL, "c");
  g_autoptr(FerryTask) d = add_task (fixture->store, "org.example.App", "g", "d");
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  guint counts[FERRY_N_TASK_STATES];
  guint recovered = 0;

  set_state (fixture->store, a, FERRY_TASK_STATE_RUNNING);
  set_state (fixture->store, b, FERRY_TASK_STATE_RUNNING);
  set_state (fixture->store, c, FERRY_TASK_STATE_FAILED);

  reopen (fixture);
  g_assert_true (ferry_task_store_recover_running (fixture->store, &recovered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (recovered, ==, 2);
  g_assert_true (ferry_task_store_count_states (fixture->store, counts, &error));
  g_assert_cmpuint (counts[FERRY_TASK_STATE_PENDING], ==, 3);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_RUNNING], ==, 0);
  g_assert_cmpuint (counts[FERRY_TASK_STATE_FAILED], ==, 1);
  names = eligible_names (fixture->store, NOW);
  g_assert_cmpstr (names, ==, "a b");

  g_assert_true (ferry_task_store_recover_running (fixture->store, &recovered, &error));
  g_assert_cmpuint (recovered, ==, 0);
}

static void
test_prune (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct {
    const char     *name;
    FerryTaskState  state;
    gint64          updated;
    gboolean        pruned;
  } specs[] = {
    { "old-succeeded", FERRY_TASK_STATE_SUCCEEDED, NOW - 100, TRUE },
    { "old-cancelled", FERRY_TASK_STATE_CANCELLED, NOW - 1, TRUE },
    { "new-succeeded", FERRY_TASK_STATE_SUCCEEDED, NOW, FALSE },
    { "old-failed", FERRY_TASK_STATE_FAILED, NOW - 100, FALSE },
    { "old-conflict", FERRY_TASK_STATE_CONFLICT, NOW - 100, FALSE },
    { "old-auth", FERRY_TASK_STATE_AUTH_REQUIRED, NOW - 100, FALSE },
    { "old-pending", FERRY_TASK_STATE_PENDING, NOW - 100, FALSE },
    { "old-running", FERRY_TASK_STATE_RUNNING, NOW - 100, FALSE },
  };
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  guint pruned = 0;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      FerryTask *task = make_task ("org.example.App", NULL, specs[i].name);

      task->state = specs[i].state;
      task->updated = specs[i].updated;
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (ferry_task_store_prune (fixture->store, NOW, &pruned, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pruned, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      FerryTask *task = g_ptr_array_index (tasks, i);
      g_autoptr(FerryTask) stored = ferry_task_store_dup_task (fixture->store, task->id, &error);

      if (specs[i].pruned)
        {
          g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
          g_clear_error (&error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (stored);
        }
    }
}

static void
test_count_states (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  guint counts[FERRY_N_TASK_STATES];

  g_assert_true (ferry_task_store_count_states (fixture->store, counts, &error));
  for (guint state = 0; state < FERRY_N_TASK_STATES; state++)
    g_assert_cmpuint (counts[state], ==, 0);

  /* state s gets s + 1 tasks */
  for (guint state = 0; state < FERRY_N_TASK_STATES; state++)
    {
      for (guint i = 0; i <= state; i++)
        {
          FerryTask *task = make_task ("org.example.App", NULL, NULL);

          task->state = (FerryTaskState) state;
          g_ptr_array_add (tasks, task);
        }
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (ferry_task_store_count_states (fixture->store, counts, &error));
  g_assert_no_error (error);
  for (guint state = 0; state < FERRY_N_TASK_STATES; state++)
    {
      FerryTaskFilter filter = { .states = FERRY_STATE_BIT (state) };

      g_assert_cmpuint (counts[state], ==, state + 1);
      g_assert_cmpuint (count_tasks (fixture->store, &filter), ==, state + 1);
    }
  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 28);
}

static void
assert_listed (FerryTaskStore        *store,
               const FerryTaskFilter *filter,
               const char            *expected)
{
  g_autoptr(GPtrArray) tasks = list_tasks (store, filter, 0, 0);
  g_autofree char *names = join_names (tasks);

  g_assert_cmpstr (names, ==, expected);
  g_assert_cmpuint (count_tasks (store, filter), ==, tasks->len);
}

static void
test_list_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct {
    const char     *owner;
    const char     *group;
    const char     *name;
    const char     *url;
    FerryTaskState  state;
    gint64          updated;
  } specs[] = {
    { "org.example.Notes", "doc-1", "Edit Note", "https://notes.example.com/n/1",
      FERRY_TASK_STATE_PENDING, NOW + 3 },
    { "org.example.Notes", "doc-1", "edit-100%", "https://notes.example.com/n/2",
      FERRY_TASK_STATE_FAILED, NOW + 1 },
    { "org.example.Mail", NULL, "send_mail", "https://mail.example.com/SEND",
      FERRY_TASK_STATE_SUCCEEDED, NOW + 3 },
    { "org.example.Mail", "doc-1", "sendXmail", "https://mail.example.com/draft",
      FERRY_TASK_STATE_CONFLICT, NOW + 2 },
    { "org.example.Notes", NULL, "other", "https://notes.example.com/n/3",
      FERRY_TASK_STATE_CANCELLED, NOW },
  };
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      FerryTask *task = make_task (specs[i].owner, specs[i].group, specs[i].name);

      g_free (task->url);
      task->url = g_strdup (specs[i].url);
      task->state = specs[i].state;
      task->updated = specs[i].updated;
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  assert_listed (fixture->store, NULL, "Edit Note edit-100% send_mail sendXmail other");
  assert_listed (fixture->store, &(FerryTaskFilter) { .states = ALL_STATES },
                 "Edit Note edit-100% send_mail sendXmail other");
  assert_listed (fixture->store,
                 &(FerryTaskFilter) { .states = FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |
                                                FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT) },
                 "edit-100% sendXmail");
  assert_listed (fixture->store,
                 &(FerryTaskFilter) { .states = FERRY_STATE_BIT (FERRY_TASK_STATE_RUNNING) }, "");
  assert_listed (fixture->store, &(FerryTaskFilter) { .owner = "org.example.Mail" },
                 "send_mail sendXmail");
  assert_listed (fixture->store, &(FerryTaskFilter) { .name = "other" }, "other");
  assert_listed (fixture->store, &(FerryTaskFilter) { .group = "doc-1" },
                 "Edit Note edit-100% sendXmail");
  assert_listed (fixture->store,
                 &(FerryTaskFilter) { .group = "doc-1", .owner = "org.example.Notes",
                                      .states = FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING) },
                 "Edit Note");

  /* search: name, URL or owner, any case, wildcards taken literally */
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "EDIT" },
                 "Edit Note edit-100%");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "send" },
                 "send_mail sendXmail");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "d_m" }, "send_mail");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "100%" }, "edit-100%");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "%" }, "edit-100%");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "example.mail" },
                 "send_mail sendXmail");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "n/3" }, "other");
  assert_listed (fixture->store, &(FerryTaskFilter) { .search = "\\" }, "");

  /* newest first: update time, then the later enqueue */
  assert_listed (fixture->store, &(FerryTaskFilter) { .newest_first = TRUE },
                 "send_mail Edit Note sendXmail edit-100% other");
}

static void
assert_pages_visit_all (FerryTaskStore        *store,
                        const FerryTaskFilter *filter,
                        guint                  expected)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint offset = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = list_tasks (store, filter, offset, 7);

      g_assert_cmpuint (page->len, <=, 7);
      for (guint i = 0; i < page->len; i++)
        {
          FerryTask *task = g_ptr_array_index (page, i);

          g_assert_true (g_hash_table_add (seen, g_strdup (task->id)));
        }
      offset += page->len;
      if (page->len < 7)
        break;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, expected);
  g_assert_cmpuint (count_tasks (store, filter), ==, expected);
}

static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GPtrArray) beyond = NULL;
  g_autoptr(GError) error = NULL;
  const guint failed = FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED);
  const guint pending = FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING);

  /* few distinct update times, so the order rests on the tie-breaker */
  for (guint i = 0; i < 1000; i++)
    {
      FerryTask *task = make_task (i % 2 ? "org.example.A" : "org.example.B", NULL, NULL);

      task->updated = NOW + (i * 7919) % 5;
      task->state = i % 3 == 0 ? FERRY_TASK_STATE_FAILED : FERRY_TASK_STATE_PENDING;
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);

  assert_pages_visit_all (fixture->store, NULL, 1000);
  assert_pages_visit_all (fixture->store, &(FerryTaskFilter) { .newest_first = TRUE }, 1000);
  assert_pages_visit_all (fixture->store,
                          &(FerryTaskFilter) { .owner = "org.example.A", .newest_first = TRUE },
                          500);
  assert_pages_visit_all (fixture->store, &(FerryTaskFilter) { .states = failed }, 334);
  assert_pages_visit_all (fixture->store,
                          &(FerryTaskFilter) { .states = failed | pending, .newest_first = TRUE },
                          1000);
  assert_pages_visit_all (fixture->store,
                          &(FerryTaskFilter) { .states = failed | pending,
                                               .owner = "org.example.B" },
                          500);

  beyond = list_tasks (fixture->store, NULL, 1000, 10);
  g_assert_cmpuint (beyond->len, ==, 0);
}

/* Runs in a child: the file size limit only ever applies there. */
static void
run_disk_full (const char *path)
{
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(FerryTask) first = NULL;
  g_autoptr(GBytes) body = binary_bytes (256 * 1024, 9);
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *check = NULL;
  struct rlimit saved;
  struct rlimit limited;
  guint before = 0;
  gboolean failed = FALSE;

  store = ferry_task_store_new (path, &error);
  g_assert_no_error (error);
  first = add_task (store, "org.example.App", NULL, "before");

  /* Writes past the limit fail with EFBIG instead of killing us, just
   * like a full disk fails them with ENOSPC. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = MAX (file_size (path), file_size (wal)) + 2 * 1024 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  for (guint round = 0; round < 64 && !failed; round++)
    {
      g_autoptr(GPtrArray) batch = task_array_new ();

      for (guint i = 0; i < 4; i++)
        {
          FerryTask *task = make_task ("org.example.App", NULL, NULL);

          task->body = g_bytes_ref (body);
          g_ptr_array_add (batch, task);
        }
      before = count_tasks (store, NULL);
      if (ferry_task_store_enqueue (store, batch, NULL, &error))
        {
          g_assert_no_error (error);
          g_assert_cmpuint (count_tasks (store, NULL), ==, before + 4);
          continue;
        }

      failed = TRUE;
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STORAGE_FULL);
      g_assert_true (g_str_has_prefix (error->message, "disk full: "));
      g_clear_error (&error);
      /* nothing of the batch is there, and the caller's tasks are as given */
      g_assert_cmpuint (count_tasks (store, NULL), ==, before);
      for (guint i = 0; i < batch->len; i++)
        g_assert_null (((FerryTask *) g_ptr_array_index (batch, i))->id);
    }
  g_assert_true (failed);

  check = raw_query_path (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");

  /* space is back */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  {
    g_autoptr(FerryTask) after = make_task ("org.example.App", NULL, "after");
    g_autoptr(FerryTask) stored = NULL;

    after->body = g_bytes_ref (body);
    enqueue_one (store, after, NULL);
    g_assert_cmpuint (count_tasks (store, NULL), ==, before + 1);

    g_clear_object (&store);
    store = ferry_task_store_new (path, &error);
    g_assert_no_error (error);
    stored = dup_task (store, after->id);
    g_assert_true (g_bytes_equal (stored->body, body));
    g_assert_cmpuint (count_tasks (store, NULL), ==, before + 1);
  }
  g_clear_object (&store);
  g_clear_pointer (&check, g_free);
  check = raw_query_path (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      run_disk_full (fixture->path);
      return;
    }

  /* The child checks everything itself: its directory goes with it. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static char *
find_aside (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_has_prefix (name, "tasks.db.corrupt-") && !g_str_has_suffix (name, "-wal") &&
          !g_str_has_suffix (name, "-shm"))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }
  return found;
}

static void
assert_fresh_store_works (Fixture *fixture)
{
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(FerryTask) stored = NULL;

  g_assert_cmpuint (count_tasks (fixture->store, NULL), ==, 0);
  task = add_task (fixture->store, "org.example.App", NULL, "fresh");
  reopen (fixture);
  stored = dup_task (fixture->store, task->id);
  assert_tasks_equal (stored, task);
}

static void
test_corrupt_garbage (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *pattern = NULL;
  gsize length;

  while (garbage->len < 10000)
    g_string_append (garbage, "this is not a database, but it is somebody's data\n");
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage->str, garbage->len, &error));
  g_assert_no_error (error);

  pattern = g_strdup_printf ("*%s*corrupt*%s.corrupt-*", fixture->path, fixture->path);
  g_test_expect_message ("ferry-database", G_LOG_LEVEL_WARNING, pattern);
  reopen (fixture);
  g_test_assert_expected_messages ();

  aside = find_aside (fixture->dir);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, garbage->str, garbage->len);

  assert_fresh_store_works (fixture);
}

static void
test_corrupt_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = task_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_contents = NULL;
  gsize length;
  gsize aside_length;

  for (guint i = 0; i < 300; i++)
    {
      FerryTask *task = make_task ("org.example.App", NULL, NULL);

      task->body = binary_bytes (500, i);
      g_ptr_array_add (tasks, task);
    }
  g_assert_true (ferry_task_store_enqueue (fixture->store, tasks, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  /* a valid header, then pages of noise */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 16 * 4096);
  memset (contents + 4096, 0xa5, length - 4096);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, &error));
  g_assert_no_error (error);

  g_test_expect_message ("ferry-database", G_LOG_LEVEL_WARNING, "*corrupt*");
  reopen (fixture);
  g_test_assert_expected_messages ();

  aside = find_aside (fixture->dir);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &aside_contents, &aside_length, &error));
  g_assert_cmpmem (aside_contents, aside_length, contents, length);

  assert_fresh_store_works (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/task-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_CLOSED(path, func) \
  g_test_add ("/engine/task-store/" path, Fixture, NULL, fixture_set_up_closed, func, \
              fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("update-round-trip", test_update_round_trip);
  ADD ("update-outcomes", test_update_outcomes);
  ADD ("update-light", test_update_light);
  ADD ("ids-random", test_ids_random);
  ADD ("header-encoding", test_header_encoding);
  ADD_CLOSED ("enqueue-is-durable", test_enqueue_is_durable);
  ADD_CLOSED ("migration/new-path", test_migration_new_path);
  ADD_CLOSED ("migration/empty-file", test_migration_empty_file);
  ADD ("migration/newer-version-refused", test_migration_newer_version);
  ADD_CLOSED ("file-modes", test_file_modes);
  ADD ("group-commit/batch", test_group_commit_batch);
  ADD ("group-commit/invalid-stores-nothing", test_enqueue_invalid_stores_nothing);
  ADD ("update/batch-is-atomic", test_update_batch_is_atomic);
  ADD ("not-found", test_not_found);
  ADD ("migration/from-version-1", test_migration_from_version_1);
  ADD ("migration/from-version-5", test_migration_from_version_5);
  ADD ("migration/from-version-6", test_migration_from_version_6);
  ADD ("attempt-history", test_attempt_history);
  ADD ("unique/replace", test_unique_replace);
  ADD ("unique/replace-after-attempt", test_unique_replace_after_attempt);
  ADD ("unique/keep", test_unique_keep);
  ADD ("unique/append", test_unique_append);
  ADD ("unique/only-pending-counts", test_unique_only_pending_counts);
  ADD ("unique/per-owner-and-batch", test_unique_per_owner_and_batch);
  ADD ("eligible/heads-only", test_eligible_heads_only);
  ADD ("eligible/priority", test_eligible_priority);
  ADD ("eligible/holding-states", test_eligible_holding_states);
  ADD ("eligible/times", test_eligible_times);
  ADD ("eligible/accept", test_eligible_accept);
  ADD ("next-wakeup", test_next_wakeup);
  ADD ("expire", test_expire);
  ADD ("recover-running", test_recover_running);
  ADD ("prune", test_prune);
  ADD ("count-states", test_count_states);
  ADD ("list/filters", test_list_filters);
  ADD ("list/paging", test_list_paging);
  ADD_CLOSED ("disk-full", test_disk_full);
  ADD_CLOSED ("corrupt/garbage", test_corrupt_garbage);
  ADD ("corrupt/damaged-pages", test_corrupt_pages);

#undef ADD
#undef ADD_CLOSED

  return g_test_run ();
}
