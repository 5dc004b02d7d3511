/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-replicator.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REST_REPLICATOR (ferry_rest_replicator_get_type ())

G_DECLARE_FINAL_TYPE (FerryRestReplicator, ferry_rest_replicator,
                      FERRY, REST_REPLICATOR, FerryReplicator)

G_END_DECLS
