/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-args"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-agent-args-private.h"

/* How much of a rejected value an error message repeats. */
#define MAX_QUOTED_CHARS 64

enum {
  REQ_METHOD,
  REQ_URL,
  REQ_HEADERS,
  REQ_BODY,
  REQ_CONTENT_TYPE,
  REQ_PRIORITY,
  REQ_NAME,
  REQ_UNIQUE,
  REQ_GROUP,
  REQ_IDEMPOTENCY_KEY,
  REQ_IF_MATCH,
  REQ_MAX_ATTEMPTS,
  REQ_NOT_BEFORE,
  REQ_EXPIRES,
  REQ_UNMETERED_ONLY,
  REQ_CONFLICT_STRATEGY,
  REQ_CONFLICT_URL,
  REQ_BASE,
  REQ_APP_ID,
  REQ_SECRET_HEADERS,
  REQ_MERGE_RULES,
  REQ_TIMESTAMP_POINTER,
  N_REQUEST_KEYS
};

static const FerryAgentKeySpec request_keys[] = {
  [REQ_METHOD] = { "method", "s" },
  [REQ_URL] = { "url", "s" },
  [REQ_HEADERS] = { "headers", "a{ss}" },
  [REQ_BODY] = { "body", "ay" },
  [REQ_CONTENT_TYPE] = { "content-type", "s" },
  [REQ_PRIORITY] = { "priority", "s" },
  [REQ_NAME] = { "name", "s" },
  [REQ_UNIQUE] = { "unique", "s" },
  [REQ_GROUP] = { "group", "s" },
  [REQ_IDEMPOTENCY_KEY] = { "idempotency-key", "s" },
  [REQ_IF_MATCH] = { "if-match", "s" },
  [REQ_MAX_ATTEMPTS] = { "max-attempts", "u" },
  [REQ_NOT_BEFORE] = { "not-before", "x" },
  [REQ_EXPIRES] = { "expires", "x" },
  [REQ_UNMETERED_ONLY] = { "unmetered-only", "b" },
  [REQ_CONFLICT_STRATEGY] = { "conflict-strategy", "s" },
  [REQ_CONFLICT_URL] = { "conflict-url", "s" },
  [REQ_BASE] = { "base", "ay" },
  [REQ_APP_ID] = { "app-id", "s" },
  [REQ_SECRET_HEADERS] = { "secret-headers", "as" },
  [REQ_MERGE_RULES] = { "merge-rules", "a{ss}" },
  [REQ_TIMESTAMP_POINTER] = { "timestamp-pointer", "s" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (request_keys) == N_REQUEST_KEYS);
G_STATIC_ASSERT ((int) N_REQUEST_KEYS <= FERRY_AGENT_MAX_DICT_KEYS);

void
ferry_agent_dict_clear (FerryAgentDict *values)
{
  for (guint i = 0; i < G_N_ELEMENTS (values->v); i++)
    g_clear_pointer (&values->v[i], g_variant_unref);
}

/* A rejected value, short enough to put in a message. */
char *
ferry_agent_quote_value (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  g_autofree char *head = NULL;

  if (g_utf8_strlen (valid, -1) <= MAX_QUOTED_CHARS)
    return g_steal_pointer (&valid);
  head = g_utf8_substring (valid, 0, MAX_QUOTED_CHARS);
  return g_strconcat (head, "…", NULL);
}

/*
 * Splits an a{sv} into one value per known key.  Unknown keys, keys given
 * twice and values of another type are errors naming the key.
 */
gboolean
ferry_agent_split_dict (GVariant                 *dict,
                        const char               *what,
                        const FerryAgentKeySpec  *specs,
                        guint                     n_specs,
                        FerryAgentDict           *values,
                        GError                  **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_assert (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      /* Freed on every way out of the loop, early returns included. */
      g_autoptr(GVariant) owned = value;
      guint i;

      for (i = 0; i < n_specs; i++)
        {
          if (g_str_equal (specs[i].name, key))
            break;
        }
      if (i == n_specs)
        {
          g_autofree char *quoted = ferry_agent_quote_value (key);

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: unknown key “%s”", what, quoted);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (specs[i].type)))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: key “%s” must be of type %s, not %s",
                       what, key, specs[i].type, g_variant_get_type_string (value));
          return FALSE;
        }
      if (values->v[i] != NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: key “%s” given twice", what, key);
          return FALSE;
        }
      values->v[i] = g_steal_pointer (&owned);
    }
  return TRUE;
}

