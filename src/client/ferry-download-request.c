/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-download-request"

#include "config.h"

#include "ferry-download-request-private.h"

/**
 * FerryDownloadRequest:
 *
 * What [method@Client.download_async] hands the agent: a URL to fetch into
 * a file, where the file goes and what it must be.  Downloads are tasks
 * like any other (priorities, groups, constraints, retries), resumed where
 * they stopped and checked before they appear at their destination.
 *
 * Without a destination (and always for a sandboxed app) the file goes in
 * Ferry's storage for the app; [method@Client.open_file_async] opens it.
 */
struct _FerryDownloadRequest
{
  GObject parent_instance;

  /* owned */
  char         *url;
  GVariantDict *dict;
  GHashTable   *headers;       /* name → value */
  GPtrArray    *secret_headers;
};

G_DEFINE_FINAL_TYPE (FerryDownloadRequest, ferry_download_request, G_TYPE_OBJECT)

static void
ferry_download_request_finalize (GObject *object)
{
  FerryDownloadRequest *self = FERRY_DOWNLOAD_REQUEST (object);

  g_free (self->url);
  g_variant_dict_unref (self->dict);
  g_hash_table_unref (self->headers);
  g_ptr_array_unref (self->secret_headers);

  G_OBJECT_CLASS (ferry_download_request_parent_class)->finalize (object);
}

static void
ferry_download_request_class_init (FerryDownloadRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_download_request_finalize;
}

static void
ferry_download_request_init (FerryDownloadRequest *self)
{
  self->dict = g_variant_dict_new (NULL);
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->secret_headers = g_ptr_array_new_with_free_func (g_free);
}

/**
 * ferry_download_request_new:
 * @url: an absolute http or https URL
 *
 * Creates a download of @url into Ferry's storage for the calling app.
 *
 * Returns: (transfer full): a new request
 */
FerryDownloadRequest *
ferry_download_request_new (const char *url)
{
  FerryDownloadRequest *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (FERRY_TYPE_DOWNLOAD_REQUEST, NULL);
  self->url = g_strdup (url);
  g_variant_dict_insert (self->dict, "url", "s", url);
  return self;
}

/**
 * ferry_download_request_get_url:
 * @self: a request
 *
 * Gets the URL the download fetches.
 *
 * Returns: the URL to fetch
 */
const char *
ferry_download_request_get_url (FerryDownloadRequest *self)
{
  g_return_val_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self), NULL);
  return self->url;
}

/**
 * ferry_download_request_add_header:
 * @self: a request
 * @name: a header name
 * @value: its value
 *
 * Sends a header with the request (replacing one of the same name).
 * Range, If-Range and Accept-Encoding are the agent's own.
 */
void
ferry_download_request_add_header (FerryDownloadRequest *self,
                                   const char           *name,
                                   const char           *value)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  g_hash_table_replace (self->headers, g_strdup (name), g_strdup (value));
}

/**
 * ferry_download_request_add_secret_header:
 * @self: a request
 * @name: a header name
 *
 * Treats @name as a credential: never shown to others nor logged.
 */
void
ferry_download_request_add_secret_header (FerryDownloadRequest *self,
                                          const char           *name)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->secret_headers, g_strdup (name));
}

static void
set_string (FerryDownloadRequest *self,
            const char           *key,
            const char           *value)
{
  if (value == NULL)
    g_variant_dict_remove (self->dict, key);
  else
    g_variant_dict_insert (self->dict, key, "s", value);
}

/**
 * ferry_download_request_set_name:
 * @self: a request
 * @name: (nullable): a label, and the file's name in Ferry's storage
 *
 * Names the download.
 */
void
ferry_download_request_set_name (FerryDownloadRequest *self,
                                 const char           *name)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "name", name);
}

/**
 * ferry_download_request_set_group:
 * @self: a request
 * @group: (nullable): an ordering key: tasks of a group run in order
 *
 * Puts the download in an ordering group.
 */
void
ferry_download_request_set_group (FerryDownloadRequest *self,
                                  const char           *group)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "group", group);
}

/**
 * ferry_download_request_set_priority:
 * @self: a request
 * @priority: how urgent the download is
 *
 * Sets how urgent the download is.
 */
