/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-database.h"

G_BEGIN_DECLS

typedef struct _FerryMemoryTrim FerryMemoryTrim;

FerryMemoryTrim *ferry_memory_trim_new  (GDBusConnection *connection,
                                         FerryDatabase   *database);
void             ferry_memory_trim_free (FerryMemoryTrim *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryMemoryTrim, ferry_memory_trim_free)

G_END_DECLS
