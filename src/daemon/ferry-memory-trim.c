/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-memory-trim"

#include "config.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ferry-memory-trim.h"

/*
 * After a burst of calls, what was kept to spare work goes back to the
 * system once ferryd has been quiet for a few seconds: SQLite's page cache
 * and the free memory at the top of the heap.  A message arriving on the
 * bus arms the trim (a filter, in GDBus's thread); the trim runs once in
 * the main context and waits for the next message, so an idle agent does
 * not wake up for it.  Then the owner hears that calls are quiet (ferryd
 * renews a bus connection that a large message has grown).
 */

#define QUIET_S 3

struct _FerryMemoryTrim
{
  GDBusConnection *connection;
  FerryDatabase   *database;
  FerryMemoryTrimQuietFunc quiet_func;
  gpointer         quiet_data;
  guint            filter_id;
  GMainContext    *context;
  guint            trim_id;
  gboolean         stopped;   /* main context only */
  gint             armed;     /* atomic: a burst began and is not trimmed yet */
};

/* Shared by the filter, the arming on its way and the owner. */
static FerryMemoryTrim *
trim_ref (FerryMemoryTrim *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
trim_clear (FerryMemoryTrim *self)
{
  g_main_context_unref (self->context);
  g_object_unref (self->database);
  g_object_unref (self->connection);
}

static void
trim_unref (gpointer self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) trim_clear);
}

static gboolean
trim (gpointer user_data)
{
  FerryMemoryTrim *self = user_data;

  self->trim_id = 0;
  g_atomic_int_set (&self->armed, 0);
  ferry_database_release_memory (self->database);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  g_debug ("%d s after calls came: caches released", QUIET_S);
  if (self->quiet_func != NULL)
    self->quiet_func (self->quiet_data);
  return G_SOURCE_REMOVE;
}

static gboolean
arm (gpointer user_data)
{
  FerryMemoryTrim *self = user_data;

  /* Counted from the burst's first message; a long burst is trimmed
   * again after its next message. */
  if (!self->stopped && self->trim_id == 0)
    self->trim_id = g_timeout_add_seconds (QUIET_S, trim, self);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
on_message (GDBusConnection *connection,
            GDBusMessage    *message,
            gboolean         incoming,
            gpointer         user_data)
{
  FerryMemoryTrim *self = user_data;

  if (incoming && g_atomic_int_compare_and_exchange (&self->armed, 0, 1))
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, arm, trim_ref (self),
                                trim_unref);
  return message;
}

/**
 * ferry_memory_trim_new:
 * @connection: the agent's bus connection
 * @database: the agent's database
 * @quiet_func: (nullable): called after each trim
 * @quiet_data: closure for @quiet_func
 *
 * Returns: (transfer full): the trimming, until freed
 */
FerryMemoryTrim *
ferry_memory_trim_new (GDBusConnection          *connection,
                       FerryDatabase            *database,
                       FerryMemoryTrimQuietFunc  quiet_func,
                       gpointer                  quiet_data)
{
  FerryMemoryTrim *self = g_atomic_rc_box_new0 (FerryMemoryTrim);

  self->quiet_func = quiet_func;
  self->quiet_data = quiet_data;
  self->connection = g_object_ref (connection);
  self->database = g_object_ref (database);
  self->context = g_main_context_ref_thread_default ();
  self->filter_id = g_dbus_connection_add_filter (connection, on_message, trim_ref (self),
                                                  trim_unref);
  return self;
}

/**
 * ferry_memory_trim_free:
 * @self: (nullable): a trimming
 *
 * Stops it.  Runs in the context it was made in.
 */
void
ferry_memory_trim_free (FerryMemoryTrim *self)
{
  if (self == NULL)
    return;

  /* An arming already on its way finds it stopped. */
  self->stopped = TRUE;
  g_dbus_connection_remove_filter (self->connection, self->filter_id);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  trim_unref (self);
}
