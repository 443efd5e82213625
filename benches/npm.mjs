#!/usr/bin/env node
// The npm package beside its JavaScript peers, one run, one machine. Needs
// `npm run build` and a bench build of the module with the boundary
// alternatives (this script makes it: WASEND_WASM_FEATURES=bench-boundary).
//
//   node benches/npm.mjs            # full run (about a minute)
//   node benches/npm.mjs --quick    # fewer rounds, for a smoke test
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const quick = process.argv.includes('--quick');
const rounds = quick ? 2 : 5;

// ------------------------------------------------------------------ setup
const benchPkg = join(root, 'target', 'bench-pkg');
if (!existsSync(join(benchPkg, 'node.js')) || process.argv.includes('--rebuild')) {
  execFileSync(join(root, 'scripts', 'build-npm.sh'), {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WASEND_PKG_OUT: 'target/bench-pkg', WASEND_WASM_FEATURES: 'bench-boundary' },
  });
}
const wasend = await import('wasend');
const campaigns = await import('wasend/campaigns');
// The boundary alternatives are exports of the bench build's glue, used directly (each
// published entry carries its own bundled copy of the glue).
const glue = await import(pathToFileURL(join(benchPkg, 'wasend.js')).href);
glue.initSync({ module: readFileSync(join(benchPkg, 'wasend_bg.wasm')) });
const { isValidPhoneNumber: validMin } = await import('libphonenumber-js/min');
const { isValidPhoneNumber: validMax } = await import('libphonenumber-js/max');
const { default: Ajv } = await import('ajv');
const { default: Papa } = await import('papaparse');
const { parsePhoneNumberFromString } = await import('libphonenumber-js/max');
const { z } = await import('zod');

/** Best-of-`rounds` time per operation, in ns, after a warm-up. */
function time(fn, ops) {
  fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / ops);
  }
  return best;
}
const rows = [];
const row = (group, name, ns, note = '') => { rows.push({ group, name, ns, note }); console.log(`${group.padEnd(8)} ${name.padEnd(58)} ${fmt(ns).padStart(10)} ${note}`); };
const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

console.log(`node ${process.version}, wasend metadata ${wasend.metadataVersion()}\n`);

