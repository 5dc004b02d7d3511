#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Holds libferry-1's public surface to what it promises: the soname has a
version; the library exports only `ferry_` symbols, each of them in the
introspection data (so bindings reach it) and each introspected function
exported; every class, record, enum, function, parameter, return value,
property, signal and constant there has a doc comment; FerryError is the
error domain; every method, property and signal of the D-Bus interface
has its counterpart in the library, so no call an app needs is missing;
and, when gi-docgen is there, `gi-docgen check` finds nothing
undocumented.

Usage: check-public-api.py LIBRARY GIR INTERFACE.xml

Prints TAP.
"""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'

tests = 0
failures = 0


def check(ok, name, detail=''):
    global tests, failures
    tests += 1
    print(('ok' if ok else 'not ok') + f' {tests} - {name}', flush=True)
    if not ok:
        failures += 1
        for line in str(detail).strip().splitlines():
            print('# ' + line, flush=True)
    return ok


def has_doc(element):
    doc = element.find(CORE + 'doc')
    return doc is not None and (doc.text or '').strip() != ''


def undocumented(namespace):
    """Names of whatever in the GIR lacks a doc comment."""
    missing = []
    callables = ('function', 'method', 'constructor', 'virtual-method')
    for kind in ('class', 'record', 'enumeration', 'bitfield', 'interface', 'callback',
                 'constant', 'function'):
        for node in namespace.findall(CORE + kind):
            name = node.get('name')
            if not has_doc(node) and not (kind == 'record' and node.get(GLIB + 'is-gtype-struct-for')):
                missing.append(f'{kind} {name}')
            for member in node.findall(CORE + 'member'):
                if not has_doc(member):
                    missing.append(f'{name} member {member.get("name")}')
            for prop in node.findall(CORE + 'property'):
                if not has_doc(prop):
                    missing.append(f'{name}:{prop.get("name")}')
            for signal in node.findall(GLIB + 'signal'):
                if not has_doc(signal):
                    missing.append(f'{name}::{signal.get("name")}')
            for child in [node] if kind == 'function' else \
                    [c for k in callables for c in node.findall(CORE + k)] + node.findall(GLIB + 'signal'):
                if child is not node and not has_doc(child) and child.tag != GLIB + 'signal':
                    missing.append(f'{child.get(C + "identifier") or child.get("name")}')
                what = child.get(C + 'identifier') or f'{name}::{child.get("name")}'
                params = child.find(CORE + 'parameters')
                if params is not None:
                    for param in params.findall(CORE + 'parameter'):
                        if not has_doc(param):
                            missing.append(f'{what} parameter {param.get("name")}')
                ret = child.find(CORE + 'return-value')
                if ret is not None:
                    rtype = ret.find(CORE + 'type')
                    void = rtype is not None and rtype.get('name') == 'none'
                    if not void and not has_doc(ret):
                        missing.append(f'{what} return value')
    return missing


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    library, gir, interface_xml = sys.argv[1:]

    dynamic = subprocess.run(['objdump', '-p', library], capture_output=True, text=True)
    soname = re.search(r'SONAME\s+(\S+)', dynamic.stdout)
    check(soname is not None and soname.group(1) == 'libferry-1.so.0',
          'the soname is libferry-1.so.0', soname.group(1) if soname else dynamic.stderr)

    nm = subprocess.run(['nm', '-D', '--defined-only', library], capture_output=True,
                        text=True)
    check(nm.returncode == 0, 'nm reads the exported symbols', nm.stderr)
    exported = set()
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            exported.add(parts[2])
    check(bool(exported), 'the library exports symbols')
    stray = sorted(s for s in exported if not s.startswith('ferry_'))
    check(not stray, 'every exported symbol starts with ferry_', '\n'.join(stray))

    tree = ElementTree.parse(gir)
    repository = tree.getroot()
    namespace = repository.find(CORE + 'namespace')
    check(namespace is not None and namespace.get('name') == 'Ferry' and
          namespace.get('version') == '1.0', 'the GIR is namespace Ferry, version 1.0')
    check(namespace.get(C + 'identifier-prefixes') == 'Ferry' and
          namespace.get(C + 'symbol-prefixes') == 'ferry',
          'identifier prefix Ferry, symbol prefix ferry')
    # A build with -Db_sanitize names the sanitizer runtimes first.
    libraries = [name for name in namespace.get('shared-library', '').split(',')
                 if not name.startswith(('libasan.', 'libubsan.'))]
    check(libraries == ['libferry-1.so.0'],
          'the typelib loads libferry-1.so.0', namespace.get('shared-library'))
    includes = {i.get('c:include') or i.get('name') for i in repository.findall(C + 'include')}
    check(includes == {'ferry.h'}, 'apps are told to include ferry.h only', includes)

    introspected = set()
    for element in repository.iter():
        for attribute in (C + 'identifier', GLIB + 'get-type', GLIB + 'type-name'):
            value = element.get(attribute)
            if value and attribute != GLIB + 'type-name':
                introspected.add(value)
    functions = {e.get(C + 'identifier') for e in repository.iter()
                 if e.tag in (CORE + 'function', CORE + 'method', CORE + 'constructor')}
    hidden = sorted(exported - introspected)
    check(not hidden, 'every exported symbol is in the introspection data', '\n'.join(hidden))
    unexported = sorted(f for f in functions if f not in exported)
    check(not unexported, 'every introspected function is exported', '\n'.join(unexported))

    missing = undocumented(namespace)
    check(not missing, 'everything in the introspection data is documented',
          '\n'.join(sorted(set(missing))))

    # Usable from bindings: nothing but the C macros is left out, every
    # _async has its _finish, and its callback lives until it is called.
    skipped = sorted(e.get(C + 'identifier') or e.get('name') for e in namespace.iter()
                     if e.get('introspectable') == '0' and e.tag != CORE + 'function-macro')
    check(not skipped, 'bindings can call everything', '\n'.join(skipped))
    asyncs = [e for e in namespace.iter()
              if e.tag in (CORE + 'method', CORE + 'function', CORE + 'constructor')
              and (e.get(C + 'identifier') or '').endswith('_async')]
    unpaired = []
    for function in asyncs:
        identifier = function.get(C + 'identifier')
        if identifier[:-len('_async')] + '_finish' not in functions:
            unpaired.append(f'{identifier}: no _finish')
        callbacks = [p for p in function.iter(CORE + 'parameter')
                     if (p.find(CORE + 'type') is not None and
                         p.find(CORE + 'type').get('name') == 'Gio.AsyncReadyCallback')]
        if len(callbacks) != 1 or callbacks[0].get('scope') != 'async':
            unpaired.append(f'{identifier}: callback scope is not async')
    check(asyncs and not unpaired, f'{len(asyncs)} _async functions, each with its _finish '
          'and an async-scoped callback', '\n'.join(unpaired))

    errors = [e for e in namespace.findall(CORE + 'enumeration')
              if e.get(GLIB + 'error-domain') == 'ferry-error-quark']
    check(len(errors) == 1 and errors[0].get('name') == 'Error',
          'FerryError is the error domain ferry-error-quark',
          [e.get('name') for e in errors])

    # The D-Bus API, member by member, against the library.
    classes = {c.get('name'): c for c in namespace.findall(CORE + 'class')}

    def members(class_name, tag):
        node = classes.get(class_name)
        return set() if node is None else {m.get('name') for m in node.findall(tag)}

    def kebab(name):
        return re.sub(r'(?<!^)(?=[A-Z])', '-', name).lower()

    interfaces = {i.get('name'): i for i in ElementTree.parse(interface_xml).getroot()
                  .findall('interface')}
    agent = interfaces.get('io.github.ferrysync.Ferry1')
    resolver = interfaces.get('io.github.ferrysync.Ferry1.Resolver')
    check(agent is not None and resolver is not None, 'the D-Bus interfaces are there')
    client_methods = members('Client', CORE + 'method')
    client_properties = members('Client', CORE + 'property')
    client_signals = members('Client', GLIB + 'signal')
    missing = []
    for method in agent.findall('method'):
        snake = kebab(method.get('name')).replace('-', '_')
        for suffix in ('_async', '_finish'):
            if snake + suffix not in client_methods:
                missing.append(f'method {method.get("name")}: ferry_client_{snake}{suffix}()')
    for prop in agent.findall('property'):
        # Progress (done, total) is two properties.
        wanted = (['progress-done', 'progress-total'] if prop.get('name') == 'Progress'
                  else [kebab(prop.get('name'))])
        missing += [f'property {prop.get("name")}: FerryClient:{w}'
                    for w in wanted if w not in client_properties]
    # Followed inside the library, and shown to apps as a property.
    shown_as = {'Moving': 'agent-owner'}
    for signal in agent.findall('signal'):
        name = signal.get('name')
        if name in shown_as:
            if shown_as[name] not in client_properties:
                missing.append(f'signal {name}: FerryClient:{shown_as[name]}')
        elif kebab(name) not in client_signals:
            missing.append(f'signal {name}: FerryClient::{kebab(name)}')
    for method in resolver.findall('method'):
        if kebab(method.get('name')) not in members('Resolver', GLIB + 'signal'):
            missing.append(f'Resolver method {method.get("name")}: FerryResolver::'
                           f'{kebab(method.get("name"))}')
    check(not missing, 'every method, property and signal of the D-Bus API has its '
          'counterpart in libferry-1', '\n'.join(missing))

    gi_docgen = shutil.which('gi-docgen')
    if gi_docgen is None:
        print(f'ok {tests + 1} - gi-docgen check # SKIP gi-docgen is not installed')
        globals()['tests'] += 1
    else:
        result = subprocess.run([gi_docgen, 'check', gir], capture_output=True, text=True)
        warnings = [line for line in (result.stdout + result.stderr).splitlines()
                    if 'WARNING' in line or 'ERROR' in line]
        check(result.returncode == 0 and not warnings, 'gi-docgen check finds nothing missing',
              '\n'.join(warnings) or result.stderr)

    print(f'1..{tests}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
