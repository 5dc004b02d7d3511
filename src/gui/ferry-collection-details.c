/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-details"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-collections-view.h"
#include "ferry-status.h"
#include "ferry-collection-details.h"

/*
 * FerryCollectionDetails: one collection in full, from the Collections
 * view: its server (the address without credentials; header values are
 * never shown), direction and schedule, checkpoint, where it stands and
 * its counts, and its last runs, each with its phases' times, its counts
 * and its error.  Properties follow live; the runs and the checkpoint are
 * read (ListRuns) when it opens and after every run.
 */

#define RUNS_SHOWN 20

struct _FerryCollectionDetails
{
  AdwWindow        parent_instance;

  /* owned */
  FerryCollection *collection;
  GCancellable    *cancellable;
  char            *endpoint;

  /* template children */
  AdwWindowTitle  *window_title;
  AdwActionRow    *endpoint_row;
  AdwActionRow    *protocol_row;
  AdwActionRow    *direction_row;
  AdwActionRow    *schedule_row;
  AdwActionRow    *checkpoint_row;
  AdwActionRow    *state_row;
  AdwActionRow    *counts_row;
  AdwActionRow    *last_sync_row;
  AdwActionRow    *error_row;
  GtkListBox      *runs_list;

  /* state */
  guint            n_runs;
};

G_DEFINE_FINAL_TYPE (FerryCollectionDetails, ferry_collection_details, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_N_RUNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_count (guint count)
{
  return g_strdup_printf ("%'u", count);
}

static gint64
lookup_int (GVariant   *dict,
            const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return 0;
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *text = NULL;

  return g_variant_lookup (dict, key, "&s", &text) ? text : "";
}

/* "12 ms", "1.4 s" */
static char *
format_duration (gint64 us)
{
  /* A no-break space keeps a number with its unit when a line wraps. */
  if (us < 1000 * 1000)
    /* Translators: a duration in milliseconds, with a no-break space */
    return g_strdup_printf (_("%u ms"), (guint) (MAX (us, 0) / 1000));
  /* Translators: a duration in seconds, with a no-break space */
  return g_strdup_printf (_("%.1f s"), (double) us / G_USEC_PER_SEC);
}

/**
 * ferry_format_run_summary:
 * @run: a run, as ListRuns gives it
 *
 * Returns: (transfer full): its counts: "Pushed 3 · pulled 1,200 ·
 *   refused 0 · conflicts 1"
 */
char *
ferry_format_run_summary (GVariant *run)
{
  g_autofree char *pushed = format_count (lookup_int (run, "pushed"));
  g_autofree char *pulled = format_count (lookup_int (run, "pulled"));
  g_autofree char *failed = format_count (lookup_int (run, "failed"));
  g_autofree char *conflicts = format_count (lookup_int (run, "conflicts"));

  /* Translators: records a run sent, received, had refused, and met in
   * conflict */
  return g_strdup_printf (_("Pushed %s · pulled %s · refused %s · conflicts %s"), pushed,
                          pulled, failed, conflicts);
}

/**
 * ferry_format_run_phases:
 * @run: a run, as ListRuns gives it
 *
 * Returns: (transfer full): the time of each phase: "Check 12 ms · push
 *   40 ms · pull 1.2 s · finish 3 ms"
 */
char *
ferry_format_run_phases (GVariant *run)
{
  g_autofree char *check = format_duration (lookup_int (run, "check-time"));
  g_autofree char *push = format_duration (lookup_int (run, "push-time"));
  g_autofree char *pull = format_duration (lookup_int (run, "pull-time"));
  g_autofree char *finish = format_duration (lookup_int (run, "finish-time"));

  /* Translators: the time each phase of a run took */
  return g_strdup_printf (_("Check %s · push %s · pull %s · finish %s"), check, push, pull,
                          finish);
}

static const char *
describe_result (const char *result)
{
  if (g_strcmp0 (result, "ok") == 0)
    return _("Synced");
  if (g_strcmp0 (result, "cancelled") == 0)
    return _("Stopped");
  return _("Failed");
}

static GtkWidget *
make_run_row (GVariant *run,
              gint64    now)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *ago = ferry_format_time_ago (lookup_int (run, "started"), now);
  g_autofree char *took = format_duration (lookup_int (run, "finished") -
                                           lookup_int (run, "started"));
  g_autofree char *title = NULL;
  g_autofree char *summary = ferry_format_run_summary (run);
  g_autofree char *phases = ferry_format_run_phases (run);
  GString *subtitle = g_string_new (NULL);
  const char *error = lookup_string (run, "error");

  /* Translators: how a run ended, when it started ("2 minutes ago"), and
   * how long it took */
  title = g_strdup_printf (_("%s · %s · %s"), describe_result (lookup_string (run, "result")),
                           ago, took);
  g_string_append_printf (subtitle, "%s\n%s", summary, phases);
  if (*error != '\0')
    g_string_append_printf (subtitle, "\n%s", error);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  if (*error != '\0')
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "dialog-warning-symbolic");
  g_string_free (subtitle, TRUE);
  return row;
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : _("None"));
}

