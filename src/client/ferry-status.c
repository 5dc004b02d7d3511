/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-client-transfers-private.h"
#include "ferry-status.h"

/*
 * One status, said the same way by the window's header, the tray's title
 * and tooltip, and `ferryctl status`.  A pure function of a snapshot of
 * the agent's properties and the time, so that a table test can hold it
 * to the truth in every state:
 *
 * - what needs the person wins over progress in the picture and the
 *   attention flag, whatever else goes on;
 * - "synced" is said only of changes that reached their server: before
 *   anything did, there is nothing to sync, and a run whose every attempt
 *   failed is no sync (the agent's last-sync-time says so);
 * - the next try is said only when a change really goes then: not while
 *   paused or offline, and not of an automatic run that sends nothing;
 * - counts always say what they count.
 */

#define SECONDS(us) ((us) / G_USEC_PER_SEC)

/**
 * ferry_status_snapshot_from_client:
 * @snapshot: (out caller-allocates): the snapshot to fill
 * @client: a client
 *
 * Reads what a status is made of from @client's properties; the
 * collections' counts start at none (see
 * ferry_collection_set_add_to_snapshot()).
 */
void
ferry_status_snapshot_from_client (FerryStatusSnapshot *snapshot,
                                   FerryClient         *client)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (FERRY_IS_CLIENT (client));

  *snapshot = (FerryStatusSnapshot) { 0, };
  snapshot->agent_running = ferry_client_get_agent_running (client);
  snapshot->state = ferry_client_get_state (client);
  snapshot->pending = ferry_client_get_pending_count (client);
  snapshot->failed = ferry_client_get_failed_count (client);
  snapshot->conflicts = ferry_client_get_conflict_count (client);
  snapshot->auth = ferry_client_get_auth_count (client);
  snapshot->progress_done = ferry_client_get_progress_done (client);
  snapshot->progress_total = ferry_client_get_progress_total (client);
  snapshot->last_sync_time = ferry_client_get_last_sync_time (client);
  snapshot->next_sync_time = ferry_client_get_next_sync_time (client);
  ferry_client_get_transfer_summary (client, &snapshot->downloads, &snapshot->uploads,
                                     &snapshot->transfer_done, &snapshot->transfer_total);
}

/* Changes, records and files in all: what needs the person counts
 * tasks' and collections' alike. */
static guint
count_conflicts (const FerryStatusSnapshot *snapshot)
{
  return snapshot->conflicts + snapshot->collection_conflicts;
}

static guint
count_failed (const FerryStatusSnapshot *snapshot)
{
  return snapshot->failed + snapshot->collection_failed;
}

/* "Downloading 3 files" */
static char *
format_transfer_what (const FerryStatusSnapshot *snapshot)
{
  if (snapshot->uploads == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Downloading %u file",
                                         "Downloading %u files", snapshot->downloads),
                            snapshot->downloads);
  if (snapshot->downloads == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Uploading %u file",
                                         "Uploading %u files", snapshot->uploads),
                            snapshot->uploads);
  /* Translators: files moving both ways: downloads, then uploads */
  return g_strdup_printf (_("Downloading %u, uploading %u files"), snapshot->downloads,
                          snapshot->uploads);
}

/* "Downloading 3 files — 120 MB of 400 MB", or NULL when nothing moves. */
static char *
format_transfers (const FerryStatusSnapshot *snapshot)
{
  g_autofree char *what = NULL;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;

  if (snapshot->downloads + snapshot->uploads == 0)
    return NULL;
  what = format_transfer_what (snapshot);
  done = g_format_size (MAX (snapshot->transfer_done, 0));
  if (snapshot->transfer_total < 0)
    /* Translators: what moves, and the bytes done so far */
    return g_strdup_printf (_("%s — %s"), what, done);
  total = g_format_size (snapshot->transfer_total);
  /* Translators: what moves, then bytes done of bytes in all */
  return g_strdup_printf (_("%s — %s of %s"), what, done, total);
}

static void
add_attention_lines (const FerryStatusSnapshot *snapshot,
                     GPtrArray                 *lines)
{
  guint conflicts = count_conflicts (snapshot);
  guint failed = count_failed (snapshot);

  if (conflicts > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u conflict needs you",
                                                          "%u conflicts need you",
                                                          conflicts),
                                             conflicts));
  if (snapshot->auth > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u change needs you to sign in",
                                                          "%u changes need you to sign in",
                                                          snapshot->auth),
                                             snapshot->auth));
  if (failed > 0)
    g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u change failed",
                                                          "%u changes failed",
                                                          failed),
                                             failed));
}

