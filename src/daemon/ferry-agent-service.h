/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-dbus-generated.h"
#include "ferry-sync-manager.h"

#include "ferry-caller-cache.h"
#include "ferry-resolver-registry.h"

G_BEGIN_DECLS

#define FERRY_TYPE_AGENT_SERVICE (ferry_agent_service_get_type ())

G_DECLARE_FINAL_TYPE (FerryAgentService, ferry_agent_service,
                      FERRY, AGENT_SERVICE, FerryDBusAgentSkeleton)

FerryAgentService *ferry_agent_service_new         (FerryCallerCache  *callers);
void               ferry_agent_service_attach      (FerryAgentService *self,
                                                    FerrySyncManager  *manager);
FerrySyncManager  *ferry_agent_service_get_manager (FerryAgentService *self);
FerryResolverRegistry *ferry_agent_service_get_resolvers (FerryAgentService *self);
void               ferry_agent_service_set_conflict_defaults (FerryAgentService *self,
                                                              GVariant          *defaults);
void               ferry_agent_service_emit_about  (FerryAgentService *self,
                                                    const char        *owner,
                                                    const char        *name,
                                                    GVariant          *parameters);
void               ferry_agent_service_emit_moving (FerryAgentService *self,
                                                    const char        *successor);

G_END_DECLS
