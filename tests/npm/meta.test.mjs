// Meta's format through the npm package: every valid vector's payload goes to
// Meta's Cloud API format and back unchanged (a media `link` reads back as
// `url`, its RULES.md synonym), as the Rust suite holds it (tests/meta.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { validate, toMeta, fromMeta } from 'wasend';

const dir = new URL('../vectors/', import.meta.url);
const payloads = readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')).cases
  .map((c) => [c.name, validate(c.input)])
  .filter(([, r]) => r.valid)
  .map(([name, r]) => [name, r.payload]));

/** The members of every media object in `v`. */
const MEDIA = ['image', 'video', 'document', 'audio', 'sticker'];
function mediaKeys(v, out = []) {
  if (Array.isArray(v)) for (const x of v) mediaKeys(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (MEDIA.includes(k) && x && typeof x === 'object' && !Array.isArray(x)) out.push(...Object.keys(x));
      mediaKeys(x, out);
    }
  }
  return out;
}

test('every valid vector goes to Meta\'s format and back unchanged', () => {
  assert.ok(payloads.length > 150, String(payloads.length));
  for (const [name, p] of payloads) {
    const { body, account } = toMeta(p);
    assert.equal(body.messaging_product, 'whatsapp', name);
    assert.equal(body.recipient_type, 'individual', name);
    assert.match(body.to, /^\d+$/, name);
    assert.equal(body.whatsapp_account, undefined, name);
    assert.equal(account, p.whatsapp_account, name);
    if (p.type === 'text') assert.deepEqual(body.text, { body: p.text }, name);
    assert.deepEqual(mediaKeys(body).filter((k) => k === 'url'), [], `${name}: Meta names a media URL link`);
    assert.deepEqual(fromMeta(body, account), fromMeta(p), name);
    assert.equal(validate(fromMeta(body, account)).valid, true, name);
  }
});

test('Meta\'s documented text message reads as the payload it means; bad input is a TypeError', () => {
  const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '919876543210', type: 'text', text: { body: 'Hello' } };
  assert.deepEqual(fromMeta(body, 'main'), { to: '+919876543210', type: 'text', text: 'Hello', whatsapp_account: 'main' });
  assert.deepEqual(toMeta({ to: '+919876543210', type: 'text', text: 'Hello' }).body, body);
  assert.throws(() => toMeta(undefined), TypeError);
  assert.throws(() => fromMeta(() => 1), TypeError);
});
