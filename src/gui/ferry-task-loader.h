/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_LOADER (ferry_task_loader_get_type ())

G_DECLARE_FINAL_TYPE (FerryTaskLoader, ferry_task_loader, FERRY, TASK_LOADER, GObject)

FerryTaskLoader *ferry_task_loader_new                (FerryClient     *client,
                                                       const char      *task_id);
FerryTaskLoader *ferry_task_loader_start              (FerryClient     *client,
                                                       const char      *task_id,
                                                       GCallback        on_loaded,
                                                       GCallback        on_failed,
                                                       gpointer         window);
void             ferry_task_loader_load               (FerryTaskLoader *self);
gboolean         ferry_task_loader_get_follow_changes (FerryTaskLoader *self);
void             ferry_task_loader_set_follow_changes (FerryTaskLoader *self,
                                                       gboolean         follow_changes);

G_END_DECLS
