/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-task.h"

#define NOW G_GINT64_CONSTANT (1700000000000000)

static FerryTask *
make_valid_task (void)
{
  FerryTask *task = ferry_task_new ();

  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("PUT");
  task->url = g_strdup ("https://example.com/notes/1");
  return task;
}

static void
set_string (char       **field,
            const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static char *
dup_repeated (char  c,
              gsize n)
{
  char *str = g_malloc (n + 1);

  memset (str, c, n);
  str[n] = '\0';
  return str;
}

static void
spoil_url_too_long (FerryTask *t)
{
  g_autofree char *path = dup_repeated ('a', FERRY_TASK_MAX_URL_LENGTH);

  g_free (t->url);
  t->url = g_strconcat ("https://example.com/", path, NULL);
}

static void
spoil_header_odd (FerryTask *t)
{
  t->headers = g_strdupv ((char *[]) { "Accept", "*/*", "X-Lonely", NULL });
}

static void
spoil_header_too_many (FerryTask *t)
{
  for (guint i = 0; i <= FERRY_TASK_MAX_HEADERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-H%u", i);

      ferry_task_add_header (t, name, "v");
    }
}

static void
spoil_header_too_large (FerryTask *t)
{
  g_autofree char *value = dup_repeated ('v', FERRY_TASK_MAX_HEADER_SIZE);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-Big%u", i);

      ferry_task_add_header (t, name, value);
    }
}

static void
spoil_secret_header_name (FerryTask *t)
{
  t->secret_headers = g_strdupv ((char *[]) { "X-Session", "Bad Name", NULL });
}

static void
spoil_method_too_long (FerryTask *t)
{
  g_free (t->method);
  t->method = dup_repeated ('M', 33);
}

static void
spoil_body_too_big (FerryTask *t)
{
  t->body = g_bytes_new_take (g_malloc0 (FERRY_TASK_MAX_BODY_SIZE + 1),
                              FERRY_TASK_MAX_BODY_SIZE + 1);
}

static void
spoil_base_too_big (FerryTask *t)
{
  t->base = g_bytes_new_take (g_malloc0 (FERRY_TASK_MAX_BODY_SIZE + 1),
                              FERRY_TASK_MAX_BODY_SIZE + 1);
}

static void
spoil_name_too_long (FerryTask *t)
{
  t->name = dup_repeated ('n', FERRY_TASK_MAX_NAME_LENGTH + 1);
}

static void
spoil_group_too_long (FerryTask *t)
{
  t->group = dup_repeated ('g', FERRY_TASK_MAX_NAME_LENGTH + 1);
}

static void
spoil_priority (FerryTask *t)
{
  t->priority = (FerryPriority) 9;
}

static void
spoil_priority_negative (FerryTask *t)
{
  t->priority = (FerryPriority) -1;
}

static void
spoil_unique (FerryTask *t)
{
  t->unique = (FerryUniquePolicy) 3;
}

static void
spoil_strategy (FerryTask *t)
{
  t->conflict_strategy = (FerryConflictStrategy) 6;
}

static void
spoil_max_attempts (FerryTask *t)
{
  t->max_attempts = 1001;
}

static void
spoil_not_before_negative (FerryTask *t)
{
  t->not_before = -1;
}

static void
spoil_expires_negative (FerryTask *t)
{
  t->expires = -1;
}

static void
spoil_expires_equal (FerryTask *t)
{
  t->not_before = NOW;
  t->expires = NOW;
}

static void
spoil_expires_earlier (FerryTask *t)
{
  t->not_before = NOW;
  t->expires = NOW - 1;
}

static void
spoil_merge_rule_pointer (FerryTask *t)
{
  t->merge_rules = g_strdupv ((char *[]) { "title", "local", NULL });
}

static void
spoil_merge_rule_value (FerryTask *t)
{
  t->merge_rules = g_strdupv ((char *[]) { "/title", "both", NULL });
}

static void
spoil_merge_rule_odd (FerryTask *t)
{
  t->merge_rules = g_strdupv ((char *[]) { "/title", NULL });
}

