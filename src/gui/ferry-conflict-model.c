/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-conflict-model"

#include "config.h"

#include "ferry-error.h"
#include "ferry-conflict-model.h"

/**
 * FerryConflictModel:
 *
 * The members of a conflict between two JSON objects, the local change and
 * the server's copy, compared with the base the app edited from: for each
 * top-level member the three values, which sides changed it, and which
 * side the person keeps.  It builds the document the choices make.  No
 * widgets, so the tests drive it without a display.
 */

typedef struct
{
  char                *name;
  JsonNode            *values[3];   /* by FerryConflictSide; NULL when absent */
  FerryConflictChange  change;
  FerryConflictSide    choice;      /* mine or server */
} Member;

struct _FerryConflictModel
{
  GPtrArray *members;   /* Member *, mine's order, then the server's, then the base's */
  gboolean   has_base;
};

static void
member_free (Member *member)
{
  for (guint i = 0; i < G_N_ELEMENTS (member->values); i++)
    g_clear_pointer (&member->values[i], json_node_unref);
  g_free (member->name);
  g_free (member);
}

/* Parses @bytes as JSON whose root is an object; @what names the side in
 * errors. */
static JsonObject *
parse_object (GBytes      *bytes,
              const char  *what,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  gsize size = 0;
  const char *data = NULL;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT, "%s: empty", what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, error))
    {
      g_prefix_error (error, "%s: ", what);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_INVALID_ARGUMENT,
                   "%s: not a JSON object", what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static Member *
find_member (FerryConflictModel *self,
             const char         *name)
{
  int index = ferry_conflict_model_find (self, name);

  return index < 0 ? NULL : g_ptr_array_index (self->members, index);
}

static void
add_members (FerryConflictModel *self,
             JsonObject         *object,
             FerryConflictSide   side)
{
  g_autoptr(GList) names = NULL;

  if (object == NULL)
    return;

  /* json_object_get_members() keeps the order of the document. */
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      Member *member = find_member (self, name);

      if (member == NULL)
        {
          member = g_new0 (Member, 1);
          member->name = g_strdup (name);
          g_ptr_array_add (self->members, member);
        }
      member->values[side] = json_node_ref (json_object_get_member (object, name));
    }
}

static void
classify (FerryConflictModel *self,
          Member             *member)
{
  JsonNode *base = member->values[FERRY_CONFLICT_SIDE_BASE];
  JsonNode *mine = member->values[FERRY_CONFLICT_SIDE_MINE];
  JsonNode *server = member->values[FERRY_CONFLICT_SIDE_SERVER];

  member->change = FERRY_CONFLICT_CHANGE_NONE;
  if (values_equal (mine, server))
    ;
  else if (!self->has_base)
    /* Without the base nobody can tell which side moved: both might. */
    member->change = FERRY_CONFLICT_CHANGE_BOTH;
  else
    {
      if (!values_equal (mine, base))
        member->change |= FERRY_CONFLICT_CHANGE_MINE;
      if (!values_equal (server, base))
        member->change |= FERRY_CONFLICT_CHANGE_SERVER;
    }

  /* A change made on one side only is kept; where both changed, the
   * person's own change is kept until they say otherwise. */
  member->choice = member->change == FERRY_CONFLICT_CHANGE_SERVER
                   ? FERRY_CONFLICT_SIDE_SERVER : FERRY_CONFLICT_SIDE_MINE;
}

static Member *
get_member (FerryConflictModel *self,
            guint               index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->members->len, NULL);

  return g_ptr_array_index (self->members, index);
}

/**
 * ferry_conflict_model_new:
 * @base: (nullable): the document the app edited from
 * @mine: the local change
 * @server: the server's current copy
 * @error: return location for an error
 *
 * Compares the three documents member by member.  A base that is missing
 * or not a JSON object is treated as unknown.
 *
 * Returns: (transfer full) (nullable): the model, or %NULL with @error set
 *   when @mine or @server is not a JSON object (%JSON_PARSER_ERROR for
 *   text that is not JSON, %FERRY_ERROR_INVALID_ARGUMENT for another root)
 */
FerryConflictModel *
ferry_conflict_model_new (GBytes  *base,
                          GBytes  *mine,
                          GBytes  *server,
                          GError **error)
{
  g_autoptr(FerryConflictModel) self = NULL;
  g_autoptr(JsonObject) base_object = NULL;
  g_autoptr(JsonObject) mine_object = NULL;
  g_autoptr(JsonObject) server_object = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mine_object = parse_object (mine, "mine", error);
  if (mine_object == NULL)
    return NULL;
  server_object = parse_object (server, "server", error);
  if (server_object == NULL)
    return NULL;
  if (base != NULL)
    base_object = parse_object (base, "base", NULL);

  self = g_new0 (FerryConflictModel, 1);
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  self->has_base = base_object != NULL;

  add_members (self, mine_object, FERRY_CONFLICT_SIDE_MINE);
  add_members (self, server_object, FERRY_CONFLICT_SIDE_SERVER);
  add_members (self, base_object, FERRY_CONFLICT_SIDE_BASE);
  for (guint i = 0; i < self->members->len; i++)
    classify (self, g_ptr_array_index (self->members, i));

  return g_steal_pointer (&self);
}

