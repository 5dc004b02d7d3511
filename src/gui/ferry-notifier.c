/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-task-format.h"
#include "ferry-notifier.h"

/* Tasks one digest remembers by id; beyond that it only counts. */
#define MAX_TRACKED 10000
/* Apps a digest names at most. */
#define MAX_APPS 3

/**
 * FerryNotifier:
 *
 * Desktop notifications for what needs the person: changes that failed
 * for good, servers asking to sign in, conflicts, and changes whose server
 * has been unreachable for an hour (still retried: the person hears of
 * them once, not of every attempt).  Events are gathered
 * for #FerryNotifier:delay and sent as one digest per kind ("3 changes
 * failed"), which replaces the kind's previous notification (same id)
 * until the person has looked (ferry_notifier_acknowledge()) or nothing of
 * that kind is left.  Only while the `notifications` setting is on.
 *
 * The notifications carry the actions app.show-view and app.retry-all
 * with the view's name as target, which the application implements.
 */
struct _FerryNotifier
{
  GObject parent_instance;

  /* owned */
  GApplication *application;
  FerryClient *client;
  GSettings *settings;

  /* state */
  struct _Digest *digests;
  guint delay;
  guint flush_source_id;
  guint n_sent;
};

G_DEFINE_FINAL_TYPE (FerryNotifier, ferry_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_CLIENT,
  PROP_SETTINGS,
  PROP_DELAY,
  PROP_N_SENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DIGEST_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  DIGEST_FAILED,
  DIGEST_AUTH,
  DIGEST_CONFLICTS,
  DIGEST_STALLED,
  N_DIGESTS
} DigestKind;

typedef struct _Digest
{
  const char *id;           /* the notification's id */
  const char *view;         /* the window's view that shows these tasks */
  GHashTable *tasks;        /* task id → owner */
  guint       untracked;
  gboolean    dirty;        /* changed since last sent */
  gboolean    shown;
} Digest;

static const char * const digest_ids[N_DIGESTS] = {
  "failed", "auth-required", "conflicts", "stalled",
};
static const char * const digest_views[N_DIGESTS] = {
  "failed", "failed", "conflicts", "pending",
};

static guint
digest_count (Digest *digest)
{
  return g_hash_table_size (digest->tasks) + digest->untracked;
}

static gboolean
enabled (FerryNotifier *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "notifications");
}

static gboolean
can_send (FerryNotifier *self)
{
  return self->application != NULL
         && g_application_get_is_registered (self->application)
         && !g_application_get_is_remote (self->application);
}

static void
clear_digest (FerryNotifier *self,
              Digest        *digest)
{
  g_hash_table_remove_all (digest->tasks);
  digest->untracked = 0;
  digest->dirty = FALSE;
  if (digest->shown && can_send (self))
    g_application_withdraw_notification (self->application, digest->id);
  digest->shown = FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* "Mail, Notes and 2 more apps" from the owners in @digest. */
static char *
format_apps (Digest *digest)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer owner;
  guint more = 0;
  GString *text;

  g_hash_table_iter_init (&iter, digest->tasks);
  while (g_hash_table_iter_next (&iter, NULL, &owner))
    {
      char *name = NULL;

      if (owner == NULL || !g_hash_table_add (seen, owner))
        continue;
      if (names->len == MAX_APPS)
        {
          more++;
          continue;
        }
      ferry_lookup_app (owner, &name, NULL);
      g_ptr_array_add (names, name);
    }
  if (names->len == 0)
    return NULL;

  g_ptr_array_sort (names, compare_names);
  text = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (text, i + 1 == names->len && more == 0 ? _(" and ") : ", ");
      g_string_append (text, g_ptr_array_index (names, i));
    }
  if (more > 0)
    g_string_append_printf (text, ngettext (" and %u more app", " and %u more apps", more), more);
  return g_string_free (text, FALSE);
}

