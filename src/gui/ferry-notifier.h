/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_NOTIFIER (ferry_notifier_get_type ())

G_DECLARE_FINAL_TYPE (FerryNotifier, ferry_notifier, FERRY, NOTIFIER, GObject)

FerryNotifier *ferry_notifier_new          (GApplication  *application,
                                            FerryClient   *client,
                                            GSettings     *settings);

guint          ferry_notifier_get_delay    (FerryNotifier *self);
void           ferry_notifier_set_delay    (FerryNotifier *self,
                                            guint          delay_ms);
guint          ferry_notifier_get_n_sent   (FerryNotifier *self);
guint          ferry_notifier_get_n_waiting (FerryNotifier *self,
                                             const char    *id);

void           ferry_notifier_flush        (FerryNotifier *self);
void           ferry_notifier_acknowledge  (FerryNotifier *self,
                                            const char    *view);

G_END_DECLS
