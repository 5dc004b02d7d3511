/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined (FERRY_INSIDE) && !defined (FERRY_COMPILATION)
# error "Only <ferry.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ferry-version.h"

G_BEGIN_DECLS

/**
 * FERRY_ERROR:
 *
 * The error domain of Ferry: errors the agent answers with, whose codes
 * are #FerryError.  See ferry_error_quark().
 */
#define FERRY_ERROR (ferry_error_quark ())

/**
 * FerryError:
 * @FERRY_ERROR_FAILED: something went wrong that has no sharper code
 * @FERRY_ERROR_INVALID_ARGUMENT: an argument was malformed; the message names it
 * @FERRY_ERROR_NOT_FOUND: no task with that id (or not visible to the caller)
 * @FERRY_ERROR_PERMISSION_DENIED: the caller may not touch that task
 * @FERRY_ERROR_CONFLICT: the operation does not fit the task's current state
 * @FERRY_ERROR_AUTH_REQUIRED: the server asked for credentials
 * @FERRY_ERROR_OFFLINE: the machine is offline
 * @FERRY_ERROR_STORE: the database failed
 * @FERRY_ERROR_STORAGE_FULL: the disk holding the database is full
 * @FERRY_ERROR_PROTOCOL: the server answered something that breaks HTTP
 * @FERRY_ERROR_HTTP: the server answered with a status the request cannot
 *   succeed with
 * @FERRY_ERROR_EXPIRED: the task's expiry passed before it was delivered
 * @FERRY_ERROR_CANCELLED: the task was cancelled
 *
 * Error codes in the %FERRY_ERROR domain.  Over D-Bus each one travels as
 * `io.github.ferrysync.Ferry1.Error.<Name>`.
 */
typedef enum {
  FERRY_ERROR_FAILED,
  FERRY_ERROR_INVALID_ARGUMENT,
  FERRY_ERROR_NOT_FOUND,
  FERRY_ERROR_PERMISSION_DENIED,
  FERRY_ERROR_CONFLICT,
  FERRY_ERROR_AUTH_REQUIRED,
  FERRY_ERROR_OFFLINE,
  FERRY_ERROR_STORE,
  FERRY_ERROR_STORAGE_FULL,
  FERRY_ERROR_PROTOCOL,
  FERRY_ERROR_HTTP,
  FERRY_ERROR_EXPIRED,
  FERRY_ERROR_CANCELLED,
  FERRY_N_ERRORS /*< skip >*/
} FerryError;

FERRY_AVAILABLE_IN_ALL
GQuark ferry_error_quark (void);

G_END_DECLS
