/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FerryOutcomeKind:
 * @FERRY_OUTCOME_HTTP: the server answered with a status
 * @FERRY_OUTCOME_NETWORK: connection refused or reset, DNS failure, timeout,
 *   a broken response: worth trying again later
 * @FERRY_OUTCOME_TLS: the server's certificate was refused
 * @FERRY_OUTCOME_REDIRECT_LOOP: redirects did not end
 * @FERRY_OUTCOME_OFFLINE: the request never left: no connectivity
 * @FERRY_OUTCOME_EXPIRED: the task's expiry passed
 * @FERRY_OUTCOME_CANCELLED: the attempt was stopped by Ferry itself
 *   (shutdown, pause, cancel); not an attempt
 *
 * What became of one attempt, before policy is applied.
 */
typedef enum {
  FERRY_OUTCOME_HTTP,
  FERRY_OUTCOME_NETWORK,
  FERRY_OUTCOME_TLS,
  FERRY_OUTCOME_REDIRECT_LOOP,
  FERRY_OUTCOME_OFFLINE,
  FERRY_OUTCOME_EXPIRED,
  FERRY_OUTCOME_CANCELLED,
} FerryOutcomeKind;

/**
 * FerryVerdict:
 * @FERRY_VERDICT_SUCCEEDED: delivered
 * @FERRY_VERDICT_RETRY: try again after a backoff (failed once attempts are
 *   spent)
 * @FERRY_VERDICT_FAILED: permanent: the request itself is wrong
 * @FERRY_VERDICT_AUTH_REQUIRED: hold until credentials change
 * @FERRY_VERDICT_CONFLICT: the server's copy moved on
 * @FERRY_VERDICT_NOT_ATTEMPTED: nothing was sent; the attempt is not counted
 *
 * What the classifier decides; the next state follows from it.
 */
typedef enum {
  FERRY_VERDICT_SUCCEEDED,
  FERRY_VERDICT_RETRY,
  FERRY_VERDICT_FAILED,
  FERRY_VERDICT_AUTH_REQUIRED,
  FERRY_VERDICT_CONFLICT,
  FERRY_VERDICT_NOT_ATTEMPTED,
} FerryVerdict;

/**
 * FerryAttemptFacts:
 * @offline: the network does not reach the task's host at the moment the
 *   attempt ended
 * @expired: the task's expiry has passed
 * @attempts_spent: this attempt, if counted, is the last one allowed
 * @period_over: the task has been retried for as long as it may be
 *
 * What beyond the server's answer decides what becomes of an attempt.
 */
typedef struct
{
  gboolean offline;
  gboolean expired;
  gboolean attempts_spent;
  gboolean period_over;
} FerryAttemptFacts;

/**
 * FerryGiveUp:
 * @FERRY_GIVE_UP_NONE: the verdict is the outcome table's
 * @FERRY_GIVE_UP_EXPIRED: failed: its expiry passed while it was tried
 * @FERRY_GIVE_UP_ATTEMPTS: failed: every allowed attempt was made
 * @FERRY_GIVE_UP_PERIOD: failed: it was retried for the whole retry period
 *
 * Why a verdict of the outcome table was turned into a failure.
 */
typedef enum {
  FERRY_GIVE_UP_NONE,
  FERRY_GIVE_UP_EXPIRED,
  FERRY_GIVE_UP_ATTEMPTS,
  FERRY_GIVE_UP_PERIOD,
} FerryGiveUp;

FerryVerdict     ferry_classifier_decide          (FerryOutcomeKind         kind,
                                                   guint                    status,
                                                   const FerryAttemptFacts *facts,
                                                   const char             **out_reason,
                                                   FerryGiveUp             *out_give_up);
FerryVerdict     ferry_classifier_classify        (FerryOutcomeKind  kind,
                                                   guint             status,
                                                   const char      **out_reason);
FerryOutcomeKind ferry_classifier_kind_from_error (const GError     *error);
const char      *ferry_verdict_to_string          (FerryVerdict      verdict);

G_END_DECLS
