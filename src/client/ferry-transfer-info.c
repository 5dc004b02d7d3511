/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-transfer-info"

#include "config.h"

#include "ferry-transfer-info-private.h"

/**
 * FerryTransferInfo:
 *
 * One download or upload as [method@Client.list_transfers_async] found
 * it: its task, where it goes, and how far it is.  Progress moves on with
 * [signal@Client::transfer-progress]; [method@TransferInfo.set_progress]
 * lets a view keep an info up to date from that signal.
 */
struct _FerryTransferInfo
{
  GObject parent_instance;

  /* owned */
  char *id;
  char *owner;
  char *name;
  char *url;
  char *destination;

  /* state */
  gboolean             upload;
  FerryClientTaskState state;
  gint64               done;
  gint64               total;
  guint64              rate;
  gboolean             pinned;
  gboolean             paused;
  gboolean             complete;
};

G_DEFINE_FINAL_TYPE (FerryTransferInfo, ferry_transfer_info, G_TYPE_OBJECT)

static void
ferry_transfer_info_finalize (GObject *object)
{
  FerryTransferInfo *self = FERRY_TRANSFER_INFO (object);

  g_free (self->id);
  g_free (self->owner);
  g_free (self->name);
  g_free (self->url);
  g_free (self->destination);

  G_OBJECT_CLASS (ferry_transfer_info_parent_class)->finalize (object);
}

static void
ferry_transfer_info_class_init (FerryTransferInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_transfer_info_finalize;
}

static void
ferry_transfer_info_init (FerryTransferInfo *self)
{
  self->total = -1;
}

static char *
dup_key (GVariant   *dict,
         const char *key)
{
  char *value = NULL;

  g_variant_lookup (dict, key, "s", &value);
  return value;
}

/* Reads one dictionary of ListTransfers; keys of another type are left
 * unset rather than trusted. */
FerryTransferInfo *
ferry_transfer_info_new_from_variant (GVariant *dict)
{
  FerryTransferInfo *self = g_object_new (FERRY_TYPE_TRANSFER_INFO, NULL);
  g_autofree char *kind = dup_key (dict, "kind");
  g_autofree char *state = dup_key (dict, "state");

  self->id = dup_key (dict, "id");
  self->owner = dup_key (dict, "owner");
  self->name = dup_key (dict, "name");
  self->url = dup_key (dict, "url");
  self->destination = dup_key (dict, "destination");
  self->upload = g_strcmp0 (kind, "upload") == 0;
  if (state == NULL || !ferry_client_task_state_from_string (state, &self->state))
    self->state = FERRY_CLIENT_TASK_STATE_UNKNOWN;
  g_variant_lookup (dict, "done", "x", &self->done);
  g_variant_lookup (dict, "total", "x", &self->total);
  g_variant_lookup (dict, "rate", "t", &self->rate);
  g_variant_lookup (dict, "pinned", "b", &self->pinned);
  g_variant_lookup (dict, "complete", "b", &self->complete);
  g_variant_lookup (dict, "paused", "b", &self->paused);
  return self;
}

/**
 * ferry_transfer_info_get_id:
 * @self: a transfer
 *
 * Gets the id of the transfer's task.
 *
 * Returns: (nullable): the id of the transfer's task
 */
const char *
ferry_transfer_info_get_id (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), NULL);
  return self->id;
}

/**
 * ferry_transfer_info_get_owner:
 * @self: a transfer
 *
 * Gets the app the transfer belongs to.
 *
 * Returns: (nullable): the app it belongs to
 */
const char *
ferry_transfer_info_get_owner (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), NULL);
  return self->owner;
}

/**
 * ferry_transfer_info_is_upload:
 * @self: a transfer
 *
 * Tells an upload from a download.
 *
 * Returns: whether it is an upload (else a download)
 */
gboolean
ferry_transfer_info_is_upload (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), FALSE);
  return self->upload;
}

/**
 * ferry_transfer_info_get_state:
 * @self: a transfer
 *
 * Gets the state of the transfer's task.
 *
 * Returns: the state of its task
 */
FerryClientTaskState
ferry_transfer_info_get_state (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), FERRY_CLIENT_TASK_STATE_UNKNOWN);
  return self->state;
}

/**
 * ferry_transfer_info_get_name:
 * @self: a transfer
 *
 * Gets the name of the transfer's task.
 *
 * Returns: (nullable): its task's name
 */
const char *
ferry_transfer_info_get_name (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), NULL);
  return self->name;
}

/**
 * ferry_transfer_info_get_url:
 * @self: a transfer
 *
 * Gets the URL of the transfer.
 *
 * Returns: (nullable): where it comes from or goes to
 */
const char *
ferry_transfer_info_get_url (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), NULL);
  return self->url;
}

/**
 * ferry_transfer_info_get_destination:
 * @self: a transfer
 *
 * Gets where a download's file goes.
 *
 * Returns: (nullable) (type filename): a download's file, when the caller
 *   may know it
 */
const char *
ferry_transfer_info_get_destination (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), NULL);
  return self->destination;
}

/**
 * ferry_transfer_info_get_done:
 * @self: a transfer
 *
 * Gets how many bytes are done.
 *
 * Returns: bytes done
 */
gint64
ferry_transfer_info_get_done (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), 0);
  return self->done;
}

/**
 * ferry_transfer_info_get_total:
 * @self: a transfer
 *
 * Gets how many bytes there are in all.
 *
 * Returns: bytes in all, or -1 while unknown
 */
gint64
ferry_transfer_info_get_total (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), -1);
  return self->total;
}

/**
 * ferry_transfer_info_get_rate:
 * @self: a transfer
 *
 * Gets how fast the transfer moves.
 *
 * Returns: bytes per second lately; 0 when it does not move
 */
guint64
ferry_transfer_info_get_rate (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), 0);
  return self->rate;
}

/**
 * ferry_transfer_info_get_pinned:
 * @self: a transfer
 *
 * Tells whether the file is pinned.
 *
 * Returns: whether the file is never removed to make room
 */
gboolean
ferry_transfer_info_get_pinned (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), FALSE);
  return self->pinned;
}

/**
 * ferry_transfer_info_get_paused:
 * @self: a transfer
 *
 * Tells whether the transfer is held until resumed.
 *
 * Returns: whether it is paused
 */
gboolean
ferry_transfer_info_get_paused (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), FALSE);
  return self->paused;
}

/**
 * ferry_transfer_info_get_complete:
 * @self: a transfer
 *
 * Tells whether a download is complete.
 *
 * Returns: whether it is a download whose file is at its destination
 */
gboolean
ferry_transfer_info_get_complete (FerryTransferInfo *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_INFO (self), FALSE);
  return self->complete;
}

/**
 * ferry_transfer_info_set_progress:
 * @self: a transfer
 * @done: bytes done
 * @total: bytes in all, -1 unknown
 * @rate: bytes per second
 *
 * Moves the progress on, as [signal@Client::transfer-progress] reports it.
 */
void
ferry_transfer_info_set_progress (FerryTransferInfo *self,
                                  gint64             done,
                                  gint64             total,
                                  guint64            rate)
{
  g_return_if_fail (FERRY_IS_TRANSFER_INFO (self));

  self->done = done;
  self->total = total;
  self->rate = rate;
}