void
ferry_download_request_set_priority (FerryDownloadRequest *self,
                                     FerryClientPriority   priority)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "priority", ferry_client_priority_to_string (priority));
}

/**
 * ferry_download_request_set_destination:
 * @self: a request
 * @path: (nullable) (type filename): an absolute path in an existing
 *   directory; %NULL for Ferry's storage.  Sandboxed apps cannot choose.
 *
 * Chooses where the file goes.
 */
void
ferry_download_request_set_destination (FerryDownloadRequest *self,
                                        const char           *path)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "destination", path);
}

/**
 * ferry_download_request_set_expected_size:
 * @self: a request
 * @size: the size the file must have in bytes, or -1 for any
 *
 * Says what size the file must have.
 */
void
ferry_download_request_set_expected_size (FerryDownloadRequest *self,
                                          gint64                size)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));

  if (size < 0)
    g_variant_dict_remove (self->dict, "size");
  else
    g_variant_dict_insert (self->dict, "size", "x", size);
}

/**
 * ferry_download_request_set_expected_sha256:
 * @self: a request
 * @sha256: (nullable): the file's SHA-256 as 64 hexadecimal digits
 *
 * A file with another checksum is discarded and the download fails.
 */
void
ferry_download_request_set_expected_sha256 (FerryDownloadRequest *self,
                                            const char           *sha256)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "sha256", sha256);
}

/**
 * ferry_download_request_set_unmetered_only:
 * @self: a request
 * @unmetered_only: whether to wait for an unmetered network
 *
 * Keeps the download off metered networks.
 */
void
ferry_download_request_set_unmetered_only (FerryDownloadRequest *self,
                                           gboolean              unmetered_only)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  g_variant_dict_insert (self->dict, "unmetered-only", "b", unmetered_only);
}

/**
 * ferry_download_request_set_pinned:
 * @self: a request
 * @pinned: whether the file must never be removed to make room
 *
 * Keeps the file from being removed to make room.
 */
void
ferry_download_request_set_pinned (FerryDownloadRequest *self,
                                   gboolean              pinned)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  g_variant_dict_insert (self->dict, "pinned", "b", pinned);
}

/**
 * ferry_download_request_set_expires:
 * @self: a request
 * @expires: when to give up, in microseconds since the epoch; 0 never
 *
 * Sets when the download gives up.
 */
void
ferry_download_request_set_expires (FerryDownloadRequest *self,
                                    gint64                expires)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));

  if (expires <= 0)
    g_variant_dict_remove (self->dict, "expires");
  else
    g_variant_dict_insert (self->dict, "expires", "x", expires);
}

/**
 * ferry_download_request_set_app_id:
 * @self: a request
 * @app_id: (nullable): the owner to name, instead of the client's app id
 *
 * Names the download's owner.
 */
void
ferry_download_request_set_app_id (FerryDownloadRequest *self,
                                   const char           *app_id)
{
  g_return_if_fail (FERRY_IS_DOWNLOAD_REQUEST (self));
  set_string (self, "app-id", app_id);
}

/* The Download dictionary, with @app_id unless the request names one. */
GVariant *
ferry_download_request_to_variant (FerryDownloadRequest *self,
                                   const char           *app_id)
{
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(GVariant) base = g_variant_ref_sink (g_variant_dict_end (self->dict));
  g_auto(GVariantBuilder) headers = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GHashTableIter iter;
  gpointer name, value;

  /* Ending the dict emptied it: fill it again for the next call. */
  g_variant_dict_unref (self->dict);
  self->dict = g_variant_dict_new (base);
  dict = g_variant_dict_new (base);
  g_hash_table_iter_init (&iter, self->headers);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_variant_builder_add (&headers, "{ss}", name, value);
  if (g_hash_table_size (self->headers) > 0)
    g_variant_dict_insert_value (dict, "headers", g_variant_builder_end (&headers));
  if (self->secret_headers->len > 0)
    g_variant_dict_insert_value (dict, "secret-headers",
                                 g_variant_new_strv ((const char * const *) self->secret_headers->pdata,
                                                     self->secret_headers->len));
  if (app_id != NULL && !g_variant_dict_contains (dict, "app-id"))
    g_variant_dict_insert (dict, "app-id", "s", app_id);
  return g_variant_dict_end (dict);
}
