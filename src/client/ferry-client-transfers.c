/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-client-transfers"

#include "config.h"

#include <gio/gfiledescriptorbased.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>

#include "ferry-download-request-private.h"
#include "ferry-request-private.h"
#include "ferry-transfer-info-private.h"
#include "ferry-client-private.h"
#include "ferry-client-transfers.h"
#include "ferry-client-transfers-private.h"

/*
 * The files calls of FerryClient: downloads, uploads from a file, opening
 * a downloaded file, listing transfers, storage use and clean-up.  Each an
 * _async/_finish pair over ferry_client_call_agent(), which starts the
 * agent first when the client may.
 */

static void
id_reply_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  char *id = NULL;
  GError *error = NULL;

  reply = g_dbus_proxy_call_with_unix_fd_list_finish (G_DBUS_PROXY (object), NULL, result,
                                                      &error);
  if (reply == NULL)
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  g_variant_get (reply, "(s)", &id);
  g_task_return_pointer (task, id, g_free);
}

static void
call_download (FerryClient *self,
               GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  g_dbus_proxy_call_with_unix_fd_list (G_DBUS_PROXY (self->proxy), "Download",
                                       g_variant_new ("(@a{sv})", data->args),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       g_task_get_cancellable (task), id_reply_cb, task);
}

static void
call_upload (FerryClient *self,
             GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  g_dbus_proxy_call_with_unix_fd_list (G_DBUS_PROXY (self->proxy), "Enqueue",
                                       g_variant_new ("(@a{sv})", data->args),
                                       G_DBUS_CALL_FLAGS_NONE, -1,
                                       g_object_get_data (G_OBJECT (task), "ferry-fds"),
                                       g_task_get_cancellable (task), id_reply_cb, task);
}

static void
open_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  GError *error = NULL;
  int fd;

  if (!ferry_dbus_agent_call_open_file_finish (FERRY_DBUS_AGENT (object), &handle, &fds,
                                               result, &error))
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  fd = fds != NULL ? g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error) : -1;
  if (fd < 0)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "the agent sent no file");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_unix_input_stream_new (fd, TRUE), g_object_unref);
}

static void
call_open_file (FerryClient *self,
                GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_open_file (self->proxy, data->id, NULL, g_task_get_cancellable (task),
                                   open_file_cb, task);
}

static void
list_transfers_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) transfers = NULL;
  GPtrArray *infos;
  GVariantIter iter;
  GVariant *dict;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_list_transfers_finish (FERRY_DBUS_AGENT (object), &transfers,
                                                    result, &error))
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  infos = g_ptr_array_new_with_free_func (g_object_unref);
  g_variant_iter_init (&iter, transfers);
  while ((dict = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_ptr_array_add (infos, ferry_transfer_info_new_from_variant (dict));
      g_variant_unref (dict);
    }
  g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
}

static void
call_list_transfers (FerryClient *self,
                     GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  ferry_dbus_agent_call_list_transfers (self->proxy, data->args, g_task_get_cancellable (task),
                                        list_transfers_cb, task);
}

static void
usage_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) usage = NULL;
  GPtrArray *entries;
  GVariantIter iter;
  const char *owner;
  guint64 bytes, files, quota;
  GError *error = NULL;

  if (!ferry_dbus_agent_call_get_storage_usage_finish (FERRY_DBUS_AGENT (object), &usage,
                                                       result, &error))
    {
      ferry_client_return_dbus_error (task, error);
      return;
    }
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_variant_iter_init (&iter, usage);
  while (g_variant_iter_next (&iter, "(&sttt)", &owner, &bytes, &files, &quota))
    g_ptr_array_add (entries, ferry_storage_usage_new (owner, bytes, files, quota));
  g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
call_get_storage_usage (FerryClient *self,
                        GTask       *task)
{
  ferry_dbus_agent_call_get_storage_usage (self->proxy, g_task_get_cancellable (task), usage_cb,
                                           task);
}

static void
call_pause_transfer (FerryClient *self,
                     GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_pause_transfer_finish;
  ferry_dbus_agent_call_pause_transfer (self->proxy, data->id, g_task_get_cancellable (task),
                                        ferry_client_boolean_reply_cb, task);
}

static void
call_resume_transfer (FerryClient *self,
                      GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish = ferry_dbus_agent_call_resume_transfer_finish;
  ferry_dbus_agent_call_resume_transfer (self->proxy, data->id, g_task_get_cancellable (task),
                                         ferry_client_boolean_reply_cb, task);
}

