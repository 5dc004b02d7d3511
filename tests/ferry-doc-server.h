/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small document store over HTTP on 127.0.0.1, in a thread of its own,
 * for the engine's tests and the agent's alike: one JSON document per
 * path, each with a version.  GET answers the document with ETag
 * "v<version>" and a Last-Modified that moves with the version; PUT stores
 * a new version (204), unless its If-Match names another version (412,
 * with the current ETag) or it has no If-Match and the document was told
 * to refuse the next such PUT (409).  A document the other writer deleted
 * answers GET with 404 and a conditional PUT with 412; an unconditional
 * PUT creates it again.  The test plays the other writer with
 * ferry_doc_server_write() and ferry_doc_server_delete().
 */
typedef struct _FerryDocServer FerryDocServer;

FerryDocServer *ferry_doc_server_new   (void);
void            ferry_doc_server_free  (FerryDocServer *server);
char           *ferry_doc_server_url   (FerryDocServer *server,
                                        const char     *path);
void            ferry_doc_server_write (FerryDocServer *server,
                                        const char     *path,
                                        const char     *json);
char           *ferry_doc_server_read  (FerryDocServer *server,
                                        const char     *path,
                                        guint          *out_version,
                                        guint          *out_puts,
                                        guint          *out_refusals);
char           *ferry_doc_server_dup_last_modified (guint version);
void            ferry_doc_server_delete (FerryDocServer *server,
                                         const char     *path);
gboolean        ferry_doc_server_is_deleted (FerryDocServer *server,
                                             const char     *path);
char           *ferry_doc_server_dup_last_if_match (FerryDocServer *server,
                                                    const char     *path);
void            ferry_doc_server_refuse_next_unconditional (FerryDocServer *server,
                                                            const char     *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryDocServer, ferry_doc_server_free)

G_END_DECLS
