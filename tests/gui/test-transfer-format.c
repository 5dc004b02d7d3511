/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "ferry-transfer-format.h"

/* The words of the Transfers view, from numbers alone: no display. */

typedef struct
{
  gint64      done;
  gint64      total;
  guint64     rate;
  const char *expected;
} ProgressCase;

static const ProgressCase progress_cases[] = {
  { 0, -1, 0, "0 bytes" },
  { 2500000, -1, 0, "2.5\u00a0MB" },
  { 2500000, -1, 1000000, "2.5\u00a0MB · 1.0\u00a0MB/s" },
  { 12000000, 40000000, 0, "12.0\u00a0MB of 40.0\u00a0MB" },
  { 12000000, 40000000, 2000000, "12.0\u00a0MB of 40.0\u00a0MB · 2.0\u00a0MB/s · 14 seconds left" },
  { 0, 400000000, 1000000, "0 bytes of 400.0\u00a0MB · 1.0\u00a0MB/s · 7 minutes left" },
  { 0, 4000000000, 100000, "0 bytes of 4.0\u00a0GB · 100.0\u00a0kB/s · 11 hours left" },
  { 999, 1000, 1000000, "999 bytes of 1.0\u00a0kB · 1.0\u00a0MB/s · 1 second left" },
  /* A server that sent more than it said: no time left to tell. */
  { 2000, 1000, 1000, "2.0\u00a0kB of 1.0\u00a0kB · 1.0\u00a0kB/s" },
  { -5, 1000, 0, "0 bytes of 1.0\u00a0kB" },
};

static void
test_progress (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (progress_cases); i++)
    {
      const ProgressCase *c = &progress_cases[i];
      g_autofree char *text = ferry_transfer_format_progress (c->done, c->total, c->rate);

      g_test_message ("case %u", i);
      g_assert_cmpstr (text, ==, c->expected);
    }
}

static void
test_time_left (void)
{
  static const struct { guint64 seconds; const char *expected; } cases[] = {
    { 0, "0 seconds left" },
    { 1, "1 second left" },
    { 59, "59 seconds left" },
    { 60, "1 minute left" },
    { 89, "1 minute left" },
    { 90, "2 minutes left" },
    { 3569, "59 minutes left" },
    { 3599, "1 hour left" },
    { 3600, "1 hour left" },
    { 47 * 3600, "47 hours left" },
    { 47 * 3600 + 1799, "47 hours left" },
    { 47 * 3600 + 1800, "More than a day left" },
    { 48 * 3600, "More than a day left" },
    { G_MAXUINT64, "More than a day left" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_transfer_format_time_left (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_fraction (void)
{
  g_assert_cmpfloat (ferry_transfer_fraction (0, -1), ==, 0.0);
  g_assert_cmpfloat (ferry_transfer_fraction (500, -1), ==, 0.0);
  g_assert_cmpfloat (ferry_transfer_fraction (0, 0), ==, 1.0);
  g_assert_cmpfloat (ferry_transfer_fraction (250, 1000), ==, 0.25);
  g_assert_cmpfloat (ferry_transfer_fraction (2000, 1000), ==, 1.0);
  g_assert_cmpfloat (ferry_transfer_fraction (-1, 1000), ==, 0.0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gui/transfer-format/progress", test_progress);
  g_test_add_func ("/gui/transfer-format/time-left", test_time_left);
  g_test_add_func ("/gui/transfer-format/fraction", test_fraction);

  return g_test_run ();
}
