/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-backoff"

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "ferry-backoff.h"

/*
 * Exponential backoff with full jitter: the delay after attempt n is drawn
 * uniformly from [0, ceiling(n)], so clients that failed together do not
 * come back together.  A server's Retry-After replaces the draw but never
 * exceeds the cap: a hostile or broken server cannot park a task for days.
 */

/**
 * ferry_backoff_policy_init_default:
 * @policy: (out caller-allocates): the policy to fill
 *
 * First delay up to 1 s, doubling, capped at 5 min.
 */
void
ferry_backoff_policy_init_default (FerryBackoffPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->initial_delay = FERRY_BACKOFF_DEFAULT_INITIAL;
  policy->multiplier = FERRY_BACKOFF_DEFAULT_MULTIPLIER;
  policy->max_delay = FERRY_BACKOFF_DEFAULT_MAX;
}

/**
 * ferry_backoff_ceiling:
 * @policy: a policy
 * @attempt: the number of the attempt that just failed, from 1 (0 counts
 *   as 1)
 *
 * Computed in floating point, so a huge @attempt saturates at the cap
 * instead of overflowing.
 *
 * Returns: min(max_delay, initial_delay × multiplier^(attempt-1)), in
 *   microseconds
 */
gint64
ferry_backoff_ceiling (const FerryBackoffPolicy *policy,
                       guint                     attempt)
{
  double bound;

  g_return_val_if_fail (policy != NULL, 0);
  g_return_val_if_fail (policy->initial_delay >= 0, 0);
  g_return_val_if_fail (policy->max_delay >= 0, 0);
  g_return_val_if_fail (policy->multiplier > 0.0, 0);

  if (attempt == 0)
    attempt = 1;

  /* pow() gives +inf rather than wrapping; the comparison is written so
   * that inf and NaN both land on the cap. */
  bound = (double) policy->initial_delay * pow (policy->multiplier, (double) (attempt - 1));
  if (!(bound < (double) policy->max_delay))
    return policy->max_delay;
  return (gint64) bound;
}

/**
 * ferry_backoff_delay:
 * @policy: a policy
 * @attempt: the number of the attempt that just failed, from 1
 * @retry_after: the delay the server asked for in microseconds, or a
 *   negative number when it asked for none
 * @rand: (nullable): the random source; %NULL uses the global one
 *
 * Returns: how long to wait before the next attempt, in microseconds:
 *   min(@retry_after, max_delay) when the server asked, else a uniform draw
 *   from [0, ferry_backoff_ceiling()]
 */
gint64
ferry_backoff_delay (const FerryBackoffPolicy *policy,
                     guint                     attempt,
                     gint64                    retry_after,
                     GRand                    *rand)
{
  gint64 ceiling;
  double unit;
  gint64 delay;

  g_return_val_if_fail (policy != NULL, 0);

  if (retry_after >= 0)
    return MIN (retry_after, policy->max_delay);

  ceiling = ferry_backoff_ceiling (policy, attempt);
  unit = rand != NULL ? g_rand_double (rand) : g_random_double ();

  /* unit is in [0, 1), so this covers every value from 0 to ceiling
   * inclusive, each with the same chance. */
  delay = (gint64) (unit * ((double) ceiling + 1.0));
  return CLAMP (delay, 0, ceiling);
}

static gboolean
is_ows (char c)
{
  return c == ' ' || c == '\t';
}

/* delay-seconds = 1*DIGIT.  A value too large to hold is taken as the
 * largest one, as RFC 9111 §1.2.2 asks of delta-seconds. */
static gboolean
parse_delay_seconds (const char *start,
                     const char *end,
                     gint64     *out_delay)
{
  const gint64 max_seconds = G_MAXINT64 / G_USEC_PER_SEC;
  gint64 seconds = 0;

  if (start == end)
    return FALSE;
  for (const char *p = start; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (seconds <= max_seconds)
        seconds = seconds * 10 + (*p - '0');
    }
  if (seconds > max_seconds)
    *out_delay = G_MAXINT64;
  else
    *out_delay = seconds * G_USEC_PER_SEC;
  return TRUE;
}

/**
 * ferry_backoff_parse_retry_after:
 * @value: (nullable): the Retry-After field value
 * @now: the current time in microseconds since the epoch; a date is
 *   measured from it
 * @out_delay: (out): the delay in microseconds, never negative
 *
 * Accepts delay-seconds (digits only: no sign, no fraction; a number too
 * large saturates) and an HTTP-date in any of the three forms of RFC 9110
 * §5.6.7 (IMF-fixdate, RFC 850, asctime).  A date in the past gives 0.
 *
 * Returns: %TRUE when @value was understood
 */
gboolean
ferry_backoff_parse_retry_after (const char *value,
                                 gint64      now,
                                 gint64     *out_delay)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;
  const char *start;
  const char *end;
  gint64 delay;

  g_return_val_if_fail (out_delay != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  start = value;
  end = value + strlen (value);
  while (start < end && is_ows (*start))
    start++;
  while (end > start && is_ows (end[-1]))
    end--;
  if (start == end)
    return FALSE;

  /* Every HTTP-date form starts with a day name; anything else must be
   * delay-seconds, so "-5", "+5" or "1.5" never reach the date parser. */
  if (!g_ascii_isalpha (*start))
    return parse_delay_seconds (start, end, out_delay);

  text = g_strndup (start, end - start);
  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return FALSE;

  /* GDateTime ends at year 9999, so this product stays far from overflow. */
  delay = g_date_time_to_unix (date) * G_USEC_PER_SEC - now;
  *out_delay = MAX (delay, 0);
  return TRUE;
}
