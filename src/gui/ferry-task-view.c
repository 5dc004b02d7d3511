/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-task-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "ferry-elsewhere.h"
#include "ferry-task-row.h"
#include "ferry-task-view.h"

/**
 * FerryTaskView:
 *
 * One of the window's views (Pending, Failed, Conflicts, History): a
 * #GtkListView over a paging #FerryTaskList, so only the rows on screen are
 * ever fetched, with an empty state, a "no results" state for a search and
 * a bar counting the tasks with Retry All / Cancel All.
 *
 * The kind names the view and sets its query; it is also the target of the
 * window's retry-all and cancel-all actions.
 */
struct _FerryTaskView
{
  GtkWidget parent_instance;

  /* owned */
  char *kind;
  char *search;
  FerryClient *client;
  FerryTicker *ticker;
  FerryTaskList *list;
  FerryCollectionSet *collections;

  /* template children */
  GtkStack *stack;
  GtkListView *list_view;
  GtkNoSelection *selection;
  AdwStatusPage *empty_page;
  GtkButton *elsewhere_button;
  AdwStatusPage *no_results_page;
  GtkActionBar *action_bar;
  GtkLabel *count_label;
  GtkWidget *retry_all_button;
  GtkWidget *cancel_all_button;

  /* state */
  guint keep_top_source_id;
};

G_DEFINE_FINAL_TYPE (FerryTaskView, ferry_task_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_CLIENT,
  PROP_TICKER,
  PROP_SEARCH,
  PROP_N_ITEMS,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *kind;
  const char *icon_name;
  const char *title;
  const char *description;
  gboolean    can_retry_all;
  gboolean    can_cancel_all;
} KindInfo;

static const KindInfo kinds[] = {
  { "pending", "emblem-ok-symbolic", N_("Nothing waiting"),
    N_("Changes that apps hand to Ferry wait here until they reach their server."),
    FALSE, TRUE },
  { "failed", "emblem-ok-symbolic", N_("No failures"),
    N_("Changes a server refused, or that ran out of attempts, show up here."), TRUE, TRUE },
  { "conflicts", "emblem-ok-symbolic", N_("No conflicts"),
    N_("When a server’s copy changed in the meantime, the change waits here for you."),
    FALSE, TRUE },
  { "history", "document-open-recent-symbolic", N_("No history yet"),
    N_("Delivered and cancelled changes are listed here for a while."), FALSE, FALSE },
};