static void
call_remove_files (FerryClient *self,
                   GTask       *task)
{
  FerryClientCall *data = g_task_get_task_data (task);

  data->finish_count = ferry_dbus_agent_call_remove_files_finish;
  ferry_dbus_agent_call_remove_files (self->proxy, data->args, g_task_get_cancellable (task),
                                      ferry_client_count_reply_cb, task);
}

static void
start_call (FerryClient         *self,
            FerryClientCallFunc  func,
            const char          *id,
            GVariant            *args,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = ferry_client_new_call_task (self, func, cancellable, callback, user_data,
                                            source_tag);
  FerryClientCall *data = g_task_get_task_data (task);

  data->id = g_strdup (id);
  data->args = args != NULL ? g_variant_ref_sink (args) : NULL;
  ferry_client_call_agent (self, task);
}

static gpointer
finish_pointer (FerryClient   *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_client_download_async:
 * @self: a client
 * @request: what to download, and where
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the download is stored
 * @user_data: data for @callback
 *
 * Hands a download to the agent; it is on disk when the call completes,
 * and runs like any task.  Unless @request names its owner, the owner is
 * #FerryClient:app-id.  Finish with ferry_client_download_finish().
 */
void
ferry_client_download_async (FerryClient          *self,
                             FerryDownloadRequest *request,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (request));

  start_call (self, call_download, NULL, ferry_download_request_to_variant (request, self->app_id),
              cancellable, callback, user_data, ferry_client_download_async);
}

/**
 * ferry_client_download_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_download_async().
 *
 * Returns: (transfer full): the download's id (its task's), or %NULL with
 *   @error set: %FERRY_ERROR_INVALID_ARGUMENT naming the bad key,
 *   %FERRY_ERROR_PERMISSION_DENIED, %FERRY_ERROR_STORAGE_FULL
 */
char *
ferry_client_download_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, ferry_client_download_async, error);
}

/**
 * ferry_client_upload_async:
 * @self: a client
 * @request: the request to send (its own body, if any, is not sent)
 * @body: the file to send as the body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the upload is stored
 * @user_data: data for @callback
 *
 * Hands a request to the agent whose body is a file, of any size: the
 * agent copies it before the call completes and streams it from disk
 * when it sends.  Finish with ferry_client_upload_finish().
 */
void
ferry_client_upload_async (FerryClient         *self,
                           FerryRequest        *request,
                           GFile               *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GVariant) wire = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  GError *error = NULL;
  GTask *task;
  FerryClientCall *data;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_REQUEST (request));
  g_return_if_fail (G_IS_FILE (body));

  task = ferry_client_new_call_task (self, call_upload, cancellable, callback, user_data,
                                     ferry_client_upload_async);
  stream = g_file_read (body, cancellable, &error);
  if (stream == NULL || g_unix_fd_list_append (fds, g_file_descriptor_based_get_fd (
                                                 G_FILE_DESCRIPTOR_BASED (stream)), &error) < 0)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  wire = g_variant_ref_sink (ferry_request_to_variant (request));
  dict = g_variant_dict_new (wire);
  g_variant_dict_remove (dict, "body");
  g_variant_dict_insert (dict, "body-fd", "h", 0);
  if (self->app_id != NULL && !g_variant_dict_contains (dict, "app-id"))
    g_variant_dict_insert (dict, "app-id", "s", self->app_id);
  data = g_task_get_task_data (task);
  data->args = g_variant_ref_sink (g_variant_dict_end (dict));
  g_object_set_data_full (G_OBJECT (task), "ferry-fds", g_steal_pointer (&fds), g_object_unref);
  ferry_client_call_agent (self, task);
}

/**
 * ferry_client_upload_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_upload_async().
 *
 * Returns: (transfer full): the task's id, or %NULL with @error set (the
 *   file could not be read, %FERRY_ERROR_INVALID_ARGUMENT,
 *   %FERRY_ERROR_STORAGE_FULL…)
 */
char *
ferry_client_upload_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, ferry_client_upload_async, error);
}

/**
 * ferry_client_open_file_async:
 * @self: a client
 * @id: a completed download's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the file
 * @user_data: data for @callback
 *
 * Opens a downloaded file for reading, also from inside a sandbox.
 * Finish with ferry_client_open_file_finish().
 */
void
ferry_client_open_file_async (FerryClient         *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  start_call (self, call_open_file, id, NULL, cancellable, callback, user_data,
              ferry_client_open_file_async);
}

