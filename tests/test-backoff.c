/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-backoff"

#include "config.h"

#include "ferry-backoff.h"

#define SEC ((gint64) G_USEC_PER_SEC)

static void
test_default_policy (void)
{
  FerryBackoffPolicy policy;

  ferry_backoff_policy_init_default (&policy);
  g_assert_cmpint (policy.initial_delay, ==, 1 * SEC);
  g_assert_cmpfloat (policy.multiplier, ==, 2.0);
  g_assert_cmpint (policy.max_delay, ==, 300 * SEC);
}

static void
test_ceiling_grows_and_caps (void)
{
  static const struct {
    guint  attempt;
    gint64 ceiling;
  } cases[] = {
    { 0, 1 * SEC },   /* taken as the first attempt */
    { 1, 1 * SEC },
    { 2, 2 * SEC },
    { 3, 4 * SEC },
    { 4, 8 * SEC },
    { 5, 16 * SEC },
    { 8, 128 * SEC },
    { 9, 256 * SEC },
    { 10, 300 * SEC }, /* 512 s, capped */
    { 11, 300 * SEC },
    { 64, 300 * SEC },
  };
  FerryBackoffPolicy policy;

  ferry_backoff_policy_init_default (&policy);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("attempt %u", cases[i].attempt);
      g_assert_cmpint (ferry_backoff_ceiling (&policy, cases[i].attempt), ==, cases[i].ceiling);
    }
}

static void
test_ceiling_other_policies (void)
{
  FerryBackoffPolicy constant = { 5 * SEC, 1.0, 60 * SEC };
  FerryBackoffPolicy tenfold = { 100 * 1000, 10.0, G_MAXINT64 };
  FerryBackoffPolicy above_cap = { 10 * SEC, 2.0, 3 * SEC };

  g_assert_cmpint (ferry_backoff_ceiling (&constant, 1), ==, 5 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&constant, 500), ==, 5 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&tenfold, 2), ==, 1 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&tenfold, 3), ==, 10 * SEC);
  /* 10^30 does not fit in 64 bits: the cap, not a wrapped number. */
  g_assert_cmpint (ferry_backoff_ceiling (&tenfold, 31), ==, G_MAXINT64);
  g_assert_cmpint (ferry_backoff_ceiling (&above_cap, 1), ==, 3 * SEC);
}

static void
test_ceiling_no_overflow (void)
{
  FerryBackoffPolicy policy;

  ferry_backoff_policy_init_default (&policy);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, 63), ==, 300 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, 64), ==, 300 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, 1000), ==, 300 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, 1025), ==, 300 * SEC);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, G_MAXUINT), ==, 300 * SEC);

  for (guint attempt = 1; attempt <= 1000; attempt++)
    {
      gint64 delay = ferry_backoff_delay (&policy, attempt, -1, NULL);

      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, 300 * SEC);
    }
}

static void
test_jitter_in_range_and_spread (void)
{
  const guint n_draws = 20000;
  const gint64 ceiling = 4 * SEC;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  FerryBackoffPolicy policy;
  guint buckets[4] = { 0 };
  gint64 min = G_MAXINT64;
  gint64 max = 0;
  double sum = 0;

  ferry_backoff_policy_init_default (&policy);
  g_assert_cmpint (ferry_backoff_ceiling (&policy, 3), ==, ceiling);

  for (guint i = 0; i < n_draws; i++)
    {
      gint64 delay = ferry_backoff_delay (&policy, 3, -1, rand);

      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, ceiling);
      min = MIN (min, delay);
      max = MAX (max, delay);
      sum += (double) delay;
      buckets[MIN (delay * 4 / ceiling, 3)]++;
    }

  /* Full jitter covers the whole range, evenly: no bunching at the top as
   * "equal jitter" would give, and not a constant. */
  g_assert_cmpint (min, <, ceiling / 100);
  g_assert_cmpint (max, >, ceiling - ceiling / 100);
  g_assert_cmpfloat (sum / n_draws, >, ceiling * 0.45);
  g_assert_cmpfloat (sum / n_draws, <, ceiling * 0.55);
  for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
    {
      g_test_message ("quarter %u: %u draws", b, buckets[b]);
      g_assert_cmpuint (buckets[b], >, n_draws / 5);
      g_assert_cmpuint (buckets[b], <, n_draws * 3 / 10);
    }
}

static void
test_jitter_is_seeded (void)
{
  g_autoptr(GRand) a = g_rand_new_with_seed (7);
  g_autoptr(GRand) b = g_rand_new_with_seed (7);
  FerryBackoffPolicy policy;

  ferry_backoff_policy_init_default (&policy);
  for (guint attempt = 1; attempt < 20; attempt++)
    g_assert_cmpint (ferry_backoff_delay (&policy, attempt, -1, a), ==,
                     ferry_backoff_delay (&policy, attempt, -1, b));
}

