/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-executor"

#include "config.h"

#include "ferry-backoff.h"
#include "ferry-executor-private.h"

/*
 * FerryAttempt, what one exchange came to: filled from a response, or
 * from the transport error that ended it.
 */

FerryAttempt *
ferry_attempt_new (void)
{
  FerryAttempt *attempt = g_new0 (FerryAttempt, 1);

  attempt->retry_after = -1;
  return attempt;
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

char **
ferry_http_flatten_headers (SoupMessageHeaders *headers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  soup_message_headers_foreach (headers, collect_header_pair, builder);
  return g_strv_builder_end (builder);
}

void
ferry_http_copy_header (const char *name,
                        const char *value,
                        gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

void
ferry_attempt_fill_from_response (FerryAttempt *attempt,
                                  SoupMessage  *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  const char *date_header = soup_message_headers_get_one (headers, "Date");
  gint64 delay;

  attempt->kind = FERRY_OUTCOME_HTTP;
  attempt->status = soup_message_get_status (msg);
  attempt->reason = g_strdup (soup_message_get_reason_phrase (msg));
  attempt->response_headers = ferry_http_flatten_headers (headers);
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
void
ferry_attempt_fail (FerryAttempt *attempt,
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
