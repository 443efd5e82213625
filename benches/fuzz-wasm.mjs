// Fuzzing through the wasm boundary: the published npm module (pkg/, Node)
// gets mutated payloads for --seconds, starting from the native fuzzer's corpus
// (fuzz/corpus/validate, coverage-rich) and the vector payloads. libFuzzer cannot
// see inside wasm, so this is mutation fuzzing without coverage feedback: byte
// mutations, splices and JSON-aware mutations of the seeds. Checked per input:
//
// - no call throws (a Rust panic is a wasm trap: `RuntimeError: unreachable`);
// - the result is RULES.md-shaped: `valid` iff no errors and a payload, each
//   issue with a code of the package's `Code` type, a JSON Pointer path that
//   exists in the input (or is its parent), a lowercase message with no period;
// - a valid payload validates again to itself, and the object entry point
//   (`validate`) agrees with the text one (`validateJson`);
// - a one-item `validateMany` list (read once as a tape, each item checked where
//   it stands and its text written from the tape: `normalize_items`) agrees with
//   `validateJson` (until #28 step 4 this held the walkers over the tree equal
//   to those over the tape);
// - `isValidPhone` agrees with `normalizePhone` on the payload's `to`;
// - a third of the inputs are validated against an approved definition of
//   templates/ (the one a template payload names, when there is one), and each
//   check above holds with it.
//
// Then the differential: a sample of the inputs (every 200th, and each one with
// a combination of codes not seen before) goes through the native core
// (`cargo run --release --example validate_lines`, with the same definition) and
// must give the same result.
//
//   node benches/fuzz-wasm.mjs [--quick] [--seconds N] [--seed N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidPhone, normalizePhone, validate, validateJson, validateMany } from '../pkg/node.js';
import { arg, finish, quick, rng, root } from './lib.mjs';

const SECONDS = Number(arg('seconds', quick ? 10 : 600));
const MAX_TEXT = 1 << 20;
const random = rng(Number(arg('seed', 1)));
const int = (n) => Math.floor(random() * n);
const choose = (xs) => xs[int(xs.length)];

const dts = readFileSync(join(root, 'wasm/js/index.d.ts'), 'utf8');
const codes = new Set([...dts.slice(dts.indexOf('export type Code ='), dts.indexOf(';', dts.indexOf('export type Code ='))).matchAll(/'([a-z_0-9]+)'/g)].map((m) => m[1]));

// The approved definitions a template payload is checked against, by file name.
const definitions = readdirSync(join(root, 'templates')).filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, definition: JSON.parse(readFileSync(join(root, 'templates', file), 'utf8')) }));
/** For a third of the inputs, a definition: the one the payload names, else any. */
function definitionFor(text) {
  if (int(3) !== 0) return null;
  let named;
  try { named = JSON.parse(text)?.template?.name; } catch { named = undefined; }
  const same = definitions.filter((d) => d.definition.name === named);
  return choose(same.length ? same : definitions);
}

// Seeds: the native corpus when it is there (fuzz/seed.py and cargo fuzz fill it), and always the vectors.
const seeds = [];
const corpus = join(root, 'fuzz/corpus/validate');
if (existsSync(corpus)) for (const f of readdirSync(corpus)) seeds.push(readFileSync(join(corpus, f)).toString('utf8'));
for (const f of readdirSync(join(root, 'tests/vectors')).filter((x) => x.endsWith('.json'))) {
  for (const c of JSON.parse(readFileSync(join(root, 'tests/vectors', f), 'utf8')).cases) seeds.push(c.input_json ?? JSON.stringify(c.input));
}

const TOKENS = ['{', '}', '[', ']', '"', ':', ',', '\\', '\\u0000', '\\ud800', '\\"', 'null', 'true', '-0', '1e999', '0.1', '-1', '18446744073709551616',
  '"type"', '"text"', '"template"', '"interactive"', '"buttons"', '"components"', '"parameters"', '"to"', '"+919876543210"', '"🙂"', '\u200d', '\u0301', '\ufeff', '\u0000', ' ', '\n'];
