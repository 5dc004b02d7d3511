/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-conflict-policy"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ferry-json-merge.h"

#include "ferry-conflict-policy.h"

/*
 * The conflict strategies, as one pure decision: given the base, the local
 * change and the server's copy (either of them possibly a deletion), which
 * side wins, or what the merge gives, or that someone must decide.  The
 * outbox applies the decision to a task (sending it again, or keeping the
 * server's answer), collections to a document (pushing it again, or taking
 * the server's copy); the strategies mean the same for both.
 *
 * A deletion cannot be merged with an edit and carries no timestamp, so
 * with a deletion on one side merge only settles it when the other side
 * did not really change, and last-modified-wins asks.
 */

void
ferry_settlement_free (FerrySettlement *settlement)
{
  if (settlement == NULL)
    return;
  g_clear_pointer (&settlement->merged, g_bytes_unref);
  g_free (settlement->message);
  g_free (settlement);
}

static FerrySettlement *
settlement_new (FerrySettleKind  kind,
                const char      *message)
{
  FerrySettlement *settlement = g_new0 (FerrySettlement, 1);

  settlement->kind = kind;
  settlement->message = g_strdup (message);
  return settlement;
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", len, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

/* Whether @a and @b hold the same JSON value (member order aside), or,
 * when either is not JSON, the same bytes. */
static gboolean
same_document (GBytes *a,
               GBytes *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  if (g_bytes_equal (a, b))
    return TRUE;
  node_a = parse_bytes (a);
  node_b = parse_bytes (b);
  if (node_a == NULL || node_b == NULL)
    return FALSE;
  return json_node_equal (node_a, node_b);
}

/**
 * ferry_conflict_parse_time:
 * @text: (nullable): a time as a document gives it
 *
 * Reads RFC 3339 text, or a number of seconds (or milliseconds, when too
 * large for seconds) since the epoch.
 *
 * Returns: the time in microseconds since the epoch, or -1 when @text is
 *   neither
 */
gint64
ferry_conflict_parse_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  char *end = NULL;
  double number;

  if (text == NULL || *text == '\0')
    return -1;
  number = g_ascii_strtod (text, &end);
  if (end != NULL && *end == '\0' && end != text)
    {
      if (number < 0)
        return -1;
      if (number > 1e11)
        number /= 1000.0;
      return (gint64) (number * G_USEC_PER_SEC);
    }
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return -1;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static FerrySettlement *
settle_last_modified (const FerryConflictSides *sides)
{
  const char *pointer = sides->timestamp_pointer != NULL ? sides->timestamp_pointer
                                                         : "/updated_at";
  g_autofree char *local_text = NULL;
  g_autofree char *remote_text = NULL;
  g_autofree char *message = NULL;
  gint64 local_time = -1;
  gint64 remote_time = -1;

  if (ferry_json_get_pointer (sides->local, pointer, &local_text, NULL))
    local_time = ferry_conflict_parse_time (local_text);
  if (ferry_json_get_pointer (sides->remote, pointer, &remote_text, NULL))
    remote_time = ferry_conflict_parse_time (remote_text);

  if (local_time >= 0 && remote_time >= 0 && local_time > remote_time)
    return settlement_new (FERRY_SETTLE_LOCAL, "conflict settled: the local change is newer");
  if (local_time >= 0 && remote_time >= 0 && remote_time > local_time)
    return settlement_new (FERRY_SETTLE_REMOTE, NULL);
  if (local_time < 0 || remote_time < 0)
    message = g_strdup_printf ("conflict: %s is missing or not a time on one side; "
                               "a decision is needed", pointer);
  else
    message = g_strdup_printf ("conflict: both sides changed at the same time (%s); "
                               "a decision is needed", pointer);
  return settlement_new (FERRY_SETTLE_ASK, message);
}

static FerrySettlement *
settle_merge (const FerryConflictSides *sides)
{
  g_autoptr(FerryMergeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) fields = NULL;
  g_autofree char *message = NULL;
  FerrySettlement *settlement;

  result = ferry_json_merge (sides->base, sides->local, sides->remote, sides->merge_rules,
                             &error);
  if (result == NULL)
    {
      message = g_strdup_printf ("conflict: cannot merge (%s); a decision is needed",
                                 error->message);
      return settlement_new (FERRY_SETTLE_ASK, message);
    }
  if (result->conflicts->len > 0)
    {
      fields = g_string_new (NULL);
      for (guint i = 0; i < result->conflicts->len; i++)
        {
          const char *pointer = g_ptr_array_index (result->conflicts, i);

          g_string_append_printf (fields, "%s%s", i > 0 ? ", " : "",
                                  *pointer != '\0' ? pointer : "the whole document");
        }
      message = g_strdup_printf ("conflict: changed on both sides: %s", fields->str);
      return settlement_new (FERRY_SETTLE_ASK, message);
    }
  settlement = settlement_new (FERRY_SETTLE_MERGED, "conflict settled: changes merged");
  settlement->merged = g_bytes_ref (result->merged);
  return settlement;
}

/* The server's copy is gone.  client-wins makes it again from the local
 * change; server-wins drops the local change; merge drops it only when it
 * changed nothing against the base; the others have nothing to compare. */
static FerrySettlement *
settle_remote_deleted (const FerryConflictSides *sides)
{
  switch (sides->strategy)
    {
    case FERRY_CONFLICT_CLIENT_WINS:
      return settlement_new (FERRY_SETTLE_LOCAL,
                             "conflict settled: deleted on the server, created again from the "
                             "local change");
    case FERRY_CONFLICT_SERVER_WINS:
      return settlement_new (FERRY_SETTLE_REMOTE, NULL);
    case FERRY_CONFLICT_MERGE:
      if (same_document (sides->base, sides->local))
        return settlement_new (FERRY_SETTLE_REMOTE, NULL);
      return settlement_new (FERRY_SETTLE_ASK,
                             "conflict: deleted on the server and changed here; a decision is "
                             "needed");
    case FERRY_CONFLICT_LAST_MODIFIED_WINS:
    case FERRY_CONFLICT_CUSTOM:
    case FERRY_CONFLICT_ASK:
    default:
      return settlement_new (FERRY_SETTLE_ASK,
                             "conflict: deleted on the server; a decision is needed");
    }
}

/* The mirror image: deleted here, changed on the server. */
static FerrySettlement *
settle_local_deleted (const FerryConflictSides *sides)
{
  switch (sides->strategy)
    {
    case FERRY_CONFLICT_CLIENT_WINS:
      return settlement_new (FERRY_SETTLE_LOCAL, "conflict settled: the local deletion wins");
    case FERRY_CONFLICT_SERVER_WINS:
      return settlement_new (FERRY_SETTLE_REMOTE, NULL);
    case FERRY_CONFLICT_MERGE:
      if (same_document (sides->base, sides->remote))
        return settlement_new (FERRY_SETTLE_LOCAL,
                               "conflict settled: deleted here, unchanged on the server");
      return settlement_new (FERRY_SETTLE_ASK,
                             "conflict: deleted here and changed on the server; a decision is "
                             "needed");
    case FERRY_CONFLICT_LAST_MODIFIED_WINS:
    case FERRY_CONFLICT_CUSTOM:
    case FERRY_CONFLICT_ASK:
    default:
      return settlement_new (FERRY_SETTLE_ASK,
                             "conflict: deleted here and changed on the server; a decision is "
                             "needed");
    }
}

/**
 * ferry_conflict_settle:
 * @sides: the conflict
 *
 * Applies @sides' strategy.  Pure: nothing is sent or stored.
 *
 * Returns: (transfer full): the decision
 */
FerrySettlement *
ferry_conflict_settle (const FerryConflictSides *sides)
{
  g_return_val_if_fail (sides != NULL, NULL);

  /* Deleted on both sides: they agree. */
  if (sides->local_deleted && sides->remote_deleted)
    return settlement_new (FERRY_SETTLE_REMOTE, NULL);
  if (sides->remote_deleted)
    return settle_remote_deleted (sides);
  if (sides->local_deleted)
    return settle_local_deleted (sides);

  switch (sides->strategy)
    {
    case FERRY_CONFLICT_CLIENT_WINS:
      return settlement_new (FERRY_SETTLE_LOCAL, "conflict settled: the local change wins");
    case FERRY_CONFLICT_SERVER_WINS:
      return settlement_new (FERRY_SETTLE_REMOTE, NULL);
    case FERRY_CONFLICT_LAST_MODIFIED_WINS:
      return settle_last_modified (sides);
    case FERRY_CONFLICT_MERGE:
      return settle_merge (sides);
    case FERRY_CONFLICT_CUSTOM:
      return settlement_new (FERRY_SETTLE_CUSTOM, NULL);
    case FERRY_CONFLICT_ASK:
    default:
      return settlement_new (FERRY_SETTLE_ASK, NULL);
    }
}
