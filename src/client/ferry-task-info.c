/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-info"

#include "config.h"

#include "ferry-error.h"
#include "ferry-client-enum-types.h"
#include "ferry-task-info-private.h"

/**
 * FerryTaskInfo:
 *
 * One task as the agent reported it: a read-only snapshot of a task
 * dictionary (what `Get` and `List` return) with typed fields.
 *
 * Items of a #FerryTaskList start out unloaded (#FerryTaskInfo:loaded
 * is %FALSE, every field empty) and fill in when their page arrives; the
 * properties notify when that happens and whenever a later reload changes
 * them.  String fields are %NULL when the agent left them out.
 */
struct _FerryTaskInfo
{
  GObject parent_instance;

  /* owned */
  GVariant *variant;
  char *id;
  char *owner;
  char *name;
  char *group;
  char *method;
  char *url;
  char **headers;
  char **hidden_headers;
  char **secret_headers;
  char *content_type;
  GBytes *body;
  char *idempotency_key;
  char *if_match;
  char *conflict_url;
  char *last_error;
  char **response_headers;
  GBytes *response_body;
  GBytes *base;
  char **merge_rules;
  char *timestamp_pointer;

  /* state */
  guint64 body_size;
  FerryClientPriority priority;
  FerryClientTaskState state;
  FerryClientConflictStrategy conflict_strategy;
  guint attempts;
  guint max_attempts;
  gint64 next_attempt;
  gint64 failing_since;
  gint64 created;
  gint64 updated;
  gint64 not_before;
  gint64 expires;
  guint last_status;
  guint response_status;
  FerryClientServerCopy server_copy;
  gboolean unmetered_only;
};

G_DEFINE_FINAL_TYPE (FerryTaskInfo, ferry_task_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ID,
  PROP_OWNER,
  PROP_NAME,
  PROP_GROUP,
  PROP_METHOD,
  PROP_URL,
  PROP_PRIORITY,
  PROP_STATE,
  PROP_ATTEMPTS,
  PROP_MAX_ATTEMPTS,
  PROP_NEXT_ATTEMPT,
  PROP_FAILING_SINCE,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_LAST_ERROR,
  PROP_LAST_STATUS,
  PROP_RESPONSE_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
lookup_string (GVariant   *task,
               const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (task, key, "&s", &value))
    return NULL;
  return g_strdup (value);
}

/* Takes @name, as lookup_string() returns it. */
static FerryClientServerCopy
parse_server_copy (char *name)
{
  g_autofree char *owned = name;

  if (g_strcmp0 (owned, "present") == 0)
    return FERRY_CLIENT_SERVER_COPY_PRESENT;
  if (g_strcmp0 (owned, "deleted") == 0)
    return FERRY_CLIENT_SERVER_COPY_DELETED;
  return FERRY_CLIENT_SERVER_COPY_UNKNOWN;
}

static char **
lookup_strv (GVariant   *task,
             const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE_STRING_ARRAY);

  if (value == NULL)
    return NULL;
  return g_variant_dup_strv (value, NULL);
}

/* a{ss} into flat name/value pairs, in the order the agent sent them. */
static char **
lookup_header_pairs (GVariant   *task,
                     const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GStrvBuilder) builder = NULL;
  GVariantIter iter;
  const char *name;
  const char *header_value;

  if (value == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &header_value))
    {
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, header_value);
    }
  return g_strv_builder_end (builder);
}

static GBytes *
lookup_bytes (GVariant   *task,
              const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (task, key, G_VARIANT_TYPE_BYTESTRING);

  if (value == NULL)
    return NULL;
  return g_variant_get_data_as_bytes (value);
}

static guint
lookup_uint (GVariant   *task,
             const char *key)
{
  guint32 value = 0;

  g_variant_lookup (task, key, "u", &value);
  return value;
}

static gint64
lookup_int64 (GVariant   *task,
              const char *key)
{
  gint64 value = 0;

  g_variant_lookup (task, key, "x", &value);
  return value;
}

