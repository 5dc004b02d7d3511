/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-elsewhere"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ferry-elsewhere.h"

/*
 * An empty view is true of the whole picture: Pending with nothing waiting
 * does not say all is well while a change failed, in a task or in a
 * collection, or while a collection is in the middle of its run or has
 * records waiting.  The most pressing thing wins: conflicts, then
 * failures, then a run going on, then records waiting (the last two said
 * in Pending only).
 */

/* Records of @collections waiting to be sent. */
static guint
count_waiting (FerryCollectionSet *collections)
{
  GPtrArray *all = collections != NULL ? ferry_collection_set_get_collections (collections)
                                       : NULL;
  guint waiting = 0;

  for (guint i = 0; all != NULL && i < all->len; i++)
    waiting += ferry_collection_get_dirty_count (g_ptr_array_index (all, i));
  return waiting;
}

static void
point_at (FerryElsewhere *out,
          const char     *view,
          char           *text,
          gboolean        warning)
{
  out->text = text;
  out->view = view;
  out->warning = warning;
  if (g_str_equal (view, "conflicts"))
    out->button = _("Show Conflicts");
  else if (g_str_equal (view, "failed"))
    out->button = _("Show Failed");
  else
    out->button = _("Show Collections");
}

/**
 * ferry_elsewhere_describe:
 * @kind: the empty view's kind (pending, failed, conflicts, history)
 * @client: the agent's client
 * @collections: (nullable): the collections, when the window follows them
 * @out: (out caller-allocates): what is elsewhere, or whether all was
 *   sent; clear it with ferry_elsewhere_clear()
 *
 * Returns: whether another view holds something the empty one should name
 */
gboolean
ferry_elsewhere_describe (const char         *kind,
                          FerryClient        *client,
                          FerryCollectionSet *collections,
                          FerryElsewhere     *out)
{
  FerryStatusSnapshot snapshot;
  guint failed, conflicts, waiting;

  g_return_val_if_fail (kind != NULL && FERRY_IS_CLIENT (client) && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  ferry_status_snapshot_from_client (&snapshot, client);
  if (collections != NULL)
    ferry_collection_set_add_to_snapshot (collections, &snapshot);
  /* Records in conflict are listed in the Conflicts view, above tasks. */
  conflicts = snapshot.conflicts + snapshot.collection_conflicts;
  failed = snapshot.failed + snapshot.auth;
  waiting = count_waiting (collections);

  if (conflicts > 0 && !g_str_equal (kind, "conflicts"))
    point_at (out, "conflicts",
              g_strdup_printf (ngettext ("But %u conflict needs you.",
                                         "But %u conflicts need you.", conflicts),
                               conflicts), TRUE);
  else if (failed > 0 && !g_str_equal (kind, "failed"))
    point_at (out, "failed",
              g_strdup_printf (ngettext ("But %u change failed.", "But %u changes failed.",
                                         failed), failed), TRUE);
  else if (snapshot.collection_failed > 0)
    /* Records a server refused are in the Collections window. */
    point_at (out, "collections",
              g_strdup_printf (ngettext ("But %u change failed.", "But %u changes failed.",
                                         snapshot.collection_failed),
                               snapshot.collection_failed), TRUE);
  else if (snapshot.collections_syncing > 0 && g_str_equal (kind, "pending"))
    point_at (out, "collections",
              g_strdup_printf (ngettext ("%u collection is syncing.",
                                         "%u collections are syncing.",
                                         snapshot.collections_syncing),
                               snapshot.collections_syncing), FALSE);
  else if (waiting > 0 && g_str_equal (kind, "pending"))
    point_at (out, "collections",
              g_strdup_printf (ngettext ("%u change waits in a collection.",
                                         "%u changes wait in collections.", waiting),
                               waiting), FALSE);
  else
    /* Tasks that wait are listed in Pending itself. */
    out->all_sent = snapshot.last_sync_time > 0 && waiting == 0;
  return out->text != NULL;
}

/**
 * ferry_elsewhere_clear:
 * @elsewhere: what ferry_elsewhere_describe() filled
 */
void
ferry_elsewhere_clear (FerryElsewhere *elsewhere)
{
  g_clear_pointer (&elsewhere->text, g_free);
}
