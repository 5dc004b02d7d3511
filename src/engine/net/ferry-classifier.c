/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-classifier"

#include "config.h"

#include <libsoup/soup.h>

#include "ferry-classifier.h"

/*
 * The outcome table of DESIGN.md, as data.  Rows are read top to bottom and
 * the first that matches decides, so specific statuses come before the
 * ranges that hold them.  The status range is only looked at for
 * FERRY_OUTCOME_HTTP; the other kinds carry no status.
 *
 * Choices the design leaves open:
 * - 3xx: libsoup follows redirects as HTTP says, so a 3xx that reaches
 *   here could not be followed (300 Multiple Choices, 304 without a
 *   conditional request, a Location that is missing): asking again gets
 *   the same answer, so it fails.
 * - 5xx other than 500/502/503/504 (501 Not Implemented, 505 HTTP Version
 *   Not Supported, 506, 507, 508, 510, 511): the server says it cannot
 *   handle this kind of request, not that it is busy; it fails.
 * - 1xx as a final status, or a status outside 100–599: the response is
 *   broken, like a cut connection; it is retried.
 */

typedef struct
{
  FerryOutcomeKind  kind;
  guint             first;
  guint             last;
  FerryVerdict      verdict;
  const char       *reason;
} OutcomeRow;

#define ANY_STATUS 0, G_MAXUINT

static const OutcomeRow outcome_table[] = {
  { FERRY_OUTCOME_HTTP, 200, 299, FERRY_VERDICT_SUCCEEDED, "delivered" },
  { FERRY_OUTCOME_HTTP, 408, 408, FERRY_VERDICT_RETRY, "request timeout" },
  { FERRY_OUTCOME_HTTP, 425, 425, FERRY_VERDICT_RETRY, "too early" },
  { FERRY_OUTCOME_HTTP, 429, 429, FERRY_VERDICT_RETRY, "too many requests" },
  { FERRY_OUTCOME_HTTP, 500, 500, FERRY_VERDICT_RETRY, "internal server error" },
  { FERRY_OUTCOME_HTTP, 502, 502, FERRY_VERDICT_RETRY, "bad gateway" },
  { FERRY_OUTCOME_HTTP, 503, 503, FERRY_VERDICT_RETRY, "service unavailable" },
  { FERRY_OUTCOME_HTTP, 504, 504, FERRY_VERDICT_RETRY, "gateway timeout" },
  { FERRY_OUTCOME_HTTP, 401, 401, FERRY_VERDICT_AUTH_REQUIRED, "unauthorized" },
  { FERRY_OUTCOME_HTTP, 403, 403, FERRY_VERDICT_AUTH_REQUIRED, "forbidden" },
  { FERRY_OUTCOME_HTTP, 409, 409, FERRY_VERDICT_CONFLICT, "conflict with the server's copy" },
  { FERRY_OUTCOME_HTTP, 412, 412, FERRY_VERDICT_CONFLICT, "precondition failed: If-Match" },
  { FERRY_OUTCOME_HTTP, 300, 399, FERRY_VERDICT_FAILED, "a redirect that cannot be followed" },
  { FERRY_OUTCOME_HTTP, 400, 499, FERRY_VERDICT_FAILED, "the server rejected the request" },
  { FERRY_OUTCOME_HTTP, 500, 599, FERRY_VERDICT_FAILED, "the server cannot handle this request" },
  { FERRY_OUTCOME_HTTP, ANY_STATUS, FERRY_VERDICT_RETRY, "broken response: no final status" },
  { FERRY_OUTCOME_NETWORK, ANY_STATUS, FERRY_VERDICT_RETRY, "network error" },
  { FERRY_OUTCOME_TLS, ANY_STATUS, FERRY_VERDICT_FAILED,
    "TLS certificate refused; never retried over plain HTTP" },
  { FERRY_OUTCOME_REDIRECT_LOOP, ANY_STATUS, FERRY_VERDICT_FAILED, "redirects did not end" },
  { FERRY_OUTCOME_OFFLINE, ANY_STATUS, FERRY_VERDICT_NOT_ATTEMPTED, "offline" },
  { FERRY_OUTCOME_EXPIRED, ANY_STATUS, FERRY_VERDICT_FAILED, "expired" },
  { FERRY_OUTCOME_CANCELLED, ANY_STATUS, FERRY_VERDICT_NOT_ATTEMPTED, "cancelled" },
};

