/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-document-list"

#include "config.h"

#include "ferry-error.h"
#include "ferry-document-info-private.h"
#include "ferry-pager-private.h"

#include "ferry-document-list.h"

/**
 * FerryDocumentList:
 *
 * A #GListModel of a collection's live documents, by id, as
 * #FerryDocumentInfo items, paged from the agent on demand so that a view
 * over a large collection stays cheap.
 *
 * It holds what the collection's `List` method lists: the live documents
 * and the deletions that wait to be sent (#FerryDocumentInfo:deleted).
 * Its length is found with a `List` call from near the end (the
 * collection's #FerryCollection:document-count); rows are fetched with
 * `List` too, one page
 * (#FerryDocumentList:page-size documents) at a time and only for pages
 * asked for: g_list_model_get_item() on a row whose page has not arrived
 * returns an unloaded item (#FerryDocumentInfo:loaded is %FALSE) that
 * fills in when its page arrives, with #GListModel::items-changed for the
 * page.  At most #FerryDocumentList:max-pages pages are kept; the ones
 * farthest from the last row asked for are dropped first.
 *
 * The list follows the collection: when its documents change (a write, a
 * deletion or a pull; #FerryCollection::changed) or its counts do (a
 * push), it recounts and reloads
 * the pages it holds, then emits ::items-changed for what moved.  Rows
 * before the first one known to differ keep their objects, updated in
 * place.
 *
 * Get one with ferry_collection_list_documents().
 */

struct _FerryDocumentList
{
  GObject          parent_instance;

  /* owned */
  FerryCollection *collection;

  /* state */
  gboolean         with_bodies;
  FerryPager       pager;
};

static void ferry_document_list_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryDocumentList, ferry_document_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ferry_document_list_list_model_iface_init))

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_WITH_BODIES,
  PROP_PAGE_SIZE,
  PROP_MAX_PAGES,
  PROP_LOADING,
  PROP_LIST_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pager's view of the list ------------------------------------------- */

/*
 * Counting: the rows of `List` are the live documents (DocumentCount) and
 * the deletions that wait to be sent, so the count is DocumentCount plus
 * the rows a `List` without bodies finds from there on.  It starts a
 * little before, in case DocumentCount has not caught up with a deletion
 * yet; if nothing is found there, the count went down further and is
 * taken from the start.
 */
#define PROBE_MARGIN 100
#define PROBE_LIMIT  1000

static void probe_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data);

static void
probe (GTask *task,
       guint  offset)
{
  g_task_set_task_data (task, GUINT_TO_POINTER (offset), NULL);
  ferry_collection_list_async (g_task_get_source_object (task), NULL, offset, PROBE_LIMIT,
                               g_task_get_cancellable (task), probe_cb, task);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint offset = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GVariant) documents = NULL;
  GError *error = NULL;
  gsize n;

  documents = ferry_collection_list_finish (FERRY_COLLECTION (source), result, &error);
  if (documents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  n = g_variant_n_children (documents);
  if (n == 0 && offset > 0)
    probe (g_steal_pointer (&task), 0);
  else if (n == PROBE_LIMIT)
    probe (g_steal_pointer (&task), offset + PROBE_LIMIT);
  else
    g_task_return_int (task, offset + n);
}

static void
count_async (GListModel          *model,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (model);
  GTask *task = g_task_new (self->collection, cancellable, callback, user_data);
  guint live = ferry_collection_get_document_count (self->collection);

  g_task_set_source_tag (task, count_async);
  probe (task, live > PROBE_MARGIN ? live - PROBE_MARGIN : 0);
}

static gboolean
count_finish (GObject       *source,
              GAsyncResult  *result,
              guint         *out_count,
              GError       **error)
{
  gssize count = g_task_propagate_int (G_TASK (result), error);

  *out_count = count >= 0 ? (guint) count : 0;
  return count >= 0;
}

static void
list_async (GListModel          *model,
            guint                offset,
            guint                limit,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (model);
  GVariantBuilder filter;

  g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&filter, "{sv}", "bodies", g_variant_new_boolean (self->with_bodies));
  ferry_collection_list_async (self->collection, g_variant_builder_end (&filter), offset, limit,
                               cancellable, callback, user_data);
}

