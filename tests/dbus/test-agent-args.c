/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-agent-args.h"

static GVariant *
parse_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  /* g_variant_parse() returns a full reference, not a floating one. */
  g_assert_no_error (error);
  return value;
}

static void
assert_request_error (const char *text,
                      const char *message_part)
{
  g_autoptr(GVariant) request = parse_text (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *app_id = NULL;

  task = ferry_agent_args_parse_request (request, &app_id, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_null (task);
  g_assert_null (app_id);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_request_full (void)
{
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *app_id = NULL;

  request = parse_text ("{'method': <'PUT'>, 'url': <'https://example.org/notes/1'>,"
                        " 'headers': <{'Authorization': 'Bearer x', 'X-Trace': 'abc'}>,"
                        " 'body': <b'{\"a\":1}'>, 'content-type': <'application/json'>,"
                        " 'priority': <'high'>, 'name': <'note-1'>, 'unique': <'append'>,"
                        " 'group': <'notes'>, 'idempotency-key': <'key-1'>,"
                        " 'if-match': <'\"v1\"'>, 'max-attempts': <uint32 7>,"
                        " 'not-before': <int64 1000>, 'expires': <int64 2000>,"
                        " 'unmetered-only': <true>, 'conflict-strategy': <'merge'>,"
                        " 'conflict-url': <'https://example.org/notes/1?full'>,"
                        " 'base': <b'{\"a\":0}'>, 'app-id': <'org.example.Notes'>,"
                        " 'secret-headers': <['X-Trace']>}");
  task = ferry_agent_args_parse_request (request, &app_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);

  g_assert_null (task->owner);
  g_assert_cmpstr (app_id, ==, "org.example.Notes");
  g_assert_cmpstr (task->method, ==, "PUT");
  g_assert_cmpstr (task->url, ==, "https://example.org/notes/1");
  g_assert_cmpstr (ferry_task_get_header (task, "Authorization"), ==, "Bearer x");
  g_assert_cmpstr (ferry_task_get_header (task, "x-trace"), ==, "abc");
  /* A b'' literal is a bytestring: it keeps its terminating NUL. */
  g_assert_cmpmem (g_bytes_get_data (task->body, NULL), g_bytes_get_size (task->body),
                   "{\"a\":1}", 8);
  g_assert_cmpstr (task->content_type, ==, "application/json");
  g_assert_cmpint (task->priority, ==, FERRY_PRIORITY_HIGH);
  g_assert_cmpstr (task->name, ==, "note-1");
  g_assert_cmpint (task->unique, ==, FERRY_UNIQUE_APPEND);
  g_assert_cmpstr (task->group, ==, "notes");
  g_assert_cmpstr (task->idempotency_key, ==, "key-1");
  g_assert_cmpstr (task->if_match, ==, "\"v1\"");
  g_assert_cmpuint (task->max_attempts, ==, 7);
  g_assert_cmpint (task->not_before, ==, 1000);
  g_assert_cmpint (task->expires, ==, 2000);
  g_assert_true (task->unmetered_only);
  g_assert_cmpint (task->conflict_strategy, ==, FERRY_CONFLICT_MERGE);
  g_assert_cmpstr (task->conflict_url, ==, "https://example.org/notes/1?full");
  g_assert_cmpmem (g_bytes_get_data (task->base, NULL), g_bytes_get_size (task->base),
                   "{\"a\":0}", 8);
  g_assert_true (ferry_task_header_is_secret (task, "X-Trace"));

  /* Complete once an owner is set. */
  task->owner = g_strdup ("org.example.Notes");
  g_assert_true (ferry_task_validate (task, &error));
  g_assert_no_error (error);
}

static void
test_request_minimal (void)
{
  g_autoptr(GVariant) request = parse_text ("{'method': <'DELETE'>, "
                                            "'url': <'http://127.0.0.1:8080/x'>}");
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *app_id = NULL;

  task = ferry_agent_args_parse_request (request, &app_id, &error);
  g_assert_no_error (error);
  g_assert_null (app_id);
  g_assert_null (task->headers);
  g_assert_null (task->body);
  g_assert_cmpint (task->priority, ==, FERRY_PRIORITY_MEDIUM);
  g_assert_cmpint (task->conflict_strategy, ==, FERRY_CONFLICT_ASK);
}

static void
test_request_errors (void)
{
  /* Keys: unknown, of the wrong type, twice, missing. */
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'colour': <'red'>}",
                        "unknown key “colour”");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'priority': <uint32 3>}",
                        "key “priority” must be of type s, not u");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'headers': <['a', 'b']>}",
                        "key “headers” must be of type a{ss}, not as");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'body': <'text'>}",
                        "key “body” must be of type ay, not s");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'max-attempts': <3>}",
                        "key “max-attempts” must be of type u, not i");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'not-before': <uint64 3>}",
                        "key “not-before” must be of type x, not t");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'unmetered-only': <1>}",
                        "key “unmetered-only” must be of type b, not i");
  assert_request_error ("{'url': <'http://h/'>}", "key “method” is missing");
  assert_request_error ("{'method': <'PUT'>}", "key “url” is missing");
  assert_request_error ("{}", "is missing");

  /* Values. */
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'priority': <'urgent'>}",
                        "priority: “urgent”");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'unique': <'twice'>}",
                        "unique: “twice”");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                        "'conflict-strategy': <'coin-toss'>}",
                        "conflict-strategy: “coin-toss”");
  assert_request_error ("{'method': <''>, 'url': <'http://h/'>}", "method: must not be empty");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'name': <''>}",
                        "name: must not be empty");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'app-id': <''>}",
                        "app-id: must not be empty");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'not-before': <int64 -1>}",
                        "not-before: must not be negative");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'expires': <int64 -5>}",
                        "expires: must not be negative");
}

