/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-database.h"

G_BEGIN_DECLS

typedef struct _FerryMemoryTrim FerryMemoryTrim;

/**
 * FerryMemoryTrimQuietFunc:
 * @user_data: closure
 *
 * Called once calls have been quiet for a while, after the trim.
 */
typedef void (*FerryMemoryTrimQuietFunc) (gpointer user_data);

FerryMemoryTrim *ferry_memory_trim_new  (GDBusConnection          *connection,
                                         FerryDatabase            *database,
                                         FerryMemoryTrimQuietFunc  quiet_func,
                                         gpointer                  quiet_data);
void             ferry_memory_trim_free (FerryMemoryTrim          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryMemoryTrim, ferry_memory_trim_free)

G_END_DECLS
