/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-manager-resolver"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-manager-private.h"
#include "ferry-collection-run.h"

/*
 * The custom strategy for documents: a run leaves a conflicted document
 * of a custom collection waiting, and the manager asks the owning app's
 * resolver (the same one, and the same bounded call, as tasks use) with
 * base, local and server.  Its answer becomes the local side over the
 * server's copy and goes out with the next run; no answer in time, or a
 * failed one, leaves the conflict to a person, as with ask.  A question
 * that ferryd's end cut short (a document still waiting for the answer
 * when ferryd starts) is asked again when the app registers its
 * resolver.
 */

#define DEFAULT_RESOLVER_TIMEOUT 10000

typedef struct
{
  FerryCollectionManager *self;             /* borrowed: disposing it cancels */
  FerryCollection        *collection;
  char                   *doc_id;
  char                   *remote_version;  /* the server copy the app saw */
} Asked;

static void
asked_free (Asked *asked)
{
  g_object_unref (asked->collection);
  g_free (asked->doc_id);
  g_free (asked->remote_version);
  g_free (asked);
}

/* The document still waits on the server copy the app was shown. */
static FerryDocument *
dup_still_waiting (Asked *asked)
{
  g_autoptr(FerryDocument) doc = NULL;

  doc = ferry_collection_store_dup_document (asked->self->store,
                                             ferry_collection_get_id (asked->collection),
                                             asked->doc_id, NULL);
  if (doc == NULL || !doc->conflict || g_strcmp0 (doc->remote_version, asked->remote_version) != 0)
    return NULL;
  return g_steal_pointer (&doc);
}

/* Words why the conflict waits for a person, on the document. */
static void
leave_to_a_person (Asked        *asked,
                   const GError *why)
{
  FerryCollectionStore *store = asked->self->store;
  gint64 id = ferry_collection_get_id (asked->collection);
  g_autoptr(FerryDocument) doc = dup_still_waiting (asked);
  g_autoptr(FerryRemoteDoc) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (doc == NULL)
    return;
  reason = g_strdup_printf ("the app's resolver %s; a decision is needed", why->message);
  remote = ferry_remote_doc_new (doc->id, doc->remote_version, doc->remote_deleted,
                                 doc->remote);
  if (!ferry_collection_store_begin (store, &error))
    {
      g_warning ("cannot note why %s waits: %s", asked->doc_id, error->message);
      return;
    }
  if (!ferry_collection_store_set_conflict (store, id, doc, remote, reason, &error))
    {
      ferry_collection_store_rollback (store);
      g_warning ("cannot note why %s waits: %s", asked->doc_id, error->message);
      return;
    }
  if (!ferry_collection_store_commit (store, &error))
    g_warning ("cannot note why %s waits: %s", asked->doc_id, error->message);
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Asked *asked = user_data;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(GError) error = NULL;

  merged = ferry_resolver_call_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      asked_free (asked);
      return;
    }
  if (merged == NULL)
    {
      g_debug ("%s stays in conflict: the app's resolver %s", asked->doc_id, error->message);
      leave_to_a_person (asked, error);
      asked_free (asked);
      return;
    }

  /* Settled meanwhile, or the server moved on (a new conflict asks
   * again): the answer is about something that no longer waits. */
  doc = dup_still_waiting (asked);
  if (doc == NULL)
    {
      g_debug ("the answer for %s came after it changed; not applied", asked->doc_id);
      asked_free (asked);
      return;
    }
  if (!ferry_collection_manager_resolve (asked->self, asked->collection, asked->doc_id,
                                         FERRY_RESOLVE_BODY, merged, &error))
    {
      g_prefix_error (&error, "answered a body that cannot be kept: ");
      g_debug ("%s stays in conflict: %s", asked->doc_id, error->message);
      leave_to_a_person (asked, error);
    }
  else
    g_debug ("the app's resolver settled %s", asked->doc_id);
  asked_free (asked);
}

/**
 * ferry_collection_manager_ask_resolver:
 * @self: a manager
 * @collection: one of its collections
 * @doc_id: a document a run just left in conflict
 *
 * With the custom strategy, asks the app to settle @doc_id.
 */
