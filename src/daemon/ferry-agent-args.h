/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-sync-manager.h"
#include "ferry-task-store.h"
#include "ferry-task.h"

G_BEGIN_DECLS

/*
 * Translation between D-Bus values and engine records, with the checks the
 * D-Bus boundary makes: every dictionary key known and of its exact type,
 * bounded sizes, valid enumerations.  Pure functions, so they are tested
 * without a bus.
 */

/* The most tasks one List call returns. */
#define FERRY_AGENT_MAX_PAGE 1000

/* The most merge rules one task carries (the engine's limit too). */
#define FERRY_AGENT_MAX_MERGE_RULES FERRY_TASK_MAX_HEADERS

/**
 * FerryAgentFilter:
 * @filter: the engine filter; its strings point into this struct
 *
 * A parsed List/Count/RetryAll filter that owns its strings.
 */
typedef struct
{
  FerryTaskFilter filter;

  /*< private >*/
  char *owner;
  char *name;
  char *group;
  char *search;
} FerryAgentFilter;

void       ferry_agent_filter_clear          (FerryAgentFilter   *self);
void       ferry_agent_filter_set_owner      (FerryAgentFilter   *self,
                                              const char         *owner);

FerryTask *ferry_agent_args_parse_request    (GVariant           *request,
                                              char              **out_app_id,
                                              GError            **error);
gboolean   ferry_agent_args_names_strategy   (GVariant           *request);
FerryConflictStrategy
           ferry_agent_args_pick_strategy    (GVariant           *defaults,
                                              const char         *owner,
                                              const char         *url);
gboolean   ferry_agent_args_parse_filter     (GVariant           *filter,
                                              FerryAgentFilter   *out_filter,
                                              GError            **error);
gboolean   ferry_agent_args_check_id         (const char         *id,
                                              GError            **error);
gboolean   ferry_agent_args_check_page       (guint               offset,
                                              guint               limit,
                                              GError            **error);
gboolean   ferry_agent_args_parse_resolve    (const char         *choice,
                                              GVariant           *body,
                                              FerryResolveChoice *out_choice,
                                              GBytes            **out_body,
                                              GError            **error);

GVariant  *ferry_agent_args_task_to_variant  (const FerryTask    *task,
                                              gboolean            with_bodies,
                                              gboolean            show_secrets);
GVariant  *ferry_agent_args_summary_to_variant (const FerryRunSummary *summary);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FerryAgentFilter, ferry_agent_filter_clear)

G_END_DECLS