/* One way to break a task, and the field the error must name: a string
 * field set to @value, one extra header @value: @value2, or a function. */
typedef struct
{
  const char *path;
  const char *field;
  enum { SET_STRING, ADD_HEADER, CALL } how;
  glong       offset;
  const char *value;
  const char *value2;
  void      (*spoil) (FerryTask *task);
} BadCase;

#define STRING(path, field, member, value) \
  { path, field, SET_STRING, G_STRUCT_OFFSET (FerryTask, member), value, NULL, NULL }
#define HEADER(path, name, value) \
  { path, "headers", ADD_HEADER, 0, name, value, NULL }
#define SPOIL(path, field, func) \
  { path, field, CALL, 0, NULL, NULL, func }

static const BadCase bad_cases[] = {
  STRING ("url/not-http", "url", url, "ftp://example.com/x"),
  STRING ("url/file", "url", url, "file:///etc/passwd"),
  STRING ("url/relative", "url", url, "/notes/1"),
  STRING ("url/no-scheme", "url", url, "example.com/notes"),
  STRING ("url/no-host", "url", url, "https:///notes/1"),
  STRING ("url/no-authority", "url", url, "http:notes"),
  STRING ("url/space", "url", url, "https://example.com/a b"),
  STRING ("url/cr", "url", url, "https://example.com/a\rb"),
  STRING ("url/lf", "url", url, "https://example.com/a\nb"),
  STRING ("url/missing", "url", url, NULL),
  SPOIL ("url/too-long", "url", spoil_url_too_long),
  STRING ("conflict-url/not-http", "conflict-url", conflict_url, "ftp://example.com/y"),
  SPOIL ("merge-rules/not-a-pointer", "merge-rules", spoil_merge_rule_pointer),
  SPOIL ("merge-rules/unknown-rule", "merge-rules", spoil_merge_rule_value),
  SPOIL ("merge-rules/odd-list", "merge-rules", spoil_merge_rule_odd),
  STRING ("timestamp-pointer/no-slash", "timestamp-pointer", timestamp_pointer, "updated_at"),
  STRING ("timestamp-pointer/bad-escape", "timestamp-pointer", timestamp_pointer, "/a~2"),
  HEADER ("headers/name-cr", "X-A\r", "v"),
  HEADER ("headers/name-lf", "X-A\nB", "v"),
  HEADER ("headers/value-cr", "X-A", "v\rInjected: 1"),
  HEADER ("headers/value-lf", "X-A", "v\nInjected: 1"),
  HEADER ("headers/value-control", "X-A", "a\001b"),
  HEADER ("headers/value-not-utf8", "X-A", "caf\xe9"),
  HEADER ("headers/name-space", "X A", "v"),
  HEADER ("headers/name-colon", "X-A:", "v"),
  HEADER ("headers/name-empty", "", "v"),
  HEADER ("headers/name-not-ascii", "X-Ä", "v"),
  SPOIL ("headers/odd-list", "headers", spoil_header_odd),
  SPOIL ("headers/too-many", "headers", spoil_header_too_many),
  SPOIL ("headers/too-large", "headers", spoil_header_too_large),
  SPOIL ("secret-headers/not-token", "secret-headers", spoil_secret_header_name),
  STRING ("method/space", "method", method, "GE T"),
  STRING ("method/empty", "method", method, ""),
  STRING ("method/crlf", "method", method, "GET\r\n"),
  STRING ("method/slash", "method", method, "GET/1"),
  STRING ("method/missing", "method", method, NULL),
  SPOIL ("method/too-long", "method", spoil_method_too_long),
  SPOIL ("body/too-big", "body", spoil_body_too_big),
  SPOIL ("base/too-big", "base", spoil_base_too_big),
  STRING ("name/empty", "name", name, ""),
  SPOIL ("name/too-long", "name", spoil_name_too_long),
  STRING ("name/not-utf8", "name", name, "note \xff\xfe"),
  STRING ("name/newline", "name", name, "two\nlines"),
  STRING ("name/unit-separator", "name", name, "a\x1f" "b"),
  STRING ("name/delete", "name", name, "a\x7f"),
  STRING ("group/empty", "group", group, ""),
  SPOIL ("group/too-long", "group", spoil_group_too_long),
  STRING ("group/not-utf8", "group", group, "\xc3"),
  STRING ("group/tab", "group", group, "a\tb"),
  STRING ("group/unit-separator", "group", group, "doc\x1f" "1"),
  STRING ("owner/missing", "owner", owner, NULL),
  STRING ("owner/empty", "owner", owner, ""),
  STRING ("owner/control", "owner", owner, "org.example\x1f" "A"),
  SPOIL ("priority/unknown", "priority", spoil_priority),
  SPOIL ("priority/negative", "priority", spoil_priority_negative),
  SPOIL ("unique/unknown", "unique", spoil_unique),
  SPOIL ("conflict-strategy/unknown", "conflict-strategy", spoil_strategy),
  SPOIL ("max-attempts/too-many", "max-attempts", spoil_max_attempts),
  SPOIL ("not-before/negative", "not-before", spoil_not_before_negative),
  SPOIL ("expires/negative", "expires", spoil_expires_negative),
  SPOIL ("expires/equal-to-not-before", "expires", spoil_expires_equal),
  SPOIL ("expires/before-not-before", "expires", spoil_expires_earlier),
  STRING ("content-type/crlf", "content-type", content_type, "text/plain\r\nX: y"),
  STRING ("if-match/lf", "if-match", if_match, "\"v1\"\n"),
  STRING ("idempotency-key/empty", "idempotency-key", idempotency_key, ""),
  STRING ("idempotency-key/crlf", "idempotency-key", idempotency_key, "k\r\n"),
};

