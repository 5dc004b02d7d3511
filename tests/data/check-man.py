#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a manual page: groff and man format it without a warning, and,
given the program it documents, every long option of the program's --help
(and of each of its commands' --help) is described in it.

Usage: check-man.py PAGE [PROGRAM]

Prints TAP; skips when groff or man is not installed.
"""

import os
import re
import shutil
import subprocess
import sys

tests = 0
failures = 0


def result(ok, name, detail=''):
    global tests, failures
    tests += 1
    print(('ok' if ok else 'not ok') + f' {tests} - {name}')
    if not ok:
        failures += 1
        for line in detail.strip().splitlines():
            print('# ' + line)


def run(argv, env=None):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env, timeout=60)


def help_text(argv):
    # Not the user's locale: the options are looked for in English.
    env = dict(os.environ, LC_ALL='C.UTF-8', LANG='C.UTF-8')
    proc = run(argv + ['--help'], env)
    if proc.returncode != 0:
        raise RuntimeError(f'{" ".join(argv)} --help exited with {proc.returncode}:\n'
                           + proc.stderr)
    return proc.stdout


def long_options(text):
    # --help-all, --help-gapplication and the like only list more help.
    return {option for option in re.findall(r'^\s+(?:-\w, )?(--[\w-]+)', text, re.MULTILINE)
            if not option.startswith('--help-')}


def commands(text):
    """The commands a "Commands:" section of --help lists."""
    found = []
    inside = False
    for line in text.splitlines():
        if line.strip() == 'Commands:':
            inside = True
        elif inside and not line.strip():
            break
        elif inside:
            found.append(line.split()[0])
    return found


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    page = sys.argv[1]
    program = sys.argv[2] if len(sys.argv) == 3 else None
    name = os.path.basename(page)

    for tool in ('groff', 'man'):
        if shutil.which(tool) is None:
            print(f'1..0 # SKIP {tool} is not installed (groff-base, man-db)')
            return 0

    # Every warning groff knows, with the man macros.
    proc = run(['groff', '-man', '-ww', '-z', page])
    result(proc.returncode == 0 and not proc.stderr, f'{name}: groff -man -ww',
           proc.stderr)

    # As man shows it, at a fixed width.
    env = dict(os.environ, MANWIDTH='80', LC_ALL='C.UTF-8', MAN_KEEP_STDERR='1')
    env.pop('MANPAGER', None)
    env.pop('PAGER', None)
    proc = run(['man', '--warnings', '-E', 'UTF-8', '-l', page], env)
    result(proc.returncode == 0 and not proc.stderr and proc.stdout.strip(),
           f'{name}: man --warnings', proc.stderr)

    with open(page, encoding='utf-8') as f:
        source = f.read()
    # The page's words as they print: escapes for hyphens and fonts undone.
    plain = re.sub(r'\\f[BIRP]', '', source).replace('\\-', '-')

    result(re.search(r'^\.TH ', source, re.MULTILINE) is not None, f'{name}: has .TH')
    for section in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'EXIT STATUS', 'SEE ALSO'):
        result(re.search(rf'^\.SH "?{section}"?$', source, re.MULTILINE) is not None,
               f'{name}: has {section}')

    if program is None:
        print(f'1..{tests}')
        return 1 if failures else 0

    try:
        top = help_text([program])
        options = long_options(top)
        subcommands = commands(top)
        for command in subcommands:
            result(re.search(rf'^\.SS "?{re.escape(command)}\b', source, re.MULTILINE)
                   is not None, f'{name}: describes the command {command}')
            options |= long_options(help_text([program, command]))
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as error:
        result(False, f'{name}: {os.path.basename(program)} --help', str(error))
        options = set()

    for option in sorted(options):
        result(re.search(rf'{re.escape(option)}(?![\w-])', plain) is not None,
               f'{name}: describes {option}')

    print(f'1..{tests}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