/*
 * The rules after the outcome table, as data too: what the task's own
 * situation makes of the table's verdict.  Every row that matches applies,
 * in order, to the verdict the rows above it left.
 */
typedef enum {
  FACT_OFFLINE,
  FACT_EXPIRED,
  FACT_ATTEMPTS_SPENT,
  FACT_PERIOD_OVER,
} Fact;

typedef struct
{
  guint             verdicts;   /* the verdicts it applies to, as bits */
  int               kind;       /* an outcome kind, or ANY_KIND */
  Fact              fact;
  FerryVerdict      verdict;
  FerryGiveUp       give_up;
} PolicyRow;

#define ANY_KIND -1
#define VERDICT_BIT(v) (1u << (v))
/* Whatever was sent and did not succeed. */
#define TRIED_AND_NOT_DELIVERED (VERDICT_BIT (FERRY_VERDICT_RETRY) |         \
                                 VERDICT_BIT (FERRY_VERDICT_FAILED) |        \
                                 VERDICT_BIT (FERRY_VERDICT_AUTH_REQUIRED) | \
                                 VERDICT_BIT (FERRY_VERDICT_CONFLICT))

static const PolicyRow policy_table[] = {
  /* A transport error while the network is gone: the request never
   * really left, and that costs no attempt. */
  { VERDICT_BIT (FERRY_VERDICT_RETRY), FERRY_OUTCOME_NETWORK, FACT_OFFLINE,
    FERRY_VERDICT_NOT_ATTEMPTED, FERRY_GIVE_UP_NONE },
  /* Expiry passed while it was being tried: nothing but success counts. */
  { TRIED_AND_NOT_DELIVERED, ANY_KIND, FACT_EXPIRED,
    FERRY_VERDICT_FAILED, FERRY_GIVE_UP_EXPIRED },
  /* Worth retrying, but out of attempts or of time. */
  { VERDICT_BIT (FERRY_VERDICT_RETRY), ANY_KIND, FACT_ATTEMPTS_SPENT,
    FERRY_VERDICT_FAILED, FERRY_GIVE_UP_ATTEMPTS },
  { VERDICT_BIT (FERRY_VERDICT_RETRY), ANY_KIND, FACT_PERIOD_OVER,
    FERRY_VERDICT_FAILED, FERRY_GIVE_UP_PERIOD },
};

static gboolean
fact_holds (const FerryAttemptFacts *facts,
            Fact                     fact)
{
  switch (fact)
    {
    case FACT_OFFLINE:
      return facts->offline;
    case FACT_EXPIRED:
      return facts->expired;
    case FACT_ATTEMPTS_SPENT:
      return facts->attempts_spent;
    case FACT_PERIOD_OVER:
      return facts->period_over;
    default:
      g_assert_not_reached ();
    }
}

/*
 * Which transport errors mean what.  A code of -1 takes the whole domain.
 * Anything not listed (refused, reset, timed out, unreachable, DNS, broken
 * pipe, a response libsoup could not parse or decode) is a network error
 * worth trying again.
 */
typedef struct
{
  GQuark           (*domain) (void);
  int               code;
  FerryOutcomeKind  kind;
} ErrorRow;

static const ErrorRow error_table[] = {
  { g_io_error_quark, G_IO_ERROR_CANCELLED, FERRY_OUTCOME_CANCELLED },
  /* The TLS stream ended without a close_notify: a cut connection, not a
   * trust problem. */
  { g_tls_error_quark, G_TLS_ERROR_EOF, FERRY_OUTCOME_NETWORK },
  { g_tls_error_quark, -1, FERRY_OUTCOME_TLS },
  { soup_session_error_quark, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS, FERRY_OUTCOME_REDIRECT_LOOP },
};

