/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include "ferry-backoff.h"
#include "ferry-executor-private.h"
#include "ferry-http-redirect.h"

/*
 * FerryExecutor performs one HTTP exchange per call, all over one shared
 * SoupSession (keep-alive and connection limits are the session's).  What
 * to send is a FerryHttpRequest: the outbox makes one from a task, a
 * conflict makes a GET of the server's copy, a replicator one per batch.
 *
 * Every outcome comes back as a FerryAttempt, transport errors included:
 * the caller classifies, the executor only reports.  Cancellation too comes
 * back as an attempt, of kind FERRY_OUTCOME_CANCELLED with the
 * G_IO_ERROR_CANCELLED error attached, so there is a single path for the
 * caller to follow; the _finish functions return NULL only for a result
 * that is not theirs.
 *
 * Redirects are followed here rather than by libsoup, by the rules in
 * ferry-http-redirect.c.  More than FERRY_HTTP_MAX_REDIRECTS hops make a
 * FERRY_OUTCOME_REDIRECT_LOOP with SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS.
 * Once a redirect leaves the first origin, secret headers (Authorization,
 * Cookie, the request's own) are no longer sent.
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
 * - for the others (POST, PATCH…), libsoup reports the error, and send_cb()
 *   sends the request again itself, once.
 * A failure on a new connection, or after some of the answer arrived, is
 * reported as it is and follows the outcome table.
 *
 * The response body is read in chunks, up to the request's limit (64 KiB
 * unless it asks for more).  When more is coming, and after a redirect's
 * own body, the stream is closed with a cancelled cancellable: libsoup then
 * drops the connection instead of reading (even to discard) a body that may
 * be very large, and the attempt says the body was cut.
 *
 * A file body of FERRY_EXCHANGE_THREAD_MIN bytes or more is sent from a
 * thread of its own, on a connection of its own (ferry-executor-thread.c):
 * the rest of the exchange (redirects, the answer's reading, the attempt)
 * is the same.
 */

#define DEFAULT_TIMEOUT      30   /* seconds of I/O silence before giving up */
#define DEFAULT_IDLE_TIMEOUT 60   /* seconds an idle kept-alive connection lives */
#define MAX_CONNS            16
#define MAX_CONNS_PER_HOST   6

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


static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  g_clear_pointer (&exchange->request, ferry_http_request_unref);
  g_free (exchange->method);
  g_clear_pointer (&exchange->uri, g_uri_unref);
  g_clear_pointer (&exchange->headers, soup_message_headers_unref);
  g_clear_pointer (&exchange->body, g_bytes_unref);
  g_free (exchange->body_path);
  g_free (exchange->content_type);
  g_clear_pointer (&exchange->origin, g_uri_unref);
  if (exchange->msg != NULL)
    g_signal_handlers_disconnect_by_data (exchange->msg, exchange);
  g_clear_object (&exchange->msg);
  g_clear_object (&exchange->stream);
  g_clear_error (&exchange->read_error);
  g_clear_pointer (&exchange->received, g_byte_array_unref);
  g_clear_pointer (&exchange->attempt, ferry_attempt_free);
  g_free (exchange);
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
  headers = ferry_http_flatten_headers (soup_message_get_request_headers (exchange->msg));

  /* The shared formatter hides the well-known credential headers; the
   * request's own secret names are hidden here first. */
  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (ferry_http_request_header_is_secret (exchange->request, headers[i]))
        {
          g_free (headers[i + 1]);
          headers[i + 1] = g_strdup ("(hidden)");
        }
    }
  text = ferry_format_headers_for_log ((const char * const *) headers);
  g_debug ("%s %s [%s]", exchange->method, url, text);
}

/* Moves the request to @target for the next hop. */
static void
apply_redirect (Exchange *exchange,
                guint     status,
                GUri     *target)
{
  if (status == SOUP_STATUS_SEE_OTHER)
    {
      char *method = g_strdup (ferry_http_redirect_method (exchange->method, status));

      g_free (exchange->method);
      exchange->method = method;
      g_clear_pointer (&exchange->body, g_bytes_unref);
      g_clear_pointer (&exchange->body_path, g_free);
      g_clear_pointer (&exchange->content_type, g_free);
      soup_message_headers_remove (exchange->headers, "If-Match");
    }

  if (!ferry_http_same_origin (exchange->origin, target))
    {
      g_auto(GStrv) flat = ferry_http_flatten_headers (exchange->headers);

      for (guint i = 0; flat[i] != NULL && flat[i + 1] != NULL; i += 2)
        {
          if (ferry_http_request_header_is_secret (exchange->request, flat[i]))
            soup_message_headers_remove (exchange->headers, flat[i]);
        }
    }

  g_clear_pointer (&exchange->uri, g_uri_unref);
  exchange->uri = g_uri_ref (target);
}

static void send_message (GTask *task);

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

