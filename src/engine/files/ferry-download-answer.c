/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-download"

#include "config.h"

#include "ferry-download.h"
#include "ferry-download-private.h"
#include "ferry-http-redirect.h"

/*
 * What each answer to a download's request means (see the table in
 * ferry-download.c): append, start over, the file complete, a redirect
 * to follow, or the end of the run.
 */

#define MAX_RESTARTS 3   /* starts over within one run before giving up */

/* Takes the answer's validator; says whether it differs from the one the
 * partial's bytes came with. */
static gboolean
take_validator (FerryDownload      *self,
                SoupMessageHeaders *headers)
{
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  g_autofree char *last_modified = ferry_download_private_keep_last_modified (headers);
  gboolean changed;

  changed = (self->etag != NULL && g_strcmp0 (etag, self->etag) != 0) ||
            (self->etag == NULL && self->last_modified != NULL &&
             g_strcmp0 (last_modified, self->last_modified) != 0);
  g_free (self->etag);
  self->etag = g_strdup (etag);
  g_free (self->last_modified);
  self->last_modified = g_steal_pointer (&last_modified);
  return changed;
}

static void
restart_now (FerryDownload *self,
             const char    *why)
{
  GError *error = NULL;

  g_debug ("%s: starting over (%s)", self->destination, why);
  ferry_download_drop_exchange (self);
  if (++self->restarts > MAX_RESTARTS)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NETWORK,
                      g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   "the server's answers do not fit together: %s", why));
      return;
    }
  if (!ferry_download_start_over (self, &error))
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_NO_ROOM, error);
      return;
    }
  ferry_download_send_request (self);
}

static void
on_partial_content (FerryDownload *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  goffset start, last, total;

  if (!soup_message_headers_get_content_range (headers, &start, &last, &total) ||
      start != self->offset)
    {
      restart_now (self, "206 for another range than asked");
      return;
    }
  if (take_validator (self, headers) ||
      (self->total >= 0 && total >= 0 && total != self->total))
    {
      /* The server ignored If-Range (or was not asked) and the file
       * changed under the partial. */
      restart_now (self, "the file changed on the server");
      return;
    }
  if (total >= 0)
    self->total = total;
  self->end = last + 1;
  ferry_download_take_body (self, TRUE);
}

static void
on_whole_content (FerryDownload *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  goffset length = soup_message_headers_get_content_length (headers);

  take_validator (self, headers);
  g_clear_pointer (&self->checksum, g_checksum_free);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    self->total = length;
  else
    self->total = -1;
  self->end = self->total;
  ferry_download_take_body (self, FALSE);
}

static void
on_range_not_satisfiable (FerryDownload *self)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  gint64 length = ferry_download_private_parse_unsatisfied_range (
    soup_message_headers_get_one (headers, "Content-Range"));

  if (self->offset > 0 && length == self->offset &&
      (self->total < 0 || self->total == length))
    {
      /* Every byte was there already: the run that got them stopped
       * before the rename. */
      self->total = length;
      ferry_download_finish_file (self, SOUP_STATUS_OK);
      return;
    }
  restart_now (self, "416 for the partial file");
}

static void
on_other_status (FerryDownload *self)
{
  FerryAttempt *attempt = ferry_download_attempt_new (FERRY_OUTCOME_HTTP, soup_message_get_status (self->msg),
                                       NULL);
  SoupMessageHeaders *headers = soup_message_get_response_headers (self->msg);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");

  attempt->reason = g_strdup (soup_message_get_reason_phrase (self->msg));
  if (retry_after != NULL)
    ferry_download_private_parse_retry_after (retry_after, headers, &attempt->retry_after);
  ferry_download_end_run (self, attempt);
}

static gboolean
follow_redirect (FerryDownload *self)
{
  g_autoptr(GUri) target = NULL;

  target = ferry_http_redirect_target ("GET", self->uri, soup_message_get_status (self->msg),
                                       soup_message_headers_get_one (
                                         soup_message_get_response_headers (self->msg),
                                         "Location"));
  if (target == NULL)
    return FALSE;
  ferry_download_drop_exchange (self);
  if (++self->redirects > FERRY_HTTP_MAX_REDIRECTS)
    {
      ferry_download_end_with_error (self, FERRY_OUTCOME_REDIRECT_LOOP,
                      g_error_new (SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                                   "More than %d redirects", FERRY_HTTP_MAX_REDIRECTS));
      return TRUE;
    }
  if (!ferry_http_same_origin (self->origin, target))
    ferry_download_private_drop_secrets (self->headers, self->request);
  g_uri_unref (self->uri);
  self->uri = g_steal_pointer (&target);
  ferry_download_send_request (self);
  return TRUE;
}

void
ferry_download_send_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FerryDownload *self = user_data;
  GError *error = NULL;
  guint status;

  g_assert (self->msg == NULL);
  self->body = ferry_executor_open_finish (FERRY_EXECUTOR (object), result, &self->msg, &error);
  if (self->body == NULL)
    {
      ferry_download_end_with_error (self, ferry_classifier_kind_from_error (error), error);
      return;
    }
  status = soup_message_get_status (self->msg);
  g_debug ("%s: %u at offset %" G_GINT64_FORMAT, self->destination, status, self->offset);
  if (SOUP_STATUS_IS_REDIRECTION (status) && follow_redirect (self))
    return;
  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    on_partial_content (self);
  else if (status == SOUP_STATUS_OK)
    on_whole_content (self);
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    on_range_not_satisfiable (self);
  else
    on_other_status (self);
}
