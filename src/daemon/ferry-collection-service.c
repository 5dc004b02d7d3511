/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-collection-service"

#include "config.h"

#include <string.h>

#include "ferry-error.h"

#include "ferry-collection-args.h"
#include "ferry-collection-objects.h"
#include "ferry-collection-runs.h"

#include "ferry-collection-service.h"

/*
 * Collections over D-Bus: AddCollection and RemoveCollection on the
 * agent's interface, and one io.github.ferrysync.Ferry1.Collection object
 * per collection under /io/github/ferrysync/Ferry/collections/, listed by
 * the ObjectManager at the agent's path (the objects themselves are
 * ferry-collection-objects.c).  Like the agent's own calls, each one is
 * checked, its caller identified from its connection, and only then
 * served; a sandboxed caller finds no collection but its own app's.
 * Calls that arrive before the engine runs wait for it.
 */

#define MAX_PAGE 1000

typedef struct
{
  FerryCollectionService *self;
  GDBusMethodInvocation  *invocation;
  gint64                  collection;   /* 0 for the agent's methods */
  FerryCaller            *caller;
} Call;

struct _FerryCollectionService
{
  GObject                   parent_instance;

  /* owned */
  FerryCallerCache         *callers;
  FerryDBusAgent           *agent;
  FerryCollectionObjects   *objects;
  FerryCollectionManager   *manager;
  GPtrArray                *waiting;     /* Call*: before the engine runs */
};

G_DEFINE_FINAL_TYPE (FerryCollectionService, ferry_collection_service, G_TYPE_OBJECT)

static void dispatch (Call *call);

static void
call_free (Call *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->invocation);
  g_clear_pointer (&call->caller, ferry_caller_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
call_return (Call     *call,
             GVariant *value)
{
  g_autoptr(Call) owned = call;

  g_dbus_method_invocation_return_value (g_steal_pointer (&owned->invocation), value);
}

static void
call_fail (Call   *call,
           GError *error)
{
  g_autoptr(Call) owned = call;

  g_debug ("%s from %s failed: %s", g_dbus_method_invocation_get_method_name (call->invocation),
           call->caller != NULL ? call->caller->app_id
                                : g_dbus_method_invocation_get_sender (call->invocation),
           error->message);
  g_dbus_method_invocation_return_gerror (g_steal_pointer (&owned->invocation), error);
}

static void
lookup_caller_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;

  call->caller = ferry_caller_cache_lookup_finish (FERRY_CALLER_CACHE (object), result, &error);
  if (call->caller == NULL)
    {
      g_clear_error (&error);
      error = g_error_new (FERRY_ERROR, FERRY_ERROR_PERMISSION_DENIED,
                           "the caller cannot be identified");
      call_fail (call, error);
      return;
    }
  if (call->self->manager == NULL)
    g_ptr_array_add (call->self->waiting, call);
  else
    dispatch (call);
}

static gboolean
begin_call (FerryCollectionService *self,
            GDBusMethodInvocation  *invocation,
            gint64                  collection)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  /* The handler's reference, which the reply gives back. */
  call->invocation = invocation;
  call->collection = collection;
  ferry_caller_cache_lookup_async (self->callers,
                                   g_dbus_method_invocation_get_sender (invocation), NULL,
                                   lookup_caller_cb, call);
  return TRUE;
}

/* The collection @call is about, when its caller may see it. */
static FerryCollection *
visible_collection (Call    *call,
                    GError **error)
{
  FerryCollection *collection = ferry_collection_manager_lookup (call->self->manager,
                                                                 call->collection);

  if (collection == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "collection: no such collection");
      return NULL;
    }
  if (!ferry_collection_args_check_access (call->caller,
                                           ferry_collection_get_config (collection)->owner,
                                           error))
    return NULL;
  return collection;
}

/* The agent's methods ------------------------------------------------------- */

static void
run_add (Call *call)
{
  GVariant *params = g_dbus_method_invocation_get_parameters (call->invocation);
  g_autoptr(GVariant) config_arg = g_variant_get_child_value (params, 0);
  g_autoptr(FerryCollectionConfig) config = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;

  config = ferry_collection_args_parse_config (config_arg, &app_id, &error);
  if (config == NULL ||
      (config->owner = ferry_caller_dup_owner_for_enqueue (call->caller, app_id, &error)) == NULL ||
      (collection = ferry_collection_manager_add (call->self->manager, config, &error)) == NULL)
    {
      call_fail (call, error);
      return;
    }
  path = ferry_collection_objects_path (ferry_collection_get_id (collection));
  g_debug ("%s added the collection %s", call->caller->app_id, config->name);
  call_return (call, g_variant_new ("(o)", path));
}

