/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-agent-files.h"
#include "ferry-caller.h"
#include "ferry-download.h"

G_BEGIN_DECLS

/*
 * FerryAgentFiles is one object in two files: ferry-agent-files.c (the
 * handlers, adding downloads and uploads, the signals, settings) and
 * ferry-agent-files-calls.c (the calls about transfers already there:
 * OpenFile, ListTransfers, GetStorageUsage, RemoveFiles, PauseTransfer,
 * ResumeTransfer).
 */

struct _FerryAgentFiles
{
  GObject parent_instance;

  /* owned */
  FerryAgentService *service;
  FerryCallerCache  *callers;
  FerryTransfers    *transfers;
  GCancellable      *cancellable;

  /* state */
  gulong             handlers[8];
  gulong             progress_id;
  gulong             quota_id;
};

typedef enum {
  FILES_DOWNLOAD,
  FILES_UPLOAD,
  FILES_OPEN,
  FILES_LIST,
  FILES_USAGE,
  FILES_REMOVE,
  FILES_PAUSE,
  FILES_RESUME,
} FilesKind;

typedef struct
{
  FerryAgentFiles       *self;        /* owned */
  GDBusMethodInvocation *invocation;  /* owned */
  FilesKind              kind;
  FerryCaller           *caller;      /* owned */
  FerryTask             *task;        /* owned */
  char                  *app_id;
  FerryDownloadSpec      spec;
  GInputStream          *body;        /* owned */
  char                  *body_path;
  GVariant              *args;        /* owned */
} FilesCall;

/* ferry-agent-files.c */
void ferry_agent_files_call_free  (FilesCall *call);
void ferry_agent_files_call_fail  (FilesCall *call,
                                   GError    *error);

/* ferry-agent-files-calls.c: each completes or fails @call, and frees it. */
void ferry_agent_files_run_open   (FilesCall *call);
void ferry_agent_files_run_list   (FilesCall *call);
void ferry_agent_files_run_usage  (FilesCall *call);
void ferry_agent_files_run_remove (FilesCall *call);
void ferry_agent_files_run_pause  (FilesCall *call);

G_END_DECLS
