/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ferry-dbus-generated.h"

G_BEGIN_DECLS

/*
 * A private session bus whose service directory starts the built ferryd
 * by D-Bus activation.  One bus serves a whole test program (see
 * ferry_agent_bus_up()); each test gets a ferryd of its own, with its own
 * data directory and a fixed network (FERRY_TEST_NETWORK), stopped at the
 * end of the test.  Shared by the D-Bus test programs.
 */
typedef struct
{
  GTestDBus       *bus;          /* borrowed: the program's bus */
  char            *data_dir;
  GDBusConnection *connection;   /* private, not the g_bus_get() singleton */
  FerryDBusAgent  *agent;        /* proxy; activates ferryd */
  guint32          ferryd_pid;
  char            *sanitizer_dir; /* reports of the programs the test starts */
  char            *asan_options;  /* the test program's own */
  char            *ubsan_options;
} FerryAgentFixture;

GTestDBus       *ferry_agent_bus_up               (void);
void             ferry_agent_bus_down             (void);

void             ferry_agent_fixture_set_up       (FerryAgentFixture *fixture,
                                                   const char        *network);
void             ferry_agent_fixture_set_up_with_env (FerryAgentFixture  *fixture,
                                                      const char         *network,
                                                      const char * const *environment);
void             ferry_agent_fixture_tear_down    (FerryAgentFixture *fixture);

void             ferry_agent_fixture_watch_sanitizers (FerryAgentFixture *fixture);
void             ferry_agent_fixture_check_sanitizers (FerryAgentFixture *fixture);

GDBusConnection *ferry_agent_connect              (GTestDBus         *bus);
GDBusConnection *ferry_agent_fixture_connect      (FerryAgentFixture *fixture);
FerryDBusAgent  *ferry_agent_fixture_new_proxy    (FerryAgentFixture *fixture,
                                                   GDBusConnection   *connection);
guint32          ferry_agent_fixture_get_owner_pid (FerryAgentFixture *fixture);
char            *ferry_agent_fixture_dup_owner    (FerryAgentFixture *fixture);
gboolean         ferry_agent_fixture_owned_elsewhere (FerryAgentFixture *fixture,
                                                      const char        *unique_name);
gboolean         ferry_agent_name_has_owner       (GDBusConnection   *connection,
                                                   const char        *name);
gboolean         ferry_agent_process_is_alive     (guint32            pid);

GVariant        *ferry_agent_bytes                (gconstpointer      data,
                                                   gsize              size);
GVariant        *ferry_agent_request_new          (const char        *method,
                                                   const char        *url,
                                                   ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