static void
run_remove (Call *call)
{
  const char *path = NULL;
  gboolean keep = FALSE;
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;
  guint64 id = 0;

  g_variant_get (g_dbus_method_invocation_get_parameters (call->invocation), "(&ob)", &path,
                 &keep);
  if (!g_str_has_prefix (path, FERRY_COLLECTIONS_PATH "/") ||
      !g_ascii_string_to_unsigned (path + strlen (FERRY_COLLECTIONS_PATH "/"), 10, 1, G_MAXINT64,
                                   &id, NULL))
    id = 0;
  call->collection = (gint64) id;
  if ((collection = visible_collection (call, &error)) == NULL ||
      !ferry_collection_manager_remove (call->self->manager, collection, keep, &error))
    {
      call_fail (call, error);
      return;
    }
  call_return (call, NULL);
}

/* A collection's methods -------------------------------------------------- */

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  gint64 seq;

  seq = ferry_collection_manager_write_finish (FERRY_COLLECTION_MANAGER (object), result,
                                               &error);
  if (error != NULL)
    call_fail (call, error);
  else
    call_return (call, g_variant_new ("(x)", seq));
}

static void
run_write (Call            *call,
           FerryCollection *collection,
           gboolean         put)
{
  GVariant *params = g_dbus_method_invocation_get_parameters (call->invocation);
  const char *id = NULL;
  const char *json = NULL;
  g_autoptr(GBytes) body = NULL;

  if (put)
    {
      g_variant_get (params, "(&s&s)", &id, &json);
      body = g_bytes_new (json, strlen (json));
    }
  else
    g_variant_get (params, "(&s)", &id);
  ferry_collection_manager_write_async (call->self->manager, collection, id, body, NULL,
                                        write_cb, call);
}

static void
run_get (Call            *call,
         FerryCollection *collection)
{
  const char *id = NULL;
  g_autoptr(FerryDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_get (g_dbus_method_invocation_get_parameters (call->invocation), "(&s)", &id);
  doc = ferry_collection_store_dup_document (ferry_collection_manager_get_store (call->self->manager),
                                             ferry_collection_get_id (collection), id, &error);
  if (doc == NULL && error == NULL)
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "id: no document “%s”",
                         g_utf8_validate (id, -1, NULL) ? id : "(invalid UTF-8)");
  if (error != NULL)
    {
      call_fail (call, error);
      return;
    }
  call_return (call, g_variant_new ("(@a{sv})", ferry_collection_args_document (doc, TRUE)));
}

static GVariant *
document_list (GPtrArray *docs,
               gboolean   bodies)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < docs->len; i++)
    g_variant_builder_add_value (&builder,
                                 ferry_collection_args_document (g_ptr_array_index (docs, i),
                                                                 bodies));
  return g_variant_builder_end (&builder);
}

static gboolean
check_limit (guint    limit,
             GError **error)
{
  if (limit >= 1 && limit <= MAX_PAGE)
    return TRUE;
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
               "limit: must be 1 to %d, not %u", MAX_PAGE, limit);
  return FALSE;
}

static void
run_list (Call            *call,
          FerryCollection *collection)
{
  g_autoptr(GVariant) filter_arg = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  FerryDocumentFilter filter;
  guint offset = 0, limit = 0;

  g_variant_get (g_dbus_method_invocation_get_parameters (call->invocation), "(@a{sv}uu)",
                 &filter_arg, &offset, &limit);
  if (!ferry_collection_args_parse_filter (filter_arg, &filter, &error) ||
      !check_limit (limit, &error) ||
      (docs = ferry_collection_store_list_documents (
         ferry_collection_manager_get_store (call->self->manager),
         ferry_collection_get_id (collection), &filter, offset, limit, &error)) == NULL)
    {
      call_fail (call, error);
      return;
    }
  call_return (call, g_variant_new ("(@aa{sv})", document_list (docs, filter.with_bodies)));
}

