/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-clock"

#include "config.h"

#include "ferry-clock.h"

/*
 * FerryClock is where the engine reads the time.  The real clock follows
 * g_get_real_time(); a manual one (for tests) stands still until it is
 * moved, and says so with ::changed so timers armed against it can be
 * looked at again.
 */

struct _FerryClock
{
  GObject parent_instance;

  /* state */
  gboolean manual;
  gint64   now;
};

G_DEFINE_FINAL_TYPE (FerryClock, ferry_clock, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ferry_clock_class_init (FerryClockClass *klass)
{
  /**
   * FerryClock::changed:
   *
   * A manual clock was moved.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
ferry_clock_init (FerryClock *self)
{
}

/**
 * ferry_clock_new:
 *
 * Returns: (transfer full): a clock that follows the system's real time
 */
FerryClock *
ferry_clock_new (void)
{
  return g_object_new (FERRY_TYPE_CLOCK, NULL);
}

/**
 * ferry_clock_new_manual:
 * @start: the time it shows, in microseconds since the epoch
 *
 * Returns: (transfer full): a clock that moves only by ferry_clock_advance()
 */
FerryClock *
ferry_clock_new_manual (gint64 start)
{
  FerryClock *self = g_object_new (FERRY_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->now = start;
  return self;
}

gboolean
ferry_clock_is_manual (FerryClock *self)
{
  g_return_val_if_fail (FERRY_IS_CLOCK (self), FALSE);

  return self->manual;
}

/**
 * ferry_clock_get_now:
 * @self: a clock
 *
 * Returns: microseconds since the Unix epoch
 */
gint64
ferry_clock_get_now (FerryClock *self)
{
  g_return_val_if_fail (FERRY_IS_CLOCK (self), 0);

  return self->manual ? self->now : g_get_real_time ();
}

/**
 * ferry_clock_advance:
 * @self: a manual clock
 * @microseconds: how far to move it forward
 */
void
ferry_clock_advance (FerryClock *self,
                     gint64      microseconds)
{
  g_return_if_fail (FERRY_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (microseconds >= 0);

  self->now += microseconds;
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * ferry_clock_set_now:
 * @self: a manual clock
 * @now: the new time
 */
void
ferry_clock_set_now (FerryClock *self,
                     gint64      now)
{
  g_return_if_fail (FERRY_IS_CLOCK (self));
  g_return_if_fail (self->manual);

  self->now = now;
  g_signal_emit (self, signals[CHANGED], 0);
}
