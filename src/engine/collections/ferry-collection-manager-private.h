/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection-manager.h"

G_BEGIN_DECLS

typedef struct
{
  FerryCollection *collection;
  char            *doc_id;
  GBytes          *body;
  GTask           *task;
} WriteRequest;

struct _FerryCollectionManager
{
  GObject                parent_instance;

  /* owned */
  FerryCollectionStore  *store;
  FerryExecutor         *executor;
  FerryConnectivity     *connectivity;
  FerrySyncManager      *tasks;           /* nullable */
  GHashTable            *collections;     /* id → FerryCollection* */
  GHashTable            *meters;          /* host → FerryLinkMeter* */
  GQueue                 waiting;         /* FerryCollection*, borrowed from collections */
  GPtrArray             *writes;          /* WriteRequest* */
  GCancellable          *resolving;       /* the app resolvers' answers */
  FerryResolverHook      resolver;

  /* state */
  guint                  write_debounce;
  guint                  max_runs;
  guint                  running;
  guint                  write_id;
  gboolean               started;
};

void     ferry_collection_manager_write_request_free (WriteRequest *request);
gboolean ferry_collection_manager_flush_writes       (gpointer      user_data);
void     ferry_collection_manager_ask_resolver       (FerryCollectionManager *self,
                                                      FerryCollection        *collection,
                                                      const char             *doc_id);

G_END_DECLS