static void
run_changes (Call            *call,
             FerryCollection *collection)
{
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 after = 0;
  gint64 last;
  guint limit = 0;

  g_variant_get (g_dbus_method_invocation_get_parameters (call->invocation), "(xu)", &after,
                 &limit);
  if (!check_limit (limit, &error) ||
      (docs = ferry_collection_store_changes (
         ferry_collection_manager_get_store (call->self->manager),
         ferry_collection_get_id (collection), MAX (after, 0), limit, TRUE, &error)) == NULL)
    {
      call_fail (call, error);
      return;
    }
  last = docs->len > 0 ? ((FerryDocument *) g_ptr_array_index (docs, docs->len - 1))->seq
                       : MAX (after, 0);
  call_return (call, g_variant_new ("(@aa{sv}x)", document_list (docs, TRUE), last));
}

static void
run_resolve (Call            *call,
             FerryCollection *collection)
{
  const char *id = NULL, *choice_name = NULL, *merged_text = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(GError) error = NULL;
  FerryResolveChoice choice;

  g_variant_get (g_dbus_method_invocation_get_parameters (call->invocation), "(&s&s&s)", &id,
                 &choice_name, &merged_text);
  if (g_str_equal (choice_name, "local"))
    choice = FERRY_RESOLVE_LOCAL;
  else if (g_str_equal (choice_name, "remote"))
    choice = FERRY_RESOLVE_REMOTE;
  else if (g_str_equal (choice_name, "merged"))
    choice = FERRY_RESOLVE_BODY;
  else
    {
      error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                           "choice: “%s” is not local, remote or merged",
                           g_utf8_validate (choice_name, -1, NULL) ? choice_name : "?");
      call_fail (call, error);
      return;
    }
  if (*merged_text != '\0')
    merged = g_bytes_new (merged_text, strlen (merged_text));
  if (choice != FERRY_RESOLVE_BODY && merged != NULL)
    error = g_error_new (FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                         "merged: only with the choice merged");
  if (error != NULL ||
      !ferry_collection_manager_resolve (call->self->manager, collection, id, choice, merged,
                                         &error))
    {
      call_fail (call, error);
      return;
    }
  call_return (call, NULL);
}

static void
dispatch_collection (Call *call)
{
  const char *method = g_dbus_method_invocation_get_method_name (call->invocation);
  g_autoptr(GError) error = NULL;
  FerryCollection *collection;
  guint count = 0;

  collection = visible_collection (call, &error);
  if (collection == NULL)
    call_fail (call, error);
  else if (g_str_equal (method, "Put") || g_str_equal (method, "Delete"))
    run_write (call, collection, g_str_equal (method, "Put"));
  else if (g_str_equal (method, "Get"))
    run_get (call, collection);
  else if (g_str_equal (method, "List"))
    run_list (call, collection);
  else if (g_str_equal (method, "Changes"))
    run_changes (call, collection);
  else if (g_str_equal (method, "Resolve"))
    run_resolve (call, collection);
  else if (g_str_equal (method, "ListRuns"))
    {
      GVariant *reply = ferry_collection_runs_list (call->self->manager, collection,
                                                    g_dbus_method_invocation_get_parameters (
                                                      call->invocation), &error);
      if (reply != NULL)
        call_return (call, reply);
      else
        call_fail (call, error);
    }
  else if (g_str_equal (method, "Sync"))
    {
      ferry_collection_manager_sync_now (call->self->manager, collection);
      call_return (call, NULL);
    }
  else if (!ferry_collection_manager_retry_failed (call->self->manager, collection, &count,
                                                   &error))
    call_fail (call, error);
  else
    call_return (call, g_variant_new ("(u)", count));
}

static void
dispatch (Call *call)
{
  const char *method = g_dbus_method_invocation_get_method_name (call->invocation);

  if (call->collection != 0)
    dispatch_collection (call);
  else if (g_str_equal (method, "AddCollection"))
    run_add (call);
  else
    run_remove (call);
}


/* Objects ------------------------------------------------------------------ */

static void
on_collection_method (GDBusMethodInvocation *invocation,
                      gint64                 id,
                      gpointer               user_data)
{
  begin_call (user_data, invocation, id);
}

static gboolean
handle_add_collection (FerryDBusAgent        *agent,
                       GDBusMethodInvocation *invocation,
                       GVariant              *config,
                       gpointer               user_data)
{
  return begin_call (user_data, invocation, 0);
}

static gboolean
handle_remove_collection (FerryDBusAgent        *agent,
                          GDBusMethodInvocation *invocation,
                          const char            *path,
                          gboolean               keep_data,
                          gpointer               user_data)
{
  return begin_call (user_data, invocation, 0);
}

