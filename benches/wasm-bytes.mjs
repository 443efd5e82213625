#!/usr/bin/env node
// Every kilobyte of the validation module accounted for: the module `npm run build`
// ships, rebuilt with its function names kept (wasm-bindgen, then wasm-opt -Oz -g),
// read by twiggy (from crates.io) and summed by what the bytes are for: the phone
// metadata and the other data, each area of the core, the exports' shims (wasm-opt
// inlines an export's code into its wasm-bindgen shim), Rust's standard library and
// allocator. Then the largest functions.
//
//   npm run build && node benches/wasm-bytes.mjs     # needs ~/.cargo/bin/twiggy
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './lib.mjs';

const home = process.env.HOME;
const twiggy = join(home, '.cargo', 'bin', 'twiggy');
const bindgen = process.env.WASM_BINDGEN_BIN ?? join(home, '.cargo', 'bin', 'wasm-bindgen');
const dir = join(root, 'target', 'wasm-bytes');
const built = join(root, 'target', 'wasm32-unknown-unknown', 'wasm', 'wasend_wasm.wasm');
if (!existsSync(built)) throw new Error('run `npm run build` first');
mkdirSync(dir, { recursive: true });
execFileSync(bindgen, ['--target', 'web', '--out-dir', dir, '--out-name', 'wasend', '--no-typescript', built]);
execFileSync(join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt'), ['-Oz', '-g', '--strip-producers',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
  join(dir, 'wasend_bg.wasm'), '-o', join(dir, 'named.wasm')]);
const shipped = readFileSync(join(root, 'pkg', 'wasend_bg.wasm'));
const csv = execFileSync(twiggy, ['top', '-n', '1000000', '--format', 'csv', join(dir, 'named.wasm')], { maxBuffer: 1 << 28 }).toString();

// The phone metadata blob the core embeds (build.rs writes it to OUT_DIR).
const buildDir = join(root, 'target', 'wasm32-unknown-unknown', 'wasm', 'build');
const blobs = readdirSync(buildDir).filter((d) => d.startsWith('wasend-') && existsSync(join(buildDir, d, 'out', 'phone.bin')))
  .map((d) => join(buildDir, d, 'out', 'phone.bin')).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const metadata = blobs.length ? statSync(blobs[0]).size : 0;

const rows = csv.trim().split('\n').slice(1).map((line) => {
  const m = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1];
  return { name, size: Number(m[2]) };
});
const area = (name) => {
  if (name.startsWith('data segment')) return 'data';
  if (name.startsWith('custom section') || name.includes('subsection')) return 'names (stripped when shipped)';
  const shim = /^(\w+) multivalue shim/.exec(name);
  if (shim) return `export shims (inlined code): ${shim[1]}`;
  const n = name.replace(/^</, '').replace(/\[[0-9a-f]+\]/g, '');
  const core = /^wasend::(\w+)/.exec(n);
  if (core) return `wasend::${core[1]}`;
  if (/^wasend_wasm::/.test(n)) return 'wasend_wasm (the bindings)';
  if (/^(core|alloc|std|dlmalloc|compiler_builtins|__rust|__rdl|__rg|str|fmt|string|slice|panicking|ops|char|<char|<str|<u\d|<i\d)/.test(n) || /^(<&|<alloc|<core|<std|<T as)/.test(n)) return 'Rust std, alloc, core, dlmalloc';
  if (/^(js_sys|wasm_bindgen|__wbindgen|__wbg)/.test(n)) return 'wasm-bindgen, js-sys';
  return 'other (types, tables, imports, exports, small items)';
};
const byArea = new Map();
for (const r of rows) byArea.set(area(r.name), (byArea.get(area(r.name)) ?? 0) + r.size);
const shims = [...byArea].filter(([k]) => k.startsWith('export shims'));
const merged = new Map([...byArea].filter(([k]) => !k.startsWith('export shims')));
merged.set('export shims (an export\'s code inlined by wasm-opt)', shims.reduce((a, [, v]) => a + v, 0));
const data = merged.get('data') ?? 0;
merged.delete('data');
merged.set('data: the phone metadata', metadata);
merged.set('data: messages, tables and other constants', data - metadata);
const total = [...merged].filter(([k]) => !k.startsWith('names')).reduce((a, [, v]) => a + v, 0);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
console.log(`wasend_bg.wasm as shipped: ${shipped.length} B raw, ${gzipSync(shipped, { level: 9 }).length} B gzip -9; the named rebuild's items, by area (raw bytes):\n`);
console.log('| area | raw | share |\n|---|---|---|');
for (const [k, v] of [...merged].filter(([k2]) => !k2.startsWith('names')).sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${kb(v)} | ${(100 * v / total).toFixed(1)}% |`);
console.log(`\nexport shims: ${shims.sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k.replace('export shims (inlined code): ', '')} ${kb(v)}`).join(', ')}\n`);
console.log('the largest functions:\n\n| function | raw |\n|---|---|');
for (const r of rows.filter((x) => !/^(data segment|custom section)|subsection/.test(x.name)).sort((a, b) => b.size - a.size).slice(0, 15)) {
  console.log(`| \`${r.name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, '')}\` | ${kb(r.size)} |`);
}
const serde = rows.filter((r) => /serde/.test(r.name)).reduce((a, r) => a + r.size, 0);
const debug = rows.filter((r) => /fmt::Debug|escape_debug/.test(r.name)).reduce((a, r) => a + r.size, 0);
const panic = rows.filter((r) => /panic/.test(r.name)).reduce((a, r) => a + r.size, 0);
console.log(`\nserde: ${serde} B; Debug formatting: ${debug} B; panic machinery: ${panic} B`);
