/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_read_private (guint32  pid);
void bench_read_memory (guint32  pid,
                        double  *rss,
                        double  *peak);

void bench_remove_tree (const char *path);

G_END_DECLS
