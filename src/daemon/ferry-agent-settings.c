/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-agent-settings"

#include "config.h"

#include "ferry-agent-settings.h"

/*
 * ferryd follows the person's settings live: every sync key is bound to
 * the manager's property of the same meaning (seconds and days become
 * microseconds on the way), and the conflict defaults go to the service,
 * which applies them to each Enqueue that names no strategy.  The
 * settings only ever flow into ferryd, never back.
 *
 * Without the schema (ferryd run from a build tree, or installed without
 * its data files) ferryd runs on its built-in defaults, which are the
 * schema's defaults too.
 */

static const gint64 usec_per_second = G_USEC_PER_SEC;
static const gint64 usec_per_day = (gint64) 24 * 60 * 60 * G_USEC_PER_SEC;

static const struct
{
  const char   *key;
  const char   *property;
  const gint64 *factor;   /* NULL: the value as it is */
} bindings[] = {
  { "auto-sync-interval", "auto-sync-interval", NULL },
  { "max-concurrency", "max-concurrency", NULL },
  { "max-attempts", "max-attempts", NULL },
  { "retry-initial-delay", "backoff-initial", &usec_per_second },
  { "retry-max-delay", "backoff-max", &usec_per_second },
  { "retry-period", "retry-period", &usec_per_second },
  { "sync-on-metered", "sync-on-metered", NULL },
  { "history-retention-days", "history-retention", &usec_per_day },
};

#define CONFLICT_STRATEGIES_KEY "conflict-strategies"

/* A count of seconds or days ("u") into microseconds (gint64). */
static gboolean
map_to_usec (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const gint64 *factor = user_data;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    return FALSE;
  g_value_set_int64 (value, (gint64) g_variant_get_uint32 (variant) * *factor);
  return TRUE;
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);
  g_autofree char *text = g_variant_print (value, FALSE);

  g_debug ("setting %s is now %s", key, text);
}

static void
on_conflict_strategies_changed (GSettings         *settings,
                                const char        *key,
                                FerryAgentService *service)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);

  ferry_agent_service_set_conflict_defaults (service, value);
}

/**
 * ferry_agent_settings_new:
 *
 * Looks the schema up in the default schema source, so that a missing
 * schema costs one warning rather than the process.
 *
 * Returns: (transfer full) (nullable): ferryd's settings, or %NULL when the
 *   schema is not installed
 */
GSettings *
ferry_agent_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, FERRY_SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; running with the default "
                 "settings", FERRY_SETTINGS_SCHEMA);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, key))
    return TRUE;
  g_message ("The settings schema has no key %s; using the default", key);
  return FALSE;
}

/**
 * ferry_agent_settings_bind:
 * @settings: ferryd's settings
 * @manager: the sync manager, before it starts
 *
 * Applies the sync settings to @manager now and whenever they change, for
 * as long as it lives.  Keys the installed schema lacks (an older one)
 * leave the built-in defaults in place.
 */
void
ferry_agent_settings_bind (GSettings        *settings,
                           FerrySyncManager *manager)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (FERRY_IS_SYNC_MANAGER (manager));

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      const GSettingsBindFlags flags = G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY;

      if (!has_key (settings, bindings[i].key))
        continue;
      if (bindings[i].factor == NULL)
        g_settings_bind (settings, bindings[i].key, manager, bindings[i].property, flags);
      else
        g_settings_bind_with_mapping (settings, bindings[i].key, manager, bindings[i].property,
                                      flags, map_to_usec, NULL,
                                      (gpointer) bindings[i].factor, NULL);
    }

  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), NULL);
}

/**
 * ferry_agent_settings_bind_conflict_defaults:
 * @settings: ferryd's settings
 * @service: the service that enqueues
 *
 * Gives @service the conflict-strategies setting now and whenever it
 * changes, for as long as @service lives.
 */
void
ferry_agent_settings_bind_conflict_defaults (GSettings         *settings,
                                             FerryAgentService *service)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (FERRY_IS_AGENT_SERVICE (service));

  if (!has_key (settings, CONFLICT_STRATEGIES_KEY))
    return;
  g_signal_connect_object (settings, "changed::" CONFLICT_STRATEGIES_KEY,
                           G_CALLBACK (on_conflict_strategies_changed), service, 0);
  on_conflict_strategies_changed (settings, CONFLICT_STRATEGIES_KEY, service);
}
