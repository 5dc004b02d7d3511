/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-json-merge"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ferry-error.h"

#include "ferry-json-merge.h"

/*
 * A three-way merge of JSON documents, member by member, against the base
 * both sides were edited from:
 *
 *  - a member changed on one side only takes that side's value (a deletion
 *    is a change);
 *  - a member changed the same way on both sides takes that value;
 *  - a member changed differently on both sides is merged deeper when both
 *    sides are objects, and is otherwise a conflict, settled by a per-field
 *    rule ("local" or "remote" for its JSON pointer) when the task gives
 *    one;
 *  - arrays, strings, numbers, booleans and null are values: compared and
 *    taken whole.
 *
 * Member order follows the local document, then members only the remote
 * side added, in its order.  The function is pure: bytes in, bytes out.
 */

#define MAX_DEPTH 256

void
ferry_merge_result_free (FerryMergeResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->merged, g_bytes_unref);
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_free (result);
}

/**
 * ferry_json_pointer_escape:
 * @key: an object member name
 *
 * Returns: (transfer full): @key as one JSON pointer segment ("~" → "~0",
 *   "/" → "~1")
 */
char *
ferry_json_pointer_escape (const char *key)
{
  GString *out = g_string_new (NULL);

  for (const char *p = key; *p != '\0'; p++)
    {
      if (*p == '~')
        g_string_append (out, "~0");
      else if (*p == '/')
        g_string_append (out, "~1");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static JsonNode *
parse_document (GBytes      *bytes,
                const char  *which,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    return NULL;
  if (!g_utf8_validate (data, size, NULL))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not valid UTF-8", which);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not valid JSON: %s", which, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "%s: empty document", which);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static gboolean
is_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

static const char *
find_rule (const char * const *rules,
           const char         *pointer)
{
  if (rules == NULL)
    return NULL;
  for (guint i = 0; rules[i] != NULL && rules[i + 1] != NULL; i += 2)
    {
      if (g_str_equal (rules[i], pointer))
        return rules[i + 1];
    }
  return NULL;
}

typedef struct
{
  const char * const *rules;
  GPtrArray          *conflicts;
} MergeState;

static JsonNode *merge_nodes (MergeState *state,
                              JsonNode   *base,
                              JsonNode   *local,
                              JsonNode   *remote,
                              const char *pointer,
                              guint       depth);

static void
add_member (JsonObject *merged,
            MergeState *state,
            JsonObject *base,
            JsonObject *local,
            JsonObject *remote,
            const char *key,
            const char *pointer,
            guint       depth)
{
  g_autofree char *segment = ferry_json_pointer_escape (key);
  g_autofree char *child_pointer = g_strconcat (pointer, "/", segment, NULL);
  JsonNode *b = base != NULL ? json_object_get_member (base, key) : NULL;
  JsonNode *l = json_object_get_member (local, key);
  JsonNode *r = json_object_get_member (remote, key);
  JsonNode *result;

  result = merge_nodes (state, b, l, r, child_pointer, depth + 1);
  if (result != NULL)
    json_object_set_member (merged, key, result);
}

static JsonNode *
merge_objects (MergeState *state,
               JsonNode   *base,
               JsonNode   *local,
               JsonNode   *remote,
               const char *pointer,
               guint       depth)
{
  JsonObject *b = is_object (base) ? json_node_get_object (base) : NULL;
  JsonObject *l = json_node_get_object (local);
  JsonObject *r = json_node_get_object (remote);
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  /* Local order first, then what only the remote or only the base has
   * (a member the base had and both sides dropped stays dropped). */
  json_object_iter_init_ordered (&iter, l);
  while (json_object_iter_next_ordered (&iter, &key, NULL))
    {
      g_hash_table_add (seen, (gpointer) key);
      add_member (merged, state, b, l, r, key, pointer, depth);
    }
  json_object_iter_init_ordered (&iter, r);
  while (json_object_iter_next_ordered (&iter, &key, NULL))
    {
      if (g_hash_table_add (seen, (gpointer) key))
        add_member (merged, state, b, l, r, key, pointer, depth);
    }
  if (b != NULL)
    {
      json_object_iter_init_ordered (&iter, b);
      while (json_object_iter_next_ordered (&iter, &key, NULL))
        {
          if (g_hash_table_add (seen, (gpointer) key))
            add_member (merged, state, b, l, r, key, pointer, depth);
        }
    }

  node = json_node_alloc ();
  json_node_init_object (node, merged);
  return node;
}

/* Returns the merged value, or NULL for "absent". */
static JsonNode *
merge_nodes (MergeState *state,
             JsonNode   *base,
             JsonNode   *local,
             JsonNode   *remote,
             const char *pointer,
             guint       depth)
{
  const char *rule;

  if (nodes_equal (local, remote))
    return local != NULL ? json_node_copy (local) : NULL;
  if (nodes_equal (local, base))
    return remote != NULL ? json_node_copy (remote) : NULL;
  if (nodes_equal (remote, base))
    return local != NULL ? json_node_copy (local) : NULL;

  /* Changed differently on both sides. */
  if (is_object (local) && is_object (remote) && (base == NULL || is_object (base)) &&
      depth < MAX_DEPTH)
    return merge_objects (state, base, local, remote, pointer, depth);

  rule = find_rule (state->rules, pointer);
  if (g_strcmp0 (rule, "remote") == 0)
    return remote != NULL ? json_node_copy (remote) : NULL;
  if (g_strcmp0 (rule, "local") != 0)
    g_ptr_array_add (state->conflicts, g_strdup (pointer));
  return local != NULL ? json_node_copy (local) : NULL;
}

/**
 * ferry_json_merge:
 * @base: (nullable): the document both sides were edited from; %NULL or
 *   empty when unknown (then every member both sides set differently is a
 *   conflict)
 * @local: the local document
 * @remote: the server's document
 * @rules: (nullable): flat pairs of JSON pointer and "local" or "remote"
 *   settling a conflict at that member
 * @error: return location for %FERRY_ERROR_INVALID_ARGUMENT naming the
 *   document that is not JSON
 *
 * Three-way merges @local and @remote against @base.
 *
 * Returns: (transfer full): the merge, clean when its conflicts are empty
 */
FerryMergeResult *
ferry_json_merge (GBytes              *base,
                  GBytes              *local,
                  GBytes              *remote,
                  const char * const  *rules,
                  GError             **error)
{
  g_autoptr(JsonNode) base_node = NULL;
  g_autoptr(JsonNode) local_node = NULL;
  g_autoptr(JsonNode) remote_node = NULL;
  g_autoptr(JsonNode) merged = NULL;
  g_autoptr(GError) local_error = NULL;
  FerryMergeResult *result;
  MergeState state;

  base_node = parse_document (base, "base", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  local_node = parse_document (local, "local", &local_error);
  if (local_node == NULL)
    {
      if (local_error == NULL)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "local: empty document");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  remote_node = parse_document (remote, "remote", &local_error);
  if (remote_node == NULL)
    {
      if (local_error == NULL)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "remote: empty document");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  result = g_new0 (FerryMergeResult, 1);
  result->conflicts = g_ptr_array_new_with_free_func (g_free);
  state.rules = rules;
  state.conflicts = result->conflicts;
  merged = merge_nodes (&state, base_node, local_node, remote_node, "", 0);

  if (merged == NULL)
    {
      /* Both sides agree the document is gone; say so as JSON null. */
      merged = json_node_new (JSON_NODE_NULL);
    }
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    gsize length = 0;
    char *text;

    json_generator_set_root (generator, merged);
    text = json_generator_to_data (generator, &length);
    result->merged = g_bytes_new_take (text, length);
  }
  return result;
}

/**
 * ferry_json_get_pointer:
 * @document: a JSON document
 * @pointer: a JSON pointer, e.g. "/updated_at"
 * @out_value: (out) (transfer full) (nullable): the value found, as text for
 *   strings and as its JSON form for numbers; %NULL when absent
 * @error: return location for an error when @document is not JSON
 *
 * Returns: %TRUE when @document could be read (whether or not the member
 *   exists)
 */
gboolean
ferry_json_get_pointer (GBytes      *document,
                        const char  *pointer,
                        char       **out_value,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) segments = NULL;
  JsonNode *node;

  *out_value = NULL;
  root = parse_document (document, "document", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (root == NULL || pointer == NULL || (*pointer != '\0' && *pointer != '/'))
    return TRUE;

  node = root;
  segments = g_strsplit (pointer + (*pointer == '/' ? 1 : 0), "/", -1);
  for (guint i = 0; *pointer != '\0' && segments[i] != NULL; i++)
    {
      g_autoptr(GString) key = g_string_new (NULL);

      for (const char *p = segments[i]; *p != '\0'; p++)
        {
          if (p[0] == '~' && p[1] == '0')
            g_string_append_c (key, '~'), p++;
          else if (p[0] == '~' && p[1] == '1')
            g_string_append_c (key, '/'), p++;
          else
            g_string_append_c (key, *p);
        }
      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !json_object_has_member (json_node_get_object (node), key->str))
        return TRUE;
      node = json_object_get_member (json_node_get_object (node), key->str);
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        *out_value = g_strdup (json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        *out_value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          *out_value = g_strdup (g_ascii_dtostr (buffer, sizeof buffer,
                                                 json_node_get_double (node)));
        }
    }
  return TRUE;
}