char *
ferry_agent_dup_string (GVariant *value)
{
  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

gboolean
ferry_agent_check_length (GVariant    *value,
                          const char  *key,
                          gsize        max,
                          GError     **error)
{
  gsize len = 0;

  if (value == NULL)
    return TRUE;
  g_variant_get_string (value, &len);
  if (len > max)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " bytes is longer than the limit of %"
                   G_GSIZE_FORMAT, key, len, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
ferry_agent_check_not_empty (GVariant    *value,
                             const char  *key,
                             GError     **error)
{
  if (value != NULL && *g_variant_get_string (value, NULL) == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: must not be empty", key);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
dup_bytes (GVariant    *value,
           const char  *key,
           GError     **error)
{
  if (value == NULL)
    return NULL;
  if (g_variant_get_size (value) > FERRY_TASK_MAX_BODY_SIZE)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " bytes is over the limit of %d bytes",
                   key, g_variant_get_size (value), FERRY_TASK_MAX_BODY_SIZE);
      return NULL;
    }
  /* Shares the message's memory instead of copying up to 16 MiB. */
  return g_variant_get_data_as_bytes (value);
}

static char **
parse_headers (GVariant  *value,
               GError   **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  GVariantIter iter;
  const char *name, *header_value;

  if (g_variant_n_children (value) > FERRY_TASK_MAX_HEADERS)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "headers: %" G_GSIZE_FORMAT " headers is more than the limit of %d",
                   g_variant_n_children (value), FERRY_TASK_MAX_HEADERS);
      return NULL;
    }

  builder = g_strv_builder_new ();
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &header_value))
    {
      if (strlen (name) + strlen (header_value) > FERRY_TASK_MAX_HEADER_SIZE)
        {
          g_autofree char *quoted = ferry_agent_quote_value (name);

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "headers: “%s” is longer than the limit of %d bytes",
                       quoted, FERRY_TASK_MAX_HEADER_SIZE);
          return NULL;
        }
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, header_value);
    }
  return g_strv_builder_end (builder);
}

static char **
parse_secret_headers (GVariant  *value,
                      GError   **error)
{
  g_autofree const char **names = NULL;
  gsize n = 0;

  names = g_variant_get_strv (value, &n);
  if (n > FERRY_TASK_MAX_HEADERS)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "secret-headers: %" G_GSIZE_FORMAT " names is more than the limit of %d",
                   n, FERRY_TASK_MAX_HEADERS);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (strlen (names[i]) > FERRY_TASK_MAX_NAME_LENGTH)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "secret-headers: a name is longer than the limit of %d bytes",
                       FERRY_TASK_MAX_NAME_LENGTH);
          return NULL;
        }
    }
  return g_variant_dup_strv (value, NULL);
}

/*
 * a{ss} of JSON pointer → "local" or "remote" into the task's flat pairs.
 * The form of each pointer is ferry_task_validate()'s to check.
 */