static void
test_request_duplicate_key (void)
{
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  GVariantBuilder builder;

  /* A D-Bus dictionary may repeat a key; a request may not. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "method", g_variant_new_string ("PUT"));
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string ("http://h/"));
  g_variant_builder_add (&builder, "{sv}", "method", g_variant_new_string ("DELETE"));
  request = g_variant_ref_sink (g_variant_builder_end (&builder));

  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“method” given twice"));
  g_assert_null (task);
}

static GVariant *
request_with (const char *key,
              GVariant   *value)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "method", g_variant_new_string ("PUT"));
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string ("http://h/"));
  g_variant_builder_add (&builder, "{sv}", key, value);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
assert_rejected (GVariant   *request,
                 const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_null (task);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_request_limits (void)
{
  gsize big_size = FERRY_TASK_MAX_BODY_SIZE + 1;
  g_autofree guint8 *big = g_malloc0 (big_size);
  g_autofree char *long_name = g_strnfill (FERRY_TASK_MAX_NAME_LENGTH + 1, 'n');
  g_autofree char *long_url = NULL;
  g_autofree char *long_value = g_strnfill (FERRY_TASK_MAX_HEADER_SIZE, 'v');
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GVariantBuilder headers;

  request = request_with ("body", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                             big, big_size, 1));
  assert_rejected (request, "body: 16777217 bytes is over the limit");
  g_clear_pointer (&request, g_variant_unref);

  request = request_with ("base", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                             big, big_size, 1));
  assert_rejected (request, "base:");
  g_clear_pointer (&request, g_variant_unref);

  request = request_with ("name", g_variant_new_string (long_name));
  assert_rejected (request, "name: 257 bytes is longer than the limit of 256");
  g_clear_pointer (&request, g_variant_unref);

  request = request_with ("group", g_variant_new_string (long_name));
  assert_rejected (request, "group:");
  g_clear_pointer (&request, g_variant_unref);

  long_url = g_strconcat ("http://h/", long_value, NULL);
  request = request_with ("conflict-url", g_variant_new_string (long_url));
  g_clear_pointer (&request, g_variant_unref);

  g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i <= FERRY_TASK_MAX_HEADERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-Header-%u", i);

      g_variant_builder_add (&headers, "{ss}", name, "v");
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  request = request_with ("headers", g_variant_builder_end (&headers));
  assert_rejected (request, "headers: 101 headers is more than the limit of 100");
  g_clear_pointer (&request, g_variant_unref);

  g_variant_builder_init (&headers, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&headers, "{ss}", "X-Long", long_value);
  request = request_with ("headers", g_variant_builder_end (&headers));
  assert_rejected (request, "headers: “X-Long” is longer than the limit");
  g_clear_pointer (&request, g_variant_unref);

  g_ptr_array_add (names, NULL);
  request = request_with ("secret-headers",
                          g_variant_new_strv ((const char * const *) names->pdata, -1));
  assert_rejected (request, "secret-headers: 101 names");
}

static void
test_request_not_dict (void)
{
  g_autoptr(GVariant) request = g_variant_ref_sink (g_variant_new_string ("PUT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_null (task);
}

static void
test_request_quotes_briefly (void)
{
  g_autofree char *huge = g_strnfill (1024 * 1024, 'k');
  g_autoptr(GVariant) request = request_with (huge, g_variant_new_string ("x"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;

  /* An error does not echo a megabyte back. */
  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
assert_filter_error (const char *text,
                     const char *message_part)
{
  g_autoptr(GVariant) filter = parse_text (text);
  g_autoptr(GError) error = NULL;
  g_auto(FerryAgentFilter) parsed = { { 0, } };

  g_assert_false (ferry_agent_args_parse_filter (filter, &parsed, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_filter (void)
{
  g_autoptr(GVariant) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FerryAgentFilter) parsed = { { 0, } };

  filter = parse_text ("{'states': <['failed', 'conflict']>, 'owner': <'org.example.Notes'>,"
                       " 'name': <'n'>, 'group': <'g'>, 'search': <'example'>,"
                       " 'newest-first': <true>}");
  g_assert_true (ferry_agent_args_parse_filter (filter, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (parsed.filter.states, ==,
                    FERRY_STATE_BIT (FERRY_TASK_STATE_FAILED) |
                    FERRY_STATE_BIT (FERRY_TASK_STATE_CONFLICT));
  g_assert_cmpstr (parsed.filter.owner, ==, "org.example.Notes");
  g_assert_cmpstr (parsed.filter.name, ==, "n");
  g_assert_cmpstr (parsed.filter.group, ==, "g");
  g_assert_cmpstr (parsed.filter.search, ==, "example");
  g_assert_true (parsed.filter.newest_first);

  ferry_agent_filter_set_owner (&parsed, "other");
  g_assert_cmpstr (parsed.filter.owner, ==, "other");
  ferry_agent_filter_set_owner (&parsed, parsed.filter.owner);
  g_assert_cmpstr (parsed.filter.owner, ==, "other");
  ferry_agent_filter_clear (&parsed);
  g_clear_pointer (&filter, g_variant_unref);

  filter = parse_text ("{'state': <'pending'>, 'search': <''>}");
  g_assert_true (ferry_agent_args_parse_filter (filter, &parsed, &error));
  g_assert_cmpuint (parsed.filter.states, ==, FERRY_STATE_BIT (FERRY_TASK_STATE_PENDING));
  g_assert_null (parsed.filter.search);
  g_assert_null (parsed.filter.owner);
  g_assert_false (parsed.filter.newest_first);
  ferry_agent_filter_clear (&parsed);
  g_clear_pointer (&filter, g_variant_unref);

  filter = parse_text ("{}");
  g_assert_true (ferry_agent_args_parse_filter (filter, &parsed, &error));
  g_assert_cmpuint (parsed.filter.states, ==, 0);

  assert_filter_error ("{'colour': <'red'>}", "unknown key “colour”");
  assert_filter_error ("{'state': <['pending']>}", "key “state” must be of type s, not as");
  assert_filter_error ("{'newest-first': <'yes'>}", "key “newest-first” must be of type b");
  assert_filter_error ("{'state': <'asleep'>}", "state: “asleep” is not a task state");
  assert_filter_error ("{'states': <['pending', 'asleep']>}", "states: “asleep”");
  assert_filter_error ("{'states': <@as []>}", "states: must name at least one state");
  assert_filter_error ("{'state': <'failed'>, 'states': <['failed']>}", "not both");
  assert_filter_error ("{'owner': <''>}", "owner: must not be empty");
}

static void
test_id_and_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_assert_true (ferry_agent_args_check_id (uuid, &error));
  g_assert_no_error (error);

  g_assert_false (ferry_agent_args_check_id ("", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "id:"));
  g_clear_error (&error);
  g_assert_false (ferry_agent_args_check_id ("../../etc/passwd", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (ferry_agent_args_check_page (0, 1, &error));
  g_assert_true (ferry_agent_args_check_page (G_MAXUINT, FERRY_AGENT_MAX_PAGE, &error));
  g_assert_no_error (error);
  g_assert_false (ferry_agent_args_check_page (0, 0, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "limit:"));
  g_clear_error (&error);
  g_assert_false (ferry_agent_args_check_page (0, FERRY_AGENT_MAX_PAGE + 1, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
}

static void
test_resolve (void)
{
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  FerryResolveChoice choice;
  static const guint8 binary[] = { '{', 0, 0xff, '}' };

  doc = g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, binary,
                                                       sizeof binary, 1));
  empty = g_variant_ref_sink (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1));

  g_assert_true (ferry_agent_args_parse_resolve ("local", empty, &choice, &body, &error));
  g_assert_no_error (error);
  g_assert_cmpint (choice, ==, FERRY_RESOLVE_LOCAL);
  g_assert_null (body);

  g_assert_true (ferry_agent_args_parse_resolve ("remote", empty, &choice, &body, &error));
  g_assert_cmpint (choice, ==, FERRY_RESOLVE_REMOTE);

  /* The body is binary: NUL bytes and all. */
  g_assert_true (ferry_agent_args_parse_resolve ("body", doc, &choice, &body, &error));
  g_assert_no_error (error);
  g_assert_cmpint (choice, ==, FERRY_RESOLVE_BODY);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   binary, sizeof binary);
  g_clear_pointer (&body, g_bytes_unref);

  g_assert_false (ferry_agent_args_parse_resolve ("mine", empty, &choice, &body, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "choice:"));
  g_clear_error (&error);

  /* The body only counts with choice body. */
  g_assert_true (ferry_agent_args_parse_resolve ("local", doc, &choice, &body, &error));
  g_assert_no_error (error);
  g_assert_null (body);
}

static FerryTask *
make_stored_task (void)
{
  FerryTask *task = ferry_task_new ();
  static const char *headers[] = {
    "Authorization", "Bearer s3cret", "Cookie", "session=1", "X-Api-Token", "t0k",
    "Accept", "application/json", NULL,
  };
  static const char *response_headers[] = {
    "Set-Cookie", "session=2", "ETag", "\"v2\"", NULL,
  };
  static const char *secret[] = { "X-Api-Token", NULL };

  task->id = g_strdup ("5f0c2c1e-3d0e-4bb4-9b0a-6b8d0d1c2a11");
  task->owner = g_strdup ("org.example.Notes");
  task->method = g_strdup ("PUT");
  task->url = g_strdup ("https://example.org/notes/1");
  task->headers = g_strdupv ((char **) headers);
  task->secret_headers = g_strdupv ((char **) secret);
  task->body = g_bytes_new_static ("hello", 5);
  task->idempotency_key = g_strdup ("key");
  task->state = FERRY_TASK_STATE_SUCCEEDED;
  task->attempts = 1;
  task->created = 10;
  task->updated = 20;
  task->last_error = g_strdup ("bad \xff byte");
  task->response_status = 201;
  task->response_headers = g_strdupv ((char **) response_headers);
  task->response_body = g_bytes_new_static ("created", 7);
  return task;
}

static void
test_task_to_variant_owner (void)
{
  g_autoptr(FerryTask) task = make_stored_task ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) body = NULL;
  const char *text;
  guint32 status;
  guint64 size;

  dict = g_variant_ref_sink (ferry_agent_args_task_to_variant (task, TRUE, TRUE));
  g_assert_true (g_variant_lookup (dict, "id", "&s", &text));
  g_assert_cmpstr (text, ==, task->id);
  g_assert_true (g_variant_lookup (dict, "owner", "&s", &text));
  g_assert_cmpstr (text, ==, "org.example.Notes");
  g_assert_true (g_variant_lookup (dict, "state", "&s", &text));
  g_assert_cmpstr (text, ==, "succeeded");
  g_assert_true (g_variant_lookup (dict, "priority", "&s", &text));
  g_assert_cmpstr (text, ==, "medium");
  g_assert_true (g_variant_lookup (dict, "body-size", "t", &size));
  g_assert_cmpuint (size, ==, 5);
  g_assert_true (g_variant_lookup (dict, "response-status", "u", &status));
  g_assert_cmpuint (status, ==, 201);

  headers = g_variant_lookup_value (dict, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (headers, "Authorization", "&s", &text));
  g_assert_cmpstr (text, ==, "Bearer s3cret");
  g_assert_true (g_variant_lookup (headers, "X-Api-Token", "&s", &text));
  g_assert_cmpstr (text, ==, "t0k");
  g_assert_false (g_variant_lookup (dict, "hidden-headers", "^a&s", NULL));

  body = g_variant_lookup_value (dict, "body", G_VARIANT_TYPE_BYTESTRING);
  g_assert_cmpmem (g_variant_get_data (body), g_variant_get_size (body), "hello", 5);
  g_assert_true (g_variant_lookup (dict, "response-body", "ay", NULL));

  /* Server text is made valid UTF-8 rather than dropped. */
  g_assert_true (g_variant_lookup (dict, "last-error", "&s", &text));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "bad "));

  /* Unset optional values are left out, not sent empty. */
  g_assert_false (g_variant_lookup (dict, "name", "s", NULL));
  g_assert_false (g_variant_lookup (dict, "group", "s", NULL));
  g_assert_false (g_variant_lookup (dict, "content-type", "s", NULL));
  g_assert_false (g_variant_lookup (dict, "if-match", "s", NULL));
  g_assert_false (g_variant_lookup (dict, "conflict-url", "s", NULL));
  g_assert_false (g_variant_lookup (dict, "not-before", "x", NULL));
  g_assert_false (g_variant_lookup (dict, "expires", "x", NULL));
  g_assert_false (g_variant_lookup (dict, "next-attempt", "x", NULL));
  g_assert_false (g_variant_lookup (dict, "last-status", "u", NULL));
}

static void
test_task_to_variant_other (void)
{
  g_autoptr(FerryTask) task = make_stored_task ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) headers = NULL;
  g_autoptr(GVariant) response_headers = NULL;
  g_autofree const char **hidden = NULL;
  g_autofree char *printed = NULL;
  const char *text;

  /* A list for someone else: no bodies, no credentials. */
  dict = g_variant_ref_sink (ferry_agent_args_task_to_variant (task, FALSE, FALSE));
  g_assert_false (g_variant_lookup (dict, "body", "ay", NULL));
  g_assert_false (g_variant_lookup (dict, "response-body", "ay", NULL));

  headers = g_variant_lookup_value (dict, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (headers, "Authorization", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "Cookie", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "X-Api-Token", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (headers, "Accept", "&s", &text));
  g_assert_cmpstr (text, ==, "application/json");

  g_assert_true (g_variant_lookup (dict, "hidden-headers", "^a&s", &hidden));
  g_assert_cmpuint (g_strv_length ((char **) hidden), ==, 3);
  g_assert_true (g_strv_contains (hidden, "Authorization"));
  g_assert_true (g_strv_contains (hidden, "Cookie"));
  g_assert_true (g_strv_contains (hidden, "X-Api-Token"));

  response_headers = g_variant_lookup_value (dict, "response-headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_true (g_variant_lookup (response_headers, "Set-Cookie", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  g_assert_true (g_variant_lookup (response_headers, "ETag", "&s", &text));
  g_assert_cmpstr (text, ==, "\"v2\"");

  printed = g_variant_print (dict, FALSE);
  g_assert_null (strstr (printed, "s3cret"));
  g_assert_null (strstr (printed, "session="));
  g_assert_null (strstr (printed, "t0k"));
}

static void
test_request_merge_rules (void)
{
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) rules = NULL;
  g_autoptr(GVariant) base = NULL;
  const char *text;

  request = parse_text ("{'method': <'PUT'>, 'url': <'https://example.org/n/1'>,"
                        " 'conflict-strategy': <'merge'>, 'base': <b'{}'>,"
                        " 'merge-rules': <{'/title': 'remote', '/tags/0': 'local', '': 'local'}>,"
                        " 'timestamp-pointer': <'/meta/modified'>}");
  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (task->merge_rules), ==, 6);
  g_assert_cmpstr (task->merge_rules[0], ==, "/title");
  g_assert_cmpstr (task->merge_rules[1], ==, "remote");
  g_assert_cmpstr (task->merge_rules[2], ==, "/tags/0");
  g_assert_cmpstr (task->merge_rules[3], ==, "local");
  g_assert_cmpstr (task->merge_rules[4], ==, "");
  g_assert_cmpstr (task->timestamp_pointer, ==, "/meta/modified");
  g_assert_true (ferry_agent_args_names_strategy (request));

  /* Get gives them back, base included; List leaves the base out. */
  task->id = g_strdup ("9a3c4a9e-3c1b-4b6f-8d55-3c2a1f0e9b11");
  task->owner = g_strdup ("org.example.Notes");
  dict = g_variant_ref_sink (ferry_agent_args_task_to_variant (task, TRUE, TRUE));
  rules = g_variant_lookup_value (dict, "merge-rules", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (rules);
  g_assert_cmpuint (g_variant_n_children (rules), ==, 3);
  g_assert_true (g_variant_lookup (rules, "/title", "&s", &text));
  g_assert_cmpstr (text, ==, "remote");
  g_assert_true (g_variant_lookup (rules, "", "&s", &text));
  g_assert_cmpstr (text, ==, "local");
  g_assert_true (g_variant_lookup (dict, "timestamp-pointer", "&s", &text));
  g_assert_cmpstr (text, ==, "/meta/modified");
  base = g_variant_lookup_value (dict, "base", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (base);
  g_assert_cmpmem (g_variant_get_data (base), g_variant_get_size (base), "{}", 3);
  g_clear_pointer (&dict, g_variant_unref);
  dict = g_variant_ref_sink (ferry_agent_args_task_to_variant (task, FALSE, TRUE));
  g_assert_false (g_variant_lookup (dict, "base", "ay", NULL));
  g_assert_true (g_variant_lookup (dict, "merge-rules", "a{ss}", NULL));

  /* Errors name the key. */
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, 'merge-rules': <['/a']>}",
                        "key “merge-rules” must be of type a{ss}, not as");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                        "'merge-rules': <{'/a': 'mine'}>}",
                        "merge-rules: the rule “mine” for “/a” is not local or remote");
  assert_request_error ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                        "'timestamp-pointer': <int64 5>}",
                        "key “timestamp-pointer” must be of type s, not x");
}

