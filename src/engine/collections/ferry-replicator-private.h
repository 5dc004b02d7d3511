/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-replicator.h"

G_BEGIN_DECLS

/* Shared by ferry-replicator.c and ferry-replicator-http.c. */
void ferry_replicator_count_exchange  (FerryReplicator *self,
                                       guint64          sent,
                                       guint64          received);
void ferry_replicator_set_retry_after (FerryReplicator *self,
                                       gint64           retry_after);

G_END_DECLS
