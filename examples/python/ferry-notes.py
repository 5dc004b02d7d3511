#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small notes app whose notes live in a Ferry collection.

    ./ferry-notes.py [--protocol rest|couchdb] URL

URL is the server the notes are synced with: the base URL of a server of
Ferry's REST profile (notes-server.py next to this file is one), or a
CouchDB database.  The app reads and writes its notes through Ferry, so it
works the same offline: every change is kept on disk by Ferry at once and
sent when the server can be reached, even after the app has quit.  When
the same note changed here and on the server in a way Ferry cannot merge,
the app shows both and lets the person choose.

The part that talks to Ferry (Notes) uses no GTK; the window is built on
it.
"""

import json
import sys

import gi

gi.require_version('Ferry', '1.0')
from gi.repository import Ferry, GLib, GObject  # noqa: E402

APP_ID = 'org.example.Notes'
COLLECTION = 'notes'


class Notes(GObject.Object):
    """The app's notes, as Ferry keeps them.

    Emits "changed" when the notes or their sync state changed; read them
    with notes() and status().
    """

    __gsignals__ = {
        'changed': (GObject.SignalFlags.RUN_FIRST, None, ()),
    }

    def __init__(self, client, collection):
        super().__init__()
        self.client = client
        self.collection = collection
        self._notes = {}
        self._loading = False
        self._reload_again = False
        collection.connect('changed', lambda *args: self.reload())
        collection.connect('conflict-detected', lambda *args: self.reload())
        for name in ('state', 'dirty-count', 'conflict-count', 'failed-count', 'last-error'):
            collection.connect(f'notify::{name}', lambda *args: self.emit('changed'))

    @staticmethod
    def open(url, protocol, callback):
        """Adds (or finds) the app's collection for @url; calls
        @callback (notes, error) once it is ready."""

        def collection_ready(source, result):
            try:
                collection = Ferry.Collection.new_finish(result)
            except GLib.Error as error:
                callback(None, error)
                return
            notes = Notes(state['client'], collection)
            notes.reload()
            callback(notes, None)

        def added(client, result):
            try:
                path = client.add_collection_finish(result)
            except GLib.Error as error:
                callback(None, error)
                return
            Ferry.Collection.new_async(client, path, None, collection_ready)

        def client_ready(source, result):
            try:
                client = Ferry.Client.new_finish(result)
            except GLib.Error as error:
                callback(None, error)
                return
            state['client'] = client
            # The owner of the collection, whatever runs this script.
            client.set_app_id(APP_ID)
            config = GLib.Variant('a{sv}', {
                'name': GLib.Variant('s', COLLECTION),
                'protocol': GLib.Variant('s', protocol),
                'url': GLib.Variant('s', url),
                # Edits of different notes, or of different fields of one
                # note, merge; the same text changed on both sides asks.
                'conflict-strategy': GLib.Variant('s', 'merge'),
            })
            client.add_collection_async(config, None, added)

        state = {}
        Ferry.Client.new_async(None, Ferry.ClientFlags.NONE, None, client_ready)

    def notes(self):
        """The notes, newest change first: dictionaries with id, title,
        text, dirty (not sent yet) and conflict."""
        return sorted(self._notes.values(), key=lambda n: (-n['seq'], n['id']))

    def note(self, note_id):
        return self._notes.get(note_id)

    def status(self):
        """One line on how syncing stands, in words."""
        c = self.collection
        if c.get_conflict_count() > 0:
            n = c.get_conflict_count()
            return (f'{n} note{"s" if n != 1 else ""} changed here and on the server '
                    '— choose what to keep')
        if c.get_state() == 'syncing':
            return 'Syncing…'
        dirty = c.get_dirty_count()
        waiting = f'{dirty} change{"s" if dirty != 1 else ""} waiting'
        if c.get_state() in ('offline', 'error') and dirty > 0:
            return f'Server not reachable — {waiting}; Ferry sends them later'
        if c.get_state() == 'paused':
            return f'Paused — {waiting}' if dirty else 'Paused'
        if dirty > 0:
            return waiting
        return 'All notes synced'

    def reload(self):
        """Reads every note again (a page at a time) and emits "changed"."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        found = {}
        filter_ = GLib.Variant('a{sv}', {'bodies': GLib.Variant('b', True)})

        def page(collection, result):
            try:
                documents = collection.list_finish(result).unpack()
            except GLib.Error as error:
                print(f'Could not read the notes: {error.message}', file=sys.stderr)
                documents = []
            for doc in documents:
                try:
                    body = json.loads(doc.get('body') or '{}')
                except ValueError:
                    body = {}
                found[doc['id']] = {
                    'id': doc['id'],
                    'title': body.get('title', ''),
                    'text': body.get('text', ''),
                    'seq': doc.get('seq', 0),
                    'dirty': doc.get('dirty', False),
                    'conflict': doc.get('conflict', False),
                }
            if len(documents) == 100:
                collection.list_async(filter_, len(found), 100, None, page)
                return
            self._notes = found
            self._loading = False
            self.emit('changed')
            if self._reload_again:
                self._reload_again = False
                self.reload()

        self.collection.list_async(filter_, 0, 100, None, page)

    def save(self, note_id, title, text, callback=None):
        """Writes a note; it is on disk when @callback (error) is called."""
        body = json.dumps({'title': title, 'text': text})

        def done(collection, result):
            error = None
            try:
                collection.put_finish(result)
            except GLib.Error as e:
                error = e
            if callback is not None:
                callback(error)

        self.collection.put_async(note_id, body, None, done)

    def delete(self, note_id, callback=None):
        def done(collection, result):
            error = None
            try:
                collection.delete_finish(result)
            except GLib.Error as e:
                error = e
            if callback is not None:
                callback(error)

        self.collection.delete_async(note_id, None, done)

    def versions(self, note_id, callback):
        """Calls @callback (mine, servers) with the two sides of a note in
        conflict, each a dictionary with title and text (or None for a
        side that deleted it)."""

        def got(collection, result):
            try:
                doc = collection.get_finish(result).unpack()
            except GLib.Error:
                callback(None, None)
                return

            def side(text):
                return json.loads(text) if text else None

            callback(side(doc.get('body')), side(doc.get('remote')))

        self.collection.get_async(note_id, None, got)

    def resolve(self, note_id, choice, merged=None, callback=None):
        """Settles a conflict: 'local' keeps mine, 'remote' takes the
        server's, 'merged' keeps @merged (a dictionary)."""

        def done(collection, result):
            error = None
            try:
                collection.resolve_finish(result)
            except GLib.Error as e:
                error = e
            if callback is not None:
                callback(error)

        text = json.dumps(merged) if merged is not None else ''
        self.collection.resolve_async(note_id, choice, text, None, done)

    def sync(self):
        self.collection.sync_async(None, None)


