/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ferry-error.h"

#include "ferry-caller-cache.h"
#include "ferry-caller.h"

#define CONNECTION_FLAGS (G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | \
                          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION)

/* What Flatpak writes into every sandbox, trimmed. */
static const char flatpak_info[] =
  "[Application]\n"
  "name=org.example.Notes\n"
  "runtime=runtime/org.gnome.Platform/x86_64/45\n"
  "\n"
  "[Instance]\n"
  "instance-id=1234567890\n"
  "app-path=/var/lib/flatpak/app/org.example.Notes/x86_64/stable/active/files\n";

static void
test_flatpak_info_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  g_assert_true (ferry_caller_parse_flatpak_info (flatpak_info, strlen (flatpak_info),
                                                  &app_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (app_id, ==, "org.example.Notes");
}

static void
test_flatpak_info_invalid (void)
{
  static const struct {
    const char *data;
    const char *what;
  } cases[] = {
    { "", "empty" },
    { "[Instance]\ninstance-id=1\n", "no [Application] group" },
    { "[Application]\nruntime=runtime/x\n", "no name key" },
    { "[Application]\nname=\n", "empty name" },
    { "[Application]\nname=not an id\n", "invalid application id" },
    { "[Application]\nname=org.example.Notes/../../x\n", "path in the name" },
    { "name=org.example.Notes\n", "key outside a group" },
    { "\x01\x02\xff\xfe garbage", "binary garbage" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *app_id = NULL;

      g_test_message ("case: %s", cases[i].what);
      g_assert_false (ferry_caller_parse_flatpak_info (cases[i].data, strlen (cases[i].data),
                                                       &app_id, &error));
      g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED);
      g_assert_null (app_id);
    }
}

static void
test_flatpak_info_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;
  const char *data = "[Application]\nname=org.example.A\n[Application]\nname=org.example.B\n";
  gsize first_group = strlen ("[Application]\nname=org.example.A\n");

  /* Only @len bytes count: the data need not end in a NUL. */
  g_assert_true (ferry_caller_parse_flatpak_info (data, first_group, &app_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (app_id, ==, "org.example.A");
}

static void
test_access_sandboxed (void)
{
  g_autoptr(FerryCaller) caller = ferry_caller_new (":1.7", 42, "org.example.Notes", TRUE);
  g_autoptr(GError) error = NULL;
  const char *id = "5f0c2c1e-3d0e-4bb4-9b0a-6b8d0d1c2a11";

  g_assert_true (ferry_caller_is_owner (caller, "org.example.Notes"));
  g_assert_false (ferry_caller_is_owner (caller, "org.example.Mail"));
  g_assert_false (ferry_caller_is_owner (caller, NULL));

  g_assert_true (ferry_caller_check_task_access (caller, id, "org.example.Notes", &error));
  g_assert_no_error (error);

  /* Another app's task does not exist as far as a sandboxed app knows. */
  g_assert_false (ferry_caller_check_task_access (caller, id, "org.example.Mail", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, id));
  g_clear_error (&error);

  g_assert_false (ferry_caller_check_task_access (caller, id, "org.example.Notes2", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (ferry_caller_check_global_action (caller, "Pause", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Lists and counts are limited to its own tasks, whatever it asks. */
  g_assert_cmpstr (ferry_caller_restrict_owner (caller, NULL), ==, "org.example.Notes");
  g_assert_cmpstr (ferry_caller_restrict_owner (caller, "org.example.Mail"), ==,
                   "org.example.Notes");
}

static void
test_access_unsandboxed (void)
{
  g_autoptr(FerryCaller) caller = ferry_caller_new (":1.8", 43, "ferryctl", FALSE);
  g_autoptr(GError) error = NULL;
  const char *id = "5f0c2c1e-3d0e-4bb4-9b0a-6b8d0d1c2a11";

  g_assert_true (ferry_caller_check_task_access (caller, id, "org.example.Mail", &error));
  g_assert_true (ferry_caller_check_task_access (caller, id, "ferryctl", &error));
  g_assert_true (ferry_caller_check_global_action (caller, "Pause", &error));
  g_assert_no_error (error);

  /* It sees everything, but only the owner sees credentials. */
  g_assert_false (ferry_caller_is_owner (caller, "org.example.Mail"));
  g_assert_true (ferry_caller_is_owner (caller, "ferryctl"));

  g_assert_null (ferry_caller_restrict_owner (caller, NULL));
  g_assert_cmpstr (ferry_caller_restrict_owner (caller, "org.example.Mail"), ==,
                   "org.example.Mail");
}

static void
test_owner_for_enqueue (void)
{
  g_autoptr(FerryCaller) plain = ferry_caller_new (":1.9", 44, "python3", FALSE);
  g_autoptr(FerryCaller) sandboxed = ferry_caller_new (":1.10", 45, "org.example.Notes", TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *long_id = g_strnfill (256, 'a');

  owner = ferry_caller_dup_owner_for_enqueue (plain, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner, ==, "python3");
  g_clear_pointer (&owner, g_free);

  owner = ferry_caller_dup_owner_for_enqueue (plain, "org.example.Script", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner, ==, "org.example.Script");
  g_clear_pointer (&owner, g_free);

  owner = ferry_caller_dup_owner_for_enqueue (plain, "has space", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "app-id"));
  g_assert_null (owner);
  g_clear_error (&error);

  owner = ferry_caller_dup_owner_for_enqueue (plain, long_id, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A sandboxed app cannot pass itself off as another. */
  owner = ferry_caller_dup_owner_for_enqueue (sandboxed, "org.example.Mail", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED);
  g_assert_null (owner);
  g_clear_error (&error);

  owner = ferry_caller_dup_owner_for_enqueue (sandboxed, "org.example.Notes2", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Its own id is fine: that is who it is anyway. */
  owner = ferry_caller_dup_owner_for_enqueue (sandboxed, "org.example.Notes", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner, ==, "org.example.Notes");
  g_clear_pointer (&owner, g_free);

  owner = ferry_caller_dup_owner_for_enqueue (sandboxed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner, ==, "org.example.Notes");
}

static void
test_labels (void)
{
  static const struct {
    const char *label;
    gboolean    valid;
  } labels[] = {
    { "org.example.Notes", TRUE },
    { "ferryctl", TRUE },
    { "python3.11", TRUE },
    { "gnome-shell", TRUE },
    { "a_b+c", TRUE },
    { "", FALSE },
    { ".hidden", FALSE },
    { "-flag", FALSE },
    { "with space", FALSE },
    { "slash/inside", FALSE },
    { "tab\there", FALSE },
    { "caf\xc3\xa9", FALSE },
  };
  static const struct {
    const char *path;
    const char *label;
  } executables[] = {
    { "/usr/bin/ferryctl", "ferryctl" },
    { "/usr/libexec/gnome shell", "gnome_shell" },
    { "/opt/app/run (deleted)", "run" },
    { "caf\xc3\xa9", "caf__" },
    { "/", NULL },
    { "/tmp/.hidden", NULL },
  };
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *long_label = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_test_message ("label: %s", labels[i].label);
      g_assert_cmpint (ferry_app_label_is_valid (labels[i].label), ==, labels[i].valid);
    }
  g_assert_false (ferry_app_label_is_valid (NULL));
  g_assert_false (ferry_app_label_is_valid (long_name));

  for (guint i = 0; i < G_N_ELEMENTS (executables); i++)
    {
      g_autofree char *label = ferry_app_label_from_executable (executables[i].path);

      g_assert_cmpstr (label, ==, executables[i].label);
    }

  long_label = ferry_app_label_from_executable (long_name);
  g_assert_cmpuint (strlen (long_label), ==, 255);
  g_assert_true (ferry_app_label_is_valid (long_label));
}

static void
test_for_pid (void)
{
  g_autoptr(FerryCaller) self = NULL;
  g_autoptr(FerryCaller) gone = NULL;
  g_autoptr(GError) error = NULL;

  /* This test program runs outside any sandbox. */
  self = ferry_caller_new_for_pid (":1.1", (guint32) getpid (), &error);
  g_assert_no_error (error);
  g_assert_false (self->sandboxed);
  g_assert_cmpstr (self->app_id, ==, "test-caller");
  g_assert_cmpuint (self->pid, ==, getpid ());
  g_assert_cmpstr (self->unique_name, ==, ":1.1");

  /* Above the kernel's largest pid (2^22). */
  gone = ferry_caller_new_for_pid (":1.2", 1u << 30, &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_FAILED);
  g_assert_null (gone);
}

/* One bus for the program: a GTestDBus per test would leak its watcher's
 * pipe into later bus daemons (see ferry-agent-fixture.c). */
static GTestDBus *test_bus;

typedef struct
{
  GDBusConnection  *service;   /* where the cache lives, as in ferryd */
  FerryCallerCache *cache;
} CacheFixture;

static GDBusConnection *
connect_to (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       CONNECTION_FLAGS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

static void
cache_set_up (CacheFixture  *fixture,
              gconstpointer  user_data)
{
  ferry_error_quark ();
  fixture->service = connect_to (test_bus);
  fixture->cache = ferry_caller_cache_new (fixture->service);
}

static void
cache_tear_down (CacheFixture  *fixture,
                 gconstpointer  user_data)
{
  g_clear_object (&fixture->cache);
  g_dbus_connection_close_sync (fixture->service, NULL, NULL);
  g_clear_object (&fixture->service);
}

typedef struct
{
  guint        answered;
  FerryCaller *caller;
  GError      *error;
} LookupResult;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupResult *lookup = user_data;
  g_autoptr(FerryCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  lookup->answered++;
  if (caller != NULL && lookup->caller == NULL)
    lookup->caller = g_steal_pointer (&caller);
  else if (error != NULL && lookup->error == NULL)
    lookup->error = g_steal_pointer (&error);
}

static void
test_cache_identifies_and_forgets (CacheFixture  *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GDBusConnection) client = connect_to (test_bus);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  const char *name = g_dbus_connection_get_unique_name (client);
  LookupResult lookup = { 0, };

  /* Many calls at once from one peer share one question to the bus. */
  for (guint i = 0; i < 50; i++)
    ferry_caller_cache_lookup_async (fixture->cache, name, NULL, lookup_cb, &lookup);
  while (lookup.answered < 50)
    g_main_context_iteration (context, TRUE);
  g_assert_no_error (lookup.error);
  g_assert_nonnull (lookup.caller);
  g_assert_cmpstr (lookup.caller->unique_name, ==, name);
  g_assert_cmpuint (lookup.caller->pid, ==, getpid ());
  g_assert_cmpstr (lookup.caller->app_id, ==, "test-caller");
  g_assert_false (lookup.caller->sandboxed);
  g_assert_cmpuint (ferry_caller_cache_get_size (fixture->cache), ==, 1);

  /* The entry goes when the peer leaves the bus. */
  g_dbus_connection_close_sync (client, NULL, NULL);
  while (ferry_caller_cache_get_size (fixture->cache) > 0)
    g_main_context_iteration (context, TRUE);

  g_clear_pointer (&lookup.caller, ferry_caller_unref);
}

static void
test_cache_unknown_peers (CacheFixture  *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  LookupResult gone = { 0, };
  LookupResult nameless = { 0, };

  ferry_caller_cache_lookup_async (fixture->cache, ":1.9999", NULL, lookup_cb, &gone);
  ferry_caller_cache_lookup_async (fixture->cache, NULL, NULL, lookup_cb, &nameless);
  while (gone.answered < 1 || nameless.answered < 1)
    g_main_context_iteration (context, TRUE);

  g_assert_error (gone.error, FERRY_ERROR, FERRY_ERROR_FAILED);
  g_assert_null (gone.caller);
  g_assert_error (nameless.error, FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (ferry_caller_cache_get_size (fixture->cache), ==, 0);

  g_clear_error (&gone.error);
  g_clear_error (&nameless.error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/daemon/caller/flatpak-info/valid", test_flatpak_info_valid);
  g_test_add_func ("/daemon/caller/flatpak-info/invalid", test_flatpak_info_invalid);
  g_test_add_func ("/daemon/caller/flatpak-info/length", test_flatpak_info_length);
  g_test_add_func ("/daemon/caller/access/sandboxed", test_access_sandboxed);
  g_test_add_func ("/daemon/caller/access/unsandboxed", test_access_unsandboxed);
  g_test_add_func ("/daemon/caller/owner-for-enqueue", test_owner_for_enqueue);
  g_test_add_func ("/daemon/caller/labels", test_labels);
  g_test_add_func ("/daemon/caller/for-pid", test_for_pid);
  g_test_add ("/daemon/caller/cache/identifies-and-forgets", CacheFixture, NULL,
              cache_set_up, test_cache_identifies_and_forgets, cache_tear_down);
  g_test_add ("/daemon/caller/cache/unknown-peers", CacheFixture, NULL,
              cache_set_up, test_cache_unknown_peers, cache_tear_down);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
  status = g_test_run ();
  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);
  return status;
}
