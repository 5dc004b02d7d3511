/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-files"

#include "config.h"

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "ferry-agent-args.h"
#include "ferry-caller.h"
#include "ferry-download.h"
#include "ferry-error.h"

#include "ferry-agent-files-private.h"

/*
 * The files part of io.github.ferrysync.Ferry1 in ferryd: Download,
 * OpenFile, ListTransfers, PauseTransfer, ResumeTransfer,
 * GetStorageUsage, RemoveFiles, the signals
 * TransferProgress and StorageQuotaExceeded, and Enqueue with its body
 * in a file (body-fd, body-path).  It handles the service's handle-*
 * signals before the service's own handlers run (those of Enqueue only
 * when a file body is given), so the task methods stay where they are.
 */

G_DEFINE_FINAL_TYPE (FerryAgentFiles, ferry_agent_files, G_TYPE_OBJECT)

void
ferry_agent_files_call_free (FilesCall *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->invocation);
  g_clear_pointer (&call->caller, ferry_caller_unref);
  g_clear_pointer (&call->task, ferry_task_unref);
  g_free (call->app_id);
  g_free (call->spec.destination);
  g_free (call->spec.file_name);
  g_free (call->spec.expected_sha256);
  g_clear_object (&call->body);
  g_free (call->body_path);
  g_clear_pointer (&call->args, g_variant_unref);
  g_free (call);
}

void
ferry_agent_files_call_fail (FilesCall *call,
                             GError    *error)
{
  g_debug ("%s refused: %s", g_dbus_method_invocation_get_method_name (call->invocation),
           error->message);
  g_dbus_method_invocation_take_error (g_steal_pointer (&call->invocation), error);
  ferry_agent_files_call_free (call);
}

static gboolean
refuse (GDBusMethodInvocation *invocation,
        GError                *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  g_error_free (error);
  return TRUE;
}

/* Download ----------------------------------------------------------------- */

static gboolean
take_string (GVariant    *value,
             const char  *key,
             char       **out,
             GError     **error)
{
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: expected type s, got %s", key, g_variant_get_type_string (value));
      return FALSE;
    }
  *out = g_variant_dup_string (value, NULL);
  return TRUE;
}

static gboolean
take_spec_key (const char         *key,
               GVariant           *value,
               FerryDownloadSpec  *spec,
               GError            **error)
{
  if (g_str_equal (key, "destination"))
    return take_string (value, key, &spec->destination, error);
  if (g_str_equal (key, "sha256"))
    {
      if (!take_string (value, key, &spec->expected_sha256, error))
        return FALSE;
      if (!ferry_sha256_is_valid (spec->expected_sha256))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "sha256: not 64 hexadecimal digits");
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (key, "size"))
    {
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) || g_variant_get_int64 (value) < 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "size: expected a number of bytes (x), not negative");
          return FALSE;
        }
      spec->expected_size = g_variant_get_int64 (value);
      return TRUE;
    }
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "pinned: expected type b, got %s", g_variant_get_type_string (value));
      return FALSE;
    }
  spec->pinned = g_variant_get_boolean (value);
  return TRUE;
}

/**
 * ferry_agent_files_split_download:
 * @request: a Download request
 * @out_spec: (out caller-allocates): its download keys
 * @error: the key that was wrong, and how
 *
 * Returns: (transfer full) (nullable): the rest, as an Enqueue request of
 *   a GET, for ferry_agent_args_parse_request()
 */
GVariant *
ferry_agent_files_split_download (GVariant           *request,
                                  FerryDownloadSpec  *out_spec,
                                  GError            **error)
{
  g_auto(GVariantBuilder) rest = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  memset (out_spec, 0, sizeof *out_spec);
  out_spec->expected_size = -1;
  g_variant_builder_add (&rest, "{sv}", "method", g_variant_new_string ("GET"));
  g_variant_iter_init (&iter, request);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      if (g_str_equal (key, "destination") || g_str_equal (key, "sha256") ||
          g_str_equal (key, "size") || g_str_equal (key, "pinned"))
        {
          if (!take_spec_key (key, value, out_spec, error))
            return NULL;
          continue;
        }
      if (g_str_equal (key, "method") || g_str_equal (key, "body") ||
          g_str_equal (key, "unique") || g_str_equal (key, "body-fd") ||
          g_str_equal (key, "body-path"))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: not a key of Download", key);
          return NULL;
        }
      g_variant_builder_add (&rest, "{sv}", key, value);
    }
  return g_variant_ref_sink (g_variant_builder_end (&rest));
}