def build_window(app, notes):
    """The window: the notes on the left, the one chosen on the right, and
    a bar that shows a conflict with both versions."""
    gi.require_version('Gtk', '4.0')
    from gi.repository import Gtk

    window = Gtk.ApplicationWindow(application=app, title='Notes', default_width=760,
                                   default_height=480)
    header = Gtk.HeaderBar()
    window.set_titlebar(header)
    new_button = Gtk.Button(label='New Note')
    sync_button = Gtk.Button(label='Sync Now')
    header.pack_start(new_button)
    header.pack_end(sync_button)

    paned = Gtk.Paned(orientation=Gtk.Orientation.HORIZONTAL, position=240)
    list_box = Gtk.ListBox(selection_mode=Gtk.SelectionMode.SINGLE)
    list_box.update_property([Gtk.AccessibleProperty.LABEL], ['Notes'])
    scrolled = Gtk.ScrolledWindow(child=list_box, vexpand=True)
    paned.set_start_child(scrolled)

    editor = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6, margin_start=12,
                     margin_end=12, margin_top=12, margin_bottom=12)
    conflict_bar = Gtk.InfoBar(message_type=Gtk.MessageType.WARNING, revealed=False)
    conflict_label = Gtk.Label(wrap=True, xalign=0)
    conflict_bar.add_child(conflict_label)
    conflict_bar.add_button('Keep Mine', 1)
    conflict_bar.add_button('Keep the Server’s', 2)
    conflict_bar.add_button('Keep Both', 3)
    title_entry = Gtk.Entry(placeholder_text='Title')
    title_entry.update_property([Gtk.AccessibleProperty.LABEL], ['Title'])
    text_view = Gtk.TextView(wrap_mode=Gtk.WrapMode.WORD_CHAR, vexpand=True)
    text_view.update_property([Gtk.AccessibleProperty.LABEL], ['Text'])
    save_button = Gtk.Button(label='Save', halign=Gtk.Align.END)
    editor.append(conflict_bar)
    editor.append(title_entry)
    editor.append(Gtk.ScrolledWindow(child=text_view, vexpand=True))
    editor.append(save_button)
    paned.set_end_child(editor)

    status = Gtk.Label(xalign=0, margin_start=12, margin_end=12, margin_top=6,
                       margin_bottom=6)
    content = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    content.append(paned)
    content.append(status)
    window.set_child(content)

    ui = {'current': None, 'counter': 0, 'versions': None}

    def show_note(note):
        ui['current'] = note['id'] if note else None
        title_entry.set_text(note['title'] if note else '')
        text_view.get_buffer().set_text(note['text'] if note else '')
        conflict_bar.set_revealed(False)
        if note and note['conflict']:
            def got(mine, servers):
                ui['versions'] = (mine, servers)
                theirs = servers['text'] if servers else '(deleted on the server)'
                conflict_label.set_text('This note changed on the server too. '
                                        f'The server’s text: “{theirs}”')
                conflict_bar.set_revealed(True)
            notes.versions(note['id'], got)

    def refresh(*args):
        status.set_text(notes.status())
        chosen = ui['current']
        while (row := list_box.get_row_at_index(0)) is not None:
            list_box.remove(row)
        for note in notes.notes():
            label = note['title'] or 'Untitled'
            if note['conflict']:
                label += ' ⚠'
            elif note['dirty']:
                label += ' •'
            row = Gtk.ListBoxRow(child=Gtk.Label(label=label, xalign=0, margin_start=6,
                                                 margin_top=6, margin_bottom=6))
            row.note_id = note['id']
            list_box.append(row)
            if note['id'] == chosen:
                list_box.select_row(row)
                if note['conflict'] and not conflict_bar.get_revealed():
                    show_note(note)

    def on_row_selected(box, row):
        if row is not None and getattr(row, 'note_id', None) != ui['current']:
            show_note(notes.note(row.note_id))

    def on_save(*args):
        if ui['current'] is None:
            ui['counter'] += 1
            ui['current'] = f'note-{GLib.uuid_string_random()}'
        buffer = text_view.get_buffer()
        text = buffer.get_text(buffer.get_start_iter(), buffer.get_end_iter(), False)
        notes.save(ui['current'], title_entry.get_text(), text)

    def on_conflict_response(bar, response):
        mine, servers = ui['versions'] or (None, None)
        if response == 1:
            notes.resolve(ui['current'], 'local')
        elif response == 2:
            notes.resolve(ui['current'], 'remote')
        elif response == 3:
            merged = dict(mine or {})
            if servers:
                merged['text'] = f'{(mine or {}).get("text", "")}\n\n{servers.get("text", "")}'
            notes.resolve(ui['current'], 'merged', merged)
        conflict_bar.set_revealed(False)

    notes.connect('changed', refresh)
    list_box.connect('row-selected', on_row_selected)
    save_button.connect('clicked', on_save)
    new_button.connect('clicked', lambda *a: (list_box.unselect_all(), show_note(None)))
    sync_button.connect('clicked', lambda *a: notes.sync())
    conflict_bar.connect('response', on_conflict_response)
    window.notes_ui = {'list': list_box, 'status': status, 'conflict_bar': conflict_bar,
                       'title': title_entry, 'text': text_view, 'save': save_button,
                       'show_note': show_note, 'respond': on_conflict_response}
    refresh()
    return window


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(description='Notes kept in a Ferry collection.')
    parser.add_argument('--protocol', choices=('rest', 'couchdb'), default='rest')
    parser.add_argument('url', help='the REST profile base URL, or a CouchDB database')
    args = parser.parse_args(argv[1:])

    gi.require_version('Gtk', '4.0')
    from gi.repository import Gtk

    app = Gtk.Application(application_id=APP_ID)

    def on_activate(app):
        def ready(notes, error):
            if error is not None:
                print(f'Ferry could not keep the notes: {error.message}', file=sys.stderr)
                app.quit()
                return
            build_window(app, notes).present()
            app.release()

        app.hold()
        Notes.open(args.url, args.protocol, ready)

    app.connect('activate', on_activate)
    return app.run([argv[0]])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
