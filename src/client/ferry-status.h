/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

/**
 * FerryStatusIcon:
 * @FERRY_STATUS_ICON_SYNCED: nothing waits
 * @FERRY_STATUS_ICON_SYNCING: changes are being sent, or wait for a retry
 * @FERRY_STATUS_ICON_OFFLINE: changes wait for the network
 * @FERRY_STATUS_ICON_PAUSED: the person paused sending
 * @FERRY_STATUS_ICON_ATTENTION: something needs the person
 * @FERRY_STATUS_ICON_STOPPED: the agent is not running
 *
 * The picture that goes with a status.
 */
typedef enum {
  FERRY_STATUS_ICON_SYNCED,
  FERRY_STATUS_ICON_SYNCING,
  FERRY_STATUS_ICON_OFFLINE,
  FERRY_STATUS_ICON_PAUSED,
  FERRY_STATUS_ICON_ATTENTION,
  FERRY_STATUS_ICON_STOPPED,
} FerryStatusIcon;

/**
 * FerryStatusSnapshot:
 * @agent_running: whether the agent runs; nothing else counts when not
 * @state: the agent's state
 * @pending: changes waiting to be sent
 * @failed: changes that failed for good
 * @conflicts: changes in conflict
 * @auth: changes waiting for the person to sign in
 * @progress_done: changes settled in the current run
 * @progress_total: changes in the current run
 * @last_sync_time: when changes last reached their server, or 0
 * @next_sync_time: when a change is sent next, or 0 when unknown
 * @downloads: downloads moving now
 * @uploads: uploads moving now
 * @transfer_done: their bytes done
 * @transfer_total: their bytes in all, -1 when one does not know yet
 * @collections_syncing: collections in a run now
 * @collection_done: records those runs settled so far
 * @collection_total: records in those runs
 * @collection_failed: records servers refused, over all collections
 * @collection_conflicts: records waiting for a decision, over all
 *   collections
 *
 * What a status is made of: the agent's properties at one moment, and
 * its collections' (see ferry_collection_set_add_to_snapshot()).
 */
typedef struct
{
  gboolean        agent_running;
  FerryAgentState state;
  guint           pending;
  guint           failed;
  guint           conflicts;
  guint           auth;
  guint           progress_done;
  guint           progress_total;
  gint64          last_sync_time;
  gint64          next_sync_time;
  guint           downloads;
  guint           uploads;
  gint64          transfer_done;
  gint64          transfer_total;
  guint           collections_syncing;
  guint           collection_done;
  guint           collection_total;
  guint           collection_failed;
  guint           collection_conflicts;
} FerryStatusSnapshot;

/**
 * FerryStatus:
 * @title: the status in a few words: "Syncing 12 of 40"
 * @detail: (nullable): what the title leaves out: "Last synced 5 minutes
 *   ago · next try in 4 min"
 * @attention: (array zero-terminated=1): what needs the person, most
 *   pressing first, a line each; empty when nothing does
 * @summary: (nullable): what needs the person in one line: "1 conflict
 *   needs you", "4 changes need your attention"; %NULL when nothing does
 * @icon: the picture
 * @needs_attention: whether something needs the person
 * @view: (nullable): the window's view that shows what needs the person:
 *   "conflicts", "failed", or "collections" when only records a server
 *   refused do (the Collections window lists them)
 * @transfers: (nullable): the files moving now and their bytes:
 *   "Downloading 3 files — 120 MB of 400 MB"; %NULL when none
 *
 * A status as the window's header, the tray and ferryctl say it.
 */
typedef struct
{
  char            *title;
  char            *detail;
  char           **attention;
  char            *summary;
  char            *transfers;
  FerryStatusIcon  icon;
  gboolean         needs_attention;
  const char      *view;
} FerryStatus;

void         ferry_status_snapshot_from_client (FerryStatusSnapshot       *snapshot,
                                                FerryClient               *client);
FerryStatus *ferry_status_describe             (const FerryStatusSnapshot *snapshot,
                                                gint64                     now);
char        *ferry_status_to_text              (const FerryStatus         *status);
char        *ferry_status_dup_subtitle         (const FerryStatus         *status);
void         ferry_status_free                 (FerryStatus               *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryStatus, ferry_status_free)

char        *ferry_format_last_sync            (gint64                     last_sync,
                                                gint64                     now);
char        *ferry_format_countdown            (gint64                     when,
                                                gint64                     now);
char        *ferry_format_time_ago             (gint64                     when,
                                                gint64                     now);

G_END_DECLS
