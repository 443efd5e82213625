// Delivery statuses under workerd: signed webhooks in (and unsigned ones out),
// the message log with its lattice, per-client reads, pagination, and the
// sandbox's own timeline reaching `read`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fakeProvider, startWorker, send } from './harness.mjs';

const SECRET = 'whsec-test-4f9a2c7e';
const A = 'token-a-0123456789abcdef';
const B = 'token-b-0123456789abcdef';
const OPERATOR = 'token-operator-0123456789';
const TO = '+919876543210';
let provider;
let worker;
let sandbox;

const sign = (body, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
async function hook(body, signature = sign(body)) {
  const headers = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-webhook-signature'] = signature;
  const r = await fetch(`${worker.url}/api/webhooks`, { method: 'POST', headers, body });
  return { status: r.status, json: await r.json() };
}
const event = (name, data, timestamp = '2026-11-28T10:30:00Z') => JSON.stringify({ event: name, timestamp, data });
async function status(id, token = A, base = worker.url) {
  const r = await fetch(`${base}/api/messages/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, json: await r.json() };
}
/** Polls the sandbox's log until `done(message)` or 15 s. */
async function until(id, done) {
  const deadline = Date.now() + 15_000;
  let m;
  do {
    await new Promise((res) => setTimeout(res, 500));
    m = await status(id, A, sandbox.url);
  } while (!done(m.json.data) && Date.now() < deadline);
  return m;
}
async function sendOne(token = A, text = 'Hello') {
  const r = await send(worker.url, { to: TO, type: 'text', text }, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.data.message_id;
}

before(async () => {
  provider = await fakeProvider();
  // High limits: these tests send faster than 10 a second, which is not what they test.
  worker = await startWorker({ UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: 'provider-key-abcdef123', CLIENT_TOKENS: `a:${A},b:${B}`, ADMIN_TOKENS: `ops:${OPERATOR}`, WEBHOOK_SECRET: SECRET, RATE_PER_SECOND: '1000', RATE_PER_MINUTE: '100000' });
  sandbox = await startWorker({ CLIENT_TOKENS: `a:${A}` });
});
after(async () => {
  await worker?.stop();
  await sandbox?.stop();
  await provider?.close();
});

test('a send is logged as sent; a signed event moves it on; a tampered one changes nothing', async () => {
  const id = await sendOne();
  let m = await status(id);
  assert.equal(m.status, 200);
  assert.equal(m.json.data.status, 'sent');
  assert.equal(m.json.data.recipient, TO);
  assert.equal(m.json.data.type, 'text');
  assert.deepEqual(m.json.data.history.map((h) => h.event), ['sent']);

  const delivered = event('message.delivered', { message_id: id, status: 'delivered' });
  const tampered = delivered.replace('delivered"}', 'read"}');
  assert.equal((await hook(tampered, sign(delivered))).status, 401, 'tampered body');
  assert.equal((await hook(delivered, sign(delivered, 'wrong-secret'))).status, 401, 'wrong secret');
  assert.equal((await hook(delivered, null)).status, 401, 'missing header');
  assert.equal((await hook(delivered, 'not hex')).status, 401, 'garbage signature');
  assert.equal((await status(id)).json.data.status, 'sent', 'nothing stored');

  const ok = await hook(delivered, `sha256=${sign(delivered)}`);
  assert.equal(ok.status, 200);
  assert.equal(ok.json.applied, true);
  m = await status(id);
  assert.equal(m.json.data.status, 'delivered');
});

test('duplicates and reordering: three reads and a late delivered leave it read, one history entry per event', async () => {
  const id = await sendOne(A, 'order shipped');
  const read = event('message.read', { message_id: id, status: 'read' }, 1_780_000_100);
  for (let i = 0; i < 3; i++) assert.equal((await hook(read)).status, 200);
  assert.equal((await hook(read)).json.applied, false, 'a duplicate is acknowledged, not applied');
  assert.equal((await hook(event('message.delivered', { message_id: id, status: 'delivered' }, 1_780_000_050))).status, 200);
  const m = await status(id);
  assert.equal(m.json.data.status, 'read');
  assert.deepEqual(m.json.data.history.map((h) => h.event), ['sent', 'delivered', 'read']);
  // A failure on another device after the read: kept, with its reason, without undoing the read.
  const reason = 'Échec sur un appareil ✓';
  assert.equal((await hook(event('message.failed', { message_id: id, status: 'failed', reason }))).status, 200);
  const f = await status(id);
  assert.equal(f.json.data.status, 'read');
  assert.equal(f.json.data.failure, reason);
});

test('a failure before any delivery is the status, with its reason', async () => {
  const id = await sendOne(A, 'to a blocked number');
  await hook(event('message.failed', { message_id: id, status: 'failed', errors: [{ title: 'Message undeliverable' }] }));
  const m = await status(id);
  assert.equal(m.json.data.status, 'failed');
  assert.equal(m.json.data.failure, 'Message undeliverable');
});

test('an incoming message opens the 24-hour window the proxy warns about', async () => {
  const number = '+447911123456';
  const before_ = await send(worker.url, { to: number, type: 'text', text: 'hi' }, { token: A });
  assert.equal(before_.status, 200);
  assert.match(before_.headers['x-wasend-warning'], /24 hours/);
  const template = await send(worker.url, { to: number, type: 'template', template: { name: 'hello_world', language: 'en_US' } }, { token: A });
  assert.equal(template.headers['x-wasend-warning'], undefined, 'templates need no window');
  assert.equal((await hook(event('message.incoming', { message_id: 'wamid.in1', from: '+447911123456', type: 'text', text: 'Hello' }, Math.floor(Date.now() / 1000)))).status, 200);
  const after_ = await send(worker.url, { to: number, type: 'text', text: 'hi again' }, { token: A });
  assert.equal(after_.headers['x-wasend-warning'], undefined);
});

test('an incoming message is applied once, however often its signed body comes; a clock ahead or behind moves no window past what it proves', async () => {
  const number = '+447911123999';
  const now = Math.floor(Date.now() / 1000);
  // A year ahead: taken as received now, so the window closes in 24 hours, not in a year and a day.
  const ahead = await hook(event('message.incoming', { message_id: 'wamid.skew1', from: number, text: 'hi' }, now + 365 * 86_400));
  assert.equal(ahead.status, 200, JSON.stringify(ahead.json));
  const day = 86_400_000;
  assert.ok(Math.abs(ahead.json.window_open_until_ms - (Date.now() + day)) < 60_000, JSON.stringify(ahead.json));
  // An older message (two days ago) moves it neither back nor forth.
  const old = await hook(event('message.incoming', { message_id: 'wamid.skew2', from: number, text: 'earlier' }, now - 2 * 86_400));
  assert.equal(old.json.window_open_until_ms, ahead.json.window_open_until_ms);
  // Within the skew allowed (a minute ahead), the window still counts from receipt at most.
  const soon = await hook(event('message.incoming', { message_id: 'wamid.skew3', from: number, text: 'soon' }, now + 60));
  assert.ok(soon.json.window_open_until_ms <= Date.now() + day, JSON.stringify(soon.json));

  // A STOP replayed after an operator lifted it does not come back.
  const stopped = '+447911123998';
  const stop = event('message.incoming', { message_id: 'wamid.stop1', from: stopped, text: 'STOP' }, now);
  const first = await hook(stop);
  assert.deepEqual([first.status, first.json.status, first.json.applied], [200, 'ok', true]);
  const list = async () => (await (await fetch(`${worker.url}/api/suppressions`, { headers: { authorization: `Bearer ${A}` } })).json()).data;
  assert.deepEqual((await list()).filter((x) => x.number === stopped).map((x) => [x.source, x.added_by]), [['inbound', 'message:wamid.stop1']]);
  const lift = await fetch(`${worker.url}/api/suppressions/${encodeURIComponent(stopped)}`, { method: 'DELETE', headers: { authorization: `Bearer ${OPERATOR}` } });
  assert.equal(lift.status, 200);
  const replay = await hook(stop);
  assert.deepEqual([replay.status, replay.json.status, replay.json.applied], [200, 'duplicate', false]);
  assert.deepEqual((await list()).filter((x) => x.number === stopped), [], 'the lifted opt-out stays lifted');
});

test('unknown events are acknowledged and ignored; bad json after a good signature is 400', async () => {
  const r = await hook(event('contact.created', { id: 'c1' }));
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ignored');
  assert.equal((await hook('not json')).status, 400);
});

test('one client cannot read another client\'s messages', async () => {
  const mine = await sendOne(A, 'for a');
  assert.equal((await status(mine, B)).status, 404);
  const list = await (await fetch(`${worker.url}/api/messages?limit=100`, { headers: { authorization: `Bearer ${B}` } })).json();
  assert.ok(!list.data.some((m) => m.id === mine));
  assert.equal((await fetch(`${worker.url}/api/messages/${mine}`)).status, 401);
});

test('pagination: newest first, stable cursors, every message once', async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await sendOne(B, `page ${i}`));
  const seen = [];
  let cursor;
  let pages = 0;
  do {
    const q = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) });
    const page = await (await fetch(`${worker.url}/api/messages?${q}`, { headers: { authorization: `Bearer ${B}` } })).json();
    assert.ok(page.data.length <= 2);
    seen.push(...page.data.map((m) => m.id));
    cursor = page.next_cursor;
    pages++;
  } while (cursor && pages < 10);
  assert.deepEqual(seen, [...ids].reverse());
  assert.equal((await fetch(`${worker.url}/api/messages?limit=0`, { headers: { authorization: `Bearer ${B}` } })).status, 400);
});

test('the sandbox plays along: a send reaches read on its own, through signed events', async () => {
  const r = await send(sandbox.url, { to: TO, type: 'template', template: { name: 'hello_world', language: 'en_US' } }, { token: A });
  assert.equal(r.status, 200, r.text);
  const m = await until(r.json.data.message_id, (data) => data.status === 'read');
  assert.equal(m.json.data.status, 'read');
  assert.deepEqual(m.json.data.history.map((h) => h.event), ['sent', 'delivered', 'read']);
});

test('in the sandbox, an incoming-message webhook opens the 24-hour window', async () => {
  const number = '+447700900123';
  const closed = await send(sandbox.url, { to: '+447911123456', type: 'text', text: 'hi' }, { token: A });
  assert.equal(closed.status, 400);
  const body = JSON.stringify({ event: 'message.incoming', timestamp: Math.floor(Date.now() / 1000), data: { from: '447911123456', text: 'Hello, I need help' } });
  const r = await fetch(`${sandbox.url}/api/webhooks`, { method: 'POST', headers: { 'x-webhook-signature': createHmac('sha256', 'wasend-sandbox-webhook-secret').update(body).digest('hex') }, body });
  assert.equal(r.status, 200);
  const open = await send(sandbox.url, { to: '+447911123456', type: 'text', text: 'hi' }, { token: A });
  assert.equal(open.status, 200, open.text);
  void number;
});

test('in the sandbox, events name the recipient as WhatsApp does, and the log keeps both', async () => {
  const inbound = await fetch(`${sandbox.url}/api/sandbox/inbound`, {
    method: 'POST', headers: { authorization: `Bearer ${A}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: '+52 1 55 8765 4321' }),
  });
  assert.equal(inbound.status, 200);
  const r = await send(sandbox.url, { to: '+525587654321', type: 'text', text: 'hola' }, { token: A });
  assert.equal(r.status, 200, `the 521 form writing in opened the 52 number's window: ${r.text}`);
  const m = await until(r.json.data.message_id, (data) => data.status !== 'sent');
  assert.equal(m.json.data.identity, '+525587654321');
  assert.equal(m.json.data.wa_id, '+5215587654321');
});

