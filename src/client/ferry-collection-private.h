/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-dbus-generated.h"

#include "ferry-collection.h"

G_BEGIN_DECLS

FerryDBusCollection *ferry_collection_get_proxy (FerryCollection *self);

G_END_DECLS
