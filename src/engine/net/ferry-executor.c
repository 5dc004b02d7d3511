/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include "ferry-backoff.h"
#include "ferry-executor.h"

/*
 * FerryExecutor performs one HTTP exchange per call, all over one shared
 * SoupSession (keep-alive and connection limits are the session's).
 *
 * Every outcome comes back as a FerryAttempt, transport errors included:
 * the caller classifies, the executor only reports.  Cancellation too comes
 * back as an attempt, of kind FERRY_OUTCOME_CANCELLED with the
 * G_IO_ERROR_CANCELLED error attached, so there is a single path for the
 * caller to follow; the _finish functions return NULL only for a result
 * that is not theirs.
 *
 * Redirects are followed here rather than by libsoup, which only follows
 * 307 and 308 for idempotent methods and so would leave a POST or PATCH
 * behind.  As HTTP says:
 * - 307 and 308 repeat the request, same method and body, at the new URL
 *   (the Idempotency-Key goes along, so the server can still spot a
 *   repeat);
 * - 303 fetches the result with a GET (a HEAD stays a HEAD): the server
 *   handled the request and points at its answer;
 * - 301 and 302 are followed for GET and HEAD only.  For any other method
 *   HTTP allows turning the request into a GET, which would report success
 *   for a change that never arrived, and nothing asks to send the body
 *   again: the 3xx comes back as the answer, and the classifier fails it;
 * - other 3xx, a Location that is missing or not an http(s) URL, and a
 *   redirect from https to plain http come back as they are.
 * More than MAX_REDIRECTS hops make a FERRY_OUTCOME_REDIRECT_LOOP with
 * SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS.  Once a redirect leaves the first
 * origin, secret headers (Authorization, Cookie, the task's own) are no
 * longer sent.
 *
 * Connections are kept alive and reused for every method: a task always
 * carries an Idempotency-Key, so a repeat of its request is harmless and
 * the message may be marked idempotent (libsoup otherwise opens a new
 * connection for each POST and PATCH).  A kept-alive connection can be
 * closed by the server at any moment, so a request sent on one may meet a
 * reset before any byte of an answer.  Then it is sent again at once, on
 * a new connection, with the same body, and that costs no attempt:
 * - for the methods HTTP calls idempotent, libsoup does it by itself.  It
 *   drops the body stream before it sends again (see
 *   soup_message_restarted()), so the body is set again in the message's
 *   ::restarted handler: whatever made libsoup send the message again (a
 *   dropped connection, authentication), it leaves with exactly the body
 *   that was enqueued;
 * - for the others (POST, PATCH…), libsoup reports the error, and
 *   retry_on_new_connection() sends the request again itself, once.
 * A failure on a new connection, or after some of the answer arrived, is
 * reported as it is and follows the outcome table.
 *
 * At most FERRY_TASK_MAX_RESPONSE_BODY bytes of a response body are kept.
 * When more is coming, and after a redirect's own body, the stream is
 * closed with a cancelled cancellable: libsoup then drops the connection
 * instead of reading (even to discard) a body that may be very large.
 */

#define DEFAULT_TIMEOUT      30   /* seconds of I/O silence before giving up */
#define DEFAULT_IDLE_TIMEOUT 60   /* seconds an idle kept-alive connection lives */
#define MAX_CONNS            16
#define MAX_CONNS_PER_HOST   6
#define MAX_REDIRECTS        20   /* as libsoup and browsers */

struct _FerryExecutor
{
  GObject parent_instance;

