/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-agent-args.h"
#include "ferry-caller.h"
#include "ferry-caller-cache.h"
#include "ferry-reply-gate.h"
#include "ferry-resolver-registry.h"

#include "ferry-agent-service.h"

G_BEGIN_DECLS

/*
 * What the parts of the agent service share: the calls the method
 * handlers (ferry-agent-handlers.c) start and the service
 * (ferry-agent-service.c) runs, and the state the engine's signals
 * (ferry-agent-signals.c) are forwarded with.
 */

/* A Get whose task's payload is larger waits for its turn to be answered. */
#define LARGE_REPLY_SIZE (1024 * 1024)

typedef enum {
  FERRY_AGENT_CALL_ENQUEUE,
  FERRY_AGENT_CALL_GET,
  FERRY_AGENT_CALL_LIST,
  FERRY_AGENT_CALL_COUNT,
  FERRY_AGENT_CALL_CANCEL,
  FERRY_AGENT_CALL_RETRY,
  FERRY_AGENT_CALL_RETRY_ALL,
  FERRY_AGENT_CALL_CANCEL_ALL,
  FERRY_AGENT_CALL_RESOLVE,
  FERRY_AGENT_CALL_SYNC_NOW,
  FERRY_AGENT_CALL_PAUSE,
  FERRY_AGENT_CALL_RESUME,
  FERRY_AGENT_CALL_REGISTER_RESOLVER,
  FERRY_AGENT_CALL_UNREGISTER_RESOLVER,
} FerryAgentCallKind;

typedef struct
{
  FerryAgentService     *self;
  GDBusMethodInvocation *invocation;
  FerryAgentCallKind     kind;
  FerryCaller           *caller;

  /* arguments, as the kind needs them */
  FerryTask             *task;
  char                  *app_id;
  char                  *id;
  FerryAgentFilter       filter;
  guint                  offset;
  guint                  limit;
  FerryResolveChoice     choice;
  GBytes                *body;
  char                  *path;
  gboolean               names_strategy;
} FerryAgentCall;

struct _FerryAgentService
{
  FerryDBusAgentSkeleton  parent_instance;

  /* owned */
  FerryCallerCache       *callers;
  FerryResolverRegistry  *resolvers;
  FerrySyncManager       *manager;      /* NULL until attached */
  GVariant               *conflict_defaults;  /* a{ss}, nullable */
  GPtrArray              *waiting;      /* FerryAgentCall, until the manager is attached */
  GCancellable           *cancellable;
  FerryReplyGate         *large_replies;  /* Gets of tasks over LARGE_REPLY_SIZE */

  /* state */
  guint                   progress_timeout_id;
  gboolean                progress_dirty;
};

FerryAgentCall *ferry_agent_call_new   (FerryAgentService     *self,
                                        GDBusMethodInvocation *invocation,
                                        FerryAgentCallKind     kind);
gboolean        ferry_agent_call_start (FerryAgentCall        *call);
void            ferry_agent_call_fail  (FerryAgentCall        *call,
                                        GError                *error);

void ferry_agent_service_iface_init (FerryDBusAgentIface *iface);

void ferry_agent_signals_attach (FerryAgentService *self);

G_END_DECLS