#undef STRING
#undef HEADER
#undef SPOIL

static void
test_validate_bad (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr(FerryTask) task = make_valid_task ();
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strconcat (bad->field, ": ", NULL);

  switch (bad->how)
    {
    case SET_STRING:
      set_string (G_STRUCT_MEMBER_P (task, bad->offset), bad->value);
      break;
    case ADD_HEADER:
      ferry_task_add_header (task, "Accept", "*/*");
      ferry_task_add_header (task, bad->value, bad->value2);
      break;
    case CALL:
    default:
      bad->spoil (task);
      break;
    }
  g_assert_false (ferry_task_validate (task, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  /* the message starts with the field's name */
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected a message about “%s”, got: %s", bad->field, error->message);
  /* and never carries a line break of the input into logs */
  g_assert_null (strpbrk (error->message, "\r\n"));
}

static void
test_validate_good (void)
{
  g_autoptr(FerryTask) minimal = make_valid_task ();
  g_autoptr(FerryTask) full = make_valid_task ();
  g_autoptr(GError) error = NULL;
  g_autofree char *longest_name = dup_repeated ('n', FERRY_TASK_MAX_NAME_LENGTH);
  static const char * const methods[] = { "GET", "POST", "PROPFIND", "M-SEARCH", "patch" };
  static const char * const urls[] = {
    "http://localhost/", "https://[::1]:8443/a?b=c#d", "HTTPS://Example.COM", "http://10.0.0.1:80",
    "https://example.com/caf%C3%A9?q=%20",
  };

  g_assert_true (ferry_task_validate (minimal, &error));
  g_assert_no_error (error);

  /* every field set, each at its limit where it has one */
  full->name = g_strdup (longest_name);
  full->group = g_strdup ("Ünïcödé group ✓");
  ferry_task_add_header (full, "Authorization", "Bearer abc");
  ferry_task_add_header (full, "X-Tabbed", "a\tb");
  ferry_task_add_header (full, "X-Empty", "");
  full->secret_headers = g_strdupv ((char *[]) { "X-Session", NULL });
  full->body = g_bytes_new_take (g_malloc0 (FERRY_TASK_MAX_BODY_SIZE), FERRY_TASK_MAX_BODY_SIZE);
  full->base = g_bytes_new ("{}", 2);
  full->content_type = g_strdup ("application/json; charset=utf-8");
  full->idempotency_key = g_strdup ("key-1");
  full->if_match = g_strdup ("\"v1\"");
  full->priority = FERRY_PRIORITY_CRITICAL;
  full->unique = FERRY_UNIQUE_APPEND;
  full->max_attempts = 1000;
  full->not_before = NOW;
  full->expires = NOW + 1;
  full->conflict_strategy = FERRY_CONFLICT_CUSTOM;
  full->conflict_url = g_strdup ("https://example.com/notes/1/current");
  g_assert_true (ferry_task_validate (full, &error));
  g_assert_no_error (error);

  /* an expiry without a not-before is fine */
  full->not_before = 0;
  g_assert_true (ferry_task_validate (full, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      set_string (&minimal->method, methods[i]);
      g_assert_true (ferry_task_validate (minimal, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      set_string (&minimal->url, urls[i]);
      g_assert_true (ferry_task_validate (minimal, &error));
      g_assert_no_error (error);
    }
}

/* The strings are part of the D-Bus API and the command line: fixed. */
static void
test_string_tables (void)
{
  static const char * const states[] = {
    "pending", "running", "succeeded", "failed", "conflict", "auth-required", "cancelled",
  };
  static const char * const priorities[] = { "low", "medium", "high", "critical" };
  static const char * const policies[] = { "replace", "keep", "append" };
  static const char * const strategies[] = {
    "ask", "client-wins", "server-wins", "last-modified-wins", "merge", "custom",
  };
  static const char * const choices[] = { "local", "remote", "body" };
  static const char * const unknown[] = { "bogus", "", "Pending", "pending ", "LOW", "merge2" };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      FerryTaskState state = (FerryTaskState) -1;

      g_assert_cmpstr (ferry_task_state_to_string ((FerryTaskState) i), ==, states[i]);
      g_assert_true (ferry_task_state_from_string (states[i], &state));
      g_assert_cmpint (state, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (priorities); i++)
    {
      FerryPriority priority = (FerryPriority) -1;

      g_assert_cmpstr (ferry_priority_to_string ((FerryPriority) i), ==, priorities[i]);
      g_assert_true (ferry_priority_from_string (priorities[i], &priority));
      g_assert_cmpint (priority, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      FerryUniquePolicy policy = (FerryUniquePolicy) -1;

      g_assert_cmpstr (ferry_unique_policy_to_string ((FerryUniquePolicy) i), ==, policies[i]);
      g_assert_true (ferry_unique_policy_from_string (policies[i], &policy));
      g_assert_cmpint (policy, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    {
      FerryConflictStrategy strategy = (FerryConflictStrategy) -1;

      g_assert_cmpstr (ferry_conflict_strategy_to_string ((FerryConflictStrategy) i), ==,
                       strategies[i]);
      g_assert_true (ferry_conflict_strategy_from_string (strategies[i], &strategy));
      g_assert_cmpint (strategy, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      FerryResolveChoice choice = (FerryResolveChoice) -1;

      g_assert_cmpstr (ferry_resolve_choice_to_string ((FerryResolveChoice) i), ==, choices[i]);
      g_assert_true (ferry_resolve_choice_from_string (choices[i], &choice));
      g_assert_cmpint (choice, ==, i);
    }

  /* out of range has no name */
  g_assert_null (ferry_task_state_to_string ((FerryTaskState) FERRY_N_TASK_STATES));
  g_assert_null (ferry_priority_to_string ((FerryPriority) 4));
  g_assert_null (ferry_unique_policy_to_string ((FerryUniquePolicy) 3));
  g_assert_null (ferry_conflict_strategy_to_string ((FerryConflictStrategy) 6));
  g_assert_null (ferry_resolve_choice_to_string ((FerryResolveChoice) 3));
  g_assert_null (ferry_task_state_to_string ((FerryTaskState) -1));

  /* unknown names are rejected and leave the output alone */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      FerryTaskState state = FERRY_TASK_STATE_FAILED;
      FerryPriority priority = FERRY_PRIORITY_HIGH;
      FerryUniquePolicy policy = FERRY_UNIQUE_KEEP;
      FerryConflictStrategy strategy = FERRY_CONFLICT_MERGE;
      FerryResolveChoice choice = FERRY_RESOLVE_BODY;

      g_assert_false (ferry_task_state_from_string (unknown[i], &state));
      g_assert_false (ferry_priority_from_string (unknown[i], &priority));
      g_assert_false (ferry_unique_policy_from_string (unknown[i], &policy));
      g_assert_false (ferry_conflict_strategy_from_string (unknown[i], &strategy));
      g_assert_false (ferry_resolve_choice_from_string (unknown[i], &choice));
      g_assert_cmpint (state, ==, FERRY_TASK_STATE_FAILED);
      g_assert_cmpint (priority, ==, FERRY_PRIORITY_HIGH);
      g_assert_cmpint (policy, ==, FERRY_UNIQUE_KEEP);
      g_assert_cmpint (strategy, ==, FERRY_CONFLICT_MERGE);
      g_assert_cmpint (choice, ==, FERRY_RESOLVE_BODY);
    }
  g_assert_false (ferry_task_state_from_string (NULL, NULL));
  g_assert_true (ferry_task_state_from_string ("running", NULL));
}

static void
test_states (void)
{
  for (guint i = 0; i < FERRY_N_TASK_STATES; i++)
    {
      FerryTaskState state = (FerryTaskState) i;
      gboolean final = state == FERRY_TASK_STATE_SUCCEEDED || state == FERRY_TASK_STATE_CANCELLED;

      g_assert_cmpint (ferry_task_state_is_final (state), ==, final);
      g_assert_cmpint (ferry_task_state_holds_group (state), ==, !final);
    }
}

static void
test_new_defaults (void)
{
  g_autoptr(FerryTask) task = ferry_task_new ();

  g_assert_cmpint (task->priority, ==, FERRY_PRIORITY_MEDIUM);
  g_assert_cmpint (task->state, ==, FERRY_TASK_STATE_PENDING);
  g_assert_cmpint (task->conflict_strategy, ==, FERRY_CONFLICT_ASK);
  g_assert_cmpint (task->unique, ==, FERRY_UNIQUE_REPLACE);
  g_assert_null (task->id);
  g_assert_null (task->method);
  g_assert_null (task->headers);
  g_assert_null (task->body);
  g_assert_cmpint (task->created, ==, 0);
  g_assert_cmpuint (task->attempts, ==, 0);
}

static void
test_copy_is_deep (void)
{
  g_autoptr(FerryTask) task = make_valid_task ();
  g_autoptr(FerryTask) copy = NULL;

  task->id = g_strdup ("id-1");
  task->seq = 7;
  task->name = g_strdup ("name");
  task->group = g_strdup ("group");
  ferry_task_add_header (task, "Accept", "*/*");
  task->secret_headers = g_strdupv ((char *[]) { "X-Session", NULL });
  task->body = g_bytes_new ("a\0b", 3);
  task->content_type = g_strdup ("text/plain");
  task->idempotency_key = g_strdup ("key");
  task->if_match = g_strdup ("\"1\"");
  task->priority = FERRY_PRIORITY_LOW;
  task->unique = FERRY_UNIQUE_KEEP;
  task->max_attempts = 3;
  task->not_before = 1;
  task->expires = 2;
  task->unmetered_only = TRUE;
  task->conflict_strategy = FERRY_CONFLICT_MERGE;
  task->conflict_url = g_strdup ("https://example.com/c");
  task->base = g_bytes_new ("{}", 2);
  task->state = FERRY_TASK_STATE_CONFLICT;
  task->attempts = 2;
  task->next_attempt = 3;
  task->created = 4;
  task->updated = 5;
  task->last_error = g_strdup ("error");
  task->last_status = 409;
  task->response_status = 200;
  task->response_headers = g_strdupv ((char *[]) { "ETag", "\"2\"", NULL });
  task->response_body = g_bytes_new ("ok", 2);

  copy = ferry_task_copy (task);
  g_assert_true (copy != task);

  /* equal values in storage of its own */
#define ASSERT_OWN_STRING(field)                                                  \
  G_STMT_START {                                                                  \
    g_assert_cmpstr (copy->field, ==, task->field);                               \
    g_assert_true (copy->field != task->field);                                   \
  } G_STMT_END
#define ASSERT_OWN_STRV(field)                                                    \
  G_STMT_START {                                                                  \
    g_assert_true (g_strv_equal ((const char * const *) copy->field,              \
                                 (const char * const *) task->field));            \
    g_assert_true (copy->field != task->field);                                   \
    g_assert_true (copy->field[0] != task->field[0]);                             \
  } G_STMT_END
  ASSERT_OWN_STRING (id);
  ASSERT_OWN_STRING (owner);
  ASSERT_OWN_STRING (name);
  ASSERT_OWN_STRING (group);
  ASSERT_OWN_STRING (method);
  ASSERT_OWN_STRING (url);
  ASSERT_OWN_STRING (content_type);
  ASSERT_OWN_STRING (idempotency_key);
  ASSERT_OWN_STRING (if_match);
  ASSERT_OWN_STRING (conflict_url);
  ASSERT_OWN_STRING (last_error);
  ASSERT_OWN_STRV (headers);
  ASSERT_OWN_STRV (secret_headers);
  ASSERT_OWN_STRV (response_headers);
#undef ASSERT_OWN_STRING
#undef ASSERT_OWN_STRV

  /* bytes are immutable, so sharing them is a copy */
  g_assert_true (g_bytes_equal (copy->body, task->body));
  g_assert_true (g_bytes_equal (copy->base, task->base));
  g_assert_true (g_bytes_equal (copy->response_body, task->response_body));

  g_assert_cmpint (copy->seq, ==, 7);
  g_assert_cmpint (copy->priority, ==, FERRY_PRIORITY_LOW);
  g_assert_cmpint (copy->unique, ==, FERRY_UNIQUE_KEEP);
  g_assert_cmpuint (copy->max_attempts, ==, 3);
  g_assert_cmpint (copy->not_before, ==, 1);
  g_assert_cmpint (copy->expires, ==, 2);
  g_assert_true (copy->unmetered_only);
  g_assert_cmpint (copy->conflict_strategy, ==, FERRY_CONFLICT_MERGE);
  g_assert_cmpint (copy->state, ==, FERRY_TASK_STATE_CONFLICT);
  g_assert_cmpuint (copy->attempts, ==, 2);
  g_assert_cmpint (copy->next_attempt, ==, 3);
  g_assert_cmpint (copy->created, ==, 4);
  g_assert_cmpint (copy->updated, ==, 5);
  g_assert_cmpuint (copy->last_status, ==, 409);
  g_assert_cmpuint (copy->response_status, ==, 200);

  /* changing one leaves the other alone, and each lives on its own */
  copy->headers[1][0] = 'X';
  set_string (&copy->url, "https://example.com/other");
  g_assert_cmpstr (task->headers[1], ==, "*/*");
  g_assert_cmpstr (task->url, ==, "https://example.com/notes/1");
  g_clear_pointer (&task, ferry_task_unref);
  g_assert_cmpstr (copy->owner, ==, "org.example.Notes");
}

static void
test_copy_empty (void)
{
  g_autoptr(FerryTask) task = ferry_task_new ();
  g_autoptr(FerryTask) copy = ferry_task_copy (task);

  g_assert_null (copy->owner);
  g_assert_null (copy->headers);
  g_assert_null (copy->body);
  g_assert_null (copy->response_headers);
}

static void
test_header_lookup (void)
{
  g_autoptr(FerryTask) task = make_valid_task ();

  g_assert_null (ferry_task_get_header (task, "Accept"));

  ferry_task_add_header (task, "Content-Type", "application/json");
  ferry_task_add_header (task, "X-Dup", "first");
  ferry_task_add_header (task, "x-dup", "second");
  g_assert_cmpuint (g_strv_length (task->headers), ==, 6);

  g_assert_cmpstr (ferry_task_get_header (task, "content-type"), ==, "application/json");
  g_assert_cmpstr (ferry_task_get_header (task, "CONTENT-TYPE"), ==, "application/json");
  g_assert_cmpstr (ferry_task_get_header (task, "X-DUP"), ==, "first");
  g_assert_null (ferry_task_get_header (task, "Content"));
  g_assert_null (ferry_task_get_header (task, "application/json"));
}

static void
test_secret_headers (void)
{
  static const char * const secret[] = {
    "Authorization", "authorization", "PROXY-AUTHORIZATION", "Cookie", "set-cookie",
    "X-Api-Key", "x-auth-token",
  };
  static const char * const plain[] = {
    "Accept", "Authorization-Hint", "Cookies", "X-Session", "Content-Type",
  };
  g_autoptr(FerryTask) task = make_valid_task ();

  for (guint i = 0; i < G_N_ELEMENTS (secret); i++)
    {
      g_assert_true (ferry_header_name_is_secret (secret[i]));
      g_assert_true (ferry_task_header_is_secret (task, secret[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_assert_false (ferry_header_name_is_secret (plain[i]));
      g_assert_false (ferry_task_header_is_secret (task, plain[i]));
    }

  /* a task can mark its own headers secret, in any case */
  task->secret_headers = g_strdupv ((char *[]) { "X-Session", NULL });
  g_assert_true (ferry_task_header_is_secret (task, "x-session"));
  g_assert_true (ferry_task_header_is_secret (task, "X-SESSION"));
  g_assert_true (ferry_task_header_is_secret (task, "Authorization"));
  g_assert_false (ferry_task_header_is_secret (task, "Accept"));
}

static void
test_headers_for_log (void)
{
  const char * const headers[] = {
    "Authorization", "Bearer s3cr3t-token",
    "Accept", "application/json",
    "cookie", "session=abc123",
    "X-Api-Key", "key-456",
    NULL,
  };
  const char * const odd[] = { "Accept", "*/*", "X-Lonely", NULL };
  g_autofree char *text = ferry_format_headers_for_log (headers);
  g_autofree char *empty = ferry_format_headers_for_log (NULL);
  g_autofree char *odd_text = ferry_format_headers_for_log (odd);

  g_assert_cmpstr (text, ==,
                   "Authorization: (hidden); Accept: application/json; cookie: (hidden); "
                   "X-Api-Key: (hidden)");
  g_assert_null (strstr (text, "s3cr3t"));
  g_assert_null (strstr (text, "abc123"));
  g_assert_null (strstr (text, "456"));
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (odd_text, ==, "Accept: */*");
}

static void
test_dup_host (void)
{
  g_autoptr(FerryTask) task = make_valid_task ();
  g_autofree char *host = NULL;
  g_autofree char *ipv6 = NULL;

  set_string (&task->url, "https://Sync.Example.COM:8443/a?b#c");
  host = ferry_task_dup_host (task);
  g_assert_cmpstr (host, ==, "sync.example.com");

  set_string (&task->url, "http://[::1]:8080/");
  ipv6 = ferry_task_dup_host (task);
  g_assert_cmpstr (ipv6, ==, "::1");

  set_string (&task->url, NULL);
  g_assert_null (ferry_task_dup_host (task));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/engine/task/validate/bad/", bad_cases[i].path, NULL);

      g_test_add_data_func (path, &bad_cases[i], test_validate_bad);
    }
  g_test_add_func ("/engine/task/validate/good", test_validate_good);
  g_test_add_func ("/engine/task/string-tables", test_string_tables);
  g_test_add_func ("/engine/task/states", test_states);
  g_test_add_func ("/engine/task/new-defaults", test_new_defaults);
  g_test_add_func ("/engine/task/copy/deep", test_copy_is_deep);
  g_test_add_func ("/engine/task/copy/empty", test_copy_empty);
  g_test_add_func ("/engine/task/header-lookup", test_header_lookup);
  g_test_add_func ("/engine/task/secret-headers", test_secret_headers);
  g_test_add_func ("/engine/task/headers-for-log", test_headers_for_log);
  g_test_add_func ("/engine/task/dup-host", test_dup_host);

  return g_test_run ();
}