static gboolean
check_destination (FilesCall  *call,
                   GError    **error)
{
  g_autofree char *dir = NULL;

  if (call->spec.destination == NULL)
    return TRUE;
  if (call->caller->sandboxed)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "destination: a sandboxed app's downloads go in Ferry's storage");
      return FALSE;
    }
  if (!g_path_is_absolute (call->spec.destination))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "destination: not an absolute path");
      return FALSE;
    }
  dir = g_path_get_dirname (call->spec.destination);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR) && g_access (dir, W_OK) != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                   "destination: the directory %s is not writable", dir);
      return FALSE;
    }
  return TRUE;
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FilesCall *call = user_data;
  g_autoptr(FerryTask) task = NULL;
  GError *error = NULL;

  if (call->kind == FILES_DOWNLOAD)
    task = ferry_transfers_download_finish (FERRY_TRANSFERS (object), result, &error);
  else
    task = ferry_transfers_upload_finish (FERRY_TRANSFERS (object), result, &error);
  if (task == NULL)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  if (call->kind == FILES_DOWNLOAD)
    ferry_dbus_agent_complete_download (FERRY_DBUS_AGENT (call->self->service),
                                        g_steal_pointer (&call->invocation), task->id);
  else
    ferry_dbus_agent_complete_enqueue (FERRY_DBUS_AGENT (call->self->service),
                                       g_steal_pointer (&call->invocation), task->id);
  ferry_agent_files_call_free (call);
}

static void
run_add (FilesCall *call)
{
  GError *error = NULL;

  g_free (call->task->owner);
  call->task->owner = ferry_caller_dup_owner_for_enqueue (call->caller, call->app_id, &error);
  if (call->task->owner == NULL)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  if (call->kind == FILES_DOWNLOAD)
    {
      if (!check_destination (call, &error))
        {
          ferry_agent_files_call_fail (call, error);
          return;
        }
      ferry_transfers_download_async (call->self->transfers, call->task, &call->spec,
                                      NULL, added_cb, call);
      return;
    }
  if (call->body_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (call->body_path);
      int fd;

      if (call->caller->sandboxed)
        {
          ferry_agent_files_call_fail (call, g_error_new (FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                                              "body-path: a sandboxed app passes body-fd"));
          return;
        }
      fd = g_open (call->body_path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (fd < 0 || ferry_agent_files_check_body_fd (fd, &error) < 0)
        {
          if (fd >= 0)
            close (fd);
          else
            error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                                 "body-path: cannot open %s", call->body_path);
          ferry_agent_files_call_fail (call, error);
          return;
        }
      call->body = g_unix_input_stream_new (fd, TRUE);
    }
  ferry_transfers_upload_async (call->self->transfers, call->task, call->body, NULL,
                                added_cb, call);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FilesCall *call = user_data;
  GError *error = NULL;

  call->caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  if (call->caller == NULL)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  if (call->self->transfers == NULL)
    {
      ferry_agent_files_call_fail (call, g_error_new (FERRY_ERROR, FERRY_ERROR_FAILED,
                                          "the agent is still starting"));
      return;
    }
  switch (call->kind)
    {
    case FILES_DOWNLOAD:
    case FILES_UPLOAD:
      run_add (call);
      break;
    case FILES_OPEN:
      ferry_agent_files_run_open (call);
      break;
    case FILES_LIST:
      ferry_agent_files_run_list (call);
      break;
    case FILES_USAGE:
      ferry_agent_files_run_usage (call);
      break;
    case FILES_PAUSE:
    case FILES_RESUME:
      ferry_agent_files_run_pause (call);
      break;
    case FILES_REMOVE:
    default:
      ferry_agent_files_run_remove (call);
      break;
    }
}

static gboolean
start (FerryAgentFiles       *self,
       GDBusMethodInvocation *invocation,
       FilesKind              kind,
       FilesCall             *call)
{
  if (call == NULL)
    call = g_new0 (FilesCall, 1);
  call->self = g_object_ref (self);
  /* The handler's reference: whatever answers the call consumes it. */
  call->invocation = invocation;
  call->kind = kind;
  ferry_caller_cache_lookup_async (self->callers, g_dbus_method_invocation_get_sender (invocation),
                                   self->cancellable, lookup_cb, call);
  return TRUE;
}

