/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-peer-watch"

#include "config.h"

#include "ferry-peer-watch.h"

/*
 * Every peer that talks to ferryd is identified, not only those that call
 * its methods: a client's proxy reads the agent's properties when it
 * starts, and from then on it hears the agent's signals about what it may
 * see (they go to each such peer, not to the whole bus).  A filter in
 * GDBus's thread notes each new sender once and has the caller cache
 * identify it in the main context; the cache forgets it when it leaves.
 */

/* Senders noted at most before the note starts again (unique names are
 * never reused; this only bounds the memory of a long-lived agent). */
#define MAX_NOTED 4096

struct _FerryPeerWatch
{
  GDBusConnection *connection;
  GMainContext    *context;
  GWeakRef         callers;    /* FerryCallerCache */
  guint            filter_id;

  GMutex           lock;
  GHashTable      *noted;      /* unique names, under lock */
};

typedef struct
{
  FerryPeerWatch *watch;       /* a reference */
  char           *sender;
} Note;

static FerryPeerWatch *
watch_ref (FerryPeerWatch *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
watch_clear (FerryPeerWatch *self)
{
  g_hash_table_unref (self->noted);
  g_mutex_clear (&self->lock);
  g_weak_ref_clear (&self->callers);
  g_main_context_unref (self->context);
  g_object_unref (self->connection);
}

static void
watch_unref (gpointer self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) watch_clear);
}

static void
note_free (gpointer data)
{
  Note *note = data;

  watch_unref (note->watch);
  g_free (note->sender);
  g_free (note);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FerryCaller) caller = NULL;

  /* A peer that left at once, or that cannot be told, hears nothing. */
  caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (source), result, NULL);
}

static gboolean
identify_in_main (gpointer data)
{
  Note *note = data;
  g_autoptr(FerryCallerCache) callers = g_weak_ref_get (&note->watch->callers);

  if (callers != NULL)
    ferry_caller_cache_lookup_async (callers, note->sender, NULL, lookup_cb, NULL);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
on_message (GDBusConnection *connection,
            GDBusMessage    *message,
            gboolean         incoming,
            gpointer         user_data)
{
  FerryPeerWatch *self = user_data;
  const char *sender;
  gboolean is_new;
  Note *note;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;
  sender = g_dbus_message_get_sender (message);
  if (sender == NULL || sender[0] != ':')
    return message;

  g_mutex_lock (&self->lock);
  is_new = !g_hash_table_contains (self->noted, sender);
  if (is_new)
    {
      if (g_hash_table_size (self->noted) >= MAX_NOTED)
        g_hash_table_remove_all (self->noted);
      g_hash_table_add (self->noted, g_strdup (sender));
    }
  g_mutex_unlock (&self->lock);

  if (is_new)
    {
      note = g_new0 (Note, 1);
      note->watch = watch_ref (self);
      note->sender = g_strdup (sender);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, identify_in_main, note,
                                  note_free);
    }
  return message;
}

/**
 * ferry_peer_watch_new:
 * @connection: the agent's bus connection
 * @callers: the cache that identifies callers
 *
 * Returns: (transfer full): the watch, until freed
 */
FerryPeerWatch *
ferry_peer_watch_new (GDBusConnection  *connection,
                      FerryCallerCache *callers)
{
  FerryPeerWatch *self = g_atomic_rc_box_new0 (FerryPeerWatch);

  self->connection = g_object_ref (connection);
  self->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->callers, callers);
  g_mutex_init (&self->lock);
  self->noted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->filter_id = g_dbus_connection_add_filter (connection, on_message, watch_ref (self),
                                                  watch_unref);
  return self;
}

/**
 * ferry_peer_watch_free:
 * @self: (nullable): a watch
 *
 * Stops noting peers.
 */
void
ferry_peer_watch_free (FerryPeerWatch *self)
{
  if (self == NULL)
    return;
  g_dbus_connection_remove_filter (self->connection, self->filter_id);
  watch_unref (self);
}