static char **
parse_merge_rules (GVariant  *value,
                   GError   **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GVariantIter iter;
  const char *pointer, *rule;

  if (g_variant_n_children (value) > FERRY_AGENT_MAX_MERGE_RULES)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "merge-rules: %" G_GSIZE_FORMAT " rules is more than the limit of %d",
                   g_variant_n_children (value), FERRY_AGENT_MAX_MERGE_RULES);
      return NULL;
    }

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &pointer, &rule))
    {
      g_autofree char *quoted = ferry_agent_quote_value (pointer);

      if (strlen (pointer) > FERRY_TASK_MAX_NAME_LENGTH)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "merge-rules: “%s” is longer than the limit of %d bytes",
                       quoted, FERRY_TASK_MAX_NAME_LENGTH);
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer) pointer))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "merge-rules: “%s” given twice", quoted);
          return NULL;
        }
      if (!g_str_equal (rule, "local") && !g_str_equal (rule, "remote"))
        {
          g_autofree char *quoted_rule = ferry_agent_quote_value (rule);

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "merge-rules: the rule “%s” for “%s” is not local or remote",
                       quoted_rule, quoted);
          return NULL;
        }
      g_strv_builder_add (builder, pointer);
      g_strv_builder_add (builder, rule);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_enumerations (GVariant  **values,
                    FerryTask  *task,
                    GError    **error)
{
  if (values[REQ_PRIORITY] != NULL &&
      !ferry_priority_from_string (g_variant_get_string (values[REQ_PRIORITY], NULL),
                                   &task->priority))
    {
      g_autofree char *quoted = ferry_agent_quote_value (g_variant_get_string (values[REQ_PRIORITY], NULL));

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "priority: “%s” is not low, medium, high or critical", quoted);
      return FALSE;
    }
  if (values[REQ_UNIQUE] != NULL &&
      !ferry_unique_policy_from_string (g_variant_get_string (values[REQ_UNIQUE], NULL),
                                        &task->unique))
    {
      g_autofree char *quoted = ferry_agent_quote_value (g_variant_get_string (values[REQ_UNIQUE], NULL));

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "unique: “%s” is not replace, keep or append", quoted);
      return FALSE;
    }
  if (values[REQ_CONFLICT_STRATEGY] != NULL &&
      !ferry_conflict_strategy_from_string (g_variant_get_string (values[REQ_CONFLICT_STRATEGY],
                                                                  NULL),
                                            &task->conflict_strategy))
    {
      g_autofree char *quoted =
        ferry_agent_quote_value (g_variant_get_string (values[REQ_CONFLICT_STRATEGY], NULL));

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "conflict-strategy: “%s” is not ask, client-wins, server-wins, "
                   "last-modified-wins, merge or custom", quoted);
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_agent_args_parse_request:
 * @request: an Enqueue request (`a{sv}`)
 * @out_app_id: (out) (transfer full) (optional) (nullable): the `app-id`
 *   the request asks for
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT naming the key
 *
 * Builds a task from an Enqueue request.  The owner is left unset: it comes
 * from the caller.  Sizes, types and enumerations are checked here;
 * ferry_task_validate() is the full check once the owner is known.
 *
 * Returns: (transfer full): a new task, or %NULL with @error set
 */
