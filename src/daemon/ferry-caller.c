/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-caller"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-caller.h"

/* Owners are stored and compared as text: keep them short and plain. */
#define MAX_LABEL_LENGTH 255
#define LABEL_CHARS G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "._-+"

G_DEFINE_BOXED_TYPE (FerryCaller, ferry_caller, ferry_caller_ref, ferry_caller_unref)

/**
 * ferry_caller_new:
 * @unique_name: the peer's unique bus name
 * @pid: its process id
 * @app_id: its identity
 * @sandboxed: whether it runs in a sandbox
 *
 * Returns: (transfer full): a caller record
 */
FerryCaller *
ferry_caller_new (const char *unique_name,
                  guint32     pid,
                  const char *app_id,
                  gboolean    sandboxed)
{
  FerryCaller *self;

  g_return_val_if_fail (app_id != NULL, NULL);

  self = g_new0 (FerryCaller, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->unique_name = g_strdup (unique_name);
  self->pid = pid;
  self->app_id = g_strdup (app_id);
  self->sandboxed = !!sandboxed;
  return self;
}

static char *
read_comm (const char *proc_dir)
{
  g_autofree char *path = g_build_filename (proc_dir, "comm", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  return ferry_app_label_from_executable (contents);
}

/**
 * ferry_caller_new_for_pid:
 * @unique_name: the peer's unique bus name
 * @pid: its process id, as the bus daemon reported it
 * @error: return location for an error
 *
 * Finds out who process @pid is.  A process whose root holds
 * `/.flatpak-info` is a Flatpak app, named by that file and sandboxed.  Any
 * other process is the name of its executable (or its `comm` when the
 * executable cannot be read).  When it cannot be told whether the process
 * is sandboxed, the answer is an error rather than a guess.
 *
 * Returns: (transfer full): the caller, or %NULL with @error set
 */
FerryCaller *
ferry_caller_new_for_pid (const char  *unique_name,
                          guint32      pid,
                          GError     **error)
{
  g_autofree char *proc_dir = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *info = NULL;
  g_autofree char *exe_path = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize info_len = 0;

  g_return_val_if_fail (pid > 0, NULL);

  proc_dir = g_strdup_printf ("/proc/%u", pid);
  if (!g_file_test (proc_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "caller: process %u is gone", pid);
      return NULL;
    }

  info_path = g_build_filename (proc_dir, "root", ".flatpak-info", NULL);
  if (g_file_get_contents (info_path, &info, &info_len, &local_error))
    {
      g_autofree char *app_id = NULL;

      if (!ferry_caller_parse_flatpak_info (info, info_len, &app_id, error))
        return NULL;
      return ferry_caller_new (unique_name, pid, app_id, TRUE);
    }
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
    {
      /* Treating an unreadable sandbox marker as "not sandboxed" would let a
       * confined app see everything. */
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "caller: cannot tell whether process %u is sandboxed: %s",
                   pid, local_error->message);
      return NULL;
    }

  exe_path = g_build_filename (proc_dir, "exe", NULL);
  exe = g_file_read_link (exe_path, NULL);
  if (exe != NULL)
    label = ferry_app_label_from_executable (exe);
  if (label == NULL)
    label = read_comm (proc_dir);
  if (label == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "caller: cannot find the executable of process %u", pid);
      return NULL;
    }
  return ferry_caller_new (unique_name, pid, label, FALSE);
}

FerryCaller *
ferry_caller_ref (FerryCaller *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ferry_caller_unref (FerryCaller *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->unique_name);
      g_free (self->app_id);
      g_free (self);
    }
}

/**
 * ferry_caller_parse_flatpak_info:
 * @keyfile_data: the contents of a `.flatpak-info` file
 * @len: its length in bytes
 * @out_app_id: (out) (transfer full): the application id
 * @error: return location for a %FERRY_ERROR_PERMISSION_DENIED
 *
 * Reads the `name` key of the `[Application]` group, which Flatpak writes
 * for every app it runs.  A file without it, or with a name that is not a
 * valid application id, identifies nobody.
 *
 * Returns: %TRUE when an application id was found
 */
gboolean
ferry_caller_parse_flatpak_info (const char  *keyfile_data,
                                 gsize        len,
                                 char       **out_app_id,
                                 GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (keyfile_data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_app_id != NULL, FALSE);

  if (!g_key_file_load_from_data (keyfile, keyfile_data != NULL ? keyfile_data : "", len,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "caller: unreadable .flatpak-info: %s", local_error->message);
      return FALSE;
    }
  name = g_key_file_get_string (keyfile, "Application", "name", &local_error);
  if (name == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "caller: .flatpak-info names no application: %s", local_error->message);
      return FALSE;
    }
  if (!g_application_id_is_valid (name))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "caller: .flatpak-info names an invalid application id");
      return FALSE;
    }
  *out_app_id = g_steal_pointer (&name);
  return TRUE;
}

