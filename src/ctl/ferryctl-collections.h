/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-collection.h"

#include "ferryctl-private.h"

G_BEGIN_DECLS

/* ferryctl-collections.c */
GPtrArray *ferryctl_dup_collections (FerryCtl     *ctl,
                                     GError      **error);
int  ferryctl_find_collection (FerryCtl         *ctl,
                               const char       *name,
                               FerryCollection **out);
void ferryctl_print_json      (JsonNode         *node);
int  ferryctl_run_collection  (FerryCtl         *ctl,
                               int               argc,
                               char            **argv);

/* ferryctl-runs.c */
GVariant *ferryctl_fetch_runs       (FerryCollection  *collection,
                                     GVariant        **out_sync,
                                     GError          **error);
void      ferryctl_add_runs_to_json (JsonObject       *object,
                                     GVariant         *runs,
                                     GVariant         *sync);
void      ferryctl_print_runs       (GVariant         *runs,
                                     GVariant         *sync);

/* ferryctl-docs.c */
int  ferryctl_run_doc         (FerryCtl         *ctl,
                               int               argc,
                               char            **argv);

G_END_DECLS
