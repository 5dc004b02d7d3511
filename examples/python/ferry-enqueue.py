#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hands one change to Ferry and follows it until it is delivered.

    ./ferry-enqueue.py PUT https://example.org/notes/1 '{"title": "Hello"}'

Exits 0 once the server accepted the change, 1 when it failed for good or
the agent could not be reached, 2 on bad usage.
"""

import sys

import gi

gi.require_version('Ferry', '1.0')
from gi.repository import Ferry, GLib  # noqa: E402


def main(argv):
    if len(argv) != 4:
        print(f'Usage: {argv[0]} METHOD URL JSON', file=sys.stderr)
        return 2
    method, url, body = argv[1:]

    loop = GLib.MainLoop()
    state = {'id': None, 'delivered': set(), 'status': 1}

    def finish(status):
        state['status'] = status
        loop.quit()

    def on_task_succeeded(client, task_id, owner, http_status):
        # Signals tell about every task the app may see.
        if state['id'] is None:
            state['delivered'].add(task_id)
        elif task_id == state['id']:
            print(f'delivered {task_id}: HTTP {http_status}')
            finish(0)

    def on_task_failed(client, task_id, owner, reason):
        if task_id == state['id']:
            print(f'failed {task_id}: {reason}', file=sys.stderr)
            finish(1)

    def enqueued(client, result):
        try:
            # The change is on disk now: it arrives even if this program quits.
            state['id'] = client.enqueue_finish(result)
        except GLib.Error as error:
            print(f'Could not enqueue: {error.message}', file=sys.stderr)
            finish(1)
            return
        print(f'enqueued {state["id"]}')
        if state['id'] in state['delivered']:
            print(f'delivered {state["id"]}')
            finish(0)

    def client_ready(source, result):
        try:
            client = Ferry.Client.new_finish(result)
        except GLib.Error as error:
            print(f'Could not reach the session bus: {error.message}', file=sys.stderr)
            finish(1)
            return
        state['client'] = client
        # Own the task under the app's id: without it the owner would be
        # the interpreter's name (python3.11).
        client.set_app_id('org.example.FerryDemo')
        client.connect('task-succeeded', on_task_succeeded)
        client.connect('task-failed', on_task_failed)

        request = Ferry.Request.new(method, url)
        request.set_body_text(body, 'application/json')
        client.enqueue_async(request, None, enqueued)

    def timed_out():
        print('Not delivered yet; Ferry keeps trying.', file=sys.stderr)
        finish(1)
        return GLib.SOURCE_REMOVE

    Ferry.Client.new_async(None, Ferry.ClientFlags.NONE, None, client_ready)
    GLib.timeout_add_seconds(60, timed_out)
    loop.run()
    return state['status']


if __name__ == '__main__':
    sys.exit(main(sys.argv))
