/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryd"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "ferry-collection-manager.h"
#include "ferry-error.h"
#include "ferry-sync-manager.h"

#include "ferry-agent-bus.h"
#include "ferry-agent-files.h"
#include "ferry-agent-service.h"
#include "ferry-agent-settings.h"
#include "ferry-caller-cache.h"
#include "ferry-collection-service.h"
#include "ferry-fixed-network-monitor.h"
#include "ferry-memory-trim.h"
#include "ferry-peer-watch.h"

/*
 * ferryd: the agent.  Owns io.github.ferrysync.Ferry.Agent on the session bus,
 * the task database and the sync manager.  Only one runs per session: a
 * second one finds the name taken and exits with status 0, unless it was
 * started with --replace, in which case the first one hands over and exits.
 *
 * Environment:
 *   FERRY_DATA_DIR      where tasks.db lives, when --data-dir is not given
 *   FERRY_TEST_NETWORK  for tests only: use a fixed network state instead of
 *                       the system's ("full", "limited", "local", "portal",
 *                       "offline", optionally with ",metered"); also stops
 *                       ferryd from following suspend on the system bus,
 *                       unless DBUS_SYSTEM_BUS_ADDRESS names one
 *   FERRY_TEST_NETWORK_FILE
 *                       for tests only: as FERRY_TEST_NETWORK, read from
 *                       this file and followed when it changes
 *   FERRY_TEST_RESOLVER_TIMEOUT
 *                       for tests only: how many milliseconds an app's
 *                       resolver may take (default 10000)
 *   FERRY_TEST_STALLED_AFTER
 *                       for tests only: after how many milliseconds of
 *                       failures a task counts as stalled (default an hour)
 *
 * Settings (GSettings io.github.ferrysync.Ferry) are followed live; without
 * the schema ferryd runs on its defaults.
 */

typedef struct
{
  GMainLoop          *loop;
  char               *data_dir;
  int                 exit_status;
  gboolean            owned;

  FerryAgentBus      *bus;
  GDBusConnection    *connection; /* the one that owns the name */
  FerryDatabase      *database;
  GSettings          *settings;
  FerryCallerCache   *callers;
  FerryAgentService  *service;
  FerrySyncManager   *manager;
  FerryAgentFiles    *files;
  FerryTransfers     *transfers;
  FerryCollectionManager *collections;
  FerryCollectionService *collection_service;
  FerryMemoryTrim    *trim;
  FerryPeerWatch     *peers;
} Daemon;

static void
daemon_clear (Daemon *daemon)
{
  /* Collections first: their runs hold slots of the task manager. */
  g_clear_pointer (&daemon->trim, ferry_memory_trim_free);
  g_clear_pointer (&daemon->peers, ferry_peer_watch_free);
  g_clear_object (&daemon->collection_service);
  g_clear_object (&daemon->collections);
  if (daemon->manager != NULL)
    ferry_sync_manager_stop (daemon->manager);
  if (daemon->service != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (daemon->service));
  g_clear_object (&daemon->files);
  g_clear_object (&daemon->transfers);
  g_clear_object (&daemon->service);
  g_clear_object (&daemon->manager);
  g_clear_object (&daemon->settings);
  g_clear_object (&daemon->callers);
  g_clear_object (&daemon->database);
  if (daemon->connection != NULL)
    g_dbus_connection_flush_sync (daemon->connection, NULL, NULL);
  g_clear_object (&daemon->connection);
  g_clear_pointer (&daemon->loop, g_main_loop_unref);
  g_clear_pointer (&daemon->data_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Daemon, daemon_clear)

static void
quit (Daemon *daemon,
      int     status)
{
  if (status != 0)
    daemon->exit_status = status;
  g_main_loop_quit (daemon->loop);
}

static gboolean
on_signal_quit (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_debug ("quitting on a signal");
  quit (daemon, 0);
  return G_SOURCE_CONTINUE;
}

static FerryConnectivity *
create_connectivity (GError **error)
{
  g_autoptr(GNetworkMonitor) network = NULL;
  g_autoptr(GDBusConnection) system_bus = NULL;
  const char *test_network = g_getenv ("FERRY_TEST_NETWORK");
  const char *test_network_file = g_getenv ("FERRY_TEST_NETWORK_FILE");

  /* Empty counts as unset: a bus's activation environment cannot unset. */
  if (test_network_file != NULL && *test_network_file != '\0')
    {
      network = ferry_fixed_network_monitor_new_from_file (test_network_file, error);
      if (network == NULL)
        return NULL;
      g_message ("FERRY_TEST_NETWORK_FILE is set: the network follows %s", test_network_file);
    }
  else if (test_network != NULL)
    {
      network = ferry_fixed_network_monitor_new_from_string (test_network, error);
      if (network == NULL)
        return NULL;
      g_message ("FERRY_TEST_NETWORK is set: the network is fixed at “%s”", test_network);
    }

  /* logind tells about resume from sleep; without a system bus, ferryd
   * still works, it just notices the network only.  Under test, only a
   * system bus the test names (its private one) is followed. */
  if (network == NULL || g_getenv ("DBUS_SYSTEM_BUS_ADDRESS") != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &local_error);
      if (system_bus == NULL)
        g_debug ("no system bus, not following suspend: %s", local_error->message);
    }
  return ferry_connectivity_new (network, NULL, system_bus);
}

