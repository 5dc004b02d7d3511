/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A server of Ferry's REST profile v1 on 127.0.0.1, in a thread of its
 * own: GET {base}/changes and POST {base}/batch exactly as DESIGN.md gives
 * them, over documents the test can also write as the other client.
 * Changes are ordered by a global sequence; the cursor is its number;
 * versions are "v<sequence>".  Faults: documents refused for good, the
 * next requests of a kind answered with an error status, cursors expired
 * (410), requests of a kind held unanswered until released.
 */
typedef struct _FerryRestServer FerryRestServer;

FerryRestServer *ferry_rest_server_new          (void);
void             ferry_rest_server_free         (FerryRestServer *server);
char            *ferry_rest_server_url          (FerryRestServer *server);
void             ferry_rest_server_put          (FerryRestServer *server,
                                                 const char      *id,
                                                 const char      *json);
void             ferry_rest_server_delete       (FerryRestServer *server,
                                                 const char      *id);
char            *ferry_rest_server_dup          (FerryRestServer *server,
                                                 const char      *id,
                                                 gboolean        *out_deleted);
guint            ferry_rest_server_count        (FerryRestServer *server);
void             ferry_rest_server_reject       (FerryRestServer *server,
                                                 const char      *id,
                                                 const char      *reason);
void             ferry_rest_server_fail_after   (FerryRestServer *server,
                                                 const char      *path,
                                                 guint            good,
                                                 guint            status);
void             ferry_rest_server_expire_cursors (FerryRestServer *server);
guint            ferry_rest_server_count_requests (FerryRestServer *server,
                                                 const char      *path);
guint            ferry_rest_server_count_sent   (FerryRestServer *server);
guint            ferry_rest_server_count_received (FerryRestServer *server);
guint            ferry_rest_server_count_sent_documents (FerryRestServer *server);
guint            ferry_rest_server_count_received_documents (FerryRestServer *server);
void             ferry_rest_server_hold         (FerryRestServer *server,
                                                 const char      *path,
                                                 guint            good);
guint            ferry_rest_server_count_held   (FerryRestServer *server);
void             ferry_rest_server_release      (FerryRestServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRestServer, ferry_rest_server_free)

G_END_DECLS
