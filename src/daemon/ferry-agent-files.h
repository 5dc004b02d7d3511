/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-agent-service.h"
#include "ferry-caller-cache.h"
#include "ferry-transfers.h"

G_BEGIN_DECLS

#define FERRY_TYPE_AGENT_FILES (ferry_agent_files_get_type ())

G_DECLARE_FINAL_TYPE (FerryAgentFiles, ferry_agent_files, FERRY, AGENT_FILES, GObject)

FerryAgentFiles *ferry_agent_files_new    (FerryAgentService *service,
                                           FerryCallerCache  *callers);
void             ferry_agent_files_attach (FerryAgentFiles   *self,
                                           FerryTransfers    *transfers);

void             ferry_agent_files_bind_settings (GSettings      *settings,
                                                  FerryTransfers *transfers);

/* Pure checks, tested on their own. */
GVariant        *ferry_agent_files_split_download (GVariant    *request,
                                                   FerryDownloadSpec *out_spec,
                                                   GError     **error);
int              ferry_agent_files_check_body_fd  (int          fd,
                                                   GError     **error);

G_END_DECLS