static GPtrArray *
list_finish (GObject       *source,
             GAsyncResult  *result,
             GError       **error)
{
  g_autoptr(GVariant) documents = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GVariantIter iter;
  GVariant *document;

  documents = ferry_collection_list_finish (FERRY_COLLECTION (source), result, error);
  if (documents == NULL)
    return NULL;
  items = g_ptr_array_new_full (g_variant_n_children (documents), g_object_unref);
  g_variant_iter_init (&iter, documents);
  while ((document = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = document;
      FerryDocumentInfo *item = ferry_document_info_new_from_variant (document, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}

static gpointer
new_unloaded (void)
{
  return ferry_document_info_new_unloaded ();
}

static gboolean
is_loaded (gpointer item)
{
  return ferry_document_info_get_loaded (item);
}

static const char *
get_id (gpointer item)
{
  return ferry_document_info_get_id (item);
}

static void
update (gpointer  item,
        gpointer  from,
        gboolean *out_changed)
{
  ferry_document_info_update (item, from, out_changed);
}

static void
notify (GListModel       *model,
        FerryPagerNotify  what)
{
  if (what == FERRY_PAGER_LOADING)
    g_object_notify_by_pspec (G_OBJECT (model), properties[PROP_LOADING]);
  else if (what == FERRY_PAGER_LIST_CALLS)
    g_object_notify_by_pspec (G_OBJECT (model), properties[PROP_LIST_CALLS]);
}

static const FerryPagerFuncs pager_funcs = {
  count_async, count_finish, list_async, list_finish,
  new_unloaded, is_loaded, get_id, update, notify,
};

/* GListModel --------------------------------------------------------------- */

static guint
ferry_document_list_get_n_items (GListModel *model)
{
  return FERRY_DOCUMENT_LIST (model)->pager.n_items;
}

static GType
ferry_document_list_get_item_type (GListModel *model)
{
  return FERRY_TYPE_DOCUMENT_INFO;
}

static gpointer
ferry_document_list_get_item (GListModel *model,
                              guint       position)
{
  return ferry_pager_dup_item (&FERRY_DOCUMENT_LIST (model)->pager, position);
}

static void
ferry_document_list_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_document_list_get_item_type;
  iface->get_n_items = ferry_document_list_get_n_items;
  iface->get_item = ferry_document_list_get_item;
}

/* GObject ------------------------------------------------------------------ */

static void
on_documents_changed (FerryDocumentList *self)
{
  ferry_pager_schedule_refresh (&self->pager);
}

static void
ferry_document_list_constructed (GObject *object)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (object);
  static const char * const counts[] = {
    "notify::document-count", "notify::dirty-count", "notify::conflict-count",
    "notify::failed-count",
  };

  G_OBJECT_CLASS (ferry_document_list_parent_class)->constructed (object);

  g_assert (FERRY_IS_COLLECTION (self->collection));

  /* Writes and pulls say so; a run's push changes the documents' flags
   * (and drops the deletions it sent) without a word but the counts. */
  g_signal_connect_object (self->collection, "changed", G_CALLBACK (on_documents_changed),
                           self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_signal_connect_object (self->collection, counts[i], G_CALLBACK (on_documents_changed),
                             self, G_CONNECT_SWAPPED);
  ferry_pager_start_refresh (&self->pager);
}

static void
ferry_document_list_dispose (GObject *object)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (object);

  ferry_pager_dispose (&self->pager);
  if (self->collection != NULL)
    g_signal_handlers_disconnect_by_data (self->collection, self);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (ferry_document_list_parent_class)->dispose (object);
}

static void
ferry_document_list_finalize (GObject *object)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (object);

  ferry_pager_finalize (&self->pager);

  G_OBJECT_CLASS (ferry_document_list_parent_class)->finalize (object);
}

