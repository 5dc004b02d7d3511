/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-clock.h"
#include "ferry-connectivity.h"
#include "ferry-executor.h"
#include "ferry-resolver-call.h"
#include "ferry-task-store.h"
#include "ferry-task.h"

G_BEGIN_DECLS

/**
 * FerrySyncState:
 * @FERRY_SYNC_STATE_IDLE: nothing to do, or only waiting for a retry time
 * @FERRY_SYNC_STATE_SYNCING: a run is delivering tasks
 * @FERRY_SYNC_STATE_OFFLINE: no full connectivity
 * @FERRY_SYNC_STATE_PAUSED: paused by the person
 * @FERRY_SYNC_STATE_ATTENTION: failed, conflicted or auth-held tasks wait
 *   for the person
 *
 * The manager's overall state, as the window and the tray show it.
 */
typedef enum {
  FERRY_SYNC_STATE_IDLE,
  FERRY_SYNC_STATE_SYNCING,
  FERRY_SYNC_STATE_OFFLINE,
  FERRY_SYNC_STATE_PAUSED,
  FERRY_SYNC_STATE_ATTENTION,
} FerrySyncState;

const char *ferry_sync_state_to_string (FerrySyncState state);

/**
 * FerryRunSummary:
 * @succeeded: tasks delivered during the run
 * @failed: tasks that failed for good during the run
 * @retried: attempts that ended in a scheduled retry
 * @conflicts: tasks that went into conflict
 * @auth_required: tasks held for credentials
 * @started: when the run started (µs since the epoch)
 * @finished: when it finished
 *
 * What the ::run-finished signal reports.
 */
typedef struct
{
  guint  succeeded;
  guint  failed;
  guint  retried;
  guint  conflicts;
  guint  auth_required;
  gint64 started;
  gint64 finished;
} FerryRunSummary;

#define FERRY_TYPE_RUN_SUMMARY (ferry_run_summary_get_type ())
GType            ferry_run_summary_get_type (void) G_GNUC_CONST;
FerryRunSummary *ferry_run_summary_copy     (const FerryRunSummary *summary);
void             ferry_run_summary_free     (FerryRunSummary       *summary);

/**
 * FerrySender:
 * @handles: whether this sender performs @task's attempts
 * @send_async: performs one attempt of @task
 * @send_finish: its outcome, as the executor would report it
 * @holds: (nullable): whether @task must not run now (a paused transfer);
 *   see ferry_sync_manager_reconsider()
 *
 * Another way to perform a task's attempt: the files part sends its
 * downloads and uploads itself, and the outcome goes through the same
 * classifier, backoff and states as any task's.
 */
typedef struct
{
  gboolean       (*handles)     (FerryTask           *task,
                                 gpointer             user_data);
  void           (*send_async)  (FerryTask           *task,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             callback_data,
                                 gpointer             user_data);
  FerryAttempt * (*send_finish) (GAsyncResult        *result,
                                 gpointer             user_data);
  gboolean       (*holds)       (const FerryTask     *task,
                                 gpointer             user_data);
} FerrySender;

#define FERRY_TYPE_SYNC_MANAGER (ferry_sync_manager_get_type ())

G_DECLARE_FINAL_TYPE (FerrySyncManager, ferry_sync_manager, FERRY, SYNC_MANAGER, GObject)

FerrySyncManager *ferry_sync_manager_new             (FerryTaskStore        *store,
                                                      FerryExecutor         *executor,
                                                      FerryConnectivity     *connectivity,
                                                      FerryClock            *clock);
gboolean          ferry_sync_manager_start           (FerrySyncManager      *self,
                                                      GError               **error);
void              ferry_sync_manager_stop            (FerrySyncManager      *self);

FerryTaskStore   *ferry_sync_manager_get_store       (FerrySyncManager      *self);
FerryClock       *ferry_sync_manager_get_clock       (FerrySyncManager      *self);

/* Enqueue.  The async form joins calls that arrive together into one
 * transaction (group commit); either form is durable when it completes. */
