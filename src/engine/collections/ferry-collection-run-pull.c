/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-run-pull"

#include "config.h"

#include "ferry-error.h"

#include "ferry-collection-run-private.h"

/*
 * The pull and finish phases of a run (see ferry-collection-run.c).
 */

static void next_pull_page (FerryCollectionRun *self);
static void start_finish (FerryCollectionRun *self);

/* Pull --------------------------------------------------------------------- */

void
ferry_collection_run_start_pull (FerryCollectionRun *self)
{
  if (self->config->direction == FERRY_DIRECTION_PUSH)
    {
      start_finish (self);
      return;
    }
  ferry_collection_run_enter_phase (self, FERRY_RUN_PHASE_PULL);
  next_pull_page (self);
}

/* Applies one remote change inside the open transaction. */
static gboolean
apply_remote (FerryCollectionRun    *self,
              const FerryRemoteDoc  *remote,
              GError               **error)
{
  g_autoptr(FerryDocument) local = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 seq = 0;

  local = ferry_collection_store_dup_document (self->store, self->config->id, remote->id,
                                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Already here: this replica's own push coming back, or a change seen
   * before the checkpoint moved. */
  if (local != NULL && !local->conflict && local->base_version != NULL &&
      g_strcmp0 (local->base_version, remote->version) == 0)
    return TRUE;
  if (local != NULL && local->conflict)
    {
      /* Still waiting for a decision: the newer server copy is what the
       * decision is about. */
      if (!ferry_collection_store_set_conflict (self->store, self->config->id, local, remote,
                                                local->conflict_reason, error))
        return FALSE;
      self->record->pulled++;
      return TRUE;
    }
  if (local != NULL && local->dirty)
    return ferry_collection_run_settle (self, local, remote, error);
  if (!ferry_collection_store_take_remote (self->store, self->config->id, local, remote, &seq,
                                           error))
    return FALSE;
  ferry_collection_run_note_seq (self, seq);
  self->record->pulled++;
  return TRUE;
}

static void
apply_page (FerryCollectionRun *self,
            FerryPullPage      *page)
{
  GError *error = NULL;

  if (!ferry_collection_store_begin (self->store, &error))
    {
      ferry_collection_run_fail_if_error (self, error);
      return;
    }
  for (guint i = 0; i < page->changes->len; i++)
    {
      FerryRemoteDoc *remote = g_ptr_array_index (page->changes, i);

      if (!remote->deleted && remote->body == NULL)
        {
          error = g_error_new (FERRY_ERROR, FERRY_ERROR_PROTOCOL,
                               "the server sent no body for %s", remote->id);
          break;
        }
      if (!apply_remote (self, remote, &error))
        break;
      ferry_collection_run_note_doc_size (self, remote->body);
    }
  if (error == NULL)
    ferry_collection_store_set_checkpoint (self->store, self->config->id, page->checkpoint,
                                           &error);
  if (error != NULL || !ferry_collection_store_commit (self->store, &error))
    {
      ferry_collection_run_fail_if_error (self, error);
      return;
    }
  if (g_strcmp0 (self->checkpoint, page->checkpoint) != 0)
    {
      g_free (self->checkpoint);
      self->checkpoint = g_strdup (page->checkpoint);
      self->pulled = TRUE;
    }
  self->pull_done += page->changes->len;
  self->synced += page->changes->len;
  if (page->remaining >= 0)
    self->pull_total = MAX (self->pull_total, self->pull_done + (guint) page->remaining);
  self->pull_total = MAX (self->pull_total, self->pull_done);
  ferry_collection_run_announce_batch (self);
  if (page->more && (page->changes->len > 0 || self->pulled))
    next_pull_page (self);
  else
    start_finish (self);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FerryCollectionRun *self = user_data;
  g_autoptr(FerryPullPage) page = g_object_steal_data (G_OBJECT (self), "page");
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  GError *error = NULL;

  copies = ferry_replicator_fetch_finish (FERRY_REPLICATOR (object), result, &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < copies->len; i++)
    {
      FerryRemoteDoc *copy = g_ptr_array_index (copies, i);

      g_hash_table_insert (by_id, copy->id, copy);
    }
  for (guint i = 0; i < page->changes->len; i++)
    {
      FerryRemoteDoc *change = g_ptr_array_index (page->changes, i);
      FerryRemoteDoc *copy;

      if (change->deleted || change->body != NULL)
        continue;
      copy = g_hash_table_lookup (by_id, change->id);
      if (copy == NULL)
        continue;
      page->changes->pdata[i] = ferry_remote_doc_copy (copy);
      ferry_remote_doc_free (change);
    }
  apply_page (self, page);
}

/* Whether a change without a body is one the replica already holds. */
static gboolean
have_version (FerryCollectionRun   *self,
              const FerryRemoteDoc *change)
{
  g_autoptr(FerryDocument) local = NULL;

  local = ferry_collection_store_dup_document (self->store, self->config->id, change->id,
                                               NULL);
  return local != NULL && !local->conflict && change->version != NULL &&
         g_strcmp0 (local->base_version, change->version) == 0;
}

static void
pull_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryCollectionRun *self = user_data;
  g_autoptr(FerryPullPage) page = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  GError *error = NULL;

  page = ferry_replicator_pull_finish (FERRY_REPLICATOR (object), result, &error);
  if (ferry_collection_run_fail_if_error (self, error))
    return;
  if (page->restarted)
    g_clear_pointer (&self->checkpoint, g_free);
  wanted = g_ptr_array_new ();
  for (guint i = 0; i < page->changes->len; i++)
    {
      FerryRemoteDoc *change = g_ptr_array_index (page->changes, i);

      if (change->deleted || change->body != NULL)
        continue;
      /* Held already (its own push coming back): apply_remote() passes
       * over it, so a placeholder body keeps the page complete. */
      if (have_version (self, change))
        change->body = g_bytes_new_static ("{}", 2);
      else
        g_ptr_array_add (wanted, change->id);
    }
  if (wanted->len == 0)
    {
      apply_page (self, page);
      return;
    }
  g_ptr_array_add (wanted, NULL);
  g_object_set_data_full (G_OBJECT (self), "page", g_steal_pointer (&page),
                          (GDestroyNotify) ferry_pull_page_free);
  ferry_replicator_fetch_async (self->replicator, (const char * const *) wanted->pdata,
                                g_task_get_cancellable (self->task), fetch_cb, self);
}