static const KindInfo *
lookup_kind (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

static void
update_page (FerryTaskView *self)
{
  const char *old_page = gtk_stack_get_visible_child_name (self->stack);
  const char *page;
  guint n = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *count = NULL;

  /* With the agent away nothing is known: no rows from before, no
   * endless loading, but the empty state that says so. */
  if (self->client != NULL && !ferry_client_get_agent_running (self->client))
    page = "empty";
  else if (n > 0)
    page = "list";
  else if (self->list == NULL || ferry_task_list_get_loading (self->list))
    page = "loading";
  else if (self->search != NULL && *self->search != '\0')
    page = "no-results";
  else
    page = "empty";

  if (g_strcmp0 (old_page, page) != 0)
    {
      gtk_stack_set_visible_child_name (self->stack, page);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }

  count = g_strdup_printf (ngettext ("%u change", "%u changes", n), n);
  gtk_label_set_label (self->count_label, count);
  /* Counts and bulk actions only over rows that are shown. */
  gtk_action_bar_set_revealed (self->action_bar, n > 0 && g_str_equal (page, "list"));
}

static gboolean
on_keep_top (gpointer user_data)
{
  FerryTaskView *self = user_data;

  self->keep_top_source_id = 0;
  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  return G_SOURCE_REMOVE;
}

static void
on_list_items_changed (FerryTaskView *self,
                       guint          position,
                       guint          removed,
                       guint          added,
                       GListModel    *list)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  /* The list view keeps the row it shows in place when rows arrive above
   * it; a view read from the top (the newest history first) should show
   * the new rows instead, once the list view has taken them in. */
  if (position == 0 && added > 0 && self->keep_top_source_id == 0
      && (adjustment == NULL || gtk_adjustment_get_value (adjustment) <= 0))
    {
      self->keep_top_source_id = g_idle_add (on_keep_top, self);
      g_source_set_name_by_id (self->keep_top_source_id, "[ferry] keep the view at its top");
    }

  update_page (self);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_list_notify_loading (FerryTaskView *self,
                        GParamSpec    *pspec,
                        FerryTaskList *list)
{
  update_page (self);
}

static void
rebuild_list (FerryTaskView *self)
{
  g_autoptr(FerryTaskQuery) query = NULL;
  guint old_n = 0;

  if (self->list != NULL)
    {
      old_n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
      g_signal_handlers_disconnect_by_data (self->list, self);
      g_clear_object (&self->list);
    }

  if (self->client != NULL && self->kind != NULL)
    {
      query = ferry_task_view_dup_query (self);
      self->list = ferry_task_list_new (self->client, query);
      g_signal_connect_object (self->list, "items-changed",
                               G_CALLBACK (on_list_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "notify::loading",
                               G_CALLBACK (on_list_notify_loading), self, G_CONNECT_SWAPPED);
    }

  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->list));
  update_page (self);
  if (old_n != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The empty state is true of the whole picture: it says what is known
 * when the agent is away, and what needs the person in the other views. */
static void
update_empty_page (FerryTaskView *self)
{
  const KindInfo *info = lookup_kind (self->kind);
  FerryElsewhere elsewhere;
  g_autofree char *description = NULL;
  const char *text;
  gboolean found;

  if (info == NULL)
    return;

  if (self->client == NULL || !ferry_client_get_agent_running (self->client))
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-question-symbolic");
      adw_status_page_set_title (self->empty_page, _("Nothing is known"));
      adw_status_page_set_description (self->empty_page,
                                       _("Ferry’s agent is not running, so what it holds "
                                         "cannot be shown. Your changes stay safe on this "
                                         "computer."));
      gtk_widget_set_visible (GTK_WIDGET (self->elsewhere_button), FALSE);
      return;
    }

  found = ferry_elsewhere_describe (self->kind, self->client, self->collections, &elsewhere);
  text = _(info->description);
  if (g_str_equal (self->kind, "pending") && elsewhere.all_sent)
    text = _("Every change has reached its server.");
  description = found ? g_strdup_printf ("%s\n%s", text, elsewhere.text) : g_strdup (text);

  adw_status_page_set_icon_name (self->empty_page,
                                 elsewhere.warning ? "dialog-warning-symbolic" : info->icon_name);
  adw_status_page_set_title (self->empty_page, _(info->title));
  adw_status_page_set_description (self->empty_page, description);

  gtk_widget_set_visible (GTK_WIDGET (self->elsewhere_button), found);
  if (found)
    {
      GtkActionable *button = GTK_ACTIONABLE (self->elsewhere_button);
      gboolean window = g_str_equal (elsewhere.view, "collections");

      gtk_button_set_label (self->elsewhere_button, elsewhere.button);
      /* No action while the target changes: the Collections window's
       * takes none, the views' a name. */
      gtk_actionable_set_action_name (button, NULL);
      gtk_actionable_set_action_target_value (button,
                                              window ? NULL : g_variant_new_string (elsewhere.view));
      gtk_actionable_set_action_name (button, window ? "win.show-collections" : "win.show-view");
    }
  ferry_elsewhere_clear (&elsewhere);
}

static void
on_client_notify (FerryTaskView *self,
                  GParamSpec    *pspec,
                  FerryClient   *client)
{
  update_empty_page (self);
  update_page (self);
}

static void
update_kind (FerryTaskView *self)
{
  const KindInfo *info = lookup_kind (self->kind);

  g_assert (info != NULL);

  update_empty_page (self);

  gtk_widget_set_visible (self->retry_all_button, info->can_retry_all);
  gtk_widget_set_visible (self->cancel_all_button, info->can_cancel_all);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_all_button), "s", self->kind);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->cancel_all_button), "s", self->kind);
}

static void
on_factory_setup (FerryTaskView            *self,
                  GtkListItem              *item,
                  GtkSignalListItemFactory *factory)
{
  gtk_list_item_set_child (item, ferry_task_row_new (self->ticker));
}

