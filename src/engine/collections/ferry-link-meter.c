/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-link-meter"

#include "config.h"

#include "ferry-collection-config.h"

#include "ferry-link-meter.h"

/*
 * What Ferry's own requests to one host tell about the link to it, and
 * the batch sizes and timeouts that follow.
 *
 * An exchange of b bytes that took d is modelled as d = rtt + b / rate:
 * small exchanges (a few KiB) measure the round trip (server time
 * included), larger ones the rate once the round trip is taken off.  Both
 * are moving averages, so one odd exchange moves them only a quarter of
 * the way.
 *
 * A batch should take about a second: n documents of s bytes take
 * rtt + n·s / rate, so n = (1 s − rtt) · rate / s, between 10 and the
 * collection's limit (at most 1,000), and at most 4 MiB a request.  It
 * grows at most twofold from one batch to the next (a link measured on
 * small requests may not hold its rate for large ones) and shrinks at
 * once; a timeout halves it.  A request may take eight times what the
 * model expects of it, at least 15 s and at most 2 minutes.
 */

#define SMALL_EXCHANGE   (8 * 1024)
#define AVERAGE_WEIGHT   0.25
#define BATCH_TARGET_US  G_USEC_PER_SEC
#define MIN_TIMEOUT_MS   15000
#define MAX_TIMEOUT_MS   120000
#define TIMEOUT_FACTOR   8

struct _FerryLinkMeter
{
  GObject parent_instance;

  /* state */
  gint64  round_trip;   /* µs; 0 until measured */
  double  rate;         /* bytes per second; 0 until measured */
  gboolean timed_out;   /* the last request ran out of time */
};

G_DEFINE_FINAL_TYPE (FerryLinkMeter, ferry_link_meter, G_TYPE_OBJECT)

static void
ferry_link_meter_class_init (FerryLinkMeterClass *klass)
{
}

static void
ferry_link_meter_init (FerryLinkMeter *self)
{
}

/**
 * ferry_link_meter_new:
 *
 * Returns: (transfer full): a meter that knows nothing yet
 */
FerryLinkMeter *
ferry_link_meter_new (void)
{
  return g_object_new (FERRY_TYPE_LINK_METER, NULL);
}

static double
average (double old,
         double sample)
{
  return old <= 0 ? sample : old + AVERAGE_WEIGHT * (sample - old);
}

/**
 * ferry_link_meter_record:
 * @self: a meter
 * @duration_us: how long an exchange took, from sending to the last byte
 *   of the answer
 * @bytes: what it carried both ways
 *
 * Takes one exchange into the averages.
 */
void
ferry_link_meter_record (FerryLinkMeter *self,
                         gint64          duration_us,
                         guint64         bytes)
{
  g_return_if_fail (FERRY_IS_LINK_METER (self));

  if (duration_us <= 0)
    duration_us = 1;
  self->timed_out = FALSE;
  if (bytes < SMALL_EXCHANGE || self->round_trip == 0)
    {
      self->round_trip = (gint64) average (self->round_trip, duration_us);
      return;
    }
  /* A large exchange that was quick also bounds the round trip. */
  if (duration_us < self->round_trip)
    self->round_trip = (gint64) average (self->round_trip, duration_us);
  self->rate = average (self->rate,
                        (double) bytes * G_USEC_PER_SEC /
                        MAX (duration_us - self->round_trip, 1000));
}

/**
 * ferry_link_meter_record_timeout:
 * @self: a meter
 *
 * An exchange ran out of time: the next batch is half the last.
 */
void
ferry_link_meter_record_timeout (FerryLinkMeter *self)
{
  g_return_if_fail (FERRY_IS_LINK_METER (self));

  self->timed_out = TRUE;
}

/**
 * ferry_link_meter_get_round_trip:
 * @self: a meter
 *
 * Returns: the measured round trip in µs, 0 when unknown
 */
gint64
ferry_link_meter_get_round_trip (FerryLinkMeter *self)
{
  g_return_val_if_fail (FERRY_IS_LINK_METER (self), 0);

  return self->round_trip;
}

/**
 * ferry_link_meter_get_throughput:
 * @self: a meter
 *
 * Returns: the measured rate in bytes per second, 0 when unknown
 */
double
ferry_link_meter_get_throughput (FerryLinkMeter *self)
{
  g_return_val_if_fail (FERRY_IS_LINK_METER (self), 0);

  return self->rate;
}

/**
 * ferry_link_meter_next_batch:
 * @self: a meter
 * @previous: the size of the last batch, 0 for the first
 * @average_doc_bytes: how large a document is, on average (0: unknown)
 * @limit: the collection's own limit
 *
 * Returns: how many documents the next batch should have
 */
guint
ferry_link_meter_next_batch (FerryLinkMeter *self,
                             guint           previous,
                             gsize           average_doc_bytes,
                             guint           limit)
{
  guint lowest = FERRY_COLLECTION_MIN_BATCH;
  guint highest = CLAMP (limit, FERRY_COLLECTION_MIN_BATCH, FERRY_COLLECTION_MAX_BATCH);
  double wanted;

  g_return_val_if_fail (FERRY_IS_LINK_METER (self), FERRY_LINK_FIRST_BATCH);

  if (previous == 0)
    previous = FERRY_LINK_FIRST_BATCH;
  if (average_doc_bytes == 0)
    average_doc_bytes = 1;
  if (average_doc_bytes * lowest > FERRY_LINK_MAX_REQUEST_BYTES)
    lowest = 1;
  highest = MIN (highest, MAX (FERRY_LINK_MAX_REQUEST_BYTES / average_doc_bytes, lowest));

  if (self->timed_out)
    wanted = previous / 2.0;
  else if (self->rate <= 0)
    wanted = previous;
  else
    {
      gint64 room = BATCH_TARGET_US - MIN (self->round_trip, BATCH_TARGET_US / 2);

      wanted = (double) room / G_USEC_PER_SEC * self->rate / average_doc_bytes;
      wanted = MIN (wanted, previous * 2.0);
    }
  return CLAMP ((guint) MIN (wanted, (double) G_MAXUINT), lowest, highest);
}

/**
 * ferry_link_meter_timeout_ms:
 * @self: a meter
 * @bytes: what the exchange will carry both ways, as far as known
 *
 * Returns: how long the exchange may take, in milliseconds
 */
guint
ferry_link_meter_timeout_ms (FerryLinkMeter *self,
                             guint64         bytes)
{
  double expected_us;

  g_return_val_if_fail (FERRY_IS_LINK_METER (self), MAX_TIMEOUT_MS);

  if (self->round_trip == 0)
    return MAX_TIMEOUT_MS / 4;
  expected_us = self->round_trip;
  if (self->rate > 0)
    expected_us += bytes * G_USEC_PER_SEC / self->rate;
  return CLAMP ((guint) (expected_us * TIMEOUT_FACTOR / 1000), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
}
