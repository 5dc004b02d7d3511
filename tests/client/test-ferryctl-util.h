/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-test-util.h"

#include "ferry-client-fixture.h"
#include "ferry-doc-server.h"

G_BEGIN_DECLS

/*
 * The ferryctl tests run the built ferryctl against the real ferryd on
 * the test bus (the bus address reaches ferryctl through
 * DBUS_SESSION_BUS_ADDRESS, which GTestDBus sets).
 */

typedef struct
{
  ClientFixture    base;
  FerryTestServer *server;
  FerryDocServer  *docs;
} Fixture;

void fixture_set_up_offline   (Fixture       *fixture,
                               gconstpointer  data);
void fixture_set_up_online    (Fixture       *fixture,
                               gconstpointer  data);
void fixture_set_up_documents (Fixture       *fixture,
                               gconstpointer  data);
void fixture_tear_down        (Fixture       *fixture,
                               gconstpointer  data);

/* One run of ferryctl: its exit status and what it printed. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} CtlRun;

void ctl_run_clear (CtlRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

/* Runs ferryctl with @args (NULL-terminated), feeding it @input on
 * standard input when not NULL, in the test's environment changed by
 * @env: "NAME=VALUE" sets, "NAME" alone unsets (NULL: unchanged). */
void run_ctl_full (CtlRun             *run,
                   const char * const *env,
                   const char         *input,
                   const char * const *args);

void run_ctlv     (CtlRun             *run,
                   const char         *input,
                   const char * const *args);

#define run_ctl(run, ...) \
  run_ctl_full ((run), NULL, NULL, (const char * const[]) { __VA_ARGS__, NULL })

void       assert_contains     (const char *haystack,
                                const char *needle);
void       assert_not_contains (const char *haystack,
                                const char *needle);
JsonNode  *parse_json          (const char *text);
char      *add_task            (const char *url) G_GNUC_WARN_UNUSED_RESULT;

/* A ferryctl that keeps running (watch): its lines as they come. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *input;
  GCancellable     *cancellable;
  GPtrArray        *lines;
  gboolean          eof;
} CtlWatch;

void        ctl_watch_start     (CtlWatch           *watch,
                                 const char * const *args);
const char *ctl_watch_find_line (CtlWatch           *watch,
                                 const char         *text);
int         ctl_watch_stop      (CtlWatch           *watch);

G_END_DECLS