static void
on_factory_bind (FerryTaskView            *self,
                 GtkListItem              *item,
                 GtkSignalListItemFactory *factory)
{
  ferry_task_row_set_info (FERRY_TASK_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

static void
on_factory_unbind (FerryTaskView            *self,
                   GtkListItem              *item,
                   GtkSignalListItemFactory *factory)
{
  ferry_task_row_set_info (FERRY_TASK_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_list_view_activate (FerryTaskView *self,
                       guint          position,
                       GtkListView   *list_view)
{
  g_autoptr(FerryTaskInfo) info = NULL;

  if (self->list == NULL)
    return;
  info = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  if (info == NULL || !ferry_task_info_get_loaded (info))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-details", "s",
                              ferry_task_info_get_id (info));
}

static void
ferry_task_view_constructed (GObject *object)
{
  FerryTaskView *self = (FerryTaskView *) object;
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (ferry_task_view_parent_class)->constructed (object);

  if (self->kind == NULL)
    self->kind = g_strdup ("pending");
  update_kind (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (on_factory_setup), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_factory_bind), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_factory_unbind), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  rebuild_list (self);
}

static void
ferry_task_view_dispose (GObject *object)
{
  FerryTaskView *self = (FerryTaskView *) object;
  GtkWidget *child;

  g_clear_handle_id (&self->keep_top_source_id, g_source_remove);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  /* The list holds the client, and the client its bus connection: let go
   * of it even if the list view outlives us. */
  if (self->selection != NULL)
    gtk_no_selection_set_model (self->selection, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TASK_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->list);
  g_clear_object (&self->client);
  g_clear_object (&self->ticker);
  if (self->collections != NULL)
    g_signal_handlers_disconnect_by_data (self->collections, self);
  g_clear_object (&self->collections);

  G_OBJECT_CLASS (ferry_task_view_parent_class)->dispose (object);
}

static void
ferry_task_view_finalize (GObject *object)
{
  FerryTaskView *self = (FerryTaskView *) object;

  g_free (self->kind);
  g_free (self->search);

  G_OBJECT_CLASS (ferry_task_view_parent_class)->finalize (object);
}

static void
ferry_task_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryTaskView *self = FERRY_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TICKER:
      g_value_set_object (value, self->ticker);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, ferry_task_view_get_n_items (self));
      break;
    case PROP_PAGE:
      g_value_set_string (value, ferry_task_view_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryTaskView *self = FERRY_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_return_if_fail (g_value_get_string (value) == NULL
                        || lookup_kind (g_value_get_string (value)) != NULL);
      self->kind = g_value_dup_string (value);
      break;
    case PROP_CLIENT:
      ferry_task_view_set_client (self, g_value_get_object (value));
      break;
    case PROP_TICKER:
      ferry_task_view_set_ticker (self, g_value_get_object (value));
      break;
    case PROP_SEARCH:
      ferry_task_view_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_task_view_class_init (FerryTaskViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ferry_task_view_constructed;
  object_class->dispose = ferry_task_view_dispose;
  object_class->finalize = ferry_task_view_finalize;
  object_class->get_property = ferry_task_view_get_property;
  object_class->set_property = ferry_task_view_set_property;

  /**
   * FerryTaskView:kind:
   *
   * Which view: pending, failed, conflicts or history.
   */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FERRY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKER] =
    g_param_spec_object ("ticker", NULL, NULL, FERRY_TYPE_TICKER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FerryTaskView:search:
   *
   * Text the tasks' name, URL or owner must contain, or %NULL.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * FerryTaskView:page:
   *
   * What the view shows: list, loading, empty or no-results.
   */
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FERRY_TYPE_TASK_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferrysync/Ferry/ui/ferry-task-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, list_view);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, selection);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, elsewhere_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, action_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, count_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, retry_all_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTaskView, cancel_all_button);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ferry_task_view_init (FerryTaskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_task_view_new:
 * @kind: pending, failed, conflicts or history
 *
 * Returns: (transfer floating): a view with no client yet
 */
GtkWidget *
ferry_task_view_new (const char *kind)
{
  g_return_val_if_fail (lookup_kind (kind) != NULL, NULL);

  return g_object_new (FERRY_TYPE_TASK_VIEW, "kind", kind, NULL);
}

const char *
ferry_task_view_get_kind (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->kind;
}

FerryClient *
ferry_task_view_get_client (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->client;
}

/**
 * ferry_task_view_set_client:
 * @self: a view
 * @client: (nullable): the client to list tasks from
 */
void
ferry_task_view_set_client (FerryTaskView *self,
                            FerryClient   *client)
{
  g_return_if_fail (FERRY_IS_TASK_VIEW (self));
  g_return_if_fail (client == NULL || FERRY_IS_CLIENT (client));

  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  /* The empty state speaks of the other views and of the agent. */
  if (self->client != NULL)
    {
      static const char * const watched[] = {
        "notify::agent-running", "notify::failed-count", "notify::auth-count",
        "notify::conflict-count", "notify::last-sync-time",
      };

      for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
        g_signal_connect_object (self->client, watched[i], G_CALLBACK (on_client_notify), self,
                                 G_CONNECT_SWAPPED);
    }
  update_empty_page (self);
  if (self->kind != NULL)
    rebuild_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * ferry_task_view_set_collections:
 * @self: a view
 * @collections: (nullable): the collections the empty state speaks of too
 */
void
ferry_task_view_set_collections (FerryTaskView      *self,
                                 FerryCollectionSet *collections)
{
  g_return_if_fail (FERRY_IS_TASK_VIEW (self));

  if (self->collections != NULL)
    g_signal_handlers_disconnect_by_data (self->collections, self);
  g_set_object (&self->collections, collections);
  if (collections != NULL)
    g_signal_connect_object (collections, "changed", G_CALLBACK (update_empty_page), self,
                             G_CONNECT_SWAPPED);
  update_empty_page (self);
}

FerryTicker *
ferry_task_view_get_ticker (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->ticker;
}

/**
 * ferry_task_view_set_ticker:
 * @self: a view
 * @ticker: (nullable): the clock rows created from now on count down with
 */
void
ferry_task_view_set_ticker (FerryTaskView *self,
                            FerryTicker   *ticker)
{
  g_return_if_fail (FERRY_IS_TASK_VIEW (self));
  g_return_if_fail (ticker == NULL || FERRY_IS_TICKER (ticker));

  if (g_set_object (&self->ticker, ticker))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKER]);
}