  /* owned */
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (FerryExecutor, ferry_executor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Framing and connection headers belong to the transport: a task must not
 * be able to desynchronise the connection by setting them. */
static const char * const transport_headers[] = {
  "Connection", "Content-Length", "Host", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
  "Transfer-Encoding", "Upgrade",
};

typedef struct
{
  /* borrowed */
  SoupSession        *session;

  /* owned: the request as it stands, updated by redirects */
  char               *method;
  GUri               *uri;
  SoupMessageHeaders *headers;         /* without Content-Type */
  GBytes             *body;
  char               *content_type;
  GUri               *origin;          /* where the first request went */
  char              **secret_headers;  /* the task's own extra secret names */

  /* owned: the exchange in progress */
  SoupMessage        *msg;
  GInputStream       *stream;
  guint8             *buffer;
  FerryAttempt       *attempt;

  /* state */
  guint               redirects;
  gboolean            idempotent;      /* a repeat is harmless: reuse connections */
  gboolean            fresh_retry;     /* sent again on a new connection already */
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  g_free (exchange->method);
  g_clear_pointer (&exchange->uri, g_uri_unref);
  g_clear_pointer (&exchange->headers, soup_message_headers_unref);
  g_clear_pointer (&exchange->body, g_bytes_unref);
  g_free (exchange->content_type);
  g_clear_pointer (&exchange->origin, g_uri_unref);
  g_strfreev (exchange->secret_headers);
  if (exchange->msg != NULL)
    g_signal_handlers_disconnect_by_data (exchange->msg, exchange);
  g_clear_object (&exchange->msg);
  g_clear_object (&exchange->stream);
  g_free (exchange->buffer);
  g_clear_pointer (&exchange->attempt, ferry_attempt_free);
  g_free (exchange);
}

static FerryAttempt *
attempt_new (void)
{
  FerryAttempt *attempt = g_new0 (FerryAttempt, 1);

  attempt->retry_after = -1;
  return attempt;
}

static gboolean
is_transport_header (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (transport_headers); i++)
    {
      if (g_ascii_strcasecmp (transport_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The methods HTTP defines as idempotent (RFC 9110, 9.2.2). */
static gboolean
method_is_idempotent (const char *method)
{
  static const char * const idempotent[] = {
    "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (idempotent); i++)
    {
      if (g_strcmp0 (idempotent[i], method) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
exchange_header_is_secret (Exchange   *exchange,
                           const char *name)
{
  if (ferry_header_name_is_secret (name))
    return TRUE;
  for (guint i = 0; exchange->secret_headers != NULL && exchange->secret_headers[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (exchange->secret_headers[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static void
collect_header_pair (const char *name,
                     const char *value,
                     gpointer    user_data)
{
  GStrvBuilder *builder = user_data;

  g_strv_builder_add (builder, name);
  g_strv_builder_add (builder, value);
}

static char **
flatten_headers (SoupMessageHeaders *headers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  soup_message_headers_foreach (headers, collect_header_pair, builder);
  return g_strv_builder_end (builder);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
log_request (Exchange *exchange)
{
  g_autofree char *url = NULL;
  g_auto(GStrv) headers = NULL;
  g_autofree char *text = NULL;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;

  /* No user info and no query: both may carry credentials. */
  url = g_uri_to_string_partial (exchange->uri,
                                 G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  headers = flatten_headers (soup_message_get_request_headers (exchange->msg));

  /* The shared formatter hides the well-known credential headers; the
   * task's own secret names are hidden here first. */
  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (exchange_header_is_secret (exchange, headers[i]))
        {
          g_free (headers[i + 1]);
          headers[i + 1] = g_strdup ("(hidden)");
        }
    }
  text = ferry_format_headers_for_log ((const char * const *) headers);
  g_debug ("%s %s [%s]", exchange->method, url, text);
}

static void
fill_from_response (FerryAttempt *attempt,
                    SoupMessage  *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  const char *date_header = soup_message_headers_get_one (headers, "Date");
  gint64 delay;

  attempt->kind = FERRY_OUTCOME_HTTP;
  attempt->status = soup_message_get_status (msg);
  attempt->reason = g_strdup (soup_message_get_reason_phrase (msg));
  attempt->response_headers = flatten_headers (headers);
  attempt->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  attempt->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));

  if (retry_after != NULL)
    {
      g_autoptr(GDateTime) server_now = NULL;
      gint64 now = g_get_real_time ();

      /* A Retry-After date is measured against the server's own clock
       * when it sent one, so a skewed local clock does not shift it. */
      if (date_header != NULL)
        server_now = soup_date_time_new_from_http_string (date_header);
      if (server_now != NULL)
        now = g_date_time_to_unix (server_now) * G_USEC_PER_SEC;
      if (ferry_backoff_parse_retry_after (retry_after, now, &delay))
        attempt->retry_after = delay;
    }
}

/* Turns a transport error into the attempt's outcome; whatever arrived
 * before the failure is dropped. */
static void
fail_attempt (FerryAttempt *attempt,
              GError       *error)
{
  attempt->kind = ferry_classifier_kind_from_error (error);
  attempt->status = 0;
  g_clear_pointer (&attempt->reason, g_free);
  g_clear_pointer (&attempt->response_headers, g_strfreev);
  g_clear_pointer (&attempt->response_body, g_bytes_unref);
  g_clear_pointer (&attempt->etag, g_free);
  g_clear_pointer (&attempt->last_modified, g_free);
  attempt->retry_after = -1;
  g_clear_error (&attempt->error);
  attempt->error = error;
}

static void
return_attempt (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  FerryAttempt *attempt = g_steal_pointer (&exchange->attempt);

  if (attempt->kind == FERRY_OUTCOME_HTTP)
    g_debug ("answer: %u %s", attempt->status, attempt->reason != NULL ? attempt->reason : "");
  else if (attempt->error != NULL)
    g_debug ("failed: %s", attempt->error->message);
  g_task_return_pointer (task, attempt, (GDestroyNotify) ferry_attempt_free);
}

static GCancellable *
new_cancelled (void)
{
  GCancellable *cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  return cancellable;
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Closing only hands the connection back (or drops it); the attempt is
   * complete either way. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("closing the response stream: %s", error->message);

  return_attempt (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GCancellable) drop = NULL;
  GError *error = NULL;
  gsize n_read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n_read, &error))
    {
      fail_attempt (exchange->attempt, error);
      drop = new_cancelled ();
    }
  else
    {
      gsize kept = MIN (n_read, FERRY_TASK_MAX_RESPONSE_BODY);

      exchange->attempt->response_body = g_bytes_new (exchange->buffer, kept);
      if (n_read > FERRY_TASK_MAX_RESPONSE_BODY)
        {
          g_debug ("response body cut at %d bytes", FERRY_TASK_MAX_RESPONSE_BODY);
          drop = new_cancelled ();
        }
    }
  g_clear_pointer (&exchange->buffer, g_free);

  g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                              close_cb, g_steal_pointer (&task));
}

/* Where a 3xx answer leads, as this executor follows redirects (see the
 * top of the file); %NULL when it is not followed. */
static GUri *
dup_redirect_target (Exchange    *exchange,
                     SoupMessage *msg)
{
  guint status = soup_message_get_status (msg);
  const char *location;
  GUri *target;
  const char *scheme;

  switch (status)
    {
    case SOUP_STATUS_MOVED_PERMANENTLY:
    case SOUP_STATUS_FOUND:
      if (g_strcmp0 (exchange->method, SOUP_METHOD_GET) != 0 &&
          g_strcmp0 (exchange->method, SOUP_METHOD_HEAD) != 0)
        return NULL;
      break;
    case SOUP_STATUS_SEE_OTHER:
    case SOUP_STATUS_TEMPORARY_REDIRECT:
    case SOUP_STATUS_PERMANENT_REDIRECT:
      break;
    default:
      return NULL;
    }

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location == NULL)
    return NULL;
  target = g_uri_parse_relative (exchange->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL)
    return NULL;
  scheme = g_uri_get_scheme (target);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (target) == NULL || *g_uri_get_host (target) == '\0')
    {
      g_uri_unref (target);
      return NULL;
    }
  /* What was asked over TLS is never sent again in the clear. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (exchange->uri), "https") == 0 &&
      g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_uri_unref (target);
      return NULL;
    }
  return target;
}

/* Moves the request to @target for the next hop. */
static void
apply_redirect (Exchange *exchange,
                guint     status,
                GUri     *target)
{
  if (status == SOUP_STATUS_SEE_OTHER)
    {
      if (g_strcmp0 (exchange->method, SOUP_METHOD_HEAD) != 0)
        {
          g_free (exchange->method);
          exchange->method = g_strdup (SOUP_METHOD_GET);
        }
      g_clear_pointer (&exchange->body, g_bytes_unref);
      g_clear_pointer (&exchange->content_type, g_free);
      soup_message_headers_remove (exchange->headers, "If-Match");
    }

  if (!same_origin (exchange->origin, target))
    {
      g_auto(GStrv) flat = flatten_headers (exchange->headers);

      for (guint i = 0; flat[i] != NULL && flat[i + 1] != NULL; i += 2)
        {
          if (exchange_header_is_secret (exchange, flat[i]))
            soup_message_headers_remove (exchange->headers, flat[i]);
        }
    }

  g_clear_pointer (&exchange->uri, g_uri_unref);
  exchange->uri = g_uri_ref (target);
}

static void send_message (GTask *task);

/* libsoup dropped the request body before sending @msg again (on a new
 * connection after a reused one closed, or with credentials): put back
 * exactly the body that was enqueued. */
static void
on_message_restarted (SoupMessage *msg,
                      Exchange    *exchange)
{
  g_debug ("%s sent again by libsoup", exchange->method);
  if (exchange->body != NULL)
    soup_message_set_request_body_from_bytes (msg, exchange->content_type, exchange->body);
}

/* Whether @error ended a request that went out on a reused connection
 * before any byte of an answer came back: the server closed the kept-alive
 * connection as the request arrived, and a new one may well succeed.  The
 * same rule libsoup applies to the methods it sends again by itself. */
static gboolean
dropped_on_reused_connection (Exchange     *exchange,
                              const GError *error)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (exchange->msg);

  if (exchange->fresh_retry || metrics == NULL || error->domain != G_IO_ERROR)
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return FALSE;
  /* No connect on the way means a connection from the pool. */
  return soup_message_metrics_get_fetch_start (metrics) != 0 &&
         soup_message_metrics_get_connect_start (metrics) == 0 &&
         soup_message_metrics_get_response_start (metrics) == 0;
}

static void
redirect_close_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Dropped on purpose: the redirect's own body is of no interest. */
  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  send_message (g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GUri) target = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_clear_object (&exchange->stream);
  exchange->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (exchange->stream == NULL && exchange->idempotent &&
      dropped_on_reused_connection (exchange, error))
    {
      g_debug ("%s: reused connection closed before an answer (%s); sending again on a new one",
               exchange->method, error->message);
      g_error_free (error);
      exchange->fresh_retry = TRUE;
      send_message (g_steal_pointer (&task));
      return;
    }
  if (exchange->stream == NULL)
    {
      fail_attempt (exchange->attempt, error);
      return_attempt (task);
      return;
    }

  target = dup_redirect_target (exchange, exchange->msg);
  if (target != NULL)
    {
      g_autoptr(GCancellable) drop = new_cancelled ();

      if (++exchange->redirects > MAX_REDIRECTS)
        {
          fail_attempt (exchange->attempt,
                        g_error_new (SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                                     "More than %d redirects", MAX_REDIRECTS));
          g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                                      close_cb, g_steal_pointer (&task));
          return;
        }
      apply_redirect (exchange, soup_message_get_status (exchange->msg), target);
      g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                                  redirect_close_cb, g_steal_pointer (&task));
      return;
    }

  fill_from_response (exchange->attempt, exchange->msg);

  /* One byte more than is kept tells whether the body went on. */
  exchange->buffer = g_malloc (FERRY_TASK_MAX_RESPONSE_BODY + 1);
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_all_async (exchange->stream, exchange->buffer,
                                 FERRY_TASK_MAX_RESPONSE_BODY + 1, G_PRIORITY_DEFAULT,
                                 cancellable, read_cb, g_steal_pointer (&task));
}

/* Sends the request as the exchange now describes it. */
static void
send_message (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (exchange->msg != NULL)
    g_signal_handlers_disconnect_by_data (exchange->msg, exchange);
  g_clear_object (&exchange->msg);
  exchange->msg = soup_message_new_from_uri (exchange->method, exchange->uri);
  /* Metrics tell a reused connection and an answer's first byte apart. */
  soup_message_add_flags (exchange->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);
  if (exchange->idempotent)
    soup_message_add_flags (exchange->msg, SOUP_MESSAGE_IDEMPOTENT);
  if (exchange->fresh_retry)
    soup_message_add_flags (exchange->msg, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (exchange->msg, "restarted", G_CALLBACK (on_message_restarted), exchange);
  soup_message_headers_foreach (exchange->headers, copy_header,
                                soup_message_get_request_headers (exchange->msg));
  /* From bytes, so the same body can go out again after a 307 or 308. */
  if (exchange->body != NULL)
    soup_message_set_request_body_from_bytes (exchange->msg, exchange->content_type,
                                              exchange->body);
  log_request (exchange);

  soup_session_send_async (exchange->session, exchange->msg, G_PRIORITY_DEFAULT,
                           cancellable, send_cb, g_steal_pointer (&task));
}

static GUri *
parse_http_url (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "not an http or https URL with a host");
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* Sets up the request of @task_in's exchange and starts it; on a bad URL
 * the attempt comes back at once. */
static void
start_exchange (FerryExecutor      *self,
                GTask              *task_in,
                const char         *method,
                const char         *url,
                const char * const *headers,
                FerryTask          *ferry_task)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;

  exchange->session = self->session;
  exchange->method = g_strdup (method);
  exchange->idempotent = method_is_idempotent (method);
  exchange->uri = parse_http_url (url, &error);
  if (exchange->uri == NULL)
    {
      /* Tasks are validated when they are stored, so this is a caller's
       * mistake; it still comes back as an attempt like any failure. */
      g_prefix_error (&error, "url: ");
      fail_attempt (exchange->attempt, error);
      return_attempt (task);
      return;
    }
  exchange->origin = g_uri_ref (exchange->uri);

  exchange->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (is_transport_header (headers[i]))
        {
          g_debug ("not sending transport header %s", headers[i]);
          continue;
        }
      soup_message_headers_append (exchange->headers, headers[i], headers[i + 1]);
    }

  if (ferry_task != NULL)
    {
      exchange->secret_headers = g_strdupv (ferry_task->secret_headers);

      /* The same key on every attempt lets the server drop a repeat,
       * which is what makes the request safe to send again. */
      if (ferry_task->idempotency_key != NULL)
        {
          soup_message_headers_replace (exchange->headers, "Idempotency-Key",
                                        ferry_task->idempotency_key);
          exchange->idempotent = TRUE;
        }
      if (ferry_task->if_match != NULL)
        soup_message_headers_replace (exchange->headers, "If-Match", ferry_task->if_match);
      if (ferry_task->body != NULL)
        {
          exchange->body = g_bytes_ref (ferry_task->body);
          exchange->content_type = g_strdup (ferry_task->content_type);
          if (exchange->content_type == NULL)
            exchange->content_type =
              g_strdup (soup_message_headers_get_one (exchange->headers, "Content-Type"));
          if (exchange->content_type == NULL)
            exchange->content_type = g_strdup ("application/octet-stream");
          soup_message_headers_remove (exchange->headers, "Content-Type");
        }
    }

  send_message (g_steal_pointer (&task));
}

static GTask *
exchange_task_new (FerryExecutor       *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported inside the attempt, not instead of it. */
  g_task_set_check_cancellable (task, FALSE);
  exchange->attempt = attempt_new ();
  g_task_set_task_data (task, exchange, exchange_free);
  return task;
}

static void
ferry_executor_constructed (GObject *object)
{
  FerryExecutor *self = FERRY_EXECUTOR (object);

  G_OBJECT_CLASS (ferry_executor_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("max-conns", MAX_CONNS,
                                                   "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                   "timeout", DEFAULT_TIMEOUT,
                                                   "idle-timeout", DEFAULT_IDLE_TIMEOUT,
                                                   "user-agent", "Ferry/" PACKAGE_VERSION,
                                                   NULL);
}

static void
ferry_executor_dispose (GObject *object)
{
  FerryExecutor *self = FERRY_EXECUTOR (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (ferry_executor_parent_class)->dispose (object);
}

static void
ferry_executor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryExecutor *self = FERRY_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value,
                        self->session != NULL ? soup_session_get_timeout (self->session) : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_executor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryExecutor *self = FERRY_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_TIMEOUT:
      if (soup_session_get_timeout (self->session) != g_value_get_uint (value))
        {
          soup_session_set_timeout (self->session, g_value_get_uint (value));
          g_object_notify_by_pspec (object, properties[PROP_TIMEOUT]);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_executor_class_init (FerryExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_executor_constructed;
  object_class->dispose = ferry_executor_dispose;
  object_class->get_property = ferry_executor_get_property;
  object_class->set_property = ferry_executor_set_property;

  /**
   * FerryExecutor:session:
   *
   * The session every exchange goes through.  When none is given, the
   * executor makes its own: keep-alive, at most 6 connections per host
   * and 16 in all, 30 s I/O timeout, idle connections closed after 60 s.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryExecutor:timeout:
   *
   * Seconds an exchange may wait on the network without progress before
   * it fails as a network error; 0 waits for ever.  The session's own
   * setting, shown and changed here.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_executor_init (FerryExecutor *self)
{
}

/**
 * ferry_attempt_free:
 * @attempt: (nullable): an attempt
 *
 * Frees @attempt and everything it holds.
 */
void
ferry_attempt_free (FerryAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->reason);
  g_strfreev (attempt->response_headers);
  g_clear_pointer (&attempt->response_body, g_bytes_unref);
  g_clear_error (&attempt->error);
  g_free (attempt->etag);
  g_free (attempt->last_modified);
  g_free (attempt);
}

/**
 * ferry_executor_new:
 * @session: (nullable): the session to use; %NULL makes one
 *
 * Returns: (transfer full): a new executor
 */
FerryExecutor *
ferry_executor_new (SoupSession *session)
{
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (FERRY_TYPE_EXECUTOR, "session", session, NULL);
}

/**
 * ferry_executor_get_session:
 * @self: an executor
 *
 * Returns: (transfer none): the session exchanges go through
 */
SoupSession *
ferry_executor_get_session (FerryExecutor *self)
{
  g_return_val_if_fail (FERRY_IS_EXECUTOR (self), NULL);

  return self->session;
}

/**
 * ferry_executor_send_async:
 * @self: an executor
 * @task: the task to try once
 * @cancellable: (nullable): stops the attempt
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Sends @task's request once: its method, URL, headers and body (with its
 * content type, application/octet-stream when it has none), its
 * Idempotency-Key and, when set, If-Match.  @task is read here and not
 * kept.
 */
void
ferry_executor_send_async (FerryExecutor       *self,
                           FerryTask           *task,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *gtask;

  g_return_if_fail (FERRY_IS_EXECUTOR (self));
  g_return_if_fail (task != NULL);
  g_return_if_fail (task->method != NULL && task->url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  gtask = exchange_task_new (self, cancellable, callback, user_data, ferry_executor_send_async);
  start_exchange (self, gtask, task->method, task->url,
                  (const char * const *) task->headers, task);
}

/**
 * ferry_executor_send_finish:
 * @self: an executor
 * @result: the result given to the callback
 * @error: unused: every outcome, cancellation included, is in the attempt
 *
 * Returns: (transfer full): the attempt; of kind %FERRY_OUTCOME_CANCELLED
 *   when it was cancelled.  Never %NULL for a result of
 *   ferry_executor_send_async().
 */
FerryAttempt *
ferry_executor_send_finish (FerryExecutor  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (FERRY_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_executor_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_executor_fetch_async:
 * @self: an executor
 * @url: an http or https URL
 * @headers: (nullable): flat name/value pairs to send
 * @cancellable: (nullable): stops the fetch
 * @callback: called with the result
 * @user_data: for @callback
 *
 * GETs @url once, e.g. to read the server's copy after a conflict.
 */
void
ferry_executor_fetch_async (FerryExecutor       *self,
                            const char          *url,
                            const char * const  *headers,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_EXECUTOR (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = exchange_task_new (self, cancellable, callback, user_data, ferry_executor_fetch_async);
  start_exchange (self, task, SOUP_METHOD_GET, url, headers, NULL);
}

/**
 * ferry_executor_fetch_finish:
 * @self: an executor
 * @result: the result given to the callback
 * @error: unused: every outcome, cancellation included, is in the attempt
 *
 * Returns: (transfer full): the attempt, as ferry_executor_send_finish()
 */
FerryAttempt *
ferry_executor_fetch_finish (FerryExecutor  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (FERRY_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_executor_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
