/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * libferry-1: the client library of Ferry's agent.  Apps include this
 * header only; the others refuse to be included one by one, so that they
 * can be split or merged without breaking anyone.
 */

#define FERRY_INSIDE

#include "ferry-version.h"
#include "ferry-error.h"
#include "ferry-client-enums.h"
#include "ferry-client-enum-types.h"
#include "ferry-request.h"
#include "ferry-resolve-request.h"
#include "ferry-resolver.h"
#include "ferry-task-info.h"
#include "ferry-task-query.h"
#include "ferry-client.h"
#include "ferry-collection.h"
#include "ferry-document-info.h"
#include "ferry-document-list.h"
#include "ferry-task-list.h"
#include "ferry-download-request.h"
#include "ferry-transfer-info.h"
#include "ferry-storage-usage.h"
#include "ferry-client-transfers.h"

#undef FERRY_INSIDE
