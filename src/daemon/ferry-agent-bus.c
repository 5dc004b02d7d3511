/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-bus"

#include "config.h"

#include "ferry-agent-bus.h"

/*
 * ferryd's place on the session bus: a connection of its own (not the
 * process's shared one), with the agent's name on it, and a fresh one when
 * the old has grown.
 *
 * GDBus reads each message whole into a buffer that it grows to the
 * largest message so far and keeps while the connection lives: one 16 MiB
 * Enqueue would keep 16 MiB in ferryd for good.  So once a large message
 * has come and the calls have gone quiet, ferryd opens another connection,
 * serves its objects there too and moves its name to it in one step (the
 * old connection allows replacement, the new one replaces).
 *
 * Peers follow signals from the name's owner only, so none may be sent
 * from either connection around the move: ferryd tells its peers it is
 * Moving, holds its signals, and asks the bus something on the old
 * connection; the answer means the bus has passed on everything sent
 * there before.  Only then does the new connection ask for the name, and
 * once it has it the held signals go from there.  The old connection
 * answers the calls it holds and waits for the answers to those it made,
 * then closes, and its buffer goes with it.
 */

/* A body this large makes the connection worth renewing, once no message
 * has come for RENEW_QUIET_MS (a move in the middle of a burst would keep
 * two grown buffers at once). */
#define RENEW_SIZE (1024 * 1024)
#define RENEW_QUIET_MS 2000

/* How long a connection that gave its name away serves on: at least this
 * long (calls sent before the caller heard of the move may still come),
 * then until it holds no call unanswered, at most RETIRE_AT_MOST_S. */
#define RETIRE_AFTER_MS  1000
#define RETIRE_AT_MOST_S 60
#define RETIRE_CHECK_MS  250

typedef struct _Line Line;

struct _FerryAgentBus
{
  char                  *name;
  char                  *address;  /* the session bus's, read once */
  gboolean               replace;
  FerryAgentBusHandlers  handlers;
  gpointer               user_data;
  GCancellable          *cancellable;

  Line                  *current;  /* owns the name, or is asking first */
  Line                  *next;     /* asking for it, to take over */
  GPtrArray             *retiring; /* Line */
  guint                  recheck_id;
  guint                  no_bus_id;
};

struct _Line
{
  FerryAgentBus   *bus;           /* borrowed; NULL once freed */
  GDBusConnection *connection;
  guint            owner_id;
  guint            filter_id;
  gboolean         lost;
  gint64           retired_at;    /* monotonic µs, once it gave the name away */
  guint            retire_id;

  /* Written from GDBus's thread. */
  GMutex           lock;
  GHashTable      *unanswered;    /* calls either way, as "in SENDER SERIAL" / "out SERIAL" */
  gsize            largest;       /* the largest body received */
  gint64           last_received; /* monotonic µs */
};

static void connect_line (FerryAgentBus *self);

static Line *
line_ref (Line *line)
{
  return g_atomic_rc_box_acquire (line);
}

static void
line_clear (Line *line)
{
  g_hash_table_unref (line->unanswered);
  g_mutex_clear (&line->lock);
  g_object_unref (line->connection);
}

static void
line_unref (gpointer line)
{
  g_atomic_rc_box_release_full (line, (GDestroyNotify) line_clear);
}

/* In GDBus's thread: which calls wait for an answer, how large a body came. */
static GDBusMessage *
on_message (GDBusConnection *connection,
            GDBusMessage    *message,
            gboolean         incoming,
            gpointer         user_data)
{
  Line *line = user_data;
  GDBusMessageFlags flags = g_dbus_message_get_flags (message);
  GVariant *body = incoming ? g_dbus_message_get_body (message) : NULL;
  char *asked = NULL;
  char *answered = NULL;

  switch (g_dbus_message_get_message_type (message))
    {
    case G_DBUS_MESSAGE_TYPE_METHOD_CALL:
      if ((flags & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED) != 0)
        break;
      if (incoming)
        asked = g_strdup_printf ("in %s %u", g_dbus_message_get_sender (message),
                                 g_dbus_message_get_serial (message));
      else
        asked = g_strdup_printf ("out %u", g_dbus_message_get_serial (message));
      break;

    case G_DBUS_MESSAGE_TYPE_METHOD_RETURN:
    case G_DBUS_MESSAGE_TYPE_ERROR:
      if (incoming)
        answered = g_strdup_printf ("out %u", g_dbus_message_get_reply_serial (message));
      else
        answered = g_strdup_printf ("in %s %u", g_dbus_message_get_destination (message),
                                    g_dbus_message_get_reply_serial (message));
      break;

    default:
      break;
    }

  g_mutex_lock (&line->lock);
  if (incoming)
    line->last_received = g_get_monotonic_time ();
  if (body != NULL)
    line->largest = MAX (line->largest, g_variant_get_size (body));
  if (asked != NULL)
    g_hash_table_add (line->unanswered, asked);
  if (answered != NULL)
    g_hash_table_remove (line->unanswered, answered);
  g_mutex_unlock (&line->lock);
  g_free (answered);
  return message;
}

