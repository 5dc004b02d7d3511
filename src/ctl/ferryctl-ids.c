/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-ids"

#include "config.h"

#include <string.h>

#include "ferryctl-private.h"

/*
 * Task ids on the command line: a whole UUID, or as git takes commits, a
 * prefix of one that names a single task.  The agent's List has no filter
 * by id, so a prefix is looked up by paging through every task once,
 * keeping only the few that match.
 */

/* The candidates an ambiguous prefix lists at most. */
#define MAX_CANDIDATES 10

static const char uuid_template[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/* Whether @text is the start of a UUID: hex digits, dashes where a UUID
 * has them. */
static gboolean
is_id_prefix (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > strlen (uuid_template))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (uuid_template[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * ferryctl_check_id:
 * @ctl: the command line
 * @text: a task id as given
 *
 * Checks the form of a task id before anything asks the agent.
 *
 * Returns: %FERRYCTL_CONTINUE when @text is a task id or a long enough
 *   prefix of one, else %FERRYCTL_EXIT_USAGE after saying why not
 */
int
ferryctl_check_id (FerryCtl   *ctl,
                   const char *text)
{
  if (!is_id_prefix (text))
    return ferryctl_usage_error (ctl, "ID: '%s' is not a task id (a UUID, or its first %d or "
                                 "more characters)", text, FERRYCTL_MIN_ID_PREFIX);
  if (strlen (text) < FERRYCTL_MIN_ID_PREFIX)
    return ferryctl_usage_error (ctl, "ID: '%s' is too short; give at least %d characters of "
                                 "a task id", text, FERRYCTL_MIN_ID_PREFIX);
  return FERRYCTL_CONTINUE;
}

/* Pages through every task, keeping those whose id starts with @prefix:
 * all of them while there is one, up to MAX_CANDIDATES once there are
 * more (the prefix is ambiguous then, whatever else matches). */
static GPtrArray *
find_matches (FerryCtl    *ctl,
              const char  *prefix,
              GError     **error)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FerryTaskQuery) query = ferry_task_query_new ();
  guint offset = 0;

  while (matches->len < MAX_CANDIDATES)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;

      ferry_client_list_async (ctl->client, query, offset, FERRYCTL_PAGE_SIZE, NULL,
                               ferryctl_store_result_cb, &result);
      page = ferry_client_list_finish (ctl->client, ferryctl_wait (&result), error);
      if (page == NULL)
        return NULL;

      for (guint i = 0; i < page->len && matches->len < MAX_CANDIDATES; i++)
        {
          FerryTaskInfo *info = g_ptr_array_index (page, i);

          if (g_str_has_prefix (ferry_task_info_get_id (info), prefix))
            g_ptr_array_add (matches, g_object_ref (info));
        }
      if (page->len < FERRYCTL_PAGE_SIZE)
        break;
      offset += page->len;
    }
  return g_steal_pointer (&matches);
}

static void
print_candidates (FerryCtl   *ctl,
                  const char *prefix,
                  GPtrArray  *matches)
{
  g_printerr ("ferryctl %s: the id '%s' is ambiguous: it is the start of the ids of %s:\n",
              ctl->command->name, prefix,
              matches->len >= MAX_CANDIDATES ? "these tasks and more" : "these tasks");
  for (guint i = 0; i < matches->len; i++)
    {
      FerryTaskInfo *info = g_ptr_array_index (matches, i);
      const char *state = ferry_task_info_get_state_name (info);

      g_printerr ("  %s  %-13s  %s %s\n", ferry_task_info_get_id (info),
                  state != NULL ? state : "?", ferry_task_info_get_method (info),
                  ferry_task_info_get_url (info));
    }
  g_printerr ("Give more characters of the id.\n");
}