test('one recipient, one identity: a WhatsApp id writing in opens its number\'s window, and the id is recorded', async () => {
  // Mexico: the provider and WhatsApp name this mobile +52 1 55…, the payload +52 55….
  const number = '+525512345678';
  const closed = await send(worker.url, { to: number, type: 'text', text: 'hi' }, { token: A });
  assert.equal(closed.status, 200, closed.text);
  assert.match(closed.headers['x-wasend-warning'], /24 hours/);
  assert.equal((await hook(event('message.incoming', { message_id: 'wamid.in2', from: '5215512345678', type: 'text', text: 'Hola' }, Math.floor(Date.now() / 1000)))).status, 200);
  const open = await send(worker.url, { to: number, type: 'text', text: 'hola' }, { token: A });
  assert.equal(open.headers['x-wasend-warning'], undefined, 'the 521 id opened the window of the 52 number');
  const id = open.json.data.message_id;
  let m = await status(id);
  assert.equal(m.json.data.recipient, number);
  assert.equal(m.json.data.identity, number);
  assert.equal(m.json.data.wa_id, null);
  assert.equal((await hook(event('message.delivered', { message_id: id, status: 'delivered', recipient: '5215512345678' }))).status, 200);
  m = await status(id);
  assert.equal(m.json.data.wa_id, '+5215512345678', 'the webhook named the WhatsApp id');
  assert.equal(m.json.data.status, 'delivered');
});