static void
next_pull_page (FerryCollectionRun *self)
{
  ferry_replicator_pull_async (self->replicator, self->checkpoint, ferry_collection_run_next_batch_size (self),
                               g_task_get_cancellable (self->task), pull_cb, self);
}

/* Finish ------------------------------------------------------------------- */

static void
save_checkpoint_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FerryCollectionRun *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = NULL;

  marker = ferry_replicator_save_checkpoint_finish (FERRY_REPLICATOR (object), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ferry_collection_run_complete (self, g_steal_pointer (&error));
          return;
        }
      /* Best effort: the local checkpoint is the one that counts. */
      g_debug ("keeping the checkpoint of %s on the server: %s", self->config->name,
               error->message);
    }
  else if (marker != NULL && g_strcmp0 (marker, self->marker) != 0 &&
           !ferry_collection_store_set_remote_marker (self->store, self->config->id, marker,
                                                      &error))
    g_debug ("recording the server's checkpoint of %s: %s", self->config->name,
             error->message);
  ferry_collection_run_complete (self, NULL);
}

static void
start_finish (FerryCollectionRun *self)
{
  ferry_collection_run_enter_phase (self, FERRY_RUN_PHASE_FINISH);
  if (!self->pulled || self->checkpoint == NULL)
    {
      ferry_collection_run_complete (self, NULL);
      return;
    }
  ferry_replicator_save_checkpoint_async (self->replicator, self->checkpoint, self->marker,
                                          g_task_get_cancellable (self->task),
                                          save_checkpoint_cb, self);
}

