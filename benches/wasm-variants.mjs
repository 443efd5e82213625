#!/usr/bin/env node
// Where speed and size pull apart: the validation module built at each opt-level,
// its gzip size beside the two speed figures its goals are
// about (`isValidPhone` and `validate` of the reply-button payload), in one run.
// Each variant is built into target/variants/<name>/ by scripts/build-npm.sh.
//
//   node benches/wasm-variants.mjs             # the variants below
//   node benches/wasm-variants.mjs --quick     # fewer rounds
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { quick, root } from './lib.mjs';

const VARIANTS = [
  ['opt-level 3 (shipped)', { CARGO_PROFILE_WASM_OPT_LEVEL: '3' }],
  ['opt-level "s"', { CARGO_PROFILE_WASM_OPT_LEVEL: 's' }],
  ['opt-level "z"', { CARGO_PROFILE_WASM_OPT_LEVEL: 'z' }],
];
const PAYLOAD = {
  to: '+919876543210', type: 'interactive',
  interactive: { type: 'button', header: { type: 'text', text: 'Support' }, body: { text: 'How can we help?' }, footer: { text: 'Reply anytime' },
    action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }] } },
};
const corpus = readFileSync(join(root, 'tests/phone/corpus.jsonl'), 'utf8').trim().split('\n').slice(0, 10_000).map((l) => JSON.parse(l));
const rounds = quick ? 3 : 7;
function best(fn, ops) {
  fn();
  let b = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / ops);
  }
  return b;
}

const out = [];
for (const [name, env] of VARIANTS) {
  const dir = join('target', 'variants', name.replace(/[^a-z0-9]+/gi, '-'));
  execFileSync('scripts/build-npm.sh', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env, WASEND_PKG_OUT: dir } });
  const wasm = readFileSync(join(root, dir, 'wasend_bg.wasm'));
  const api = await import(pathToFileURL(join(root, dir, 'node.js')).href);
  const phone = best(() => { for (const c of corpus) api.isValidPhone(c.input, c.region ? { defaultRegion: c.region } : undefined); }, corpus.length);
  const validate = best(() => { for (let i = 0; i < 20_000; i++) api.validate(PAYLOAD).valid; }, 20_000);
  out.push({ name, raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length, phone, validate });
  console.log(`${name.padEnd(28)} ${String(wasm.length).padStart(8)} B raw ${String(gzipSync(wasm, { level: 9 }).length).padStart(7)} B gzip   isValidPhone ${phone.toFixed(0).padStart(5)} ns   validate ${(validate / 1000).toFixed(2).padStart(6)} µs`);
}
