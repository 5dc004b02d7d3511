/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ferry-executor.h"

G_BEGIN_DECLS

/* Shared by the executor (ferry-executor.c), the reading of answers
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

  /* owned: the exchange in progress */
  SoupMessage        *msg;
  GInputStream       *stream;
  GByteArray         *received;        /* the response body so far, and room */
  gsize               have;            /* how much of it was received */
  FerryAttempt       *attempt;

  /* state */
  guint               redirects;
  gboolean            idempotent;      /* a repeat is harmless: reuse connections */
  gboolean            fresh_retry;     /* sent again on a new connection already */
  gboolean            open;            /* the caller reads the body: no redirects followed */
} Exchange;

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
