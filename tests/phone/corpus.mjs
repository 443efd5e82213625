#!/usr/bin/env node
// Generates tests/phone/corpus.jsonl: phone numbers across every region of the
// metadata, valid and invalid, each with libphonenumber-js (max metadata)'s own
// verdict. The Rust tests (tests/phone.rs) and the npm package tests compare
// wasend's verdicts with these.
//
//   node tests/phone/corpus.mjs          # regenerate (seeded: same output every run)
//   node tests/phone/corpus.mjs --check  # exit 1 unless libphonenumber-js still agrees
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parsePhoneNumberFromString, validatePhoneNumberLength, getCountries, getCountryCallingCode,
} from 'libphonenumber-js/max';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'package.json'));
const examples = require('libphonenumber-js/examples.mobile.json');
const metadata = require('libphonenumber-js/metadata.max.json');
const target = join(here, 'corpus.jsonl');
const PER_REGION = 44;
const PER_NON_GEOGRAPHIC = 24;

// mulberry32: a small seeded generator, so the corpus is reproducible.
let seed = 0x5eed2026;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const digit = () => String(Math.floor(random() * 10));
const digits = (n) => Array.from({ length: n }, digit).join('');

function mutate(nn) {
  const chars = [...nn];
  const kind = random();
  if (kind < 0.45) {
    // Change one to three digits of the subscriber part: usually still valid.
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      chars[Math.floor(chars.length / 2 + random() * (chars.length / 2))] = digit();
    }
  } else if (kind < 0.6) {
    chars[Math.floor(random() * Math.min(3, chars.length))] = digit(); // a leading digit
  } else if (kind < 0.75) {
    chars.length = Math.max(1, chars.length - 1 - Math.floor(random() * 2)); // too short
  } else if (kind < 0.9) {
    chars.push(...digits(1 + Math.floor(random() * 2))); // too long
  }
  return chars.join('');
}

// Draws a random string from a metadata pattern (digits, \\d, classes, groups,
// alternation, ? and {n,m}), to reach every number type, not only mobiles.
function sample(pattern) {
  let i = 0;
  function alt() {
    const branches = [concat()];
    while (pattern[i] === '|') { i++; branches.push(concat()); }
    return () => pick(branches)();
  }
  function concat() {
    const items = [];
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') items.push(quant(atom()));
    return () => items.map((f) => f()).join('');
  }
  function atom() {
    const c = pattern[i++];
    if (c === '\\') { i++; return digit; }
    if (c === '(') {
      if (pattern.startsWith('?:', i)) i += 2;
      const inner = alt();
      i++;
      return inner;
    }
    if (c === '[') {
      const set = [];
      while (pattern[i] !== ']') {
        const a = pattern[i++];
        if (pattern[i] === '-' && pattern[i + 1] !== ']') {
          const b = pattern[i + 1];
          i += 2;
          for (let d = Number(a); d <= Number(b); d++) set.push(String(d));
        } else set.push(a);
      }
      i++;
      return () => pick(set);
    }
    return () => c;
  }
  function quant(f) {
    if (pattern[i] === '?') { i++; return () => (random() < 0.5 ? f() : ''); }
    if (pattern[i] === '{') {
      const m = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(i));
      i += m[0].length;
      const lo = Number(m[1]);
      const hi = m[2] ? Number(m[2]) : lo;
      return () => { let s = ''; const n = lo + Math.floor(random() * (hi - lo + 1)); for (let k = 0; k < n; k++) s += f(); return s; };
    }
    return f;
  }
  return alt()();
}

function spaced(s) {
  // Group digits the way people type them: 2-4 digits, random separators.
  let out = '';
  let i = 0;
  while (i < s.length) {
    const n = 2 + Math.floor(random() * 3);
    out += (out ? pick([' ', '-', ' ', '.']) : '') + s.slice(i, i + n);
    i += n;
  }
  return out;
}

function verdict(input, region) {
  const parsed = parsePhoneNumberFromString(input, region ? { defaultCountry: region } : undefined);
  const length = validatePhoneNumberLength(input, region ? { defaultCountry: region } : undefined) || 'IS_POSSIBLE';
  return {
    input,
    region: region || null,
    valid: Boolean(parsed && parsed.isValid()),
    e164: parsed ? parsed.number : null,
    type: (parsed && parsed.getType() && parsed.getType().toLowerCase()) || null,
    country: (parsed && parsed.country) || null,
    length: length.toLowerCase(),
  };
}

function casesFor(region) {
  const cc = getCountryCallingCode(region);
  const plan = metadata.countries[region];
  const lengths = plan[3] || [8];
  const nationalPrefix = plan[5] || '';
  const example = examples[region];
  const out = [];
  const types = (plan[11] || []).filter((t) => t && t[0]);
  for (let i = 0; i < PER_REGION; i++) {
    const r = random();
    const base = types.length && r < 0.4 ? sample(pick(types)[0])
      : example && r < 0.85 ? example
        : pick(['2', '3', '5', '6', '7', '8', '9']) + digits(pick(lengths) - 1);
    const nn = random() < 0.25 ? base : mutate(base);
    const form = random();
    if (form < 0.35) out.push(verdict(`+${cc}${nn}`));
    else if (form < 0.6) out.push(verdict(`+${cc} ${spaced(nn)}`));
    else if (form < 0.85) out.push(verdict(`${nationalPrefix}${nn}`, region));
    else out.push(verdict(`${cc}${nn}`, region));
  }
  return out;
}

function nonGeographic(cc) {
  const lengths = metadata.nonGeographic[cc][3] || [8];
  const out = [];
  for (let i = 0; i < PER_NON_GEOGRAPHIC; i++) {
    const nn = digit() + digits(pick(lengths) - 1 + (random() < 0.2 ? pick([-1, 1]) : 0));
    out.push(verdict(`+${cc}${nn}`));
  }
  return out;
}

const cases = [];
for (const region of getCountries()) cases.push(...casesFor(region));
for (const cc of Object.keys(metadata.nonGeographic)) cases.push(...nonGeographic(cc));
const text = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';

if (process.argv.includes('--check')) {
  // Re-ask libphonenumber-js about every stored input: the expectations are its own.
  const stored = readFileSync(target, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const differ = stored.filter((c) => JSON.stringify(verdict(c.input, c.region || undefined)) !== JSON.stringify(c));
  if (differ.length) {
    console.error(`${differ.length} stored verdicts differ from libphonenumber-js, e.g. ${JSON.stringify(differ[0])}`);
    process.exit(1);
  }
  console.log(`${stored.length} stored phone verdicts match libphonenumber-js max`);
} else {
  writeFileSync(target, text);
  const valid = cases.filter((c) => c.valid).length;
  console.log(`wrote ${cases.length} cases (${valid} valid) over ${getCountries().length} regions`);
}
