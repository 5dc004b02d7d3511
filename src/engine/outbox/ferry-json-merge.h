/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FerryMergeResult:
 * @merged: (nullable): the merged document, compact JSON; when there are
 *   conflicts the members in conflict hold the local value
 * @conflicts: JSON pointers (RFC 6901) of the members changed differently
 *   on both sides and not settled by a rule; empty when the merge is clean
 *
 * What a three-way merge produced.
 */
typedef struct
{
  GBytes    *merged;
  GPtrArray *conflicts;
} FerryMergeResult;

void              ferry_merge_result_free (FerryMergeResult    *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryMergeResult, ferry_merge_result_free)

FerryMergeResult *ferry_json_merge        (GBytes              *base,
                                           GBytes              *local,
                                           GBytes              *remote,
                                           const char * const  *rules,
                                           GError             **error);
char             *ferry_json_pointer_escape (const char        *key);
gboolean          ferry_json_get_pointer  (GBytes              *document,
                                           const char          *pointer,
                                           char               **out_value,
                                           GError             **error);

G_END_DECLS
