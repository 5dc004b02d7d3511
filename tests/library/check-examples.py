#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Uses Ferry as an app developer would, from what `meson install` puts
on disk, and proves every change of examples/ arrives.

Installs the build into a temporary DESTDIR; compiles the C example with
`pkg-config --cflags --libs ferry-1` there; starts a private session bus
whose service directory activates the *installed* ferryd (with a fixed,
full network and a data directory of its own) and a loopback HTTP server;
then runs the C example, the Python and JavaScript (gjs) examples through
the installed typelib, and the two shell examples (gdbus, and the installed ferryctl), and checks
that the server got each body byte for byte, with no trailing NUL, and
that each task is owned by the app id the example gave.

The snippets of the README's "Use Ferry from your app" run the same way,
their example.org URL replaced by the loopback server's.

Usage: check-examples.py BUILDDIR SOURCEDIR [MESON]

Prints TAP.
"""

import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

APP_ID = 'org.example.FerryDemo'
EXAMPLE_TIMEOUT = 90

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


def skip(name, why):
    global tests
    tests += 1
    print(f'ok {tests} - {name} # SKIP {why}', flush=True)


def bail(why):
    print(f'Bail out! {why}', flush=True)
    sys.exit(1)


class Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps every request it is sent; answers 200 with an empty object."""

    received = []
    lock = threading.Lock()

    def handle_any(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        with Recorder.lock:
            Recorder.received.append((self.command, self.path, body))
        reply = b'{}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


def bodies_for(path):
    with Recorder.lock:
        return [body for (_, p, body) in Recorder.received if p == path]


def wait_for_bodies(path, count, timeout=30):
    """The bodies the server got at @path, once there are @count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received = bodies_for(path)
        if len(received) >= count:
            return received
        time.sleep(0.05)
    return bodies_for(path)


def readme_snippets(source):
    """The code blocks of the README's section for app developers, by
    language."""
    with open(os.path.join(source, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    start = text.index('\n## Use Ferry from your app\n')
    end = text.index('\n## ', start + 1)
    section = text[start:end]
    snippets = {}
    for lang, code in re.findall(r'```(\w+)\n(.*?)```', section, re.S):
        snippets.setdefault(lang, code)
    return snippets


README_URL = 'https://example.org/notes/1'
README_APP_ID = 'org.example.Notes'


def find_python_with_gi():
    for candidate in (sys.executable, '/usr/bin/python3', shutil.which('python3')):
        if not candidate:
            continue
        result = subprocess.run([candidate, '-c', 'import gi'], capture_output=True)
        if result.returncode == 0:
            return candidate
    return None


def run(argv, env, timeout=EXAMPLE_TIMEOUT, **kwargs):
    try:
        return subprocess.run(argv, env=env, capture_output=True, text=True,
                              timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as error:
        # What it printed until then comes as bytes, whatever text says.
        stdout = error.stdout or b''
        if isinstance(stdout, bytes):
            stdout = stdout.decode(errors='replace')
        return subprocess.CompletedProcess(argv, -1, stdout, f'timed out after {timeout} s')


def output_of(result):
    return f'exit {result.returncode}\n{result.stdout}\n{result.stderr}'


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, source = sys.argv[1], sys.argv[2]
    meson = shlex.split(sys.argv[3]) if len(sys.argv) > 3 else ['meson']

    work = tempfile.mkdtemp(prefix='ferry-examples.')
    bus = None
    server = None
    try:
        dest = os.path.join(work, 'root')

        # --no-rebuild: meson test has built the tree, and tests running
        # beside this one use its programs.
        result = subprocess.run(meson + ['install', '-C', build, '--no-rebuild',
                                         '--destdir', dest, '--quiet'],
                                capture_output=True, text=True)
        if not check(result.returncode == 0, 'meson install --destdir', output_of(result)):
            bail('nothing to test without an installed tree')

        options = json.loads(subprocess.run(meson + ['introspect', build, '--buildoptions'],
                                            capture_output=True, text=True,
                                            check=True).stdout)
        options = {o['name']: o['value'] for o in options}
        prefix = options['prefix']

        def installed(name):
            value = options[name]
            if not value.startswith('/'):
                value = os.path.join(prefix, value)
            return dest + value

        libdir = installed('libdir')
        bindir = installed('bindir')

        # A build with -Db_sanitize has a library that needs the sanitizer
        # runtimes loaded first: the C programs are built with the same
        # flags, and the interpreters get the runtimes preloaded (with leak
        # checking off, as Python and gjs leave their heaps to the exit).
        sanitize = options.get('b_sanitize', 'none')
        sanitize_flags = [] if sanitize == 'none' else [f'-fsanitize={sanitize}']
        preload = []
        if sanitize != 'none':
            for runtime, wanted in (('libasan.so', 'address'), ('libubsan.so', 'undefined')):
                if wanted in sanitize:
                    found = subprocess.run(shlex.split(os.environ.get('CC', 'cc')) +
                                           [f'-print-file-name={runtime}'],
                                           capture_output=True, text=True).stdout.strip()
                    preload.append(os.path.realpath(found))

        def interpreter_env(base):
            result = dict(base)
            if preload:
                result['LD_PRELOAD'] = ' '.join(preload)
                result['ASAN_OPTIONS'] = (base.get('ASAN_OPTIONS', '') +
                                          ':detect_leaks=0').lstrip(':')
            return result

        env = dict(os.environ)
        for name in ('DBUS_SESSION_BUS_ADDRESS', 'GI_TYPELIB_PATH', 'LD_LIBRARY_PATH',
                     'PKG_CONFIG_PATH'):
            env.pop(name, None)
        for xdg in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR'):
            env[xdg] = os.path.join(work, xdg.lower())
            os.makedirs(env[xdg], mode=0o700, exist_ok=True)

        # The C example, built as an app would: with pkg-config, from the
        # installed headers and library only.
        # ferry-1.pc as installed, its prefix moved to where it was installed
        # (--define-variable would move GLib's too).
        pc_dir = os.path.join(work, 'pkgconfig')
        os.makedirs(pc_dir)
        with open(os.path.join(libdir, 'pkgconfig', 'ferry-1.pc')) as f:
            pc = f.read()
        check(f'prefix={prefix}\n' in pc, 'ferry-1.pc names the configured prefix', pc)
        with open(os.path.join(pc_dir, 'ferry-1.pc'), 'w') as f:
            f.write(pc.replace(f'prefix={prefix}\n', f'prefix={dest}{prefix}\n', 1))
        env['PKG_CONFIG_PATH'] = pc_dir
        pkg_config = ['pkg-config']
        result = run(pkg_config + ['--exists', '--print-errors', 'ferry-1'], env)
        check(result.returncode == 0, 'pkg-config finds the installed ferry-1', output_of(result))
        flags = run(pkg_config + ['--cflags', '--libs', 'ferry-1'], env)
        cc = shlex.split(os.environ.get('CC', 'cc'))
        example_c = os.path.join(source, 'examples', 'c', 'ferry-enqueue.c')
        program = os.path.join(work, 'ferry-enqueue')
        result = run(cc + sanitize_flags + ['-Wall', '-Werror', '-o', program, example_c] +
                     shlex.split(flags.stdout), env)
        c_built = check(result.returncode == 0,
                        'the C example compiles against the installed ferry-1.pc',
                        output_of(result) + '\nflags: ' + flags.stdout)

        # An app includes <ferry.h> only; the others say so.
        probe = os.path.join(work, 'probe.c')
        with open(probe, 'w') as f:
            f.write('#include <ferry-client.h>\nint main (void) { return 0; }\n')
        result = run(cc + ['-c', '-o', os.path.join(work, 'probe.o'), probe] +
                     shlex.split(run(pkg_config + ['--cflags', 'ferry-1'], env).stdout), env)
        check(result.returncode != 0 and 'Only <ferry.h> can be included directly' in
              result.stderr, 'a header included on its own refuses', output_of(result))

        # The loopback server the changes go to.
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f'http://127.0.0.1:{server.server_address[1]}'

        # A private session bus that activates the installed ferryd.
        services = os.path.join(work, 'services')
        os.makedirs(services)
        ferryd = os.path.join(bindir, 'ferryd')
        data_dir = os.path.join(work, 'data')
        with open(os.path.join(services, 'io.github.ferrysync.Ferry.Agent.service'), 'w') as f:
            f.write('[D-BUS Service]\nName=io.github.ferrysync.Ferry.Agent\n'
                    f'Exec={ferryd} --data-dir {data_dir}\n')
        config = os.path.join(work, 'session.conf')
        with open(config, 'w') as f:
            f.write(f'''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={work}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
''')
        bus_env = dict(env)
        # ferryd, started by the bus, inherits these: a full network that
        # needs no NetworkManager, and settings in memory.
        bus_env['FERRY_TEST_NETWORK'] = 'full'
        bus_env['GSETTINGS_BACKEND'] = 'memory'
        bus = subprocess.Popen(['dbus-daemon', '--config-file', config, '--nofork',
                                '--print-address=1'],
                               env=bus_env, stdout=subprocess.PIPE, text=True)
        address = bus.stdout.readline().strip()
        if not check(address.startswith('unix:'), 'a private session bus', address):
            bail('no bus')
        env['DBUS_SESSION_BUS_ADDRESS'] = address

        # C.
        url = base_url + '/c/note'
        body = '{"title": "from C", "n": 1}'
        if c_built:
            c_env = dict(env)
            c_env['LD_LIBRARY_PATH'] = libdir
            result = run([program, 'PUT', url, body], c_env)
            check(result.returncode == 0 and 'delivered' in result.stdout,
                  'the C example follows its change to delivery', output_of(result))
            check(bodies_for('/c/note') == [body.encode()],
                  'the server got the C example\'s body exactly', bodies_for('/c/note'))
        else:
            skip('the C example follows its change to delivery', 'it did not build')

        # Python, through the installed typelib.
        python = find_python_with_gi()
        typelib = os.path.join(libdir, 'girepository-1.0', 'Ferry-1.0.typelib')
        if not os.path.exists(typelib):
            skip('the Python example', 'built without introspection')
        elif python is None:
            skip('the Python example', 'no Python with PyGObject (python3-gi)')
        else:
            py_env = interpreter_env(env)
            py_env['GI_TYPELIB_PATH'] = os.path.join(libdir, 'girepository-1.0')
            py_env['LD_LIBRARY_PATH'] = libdir
            result = run([python, '-c',
                          'import gi; gi.require_version("Ferry", "1.0"); '
                          'from gi.repository import Ferry; '
                          'print(Ferry.Client.__gtype__.name, Ferry.error_quark())'], py_env)
            check(result.returncode == 0 and 'FerryClient' in result.stdout,
                  "gi.require_version ('Ferry', '1.0') finds the installed typelib",
                  output_of(result))
            url = base_url + '/python/note'
            body = '{"title": "from Python", "n": 2}'
            result = run([python, os.path.join(source, 'examples', 'python', 'ferry-enqueue.py'),
                          'PUT', url, body], py_env)
            check(result.returncode == 0 and 'delivered' in result.stdout,
                  'the Python example follows its change to delivery', output_of(result))
            check(bodies_for('/python/note') == [body.encode()],
                  'the server got the Python example\'s body exactly', bodies_for('/python/note'))

        # The notes app: a GTK 4 window over a collection, driven by
        # drive-notes.py on a private X server against the example's own
        # REST profile server (TAP lines of its own, counted here).
        xvfb = shutil.which('Xvfb')
        if python is None or not os.path.exists(typelib) or xvfb is None:
            skip('the notes example', 'needs PyGObject, the typelib and Xvfb')
        elif preload:
            # Under -Db_sanitize the drive stops making progress once its
            # second server thread starts, inside the interpreter that has
            # the sanitizer runtimes preloaded; the plain build runs it.
            skip('the notes example', 'not run with the sanitizer runtimes preloaded')
        else:
            read_end, write_end = os.pipe()
            display = subprocess.Popen([xvfb, '-displayfd', str(write_end), '-screen', '0',
                                        '1024x768x24', '-nolisten', 'tcp'],
                                       pass_fds=(write_end,), stderr=subprocess.DEVNULL)
            os.close(write_end)
            with os.fdopen(read_end) as f:
                number = f.readline().strip()
            notes_env = dict(py_env)
            notes_env['DISPLAY'] = f':{number}'
            notes_env['GDK_BACKEND'] = 'x11'
            notes_env['GTK_A11Y'] = 'none'
            try:
                result = run([python, os.path.join(source, 'tests', 'library', 'drive-notes.py'),
                              os.path.join(source, 'examples')], notes_env,
                             timeout=120 * float(os.environ.get('FERRY_TEST_WAIT_SCALE', '1')))
            finally:
                display.terminate()
                display.wait()
            lines = [line for line in result.stdout.splitlines()
                     if line.startswith(('ok ', 'not ok '))]
            for line in lines:
                passed = line.startswith('ok ')
                check(passed, 'notes: ' + line.split(' - ', 1)[-1],
                      '' if passed else output_of(result))
            check(result.returncode == 0 and len(lines) > 0, 'the notes example runs to its end',
                  output_of(result))

        # JavaScript, through the same typelib, when gjs is there.
        gjs = shutil.which('gjs')
        if gjs is None or not os.path.exists(typelib):
            skip('the JavaScript example', 'no gjs, or built without introspection')
        else:
            js_env = interpreter_env(env)
            js_env['GI_TYPELIB_PATH'] = os.path.join(libdir, 'girepository-1.0')
            js_env['LD_LIBRARY_PATH'] = libdir
            url = base_url + '/javascript/note'
            body = '{"title": "from JavaScript", "n": 4}'
            result = run([gjs, os.path.join(source, 'examples', 'javascript', 'ferry-enqueue.js'),
                          'PUT', url, body], js_env)
            check(result.returncode == 0 and 'delivered' in result.stdout,
                  'the JavaScript example follows its change to delivery', output_of(result))
            check(bodies_for('/javascript/note') == [body.encode()],
                  'the server got the JavaScript example\'s body exactly',
                  bodies_for('/javascript/note'))

        # Shell: gdbus with the body spelled out as bytes, then ferryctl.
        note = os.path.join(work, 'note.json')
        body = b'{"title": "from the shell", "n": 3}\n'
        with open(note, 'wb') as f:
            f.write(body)
        sh_env = dict(env)
        sh_env['PATH'] = bindir + os.pathsep + env.get('PATH', '')
        for kind in ('gdbus', 'ferryctl'):
            script = os.path.join(source, 'examples', 'shell', f'ferry-enqueue-{kind}.sh')
            path = f'/shell/{kind}/note'
            result = run(['sh', script, 'PUT', base_url + path, note], sh_env)
            check(result.returncode == 0 and 'delivered' in result.stdout,
                  f'the {kind} example follows its change to delivery', output_of(result))
            received = bodies_for(path)
            check(received == [body],
                  f'the server got the {kind} example\'s body exactly, without a trailing NUL',
                  received)

        # The README's snippets, sent to the loopback server.
        snippets = readme_snippets(source)
        check(set(snippets) >= {'c', 'python', 'sh'},
              'the README shows C, Python and shell', sorted(snippets))
        if 'c' in snippets:
            path = '/readme/c'
            code = snippets['c'].replace(README_URL, base_url + path)
            readme_c = os.path.join(work, 'readme.c')
            with open(readme_c, 'w') as f:
                f.write(code)
            program = os.path.join(work, 'readme-c')
            result = run(cc + sanitize_flags + ['-Wall', '-Werror', '-o', program, readme_c] +
                         shlex.split(flags.stdout), env)
            if check(result.returncode == 0, 'the README\'s C snippet compiles', output_of(result)):
                c_env = dict(env)
                c_env['LD_LIBRARY_PATH'] = libdir
                result = run([program], c_env)
                check(result.returncode == 0 and wait_for_bodies(path, 1) == [b'{"title": "Hello"}'],
                      'the README\'s C snippet hands its change over', output_of(result))
        if 'python' in snippets and python is not None and os.path.exists(typelib):
            path = '/readme/python'
            readme_py = os.path.join(work, 'readme.py')
            with open(readme_py, 'w') as f:
                f.write(snippets['python'].replace(README_URL, base_url + path))
            result = run([python, readme_py], py_env)
            check(result.returncode == 0 and wait_for_bodies(path, 1) == [b'{"title": "Hello"}'],
                  'the README\'s Python snippet hands its change over', output_of(result))
        if 'sh' in snippets:
            path = '/readme/shell'
            script = os.path.join(work, 'readme.sh')
            with open(script, 'w') as f:
                f.write('set -e\n' + snippets['sh'].replace(README_URL, base_url + path))
            result = run(['sh', script], sh_env, cwd=work)
            received = sorted(wait_for_bodies(path, 2))
            check(result.returncode == 0 and received == sorted([body, b'{}']),
                  'the README\'s shell snippet hands over its two changes, without a NUL',
                  output_of(result) + f'\nreceived: {received}')

        # Every example named its owner; none is python3.11, gdbus or cc.
        result = run([os.path.join(bindir, 'ferryctl'), 'list', '--json'], sh_env)
        try:
            owners = sorted({task.get('owner') for task in json.loads(result.stdout)})
        except ValueError:
            owners = [output_of(result)]
        check(owners == sorted({APP_ID, README_APP_ID}),
              f'every task is owned by {APP_ID} or {README_APP_ID}', owners)
    finally:
        if bus is not None:
            # ferryd leaves when its bus goes.
            bus.terminate()
            bus.wait()
        if server is not None:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    print(f'1..{tests}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