FerryTask *
ferry_agent_args_parse_request (GVariant  *request,
                                char     **out_app_id,
                                GError   **error)
{
  g_auto(FerryAgentDict) dict = { { NULL, } };
  GVariant **values = dict.v;
  g_autoptr(FerryTask) task = NULL;

  g_return_val_if_fail (request != NULL, NULL);

  if (!g_variant_is_of_type (request, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "request: must be of type a{sv}, not %s", g_variant_get_type_string (request));
      return NULL;
    }
  if (!ferry_agent_split_dict (request, "request", request_keys, N_REQUEST_KEYS, &dict, error))
    return NULL;

  if (values[REQ_METHOD] == NULL || values[REQ_URL] == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "request: key “%s” is missing",
                   values[REQ_METHOD] == NULL ? "method" : "url");
      return NULL;
    }
  if (!ferry_agent_check_length (values[REQ_METHOD], "method", 32, error) ||
      !ferry_agent_check_length (values[REQ_URL], "url", FERRY_TASK_MAX_URL_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_CONFLICT_URL], "conflict-url", FERRY_TASK_MAX_URL_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_NAME], "name", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_GROUP], "group", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_APP_ID], "app-id", FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_IDEMPOTENCY_KEY], "idempotency-key",
                     FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_length (values[REQ_CONTENT_TYPE], "content-type", FERRY_TASK_MAX_HEADER_SIZE, error) ||
      !ferry_agent_check_length (values[REQ_IF_MATCH], "if-match", FERRY_TASK_MAX_HEADER_SIZE, error) ||
      !ferry_agent_check_length (values[REQ_TIMESTAMP_POINTER], "timestamp-pointer",
                     FERRY_TASK_MAX_NAME_LENGTH, error) ||
      !ferry_agent_check_not_empty (values[REQ_METHOD], "method", error) ||
      !ferry_agent_check_not_empty (values[REQ_URL], "url", error) ||
      !ferry_agent_check_not_empty (values[REQ_NAME], "name", error) ||
      !ferry_agent_check_not_empty (values[REQ_GROUP], "group", error) ||
      !ferry_agent_check_not_empty (values[REQ_APP_ID], "app-id", error) ||
      !ferry_agent_check_not_empty (values[REQ_IDEMPOTENCY_KEY], "idempotency-key", error))
    return NULL;

  task = ferry_task_new ();
  task->method = ferry_agent_dup_string (values[REQ_METHOD]);
  task->url = ferry_agent_dup_string (values[REQ_URL]);
  task->content_type = ferry_agent_dup_string (values[REQ_CONTENT_TYPE]);
  task->name = ferry_agent_dup_string (values[REQ_NAME]);
  task->group = ferry_agent_dup_string (values[REQ_GROUP]);
  task->idempotency_key = ferry_agent_dup_string (values[REQ_IDEMPOTENCY_KEY]);
  task->if_match = ferry_agent_dup_string (values[REQ_IF_MATCH]);
  task->conflict_url = ferry_agent_dup_string (values[REQ_CONFLICT_URL]);
  task->timestamp_pointer = ferry_agent_dup_string (values[REQ_TIMESTAMP_POINTER]);

  if (values[REQ_HEADERS] != NULL &&
      (task->headers = parse_headers (values[REQ_HEADERS], error)) == NULL)
    return NULL;
  if (values[REQ_SECRET_HEADERS] != NULL &&
      (task->secret_headers = parse_secret_headers (values[REQ_SECRET_HEADERS], error)) == NULL)
    return NULL;
  if (values[REQ_BODY] != NULL &&
      (task->body = dup_bytes (values[REQ_BODY], "body", error)) == NULL)
    return NULL;
  if (values[REQ_BASE] != NULL &&
      (task->base = dup_bytes (values[REQ_BASE], "base", error)) == NULL)
    return NULL;
  if (values[REQ_MERGE_RULES] != NULL &&
      (task->merge_rules = parse_merge_rules (values[REQ_MERGE_RULES], error)) == NULL)
    return NULL;
  if (!parse_enumerations (values, task, error))
    return NULL;

  if (values[REQ_MAX_ATTEMPTS] != NULL)
    task->max_attempts = g_variant_get_uint32 (values[REQ_MAX_ATTEMPTS]);
  if (values[REQ_NOT_BEFORE] != NULL)
    task->not_before = g_variant_get_int64 (values[REQ_NOT_BEFORE]);
  if (values[REQ_EXPIRES] != NULL)
    task->expires = g_variant_get_int64 (values[REQ_EXPIRES]);
  if (values[REQ_UNMETERED_ONLY] != NULL)
    task->unmetered_only = g_variant_get_boolean (values[REQ_UNMETERED_ONLY]);
  if (task->not_before < 0 || task->expires < 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: must not be negative", task->not_before < 0 ? "not-before" : "expires");
      return NULL;
    }

  if (out_app_id != NULL)
    *out_app_id = ferry_agent_dup_string (values[REQ_APP_ID]);
  return g_steal_pointer (&task);
}

/**
 * ferry_agent_args_names_strategy:
 * @request: an Enqueue request that ferry_agent_args_parse_request()
 *   accepted
 *
 * Returns: %TRUE when @request names its conflict-strategy itself; if not,
 *   the settings choose one (see ferry_agent_args_pick_strategy())
 */
gboolean
ferry_agent_args_names_strategy (GVariant *request)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (request != NULL, FALSE);

  value = g_variant_lookup_value (request, "conflict-strategy", NULL);
  return value != NULL;
}

static gboolean
is_url_prefix (const char *key)
{
  return g_str_has_prefix (key, "http://") || g_str_has_prefix (key, "https://");
}

/**
 * ferry_agent_args_pick_strategy:
 * @defaults: (nullable): the conflict-strategies setting, an `a{ss}` of app
 *   id or URL prefix → strategy name
 * @owner: the task's owner
 * @url: the task's URL
 *
 * The conflict strategy of a task whose request names none: the entry of
 * the longest URL prefix (a key starting with http:// or https://) that
 * @url starts with, else the entry of @owner, else ask.  Prefixes are
 * compared byte for byte.  Entries whose value is not a strategy name are
 * skipped, so a typo never shadows a shorter prefix or the app's entry.
 *
 * Returns: the strategy
 */
