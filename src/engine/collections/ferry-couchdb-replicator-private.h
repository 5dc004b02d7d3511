/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-couchdb-replicator.h"

G_BEGIN_DECLS

/* ferry-couchdb-replicator-push.c */
gboolean        ferry_couchdb_is_design        (const char         *id);
FerryRemoteDoc *ferry_couchdb_remote_from_row  (JsonObject         *row);
GBytes         *ferry_couchdb_keys_body        (const char * const *ids);
void            ferry_couchdb_replicator_push  (FerryReplicator    *replicator,
                                                GPtrArray          *docs,
                                                GTask              *task);
void            ferry_couchdb_replicator_fetch (FerryReplicator    *replicator,
                                                const char * const *ids,
                                                GTask              *task);
void            ferry_couchdb_replicator_watch (FerryReplicator    *replicator,
                                                const char         *checkpoint,
                                                GTask              *task);

/* ferry-couchdb-replicator.c */
char           *ferry_couchdb_seq_to_query            (JsonNode        *seq);
void            ferry_couchdb_replicator_note_written (FerryReplicator *replicator,
                                                       guint            count);

G_END_DECLS
