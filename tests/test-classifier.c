/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-classifier"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <libsoup/soup.h>

#include "ferry-classifier.h"
#include "ferry-error.h"

typedef struct
{
  FerryOutcomeKind kind;
  guint            status;
  FerryVerdict     verdict;
} ClassifyCase;

/* DESIGN.md's outcome table, row by row, with the edges of each range. */
static const ClassifyCase classify_cases[] = {
  /* 2xx: delivered */
  { FERRY_OUTCOME_HTTP, 200, FERRY_VERDICT_SUCCEEDED },
  { FERRY_OUTCOME_HTTP, 201, FERRY_VERDICT_SUCCEEDED },
  { FERRY_OUTCOME_HTTP, 202, FERRY_VERDICT_SUCCEEDED },
  { FERRY_OUTCOME_HTTP, 204, FERRY_VERDICT_SUCCEEDED },
  { FERRY_OUTCOME_HTTP, 299, FERRY_VERDICT_SUCCEEDED },
  /* worth another try */
  { FERRY_OUTCOME_HTTP, 408, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 425, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 429, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 500, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 502, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 503, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 504, FERRY_VERDICT_RETRY },
  /* credentials */
  { FERRY_OUTCOME_HTTP, 401, FERRY_VERDICT_AUTH_REQUIRED },
  { FERRY_OUTCOME_HTTP, 403, FERRY_VERDICT_AUTH_REQUIRED },
  /* the server's copy moved on */
  { FERRY_OUTCOME_HTTP, 409, FERRY_VERDICT_CONFLICT },
  { FERRY_OUTCOME_HTTP, 412, FERRY_VERDICT_CONFLICT },
  /* other 4xx: the request itself is wrong */
  { FERRY_OUTCOME_HTTP, 400, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 402, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 404, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 405, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 407, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 410, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 411, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 413, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 415, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 422, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 424, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 426, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 428, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 431, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 451, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 499, FERRY_VERDICT_FAILED },
  /* other 5xx: the server cannot handle this kind of request */
  { FERRY_OUTCOME_HTTP, 501, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 505, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 507, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 511, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 599, FERRY_VERDICT_FAILED },
  /* a 3xx libsoup could not follow */
  { FERRY_OUTCOME_HTTP, 300, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 301, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 304, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 307, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_HTTP, 399, FERRY_VERDICT_FAILED },
  /* no final status: a broken response */
  { FERRY_OUTCOME_HTTP, 0, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 100, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 101, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 199, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 600, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, 999, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_HTTP, G_MAXUINT, FERRY_VERDICT_RETRY },
  /* the other kinds ignore the status */
  { FERRY_OUTCOME_NETWORK, 0, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_NETWORK, 200, FERRY_VERDICT_RETRY },
  { FERRY_OUTCOME_TLS, 0, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_REDIRECT_LOOP, 0, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_REDIRECT_LOOP, 302, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_OFFLINE, 0, FERRY_VERDICT_NOT_ATTEMPTED },
  { FERRY_OUTCOME_EXPIRED, 0, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_EXPIRED, 200, FERRY_VERDICT_FAILED },
  { FERRY_OUTCOME_CANCELLED, 0, FERRY_VERDICT_NOT_ATTEMPTED },
};

static void
test_classify_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classify_cases); i++)
    {
      const ClassifyCase *c = &classify_cases[i];
      const char *reason = NULL;
      FerryVerdict verdict;

      g_test_message ("kind %d, status %u", c->kind, c->status);
      verdict = ferry_classifier_classify (c->kind, c->status, &reason);
      g_assert_cmpstr (ferry_verdict_to_string (verdict), ==,
                       ferry_verdict_to_string (c->verdict));
      g_assert_nonnull (reason);
      g_assert_cmpstr (reason, !=, "");

      /* The reason is optional. */
      g_assert_cmpint (ferry_classifier_classify (c->kind, c->status, NULL), ==, c->verdict);
    }
}

static void
test_classify_reasons (void)
{
  const char *reason = NULL;

  ferry_classifier_classify (FERRY_OUTCOME_TLS, 0, &reason);
  g_assert_nonnull (strstr (reason, "never retried over plain HTTP"));
  ferry_classifier_classify (FERRY_OUTCOME_EXPIRED, 0, &reason);
  g_assert_cmpstr (reason, ==, "expired");
  ferry_classifier_classify (FERRY_OUTCOME_HTTP, 429, &reason);
  g_assert_cmpstr (reason, ==, "too many requests");
}

