/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-backoff.h"
#include "ferry-sync-manager.h"

G_BEGIN_DECLS

/*
 * What the outbox's files share: the manager's fields, its properties and
 * signals, and the functions one part calls in another.  Not installed, not
 * public: the engine's API is ferry-sync-manager.h.
 */

typedef struct
{
  FerrySyncManager *self;        /* owned */
  FerryTask        *task;        /* owned: the running snapshot */
  GCancellable     *cancellable; /* owned */
  gboolean          cancelled_by_user;
  gint64            previous_update; /* the task's last change before it ran */
} Attempt;

typedef struct
{
  FerryTask *task;               /* owned */
  GTask     *gtask;              /* owned */
} EnqueueRequest;

struct _FerrySyncManager
{
  GObject parent_instance;

  /* owned */
  FerryTaskStore     *store;
  FerryExecutor      *executor;
  FerryConnectivity  *connectivity;
  FerryClock         *clock;
  GHashTable         *running;          /* id → Attempt* */
  GPtrArray          *enqueue_queue;    /* EnqueueRequest* waiting for the group commit */
  GPtrArray          *unwritten;        /* FerryTask*: running marks and outcomes
                                         * waiting for the next flush */
  GArray             *attempt_log;      /* FerryAttemptRecord waiting for the next flush */
  GQueue             *ready;            /* FerryTask* without payload, in run order */
  GRand              *rand;
  FerryResolverHook        resolver;
  const FerrySender       *sender;          /* sends transfers, see set_sender */
  gpointer                 sender_data;

  /* settings */
  guint               max_concurrency;
  guint               max_attempts;     /* 0: no limit */
  gint64              retry_period;
  gint64              stalled_after;
  FerryBackoffPolicy  backoff;
  guint               auto_sync_interval;
  gint64              history_retention;
  gboolean            sync_on_metered;
  guint               enqueue_debounce;
  guint               resolver_timeout;
  guint               reserved_slots;   /* held by collections' runs */

  /* state */
  gboolean            started;
  gboolean            paused;
  gboolean            was_online;
  FerrySyncState      state;
  guint               counts[FERRY_N_TASK_STATES];
  gboolean            in_run;
  guint               progress_done;
  guint               progress_total;
  FerryRunSummary     summary;
  gint64              last_sync_time;
  gint64              next_sync_time;
  gint64              last_prune;
  gint64              wakeup_at;
  guint               wakeup_id;
  guint               pass_id;
  guint               debounce_id;
  guint               enqueue_id;
  guint               interval_id;
  gint64              interval_next;    /* when the interval timer fires next */
  guint               flush_id;
  gboolean            flush_soon;       /* an outcome that is not a success waits */
  gboolean            flush_failed;     /* the last flush failed: wait for flush_id */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_EXECUTOR,
  PROP_CONNECTIVITY,
  PROP_CLOCK,
  PROP_MAX_CONCURRENCY,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_PERIOD,
  PROP_STALLED_AFTER,
  PROP_BACKOFF_INITIAL,
  PROP_BACKOFF_MULTIPLIER,
  PROP_BACKOFF_MAX,
  PROP_AUTO_SYNC_INTERVAL,
  PROP_HISTORY_RETENTION,
  PROP_SYNC_ON_METERED,
  PROP_ENQUEUE_DEBOUNCE,
  PROP_RESOLVER_TIMEOUT,
  PROP_RESERVED_SLOTS,
  PROP_STATE,
  PROP_ONLINE,
  PROP_METERED,
  PROP_PAUSED,
  PROP_PENDING_COUNT,
  PROP_FAILED_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_AUTH_COUNT,
  PROP_PROGRESS_DONE,
  PROP_PROGRESS_TOTAL,
  PROP_LAST_SYNC_TIME,
  PROP_NEXT_SYNC_TIME,
  N_PROPS
};

extern GParamSpec *ferry_outbox_properties[N_PROPS];

