/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_QUERY (ferry_task_query_get_type ())

typedef struct _FerryTaskQuery FerryTaskQuery;

GType           ferry_task_query_get_type         (void) G_GNUC_CONST;
FerryTaskQuery *ferry_task_query_new              (void);
FerryTaskQuery *ferry_task_query_ref              (FerryTaskQuery       *self);
void            ferry_task_query_unref            (FerryTaskQuery       *self);
FerryTaskQuery *ferry_task_query_copy             (FerryTaskQuery       *self);

void            ferry_task_query_set_states       (FerryTaskQuery       *self,
                                                   guint                 states);
guint           ferry_task_query_get_states       (FerryTaskQuery       *self);
void            ferry_task_query_add_state        (FerryTaskQuery       *self,
                                                   FerryClientTaskState  state);
gboolean        ferry_task_query_has_state        (FerryTaskQuery       *self,
                                                   FerryClientTaskState  state);
void            ferry_task_query_set_owner        (FerryTaskQuery       *self,
                                                   const char           *owner);
const char     *ferry_task_query_get_owner        (FerryTaskQuery       *self);
void            ferry_task_query_set_name         (FerryTaskQuery       *self,
                                                   const char           *name);
const char     *ferry_task_query_get_name         (FerryTaskQuery       *self);
void            ferry_task_query_set_group        (FerryTaskQuery       *self,
                                                   const char           *group);
const char     *ferry_task_query_get_group        (FerryTaskQuery       *self);
void            ferry_task_query_set_search       (FerryTaskQuery       *self,
                                                   const char           *search);
const char     *ferry_task_query_get_search       (FerryTaskQuery       *self);
void            ferry_task_query_set_newest_first (FerryTaskQuery       *self,
                                                   gboolean              newest_first);
gboolean        ferry_task_query_get_newest_first (FerryTaskQuery       *self);

GVariant       *ferry_task_query_to_variant       (FerryTaskQuery       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTaskQuery, ferry_task_query_unref)

G_END_DECLS