typedef struct
{
  const char       *label;
  GQuark          (*domain) (void);
  int               code;
  FerryOutcomeKind  kind;
} ErrorCase;

/* GIO has no code of its own for a reset; -1 stands for whatever
 * g_io_error_from_errno (ECONNRESET) gives. */
#define RESET_CODE -1

static const ErrorCase error_cases[] = {
  { "cancelled", g_io_error_quark, G_IO_ERROR_CANCELLED, FERRY_OUTCOME_CANCELLED },
  { "bad certificate", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, FERRY_OUTCOME_TLS },
  { "handshake", g_tls_error_quark, G_TLS_ERROR_HANDSHAKE, FERRY_OUTCOME_TLS },
  { "not TLS", g_tls_error_quark, G_TLS_ERROR_NOT_TLS, FERRY_OUTCOME_TLS },
  { "TLS misc", g_tls_error_quark, G_TLS_ERROR_MISC, FERRY_OUTCOME_TLS },
  { "certificate required", g_tls_error_quark, G_TLS_ERROR_CERTIFICATE_REQUIRED,
    FERRY_OUTCOME_TLS },
  { "inappropriate fallback", g_tls_error_quark, G_TLS_ERROR_INAPPROPRIATE_FALLBACK,
    FERRY_OUTCOME_TLS },
  { "TLS cut short", g_tls_error_quark, G_TLS_ERROR_EOF, FERRY_OUTCOME_NETWORK },
  { "too many redirects", soup_session_error_quark, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
    FERRY_OUTCOME_REDIRECT_LOOP },
  { "network unreachable", g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE,
    FERRY_OUTCOME_NETWORK },
  { "host unreachable", g_io_error_quark, G_IO_ERROR_HOST_UNREACHABLE, FERRY_OUTCOME_NETWORK },
  { "refused", g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, FERRY_OUTCOME_NETWORK },
  { "timed out", g_io_error_quark, G_IO_ERROR_TIMED_OUT, FERRY_OUTCOME_NETWORK },
  { "broken pipe", g_io_error_quark, G_IO_ERROR_BROKEN_PIPE, FERRY_OUTCOME_NETWORK },
  { "terminated", g_io_error_quark, G_IO_ERROR_PARTIAL_INPUT, FERRY_OUTCOME_NETWORK },
  { "reset", g_io_error_quark, RESET_CODE, FERRY_OUTCOME_NETWORK },
  { "DNS not found", g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, FERRY_OUTCOME_NETWORK },
  { "DNS temporary", g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
    FERRY_OUTCOME_NETWORK },
  { "parsing", soup_session_error_quark, SOUP_SESSION_ERROR_PARSING, FERRY_OUTCOME_NETWORK },
  { "encoding", soup_session_error_quark, SOUP_SESSION_ERROR_ENCODING, FERRY_OUTCOME_NETWORK },
  { "too many restarts", soup_session_error_quark, SOUP_SESSION_ERROR_TOO_MANY_RESTARTS,
    FERRY_OUTCOME_NETWORK },
  { "generic I/O", g_io_error_quark, G_IO_ERROR_FAILED, FERRY_OUTCOME_NETWORK },
  { "another domain", ferry_error_quark, FERRY_ERROR_FAILED, FERRY_OUTCOME_NETWORK },
};

static void
test_kind_from_error (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      int code = c->code != RESET_CODE ? c->code : g_io_error_from_errno (ECONNRESET);
      g_autoptr(GError) error = g_error_new_literal (c->domain (), code, c->label);

      g_test_message ("%s", c->label);
      g_assert_cmpint (ferry_classifier_kind_from_error (error), ==, c->kind);
    }
}

static void
test_cancellation_is_not_attempted (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
  FerryOutcomeKind kind = ferry_classifier_kind_from_error (error);

  g_assert_cmpint (kind, ==, FERRY_OUTCOME_CANCELLED);
  g_assert_cmpint (ferry_classifier_classify (kind, 0, NULL), ==, FERRY_VERDICT_NOT_ATTEMPTED);
}