static void
set_string (FerryTaskInfo  *self,
            char          **field,
            char           *value,
            guint           prop_id,
            gboolean       *changed)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  *changed = TRUE;
  if (prop_id != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_strv (char     ***field,
          char      **value,
          gboolean   *changed)
{
  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL
      && g_strv_equal ((const char * const *) *field, (const char * const *) value))
    {
      g_strfreev (value);
      return;
    }
  g_strfreev (*field);
  *field = value;
  *changed = TRUE;
}

static void
set_bytes (GBytes  **field,
           GBytes   *value,
           gboolean *changed)
{
  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL && g_bytes_equal (*field, value))
    {
      g_bytes_unref (value);
      return;
    }
  g_clear_pointer (field, g_bytes_unref);
  *field = value;
  *changed = TRUE;
}

#define SET_NUMBER(self, field, value, prop_id, changed)                       \
  G_STMT_START {                                                               \
    if ((self)->field != (value))                                              \
      {                                                                        \
        (self)->field = (value);                                               \
        *(changed) = TRUE;                                                     \
        if ((prop_id) != PROP_0)                                               \
          g_object_notify_by_pspec (G_OBJECT (self), properties[(prop_id)]);  \
      }                                                                        \
  } G_STMT_END

static void
ferry_task_info_finalize (GObject *object)
{
  FerryTaskInfo *self = (FerryTaskInfo *) object;

  g_clear_pointer (&self->variant, g_variant_unref);
  g_free (self->id);
  g_free (self->owner);
  g_free (self->name);
  g_free (self->group);
  g_free (self->method);
  g_free (self->url);
  g_strfreev (self->headers);
  g_strfreev (self->hidden_headers);
  g_strfreev (self->secret_headers);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->idempotency_key);
  g_free (self->if_match);
  g_free (self->conflict_url);
  g_free (self->last_error);
  g_strfreev (self->response_headers);
  g_clear_pointer (&self->response_body, g_bytes_unref);
  g_clear_pointer (&self->base, g_bytes_unref);
  g_clear_pointer (&self->merge_rules, g_strfreev);
  g_clear_pointer (&self->timestamp_pointer, g_free);

  G_OBJECT_CLASS (ferry_task_info_parent_class)->finalize (object);
}