static GNotification *
build_notification (DigestKind  kind,
                    Digest     *digest)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *apps = NULL;
  g_autofree char *body = NULL;
  const char *advice = NULL;
  guint n = digest_count (digest);

  switch (kind)
    {
    case DIGEST_FAILED:
      title = g_strdup_printf (ngettext ("%u change failed", "%u changes failed", n), n);
      advice = ngettext ("It will not be sent again until you retry it.",
                         "They will not be sent again until you retry them.", n);
      break;
    case DIGEST_AUTH:
      title = g_strdup_printf (ngettext ("%u change needs you to sign in",
                                         "%u changes need you to sign in", n), n);
      advice = _("The server asked for credentials. Sign in again in the app, then retry.");
      break;
    case DIGEST_CONFLICTS:
      title = g_strdup_printf (ngettext ("%u change conflicts with the server",
                                         "%u changes conflict with the server", n), n);
      advice = _("The server’s copy changed in the meantime. Choose which version to keep.");
      break;
    case DIGEST_STALLED:
      title = g_strdup_printf (ngettext ("%u change is still waiting",
                                         "%u changes are still waiting", n), n);
      advice = ngettext ("Its server could not be reached for an hour. Ferry keeps trying.",
                         "Their servers could not be reached for an hour. Ferry keeps trying.",
                         n);
      break;
    case N_DIGESTS:
    default:
      g_assert_not_reached ();
    }

  apps = format_apps (digest);
  if (apps != NULL)
    /* Translators: %s lists apps, then a sentence says what to do */
    body = g_strdup_printf (_("From %s. %s"), apps, advice);
  else
    body = g_strdup (advice);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-view", "s",
                                                 digest->view);
  g_notification_add_button_with_target (notification, _("Open"), "app.show-view", "s",
                                         digest->view);
  if (kind == DIGEST_FAILED || kind == DIGEST_AUTH)
    g_notification_add_button_with_target (notification, _("Retry"), "app.retry-all", "s",
                                           digest->view);
  if (kind == DIGEST_AUTH)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  return g_steal_pointer (&notification);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  FerryNotifier *self = user_data;

  self->flush_source_id = 0;
  ferry_notifier_flush (self);
  return G_SOURCE_REMOVE;
}

static void
note_task (FerryNotifier *self,
           DigestKind     kind,
           const char    *id,
           const char    *owner)
{
  Digest *digest = &self->digests[kind];

  if (!enabled (self))
    return;

  if (g_hash_table_contains (digest->tasks, id))
    return;
  if (g_hash_table_size (digest->tasks) < MAX_TRACKED)
    g_hash_table_insert (digest->tasks, g_strdup (id), g_strdup (owner));
  else
    digest->untracked++;
  digest->dirty = TRUE;

  /* The first event of a burst starts the wait; later ones join it. */
  if (self->flush_source_id == 0)
    {
      self->flush_source_id = g_timeout_add (self->delay, on_flush_timeout, self);
      g_source_set_name_by_id (self->flush_source_id, "[ferry] notification digest");
    }
}

static void
on_client_task_failed (FerryNotifier *self,
                       const char    *id,
                       const char    *owner,
                       const char    *reason,
                       FerryClient   *client)
{
  note_task (self, DIGEST_FAILED, id, owner);
}

static void
on_client_task_changed (FerryNotifier        *self,
                        const char           *id,
                        const char           *owner,
                        FerryClientTaskState  state,
                        FerryClient          *client)
{
  Digest *stalled = &self->digests[DIGEST_STALLED];

  /* The agent has no signal of its own for a server asking to sign in. */
  if (state == FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED)
    note_task (self, DIGEST_AUTH, id, owner);

  /* A stalled change that got through (or ended otherwise) is no longer
   * waiting; when none is left, the notification goes. */
  if (state != FERRY_CLIENT_TASK_STATE_PENDING && state != FERRY_CLIENT_TASK_STATE_RUNNING &&
      g_hash_table_remove (stalled->tasks, id))
    {
      stalled->dirty = TRUE;
      if (digest_count (stalled) == 0)
        clear_digest (self, stalled);
    }
}

static void
on_client_task_stalled (FerryNotifier *self,
                        const char    *id,
                        const char    *owner,
                        gint64         failing_since,
                        const char    *reason,
                        FerryClient   *client)
{
  note_task (self, DIGEST_STALLED, id, owner);
}

