/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-files-calls"

#include "config.h"

#include <gio/gunixfdlist.h>

#include "ferry-agent-args.h"
#include "ferry-error.h"

#include "ferry-agent-files-private.h"

/*
 * The files calls of ferryd about transfers already there (see
 * ferry-agent-files.c): OpenFile, ListTransfers, GetStorageUsage,
 * RemoveFiles, PauseTransfer and ResumeTransfer, once the caller is known.
 */

void
ferry_agent_files_run_open (FilesCall *call)
{
  g_autoptr(FerryTransferRecord) record = NULL;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  const char *id = g_variant_get_string (call->args, NULL);
  GError *error = NULL;
  int fd;

  record = ferry_transfers_dup_record (call->self->transfers, id, &error);
  if (record == NULL && error == NULL)
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "no download with id “%s”", id);
  if (record == NULL ||
      !ferry_caller_check_task_access (call->caller, id, record->owner, &error))
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  fd = ferry_transfers_open_file (call->self->transfers, id, &error);
  if (fd < 0)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  g_unix_fd_list_append (fds, fd, NULL);
  close (fd);
  ferry_dbus_agent_complete_open_file (FERRY_DBUS_AGENT (call->self->service),
                                       g_steal_pointer (&call->invocation), fds,
                                       g_variant_new_handle (0));
  ferry_agent_files_call_free (call);
}

static GVariant *
record_to_variant (FilesCall           *call,
                   FerryTransferRecord *record)
{
  FerryAgentFiles *self = call->self;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(FerryTask) task = NULL;
  gint64 done = record->done, total = record->total;
  guint64 rate = 0;

  if (record->task_id != NULL)
    task = ferry_sync_manager_dup_task (ferry_agent_service_get_manager (self->service),
                                        record->task_id, NULL);
  g_variant_builder_add (&builder, "{sv}", "id",
                         g_variant_new_string (record->task_id != NULL ? record->task_id : ""));
  g_variant_builder_add (&builder, "{sv}", "owner", g_variant_new_string (record->owner));
  g_variant_builder_add (&builder, "{sv}", "kind",
                         g_variant_new_string (record->kind == FERRY_TRANSFER_DOWNLOAD ?
                                               "download" : "upload"));
  g_variant_builder_add (&builder, "{sv}", "state",
                         g_variant_new_string (task != NULL ?
                                               ferry_task_state_to_string (task->state) :
                                               record->complete ? "succeeded" : "pending"));
  if (task != NULL && task->name != NULL)
    g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (task->name));
  if (task != NULL)
    g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (task->url));
  if (record->kind == FERRY_TRANSFER_DOWNLOAD &&
      (!call->caller->sandboxed || ferry_caller_is_owner (call->caller, record->owner)))
    g_variant_builder_add (&builder, "{sv}", "destination", g_variant_new_string (record->path));
  if (record->task_id != NULL)
    ferry_transfers_get_progress (self->transfers, record->task_id, &done, &total, &rate);
  g_variant_builder_add (&builder, "{sv}", "done", g_variant_new_int64 (done));
  g_variant_builder_add (&builder, "{sv}", "total", g_variant_new_int64 (total));
  g_variant_builder_add (&builder, "{sv}", "rate", g_variant_new_uint64 (rate));
  g_variant_builder_add (&builder, "{sv}", "pinned", g_variant_new_boolean (record->pinned));
  g_variant_builder_add (&builder, "{sv}", "paused", g_variant_new_boolean (record->paused));
  g_variant_builder_add (&builder, "{sv}", "complete", g_variant_new_boolean (record->complete));
  return g_variant_builder_end (&builder);
}

static const char *
filter_owner (FilesCall *call)
{
  const char *owner = NULL;

  g_variant_lookup (call->args, "owner", "&s", &owner);
  return ferry_caller_restrict_owner (call->caller, owner);
}

void
ferry_agent_files_run_list (FilesCall *call)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GPtrArray) records = NULL;
  GError *error = NULL;

  records = ferry_transfers_list (call->self->transfers, filter_owner (call), &error);
  if (records == NULL)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    g_variant_builder_add_value (&builder, record_to_variant (call, g_ptr_array_index (records, i)));
  ferry_dbus_agent_complete_list_transfers (FERRY_DBUS_AGENT (call->self->service),
                                            g_steal_pointer (&call->invocation),
                                            g_variant_builder_end (&builder));
  ferry_agent_files_call_free (call);
}

void
ferry_agent_files_run_usage (FilesCall *call)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sttt)"));
  g_autoptr(GPtrArray) usage = NULL;
  GError *error = NULL;

  usage = ferry_transfers_dup_usage (call->self->transfers,
                                     ferry_caller_restrict_owner (call->caller, NULL), &error);
  if (usage == NULL)
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  for (guint i = 0; i < usage->len; i++)
    {
      FerryTransferUsage *entry = g_ptr_array_index (usage, i);

      g_variant_builder_add (&builder, "(sttt)", entry->owner, entry->bytes,
                             (guint64) entry->files, entry->quota);
    }
  ferry_dbus_agent_complete_get_storage_usage (FERRY_DBUS_AGENT (call->self->service),
                                               g_steal_pointer (&call->invocation),
                                               g_variant_builder_end (&builder));
  ferry_agent_files_call_free (call);
}

void
ferry_agent_files_run_remove (FilesCall *call)
{
  g_autofree const char **ids = NULL;
  GError *error = NULL;
  guint removed = 0;

  g_variant_lookup (call->args, "ids", "^a&s", &ids);
  if (!ferry_transfers_remove_files (call->self->transfers, filter_owner (call),
                                     (const char * const *) ids, &removed, &error))
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  ferry_dbus_agent_complete_remove_files (FERRY_DBUS_AGENT (call->self->service),
                                          g_steal_pointer (&call->invocation), removed);
  ferry_agent_files_call_free (call);
}

void
ferry_agent_files_run_pause (FilesCall *call)
{
  g_autoptr(FerryTransferRecord) record = NULL;
  const char *id = g_variant_get_string (call->args, NULL);
  gboolean pause = call->kind == FILES_PAUSE;
  GError *error = NULL;

  record = ferry_transfers_dup_record (call->self->transfers, id, &error);
  if (record == NULL && error == NULL)
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "no transfer with id “%s”", id);
  if (record == NULL ||
      !ferry_caller_check_task_access (call->caller, id, record->owner, &error) ||
      !ferry_transfers_set_paused (call->self->transfers, id, pause, &error))
    {
      ferry_agent_files_call_fail (call, error);
      return;
    }
  if (pause)
    ferry_dbus_agent_complete_pause_transfer (FERRY_DBUS_AGENT (call->self->service),
                                              g_steal_pointer (&call->invocation));
  else
    ferry_dbus_agent_complete_resume_transfer (FERRY_DBUS_AGENT (call->self->service),
                                               g_steal_pointer (&call->invocation));
  ferry_agent_files_call_free (call);
}
