// The npm package's API beyond the vectors: bad input never throws, bulk
// validation, phone numbers, previews, builders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validate, validateJson, validateMany, normalizePhone, isValidPhone, isValidPhoneMany, preview, metadataVersion, regions,
  message, media, param, createClient, isSendError,
} from 'wasend';

const TO = '+919876543210';

test('bad input is a result, never an exception', () => {
  const circular = { to: TO };
  circular.self = circular;
  for (const input of [undefined, null, 42, 'text', [], () => 1, circular, { to: 10n }]) {
    const r = validate(input);
    assert.equal(r.valid, false);
    assert.equal(r.errors[0].code, 'invalid_json', String(input));
    assert.equal(r.errors[0].path, '');
  }
  for (const input of [undefined, null, 42, {}, '{"to":', '\u0000', '']) {
    const r = validateJson(input);
    assert.equal(r.valid, false);
    assert.equal(r.errors[0].code, 'invalid_json');
  }
});

test('bad options are a TypeError, naming the option', () => {
  assert.throws(() => validate({}, { defualtRegion: 'IN' }), { name: 'TypeError', message: /defaultRegion/ });
  assert.throws(() => validate({}, { defaultRegion: 5 }), TypeError);
  assert.throws(() => validate({}, { template: { language: 'en' } }), { name: 'TypeError', message: /name/ });
  assert.throws(() => normalizePhone('1', { defaultRegion: 'ZZ' }), TypeError);
});

test('a result is a plain object: payload read lazily, yet equal, serialized and cloned as parsed', () => {
  const input = { to: '+91 98765 43210', type: 'text', text: 'hi' };
  const warnings = [{ code: 'phone_normalized', path: '/to', message: `phone number normalized to ${TO}` }];
  const expected = { valid: true, errors: [], warnings, payload: { to: TO, type: 'text', text: 'hi' } };
  const cases = [validate(input), validateJson(JSON.stringify(input)), validateMany([input])[0], validateMany(JSON.stringify(input))[0]];
  for (const r of cases) {
    assert.deepEqual(Object.keys(r), ['valid', 'errors', 'warnings', 'payload']);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), expected);
    assert.deepEqual(structuredClone(r), expected);
    assert.deepEqual(r, expected);
    assert.equal(r.payload, r.payload, 'parsed once, then the same object');
    r.payload.to = 'changed';
    assert.equal(r.payload.to, 'changed');
  }
  // Unchanged by normalization: the input text itself is what is parsed.
  const same = validateJson('{"to":"+919876543210","type":"text","text":"hi"}');
  assert.deepEqual(same, { valid: true, errors: [], warnings: [], payload: expected.payload });
  // A payload can be replaced, and a result without one has no key for it.
  const r = validate(input);
  r.payload = 1;
  assert.equal(r.payload, 1);
  const none = validate({ to: TO, type: 'nope' });
  assert.equal('payload' in none, false);
  assert.equal(none.valid, false);
});

test('a lone surrogate is read as U+FFFD: the payload is the text that was validated', () => {
  const text = `{"to":"+919876543210","type":"text","text":"ok \ud83d"}`.replace('\\ud83d', '\ud83d');
  assert.ok(!text.isWellFormed(), 'the input holds a lone surrogate');
  const r = validateJson(text);
  assert.equal(r.valid, true);
  assert.equal(r.payload.text, 'ok \ufffd');
  assert.equal(validate(r.payload).valid, true, 'the payload validates again');
  assert.deepEqual(validateMany(`[${text}]`)[0], r);
});

test('validateMany: array, ndjson and a js array give one result a payload', () => {
  const good = message.text(TO, 'hi');
  const bad = message.text(TO, '');
  const arr = validateMany(JSON.stringify([good, bad, 5]));
  assert.deepEqual(arr.map((r) => r.valid), [true, false, false]);
  assert.equal(arr[2].errors[0].code, 'invalid_json');
  const nd = validateMany(`${JSON.stringify(good)}\n\n${JSON.stringify(bad)}\n{"to":\n`);
  assert.deepEqual(nd.map((r) => r.valid), [true, false, false]);
  assert.equal(nd[2].errors[0].code, 'invalid_json');
  assert.deepEqual(validateMany([good]).map((r) => r.valid), [true]);
  assert.equal(validateMany('[1,').length, 1);
  assert.deepEqual(validateMany(''), []);
  const region = validateMany(JSON.stringify([message.text('09876543210', 'hi')]), { defaultRegion: 'IN' });
  assert.equal(region[0].payload.to, TO);
});

