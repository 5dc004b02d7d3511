/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-watch"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "ferry-collection-set.h"
#include "ferry-status.h"

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/*
 * ferryctl watch: the agent's events as they happen, one line each: words
 * after the local time, or with --json one JSON object.  The agent's
 * signals carry ids, owners, states and numbers, never headers or bodies,
 * so nothing secret passes here.
 */

typedef enum {
  FIELD_NAMED = 0,       /* "key=value" in a line of text */
  FIELD_POSITIONAL = 1,  /* the value alone in a line of text */
  FIELD_TEXT_ONLY = 2,   /* not in JSON */
  FIELD_JSON_ONLY = 4,   /* not in a line of text */
  FIELD_NUMBER = 8,      /* @number, not @text */
} FieldFlags;

/* One member of an event: a string (null in JSON when @text is NULL) or a
 * number. */
typedef struct
{
  const char *key;
  const char *text;
  gint64      number;
  FieldFlags  flags;
} Field;

#define ID_FIELD(id) { "id", (id), 0, FIELD_POSITIONAL }
#define STRING_FIELD(key, text) { (key), (text), 0, FIELD_NAMED }
#define NUMBER_FIELD(key, number) { (key), NULL, (number), FIELD_NUMBER }

typedef struct
{
  gboolean            as_json;
  FerryClient        *client;        /* borrowed */
  FerryCollectionSet *collections;   /* counted in the status, as the window does */
  char               *last_title;    /* of the last status printed */
} Watch;

static void
print_json_event (const char  *event,
                  const Field *fields,
                  guint        n_fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time = ferryctl_format_iso8601 (g_get_real_time ());
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  for (guint i = 0; i < n_fields; i++)
    {
      if (fields[i].flags & FIELD_TEXT_ONLY)
        continue;
      json_builder_set_member_name (builder, fields[i].key);
      if (fields[i].flags & FIELD_NUMBER)
        json_builder_add_int_value (builder, fields[i].number);
      else if (fields[i].text != NULL)
        json_builder_add_string_value (builder, fields[i].text);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  line = ferryctl_json_to_string (root, FALSE);
  g_print ("%s\n", line);
}

static void
print_text_event (const char  *event,
                  const Field *fields,
                  guint        n_fields)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autoptr(GString) line = g_string_new (event);

  for (guint i = 0; i < n_fields; i++)
    {
      if (fields[i].flags & FIELD_JSON_ONLY)
        continue;
      g_string_append_c (line, ' ');
      if (!(fields[i].flags & FIELD_POSITIONAL))
        g_string_append_printf (line, "%s=", fields[i].key);
      if (fields[i].flags & FIELD_NUMBER)
        g_string_append_printf (line, "%" G_GINT64_FORMAT, fields[i].number);
      else if (fields[i].text != NULL)
        g_string_append (line, fields[i].text);
    }
  g_print ("%s %s\n", time, line->str);
}

static void
print_event (Watch       *watch,
             const char  *event,
             const Field *fields,
             guint        n_fields)
{
  if (watch->as_json)
    print_json_event (event, fields, n_fields);
  else
    print_text_event (event, fields, n_fields);
}

static const char *
state_name (FerryClientTaskState state)
{
  const char *name = ferry_client_task_state_to_string (state);

  return name != NULL ? name : "unknown";
}

static void
on_task_added (FerryClient          *client,
               const char           *id,
               const char           *owner,
               FerryClientTaskState  state,
               gpointer              user_data)
{
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner), STRING_FIELD ("state", state_name (state)),
  };

  print_event (user_data, "task-added", fields, G_N_ELEMENTS (fields));
}

static void
on_task_changed (FerryClient          *client,
                 const char           *id,
                 const char           *owner,
                 FerryClientTaskState  state,
                 gpointer              user_data)
{
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner), STRING_FIELD ("state", state_name (state)),
  };

  print_event (user_data, "task-changed", fields, G_N_ELEMENTS (fields));
}

static void
on_task_succeeded (FerryClient *client,
                   const char  *id,
                   const char  *owner,
                   guint        status,
                   gpointer     user_data)
{
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner), NUMBER_FIELD ("status", status),
  };

  print_event (user_data, "task-succeeded", fields, G_N_ELEMENTS (fields));
}

