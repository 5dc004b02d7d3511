#!/usr/bin/env gjs
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Hands one change to Ferry and follows it until it is delivered.
//
//   gjs ferry-enqueue.js PUT https://example.org/notes/1 '{"title": "Hello"}'
//
// Exits 0 once the server accepted the change, 1 when it failed for good
// or the agent could not be reached, 2 on bad usage.

imports.gi.versions.Ferry = '1.0';
const {Ferry, GLib} = imports.gi;
const System = imports.system;

if (ARGV.length !== 3) {
    printerr('Usage: ferry-enqueue.js METHOD URL JSON');
    System.exit(2);
}
const [method, url, body] = ARGV;

const loop = new GLib.MainLoop(null, false);
const delivered = new Set();
let taskId = null;
let status = 1;

function finish(code) {
    status = code;
    loop.quit();
}

Ferry.Client.new_async(null, Ferry.ClientFlags.NONE, null, (source, result) => {
    let client;
    try {
        client = Ferry.Client.new_finish(result);
    } catch (e) {
        printerr(`Could not reach the session bus: ${e.message}`);
        finish(1);
        return;
    }
    // Own the task under the app's id: without it the owner would be gjs.
    client.set_app_id('org.example.FerryDemo');

    // Signals tell about every task the app may see.
    client.connect('task-succeeded', (c, id, owner, httpStatus) => {
        if (taskId === null) {
            delivered.add(id);
        } else if (id === taskId) {
            print(`delivered ${id}: HTTP ${httpStatus}`);
            finish(0);
        }
    });
    client.connect('task-failed', (c, id, owner, reason) => {
        if (id === taskId) {
            printerr(`failed ${id}: ${reason}`);
            finish(1);
        }
    });

    const request = Ferry.Request.new(method, url);
    request.set_body_text(body, 'application/json');
    client.enqueue_async(request, null, (c, res) => {
        try {
            // The change is on disk now: it arrives even if this program quits.
            taskId = c.enqueue_finish(res);
        } catch (e) {
            printerr(`Could not enqueue: ${e.message}`);
            finish(1);
            return;
        }
        print(`enqueued ${taskId}`);
        if (delivered.has(taskId)) {
            print(`delivered ${taskId}`);
            finish(0);
        }
    });
});

GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 60, () => {
    printerr('Not delivered yet; Ferry keeps trying.');
    finish(1);
    return GLib.SOURCE_REMOVE;
});

loop.run();
System.exit(status);
