/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "ferry-tray.h"

#include "ferry-tray-test-config.h"

/*
 * Shows Ferry's tray item on the session bus without the window, for
 * looking at it in a real panel: `tray-demo` follows the agent on the
 * session bus (starting it by D-Bus activation when a call needs it), says
 * on standard output what the item is asked to do, and exits on Quit.
 * Icons come from the source tree unless FERRY_ICON_THEME_PATH says
 * otherwise.
 */

typedef struct
{
  GMainLoop   *loop;
  FerryClient *client;
  FerryTray   *tray;
  int          status;
} Demo;

static void
on_activate (FerryTray *tray,
             Demo      *demo)
{
  printf ("activate: the window would open\n");
  fflush (stdout);
}

static void
on_quit_requested (FerryTray *tray,
                   Demo      *demo)
{
  printf ("quit-requested\n");
  fflush (stdout);
  g_main_loop_quit (demo->loop);
}

static void
on_registered (FerryTray  *tray,
               GParamSpec *pspec,
               Demo       *demo)
{
  printf ("%s %s\n", ferry_tray_get_bus_name (tray),
          ferry_tray_get_registered (tray) ? "registered" : "not registered");
  fflush (stdout);
}

static void
client_new_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;

  demo->client = ferry_client_new_finish (result, &error);
  if (demo->client == NULL)
    {
      g_printerr ("tray-demo: %s\n", error->message);
      demo->status = 1;
      g_main_loop_quit (demo->loop);
      return;
    }

  demo->tray = ferry_tray_new (demo->client, ferry_client_get_connection (demo->client));
  if (g_getenv ("FERRY_ICON_THEME_PATH") == NULL)
    ferry_tray_set_icon_theme_path (demo->tray, FERRY_TEST_ICON_DIR);
  g_signal_connect (demo->tray, "activate", G_CALLBACK (on_activate), demo);
  g_signal_connect (demo->tray, "quit-requested", G_CALLBACK (on_quit_requested), demo);
  g_signal_connect (demo->tray, "notify::registered", G_CALLBACK (on_registered), demo);
}

int
main (int   argc,
      char *argv[])
{
  Demo demo = { 0 };

  demo.loop = g_main_loop_new (NULL, FALSE);
  ferry_client_new_async (NULL, FERRY_CLIENT_FLAGS_NONE, NULL, client_new_cb, &demo);
  g_main_loop_run (demo.loop);

  g_clear_object (&demo.tray);
  g_clear_object (&demo.client);
  g_main_loop_unref (demo.loop);
  return demo.status;
}
