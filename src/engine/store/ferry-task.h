/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * FerryTaskState:
 * @FERRY_TASK_STATE_PENDING: waiting for its turn or its next attempt
 * @FERRY_TASK_STATE_RUNNING: an attempt is in flight
 * @FERRY_TASK_STATE_SUCCEEDED: delivered; the response is kept
 * @FERRY_TASK_STATE_FAILED: will not be tried again without a retry
 * @FERRY_TASK_STATE_CONFLICT: the server's copy moved on; needs a decision
 * @FERRY_TASK_STATE_AUTH_REQUIRED: the server wants credentials
 * @FERRY_TASK_STATE_CANCELLED: dropped by its owner or the person
 *
 * The life of a task; the numbers are stored on disk and never change.
 */
typedef enum {
  FERRY_TASK_STATE_PENDING = 0,
  FERRY_TASK_STATE_RUNNING = 1,
  FERRY_TASK_STATE_SUCCEEDED = 2,
  FERRY_TASK_STATE_FAILED = 3,
  FERRY_TASK_STATE_CONFLICT = 4,
  FERRY_TASK_STATE_AUTH_REQUIRED = 5,
  FERRY_TASK_STATE_CANCELLED = 6,
} FerryTaskState;

#define FERRY_N_TASK_STATES 7

/**
 * FerryPriority:
 *
 * How urgent a task is; higher runs first across groups.  Stored as the
 * number, so the order of the values matters.
 */
typedef enum {
  FERRY_PRIORITY_LOW = 0,
  FERRY_PRIORITY_MEDIUM = 1,
  FERRY_PRIORITY_HIGH = 2,
  FERRY_PRIORITY_CRITICAL = 3,
} FerryPriority;

/**
 * FerryUniquePolicy:
 * @FERRY_UNIQUE_REPLACE: a pending task of the same owner and name gets the
 *   new payload (and keeps its place in line)
 * @FERRY_UNIQUE_KEEP: the pending task stays as it is; the new one is dropped
 * @FERRY_UNIQUE_APPEND: the new task is queued behind the pending one
 *
 * What enqueueing a named task does when its owner still has a pending task
 * of that name.
 */
typedef enum {
  FERRY_UNIQUE_REPLACE = 0,
  FERRY_UNIQUE_KEEP = 1,
  FERRY_UNIQUE_APPEND = 2,
} FerryUniquePolicy;

/**
 * FerryConflictStrategy:
 *
 * How a 409/412 answer is settled.
 */
typedef enum {
  FERRY_CONFLICT_ASK = 0,
  FERRY_CONFLICT_CLIENT_WINS = 1,
  FERRY_CONFLICT_SERVER_WINS = 2,
  FERRY_CONFLICT_LAST_MODIFIED_WINS = 3,
  FERRY_CONFLICT_MERGE = 4,
  FERRY_CONFLICT_CUSTOM = 5,
} FerryConflictStrategy;

/**
 * FerryResolveChoice:
 * @FERRY_RESOLVE_LOCAL: send the local change again over the server's copy
 * @FERRY_RESOLVE_REMOTE: drop the local change and keep the server's copy
 * @FERRY_RESOLVE_BODY: send the given body instead (e.g. a merged document)
 *
 * How a person or an app settles a task waiting in conflict.
 */
typedef enum {
  FERRY_RESOLVE_LOCAL = 0,
  FERRY_RESOLVE_REMOTE = 1,
  FERRY_RESOLVE_BODY = 2,
} FerryResolveChoice;

/**
 * FerryServerCopy:
 * @FERRY_SERVER_COPY_UNKNOWN: no copy of the server's is known (no
 *   conflict, or it could not be fetched)
 * @FERRY_SERVER_COPY_PRESENT: the task's response is the server's copy
 * @FERRY_SERVER_COPY_DELETED: the server's copy is gone: deleted there
 *
 * What a task in conflict knows of the server's copy.
 */
typedef enum {
  FERRY_SERVER_COPY_UNKNOWN = 0,
  FERRY_SERVER_COPY_PRESENT = 1,
  FERRY_SERVER_COPY_DELETED = 2,
} FerryServerCopy;

/* Limits checked by ferry_task_validate(). */
#define FERRY_TASK_MAX_BODY_SIZE        (16 * 1024 * 1024)
#define FERRY_TASK_MAX_NAME_LENGTH      256
#define FERRY_TASK_MAX_URL_LENGTH       8192
#define FERRY_TASK_MAX_HEADERS          100
#define FERRY_TASK_MAX_HEADER_SIZE      8192
#define FERRY_TASK_MAX_RESPONSE_BODY    (64 * 1024)

#define FERRY_TYPE_TASK (ferry_task_get_type ())

typedef struct _FerryTask FerryTask;

