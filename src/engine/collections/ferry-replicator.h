/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-collection-config.h"
#include "ferry-collection-store.h"
#include "ferry-document.h"
#include "ferry-executor.h"
#include "ferry-link-meter.h"

G_BEGIN_DECLS

/**
 * FerryCheckResult:
 * @remote_documents: how many documents the server holds, -1 when it
 *   does not say
 * @restart_pull: the server lost what the checkpoint refers to (the
 *   database was made anew): pull from the start
 *
 * What the check phase learned.
 */
typedef struct
{
  gint64   remote_documents;
  gboolean restart_pull;
} FerryCheckResult;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCheckResult, g_free)

#define FERRY_TYPE_REPLICATOR (ferry_replicator_get_type ())

G_DECLARE_DERIVABLE_TYPE (FerryReplicator, ferry_replicator, FERRY, REPLICATOR, GObject)

/**
 * FerryReplicatorClass:
 * @parent_class: the parent class
 * @check: sees that the endpoint answers and accepts the credentials;
 *   completes @task with a #FerryCheckResult
 * @push: sends local changes; completes @task with a #GPtrArray of
 *   #FerryPushResult, one per document, with the server's copy for each
 *   conflict when it can be had
 * @pull: reads the next page of remote changes after @checkpoint
 *   (%NULL: from the start); completes @task with a #FerryPullPage whose
 *   changes may lack bodies (see ferry_replicator_fetch_async())
 * @fetch: reads the server's current copies of @ids; completes @task with
 *   a #GPtrArray of #FerryRemoteDoc (a document the server does not have
 *   is a deletion without a version)
 * @watch: waits until the server has changes after @checkpoint; completes
 *   @task with a boolean; %NULL when the protocol cannot wait (the
 *   collection then pulls at short intervals while live)
 * @save_checkpoint: best effort: records @checkpoint on the server too,
 *   under @marker (%NULL: a new one); completes @task with the marker
 *   (a string), or %NULL when it keeps none
 *
 * One protocol.  A subclass implements the phases of a run over the
 * helpers below; each vfunc takes the #GTask and must complete it.
 */
struct _FerryReplicatorClass
{
  GObjectClass parent_class;

  void (*check)           (FerryReplicator     *self,
                           const FerrySyncInfo *info,
                           GTask               *task);
  void (*push)            (FerryReplicator     *self,
                           GPtrArray           *docs,
                           GTask               *task);
  void (*pull)            (FerryReplicator     *self,
                           const char          *checkpoint,
                           guint                limit,
                           GTask               *task);
  void (*fetch)           (FerryReplicator     *self,
                           const char * const  *ids,
                           GTask               *task);
  void (*watch)           (FerryReplicator     *self,
                           const char          *checkpoint,
                           GTask               *task);
  void (*save_checkpoint) (FerryReplicator     *self,
                           const char          *checkpoint,
                           const char          *marker,
                           GTask               *task);

  /*< private >*/
  gpointer padding[8];
};

FerryReplicator       *ferry_replicator_new             (FerryCollectionConfig *config,
                                                         FerryExecutor         *executor,
                                                         FerryLinkMeter        *meter);
FerryCollectionConfig *ferry_replicator_get_config      (FerryReplicator       *self);
FerryLinkMeter        *ferry_replicator_get_meter       (FerryReplicator       *self);
gboolean               ferry_replicator_can_watch       (FerryReplicator       *self);
void                   ferry_replicator_take_counters   (FerryReplicator       *self,
                                                         guint                 *out_requests,
                                                         guint64               *out_sent,
                                                         guint64               *out_received);
gint64                 ferry_replicator_get_retry_after (FerryReplicator       *self);

