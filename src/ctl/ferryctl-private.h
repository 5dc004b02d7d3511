/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-client.h"
#include "ferry-client-transfers.h"
#include "ferry-storage-usage.h"
#include "ferry-transfer-info.h"
#include "ferry-client-enums-private.h"

G_BEGIN_DECLS

/*
 * What the commands of ferryctl share: the exit statuses, the command
 * table's row, option parsing, waiting for answers, the two kinds of
 * error and task ids.
 *
 * Exit status: 0 on success, 1 when the agent (or the bus) reports an
 * error, 2 on bad usage: an unknown command or option, a missing or
 * malformed argument (also one the agent refuses as malformed), invalid
 * JSON, an unreadable file.
 */
enum {
  FERRYCTL_EXIT_OK = 0,
  FERRYCTL_EXIT_AGENT = 1,
  FERRYCTL_EXIT_USAGE = 2,
};

/* What the helpers that may end a command return when it goes on. */
#define FERRYCTL_CONTINUE (-1)

/* Task lists are asked in pages of at most this many (List's limit). */
#define FERRYCTL_PAGE_SIZE 1000

/* The shortest id prefix taken for a task id. */
#define FERRYCTL_MIN_ID_PREFIX 4

typedef struct _FerryCtl FerryCtl;

typedef int (*FerryCtlCommandFunc) (FerryCtl  *ctl,
                                    int        argc,
                                    char     **argv);

typedef struct
{
  const char          *name;
  const char          *parameters;  /* after the options in the usage line */
  const char          *summary;     /* one line, for ferryctl --help */
  const char          *help;        /* the summary in the command's --help */
  FerryCtlCommandFunc  run;
} FerryCtlCommand;

struct _FerryCtl
{
  const FerryCtlCommand *command;
  FerryClient           *client;    /* owned; NULL until ferryctl_connect() */
};

/* ferryctl-common.c */
void          ferryctl_store_result_cb  (GObject       *object,
                                         GAsyncResult  *result,
                                         gpointer       user_data);
GAsyncResult *ferryctl_wait             (GAsyncResult **slot);

int           ferryctl_usage_error      (FerryCtl      *ctl,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);
int           ferryctl_agent_error      (FerryCtl      *ctl,
                                         GError        *error);
int           ferryctl_parse_options    (FerryCtl      *ctl,
                                         GOptionEntry  *entries,
                                         const char    *description,
                                         int           *argc,
                                         char        ***argv);
int           ferryctl_check_arguments  (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv,
                                         int            n_arguments,
                                         const char    *missing);
int           ferryctl_connect          (FerryCtl      *ctl);
GBytes       *ferryctl_read_argument    (FerryCtl      *ctl,
                                         const char    *option,
                                         const char    *value,
                                         int           *out_status);

/* ferryctl-add.c */
gboolean      ferryctl_parse_header     (const char    *line,
                                         char         **out_name,
                                         char         **out_value);

/* ferryctl-ids.c */
int           ferryctl_check_id         (FerryCtl      *ctl,
                                         const char    *text);
int           ferryctl_resolve_id       (FerryCtl      *ctl,
                                         const char    *text,
                                         char         **out_id);
int           ferryctl_take_task_id     (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv,
                                         const char    *missing,
                                         char         **out_id);
char        **ferryctl_dup_short_ids    (GPtrArray     *tasks,
                                         guint          min_length);

/* The commands, one file per group. */
int           ferryctl_run_add          (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_list         (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_show         (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_retry        (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_cancel       (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_resolve      (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_sync         (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_pause        (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_resume       (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_status       (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_watch        (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_upload       (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_download     (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_transfers    (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);
int           ferryctl_run_storage      (FerryCtl      *ctl,
                                         int            argc,
                                         char         **argv);

/* ferryctl-transfers-hold.c: transfers pause and resume */
int           ferryctl_run_transfers_hold (FerryCtl    *ctl,
                                           int          argc,
                                           char       **argv);

G_END_DECLS
