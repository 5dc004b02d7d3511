/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * A SoupServer on 127.0.0.1 that runs in a thread of its own, with its
 * own main context, so that a test can block on its engine while the
 * server answers.  The test servers are built on it.
 */
typedef struct _FerrySoupThread FerrySoupThread;

typedef void (*FerrySoupThreadFunc) (gpointer data);

FerrySoupThread *ferry_soup_thread_start       (const char          *name,
                                                GTlsCertificate     *certificate,
                                                SoupServerCallback   callback,
                                                gpointer             data);
void             ferry_soup_thread_stop        (FerrySoupThread     *self,
                                                FerrySoupThreadFunc  before,
                                                gpointer             data);
guint16          ferry_soup_thread_get_port    (FerrySoupThread     *self);
GMainContext    *ferry_soup_thread_get_context (FerrySoupThread     *self);

G_END_DECLS
