/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-executor.h"

G_BEGIN_DECLS

/* Shared by the executor (ferry-executor.c), its request bodies
 * (ferry-executor-body.c), the sending of large files from a thread
 * (ferry-executor-thread.c), the reading of answers
 * (ferry-executor-read.c) and its attempts (ferry-attempt.c). */

/* One exchange: a GTask's data from the request to the attempt. */
typedef struct
{
  /* borrowed */
  SoupSession        *session;

  /* owned: what was asked */
  FerryHttpRequest   *request;

  /* owned: the request as it stands, updated by redirects */
  char               *method;
  GUri               *uri;
  SoupMessageHeaders *headers;         /* without Content-Type */
  GBytes             *body;
  char               *body_path;       /* or the body is this file */
  char               *content_type;
  GUri               *origin;          /* where the first request went */
  goffset             body_sent;       /* of a file body, by this copy */
  guint               progress_posted; /* counts sent from a sending thread */
  guint               progress_seen;   /* the last of them given on */

  /* owned: the exchange in progress */
  SoupMessage        *msg;
  GInputStream       *stream;
  GError             *read_error;      /* ended the answer a thread read into stream */
  GByteArray         *received;        /* the response body so far, and room */
  gsize               have;            /* how much of it was received */
  FerryAttempt       *attempt;

  /* state */
  guint               redirects;
  gboolean            idempotent;      /* a repeat is harmless: reuse connections */
  gboolean            fresh_retry;     /* sent again on a new connection already */
  gboolean            open;            /* the caller reads the body: no redirects followed */
  gboolean            in_thread;       /* a large file body: sent from a thread */
} Exchange;

/* Smallest file body sent from a thread of its own (ferry-executor-thread.c). */
#define FERRY_EXCHANGE_THREAD_MIN (1024 * 1024)

void          ferry_exchange_sent              (GTask              *task,
                                                GError             *error);
gboolean      ferry_exchange_set_body          (Exchange           *exchange,
                                                SoupMessage        *msg,
                                                GError            **error);
void          ferry_exchange_follow_body       (Exchange           *exchange);
void          ferry_exchange_send_in_thread    (GTask              *task);

void          ferry_exchange_read_body         (GTask              *task);
void          ferry_exchange_return            (GTask              *task);
void          ferry_exchange_close_cb          (GObject            *object,
                                                GAsyncResult       *result,
                                                gpointer            user_data);
GCancellable *ferry_cancellable_new_cancelled  (void);

FerryAttempt *ferry_attempt_new                (void);
void          ferry_attempt_fill_from_response (FerryAttempt       *attempt,
                                                SoupMessage        *msg);
void          ferry_attempt_fail               (FerryAttempt       *attempt,
                                                GError             *error);

char        **ferry_http_flatten_headers       (SoupMessageHeaders *headers);
void          ferry_http_copy_header           (const char         *name,
                                                const char         *value,
                                                gpointer            user_data);

G_END_DECLS