enum {
  TASK_ADDED,
  TASK_CHANGED,
  TASK_SUCCEEDED,
  TASK_FAILED,
  RETRY_SCHEDULED,
  TASK_STALLED,
  CONFLICT_DETECTED,
  AUTH_REQUIRED,
  RUN_STARTED,
  RUN_FINISHED,
  N_SIGNALS
};

extern guint ferry_outbox_signals[N_SIGNALS];

/* ferry-outbox-state.c */
gint64 ferry_outbox_now (FerrySyncManager *self);
guint ferry_outbox_effective_concurrency (FerrySyncManager *self);
guint ferry_outbox_pending_count (FerrySyncManager *self);
void ferry_outbox_update_state (FerrySyncManager *self);
void ferry_outbox_set_progress (FerrySyncManager *self,
                                guint             done,
                                guint             total);
void ferry_outbox_update_progress (FerrySyncManager *self);
void ferry_outbox_count_transition (FerrySyncManager *self,
                                    FerryTaskState    from,
                                    FerryTaskState    to);
void ferry_outbox_count_added (FerrySyncManager *self,
                               FerryTaskState    state);
gboolean ferry_outbox_reload_counts (FerrySyncManager  *self,
                                     GError           **error);
void ferry_outbox_start_run (FerrySyncManager *self);
void ferry_outbox_finish_run (FerrySyncManager *self);
void ferry_outbox_set_next_sync_time (FerrySyncManager *self,
                                      gint64            when);

/* ferry-outbox-scheduler.c */
gboolean ferry_outbox_task_host_allowed (FerrySyncManager *self,
                                         const FerryTask  *task);
void ferry_outbox_prune_history (FerrySyncManager *self);
void ferry_outbox_drop_ready (FerrySyncManager *self);
GPtrArray *ferry_outbox_take_ready (FerrySyncManager  *self,
                                    gint64             current,
                                    guint              slots,
                                    GError           **error);
void ferry_outbox_schedule_next_task (FerrySyncManager *self);
void ferry_outbox_schedule_pass (FerrySyncManager *self);
void ferry_outbox_cancel_running (FerrySyncManager *self);

/* ferry-outbox-triggers.c */
void ferry_outbox_schedule_debounced_pass (FerrySyncManager *self);
void ferry_outbox_arm_interval_timer (FerrySyncManager *self);
void ferry_outbox_connect_triggers (FerrySyncManager *self);

/* ferry-outbox-enqueue.c */
void ferry_outbox_enqueue_request_free (EnqueueRequest *request);
void ferry_outbox_commit_enqueued (FerrySyncManager *self);

/* ferry-outbox-outcomes.c */
void ferry_outbox_attempt_free (Attempt *attempt);
void ferry_outbox_set_last_error (FerryTask  *task,
                                  const char *message);
void ferry_outbox_keep_response (FerryTask    *task,
                                 FerryAttempt *attempt);
void ferry_outbox_queue_unwritten (FerrySyncManager *self,
                                  FerryTask        *task);
gboolean ferry_outbox_flush_due (FerrySyncManager *self);
gboolean ferry_outbox_flush_unwritten (FerrySyncManager *self);
void ferry_outbox_record_outcome (FerrySyncManager *self,
                                  FerryTask        *task,
                                  FerryTaskState    from,
                                  FerryVerdict      verdict,
                                  const char       *message);
void ferry_outbox_send_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);
void ferry_outbox_sender_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

/* ferry-outbox-conflicts.c */
void ferry_outbox_settle_conflict (Attempt *data);

/* ferry-outbox-actions.c */
gboolean ferry_outbox_store_one (FerrySyncManager  *self,
                                 FerryTask         *task,
                                 FerryTaskState     from,
                                 GError           **error);
FerryTask *ferry_outbox_dup_task_in_states (FerrySyncManager  *self,
                                            const char        *id,
                                            guint              allowed,
                                            gboolean           with_payload,
                                            const char        *verb,
                                            GError           **error);
void ferry_outbox_make_pending_now (FerrySyncManager *self,
                                    FerryTask        *task);

G_END_DECLS