static void
ferry_task_info_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryTaskInfo *self = FERRY_TASK_INFO (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->variant != NULL);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_int64 (value, self->next_attempt);
      break;
    case PROP_FAILING_SINCE:
      g_value_set_int64 (value, self->failing_since);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->updated);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_STATUS:
      g_value_set_uint (value, self->last_status);
      break;
    case PROP_RESPONSE_STATUS:
      g_value_set_uint (value, self->response_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_info_class_init (FerryTaskInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_task_info_finalize;
  object_class->get_property = ferry_task_info_get_property;

  /**
   * FerryTaskInfo:loaded:
   *
   * %FALSE while this item's data has not arrived yet.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:id:
   *
   * The task's UUID.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:owner:
   *
   * The app that added the task.
   */
  properties[PROP_OWNER] =
    g_param_spec_string ("owner", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:name:
   *
   * The task's name, or %NULL.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:group:
   *
   * The task's ordering group, or %NULL.
   */
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:method:
   *
   * The HTTP method.
   */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:url:
   *
   * The URL the request goes to.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:priority:
   *
   * How urgent the task is.
   */
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL,
                       FERRY_TYPE_CLIENT_PRIORITY, FERRY_CLIENT_PRIORITY_MEDIUM,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:state:
   *
   * Where the task is in its life.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       FERRY_TYPE_CLIENT_TASK_STATE, FERRY_CLIENT_TASK_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:attempts:
   *
   * Attempts made so far.
   */
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:max-attempts:
   *
   * The attempt limit; 0 means the agent's default.
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:next-attempt:
   *
   * When the next attempt is due (µs since the epoch), 0 when none is.
   */
  properties[PROP_NEXT_ATTEMPT] =
    g_param_spec_int64 ("next-attempt", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:failing-since:
   *
   * Since when the task's attempts keep failing in a way worth retrying
   * (µs since the epoch); 0 while they do not.
   */
  properties[PROP_FAILING_SINCE] =
    g_param_spec_int64 ("failing-since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:created:
   *
   * When the task was added (µs since the epoch).
   */
  properties[PROP_CREATED] =
    g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:updated:
   *
   * When the task last changed (µs since the epoch).
   */
  properties[PROP_UPDATED] =
    g_param_spec_int64 ("updated", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:last-error:
   *
   * Why the last attempt did not succeed, or %NULL.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:last-status:
   *
   * The HTTP status of the last attempt, 0 when there was none.
   */
  properties[PROP_LAST_STATUS] =
    g_param_spec_uint ("last-status", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryTaskInfo:response-status:
   *
   * The status of the final response (or of the server's copy in a
   * conflict), 0 when there is none.
   */
  properties[PROP_RESPONSE_STATUS] =
    g_param_spec_uint ("response-status", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_task_info_init (FerryTaskInfo *self)
{
  self->priority = FERRY_CLIENT_PRIORITY_MEDIUM;
  self->state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  self->conflict_strategy = FERRY_CLIENT_CONFLICT_ASK;
}

/* Private API, for the client and the task list. */

FerryTaskInfo *
ferry_task_info_new_unloaded (void)
{
  return g_object_new (FERRY_TYPE_TASK_INFO, NULL);
}

/* The id of a task dictionary, or NULL when it has none. */
const char *
ferry_task_info_peek_id (GVariant *task)
{
  const char *id = NULL;

  if (task == NULL || !g_variant_is_of_type (task, G_VARIANT_TYPE_VARDICT))
    return NULL;
  g_variant_lookup (task, "id", "&s", &id);
  return id;
}

/* The dictionary @self was read from, or NULL while unloaded. */
GVariant *
ferry_task_info_get_variant (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->variant;
}

/*
 * Reads @task into @self.  Notifies only the properties whose value
 * changed, all at once when the update is done; @out_changed says whether
 * anything did (including fields that have no property).
 */
gboolean
ferry_task_info_update (FerryTaskInfo  *self,
                        GVariant       *task,
                        gboolean       *out_changed,
                        GError        **error)
{
  gboolean changed = FALSE;
  gboolean was_loaded;
  const char *state_name = NULL;
  const char *priority_name = NULL;
  const char *strategy_name = NULL;
  FerryClientTaskState state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  FerryClientPriority priority = FERRY_CLIENT_PRIORITY_MEDIUM;
  FerryClientConflictStrategy strategy = FERRY_CLIENT_CONFLICT_ASK;
  guint64 body_size = 0;
  gboolean unmetered_only = FALSE;

  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FALSE);
  g_return_val_if_fail (task != NULL, FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;

  if (!g_variant_is_of_type (task, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                   "task: expected a dictionary of type a{sv}, got %s",
                   g_variant_get_type_string (task));
      return FALSE;
    }
  if (ferry_task_info_peek_id (task) == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                           "task: the key id is missing or not a string");
      return FALSE;
    }

  if (self->variant != NULL && g_variant_equal (self->variant, task))
    return TRUE;

  was_loaded = self->variant != NULL;
  g_clear_pointer (&self->variant, g_variant_unref);
  self->variant = g_variant_ref_sink (task);

  g_variant_lookup (task, "state", "&s", &state_name);
  if (!ferry_client_task_state_from_string (state_name, &state))
    state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  g_variant_lookup (task, "priority", "&s", &priority_name);
  if (!ferry_client_priority_from_string (priority_name, &priority))
    priority = FERRY_CLIENT_PRIORITY_MEDIUM;
  g_variant_lookup (task, "conflict-strategy", "&s", &strategy_name);
  if (!ferry_client_conflict_strategy_from_string (strategy_name, &strategy))
    strategy = FERRY_CLIENT_CONFLICT_ASK;
  g_variant_lookup (task, "body-size", "t", &body_size);
  g_variant_lookup (task, "unmetered-only", "b", &unmetered_only);

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->id, lookup_string (task, "id"), PROP_ID, &changed);
  set_string (self, &self->owner, lookup_string (task, "owner"), PROP_OWNER, &changed);
  set_string (self, &self->name, lookup_string (task, "name"), PROP_NAME, &changed);
  set_string (self, &self->group, lookup_string (task, "group"), PROP_GROUP, &changed);
  set_string (self, &self->method, lookup_string (task, "method"), PROP_METHOD, &changed);
  set_string (self, &self->url, lookup_string (task, "url"), PROP_URL, &changed);
  set_strv (&self->headers, lookup_header_pairs (task, "headers"), &changed);
  set_strv (&self->hidden_headers, lookup_strv (task, "hidden-headers"), &changed);
  set_strv (&self->secret_headers, lookup_strv (task, "secret-headers"), &changed);
  set_string (self, &self->content_type, lookup_string (task, "content-type"), PROP_0,
              &changed);
  set_bytes (&self->body, lookup_bytes (task, "body"), &changed);
  SET_NUMBER (self, body_size, body_size, PROP_0, &changed);
  SET_NUMBER (self, priority, priority, PROP_PRIORITY, &changed);
  SET_NUMBER (self, state, state, PROP_STATE, &changed);
  SET_NUMBER (self, attempts, lookup_uint (task, "attempts"), PROP_ATTEMPTS, &changed);
  SET_NUMBER (self, max_attempts, lookup_uint (task, "max-attempts"), PROP_MAX_ATTEMPTS,
              &changed);
  SET_NUMBER (self, next_attempt, lookup_int64 (task, "next-attempt"), PROP_NEXT_ATTEMPT,
              &changed);
  SET_NUMBER (self, failing_since, lookup_int64 (task, "failing-since"), PROP_FAILING_SINCE,
              &changed);
  SET_NUMBER (self, created, lookup_int64 (task, "created"), PROP_CREATED, &changed);
  SET_NUMBER (self, updated, lookup_int64 (task, "updated"), PROP_UPDATED, &changed);
  SET_NUMBER (self, not_before, lookup_int64 (task, "not-before"), PROP_0, &changed);
  SET_NUMBER (self, expires, lookup_int64 (task, "expires"), PROP_0, &changed);
  SET_NUMBER (self, unmetered_only, unmetered_only, PROP_0, &changed);
  set_string (self, &self->idempotency_key, lookup_string (task, "idempotency-key"), PROP_0,
              &changed);
  set_string (self, &self->if_match, lookup_string (task, "if-match"), PROP_0, &changed);
  SET_NUMBER (self, conflict_strategy, strategy, PROP_0, &changed);
  set_string (self, &self->conflict_url, lookup_string (task, "conflict-url"), PROP_0,
              &changed);
  set_string (self, &self->last_error, lookup_string (task, "last-error"), PROP_LAST_ERROR,
              &changed);
  SET_NUMBER (self, last_status, lookup_uint (task, "last-status"), PROP_LAST_STATUS,
              &changed);
  SET_NUMBER (self, response_status, lookup_uint (task, "response-status"),
              PROP_RESPONSE_STATUS, &changed);
  SET_NUMBER (self, server_copy, parse_server_copy (lookup_string (task, "server-copy")), PROP_0,
              &changed);
  set_strv (&self->response_headers, lookup_header_pairs (task, "response-headers"), &changed);
  set_bytes (&self->response_body, lookup_bytes (task, "response-body"), &changed);
  set_bytes (&self->base, lookup_bytes (task, "base"), &changed);
  set_strv (&self->merge_rules, lookup_header_pairs (task, "merge-rules"), &changed);
  set_string (self, &self->timestamp_pointer, lookup_string (task, "timestamp-pointer"), PROP_0,
              &changed);

  if (!was_loaded)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;
}

/* Public API */

/**
 * ferry_task_info_new_from_variant:
 * @task: a task dictionary of type `a{sv}`, as `Get` or `List` return it
 *
 * Reads a task dictionary into a new #FerryTaskInfo.  Keys this library
 * does not know are ignored; values of an unexpected type are treated as
 * absent.
 *
 * Returns: (transfer full): the task info
 *
 * Throws: %FERRY_ERROR_PROTOCOL when @task is not a dictionary or has no
 *   string `id`
 */
FerryTaskInfo *
ferry_task_info_new_from_variant (GVariant  *task,
                                  GError   **error)
{
  g_autoptr(FerryTaskInfo) self = NULL;

  g_return_val_if_fail (task != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = ferry_task_info_new_unloaded ();
  if (!ferry_task_info_update (self, task, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * ferry_task_info_get_loaded:
 * @self: a task info
 *
 * Returns: %FALSE while the data of @self has not arrived
 */
gboolean
ferry_task_info_get_loaded (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FALSE);
  return self->variant != NULL;
}

/**
 * ferry_task_info_get_id:
 * @self: a task info
 *
 * Returns: (nullable): the task's UUID; %NULL only while unloaded
 */
const char *
ferry_task_info_get_id (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->id;
}

/**
 * ferry_task_info_get_owner:
 * @self: a task info
 *
 * Returns: (nullable): the app that added the task
 */
const char *
ferry_task_info_get_owner (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->owner;
}

/**
 * ferry_task_info_get_name:
 * @self: a task info
 *
 * Returns: (nullable): the task's name
 */
const char *
ferry_task_info_get_name (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->name;
}

/**
 * ferry_task_info_get_group:
 * @self: a task info
 *
 * Returns: (nullable): the task's ordering group
 */
const char *
ferry_task_info_get_group (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->group;
}

/**
 * ferry_task_info_get_method:
 * @self: a task info
 *
 * Returns: (nullable): the HTTP method
 */
const char *
ferry_task_info_get_method (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->method;
}

/**
 * ferry_task_info_get_url:
 * @self: a task info
 *
 * Returns: (nullable): the URL
 */
const char *
ferry_task_info_get_url (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->url;
}

/**
 * ferry_task_info_get_headers:
 * @self: a task info
 *
 * The request headers as a flat list of names and values (`name0, value0,
 * name1, value1, …`).  For a caller that does not own the task, credential
 * values are empty strings (see ferry_task_info_get_hidden_headers()).
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   headers, or %NULL when there are none
 */
const char * const *
ferry_task_info_get_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->headers;
}

/**
 * ferry_task_info_get_header:
 * @self: a task info
 * @name: a header name (compared case-insensitively)
 *
 * Returns: (nullable): the value of the first header called @name
 */
const char *
ferry_task_info_get_header (FerryTaskInfo *self,
                            const char    *name)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; self->headers != NULL && self->headers[i] != NULL; i += 2)
    {
      if (g_ascii_strcasecmp (self->headers[i], name) == 0)
        return self->headers[i + 1];
    }
  return NULL;
}

/**
 * ferry_task_info_get_secret_headers:
 * @self: a task info
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the task's
 *   own names of credential headers, besides the well-known ones (see
 *   ferry_client_header_is_secret())
 */
const char * const *
ferry_task_info_get_secret_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->secret_headers;
}

/**
 * ferry_task_info_header_is_secret:
 * @self: a task info
 * @name: a header name
 *
 * Returns: whether the value of @name is a credential for this task: a
 *   well-known credential header, or one the task names itself
 */
gboolean
ferry_task_info_header_is_secret (FerryTaskInfo *self,
                                  const char    *name)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), TRUE);
  g_return_val_if_fail (name != NULL, TRUE);

  if (ferry_client_header_is_secret (name))
    return TRUE;
  for (guint i = 0; self->secret_headers != NULL && self->secret_headers[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->secret_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ferry_task_info_get_hidden_headers:
 * @self: a task info
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): names of
 *   headers whose values the agent hid from this caller
 */
const char * const *
ferry_task_info_get_hidden_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->hidden_headers;
}

/**
 * ferry_task_info_get_content_type:
 * @self: a task info
 *
 * Returns: (nullable): the Content-Type of the body
 */
const char *
ferry_task_info_get_content_type (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->content_type;
}

/**
 * ferry_task_info_get_body:
 * @self: a task info
 *
 * The request body.  Only `Get` sends it: a task from a list has none (see
 * ferry_task_info_get_body_size()).
 *
 * Returns: (nullable) (transfer none): the body
 */
GBytes *
ferry_task_info_get_body (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->body;
}

/**
 * ferry_task_info_get_body_size:
 * @self: a task info
 *
 * Returns: the size of the request body in bytes
 */
guint64
ferry_task_info_get_body_size (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->body_size;
}

/**
 * ferry_task_info_get_priority:
 * @self: a task info
 *
 * Returns: the task's priority
 */
FerryClientPriority
ferry_task_info_get_priority (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_PRIORITY_MEDIUM);
  return self->priority;
}

/**
 * ferry_task_info_get_state:
 * @self: a task info
 *
 * Returns: the task's state; %FERRY_CLIENT_TASK_STATE_UNKNOWN for a
 *   task not loaded yet or a state this library does not know
 */
FerryClientTaskState
ferry_task_info_get_state (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_TASK_STATE_UNKNOWN);
  return self->state;
}

/**
 * ferry_task_info_get_state_name:
 * @self: a task info
 *
 * Returns: (nullable): the state as the agent named it, even one this
 *   library does not know; %NULL while unloaded
 */
const char *
ferry_task_info_get_state_name (FerryTaskInfo *self)
{
  const char *name = NULL;

  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);

  if (self->variant != NULL)
    g_variant_lookup (self->variant, "state", "&s", &name);
  return name;
}

