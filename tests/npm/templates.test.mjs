// The template model's vectors through the npm package: templateFields and
// fillTemplate give what the files expect, and fillTemplate's results equal the
// Rust run's (target/fill-results.json, written by `cargo test --test templates`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { templateFields, fillTemplate, validate } from 'wasend';

const root = new URL('../../', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(`tests/vectors/templates/${name}`, root), 'utf8')).cases;
const rust = JSON.parse(readFileSync(new URL('target/fill-results.json', root), 'utf8'));

for (const c of read('fields.json')) {
  test(`templateFields: ${c.name}`, () => {
    const got = templateFields(c.definition);
    assert.equal(got.sendable, c.expect.sendable);
    assert.equal(got.fields.length, c.expect.fields.length);
    got.fields.forEach((f, i) => {
      const e = c.expect.fields[i];
      for (const [k, v] of Object.entries(e)) {
        if (k === 'limit') assert.deepEqual({ max: f.limit.max, unit: f.limit.unit }, v, `${e.key} limit`);
        else assert.deepEqual(f[k], v, `${e.key} ${k}`);
      }
      if (!e.limit) assert.equal(f.limit, undefined);
    });
  });
}

for (const c of read('fill.json')) {
  test(`fillTemplate: ${c.name}`, () => {
    const got = fillTemplate(c.definition, c.values, c.options);
    assert.deepEqual(got, rust[c.name], 'identical to the Rust result');
    assert.equal(got.valid, c.expect.valid);
    const key = (i) => `${i.field ?? '-'} ${i.code} ${i.path}`;
    assert.deepEqual(got.errors.map(key).sort(), c.expect.errors.map(key).sort());
    if (c.expect.payload) {
      assert.deepEqual(got.payload, c.expect.payload);
      assert.equal(validate(got.payload, { template: c.definition }).valid, true);
    }
  });
}

test('fillTemplate refuses arguments that are not a definition and values', () => {
  assert.throws(() => fillTemplate({ language: 'en' }, {}), TypeError);
  assert.throws(() => fillTemplate({ name: 'x', language: 'en' }, 'to=1'), TypeError);
  assert.throws(() => templateFields(null), TypeError);
});

test('lookupTemplate finds the definition a payload names, by the core', async () => {
  const { lookupTemplate } = await import('wasend');
  const defs = read('fields.json').map((c) => c.definition);
  const at = defs.findIndex((d) => d.name === 'order_confirmation');
  const payload = (name, language) => ({ to: '+919876543210', type: 'template', template: { name, language } });
  assert.deepEqual(lookupTemplate(defs, payload('order_confirmation', 'en')), { found: at });
  assert.deepEqual(lookupTemplate(defs, payload('order_confirmation', { code: 'en' })), { found: at });
  assert.deepEqual(lookupTemplate(defs, payload('order_confirmation', 'es')), { languages: ['en', 'en'] });
  assert.deepEqual(lookupTemplate(defs, payload('order_confirmaton', 'en')), { nearest: 'order_confirmation' });
  assert.equal(lookupTemplate(defs, { to: '+919876543210', type: 'text', text: 'hi' }), null);
  assert.throws(() => lookupTemplate('x', payload('a', 'en')), TypeError);
});