/**
 * ferry_caller_is_owner:
 * @self: a caller
 * @owner: (nullable): a task's owner
 *
 * Returns: %TRUE when @self is the app that added a task owned by @owner
 *   (and so may see its credentials)
 */
gboolean
ferry_caller_is_owner (const FerryCaller *self,
                       const char        *owner)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return owner != NULL && g_str_equal (self->app_id, owner);
}

/**
 * ferry_caller_check_task_access:
 * @self: a caller
 * @task_id: the task's id, for the message
 * @task_owner: the task's owner
 * @error: return location for a %FERRY_ERROR_NOT_FOUND
 *
 * The ownership rule: an unsandboxed caller may see and act on every task;
 * a sandboxed one only on its own.  Another app's task is reported as not
 * found, so a sandboxed app cannot even learn that it exists.
 *
 * Returns: %TRUE when @self may read and act on the task
 */
gboolean
ferry_caller_check_task_access (const FerryCaller  *self,
                                const char         *task_id,
                                const char         *task_owner,
                                GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->sandboxed || ferry_caller_is_owner (self, task_owner))
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
               "id: no task “%s”", task_id != NULL ? task_id : "");
  return FALSE;
}

/**
 * ferry_caller_check_global_action:
 * @self: a caller
 * @action: the method's name, for the message
 * @error: return location for a %FERRY_ERROR_PERMISSION_DENIED
 *
 * Pausing and resuming act on every app's tasks, so a sandboxed app may not.
 *
 * Returns: %TRUE when @self may act on the whole queue
 */
gboolean
ferry_caller_check_global_action (const FerryCaller  *self,
                                  const char         *action,
                                  GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->sandboxed)
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
               "%s: a sandboxed app may not act on other apps' tasks", action);
  return FALSE;
}

/**
 * ferry_caller_dup_owner_for_enqueue:
 * @self: a caller
 * @requested_app_id: (nullable): the `app-id` the request carries
 * @error: return location for an error
 *
 * Decides who owns a new task.  An unsandboxed caller may name itself (with
 * a valid label); a sandboxed one is always its own app id, and asking for
 * any other is refused.
 *
 * Returns: (transfer full): the owner, or %NULL with @error set
 */
char *
ferry_caller_dup_owner_for_enqueue (const FerryCaller  *self,
                                    const char         *requested_app_id,
                                    GError            **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* Naming itself is no impersonation, whoever it is: a client library
   * may well always send its app's id. */
  if (requested_app_id == NULL || g_str_equal (requested_app_id, self->app_id))
    return g_strdup (self->app_id);
  if (self->sandboxed)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "app-id: a sandboxed app may not choose its owner name");
      return NULL;
    }
  if (!ferry_app_label_is_valid (requested_app_id))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "app-id: must be 1 to %d letters, digits, '.', '-', '_' or '+', "
                   "starting with a letter or digit", MAX_LABEL_LENGTH);
      return NULL;
    }
  return g_strdup (requested_app_id);
}

/**
 * ferry_caller_restrict_owner:
 * @self: a caller
 * @requested_owner: (nullable): the owner a filter asks for
 *
 * Returns: (nullable): the owner a list, count or retry must be limited
 *   to: the caller's own app id when it is sandboxed, else @requested_owner
 */
const char *
ferry_caller_restrict_owner (const FerryCaller *self,
                             const char        *requested_owner)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->sandboxed ? self->app_id : requested_owner;
}

/**
 * ferry_app_label_is_valid:
 * @label: (nullable): a proposed owner name
 *
 * Returns: %TRUE for 1 to 255 ASCII letters, digits, '.', '-', '_' or '+'
 *   starting with a letter or digit: every application id and the usual
 *   executable names
 */
gboolean
ferry_app_label_is_valid (const char *label)
{
  gsize len;

  if (label == NULL || !g_ascii_isalnum (label[0]))
    return FALSE;
  len = strlen (label);
  if (len > MAX_LABEL_LENGTH)
    return FALSE;
  return strspn (label, LABEL_CHARS) == len;
}

/**
 * ferry_app_label_from_executable:
 * @path: an executable's path (or bare name)
 *
 * Turns an executable into an owner name: its base name, without the
 * " (deleted)" the kernel appends to replaced files, other characters
 * replaced by '_'.
 *
 * Returns: (transfer full) (nullable): a valid label, or %NULL when nothing
 *   is left
 */
char *
ferry_app_label_from_executable (const char *path)
{
  static const char deleted[] = " (deleted)";
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, deleted))
    base[strlen (base) - strlen (deleted)] = '\0';
  g_strcanon (base, LABEL_CHARS, '_');
  if (strlen (base) > MAX_LABEL_LENGTH)
    base[MAX_LABEL_LENGTH] = '\0';
  if (!ferry_app_label_is_valid (base))
    return NULL;
  return g_steal_pointer (&base);
}
