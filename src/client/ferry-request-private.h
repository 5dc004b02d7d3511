/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-request.h"

G_BEGIN_DECLS

/* The wire format stays inside the library: apps build requests with the
 * setters, the agent reads the dictionary. */
GVariant *ferry_request_to_variant (FerryRequest *self);

G_END_DECLS
