/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * PouchDB Server (from tests/node, installed by npm from the lockfile),
 * started in memory on 127.0.0.1 for one test and stopped after it, and
 * PouchDB itself as a second client of its databases
 * (tests/node/pouch-client.js).
 */
typedef struct _FerryPouchdbServer FerryPouchdbServer;

const char         *ferry_pouchdb_server_missing  (void);
FerryPouchdbServer *ferry_pouchdb_server_new      (void);
void                ferry_pouchdb_server_free     (FerryPouchdbServer *server);
char               *ferry_pouchdb_server_url      (FerryPouchdbServer *server,
                                                   const char         *database);
char               *ferry_pouchdb_client          (FerryPouchdbServer *server,
                                                   const char         *database,
                                                   ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPouchdbServer, ferry_pouchdb_server_free)

G_END_DECLS