/**
 * ferry_task_info_get_attempts:
 * @self: a task info
 *
 * Returns: attempts made so far
 */
guint
ferry_task_info_get_attempts (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->attempts;
}

/**
 * ferry_task_info_get_max_attempts:
 * @self: a task info
 *
 * Returns: the attempt limit; 0 means the agent's default
 */
guint
ferry_task_info_get_max_attempts (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->max_attempts;
}

/**
 * ferry_task_info_get_failing_since:
 * @self: a task info
 *
 * Returns: since when the task's attempts keep failing in a way worth
 *   retrying, in µs since the epoch; 0 while they do not
 */
gint64
ferry_task_info_get_failing_since (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->failing_since;
}

/**
 * ferry_task_info_get_next_attempt:
 * @self: a task info
 *
 * Returns: when the next attempt is due, in µs since the epoch; 0 when none
 */
gint64
ferry_task_info_get_next_attempt (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->next_attempt;
}

/**
 * ferry_task_info_get_created:
 * @self: a task info
 *
 * Returns: when the task was added, in µs since the epoch
 */
gint64
ferry_task_info_get_created (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->created;
}

/**
 * ferry_task_info_get_updated:
 * @self: a task info
 *
 * Returns: when the task last changed, in µs since the epoch
 */
gint64
ferry_task_info_get_updated (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->updated;
}