static void
on_task_failed (FerryClient *client,
                const char  *id,
                const char  *owner,
                const char  *reason,
                gpointer     user_data)
{
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner), STRING_FIELD ("reason", reason),
  };

  print_event (user_data, "task-failed", fields, G_N_ELEMENTS (fields));
}

static void
on_retry_scheduled (FerryClient *client,
                    const char  *id,
                    const char  *owner,
                    guint        attempt,
                    gint64       when,
                    const char  *reason,
                    gpointer     user_data)
{
  g_autofree char *relative = ferryctl_format_relative (when, g_get_real_time ());
  g_autofree char *iso = ferryctl_format_iso8601 (when);
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner), NUMBER_FIELD ("attempt", attempt),
    { "next", relative, 0, FIELD_TEXT_ONLY }, { "next", iso, 0, FIELD_JSON_ONLY },
    STRING_FIELD ("reason", reason),
  };

  print_event (user_data, "retry-scheduled", fields, G_N_ELEMENTS (fields));
}

static void
on_task_stalled (FerryClient *client,
                 const char  *id,
                 const char  *owner,
                 gint64       failing_since,
                 const char  *reason,
                 gpointer     user_data)
{
  g_autofree char *since = ferryctl_format_relative (failing_since, g_get_real_time ());
  g_autofree char *iso = ferryctl_format_iso8601 (failing_since);
  const Field fields[] = {
    ID_FIELD (id), STRING_FIELD ("owner", owner),
    { "failing-since", since, 0, FIELD_TEXT_ONLY },
    { "failing-since", iso, 0, FIELD_JSON_ONLY },
    STRING_FIELD ("reason", reason),
  };

  print_event (user_data, "task-stalled", fields, G_N_ELEMENTS (fields));
}

static void
on_conflict_detected (FerryClient *client,
                      const char  *id,
                      const char  *owner,
                      gpointer     user_data)
{
  const Field fields[] = { ID_FIELD (id), STRING_FIELD ("owner", owner) };

  print_event (user_data, "conflict-detected", fields, G_N_ELEMENTS (fields));
}

static void
on_auth_required (FerryClient *client,
                  const char  *id,
                  const char  *owner,
                  gpointer     user_data)
{
  const Field fields[] = { ID_FIELD (id), STRING_FIELD ("owner", owner) };

  print_event (user_data, "auth-required", fields, G_N_ELEMENTS (fields));
}

static void
on_run_started (FerryClient *client,
                gpointer     user_data)
{
  print_event (user_data, "run-started", NULL, 0);
}

static void
on_run_finished (FerryClient *client,
                 GVariant    *summary,
                 gpointer     user_data)
{
  static const char * const keys[] = {
    "succeeded", "failed", "retried", "conflicts", "auth-required",
  };
  Field fields[G_N_ELEMENTS (keys)];

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint32 count = 0;

      g_variant_lookup (summary, keys[i], "u", &count);
      fields[i] = (Field) NUMBER_FIELD (keys[i], count);
    }
  print_event (user_data, "run-finished", fields, G_N_ELEMENTS (fields));
}

/* The status as the window's header says it: in a line of text the
 * title (or the whole of it with @whole), in JSON title and detail. */
static void
print_status_event (Watch       *watch,
                    FerryClient *client,
                    const char  *event,
                    gboolean     whole)
{
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;
  g_autofree char *text = NULL;
  const char *state = ferry_agent_state_to_string (ferry_client_get_state (client));

  ferry_status_snapshot_from_client (&snapshot, client);
  if (watch->collections != NULL)
    ferry_collection_set_add_to_snapshot (watch->collections, &snapshot);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  g_free (watch->last_title);
  watch->last_title = g_strdup (status->title);
  text = whole ? ferry_status_to_text (status) : g_strdup (status->title);
  {
    const Field fields[] = {
      { "status", text, 0, FIELD_POSITIONAL | FIELD_TEXT_ONLY },
      { "title", status->title, 0, FIELD_JSON_ONLY },
      { "detail", status->detail, 0, FIELD_JSON_ONLY },
      { "state", state != NULL ? state : "unknown", 0, FIELD_JSON_ONLY },
    };

    print_event (watch, event, fields, G_N_ELEMENTS (fields));
  }
}