static char *
describe_schedule (FerryCollection *collection)
{
  guint interval = ferry_collection_get_interval (collection);

  if (ferry_collection_get_live (collection))
    return g_strdup (_("Live: the server’s changes arrive as they happen"));
  if (interval == 0)
    return g_strdup (_("On local changes and Sync Now"));
  if (interval % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u minute",
                                         "Every %u minutes", interval / 60), interval / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u second", "Every %u seconds",
                                       interval), interval);
}

static const char *
describe_direction (const char *direction)
{
  if (g_strcmp0 (direction, "push") == 0)
    return _("Sends local changes only");
  if (g_strcmp0 (direction, "pull") == 0)
    return _("Receives the server’s changes only");
  return _("Both ways");
}

static void
show_properties (FerryCollectionDetails *self)
{
  FerryCollection *collection = self->collection;
  g_autofree char *state = ferry_describe_collection (collection, g_get_real_time ());
  g_autofree char *schedule = describe_schedule (collection);
  g_autofree char *documents = format_count (ferry_collection_get_document_count (collection));
  g_autofree char *dirty = format_count (ferry_collection_get_dirty_count (collection));
  g_autofree char *conflicts = format_count (ferry_collection_get_conflict_count (collection));
  g_autofree char *failed = format_count (ferry_collection_get_failed_count (collection));
  g_autofree char *counts = NULL;
  gint64 last_sync = ferry_collection_get_last_sync_time (collection);
  g_autofree char *last = last_sync > 0 ? ferry_format_time_ago (last_sync, g_get_real_time ())
                                        : g_strdup (_("Never"));

  adw_window_title_set_subtitle (self->window_title, ferry_collection_get_app (collection));
  adw_window_title_set_title (self->window_title, ferry_collection_get_name (collection));
  /* The host until ListRuns gives the address. */
  set_subtitle (self->endpoint_row,
                self->endpoint != NULL ? self->endpoint : ferry_collection_get_host (collection));
  set_subtitle (self->protocol_row, g_strcmp0 (ferry_collection_get_protocol (collection),
                                               "couchdb") == 0 ? "CouchDB" : _("REST profile"));
  set_subtitle (self->direction_row,
                describe_direction (ferry_collection_get_direction (collection)));
  set_subtitle (self->schedule_row, schedule);
  set_subtitle (self->state_row, state);
  /* Translators: records held here, waiting to be sent, in conflict,
   * refused by the server */
  counts = g_strdup_printf (_("%s held · %s waiting · %s in conflict · %s refused"),
                            documents, dirty, conflicts, failed);
  set_subtitle (self->counts_row, counts);
  set_subtitle (self->last_sync_row, last);
  set_subtitle (self->error_row, ferry_collection_get_last_error (collection));
}

static void
runs_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryCollectionDetails *self = user_data;
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GVariant) sync = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  GtkWidget *child;
  GVariantIter iter;
  GVariant *run;

  runs = ferry_collection_list_runs_finish (FERRY_COLLECTION (object), result, &sync, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list))) != NULL)
    gtk_list_box_remove (self->runs_list, child);
  if (runs == NULL)
    {
      g_debug ("Reading the runs: %s", error->message);
      return;
    }
  g_free (self->endpoint);
  self->endpoint = g_strdup (lookup_string (sync, "endpoint"));
  set_subtitle (self->checkpoint_row, lookup_string (sync, "checkpoint"));
  g_variant_iter_init (&iter, runs);
  while ((run = g_variant_iter_next_value (&iter)) != NULL)
    {
      gtk_list_box_append (self->runs_list, make_run_row (run, now));
      g_variant_unref (run);
    }
  if (g_variant_n_children (runs) == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("No runs yet"));
      gtk_list_box_append (self->runs_list, none);
    }
  show_properties (self);
  self->n_runs = g_variant_n_children (runs);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNS]);
}

