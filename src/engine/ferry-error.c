/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-error"

#include "config.h"

#include "ferry-error.h"

static const GDBusErrorEntry ferry_error_entries[] = {
  { FERRY_ERROR_FAILED, "io.github.ferrysync.Ferry1.Error.Failed" },
  { FERRY_ERROR_INVALID_ARGUMENT, "io.github.ferrysync.Ferry1.Error.InvalidArgument" },
  { FERRY_ERROR_NOT_FOUND, "io.github.ferrysync.Ferry1.Error.NotFound" },
  { FERRY_ERROR_PERMISSION_DENIED, "io.github.ferrysync.Ferry1.Error.PermissionDenied" },
  { FERRY_ERROR_CONFLICT, "io.github.ferrysync.Ferry1.Error.Conflict" },
  { FERRY_ERROR_AUTH_REQUIRED, "io.github.ferrysync.Ferry1.Error.AuthRequired" },
  { FERRY_ERROR_OFFLINE, "io.github.ferrysync.Ferry1.Error.Offline" },
  { FERRY_ERROR_STORE, "io.github.ferrysync.Ferry1.Error.Store" },
  { FERRY_ERROR_STORAGE_FULL, "io.github.ferrysync.Ferry1.Error.StorageFull" },
  { FERRY_ERROR_PROTOCOL, "io.github.ferrysync.Ferry1.Error.Protocol" },
  { FERRY_ERROR_HTTP, "io.github.ferrysync.Ferry1.Error.Http" },
  { FERRY_ERROR_EXPIRED, "io.github.ferrysync.Ferry1.Error.Expired" },
  { FERRY_ERROR_CANCELLED, "io.github.ferrysync.Ferry1.Error.Cancelled" },
};

/* Every code must have exactly one D-Bus name. */
G_STATIC_ASSERT (G_N_ELEMENTS (ferry_error_entries) == FERRY_N_ERRORS);

/**
 * ferry_error_quark:
 *
 * Returns the error domain of Ferry.  Calling it once at start-up also
 * registers the D-Bus names of its codes, so errors that cross the bus come
 * back as %FERRY_ERROR.
 *
 * Returns: the quark
 */
GQuark
ferry_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("ferry-error-quark",
                                      &quark,
                                      ferry_error_entries,
                                      G_N_ELEMENTS (ferry_error_entries));
  return (GQuark) quark;
}