static char *
format_waiting (guint pending)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u change waiting", "%u changes waiting", pending),
                          pending);
}

/* What needs the person in one line: the kind's own line when there is
 * one kind, else the total; NULL when nothing does. */
static char *
format_attention_summary (const FerryStatusSnapshot *snapshot,
                          GPtrArray                 *attention)
{
  guint total = count_conflicts (snapshot) + snapshot->auth + count_failed (snapshot);

  if (attention->len == 0)
    return NULL;
  if (attention->len == 1)
    return g_strdup (g_ptr_array_index (attention, 0));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u change needs your attention",
                                       "%u changes need your attention", total),
                          total);
}

/* The title when nothing more pressing says something. */
static char *
format_quiet_title (const FerryStatusSnapshot *snapshot,
                    GPtrArray                 *attention)
{
  if (attention->len > 0)
    return format_attention_summary (snapshot, attention);
  if (snapshot->pending > 0)
    return format_waiting (snapshot->pending);
  if (snapshot->last_sync_time > 0)
    return g_strdup (_("All changes synced"));
  return g_strdup (_("Nothing to sync"));
}

/* "Last synced 5 minutes ago · next try in 4 min", or the parts of it
 * that are true and known. */
static char *
format_detail (const FerryStatusSnapshot *snapshot,
               gint64                     now)
{
  g_autofree char *last = NULL;
  g_autofree char *next = NULL;
  gboolean waiting = snapshot->pending + count_failed (snapshot) + count_conflicts (snapshot) +
                     snapshot->auth > 0;

  if (snapshot->state == FERRY_AGENT_STATE_PAUSED && snapshot->pending > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change waits until you resume",
                                         "%u changes wait until you resume",
                                         snapshot->pending),
                            snapshot->pending);
  if (snapshot->state == FERRY_AGENT_STATE_OFFLINE && snapshot->pending > 0)
    return g_strdup (_("They are sent when the network is back"));

  if (snapshot->last_sync_time > 0)
    last = ferry_format_last_sync (snapshot->last_sync_time, now);
  else if (waiting)
    last = g_strdup (_("Not synced yet"));

  if (snapshot->next_sync_time > now && snapshot->pending > 0 &&
      snapshot->state != FERRY_AGENT_STATE_OFFLINE &&
      snapshot->state != FERRY_AGENT_STATE_PAUSED)
    {
      g_autofree char *countdown = ferry_format_countdown (snapshot->next_sync_time, now);

      if (last != NULL)
        /* Translators: follows "Last synced 5 minutes ago · "; %s is a
         * countdown such as "in 4 min" */
        next = g_strdup_printf (_("next try %s"), countdown);
      else
        /* Translators: %s is a countdown such as "in 4 min" */
        next = g_strdup_printf (_("Next try %s"), countdown);
    }

  if (last != NULL && next != NULL)
    return g_strdup_printf ("%s · %s", last, next);
  if (last != NULL)
    return g_steal_pointer (&last);
  return g_steal_pointer (&next);
}

/* The title while something moves: the tasks' run and the collections'
 * runs counted together ("Syncing 120 of 1,000"), or the files when they
 * are all that moves ("Downloading 1 file…"). */
static char *
format_syncing_title (const FerryStatusSnapshot *snapshot)
{
  gboolean tasks = snapshot->state == FERRY_AGENT_STATE_SYNCING;
  guint transfers = snapshot->downloads + snapshot->uploads;
  guint done = snapshot->collection_done;
  guint total = snapshot->collection_total;

  if (tasks && transfers > 0 && snapshot->progress_total <= transfers &&
      snapshot->collections_syncing == 0)
    {
      g_autofree char *what = format_transfer_what (snapshot);

      /* Translators: %s says which files move: "Downloading 1 file" */
      return g_strdup_printf (_("%s…"), what);
    }
  if (tasks)
    {
      done += MIN (snapshot->progress_done, snapshot->progress_total);
      total += snapshot->progress_total;
    }
  if (total == 0)
    return g_strdup (_("Syncing…"));
  /* Translators: changes and records settled so far, of all in the
   * runs going on, grouped as the locale groups digits: "Syncing 120 of
   * 1,000" */
  return g_strdup_printf (_("Syncing %'u of %'u"), MIN (done, total), total);
}

