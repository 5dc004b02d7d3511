#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the source tree: every file with a string
# marked for translation is listed (or its strings never reach ferry.pot and
# so never get translated), and every file listed exists (or xgettext, and so
# the ferry-pot target, fails).  Prints TAP.
#
# Marked strings are found the way xgettext's glib preset finds them: in C,
# calls of _(), N_(), C_(), NC_(), Q_() and of the *gettext() family
# (ngettext, g_dngettext, g_dgettext, g_dpgettext2…), outside comments and
# string literals; in GtkBuilder files, translatable="yes"; desktop entries
# and metainfo files that go through i18n.merge_file; GSettings schemas that
# name a gettext-domain.
#
# Usage: check-potfiles.py SOURCEDIR

import os
import re
import sys

SCANNED_DIRS = ('src', 'ui', 'data')

C_KEYWORD = re.compile(r'(?<![A-Za-z0-9_])'
                       r'(?:_|N_|C_|NC_|Q_|[A-Za-z_]*gettext[A-Za-z0-9_]*)'
                       r'\s*\(')
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.I)
DESKTOP_KEY = re.compile(r'^(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)\s*=',
                         re.M)
SCHEMA_DOMAIN = re.compile(r'gettext-domain\s*=')
SCHEMA_TEXT = re.compile(r'<(?:summary|description)\b')


def strip_c(text):
    """TEXT with comments removed and string and character literals emptied,
    so a keyword only counts where the compiler would see a call."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            out.append(c)
            i += 1
            while i < n and text[i] != c and text[i] != '\n':
                i += 2 if text[i] == '\\' else 1
            out.append(c)
            i += 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def is_translatable(path, text):
    name = os.path.basename(path)
    if name.endswith(('.c', '.h')):
        # A definition of the macros themselves is no use of them.
        code = re.sub(r'^\s*#\s*define\s+\w+.*$', '', strip_c(text), flags=re.M)
        return C_KEYWORD.search(code) is not None
    if name.endswith('.ui'):
        return UI_TRANSLATABLE.search(text) is not None
    if name.endswith('.desktop.in'):
        return DESKTOP_KEY.search(text) is not None
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return True
    if name.endswith('.gschema.xml'):
        return SCHEMA_DOMAIN.search(text) is not None and SCHEMA_TEXT.search(text) is not None
    return False


def read_potfiles(path):
    """The files POTFILES.in lists, with their line numbers."""
    listed = {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # xgettext's --files-from also takes "[type: gettext/glade] file".
            line = re.sub(r'^\[[^]]*\]\s*', '', line)
            listed.setdefault(line, []).append(number)
    return listed


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} SOURCEDIR', file=sys.stderr)
        return 2
    root = sys.argv[1]
    potfiles = os.path.join(root, 'po', 'POTFILES.in')

    tests = 0
    failures = 0

    def result(ok, what, details=()):
        nonlocal tests, failures
        tests += 1
        if not ok:
            failures += 1
        print(f'{"ok" if ok else "not ok"} {tests} - {what}')
        for line in details:
            print(f'# {line}')

    try:
        listed = read_potfiles(potfiles)
    except OSError as e:
        print(f'Bail out! cannot read po/POTFILES.in: {e}')
        return 1

    found = []
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if is_translatable(path, text):
                    found.append(os.path.relpath(path, root))

    for path in found:
        result(path in listed, f'{path} is in po/POTFILES.in',
               () if path in listed else
               ['it has strings marked for translation: add it to po/POTFILES.in'])

    for path, lines in sorted(listed.items()):
        exists = os.path.isfile(os.path.join(root, path))
        result(exists, f'po/POTFILES.in:{lines[0]}: {path} exists',
               () if exists else ['no such file: remove it from po/POTFILES.in'])
        if len(lines) > 1:
            result(False, f'{path} is listed once',
                   [f'po/POTFILES.in lists it on lines {", ".join(map(str, lines))}'])

    print(f'1..{tests}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
