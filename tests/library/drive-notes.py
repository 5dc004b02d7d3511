# SPDX-License-Identifier: GPL-3.0-or-later
"""Uses the notes example as a person would, against the example's REST
profile server on a loopback port: a note written while the server cannot
be reached, sent when it can; the same note changed on the server and here,
shown as a conflict in the window and settled with its "Keep Both" button.

    drive-notes.py EXAMPLES_DIR

Runs on the session bus it is given (where ferryd is activatable) and on
the X display in DISPLAY.  Prints TAP lines; exits 1 on a failure.
"""

import importlib.util
import os
import socket
import sys
import threading
import time

import gi

gi.require_version('Gtk', '4.0')
from gi.repository import GLib, Gtk  # noqa: E402

examples = sys.argv[1]
tests = failures = 0


def load(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(examples, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(ok, name, detail=''):
    global tests, failures
    tests += 1
    if not ok:
        failures += 1
    print(f'{"ok" if ok else "not ok"} {tests} - {name}')
    if not ok and detail:
        for line in str(detail).splitlines():
            print(f'# {line}')
    sys.stdout.flush()
    return ok


# The sanitized build runs everything several times slower.
SCALE = float(os.environ.get('FERRY_TEST_WAIT_SCALE', '1') or 1)


def wait(condition, timeout=60):
    """Runs the main context until @condition holds; FALSE after @timeout
    seconds.  One dispatch at a time, so a window that always has work
    (its frame clock) cannot keep the condition from being looked at."""
    context = GLib.MainContext.default()
    end = time.monotonic() + timeout * SCALE
    while not condition():
        if time.monotonic() > end:
            return False
        if not context.iteration(False):
            time.sleep(0.01)
    return True


def finish():
    print(f'1..{tests}')
    sys.exit(1 if failures else 0)


notes_example = load('ferry_notes', os.path.join('python', 'ferry-notes.py'))
server_example = load('notes_server', os.path.join('python', 'notes-server.py'))

# A port nothing listens on yet: the server is "down" at first.
probe = socket.socket()
probe.bind(('127.0.0.1', 0))
port = probe.getsockname()[1]
probe.close()
url = f'http://127.0.0.1:{port}/notes'

opened = {}
notes_example.Notes.open(url, 'rest', lambda notes, error: opened.update(notes=notes, error=error))
if not check(wait(lambda: 'notes' in opened) and opened['error'] is None,
             'the notes example adds its collection', opened.get('error')):
    finish()
notes = opened['notes']
collection = notes.collection

done = {}
notes.save('shopping', 'Shopping', 'milk', lambda error: done.update(first=error))
check(wait(lambda: 'first' in done) and done['first'] is None,
      'a note written while the server is down is kept', done.get('first'))
check(wait(lambda: collection.get_dirty_count() == 1 and
           collection.get_state() in ('error', 'offline')),
      'it waits, and the app says so',
      f'{collection.get_state()}, {collection.get_dirty_count()} waiting: {notes.status()}')
check(notes.status().startswith('Server not reachable'), 'the status line is in words',
      notes.status())

server = server_example.Server(('127.0.0.1', port))
threading.Thread(target=server.serve_forever, daemon=True).start()
documents = server.collection('/notes').documents
notes.sync()
check(wait(lambda: collection.get_dirty_count() == 0 and collection.get_state() == 'synced'),
      'once the server is back, Sync Now sends it',
      f'{collection.get_state()}: {collection.get_last_error()}')
check(documents.get('shopping', {}).get('data') == {'title': 'Shopping', 'text': 'milk'},
      'the server has the note', documents)

app = Gtk.Application(application_id=notes_example.APP_ID)
window = {}
app.connect('activate', lambda app: window.update(
    it=notes_example.build_window(app, notes)) or window['it'].present())
app.register(None)
app.activate()
check(wait(lambda: 'it' in window), 'the window opens')
ui = window['it'].notes_ui

# The server goes away; meanwhile the note changes here, and another
# device changes the same text on the server (written straight into the
# server's data).  No run can reach the server in between, so the two
# changes meet when it is back.
server.shutdown()
server.server_close()
notes.save('shopping', 'Shopping', 'milk, bread', lambda error: done.update(second=error))
wait(lambda: 'second' in done)
other_device = server.apply(server.collection('/notes'), {
    'id': 'shopping', 'op': 'upsert', 'base_version': documents['shopping']['version'],
    'data': {'title': 'Shopping', 'text': 'milk, eggs'}})
check(other_device['status'] == 'ok', 'another device changes the note on the server',
      other_device)
back = server_example.Server(('127.0.0.1', port))
back.collections = server.collections
back.sequence = server.sequence
server = back
threading.Thread(target=server.serve_forever, daemon=True).start()
notes.sync()
check(wait(lambda: collection.get_conflict_count() == 1),
      'the same text changed here and there is a conflict', notes.status())


def row_label(index):
    row = ui['list'].get_row_at_index(index)
    return row.get_child().get_label() if row is not None else None


check(wait(lambda: (row_label(0) or '').endswith('⚠')), 'the list marks the note',
      row_label(0))
ui['list'].select_row(ui['list'].get_row_at_index(0))
check(wait(lambda: ui['conflict_bar'].get_revealed()), 'choosing it shows both versions')
check(wait(lambda: ui['status'].get_text() == notes.status() and 'server' in notes.status()),
      'the status line says what needs the person', ui['status'].get_text())

ui['respond'](ui['conflict_bar'], 3)   # Keep Both
notes.sync()
check(wait(lambda: collection.get_conflict_count() == 0 and collection.get_dirty_count() == 0
           and collection.get_state() == 'synced'),
      'Keep Both settles it and sends the result', notes.status())
check(documents['shopping']['data'] == {'title': 'Shopping', 'text': 'milk, bread\n\nmilk, eggs'},
      'the server has both texts', documents['shopping'])
check(wait(lambda: ui['status'].get_text() == 'All notes synced'), 'and the window says so',
      ui['status'].get_text())
window['it'].destroy()
server.shutdown()
finish()
