/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FerryReplyGate FerryReplyGate;

/* Called when the gate lets a reply through; the reply is then sent and
 * ferry_reply_gate_leave() called, or @data freed with its free func. */
typedef void (*FerryReplyGateFunc) (gpointer data);

FerryReplyGate *ferry_reply_gate_new   (void);
void            ferry_reply_gate_free  (FerryReplyGate     *gate);
void            ferry_reply_gate_enter (FerryReplyGate     *gate,
                                        FerryReplyGateFunc  func,
                                        gpointer            data,
                                        GDestroyNotify      free_data);
void            ferry_reply_gate_leave (FerryReplyGate     *gate,
                                        GDBusConnection    *connection);
guint           ferry_reply_gate_get_waiting (FerryReplyGate *gate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryReplyGate, ferry_reply_gate_free)

G_END_DECLS
