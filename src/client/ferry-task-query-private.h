/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-task-query.h"

G_BEGIN_DECLS

GVariant *ferry_task_query_to_variant (FerryTaskQuery *self);

G_END_DECLS