/**
 * ferry_task_info_get_not_before:
 * @self: a task info
 *
 * Returns: the earliest send time in µs since the epoch; 0 when unset
 */
gint64
ferry_task_info_get_not_before (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->not_before;
}

/**
 * ferry_task_info_get_expires:
 * @self: a task info
 *
 * Returns: the expiry time in µs since the epoch; 0 when unset
 */
gint64
ferry_task_info_get_expires (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->expires;
}

/**
 * ferry_task_info_get_unmetered_only:
 * @self: a task info
 *
 * Returns: whether the task is only sent on an unmetered network
 */
gboolean
ferry_task_info_get_unmetered_only (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FALSE);
  return self->unmetered_only;
}

/**
 * ferry_task_info_get_idempotency_key:
 * @self: a task info
 *
 * Returns: (nullable): the Idempotency-Key sent with every attempt
 */
const char *
ferry_task_info_get_idempotency_key (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->idempotency_key;
}

/**
 * ferry_task_info_get_if_match:
 * @self: a task info
 *
 * Returns: (nullable): the If-Match value sent with the request
 */
const char *
ferry_task_info_get_if_match (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->if_match;
}

/**
 * ferry_task_info_get_conflict_strategy:
 * @self: a task info
 *
 * Returns: how a conflict of this task is settled
 */
