/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ferry-conflict-model.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONFLICT_MEMBERS (ferry_conflict_members_get_type ())

G_DECLARE_FINAL_TYPE (FerryConflictMembers, ferry_conflict_members,
                      FERRY, CONFLICT_MEMBERS, GtkGrid)

GtkWidget *ferry_conflict_members_new  (void);
void       ferry_conflict_members_show (FerryConflictMembers *self,
                                        FerryConflictModel   *model);

G_END_DECLS
