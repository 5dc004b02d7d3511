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

/* The setters below take @value and say whether it differs from the
 * field, notifying @prop_id (when not PROP_0) if it does. */
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
    if ((self)->fields.field != (value))                                       \
      {                                                                        \
        (self)->fields.field = (value);                                        \
        *(changed) = TRUE;                                                     \
        if ((prop_id) != PROP_0)                                               \
          g_object_notify_by_pspec (G_OBJECT (self), properties[(prop_id)]);  \
      }                                                                        \
  } G_STMT_END

/* Moves what @next holds into @self's fields, field by field in the order
 * of the dictionary's documentation, notifying the properties whose value
 * changed; returns whether any field did (including those without a
 * property). */
static gboolean
apply_fields (FerryTaskInfo   *self,
              FerryTaskFields *next)
{
  FerryTaskFields *fields = &self->fields;
  gboolean changed = FALSE;

#define STEAL(field) g_steal_pointer (&next->field)
  set_string (self, &fields->id, STEAL (id), PROP_ID, &changed);
  set_string (self, &fields->owner, STEAL (owner), PROP_OWNER, &changed);
  set_string (self, &fields->name, STEAL (name), PROP_NAME, &changed);
  set_string (self, &fields->group, STEAL (group), PROP_GROUP, &changed);
  set_string (self, &fields->method, STEAL (method), PROP_METHOD, &changed);
  set_string (self, &fields->url, STEAL (url), PROP_URL, &changed);
  set_strv (&fields->headers, STEAL (headers), &changed);
  set_strv (&fields->hidden_headers, STEAL (hidden_headers), &changed);
  set_strv (&fields->secret_headers, STEAL (secret_headers), &changed);
  set_string (self, &fields->content_type, STEAL (content_type), PROP_0, &changed);
  set_bytes (&fields->body, STEAL (body), &changed);
  SET_NUMBER (self, body_size, next->body_size, PROP_0, &changed);
  SET_NUMBER (self, priority, next->priority, PROP_PRIORITY, &changed);
  SET_NUMBER (self, state, next->state, PROP_STATE, &changed);
  SET_NUMBER (self, attempts, next->attempts, PROP_ATTEMPTS, &changed);
  SET_NUMBER (self, max_attempts, next->max_attempts, PROP_MAX_ATTEMPTS, &changed);
  SET_NUMBER (self, next_attempt, next->next_attempt, PROP_NEXT_ATTEMPT, &changed);
  SET_NUMBER (self, failing_since, next->failing_since, PROP_FAILING_SINCE, &changed);
  SET_NUMBER (self, created, next->created, PROP_CREATED, &changed);
  SET_NUMBER (self, updated, next->updated, PROP_UPDATED, &changed);
  SET_NUMBER (self, not_before, next->not_before, PROP_0, &changed);
  SET_NUMBER (self, expires, next->expires, PROP_0, &changed);
  SET_NUMBER (self, unmetered_only, next->unmetered_only, PROP_0, &changed);
  set_string (self, &fields->idempotency_key, STEAL (idempotency_key), PROP_0, &changed);
  set_string (self, &fields->if_match, STEAL (if_match), PROP_0, &changed);
  SET_NUMBER (self, conflict_strategy, next->conflict_strategy, PROP_0, &changed);
  set_string (self, &fields->conflict_url, STEAL (conflict_url), PROP_0, &changed);
  set_string (self, &fields->last_error, STEAL (last_error), PROP_LAST_ERROR, &changed);
  SET_NUMBER (self, last_status, next->last_status, PROP_LAST_STATUS, &changed);
  SET_NUMBER (self, response_status, next->response_status, PROP_RESPONSE_STATUS, &changed);
  SET_NUMBER (self, server_copy, next->server_copy, PROP_0, &changed);
  set_strv (&fields->response_headers, STEAL (response_headers), &changed);
  set_bytes (&fields->response_body, STEAL (response_body), &changed);
  set_bytes (&fields->base, STEAL (base), &changed);
  set_strv (&fields->merge_rules, STEAL (merge_rules), &changed);
  set_string (self, &fields->timestamp_pointer, STEAL (timestamp_pointer), PROP_0, &changed);
#undef STEAL

  return changed;
}

