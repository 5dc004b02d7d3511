/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "ferry-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FerryApplication) application = NULL;

  const char *localedir = g_getenv ("FERRY_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* A build tree's catalogs (`meson devenv` sets FERRY_LOCALEDIR), else
   * the installed ones. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Ferry"));

  application = ferry_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
