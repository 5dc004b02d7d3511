/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FerryCaller:
 * @unique_name: the caller's unique bus name
 * @pid: its process id
 * @app_id: who it is: a Flatpak application id, or the name of its
 *   executable
 * @sandboxed: %TRUE for a Flatpak app: it may only see and touch its own
 *   tasks and may not name another owner
 *
 * The identity of a D-Bus peer, found from its connection, never from what
 * it says about itself.  A plain reference-counted record.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  char     *unique_name;
  guint32   pid;
  char     *app_id;
  gboolean  sandboxed;
} FerryCaller;

#define FERRY_TYPE_CALLER (ferry_caller_get_type ())

GType        ferry_caller_get_type             (void) G_GNUC_CONST;
FerryCaller *ferry_caller_new                  (const char         *unique_name,
                                                guint32             pid,
                                                const char         *app_id,
                                                gboolean            sandboxed);
FerryCaller *ferry_caller_new_for_pid          (const char         *unique_name,
                                                guint32             pid,
                                                GError            **error);
FerryCaller *ferry_caller_ref                  (FerryCaller        *self);
void         ferry_caller_unref                (FerryCaller        *self);

gboolean     ferry_caller_parse_flatpak_info   (const char         *keyfile_data,
                                                gsize               len,
                                                char              **out_app_id,
                                                GError            **error);
gboolean     ferry_caller_is_owner             (const FerryCaller  *self,
                                                const char         *owner);
gboolean     ferry_caller_check_task_access    (const FerryCaller  *self,
                                                const char         *task_id,
                                                const char         *task_owner,
                                                GError            **error);
gboolean     ferry_caller_check_global_action  (const FerryCaller  *self,
                                                const char         *action,
                                                GError            **error);
char        *ferry_caller_dup_owner_for_enqueue (const FerryCaller *self,
                                                 const char        *requested_app_id,
                                                 GError           **error);
const char  *ferry_caller_restrict_owner       (const FerryCaller  *self,
                                                const char         *requested_owner);

gboolean     ferry_app_label_is_valid          (const char         *label);
char        *ferry_app_label_from_executable   (const char         *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCaller, ferry_caller_unref)

G_END_DECLS
