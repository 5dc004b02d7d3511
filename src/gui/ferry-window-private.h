/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection-set.h"
#include "ferry-doc-conflicts.h"
#include "ferry-transfer-view.h"
#include "ferry-window.h"

G_BEGIN_DECLS

/*
 * FerryWindow is one widget in two files: ferry-window.c (the template,
 * the status, counts and banner it keeps up to date, and the getters) and
 * ferry-window-actions.c (the win.* actions and what they start).
 */
struct _FerryWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  FerryClient *client;
  FerryCollectionSet *collections;   /* their runs and records count in the header */
  FerryTicker *ticker;
  GSettings *settings;
  GCancellable *cancellable;
  FerryTaskList *history_total;    /* the history without a search: its count */
  char *status_text;
  char *last_sync_text;
  char *start_error;   /* why the last start failed, for a person */
  GHashTable *cancelling;   /* ids of cancels still offering Undo */

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack *view_stack;
  AdwViewStackPage *pending_page;
  AdwViewStackPage *failed_page;
  AdwViewStackPage *conflicts_page;
  AdwViewStackPage *history_page;
  AdwViewStackPage *transfers_page;
  FerryTaskView *pending_view;
  FerryTaskView *failed_view;
  FerryTaskView *conflicts_view;
  FerryDocConflicts *doc_conflicts;
  FerryTaskView *history_view;
  FerryTransferView *transfers_view;
  GtkRevealer *banner_revealer;
  GtkImage *banner_icon;
  GtkSpinner *banner_spinner;
  GtkLabel *banner_label;
  GtkButton *start_button;
  GtkWidget *status_text_box;
  GtkLabel *status_label;
  GtkLabel *last_sync_label;
  GtkProgressBar *progress_bar;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkWidget *sync_button;
  GtkWidget *pause_button;

  /* state */
  gboolean view_chosen;   /* the opening view was picked, or the person picked one */
  gboolean confirm_start; /* the start in progress was asked for from the banner */
  gboolean paused;
  gboolean starting_agent;
  guint last_sync_source_id;
  guint bytes_source_id;    /* the header's bytes, due to follow the transfers */
};

/* ferry-window.c */
FerryTaskView *ferry_window_view_for_kind    (FerryWindow  *self,
                                              const char   *kind);
gboolean       ferry_window_agent_running    (FerryWindow  *self);
void           ferry_window_show_toast       (FerryWindow  *self,
                                              const char   *text);
void           ferry_window_show_error_toast (FerryWindow  *self,
                                              const char   *what,
                                              const GError *error);
void           ferry_window_update_all       (FerryWindow  *self);
void           ferry_window_take_snapshot    (FerryWindow         *self,
                                              FerryStatusSnapshot *snapshot);
void           ferry_window_update_banner    (FerryWindow  *self);
void           ferry_window_update_actions   (FerryWindow  *self);
void           ferry_window_update_paused    (FerryWindow  *self);
gboolean       ferry_window_store_paused     (FerryWindow  *self,
                                              gboolean      paused);
void           ferry_window_update_status    (FerryWindow  *self);

/* ferry-window-transfers.c */
void           ferry_window_follow_transfers (FerryWindow  *self);

/* ferry-window-actions.c */
void           ferry_window_install_actions  (GtkWidgetClass *widget_class);
void           ferry_window_set_paused       (FerryWindow  *self,
                                              gboolean      paused);
void           ferry_window_finish_cancels   (FerryWindow  *self);

G_END_DECLS
