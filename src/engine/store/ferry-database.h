/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define FERRY_TYPE_DATABASE (ferry_database_get_type ())

G_DECLARE_FINAL_TYPE (FerryDatabase, ferry_database, FERRY, DATABASE, GObject)

/**
 * FerryDatabasePartFlags:
 * @FERRY_DATABASE_PART_NONE: the part's version lives in the versions table
 *   only
 * @FERRY_DATABASE_PART_USER_VERSION: the part's version is `PRAGMA
 *   user_version` (mirrored in the versions table): the tasks' schema was
 *   versioned that way before the database had several parts
 */
typedef enum {
  FERRY_DATABASE_PART_NONE         = 0,
  FERRY_DATABASE_PART_USER_VERSION = 1 << 0,
} FerryDatabasePartFlags;

FerryDatabase *ferry_database_new          (const char              *path,
                                            GError                 **error);
const char    *ferry_database_get_path     (FerryDatabase           *self);
sqlite3       *ferry_database_get_handle   (FerryDatabase           *self);
void           ferry_database_release_memory (FerryDatabase         *self);
gboolean       ferry_database_migrate      (FerryDatabase           *self,
                                            const char              *part,
                                            const char * const      *steps,
                                            guint                    n_steps,
                                            FerryDatabasePartFlags   flags,
                                            GError                 **error);
gint64         ferry_database_get_part_version (FerryDatabase       *self,
                                            const char              *part,
                                            GError                 **error);
gboolean       ferry_database_exec         (FerryDatabase           *self,
                                            const char              *sql,
                                            const char              *what,
                                            GError                 **error);
gboolean       ferry_database_query_single (FerryDatabase           *self,
                                            const char              *sql,
                                            char                   **out_text,
                                            gint64                  *out_int,
                                            GError                 **error);
void           ferry_database_set_error    (sqlite3                 *db,
                                            int                      rc,
                                            const char              *what,
                                            GError                 **error);

G_END_DECLS
