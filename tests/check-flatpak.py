#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without building it (no runtime is needed):
it is valid JSON, its local sources exist, its id, command and permissions
agree with the launcher, the metainfo and the agent's D-Bus service file,
and it asks for nothing beyond the minimal set of permissions.

Usage: check-flatpak.py SOURCEDIR

Prints TAP.
"""

import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

MANIFEST = 'flatpak/io.github.ferrysync.Ferry.json'

# The whole of what Ferry may ask for.  Notifications, running in the
# background and starting at login go through portals, which need no
# permission.
REQUIRED_ARGS = {
    '--share=network',        # ferryd delivers to servers
    '--share=ipc',            # X11 shared memory
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',           # GL rendering of GTK 4
    '--talk-name=org.kde.StatusNotifierWatcher',  # the tray icon
}
ALLOWED_ARGS = REQUIRED_ARGS | {
    '--own-name=io.github.ferrysync.Ferry.Agent',  # ferryd's bus name
}
REQUIRED_CLEANUP = {'/include', '/lib/pkgconfig', '/share/pkgconfig', '*.a', '*.la'}
# libferry-1 is built like everywhere else, but an app bundle exports no
# library to other apps, and Ferry's own programs link it statically:
# neither the library nor its introspection data and reference stay.
LIBRARY_CLEANUP = {'/share/gir-1.0', '/lib/girepository-1.0', '/lib/libferry-1.so*',
                   '/share/doc'}

tests = 0
failures = 0


def check(ok, name, detail=''):
    global tests, failures
    tests += 1
    print(('ok' if ok else 'not ok') + f' {tests} - {name}')
    if not ok:
        failures += 1
        for line in str(detail).strip().splitlines():
            print('# ' + line)
    return ok


def read_keyfile(path, substitutions):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for key, value in substitutions.items():
        text = text.replace(f'@{key}@', value)
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(text, source=path)
    return parser


def module_sources(modules, manifest_dir):
    """(module name, source) for every source of every module, nested too."""
    for module in modules:
        if isinstance(module, str):
            # A module kept in a file of its own, relative to the manifest.
            yield module, {'type': 'file', 'path': module}
            continue
        for source in module.get('sources', []):
            yield module.get('name', '?'), source
        yield from module_sources(module.get('modules', []), manifest_dir)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = sys.argv[1]
    manifest_path = os.path.join(top, MANIFEST)
    manifest_dir = os.path.dirname(manifest_path)

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        check(False, f'{MANIFEST} is valid JSON', error)
        print(f'1..{tests}')
        return 1
    check(isinstance(manifest, dict), f'{MANIFEST} is valid JSON')

    # The application id the build gives the launcher, metainfo and icon.
    with open(os.path.join(top, 'meson.build'), encoding='utf-8') as f:
        match = re.search(r"^app_id = '([^']+)'", f.read(), re.MULTILINE)
    app_id = match.group(1) if match else None
    check(app_id is not None, 'meson.build sets app_id')
    app_id = app_id or ''
    subst = {'APP_ID': app_id, 'GETTEXT_PACKAGE': 'ferry',
             'bindir': '/app/bin'}

    check(manifest.get('id') == app_id, f'id is the application id {app_id}',
          f"id: {manifest.get('id')!r}")
    check(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is org.gnome.Platform')
    check(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is org.gnome.Sdk')
    check(re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))) is not None,
          'runtime-version is a stable GNOME release', manifest.get('runtime-version'))

    # Local sources exist.
    modules = manifest.get('modules', [])
    check(bool(modules), 'has modules')
    for name, source in module_sources(modules, manifest_dir):
        paths = []
        if 'path' in source:
            paths.append(source['path'])
        paths += source.get('paths', [])
        for path in paths:
            full = os.path.normpath(os.path.join(manifest_dir, path))
            check(os.path.exists(full), f'module {name}: source {path} exists', full)

    # The module that builds Ferry.
    ferry = [m for m in modules if isinstance(m, dict) and m.get('name') == 'ferry']
    if check(len(ferry) == 1, 'one module named ferry'):
        module = ferry[0]
        opts = module.get('config-opts', [])
        check(module.get('buildsystem') == 'meson', 'ferry is built with meson')
        check('-Dtests=false' in opts, 'ferry is built with -Dtests=false', opts)
        check('-Ddocs=false' in opts, 'ferry is built without the API reference (-Ddocs=false)',
              opts)
        check(not any(o.startswith('-Dintrospection') for o in opts),
              'libferry-1 is built as everywhere else (introspection left to its default)', opts)
        # ferryd's activation file says @bindir@/ferryd: right only when
        # meson's bindir is the Flatpak's /app/bin.
        check(not any(o.startswith(('--prefix', '-Dprefix', '--bindir', '-Dbindir'))
                      for o in opts),
              'prefix and bindir are left to flatpak-builder (/app, /app/bin)', opts)
        sources = module.get('sources', [])
        check(any(s.get('type') == 'dir' and
                  os.path.normpath(os.path.join(manifest_dir, s.get('path', ''))) ==
                  os.path.normpath(top) for s in sources),
              'ferry is built from this repository (a dir source at the top)', sources)
        post_install = ' '.join(module.get('post-install', []))
    else:
        post_install = ''

    # The launcher: its name, command and icon.
    desktop_in = os.path.join(top, 'data', 'io.github.ferrysync.Ferry.desktop.in')
    desktop = read_keyfile(desktop_in, subst)
    entry = desktop['Desktop Entry']
    command = manifest.get('command')
    exec_line = entry.get('Exec', '').split()
    check(bool(exec_line) and exec_line[0] == command,
          f'command {command!r} is what the launcher runs', entry.get('Exec'))
    check(entry.get('Icon') == app_id, 'the launcher\'s icon is named after the id',
          entry.get('Icon'))
    dbus_activatable = entry.get('DBusActivatable', 'false') == 'true'

    # The metainfo.
    metainfo_in = os.path.join(top, 'data', 'io.github.ferrysync.Ferry.metainfo.xml.in')
    with open(metainfo_in, encoding='utf-8') as f:
        text = f.read()
    for key, value in subst.items():
        text = text.replace(f'@{key}@', value)
    component = ElementTree.fromstring(text)
    check(component.findtext('id') == app_id, 'the metainfo id is the id',
          component.findtext('id'))
    check(component.findtext("launchable[@type='desktop-id']") == app_id + '.desktop',
          'the metainfo launches the launcher')
    binaries = {b.text for b in component.findall('provides/binary')}
    check(command in binaries, f'the metainfo provides the command {command}', binaries)

    # finish-args: the minimal set, no more.
    args = manifest.get('finish-args', [])
    check(len(args) == len(set(args)), 'finish-args has no duplicates', args)
    extra = sorted(set(args) - ALLOWED_ARGS)
    check(not extra, 'finish-args asks for nothing beyond the minimal set',
          '\n'.join(extra))
    missing = sorted(REQUIRED_ARGS - set(args))
    check(not missing, 'finish-args has all Ferry needs', '\n'.join(missing))

    # The agent's D-Bus service: exported by Flatpak only under the app's
    # id, owned by ferryd inside the sandbox, run from /app/bin.
    service_in = os.path.join(top, 'data', 'io.github.ferrysync.Ferry.Agent.service.in')
    service = read_keyfile(service_in, subst)['D-BUS Service']
    name = service.get('Name', '')
    check(name == app_id or name.startswith(app_id + '.'),
          f'the D-Bus service {name} is one Flatpak exports for {app_id}')
    check(f'--own-name={name}' in args, f'finish-args names the bus name {name}', args)
    check(service.get('Exec') == '/app/bin/ferryd',
          'the D-Bus service runs /app/bin/ferryd', service.get('Exec'))
    if 'SystemdService' in service:
        # Flatpak exports the file as it is, and no systemd unit with it:
        # a session bus that defers to systemd would fail to start ferryd.
        check('SystemdService' in post_install and
              'io.github.ferrysync.Ferry.Agent.service' in post_install,
              'the exported D-Bus service does not defer to a systemd unit',
              post_install)
    # A D-Bus activatable launcher is started by calling its own id on the
    # bus: the window owns the id, the agent a name of its own.
    check(dbus_activatable, 'the launcher is D-Bus activatable')
    check(name != app_id, f'the agent owns {name}, not the window\'s id {app_id}')
    window_in = os.path.join(top, 'data', 'io.github.ferrysync.Ferry.service.in')
    window_service = read_keyfile(window_in, subst)['D-BUS Service']
    check(window_service.get('Name') == app_id, 'the window is activated under the id',
          window_service.get('Name'))
    check(window_service.get('Exec') == '/app/bin/ferry --gapplication-service',
          'the window\'s D-Bus service runs /app/bin/ferry', window_service.get('Exec'))

    # cleanup
    cleanup = set(manifest.get('cleanup', []))
    missing = sorted(REQUIRED_CLEANUP - cleanup)
    check(not missing, 'cleanup drops headers, pkg-config files and static libraries',
          '\n'.join(missing))
    missing = sorted(LIBRARY_CLEANUP - cleanup)
    check(not missing, 'cleanup drops libferry-1, its introspection data and reference',
          '\n'.join(missing))

    print(f'1..{tests}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
