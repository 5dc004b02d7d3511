/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FerryBackoffPolicy:
 * @initial_delay: upper bound of the first delay, in microseconds
 * @multiplier: how the bound grows per attempt
 * @max_delay: the cap, in microseconds; Retry-After is cut to it too
 *
 * Exponential backoff with full jitter: after attempt n the delay is drawn
 * uniformly from [0, min(max_delay, initial_delay × multiplier^(n-1))].
 */
typedef struct
{
  gint64 initial_delay;
  double multiplier;
  gint64 max_delay;
} FerryBackoffPolicy;

#define FERRY_BACKOFF_DEFAULT_INITIAL   (1 * G_USEC_PER_SEC)
#define FERRY_BACKOFF_DEFAULT_MULTIPLIER 2.0
#define FERRY_BACKOFF_DEFAULT_MAX       (300 * G_USEC_PER_SEC)
/* No limit on attempts: transient failures are retried for the retry
 * period instead. */
#define FERRY_BACKOFF_DEFAULT_ATTEMPTS  0
/* How long after it was added a change whose server keeps failing is
 * retried, when it sets no expiry of its own. */
#define FERRY_BACKOFF_DEFAULT_RETRY_PERIOD ((gint64) 24 * 60 * 60 * G_USEC_PER_SEC)
/* A change failing this long is said to be stalled (the person hears of
 * it once); it is also the least time a change is retried for after it
 * started failing, however old it is. */
#define FERRY_BACKOFF_STALLED_AFTER     ((gint64) 60 * 60 * G_USEC_PER_SEC)

void     ferry_backoff_policy_init_default (FerryBackoffPolicy       *policy);
gint64   ferry_backoff_ceiling             (const FerryBackoffPolicy *policy,
                                            guint                     attempt);
gint64   ferry_backoff_delay               (const FerryBackoffPolicy *policy,
                                            guint                     attempt,
                                            gint64                    retry_after,
                                            GRand                    *rand);
gboolean ferry_backoff_parse_retry_after   (const char               *value,
                                            gint64                    now,
                                            gint64                   *out_delay);

G_END_DECLS
