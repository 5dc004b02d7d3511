/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-dbus-generated.h"
#include "ferry-client.h"

G_BEGIN_DECLS

/*
 * FerryClient is one object written in four files:
 *
 *   ferry-client.c          the object, its properties and their getters
 *   ferry-client-agent.c    following the agent: the proxy, its name owner,
 *                           its properties and its signals
 *   ferry-client-control.c  calling the agent (starting it first when
 *                           allowed), start-agent, sync-now, pause, resume
 *   ferry-client-tasks.c    the task calls: enqueue, get, list, count,
 *                           cancel, retry, retry-all, resolve
 *   ferry-client-resolvers.c  registering an app's resolver
 */
struct _FerryClient
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  FerryDBusAgent *proxy;
  char *agent_owner;
  char *agent_successor;         /* where the agent said it moves, or NULL */
  char *app_id;                  /* the owner name Enqueue sends, or NULL */
  GQueue start_waiters;          /* start calls waiting for the name */

  /* state */
  FerryClientFlags flags;
  FerryAgentState state;
  gboolean online;
  gboolean metered;
  gboolean paused;
  guint pending_count;
  guint failed_count;
  guint conflict_count;
  guint auth_count;
  guint progress_done;
  guint progress_total;
  gint64 last_sync_time;
  gint64 next_sync_time;
};

/* A method call on the agent: what it sends, and how it is made. */
typedef void (*FerryClientCallFunc) (FerryClient *self,
                                     GTask       *task);

/* The generated _finish of a method that answers with nothing, or with
 * one count. */
typedef gboolean (*FerryClientFinishFunc)      (FerryDBusAgent  *proxy,
                                                GAsyncResult    *result,
                                                GError         **error);
typedef gboolean (*FerryClientCountFinishFunc) (FerryDBusAgent  *proxy,
                                                guint           *out_count,
                                                GAsyncResult    *result,
                                                GError         **error);

/* The task data of every method call's GTask. */
typedef struct
{
  FerryClientCallFunc         func;
  FerryClientFinishFunc       finish;        /* set by func, for boolean_reply_cb */
  FerryClientCountFinishFunc  finish_count;  /* set by func, for count_reply_cb */
  char                       *id;
  char                       *choice;
  GVariant                   *args;          /* request, filter or body */
  FerryResolver              *resolver;
  guint                       offset;
  guint                       limit;
} FerryClientCall;

/* ferry-client.c */
void     ferry_client_sync_properties        (FerryClient           *self);
void     ferry_client_notify_agent_owner     (FerryClient           *self,
                                              gboolean               running_changed);

/* ferry-client-agent.c */
void     ferry_client_install_signals        (GObjectClass          *object_class);
void     ferry_client_async_initable_iface_init (GAsyncInitableIface *iface);

/* ferry-client-control.c */
GTask   *ferry_client_new_call_task          (FerryClient           *self,
                                              FerryClientCallFunc    func,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data,
                                              gpointer               source_tag);
void     ferry_client_call_agent             (FerryClient           *self,
                                              GTask                 *task);
void     ferry_client_return_dbus_error      (GTask                 *task,
                                              GError                *error);
void     ferry_client_boolean_reply_cb       (GObject               *object,
                                              GAsyncResult          *result,
                                              gpointer               user_data);
void     ferry_client_count_reply_cb         (GObject               *object,
                                              GAsyncResult          *result,
                                              gpointer               user_data);
gboolean ferry_client_finish_boolean         (FerryClient           *self,
                                              GAsyncResult          *result,
                                              gpointer               source_tag,
                                              GError               **error);
gboolean ferry_client_finish_count           (FerryClient           *self,
                                              GAsyncResult          *result,
                                              gpointer               source_tag,
                                              guint                 *out_count,
                                              GError               **error);
void     ferry_client_complete_start_waiters (FerryClient           *self);

G_END_DECLS
