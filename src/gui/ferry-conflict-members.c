/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-conflict-members"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-task-format.h"
#include "ferry-conflict-members.h"

/* A value cell is one ellipsized line; more than this is never seen. */
#define CELL_CHARS 200

/**
 * FerryConflictMembers:
 *
 * The member-by-member comparison of the conflict window: a grid with a
 * row per top-level member of the documents, its value in the base (when
 * known), mine and the server's, a warning where both sides changed it,
 * and a Mine/Server's choice where the sides differ.  It shows a
 * #FerryConflictModel; the window applies the choices.
 */
struct _FerryConflictMembers
{
  GtkGrid parent_instance;
};

G_DEFINE_FINAL_TYPE (FerryConflictMembers, ferry_conflict_members, GTK_TYPE_GRID)

enum {
  CHOICE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The first @max_chars characters of @text, with "…" when cut. */
static char *
cut_text (const char *text,
          glong       max_chars)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, max_chars + 1) <= max_chars)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, max_chars);
  return g_strconcat (start, "…", NULL);
}

static void
on_choice_toggled (GtkToggleButton      *button,
                   FerryConflictMembers *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ferry-member"));
  FerryConflictSide side = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "ferry-side"));

  /* Both buttons of a group toggle: act on the one turned on. */
  if (!gtk_toggle_button_get_active (button))
    return;
  g_signal_emit (self, signals[CHOICE_CHANGED], 0, index, side);
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* One cell: the value as one ellipsized monospace line, all of it in the
 * tooltip; "(none)" where the side has no such member. */
static GtkWidget *
new_value_cell (FerryConflictModel *model,
                guint               index,
                FerryConflictSide   side,
                const char         *css_class)
{
  g_autofree char *text = ferry_conflict_model_dup_text (model, index, side);
  GtkWidget *label;

  if (text == NULL)
    {
      label = gtk_label_new (_("(none)"));
      gtk_widget_add_css_class (label, "conflict-absent");
    }
  else
    {
      g_autofree char *shown = cut_text (text, CELL_CHARS);
      g_autofree char *tip = cut_text (text, FERRY_BODY_PREVIEW_BYTES);

      label = gtk_label_new (shown);
      gtk_widget_set_tooltip_text (label, tip);
    }
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "conflict-value");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
new_values_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  /* Equal columns whatever the values' lengths, the same in every row. */
  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static GtkWidget *
new_choice_button (FerryConflictMembers *self,
                   FerryConflictModel   *model,
                   guint                 index,
                   FerryConflictSide     side,
                   const char           *name)
{
  GtkWidget *button;
  g_autofree char *description = NULL;

  if (side == FERRY_CONFLICT_SIDE_MINE)
    {
      button = gtk_toggle_button_new_with_label (_("Mine"));
      /* Translators: %s is the name of a member of a JSON document */
      description = g_strdup_printf (_("Keep mine for %s"), name);
    }
  else
    {
      button = gtk_toggle_button_new_with_label (_("Server’s"));
      /* Translators: %s is the name of a member of a JSON document */
      description = g_strdup_printf (_("Keep the server’s for %s"), name);
    }
  gtk_widget_set_tooltip_text (button, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                ferry_conflict_model_get_choice (model, index) == side);
  g_object_set_data (G_OBJECT (button), "ferry-member", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "ferry-side", GINT_TO_POINTER (side));
  g_signal_connect_object (button, "toggled", G_CALLBACK (on_choice_toggled), self, 0);
  return button;
}

