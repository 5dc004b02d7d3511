/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FerryAgentBus FerryAgentBus;

/**
 * FerryAgentBusHandlers:
 * @serve: export the agent's objects on a connection; the first time,
 *   before the name is asked for, and again for each renewal
 * @moving: a move from one connection to the other begins: tell the peers,
 *   hold what is sent until @acquired
 * @acquired: the name is owned on a connection: the first time the agent
 *   starts, later its parts move there (or stay, when a move failed)
 * @retire: stop serving on a connection that gave the name away
 * @lost: the name is gone for good (another agent took it, or the bus
 *   went away); @connection is %NULL when the bus could not be reached
 *
 * What ferryd does as its connection changes.
 */
typedef struct
{
  void (*serve)    (GDBusConnection *connection,
                    gpointer         user_data);
  void (*moving)   (GDBusConnection *from,
                    GDBusConnection *to,
                    gpointer         user_data);
  void (*acquired) (GDBusConnection *connection,
                    gboolean         first,
                    gpointer         user_data);
  void (*retire)   (GDBusConnection *connection,
                    gpointer         user_data);
  void (*lost)     (GDBusConnection *connection,
                    gpointer         user_data);
} FerryAgentBusHandlers;

FerryAgentBus *ferry_agent_bus_new             (const char                  *name,
                                                gboolean                     replace,
                                                const FerryAgentBusHandlers *handlers,
                                                gpointer                     user_data);
gboolean       ferry_agent_bus_renew_if_grown  (FerryAgentBus               *self);
gsize          ferry_agent_bus_get_renew_size  (FerryAgentBus               *self);
void           ferry_agent_bus_free            (FerryAgentBus               *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryAgentBus, ferry_agent_bus_free)

G_END_DECLS