/**
 * ferry_status_describe:
 * @snapshot: the agent's properties
 * @now: the current time, in µs since the epoch
 *
 * Says the status in words and picks its picture.
 *
 * Returns: (transfer full): the status; free with ferry_status_free()
 */
FerryStatus *
ferry_status_describe (const FerryStatusSnapshot *snapshot,
                       gint64                     now)
{
  g_autoptr(GPtrArray) attention = g_ptr_array_new_with_free_func (g_free);
  FerryStatus *status;

  g_return_val_if_fail (snapshot != NULL, NULL);

  status = g_new0 (FerryStatus, 1);

  if (!snapshot->agent_running)
    {
      status->title = g_strdup (_("Ferry’s agent is not running"));
      status->detail = g_strdup (_("Nothing is known about your changes until it runs"));
      status->attention = g_new0 (char *, 1);
      status->icon = FERRY_STATUS_ICON_STOPPED;
      return status;
    }

  add_attention_lines (snapshot, attention);
  status->needs_attention = attention->len > 0;
  if (count_conflicts (snapshot) > 0)
    status->view = "conflicts";
  else if (snapshot->failed + snapshot->auth > 0)
    status->view = "failed";
  else if (snapshot->collection_failed > 0)
    status->view = "collections";   /* refused records: where they are listed */

  switch (snapshot->state)
    {
    case FERRY_AGENT_STATE_SYNCING:
      status->icon = FERRY_STATUS_ICON_SYNCING;
      status->title = format_syncing_title (snapshot);
      break;

    case FERRY_AGENT_STATE_OFFLINE:
      status->icon = FERRY_STATUS_ICON_OFFLINE;
      if (snapshot->pending > 0)
        status->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "Offline — %u change waiting",
                                                      "Offline — %u changes waiting",
                                                      snapshot->pending),
                                         snapshot->pending);
      else
        status->title = g_strdup (_("Offline"));
      break;

    case FERRY_AGENT_STATE_PAUSED:
      status->icon = FERRY_STATUS_ICON_PAUSED;
      status->title = g_strdup (_("Paused"));
      break;

    case FERRY_AGENT_STATE_ATTENTION:
    case FERRY_AGENT_STATE_IDLE:
    case FERRY_AGENT_STATE_UNKNOWN:
    default:
      if (snapshot->collections_syncing > 0)
        {
          /* The tasks rest while a collection runs. */
          status->icon = FERRY_STATUS_ICON_SYNCING;
          status->title = format_syncing_title (snapshot);
          break;
        }
      status->title = format_quiet_title (snapshot, attention);
      if (snapshot->pending > 0)
        status->icon = FERRY_STATUS_ICON_SYNCING;
      else
        status->icon = FERRY_STATUS_ICON_SYNCED;
      break;
    }

  /* What needs the person wins over any other picture. */
  if (status->needs_attention)
    status->icon = FERRY_STATUS_ICON_ATTENTION;

  status->detail = format_detail (snapshot, now);
  status->summary = format_attention_summary (snapshot, attention);
  status->transfers = format_transfers (snapshot);
  g_ptr_array_add (attention, NULL);
  status->attention = (char **) g_ptr_array_steal (attention, NULL);
  return status;
}

/**
 * ferry_status_to_text:
 * @status: a status
 *
 * Gets the title, the detail and what needs the person, a line each.
 *
 * Returns: (transfer full): the title, the detail and what needs the
 *   person, a line each
 */
char *
ferry_status_to_text (const FerryStatus *status)
{
  GString *text;

  g_return_val_if_fail (status != NULL, NULL);

  text = g_string_new (status->title);
  if (status->transfers != NULL)
    g_string_append_printf (text, "\n%s", status->transfers);
  if (status->detail != NULL)
    g_string_append_printf (text, "\n%s", status->detail);
  for (guint i = 0; status->attention[i] != NULL; i++)
    {
      /* The title may be the only attention line already. */
      if (g_strcmp0 (status->attention[i], status->title) != 0)
        g_string_append_printf (text, "\n%s", status->attention[i]);
    }
  return g_string_free (text, FALSE);
}

