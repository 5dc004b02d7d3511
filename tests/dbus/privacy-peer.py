#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A peer of ferryd for test-agent-privacy, run inside a sandbox: it prints
# what it sees of the collections, one line each, and exits when its
# standard input closes.
#
#   managed PATH APP          an object GetManagedObjects listed
#   node PATH                 a collection an Introspect of the collections'
#                             path listed
#   getall PATH ok APP        Properties.GetAll answered
#   getall PATH error NAME    ... or failed with the D-Bus error NAME
#   get PATH ok APP           Properties.Get of App answered
#   get PATH error NAME       ... or failed
#   signal PATH IFACE MEMBER  a signal arrived (for the ObjectManager's,
#                             PATH is the object it is about)
#   agent OWNER MEMBER        a signal of the agent's about OWNER's task
#                             or files arrived
#   ready                     everything above is done; signals follow
#
# Usage: privacy-peer.py PATH...  (the objects to call Get and GetAll on)

import os
import sys

from gi.repository import Gio, GLib

AGENT = 'io.github.ferrysync.Ferry.Agent'
ROOT = '/io/github/ferrysync/Ferry'
COLLECTION = 'io.github.ferrysync.Ferry1.Collection'
OBJECT_MANAGER = 'org.freedesktop.DBus.ObjectManager'
AGENT_INTERFACE = 'io.github.ferrysync.Ferry1'


def say(*words):
    print(' '.join(words), flush=True)


def on_signal(connection, sender, path, interface, member, parameters):
    if interface == OBJECT_MANAGER:
        path = parameters[0]
    say('signal', path, interface, member)
    if interface == AGENT_INTERFACE and member == 'StorageQuotaExceeded':
        say('agent', parameters[0], member)
    elif interface == AGENT_INTERFACE and parameters.n_children() >= 2:
        say('agent', parameters[1], member)


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.signal_subscribe(None, None, None, None, None, Gio.DBusSignalFlags.NONE,
                         on_signal)

    reply = bus.call_sync(AGENT, ROOT, OBJECT_MANAGER, 'GetManagedObjects', None,
                          GLib.VariantType('(a{oa{sa{sv}}})'), Gio.DBusCallFlags.NONE, -1,
                          None)
    for path, interfaces in sorted(reply.unpack()[0].items()):
        say('managed', path, interfaces.get(COLLECTION, {}).get('App', '-'))

    # Identified by now (the call above waited for it).
    reply = bus.call_sync(AGENT, ROOT + '/collections', 'org.freedesktop.DBus.Introspectable',
                          'Introspect', None, GLib.VariantType('(s)'), Gio.DBusCallFlags.NONE,
                          -1, None)
    for node in Gio.DBusNodeInfo.new_for_xml(reply.unpack()[0]).nodes:
        say('node', ROOT + '/collections/' + node.path)

    for path in sys.argv[1:]:
        try:
            reply = bus.call_sync(AGENT, path, 'org.freedesktop.DBus.Properties', 'GetAll',
                                  GLib.Variant('(s)', (COLLECTION,)),
                                  GLib.VariantType('(a{sv})'), Gio.DBusCallFlags.NONE, -1,
                                  None)
            say('getall', path, 'ok', reply.unpack()[0].get('App', '-'))
        except GLib.Error as error:
            say('getall', path, 'error', Gio.DBusError.get_remote_error(error) or '-')
        try:
            reply = bus.call_sync(AGENT, path, 'org.freedesktop.DBus.Properties', 'Get',
                                  GLib.Variant('(ss)', (COLLECTION, 'App')),
                                  GLib.VariantType('(v)'), Gio.DBusCallFlags.NONE, -1, None)
            say('get', path, 'ok', reply.unpack()[0])
        except GLib.Error as error:
            say('get', path, 'error', Gio.DBusError.get_remote_error(error) or '-')

    loop = GLib.MainLoop()

    def on_input(channel, condition):
        if os.read(sys.stdin.fileno(), 4096) == b'':
            loop.quit()
            return GLib.SOURCE_REMOVE
        return GLib.SOURCE_CONTINUE

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_input)
    say('ready')
    loop.run()


if __name__ == '__main__':
    main()
