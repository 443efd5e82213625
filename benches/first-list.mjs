#!/usr/bin/env node
// A campaign list's first preparation in a fresh process against the next ones,
// at the module's own export (pkg/campaign.js, no JSON.parse of its answer, which
// is timed apart), with the module's memory after each: BENCHMARKS.md's "first
// prepareCampaign" paragraph. Needs `npm run build`. Run with `node --trace-gc`
// to see the collections during the first call.
//
//   node benches/first-list.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

const glue = await import(join(root, 'pkg', 'campaign.js'));
const wasm = glue.initSync({ module: readFileSync(join(root, 'pkg', 'campaign_bg.wasm')) });
const definition = readFileSync(join(root, 'templates', 'order_confirmation.en.json'), 'utf8');
// The rows of benches/npm.mjs's campaign list.
const lines = ['to,1,2,button_0'];
for (let i = 0; i < 100_000; i++) {
  const n = i % 20 === 19 ? i - 1 : i;
  const name = i % 10 === 0 ? 'x'.repeat(1100) : `Customer ${i}`;
  lines.push(`+9198${String(10_000_000 + n)},"${name}",ORD-${i},${i}`);
}
const csv = `${lines.join('\n')}\n`;
for (const call of ['first', 'second', 'third']) {
  let t = performance.now();
  const text = glue.prepareCampaign(csv, definition, undefined);
  const module = performance.now() - t;
  t = performance.now();
  JSON.parse(text);
  const parse = performance.now() - t;
  console.log(`${call.padEnd(6)} call: module ${module.toFixed(0)} ms, JSON.parse of its ${(text.length / 1e6).toFixed(1)} MB answer ${parse.toFixed(0)} ms, memory ${(wasm.memory.buffer.byteLength / 1e6).toFixed(0)} MB`);
}