static void
test_jitter_global_random (void)
{
  FerryBackoffPolicy policy;
  gboolean varied = FALSE;
  gint64 first;

  ferry_backoff_policy_init_default (&policy);
  first = ferry_backoff_delay (&policy, 10, -1, NULL);
  for (guint i = 0; i < 1000; i++)
    {
      gint64 delay = ferry_backoff_delay (&policy, 10, -1, NULL);

      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, 300 * SEC);
      varied |= delay != first;
    }
  g_assert_true (varied);
}

static void
test_zero_ceiling (void)
{
  FerryBackoffPolicy policy = { 0, 2.0, 300 * SEC };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < 100; i++)
    g_assert_cmpint (ferry_backoff_delay (&policy, 5, -1, rand), ==, 0);
}

static void
test_retry_after_within_cap (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  FerryBackoffPolicy policy;

  ferry_backoff_policy_init_default (&policy);
  /* The server's word replaces the draw... */
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, 10 * SEC, rand), ==, 10 * SEC);
  g_assert_cmpint (ferry_backoff_delay (&policy, 9, 0, rand), ==, 0);
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, 120 * SEC, NULL), ==, 120 * SEC);
  /* ...but never beyond the cap. */
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, 3600 * SEC, rand), ==, 300 * SEC);
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, G_MAXINT64, rand), ==, 300 * SEC);
}

/* 1994-11-06 08:49:37 UTC, the example date of RFC 9110. */
#define EXAMPLE_DATE ((gint64) 784111777)

typedef struct
{
  const char *value;
  gint64      now;       /* microseconds since the epoch */
  gboolean    ok;
  gint64      delay;
} RetryAfterCase;

static const RetryAfterCase retry_after_cases[] = {
  /* delay-seconds */
  { "120", 0, TRUE, 120 * SEC },
  { "0", 0, TRUE, 0 },
  { "1", 0, TRUE, 1 * SEC },
  { "007", 0, TRUE, 7 * SEC },
  { " 30\t", 0, TRUE, 30 * SEC },
  { "86400", 0, TRUE, 86400 * SEC },
  /* too large for 64 bits: saturates, it does not wrap */
  { "9223372036854775807", 0, TRUE, G_MAXINT64 },
  { "99999999999999999999999999999999", 0, TRUE, G_MAXINT64 },
  { "9223372036855", 0, TRUE, G_MAXINT64 },
  { "9223372036854", 0, TRUE, (gint64) 9223372036854 * SEC },
  /* not delay-seconds */
  { "-5", 0, FALSE, 0 },
  { "+5", 0, FALSE, 0 },
  { "1.5", 0, FALSE, 0 },
  { "1e3", 0, FALSE, 0 },
  { "12abc", 0, FALSE, 0 },
  { "1 2", 0, FALSE, 0 },
  { "0x10", 0, FALSE, 0 },
  { "", 0, FALSE, 0 },
  { "   ", 0, FALSE, 0 },
  /* HTTP-date, the three forms, 30 s ahead */
  { "Sun, 06 Nov 1994 08:49:37 GMT", (EXAMPLE_DATE - 30) * SEC, TRUE, 30 * SEC },
  { "Sunday, 06-Nov-94 08:49:37 GMT", (EXAMPLE_DATE - 30) * SEC, TRUE, 30 * SEC },
  { "Sun Nov  6 08:49:37 1994", (EXAMPLE_DATE - 30) * SEC, TRUE, 30 * SEC },
  /* a date measured from a now between seconds */
  { "Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_DATE * SEC - 1500000, TRUE, 1500000 },
  /* dates now or in the past: no wait */
  { "Sun, 06 Nov 1994 08:49:37 GMT", EXAMPLE_DATE * SEC, TRUE, 0 },
  { "Sun, 06 Nov 1994 08:49:37 GMT", (EXAMPLE_DATE + 3600) * SEC, TRUE, 0 },
  { "Sunday, 06-Nov-94 08:49:37 GMT", (EXAMPLE_DATE + 1) * SEC, TRUE, 0 },
  { "Sun Nov  6 08:49:37 1994", (EXAMPLE_DATE + 86400) * SEC, TRUE, 0 },
  /* garbage */
  { "soon", 0, FALSE, 0 },
  { "Tomorrow", 0, FALSE, 0 },
  { "Sun, 99 Foo 1994 08:49:37 GMT", 0, FALSE, 0 },
  { "Sun,", 0, FALSE, 0 },
};

static void
test_parse_retry_after (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (retry_after_cases); i++)
    {
      const RetryAfterCase *c = &retry_after_cases[i];
      gint64 delay = -42;
      gboolean ok;

      g_test_message ("\"%s\"", c->value);
      ok = ferry_backoff_parse_retry_after (c->value, c->now, &delay);
      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        g_assert_cmpint (delay, ==, c->delay);
    }
}

