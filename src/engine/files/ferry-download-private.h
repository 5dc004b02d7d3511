/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-download.h"
#include "ferry-http-request.h"

G_BEGIN_DECLS

/* Helpers of FerryDownload, in ferry-download-util.c: pure functions and
 * the file system steps, each tested on its own. */

gint64              ferry_download_private_file_size        (const char          *path);
gboolean            ferry_download_private_truncate         (const char          *path,
                                                             GError             **error);
gboolean            ferry_download_private_commit           (const char          *part_path,
                                                             const char          *destination,
                                                             GError             **error);
gint64              ferry_download_private_parse_unsatisfied_range (const char   *content_range);
void                ferry_download_private_parse_retry_after (const char         *value,
                                                             SoupMessageHeaders  *headers,
                                                             gint64              *out_delay);
const char         *ferry_download_private_strong_validator (const char          *etag,
                                                             const char          *last_modified);
char               *ferry_download_private_keep_last_modified (SoupMessageHeaders *headers);
SoupMessageHeaders *ferry_download_private_request_headers  (FerryHttpRequest    *request);
void                ferry_download_private_copy_headers     (SoupMessageHeaders  *from,
                                                             SoupMessageHeaders  *to);
void                ferry_download_private_drop_secrets     (SoupMessageHeaders  *headers,
                                                             FerryHttpRequest    *request);

/* The run of a FerryDownload, shared by ferry-download.c (requests, the
 * body, the end) and ferry-download-answer.c (what each answer means). */

struct _FerryDownload
{
  GObject parent_instance;

  /* owned: what to fetch and where */
  FerryExecutor      *executor;
  FerryHttpRequest   *request;
  char               *part_path;
  char               *destination;
  char               *expected_sha256;

  /* owned: what the partial file holds */
  char               *etag;
  char               *last_modified;

  /* owned: the run in progress */
  GTask              *task;
  GUri               *uri;
  GUri               *origin;
  SoupMessageHeaders *headers;
  SoupMessage        *msg;
  GInputStream       *body;
  GOutputStream      *out;
  GInputStream       *prefix;     /* reading the partial to hash it */
  GChecksum          *checksum;   /* over the first `hashed` bytes of the partial */
  guint8             *buffer;

  /* state */
  gint64              total;      /* the representation's size, -1 unknown */
  gint64              expected_size;
  gint64              limit;      /* most bytes the partial may grow to, -1 none */
  gint64              offset;     /* bytes in the partial */
  gint64              hashed;
  gint64              end;        /* where the answer being read ends, -1 unknown */
  gint64              last_checkpoint;
  guint64             received;   /* body bytes received, all runs */
  guint64             received_now; /* by the request in progress */
  guint               requests;
  guint               redirects;
  guint               restarts;   /* starts over within this run */
  guint               resumes;    /* dropped connections resumed in this run */
};

FerryAttempt *ferry_download_attempt_new    (FerryOutcomeKind  kind,
                                             guint             status,
                                             GError           *error);
void          ferry_download_drop_exchange  (FerryDownload    *self);
void          ferry_download_end_run        (FerryDownload    *self,
                                             FerryAttempt     *attempt);
void          ferry_download_end_with_error (FerryDownload    *self,
                                             FerryOutcomeKind  kind,
                                             GError           *error);
gboolean      ferry_download_start_over     (FerryDownload    *self,
                                             GError          **error);
void          ferry_download_finish_file    (FerryDownload    *self,
                                             guint             status);
void          ferry_download_take_body      (FerryDownload    *self,
                                             gboolean          append);
void          ferry_download_send_request   (FerryDownload    *self);
void          ferry_download_send_cb        (GObject          *object,
                                             GAsyncResult     *result,
                                             gpointer          user_data);

G_END_DECLS