const VALUES = [null, true, false, 0, -1, 1.5, 1e308, -0, '', ' ', 'x'.repeat(5000), '🙂'.repeat(300), '+919876543210', '+1 415 555 2671', '0091 98765 43210', 'https://example.com/a.jpg',
  'javascript:alert(1)', '{{1}}', 'a\u0000b', '\ud800', [], {}, [1, 2, 3], { type: 'text' }];

function mutateBytes(s) {
  const b = [...s];
  const n = 1 + int(4);
  for (let k = 0; k < n; k++) {
    const i = int(b.length + 1);
    switch (int(6)) {
      case 0: b.splice(i, 1); break;
      case 1: b.splice(i, 0, choose(TOKENS)); break;
      case 2: if (b.length) b[Math.min(i, b.length - 1)] = String.fromCharCode(int(0x3000)); break;
      case 3: { const j = int(b.length + 1); b.splice(i, 0, ...b.slice(Math.min(i, j), Math.max(i, j)).slice(0, 200)); break; }
      case 4: b.splice(i, int(20)); break;
      default: b.splice(i, 0, String(int(1e6)));
    }
  }
  return b.join('');
}
function nodes(v, path = [], out = []) {
  out.push(path);
  if (v && typeof v === 'object') for (const k of Object.keys(v)) nodes(v[k], [...path, k], out);
  return out;
}
function mutateJson(s) {
  let v;
  try { v = JSON.parse(s); } catch { return mutateBytes(s); }
  if (!v || typeof v !== 'object') return mutateBytes(s);
  const n = 1 + int(3);
  for (let k = 0; k < n; k++) {
    const path = choose(nodes(v));
    if (!path.length) continue;
    const parent = path.slice(0, -1).reduce((o, key) => o[key], v);
    const key = path.at(-1);
    switch (int(6)) {
      case 0: delete parent[key]; break;
      case 1: parent[key] = structuredClone(choose(VALUES)); break;
      case 2: if (Array.isArray(parent)) parent.push(structuredClone(parent[key])); else parent[`${key}_x`] = parent[key]; break;
      case 3: if (typeof parent[key] === 'string') parent[key] = parent[key].repeat(2 + int(40)); break;
      case 4: parent[key] = structuredClone(choose(nodes(v)).reduce((o, kk) => (o == null ? o : o[kk]), v) ?? null); break;
      default: if (typeof parent[key] === 'string') parent[key] = mutateBytes(parent[key]);
    }
  }
  return JSON.stringify(v);
}
function next() {
  const s = choose(seeds);
  switch (int(4)) {
    case 0: return mutateBytes(s);
    case 1: { const t = choose(seeds); return s.slice(0, int(s.length + 1)) + t.slice(int(t.length + 1)); }
    default: return mutateJson(s);
  }
}

const pointerExists = (value, path) => {
  if (path === '') return true;
  let v = value;
  for (const raw of path.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return false;
    v = v[k];
  }
  return true;
};
const parent = (path) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