static const char * const verdict_names[] = {
  "succeeded", "retry", "failed", "auth-required", "conflict", "not-attempted",
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_names) == FERRY_VERDICT_NOT_ATTEMPTED + 1);

/**
 * ferry_classifier_classify:
 * @kind: what became of the attempt
 * @status: the HTTP status when @kind is %FERRY_OUTCOME_HTTP; ignored
 *   otherwise
 * @out_reason: (out) (optional) (transfer none): a short technical reason
 *   for logs and the task's last error; a static string
 *
 * Applies the outcome table.
 *
 * Returns: the verdict for the attempt
 */
FerryVerdict
ferry_classifier_classify (FerryOutcomeKind   kind,
                           guint              status,
                           const char       **out_reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_table); i++)
    {
      const OutcomeRow *row = &outcome_table[i];

      if (row->kind != kind)
        continue;
      if (kind == FERRY_OUTCOME_HTTP && (status < row->first || status > row->last))
        continue;
      if (out_reason != NULL)
        *out_reason = row->reason;
      return row->verdict;
    }

  /* Every kind has a catch-all row; an unknown kind is a caller's bug. */
  g_critical ("%s: unknown outcome kind %d", G_STRFUNC, (int) kind);
  if (out_reason != NULL)
    *out_reason = "unknown outcome";
  return FERRY_VERDICT_FAILED;
}

/**
 * ferry_classifier_decide:
 * @kind: what became of the attempt
 * @status: the HTTP status when @kind is %FERRY_OUTCOME_HTTP; ignored
 *   otherwise
 * @facts: the task's situation when the attempt ended
 * @out_reason: (out) (optional) (transfer none): the outcome table's reason;
 *   a static string
 * @out_give_up: (out) (optional): why the verdict became a failure, if it
 *   did
 *
 * Applies the outcome table, then the rules of the task's situation: an
 * attempt that failed while offline is not counted, an expired task fails,
 * and a task worth retrying fails once its attempts or its retry period
 * are spent.
 *
 * Returns: the verdict for the attempt
 */
FerryVerdict
ferry_classifier_decide (FerryOutcomeKind         kind,
                         guint                    status,
                         const FerryAttemptFacts *facts,
                         const char             **out_reason,
                         FerryGiveUp             *out_give_up)
{
  FerryVerdict verdict = ferry_classifier_classify (kind, status, out_reason);
  FerryGiveUp give_up = FERRY_GIVE_UP_NONE;

  g_return_val_if_fail (facts != NULL, verdict);

  for (guint i = 0; i < G_N_ELEMENTS (policy_table); i++)
    {
      const PolicyRow *row = &policy_table[i];

      if ((row->verdicts & VERDICT_BIT (verdict)) == 0)
        continue;
      if (row->kind != ANY_KIND && row->kind != (int) kind)
        continue;
      if (!fact_holds (facts, row->fact))
        continue;
      verdict = row->verdict;
      if (row->give_up != FERRY_GIVE_UP_NONE)
        give_up = row->give_up;
    }
  if (out_give_up != NULL)
    *out_give_up = give_up;
  return verdict;
}

/**
 * ferry_classifier_kind_from_error:
 * @error: a transport error from libsoup or GIO
 *
 * Sorts a transport error into an outcome kind.  Cancellation stays
 * %FERRY_OUTCOME_CANCELLED, never a network error.
 *
 * Returns: the kind of outcome @error stands for
 */
FerryOutcomeKind
ferry_classifier_kind_from_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, FERRY_OUTCOME_NETWORK);

  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    {
      const ErrorRow *row = &error_table[i];

      if (error->domain == row->domain () && (row->code == -1 || error->code == row->code))
        return row->kind;
    }
  return FERRY_OUTCOME_NETWORK;
}

/**
 * ferry_verdict_to_string:
 * @verdict: a verdict
 *
 * Returns: (nullable): a stable lower-case name, or %NULL for a value out
 *   of range
 */
const char *
ferry_verdict_to_string (FerryVerdict verdict)
{
  if ((guint) verdict >= G_N_ELEMENTS (verdict_names))
    return NULL;
  return verdict_names[verdict];
}
