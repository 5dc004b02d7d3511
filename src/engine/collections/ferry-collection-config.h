/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ferry-task.h"

G_BEGIN_DECLS

/**
 * FerryProtocol:
 * @FERRY_PROTOCOL_COUCHDB: the CouchDB replication protocol, server
 *   authoritative (CouchDB, Cloudant, PouchDB Server)
 * @FERRY_PROTOCOL_REST: Ferry's REST profile, version 1
 *
 * How a collection talks to its server.  Stored as the number.
 */
typedef enum {
  FERRY_PROTOCOL_COUCHDB = 0,
  FERRY_PROTOCOL_REST = 1,
} FerryProtocol;

/**
 * FerryDirection:
 * @FERRY_DIRECTION_BOTH: push local changes and pull remote ones
 * @FERRY_DIRECTION_PUSH: only push
 * @FERRY_DIRECTION_PULL: only pull (local writes are refused)
 *
 * Which way a collection syncs.  Stored as the number.
 */
typedef enum {
  FERRY_DIRECTION_BOTH = 0,
  FERRY_DIRECTION_PUSH = 1,
  FERRY_DIRECTION_PULL = 2,
} FerryDirection;

/* Limits checked by ferry_collection_config_validate() and the writes. */
#define FERRY_COLLECTION_MAX_NAME_LENGTH  256
#define FERRY_COLLECTION_MAX_DOC_ID       512
#define FERRY_COLLECTION_MAX_DOC_SIZE     (4 * 1024 * 1024)
#define FERRY_COLLECTION_MIN_BATCH        10
#define FERRY_COLLECTION_MAX_BATCH        1000
#define FERRY_COLLECTION_DEFAULT_INTERVAL 300
#define FERRY_COLLECTION_MAX_INTERVAL     (7 * 24 * 60 * 60)

#define FERRY_TYPE_COLLECTION_CONFIG (ferry_collection_config_get_type ())

/**
 * FerryCollectionConfig:
 * @id: the row id, set by the store (0 before)
 * @owner: the app the collection belongs to
 * @name: its name, unique per owner
 * @protocol: how it talks to its server
 * @url: the endpoint: a CouchDB database, or the REST profile's base URL
 * @headers: (nullable): flat name/value pairs sent with every request
 * @secret_headers: (nullable): header names to treat as credentials, besides
 *   the well-known ones
 * @direction: which way it syncs
 * @interval: seconds between runs on their own; 0 for none
 * @live: keep a long-poll on the change feed while online
 * @conflict_strategy: how a document changed on both sides is settled
 * @merge_rules: (nullable): for merge, flat pairs of JSON pointer and
 *   "local" or "remote"
 * @timestamp_pointer: (nullable): for last-modified-wins (default
 *   /updated_at)
 * @batch_limit: at most this many documents per request (10 to 1000)
 * @created: when it was added
 *
 * What an app asked for when it added a collection.  A plain
 * reference-counted record; every string is owned.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount        ref_count;

  /*< public >*/
  gint64                 id;
  char                  *owner;
  char                  *name;
  FerryProtocol          protocol;
  char                  *url;
  char                 **headers;
  char                 **secret_headers;
  FerryDirection         direction;
  guint                  interval;
  gboolean               live;
  FerryConflictStrategy  conflict_strategy;
  char                 **merge_rules;
  char                  *timestamp_pointer;
  guint                  batch_limit;
  gint64                 created;
} FerryCollectionConfig;

GType                  ferry_collection_config_get_type    (void) G_GNUC_CONST;
FerryCollectionConfig *ferry_collection_config_new         (void);
FerryCollectionConfig *ferry_collection_config_ref         (FerryCollectionConfig       *self);
void                   ferry_collection_config_unref       (FerryCollectionConfig       *self);
FerryCollectionConfig *ferry_collection_config_copy        (const FerryCollectionConfig *self);
gboolean               ferry_collection_config_validate    (const FerryCollectionConfig *self,
                                                            GError                     **error);
gboolean               ferry_collection_config_same_endpoint (const FerryCollectionConfig *a,
                                                            const FerryCollectionConfig *b);
char                  *ferry_collection_config_dup_host    (const FerryCollectionConfig *self);
gboolean               ferry_collection_config_header_is_secret (const FerryCollectionConfig *self,
                                                            const char                  *name);

const char            *ferry_protocol_to_string            (FerryProtocol                protocol);
gboolean               ferry_protocol_from_string          (const char                  *str,
                                                            FerryProtocol               *out);
const char            *ferry_direction_to_string           (FerryDirection               direction);
gboolean               ferry_direction_from_string         (const char                  *str,
                                                            FerryDirection              *out);

gboolean               ferry_document_id_validate          (const char                  *id,
                                                            FerryProtocol                protocol,
                                                            GError                     **error);
gboolean               ferry_document_body_validate        (GBytes                      *body,
                                                            FerryProtocol                protocol,
                                                            GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCollectionConfig, ferry_collection_config_unref)

G_END_DECLS
