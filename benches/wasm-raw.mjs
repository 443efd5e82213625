#!/usr/bin/env node
// The validation module's own cost against the npm API's: 100,000 copies of the
// reply-button payload as NDJSON through the raw `validateMany` export
// (pkg/wasend.js) and through the package's `validateMany` (which splits the
// answer and makes a result a payload), best of 5 each. Compare with
// `cargo bench --bench core -- bytes_to_normalized_bytes/buttons` for native.
// Needs `npm run build`.
//
//   node benches/wasm-raw.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

const glue = await import(join(root, 'pkg', 'wasend.js'));
glue.initSync({ module: readFileSync(join(root, 'pkg', 'wasend_bg.wasm')) });
const api = await import('wasend');
const payload = JSON.stringify({ to: '+919876543210', type: 'interactive', interactive: { type: 'button', body: { text: 'How can we help?' }, action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }] } } });
const M = 100_000;
const ndjson = Array(M).fill(payload).join('\n');
const best = (f) => { let b = Infinity; for (let r = 0; r < 5; r++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); } return (b * 1000) / M; };
console.log(`raw validateMany export   ${best(() => glue.validateMany(new TextEncoder().encode(ndjson), undefined)).toFixed(2)} µs a payload`);
console.log(`npm API validateMany      ${best(() => api.validateMany(ndjson)).toFixed(2)} µs a payload`);