/**
 * ferry_exchange_sent:
 * @task: (transfer full): the exchange
 * @error: (transfer full) (nullable): why no answer came; the exchange's
 *   stream holds the answer's body otherwise
 *
 * Goes on once the message went out: sends it again, follows a redirect,
 * or reads the answer.
 */
void
ferry_exchange_sent (GTask  *task_in,
                     GError *error)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GUri) target = NULL;

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
  if (exchange->stream == NULL && exchange->open)
    {
      g_task_return_error (task, error);
      return;
    }
  if (exchange->stream == NULL)
    {
      ferry_attempt_fail (exchange->attempt, error);
      ferry_exchange_return (task);
      return;
    }
  if (exchange->open)
    {
      g_task_return_pointer (task, g_steal_pointer (&exchange->stream), g_object_unref);
      return;
    }

  target = ferry_http_redirect_target (exchange->method, exchange->uri,
                                       soup_message_get_status (exchange->msg),
                                       soup_message_headers_get_one (
                                         soup_message_get_response_headers (exchange->msg),
                                         "Location"));
  if (target != NULL)
    {
      g_autoptr(GCancellable) drop = ferry_cancellable_new_cancelled ();

      if (++exchange->redirects > FERRY_HTTP_MAX_REDIRECTS)
        {
          ferry_attempt_fail (exchange->attempt,
                              g_error_new (SOUP_SESSION_ERROR,
                                           SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                                           "More than %d redirects", FERRY_HTTP_MAX_REDIRECTS));
          g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                                      ferry_exchange_close_cb, g_steal_pointer (&task));
          return;
        }
      apply_redirect (exchange, soup_message_get_status (exchange->msg), target);
      g_input_stream_close_async (exchange->stream, G_PRIORITY_DEFAULT, drop,
                                  redirect_close_cb, g_steal_pointer (&task));
      return;
    }

  ferry_attempt_fill_from_response (exchange->attempt, exchange->msg);
  exchange->received = g_byte_array_new ();
  exchange->have = 0;
  ferry_exchange_read_body (g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_object (&exchange->stream);
  exchange->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  ferry_exchange_sent (task, error);
}

/* Sends the request as the exchange now describes it. */
static void
send_message (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

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
  if (exchange->request->raw_response)
    soup_message_disable_feature (exchange->msg, SOUP_TYPE_CONTENT_DECODER);
  ferry_exchange_follow_body (exchange);
  soup_message_headers_foreach (exchange->headers, ferry_http_copy_header,
                                soup_message_get_request_headers (exchange->msg));
  /* From bytes (or the file anew), so the same body can go out again
   * after a 307 or 308. */
  if (!ferry_exchange_set_body (exchange, exchange->msg, &error))
    {
      if (exchange->open)
        {
          g_task_return_error (task, error);
          return;
        }
      ferry_attempt_fail (exchange->attempt, error);
      ferry_exchange_return (task);
      return;
    }
  log_request (exchange);

  if (exchange->in_thread)
    {
      ferry_exchange_send_in_thread (g_steal_pointer (&task));
      return;
    }
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

/* Sets up @task_in's exchange from its request and starts it; on a bad URL
 * the attempt comes back at once. */
static void
start_exchange (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  Exchange *exchange = g_task_get_task_data (task);
  FerryHttpRequest *request = exchange->request;
  GError *error = NULL;

  exchange->method = g_strdup (request->method);
  exchange->idempotent = ferry_http_method_is_idempotent (request->method);
  exchange->uri = parse_http_url (request->url, &error);
  if (exchange->uri == NULL)
    {
      /* Tasks are validated when they are stored, so this is a caller's
       * mistake; it still comes back as an attempt like any failure. */
      g_prefix_error (&error, "url: ");
      if (exchange->open)
        {
          g_task_return_error (task, error);
          return;
        }
      ferry_attempt_fail (exchange->attempt, error);
      ferry_exchange_return (task);
      return;
    }
  exchange->origin = g_uri_ref (exchange->uri);

  exchange->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL &&
                    request->headers[i + 1] != NULL; i += 2)
    {
      if (ferry_http_header_is_transport (request->headers[i]))
        {
          g_debug ("not sending transport header %s", request->headers[i]);
          continue;
        }
      soup_message_headers_append (exchange->headers, request->headers[i], request->headers[i + 1]);
    }

  /* The same key on every attempt lets the server drop a repeat, which is
   * what makes the request safe to send again. */
  if (request->idempotency_key != NULL)
    {
      soup_message_headers_replace (exchange->headers, "Idempotency-Key", request->idempotency_key);
      exchange->idempotent = TRUE;
    }
  if (request->if_match != NULL)
    soup_message_headers_replace (exchange->headers, "If-Match", request->if_match);
  if (request->body != NULL || request->body_path != NULL)
    {
      if (request->body_path != NULL)
        exchange->body_path = g_strdup (request->body_path);
      else
        exchange->body = g_bytes_ref (request->body);
      exchange->in_thread = request->body_path != NULL && !exchange->open &&
                            request->body_size >= FERRY_EXCHANGE_THREAD_MIN;
      exchange->content_type = g_strdup (request->content_type);
      if (exchange->content_type == NULL)
        exchange->content_type =
          g_strdup (soup_message_headers_get_one (exchange->headers, "Content-Type"));
      if (exchange->content_type == NULL)
        exchange->content_type = g_strdup ("application/octet-stream");
      soup_message_headers_remove (exchange->headers, "Content-Type");
    }

  send_message (g_steal_pointer (&task));
}