FerryClientConflictStrategy
ferry_task_info_get_conflict_strategy (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_CONFLICT_ASK);
  return self->conflict_strategy;
}

/**
 * ferry_task_info_get_conflict_url:
 * @self: a task info
 *
 * Returns: (nullable): where the server's copy is fetched on a conflict,
 *   when not the task's URL
 */
const char *
ferry_task_info_get_conflict_url (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->conflict_url;
}

/**
 * ferry_task_info_get_last_error:
 * @self: a task info
 *
 * Returns: (nullable): why the last attempt did not succeed
 */
const char *
ferry_task_info_get_last_error (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->last_error;
}

/**
 * ferry_task_info_get_last_status:
 * @self: a task info
 *
 * Returns: the HTTP status of the last attempt, 0 when there was none
 */
guint
ferry_task_info_get_last_status (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->last_status;
}

/**
 * ferry_task_info_get_server_copy:
 * @self: a task info
 *
 * Returns: what a task in conflict knows of the server's copy: there,
 *   deleted there, or unknown
 */
FerryClientServerCopy
ferry_task_info_get_server_copy (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_SERVER_COPY_UNKNOWN);
  return self->server_copy;
}

/**
 * ferry_task_info_get_response_status:
 * @self: a task info
 *
 * Returns: the status of the final response, or of the server's copy in a
 *   conflict; 0 when there is none
 */
