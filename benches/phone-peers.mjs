#!/usr/bin/env node
// libphonenumber-js on the same corpus the Rust benches use, for the side-by-side
// figures in BENCHMARKS.md: ns per number for isValidPhoneNumber (min and max
// metadata), after a warm-up pass, best of 5 rounds.
//
//   node benches/phone-peers.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isValidPhoneNumber as validMin } from 'libphonenumber-js/min';
import { isValidPhoneNumber as validMax } from 'libphonenumber-js/max';

const here = dirname(fileURLToPath(import.meta.url));
const cases = readFileSync(join(here, '..', 'tests', 'phone', 'corpus.jsonl'), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l));

function bench(name, fn) {
  let sink = 0;
  for (const c of cases) sink += fn(c.input, c.region || undefined) ? 1 : 0;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (const c of cases) sink += fn(c.input, c.region || undefined) ? 1 : 0;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / cases.length);
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(0).padStart(7)} ns/number  (${cases.length} numbers, sink ${sink})`);
}

console.log(`node ${process.version}`);
bench('libphonenumber-js min isValidPhoneNumber', (n, r) => validMin(n, r));
bench('libphonenumber-js max isValidPhoneNumber', (n, r) => validMax(n, r));
