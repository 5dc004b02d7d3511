/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A program run in a sandbox (see ferry-test-sandbox.c) that prints what
 * it sees one line each, says "ready" once set up, and exits when its
 * standard input closes. */
typedef struct _FerryTestPeer FerryTestPeer;

GPtrArray     *ferry_test_sandbox_argv  (const char         *app_id);

FerryTestPeer *ferry_test_peer_start    (const char         *app_id,
                                         const char * const *command);
void           ferry_test_peer_stop     (FerryTestPeer      *peer);
void           ferry_test_peer_free     (FerryTestPeer      *peer);
gboolean       ferry_test_peer_said     (FerryTestPeer      *peer,
                                         const char         *line);
guint          ferry_test_peer_count    (FerryTestPeer      *peer,
                                         const char         *prefix,
                                         const char         *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTestPeer, ferry_test_peer_free)

G_END_DECLS