/**
 * ferry_client_open_file_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_open_file_async().
 *
 * Returns: (transfer full): the file, read-only, or %NULL with @error set:
 *   %FERRY_ERROR_NOT_FOUND, %FERRY_ERROR_CONFLICT (not complete yet)
 */
GInputStream *
ferry_client_open_file_finish (FerryClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, ferry_client_open_file_async, error);
}

/**
 * ferry_client_list_transfers_async:
 * @self: a client
 * @owner: (nullable): only this app's
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the transfers
 * @user_data: data for @callback
 *
 * Lists the downloads and uploads going on, then the completed downloads
 * kept.  Finish with ferry_client_list_transfers_finish().
 */
void
ferry_client_list_transfers_async (FerryClient         *self,
                                   const char          *owner,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_auto(GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));

  if (owner != NULL)
    g_variant_dict_insert (&filter, "owner", "s", owner);
  start_call (self, call_list_transfers, NULL, g_variant_dict_end (&filter), cancellable,
              callback, user_data, ferry_client_list_transfers_async);
}

/**
 * ferry_client_list_transfers_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_list_transfers_async().
 *
 * Returns: (transfer container) (element-type FerryTransferInfo): the
 *   transfers, or %NULL with @error set
 */
GPtrArray *
ferry_client_list_transfers_finish (FerryClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, ferry_client_list_transfers_async, error);
}

/**
 * ferry_client_pause_transfer_async:
 * @self: a client
 * @id: a download or upload in progress
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is held
 * @user_data: data for @callback
 *
 * Holds a transfer until ferry_client_resume_transfer_async(); a download
 * keeps what it has.  Finish with ferry_client_pause_transfer_finish().
 */
void
ferry_client_pause_transfer_async (FerryClient         *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  start_call (self, call_pause_transfer, id, NULL, cancellable, callback, user_data,
              ferry_client_pause_transfer_async);
}

/**
 * ferry_client_pause_transfer_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_pause_transfer_async().
 *
 * Returns: whether it is held; %FERRY_ERROR_CONFLICT when it was not in
 *   progress
 */
gboolean
ferry_client_pause_transfer_finish (FerryClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_pause_transfer_async, error);
}

/**
 * ferry_client_resume_transfer_async:
 * @self: a client
 * @id: a paused transfer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it may go on
 * @user_data: data for @callback
 *
 * Lets a paused transfer go on from where it stopped.  Finish with
 * ferry_client_resume_transfer_finish().
 */
void
ferry_client_resume_transfer_async (FerryClient         *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  start_call (self, call_resume_transfer, id, NULL, cancellable, callback, user_data,
              ferry_client_resume_transfer_async);
}

/**
 * ferry_client_resume_transfer_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_resume_transfer_async().
 *
 * Returns: whether it may go on
 */
gboolean
ferry_client_resume_transfer_finish (FerryClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return ferry_client_finish_boolean (self, result, ferry_client_resume_transfer_async, error);
}

/**
 * ferry_client_get_storage_usage_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the usage
 * @user_data: data for @callback
 *
 * Asks what each app's files take in Ferry's storage (a sandboxed app
 * hears of its own only).  Finish with
 * ferry_client_get_storage_usage_finish().
 */
void
ferry_client_get_storage_usage_async (FerryClient         *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));

  start_call (self, call_get_storage_usage, NULL, NULL, cancellable, callback, user_data,
              ferry_client_get_storage_usage_async);
}

/**
 * ferry_client_get_storage_usage_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes ferry_client_get_storage_usage_async().
 *
 * Returns: (transfer container) (element-type FerryStorageUsage): one
 *   entry per app, or %NULL with @error set
 */
GPtrArray *
ferry_client_get_storage_usage_finish (FerryClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_pointer (self, result, ferry_client_get_storage_usage_async, error);
}

/**
 * ferry_client_remove_files_async:
 * @self: a client
 * @owner: (nullable): only this app's files
 * @ids: (nullable) (array zero-terminated=1): only these downloads
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when they are gone
 * @user_data: data for @callback
 *
 * Removes completed downloads and their files.  Finish with
 * ferry_client_remove_files_finish().
 */
void
ferry_client_remove_files_async (FerryClient         *self,
                                 const char          *owner,
                                 const char * const  *ids,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_auto(GVariantDict) what = G_VARIANT_DICT_INIT (NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));

  if (owner != NULL)
    g_variant_dict_insert (&what, "owner", "s", owner);
  if (ids != NULL)
    g_variant_dict_insert_value (&what, "ids", g_variant_new_strv (ids, -1));
  start_call (self, call_remove_files, NULL, g_variant_dict_end (&what), cancellable, callback,
              user_data, ferry_client_remove_files_async);
}

