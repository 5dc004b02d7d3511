/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"
#include "ferry-collection.h"
#include "ferry-conflict-model.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONFLICT_WINDOW (ferry_conflict_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryConflictWindow, ferry_conflict_window, FERRY, CONFLICT_WINDOW, AdwWindow)

GtkWidget          *ferry_conflict_window_new             (FerryClient         *client,
                                                           const char          *task_id);
void                ferry_conflict_window_present         (GtkWindow           *parent,
                                                           FerryClient         *client,
                                                           const char          *task_id);
void                ferry_conflict_window_present_document (GtkWindow       *parent,
                                                            FerryClient     *client,
                                                            FerryCollection *collection,
                                                            const char      *doc_id);

const char         *ferry_conflict_window_get_task_id     (FerryConflictWindow *self);
FerryTaskInfo      *ferry_conflict_window_get_info        (FerryConflictWindow *self);
FerryConflictModel *ferry_conflict_window_get_model       (FerryConflictWindow *self);
gboolean            ferry_conflict_window_get_in_conflict (FerryConflictWindow *self);
char               *ferry_conflict_window_dup_result      (FerryConflictWindow *self);

G_END_DECLS