static void
on_collection_added (FerryCollectionManager *manager,
                     FerryCollection        *collection,
                     FerryCollectionService *self)
{
  ferry_collection_objects_add (self->objects, collection);
}

static void
on_collection_removed (FerryCollectionManager *manager,
                       FerryCollection        *collection,
                       FerryCollectionService *self)
{
  ferry_collection_objects_remove (self->objects, collection);
}

/* GObject ------------------------------------------------------------------ */

static void
ferry_collection_service_dispose (GObject *object)
{
  FerryCollectionService *self = FERRY_COLLECTION_SERVICE (object);

  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->objects != NULL)
    ferry_collection_objects_close (self->objects);
  g_clear_object (&self->objects);
  g_clear_object (&self->manager);
  g_clear_object (&self->agent);
  g_clear_object (&self->callers);

  G_OBJECT_CLASS (ferry_collection_service_parent_class)->dispose (object);
}

static void
ferry_collection_service_finalize (GObject *object)
{
  FerryCollectionService *self = FERRY_COLLECTION_SERVICE (object);

  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_collection_service_parent_class)->finalize (object);
}

static void
ferry_collection_service_class_init (FerryCollectionServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_collection_service_dispose;
  object_class->finalize = ferry_collection_service_finalize;
}

static void
ferry_collection_service_init (FerryCollectionService *self)
{
  self->waiting = g_ptr_array_new ();
}

/**
 * ferry_collection_service_new:
 * @callers: who calls
 * @agent: the agent's skeleton, whose AddCollection and RemoveCollection
 *   this serves
 * @connection: where the collections' objects go
 *
 * Returns: (transfer full): the service; calls wait until
 *   ferry_collection_service_attach()
 */
FerryCollectionService *
ferry_collection_service_new (FerryCallerCache *callers,
                              FerryDBusAgent   *agent,
                              GDBusConnection  *connection)
{
  FerryCollectionService *self;

  g_return_val_if_fail (FERRY_IS_CALLER_CACHE (callers), NULL);
  g_return_val_if_fail (FERRY_DBUS_IS_AGENT (agent), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (FERRY_TYPE_COLLECTION_SERVICE, NULL);
  self->callers = g_object_ref (callers);
  self->agent = g_object_ref (agent);
  self->objects = ferry_collection_objects_new (callers, connection, on_collection_method, self);
  g_signal_connect (agent, "handle-add-collection", G_CALLBACK (handle_add_collection), self);
  g_signal_connect (agent, "handle-remove-collection", G_CALLBACK (handle_remove_collection),
                    self);
  return self;
}

/**
 * ferry_collection_service_attach:
 * @self: a service
 * @manager: the engine's collections, started
 *
 * Exports every collection and serves the calls that waited.
 */
void
ferry_collection_service_attach (FerryCollectionService *self,
                                 FerryCollectionManager *manager)
{
  g_autoptr(GPtrArray) collections = NULL;
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (FERRY_IS_COLLECTION_SERVICE (self));
  g_return_if_fail (self->manager == NULL);

  self->manager = g_object_ref (manager);
  g_signal_connect (manager, "collection-added", G_CALLBACK (on_collection_added), self);
  g_signal_connect (manager, "collection-removed", G_CALLBACK (on_collection_removed), self);
  collections = ferry_collection_manager_list (manager);
  for (guint i = 0; i < collections->len; i++)
    on_collection_added (manager, g_ptr_array_index (collections, i), self);
  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new ();
  for (guint i = 0; i < waiting->len; i++)
    dispatch (g_ptr_array_index (waiting, i));
}

/**
 * ferry_collection_service_serve:
 * @self: a service
 * @connection: another connection ferryd serves on
 *
 * Serves the collections' objects on @connection too.
 */
void
ferry_collection_service_serve (FerryCollectionService *self,
                                GDBusConnection        *connection)
{
  g_return_if_fail (FERRY_IS_COLLECTION_SERVICE (self));

  ferry_collection_objects_serve (self->objects, connection);
}

/**
 * ferry_collection_service_retire:
 * @self: a service
 * @connection: a connection ferryd leaves
 *
 * Stops serving the collections' objects on @connection.
 */
void
ferry_collection_service_retire (FerryCollectionService *self,
                                 GDBusConnection        *connection)
{
  g_return_if_fail (FERRY_IS_COLLECTION_SERVICE (self));

  ferry_collection_objects_retire (self->objects, connection);
}
