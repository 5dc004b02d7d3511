/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REQUEST (ferry_request_get_type ())

FERRY_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FerryRequest, ferry_request, FERRY, REQUEST, GObject)

FERRY_AVAILABLE_IN_ALL
FerryRequest *ferry_request_new                   (const char                  *method,
                                                   const char                  *url);

FERRY_AVAILABLE_IN_ALL
const char   *ferry_request_get_method            (FerryRequest                *self);
FERRY_AVAILABLE_IN_ALL
const char   *ferry_request_get_url               (FerryRequest                *self);

FERRY_AVAILABLE_IN_ALL
void          ferry_request_add_header            (FerryRequest                *self,
                                                   const char                  *name,
                                                   const char                  *value);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_body              (FerryRequest                *self,
                                                   GBytes                      *body,
                                                   const char                  *content_type);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_body_text         (FerryRequest                *self,
                                                   const char                  *text,
                                                   const char                  *content_type);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_priority          (FerryRequest                *self,
                                                   FerryClientPriority          priority);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_name              (FerryRequest                *self,
                                                   const char                  *name);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_unique            (FerryRequest                *self,
                                                   FerryClientUniquePolicy      policy);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_group             (FerryRequest                *self,
                                                   const char                  *group);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_idempotency_key   (FerryRequest                *self,
                                                   const char                  *key);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_if_match          (FerryRequest                *self,
                                                   const char                  *etag);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_max_attempts      (FerryRequest                *self,
                                                   guint                        max_attempts);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_not_before        (FerryRequest                *self,
                                                   gint64                       not_before);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_expires           (FerryRequest                *self,
                                                   gint64                       expires);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_unmetered_only    (FerryRequest                *self,
                                                   gboolean                     unmetered_only);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_conflict_strategy (FerryRequest                *self,
                                                   FerryClientConflictStrategy  strategy);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_conflict_url      (FerryRequest                *self,
                                                   const char                  *url);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_base              (FerryRequest                *self,
                                                   GBytes                      *base);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_add_merge_rule        (FerryRequest                *self,
                                                   const char                  *pointer,
                                                   const char                  *side);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_timestamp_pointer (FerryRequest                *self,
                                                   const char                  *pointer);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_set_app_id            (FerryRequest                *self,
                                                   const char                  *app_id);
FERRY_AVAILABLE_IN_ALL
void          ferry_request_add_secret_header     (FerryRequest                *self,
                                                   const char                  *name);

G_END_DECLS
