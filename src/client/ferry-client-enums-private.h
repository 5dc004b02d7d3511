/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-client-enums.h"

G_BEGIN_DECLS

/* The words a person reads for the resolve choices (the window's Mine,
 * Server's and Merged, ferryctl's --take): the project's user interface,
 * not API for apps. */
const char *ferry_client_resolve_choice_to_word   (FerryClientResolveChoice  choice);
gboolean    ferry_client_resolve_choice_from_word (const char               *word,
                                                   FerryClientResolveChoice *out_choice);

G_END_DECLS
