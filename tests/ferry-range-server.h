/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * An HTTP/1.1 file server on 127.0.0.1 for downloads and uploads, written
 * on plain sockets so that every fault is exact: it serves byte ranges
 * (Range: bytes=N- and N-M) with strong or weak ETags and Last-Modified,
 * honours If-Range or ignores it, answers 416 with `bytes * /L`, cuts a
 * response after a scripted number of body bytes (closing or resetting the
 * connection, fresh or reused keep-alive alike), and lies about
 * Content-Length.  Connections are kept alive; each has a thread of its
 * own.  PUT and POST bodies are read (Content-Length or chunked), counted
 * and hashed, and answered 201.
 *
 * Contents are either bytes or a pattern of a given size (every byte a
 * function of its offset and a seed), so a test can serve hundreds of
 * megabytes without holding them.
 */
typedef struct _FerryRangeServer FerryRangeServer;

typedef enum {
  FERRY_RANGE_FAULT_CUT,        /* send @bytes of the body, then close */
  FERRY_RANGE_FAULT_RESET,      /* send @bytes of the body, then reset (what the
                                   socket still held is lost) */
  FERRY_RANGE_FAULT_LIE,        /* announce @bytes more than the body, send it, close */
  FERRY_RANGE_FAULT_STATUS,     /* answer status @bytes with a short body */
} FerryRangeFault;

typedef struct
{
  char    *method;
  char    *path;
  char    *range;           /* the Range header, or NULL */
  char    *if_range;        /* the If-Range header, or NULL */
  char    *accept_encoding;
  gboolean reused;          /* came on a connection that carried one before */
  guint    status;          /* what was answered */
  guint64  body_sent;       /* body bytes written */
} FerryRangeRequest;

FerryRangeServer *ferry_range_server_new           (void);
void              ferry_range_server_free          (FerryRangeServer *self);
char             *ferry_range_server_url           (FerryRangeServer *self,
                                                    const char       *path);

void              ferry_range_server_set_bytes     (FerryRangeServer *self,
                                                    const char       *path,
                                                    GBytes           *content);
void              ferry_range_server_set_pattern   (FerryRangeServer *self,
                                                    const char       *path,
                                                    guint64           size,
                                                    guint32           seed);
/* NULL leaves the header out. */
void              ferry_range_server_set_validators (FerryRangeServer *self,
                                                     const char       *path,
                                                     const char       *etag,
                                                     const char       *last_modified,
                                                     const char       *date);
void              ferry_range_server_set_honour    (FerryRangeServer *self,
                                                    gboolean          ranges,
                                                    gboolean          if_range);
/* Bodies go out at most this fast (bytes per second; 0 for no limit). */
void              ferry_range_server_set_rate      (FerryRangeServer *self,
                                                    guint64           bytes_per_second);
void              ferry_range_server_push_fault    (FerryRangeServer *self,
                                                    const char       *path,
                                                    FerryRangeFault   fault,
                                                    guint64           bytes);

guint64           ferry_range_server_get_body_sent (FerryRangeServer *self);
GPtrArray        *ferry_range_server_dup_requests  (FerryRangeServer *self);
guint             ferry_range_server_count_connections (FerryRangeServer *self);
/* The last PUT/POST body: its size and SHA-256; FALSE before one. */
gboolean          ferry_range_server_get_upload    (FerryRangeServer *self,
                                                    guint64          *out_size,
                                                    char            **out_sha256);

void              ferry_range_request_free         (FerryRangeRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRangeServer, ferry_range_server_free)

/* The pattern's bytes, for tests to compare with. */
void              ferry_range_pattern_fill         (guint32           seed,
                                                    guint64           offset,
                                                    guint8           *buffer,
                                                    gsize             length);
char             *ferry_range_pattern_sha256       (guint32           seed,
                                                    guint64           size);

G_END_DECLS
