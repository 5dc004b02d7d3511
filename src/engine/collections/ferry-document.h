/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FERRY_TYPE_DOCUMENT (ferry_document_get_type ())

/**
 * FerryDocument:
 * @id: the document's id
 * @seq: the collection's local sequence at its last change (a local write,
 *   or a change pulled from the server)
 * @deleted: the local copy is a deletion
 * @body: (nullable): the local body, a JSON object; %NULL when deleted
 * @base: (nullable): the body both sides last agreed on; %NULL when that
 *   was a deletion, or when they never agreed
 * @base_version: (nullable): the server's version of @base (a CouchDB
 *   `_rev`, a REST profile version); %NULL when the server never had it
 * @dirty: a local change waits to be pushed
 * @failed_reason: (nullable): why the server refused the local change;
 *   it is not sent again until it changes or is retried
 * @conflict: the document changed on both sides and waits for a decision
 * @conflict_reason: (nullable): why no strategy settled it
 * @remote: (nullable): in a conflict, the server's copy
 * @remote_version: (nullable): its version
 * @remote_deleted: in a conflict, the server's copy is a deletion
 * @updated: when the row last changed (µs since the epoch)
 *
 * One document of a collection, as the local replica keeps it.  A plain
 * reference-counted record.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  char     *id;
  gint64    seq;
  gboolean  deleted;
  GBytes   *body;
  GBytes   *base;
  char     *base_version;
  gboolean  dirty;
  char     *failed_reason;
  gboolean  conflict;
  char     *conflict_reason;
  GBytes   *remote;
  char     *remote_version;
  gboolean  remote_deleted;
  gint64    updated;
} FerryDocument;

GType          ferry_document_get_type (void) G_GNUC_CONST;
FerryDocument *ferry_document_new      (const char    *id);
FerryDocument *ferry_document_ref      (FerryDocument *self);
void           ferry_document_unref    (FerryDocument *self);
gboolean       ferry_document_pushable (const FerryDocument *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryDocument, ferry_document_unref)

/**
 * FerryRemoteDoc:
 * @id: the document's id
 * @version: (nullable): the server's version of it
 * @deleted: it is deleted on the server
 * @body: (nullable): its body without protocol members; %NULL when deleted
 *
 * A document as the server has it: a change pulled from its feed, or its
 * current copy in a conflict.
 */
typedef struct
{
  char     *id;
  char     *version;
  gboolean  deleted;
  GBytes   *body;
} FerryRemoteDoc;

FerryRemoteDoc *ferry_remote_doc_new  (const char     *id,
                                       const char     *version,
                                       gboolean        deleted,
                                       GBytes         *body);
FerryRemoteDoc *ferry_remote_doc_copy (const FerryRemoteDoc *self);
void            ferry_remote_doc_free (FerryRemoteDoc *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRemoteDoc, ferry_remote_doc_free)

/**
 * FerryPushStatus:
 * @FERRY_PUSH_OK: stored; @version is the new version
 * @FERRY_PUSH_CONFLICT: the server's copy moved on; @current is it, when
 *   known
 * @FERRY_PUSH_REJECTED: refused for good (validation, permissions);
 *   @error says why
 * @FERRY_PUSH_RETRY: not settled (no result for it, a transient error):
 *   stays dirty for the next run
 *
 * What became of one pushed document.
 */
typedef enum {
  FERRY_PUSH_OK,
  FERRY_PUSH_CONFLICT,
  FERRY_PUSH_REJECTED,
  FERRY_PUSH_RETRY,
} FerryPushStatus;

/**
 * FerryPushResult:
 * @id: the document's id
 * @status: what became of it
 * @version: (nullable): the new version, for %FERRY_PUSH_OK
 * @error: (nullable): the server's reason, for the failures
 * @current: (nullable): the server's copy, for %FERRY_PUSH_CONFLICT
 *
 * The server's answer for one document of a pushed batch.
 */
typedef struct
{
  char            *id;
  FerryPushStatus  status;
  char            *version;
  char            *error;
  FerryRemoteDoc  *current;
} FerryPushResult;

FerryPushResult *ferry_push_result_new  (const char      *id,
                                         FerryPushStatus  status);
void             ferry_push_result_free (FerryPushResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPushResult, ferry_push_result_free)

/**
 * FerryPullPage:
 * @changes: (element-type FerryRemoteDoc): the changes, in feed order
 * @checkpoint: (nullable): where the next page starts; stored in the same
 *   transaction as @changes
 * @more: more changes are waiting on the server
 * @remaining: how many changes are left after this page, or -1 when the
 *   server does not say
 * @restarted: the stored checkpoint was refused (it expired): this page
 *   is from the start
 *
 * One page of remote changes.
 */
typedef struct
{
  GPtrArray *changes;
  char      *checkpoint;
  gboolean   more;
  gint64     remaining;
  gboolean   restarted;
} FerryPullPage;

FerryPullPage *ferry_pull_page_new  (void);
void           ferry_pull_page_free (FerryPullPage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPullPage, ferry_pull_page_free)

/**
 * FerryDocumentCounts:
 * @documents: documents that exist locally (not deleted)
 * @dirty: local changes waiting to be sent (not failed, not in conflict)
 * @conflicts: documents waiting for a decision
 * @failed: local changes the server refused
 *
 * A collection's counts, as its properties show them.
 */
typedef struct
{
  guint documents;
  guint dirty;
  guint conflicts;
  guint failed;
} FerryDocumentCounts;

/**
 * FerryDocumentFilter:
 * @dirty_only: only documents with local changes waiting
 * @conflict_only: only documents in conflict
 * @failed_only: only documents the server refused
 * @with_deleted: include deleted documents
 * @with_bodies: read the bodies (bases and server copies too)
 *
 * Which documents a list returns; the flags that narrow combine with "or".
 */
typedef struct
{
  gboolean dirty_only;
  gboolean conflict_only;
  gboolean failed_only;
  gboolean with_deleted;
  gboolean with_bodies;
} FerryDocumentFilter;

G_END_DECLS
