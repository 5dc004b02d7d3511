/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-json-merge"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ferry-json-merge.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The input is split in three at the first two NUL bytes: base, local and
 * remote.  Whatever they hold, the merge must answer (a result or an
 * error) without crashing or leaking. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *parts[3] = { data, NULL, NULL };
  size_t lengths[3] = { size, 0, 0 };
  GBytes *documents[3];
  FerryMergeResult *result;
  GError *error = NULL;
  static const char * const rules[] = { "/a", "remote", "/b/c", "local", NULL };

  for (int part = 1; part < 3; part++)
    {
      const uint8_t *nul = memchr (parts[part - 1], 0, lengths[part - 1]);

      if (nul == NULL)
        break;
      parts[part] = nul + 1;
      lengths[part] = lengths[part - 1] - (size_t) (parts[part] - parts[part - 1]);
      lengths[part - 1] = (size_t) (nul - parts[part - 1]);
    }
  for (int i = 0; i < 3; i++)
    documents[i] = parts[i] != NULL ? g_bytes_new (parts[i], lengths[i]) : NULL;

  result = ferry_json_merge (documents[0], documents[1], documents[2],
                             size % 2 == 0 ? rules : NULL, &error);
  if (result != NULL)
    {
      char *value = NULL;

      g_assert (error == NULL);
      g_assert (result->merged != NULL);
      /* What the merge wrote is JSON again. */
      if (!ferry_json_get_pointer (result->merged, "/a", &value, NULL))
        g_error ("the merge produced a document that is not JSON");
      g_free (value);
      ferry_merge_result_free (result);
    }
  else
    {
      g_assert (error != NULL);
      g_error_free (error);
    }
  for (int i = 0; i < 3; i++)
    g_clear_pointer (&documents[i], g_bytes_unref);
  return 0;
}