test('the WhatsApp id in the provider\'s answer is recorded; Argentina\'s 54 and 54 9 are one person', async () => {
  provider.next({ status: 200, body: { data: { message_id: 'wamid.AR1', status: 'sent' }, contacts: [{ input: '+5491123456789', wa_id: '5491123456789' }] } });
  const r = await send(worker.url, { to: '+541123456789', type: 'template', template: { name: 'hello_world', language: 'en_US' } }, { token: A });
  assert.equal(r.status, 200, r.text);
  const m = await status('wamid.AR1');
  assert.equal(m.json.data.recipient, '+541123456789');
  assert.equal(m.json.data.identity, '+5491123456789');
  assert.equal(m.json.data.wa_id, '+5491123456789');
});

test('numbers in the query are read strictly: no sign, no stray cursor', async () => {
  const get = (q) => fetch(`${worker.url}/api/messages?${q}`, { headers: { authorization: `Bearer ${A}` } });
  for (const q of ['limit=%2B5', 'limit=-1', 'limit=5.0', 'limit=101', 'limit=99999999999999999999']) {
    const r = await get(q);
    assert.equal(r.status, 400, q);
    assert.equal((await r.json()).code, 'invalid_limit', q);
  }
  for (const q of ['cursor=abc', 'cursor=%2B1.wamid.x', 'cursor=-1.wamid.x', 'cursor=1.', 'cursor=99999999999999999999.x']) {
    const r = await get(q);
    assert.equal(r.status, 400, q);
    assert.equal((await r.json()).code, 'invalid_cursor', q);
  }
  assert.equal((await get('limit=5')).status, 200);
});
