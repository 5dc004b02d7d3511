/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-pager-private.h"
#include "ferry-task-list.h"

G_BEGIN_DECLS

/* The list's page cache is a FerryPager (ferry-pager.c). */
struct _FerryTaskList
{
  GObject parent_instance;

  /* owned */
  FerryClient *client;
  FerryTaskQuery *query;

  /* state */
  FerryPager pager;
};

G_END_DECLS
