/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

/*
 * FerryTaskFields: the typed fields of one task dictionary (the `a{sv}`
 * that `Get` and `List` return), read with no judgement: keys this library
 * does not know are ignored, values of an unexpected type count as absent,
 * and absent fields keep their defaults (empty, medium priority, unknown
 * state, the ask strategy, an unknown server copy).  FerryTaskInfo keeps
 * one and compares it with the next to notify what changed.
 */
typedef struct
{
  /* owned */
  char   *id;
  char   *owner;
  char   *name;
  char   *group;
  char   *method;
  char   *url;
  char  **headers;            /* flat name/value pairs */
  char  **hidden_headers;
  char  **secret_headers;
  char   *content_type;
  GBytes *body;
  char   *idempotency_key;
  char   *if_match;
  char   *conflict_url;
  char   *last_error;
  char  **response_headers;   /* flat name/value pairs */
  GBytes *response_body;
  GBytes *base;
  char  **merge_rules;        /* flat pointer/rule pairs */
  char   *timestamp_pointer;

  /* values */
  guint64                     body_size;
  FerryClientPriority         priority;
  FerryClientTaskState        state;
  FerryClientConflictStrategy conflict_strategy;
  guint                       attempts;
  guint                       max_attempts;
  gint64                      next_attempt;
  gint64                      failing_since;
  gint64                      created;
  gint64                      updated;
  gint64                      not_before;
  gint64                      expires;
  guint                       last_status;
  guint                       response_status;
  FerryClientServerCopy       server_copy;
  gboolean                    unmetered_only;
} FerryTaskFields;

void ferry_task_fields_init  (FerryTaskFields *fields);
void ferry_task_fields_read  (FerryTaskFields *fields,
                              GVariant        *task);
void ferry_task_fields_clear (FerryTaskFields *fields);

G_END_DECLS