// ------------------------------------------------------------------ phone
const corpus = readFileSync(join(root, 'tests', 'phone', 'corpus.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const phones = corpus.slice(0, 10_000);
// wasend's `valid` is RULES.md's (WhatsApp-id leniency, the international
// fallback with a region); the corpus's is libphonenumber's. Count both.
let agree = 0;
const differ = [];
for (const c of phones) {
  const r = wasend.normalizePhone(c.input, { defaultRegion: c.region || undefined });
  if (r.valid === c.valid) agree++; else differ.push(`${c.input}${c.region ? ' @' + c.region : ''}: ${r.valid ? 'valid ' + r.e164 + ' ' + r.warnings.map((w) => w.code).join(',') : 'invalid'}`);
}
const phoneBench = (name, f) => row('phone', name, time(() => { let n = 0; for (const c of phones) n += f(c) ? 1 : 0; return n; }, phones.length));
// The corpus mixes regions; a real bulk list has one default region (or none):
// group by region so each batch is one call.
const byRegion = new Map();
for (const c of phones) { const k = c.region || ''; if (!byRegion.has(k)) byRegion.set(k, []); byRegion.get(k).push(c.input); }
row('phone', 'wasend isValidPhoneMany (one call per default region)', time(() => {
  let n = 0; for (const [r, list] of byRegion) n += wasend.isValidPhoneMany(list, r ? { defaultRegion: r } : undefined).filter(Boolean).length; return n;
}, phones.length));
phoneBench('wasend isValidPhone', (c) => wasend.isValidPhone(c.input, c.region ? { defaultRegion: c.region } : undefined));
phoneBench('wasend normalizePhone (full verdict object)', (c) => wasend.normalizePhone(c.input, c.region ? { defaultRegion: c.region } : undefined).valid);
phoneBench('libphonenumber-js min isValidPhoneNumber', (c) => validMin(c.input, c.region || undefined));
phoneBench('libphonenumber-js max isValidPhoneNumber', (c) => validMax(c.input, c.region || undefined));
console.log(`         wasend's RULES.md verdicts equal libphonenumber-js max's on ${agree}/${phones.length}; the others, by design:`);
for (const d of differ) console.log(`           ${d}`);
console.log('');

// ------------------------------------------------------------------ single payload
const PAYLOAD = {
  to: '+919876543210', type: 'interactive',
  interactive: { type: 'button', header: { type: 'text', text: 'Support' }, body: { text: 'How can we help?' }, footer: { text: 'Reply anytime' },
    action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }] } },
};
// The button message's rules as JSON Schema and as zod: lengths, counts, enums,
// unknown fields. Neither can check the phone number on metadata, nor that ids and
// titles are unique, which wasend does on top.
const text = (min, max) => ({ type: 'string', minLength: min, maxLength: max });
const schema = {
  type: 'object', additionalProperties: false, required: ['to', 'type', 'interactive'],
  properties: {
    to: { type: 'string', pattern: '^\\+?[0-9 ().-]{7,20}$' }, type: { const: 'interactive' },
    whatsapp_account: text(1, 128), biz_opaque_callback_data: text(0, 512),
    interactive: {
      type: 'object', additionalProperties: false, required: ['type', 'body', 'action'],
      properties: {
        type: { enum: ['button', 'list', 'cta_url', 'location_request_message'] },
        header: { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: ['text', 'image', 'video', 'document'] }, text: text(1, 60) } },
        body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: text(1, 1024) } },
        footer: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: text(1, 60) } },
        action: {
          type: 'object', additionalProperties: false, required: ['buttons'],
          properties: { buttons: { type: 'array', minItems: 1, maxItems: 3, items: {
            type: 'object', additionalProperties: false, required: ['type', 'reply'],
            properties: { type: { const: 'reply' }, reply: { type: 'object', additionalProperties: false, required: ['id', 'title'], properties: { id: text(1, 256), title: text(1, 20) } } },
          } } },
        },
      },
    },
  },
};
const ajv = new Ajv({ allErrors: true });
const ajvValidate = ajv.compile(schema);
const zt = (min, max) => z.string().min(min).max(max);
const zodSchema = z.strictObject({
  to: z.string().regex(/^\+?[0-9 ().-]{7,20}$/), type: z.literal('interactive'),
  whatsapp_account: zt(1, 128).optional(), biz_opaque_callback_data: zt(0, 512).optional(),
  interactive: z.strictObject({
    type: z.enum(['button', 'list', 'cta_url', 'location_request_message']),
    header: z.strictObject({ type: z.enum(['text', 'image', 'video', 'document']), text: zt(1, 60).optional() }).optional(),
    body: z.strictObject({ text: zt(1, 1024) }),
    footer: z.strictObject({ text: zt(1, 60) }).optional(),
    action: z.strictObject({ buttons: z.array(z.strictObject({ type: z.literal('reply'), reply: z.strictObject({ id: zt(1, 256), title: zt(1, 20) }) })).min(1).max(3) }),
  }),
});
if (!wasend.validate(PAYLOAD).valid || !ajvValidate(PAYLOAD) || !zodSchema.safeParse(PAYLOAD).success) throw new Error('the bench payload must be valid for all');
const N = 20_000;
const single = (name, f, note) => row('payload', name, time(() => { for (let i = 0; i < N; i++) f(); }, N), note);
single('wasend validate (JSON text across the boundary: shipped)', () => wasend.validate(PAYLOAD));
single('wasend validate, then payload read', () => wasend.validate(PAYLOAD).payload.to);
// The crossing's alternatives (issue 15): the whole result as one JSON text,
// parsed in full (rounds 1-3); the input object handed back when normalization
// changed nothing (an alias of the caller's object, so not shipped).
single('  alternative: one JSON text for the whole result, parsed', () => JSON.parse(glue.validateWhole(JSON.stringify(PAYLOAD))).valid);
single('  alternative: input object handed back when unchanged', () => {
  const answer = glue.validateJson(JSON.stringify(PAYLOAD));
  const nl = answer.lastIndexOf('\n');
  const verdict = answer.slice(nl + 1);
  const r = verdict === '' ? { valid: true, errors: [], warnings: [] } : JSON.parse(verdict);
  const p = answer.slice(0, nl);
  if (p !== '') r.payload = p === '=' ? PAYLOAD : JSON.parse(p);
  return r.payload.to;
});
single('  alternative: serde-wasm-bindgen both ways', () => glue.validateSwb(PAYLOAD));
single('  alternative: direct js_sys reads in, JSON text out', () => JSON.parse(glue.validateReflect(PAYLOAD)));
single('ajv (allErrors) validate', () => ajvValidate(PAYLOAD));
single('zod 4 safeParse', () => zodSchema.safeParse(PAYLOAD));
const BAD = structuredClone(PAYLOAD);
BAD.interactive.action.buttons[0].reply.title = 'x'.repeat(21);
BAD.interactive.body.text = '';
single('wasend validate, 2 errors', () => wasend.validate(BAD));
single('ajv (allErrors) validate, 2 errors', () => ajvValidate(BAD));
single('zod 4 safeParse, 2 errors', () => zodSchema.safeParse(BAD));
console.log('');

