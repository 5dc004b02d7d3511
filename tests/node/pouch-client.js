// SPDX-License-Identifier: GPL-3.0-or-later
//
// PouchDB as the second client of a database the tests sync with Ferry.
//
//   node pouch-client.js URL put ID JSON      write a document (over its
//                                             current revision, if any)
//   node pouch-client.js URL delete ID        delete a document
//   node pouch-client.js URL fill N PREFIX    write N small documents
//   node pouch-client.js URL drop N PREFIX    delete the first N of them
//   node pouch-client.js URL bump N PREFIX    change the first N of them
//   node pouch-client.js URL all              print every live document as
//                                             one JSON object: id → body
//
// Bodies are printed and read without CouchDB's own members (_id, _rev).
'use strict';

const path = require('path');
const PouchDB = require(path.join(__dirname, 'node_modules', 'pouchdb'));

function strip(doc) {
  const body = {};
  for (const key of Object.keys(doc).sort()) {
    if (!key.startsWith('_')) {
      body[key] = doc[key];
    }
  }
  return body;
}

async function current(db, id) {
  try {
    return await db.get(id);
  } catch (error) {
    if (error.status === 404) {
      return null;
    }
    throw error;
  }
}

async function main() {
  const [url, command, ...args] = process.argv.slice(2);
  const db = new PouchDB(url, { skip_setup: true });

  switch (command) {
    case 'put': {
      const old = await current(db, args[0]);
      const doc = Object.assign(JSON.parse(args[1]), { _id: args[0] });
      if (old !== null) {
        doc._rev = old._rev;
      }
      await db.put(doc);
      break;
    }
    case 'delete': {
      const old = await current(db, args[0]);
      await db.remove(old);
      break;
    }
    case 'fill': {
      const docs = [];
      for (let i = 0; i < Number(args[0]); i++) {
        docs.push({ _id: `${args[1]}${String(i).padStart(6, '0')}`, n: i });
      }
      for (let start = 0; start < docs.length; start += 500) {
        await db.bulkDocs(docs.slice(start, start + 500));
      }
      break;
    }
    case 'drop': {
      const ids = [];
      for (let i = 0; i < Number(args[0]); i++) {
        ids.push(`${args[1]}${String(i).padStart(6, '0')}`);
      }
      const found = await db.allDocs({ keys: ids });
      await db.bulkDocs(found.rows.map((row) => ({ _id: row.id, _rev: row.value.rev,
                                                   _deleted: true })));
      break;
    }
    case 'bump': {
      const ids = [];
      for (let i = 0; i < Number(args[0]); i++) {
        ids.push(`${args[1]}${String(i).padStart(6, '0')}`);
      }
      const found = await db.allDocs({ keys: ids, include_docs: true });
      await db.bulkDocs(found.rows.map((row) => Object.assign(row.doc, { bumped: true })));
      break;
    }
    case 'all': {
      const result = await db.allDocs({ include_docs: true });
      const out = {};
      for (const row of result.rows) {
        if (!row.id.startsWith('_design/')) {
          out[row.id] = strip(row.doc);
        }
      }
      process.stdout.write(JSON.stringify(out));
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((error) => {
  process.stderr.write(`pouch-client: ${error.message}\n`);
  process.exit(1);
});
