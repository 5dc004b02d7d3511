/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-sync-manager.h"
#include "ferry-test-util.h"

G_BEGIN_DECLS

/*
 * The engine as the engine's end-to-end tests assemble it: a sync manager
 * on a fresh store in a directory of its own, with a network monitor
 * (full connectivity to start with) and a power monitor the test
 * controls.  Tests that need more keep this as the first member of their
 * fixture, so g_test_add()'s fixture is the whole of it.
 */
typedef struct
{
  char                    *dir;
  FerryTestNetworkMonitor *network;
  FerryTestPowerMonitor   *power;
  FerryClock              *clock;        /* nullable: the manager's own */
  FerryTaskStore          *store;
  FerryExecutor           *executor;     /* nullable: the manager's own */
  FerryConnectivity       *connectivity;
  FerrySyncManager        *manager;
} FerryTestManager;

void            ferry_test_manager_set_up      (FerryTestManager *self,
                                                FerryClock       *clock);
void            ferry_test_manager_open        (FerryTestManager *self,
                                                FerryExecutor    *executor);
void            ferry_test_manager_start       (FerryTestManager *self);
void            ferry_test_manager_close       (FerryTestManager *self);
void            ferry_test_manager_tear_down   (FerryTestManager *self);

char           *ferry_test_manager_enqueue     (FerryTestManager *self,
                                                FerryTask        *task);
FerryTask      *ferry_test_manager_dup_task    (FerryTestManager *self,
                                                const char       *id);
FerryTaskState  ferry_test_manager_task_state  (FerryTestManager *self,
                                                const char       *id);
gboolean        ferry_test_manager_is_settled  (FerryTestManager *self,
                                                const char       *id);

guint           ferry_test_count_wal_commits   (const char       *db_path,
                                                guint32           out_salts[2]);

G_END_DECLS
