/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * nginx from the distribution (apt-get install nginx-light), started by a
 * benchmark on 127.0.0.1 with a configuration of its own in a temporary
 * directory: one process, keep-alive with no limit worth reaching, no
 * access log, stub_status at /nginx_status to count the connections it
 * accepted, static files under /files/, PUT (WebDAV) under /put/, and
 * `return 200 "ok\n"` for every other path.  Stopped by its process id.
 */
typedef struct _BenchNginx BenchNginx;

BenchNginx *bench_nginx_start             (const char  *binary);
guint16     bench_nginx_get_port          (BenchNginx  *nginx);
char       *bench_nginx_dup_file_path     (BenchNginx  *nginx,
                                           const char  *name);
guint64     bench_nginx_count_connections (BenchNginx  *nginx);
void        bench_nginx_stop              (BenchNginx  *nginx);

G_END_DECLS
