#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs a build into a temporary DESTDIR and checks that every file is
# where the freedesktop specifications (and the tools that read them) look
# for it: programs, D-Bus activation and interface, the systemd user unit,
# the GSettings schema, the launcher, the metainfo, the icons, the autostart
# entry, the manual pages, the bash completion, the translations, and
# libferry-1 for apps: the shared library, its headers, pkg-config file,
# introspection data and API reference.
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
for name in ("bindir", "datadir", "mandir", "sysconfdir", "localedir", "libdir", "includedir"):
    value = options[name]
    if not value.startswith("/"):
        value = prefix.rstrip("/") + "/" + value
    print(f"{name}={shlex.quote(value)}")
print(f"prefix={shlex.quote(prefix)}")
for name in ("gui", "tray"):
    print(f"opt_{name}={str(options[name]).lower()}")
for name in ("introspection", "docs"):
    value = str(options.get(name, "false")).lower()
    print(f"opt_{name}={shlex.quote(value)}")
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

# libferry-1: what an app builds and runs against.
check_file "shared library" "$libdir/libferry-1.so.0" -e
check_file "shared library, for the linker" "$libdir/libferry-1.so" -L
real=$(readlink -f "$dest$libdir/libferry-1.so.0")
if [[ -f $real ]] && objdump -p "$real" | grep -q 'SONAME *libferry-1.so.0$'; then
  ok "libferry-1 has the soname libferry-1.so.0"
else
  not_ok "libferry-1 has the soname libferry-1.so.0" "$(objdump -p "$real" 2>&1 | grep SONAME)"
fi
for header in ferry.h ferry-version.h ferry-error.h ferry-client.h ferry-client-enums.h \
              ferry-client-enum-types.h ferry-request.h ferry-resolver.h \
              ferry-resolve-request.h ferry-task-info.h ferry-task-list.h ferry-task-query.h; do
  check_file "header" "$includedir/ferry-1/$header"
done
# Nothing private: every installed header is one ferry.h includes.
stray=$(cd "$dest$includedir/ferry-1" 2>/dev/null && for h in *.h; do
          [[ $h == ferry.h ]] || grep -q "#include \"$h\"" ferry.h || echo "$h"
        done)
if [[ -z $stray ]]; then
  ok "every installed header comes through ferry.h"
else
  not_ok "every installed header comes through ferry.h" $stray
fi
pc=$libdir/pkgconfig/ferry-1.pc
check_file "pkg-config file" "$pc"
if [[ -f $dest$pc ]] && grep -qx "prefix=$prefix" "$dest$pc" &&
   grep -q '^Libs: .*-lferry-1' "$dest$pc" && grep -q '^Cflags: .*/ferry-1' "$dest$pc"; then
  ok "ferry-1.pc links -lferry-1 and includes ferry-1/"
else
  not_ok "ferry-1.pc links -lferry-1 and includes ferry-1/" "$(cat "$dest$pc" 2>&1)"
fi
if [[ -f $build/src/client/Ferry-1.0.gir ]]; then
  check_file "introspection data" "$datadir/gir-1.0/Ferry-1.0.gir"
  check_file "introspection typelib" "$libdir/girepository-1.0/Ferry-1.0.typelib"
elif [[ $opt_introspection == true ]]; then
  not_ok "introspection data" "-Dintrospection=true, but the build made no Ferry-1.0.gir"
else
  skip "introspection data and typelib" "built without introspection"
fi
if [[ -d $build/docs/reference/ferry-1 ]]; then
  check_file "API reference" "$datadir/doc/ferry-1/index.html"
  check_file "API reference: overview" "$datadir/doc/ferry-1/overview.html"
  check_file "API reference: D-Bus interface" "$datadir/doc/ferry-1/dbus.html"
elif [[ $opt_docs == true ]]; then
  not_ok "API reference" "-Ddocs=true, but the build made none"
else
  skip "API reference" "built without gi-docgen"
fi

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