static Line *
line_new (FerryAgentBus   *self,
          GDBusConnection *connection)
{
  Line *line = g_atomic_rc_box_new0 (Line);

  line->bus = self;
  line->connection = g_object_ref (connection);
  g_mutex_init (&line->lock);
  line->unanswered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  line->filter_id = g_dbus_connection_add_filter (connection, on_message, line_ref (line),
                                                  line_unref);
  return line;
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Line *line = user_data;

  g_dbus_connection_close_finish (G_DBUS_CONNECTION (source), result, NULL);
  /* Closed first, so nothing is released on the bus: the name is
   * another connection's now. */
  if (line->owner_id != 0)
    g_bus_unown_name (line->owner_id);
  line_unref (line);
}

/* Stops serving on @line and closes it; the line goes with it. */
static void
close_line (Line *line)
{
  g_clear_handle_id (&line->retire_id, g_source_remove);
  g_dbus_connection_remove_filter (line->connection, line->filter_id);
  g_dbus_connection_close (line->connection, NULL, close_cb, line);
}

static guint
count_unanswered (Line *line)
{
  guint count;

  g_mutex_lock (&line->lock);
  count = g_hash_table_size (line->unanswered);
  g_mutex_unlock (&line->lock);
  return count;
}

static gboolean
check_retired (gpointer user_data)
{
  Line *line = user_data;
  FerryAgentBus *self = line->bus;
  gint64 serving = g_get_monotonic_time () - line->retired_at;
  guint unanswered = count_unanswered (line);

  if (serving < RETIRE_AFTER_MS * G_TIME_SPAN_MILLISECOND ||
      (unanswered > 0 && serving < RETIRE_AT_MOST_S * G_TIME_SPAN_SECOND))
    return G_SOURCE_CONTINUE;

  g_debug ("the connection %s closes (%u calls unanswered)",
           g_dbus_connection_get_unique_name (line->connection), unanswered);
  line->retire_id = 0;
  self->handlers.retire (line->connection, self->user_data);
  g_ptr_array_remove_fast (self->retiring, line);
  close_line (line);
  return G_SOURCE_REMOVE;
}

static void
retire_line (FerryAgentBus *self,
             Line          *line)
{
  line->retired_at = g_get_monotonic_time ();
  line->retire_id = g_timeout_add (RETIRE_CHECK_MS, check_retired, line);
  g_ptr_array_add (self->retiring, line);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Line *line = user_data;
  FerryAgentBus *self = line->bus;
  Line *earlier;

  if (line == self->current)
    {
      self->handlers.acquired (connection, TRUE, self->user_data);
      return;
    }
  if (line != self->next)
    return;

  g_debug ("%s moved from %s to %s", name,
           g_dbus_connection_get_unique_name (self->current->connection),
           g_dbus_connection_get_unique_name (connection));
  earlier = self->current;
  self->current = g_steal_pointer (&self->next);
  /* Whether or not the bus's word of it came there yet. */
  earlier->lost = TRUE;
  retire_line (self, earlier);
  self->handlers.acquired (connection, FALSE, self->user_data);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Line *line = user_data;
  FerryAgentBus *self = line->bus;

  if (line->lost)
    return;
  line->lost = TRUE;

  if (line == self->next)
    {
      /* The move did not happen: stay where we are, unless that is gone
       * too (another agent took the name meanwhile). */
      g_debug ("%s could not move: it stays on %s", name,
               g_dbus_connection_get_unique_name (self->current->connection));
      self->next = NULL;
      retire_line (self, line);
      if (self->current->lost)
        self->handlers.lost (self->current->connection, self->user_data);
      else
        self->handlers.acquired (self->current->connection, FALSE, self->user_data);
    }
  else if (line == self->current && self->next == NULL)
    self->handlers.lost (connection, self->user_data);
  /* else it leaves for the next connection, which will say so. */
}

static void
ask_for_name (FerryAgentBus *self,
              Line          *line,
              gboolean       first)
{
  GBusNameOwnerFlags flags;

  flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT | G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE;
  if (!first || self->replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  line->owner_id = g_bus_own_name_on_connection (line->connection, self->name, flags,
                                                 on_name_acquired, on_name_lost,
                                                 line_ref (line), line_unref);
}

/* The bus answered on the old connection: all sent there before is on its
 * way to the peers. */
static void
passed_on_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Line *line = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    g_debug ("the old connection did not answer: %s", error->message);
  if (line->bus != NULL && line == line->bus->next)
    ask_for_name (line->bus, line, FALSE);
  line_unref (line);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryAgentBus *self = user_data;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gboolean first;
  Line *line;

  connection = g_dbus_connection_new_for_address_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  first = self->current == NULL;
  if (connection == NULL)
    {
      if (first)
        {
          g_debug ("cannot connect to the session bus: %s", error->message);
          self->handlers.lost (NULL, self->user_data);
        }
      else
        g_message ("cannot open a new bus connection, keeping the one in use: %s",
                   error->message);
      return;
    }

  line = line_new (self, connection);
  /* Served before the name comes here, so no call finds the objects
   * missing. */
  if (first)
    {
      self->current = line;
      self->handlers.serve (connection, self->user_data);
      ask_for_name (self, line, TRUE);
      return;
    }

  self->next = line;
  self->handlers.serve (connection, self->user_data);
  self->handlers.moving (self->current->connection, connection, self->user_data);
  g_dbus_connection_call (self->current->connection, "org.freedesktop.DBus",
                          "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId", NULL,
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          passed_on_cb, line_ref (line));
}