/**
 * FerryTask:
 *
 * One change to deliver: a plain reference-counted record.  Every string is
 * owned by the task; nullable fields are %NULL when unset; times are
 * microseconds since the Unix epoch as g_get_real_time() counts, 0 when
 * unset.  Headers are kept as a %NULL-terminated flat array of name and
 * value strings (`name0, value0, name1, value1, …, NULL`).
 *
 * The payload (body, base and response body) may be left out: a task the
 * store read without it has `has_payload` %FALSE and those three %NULL,
 * and the store leaves the stored payload as it is when such a task is
 * written.  `body_size` is known either way.
 */
struct _FerryTask
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  /* identity */
  char                  *id;             /* UUID, set by the store */
  gint64                 seq;            /* enqueue order, set by the store */
  char                  *owner;          /* calling app's id */
  char                  *name;           /* nullable */
  char                  *group;          /* nullable: ordering key within owner */

  /* the request */
  char                  *method;
  char                  *url;
  char                 **headers;        /* flat name/value pairs, nullable */
  char                 **secret_headers; /* extra header names to hide, nullable */
  GBytes                *body;           /* nullable */
  char                  *content_type;   /* nullable */
  char                  *idempotency_key;
  char                  *if_match;       /* nullable */

  /* policy */
  FerryPriority          priority;
  FerryUniquePolicy      unique;         /* used at enqueue only, not stored */
  guint                  max_attempts;   /* 0 means the manager's default */
  gint64                 not_before;
  gint64                 expires;
  gboolean               unmetered_only;
  FerryConflictStrategy  conflict_strategy;
  char                  *conflict_url;   /* nullable */
  GBytes                *base;           /* nullable: what the app edited from */
  char                 **merge_rules;    /* nullable: flat pairs of JSON pointer and
                                            "local" or "remote" */
  char                  *timestamp_pointer; /* nullable: JSON pointer for
                                               last-modified-wins (default /updated_at) */

  /* progress */
  FerryTaskState         state;
  guint                  attempts;
  gint64                 next_attempt;
  gint64                 created;
  gint64                 updated;
  char                  *last_error;     /* nullable */
  guint                  last_status;    /* last HTTP status, 0 when none */
  gint64                 failing_since;  /* first of the transient failures in a
                                            row still going on, 0 when none */

  /* final response (or the server's copy for a conflict) */
  guint                  response_status;
  char                 **response_headers; /* flat pairs, nullable */
  GBytes                *response_body;    /* nullable: the answer's first 64 KiB,
                                              or the server's whole copy */

  /* what was read */
  gboolean               has_payload;    /* body, base and response_body are
                                            the task's, not left out */
  guint64                body_size;      /* the stored body's size, also when
                                            the payload was left out */
};

GType        ferry_task_get_type              (void) G_GNUC_CONST;
FerryTask   *ferry_task_new                   (void);
FerryTask   *ferry_task_ref                   (FerryTask       *self);
void         ferry_task_unref                 (FerryTask       *self);
FerryTask   *ferry_task_copy                  (const FerryTask *self);

gboolean     ferry_task_validate              (const FerryTask *self,
                                               GError         **error);

const char  *ferry_task_get_header            (const FerryTask *self,
                                               const char      *name);
void         ferry_task_add_header            (FerryTask       *self,
                                               const char      *name,
                                               const char      *value);
gboolean     ferry_task_header_is_secret      (const FerryTask *self,
                                               const char      *name);
char        *ferry_task_dup_host              (const FerryTask *self);
gboolean     ferry_task_state_is_final        (FerryTaskState   state);
gboolean     ferry_task_state_holds_group     (FerryTaskState   state);
FerryServerCopy ferry_task_get_server_copy    (const FerryTask *self);
guint64      ferry_task_get_body_size         (const FerryTask *self);
const char  *ferry_server_copy_to_string      (FerryServerCopy  copy);

const char  *ferry_task_state_to_string       (FerryTaskState   state);
gboolean     ferry_task_state_from_string     (const char      *str,
                                               FerryTaskState  *out_state);
const char  *ferry_priority_to_string         (FerryPriority    priority);
gboolean     ferry_priority_from_string       (const char      *str,
                                               FerryPriority   *out_priority);
const char  *ferry_unique_policy_to_string    (FerryUniquePolicy policy);
gboolean     ferry_unique_policy_from_string  (const char      *str,
                                               FerryUniquePolicy *out_policy);
const char  *ferry_conflict_strategy_to_string   (FerryConflictStrategy strategy);
gboolean     ferry_conflict_strategy_from_string (const char           *str,
                                                  FerryConflictStrategy *out_strategy);
const char  *ferry_resolve_choice_to_string   (FerryResolveChoice choice);
gboolean     ferry_resolve_choice_from_string (const char        *str,
                                               FerryResolveChoice *out_choice);

gboolean     ferry_header_name_is_secret      (const char      *name);
void         ferry_header_list_add            (char          ***headers,
                                               const char      *name,
                                               const char      *value);
char        *ferry_format_headers_for_log     (const char * const *headers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTask, ferry_task_unref)

G_END_DECLS