void              ferry_sync_manager_enqueue_async   (FerrySyncManager      *self,
                                                      FerryTask             *task,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
FerryTask        *ferry_sync_manager_enqueue_finish  (FerrySyncManager      *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);
FerryTask        *ferry_sync_manager_enqueue         (FerrySyncManager      *self,
                                                      FerryTask             *task,
                                                      GError               **error);

/* Reading. */
FerryTask        *ferry_sync_manager_dup_task        (FerrySyncManager      *self,
                                                      const char            *id,
                                                      GError               **error);
FerryTask        *ferry_sync_manager_dup_task_light  (FerrySyncManager      *self,
                                                      const char            *id,
                                                      GError               **error);
gboolean          ferry_sync_manager_get_payload_size (FerrySyncManager    *self,
                                                       const FerryTask     *task,
                                                       guint64             *out_size,
                                                       GError             **error);
GArray           *ferry_sync_manager_dup_attempts    (FerrySyncManager      *self,
                                                      const char            *id,
                                                      GError               **error);
GPtrArray        *ferry_sync_manager_list            (FerrySyncManager      *self,
                                                      const FerryTaskFilter *filter,
                                                      guint                  offset,
                                                      guint                  limit,
                                                      GError               **error);
gboolean          ferry_sync_manager_count           (FerrySyncManager      *self,
                                                      const FerryTaskFilter *filter,
                                                      guint                 *out_count,
                                                      GError               **error);

/* Acting on tasks. */
gboolean          ferry_sync_manager_cancel          (FerrySyncManager      *self,
                                                      const char            *id,
                                                      GError               **error);
gboolean          ferry_sync_manager_retry           (FerrySyncManager      *self,
                                                      const char            *id,
                                                      GError               **error);
gboolean          ferry_sync_manager_cancel_all      (FerrySyncManager      *self,
                                                      const FerryTaskFilter *filter,
                                                      guint                 *out_count,
                                                      GError               **error);
gboolean          ferry_sync_manager_retry_all       (FerrySyncManager      *self,
                                                      const FerryTaskFilter *filter,
                                                      guint                 *out_count,
                                                      GError               **error);
gboolean          ferry_sync_manager_resolve         (FerrySyncManager      *self,
                                                      const char            *id,
                                                      FerryResolveChoice     choice,
                                                      GBytes                *body,
                                                      GError               **error);

/* Conflicts settled by their owning app (the custom strategy). */
void              ferry_sync_manager_set_resolver    (FerrySyncManager      *self,
                                                      FerryResolverFunc      resolve,
                                                      FerryResolverFinishFunc finish,
                                                      gpointer               user_data,
                                                      GDestroyNotify         destroy);

/* Tasks sent by another part (downloads, uploads). */
void              ferry_sync_manager_set_sender      (FerrySyncManager      *self,
                                                      const FerrySender     *sender,
                                                      gpointer               user_data);
void              ferry_sync_manager_reconsider      (FerrySyncManager      *self);

/* The whole queue. */
void              ferry_sync_manager_sync_now        (FerrySyncManager      *self);
void              ferry_sync_manager_pause           (FerrySyncManager      *self);
void              ferry_sync_manager_resume          (FerrySyncManager      *self);

/* Observable state (also GObject properties, named in kebab-case). */
FerrySyncState    ferry_sync_manager_get_state       (FerrySyncManager      *self);
gboolean          ferry_sync_manager_get_online      (FerrySyncManager      *self);
gboolean          ferry_sync_manager_get_metered     (FerrySyncManager      *self);
gboolean          ferry_sync_manager_get_paused      (FerrySyncManager      *self);
guint             ferry_sync_manager_get_pending_count  (FerrySyncManager   *self);
guint             ferry_sync_manager_get_failed_count   (FerrySyncManager   *self);
guint             ferry_sync_manager_get_conflict_count (FerrySyncManager   *self);
guint             ferry_sync_manager_get_auth_count     (FerrySyncManager   *self);
guint             ferry_sync_manager_get_running_count  (FerrySyncManager   *self);
void              ferry_sync_manager_get_progress    (FerrySyncManager      *self,
                                                      guint                 *out_done,
                                                      guint                 *out_total);
gint64            ferry_sync_manager_get_last_sync_time (FerrySyncManager   *self);
gint64            ferry_sync_manager_get_next_sync_time (FerrySyncManager   *self);

G_END_DECLS

/*
 * Properties
 *
 * Construct-only: "store", "executor", "connectivity", "clock".
 *
 * Settings (read-write, change takes effect at once):
 *   "max-concurrency"       guint, default 4
 *   "max-attempts"          guint, default 5 (for tasks that name none)
 *   "backoff-initial"       gint64 µs, default 1 s
 *   "backoff-multiplier"    double, default 2.0
 *   "backoff-max"           gint64 µs, default 300 s
 *   "auto-sync-interval"    guint seconds, default 60 (0: off)
 *   "history-retention"     gint64 µs, default 7 days
 *   "sync-on-metered"       gboolean, default TRUE (FALSE: metered counts as
 *                           offline for every task)
 *   "enqueue-debounce"      guint ms, default 20: how long after a task is
 *                           added the run starts
 *   "resolver-timeout"      guint ms, default 10000: how long an app's
 *                           resolver may take before the conflict falls
 *                           back to asking
 *   "reserved-slots"        guint, default 0: slots of "max-concurrency"
 *                           other parts of the engine hold (collections'
 *                           runs); tasks get the rest
 *
 * Read-only state: "state" (FerrySyncState as guint), "online", "metered",
 *   "paused", "pending-count", "failed-count", "conflict-count",
 *   "auth-count", "progress-done", "progress-total", "last-sync-time",
 *   "next-sync-time" (0 when nothing is scheduled).
 *
 * Signals
 *   ::task-added (FerryTask *task)
 *   ::task-changed (FerryTask *task)            any state change
 *   ::task-succeeded (FerryTask *task)
 *   ::task-failed (FerryTask *task)             permanent failure
 *   ::retry-scheduled (FerryTask *task, guint attempt, gint64 when,
 *                      const char *reason)
 *   ::conflict-detected (FerryTask *task)
 *   ::auth-required (FerryTask *task)
 *   ::run-started ()
 *   ::run-finished (FerryRunSummary *summary)
 *
 * A task passed to a signal is a snapshot; handlers may keep a reference.
 */