static void
connect_line (FerryAgentBus *self)
{
  g_dbus_connection_new_for_address (self->address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, self->cancellable, connected_cb, self);
}

/* Reports, from the main context, that there is no session bus at all. */
static gboolean
report_no_bus (gpointer user_data)
{
  FerryAgentBus *self = user_data;

  self->no_bus_id = 0;
  self->handlers.lost (NULL, self->user_data);
  return G_SOURCE_REMOVE;
}

/**
 * ferry_agent_bus_new:
 * @name: the well-known name to own
 * @replace: whether to take it from an agent that owns it
 * @handlers: what to do as connections come and go
 * @user_data: closure for @handlers
 *
 * Connects to the session bus and asks for @name; the handlers say how it
 * went, from the main context.
 *
 * Returns: (transfer full): the agent's place on the bus
 */
FerryAgentBus *
ferry_agent_bus_new (const char                  *name,
                     gboolean                     replace,
                     const FerryAgentBusHandlers *handlers,
                     gpointer                     user_data)
{
  g_autoptr(GError) error = NULL;
  FerryAgentBus *self;

  g_return_val_if_fail (g_dbus_is_name (name), NULL);
  g_return_val_if_fail (handlers != NULL, NULL);

  self = g_new0 (FerryAgentBus, 1);
  self->name = g_strdup (name);
  self->replace = replace;
  self->handlers = *handlers;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();
  self->retiring = g_ptr_array_new ();
  /* Read once: a move connects to the same bus, and working the address
   * out may block (autolaunch) where moves happen, in the main loop. */
  self->address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->address != NULL)
    connect_line (self);
  else
    {
      g_debug ("no session bus: %s", error->message);
      self->no_bus_id = g_idle_add (report_no_bus, self);
    }
  return self;
}

static gboolean
recheck (gpointer user_data)
{
  FerryAgentBus *self = user_data;

  self->recheck_id = 0;
  ferry_agent_bus_renew_if_grown (self);
  return G_SOURCE_REMOVE;
}

/**
 * ferry_agent_bus_renew_if_grown:
 * @self: the agent's place on the bus
 *
 * Moves to a fresh connection when a large message has come on the one in
 * use, to give back the memory GDBus keeps for it: now if no message has
 * come for a while, else once none has.
 *
 * Returns: whether a move began now
 */
gboolean
ferry_agent_bus_renew_if_grown (FerryAgentBus *self)
{
  gsize largest;
  gint64 quiet_for;
  Line *line;

  g_return_val_if_fail (self != NULL, FALSE);

  line = self->current;
  if (line == NULL || line->lost || self->next != NULL || self->recheck_id != 0)
    return FALSE;
  g_mutex_lock (&line->lock);
  largest = line->largest;
  quiet_for = (g_get_monotonic_time () - line->last_received) / 1000;
  /* Moved from once: what comes next counts for the next connection. */
  if (largest >= RENEW_SIZE && quiet_for >= RENEW_QUIET_MS)
    line->largest = 0;
  g_mutex_unlock (&line->lock);
  if (largest < RENEW_SIZE)
    return FALSE;
  if (quiet_for < RENEW_QUIET_MS)
    {
      self->recheck_id = g_timeout_add (RENEW_QUIET_MS - quiet_for + 1, recheck, self);
      return FALSE;
    }

  g_debug ("a message of %" G_GSIZE_FORMAT " bytes came: moving to a new connection", largest);
  connect_line (self);
  return TRUE;
}

static void
drop_line (FerryAgentBus *self,
           Line          *line)
{
  g_clear_handle_id (&line->retire_id, g_source_remove);
  line->bus = NULL;
  g_dbus_connection_remove_filter (line->connection, line->filter_id);
  /* A name already lost has nothing to release: asking the bus would only
   * earn a warning. */
  if (line->lost || line->owner_id == 0)
    g_dbus_connection_close_sync (line->connection, NULL, NULL);
  if (line->owner_id != 0)
    g_bus_unown_name (line->owner_id);
  line_unref (line);
}

/**
 * ferry_agent_bus_free:
 * @self: (nullable): the agent's place on the bus
 *
 * Releases the name and leaves the bus.
 */
void
ferry_agent_bus_free (FerryAgentBus *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->recheck_id, g_source_remove);
  g_clear_handle_id (&self->no_bus_id, g_source_remove);
  for (guint i = 0; i < self->retiring->len; i++)
    drop_line (self, g_ptr_array_index (self->retiring, i));
  if (self->next != NULL)
    drop_line (self, self->next);
  if (self->current != NULL)
    drop_line (self, self->current);
  g_ptr_array_unref (self->retiring);
  g_object_unref (self->cancellable);
  g_free (self->address);
  g_free (self->name);
  g_free (self);
}
