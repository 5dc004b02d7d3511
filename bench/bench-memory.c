/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ferry-agent-fixture.h"
#include "ferry-test-util.h"

#include "bench-util.h"

/*
 * ferryd's memory under a fuzz of D-Bus calls, printed, not judged: a
 * seeded mix of Enqueue (small bodies, and bodies of exactly the 16 MiB
 * the interface allows; with --too-big, one byte more too), Get, List,
 * Count, Cancel, Retry, RetryAll and malformed calls, a few in flight at
 * once.  Prints ferryd's resident
 * memory before, its peak during the fuzz, and what it keeps once idle
 * (all of it, and what it allocated: the rest is code and files mapped,
 * which grows as more of the libraries' code has run).
 *
 * The built ferryd runs on a private bus with the network fixed offline,
 * so that everything enqueued stays queued.
 */

#define MIB (1024 * 1024)

static int n_calls = 3000;
static int big_every = 100;
static int in_flight = 4;
static int seed = 1;
static gboolean too_big = FALSE;

static GOptionEntry entries[] = {
  { "calls", 0, 0, G_OPTION_ARG_INT, &n_calls, "Calls in all", "N" },
  { "big-every", 0, 0, G_OPTION_ARG_INT, &big_every,
    "One call in N enqueues a body of 16 MiB, the most there may be (0: none)", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight, "Calls in flight at once", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the mix", "N" },
  { "too-big", 0, 0, G_OPTION_ARG_NONE, &too_big,
    "Also send, one call in N, a body one byte over the limit", NULL },
  { NULL }
};

typedef struct
{
  GDBusConnection *connection;
  GRand           *rand;
  GPtrArray       *ids;          /* of the tasks enqueued */
  GBytes          *big_body;     /* FERRY's limit exactly */
  GBytes          *too_big_body; /* one byte more */
  guint32          ferryd_pid;
  int              sent;
  int              answered;
  int              failed;
  double           peak_seen;
} Fuzz;

static void send_next (Fuzz *fuzz);

static GVariant *
enqueue_parameters (Fuzz   *fuzz,
                    GBytes *body)
{
  GVariant *body_value = g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, body, TRUE);

  return g_variant_new ("(@a{sv})",
                        ferry_agent_request_new ("PUT", "http://127.0.0.1:9/notes",
                                                 "body", body_value, NULL));
}

static const char *
random_id (Fuzz *fuzz)
{
  if (fuzz->ids->len == 0)
    return "00000000-0000-4000-8000-000000000000";
  return g_ptr_array_index (fuzz->ids, g_rand_int_range (fuzz->rand, 0, fuzz->ids->len));
}

