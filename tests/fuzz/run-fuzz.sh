#!/bin/sh
# Builds the JSON merge with clang's libFuzzer and AddressSanitizer (leak
# checking included) and runs it for a bounded time from the seed corpus.
# Usage: run-fuzz.sh CLANG SOURCE_ROOT BUILD_ROOT SECONDS
set -eu
clang=$1
src=$2
build=$3
seconds=$4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

flags=$(pkg-config --cflags --libs json-glib-1.0 gio-2.0)
# shellcheck disable=SC2086
"$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DFERRY_COMPILATION -I"$build" -I"$src/src/engine" -I"$src/src/engine/outbox" \
  "$src/tests/fuzz/fuzz-json-merge.c" \
  "$src/src/engine/outbox/ferry-json-merge.c" \
  "$src/src/engine/ferry-error.c" \
  $flags -o "$work/fuzz-json-merge"

mkdir -p "$work/corpus"
cp "$src"/tests/fuzz/corpus/* "$work/corpus/"
ASAN_OPTIONS=detect_leaks=1 \
  "$work/fuzz-json-merge" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 "$work/corpus"
