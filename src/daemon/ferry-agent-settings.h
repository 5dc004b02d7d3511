/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-sync-manager.h"

#include "ferry-agent-service.h"

G_BEGIN_DECLS

/* Shared with the window's preferences. */
#define FERRY_SETTINGS_SCHEMA "io.github.ferrysync.Ferry"

GSettings *ferry_agent_settings_new       (void);
void       ferry_agent_settings_bind      (GSettings         *settings,
                                           FerrySyncManager  *manager);
void       ferry_agent_settings_bind_conflict_defaults
                                          (GSettings         *settings,
                                           FerryAgentService *service);

G_END_DECLS