const char *
ferry_task_view_get_search (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->search;
}

/**
 * ferry_task_view_set_search:
 * @self: a view
 * @search: (nullable): text the tasks' name, URL or owner must contain;
 *   %NULL or "" shows every task of the view
 */
void
ferry_task_view_set_search (FerryTaskView *self,
                            const char    *search)
{
  g_return_if_fail (FERRY_IS_TASK_VIEW (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  if (self->kind != NULL && self->client != NULL)
    rebuild_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

/**
 * ferry_task_view_query_for_kind:
 * @kind: pending, failed, conflicts or history
 *
 * Returns: (transfer full): the query of a view of @kind without a search
 */
FerryTaskQuery *
ferry_task_view_query_for_kind (const char *kind)
{
  FerryTaskQuery *query = ferry_task_query_new ();

  if (g_strcmp0 (kind, "pending") == 0)
    {
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_PENDING);
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_RUNNING);
    }
  else if (g_strcmp0 (kind, "failed") == 0)
    {
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_FAILED);
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_AUTH_REQUIRED);
    }
  else if (g_strcmp0 (kind, "conflicts") == 0)
    {
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_CONFLICT);
    }
  else if (g_strcmp0 (kind, "history") == 0)
    {
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_SUCCEEDED);
      ferry_task_query_add_state (query, FERRY_CLIENT_TASK_STATE_CANCELLED);
      ferry_task_query_set_newest_first (query, TRUE);
    }
  else
    {
      g_return_val_if_reached (query);
    }
  return query;
}

/**
 * ferry_task_view_dup_query:
 * @self: a view
 *
 * Returns: (transfer full): the query the view lists, its search included
 */
FerryTaskQuery *
ferry_task_view_dup_query (FerryTaskView *self)
{
  FerryTaskQuery *query;

  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);

  query = ferry_task_view_query_for_kind (self->kind);
  if (self->search != NULL)
    ferry_task_query_set_search (query, self->search);
  return query;
}

/**
 * ferry_task_view_get_list:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the list the view shows
 */
FerryTaskList *
ferry_task_view_get_list (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->list;
}

/**
 * ferry_task_view_get_list_view:
 * @self: a view
 *
 * Returns: (transfer none): the list view
 */
GtkListView *
ferry_task_view_get_list_view (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return self->list_view;
}

guint
ferry_task_view_get_n_items (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), 0);

  if (self->list == NULL)
    return 0;
  return g_list_model_get_n_items (G_LIST_MODEL (self->list));
}

/**
 * ferry_task_view_get_page:
 * @self: a view
 *
 * Returns: what the view shows: "list", "loading", "empty" or
 *   "no-results"
 */
const char *
ferry_task_view_get_page (FerryTaskView *self)
{
  g_return_val_if_fail (FERRY_IS_TASK_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
