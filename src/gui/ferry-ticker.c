/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-ticker"

#include "config.h"

#include "ferry-ticker.h"

/**
 * FerryTicker:
 *
 * One shared clock for the countdowns on screen ("next try in 32 s",
 * "Last synced 2 minutes ago").  It emits #FerryTicker::tick every
 * interval, but only while someone holds it: rows hold it only while they
 * are shown and have something counting down, so an idle window never
 * wakes up.
 */
struct _FerryTicker
{
  GObject parent_instance;

  /* state */
  guint interval;
  guint n_holds;
  guint source_id;
};

G_DEFINE_FINAL_TYPE (FerryTicker, ferry_ticker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_RUNNING,
  PROP_N_HOLDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
on_tick (gpointer user_data)
{
  FerryTicker *self = user_data;

  g_signal_emit (self, signals[TICK], 0);
  return G_SOURCE_CONTINUE;
}

static void
ferry_ticker_dispose (GObject *object)
{
  FerryTicker *self = (FerryTicker *) object;

  g_clear_handle_id (&self->source_id, g_source_remove);

  G_OBJECT_CLASS (ferry_ticker_parent_class)->dispose (object);
}

static void
ferry_ticker_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryTicker *self = FERRY_TICKER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->source_id != 0);
      break;
    case PROP_N_HOLDS:
      g_value_set_uint (value, self->n_holds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_ticker_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryTicker *self = FERRY_TICKER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      self->interval = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_ticker_class_init (FerryTickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_ticker_dispose;
  object_class->get_property = ferry_ticker_get_property;
  object_class->set_property = ferry_ticker_set_property;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 10, 3600 * 1000, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_HOLDS] =
    g_param_spec_uint ("n-holds", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTicker::tick:
   * @self: the ticker
   *
   * An interval passed while the ticker was held.
   */
  signals[TICK] =
    g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ferry_ticker_init (FerryTicker *self)
{
  self->interval = 1000;
}

/**
 * ferry_ticker_new:
 * @interval_ms: the time between ticks
 *
 * Returns: (transfer full): a ticker that is not running
 */
FerryTicker *
ferry_ticker_new (guint interval_ms)
{
  return g_object_new (FERRY_TYPE_TICKER, "interval", interval_ms, NULL);
}

guint
ferry_ticker_get_interval (FerryTicker *self)
{
  g_return_val_if_fail (FERRY_IS_TICKER (self), 0);
  return self->interval;
}

/**
 * ferry_ticker_get_running:
 * @self: a ticker
 *
 * Returns: whether a timer is armed (someone holds the ticker)
 */
gboolean
ferry_ticker_get_running (FerryTicker *self)
{
  g_return_val_if_fail (FERRY_IS_TICKER (self), FALSE);
  return self->source_id != 0;
}

guint
ferry_ticker_get_n_holds (FerryTicker *self)
{
  g_return_val_if_fail (FERRY_IS_TICKER (self), 0);
  return self->n_holds;
}

/**
 * ferry_ticker_hold:
 * @self: a ticker
 *
 * Keeps the ticker running until the matching ferry_ticker_release().
 */
void
ferry_ticker_hold (FerryTicker *self)
{
  g_return_if_fail (FERRY_IS_TICKER (self));

  if (self->n_holds++ == 0)
    {
      self->source_id = g_timeout_add (self->interval, on_tick, self);
      g_source_set_name_by_id (self->source_id, "[ferry] ticker");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_HOLDS]);
}

/**
 * ferry_ticker_release:
 * @self: a ticker
 *
 * Drops a hold; the last one stops the timer.
 */
void
ferry_ticker_release (FerryTicker *self)
{
  g_return_if_fail (FERRY_IS_TICKER (self));
  g_return_if_fail (self->n_holds > 0);

  if (--self->n_holds == 0)
    {
      g_clear_handle_id (&self->source_id, g_source_remove);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_HOLDS]);
}
