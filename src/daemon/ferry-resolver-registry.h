/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-collection-manager.h"
#include "ferry-sync-manager.h"

G_BEGIN_DECLS

/* The interface apps implement to settle their own conflicts. */
#define FERRY_RESOLVER_INTERFACE "io.github.ferrysync.Ferry1.Resolver"

#define FERRY_TYPE_RESOLVER_REGISTRY (ferry_resolver_registry_get_type ())

G_DECLARE_FINAL_TYPE (FerryResolverRegistry, ferry_resolver_registry,
                      FERRY, RESOLVER_REGISTRY, GObject)

FerryResolverRegistry *ferry_resolver_registry_new         (GDBusConnection       *connection);
gboolean               ferry_resolver_registry_register    (FerryResolverRegistry *self,
                                                            const char            *owner,
                                                            const char            *unique_name,
                                                            const char            *path,
                                                            GError               **error);
gboolean               ferry_resolver_registry_unregister  (FerryResolverRegistry *self,
                                                            const char            *owner,
                                                            const char            *unique_name,
                                                            const char            *path,
                                                            GError               **error);
void                   ferry_resolver_registry_install     (FerryResolverRegistry *self,
                                                            FerrySyncManager      *manager);
void                   ferry_resolver_registry_install_collections
                                                           (FerryResolverRegistry  *self,
                                                            FerryCollectionManager *collections);
void                   ferry_resolver_registry_set_connection
                                                           (FerryResolverRegistry *self,
                                                            GDBusConnection       *connection);

G_END_DECLS