test('normalizePhone', () => {
  assert.deepEqual(normalizePhone('+91 98765 43210'), {
    valid: true, e164: TO, region: 'IN', type: 'mobile', errors: [],
    warnings: [{ code: 'phone_normalized', message: 'phone number normalized to +919876543210' }],
  });
  const national = normalizePhone('09876543210', { defaultRegion: 'in' });
  assert.equal(national.e164, TO);
  const short = normalizePhone('+91 98765');
  assert.equal(short.valid, false);
  assert.deepEqual({ ...short.errors[0], message: undefined }, { code: 'phone_too_short', message: undefined, limit: 8, actual: 5, unit: 'digits' });
  assert.equal(normalizePhone(919876543210).errors[0].code, 'wrong_type');
  const mx = normalizePhone('1 55 1234 5678', { defaultRegion: 'MX' });
  assert.equal(mx.e164, '+5215512345678');
  assert.deepEqual(mx.warnings.map((w) => w.code), ['phone_normalized', 'phone_whatsapp_id', 'phone_ambiguous']);
  assert.equal(mx.warnings[2].suggestion, '+15512345678');
  assert.equal(normalizePhone('+525512345678').warnings[0].code, 'phone_whatsapp_id');
  assert.equal(isValidPhone('+91 98765 43210'), true);
  assert.equal(isValidPhone('09876543210'), false);
  assert.equal(isValidPhone('09876543210', { defaultRegion: 'IN' }), true);
  assert.equal(isValidPhone(42), false);
  assert.deepEqual(isValidPhoneMany(['+91 98765 43210', '09876543210', 'a\nb', 7, '+447911123456']), [true, false, false, false, true]);
  assert.deepEqual(isValidPhoneMany(['09876543210'], { defaultRegion: 'IN' }), [true]);
  assert.deepEqual(isValidPhoneMany([]), []);
});

test('preview renders a template from its definition', () => {
  const definition = {
    name: 'order_confirmation', language: 'en',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }, { type: 'FOOTER', text: 'Thanks' }],
  };
  const payload = message.template(TO, { name: 'order_confirmation', language: 'en', body: [param.text('John'), param.text('ORD-789')] });
  assert.deepEqual(preview(payload, definition), { type: 'template', body: 'Hi John, your order ORD-789 has shipped.', footer: 'Thanks' });
  assert.equal(preview({ type: 'nope' }), null);
  assert.deepEqual(preview(message.buttons(TO, { body: 'Pick', buttons: [{ id: 'a', title: 'A' }] })), {
    type: 'interactive', body: 'Pick', buttons: [{ type: 'reply', text: 'A' }],
  });
});

test('builders make payloads the core accepts (and rejects when they break a rule)', () => {
  const valid = [
    message.text(TO, 'hi', { whatsappAccount: 'acc', replyTo: 'wamid.1', callbackData: 'x' }),
    message.image(TO, media.url('https://example.com/a.jpg', { caption: 'c' })),
    message.video(TO, media.id('1')),
    message.document(TO, media.url('https://example.com/a.pdf', { filename: 'a.pdf' })),
    message.audio(TO, media.url('https://example.com/a.mp3')),
    message.sticker(TO, media.url('https://example.com/a.webp')),
    message.location(TO, { latitude: 19.07, longitude: 72.87, name: 'Office', address: 'Mumbai' }),
    message.contacts(TO, [{ name: { formatted_name: 'John' } }]),
    message.reaction(TO, 'wamid.1', '👍'),
    message.buttons(TO, { body: 'How can we help?', header: 'Support', footer: 'f', buttons: [{ id: 'sales', title: 'Sales' }, { id: 'support', title: 'Support' }] }),
    message.list(TO, { body: 'Pick', button: 'Open', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'Row' }] }] }),
    message.ctaUrl(TO, { body: 'Menu', displayText: 'Open', url: 'https://example.com' }),
    message.locationRequest(TO, { body: 'Where?' }),
    message.template(TO, {
      name: 'order', language: 'en_US', header: param.image(media.url('https://example.com/h.jpg')),
      body: [param.text('John'), param.currency('$1', 'USD', 1000), param.dateTime('May 5')],
      buttons: [{ subType: 'url', index: 0, parameter: param.text('x') }, { subType: 'copy_code', index: 1, parameter: param.couponCode('C1') }],
    }),
  ];
  for (const p of valid) assert.equal(validate(p).valid, true, JSON.stringify(validate(p).errors));
  const r = validate(message.buttons(TO, { body: 'b', buttons: [{ id: 'a', title: 'x'.repeat(21) }] }));
  assert.deepEqual(r.errors.map((e) => [e.code, e.path, e.limit, e.actual, e.unit]), [
    ['too_long', '/interactive/action/buttons/0/reply/title', 20, 21, 'chars'],
  ]);
});

test('metadata version and client construction errors', () => {
  assert.match(metadataVersion(), /^\d+\.\d+\.\d+$/);
  const all = regions();
  assert.ok(all.length >= 240);
  assert.deepEqual(all.find((r) => r.region === 'IN'), { region: 'IN', callingCode: '91' });
  assert.throws(() => createClient({ baseUrl: 'ftp://x', token: 't' }), TypeError);
  assert.throws(() => createClient({ baseUrl: 'https://x' }), TypeError);
  assert.throws(() => createClient({ baseUrl: 'https://x', token: 't', fetch: 3 }), TypeError);
  assert.equal(createClient({ baseUrl: 'https://x/', token: 't' }).baseUrl, 'https://x');
  assert.equal(isSendError(new Error('x')), false);
});
