/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-database.h"
#include "ferry-task.h"

G_BEGIN_DECLS

/**
 * FerryTaskFilter:
 * @states: bit mask of `1 << FerryTaskState`; 0 means every state
 * @owner: (nullable): only tasks of this owner
 * @name: (nullable): only tasks with exactly this name
 * @group: (nullable): only tasks in this group
 * @search: (nullable): only tasks whose name, URL or owner contains this
 *   text (case-insensitive)
 * @newest_first: order by last update, newest first, instead of enqueue order
 *
 * Which tasks a list or count looks at.  Listing order is stable: enqueue
 * order (or update time then enqueue order with @newest_first).
 */
typedef struct
{
  guint       states;
  const char *owner;
  const char *name;
  const char *group;
  const char *search;
  gboolean    newest_first;
} FerryTaskFilter;

#define FERRY_STATE_BIT(state) (1u << (state))

/**
 * FerryEnqueueOutcome:
 * @FERRY_ENQUEUE_ADDED: a new task was stored
 * @FERRY_ENQUEUE_REPLACED: a pending task of the same owner and name got the
 *   new payload
 * @FERRY_ENQUEUE_KEPT: a pending task of the same owner and name was kept and
 *   the new one dropped
 */
typedef enum {
  FERRY_ENQUEUE_ADDED,
  FERRY_ENQUEUE_REPLACED,
  FERRY_ENQUEUE_KEPT,
} FerryEnqueueOutcome;

/**
 * FerryTaskAcceptFunc:
 * @task: a candidate
 * @user_data: closure
 *
 * Returns: %TRUE when @task may run now (connectivity, metered, power)
 */
typedef gboolean (*FerryTaskAcceptFunc) (const FerryTask *task,
                                         gpointer         user_data);

/**
 * FerryAttemptRecord:
 * @seq: the task's seq (when logging)
 * @at: when the attempt ended (µs since the epoch)
 * @status: the HTTP status, 0 when there was none
 * @error: (nullable): what went wrong, in words
 *
 * One line of a task's history of attempts.
 */
typedef struct
{
  gint64  seq;
  gint64  at;
  guint   status;
  char   *error;
} FerryAttemptRecord;

void ferry_attempt_record_clear (FerryAttemptRecord *record);

#define FERRY_TYPE_TASK_STORE (ferry_task_store_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskStore, ferry_task_store, FERRY, TASK_STORE, GObject)

FerryTaskStore *ferry_task_store_new_for_database (FerryDatabase        *database,
                                                   GError              **error);
FerryDatabase  *ferry_task_store_get_database     (FerryTaskStore       *self);
FerryTaskStore *ferry_task_store_new              (const char           *path,
                                                   GError              **error);
const char     *ferry_task_store_get_path         (FerryTaskStore       *self);

gboolean        ferry_task_store_enqueue          (FerryTaskStore       *self,
                                                   GPtrArray            *tasks,
                                                   FerryEnqueueOutcome  *outcomes,
                                                   GError              **error);
gboolean        ferry_task_store_update           (FerryTaskStore       *self,
                                                   GPtrArray            *tasks,
                                                   GError              **error);
FerryTask      *ferry_task_store_dup_task_light   (FerryTaskStore       *self,
                                                   const char           *id,
                                                   GError              **error);
FerryTask      *ferry_task_store_dup_task         (FerryTaskStore       *self,
                                                   const char           *id,
                                                   GError              **error);
GPtrArray      *ferry_task_store_list             (FerryTaskStore       *self,
                                                   const FerryTaskFilter *filter,
                                                   guint                 offset,
                                                   guint                 limit,
                                                   GError              **error);
gboolean        ferry_task_store_count            (FerryTaskStore       *self,
                                                   const FerryTaskFilter *filter,
                                                   guint                *out_count,
                                                   GError              **error);
gboolean        ferry_task_store_count_states     (FerryTaskStore       *self,
                                                   guint                 counts[FERRY_N_TASK_STATES],
                                                   GError              **error);
GPtrArray      *ferry_task_store_next_eligible    (FerryTaskStore       *self,
                                                   gint64                now,
                                                   guint                 limit,
                                                   FerryTaskAcceptFunc   accept,
                                                   gpointer              user_data,
                                                   GError              **error);
GPtrArray      *ferry_task_store_next_eligible_light (FerryTaskStore     *self,
                                                     gint64              now,
                                                     guint               limit,
                                                     FerryTaskAcceptFunc accept,
                                                     gpointer            user_data,
                                                     GError            **error);
gboolean        ferry_task_store_load_payload     (FerryTaskStore       *self,
                                                   FerryTask            *task,
                                                   GError              **error);
gboolean        ferry_task_store_get_payload_size (FerryTaskStore       *self,
                                                   const FerryTask      *task,
                                                   guint64              *out_size,
                                                   GError              **error);
gint64          ferry_task_store_next_wakeup      (FerryTaskStore       *self,
                                                   gint64                now,
                                                   gint64               *out_due,
                                                   GError              **error);
gboolean        ferry_task_store_last_delivery    (FerryTaskStore       *self,
                                                   gint64                now,
                                                   gint64               *out_time,
                                                   GError              **error);
gboolean        ferry_task_store_has_expired      (FerryTaskStore       *self,
                                                   gint64                now,
                                                   gboolean             *out_any,
                                                   GError              **error);
GPtrArray      *ferry_task_store_expire           (FerryTaskStore       *self,
                                                   gint64                now,
                                                   GError              **error);
gboolean        ferry_task_store_recover_running  (FerryTaskStore       *self,
                                                   guint                *out_count,
                                                   GError              **error);
gboolean        ferry_task_store_update_with_attempts (FerryTaskStore   *self,
                                                       GPtrArray        *tasks,
                                                       GArray           *records,
                                                       GError          **error);
gboolean        ferry_task_store_update_outcomes  (FerryTaskStore       *self,
                                                   GPtrArray            *tasks,
                                                   GArray               *records,
                                                   GError              **error);
GArray         *ferry_task_store_dup_attempts     (FerryTaskStore       *self,
                                                   const char           *id,
                                                   guint                 limit,
                                                   GError              **error);
gboolean        ferry_task_store_make_due         (FerryTaskStore       *self,
                                                   gint64                now,
                                                   guint                *out_count,
                                                   GError              **error);
gboolean        ferry_task_store_prune            (FerryTaskStore       *self,
                                                   gint64                before,
                                                   guint                *out_count,
                                                   GError              **error);

G_END_DECLS