/* Timings a test may shorten through the environment, in milliseconds:
 * a real hour or ten seconds is too long for a test to wait. */
static const struct
{
  const char *variable;
  const char *property;
  guint64     max;
  gboolean    microseconds;   /* the property counts µs rather than ms */
} test_timings[] = {
  { "FERRY_TEST_RESOLVER_TIMEOUT", "resolver-timeout", 600000, FALSE },
  { "FERRY_TEST_STALLED_AFTER", "stalled-after", G_MAXINT64 / 1000, TRUE },
};

static gboolean
apply_test_timings (FerrySyncManager  *manager,
                    GError           **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (test_timings); i++)
    {
      const char *text = g_getenv (test_timings[i].variable);
      guint64 ms = 0;

      if (text == NULL)
        continue;
      if (!g_ascii_string_to_unsigned (text, 10, 1, test_timings[i].max, &ms, error))
        {
          g_prefix_error (error, "%s: ", test_timings[i].variable);
          return FALSE;
        }
      g_message ("%s is set: %s is %" G_GUINT64_FORMAT " ms", test_timings[i].variable,
                 test_timings[i].property, ms);
      if (test_timings[i].microseconds)
        g_object_set (manager, test_timings[i].property, (gint64) ms * 1000, NULL);
      else
        g_object_set (manager, test_timings[i].property, (guint) ms, NULL);
    }
  return TRUE;
}

static void
on_quiet (gpointer user_data)
{
  Daemon *daemon = user_data;

  ferry_agent_bus_renew_if_grown (daemon->bus);
}

/* What follows the messages of the connection that owns the name: who
 * talks to ferryd, and when calls are quiet. */
static void
watch_messages (Daemon *daemon)
{
  g_clear_pointer (&daemon->trim, ferry_memory_trim_free);
  g_clear_pointer (&daemon->peers, ferry_peer_watch_free);
  daemon->peers = ferry_peer_watch_new (daemon->connection, daemon->callers);
  if (daemon->database != NULL)
    daemon->trim = ferry_memory_trim_new (daemon->connection, daemon->database, on_quiet,
                                          daemon);
}

