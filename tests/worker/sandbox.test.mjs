// The Worker with no upstream key: the built-in sandbox answers as the provider
// would (24-hour window, approved templates, wamid ids), and the shared vector
// set goes through the HTTP endpoint with the same verdicts as the Rust run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, startWorker, send } from './harness.mjs';

const TOKEN = 'sandbox-token-abcdef0123456789';
const TO = '+919876543210';
let worker;

before(async () => {
  // High limits: the vector run below sends more than 100 valid payloads a minute.
  worker = await startWorker({ CLIENT_TOKENS: `dev:${TOKEN}`, RATE_PER_SECOND: '100000', RATE_PER_MINUTE: '1000000' });
});
after(async () => worker?.stop());

const post = (payload, opts = {}) => send(worker.url, payload, { token: TOKEN, ...opts });

test('health says sandbox, and every answer carries the sandbox header', async () => {
  const h = await (await fetch(`${worker.url}/api/health`)).json();
  assert.equal(h.mode, 'sandbox');
  const r = await post({ to: TO, type: 'template', template: { name: 'hello_world', language: 'en_US' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-wasend-sandbox'], '1');
  assert.match(r.json.data.message_id, /^wamid\.[A-Za-z0-9+/]{20,}$/);
});

test('text outside the 24-hour window fails as the provider says; an inbound message opens it', async () => {
  const number = '+447911123456';
  const text = { to: number, type: 'text', text: 'Hello' };
  const closed = await post(text);
  assert.equal(closed.status, 400);
  assert.equal(closed.json.message, 'Outside 24-hour window. Use a template message.');
  assert.equal(closed.json.code, 'upstream_rejected', 'as a real provider\'s refusal is answered');
  const media = await post({ to: number, type: 'image', image: { url: 'https://example.com/a.jpg' } });
  assert.equal(media.status, 400, 'every free-form message needs the window');
  const inbound = await fetch(`${worker.url}/api/sandbox/inbound`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: '+44 7911 123456' }),
  });
  assert.equal(inbound.status, 200);
  const open = await post(text);
  assert.equal(open.status, 200);
  assert.equal(open.json.data.status, 'sent');
  const unauthorized = await fetch(`${worker.url}/api/sandbox/inbound`, { method: 'POST', body: '{}' });
  assert.equal(unauthorized.status, 401);
  // What they wrote and their name are text, or the message is refused before it opens anything.
  for (const [body, key] of [[{ from: '+447911123457', text: 5 }, 'text'], [{ from: '+447911123457', name: { first: 'A' } }, 'name'], [{ from: '+447911123457', name: null }, 'name']]) {
    const r = await fetch(`${worker.url}/api/sandbox/inbound`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(r.status, 400, key);
    const json = await r.json();
    assert.equal(json.code, 'invalid_body');
    assert.equal(json.message, `\`${key}\` must be a string`);
  }
  const still = await post({ to: '+447911123457', type: 'text', text: 'Hello' });
  assert.equal(still.status, 400, 'a refused inbound message opened no window');
});

test('templates: the registry is listed, unknown ones are 404, wrong parameters fail like Meta 132000', async () => {
  const list = await (await fetch(`${worker.url}/api/templates`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  const names = list.data.map((t) => t.name);
  for (const n of ['hello_world', 'order_confirmation', 'appointment_reminder', 'new_arrivals', 'delivery_update', 'verification_code']) assert.ok(names.includes(n), n);
  assert.equal(list.source, 'repository');
  const unknown = await post({ to: TO, type: 'template', template: { name: 'no_such_template', language: 'en' } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'template_not_found');
  const short = await post({ to: TO, type: 'template', template: { name: 'order_confirmation', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'John' }] }] } });
  assert.equal(short.status, 400);
  assert.equal(short.json.code, 'invalid_payload');
  assert.equal(short.json.errors[0].code, 'template_param_count');
  assert.match(short.json.message, /132000/);
  const paused = await post({ to: TO, type: 'template', template: { name: 'summer_promo', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
  assert.equal(paused.status, 409);
  assert.equal(paused.json.code, 'template_not_approved');
  assert.equal(paused.json.template_status, 'PAUSED');
  const ok = await post({ to: TO, type: 'template', template: { name: 'order_confirmation', language: 'en', components: [
    { type: 'body', parameters: [{ type: 'text', text: 'John' }, { type: 'text', text: 'ORD-789' }] },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ORD-789' }] },
  ] } });
  assert.equal(ok.status, 200, ok.text);
});

test('the shared vectors through POST /api/messages/send: the Rust verdicts', async () => {
  const rust = JSON.parse(readFileSync(join(root, 'target', 'vector-results.json'), 'utf8'));
  const dir = join(root, 'tests', 'vectors');
  let checked = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const { file, cases } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const c of cases) {
      // The endpoint takes no options: vectors that need a region or a definition are the core's.
      if (c.options) continue;
      const id = `${file}: ${c.name}`;
      const r = await post(c.input, c.input_json !== undefined ? { body: c.input_json } : {});
      if (rust[id].valid) {
        // A valid template payload is also checked against the registry's own
        // definition of that name: only a template_* error may refuse it then.
        if (r.json?.code === 'invalid_payload') {
          assert.equal(c.input.type, 'template', `${id}: valid, yet ${r.text}`);
          assert.ok(r.json.errors.every((e) => e.code.startsWith('template_')), `${id}: ${r.text}`);
        }
        assert.ok([200, 400, 404, 409].includes(r.status), `${id}: ${r.status}`);
      } else {
        assert.equal(r.status, 400, id);
        assert.equal(r.json.code, 'invalid_payload', id);
        assert.deepEqual(r.json.errors, rust[id].errors, `${id}: the same errors as the Rust run`);
      }
      checked++;
    }
  }
  assert.ok(checked > 200, `${checked} vectors`);
});
