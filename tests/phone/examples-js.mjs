#!/usr/bin/env node
// Writes tests/phone/examples-js.jsonl: libphonenumber-js max's verdict on every
// line of tests/phone/examples.jsonl (Google's example numbers and the typed
// inputs, which tests/phone/examples.py writes with phonenumbers' verdicts), in
// the same order, so that tests/phone.rs can report wasend's agreement with both
// referees on the same numbers.
//
//   node tests/phone/examples-js.mjs          # rewrite
//   node tests/phone/examples-js.mjs --check  # exit 1 unless libphonenumber-js still says so
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'examples.jsonl');
const target = join(here, 'examples-js.jsonl');

function verdict(input, region) {
  const parsed = parsePhoneNumberFromString(input, region ? { defaultCountry: region } : undefined);
  if (!parsed) return { valid: false };
  const out = { valid: parsed.isValid(), e164: parsed.number };
  const type = parsed.getType();
  if (type) out.type = type.toLowerCase();
  if (parsed.country) out.region = parsed.country;
  if (parsed.ext) out.extension = parsed.ext;
  return out;
}

const lines = readFileSync(source, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const text = lines.map((l) => JSON.stringify({ input: l.input, js: verdict(l.input, l.region) })).join('\n') + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing is stale */ }
  if (current !== text) {
    console.error(`${target} is stale: run node tests/phone/examples-js.mjs`);
    process.exit(1);
  }
  console.log(`tests/phone/examples-js.jsonl is libphonenumber-js max's (${lines.length} numbers)`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${lines.length} verdicts to ${target}`);
}
