/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-tray-view"

#include "config.h"

#include "ferry-tray-view.h"

/*
 * The tray item's looks, from the status every part of Ferry says (see
 * ferry-status.c).  A pure function, so a table test holds it.
 *
 * Status: what needs the person makes the item NeedsAttention, whatever
 * else goes on (a run's progress stays in the title).  Otherwise it is
 * Active, synced included: hosts such as Xfce's hide Passive items, and a
 * sync icon that vanishes when all is well reads as Ferry having quit.
 */

static const char *
icon_name (FerryStatusIcon icon)
{
  switch (icon)
    {
    case FERRY_STATUS_ICON_SYNCED:
      return FERRY_TRAY_ICON_SYNCED;
    case FERRY_STATUS_ICON_SYNCING:
      return FERRY_TRAY_ICON_SYNCING;
    case FERRY_STATUS_ICON_PAUSED:
      return FERRY_TRAY_ICON_PAUSED;
    case FERRY_STATUS_ICON_ATTENTION:
      return FERRY_TRAY_ICON_ATTENTION;
    case FERRY_STATUS_ICON_OFFLINE:
    case FERRY_STATUS_ICON_STOPPED:
    default:
      return FERRY_TRAY_ICON_OFFLINE;
    }
}

/**
 * ferry_tray_view_from_status:
 * @view: (out caller-allocates): the view to fill; clear it with
 *   ferry_tray_view_clear()
 * @status: the status
 * @paused: whether sending is paused
 */
void
ferry_tray_view_from_status (FerryTrayView     *view,
                             const FerryStatus *status,
                             gboolean           paused)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  g_return_if_fail (view != NULL);
  g_return_if_fail (status != NULL);

  view->icon_name = icon_name (status->icon);
  view->status = status->needs_attention ? FERRY_TRAY_STATUS_NEEDS_ATTENTION
                                         : FERRY_TRAY_STATUS_ACTIVE;
  view->title = g_strdup (status->title);
  view->paused = paused;
  view->attention = g_strdup (status->summary);

  if (status->transfers != NULL)
    g_ptr_array_add (lines, status->transfers);
  if (status->detail != NULL)
    g_ptr_array_add (lines, status->detail);
  for (guint i = 0; status->attention[i] != NULL; i++)
    {
      if (g_strcmp0 (status->attention[i], status->title) != 0)
        g_ptr_array_add (lines, status->attention[i]);
    }
  g_ptr_array_add (lines, NULL);
  view->description = g_strjoinv ("\n", (char **) lines->pdata);
}

/**
 * ferry_tray_view_copy:
 * @dest: (out caller-allocates): the view to fill; clear it with
 *   ferry_tray_view_clear()
 * @src: a view
 */
void
ferry_tray_view_copy (FerryTrayView       *dest,
                      const FerryTrayView *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  dest->icon_name = src->icon_name;
  dest->status = src->status;
  dest->title = g_strdup (src->title);
  dest->description = g_strdup (src->description);
  dest->paused = src->paused;
  dest->attention = g_strdup (src->attention);
}

/**
 * ferry_tray_view_diff:
 * @old_view: what hosts were told
 * @new_view: what they are to be told
 *
 * Returns: the fields that differ
 */
FerryTrayViewChanges
ferry_tray_view_diff (const FerryTrayView *old_view,
                      const FerryTrayView *new_view)
{
  FerryTrayViewChanges changes = FERRY_TRAY_VIEW_SAME;

  g_return_val_if_fail (old_view != NULL, FERRY_TRAY_VIEW_SAME);
  g_return_val_if_fail (new_view != NULL, FERRY_TRAY_VIEW_SAME);

  if (g_strcmp0 (old_view->icon_name, new_view->icon_name) != 0)
    changes |= FERRY_TRAY_VIEW_ICON;
  if (g_strcmp0 (old_view->status, new_view->status) != 0)
    changes |= FERRY_TRAY_VIEW_STATUS;
  if (g_strcmp0 (old_view->title, new_view->title) != 0)
    changes |= FERRY_TRAY_VIEW_TITLE;
  if (g_strcmp0 (old_view->description, new_view->description) != 0)
    changes |= FERRY_TRAY_VIEW_DESCRIPTION;
  if (old_view->paused != new_view->paused)
    changes |= FERRY_TRAY_VIEW_PAUSED;
  if (g_strcmp0 (old_view->attention, new_view->attention) != 0)
    changes |= FERRY_TRAY_VIEW_ATTENTION;
  return changes;
}

/**
 * ferry_tray_view_clear:
 * @view: a view
 *
 * Frees what @view holds and resets it.
 */
void
ferry_tray_view_clear (FerryTrayView *view)
{
  g_clear_pointer (&view->title, g_free);
  g_clear_pointer (&view->description, g_free);
  g_clear_pointer (&view->attention, g_free);
  view->icon_name = NULL;
  view->status = NULL;
  view->paused = FALSE;
}
