// The shared vector set through the built npm package, imported by name (the
// package's self-reference): every vector's expectation holds, and every result
// is identical to the Rust run's (target/vector-results.json, written by
// `cargo test --test vectors`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { validate, validateJson } from 'wasend';

const root = new URL('../../', import.meta.url);
const dir = new URL('tests/vectors/', root);
const rust = JSON.parse(readFileSync(new URL('target/vector-results.json', root), 'utf8'));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

const key = (i) => `${i.code} ${i.path}`;

function check(kind, expected, actual, ordered) {
  const e = expected.map(key);
  const a = actual.map(key);
  if (ordered) assert.deepEqual(a, e, `${kind} in order`);
  else assert.deepEqual([...a].sort(), [...e].sort(), kind);
  const used = new Set();
  for (const exp of expected) {
    const extra = ['limit', 'actual', 'unit', 'suggestion'].filter((f) => exp[f] !== undefined);
    if (!extra.length) continue;
    const i = actual.findIndex((x, j) => !used.has(j) && key(x) === key(exp) && extra.every((f) => x[f] === exp[f]));
    assert.ok(i >= 0, `${kind}: no issue matches ${JSON.stringify(exp)}`);
    used.add(i);
  }
}

let count = 0;
for (const file of files) {
  const { file: name, cases } = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  test(`vectors: ${name}`, () => {
    for (const c of cases) {
      const id = `${name}: ${c.name}`;
      const result = c.input_json !== undefined ? validateJson(c.input_json, c.options) : validate(c.input, c.options);
      const exp = c.expect;
      assert.equal(result.valid, exp.valid, `${id}: valid`);
      check(`${id}: errors`, exp.errors, result.errors, exp.ordered);
      check(`${id}: warnings`, exp.warnings || [], result.warnings, false);
      if (exp.payload !== undefined) assert.deepEqual(result.payload, exp.payload, `${id}: payload`);
      assert.deepEqual(result, rust[id], `${id}: identical to the Rust result`);
      count++;
    }
  });
}

test('every vector ran', () => {
  assert.ok(count >= 250, `${count} vectors`);
  assert.equal(count, Object.keys(rust).length, 'the same vectors as the Rust run');
});