static gboolean
start_engine (Daemon  *daemon,
              GError **error)
{
  g_autoptr(FerryDatabase) database = NULL;
  g_autoptr(FerryTaskStore) store = NULL;
  g_autoptr(FerryCollectionStore) replicas = NULL;
  g_autoptr(FerryConnectivity) connectivity = NULL;
  g_autoptr(FerryExecutor) executor = NULL;
  g_autofree char *db_path = NULL;

  if (g_mkdir_with_parents (daemon->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", daemon->data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* One database for every part that keeps data; each part brings its
   * own tables up to date. */
  db_path = g_build_filename (daemon->data_dir, "tasks.db", NULL);
  database = ferry_database_new (db_path, error);
  if (database == NULL)
    return FALSE;
  store = ferry_task_store_new_for_database (database, error);
  if (store == NULL)
    return FALSE;
  replicas = ferry_collection_store_new (database, error);
  if (replicas == NULL)
    return FALSE;

  connectivity = create_connectivity (error);
  if (connectivity == NULL)
    return FALSE;

  /* Tasks and collections share one session (one pool of kept-alive
   * connections) and one concurrency limit. */
  executor = ferry_executor_new (NULL);
  daemon->manager = ferry_sync_manager_new (store, executor, connectivity, NULL);
  /* Files go through the same outbox; set up before its first run. */
  daemon->transfers = ferry_transfers_new (daemon->manager, database, daemon->data_dir, error);
  if (daemon->transfers == NULL)
    return FALSE;
  daemon->collections = ferry_collection_manager_new (replicas, executor, connectivity,
                                                      daemon->manager);

  /* Settings apply before the first run, and whenever they change. */
  daemon->settings = ferry_agent_settings_new ();
  if (daemon->settings != NULL)
    {
      ferry_agent_settings_bind (daemon->settings, daemon->manager);
      ferry_agent_settings_bind_conflict_defaults (daemon->settings, daemon->service);
    }
  if (!apply_test_timings (daemon->manager, error))
    return FALSE;

  if (!ferry_sync_manager_start (daemon->manager, error))
    return FALSE;
  if (!ferry_collection_manager_start (daemon->collections, error))
    return FALSE;
  ferry_collection_service_attach (daemon->collection_service, daemon->collections);
  ferry_agent_service_attach (daemon->service, daemon->manager);
  ferry_resolver_registry_install_collections (ferry_agent_service_get_resolvers (daemon->service),
                                               daemon->collections);
  ferry_agent_files_bind_settings (daemon->settings, daemon->transfers);
  ferry_agent_files_attach (daemon->files, daemon->transfers);
  daemon->database = g_object_ref (database);
  watch_messages (daemon);
  g_debug ("serving tasks from %s", db_path);
  return TRUE;
}

static void
on_bus_serve (GDBusConnection *connection,
              gpointer         user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  if (daemon->connection != NULL)
    {
      /* A new connection to move to: the same objects there too. */
      if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (daemon->service),
                                             connection, FERRY_DBUS_PATH, &error))
        g_warning ("Cannot export %s on a new connection: %s", FERRY_DBUS_PATH,
                   error->message);
      ferry_collection_service_serve (daemon->collection_service, connection);
      return;
    }

  daemon->connection = g_object_ref (connection);

  /* Exported before the name is requested, so a call that activated us
   * never finds the object missing; it waits until the engine runs. */
  daemon->callers = ferry_caller_cache_new (connection);
  watch_messages (daemon);
  daemon->service = ferry_agent_service_new (daemon->callers);
  daemon->files = ferry_agent_files_new (daemon->service, daemon->callers);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (daemon->service),
                                         connection, FERRY_DBUS_PATH, &error))
    {
      g_printerr ("ferryd: cannot export %s: %s\n", FERRY_DBUS_PATH, error->message);
      quit (daemon, EXIT_FAILURE);
      return;
    }
  daemon->collection_service = ferry_collection_service_new (daemon->callers,
                                                             FERRY_DBUS_AGENT (daemon->service),
                                                             connection);
}

/* The peers hear of the move before anything else changes; whatever
 * ferryd says meanwhile waits for the new connection. */
static void
on_bus_moving (GDBusConnection *from,
               GDBusConnection *to,
               gpointer         user_data)
{
  Daemon *daemon = user_data;

  ferry_agent_service_emit_moving (daemon->service, g_dbus_connection_get_unique_name (to));
  ferry_caller_cache_hold_signals (daemon->callers);
}

/* The name moved to a new connection (or stayed, when the move failed):
 * every part follows it. */
static void
move_to (Daemon          *daemon,
         GDBusConnection *connection)
{
  g_set_object (&daemon->connection, connection);
  ferry_caller_cache_set_connection (daemon->callers, connection);
  ferry_resolver_registry_set_connection (ferry_agent_service_get_resolvers (daemon->service),
                                          connection);
  watch_messages (daemon);
}

static void
on_bus_acquired (GDBusConnection *connection,
                 gboolean         first,
                 gpointer         user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  if (!first)
    {
      move_to (daemon, connection);
      return;
    }
  if (daemon->owned || daemon->service == NULL)
    return;
  daemon->owned = TRUE;
  g_debug ("owning %s", FERRY_DBUS_NAME);

  if (!start_engine (daemon, &error))
    {
      g_printerr ("ferryd: cannot start: %s\n", error->message);
      quit (daemon, EXIT_FAILURE);
    }
}

static void
on_bus_retire (GDBusConnection *connection,
               gpointer         user_data)
{
  Daemon *daemon = user_data;

  g_dbus_interface_skeleton_unexport_from_connection (
    G_DBUS_INTERFACE_SKELETON (daemon->service), connection);
  ferry_collection_service_retire (daemon->collection_service, connection);
}