static void
test_request_merge_rule_limits (void)
{
  GVariantBuilder rules;
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTask) task = NULL;
  g_autofree char *long_pointer = NULL;
  g_autofree char *long_request = NULL;

  /* One rule too many. */
  g_variant_builder_init (&rules, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i <= FERRY_AGENT_MAX_MERGE_RULES; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/f%u", i);

      g_variant_builder_add (&rules, "{ss}", pointer, "local");
    }
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "method", "s", "PUT");
    g_variant_dict_insert (&dict, "url", "s", "http://h/");
    g_variant_dict_insert_value (&dict, "merge-rules", g_variant_builder_end (&rules));
    request = g_variant_ref_sink (g_variant_dict_end (&dict));
  }
  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_null (task);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "merge-rules: 101 rules"));
  g_clear_error (&error);
  g_clear_pointer (&request, g_variant_unref);

  /* A pointer twice (a D-Bus dictionary may repeat a key). */
  g_variant_builder_init (&rules, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&rules, "{ss}", "/a", "local");
  g_variant_builder_add (&rules, "{ss}", "/a", "remote");
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "method", "s", "PUT");
    g_variant_dict_insert (&dict, "url", "s", "http://h/");
    g_variant_dict_insert_value (&dict, "merge-rules", g_variant_builder_end (&rules));
    request = g_variant_ref_sink (g_variant_dict_end (&dict));
  }
  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_null (task);
  g_assert_nonnull (strstr (error->message, "merge-rules: “/a” given twice"));
  g_clear_error (&error);

  /* Pointers longer than a name. */
  long_pointer = g_strnfill (FERRY_TASK_MAX_NAME_LENGTH + 1, 'p');
  long_pointer[0] = '/';
  long_request = g_strdup_printf ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                                  "'timestamp-pointer': <'%s'>}", long_pointer);
  assert_request_error (long_request, "timestamp-pointer: 257 bytes");
  g_free (long_request);
  long_request = g_strdup_printf ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                                  "'merge-rules': <{'%s': 'local'}>}", long_pointer);
  assert_request_error (long_request, "merge-rules: “/pp");

  /* The form of a pointer is the task's check, once the owner is known. */
  g_clear_pointer (&request, g_variant_unref);
  request = parse_text ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                        "'merge-rules': <{'title': 'local'}>}");
  task = ferry_agent_args_parse_request (request, NULL, &error);
  g_assert_no_error (error);
  task->owner = g_strdup ("org.example.Notes");
  g_assert_false (ferry_task_validate (task, &error));
  g_assert_nonnull (strstr (error->message, "merge-rules"));
}

