/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The checks ferry_task_validate() makes of its fields, shared with the
 * other records an app hands the engine (collections and their
 * documents).  Each names @field in its FERRY_ERROR_INVALID_ARGUMENT. */
gboolean ferry_http_token_is_valid  (const char  *str);
gboolean ferry_validate_label       (const char  *value,
                                     const char  *field,
                                     GError     **error);
gboolean ferry_validate_url         (const char  *url,
                                     const char  *field,
                                     gboolean     required,
                                     GError     **error);
gboolean ferry_validate_header_list (char       **headers,
                                     const char  *field,
                                     GError     **error);
gboolean ferry_validate_pointer     (const char  *pointer,
                                     const char  *field,
                                     GError     **error);
gboolean ferry_validate_merge_rules (char       **rules,
                                     GError     **error);

G_END_DECLS