/* Method handlers: checked here, run once the caller is known. */

/**
 * ferry_agent_files_check_body_fd:
 * @fd: a file descriptor
 * @error: what is wrong with it
 *
 * Returns: @fd when it is a regular file open for reading, else -1
 */
int
ferry_agent_files_check_body_fd (int      fd,
                                 GError **error)
{
  struct stat st;
  int flags = fcntl (fd, F_GETFL);

  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body-fd: not a regular file");
      return -1;
    }
  if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body-fd: not open for reading");
      return -1;
    }
  return fd;
}

static gboolean
on_handle_download (FerryDBusAgent        *agent,
                    GDBusMethodInvocation *invocation,
                    GVariant              *request,
                    FerryAgentFiles       *self)
{
  g_autoptr(GVariant) rest = NULL;
  FilesCall *call = g_new0 (FilesCall, 1);
  GError *error = NULL;

  rest = ferry_agent_files_split_download (request, &call->spec, &error);
  if (rest != NULL)
    call->task = ferry_agent_args_parse_request (rest, &call->app_id, &error);
  if (call->task == NULL)
    {
      ferry_agent_files_call_free (call);
      return refuse (invocation, error);
    }
  return start (self, invocation, FILES_DOWNLOAD, call);
}

/* The body-fd's stream: the descriptor is duplicated from the message. */
static GInputStream *
take_body_fd (GDBusMethodInvocation *invocation,
              GVariant              *value,
              GError               **error)
{
  GUnixFDList *fds = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  int fd;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_HANDLE))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body-fd: expected type h, got %s", g_variant_get_type_string (value));
      return NULL;
    }
  if (fds == NULL || g_variant_get_handle (value) < 0 ||
      g_variant_get_handle (value) >= g_unix_fd_list_get_length (fds))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "body-fd: no such file descriptor in the message");
      return NULL;
    }
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (value), NULL);
  if (ferry_agent_files_check_body_fd (fd, error) < 0)
    {
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  return g_unix_input_stream_new (fd, TRUE);
}

static gboolean
on_handle_enqueue (FerryDBusAgent        *agent,
                   GDBusMethodInvocation *invocation,
                   GVariant              *request,
                   FerryAgentFiles       *self)
{
  g_auto(GVariantBuilder) rest = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GVariant) fd_value = g_variant_lookup_value (request, "body-fd", NULL);
  g_autoptr(GVariant) path_value = g_variant_lookup_value (request, "body-path", NULL);
  g_autoptr(GVariant) body_value = g_variant_lookup_value (request, "body", NULL);
  FilesCall *call;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  GError *error = NULL;

  if (fd_value == NULL && path_value == NULL)
    return FALSE;   /* an ordinary Enqueue */
  call = g_new0 (FilesCall, 1);
  g_variant_iter_init (&iter, request);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "body-fd") && !g_str_equal (key, "body-path"))
        g_variant_builder_add (&rest, "{sv}", key, value);
      g_variant_unref (value);
    }
  if (body_value != NULL || (fd_value != NULL && path_value != NULL))
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                         "body-fd: only one of body, body-fd and body-path");
  else if (path_value != NULL && (!g_variant_is_of_type (path_value, G_VARIANT_TYPE_STRING) ||
                                  !g_path_is_absolute (g_variant_get_string (path_value, NULL))))
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                         "body-path: expected an absolute path (s)");
  else if (fd_value != NULL)
    call->body = take_body_fd (invocation, fd_value, &error);
  else
    call->body_path = g_variant_dup_string (path_value, NULL);
  if (error == NULL)
    {
      g_autoptr(GVariant) others = g_variant_ref_sink (g_variant_builder_end (&rest));

      call->task = ferry_agent_args_parse_request (others, &call->app_id, &error);
    }
  if (call->task == NULL)
    {
      ferry_agent_files_call_free (call);
      return refuse (invocation, error);
    }
  return start (self, invocation, FILES_UPLOAD, call);
}

static gboolean
start_with_id (FerryAgentFiles       *self,
               GDBusMethodInvocation *invocation,
               FilesKind              kind,
               const char            *id)
{
  FilesCall *call;
  GError *error = NULL;

  if (!ferry_agent_args_check_id (id, &error))
    return refuse (invocation, error);
  call = g_new0 (FilesCall, 1);
  call->args = g_variant_ref_sink (g_variant_new_string (id));
  return start (self, invocation, kind, call);
}