/**
 * ferry_status_dup_subtitle:
 * @status: a status
 *
 * Gets what goes under the title where there is one line for it, as in
 * the window's header: the files moving first, then the detail, in the
 * order the tray's tooltip gives them.
 *
 * Returns: (transfer full) (nullable): "Downloading 2 files — 120 MB of
 *   400 MB · Last synced 5 minutes ago", or %NULL when there is neither
 */
char *
ferry_status_dup_subtitle (const FerryStatus *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  if (status->transfers != NULL && status->detail != NULL)
    /* Translators: the files moving, then the rest of the status */
    return g_strdup_printf (_("%s · %s"), status->transfers, status->detail);
  return g_strdup (status->transfers != NULL ? status->transfers : status->detail);
}

/**
 * ferry_status_free:
 * @status: (nullable): a status
 */
void
ferry_status_free (FerryStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->title);
  g_free (status->detail);
  g_free (status->summary);
  g_free (status->transfers);
  g_strfreev (status->attention);
  g_free (status);
}

/**
 * ferry_format_last_sync:
 * @last_sync: when changes last reached their server (µs since the
 *   epoch), or 0
 * @now: the current time in the same unit
 *
 * Gets "Last synced 2 minutes ago", or "Not synced yet".
 *
 * Returns: (transfer full): "Last synced 2 minutes ago", or "Not synced
 *   yet"
 */
char *
ferry_format_last_sync (gint64 last_sync,
                        gint64 now)
{
  gint64 span;
  guint n;

  if (last_sync <= 0)
    return g_strdup (_("Not synced yet"));

  span = MAX (0, SECONDS (now - last_sync));
  if (span < 60)
    return g_strdup (_("Last synced just now"));
  if (span < 60 * 60)
    {
      n = span / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last synced %u minute ago",
                                           "Last synced %u minutes ago", n), n);
    }
  if (span < 24 * 60 * 60)
    {
      n = span / (60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last synced %u hour ago",
                                           "Last synced %u hours ago", n), n);
    }
  n = MIN (span / (24 * 60 * 60), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last synced %u day ago",
                                       "Last synced %u days ago", n), n);
}

/**
 * ferry_format_countdown:
 * @when: a time in µs since the epoch
 * @now: the current time in the same unit
 *
 * Gets how long until @when, short: "in 32 s", "in 5 min", "in 2 h", "now".
 *
 * Returns: (transfer full): how long until @when, short: "in 32 s",
 *   "in 5 min", "in 2 h", "now"
 */
char *
ferry_format_countdown (gint64 when,
                        gint64 now)
{
  /* Round up: "in 1 s" until the second has really passed. */
  gint64 span = (when - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  if (span <= 0)
    return g_strdup (_("now"));
  if (span < 60)
    /* Translators: a countdown in seconds */
    return g_strdup_printf (_("in %u s"), (guint) span);
  if (span < 60 * 60)
    /* Translators: a countdown in minutes */
    return g_strdup_printf (_("in %u min"), (guint) ((span + 59) / 60));
  if (span < 24 * 60 * 60)
    /* Translators: a countdown in hours */
    return g_strdup_printf (_("in %u h"), (guint) ((span + 3599) / 3600));
  /* Translators: a countdown in days */
  return g_strdup_printf (_("in %u d"), (guint) MIN ((span + 86399) / 86400, G_MAXUINT));
}

/**
 * ferry_format_time_ago:
 * @when: a past time in µs since the epoch
 * @now: the current time in the same unit
 *
 * Gets "just now", "2 minutes ago", "3 days ago".
 *
 * Returns: (transfer full): "just now", "2 minutes ago", "3 days ago"
 */
char *
ferry_format_time_ago (gint64 when,
                       gint64 now)
{
  gint64 span = MAX (0, SECONDS (now - when));
  guint n;

  if (span < 60)
    return g_strdup (_("just now"));
  if (span < 60 * 60)
    {
      n = span / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute ago", "%u minutes ago",
                                           n), n);
    }
  if (span < 24 * 60 * 60)
    {
      n = span / (60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour ago", "%u hours ago", n),
                              n);
    }
  n = MIN (span / (24 * 60 * 60), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago", n), n);
}
