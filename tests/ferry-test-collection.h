/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection-run.h"

G_BEGIN_DECLS

/*
 * A collection on a fresh store, run by hand against a test server: what
 * the engine tests of collections share.
 */
typedef struct
{
  char                  *dir;
  char                  *path;
  FerryDatabase         *database;
  FerryCollectionStore  *store;
  FerryExecutor         *executor;
  FerryLinkMeter        *meter;
  FerryCollectionConfig *config;   /* NULL until attached */
  gpointer               server;   /* the test's, freed with free_server */
  GDestroyNotify         free_server;
} FerryTestCollection;

void                ferry_test_collection_open      (FerryTestCollection *self);
void                ferry_test_collection_attach    (FerryTestCollection *self,
                                                     FerryProtocol        protocol,
                                                     char                *url);
void                ferry_test_collection_close     (FerryTestCollection *self);

void                ferry_test_collection_put       (FerryTestCollection *self,
                                                     const char          *id,
                                                     const char          *json);
FerryDocument      *ferry_test_collection_get       (FerryTestCollection *self,
                                                     const char          *id);
FerryDocumentCounts ferry_test_collection_counts    (FerryTestCollection *self);
FerryRunRecord     *ferry_test_collection_run_once  (FerryTestCollection *self,
                                                     GError             **error,
                                                     guint               *out_conflicts);
FerryRunRecord     *ferry_test_collection_run_ok    (FerryTestCollection *self);

char               *ferry_test_body_text            (GBytes              *body);

G_END_DECLS
