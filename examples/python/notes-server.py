#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small server of Ferry's REST profile v1, for trying the notes example.

    ./notes-server.py [--port 8080]

Serves any number of collections, each under its own base path: a client
of the profile is given http://127.0.0.1:8080/notes as its base URL and
uses /notes/changes and /notes/batch.  Everything is kept in memory.

The profile in brief (README.md, "The REST profile"):

    GET  {base}/changes?since=CURSOR&limit=N
         -> {"changes": [{"id", "version", "deleted", "data"}], "cursor", "has_more"}
    POST {base}/batch  {"changes": [{"id", "op": "upsert"|"delete", "base_version", "data"}]}
         -> {"results": [{"id", "status": "ok"|"conflict"|"rejected", ...}]}

This server orders changes by a global sequence, keeps tombstones for ever
(so cursors never expire), and treats a repeated upsert of the same content
as ok.
"""

import argparse
import http.server
import json
import threading
import urllib.parse


class Collection:
    """The documents under one base path."""

    def __init__(self):
        self.documents = {}   # id -> {"version", "deleted", "data", "seq"}

    def changes(self, since, limit):
        newer = sorted((d['seq'], doc_id) for doc_id, d in self.documents.items()
                       if d['seq'] > since)
        page = newer[:limit]
        changes = []
        for seq, doc_id in page:
            doc = self.documents[doc_id]
            change = {'id': doc_id, 'version': doc['version'], 'deleted': doc['deleted']}
            if not doc['deleted']:
                change['data'] = doc['data']
            changes.append(change)
        cursor = page[-1][0] if page else since
        return {'changes': changes, 'cursor': str(cursor), 'has_more': len(newer) > limit}

    def current(self, doc_id):
        doc = self.documents.get(doc_id)
        if doc is None:
            return {'version': None, 'deleted': True}
        result = {'version': doc['version'], 'deleted': doc['deleted']}
        if not doc['deleted']:
            result['data'] = doc['data']
        return result


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.collections = {}
        self.sequence = 0

    def collection(self, base):
        return self.collections.setdefault(base, Collection())

    def apply(self, collection, change):
        """One change of a batch: its result."""
        doc_id = change.get('id')
        op = change.get('op')
        if not isinstance(doc_id, str) or not doc_id or op not in ('upsert', 'delete'):
            return {'id': doc_id, 'status': 'rejected', 'error': 'needs an id and an op'}
        if op == 'upsert' and not isinstance(change.get('data'), dict):
            return {'id': doc_id, 'status': 'rejected', 'error': 'data must be an object'}
        doc = collection.documents.get(doc_id)
        current_version = doc['version'] if doc is not None else None
        if doc is not None and op == 'upsert' and not doc['deleted'] and \
                doc['data'] == change['data']:
            # The same content again (a retried request): nothing to do.
            return {'id': doc_id, 'status': 'ok', 'version': current_version}
        if change.get('base_version') != current_version:
            if not (doc is not None and doc['deleted'] and op == 'delete'):
                return {'id': doc_id, 'status': 'conflict',
                        'current': collection.current(doc_id)}
        self.sequence += 1
        version = f'v{self.sequence}'
        collection.documents[doc_id] = {
            'version': version,
            'deleted': op == 'delete',
            'data': change.get('data') if op == 'upsert' else None,
            'seq': self.sequence,
        }
        return {'id': doc_id, 'status': 'ok', 'version': version}


class Handler(http.server.BaseHTTPRequestHandler):
    # Keep-alive, as the servers apps talk to do.
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def split(self):
        url = urllib.parse.urlsplit(self.path)
        base, _, last = url.path.rstrip('/').rpartition('/')
        return base, last, urllib.parse.parse_qs(url.query)

    def do_GET(self):
        base, last, query = self.split()
        if last != 'changes' or not base:
            self.reply(404, {'error': 'not found'})
            return
        try:
            since = int(query.get('since', ['0'])[0] or 0)
            limit = max(1, min(int(query.get('limit', ['100'])[0]), 1000))
        except ValueError:
            self.reply(400, {'error': 'since and limit are numbers'})
            return
        with self.server.lock:
            self.reply(200, self.server.collection(base).changes(since, limit))

    def do_POST(self):
        base, last, _ = self.split()
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length)
        if last != 'batch' or not base:
            self.reply(404, {'error': 'not found'})
            return
        try:
            changes = json.loads(raw)['changes']
            if not isinstance(changes, list):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            self.reply(400, {'error': 'the body is {"changes": [...]}'})
            return
        with self.server.lock:
            collection = self.server.collection(base)
            results = [self.server.apply(collection, c if isinstance(c, dict) else {})
                       for c in changes]
        self.reply(200, {'results': results})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=8080)
    args = parser.parse_args()
    server = Server(('127.0.0.1', args.port))
    print(f'Serving the REST profile on http://127.0.0.1:{server.server_address[1]}/',
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