void              ferry_replicator_check_async    (FerryReplicator     *self,
                                                   const FerrySyncInfo *info,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
FerryCheckResult *ferry_replicator_check_finish   (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              ferry_replicator_push_async     (FerryReplicator     *self,
                                                   GPtrArray           *docs,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray        *ferry_replicator_push_finish    (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              ferry_replicator_pull_async     (FerryReplicator     *self,
                                                   const char          *checkpoint,
                                                   guint                limit,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
FerryPullPage    *ferry_replicator_pull_finish    (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              ferry_replicator_fetch_async    (FerryReplicator     *self,
                                                   const char * const  *ids,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray        *ferry_replicator_fetch_finish   (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              ferry_replicator_watch_async    (FerryReplicator     *self,
                                                   const char          *checkpoint,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          ferry_replicator_watch_finish   (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              ferry_replicator_save_checkpoint_async  (FerryReplicator     *self,
                                                           const char          *checkpoint,
                                                           const char          *marker,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char             *ferry_replicator_save_checkpoint_finish (FerryReplicator     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/**
 * FerryBatchBodyFunc:
 * @docs: (element-type FerryDocument): the documents of a push
 * @start: the first of the range to send
 * @end: one past its last
 *
 * Returns: (transfer full): the request body for docs[@start, @end)
 */
typedef GBytes *(*FerryBatchBodyFunc) (GPtrArray *docs,
                                       guint      start,
                                       guint      end);

/**
 * FerryBatchResultsFunc:
 * @answer: the server's answer to a batch
 * @results: (element-type FerryPushResult): where to add a result for each
 *   document it answers for
 * @error: return location for a %FERRY_ERROR_PROTOCOL
 *
 * Returns: whether @answer could be read
 */
typedef gboolean (*FerryBatchResultsFunc) (JsonNode   *answer,
                                           GPtrArray  *results,
                                           GError    **error);

/* For subclasses. */
void              ferry_replicator_send_batches_async  (FerryReplicator       *self,
                                                        GPtrArray             *docs,
                                                        const char            *path,
                                                        FerryBatchBodyFunc     body,
                                                        FerryBatchResultsFunc  take,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
GPtrArray        *ferry_replicator_send_batches_finish (FerryReplicator       *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);
char             *ferry_replicator_build_url      (FerryReplicator     *self,
                                                   const char          *path,
                                                   const char          *query);
FerryHttpRequest *ferry_replicator_new_request    (FerryReplicator     *self,
                                                   const char          *method,
                                                   const char          *path,
                                                   const char          *query,
                                                   GBytes              *json_body);
void              ferry_replicator_send_async     (FerryReplicator     *self,
                                                   FerryHttpRequest    *request,
                                                   gboolean             timed,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
FerryAttempt     *ferry_replicator_send_finish    (FerryReplicator     *self,
                                                   GAsyncResult        *result);
gboolean          ferry_replicator_check_answer   (FerryReplicator     *self,
                                                   FerryAttempt        *attempt,
                                                   const char          *what,
                                                   GError             **error);
JsonNode         *ferry_replicator_parse_answer   (FerryAttempt        *attempt,
                                                   const char          *what,
                                                   GError             **error);
JsonNode         *ferry_replicator_finish_json    (FerryReplicator     *self,
                                                   GAsyncResult        *result,
                                                   const char          *what,
                                                   GError             **error);
void              ferry_json_append_string        (GString             *out,
                                                   const char          *text);
GBytes           *ferry_json_object_without_reserved (JsonObject       *object);
JsonObject       *ferry_json_object               (JsonObject          *object,
                                                   const char          *name);
JsonArray        *ferry_json_array                (JsonObject          *object,
                                                   const char          *name);
const char       *ferry_json_string               (JsonObject          *object,
                                                   const char          *name);
gint64            ferry_json_int                  (JsonObject          *object,
                                                   const char          *name,
                                                   gint64               fallback);
gboolean          ferry_json_bool                 (JsonObject          *object,
                                                   const char          *name);
JsonObject       *ferry_json_root_object          (JsonNode            *root);

G_END_DECLS