static void
test_parse_retry_after_null (void)
{
  gint64 delay = -42;

  g_assert_false (ferry_backoff_parse_retry_after (NULL, 0, &delay));
}

static void
test_parse_retry_after_future_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_utc (now / SEC + 90);
  g_autofree char *imf = NULL;
  g_autofree char *asctime = NULL;
  gint64 delay = -1;

  /* Built by hand rather than with g_date_time_format (): its %a and %b
   * follow the locale (HTTP dates are always English), and its %e pads a
   * day below 10 with U+2007 FIGURE SPACE, where asctime's is an ASCII
   * space ("Sun Nov  6 08:49:37 1994"). */
  imf = g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d GMT",
                         days[g_date_time_get_day_of_week (then) - 1],
                         g_date_time_get_day_of_month (then),
                         months[g_date_time_get_month (then) - 1],
                         g_date_time_get_year (then),
                         g_date_time_get_hour (then),
                         g_date_time_get_minute (then),
                         g_date_time_get_second (then));
  asctime = g_strdup_printf ("%s %s %2d %02d:%02d:%02d %04d",
                             days[g_date_time_get_day_of_week (then) - 1],
                             months[g_date_time_get_month (then) - 1],
                             g_date_time_get_day_of_month (then),
                             g_date_time_get_hour (then),
                             g_date_time_get_minute (then),
                             g_date_time_get_second (then),
                             g_date_time_get_year (then));
  g_test_message ("%s / %s", imf, asctime);

  /* Whole seconds: between 89 and 90 s from a now inside a second. */
  g_assert_true (ferry_backoff_parse_retry_after (imf, now, &delay));
  g_assert_cmpint (delay, >, 89 * SEC - SEC);
  g_assert_cmpint (delay, <=, 90 * SEC);
  g_assert_true (ferry_backoff_parse_retry_after (asctime, now, &delay));
  g_assert_cmpint (delay, >, 89 * SEC - SEC);
  g_assert_cmpint (delay, <=, 90 * SEC);
}

static void
test_retry_after_cap_applies (void)
{
  FerryBackoffPolicy policy;
  gint64 delay;

  ferry_backoff_policy_init_default (&policy);
  g_assert_true (ferry_backoff_parse_retry_after ("86400", 0, &delay));
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, delay, NULL), ==, 300 * SEC);
  g_assert_true (ferry_backoff_parse_retry_after ("99999999999999999999", 0, &delay));
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, delay, NULL), ==, 300 * SEC);
  g_assert_true (ferry_backoff_parse_retry_after ("Fri, 31 Dec 9999 23:59:59 GMT",
                                                  EXAMPLE_DATE * SEC, &delay));
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, delay, NULL), ==, 300 * SEC);
  g_assert_true (ferry_backoff_parse_retry_after ("45", 0, &delay));
  g_assert_cmpint (ferry_backoff_delay (&policy, 1, delay, NULL), ==, 45 * SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/backoff/default-policy", test_default_policy);
  g_test_add_func ("/engine/backoff/ceiling/grows-and-caps", test_ceiling_grows_and_caps);
  g_test_add_func ("/engine/backoff/ceiling/other-policies", test_ceiling_other_policies);
  g_test_add_func ("/engine/backoff/ceiling/no-overflow", test_ceiling_no_overflow);
  g_test_add_func ("/engine/backoff/jitter/in-range-and-spread", test_jitter_in_range_and_spread);
  g_test_add_func ("/engine/backoff/jitter/seeded", test_jitter_is_seeded);
  g_test_add_func ("/engine/backoff/jitter/global-random", test_jitter_global_random);
  g_test_add_func ("/engine/backoff/jitter/zero-ceiling", test_zero_ceiling);
  g_test_add_func ("/engine/backoff/retry-after/within-cap", test_retry_after_within_cap);
  g_test_add_func ("/engine/backoff/retry-after/parse", test_parse_retry_after);
  g_test_add_func ("/engine/backoff/retry-after/parse-null", test_parse_retry_after_null);
  g_test_add_func ("/engine/backoff/retry-after/future-date", test_parse_retry_after_future_date);
  g_test_add_func ("/engine/backoff/retry-after/cap-applies", test_retry_after_cap_applies);

  return g_test_run ();
}