static GTask *
exchange_task_new (FerryExecutor       *self,
                   FerryHttpRequest    *request,
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
  exchange->session = self->session;
  exchange->request = ferry_http_request_ref (request);
  exchange->attempt = ferry_attempt_new ();
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
 * ferry_executor_request_async:
 * @self: an executor
 * @request: what to send
 * @cancellable: (nullable): stops the exchange
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Sends @request once, following redirects, and reads the answer.
 * @request is not changed, and may be sent again later.
 */
void
ferry_executor_request_async (FerryExecutor       *self,
                              FerryHttpRequest    *request,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_EXECUTOR (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_exchange (exchange_task_new (self, request, cancellable, callback, user_data,
                                     ferry_executor_request_async));
}

/**
 * ferry_executor_request_finish:
 * @self: an executor
 * @result: the result given to the callback
 * @error: unused: every outcome, cancellation included, is in the attempt
 *
 * Returns: (transfer full): the attempt; of kind %FERRY_OUTCOME_CANCELLED
 *   when it was cancelled.  Never %NULL for a result of
 *   ferry_executor_request_async().
 */
FerryAttempt *
ferry_executor_request_finish (FerryExecutor  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (FERRY_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_executor_request_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_executor_open_async:
 * @self: an executor
 * @request: what to send
 * @cancellable: (nullable): stops the exchange, and the body's reading
 * @callback: called once the answer's headers are in
 * @user_data: for @callback
 *
 * Sends @request once, like ferry_executor_request_async() (its headers,
 * body, Idempotency-Key, and a new connection when a reused one closed
 * before an answer), but follows no redirect and leaves the body to the
 * caller: for a download, which reads it into a file as it comes.
 */
void
ferry_executor_open_async (FerryExecutor       *self,
                           FerryHttpRequest    *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_EXECUTOR (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = exchange_task_new (self, request, cancellable, callback, user_data,
                            ferry_executor_open_async);
  ((Exchange *) g_task_get_task_data (task))->open = TRUE;
  start_exchange (task);
}

/**
 * ferry_executor_open_finish:
 * @self: an executor
 * @result: the result given to the callback
 * @out_msg: (out) (transfer full): the message: its status and response
 *   headers
 * @error: why no answer came (the network's error, or cancellation)
 *
 * Returns: (transfer full) (nullable): the response body, to read and
 *   close; %NULL with @error set when no answer came
 */
GInputStream *
ferry_executor_open_finish (FerryExecutor  *self,
                            GAsyncResult   *result,
                            SoupMessage   **out_msg,
                            GError        **error)
{
  Exchange *exchange;
  GInputStream *stream;

  g_return_val_if_fail (FERRY_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_executor_open_async,
                        NULL);
  g_return_val_if_fail (out_msg != NULL, NULL);

  exchange = g_task_get_task_data (G_TASK (result));
  stream = g_task_propagate_pointer (G_TASK (result), error);
  *out_msg = stream != NULL && exchange->msg != NULL ? g_object_ref (exchange->msg) : NULL;
  return stream;
}

/**
 * ferry_executor_request_for_task:
 * @task: a task
 *
 * Returns: (transfer full): @task's request: its method, URL, headers and
 *   body (with its content type, application/octet-stream when it has
 *   none), its Idempotency-Key and, when set, If-Match
 */
FerryHttpRequest *
ferry_executor_request_for_task (FerryTask *task)
{
  FerryHttpRequest *request;

  g_return_val_if_fail (task != NULL, NULL);
  g_return_val_if_fail (task->method != NULL && task->url != NULL, NULL);

  request = ferry_http_request_new (task->method, task->url);
  request->headers = g_strdupv (task->headers);
  request->secret_headers = g_strdupv (task->secret_headers);
  ferry_http_request_set_body (request, task->body, task->content_type);
  request->idempotency_key = g_strdup (task->idempotency_key);
  request->if_match = g_strdup (task->if_match);
  return request;
}

/**
 * ferry_executor_send_async:
 * @self: an executor
 * @task: the task to try once
 * @cancellable: (nullable): stops the attempt
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Sends @task's request (see ferry_executor_request_for_task()) once.
 * @task is read here and not kept.  Finish with
 * ferry_executor_request_finish().
 */
void
ferry_executor_send_async (FerryExecutor       *self,
                           FerryTask           *task,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(FerryHttpRequest) request = NULL;

  g_return_if_fail (FERRY_IS_EXECUTOR (self));
  g_return_if_fail (task != NULL);

  request = ferry_executor_request_for_task (task);
  ferry_executor_request_async (self, request, cancellable, callback, user_data);
}