static void
on_bus_lost (GDBusConnection *connection,
             gpointer         user_data)
{
  Daemon *daemon = user_data;

  if (connection == NULL || g_dbus_connection_is_closed (connection))
    {
      if (daemon->owned)
        {
          g_message ("the session bus went away");
          quit (daemon, 0);
        }
      else
        {
          g_printerr ("ferryd: cannot connect to the session bus\n");
          quit (daemon, EXIT_FAILURE);
        }
    }
  else if (daemon->owned)
    {
      g_message ("another ferryd replaced this one");
      quit (daemon, 0);
    }
  else
    {
      /* Not an error: the one that runs serves everybody. */
      g_printerr ("ferryd: %s is already owned by another ferryd; exiting\n", FERRY_DBUS_NAME);
      quit (daemon, 0);
    }
}

static char *
default_data_dir (void)
{
  const char *env = g_getenv ("FERRY_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "ferry", NULL);
}

/* The command line: options, --help's text.  Returns -1 to go on, else
 * the status to exit with. */
static int
parse_command_line (int        *argc,
                    char     ***argv,
                    char      **out_data_dir,
                    gboolean   *out_replace)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, out_data_dir,
      "Keep the task database in DIR (default: $FERRY_DATA_DIR or $XDG_DATA_HOME/ferry)",
      "DIR" },
    { "replace", 'r', 0, G_OPTION_ARG_NONE, out_replace,
      "Replace a running ferryd", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Log what happens", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The Ferry agent: stores changes and delivers them to their "
                                "servers.\nUsually started by D-Bus activation.");
  g_option_context_set_description (context,
                                    "Environment:\n"
                                    "  FERRY_DATA_DIR      where tasks.db lives, unless --data-dir "
                                    "is given\n"
                                    "  FERRY_TEST_NETWORK  for tests only: a fixed network instead "
                                    "of the system's\n"
                                    "                      (full, limited, local, portal or "
                                    "offline, optionally\n"
                                    "                      followed by ,metered)\n"
                                    "  FERRY_TEST_NETWORK_FILE\n"
                                    "                      for tests only: the same, read from "
                                    "this file and\n"
                                    "                      followed when it changes\n"
                                    "  FERRY_TEST_RESOLVER_TIMEOUT\n"
                                    "                      for tests only: milliseconds an app's "
                                    "conflict resolver\n"
                                    "                      may take (default 10000)\n"
                                    "  FERRY_TEST_STALLED_AFTER\n"
                                    "                      for tests only: milliseconds of "
                                    "failures after which a\n"
                                    "                      change counts as stalled (default "
                                    "an hour)\n"
                                    "\n"
                                    "Settings are read live from GSettings "
                                    FERRY_SETTINGS_SCHEMA ";\n"
                                    "without that schema ferryd runs on its defaults.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("ferryd: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (*argc > 1)
    {
      g_printerr ("ferryd: unexpected argument “%s”\n", (*argv)[1]);
      return EXIT_FAILURE;
    }
  if (version)
    {
      g_print ("ferryd %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (verbose)
    g_log_set_debug_enabled (TRUE);
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Daemon) daemon = { NULL, };
  g_autofree char *data_dir = NULL;
  gboolean replace = FALSE;
  const FerryAgentBusHandlers handlers = {
    on_bus_serve, on_bus_moving, on_bus_acquired, on_bus_retire, on_bus_lost,
  };
  int status;

  setlocale (LC_ALL, "");

#ifdef __GLIBC__
  /* Bodies of up to 16 MiB pass through now and then (an Enqueue, a Get,
   * their D-Bus messages).  glibc would raise its mmap threshold after the
   * first one was freed and serve the next from the heap, where freed
   * memory stays with the process; a fixed threshold keeps every large
   * block mapped on its own, so ferryd goes back to its idle size. */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif

  /* stdout may be a pipe nobody reads (a bus daemon's); logs go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  status = parse_command_line (&argc, &argv, &data_dir, &replace);
  if (status >= 0)
    return status;

  /* Remote errors map back to FERRY_ERROR, and ours travel by name. */
  ferry_error_quark ();

  daemon.loop = g_main_loop_new (NULL, FALSE);
  daemon.data_dir = data_dir != NULL ? g_steal_pointer (&data_dir) : default_data_dir ();

  g_unix_signal_add (SIGINT, on_signal_quit, &daemon);
  g_unix_signal_add (SIGTERM, on_signal_quit, &daemon);

  daemon.bus = ferry_agent_bus_new (FERRY_DBUS_NAME, replace, &handlers, &daemon);

  g_main_loop_run (daemon.loop);

  g_clear_pointer (&daemon.bus, ferry_agent_bus_free);
  return daemon.exit_status;
}