void
ferry_collection_manager_ask_resolver (FerryCollectionManager *self,
                                       FerryCollection        *collection,
                                       const char             *doc_id)
{
  FerryCollectionConfig *config = ferry_collection_get_config (collection);
  g_autoptr(FerryDocument) doc = NULL;
  g_autofree char *subject = NULL;
  Asked *asked;
  guint timeout = DEFAULT_RESOLVER_TIMEOUT;

  if (config->conflict_strategy != FERRY_CONFLICT_CUSTOM || self->resolving == NULL)
    return;
  doc = ferry_collection_store_dup_document (self->store, config->id, doc_id, NULL);
  if (doc == NULL || !doc->conflict)
    return;

  /* One timeout for the app's answers, tasks' and documents' alike. */
  if (self->tasks != NULL)
    g_object_get (self->tasks, "resolver-timeout", &timeout, NULL);

  asked = g_new0 (Asked, 1);
  asked->self = self;
  asked->collection = g_object_ref (collection);
  asked->doc_id = g_strdup (doc_id);
  asked->remote_version = g_strdup (doc->remote_version);
  subject = g_strdup_printf ("document %s of %s", doc_id, config->name);
  ferry_resolver_call_async (self->resolver.resolve != NULL ? &self->resolver : NULL, timeout,
                             config->owner, subject, doc->base, doc->deleted ? NULL : doc->body,
                             doc->remote_deleted ? NULL : doc->remote, self->resolving,
                             resolved_cb, asked);
}

/* Asks again about @collection's documents still waiting for an answer
 * that never came (ferryd stopped meanwhile). */
static void
ask_again (FerryCollectionManager *self,
           FerryCollection        *collection)
{
  FerryDocumentFilter filter = { .conflict_only = TRUE, .with_deleted = TRUE };
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint offset = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      page = ferry_collection_store_list_documents (self->store,
                                                    ferry_collection_get_id (collection),
                                                    &filter, offset, 500, &error);
      if (page == NULL)
        {
          g_warning ("cannot list the conflicts of %s: %s",
                     ferry_collection_get_config (collection)->name, error->message);
          return;
        }
      for (guint i = 0; i < page->len; i++)
        {
          FerryDocument *doc = g_ptr_array_index (page, i);

          if (g_strcmp0 (doc->conflict_reason, FERRY_COLLECTION_WAITING_FOR_RESOLVER) == 0)
            g_ptr_array_add (waiting, g_strdup (doc->id));
        }
      if (page->len < 500)
        break;
      offset += page->len;
    }
  for (guint i = 0; i < waiting->len; i++)
    ferry_collection_manager_ask_resolver (self, collection, g_ptr_array_index (waiting, i));
}

/**
 * ferry_collection_manager_resolver_ready:
 * @self: a manager
 * @owner: an app that just registered its resolver
 *
 * Asks @owner again about the documents of its custom collections whose
 * question went unanswered because ferryd stopped.
 */
void
ferry_collection_manager_resolver_ready (FerryCollectionManager *self,
                                         const char             *owner)
{
  g_autoptr(GPtrArray) collections = NULL;

  g_return_if_fail (FERRY_IS_COLLECTION_MANAGER (self));
  g_return_if_fail (owner != NULL);

  collections = ferry_collection_manager_list (self);
  for (guint i = 0; i < collections->len; i++)
    {
      FerryCollection *collection = g_ptr_array_index (collections, i);
      FerryCollectionConfig *config = ferry_collection_get_config (collection);

      if (config->conflict_strategy == FERRY_CONFLICT_CUSTOM &&
          g_strcmp0 (config->owner, owner) == 0)
        ask_again (self, collection);
    }
}

/**
 * ferry_collection_manager_set_resolver:
 * @self: a manager
 * @resolve: (nullable): starts asking an app to settle a conflict
 * @finish: (nullable): reads its answer
 * @user_data: for both
 * @destroy: (nullable): frees @user_data
 *
 * Installs what the custom strategy of collections calls, with the task
 * manager's "resolver-timeout" (10 s without one).
 */
void
ferry_collection_manager_set_resolver (FerryCollectionManager  *self,
                                       FerryResolverFunc        resolve,
                                       FerryResolverFinishFunc  finish,
                                       gpointer                 user_data,
                                       GDestroyNotify           destroy)
{
  g_return_if_fail (FERRY_IS_COLLECTION_MANAGER (self));

  ferry_resolver_hook_set (&self->resolver, resolve, finish, user_data, destroy);
}