function check(text, options) {
  const r = validateJson(text, options);
  const problems = [];
  if (r.valid !== (r.errors.length === 0) || r.valid !== (r.payload !== undefined)) problems.push('valid, errors and payload disagree');
  let value;
  try { value = JSON.parse(text); } catch { value = undefined; }
  for (const issue of [...r.errors, ...r.warnings]) {
    if (!codes.has(issue.code)) problems.push(`unknown code ${issue.code}`);
    if (typeof issue.message !== 'string' || /\.$/.test(issue.message) || /^[A-Z]/.test(issue.message)) problems.push(`message style: ${issue.message}`);
    if (typeof issue.path !== 'string' || (issue.path !== '' && !issue.path.startsWith('/'))) problems.push(`path ${issue.path}`);
    else if (value !== undefined && !pointerExists(value, issue.path) && !pointerExists(value, parent(issue.path))) problems.push(`path ${issue.path} is not in the input`);
  }
  if (r.valid) {
    const again = validate(r.payload, options);
    if (!again.valid || JSON.stringify(again.payload) !== JSON.stringify(r.payload)) problems.push('the normalized payload does not validate to itself');
    if (typeof r.payload.to === 'string' && isValidPhone(r.payload.to) !== normalizePhone(r.payload.to).valid) problems.push('isValidPhone and normalizePhone disagree');
  }
  if (value !== undefined && typeof value === 'object' && value !== null) {
    const viaObject = validate(value, options);
    if (JSON.stringify(viaObject) !== JSON.stringify(r) && JSON.stringify(value) === text) problems.push('validate and validateJson disagree');
  }
  if (!r.errors.some((e) => e.message.startsWith('payload is not valid json'))) {
    const [overTree] = validateMany(`[${text}]`, options);
    if (JSON.stringify(overTree) !== JSON.stringify(r)) problems.push('validateMany and validateJson disagree');
  }
  return { r, problems };
}

const outDir = join(root, 'target', 'fuzz-wasm');
mkdirSync(outDir, { recursive: true });
const sample = [];
const seenShapes = new Set();
let runs = 0;
let crash = null;
const started = Date.now();
const deadline = started + SECONDS * 1000;
while (Date.now() < deadline && !crash) {
  for (let k = 0; k < 200 && !crash; k++) {
    const text = runs % 10 === 0 ? choose(seeds) : next();
    // Repeats of repeats can reach hundreds of megabytes, which exhaust the module's
    // memory (a trap, not a rule's answer): those are skipped, and the sizes a
    // server takes are the hostile suite's.
    if (text.length > MAX_TEXT) continue;
    const def = definitionFor(text);
    runs++;
    try {
      const { r, problems } = check(text, def ? { template: def.definition } : undefined);
      if (problems.length) crash = { text, problems: def ? [...problems, `against ${def.file}`] : problems };
      const shape = `${r.valid}:${[...new Set(r.errors.map((e) => e.code))].sort()}:${[...new Set(r.warnings.map((e) => e.code))].sort()}`;
      if (runs % 200 === 0 || !seenShapes.has(shape)) sample.push({ text, result: r, file: def?.file });
      seenShapes.add(shape);
    } catch (e) {
      crash = { text, problems: [`threw: ${e && e.stack}`] };
    }
  }
}
const seconds = (Date.now() - started) / 1000;
if (crash) writeFileSync(join(outDir, 'crash.txt'), crash.text);

// The differential against the native core.
writeFileSync(join(outDir, 'sample.hex'), sample.map((s) => Buffer.from(s.text, 'utf8').toString('hex') + (s.file ? `\t${s.file}` : '')).join('\n') + '\n');
const native = execFileSync('cargo', ['run', '--quiet', '--release', '--locked', '--example', 'validate_lines'], { cwd: root, input: readFileSync(join(outDir, 'sample.hex')), maxBuffer: 1 << 30 }).toString().trim().split('\n');
let disagreements = 0;
let firstDisagreement = null;
sample.forEach((s, i) => {
  if (JSON.stringify(JSON.parse(native[i] ?? 'null')) !== JSON.stringify(s.result)) {
    disagreements++;
    firstDisagreement ??= { input: s.text.slice(0, 300), definition: s.file, wasm: s.result, native: native[i]?.slice(0, 300) };
  }
});

const failures = [];
if (crash) failures.push(`after ${runs} runs: ${crash.problems.join('; ')} (input in target/fuzz-wasm/crash.txt)`);
if (disagreements) failures.push(`${disagreements} of ${sample.length} results differ from the native core's: ${JSON.stringify(firstDisagreement)}`);
finish('fuzz-wasm', {
  seconds: Math.round(seconds),
  executions: runs,
  per_second: Math.round(runs / seconds),
  seeds: seeds.length,
  result_shapes: seenShapes.size,
  definitions: definitions.length,
  crashes: crash ? 1 : 0,
  differential: { compared: sample.length, disagreements },
}, failures);
