/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-prefetch-stream.h"
#include "ferry-test-util.h"

/*
 * FerryPrefetchStream over a real file: read as libsoup reads a request
 * body (splice into an output stream, 8 KiB at a time), asynchronously in
 * small pieces, and with blocking reads; every way gives the file's bytes
 * exactly, whatever the buffer's size against the file's.
 */

#define WAIT_MS 20000

static GBytes *
pattern (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 131 + i / 251);
  return g_bytes_new_take (data, size);
}

static GInputStream *
open_prefetched (const char *dir,
                 GBytes     *content,
                 gsize       buffer_size)
{
  g_autofree char *path = g_build_filename (dir, "body", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) base = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (content, NULL),
                                      (gssize) g_bytes_get_size (content), NULL));
  base = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  return ferry_prefetch_stream_new (G_INPUT_STREAM (base), buffer_size);
}

static void
remove_body (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "body", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gssize *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error);
  g_assert_no_error (error);
}

/* Spliced the way libsoup sends a body. */
static void
test_splice (void)
{
  static const gsize sizes[][2] = {
    { 0, 4096 }, { 1, 4096 }, { 8192, 8192 }, { 1000003, 65536 }, { 300000, 1000000 },
  };
  g_autofree char *dir = ferry_test_make_temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) content = pattern (sizes[i][0]);
      g_autoptr(GInputStream) stream = open_prefetched (dir, content, sizes[i][1]);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) got = NULL;
      gssize spliced = -2;

      /* Pollable: GIO reads it without a thread per read. */
      g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream)));
      g_output_stream_splice_async (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
                                    NULL, splice_cb, &spliced);
      FERRY_TEST_WAIT (spliced != -2, WAIT_MS);
      g_assert_cmpint (spliced, ==, (gssize) sizes[i][0]);
      got = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      g_assert_true (g_bytes_equal (got, content));
    }
  remove_body (dir);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gssize *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  g_assert_no_error (error);
}

/* Odd-sized asynchronous reads, then blocking reads once the stream said
 * the end. */
static void
test_reads (void)
{
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autoptr(GBytes) content = pattern (100000);
  g_autoptr(GInputStream) stream = open_prefetched (dir, content, 30000);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 piece[7777];
  gssize n;

  do
    {
      n = -2;
      g_input_stream_read_async (stream, piece, sizeof piece, G_PRIORITY_DEFAULT, NULL,
                                 read_cb, &n);
      FERRY_TEST_WAIT (n != -2, WAIT_MS);
      g_byte_array_append (got, piece, (guint) n);
    }
  while (n > 0);
  g_assert_cmpuint (got->len, ==, 100000);
  g_assert_true (memcmp (got->data, g_bytes_get_data (content, NULL), got->len) == 0);
  g_assert_cmpint (g_input_stream_read (stream, piece, sizeof piece, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (g_input_stream_close (stream, NULL, &error));
  g_assert_no_error (error);
  remove_body (dir);
}

/* Blocking reads alone (no fill ever started) read the file through. */
static void
test_blocking (void)
{
  g_autofree char *dir = ferry_test_make_temp_dir ();
  g_autoptr(GBytes) content = pattern (50001);
  g_autoptr(GInputStream) stream = open_prefetched (dir, content, 4096);
  g_autofree guint8 *got = g_malloc (50001);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  g_assert_true (g_input_stream_read_all (stream, got, 50001, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 50001);
  g_assert_true (memcmp (got, g_bytes_get_data (content, NULL), n) == 0);
  remove_body (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/prefetch-stream/splice", test_splice);
  g_test_add_func ("/engine/prefetch-stream/reads", test_reads);
  g_test_add_func ("/engine/prefetch-stream/blocking", test_blocking);

  return g_test_run ();
}