// ------------------------------------------------------------------ every kind
// Issue 24's per-payload goal, on each kind: wasend's verdict (`valid` only, then with
// the payload read) against zod 4 and libphonenumber-js max together (zod for the
// shape, libphonenumber-js for the number, which zod cannot check), which still check
// less than wasend (no metadata type, no WhatsApp id, no template rules by definition).
const KINDS = [
  ['text', { to: '+919876543210', type: 'text', text: 'Your order ORD-789 has shipped.' },
    z.strictObject({ to: z.string(), type: z.literal('text'), text: z.string().min(1).max(4096) })],
  ['template', { to: '+919876543210', type: 'template', template: { name: 'order_confirmation', language: { code: 'en' }, components: [
    { type: 'body', parameters: [{ type: 'text', text: 'John' }, { type: 'text', text: 'ORD-789' }] },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ORD-789' }] }] } },
  z.strictObject({ to: z.string(), type: z.literal('template'), template: z.strictObject({ name: z.string().min(1).max(512), language: z.strictObject({ code: z.string() }),
    components: z.array(z.strictObject({ type: z.enum(['header', 'body', 'button']), sub_type: z.enum(['url', 'quick_reply', 'copy_code']).optional(), index: z.number().int().min(0).max(9).optional(),
      parameters: z.array(z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(1024) })) })) }) })],
  ['reply buttons', PAYLOAD, zodSchema],
];
for (const [kind, payload, schema] of KINDS) {
  if (!wasend.validate(payload).valid || !schema.safeParse(payload).success || !validMax(payload.to)) throw new Error(`the ${kind} payload must be valid for all`);
  single(`${kind}: wasend validate, valid only`, () => wasend.validate(payload).valid);
  single(`${kind}: wasend validate, then payload read`, () => wasend.validate(payload).payload.to);
  single(`${kind}: zod 4 safeParse + libphonenumber-js max isValidPhoneNumber`, () => schema.safeParse(payload).success && validMax(payload.to));
}
console.log('');

// ------------------------------------------------------------------ bulk
const M = quick ? 20_000 : 100_000;
const lines = [];
for (let i = 0; i < M; i++) {
  const p = structuredClone(PAYLOAD);
  p.interactive.body.text = `How can we help, customer ${i}?`;
  if (i % 10 === 0) p.interactive.action.buttons[1].reply.title = 'x'.repeat(25);
  lines.push(JSON.stringify(p));
}
const ndjson = lines.join('\n');
const bulkWasend = time(() => wasend.validateMany(ndjson), 1);
const bulkAjv = time(() => { const out = []; for (const l of lines) { const p = JSON.parse(l); const ok = ajvValidate(p); out.push(JSON.stringify({ valid: ok, errors: ajvValidate.errors || [] })); } return out; }, 1);
row('bulk', `wasend validateMany over ${M} NDJSON payloads`, bulkWasend, `${fmt(bulkWasend / M)} each`);
row('bulk', `JSON.parse + ajv + JSON.stringify, ${M} payloads`, bulkAjv, `${fmt(bulkAjv / M)} each`);
console.log(`         ratio wasend / ajv: ${(bulkWasend / bulkAjv).toFixed(2)}× (goal ≤ 0.5×)\n`);

// ------------------------------------------------------------------ campaign list
// 100,000 CSV rows for order_confirmation (two body inputs, a URL button), every
// tenth with a 1,100-character value and every twentieth a duplicate recipient, as
// the core's criterion bench has them. The peer does less than wasend: papaparse
// reads the CSV, libphonenumber-js max checks and formats each number, a Set
// finds duplicates, and the payload object is built by hand; no template rule,
// no length, no WhatsApp-id identity, no error located by row and column.
const orderDef = JSON.parse(readFileSync(join(root, 'templates', 'order_confirmation.en.json'), 'utf8'));
const C = quick ? 20_000 : 100_000;
const csvLines = ['to,1,2,button_0'];
for (let i = 0; i < C; i++) {
  const n = i % 20 === 19 ? i - 1 : i;
  const name = i % 10 === 0 ? 'x'.repeat(1100) : `Customer ${i}`;
  csvLines.push(`+9198${String(10_000_000 + n)},"${name}",ORD-${i},${i}`);
}
const campaignCsv = `${csvLines.join('\n')}\n`;
const campaignWasend = time(() => campaigns.prepareCampaign(campaignCsv, orderDef), 1);
const campaignPeer = time(() => {
  const { data } = Papa.parse(campaignCsv, { header: true, skipEmptyLines: true });
  const seen = new Set();
  const out = [];
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    const phone = parsePhoneNumberFromString(r.to);
    if (!phone || !phone.isValid()) { out.push({ row: i + 1, status: 'invalid' }); continue; }
    const e164 = phone.number;
    if (seen.has(e164)) { out.push({ row: i + 1, status: 'duplicate' }); continue; }
    seen.add(e164);
    out.push({ row: i + 1, status: 'ready', payload: { to: e164, type: 'template', template: { name: orderDef.name, language: { code: orderDef.language }, components: [
      { type: 'body', parameters: [{ type: 'text', text: r['1'] }, { type: 'text', text: r['2'] }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: r.button_0 }] }] } } });
  }
  return out;
}, 1);
row('campaign', `wasend prepareCampaign, ${C} CSV rows`, campaignWasend, `${fmt(campaignWasend / C)} a row (goal: 100,000 in ≤ 1 s)`);
row('campaign', `papaparse + libphonenumber-js max + a Set, ${C} rows`, campaignPeer, `${fmt(campaignPeer / C)} a row (less work: see the comment)`);
console.log(`         ratio wasend / peer: ${(campaignWasend / campaignPeer).toFixed(2)}×\n`);

