/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-caller-cache.h"
#include "ferry-collection-manager.h"

G_BEGIN_DECLS

/* Where the collections' objects are: FERRY_COLLECTIONS_PATH/ID. */
#define FERRY_COLLECTIONS_PATH FERRY_DBUS_PATH "/collections"

#define FERRY_TYPE_COLLECTION_OBJECTS (ferry_collection_objects_get_type ())

G_DECLARE_FINAL_TYPE (FerryCollectionObjects, ferry_collection_objects,
                      FERRY, COLLECTION_OBJECTS, GObject)

/**
 * FerryCollectionMethodFunc:
 * @invocation: (transfer full): a call of the Collection interface's methods
 * @id: the collection it was made on
 * @user_data: closure
 *
 * Serves a method call on a collection's object; Properties calls and the
 * ObjectManager are served by #FerryCollectionObjects itself.
 */
typedef void (*FerryCollectionMethodFunc) (GDBusMethodInvocation *invocation,
                                           gint64                 id,
                                           gpointer               user_data);

FerryCollectionObjects *ferry_collection_objects_new    (FerryCallerCache          *callers,
                                                         GDBusConnection           *connection,
                                                         FerryCollectionMethodFunc  method_func,
                                                         gpointer                   user_data);
void                    ferry_collection_objects_add    (FerryCollectionObjects    *self,
                                                         FerryCollection           *collection);
void                    ferry_collection_objects_remove (FerryCollectionObjects    *self,
                                                         FerryCollection           *collection);
void                    ferry_collection_objects_serve  (FerryCollectionObjects    *self,
                                                         GDBusConnection           *connection);
void                    ferry_collection_objects_retire (FerryCollectionObjects    *self,
                                                         GDBusConnection           *connection);
void                    ferry_collection_objects_close  (FerryCollectionObjects    *self);
char                   *ferry_collection_objects_path   (gint64                     id);

G_END_DECLS
