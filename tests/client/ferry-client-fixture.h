/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-agent-fixture.h"
#include "ferry-client.h"
#include "ferry-task-list.h"

G_BEGIN_DECLS

/*
 * The bus of the D-Bus tests (FerryAgentFixture: a GTestDBus that starts
 * the built ferryd by D-Bus activation, with a fresh data directory and a
 * fixed network), plus a FerryClient on its private connection.  Unlike
 * the D-Bus tests, the agent is not started at set-up: the client starts
 * it on its first call, or the test does.
 */
typedef struct
{
  FerryAgentFixture  bus;         /* no proxy; ferryd_pid is the last ferryd seen */
  GDBusConnection   *connection;  /* borrowed from bus */
  const char        *data_dir;    /* borrowed from bus */
  FerryClient       *client;
} ClientFixture;

void             client_fixture_set_up          (ClientFixture    *fixture,
                                                 const char       *network,
                                                 FerryClientFlags  flags);
void             client_fixture_tear_down       (ClientFixture    *fixture);

GDBusConnection *client_fixture_connect         (ClientFixture    *fixture);
FerryClient     *client_fixture_new_client      (ClientFixture    *fixture,
                                                 GDBusConnection  *connection,
                                                 FerryClientFlags  flags);
void             client_fixture_start_agent     (ClientFixture    *fixture);
guint32          client_fixture_get_agent_pid   (ClientFixture    *fixture);
void             client_fixture_stop_agent      (ClientFixture    *fixture);

/* Waiting for asynchronous results: pass client_store_result_cb with the
 * address of a NULL GAsyncResult pointer, then wait on it. */
void             client_store_result_cb         (GObject          *object,
                                                 GAsyncResult     *result,
                                                 gpointer          user_data);
GAsyncResult    *client_wait_result             (GAsyncResult    **slot);

/* Blocking forms of the client calls the tests use most; they iterate the
 * main context while they wait. */
char            *client_enqueue                 (FerryClient      *client,
                                                 FerryRequest     *request,
                                                 GError          **error);
FerryTaskInfo   *client_get                     (FerryClient      *client,
                                                 const char       *id,
                                                 GError          **error);
GPtrArray       *client_list                    (FerryClient      *client,
                                                 FerryTaskQuery   *query,
                                                 guint             offset,
                                                 guint             limit,
                                                 GError          **error);
guint            client_count                   (FerryClient      *client,
                                                 FerryTaskQuery   *query);
GPtrArray       *client_enqueue_many            (FerryClient      *client,
                                                 const char       *url,
                                                 guint             n_tasks);

G_END_DECLS