/* The next call of the mix: its method and parameters. */
static const char *
next_call (Fuzz      *fuzz,
           GVariant **out_parameters)
{
  int n = fuzz->sent;

  if (big_every > 0 && n % big_every == 0)
    {
      *out_parameters = enqueue_parameters (fuzz, fuzz->big_body);
      return "Enqueue";
    }
  if (too_big && big_every > 0 && n % big_every == big_every / 2)
    {
      *out_parameters = enqueue_parameters (fuzz, fuzz->too_big_body);
      return "Enqueue";
    }

  switch (g_rand_int_range (fuzz->rand, 0, 10))
    {
    case 0:
    case 1:
      {
        g_autoptr(GBytes) small = g_bytes_new_static ("{\"title\":\"a note\"}", 18);

        *out_parameters = enqueue_parameters (fuzz, small);
        return "Enqueue";
      }
    case 2:
    case 3:
      *out_parameters = g_variant_new ("(s)", random_id (fuzz));
      return "Get";
    case 4:
      *out_parameters = g_variant_new ("(@a{sv}uu)",
                                       g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0),
                                       (guint32) g_rand_int_range (fuzz->rand, 0, 50), 100);
      return "List";
    case 5:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      return "Count";
    case 6:
      *out_parameters = g_variant_new ("(s)", random_id (fuzz));
      return "Cancel";
    case 7:
      *out_parameters = g_variant_new ("(s)", random_id (fuzz));
      return "Retry";
    case 8:
      *out_parameters = g_variant_new ("(@a{sv})",
                                       g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      return "RetryAll";
    default:
      /* Malformed: a URL that is not one. */
      *out_parameters = g_variant_new ("(@a{sv})",
                                       ferry_agent_request_new ("PUT", "notes", NULL));
      return "Enqueue";
    }
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fuzz *fuzz = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  double rss, peak;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  fuzz->answered++;
  if (reply == NULL)
    fuzz->failed++;
  else if (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(s)")))
    {
      const char *id;

      g_variant_get (reply, "(&s)", &id);
      g_ptr_array_add (fuzz->ids, g_strdup (id));
    }
  bench_read_memory (fuzz->ferryd_pid, &rss, &peak);
  fuzz->peak_seen = MAX (fuzz->peak_seen, peak);
  send_next (fuzz);
}

static void
send_next (Fuzz *fuzz)
{
  GVariant *parameters = NULL;
  const char *method;

  if (fuzz->sent >= n_calls)
    return;
  method = next_call (fuzz, &parameters);
  fuzz->sent++;
  g_dbus_connection_call (fuzz->connection, FERRY_DBUS_NAME, FERRY_DBUS_PATH,
                          FERRY_DBUS_INTERFACE, method, parameters, NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 120000, NULL, call_cb, fuzz);
}

static GBytes *
patterned_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + i / 4096);
  return g_bytes_new_take (data, size);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- ferryd memory under a fuzz");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  FerryAgentFixture fixture = { 0 };
  Fuzz fuzz = { 0 };
  double rss, peak, idle_rss, start_peak;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (big_every != 0)
    big_every = MAX (big_every, 2);
  in_flight = MAX (in_flight, 1);

  tmp = g_dir_make_tmp ("ferry-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("G_TEST_TMPDIR", tmp, TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  ferry_agent_bus_up ();
  ferry_agent_fixture_set_up (&fixture, "offline");
  fuzz.connection = fixture.connection;
  fuzz.ferryd_pid = fixture.ferryd_pid;
  fuzz.rand = g_rand_new_with_seed ((guint32) seed);
  fuzz.ids = g_ptr_array_new_with_free_func (g_free);
  fuzz.big_body = patterned_bytes (16 * MIB);
  fuzz.too_big_body = patterned_bytes (16 * MIB + 1);

  g_print ("ferryd memory under a D-Bus fuzz (%u cores), ferryd pid %u\n",
           g_get_num_processors (), fixture.ferryd_pid);
  bench_read_memory (fixture.ferryd_pid, &idle_rss, &start_peak);
  g_print ("started:   RSS %6.1f MB, allocated %5.1f MB\n", idle_rss,
           bench_read_private (fixture.ferryd_pid));

  for (int i = 0; i < in_flight; i++)
    send_next (&fuzz);
  FERRY_TEST_WAIT (fuzz.answered == n_calls, 1800 * 1000);

  bench_read_memory (fixture.ferryd_pid, &rss, &peak);
  if (big_every > 0)
    g_print ("%d calls (%u tasks stored, %d refused), one in %d with a 16 MiB body%s, "
             "%d in flight\n", n_calls, fuzz.ids->len, fuzz.failed, big_every,
             too_big ? " and one in as many with one byte more" : "", in_flight);
  else
    g_print ("%d calls (%u tasks stored, %d refused), no large body, %d in flight\n",
             n_calls, fuzz.ids->len, fuzz.failed, in_flight);
  g_print ("peak:      RSS %6.1f MB\n", MAX (peak, fuzz.peak_seen));
  g_print ("after:     RSS %6.1f MB\n", rss);
  for (int waited = 5; waited <= 10; waited += 5)
    {
      g_usleep (5 * G_USEC_PER_SEC);
      bench_read_memory (fixture.ferryd_pid, &rss, &peak);
      g_print ("idle %2d s: RSS %6.1f MB, allocated %5.1f MB\n", waited, rss,
               bench_read_private (fixture.ferryd_pid));
    }

  ferry_agent_fixture_tear_down (&fixture);
  ferry_agent_bus_down ();
  g_ptr_array_unref (fuzz.ids);
  g_rand_free (fuzz.rand);
  g_bytes_unref (fuzz.big_body);
  g_bytes_unref (fuzz.too_big_body);
  bench_remove_tree (tmp);
  return 0;
}
