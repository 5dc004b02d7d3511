#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs a build into a temporary DESTDIR and checks that every file is
# where the freedesktop specifications (and the tools that read them) look
# for it: programs, D-Bus activation and interface, the systemd user unit,
# the GSettings schema, the launcher, the metainfo, the icons, the autostart
# entry, the manual pages, the bash completion and the translations.
# Prints TAP.
#
# Usage: check-install.sh BUILDDIR SOURCEDIR [MESON]

set -u
export LC_ALL=C

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILDDIR SOURCEDIR [MESON]" >&2
  exit 2
fi
build=$1
source_dir=$2
meson=${3:-meson}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root

tests=0
failures=0

ok ()
{
  tests=$((tests + 1))
  echo "ok $tests - $1"
}

not_ok ()
{
  tests=$((tests + 1))
  failures=$((failures + 1))
  echo "not ok $tests - $1"
  [[ $# -gt 1 ]] && printf '# %s\n' "${@:2}"
}

skip ()
{
  tests=$((tests + 1))
  echo "ok $tests - $1 # SKIP $2"
}

# check_file DESCRIPTION PATH [TEST]: PATH (without DESTDIR) was installed.
check_file ()
{
  local what=$1 path=$2 test=${3:--f}
  if test "$test" "$dest$path"; then
    ok "$what: $path"
  else
    not_ok "$what: $path" "missing from the installed tree"
  fi
}

# --no-rebuild: meson test has built the tree already, and a rebuild here
# could relink programs that tests running beside this one are using.
if ! "$meson" install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/install.log" 2>&1; then
  echo "not ok 1 - meson install"
  sed 's/^/# /' "$tmp/install.log"
  echo "1..1"
  exit 1
fi
ok "meson install --destdir"

# The directories as configured, made absolute like meson does.
eval "$("$meson" introspect "$build" --buildoptions | python3 -c '
import json, shlex, sys
options = {o["name"]: o["value"] for o in json.load(sys.stdin)}
prefix = options["prefix"]
for name in ("bindir", "datadir", "mandir", "sysconfdir", "localedir"):
    value = options[name]
    if not value.startswith("/"):
        value = prefix.rstrip("/") + "/" + value
    print(f"{name}={shlex.quote(value)}")
print(f"prefix={shlex.quote(prefix)}")
for name in ("gui", "tray"):
    print(f"opt_{name}={str(options[name]).lower()}")
profile = options["profile"]
print(f"profile={shlex.quote(profile)}")
')" || { echo "Bail out! cannot read the build options of $build"; exit 1; }

app_id=io.github.ferrysync.Ferry
[[ $profile == development ]] && app_id+=.Devel
has_gui=false
[[ $opt_gui == true && -f $source_dir/src/gui/meson.build ]] && has_gui=true
has_tray=false
[[ $opt_tray == true && -f $source_dir/src/tray/meson.build ]] && has_tray=true

# Programs.
check_file "agent" "$bindir/ferryd" -x
check_file "command line" "$bindir/ferryctl" -x
if $has_gui; then
  check_file "window" "$bindir/ferry" -x
else
  skip "window: $bindir/ferry" "the window is not built"
fi

# D-Bus: activation of the agent, pointing at the installed program.
service=$datadir/dbus-1/services/io.github.ferrysync.Ferry.Agent.service
check_file "D-Bus activation" "$service"
if [[ -f $dest$service ]]; then
  if grep -qx "Name=io.github.ferrysync.Ferry.Agent" "$dest$service" &&
     grep -qx "Exec=$bindir/ferryd" "$dest$service"; then
    ok "D-Bus activation starts $bindir/ferryd"
  else
    not_ok "D-Bus activation starts $bindir/ferryd" "$(cat "$dest$service")"
  fi
fi
check_file "D-Bus interface" "$datadir/dbus-1/interfaces/io.github.ferrysync.Ferry1.xml"

# The systemd user unit, where systemd's pkg-config file says (or the default).
unit_dir=$(pkg-config --define-variable=prefix="$prefix" --variable=systemduserunitdir systemd 2>/dev/null)
[[ -n $unit_dir ]] || unit_dir=$prefix/lib/systemd/user
check_file "systemd user unit" "$unit_dir/ferryd.service"

check_file "GSettings schema" "$datadir/glib-2.0/schemas/io.github.ferrysync.Ferry.gschema.xml"

# Launcher, metainfo, icons: with the window they present.
icons=$datadir/icons/hicolor
if [[ $opt_gui == true ]]; then
  desktop=$datadir/applications/$app_id.desktop
  check_file "launcher" "$desktop"
  if [[ -f $dest$desktop ]] && command -v desktop-file-validate >/dev/null; then
    if out=$(desktop-file-validate "$dest$desktop" 2>&1) && [[ -z $out ]]; then
      ok "installed launcher is valid"
    else
      not_ok "installed launcher is valid" "$out"
    fi
  fi
  window_service=$datadir/dbus-1/services/$app_id.service
  check_file "window's D-Bus activation" "$window_service"
  if [[ -f $dest$window_service ]]; then
    if grep -qx "Name=$app_id" "$dest$window_service" &&
       grep -qx "Exec=$bindir/ferry --gapplication-service" "$dest$window_service"; then
      ok "window's D-Bus activation starts $bindir/ferry"
    else
      not_ok "window's D-Bus activation starts $bindir/ferry" "$(cat "$dest$window_service")"
    fi
  fi
  check_file "metainfo" "$datadir/metainfo/$app_id.metainfo.xml"
  check_file "application icon" "$icons/scalable/apps/$app_id.svg"
  check_file "symbolic application icon" "$icons/symbolic/apps/$app_id-symbolic.svg"
else
  skip "launcher, metainfo and application icons" "the window is not built"
fi

# The tray's state icons: every other icon of the source tree.
if $has_tray; then
  found=0
  while IFS= read -r icon; do
    relative=${icon#"$source_dir/data/icons/hicolor/"}
    case $relative in
      */io.github.ferrysync.Ferry.svg | */io.github.ferrysync.Ferry-symbolic.svg) continue ;;
    esac
    found=1
    check_file "tray icon" "$icons/$relative"
  done < <(find "$source_dir/data/icons/hicolor" -name '*.svg' | sort)
  ((found)) || not_ok "tray icons" "no state icons under data/icons/hicolor"

  # The autostart entry that starts the tray at login.
  autostart=$sysconfdir/xdg/autostart
  entry=$(grep -l -- '--background' "$dest$autostart"/*.desktop 2>/dev/null | head -n 1)
  if [[ -n $entry ]]; then
    ok "autostart entry: ${entry#"$dest"}"
  else
    not_ok "autostart entry in $autostart" "no .desktop there starts ferry --background"
  fi
else
  skip "tray icons and autostart entry" "the tray is not built"
fi

# Manual pages.
check_file "manual page" "$mandir/man1/ferryd.1"
check_file "manual page" "$mandir/man1/ferryctl.1"
if [[ $opt_gui == true ]]; then
  check_file "manual page" "$mandir/man1/ferry.1"
fi

# Bash completion, where bash-completion's pkg-config file says (or the default).
completions=$(pkg-config --define-variable=prefix="$prefix" --define-variable=datadir="$datadir" \
                --variable=completionsdir bash-completion 2>/dev/null)
[[ -n $completions ]] || completions=$datadir/bash-completion/completions
check_file "bash completion" "$completions/ferryctl"

# Translations: one catalog per language in po/LINGUAS.
languages=$(sed -e 's/#.*//' "$source_dir/po/LINGUAS" 2>/dev/null | xargs)
if [[ -n $languages ]]; then
  for language in $languages; do
    check_file "translation" "$localedir/$language/LC_MESSAGES/ferry.mo"
  done
else
  skip "translations" "po/LINGUAS lists no language yet"
fi

# Everything meson says it installs is there, and nothing lies outside the
# prefix and sysconfdir.
missing=$("$meson" introspect "$build" --installed | python3 -c '
import json, os, sys
dest = sys.argv[1]
for path in sorted(set(json.load(sys.stdin).values())):
    if not os.path.lexists(dest + path):
        print(path)
' "$dest")
if [[ -z $missing ]]; then
  ok "every file meson lists as installed is there"
else
  not_ok "every file meson lists as installed is there" $missing
fi
outside=$(cd "$dest" && find . \( -type f -o -type l \) | sed 's/^\.//' |
          grep -v -e "^$prefix/" -e "^$sysconfdir/")
if [[ -z $outside ]]; then
  ok "nothing installed outside $prefix and $sysconfdir"
else
  not_ok "nothing installed outside $prefix and $sysconfdir" $outside
fi

echo "1..$tests"
[[ $failures -eq 0 ]]
