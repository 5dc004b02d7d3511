/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * A real HTTP server on 127.0.0.1 (port chosen by the kernel), run in its
 * own thread with its own main context so the code under test can block or
 * spin its loop freely.  Replies are scripted per path: a FIFO of replies
 * is consumed first, then the path's default, then 200 "ok".  Connections
 * are kept alive, as real servers keep them, and reused by clients.
 *
 * The first server created sets GIO_USE_PROXY_RESOLVER=dummy (unless set):
 * the desktop proxy resolvers need system GSettings schemas, which
 * G_TEST_OPTION_ISOLATE_DIRS hides.
 */
typedef struct _FerryTestServer FerryTestServer;

typedef struct
{
  char   *method;
  char   *path;             /* path and query as received */
  char  **headers;          /* flat name/value pairs */
  GBytes *body;
  char   *idempotency_key;  /* the Idempotency-Key header, or NULL */
  gint64  received;         /* monotonic time */
  gboolean reused;          /* came on a connection that carried one before */
} FerryTestRequest;

void              ferry_test_request_free            (FerryTestRequest *request);
const char       *ferry_test_request_get_header      (FerryTestRequest *request,
                                                      const char       *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTestRequest, ferry_test_request_free)

FerryTestServer  *ferry_test_server_new              (void);
/* The same over HTTPS, with @certificate (which holds its private key). */
FerryTestServer  *ferry_test_server_new_tls          (GTlsCertificate  *certificate);
void              ferry_test_server_free             (FerryTestServer  *server);
guint16           ferry_test_server_get_port         (FerryTestServer  *server);
char             *ferry_test_server_url              (FerryTestServer  *server,
                                                      const char       *path);

/* Scripted replies.  @headers is "Name: value" lines separated by '\n', or
 * NULL.  @path matches the request path exactly (query ignored). */
void              ferry_test_server_push_reply       (FerryTestServer  *server,
                                                      const char       *path,
                                                      guint             status,
                                                      const char       *headers,
                                                      const char       *body);
/* Log the request, then close the connection without answering (a reset
 * after the server applied it). */
void              ferry_test_server_push_reset       (FerryTestServer  *server,
                                                      const char       *path);
/* The same, for the next request on @path that comes on a reused
 * connection only; others are answered as scripted. */
void              ferry_test_server_push_reset_reused (FerryTestServer *server,
                                                      const char       *path);
/* Begin a 200 answer, send a few of its bytes, then reset. */
void              ferry_test_server_push_cut         (FerryTestServer  *server,
                                                      const char       *path);
/* Answer nothing for @milliseconds, then 200 (a stall past a timeout). */
void              ferry_test_server_push_stall       (FerryTestServer  *server,
                                                      const char       *path,
                                                      guint             milliseconds);
void              ferry_test_server_set_default      (FerryTestServer  *server,
                                                      const char       *path,
                                                      guint             status,
                                                      const char       *headers,
                                                      const char       *body);
/* Once its script is spent, every request to @path is reset. */
void              ferry_test_server_set_default_reset (FerryTestServer *server,
                                                      const char       *path);
/* Every request to @path waits (in flight) until released. */
void              ferry_test_server_hold             (FerryTestServer  *server,
                                                      const char       *path);
void              ferry_test_server_release          (FerryTestServer  *server,
                                                      const char       *path);
/* How many requests were in flight at once, at most, since the start. */
guint             ferry_test_server_get_max_in_flight (FerryTestServer *server);
guint             ferry_test_server_get_in_flight    (FerryTestServer  *server);
/* Connections that carried at least one request. */
guint             ferry_test_server_count_connections (FerryTestServer *server);

/* Received requests, in arrival order, including those still held. */
guint             ferry_test_server_count_requests   (FerryTestServer  *server,
                                                      const char       *path);
GPtrArray        *ferry_test_server_dup_requests     (FerryTestServer  *server,
                                                      const char       *path);

/*
 * A GNetworkMonitor whose state the test sets.  can_reach answers from a
 * list of reachable hosts (loopback is always reachable while the network
 * is available).  Every change emits ::network-changed.
 */
#define FERRY_TYPE_TEST_NETWORK_MONITOR (ferry_test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FerryTestNetworkMonitor, ferry_test_network_monitor,
                      FERRY, TEST_NETWORK_MONITOR, GObject)

FerryTestNetworkMonitor *ferry_test_network_monitor_new (void);
void ferry_test_network_monitor_set_state     (FerryTestNetworkMonitor *self,
                                               gboolean                  available,
                                               GNetworkConnectivity      connectivity,
                                               gboolean                  metered);
void ferry_test_network_monitor_add_reachable (FerryTestNetworkMonitor *self,
                                               const char              *host);
guint ferry_test_network_monitor_get_reach_calls (FerryTestNetworkMonitor *self);

/* A GPowerProfileMonitor whose power-saver flag the test sets. */
#define FERRY_TYPE_TEST_POWER_MONITOR (ferry_test_power_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FerryTestPowerMonitor, ferry_test_power_monitor,
                      FERRY, TEST_POWER_MONITOR, GObject)

FerryTestPowerMonitor *ferry_test_power_monitor_new (void);
void ferry_test_power_monitor_set_power_saver (FerryTestPowerMonitor *self,
                                               gboolean               enabled);

/*
 * Iterate the thread-default main context until @condition returns TRUE.
 * Fails the test loudly, naming @what, after @timeout_ms.
 */
typedef gboolean (*FerryTestCondition) (gpointer user_data);

/* One blocking iteration of the thread-default context, woken after at most
 * 5 ms by a timeout source of its own. */
void ferry_test_iterate_briefly (void);
void ferry_test_wait_until (FerryTestCondition condition,
                            gpointer           user_data,
                            guint              timeout_ms,
                            const char        *what);

/* How many times longer every wait of the tests may last: the whole number
 * in FERRY_TEST_WAIT_SCALE, 1 without it.  The sanitized build's tests set
 * it (tests/meson.build), as everything there runs several times slower;
 * meson's --timeout-multiplier does the same for whole test programs. */
static inline gint64
ferry_test_wait_scale (void)
{
  const char *text = g_getenv ("FERRY_TEST_WAIT_SCALE");
  guint64 scale = 1;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 100, &scale, NULL))
    scale = 1;
  return (gint64) scale;
}

#define FERRY_TEST_WAIT(expr, timeout_ms)                                               \
  G_STMT_START {                                                                        \
    gint64 ferry_test_timeout_ = (gint64) (timeout_ms) * ferry_test_wait_scale ();      \
    gint64 ferry_test_deadline_ = g_get_monotonic_time () + ferry_test_timeout_ * 1000; \
    while (!(expr))                                                                     \
      {                                                                                 \
        if (g_get_monotonic_time () > ferry_test_deadline_)                             \
          g_error ("%s:%d: timed out after %" G_GINT64_FORMAT " ms waiting for: %s",    \
                   __FILE__, __LINE__, ferry_test_timeout_, #expr);                     \
        ferry_test_iterate_briefly ();                                                  \
      }                                                                                 \
  } G_STMT_END

/* A fresh directory under the test's isolated tmp dir. */
char *ferry_test_make_temp_dir (void);

G_END_DECLS