typedef struct
{
  const char            *owner;
  const char            *url;
  FerryConflictStrategy  expected;
} StrategyCase;

static void
test_pick_strategy (void)
{
  static const StrategyCase cases[] = {
    /* The app's entry when no prefix matches. */
    { "org.example.Notes", "https://notes.example.org/n/1", FERRY_CONFLICT_MERGE },
    { "org.example.Other", "https://elsewhere.example/x", FERRY_CONFLICT_ASK },
    /* A matching prefix beats the app's entry; the longest prefix wins. */
    { "org.example.Notes", "https://api.example.org/docs/1", FERRY_CONFLICT_SERVER_WINS },
    { "org.example.Notes", "https://api.example.org/docs/shared/7", FERRY_CONFLICT_CUSTOM },
    { "org.example.Other", "https://api.example.org/docs/shared/7", FERRY_CONFLICT_CUSTOM },
    { "org.example.Other", "https://api.example.org/other", FERRY_CONFLICT_CLIENT_WINS },
    /* Byte for byte: another scheme, port or case is another prefix. */
    { "org.example.Other", "http://api.example.org/docs/1", FERRY_CONFLICT_LAST_MODIFIED_WINS },
    { "org.example.Other", "https://API.example.org/docs/1", FERRY_CONFLICT_ASK },
    /* A bad value is skipped: the shorter prefix applies. */
    { "org.example.Other", "https://api.example.org/typo/1", FERRY_CONFLICT_CLIENT_WINS },
    /* A bad value for an app leaves ask. */
    { "org.example.Typo", "https://elsewhere.example/x", FERRY_CONFLICT_ASK },
    /* An app entry is never a prefix of an id. */
    { "org.example.Notes2", "https://elsewhere.example/x", FERRY_CONFLICT_ASK },
  };
  g_autoptr(GVariant) defaults = NULL;

  defaults = g_variant_ref_sink (g_variant_new_parsed (
    "{'org.example.Notes': 'merge',"
    " 'https://api.example.org/': 'client-wins',"
    " 'https://api.example.org/docs/': 'server-wins',"
    " 'https://api.example.org/docs/shared/': 'custom',"
    " 'https://api.example.org/typo/': 'sideways',"
    " 'http://api.example.org/': 'last-modified-wins',"
    " 'org.example.Typo': 'mine'}"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FerryConflictStrategy got =
        ferry_agent_args_pick_strategy (defaults, cases[i].owner, cases[i].url);

      if (got != cases[i].expected)
        g_error ("%s %s: got %s, expected %s", cases[i].owner, cases[i].url,
                 ferry_conflict_strategy_to_string (got),
                 ferry_conflict_strategy_to_string (cases[i].expected));
    }

  /* No setting, or an empty one: ask. */
  g_assert_cmpint (ferry_agent_args_pick_strategy (NULL, "org.example.Notes", "https://x/"), ==,
                   FERRY_CONFLICT_ASK);
  g_clear_pointer (&defaults, g_variant_unref);
  defaults = g_variant_ref_sink (g_variant_new_parsed ("@a{ss} {}"));
  g_assert_cmpint (ferry_agent_args_pick_strategy (defaults, "org.example.Notes", "https://x/"),
                   ==, FERRY_CONFLICT_ASK);

  /* Whether a request chose for itself. */
  g_clear_pointer (&defaults, g_variant_unref);
  defaults = parse_text ("{'method': <'PUT'>, 'url': <'http://h/'>}");
  g_assert_false (ferry_agent_args_names_strategy (defaults));
  g_clear_pointer (&defaults, g_variant_unref);
  defaults = parse_text ("{'method': <'PUT'>, 'url': <'http://h/'>, "
                         "'conflict-strategy': <'ask'>}");
  g_assert_true (ferry_agent_args_names_strategy (defaults));
}

static void
test_summary (void)
{
  FerryRunSummary summary = { 3, 1, 2, 1, 1, 100, 200 };
  g_autoptr(GVariant) dict = g_variant_ref_sink (ferry_agent_args_summary_to_variant (&summary));
  guint32 u;
  gint64 x;

  g_assert_true (g_variant_lookup (dict, "succeeded", "u", &u));
  g_assert_cmpuint (u, ==, 3);
  g_assert_true (g_variant_lookup (dict, "failed", "u", &u));
  g_assert_cmpuint (u, ==, 1);
  g_assert_true (g_variant_lookup (dict, "retried", "u", &u));
  g_assert_cmpuint (u, ==, 2);
  g_assert_true (g_variant_lookup (dict, "conflicts", "u", &u));
  g_assert_cmpuint (u, ==, 1);
  g_assert_true (g_variant_lookup (dict, "auth-required", "u", &u));
  g_assert_cmpuint (u, ==, 1);
  g_assert_true (g_variant_lookup (dict, "started", "x", &x));
  g_assert_cmpint (x, ==, 100);
  g_assert_true (g_variant_lookup (dict, "finished", "x", &x));
  g_assert_cmpint (x, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/daemon/args/request/full", test_request_full);
  g_test_add_func ("/daemon/args/request/minimal", test_request_minimal);
  g_test_add_func ("/daemon/args/request/errors", test_request_errors);
  g_test_add_func ("/daemon/args/request/duplicate-key", test_request_duplicate_key);
  g_test_add_func ("/daemon/args/request/limits", test_request_limits);
  g_test_add_func ("/daemon/args/request/not-a-dictionary", test_request_not_dict);
  g_test_add_func ("/daemon/args/request/quotes-briefly", test_request_quotes_briefly);
  g_test_add_func ("/daemon/args/request/merge-rules", test_request_merge_rules);
  g_test_add_func ("/daemon/args/request/merge-rule-limits", test_request_merge_rule_limits);
  g_test_add_func ("/daemon/args/pick-strategy", test_pick_strategy);
  g_test_add_func ("/daemon/args/filter", test_filter);
  g_test_add_func ("/daemon/args/id-and-page", test_id_and_page);
  g_test_add_func ("/daemon/args/resolve", test_resolve);
  g_test_add_func ("/daemon/args/task/owner", test_task_to_variant_owner);
  g_test_add_func ("/daemon/args/task/other", test_task_to_variant_other);
  g_test_add_func ("/daemon/args/summary", test_summary);

  return g_test_run ();
}
