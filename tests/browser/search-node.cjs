// Runs the browser's search.js under node, for cargo tests and the benchmark (issue 4).
//   node search-node.cjs tokens < strings.json      → [[{exact, folded}…]…] on stdout
//   node search-node.cjs plan < queries.json        → the query plans
//   node search-node.cjs query <site/search/> <q>…  → per query: results, bytes read, top ids
// search.js is loaded as the browser loads it (a plain script), with `module` provided.
'use strict';
const fs = require('fs');
const path = require('path');

const src = fs.readFileSync(path.join(__dirname, '../../themes/default/static/assets/search.js'), 'utf8');
const mod = { exports: {} };
new Function('module', src)(mod);
const s = mod.exports;

const [mode, ...args] = process.argv.slice(2);
const stdin = () => JSON.parse(fs.readFileSync(0, 'utf8'));

if (mode === 'tokens') {
  console.log(JSON.stringify(stdin().map((x) => s.tokens(x))));
} else if (mode === 'plan') {
  const [aliases, queries] = stdin();
  console.log(JSON.stringify(queries.map((q) => s.plan(q, aliases))));
} else if (mode === 'query') {
  const [base, ...queries] = args;
  let bytes = 0;
  const files = new Set();
  // every file the engine asks for, read from disk and counted once, as a browser cache would
  const fetchFn = (u) => {
    const b = fs.readFileSync(u);
    if (!files.has(u)) { files.add(u); bytes += b.length; }
    return Promise.resolve({
      ok: true, status: 200,
      json: () => Promise.resolve(JSON.parse(b)),
      arrayBuffer: () => Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)),
    });
  };
  (async () => {
    for (const q of queries) {
      // a fresh engine per query: the bytes a first-time visitor downloads for it
      files.clear(); bytes = 0;
      const e = await new s.Engine(base, fetchFn).load();
      const r = await e.search({ q, publisher: [], theme: [], format: [], keyword: [], licence: [] }, false);
      const recs = await e.records('vi', r.results.slice(0, 10).map((x) => x[0]));
      console.log(JSON.stringify({ q, results: r.results.length, bytes, files: files.size, top: recs.slice(0, 3).map((x) => x[0]) }));
    }
  })().catch((err) => { console.error(err); process.exit(1); });
} else {
  console.error('usage: search-node.cjs tokens|plan|query …');
  process.exit(2);
}
