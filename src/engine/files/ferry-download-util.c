/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-download-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-backoff.h"

#include "ferry-download-private.h"

/* A Last-Modified is a strong validator only when it is at least this much
 * older than the Date it was sent with (RFC 9110 §8.8.2.2). */
#define STRONG_DATE_MARGIN 60

/* The partial file's size on disk: the offset to resume from. */
gint64
ferry_download_private_file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  return st.st_size;
}

static gboolean
set_errno_error (GError    **error,
                 int         saved,
                 const char *what,
                 const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

/* Empties @path, creating it when missing, private to the user. */
gboolean
ferry_download_private_truncate (const char  *path,
                                 GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    return set_errno_error (error, errno, "emptying", path);
  close (fd);
  return TRUE;
}

static gboolean
sync_path (const char  *path,
           int          flags,
           GError     **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);
  int saved;

  if (fd < 0)
    return set_errno_error (error, errno, "opening", path);
  if (fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      return set_errno_error (error, saved, "syncing", path);
    }
  close (fd);
  return TRUE;
}

/* Puts the complete partial file at @destination: synced first, renamed in
 * one step (a reader sees the old file or the whole new one, never part of
 * it), then the directory synced so the new name survives a power cut. */
gboolean
ferry_download_private_commit (const char  *part_path,
                               const char  *destination,
                               GError     **error)
{
  g_autofree char *directory = g_path_get_dirname (destination);

  if (!sync_path (part_path, O_RDONLY, error))
    return FALSE;
  if (g_rename (part_path, destination) != 0)
    return set_errno_error (error, errno, "renaming the download to", destination);
  return sync_path (directory, O_RDONLY | O_DIRECTORY, error);
}

/* The length a 416 gives in `Content-Range: bytes * /L` (RFC 9110
 * §14.4), which libsoup's parser does not read; -1 when absent or
 * malformed. */
gint64
ferry_download_private_parse_unsatisfied_range (const char *content_range)
{
  g_autofree char *digits = NULL;
  const char *p;
  guint64 length;

  if (content_range == NULL)
    return -1;
  p = content_range;
  while (*p == ' ')
    p++;
  if (g_ascii_strncasecmp (p, "bytes", 5) != 0)
    return -1;
  p += 5;
  while (*p == ' ')
    p++;
  if (p[0] != '*' || p[1] != '/')
    return -1;
  p += 2;
  digits = g_strstrip (g_strdup (p));
  if (!g_ascii_isdigit (*digits) ||
      !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &length, NULL))
    return -1;
  return (gint64) length;
}

/* Retry-After of a refusal, measured against the server's own Date. */
void
ferry_download_private_parse_retry_after (const char         *value,
                                          SoupMessageHeaders *headers,
                                          gint64             *out_delay)
{
  const char *date_header = soup_message_headers_get_one (headers, "Date");
  g_autoptr(GDateTime) server_now = NULL;
  gint64 now = g_get_real_time ();
  gint64 delay;

  if (date_header != NULL)
    server_now = soup_date_time_new_from_http_string (date_header);
  if (server_now != NULL)
    now = g_date_time_to_unix (server_now) * G_USEC_PER_SEC;
  if (ferry_backoff_parse_retry_after (value, now, &delay))
    *out_delay = delay;
}

/* What If-Range may carry (RFC 9110 §13.1.5): a strong ETag; a date only
 * when there is no ETag at all (the kept Last-Modified is strong, see
 * below); nothing when the ETag is weak. */
const char *
ferry_download_private_strong_validator (const char *etag,
                                         const char *last_modified)
{
  if (etag != NULL)
    return g_str_has_prefix (etag, "W/") ? NULL : etag;
  return last_modified;
}

/* The answer's Last-Modified when it is a strong validator, else NULL. */
char *
ferry_download_private_keep_last_modified (SoupMessageHeaders *headers)
{
  const char *text = soup_message_headers_get_one (headers, "Last-Modified");
  const char *date_text = soup_message_headers_get_one (headers, "Date");
  g_autoptr(GDateTime) modified = NULL;
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL || date_text == NULL)
    return NULL;
  modified = soup_date_time_new_from_http_string (text);
  date = soup_date_time_new_from_http_string (date_text);
  if (modified == NULL || date == NULL ||
      g_date_time_to_unix (date) - g_date_time_to_unix (modified) < STRONG_DATE_MARGIN)
    return NULL;
  return g_strdup (text);
}

static gboolean
header_is_ours (const char *name)
{
  /* Ranges and codings are the download's to choose. */
  return g_ascii_strcasecmp (name, "Range") == 0 ||
         g_ascii_strcasecmp (name, "If-Range") == 0 ||
         g_ascii_strcasecmp (name, "Accept-Encoding") == 0;
}

/* The request's own headers, less framing and what the download sets. */
SoupMessageHeaders *
ferry_download_private_request_headers (FerryHttpRequest *request)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL &&
                    request->headers[i + 1] != NULL; i += 2)
    {
      if (ferry_http_header_is_transport (request->headers[i]) ||
          header_is_ours (request->headers[i]))
        continue;
      soup_message_headers_append (headers, request->headers[i], request->headers[i + 1]);
    }
  return headers;
}

static void
append_one (const char *name,
            const char *value,
            gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

void
ferry_download_private_copy_headers (SoupMessageHeaders *from,
                                     SoupMessageHeaders *to)
{
  soup_message_headers_foreach (from, append_one, to);
}

static void
collect_name (const char *name,
              const char *value,
              gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (name));
}

/* A redirect left the first origin: credentials stay behind. */
void
ferry_download_private_drop_secrets (SoupMessageHeaders *headers,
                                     FerryHttpRequest   *request)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  soup_message_headers_foreach (headers, collect_name, names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (ferry_http_request_header_is_secret (request, name))
        soup_message_headers_remove (headers, name);
    }
}
