/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bench-util.h"

/**
 * bench_read_memory:
 * @pid: a process
 * @rss: (out): its resident memory now, in MB, or -1
 * @peak: (out): the most it was resident since it started (VmHWM), in MB,
 *   or -1
 */
void
bench_read_memory (guint32  pid,
                   double  *rss,
                   double  *peak)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  *rss = *peak = -1;
  if (!g_file_get_contents (path, &status, NULL, NULL))
    return;
  line = strstr (status, "VmRSS:");
  if (line != NULL)
    *rss = strtol (line + 6, NULL, 10) / 1024.0;
  line = strstr (status, "VmHWM:");
  if (line != NULL)
    *peak = strtol (line + 6, NULL, 10) / 1024.0;
}

/**
 * bench_read_private:
 * @pid: a process
 *
 * Returns: its resident anonymous memory now (RssAnon: what it allocated,
 *   not the code and files it maps), in MB, or -1
 */
double
bench_read_private (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "RssAnon:");
  return line != NULL ? strtol (line + 8, NULL, 10) / 1024.0 : -1;
}

/**
 * bench_remove_tree:
 * @path: a folder a benchmark made
 *
 * Removes @path and everything in it, following no symbolic link.
 */
void
bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bench_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