// ------------------------------------------------------------------ size
const wasm = readFileSync(join(root, 'pkg', 'wasend_bg.wasm'));
const glueJs = readFileSync(join(root, 'pkg', 'wasend.js'));
const clientWasm = readFileSync(join(root, 'pkg', 'client_bg.wasm'));
const clientJs = readFileSync(join(root, 'pkg', 'client.js'));
// What a page that only validates downloads (wasend_bg.wasm and the JavaScript
// of the package), then what the first createClient adds.
const sizes = {
  'wasend_bg.wasm': [wasm.length, gzipSync(wasm, { level: 9 }).length],
  'wasend.js (glue)': [glueJs.length, gzipSync(glueJs, { level: 9 }).length],
  'client_bg.wasm (loaded on the first createClient)': [clientWasm.length, gzipSync(clientWasm, { level: 9 }).length],
  'client.js (its glue)': [clientJs.length, gzipSync(clientJs, { level: 9 }).length],
};
for (const [name, [raw, gz]] of Object.entries(sizes)) console.log(`size     ${name.padEnd(58)} ${String(raw).padStart(8)} B raw ${String(gz).padStart(7)} B gzip`);
const peerSize = (mod) => { const f = require.resolve(mod); const b = readFileSync(f); return gzipSync(b, { level: 9 }).length; };
console.log(`size     ${'libphonenumber-js metadata.max.json (peer, for scale)'.padEnd(58)} ${''.padStart(8)}       ${String(peerSize('libphonenumber-js/metadata.max.json')).padStart(7)} B gzip\n`);

// ------------------------------------------------------------------ cold start
function cold(label, code) {
  const times = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
    times.push(Number(r.stdout.trim()));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  row('cold', `${label}: import to first verdict (median of ${times.length} processes)`, median * 1e6);
}
const P = JSON.stringify(PAYLOAD);
cold('wasend', `const t=performance.now(); const w=await import('wasend'); w.validate(${P}); console.log(performance.now()-t)`);
cold('ajv', `const t=performance.now(); const {default:Ajv}=await import('ajv'); const v=new Ajv({allErrors:true}).compile(${JSON.stringify(schema)}); v(${P}); console.log(performance.now()-t)`);
cold('zod', `const t=performance.now(); const {z}=await import('zod'); const s=z.strictObject({to:z.string(),type:z.literal('interactive'),interactive:z.strictObject({type:z.string(),header:z.any(),footer:z.any(),body:z.strictObject({text:z.string().min(1).max(1024)}),action:z.any()})}); s.safeParse(${P}); console.log(performance.now()-t)`);
cold('libphonenumber-js max', `const t=performance.now(); const {isValidPhoneNumber}=await import('libphonenumber-js/max'); isValidPhoneNumber('+919876543210'); console.log(performance.now()-t)`);