/**
 * ferryctl_resolve_id:
 * @ctl: the command line, connected
 * @text: a task id or a prefix of one, checked by ferryctl_check_id()
 * @out_id: (out) (transfer full): the whole id
 *
 * A whole id is taken as it is (the agent says when no task has it); a
 * prefix must start the id of exactly one task.
 *
 * Returns: %FERRYCTL_CONTINUE, or the exit status after saying that no
 *   task or more than one matches
 */
int
ferryctl_resolve_id (FerryCtl    *ctl,
                     const char  *text,
                     char       **out_id)
{
  g_autofree char *prefix = g_ascii_strdown (text, -1);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;

  if (g_uuid_string_is_valid (prefix))
    {
      *out_id = g_steal_pointer (&prefix);
      return FERRYCTL_CONTINUE;
    }

  matches = find_matches (ctl, prefix, &error);
  if (matches == NULL)
    return ferryctl_agent_error (ctl, error);
  if (matches->len == 0)
    {
      g_printerr ("ferryctl %s: no task has an id that starts with '%s'\n",
                  ctl->command->name, prefix);
      return FERRYCTL_EXIT_AGENT;
    }
  if (matches->len > 1)
    {
      print_candidates (ctl, prefix, matches);
      return FERRYCTL_EXIT_AGENT;
    }

  *out_id = g_strdup (ferry_task_info_get_id (g_ptr_array_index (matches, 0)));
  return FERRYCTL_CONTINUE;
}

/**
 * ferryctl_take_task_id:
 * @ctl: the command line
 * @argc: the argument count after the options, the command's name first
 * @argv: the arguments: exactly one task id or prefix
 * @missing: what to call a missing id, e.g. "ID"
 * @out_id: (out) (transfer full): the whole id
 *
 * What a command on one task does before its call: checks its argument,
 * connects, and finds the task an id prefix names.
 *
 * Returns: %FERRYCTL_CONTINUE, or the exit status
 */
int
ferryctl_take_task_id (FerryCtl    *ctl,
                       int          argc,
                       char       **argv,
                       const char  *missing,
                       char       **out_id)
{
  int status;

  status = ferryctl_check_arguments (ctl, argc, argv, 1, missing);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_check_id (ctl, argv[1]);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_connect (ctl);
  if (status == FERRYCTL_CONTINUE)
    status = ferryctl_resolve_id (ctl, argv[1], out_id);
  return status;
}

static gsize
common_prefix_length (const char *a,
                      const char *b)
{
  gsize n = 0;

  while (a[n] != '\0' && a[n] == b[n])
    n++;
  return n;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * ferryctl_dup_short_ids:
 * @tasks: (element-type FerryTaskInfo): tasks
 * @min_length: the shortest prefix to give
 *
 * Shortens ids as git shortens commit hashes: to @min_length characters,
 * or more where two of @tasks would share a prefix.
 *
 * Returns: (transfer full): the short ids, in the order of @tasks
 */
char **
ferryctl_dup_short_ids (GPtrArray *tasks,
                        guint      min_length)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GPtrArray *short_ids = g_ptr_array_new ();
  gsize length = min_length;

  for (guint i = 0; i < tasks->len; i++)
    g_ptr_array_add (sorted, (gpointer) ferry_task_info_get_id (g_ptr_array_index (tasks, i)));
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 1; i < sorted->len; i++)
    {
      const char *a = g_ptr_array_index (sorted, i - 1);
      const char *b = g_ptr_array_index (sorted, i);

      if (!g_str_equal (a, b))
        length = MAX (length, common_prefix_length (a, b) + 1);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      const char *id = ferry_task_info_get_id (g_ptr_array_index (tasks, i));
      gsize n = MIN (length, strlen (id));

      /* Never end on the dash between two groups. */
      if (n > 0 && n < strlen (id) && id[n - 1] == '-')
        n++;
      g_ptr_array_add (short_ids, g_strndup (id, n));
    }
  g_ptr_array_add (short_ids, NULL);
  return (char **) g_ptr_array_free (short_ids, FALSE);
}
