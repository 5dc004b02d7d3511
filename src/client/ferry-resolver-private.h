/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-dbus-generated.h"
#include "ferry-resolver.h"

G_BEGIN_DECLS

FerryResolveRequest *ferry_resolve_request_new (GDBusMethodInvocation  *invocation,
                                                GVariant               *base,
                                                GVariant               *local,
                                                GVariant               *remote);

gboolean             ferry_resolver_export     (FerryResolver          *self,
                                                GDBusConnection        *connection,
                                                GError                **error);
void                 ferry_resolver_unexport   (FerryResolver          *self);

G_END_DECLS