static void
add_member_row (FerryConflictMembers *self,
                FerryConflictModel   *model,
                guint                 index,
                int                   row)
{
  GtkGrid *grid = GTK_GRID (self);
  const char *name = ferry_conflict_model_get_name (model, index);
  FerryConflictChange change = ferry_conflict_model_get_change (model, index);
  const char *mine_class = NULL;
  const char *server_class = NULL;
  GtkWidget *label;
  GtkWidget *values;

  switch (change)
    {
    case FERRY_CONFLICT_CHANGE_MINE:
      mine_class = "conflict-mine-changed";
      break;
    case FERRY_CONFLICT_CHANGE_SERVER:
      server_class = "conflict-server-changed";
      break;
    case FERRY_CONFLICT_CHANGE_BOTH:
      mine_class = server_class = "conflict-both";
      break;
    case FERRY_CONFLICT_CHANGE_NONE:
    default:
      break;
    }

  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_set_tooltip_text (label, name);
  gtk_widget_add_css_class (label, "conflict-member");
  gtk_grid_attach (grid, label, 0, row, 1, 1);

  values = new_values_box ();
  if (ferry_conflict_model_get_has_base (model))
    gtk_box_append (GTK_BOX (values),
                    new_value_cell (model, index, FERRY_CONFLICT_SIDE_BASE, NULL));
  gtk_box_append (GTK_BOX (values),
                  new_value_cell (model, index, FERRY_CONFLICT_SIDE_MINE, mine_class));
  gtk_box_append (GTK_BOX (values),
                  new_value_cell (model, index, FERRY_CONFLICT_SIDE_SERVER, server_class));
  gtk_grid_attach (grid, values, 1, row, 1, 1);

  if (change == FERRY_CONFLICT_CHANGE_BOTH)
    {
      const char *why = ferry_conflict_model_get_has_base (model)
                        ? _("Changed on both sides")
                        : _("Differs, and the original is not known");
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_set_tooltip_text (icon, why);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, why,
                                      -1);
      gtk_widget_add_css_class (icon, "warning");
      gtk_grid_attach (grid, icon, 2, row, 1, 1);
    }

  if (change != FERRY_CONFLICT_CHANGE_NONE)
    {
      GtkWidget *choice = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *mine = new_choice_button (self, model, index, FERRY_CONFLICT_SIDE_MINE, name);
      GtkWidget *server = new_choice_button (self, model, index, FERRY_CONFLICT_SIDE_SERVER, name);

      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (server), GTK_TOGGLE_BUTTON (mine));
      gtk_widget_add_css_class (choice, "linked");
      gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (choice), mine);
      gtk_box_append (GTK_BOX (choice), server);
      gtk_grid_attach (grid, choice, 3, row, 1, 1);
    }
}

static void
ferry_conflict_members_class_init (FerryConflictMembersClass *klass)
{
  /**
   * FerryConflictMembers::choice-changed:
   * @self: the grid
   * @index: the member's index in the model
   * @side: the #FerryConflictSide the person chose for it
   *
   * The person chose which side to keep for a member.
   */
  signals[CHOICE_CHANGED] =
    g_signal_new ("choice-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT);
}

static void
ferry_conflict_members_init (FerryConflictMembers *self)
{
}

/**
 * ferry_conflict_members_new:
 *
 * Returns: (transfer floating): an empty grid
 */
GtkWidget *
ferry_conflict_members_new (void)
{
  return g_object_new (FERRY_TYPE_CONFLICT_MEMBERS, NULL);
}

/**
 * ferry_conflict_members_show:
 * @self: a members grid
 * @model: the comparison to show
 *
 * Shows the members of @model with their values on each side and, for
 * those that differ, a choice set to the model's; what the person chooses
 * comes out as ::choice-changed.  The grid does not keep @model.
 */
void
ferry_conflict_members_show (FerryConflictMembers *self,
                             FerryConflictModel   *model)
{
  GtkGrid *grid = GTK_GRID (self);
  GtkWidget *child;
  GtkWidget *headings;
  guint n;

  g_return_if_fail (FERRY_IS_CONFLICT_MEMBERS (self));
  g_return_if_fail (model != NULL);

  n = ferry_conflict_model_get_n_members (model);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_grid_remove (grid, child);

  gtk_grid_attach (grid, new_heading (_("Member")), 0, 0, 1, 1);
  headings = new_values_box ();
  if (ferry_conflict_model_get_has_base (model))
    gtk_box_append (GTK_BOX (headings), new_heading (_("Original")));
  gtk_box_append (GTK_BOX (headings), new_heading (_("Mine")));
  gtk_box_append (GTK_BOX (headings), new_heading (_("Server’s")));
  /* Indented like the values under them. */
  for (child = gtk_widget_get_first_child (headings);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_add_css_class (child, "conflict-value");
  gtk_grid_attach (grid, headings, 1, 0, 1, 1);
  gtk_grid_attach (grid, new_heading (_("Keep")), 3, 0, 1, 1);

  for (guint i = 0; i < n; i++)
    add_member_row (self, model, i, (int) i + 1);

  if (n == 0)
    {
      GtkWidget *empty = gtk_label_new (_("Both documents are empty objects"));

      gtk_label_set_xalign (GTK_LABEL (empty), 0);
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_grid_attach (grid, empty, 0, 1, 4, 1);
    }
}