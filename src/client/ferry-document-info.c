/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-document-info"

#include "config.h"

#include "ferry-error.h"
#include "ferry-document-info-private.h"

/**
 * FerryDocumentInfo:
 *
 * One document of a collection, as a #FerryDocumentList holds it: a
 * snapshot of the agent's document dictionary (see the `List` method of
 * io.github.ferrysync.Ferry1.Collection).  The list updates it in place
 * when the document changes, and notifies the properties that changed.
 *
 * An item whose page has not arrived yet is unloaded
 * (#FerryDocumentInfo:loaded is %FALSE): its strings are %NULL and its
 * numbers 0 until it fills in.
 */

struct _FerryDocumentInfo
{
  GObject   parent_instance;

  /* owned */
  GVariant *variant;   /* the document dictionary; NULL while unloaded */
};

G_DEFINE_FINAL_TYPE (FerryDocumentInfo, ferry_document_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ID,
  PROP_SEQ,
  PROP_DELETED,
  PROP_DIRTY,
  PROP_CONFLICT,
  PROP_FAILED_REASON,
  PROP_CONFLICT_REASON,
  PROP_UPDATED,
  PROP_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The key of the dictionary each property reads, and its type. */
static const struct
{
  const char *key;
  const char *type;
} fields[N_PROPS] = {
  [PROP_ID] = { "id", "s" },
  [PROP_SEQ] = { "seq", "x" },
  [PROP_DELETED] = { "deleted", "b" },
  [PROP_DIRTY] = { "dirty", "b" },
  [PROP_CONFLICT] = { "conflict", "b" },
  [PROP_FAILED_REASON] = { "failed-reason", "s" },
  [PROP_CONFLICT_REASON] = { "conflict-reason", "s" },
  [PROP_UPDATED] = { "updated", "x" },
  [PROP_BODY] = { "body", "s" },
};

static GVariant *
lookup (FerryDocumentInfo *self,
        guint              prop)
{
  if (self->variant == NULL)
    return NULL;
  return g_variant_lookup_value (self->variant, fields[prop].key,
                                 G_VARIANT_TYPE (fields[prop].type));
}

static const char *
lookup_text (FerryDocumentInfo *self,
             guint              prop)
{
  const char *text = NULL;

  if (self->variant != NULL)
    g_variant_lookup (self->variant, fields[prop].key, "&s", &text);
  return text;
}

static gint64
lookup_int64 (FerryDocumentInfo *self,
              guint              prop)
{
  g_autoptr(GVariant) value = lookup (self, prop);

  return value != NULL ? g_variant_get_int64 (value) : 0;
}

static gboolean
lookup_boolean (FerryDocumentInfo *self,
                guint              prop)
{
  g_autoptr(GVariant) value = lookup (self, prop);

  return value != NULL && g_variant_get_boolean (value);
}

static void
ferry_document_info_finalize (GObject *object)
{
  FerryDocumentInfo *self = FERRY_DOCUMENT_INFO (object);

  g_clear_pointer (&self->variant, g_variant_unref);

  G_OBJECT_CLASS (ferry_document_info_parent_class)->finalize (object);
}

static void
ferry_document_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FerryDocumentInfo *self = FERRY_DOCUMENT_INFO (object);

  if (prop_id == PROP_LOADED)
    g_value_set_boolean (value, self->variant != NULL);
  else if (prop_id < N_PROPS && fields[prop_id].type[0] == 's')
    g_value_set_string (value, lookup_text (self, prop_id));
  else if (prop_id < N_PROPS && fields[prop_id].type[0] == 'x')
    g_value_set_int64 (value, lookup_int64 (self, prop_id));
  else if (prop_id < N_PROPS && fields[prop_id].type[0] == 'b')
    g_value_set_boolean (value, lookup_boolean (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GParamSpec *
field_pspec (guint prop)
{
  const char *name = fields[prop].key;
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  switch (fields[prop].type[0])
    {
    case 's':
      return g_param_spec_string (name, NULL, NULL, NULL, flags);
    case 'x':
      return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
    default:
      return g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
    }
}

static void
ferry_document_info_class_init (FerryDocumentInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_document_info_finalize;
  object_class->get_property = ferry_document_info_get_property;

  /**
   * FerryDocumentInfo:loaded:
   *
   * Whether the document's data has arrived.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryDocumentInfo:id:
   *
   * The document's id.
   */
  properties[PROP_ID] = field_pspec (PROP_ID);

  /**
   * FerryDocumentInfo:seq:
   *
   * The collection's local sequence at the document's last change.
   */
  properties[PROP_SEQ] = field_pspec (PROP_SEQ);

  /**
   * FerryDocumentInfo:deleted:
   *
   * Whether the document is deleted: in a #FerryDocumentList, a deletion
   * that waits to be sent.
   */
  properties[PROP_DELETED] = field_pspec (PROP_DELETED);

  /**
   * FerryDocumentInfo:dirty:
   *
   * Whether a local change waits to be pushed.
   */
  properties[PROP_DIRTY] = field_pspec (PROP_DIRTY);

  /**
   * FerryDocumentInfo:conflict:
   *
   * Whether the document waits for a decision.
   */
  properties[PROP_CONFLICT] = field_pspec (PROP_CONFLICT);

  /**
   * FerryDocumentInfo:failed-reason:
   *
   * Why the server refused the document's last change, or %NULL.
   */
  properties[PROP_FAILED_REASON] = field_pspec (PROP_FAILED_REASON);

  /**
   * FerryDocumentInfo:conflict-reason:
   *
   * Why the document is in conflict, or %NULL.
   */
  properties[PROP_CONFLICT_REASON] = field_pspec (PROP_CONFLICT_REASON);

  /**
   * FerryDocumentInfo:updated:
   *
   * When the document last changed, in microseconds since the epoch.
   */
  properties[PROP_UPDATED] = field_pspec (PROP_UPDATED);

  /**
   * FerryDocumentInfo:body:
   *
   * The document's JSON text, when the list was asked for bodies; else
   * %NULL.
   */
  properties[PROP_BODY] = field_pspec (PROP_BODY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_document_info_init (FerryDocumentInfo *self)
{
}

/* Private API */

FerryDocumentInfo *
ferry_document_info_new_unloaded (void)
{
  return g_object_new (FERRY_TYPE_DOCUMENT_INFO, NULL);
}

/* A new item from a document dictionary; NULL with @error set when it has
 * no id. */
FerryDocumentInfo *
ferry_document_info_new_from_variant (GVariant  *document,
                                      GError   **error)
{
  FerryDocumentInfo *self;
  const char *id = NULL;

  if (!g_variant_is_of_type (document, G_VARIANT_TYPE_VARDICT) ||
      !g_variant_lookup (document, "id", "&s", &id))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                           "document: the key id is missing or not a string");
      return NULL;
    }
  self = ferry_document_info_new_unloaded ();
  self->variant = g_variant_ref_sink (document);
  return self;
}

/* Takes the data of @from; @out_changed tells whether anything changed. */
void
ferry_document_info_update (FerryDocumentInfo *self,
                            FerryDocumentInfo *from,
                            gboolean          *out_changed)
{
  g_autoptr(GVariant) before = NULL;
  gboolean changed = FALSE;

  if (out_changed != NULL)
    *out_changed = FALSE;
  if (from->variant == NULL ||
      (self->variant != NULL && g_variant_equal (self->variant, from->variant)))
    return;

  before = g_steal_pointer (&self->variant);
  self->variant = g_variant_ref (from->variant);

  g_object_freeze_notify (G_OBJECT (self));
  if (before == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  for (guint prop = PROP_ID; prop < N_PROPS; prop++)
    {
      g_autoptr(GVariant) old_value = NULL;
      g_autoptr(GVariant) new_value = lookup (self, prop);

      if (before != NULL)
        old_value = g_variant_lookup_value (before, fields[prop].key,
                                            G_VARIANT_TYPE (fields[prop].type));
      if ((old_value == NULL) != (new_value == NULL) ||
          (old_value != NULL && !g_variant_equal (old_value, new_value)))
        {
          changed = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
  if (out_changed != NULL)
    *out_changed = changed || before == NULL;
}

/* Public API */

/**
 * ferry_document_info_get_loaded:
 * @self: a document
 *
 * Tells whether the document's data has arrived.
 *
 * Returns: %FALSE while the document's data has not arrived
 */
gboolean
ferry_document_info_get_loaded (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), FALSE);
  return self->variant != NULL;
}

/**
 * ferry_document_info_get_id:
 * @self: a document
 *
 * Gets the document's id; %NULL only while unloaded.
 *
 * Returns: (nullable): the document's id
 */
const char *
ferry_document_info_get_id (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), NULL);
  return lookup_text (self, PROP_ID);
}

/**
 * ferry_document_info_get_seq:
 * @self: a document
 *
 * Gets the collection's local sequence at the document's last change.
 *
 * Returns: the sequence
 */
gint64
ferry_document_info_get_seq (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), 0);
  return lookup_int64 (self, PROP_SEQ);
}

