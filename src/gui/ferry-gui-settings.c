/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-gui-settings"

#include "config.h"

#include "ferry-gui-settings.h"

#define SETTINGS_SCHEMA "io.github.ferrysync.Ferry"

/**
 * ferry_gui_settings_new:
 *
 * The window's and the tray's settings.  The schema is looked up first,
 * so that a window run from a build tree, or installed without its data
 * files, works on the built-in defaults (and says so once) instead of
 * aborting as g_settings_new() does.  `meson devenv` and `.ci/start` point
 * GSETTINGS_SCHEMA_DIR at the build tree's compiled schema.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL when the
 *   schema is not installed
 */
GSettings *
ferry_gui_settings_new (void)
{
  static gboolean warned;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    {
      if (!warned)
        g_warning ("The settings schema %s is not installed; running with the default "
                   "settings, and preferences cannot be changed (run from a build tree "
                   "with “meson devenv”, or install Ferry)", SETTINGS_SCHEMA);
      warned = TRUE;
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
