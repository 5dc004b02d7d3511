/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ferry-client.h"
#include "ferry-collection-set.h"

G_BEGIN_DECLS

/**
 * FerryElsewhere:
 * @text: what the view's empty state adds: "But 2 changes failed."
 * @view: where it is: a view of the window, or "collections" for the
 *   Collections window
 * @button: the label of the button that goes there
 * @warning: whether it needs the person (else it only says what goes on)
 * @all_sent: when nothing is elsewhere: whether something reached its
 *   server, a task or a collection's record, and no record waits
 *
 * What an empty view of the window says of the others.
 */
typedef struct
{
  char       *text;
  const char *view;
  const char *button;
  gboolean    warning;
  gboolean    all_sent;
} FerryElsewhere;

gboolean ferry_elsewhere_describe (const char         *kind,
                                   FerryClient        *client,
                                   FerryCollectionSet *collections,
                                   FerryElsewhere     *out);
void     ferry_elsewhere_clear    (FerryElsewhere     *elsewhere);

G_END_DECLS