static void
ferry_task_info_finalize (GObject *object)
{
  FerryTaskInfo *self = (FerryTaskInfo *) object;

  g_clear_pointer (&self->variant, g_variant_unref);
  ferry_task_fields_clear (&self->fields);

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
      g_value_set_string (value, self->fields.id);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->fields.owner);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->fields.name);
      break;
    case PROP_GROUP:
      g_value_set_string (value, self->fields.group);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->fields.method);
      break;
    case PROP_URL:
      g_value_set_string (value, self->fields.url);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, self->fields.priority);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->fields.state);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->fields.attempts);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->fields.max_attempts);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_int64 (value, self->fields.next_attempt);
      break;
    case PROP_FAILING_SINCE:
      g_value_set_int64 (value, self->fields.failing_since);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->fields.created);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->fields.updated);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->fields.last_error);
      break;
    case PROP_LAST_STATUS:
      g_value_set_uint (value, self->fields.last_status);
      break;
    case PROP_RESPONSE_STATUS:
      g_value_set_uint (value, self->fields.response_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Every property is read-only, and all but three have these shapes. */
static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
uint_property (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

/* Whether the task arrived, and what it is: who sent which request. */
static void
install_request_properties (void)
{
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
  properties[PROP_ID] = string_property ("id");

  /**
   * FerryTaskInfo:owner:
   *
   * The app that added the task.
   */
  properties[PROP_OWNER] = string_property ("owner");

  /**
   * FerryTaskInfo:name:
   *
   * The task's name, or %NULL.
   */
  properties[PROP_NAME] = string_property ("name");

  /**
   * FerryTaskInfo:group:
   *
   * The task's ordering group, or %NULL.
   */
  properties[PROP_GROUP] = string_property ("group");

  /**
   * FerryTaskInfo:method:
   *
   * The HTTP method.
   */
  properties[PROP_METHOD] = string_property ("method");

  /**
   * FerryTaskInfo:url:
   *
   * The URL the request goes to.
   */
  properties[PROP_URL] = string_property ("url");

  /**
   * FerryTaskInfo:priority:
   *
   * How urgent the task is.
   */
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL,
                       FERRY_TYPE_CLIENT_PRIORITY, FERRY_CLIENT_PRIORITY_MEDIUM,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

/* Where the task is in its life. */
static void
install_progress_properties (void)
{
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
  properties[PROP_ATTEMPTS] = uint_property ("attempts");

  /**
   * FerryTaskInfo:max-attempts:
   *
   * The attempt limit; 0 means the agent's default.
   */
  properties[PROP_MAX_ATTEMPTS] = uint_property ("max-attempts");

  /**
   * FerryTaskInfo:next-attempt:
   *
   * When the next attempt is due (µs since the epoch), 0 when none is.
   */
  properties[PROP_NEXT_ATTEMPT] = int64_property ("next-attempt");

  /**
   * FerryTaskInfo:failing-since:
   *
   * Since when the task's attempts keep failing in a way worth retrying
   * (µs since the epoch); 0 while they do not.
   */
  properties[PROP_FAILING_SINCE] = int64_property ("failing-since");

  /**
   * FerryTaskInfo:created:
   *
   * When the task was added (µs since the epoch).
   */
  properties[PROP_CREATED] = int64_property ("created");

  /**
   * FerryTaskInfo:updated:
   *
   * When the task last changed (µs since the epoch).
   */
  properties[PROP_UPDATED] = int64_property ("updated");

  /**
   * FerryTaskInfo:last-error:
   *
   * Why the last attempt did not succeed, or %NULL.
   */
  properties[PROP_LAST_ERROR] = string_property ("last-error");

  /**
   * FerryTaskInfo:last-status:
   *
   * The HTTP status of the last attempt, 0 when there was none.
   */
  properties[PROP_LAST_STATUS] = uint_property ("last-status");

  /**
   * FerryTaskInfo:response-status:
   *
   * The status of the final response (or of the server's copy in a
   * conflict), 0 when there is none.
   */
  properties[PROP_RESPONSE_STATUS] = uint_property ("response-status");

}

static void
ferry_task_info_class_init (FerryTaskInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_task_info_finalize;
  object_class->get_property = ferry_task_info_get_property;

  install_request_properties ();
  install_progress_properties ();
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_task_info_init (FerryTaskInfo *self)
{
  ferry_task_fields_init (&self->fields);
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
  FerryTaskFields next;
  gboolean changed;
  gboolean was_loaded;

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

  ferry_task_fields_init (&next);
  ferry_task_fields_read (&next, task);

  g_object_freeze_notify (G_OBJECT (self));
  changed = apply_fields (self, &next);
  if (!was_loaded)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  ferry_task_fields_clear (&next);
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
 * Tells whether the data of @self has arrived.
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
 * Gets the task's UUID; %NULL only while unloaded.
 *
 * Returns: (nullable): the task's UUID; %NULL only while unloaded
 */
const char *
ferry_task_info_get_id (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.id;
}

/**
 * ferry_task_info_get_owner:
 * @self: a task info
 *
 * Gets the app that added the task.
 *
 * Returns: (nullable): the app that added the task
 */
const char *
ferry_task_info_get_owner (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.owner;
}

/**
 * ferry_task_info_get_name:
 * @self: a task info
 *
 * Gets the task's name.
 *
 * Returns: (nullable): the task's name
 */
const char *
ferry_task_info_get_name (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.name;
}

/**
 * ferry_task_info_get_group:
 * @self: a task info
 *
 * Gets the task's ordering group.
 *
 * Returns: (nullable): the task's ordering group
 */
const char *
ferry_task_info_get_group (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.group;
}

/**
 * ferry_task_info_get_method:
 * @self: a task info
 *
 * Gets the HTTP method.
 *
 * Returns: (nullable): the HTTP method
 */
const char *
ferry_task_info_get_method (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.method;
}

/**
 * ferry_task_info_get_url:
 * @self: a task info
 *
 * Gets the URL.
 *
 * Returns: (nullable): the URL
 */
const char *
ferry_task_info_get_url (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), NULL);
  return self->fields.url;
}

/**
 * ferry_task_info_get_priority:
 * @self: a task info
 *
 * Gets the task's priority.
 *
 * Returns: the task's priority
 */
FerryClientPriority
ferry_task_info_get_priority (FerryTaskInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_INFO (self), FERRY_CLIENT_PRIORITY_MEDIUM);
  return self->fields.priority;
}
