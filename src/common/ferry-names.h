/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The names the D-Bus API (data/io.github.ferrysync.Ferry1.xml) gives the
 * values of Ferry's enums, each table in the order of the values, so the
 * name of value v is table[v].  The engine's enums (src/engine/ferry-task.h,
 * FerrySyncState) and the client's public mirrors of them
 * (src/client/ferry-client-enums.h) take their strings from here and tie
 * their values to the counts below with G_STATIC_ASSERT, so a value added on
 * one side without its name fails to build.
 *
 * The counts are plain constants, usable in G_STATIC_ASSERT; each table is
 * declared with its count, so a table that grows or shrinks without its
 * count fails to build too.
 */

/* pending, running, succeeded, failed, conflict, auth-required, cancelled */
#define FERRY_NAMES_N_TASK_STATES 7
extern const char * const ferry_names_task_states[FERRY_NAMES_N_TASK_STATES];

/* low, medium, high, critical */
#define FERRY_NAMES_N_PRIORITIES 4
extern const char * const ferry_names_priorities[FERRY_NAMES_N_PRIORITIES];

/* replace, keep, append */
#define FERRY_NAMES_N_UNIQUE_POLICIES 3
extern const char * const ferry_names_unique_policies[FERRY_NAMES_N_UNIQUE_POLICIES];

/* ask, client-wins, server-wins, last-modified-wins, merge, custom */
#define FERRY_NAMES_N_CONFLICT_STRATEGIES 6
extern const char * const ferry_names_conflict_strategies[FERRY_NAMES_N_CONFLICT_STRATEGIES];

/* local, remote, body */
#define FERRY_NAMES_N_RESOLVE_CHOICES 3
extern const char * const ferry_names_resolve_choices[FERRY_NAMES_N_RESOLVE_CHOICES];

/* unknown, present, deleted */
#define FERRY_NAMES_N_SERVER_COPIES 3
extern const char * const ferry_names_server_copies[FERRY_NAMES_N_SERVER_COPIES];

/* The agent's State property: idle, syncing, offline, paused, attention */
#define FERRY_NAMES_N_SYNC_STATES 5
extern const char * const ferry_names_sync_states[FERRY_NAMES_N_SYNC_STATES];

/* Collections: the protocol a collection syncs with: couchdb, rest */
#define FERRY_NAMES_N_PROTOCOLS 2
extern const char * const ferry_names_protocols[FERRY_NAMES_N_PROTOCOLS];

/* Which way a collection syncs: both, push, pull */
#define FERRY_NAMES_N_DIRECTIONS 3
extern const char * const ferry_names_directions[FERRY_NAMES_N_DIRECTIONS];

/* A collection's State property: idle, syncing, synced, error, offline, paused */
#define FERRY_NAMES_N_COLLECTION_STATES 6
extern const char * const ferry_names_collection_states[FERRY_NAMES_N_COLLECTION_STATES];

/* The phase of a collection's run: none, check, push, pull, finish */
#define FERRY_NAMES_N_RUN_PHASES 5
extern const char * const ferry_names_run_phases[FERRY_NAMES_N_RUN_PHASES];

/* Headers whose values are credentials: stored and sent, never shown. */
#define FERRY_NAMES_N_SECRET_HEADERS 6
extern const char * const ferry_names_secret_headers[FERRY_NAMES_N_SECRET_HEADERS];

const char *ferry_names_get              (const char * const *names,
                                          guint               n_names,
                                          guint               value);
gboolean    ferry_names_lookup           (const char * const *names,
                                          guint               n_names,
                                          const char         *name,
                                          guint              *out_value);
gboolean    ferry_names_header_is_secret (const char         *name);

G_END_DECLS