static void
load_runs (FerryCollectionDetails *self)
{
  ferry_collection_list_runs_async (self->collection, RUNS_SHOWN, self->cancellable, runs_cb,
                                    self);
}

static void
ferry_collection_details_dispose (GObject *object)
{
  FerryCollectionDetails *self = FERRY_COLLECTION_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->collection != NULL)
    g_signal_handlers_disconnect_by_data (self->collection, self);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_COLLECTION_DETAILS);

  G_OBJECT_CLASS (ferry_collection_details_parent_class)->dispose (object);
}

static void
ferry_collection_details_finalize (GObject *object)
{
  FerryCollectionDetails *self = FERRY_COLLECTION_DETAILS (object);

  g_clear_object (&self->cancellable);
  g_free (self->endpoint);

  G_OBJECT_CLASS (ferry_collection_details_parent_class)->finalize (object);
}

static void
ferry_collection_details_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  FerryCollectionDetails *self = FERRY_COLLECTION_DETAILS (object);

  switch (prop_id)
    {
    case PROP_N_RUNS:
      g_value_set_uint (value, self->n_runs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_collection_details_class_init (FerryCollectionDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_collection_details_dispose;
  object_class->finalize = ferry_collection_details_finalize;
  object_class->get_property = ferry_collection_details_get_property;

  /**
   * FerryCollectionDetails:n-runs:
   *
   * How many runs it shows, once read.
   */
  properties[PROP_N_RUNS] =
    g_param_spec_uint ("n-runs", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/"
                                               "ferry-collection-details.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, direction_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, checkpoint_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, state_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, counts_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, error_row);
  gtk_widget_class_bind_template_child (widget_class, FerryCollectionDetails, runs_list);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_collection_details_init (FerryCollectionDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * ferry_collection_details_new:
 * @parent: (nullable): the window it belongs to
 * @collection: a collection
 *
 * Returns: (transfer full): a window showing @collection, reading its runs
 */
GtkWindow *
ferry_collection_details_new (GtkWindow       *parent,
                              FerryCollection *collection)
{
  FerryCollectionDetails *self;

  g_return_val_if_fail (FERRY_IS_COLLECTION (collection), NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_DETAILS, NULL);
  self->collection = g_object_ref (collection);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_modal (GTK_WINDOW (self), TRUE);
    }
  g_signal_connect_object (collection, "notify", G_CALLBACK (show_properties), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (collection, "run-finished", G_CALLBACK (load_runs), self,
                           G_CONNECT_SWAPPED);
  show_properties (self);
  load_runs (self);
  return g_object_ref_sink (GTK_WINDOW (self));
}

guint
ferry_collection_details_get_n_runs (FerryCollectionDetails *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_DETAILS (self), 0);

  return self->n_runs;
}

/**
 * ferry_collection_details_get_endpoint:
 * @self: a details window
 *
 * Returns: (nullable): the server's address shown, once read
 */
const char *
ferry_collection_details_get_endpoint (FerryCollectionDetails *self)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION_DETAILS (self), NULL);

  return self->endpoint;
}

static void
append_row_text (GString   *text,
                 GtkWidget *row)
{
  if (!ADW_IS_ACTION_ROW (row))
    return;
  g_string_append_printf (text, "%s\n%s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) != NULL
                          ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : "");
}

/**
 * ferry_collection_details_dup_text:
 * @self: a details window
 *
 * Returns: (transfer full): every row's title and subtitle, as shown
 */
char *
ferry_collection_details_dup_text (FerryCollectionDetails *self)
{
  AdwActionRow *rows[] = {
    self->endpoint_row, self->protocol_row, self->direction_row, self->schedule_row,
    self->checkpoint_row, self->state_row, self->counts_row, self->last_sync_row,
    self->error_row,
  };
  GString *text = g_string_new (NULL);
  GtkWidget *child;

  g_return_val_if_fail (FERRY_IS_COLLECTION_DETAILS (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    append_row_text (text, GTK_WIDGET (rows[i]));
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_row_text (text, child);
  return g_string_free (text, FALSE);
}