/**
 * ferry_document_info_get_deleted:
 * @self: a document
 *
 * Tells whether the document is deleted.
 *
 * Returns: whether the document is deleted
 */
gboolean
ferry_document_info_get_deleted (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), FALSE);
  return lookup_boolean (self, PROP_DELETED);
}

/**
 * ferry_document_info_get_dirty:
 * @self: a document
 *
 * Tells whether a local change waits to be pushed.
 *
 * Returns: whether a local change waits to be pushed
 */
gboolean
ferry_document_info_get_dirty (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), FALSE);
  return lookup_boolean (self, PROP_DIRTY);
}

/**
 * ferry_document_info_get_conflict:
 * @self: a document
 *
 * Tells whether the document waits for a decision.
 *
 * Returns: whether the document is in conflict
 */
gboolean
ferry_document_info_get_conflict (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), FALSE);
  return lookup_boolean (self, PROP_CONFLICT);
}

/**
 * ferry_document_info_get_failed_reason:
 * @self: a document
 *
 * Gets why the server refused the document's last change.
 *
 * Returns: (nullable): the server's reason, or %NULL
 */
const char *
ferry_document_info_get_failed_reason (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), NULL);
  return lookup_text (self, PROP_FAILED_REASON);
}

/**
 * ferry_document_info_get_conflict_reason:
 * @self: a document
 *
 * Gets why the document is in conflict.
 *
 * Returns: (nullable): the reason, or %NULL
 */
const char *
ferry_document_info_get_conflict_reason (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), NULL);
  return lookup_text (self, PROP_CONFLICT_REASON);
}

/**
 * ferry_document_info_get_updated:
 * @self: a document
 *
 * Gets when the document last changed.
 *
 * Returns: microseconds since the epoch
 */
gint64
ferry_document_info_get_updated (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), 0);
  return lookup_int64 (self, PROP_UPDATED);
}

/**
 * ferry_document_info_get_body:
 * @self: a document
 *
 * Gets the document's JSON text, when its list was asked for bodies.
 *
 * Returns: (nullable): a JSON object, or %NULL
 */
const char *
ferry_document_info_get_body (FerryDocumentInfo *self)
{
  g_return_val_if_fail (FERRY_IS_DOCUMENT_INFO (self), NULL);
  return lookup_text (self, PROP_BODY);
}