/**
 * ferry_client_remove_files_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_removed: (out) (optional): how many files were removed
 * @error: return location for an error
 *
 * Finishes ferry_client_remove_files_async().
 *
 * Returns: whether the files were removed
 */
gboolean
ferry_client_remove_files_finish (FerryClient   *self,
                                  GAsyncResult  *result,
                                  guint         *out_removed,
                                  GError       **error)
{
  return ferry_client_finish_count (self, result, ferry_client_remove_files_async, out_removed,
                                    error);
}

/* The transfers moving now ------------------------------------------------ */

typedef struct
{
  gboolean upload;
  gboolean stopped;   /* no longer running, but its run goes on */
  gint64   done;
  gint64   total;
} Moving;

#define MOVING_KEY "ferry-client-moving-transfers"

static GHashTable *
moving_table (FerryClient *self,
              gboolean     create)
{
  GHashTable *table = g_object_get_data (G_OBJECT (self), MOVING_KEY);

  if (table == NULL && create)
    {
      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (self), MOVING_KEY, table,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return table;
}

/* A transfer reported progress. */
void
ferry_client_note_transfer (FerryClient *self,
                            const char  *id,
                            gboolean     upload,
                            gint64       done,
                            gint64       total,
                            guint64      rate)
{
  GHashTable *table = moving_table (self, TRUE);
  Moving *moving = g_hash_table_lookup (table, id);

  if (moving == NULL)
    {
      moving = g_new0 (Moving, 1);
      g_hash_table_insert (table, g_strdup (id), moving);
    }
  moving->upload = upload;
  moving->stopped = FALSE;
  moving->done = done;
  moving->total = total;
}

/* Transfer @id stopped running.  It still counts until the agent's run
 * ends, so that a run of files alone is said as such to its end. */
void
ferry_client_stop_transfer (FerryClient *self,
                            const char  *id)
{
  GHashTable *table = moving_table (self, FALSE);
  Moving *moving = table != NULL ? g_hash_table_lookup (table, id) : NULL;

  if (moving != NULL)
    moving->stopped = TRUE;
}

static gboolean
is_stopped (gpointer key,
            gpointer value,
            gpointer user_data)
{
  return ((Moving *) value)->stopped;
}

/* The agent's run ended: the transfers that stopped are done with. */
void
ferry_client_forget_stopped_transfers (FerryClient *self)
{
  GHashTable *table = moving_table (self, FALSE);

  if (table != NULL)
    g_hash_table_foreach_remove (table, is_stopped, NULL);
}

/* Transfer @id stopped moving; all of them with %NULL. */
void
ferry_client_forget_transfer (FerryClient *self,
                              const char  *id)
{
  GHashTable *table = moving_table (self, FALSE);

  if (table == NULL)
    return;
  if (id == NULL)
    g_hash_table_remove_all (table);
  else
    g_hash_table_remove (table, id);
}

/* Whether a transfer still runs (not only stopped ones wait for the run's
 * end). */
static gboolean
any_running (GHashTable *table)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((Moving *) value)->stopped)
      return TRUE;
  return FALSE;
}

/* How many downloads and uploads move now, and their bytes: done, and in
 * all (-1 when one of them does not know its size yet).  A transfer that
 * stopped (paused, done) counts only while none runs any more, until the
 * agent's run ends: the files alone are said as such to the end, and a
 * paused one leaves the count while others move. */
void
ferry_client_get_transfer_summary (FerryClient *self,
                                   guint       *out_downloads,
                                   guint       *out_uploads,
                                   gint64      *out_done,
                                   gint64      *out_total)
{
  GHashTable *table = moving_table (self, FALSE);
  GHashTableIter iter;
  gpointer value;
  gboolean running;

  *out_downloads = 0;
  *out_uploads = 0;
  *out_done = 0;
  *out_total = 0;
  if (table == NULL)
    return;
  running = any_running (table);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Moving *moving = value;

      if (running && moving->stopped)
        continue;
      if (moving->upload)
        (*out_uploads)++;
      else
        (*out_downloads)++;
      *out_done += MAX (moving->done, 0);
      if (moving->total < 0 || *out_total < 0)
        *out_total = -1;
      else
        *out_total += moving->total;
    }
}
