/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection.h"
#include "ferry-connectivity.h"
#include "ferry-executor.h"
#include "ferry-sync-manager.h"

G_BEGIN_DECLS

#define FERRY_TYPE_COLLECTION_MANAGER (ferry_collection_manager_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionManager, ferry_collection_manager,
                      FERRY, COLLECTION_MANAGER, GObject)

FerryCollectionManager *ferry_collection_manager_new      (FerryCollectionStore   *store,
                                                           FerryExecutor          *executor,
                                                           FerryConnectivity      *connectivity,
                                                           FerrySyncManager       *tasks);
gboolean          ferry_collection_manager_start          (FerryCollectionManager *self,
                                                           GError                **error);
FerryCollectionStore *ferry_collection_manager_get_store  (FerryCollectionManager *self);
FerryCollection  *ferry_collection_manager_add            (FerryCollectionManager *self,
                                                           FerryCollectionConfig  *config,
                                                           GError                **error);
gboolean          ferry_collection_manager_remove         (FerryCollectionManager *self,
                                                           FerryCollection        *collection,
                                                           gboolean                keep_data,
                                                           GError                **error);
FerryCollection  *ferry_collection_manager_lookup         (FerryCollectionManager *self,
                                                           gint64                  id);
FerryCollection  *ferry_collection_manager_find           (FerryCollectionManager *self,
                                                           const char             *owner,
                                                           const char             *name);
GPtrArray        *ferry_collection_manager_list           (FerryCollectionManager *self);
guint             ferry_collection_manager_get_running_count (FerryCollectionManager *self);
void              ferry_collection_manager_sync_now       (FerryCollectionManager *self,
                                                           FerryCollection        *collection);
void              ferry_collection_manager_write_async    (FerryCollectionManager *self,
                                                           FerryCollection        *collection,
                                                           const char             *doc_id,
                                                           GBytes                 *body,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gint64            ferry_collection_manager_write_finish   (FerryCollectionManager *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
gboolean          ferry_collection_manager_resolve        (FerryCollectionManager *self,
                                                           FerryCollection        *collection,
                                                           const char             *doc_id,
                                                           FerryResolveChoice      choice,
                                                           GBytes                 *merged,
                                                           GError                **error);
gboolean          ferry_collection_manager_retry_failed   (FerryCollectionManager *self,
                                                           FerryCollection        *collection,
                                                           guint                  *out_count,
                                                           GError                **error);
void              ferry_collection_manager_set_resolver   (FerryCollectionManager *self,
                                                           FerryResolverFunc       resolve,
                                                           FerryResolverFinishFunc finish,
                                                           gpointer                user_data,
                                                           GDestroyNotify          destroy);
void              ferry_collection_manager_resolver_ready (FerryCollectionManager *self,
                                                           const char             *owner);

G_END_DECLS

/*
 * Properties: "write-debounce" (guint ms, default 500): how long after a
 * local write its run starts, so a burst of writes makes one run;
 * "max-runs" (guint, default 4): the concurrency limit when there is no
 * task manager to share it with (with one, its "max-concurrency").
 *
 * Signals
 *   ::collection-added (FerryCollection *)
 *   ::collection-removed (FerryCollection *)
 */
