/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hands one change to Ferry and follows it until it is delivered.
 *
 *   cc -o ferry-enqueue ferry-enqueue.c $(pkg-config --cflags --libs ferry-1)
 *   ./ferry-enqueue PUT https://example.org/notes/1 '{"title": "Hello"}'
 *
 * Exits 0 once the server accepted the change, 1 when it failed for good or
 * the agent could not be reached, 2 on bad usage.
 */
#include <ferry.h>

typedef struct
{
  GMainLoop   *loop;
  FerryClient *client;
  char        *id;          /* our task, once the agent stored it */
  GHashTable  *delivered;   /* ids delivered before we knew ours */
  char       **args;        /* METHOD URL JSON */
  int          status;
} Demo;

static void
finish (Demo *demo,
        int   status)
{
  demo->status = status;
  g_main_loop_quit (demo->loop);
}

static void
on_task_succeeded (FerryClient *client,
                   const char  *id,
                   const char  *owner,
                   guint        http_status,
                   Demo        *demo)
{
  /* Signals tell about every task on the bus that the app may see. */
  if (demo->id == NULL)
    {
      g_hash_table_add (demo->delivered, g_strdup (id));
      return;
    }
  if (g_str_equal (id, demo->id))
    {
      g_print ("delivered %s: HTTP %u\n", id, http_status);
      finish (demo, 0);
    }
}

static void
on_task_failed (FerryClient *client,
                const char  *id,
                const char  *owner,
                const char  *reason,
                Demo        *demo)
{
  if (demo->id != NULL && g_str_equal (id, demo->id))
    {
      g_printerr ("failed %s: %s\n", id, reason);
      finish (demo, 1);
    }
}

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;

  /* The change is on disk now: it arrives even if this program quits. */
  demo->id = ferry_client_enqueue_finish (FERRY_CLIENT (object), result, &error);
  if (demo->id == NULL)
    {
      g_printerr ("Could not enqueue: %s\n", error->message);
      finish (demo, 1);
      return;
    }
  g_print ("enqueued %s\n", demo->id);
  if (g_hash_table_contains (demo->delivered, demo->id))
    {
      g_print ("delivered %s\n", demo->id);
      finish (demo, 0);
    }
}

static void
client_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(FerryRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  demo->client = ferry_client_new_finish (result, &error);
  if (demo->client == NULL)
    {
      g_printerr ("Could not reach the session bus: %s\n", error->message);
      finish (demo, 1);
      return;
    }

  /* Own the task under the app's id, not the executable's name. */
  ferry_client_set_app_id (demo->client, "org.example.FerryDemo");

  g_signal_connect (demo->client, "task-succeeded", G_CALLBACK (on_task_succeeded), demo);
  g_signal_connect (demo->client, "task-failed", G_CALLBACK (on_task_failed), demo);

  request = ferry_request_new (demo->args[0], demo->args[1]);
  ferry_request_set_body_text (request, demo->args[2], "application/json");
  ferry_client_enqueue_async (demo->client, request, NULL, enqueued_cb, demo);
}

static gboolean
on_timeout (gpointer user_data)
{
  Demo *demo = user_data;

  g_printerr ("Not delivered yet; Ferry keeps trying.\n");
  finish (demo, 1);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  Demo demo = { 0 };

  if (argc != 4)
    {
      g_printerr ("Usage: %s METHOD URL JSON\n", argv[0]);
      return 2;
    }

  demo.args = argv + 1;
  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ferry_client_new_async (NULL, FERRY_CLIENT_FLAGS_NONE, NULL, client_ready_cb, &demo);
  g_timeout_add_seconds (60, on_timeout, &demo);
  g_main_loop_run (demo.loop);

  g_clear_object (&demo.client);
  g_hash_table_unref (demo.delivered);
  g_free (demo.id);
  g_main_loop_unref (demo.loop);
  return demo.status;
}
