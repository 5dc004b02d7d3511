#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Hands one change to Ferry with ferryctl, the command line for scripts,
# and waits until it is delivered.
#
#   ./ferry-enqueue-ferryctl.sh PUT https://example.org/notes/1 note.json
#
# ferryctl sends the file's bytes exactly (--json checks they are JSON),
# and exits 1 when the agent refuses or cannot be reached, 2 on bad usage.
set -eu

if [ $# -ne 3 ]; then
  echo "Usage: $0 METHOD URL FILE" >&2
  exit 2
fi

id=$(ferryctl add --app-id org.example.FerryDemo --json "@$3" "$1" "$2")
echo "enqueued $id"

tries=0
while :; do
  state=$(ferryctl show --json "$id" | sed -n 's/^ *"state" *: *"\([a-z-]*\)".*/\1/p')
  case $state in
    succeeded)
      echo "delivered $id"
      exit 0 ;;
    failed | cancelled)
      echo "not delivered $id: $state" >&2
      exit 1 ;;
  esac
  tries=$((tries + 1))
  if [ "$tries" -ge 300 ]; then
    echo "Not delivered yet; Ferry keeps trying." >&2
    exit 1
  fi
  sleep 0.2
done
