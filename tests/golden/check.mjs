// The golden oracle in Node: the built WebAssembly module (pkg/) writes every
// result and preview of tests/golden/*.jsonl byte for byte, as the native core
// does (`cargo run --example golden` checks that side and writes the files). A
// result crosses as two texts (wasm/src/lib.rs, `write_crossing`); joined again
// they must be the core's own result text, byte for byte. A valid case's `meta`
// is its payload in Meta's format: `toMeta` must write it byte for byte, and
// `fromMeta` read it back as the payload the core normalized.
//
//   node tests/golden/check.mjs      # after `npm run build`; a second or two
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync } from '../../pkg/wasend.js';
import * as glue from '../../pkg/wasend.js';

const dir = fileURLToPath(new URL('./', import.meta.url));
initSync({ module: readFileSync(new URL('../../pkg/wasend_bg.wasm', import.meta.url)) });

const CLEAN = '{"valid":true,"errors":[],"warnings":[]}';
/** The whole result text from the crossing: the verdict, then `,"payload":…` when there is one. */
function whole(crossing, input) {
  const nl = crossing.lastIndexOf('\n');
  const payload = crossing.slice(0, nl);
  const verdict = crossing.slice(nl + 1) || CLEAN;
  if (payload === '') return verdict;
  return `${verdict.slice(0, -1)},"payload":${payload === '=' ? input : payload}}`;
}

const started = performance.now();
let cases = 0;
let metas = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(`${dir}${file}`, 'utf8').split('\n')) {
    if (!line) continue;
    const c = JSON.parse(line);
    cases++;
    const options = c.options === null ? undefined : JSON.stringify(c.options);
    const result = whole(glue.validateJson(c.input, options), c.input);
    if (result !== c.result) failures.push(`${file}: ${c.name}: result\n    expected ${c.result}\n    got      ${result}`);
    const definition = c.options?.template === undefined ? undefined : JSON.stringify(c.options.template);
    const preview = glue.preview(c.input, definition);
    if (preview !== c.preview) failures.push(`${file}: ${c.name}: preview\n    expected ${c.preview}\n    got      ${preview}`);
    const payload = JSON.parse(result).payload;
    if ((c.meta === null) !== (payload === undefined || !JSON.parse(result).valid)) {
      failures.push(`${file}: ${c.name}: a Meta twin ${c.meta === null ? 'missing' : 'for an invalid case'}`);
    } else if (c.meta !== null) {
      const meta = glue.toMeta(JSON.stringify(payload));
      if (meta !== c.meta) failures.push(`${file}: ${c.name}: toMeta\n    expected ${c.meta}\n    got      ${meta}`);
      const { body, account } = JSON.parse(c.meta);
      const back = glue.fromMeta(JSON.stringify(body), account);
      const same = glue.fromMeta(JSON.stringify(payload), undefined);
      if (back !== same) failures.push(`${file}: ${c.name}: fromMeta\n    expected ${same}\n    got      ${back}`);
      metas++;
    }
  }
}
const ms = Math.round(performance.now() - started);
if (cases === 0) failures.push('no golden cases: run `cargo run --example golden -- --write`');
if (failures.length) {
  console.error(`the wasm module differs from the golden files in ${failures.length} places (of ${cases} cases):`);
  for (const f of failures.slice(0, 20)) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`${cases} golden cases: the wasm module writes every result and preview byte for byte, and ${metas} Meta twins both ways (${ms} ms)`);