void
ferry_conflict_model_free (FerryConflictModel *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->members);
  g_free (self);
}

/**
 * ferry_conflict_model_get_has_base:
 * @self: a model
 *
 * Returns: whether the base was known (without it, every member that
 *   differs counts as changed on both sides)
 */
gboolean
ferry_conflict_model_get_has_base (FerryConflictModel *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_base;
}

guint
ferry_conflict_model_get_n_members (FerryConflictModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->members->len;
}

/**
 * ferry_conflict_model_find:
 * @self: a model
 * @name: a member name
 *
 * Returns: the index of the member called @name, or -1
 */
int
ferry_conflict_model_find (FerryConflictModel *self,
                           const char         *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (g_str_equal (member->name, name))
        return (int) i;
    }
  return -1;
}

const char *
ferry_conflict_model_get_name (FerryConflictModel *self,
                               guint               index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->name : NULL;
}

/**
 * ferry_conflict_model_get_value:
 * @self: a model
 * @index: a member
 * @side: which document
 *
 * Returns: (transfer none) (nullable): the member's value in @side, or
 *   %NULL when @side has no such member
 */
JsonNode *
ferry_conflict_model_get_value (FerryConflictModel *self,
                                guint               index,
                                FerryConflictSide   side)
{
  Member *member = get_member (self, index);

  g_return_val_if_fail (side <= FERRY_CONFLICT_SIDE_SERVER, NULL);
  return member != NULL ? member->values[side] : NULL;
}

/**
 * ferry_conflict_model_dup_text:
 * @self: a model
 * @index: a member
 * @side: which document
 *
 * Returns: (transfer full) (nullable): the value as compact JSON (strings
 *   quoted, objects and arrays on one line), or %NULL when absent
 */
char *
ferry_conflict_model_dup_text (FerryConflictModel *self,
                               guint               index,
                               FerryConflictSide   side)
{
  JsonNode *value = ferry_conflict_model_get_value (self, index, side);

  return value != NULL ? json_to_string (value, FALSE) : NULL;
}

FerryConflictChange
ferry_conflict_model_get_change (FerryConflictModel *self,
                                 guint               index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->change : FERRY_CONFLICT_CHANGE_NONE;
}

/**
 * ferry_conflict_model_get_choice:
 * @self: a model
 * @index: a member
 *
 * Returns: the side whose value the result takes: at first the side that
 *   changed it, mine when both did
 */
FerryConflictSide
ferry_conflict_model_get_choice (FerryConflictModel *self,
                                 guint               index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->choice : FERRY_CONFLICT_SIDE_MINE;
}

/**
 * ferry_conflict_model_set_choice:
 * @self: a model
 * @index: a member
 * @side: %FERRY_CONFLICT_SIDE_MINE or %FERRY_CONFLICT_SIDE_SERVER
 *
 * Makes the result take the member's value from @side; when @side has no
 * such member, the result has none either.
 */
void
ferry_conflict_model_set_choice (FerryConflictModel *self,
                                 guint               index,
                                 FerryConflictSide   side)
{
  Member *member = get_member (self, index);

  g_return_if_fail (side == FERRY_CONFLICT_SIDE_MINE || side == FERRY_CONFLICT_SIDE_SERVER);
  if (member != NULL)
    member->choice = side;
}

/**
 * ferry_conflict_model_dup_result:
 * @self: a model
 *
 * Returns: (transfer full): the object the choices make, its members in
 *   the order of the local change, then the server's additions
 */
JsonNode *
ferry_conflict_model_dup_result (FerryConflictModel *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *root;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);
      JsonNode *value = member->values[member->choice];

      if (value != NULL)
        json_object_set_member (object, member->name, json_node_copy (value));
    }

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, object);
  return root;
}

/**
 * ferry_conflict_model_dup_document:
 * @self: a model
 *
 * Returns: (transfer full): ferry_conflict_model_dup_result() as
 *   indented JSON text, what the window shows and sends
 */
char *
ferry_conflict_model_dup_document (FerryConflictModel *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (self != NULL, NULL);

  root = ferry_conflict_model_dup_result (self);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