guint
ferry_task_info_get_response_status (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), 0);
  return self->response_status;
}

/**
 * ferry_task_info_get_response_headers:
 * @self: a task info
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   response headers as flat name/value pairs
 */
const char * const *
ferry_task_info_get_response_headers (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->response_headers;
}

/**
 * ferry_task_info_get_response_body:
 * @self: a task info
 *
 * The final response body, at most 64 KiB.  Only `Get` sends it.
 *
 * Returns: (nullable) (transfer none): the body
 */
GBytes *
ferry_task_info_get_response_body (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->response_body;
}

/**
 * ferry_task_info_get_base:
 * @self: a task info
 *
 * The document the app edited from, for a three-way comparison with the
 * local body and the server's copy.  Only `Get` sends it.
 *
 * Returns: (nullable) (transfer none): the base
 */
GBytes *
ferry_task_info_get_base (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->base;
}

/**
 * ferry_task_info_get_merge_rules:
 * @self: a task info
 *
 * Returns: (nullable) (transfer none): flat pairs of JSON pointer and
 *   "local" or "remote" that settle members changed on both sides
 */
const char * const *
ferry_task_info_get_merge_rules (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return (const char * const *) self->merge_rules;
}

/**
 * ferry_task_info_get_timestamp_pointer:
 * @self: a task info
 *
 * Returns: (nullable): where last-modified-wins finds each copy's time;
 *   %NULL for the default, /updated_at
 */
const char *
ferry_task_info_get_timestamp_pointer (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->timestamp_pointer;
}
