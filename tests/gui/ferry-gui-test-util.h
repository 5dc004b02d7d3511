/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ferry-application.h"
#include "ferry-client-fixture.h"
#include "ferry-task-row.h"
#include "ferry-task-view.h"
#include "ferry-test-util.h"
#include "ferry-window.h"

G_BEGIN_DECLS

/*
 * The window tests run the real widgets on a display of their own: an Xvfb
 * this program starts (on a free display number) and that dies with it.
 * Call gui_test_init() first in main(), instead of g_test_init().
 */
void       gui_test_init               (int          *argc,
                                        char       ***argv);
/* Only the display, for programs that are not tests (benchmarks). */
void       gui_start_xvfb              (void);

/* Iterates the main context until @expr holds; fails loudly after 20 s. */
#define GUI_WAIT(expr) FERRY_TEST_WAIT ((expr), 20000)

/* Depth-first search below @root for a widget of @type that @match (when
 * given) accepts. */
typedef gboolean (*GuiMatchFunc) (GtkWidget *widget,
                                  gpointer   user_data);

GtkWidget *gui_find_widget             (GtkWidget    *root,
                                        GType         type,
                                        GuiMatchFunc  match,
                                        gpointer      user_data);
/* The row showing task @id in @view, once drawn; NULL when not shown. */
FerryTaskRow *gui_find_row             (FerryTaskView *view,
                                        const char    *id);
/* A toplevel of @type other than the main window, or NULL. */
GtkWindow *gui_find_toplevel           (GType         type);
/* The label's text below @root whose template name is @name. */
const char *gui_label_text             (GtkWidget    *root,
                                        GType         template_type,
                                        const char   *name);
/* Whether a toast titled @title shows below @root. */
gboolean   gui_find_toast_title        (GtkWidget    *root,
                                        const char   *title);
/* Emits ::clicked on the first button below @root whose accessible
 * label, tooltip or label is @text (the way a person finds it). */
void       gui_click_button            (GtkWidget    *root,
                                        const char   *text);

G_END_DECLS
