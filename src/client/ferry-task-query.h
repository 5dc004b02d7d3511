/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <glib-object.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TASK_QUERY (ferry_task_query_get_type ())

typedef struct _FerryTaskQuery FerryTaskQuery;

FERRY_AVAILABLE_IN_ALL
GType           ferry_task_query_get_type         (void) G_GNUC_CONST;
FERRY_AVAILABLE_IN_ALL
FerryTaskQuery *ferry_task_query_new              (void);
FERRY_AVAILABLE_IN_ALL
FerryTaskQuery *ferry_task_query_ref              (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_unref            (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
FerryTaskQuery *ferry_task_query_copy             (FerryTaskQuery       *self);

FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_states       (FerryTaskQuery       *self,
                                                   guint                 states);
FERRY_AVAILABLE_IN_ALL
guint           ferry_task_query_get_states       (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_add_state        (FerryTaskQuery       *self,
                                                   FerryClientTaskState  state);
FERRY_AVAILABLE_IN_ALL
gboolean        ferry_task_query_has_state        (FerryTaskQuery       *self,
                                                   FerryClientTaskState  state);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_owner        (FerryTaskQuery       *self,
                                                   const char           *owner);
FERRY_AVAILABLE_IN_ALL
const char     *ferry_task_query_get_owner        (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_name         (FerryTaskQuery       *self,
                                                   const char           *name);
FERRY_AVAILABLE_IN_ALL
const char     *ferry_task_query_get_name         (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_group        (FerryTaskQuery       *self,
                                                   const char           *group);
FERRY_AVAILABLE_IN_ALL
const char     *ferry_task_query_get_group        (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_search       (FerryTaskQuery       *self,
                                                   const char           *search);
FERRY_AVAILABLE_IN_ALL
const char     *ferry_task_query_get_search       (FerryTaskQuery       *self);
FERRY_AVAILABLE_IN_ALL
void            ferry_task_query_set_newest_first (FerryTaskQuery       *self,
                                                   gboolean              newest_first);
FERRY_AVAILABLE_IN_ALL
gboolean        ferry_task_query_get_newest_first (FerryTaskQuery       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTaskQuery, ferry_task_query_unref)

G_END_DECLS