static void
ferry_document_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;
    case PROP_WITH_BODIES:
      g_value_set_boolean (value, self->with_bodies);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->pager.page_size);
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->pager.max_pages);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, ferry_pager_is_loading (&self->pager));
      break;
    case PROP_LIST_CALLS:
      g_value_set_uint (value, self->pager.list_calls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_document_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FerryDocumentList *self = FERRY_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;
    case PROP_WITH_BODIES:
      self->with_bodies = g_value_get_boolean (value);
      break;
    case PROP_PAGE_SIZE:
      self->pager.page_size = g_value_get_uint (value);
      break;
    case PROP_MAX_PAGES:
      self->pager.max_pages = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_document_list_class_init (FerryDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_document_list_constructed;
  object_class->dispose = ferry_document_list_dispose;
  object_class->finalize = ferry_document_list_finalize;
  object_class->get_property = ferry_document_list_get_property;
  object_class->set_property = ferry_document_list_set_property;

  /**
   * FerryDocumentList:collection:
   *
   * The collection whose documents the list shows.
   */
  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL, FERRY_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentList:with-bodies:
   *
   * Whether the items carry the documents' JSON text
   * (#FerryDocumentInfo:body).
   */
  properties[PROP_WITH_BODIES] =
    g_param_spec_boolean ("with-bodies", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentList:page-size:
   *
   * How many documents one `List` call fetches.
   */
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 1000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentList:max-pages:
   *
   * How many pages the list keeps at most.
   */
  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL, 2, 1000, 8,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentList:loading:
   *
   * Whether a recount (the first one included) is due or in flight: after
   * the documents change, %TRUE until the list reflects the change.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentList:list-calls:
   *
   * How many `List` calls the list has made for its pages (counting
   * makes others), for tests and diagnostics.
   */
  properties[PROP_LIST_CALLS] =
    g_param_spec_uint ("list-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_document_list_init (FerryDocumentList *self)
{
  ferry_pager_init (&self->pager, G_LIST_MODEL (self), &pager_funcs);
}

/**
 * ferry_collection_list_documents:
 * @self: a collection
 * @with_bodies: whether the items carry the documents' JSON text
 *
 * Creates a paged list of the collection's live documents, by id, and
 * starts counting them.  The list is empty until the count is in
 * (#FerryDocumentList:loading turns %FALSE), and follows the collection's
 * changes from then on.
 *
 * Returns: (transfer full): a new list of #FerryDocumentInfo
 */
FerryDocumentList *
ferry_collection_list_documents (FerryCollection *self,
                                 gboolean         with_bodies)
{
  g_return_val_if_fail (FERRY_IS_COLLECTION (self), NULL);

  return g_object_new (FERRY_TYPE_DOCUMENT_LIST, "collection", self, "with-bodies",
                       with_bodies, NULL);
}

/**
 * ferry_document_list_get_collection:
 * @self: a document list
 *
 * Gets the collection.
 *
 * Returns: (transfer none): the collection
 */
FerryCollection *
ferry_document_list_get_collection (FerryDocumentList *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_LIST (self), NULL);
  return self->collection;
}

/**
 * ferry_document_list_get_with_bodies:
 * @self: a document list
 *
 * Tells whether the items carry the documents' JSON text.
 *
 * Returns: whether the items carry the documents' JSON text
 */
gboolean
ferry_document_list_get_with_bodies (FerryDocumentList *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_LIST (self), FALSE);
  return self->with_bodies;
}

/**
 * ferry_document_list_get_page_size:
 * @self: a document list
 *
 * Gets how many documents one page holds.
 *
 * Returns: how many documents one page holds
 */
guint
ferry_document_list_get_page_size (FerryDocumentList *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_LIST (self), 0);
  return self->pager.page_size;
}

/**
 * ferry_document_list_get_loading:
 * @self: a document list
 *
 * Tells whether a recount is due or in flight.
 *
 * Returns: whether a recount is due or in flight
 */
gboolean
ferry_document_list_get_loading (FerryDocumentList *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_LIST (self), FALSE);
  return ferry_pager_is_loading (&self->pager);
}

/**
 * ferry_document_list_get_list_calls:
 * @self: a document list
 *
 * Gets how many `List` calls the list has made for its pages.
 *
 * Returns: how many `List` calls the list has made for its pages
 */
guint
ferry_document_list_get_list_calls (FerryDocumentList *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_LIST (self), 0);
  return self->pager.list_calls;
}
