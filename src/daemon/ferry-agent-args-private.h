/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-agent-args.h"

G_BEGIN_DECLS

/*
 * The checks the parsers of ferry-agent-args.c (requests, ids, pages,
 * resolutions) and ferry-agent-filter.c (filters) share.
 */

/* The most keys a dictionary the agent takes may know. */
#define FERRY_AGENT_MAX_DICT_KEYS 24

/* One known key of an a{sv} and the type its value must have. */
typedef struct
{
  const char *name;
  const char *type;
} FerryAgentKeySpec;

/* The values of one dictionary, by key; cleared automatically. */
typedef struct
{
  GVariant *v[FERRY_AGENT_MAX_DICT_KEYS];
} FerryAgentDict;

void      ferry_agent_dict_clear      (FerryAgentDict          *values);
gboolean  ferry_agent_split_dict      (GVariant                *dict,
                                       const char              *what,
                                       const FerryAgentKeySpec *specs,
                                       guint                    n_specs,
                                       FerryAgentDict          *values,
                                       GError                 **error);
char     *ferry_agent_quote_value     (const char              *value);
char     *ferry_agent_dup_string      (GVariant                *value);
gboolean  ferry_agent_check_length    (GVariant                *value,
                                       const char              *key,
                                       gsize                    max,
                                       GError                 **error);
gboolean  ferry_agent_check_not_empty (GVariant                *value,
                                       const char              *key,
                                       GError                 **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FerryAgentDict, ferry_agent_dict_clear)

G_END_DECLS