static void
on_notify_state (FerryClient *client,
                 GParamSpec  *pspec,
                 gpointer     user_data)
{
  if (ferry_client_get_agent_running (client))
    print_status_event (user_data, client, "status", FALSE);
}

/* A collection's run or its records changed what the status says: a line
 * when its title changes, not for every record. */
static void
on_collections_changed (FerryCollectionSet *collections,
                        gpointer            user_data)
{
  Watch *watch = user_data;
  FerryClient *client = watch->client;
  FerryStatusSnapshot snapshot = { 0, };
  g_autoptr(FerryStatus) status = NULL;

  if (!ferry_client_get_agent_running (client))
    return;
  ferry_status_snapshot_from_client (&snapshot, client);
  ferry_collection_set_add_to_snapshot (collections, &snapshot);
  status = ferry_status_describe (&snapshot, g_get_real_time ());
  if (g_strcmp0 (status->title, watch->last_title) != 0)
    print_status_event (watch, client, "status", FALSE);
}

static void
on_agent_appeared (FerryClient *client,
                   gpointer     user_data)
{
  const Field fields[] = {
    { "owner", ferry_client_get_agent_owner (client), 0, FIELD_POSITIONAL },
  };

  print_event (user_data, "agent-appeared", fields, G_N_ELEMENTS (fields));
}

static void
on_agent_vanished (FerryClient *client,
                   gpointer     user_data)
{
  print_event (user_data, "agent-vanished", NULL, 0);
}

static gboolean
on_interrupt (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static void
connect_signals (FerryClient *client,
                 Watch       *watch)
{
  static const struct
  {
    const char *signal;
    GCallback   callback;
  } handlers[] = {
    { "task-added", G_CALLBACK (on_task_added) },
    { "task-changed", G_CALLBACK (on_task_changed) },
    { "task-succeeded", G_CALLBACK (on_task_succeeded) },
    { "task-failed", G_CALLBACK (on_task_failed) },
    { "retry-scheduled", G_CALLBACK (on_retry_scheduled) },
    { "task-stalled", G_CALLBACK (on_task_stalled) },
    { "conflict-detected", G_CALLBACK (on_conflict_detected) },
    { "auth-required", G_CALLBACK (on_auth_required) },
    { "run-started", G_CALLBACK (on_run_started) },
    { "run-finished", G_CALLBACK (on_run_finished) },
    { "notify::state", G_CALLBACK (on_notify_state) },
    { "agent-appeared", G_CALLBACK (on_agent_appeared) },
    { "agent-vanished", G_CALLBACK (on_agent_vanished) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (client, handlers[i].signal, handlers[i].callback, watch);
}

int
ferryctl_run_watch (FerryCtl  *ctl,
                    int        argc,
                    char     **argv)
{
  Watch watch = { FALSE };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &watch.as_json,
      "Print each event as a JSON object on a line of its own", NULL },
    { NULL }
  };
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint_id;
  guint sigterm_id;
  int status;

  status = ferryctl_parse_options (ctl, entries, NULL, &argc, &argv);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_arguments (ctl, argc, argv, 0, NULL);
  if (status != FERRYCTL_CONTINUE)
    return status;

  /* Each event is one line; a reader on a pipe sees it at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, loop);

  status = ferryctl_connect (ctl);
  if (status == FERRYCTL_CONTINUE)
    {
      connect_signals (ctl->client, &watch);
      watch.client = ctl->client;
      watch.collections = ferry_collection_set_new (ctl->client);
      g_signal_connect (watch.collections, "changed", G_CALLBACK (on_collections_changed),
                        &watch);
      print_status_event (&watch, ctl->client, "watching", TRUE);
      g_main_loop_run (loop);
      g_signal_handlers_disconnect_by_data (ctl->client, &watch);
      g_signal_handlers_disconnect_by_data (watch.collections, &watch);
      g_clear_object (&watch.collections);
      g_clear_pointer (&watch.last_title, g_free);
      status = FERRYCTL_EXIT_OK;
    }

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return status;
}
