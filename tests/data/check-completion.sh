#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Drives the ferryctl bash completion as bash does on Tab: COMP_WORDS and
# COMP_CWORD set, the completion function called, COMPREPLY compared with
# what is expected.  Prints TAP.
#
# Usage: check-completion.sh COMPLETION-FILE

set -u
export LC_ALL=C

if [[ $# -ne 1 || ! -r $1 ]]; then
  echo "usage: $0 COMPLETION-FILE" >&2
  exit 2
fi
# shellcheck source=/dev/null
source "$1"

if ! declare -F _ferryctl >/dev/null; then
  echo "Bail out! $1 defines no _ferryctl function"
  exit 1
fi
if [[ $(complete -p ferryctl 2>/dev/null) != *"-F _ferryctl ferryctl"* ]]; then
  echo "Bail out! $1 does not register _ferryctl for ferryctl"
  exit 1
fi

tests=0
failures=0

# check 'EXPECTED REPLIES' WORD... : the last WORD is the one being completed.
check ()
{
  local expected=$1
  local got want
  shift

  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMP_TYPE=9
  COMPREPLY=()
  _ferryctl ferryctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"

  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
  # shellcheck disable=SC2086
  want=$(printf '%s\n' $expected | sort | xargs)
  tests=$((tests + 1))
  if [[ $got == "$want" ]]; then
    echo "ok $tests - ${COMP_WORDS[*]}"
  else
    echo "not ok $tests - ${COMP_WORDS[*]}"
    echo "# expected: $want"
    echo "# got:      $got"
    failures=$((failures + 1))
  fi
}

# Commands and global options.
check 'add list show retry cancel resolve sync pause resume status download upload transfers storage collection doc watch' ferryctl ''
check 'resolve resume retry' ferryctl re
check 'status storage sync show' ferryctl s
check '--help --version' ferryctl -
check 'list' ferryctl --version li

# Each command's options.
check '--state --search --show-secrets' ferryctl list --s
check '--json --show-secrets --help' ferryctl show --
check '--all --help' ferryctl retry --
check '--take' ferryctl resolve 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 --t
check '--conflict --conflict-url --content-type' ferryctl add --con
check '--newest-first --name' ferryctl list --n
check '--json --help' ferryctl watch --
check '--json --help' ferryctl status --
check '--force' ferryctl add --f
check '--wide' ferryctl list --w
check '--strategy' ferryctl add --str
check '--base' ferryctl add --ba
check 'pause resume' ferryctl transfers ''
check 'resume' ferryctl transfers r
check '' ferryctl transfers pause ''
check '--timestamp-pointer' ferryctl add --ti
check '--json --help' ferryctl transfers pause --
check '--app-id --json --help' ferryctl transfers --

# Collections and their documents: subcommands, options, known values.
check 'collection' ferryctl co
check 'add list show sync remove' ferryctl collection ''
check 'show sync' ferryctl collection s
check '' ferryctl collection add ''
check '--help' ferryctl collection --
check '--protocol' ferryctl collection add --pr
check '--keep-data' ferryctl collection remove --k
check 'couchdb rest' ferryctl collection add --protocol ''
check '--protocol=rest' ferryctl collection add --protocol=r
check 'push pull' ferryctl collection add notes --direction p
check 'merge' ferryctl collection add --strategy m
check '' ferryctl collection add --url ''
check '' ferryctl collection show --protocol ''
check 'put get delete list changes' ferryctl doc ''
check '--dirty' ferryctl doc list --d
check '--since' ferryctl doc changes --s
check '' ferryctl doc list notes ''

# Values of --state, also in a list and in every spelling.
check 'failed' ferryctl list --state f
check 'running' ferryctl list -s r
check 'conflict cancelled' ferryctl list --state c
check 'pending running succeeded failed conflict auth-required cancelled' ferryctl list --state ''
check '--state=auth-required' ferryctl list --state=a
check 'succeeded' ferryctl list --state = su
check 'pending running succeeded failed conflict auth-required cancelled' ferryctl list --state =
check 'failed,conflict failed,cancelled' ferryctl list --state failed,c
check '--state=pending,succeeded' ferryctl list --state=pending,su

# Priorities, unique policies, conflict strategies, resolve choices and
# merge-rule sides, in the window's words.
check 'low medium high critical' ferryctl add --priority ''
check 'low medium high critical' ferryctl download --priority ''
check '--pinned --priority' ferryctl download --p
check '--clean' ferryctl storage --c
check '' ferryctl download --sha256 ''
check 'high' ferryctl add -p h
check 'keep' ferryctl add --unique k
check 'replace' ferryctl add --name note-42 -u r
check 'last-modified-wins' ferryctl add --conflict l
check '--conflict=client-wins --conflict=custom' ferryctl add --conflict=c
check 'mine merged' ferryctl resolve 0f1e2d3c --take m
check 'mine server merged' ferryctl resolve --take ''
check 'ask client-wins server-wins last-modified-wins merge custom' ferryctl add --strategy ''
check 'merge' ferryctl add -s me
check '/title=mine /title=server' ferryctl add --merge-rule /title=
check '/a=b/c=server' ferryctl add --merge-rule /a=b/c=s
check '--merge-rule=/t=mine' ferryctl add --merge-rule=/t=m
check '' ferryctl add --merge-rule /tit

# Free text gets nothing; a state is not offered where it does not belong.
check '' ferryctl add --name ''
check '' ferryctl add --priority p
check '' ferryctl show --state ''

# add's METHOD, skipping options and their values; nothing for the URL.
check 'POST PUT PATCH' ferryctl add P
check 'POST PUT PATCH' ferryctl add --name note-42 --group notes P
check 'POST PUT PATCH' ferryctl add --unmetered P
check 'POST PUT PATCH' ferryctl add --priority = high P
check 'DELETE' ferryctl add --priority=high D
check '' ferryctl add POST ''
check 'GET' ferryctl add --name PUT G
check '' ferryctl add --name PUT PUT ''

# A body read from a file.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
: > "$dir/body.json"
mkdir "$dir/bodies"
check "@$dir/body.json @$dir/bodies/" ferryctl add POST https://example.com/x --data "@$dir/bo"
check "--json=@$dir/body.json" ferryctl add POST https://example.com/x "--json=@$dir/body."
check "@$dir/body.json @$dir/bodies/" ferryctl add PUT https://example.com/x --base "@$dir/bo"
check '' ferryctl add POST https://example.com/x --data '{"a"'

echo "1..$tests"
[[ $failures -eq 0 ]]
