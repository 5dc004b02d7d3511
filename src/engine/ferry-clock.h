/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CLOCK (ferry_clock_get_type ())

G_DECLARE_FINAL_TYPE (FerryClock, ferry_clock, FERRY, CLOCK, GObject)

FerryClock *ferry_clock_new          (void);
FerryClock *ferry_clock_new_manual   (gint64      start);
gboolean    ferry_clock_is_manual    (FerryClock *self);
gint64      ferry_clock_get_now      (FerryClock *self);
void        ferry_clock_advance      (FerryClock *self,
                                      gint64      microseconds);
void        ferry_clock_set_now      (FerryClock *self,
                                      gint64      now);

G_END_DECLS
