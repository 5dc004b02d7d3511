/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-collection.h"
#include "ferry-conflict-members.h"
#include "ferry-task-loader.h"
#include "ferry-conflict-window.h"

G_BEGIN_DECLS

/*
 * The window's parts: ferry-conflict-window.c (the window, a task in
 * conflict) and ferry-conflict-window-document.c (a record of a
 * collection in conflict), sharing the comparison and the outcome of a
 * decision.
 */
struct _FerryConflictWindow
{
  AdwWindow parent_instance;

  /* owned */
  FerryClient *client;
  char *task_id;
  FerryTaskInfo *info;
  FerryConflictModel *model;
  FerryTaskLoader *loader;
  GCancellable *cancellable;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkLabel *resolved_label;
  GtkLabel *explanation_label;
  GtkLabel *error_label;
  GtkStack *mode_stack;
  FerryConflictMembers *members;
  GtkTextView *result_view;
  GtkTextView *mine_text_view;
  GtkTextView *server_text_view;
  GtkWidget *keep_mine_button;
  GtkWidget *keep_server_button;
  GtkWidget *send_merged_button;

  /* owned, for a record of a collection */
  FerryCollection *collection;
  char *doc_id;
  GVariant *document;

  /* state */
  gboolean resolving;
  gboolean in_conflict;
  gboolean loaded;   /* the task or the record arrived */
};

/* ferry-conflict-window.c */
void ferry_conflict_window_update_actions   (FerryConflictWindow *self);
void ferry_conflict_window_compare          (FerryConflictWindow *self,
                                             GBytes              *base,
                                             GBytes              *mine,
                                             const char          *mine_type,
                                             GBytes              *server,
                                             const char          *server_type);
void ferry_conflict_window_show_missing     (FerryConflictWindow *self,
                                             gboolean             deleted,
                                             const char          *mine_type,
                                             GBytes              *mine);
void ferry_conflict_window_label_choices    (FerryConflictWindow *self,
                                             gboolean             deleted);
void ferry_conflict_window_set_in_conflict  (FerryConflictWindow *self,
                                             gboolean             in_conflict);
void ferry_conflict_window_resolved         (FerryConflictWindow *self,
                                             gboolean             done,
                                             const GError        *error);

/* ferry-conflict-window-document.c */
void ferry_conflict_window_document_load    (FerryConflictWindow *self);
void ferry_conflict_window_document_follow  (FerryConflictWindow *self);
void ferry_conflict_window_document_resolve (FerryConflictWindow *self,
                                             const char          *choice,
                                             GBytes              *merged);

G_END_DECLS
