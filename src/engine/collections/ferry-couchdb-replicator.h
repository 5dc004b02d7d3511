/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-replicator.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COUCHDB_REPLICATOR (ferry_couchdb_replicator_get_type ())

G_DECLARE_FINAL_TYPE (FerryCouchdbReplicator, ferry_couchdb_replicator,
                      FERRY, COUCHDB_REPLICATOR, FerryReplicator)

G_END_DECLS
