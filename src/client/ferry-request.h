/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REQUEST (ferry_request_get_type ())

G_DECLARE_FINAL_TYPE (FerryRequest, ferry_request, FERRY, REQUEST, GObject)

FerryRequest *ferry_request_new                   (const char                  *method,
                                                   const char                  *url);

const char   *ferry_request_get_method            (FerryRequest                *self);
const char   *ferry_request_get_url               (FerryRequest                *self);

void          ferry_request_add_header            (FerryRequest                *self,
                                                   const char                  *name,
                                                   const char                  *value);
void          ferry_request_set_body              (FerryRequest                *self,
                                                   GBytes                      *body,
                                                   const char                  *content_type);
void          ferry_request_set_body_text         (FerryRequest                *self,
                                                   const char                  *text,
                                                   const char                  *content_type);
void          ferry_request_set_priority          (FerryRequest                *self,
                                                   FerryClientPriority          priority);
void          ferry_request_set_name              (FerryRequest                *self,
                                                   const char                  *name);
void          ferry_request_set_unique            (FerryRequest                *self,
                                                   FerryClientUniquePolicy      policy);
void          ferry_request_set_group             (FerryRequest                *self,
                                                   const char                  *group);
void          ferry_request_set_idempotency_key   (FerryRequest                *self,
                                                   const char                  *key);
void          ferry_request_set_if_match          (FerryRequest                *self,
                                                   const char                  *etag);
void          ferry_request_set_max_attempts      (FerryRequest                *self,
                                                   guint                        max_attempts);
void          ferry_request_set_not_before        (FerryRequest                *self,
                                                   gint64                       not_before);
void          ferry_request_set_expires           (FerryRequest                *self,
                                                   gint64                       expires);
void          ferry_request_set_unmetered_only    (FerryRequest                *self,
                                                   gboolean                     unmetered_only);
void          ferry_request_set_conflict_strategy (FerryRequest                *self,
                                                   FerryClientConflictStrategy  strategy);
void          ferry_request_set_conflict_url      (FerryRequest                *self,
                                                   const char                  *url);
void          ferry_request_set_base              (FerryRequest                *self,
                                                   GBytes                      *base);
void          ferry_request_add_merge_rule        (FerryRequest                *self,
                                                   const char                  *pointer,
                                                   const char                  *side);
void          ferry_request_set_timestamp_pointer (FerryRequest                *self,
                                                   const char                  *pointer);
void          ferry_request_set_app_id            (FerryRequest                *self,
                                                   const char                  *app_id);
void          ferry_request_add_secret_header     (FerryRequest                *self,
                                                   const char                  *name);

GVariant     *ferry_request_to_variant            (FerryRequest                *self);

G_END_DECLS
