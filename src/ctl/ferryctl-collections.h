/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-collection.h"

#include "ferryctl-private.h"

G_BEGIN_DECLS

/* ferryctl-collections.c */
int  ferryctl_find_collection (FerryCtl         *ctl,
                               const char       *name,
                               FerryCollection **out);
void ferryctl_print_json      (JsonNode         *node);
int  ferryctl_run_collection  (FerryCtl         *ctl,
                               int               argc,
                               char            **argv);

/* ferryctl-docs.c */
int  ferryctl_run_doc         (FerryCtl         *ctl,
                               int               argc,
                               char            **argv);

G_END_DECLS
