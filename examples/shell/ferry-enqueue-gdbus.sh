#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Hands one change to Ferry with nothing but gdbus, and waits until it is
# delivered.
#
#   ./ferry-enqueue-gdbus.sh PUT https://example.org/notes/1 note.json
#
# The body travels as a D-Bus byte array (ay).  Written as a string,
# b'...', gdbus would send a trailing NUL byte the server would get too,
# so the bytes of FILE are spelled out one by one: @ay [0x7b, 0x22, ...].
set -eu

if [ $# -ne 3 ]; then
  echo "Usage: $0 METHOD URL FILE" >&2
  exit 2
fi
method=$1
url=$2
file=$3

dest=io.github.ferrysync.Ferry.Agent
path=/io/github/ferrysync/Ferry
iface=io.github.ferrysync.Ferry1

# The body as a GVariant byte array: every byte of the file, nothing more.
bytes=$(od -An -v -tx1 "$file" | tr -s ' \n' ' ' | sed -e 's/^ //' -e 's/ $//' \
        -e 's/\([0-9a-f][0-9a-f]\)/0x\1/g' -e 's/ /, /g')
body="@ay [$bytes]"
[ -s "$file" ] || body="@ay []"

# The app-id key names the owner; without it an unsandboxed caller is
# the name of its executable: gdbus.  (A URL with a quote in it would
# need escaping here.)
reply=$(gdbus call --session --dest "$dest" --object-path "$path" \
  --method "$iface.Enqueue" \
  "{'method': <'$method'>, 'url': <'$url'>, 'body': <$body>,
    'content-type': <'application/json'>, 'app-id': <'org.example.FerryDemo'>}")
# ('0b8f…',)
id=$(printf '%s\n' "$reply" | sed -e "s/^('//" -e "s/',)\$//")
echo "enqueued $id"

# Wait for delivery: ask for the task's state until it is settled.
tries=0
while :; do
  task=$(gdbus call --session --dest "$dest" --object-path "$path" \
           --method "$iface.Get" "$id")
  case $task in
    *"'state': <'succeeded'>"*)
      echo "delivered $id"
      exit 0 ;;
    *"'state': <'failed'>"* | *"'state': <'cancelled'>"*)
      echo "not delivered $id" >&2
      exit 1 ;;
  esac
  tries=$((tries + 1))
  if [ "$tries" -ge 300 ]; then
    echo "Not delivered yet; Ferry keeps trying." >&2
    exit 1
  fi
  sleep 0.2
done
