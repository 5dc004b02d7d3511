/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferryctl-table"

#include "config.h"

#include <string.h>

#include "ferryctl-format.h"
#include "ferryctl-private.h"

/*
 * The table of `ferryctl list`: one line per task in aligned columns,
 * fitted into a width (80 columns by default) by shortening ids as git
 * does and cutting the owner, the name and the request with an ellipsis
 * where they are too long, or as wide as it takes.
 */

/* Ids are shortened to at least this many characters. */
#define SHORT_ID_LENGTH 8

/* Spaces between two columns. */
#define GAP 2

enum { COL_ID, COL_STATE, COL_PRIORITY, COL_TRIES, COL_OWNER, COL_NAME, COL_REQUEST, N_COLS };

typedef enum {
  CUT_END,      /* "a long na…": the start says most */
  CUT_START,    /* "…example.Notes": an app id's end says most */
  CUT_MIDDLE,   /* "PUT https://host/…/notes/1": host and last part */
} CutStyle;

static const CutStyle cut_styles[N_COLS] = {
  [COL_OWNER] = CUT_START,
  [COL_NAME] = CUT_END,
  [COL_REQUEST] = CUT_MIDDLE,
};

/* When the table is too wide, columns are cut down to these widths, one
 * step after the other, until it fits: the owner and the name first, so
 * that the request keeps most of its room. */
static const struct
{
  guint column;
  guint width;
} cut_steps[] = {
  { COL_NAME, 16 }, { COL_OWNER, 16 }, { COL_REQUEST, 40 },
  { COL_NAME, 10 }, { COL_OWNER, 10 }, { COL_REQUEST, 30 },
  { COL_NAME, 6 }, { COL_REQUEST, 16 }, { COL_OWNER, 6 },
};

static char *
format_tries (FerryTaskInfo *info)
{
  guint max = ferry_task_info_get_max_attempts (info);

  if (max == 0)
    return g_strdup_printf ("%u", ferry_task_info_get_attempts (info));
  return g_strdup_printf ("%u/%u", ferry_task_info_get_attempts (info), max);
}

static guint
text_width (const char *text)
{
  return g_utf8_strlen (text, -1);
}

/* Where the host of "METHOD scheme://host/path" ends, in characters
 * (after its slash), or 0. */
static guint
host_end (const char *request)
{
  const char *scheme = strstr (request, "://");
  const char *slash;

  if (scheme == NULL)
    return 0;
  slash = strchr (scheme + 3, '/');
  if (slash == NULL)
    return 0;
  return g_utf8_pointer_to_offset (request, slash) + 1;
}

/* @text in at most @width characters, an ellipsis where it was cut. */
static char *
cut_text (const char *text,
          guint       width,
          CutStyle    style)
{
  guint length = text_width (text);
  guint room = width - 1;
  g_autofree char *start = NULL;
  guint head;

  if (length <= width)
    return g_strdup (text);
  if (width <= 1)
    return g_strdup ("…");

  switch (style)
    {
    case CUT_START:
      return g_strconcat ("…", g_utf8_offset_to_pointer (text, length - room), NULL);

    case CUT_MIDDLE:
      /* Two thirds for the start, more to keep the host whole when a
       * quarter is left for the end of the path. */
      head = room - room / 3;
      if (host_end (text) > head && host_end (text) <= room - room / 4)
        head = host_end (text);
      start = g_utf8_substring (text, 0, head);
      return g_strconcat (start, "…", g_utf8_offset_to_pointer (text, length - (room - head)),
                          NULL);

    case CUT_END:
    default:
      start = g_utf8_substring (text, 0, room);
      return g_strconcat (start, "…", NULL);
    }
}

static char **
make_row (FerryTaskInfo *info,
          const char    *short_id)
{
  const char *state = ferry_task_info_get_state_name (info);
  const char *name = ferry_task_info_get_name (info);
  const char *owner = ferry_task_info_get_owner (info);
  char **row = g_new0 (char *, N_COLS + 1);

  row[COL_ID] = g_strdup (short_id);
  /* A pending task whose server keeps failing is being retried. */
  if (ferry_task_info_get_state (info) == FERRY_CLIENT_TASK_STATE_PENDING &&
      ferry_task_info_get_failing_since (info) != 0)
    state = "retrying";
  row[COL_STATE] = g_strdup (state != NULL ? state : "?");
  row[COL_PRIORITY] = g_strdup (ferry_client_priority_to_string (
                                  ferry_task_info_get_priority (info)));
  row[COL_TRIES] = format_tries (info);
  row[COL_OWNER] = g_strdup (owner != NULL ? owner : "?");
  row[COL_NAME] = g_strdup (name != NULL ? name : "-");
  row[COL_REQUEST] = g_strdup_printf ("%s %s", ferry_task_info_get_method (info),
                                      ferry_task_info_get_url (info));
  return row;
}

static guint
table_width (const guint *widths)
{
  guint total = GAP * (N_COLS - 1);

  for (guint c = 0; c < N_COLS; c++)
    total += widths[c];
  return total;
}

/* Cuts columns down, step by step, until the table fits in @max_width
 * (or every step is taken). */
static void
fit_widths (guint *widths,
            guint  max_width)
{
  for (guint s = 0; s < G_N_ELEMENTS (cut_steps); s++)
    {
      guint total = table_width (widths);
      guint c = cut_steps[s].column;

      if (total <= max_width)
        return;
      if (widths[c] > cut_steps[s].width)
        widths[c] = MAX (cut_steps[s].width, widths[c] - MIN (widths[c], total - max_width));
    }
}

static void
print_row (char * const *cells,
           const guint  *widths)
{
  GString *line = g_string_new (NULL);

  for (guint c = 0; c < N_COLS; c++)
    {
      g_autofree char *text = cut_text (cells[c], widths[c], cut_styles[c]);

      g_string_append (line, text);
      if (c == N_COLS - 1)
        break;
      for (guint i = text_width (text); i < widths[c] + GAP; i++)
        g_string_append_c (line, ' ');
    }
  g_print ("%s\n", line->str);
  g_string_free (line, TRUE);
}

/**
 * ferryctl_print_task_table:
 * @tasks: (element-type FerryTaskInfo): the tasks
 * @max_width: the widest a line may be, or 0 for no limit
 *
 * Prints one line per task under a header line, in aligned columns.  With
 * a limit, ids are shortened to 8 characters or as many as tell the tasks
 * apart, and long owners, names and requests are cut to fit.
 */
void
ferryctl_print_task_table (GPtrArray *tasks,
                           guint      max_width)
{
  static const char * const headers[N_COLS] = {
    "ID", "STATE", "PRIORITY", "TRIES", "OWNER", "NAME", "REQUEST",
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto(GStrv) short_ids = NULL;
  guint widths[N_COLS];

  if (max_width > 0)
    short_ids = ferryctl_dup_short_ids (tasks, SHORT_ID_LENGTH);

  for (guint c = 0; c < N_COLS; c++)
    widths[c] = text_width (headers[c]);
  for (guint i = 0; i < tasks->len; i++)
    {
      FerryTaskInfo *info = g_ptr_array_index (tasks, i);
      char **row = make_row (info, short_ids != NULL ? short_ids[i]
                                                     : ferry_task_info_get_id (info));

      for (guint c = 0; c < N_COLS; c++)
        widths[c] = MAX (widths[c], text_width (row[c]));
      g_ptr_array_add (rows, row);
    }
  if (max_width > 0)
    fit_widths (widths, max_width);

  print_row ((char * const *) headers, widths);
  for (guint i = 0; i < rows->len; i++)
    print_row (g_ptr_array_index (rows, i), widths);
}