static gboolean
on_handle_open_file (FerryDBusAgent        *agent,
                     GDBusMethodInvocation *invocation,
                     GUnixFDList           *fds,
                     const char            *id,
                     FerryAgentFiles       *self)
{
  return start_with_id (self, invocation, FILES_OPEN, id);
}

static gboolean
on_handle_pause_transfer (FerryDBusAgent        *agent,
                          GDBusMethodInvocation *invocation,
                          const char            *id,
                          FerryAgentFiles       *self)
{
  return start_with_id (self, invocation, FILES_PAUSE, id);
}

static gboolean
on_handle_resume_transfer (FerryDBusAgent        *agent,
                           GDBusMethodInvocation *invocation,
                           const char            *id,
                           FerryAgentFiles       *self)
{
  return start_with_id (self, invocation, FILES_RESUME, id);
}

static gboolean
check_filter (GVariant  *filter,
              GError   **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, filter);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;
      const char *type = g_str_equal (key, "ids") ? "as" : "s";

      if (!g_str_equal (key, "owner") && !g_str_equal (key, "ids"))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "%s: unknown key", key);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                       "%s: expected type %s, got %s", key, type,
                       g_variant_get_type_string (value));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
on_handle_filtered (FerryAgentFiles       *self,
                    GDBusMethodInvocation *invocation,
                    GVariant              *filter,
                    FilesKind              kind)
{
  FilesCall *call;
  GError *error = NULL;

  if (!check_filter (filter, &error))
    return refuse (invocation, error);
  call = g_new0 (FilesCall, 1);
  call->args = g_variant_ref (filter);
  return start (self, invocation, kind, call);
}

static gboolean
on_handle_list_transfers (FerryDBusAgent        *agent,
                          GDBusMethodInvocation *invocation,
                          GVariant              *filter,
                          FerryAgentFiles       *self)
{
  return on_handle_filtered (self, invocation, filter, FILES_LIST);
}

static gboolean
on_handle_remove_files (FerryDBusAgent        *agent,
                        GDBusMethodInvocation *invocation,
                        GVariant              *what,
                        FerryAgentFiles       *self)
{
  return on_handle_filtered (self, invocation, what, FILES_REMOVE);
}

static gboolean
on_handle_get_storage_usage (FerryDBusAgent        *agent,
                             GDBusMethodInvocation *invocation,
                             FerryAgentFiles       *self)
{
  return start (self, invocation, FILES_USAGE, NULL);
}

static void
on_transfer_progress (FerryTransfers  *transfers,
                      const char      *id,
                      const char      *owner,
                      const char      *kind,
                      gint64           done,
                      gint64           total,
                      guint64          rate,
                      FerryAgentFiles *self)
{
  ferry_agent_service_emit_about (self->service, owner, "TransferProgress",
                                  g_variant_new ("(sssxxt)", id, owner, kind, done, total,
                                                 rate));
}

static void
on_storage_quota_exceeded (FerryTransfers  *transfers,
                           const char      *owner,
                           guint64          used,
                           guint64          quota,
                           guint64          needed,
                           FerryAgentFiles *self)
{
  ferry_agent_service_emit_about (self->service, owner, "StorageQuotaExceeded",
                                  g_variant_new ("(sttt)", owner, used, quota, needed));
}

static void
ferry_agent_files_dispose (GObject *object)
{
  FerryAgentFiles *self = FERRY_AGENT_FILES (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_clear_signal_handler (&self->handlers[i], self->service);
  if (self->transfers != NULL)
    {
      g_clear_signal_handler (&self->progress_id, self->transfers);
      g_clear_signal_handler (&self->quota_id, self->transfers);
    }
  g_clear_object (&self->transfers);
  g_clear_object (&self->service);
  g_clear_object (&self->callers);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_agent_files_parent_class)->dispose (object);
}

static void
ferry_agent_files_class_init (FerryAgentFilesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ferry_agent_files_dispose;
}