FerryConflictStrategy
ferry_agent_args_pick_strategy (GVariant   *defaults,
                                const char *owner,
                                const char *url)
{
  FerryConflictStrategy by_prefix = FERRY_CONFLICT_ASK;
  FerryConflictStrategy by_owner = FERRY_CONFLICT_ASK;
  gboolean owner_found = FALSE;
  gsize longest = 0;
  GVariantIter iter;
  const char *key, *name;

  g_return_val_if_fail (owner != NULL, FERRY_CONFLICT_ASK);
  g_return_val_if_fail (url != NULL, FERRY_CONFLICT_ASK);

  if (defaults == NULL || !g_variant_is_of_type (defaults, G_VARIANT_TYPE ("a{ss}")))
    return FERRY_CONFLICT_ASK;

  g_variant_iter_init (&iter, defaults);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &name))
    {
      FerryConflictStrategy strategy;
      gsize len;

      if (!ferry_conflict_strategy_from_string (name, &strategy))
        {
          g_debug ("conflict-strategies: “%s” for “%s” is not a strategy; skipped",
                   name, key);
          continue;
        }
      if (is_url_prefix (key))
        {
          len = strlen (key);
          if (len > longest && g_str_has_prefix (url, key))
            {
              longest = len;
              by_prefix = strategy;
            }
        }
      else if (!owner_found && g_str_equal (key, owner))
        {
          owner_found = TRUE;
          by_owner = strategy;
        }
    }

  if (longest > 0)
    return by_prefix;
  return by_owner;
}

/**
 * ferry_agent_args_check_id:
 * @id: a task id from a caller
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Returns: %TRUE when @id has the form of a task id (a UUID)
 */
gboolean
ferry_agent_args_check_id (const char  *id,
                           GError     **error)
{
  g_autofree char *quoted = NULL;

  if (id != NULL && g_uuid_string_is_valid (id))
    return TRUE;

  quoted = ferry_agent_quote_value (id != NULL ? id : "");
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
               "id: “%s” is not a task id (a UUID)", quoted);
  return FALSE;
}

/**
 * ferry_agent_args_check_page:
 * @offset: tasks to skip
 * @limit: tasks to return
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Returns: %TRUE when @limit is 1 to %FERRY_AGENT_MAX_PAGE
 */
gboolean
ferry_agent_args_check_page (guint    offset,
                             guint    limit,
                             GError **error)
{
  if (limit >= 1 && limit <= FERRY_AGENT_MAX_PAGE)
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
               "limit: %u is not between 1 and %d", limit, FERRY_AGENT_MAX_PAGE);
  return FALSE;
}

/**
 * ferry_agent_args_parse_resolve:
 * @choice: local, remote or body
 * @body: the body argument (`ay`); only looked at for choice body
 * @out_choice: (out): the parsed choice
 * @out_body: (out) (transfer full) (nullable): the body for choice body
 * @error: return location for a %FERRY_ERROR_INVALID_ARGUMENT
 *
 * Returns: %TRUE when the arguments fit together
 */
gboolean
ferry_agent_args_parse_resolve (const char          *choice,
                                GVariant            *body,
                                FerryResolveChoice  *out_choice,
                                GBytes             **out_body,
                                GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (body != NULL, FALSE);

  if (!ferry_resolve_choice_from_string (choice, out_choice))
    {
      g_autofree char *quoted = ferry_agent_quote_value (choice != NULL ? choice : "");

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "choice: “%s” is not local, remote or body", quoted);
      return FALSE;
    }
  if (!g_variant_is_of_type (body, G_VARIANT_TYPE_BYTESTRING))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body: must be of type ay, not %s", g_variant_get_type_string (body));
      return FALSE;
    }
  if (*out_choice != FERRY_RESOLVE_BODY)
    {
      /* Ignored: a caller may well pass g_variant_new_bytestring (""),
       * which is one NUL byte, for "no body". */
      *out_body = NULL;
      return TRUE;
    }
  if ((bytes = dup_bytes (body, "body", error)) == NULL)
    return FALSE;
  *out_body = g_steal_pointer (&bytes);
  return TRUE;
}