static void
on_client_conflict_detected (FerryNotifier *self,
                             const char    *id,
                             const char    *owner,
                             FerryClient   *client)
{
  note_task (self, DIGEST_CONFLICTS, id, owner);
}

/* Nothing left to act on: take the notification back. */
static void
on_client_notify_counts (FerryNotifier *self,
                         GParamSpec    *pspec,
                         FerryClient   *client)
{
  if (!ferry_client_get_agent_running (client))
    return;
  if (ferry_client_get_failed_count (client) == 0)
    clear_digest (self, &self->digests[DIGEST_FAILED]);
  if (ferry_client_get_auth_count (client) == 0)
    clear_digest (self, &self->digests[DIGEST_AUTH]);
  if (ferry_client_get_conflict_count (client) == 0)
    clear_digest (self, &self->digests[DIGEST_CONFLICTS]);
}

static void
on_settings_changed (FerryNotifier *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (enabled (self))
    return;
  g_clear_handle_id (&self->flush_source_id, g_source_remove);
  for (guint i = 0; i < N_DIGESTS; i++)
    clear_digest (self, &self->digests[i]);
}

static void
ferry_notifier_constructed (GObject *object)
{
  FerryNotifier *self = (FerryNotifier *) object;

  G_OBJECT_CLASS (ferry_notifier_parent_class)->constructed (object);

  g_assert (FERRY_IS_CLIENT (self->client));

  g_signal_connect_object (self->client, "task-failed",
                           G_CALLBACK (on_client_task_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-changed",
                           G_CALLBACK (on_client_task_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "conflict-detected",
                           G_CALLBACK (on_client_conflict_detected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "task-stalled",
                           G_CALLBACK (on_client_task_stalled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::failed-count",
                           G_CALLBACK (on_client_notify_counts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::auth-count",
                           G_CALLBACK (on_client_notify_counts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::conflict-count",
                           G_CALLBACK (on_client_notify_counts), self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::notifications",
                             G_CALLBACK (on_settings_changed), self, G_CONNECT_SWAPPED);
}

static void
ferry_notifier_dispose (GObject *object)
{
  FerryNotifier *self = (FerryNotifier *) object;

  g_clear_handle_id (&self->flush_source_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (ferry_notifier_parent_class)->dispose (object);
}

static void
ferry_notifier_finalize (GObject *object)
{
  FerryNotifier *self = (FerryNotifier *) object;

  for (guint i = 0; i < N_DIGESTS; i++)
    g_clear_pointer (&self->digests[i].tasks, g_hash_table_unref);
  g_free (self->digests);

  G_OBJECT_CLASS (ferry_notifier_parent_class)->finalize (object);
}

static void
ferry_notifier_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryNotifier *self = FERRY_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DELAY:
      g_value_set_uint (value, self->delay);
      break;
    case PROP_N_SENT:
      g_value_set_uint (value, self->n_sent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_notifier_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryNotifier *self = FERRY_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_DELAY:
      ferry_notifier_set_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_notifier_class_init (FerryNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_notifier_constructed;
  object_class->dispose = ferry_notifier_dispose;
  object_class->finalize = ferry_notifier_finalize;
  object_class->get_property = ferry_notifier_get_property;
  object_class->set_property = ferry_notifier_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryNotifier:settings: (nullable)
   *
   * The settings whose `notifications` key turns notifications on and
   * off; %NULL keeps them on.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryNotifier:delay:
   *
   * How long, in milliseconds, events are gathered into one digest.
   */
  properties[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL, 0, G_MAXUINT, 3000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SENT] =
    g_param_spec_uint ("n-sent", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryNotifier::digest-sent:
   * @self: the notifier
   * @id: the notification's id: failed, auth-required or conflicts
   * @count: how many tasks it speaks of
   * @notification: the notification
   *
   * A digest was handed to the desktop.
   */
  signals[DIGEST_SENT] =
    g_signal_new ("digest-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_NOTIFICATION);
}

static void
ferry_notifier_init (FerryNotifier *self)
{
  self->delay = 3000;
  self->digests = g_new0 (Digest, N_DIGESTS);
  for (guint i = 0; i < N_DIGESTS; i++)
    {
      self->digests[i].id = digest_ids[i];
      self->digests[i].view = digest_views[i];
      self->digests[i].tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
}

/**
 * ferry_notifier_new:
 * @application: the application that sends the notifications
 * @client: the client whose signals are watched
 * @settings: (nullable): the settings with the `notifications` key
 *
 * Returns: (transfer full): a new notifier
 */
FerryNotifier *
ferry_notifier_new (GApplication *application,
                    FerryClient  *client,
                    GSettings    *settings)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (FERRY_TYPE_NOTIFIER,
                       "application", application,
                       "client", client,
                       "settings", settings,
                       NULL);
}

guint
ferry_notifier_get_delay (FerryNotifier *self)
{
  g_return_val_if_fail (FERRY_IS_NOTIFIER (self), 0);
  return self->delay;
}

/**
 * ferry_notifier_set_delay:
 * @self: a notifier
 * @delay_ms: how long events are gathered into one digest
 */
void
ferry_notifier_set_delay (FerryNotifier *self,
                          guint          delay_ms)
{
  g_return_if_fail (FERRY_IS_NOTIFIER (self));

  if (self->delay == delay_ms)
    return;
  self->delay = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

/**
 * ferry_notifier_get_n_sent:
 * @self: a notifier
 *
 * Returns: how many notifications were sent (a replacing one counts too)
 */
guint
ferry_notifier_get_n_sent (FerryNotifier *self)
{
  g_return_val_if_fail (FERRY_IS_NOTIFIER (self), 0);
  return self->n_sent;
}

/**
 * ferry_notifier_get_n_waiting:
 * @self: a notifier
 * @id: failed, auth-required, conflicts or stalled
 *
 * Returns: how many tasks the digest @id speaks of (sent or not yet)
 */
guint
ferry_notifier_get_n_waiting (FerryNotifier *self,
                              const char    *id)
{
  g_return_val_if_fail (FERRY_IS_NOTIFIER (self), 0);

  for (guint i = 0; i < N_DIGESTS; i++)
    if (g_strcmp0 (self->digests[i].id, id) == 0)
      return digest_count (&self->digests[i]);
  g_return_val_if_reached (0);
}

/**
 * ferry_notifier_flush:
 * @self: a notifier
 *
 * Sends the digests that changed now, without waiting for the delay.
 */
void
ferry_notifier_flush (FerryNotifier *self)
{
  g_return_if_fail (FERRY_IS_NOTIFIER (self));

  g_clear_handle_id (&self->flush_source_id, g_source_remove);

  for (guint i = 0; i < N_DIGESTS; i++)
    {
      Digest *digest = &self->digests[i];
      g_autoptr(GNotification) notification = NULL;

      if (!digest->dirty || digest_count (digest) == 0)
        continue;
      digest->dirty = FALSE;
      if (!enabled (self))
        continue;

      notification = build_notification (i, digest);
      if (can_send (self))
        g_application_send_notification (self->application, digest->id, notification);
      else
        g_debug ("Not registered on the bus; digest %s not sent", digest->id);
      digest->shown = TRUE;
      self->n_sent++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SENT]);
      g_signal_emit (self, signals[DIGEST_SENT], 0, digest->id, digest_count (digest),
                     notification);
    }
}

/**
 * ferry_notifier_acknowledge:
 * @self: a notifier
 * @view: the view the person looked at: failed, conflicts or pending
 *
 * Takes back the notifications @view shows and starts their counts
 * afresh.
 */
void
ferry_notifier_acknowledge (FerryNotifier *self,
                            const char    *view)
{
  g_return_if_fail (FERRY_IS_NOTIFIER (self));

  for (guint i = 0; i < N_DIGESTS; i++)
    if (g_strcmp0 (self->digests[i].view, view) == 0)
      clear_digest (self, &self->digests[i]);
}
