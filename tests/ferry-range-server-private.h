/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-range-server.h"

G_BEGIN_DECLS

/*
 * What the two halves of the range server share: the server's state and
 * what it serves (ferry-range-server.c: the accepting thread, the script
 * a test writes, what was seen), and one connection's requests and
 * answers, in the connection's own thread (ferry-range-server-http.c).
 * Everything the threads share is under the mutex; the body is written
 * outside it.
 */

/* How much is read or written at once. */
#define FERRY_RANGE_CHUNK (64 * 1024)

typedef struct
{
  GBytes  *bytes;       /* or a pattern: */
  guint64  size;
  guint32  seed;
  char    *etag;
  char    *last_modified;
  char    *date;
} FerryRangeResource;

typedef struct
{
  FerryRangeFault fault;
  guint64         bytes;
} FerryRangeScripted;

struct _FerryRangeServer
{
  GMutex           mutex;
  GCond            cond;
  GThread         *thread;       /* accepts connections on its own context */
  GMainContext    *context;
  GMainLoop       *loop;
  gboolean         ready;
  GSocketService  *service;
  guint16          port;
  GHashTable      *resources;    /* path → FerryRangeResource* */
  GHashTable      *faults;       /* path → GQueue of FerryRangeScripted* */
  GPtrArray       *requests;     /* FerryRangeRequest* */
  GPtrArray       *connections;  /* GSocketConnection* open now */
  guint            n_connections;
  guint64          body_sent;
  gboolean         honour_ranges;
  gboolean         honour_if_range;
  guint64          rate;          /* bytes per second, 0 unlimited */
  gboolean         have_upload;
  guint64          upload_size;
  char            *upload_sha256;
};

/* ferry-range-server.c */
void                ferry_range_resource_free         (gpointer                  data);
void                ferry_range_resource_read         (FerryRangeResource       *resource,
                                                       guint64                   offset,
                                                       guint8                   *buffer,
                                                       gsize                     length);
FerryRangeResource *ferry_range_resource_copy         (const FerryRangeResource *resource);

/* ferry-range-server-http.c */
gboolean            ferry_range_server_run_connection (GThreadedSocketService   *service,
                                                       GSocketConnection        *connection,
                                                       GObject                  *source_object,
                                                       gpointer                  user_data);

G_END_DECLS
