/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ferry-task.h"

G_BEGIN_DECLS

/**
 * FerrySettleKind:
 * @FERRY_SETTLE_LOCAL: the local side wins: it goes to the server again,
 *   over the server's copy
 * @FERRY_SETTLE_REMOTE: the server's copy wins: the local change is dropped
 * @FERRY_SETTLE_MERGED: both sides' changes were combined: the merged
 *   document goes to the server
 * @FERRY_SETTLE_ASK: a person (or the app, through Resolve) must decide
 * @FERRY_SETTLE_CUSTOM: the owning app's resolver decides
 *
 * What a conflict strategy makes of one conflict.
 */
typedef enum {
  FERRY_SETTLE_LOCAL,
  FERRY_SETTLE_REMOTE,
  FERRY_SETTLE_MERGED,
  FERRY_SETTLE_ASK,
  FERRY_SETTLE_CUSTOM,
} FerrySettleKind;

/**
 * FerryConflictSides:
 * @strategy: how to settle
 * @base: (nullable): the version both sides last agreed on
 * @local: (nullable): the local change; ignored when @local_deleted
 * @local_deleted: the local change is a deletion
 * @remote: (nullable): the server's copy; ignored when @remote_deleted
 * @remote_deleted: the server's copy was deleted there
 * @merge_rules: (nullable): flat pairs of JSON pointer and "local" or
 *   "remote" for the merge strategy
 * @timestamp_pointer: (nullable): where last-modified-wins finds the time
 *   (default /updated_at)
 *
 * One conflict, as the outbox (a task answered 409 or 412) and collections
 * (a document changed on both sides) both see it.
 */
typedef struct
{
  FerryConflictStrategy  strategy;
  GBytes                *base;
  GBytes                *local;
  gboolean               local_deleted;
  GBytes                *remote;
  gboolean               remote_deleted;
  const char * const    *merge_rules;
  const char            *timestamp_pointer;
} FerryConflictSides;

/**
 * FerrySettlement:
 * @kind: the decision
 * @merged: (nullable): the merged document, for %FERRY_SETTLE_MERGED
 * @message: (nullable): what to record about it: why a decision is
 *   needed, or how it was settled
 *
 * The decision of ferry_conflict_settle().
 */
typedef struct
{
  FerrySettleKind  kind;
  GBytes          *merged;
  char            *message;
} FerrySettlement;

void             ferry_settlement_free     (FerrySettlement          *settlement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrySettlement, ferry_settlement_free)

FerrySettlement *ferry_conflict_settle     (const FerryConflictSides *sides);
gint64           ferry_conflict_parse_time (const char               *text);

G_END_DECLS