static void
ferry_agent_files_init (FerryAgentFiles *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * ferry_agent_files_new:
 * @service: the exported service
 * @callers: who calls
 *
 * Answers the files methods of @service (failing them until
 * ferry_agent_files_attach()).
 *
 * Returns: (transfer full): the handler
 */
FerryAgentFiles *
ferry_agent_files_new (FerryAgentService *service,
                       FerryCallerCache  *callers)
{
  FerryAgentFiles *self = g_object_new (FERRY_TYPE_AGENT_FILES, NULL);

  self->service = g_object_ref (service);
  self->callers = g_object_ref (callers);
  self->handlers[0] = g_signal_connect (service, "handle-download",
                                        G_CALLBACK (on_handle_download), self);
  self->handlers[1] = g_signal_connect (service, "handle-enqueue",
                                        G_CALLBACK (on_handle_enqueue), self);
  self->handlers[2] = g_signal_connect (service, "handle-open-file",
                                        G_CALLBACK (on_handle_open_file), self);
  self->handlers[3] = g_signal_connect (service, "handle-list-transfers",
                                        G_CALLBACK (on_handle_list_transfers), self);
  self->handlers[4] = g_signal_connect (service, "handle-get-storage-usage",
                                        G_CALLBACK (on_handle_get_storage_usage), self);
  self->handlers[5] = g_signal_connect (service, "handle-remove-files",
                                        G_CALLBACK (on_handle_remove_files), self);
  self->handlers[6] = g_signal_connect (service, "handle-pause-transfer",
                                        G_CALLBACK (on_handle_pause_transfer), self);
  self->handlers[7] = g_signal_connect (service, "handle-resume-transfer",
                                        G_CALLBACK (on_handle_resume_transfer), self);
  return self;
}

/* Starts serving the files methods from @transfers. */
void
ferry_agent_files_attach (FerryAgentFiles *self,
                          FerryTransfers  *transfers)
{
  g_return_if_fail (FERRY_IS_AGENT_FILES (self));
  g_return_if_fail (self->transfers == NULL);

  self->transfers = g_object_ref (transfers);
  self->progress_id = g_signal_connect (transfers, "transfer-progress",
                                        G_CALLBACK (on_transfer_progress), self);
  self->quota_id = g_signal_connect (transfers, "storage-quota-exceeded",
                                     G_CALLBACK (on_storage_quota_exceeded), self);
}

static void
on_quotas_changed (GSettings      *settings,
                   const char     *key,
                   FerryTransfers *transfers)
{
  g_autoptr(GVariant) quotas = g_settings_get_value (settings, "storage-quotas");

  ferry_transfers_set_quotas (transfers, quotas);
}

/* Applies the storage settings to @transfers, live.  For tests,
 * FERRY_TEST_STORAGE_QUOTA and FERRY_TEST_MIN_FREE (bytes) override them
 * (the latter keeps that much free whatever the disk's size). */
void
ferry_agent_files_bind_settings (GSettings      *settings,
                                 FerryTransfers *transfers)
{
  const char *quota = g_getenv ("FERRY_TEST_STORAGE_QUOTA");
  const char *min_free = g_getenv ("FERRY_TEST_MIN_FREE");
  guint64 value;

  if (settings != NULL)
    {
      g_settings_bind (settings, "storage-quota", transfers, "default-quota", G_SETTINGS_BIND_GET);
      g_settings_bind (settings, "storage-min-free", transfers, "min-free", G_SETTINGS_BIND_GET);
      g_settings_bind (settings, "storage-min-free-percent", transfers, "min-free-percent",
                       G_SETTINGS_BIND_GET);
      g_signal_connect_object (settings, "changed::storage-quotas",
                               G_CALLBACK (on_quotas_changed), transfers, 0);
      on_quotas_changed (settings, "storage-quotas", transfers);
    }
  if (quota != NULL && g_ascii_string_to_unsigned (quota, 10, 0, G_MAXUINT64, &value, NULL))
    {
      if (settings != NULL)
        g_settings_unbind (transfers, "default-quota");
      g_object_set (transfers, "default-quota", value, NULL);
    }
  if (min_free != NULL && g_ascii_string_to_unsigned (min_free, 10, 0, G_MAXUINT64, &value, NULL))
    {
      if (settings != NULL)
        {
          g_settings_unbind (transfers, "min-free");
          g_settings_unbind (transfers, "min-free-percent");
        }
      g_object_set (transfers, "min-free", value, "min-free-percent", 100, NULL);
    }
}
