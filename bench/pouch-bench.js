// SPDX-License-Identifier: GPL-3.0-or-later
//
// PouchDB's own replication, with its default settings, for
// bench-collections: the time it takes to push a local database of N
// small documents to the server, or to pull the server's into a new
// local one.  Prints the seconds, timing the replication only.
//
//   node pouch-bench.js DIR URL push N
//   node pouch-bench.js DIR URL pull
'use strict';

const path = require('path');
const PouchDB = require(path.join(__dirname, '..', 'tests', 'node', 'node_modules', 'pouchdb'));

async function main() {
  const [dir, url, command, count] = process.argv.slice(2);
  const local = new PouchDB(path.join(dir, command));
  const remote = new PouchDB(url);

  if (command === 'push') {
    const docs = [];
    for (let i = 0; i < Number(count); i++) {
      docs.push({ _id: `d${String(i).padStart(6, '0')}`, n: i, title: `note ${i}` });
    }
    for (let start = 0; start < docs.length; start += 1000) {
      await local.bulkDocs(docs.slice(start, start + 1000));
    }
  }
  const started = process.hrtime.bigint();
  if (command === 'push') {
    await local.replicate.to(remote);
  } else {
    await local.replicate.from(remote);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${seconds}\n`);
}

main().catch((error) => {
  process.stderr.write(`pouch-bench: ${error.message}\n`);
  process.exit(1);
});
