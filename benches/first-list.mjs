#!/usr/bin/env node
// A list's first run in a fresh process against the next ones, through the npm
// API (pkg/campaigns-api.js, pkg/api.js), then every payload of the answer read
// (each is parsed on first read), with the module's memory after each:
// BENCHMARKS.md's "a list's first run".
// Needs `npm run build`. Each list runs in a process of its own, so that neither
// warms the other; run one with `node --trace-gc benches/first-list.mjs campaign`
// (or `validate`) to see the collections during the first call.
//
// A growth of the module's memory can set off a full collection of the JavaScript
// heap, whose cost is the heap's size: with `--held` the caller keeps the list's
// rows as 100,000 strings (a page that shows them), about 50 MB of live heap.
//
//   node benches/first-list.mjs                    each list, held and not, each in its own process
//   node benches/first-list.mjs campaign [--held]  prepareCampaign, 100,000 CSV rows
//   node benches/first-list.mjs validate [--held]  validateMany, 100,000 NDJSON payloads
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './lib.mjs';

const which = process.argv[2];
if (which === undefined) {
  for (const list of ['campaign', 'validate']) {
    for (const held of [[], ['--held']]) {
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), list, ...held], { stdio: 'inherit' });
    }
  }
  process.exit(0);
}

const held = process.argv.includes('--held');
const [name, module, run, rows] = which === 'campaign' ? campaign() : validate();
if (!held) rows.length = 0;
// The API over the glue this script instantiates (the API modules import the glue by
// the same URL, so they share its instance and its memory).
const glue = await import(join(root, 'pkg', `${module}.js`));
const wasm = glue.initSync({ module: readFileSync(join(root, 'pkg', `${module}_bg.wasm`)) });
const api = await import(join(root, 'pkg', module === 'campaign' ? 'campaigns-api.js' : 'api.js'));
for (const call of ['first', 'second', 'third']) {
  let t = performance.now();
  const answer = run(api);
  const took = performance.now() - t;
  t = performance.now();
  const read = readAll(answer);
  const reading = performance.now() - t;
  console.log(`${name}${held ? ', rows held' : ''} ${call.padEnd(6)} call: ${took.toFixed(0)} ms, then every payload read ${reading.toFixed(0)} ms (${read} payloads), memory ${(wasm.memory.buffer.byteLength / 1e6).toFixed(0)} MB`);
}

/** Reads every payload of an answer (a list's rows or validateMany's results). */
function readAll(answer) {
  let n = 0;
  for (const r of answer.rows ?? answer) if (r.payload !== undefined) n += r.payload.to ? 1 : 0;
  return n;
}

/** benches/npm.mjs's campaign list, through the campaign module's export. */
function campaign() {
  const definition = readFileSync(join(root, 'templates', 'order_confirmation.en.json'), 'utf8');
  const lines = ['to,1,2,button_0'];
  for (let i = 0; i < 100_000; i++) {
    const n = i % 20 === 19 ? i - 1 : i;
    const name = i % 10 === 0 ? 'x'.repeat(1100) : `Customer ${i}`;
    lines.push(`+9198${String(10_000_000 + n)},"${name}",ORD-${i},${i}`);
  }
  const csv = `${lines.join('\n')}\n`;
  return ['prepareCampaign', 'campaign', (api) => api.prepareCampaign(csv, JSON.parse(definition)), lines];
}

/** benches/npm.mjs's bulk list (a reply-button message, one in ten with a title too long),
 * through the validation module's export. */
function validate() {
  const lines = [];
  for (let i = 0; i < 100_000; i++) {
    const p = {
      to: '+919876543210', type: 'interactive',
      interactive: { type: 'button', header: { type: 'text', text: 'Support' }, body: { text: `How can we help, customer ${i}?` }, footer: { text: 'Reply anytime' },
        action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: i % 10 === 0 ? 'x'.repeat(25) : 'Support' } }] } },
    };
    lines.push(JSON.stringify(p));
  }
  const ndjson = lines.join('\n');
  return ['validateMany', 'wasend', (api) => api.validateMany(ndjson), lines];
}
