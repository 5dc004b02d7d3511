/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FERRY_TYPE_TICKER (ferry_ticker_get_type ())

G_DECLARE_FINAL_TYPE (FerryTicker, ferry_ticker, FERRY, TICKER, GObject)

FerryTicker *ferry_ticker_new         (guint        interval_ms);

guint        ferry_ticker_get_interval (FerryTicker *self);
gboolean     ferry_ticker_get_running  (FerryTicker *self);
guint        ferry_ticker_get_n_holds  (FerryTicker *self);

void         ferry_ticker_hold         (FerryTicker *self);
void         ferry_ticker_release      (FerryTicker *self);

G_END_DECLS