/* The rules after the table: the task's situation. */
static void
test_decide_with_facts (void)
{
  static const struct
  {
    FerryOutcomeKind  kind;
    guint             status;
    FerryAttemptFacts facts;
    FerryVerdict      verdict;
    FerryGiveUp       give_up;
  } cases[] = {
    /* offline, expired, attempts spent, period over */
    { FERRY_OUTCOME_HTTP, 503, { FALSE, FALSE, FALSE, FALSE }, FERRY_VERDICT_RETRY, FERRY_GIVE_UP_NONE },
    /* A cut connection while offline costs nothing; a 503 while offline did reach a server. */
    { FERRY_OUTCOME_NETWORK, 0, { TRUE, FALSE, TRUE, TRUE }, FERRY_VERDICT_NOT_ATTEMPTED, FERRY_GIVE_UP_NONE },
    { FERRY_OUTCOME_HTTP, 503, { TRUE, FALSE, FALSE, FALSE }, FERRY_VERDICT_RETRY, FERRY_GIVE_UP_NONE },
    { FERRY_OUTCOME_NETWORK, 0, { FALSE, FALSE, FALSE, FALSE }, FERRY_VERDICT_RETRY, FERRY_GIVE_UP_NONE },
    /* Expired: nothing but success counts, before any other rule. */
    { FERRY_OUTCOME_HTTP, 503, { FALSE, TRUE, TRUE, TRUE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_EXPIRED },
    { FERRY_OUTCOME_HTTP, 401, { FALSE, TRUE, FALSE, FALSE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_EXPIRED },
    { FERRY_OUTCOME_HTTP, 412, { FALSE, TRUE, FALSE, FALSE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_EXPIRED },
    { FERRY_OUTCOME_HTTP, 201, { FALSE, TRUE, TRUE, TRUE }, FERRY_VERDICT_SUCCEEDED, FERRY_GIVE_UP_NONE },
    { FERRY_OUTCOME_OFFLINE, 0, { TRUE, TRUE, TRUE, TRUE }, FERRY_VERDICT_NOT_ATTEMPTED, FERRY_GIVE_UP_NONE },
    /* Out of attempts, then out of time. */
    { FERRY_OUTCOME_HTTP, 500, { FALSE, FALSE, TRUE, TRUE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_ATTEMPTS },
    { FERRY_OUTCOME_NETWORK, 0, { FALSE, FALSE, FALSE, TRUE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_PERIOD },
    /* Only what is worth retrying runs out. */
    { FERRY_OUTCOME_HTTP, 401, { FALSE, FALSE, TRUE, TRUE }, FERRY_VERDICT_AUTH_REQUIRED, FERRY_GIVE_UP_NONE },
    { FERRY_OUTCOME_HTTP, 409, { FALSE, FALSE, TRUE, TRUE }, FERRY_VERDICT_CONFLICT, FERRY_GIVE_UP_NONE },
    { FERRY_OUTCOME_HTTP, 404, { FALSE, FALSE, TRUE, TRUE }, FERRY_VERDICT_FAILED, FERRY_GIVE_UP_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FerryGiveUp give_up = G_MAXINT;
      const char *reason = NULL;
      FerryVerdict verdict;

      verdict = ferry_classifier_decide (cases[i].kind, cases[i].status, &cases[i].facts,
                                         &reason, &give_up);
      g_test_message ("case %u: kind %d, status %u", i, cases[i].kind, cases[i].status);
      g_assert_cmpstr (ferry_verdict_to_string (verdict), ==,
                       ferry_verdict_to_string (cases[i].verdict));
      g_assert_cmpint (give_up, ==, cases[i].give_up);
      g_assert_nonnull (reason);
    }
}

static void
test_verdict_names (void)
{
  static const struct {
    FerryVerdict  verdict;
    const char   *name;
  } names[] = {
    { FERRY_VERDICT_SUCCEEDED, "succeeded" },
    { FERRY_VERDICT_RETRY, "retry" },
    { FERRY_VERDICT_FAILED, "failed" },
    { FERRY_VERDICT_AUTH_REQUIRED, "auth-required" },
    { FERRY_VERDICT_CONFLICT, "conflict" },
    { FERRY_VERDICT_NOT_ATTEMPTED, "not-attempted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (ferry_verdict_to_string (names[i].verdict), ==, names[i].name);
  g_assert_null (ferry_verdict_to_string ((FerryVerdict) 99));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/classifier/table", test_classify_table);
  g_test_add_func ("/engine/classifier/reasons", test_classify_reasons);
  g_test_add_func ("/engine/classifier/kind-from-error", test_kind_from_error);
  g_test_add_func ("/engine/classifier/cancellation-is-not-attempted",
                   test_cancellation_is_not_attempted);
  g_test_add_func ("/engine/classifier/decide-with-facts", test_decide_with_facts);
  g_test_add_func ("/engine/classifier/verdict-names", test_verdict_names);

  return g_test_run ();
}
