/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-format"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-transfer-format.h"

/**
 * ferry_transfer_format_time_left:
 * @seconds: what a transfer still needs at its current rate
 *
 * Says it in the largest unit that is at least one: "40 s left",
 * "3 min left", "2 h left".
 *
 * Returns: (transfer full): the words
 */
char *
ferry_transfer_format_time_left (guint64 seconds)
{
  guint minutes;
  guint hours;

  if (seconds < 60)
    return g_strdup_printf (ngettext ("%u second left", "%u seconds left", (gulong) seconds),
                            (guint) seconds);
  /* Rounded to the nearest: 89 s is a minute, 90 s two. */
  minutes = seconds < 3600 ? (guint) ((seconds + 30) / 60) : 60;
  if (minutes < 60)
    return g_strdup_printf (ngettext ("%u minute left", "%u minutes left", minutes), minutes);
  hours = seconds < 48 * 3600 ? (guint) ((seconds + 1800) / 3600) : 48;
  if (hours < 48)
    return g_strdup_printf (ngettext ("%u hour left", "%u hours left", hours), hours);
  return g_strdup (_("More than a day left"));
}

/**
 * ferry_transfer_format_progress:
 * @done: bytes done
 * @total: bytes in all, -1 when unknown
 * @rate: bytes per second lately; 0 while it does not move
 *
 * "12.0 MB of 40.0 MB · 2.0 MB/s · 14 seconds left", leaving out what is
 * not known.
 *
 * Returns: (transfer full): the words
 */
char *
ferry_transfer_format_progress (gint64  done,
                                gint64  total,
                                guint64 rate)
{
  g_autofree char *done_text = g_format_size (MAX (done, 0));
  g_autoptr(GString) text = g_string_new (NULL);

  if (total >= 0)
    {
      g_autofree char *total_text = g_format_size (total);

      /* Translators: bytes done of bytes in all: "12.0 MB of 40.0 MB" */
      g_string_append_printf (text, _("%s of %s"), done_text, total_text);
    }
  else
    g_string_append (text, done_text);

  if (rate > 0)
    {
      g_autofree char *rate_text = g_format_size (rate);

      g_string_append (text, " · ");
      /* Translators: a speed: "2.0 MB/s" */
      g_string_append_printf (text, _("%s/s"), rate_text);
      if (total >= 0 && total >= done)
        {
          guint64 left = (guint64) (total - MAX (done, 0));
          g_autofree char *left_text = ferry_transfer_format_time_left ((left + rate - 1) / rate);

          g_string_append (text, " · ");
          g_string_append (text, left_text);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * ferry_transfer_format_state:
 * @info: a transfer
 *
 * Returns: what the transfer does now, in a word or two
 */
const char *
ferry_transfer_format_state (FerryTransferInfo *info)
{
  gboolean upload = ferry_transfer_info_is_upload (info);

  if (ferry_transfer_info_get_complete (info))
    return _("Downloaded");
  if (ferry_transfer_info_get_paused (info))
    return _("Paused");
  switch (ferry_transfer_info_get_state (info))
    {
    case FERRY_CLIENT_TASK_STATE_PENDING:
      return _("Waiting");
    case FERRY_CLIENT_TASK_STATE_RUNNING:
      return upload ? _("Uploading") : _("Downloading");
    case FERRY_CLIENT_TASK_STATE_SUCCEEDED:
      return upload ? _("Uploaded") : _("Downloaded");
    case FERRY_CLIENT_TASK_STATE_FAILED:
      return _("Failed");
    case FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED:
      return _("Needs sign-in");
    case FERRY_CLIENT_TASK_STATE_CONFLICT:
      return _("Conflict");
    case FERRY_CLIENT_TASK_STATE_CANCELLED:
      return _("Cancelled");
    case FERRY_CLIENT_TASK_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/**
 * ferry_transfer_fraction:
 * @done: bytes done
 * @total: bytes in all, -1 when unknown
 *
 * Returns: how far a progress bar goes, 0 to 1; 0 when the size is unknown
 */
double
ferry_transfer_fraction (gint64 done,
                         gint64 total)
{
  if (total <= 0)
    return total == 0 ? 1.0 : 0.0;
  return CLAMP ((double) MAX (done, 0) / (double) total, 0.0, 1.0);
}
