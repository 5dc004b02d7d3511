/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-document"

#include "config.h"

#include "ferry-document.h"

G_DEFINE_BOXED_TYPE (FerryDocument, ferry_document, ferry_document_ref, ferry_document_unref)

/**
 * ferry_document_new:
 * @id: the document's id
 *
 * Returns: (transfer full): an empty document record
 */
FerryDocument *
ferry_document_new (const char *id)
{
  FerryDocument *self = g_new0 (FerryDocument, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  return self;
}

/**
 * ferry_document_ref:
 * @self: a document
 *
 * Returns: (transfer full): @self
 */
FerryDocument *
ferry_document_ref (FerryDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * ferry_document_unref:
 * @self: a document
 *
 * Drops a reference; the last one frees @self.
 */
void
ferry_document_unref (FerryDocument *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->base, g_bytes_unref);
  g_free (self->base_version);
  g_free (self->failed_reason);
  g_free (self->conflict_reason);
  g_clear_pointer (&self->remote, g_bytes_unref);
  g_free (self->remote_version);
  g_free (self);
}

/**
 * ferry_document_pushable:
 * @self: a document
 *
 * Returns: whether a push sends it: a local change waits, the server did
 *   not refuse it, and it is not in conflict
 */
gboolean
ferry_document_pushable (const FerryDocument *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->dirty && !self->conflict && self->failed_reason == NULL;
}

/**
 * ferry_remote_doc_new:
 * @id: the document's id
 * @version: (nullable): the server's version
 * @deleted: whether it is deleted there
 * @body: (nullable): its body
 *
 * Returns: (transfer full): a new record
 */
FerryRemoteDoc *
ferry_remote_doc_new (const char *id,
                      const char *version,
                      gboolean    deleted,
                      GBytes     *body)
{
  FerryRemoteDoc *self = g_new0 (FerryRemoteDoc, 1);

  self->id = g_strdup (id);
  self->version = g_strdup (version);
  self->deleted = deleted;
  self->body = body != NULL && !deleted ? g_bytes_ref (body) : NULL;
  return self;
}

/**
 * ferry_remote_doc_copy:
 * @self: a record
 *
 * Returns: (transfer full): a copy
 */
FerryRemoteDoc *
ferry_remote_doc_copy (const FerryRemoteDoc *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ferry_remote_doc_new (self->id, self->version, self->deleted, self->body);
}

/**
 * ferry_remote_doc_free:
 * @self: (nullable): a record
 *
 * Frees @self.
 */
void
ferry_remote_doc_free (FerryRemoteDoc *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->version);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

/**
 * ferry_push_result_new:
 * @id: the document's id
 * @status: what became of it
 *
 * Returns: (transfer full): a new result
 */
FerryPushResult *
ferry_push_result_new (const char      *id,
                       FerryPushStatus  status)
{
  FerryPushResult *self = g_new0 (FerryPushResult, 1);

  self->id = g_strdup (id);
  self->status = status;
  return self;
}

/**
 * ferry_push_result_free:
 * @self: (nullable): a result
 *
 * Frees @self.
 */
void
ferry_push_result_free (FerryPushResult *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->version);
  g_free (self->error);
  g_clear_pointer (&self->current, ferry_remote_doc_free);
  g_free (self);
}

/**
 * ferry_pull_page_new:
 *
 * Returns: (transfer full): an empty page
 */
FerryPullPage *
ferry_pull_page_new (void)
{
  FerryPullPage *self = g_new0 (FerryPullPage, 1);

  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_remote_doc_free);
  self->remaining = -1;
  return self;
}

/**
 * ferry_pull_page_free:
 * @self: (nullable): a page
 *
 * Frees @self.
 */
void
ferry_pull_page_free (FerryPullPage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_free (self->checkpoint);
  g_free (self);
}
