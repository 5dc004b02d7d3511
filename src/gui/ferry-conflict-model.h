/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * FerryConflictSide:
 * @FERRY_CONFLICT_SIDE_BASE: the document the app edited from
 * @FERRY_CONFLICT_SIDE_MINE: the local change
 * @FERRY_CONFLICT_SIDE_SERVER: the server's current copy
 *
 * One of the three documents of a conflict.  Only mine and the server's
 * can be chosen.
 */
typedef enum
{
  FERRY_CONFLICT_SIDE_BASE,
  FERRY_CONFLICT_SIDE_MINE,
  FERRY_CONFLICT_SIDE_SERVER,
} FerryConflictSide;

/**
 * FerryConflictChange:
 * @FERRY_CONFLICT_CHANGE_NONE: mine and the server's are equal
 * @FERRY_CONFLICT_CHANGE_MINE: only mine moved away from the base
 * @FERRY_CONFLICT_CHANGE_SERVER: only the server's moved away from the base
 * @FERRY_CONFLICT_CHANGE_BOTH: both moved, to different values (or they
 *   differ and there is no base to tell which one moved)
 *
 * How a member differs between the sides; a flag per side that changed.
 */
typedef enum
{
  FERRY_CONFLICT_CHANGE_NONE = 0,
  FERRY_CONFLICT_CHANGE_MINE = 1 << 0,
  FERRY_CONFLICT_CHANGE_SERVER = 1 << 1,
  FERRY_CONFLICT_CHANGE_BOTH = FERRY_CONFLICT_CHANGE_MINE | FERRY_CONFLICT_CHANGE_SERVER,
} FerryConflictChange;

typedef struct _FerryConflictModel FerryConflictModel;

FerryConflictModel  *ferry_conflict_model_new          (GBytes              *base,
                                                        GBytes              *mine,
                                                        GBytes              *server,
                                                        GError             **error);
void                 ferry_conflict_model_free         (FerryConflictModel  *self);

gboolean             ferry_conflict_model_get_has_base (FerryConflictModel  *self);
guint                ferry_conflict_model_get_n_members (FerryConflictModel *self);
int                  ferry_conflict_model_find         (FerryConflictModel  *self,
                                                        const char          *name);
const char          *ferry_conflict_model_get_name     (FerryConflictModel  *self,
                                                        guint                index);
JsonNode            *ferry_conflict_model_get_value    (FerryConflictModel  *self,
                                                        guint                index,
                                                        FerryConflictSide    side);
char                *ferry_conflict_model_dup_text     (FerryConflictModel  *self,
                                                        guint                index,
                                                        FerryConflictSide    side);
FerryConflictChange  ferry_conflict_model_get_change   (FerryConflictModel  *self,
                                                        guint                index);
FerryConflictSide    ferry_conflict_model_get_choice   (FerryConflictModel  *self,
                                                        guint                index);
void                 ferry_conflict_model_set_choice   (FerryConflictModel  *self,
                                                        guint                index,
                                                        FerryConflictSide    side);
JsonNode            *ferry_conflict_model_dup_result   (FerryConflictModel  *self);
char                *ferry_conflict_model_dup_document (FerryConflictModel  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryConflictModel, ferry_conflict_model_free)

G_END_DECLS
