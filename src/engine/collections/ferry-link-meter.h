/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A request carries at most this much, whatever the link. */
#define FERRY_LINK_MAX_REQUEST_BYTES (4 * 1024 * 1024)
/* The batch size before anything is measured. */
#define FERRY_LINK_FIRST_BATCH       100

#define FERRY_TYPE_LINK_METER (ferry_link_meter_get_type ())

G_DECLARE_FINAL_TYPE (FerryLinkMeter, ferry_link_meter, FERRY, LINK_METER, GObject)

FerryLinkMeter *ferry_link_meter_new             (void);
void            ferry_link_meter_record          (FerryLinkMeter *self,
                                                  gint64          duration_us,
                                                  guint64         bytes);
void            ferry_link_meter_record_timeout  (FerryLinkMeter *self);
gint64          ferry_link_meter_get_round_trip  (FerryLinkMeter *self);
double          ferry_link_meter_get_throughput  (FerryLinkMeter *self);
guint           ferry_link_meter_next_batch      (FerryLinkMeter *self,
                                                  guint           previous,
                                                  gsize           average_doc_bytes,
                                                  guint           limit);
guint           ferry_link_meter_timeout_ms      (FerryLinkMeter *self,
                                                  guint64         bytes);

G_END_DECLS
