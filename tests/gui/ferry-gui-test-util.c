/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ferry-gui-test-config.h"
#include "ferry-gui-test-util.h"

static GSubprocess *xvfb;
static pid_t xvfb_parent;

/* Xvfb must not outlive the test, even one that aborts. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* At exit of this process only: a forked child (GTestDBus's watcher)
 * runs the exit handlers too, and must leave the display alone. */
static void
stop_xvfb (void)
{
  if (xvfb == NULL || getpid () != xvfb_parent)
    return;
  g_subprocess_send_signal (xvfb, SIGTERM);
  g_subprocess_wait (xvfb, NULL, NULL);
  g_clear_object (&xvfb);
}

/**
 * gui_start_xvfb:
 *
 * Starts Xvfb on a display number it picks itself (-displayfd), points
 * DISPLAY at it, and stops it when the process exits (or dies).
 */
void
gui_start_xvfb (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  GString *number = g_string_new (NULL);
  int fds[2];
  char c;

  g_assert_cmpint (pipe (fds), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  xvfb = g_subprocess_launcher_spawn (launcher, &error,
                                      XVFB_PATH, "-displayfd", "3",
                                      "-screen", "0", "1280x800x24",
                                      "-nolisten", "tcp", "-noreset",
                                      NULL);
  g_assert_no_error (error);
  xvfb_parent = getpid ();

  /* The number, then a newline, once the server accepts connections. */
  while (TRUE)
    {
      ssize_t n = read (fds[0], &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("Xvfb ended before it said which display it took");
      if (c == '\n')
        break;
      g_string_append_c (number, c);
    }
  close (fds[0]);

  display = g_strdup_printf (":%s", number->str);
  g_string_free (number, TRUE);
  g_setenv ("DISPLAY", display, TRUE);
  atexit (stop_xvfb);
}

/* G_TEST_OPTION_ISOLATE_DIRS hides the system's shared MIME database,
 * without which the image loaders cannot sniff an SVG icon: GTK warns and
 * draws a placeholder.  What the tests check does not depend on icons, so
 * that one warning is dropped; everything else goes to the default writer,
 * which makes warnings fatal in tests. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0
      && message != NULL && g_str_has_prefix (message, "Failed to load icon"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * gui_test_init:
 * @argc: main()'s
 * @argv: main()'s
 *
 * g_test_init() with isolated directories, then a display of the test's
 * own, with settings that keep runs alike: the cairo renderer (Xvfb has no
 * GPU), no animations, no accessibility bus or portal on the private bus.
 */
void
gui_test_init (int    *argc,
               char ***argv)
{
  g_log_set_writer_func (write_log, NULL, NULL);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");
  gui_start_xvfb ();

  gtk_disable_setlocale ();
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/**
 * gui_find_widget:
 * @root: where to start
 * @type: the type looked for
 * @match: (nullable): what else the widget must satisfy
 * @user_data: for @match
 *
 * Returns: (transfer none) (nullable): the first such widget, @root
 *   included, depth first
 */
GtkWidget *
gui_find_widget (GtkWidget    *root,
                 GType         type,
                 GuiMatchFunc  match,
                 gpointer      user_data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, user_data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gui_find_widget (child, type, match, user_data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
row_shows (GtkWidget *widget,
           gpointer   user_data)
{
  FerryTaskInfo *info = ferry_task_row_get_info (FERRY_TASK_ROW (widget));

  return info != NULL && ferry_task_info_get_loaded (info)
         && g_strcmp0 (ferry_task_info_get_id (info), user_data) == 0
         && gtk_widget_get_mapped (widget);
}

/**
 * gui_find_row:
 * @view: a view
 * @id: a task id
 *
 * Returns: (transfer none) (nullable): the row showing @id, when it is
 *   on screen
 */
FerryTaskRow *
gui_find_row (FerryTaskView *view,
              const char    *id)
{
  return (FerryTaskRow *) gui_find_widget (GTK_WIDGET (ferry_task_view_get_list_view (view)),
                                           FERRY_TYPE_TASK_ROW, row_shows, (gpointer) id);
}

/**
 * gui_find_toplevel:
 * @type: a window type
 *
 * Returns: (transfer none) (nullable): a shown toplevel of @type
 */
GtkWindow *
gui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/**
 * gui_label_text:
 * @root: a templated widget
 * @template_type: the type whose template names the label
 * @name: the label's id in the template
 *
 * Returns: the label's text
 */
const char *
gui_label_text (GtkWidget  *root,
                GType       template_type,
                const char *name)
{
  GObject *label = gtk_widget_get_template_child (root, template_type, name);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
button_says (GtkWidget *widget,
             gpointer   user_data)
{
  const char *text = user_data;
  const char *label = gtk_button_get_label (GTK_BUTTON (widget));
  g_autofree char *plain = NULL;

  if (!gtk_widget_is_drawable (widget))
    return FALSE;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0)
    return TRUE;
  if (label == NULL)
    return FALSE;
  plain = g_strdup (label);
  /* "_Start Agent" reads "Start Agent". */
  for (char *p = plain, *q = plain; ; p++)
    {
      if (*p != '_')
        *q++ = *p;
      if (*p == '\0')
        break;
    }
  return g_strcmp0 (plain, text) == 0;
}

/**
 * gui_click_button:
 * @root: where to look
 * @text: the button's label or tooltip
 *
 * Clicks the first button shown below @root that says @text.
 */
void
gui_click_button (GtkWidget  *root,
                  const char *text)
{
  GtkWidget *button = gui_find_widget (root, GTK_TYPE_BUTTON, button_says, (gpointer) text);

  if (button == NULL)
    g_error ("No button “%s” is shown", text);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_label_with_text (GtkWidget *widget,
                    gpointer   user_data)
{
  GType toast = g_type_from_name ("AdwToastWidget");

  return GTK_IS_LABEL (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), user_data) == 0
         && toast != G_TYPE_INVALID && gtk_widget_get_ancestor (widget, toast) != NULL;
}

/**
 * gui_find_toast_title:
 * @root: where to look
 * @title: a toast's title
 *
 * Returns: whether a toast titled @title shows below @root
 */
gboolean
gui_find_toast_title (GtkWidget  *root,
                      const char *title)
{
  return gui_find_widget (root, GTK_TYPE_LABEL, is_label_with_text, (gpointer) title) != NULL;
}
