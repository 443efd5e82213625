// The Worker with Meta's Cloud API as its upstream (UPSTREAM_DIALECT=meta), under
// real workerd, against a fake Graph API on 127.0.0.1: every vector payload
// reaches Meta in Meta's format (the golden files' twin, byte for byte) with the
// bearer token and the account's phone number id; Meta's answers and errors come
// back in wasend's shape with the status and class the core's failure table
// gives each code; templates are listed from the WABA across pages and enforced;
// the access token leaves in nothing.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startWorker, send, repositoryTemplates, goldenTwins } from './harness.mjs';
import { fakeGraph, metaError, metaStatus } from './fake-graph.mjs';
import { classifyFailure } from '../../pkg/campaigns-node.js';

const ACCESS_TOKEN = 'EAAG-meta-access-token-5f1e9c2a7b3d';
const TOKEN = 'client-token-for-meta-tests-0123456789';
const TO = '+919876543210';
const TEXT = { to: TO, type: 'text', text: 'Hello from the Meta dialect' };
const VERSION = 'v25.0';
const APP_SECRET = 'meta-app-secret-3c9d1e';
const VERIFY_TOKEN = 'verify-me-81f2a';

const twins = goldenTwins();
const accounts = [...new Set(twins.map((t) => t.account).filter(Boolean))];
const phoneId = (account) => `PN-${accounts.indexOf(account) + 1}`;

let graph;
let worker;
const responses = [];

async function post(payload, opts = {}) {
  const r = await send(worker.url, payload, { token: TOKEN, ...opts });
  responses.push(r);
  return r;
}

before(async () => {
  graph = await fakeGraph({ token: ACCESS_TOKEN, templates: repositoryTemplates(), pageSize: 5, appSecret: APP_SECRET });
  worker = await startWorker({
    UPSTREAM_DIALECT: 'meta', UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS_TOKEN,
    META_API_VERSION: VERSION, META_PHONE_NUMBER_ID: '1000001', META_WABA_ID: 'WABA-77',
    META_PHONE_NUMBER_IDS: accounts.map((a) => `${a}:${phoneId(a)}`).join(','),
    CLIENT_TOKENS: `app:${TOKEN}`, UPSTREAM_TIMEOUT_MS: '1500',
    META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: VERIFY_TOKEN,
    // The vector run sends hundreds at once, most to one number; the limits have
    // their own tests (meta-limits.test.mjs).
    RATE_PER_SECOND: '100000', RATE_PER_MINUTE: '1000000', PAIR_MIN_INTERVAL_MS: '0',
  });
});

after(async () => {
  await worker?.stop();
  await graph?.close();
});

beforeEach(() => graph.reset());

test('every vector payload reaches Meta as its golden twin, with the bearer token and its account\'s phone number id', async () => {
  assert.ok(twins.length > 200, `${twins.length} twins`);
  let i = 0;
  const workers = Array.from({ length: 8 }, async () => {
    while (i < twins.length) {
      const t = twins[i++];
      const r = await post(t.payload);
      assert.equal(r.status, 200, `${t.name}: ${r.text}`);
      assert.match(r.json.data.message_id, /^wamid\.GRAPH\d+$/, t.name);
      assert.equal(r.json.data.status, 'accepted', t.name);
      assert.equal(r.json.data.wa_id, t.body.to, t.name);
    }
  });
  await Promise.all(workers);
  const sends = graph.sends();
  assert.equal(sends.length, twins.length);
  // The account is in the path, not the body: a body and its sender are one send.
  const bySender = new Map(sends.map((s) => [`${s.phoneNumberId} ${s.body}`, s]));
  for (const t of twins) {
    const sender = t.account ? phoneId(t.account) : '1000001';
    const s = bySender.get(`${sender} ${JSON.stringify(t.body)}`);
    assert.ok(s, `${t.name}: ${sender} never sent ${JSON.stringify(t.body)}`);
    assert.equal(s.version, VERSION);
    assert.equal(s.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
    assert.equal(s.headers['content-type'], 'application/json');
    assert.equal(s.headers['x-api-key'], undefined);
  }
});

test('an account this proxy does not send from is refused before anything reaches Meta', async () => {
  const r = await post({ ...TEXT, whatsapp_account: 'someone_else' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.code, 'unknown_account');
  assert.match(r.json.message, /someone_else/);
  assert.equal(graph.sends().length, 0);
});

/** What each Meta code becomes: the status, wasend code and failure class (the core's table). */
const MAPPED = [
  [131047, 400, 'upstream_rejected', 'needs_template'],
  [131026, 400, 'upstream_rejected', 'recipient'],
  [131049, 400, 'upstream_rejected', 'wait'],
  [100, 400, 'upstream_rejected', 'permanent'],
  [132000, 400, 'upstream_rejected', 'template'],
  [132001, 404, 'template_not_found', 'template'],
  [132012, 400, 'upstream_rejected', 'template'],
  [132015, 409, 'template_not_approved', 'template'],
  [132016, 409, 'template_not_approved', 'template'],
  [190, 502, 'upstream_auth', 'permanent'],
  [10, 502, 'upstream_auth', 'permanent'],
  [200, 502, 'upstream_auth', 'permanent'],
];

test('Meta\'s errors come back in wasend\'s shape, with the status, code and class each Meta code means', async () => {
  for (const [code, status, wasendCode, cls] of MAPPED) {
    const injected = metaError(code, { status: metaStatus(code), subcode: 2494010, details: `details of ${code}` });
    graph.next(injected);
    const r = await post(TEXT);
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.status, 'error');
    assert.equal(r.json.code, wasendCode, String(code));
    assert.match(r.json.message, new RegExp(`^\\(#${code}\\)`));
    assert.deepEqual(r.json.meta, {
      code, subcode: 2494010, type: 'OAuthException', details: `details of ${code}`, fbtrace_id: injected.body.error.fbtrace_id,
    });
    assert.equal(graph.sends().length, 1, `${code}: a final refusal is not sent again`);
    graph.reset();
    assert.equal(classifyFailure(r.status, r.json).class, cls, String(code));
  }
});

test('Meta\'s rate and transient codes are tried again inline; when they persist, 429 or 503 with Retry-After and the key free again', async () => {
  for (const code of [130429, 80007, 4, 131056, 1, 2, 131000]) {
    graph.next(metaError(code, { status: metaStatus(code) }));
    const ok = await post(TEXT);
    assert.equal(ok.status, 200, `${code}: ${ok.text}`);
    assert.equal(graph.sends().length, 2, `${code}: tried once more`);
    graph.reset();
  }
  for (const [code, status, wasendCode] of [[130429, 429, 'upstream_rate_limited'], [131056, 429, 'upstream_rate_limited'], [131000, 503, 'upstream_unavailable']]) {
    const e = metaError(code, { status: metaStatus(code) });
    graph.next(e, e, e, e);
    const key = `persist-${code}-${Date.now()}`;
    const r = await post(TEXT, { key });
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.code, wasendCode);
    assert.equal(r.json.meta.code, code);
    assert.ok(Number(r.headers['retry-after']) >= 1, `${code}: Retry-After ${r.headers['retry-after']}`);
    const tries = graph.sends().length;
    assert.ok(tries >= 2 && tries <= 3, `${code}: ${tries} attempts`);
    graph.reset();
    // Nothing was sent, so the same key sends now.
    const again = await post(TEXT, { key });
    assert.equal(again.status, 200, again.text);
    assert.equal(graph.sends().length, 1);
    graph.reset();
  }
});

test('an answer Meta gives without an id or an error object is of unknown outcome: 502, stored, never sent twice', async () => {
  graph.next({ status: 200, body: { messaging_product: 'whatsapp', messages: [] } });
  const key = `no-id-${Date.now()}`;
  const r = await post(TEXT, { key });
  assert.equal(r.status, 502, r.text);
  assert.equal(r.json.code, 'upstream_error');
  graph.next({ status: 502, body: 'Bad Gateway' });
  const bare = await post({ ...TEXT, text: 'another' });
  assert.equal(bare.status, 502, bare.text);
  assert.equal(graph.sends().length, 2, 'a bare 5xx is not retried');
  const replay = await post(TEXT, { key });
  assert.equal(replay.status, 502);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(graph.sends().length, 2);
});

test('a hang is 504 and never sent again under the same key', async () => {
  graph.next('hang');
  const key = `hang-${Date.now()}`;
  const r = await post(TEXT, { key });
  assert.equal(r.status, 504, r.text);
  assert.equal(r.json.code, 'upstream_timeout');
  const replay = await post(TEXT, { key });
  assert.equal(replay.status, 504);
  assert.equal(graph.sends().length, 1);
});

test('the message log records Meta\'s wa_id as the recipient\'s identity', async () => {
  const r = await post({ ...TEXT, to: '+91 98765 43211' });
  assert.equal(r.status, 200, r.text);
  const logged = await fetch(`${worker.url}/api/messages/${encodeURIComponent(r.json.data.message_id)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const { data: row } = await logged.json();
  assert.equal(logged.status, 200, JSON.stringify(row));
  assert.equal(row.wa_id, '+919876543211');
  assert.equal(row.recipient, '+919876543211');
});

test('templates are listed from the WABA across pages and enforced before anything is sent', async () => {
  const all = repositoryTemplates();
  const listed = await fetch(`${worker.url}/api/templates`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = await listed.json();
  assert.equal(listed.status, 200, JSON.stringify(body));
  assert.equal(body.source, 'upstream');
  assert.deepEqual(body.data.map((t) => `${t.name}/${t.language}`).sort(), all.map((t) => `${t.name}/${t.language}`).sort());
  const pages = graph.templateFetches();
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  assert.equal(pages[0].path, `/${VERSION}/WABA-77/message_templates`);
  assert.equal(pages[0].query.get('fields'), 'name,language,status,category,parameter_format,components');
  assert.equal(pages[0].query.get('after'), null);
  assert.equal(pages[1].query.get('after'), '5');
  for (const p of pages) assert.equal(p.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
  graph.reset();

  const hello = { to: TO, type: 'template', template: { name: 'hello_world', language: 'en_US' } };
  const ok = await post(hello);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(JSON.parse(graph.sends()[0].body).template, { name: 'hello_world', language: { code: 'en_US' } });
  const unknown = await post({ ...hello, template: { name: 'not_on_the_waba', language: 'en_US' } });
  assert.equal(unknown.status, 404, unknown.text);
  assert.equal(unknown.json.code, 'template_not_found');
  assert.equal(graph.sends().length, 1, 'a template the WABA lacks never reaches Meta');
});

test('the access token appears in no response, header or log line', async () => {
  // Meta echoing the token in an error must not carry it out.
  graph.next(metaError(190, { status: 401, message: `(#190) Invalid token ${ACCESS_TOKEN}`, details: `token ${ACCESS_TOKEN} expired` }));
  const r = await post(TEXT);
  assert.equal(r.status, 502);
  assert.equal(r.json.code, 'upstream_auth');
  for (const seen of responses) {
    assert.ok(!seen.text.includes(ACCESS_TOKEN), seen.text);
    assert.ok(!JSON.stringify(seen.headers).includes(ACCESS_TOKEN));
  }
  const health = await (await fetch(`${worker.url}/api/health`)).text();
  assert.ok(!health.includes(ACCESS_TOKEN));
  assert.ok(!worker.logs().includes(ACCESS_TOKEN), 'the token is in the logs');
});

/** Meta's verification handshake, as Meta calls it. */
async function handshake(params) {
  const r = await fetch(`${worker.url}/api/webhooks?${new URLSearchParams(params)}`);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

test('the verification handshake answers the bare challenge only for the right token', async () => {
  const ok = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.text, '1158201444');
  assert.match(ok.type, /^text\/plain/);
  for (const params of [
    { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' },
    { 'hub.mode': 'subscribe', 'hub.verify_token': `${VERIFY_TOKEN}x`, 'hub.challenge': '1' },
    { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
    { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
    {},
  ]) {
    const r = await handshake(params);
    assert.equal(r.status, 403, JSON.stringify(params));
    assert.ok(!r.text.includes('1158201444') && !r.text.includes(VERIFY_TOKEN), r.text);
  }
});

/** Meta's envelope around `value`s (one change each). */
const envelope = (...values) => ({
  object: 'whatsapp_business_account',
  entry: values.map((value) => ({ id: 'WABA-77', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: '1000001' }, ...value } }] })),
});
async function hook(text, signature) {
  const headers = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  const r = await fetch(`${worker.url}/api/webhooks`, { method: 'POST', headers, body: text });
  return { status: r.status, json: await r.json() };
}
async function logged(id) {
  const r = await fetch(`${worker.url}/api/messages/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await r.json()).data;
}
const unix = (offsetS = 0) => String(Math.floor(Date.now() / 1000) + offsetS);

test('signed webhooks update the log; a tampered body, a wrong secret or no signature changes nothing', async () => {
  const sent = await post({ ...TEXT, text: 'status test' });
  assert.equal(sent.status, 200, sent.text);
  const id = sent.json.data.message_id;
  const read = envelope({ statuses: [{ id, status: 'read', timestamp: unix(), recipient_id: '919876543210' }] });
  const { text, signature } = graph.sign(read);
  const other = createHmac('sha256', 'not-the-app-secret').update(text).digest('hex');
  for (const [body, sig, why] of [
    [text.replace('read', 'sent'), signature, 'tampered body'],
    [text, `sha256=${other}`, 'wrong secret'],
    [text, undefined, 'no header'],
    [text, signature.slice(7), 'no sha256= prefix'],
  ]) {
    const r = await hook(body, sig);
    assert.equal(r.status, 401, why);
    assert.equal(r.json.code, 'bad_signature', why);
  }
  assert.equal((await logged(id)).status, 'sent', 'an unsigned webhook changed the log');
  const ok = await hook(text, signature);
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.deepEqual(ok.json, { status: 'ok', events: 1, applied: 1, unchanged: 0 });
  assert.equal((await logged(id)).status, 'read');
});

test('one envelope with several statuses, a failure with errors[] and a customer\'s STOP: each applied, in order, once', async () => {
  const a = await post({ ...TEXT, to: '+919876543212', text: 'first' });
  const b = await post({ ...TEXT, to: '+919876543213', text: 'second' });
  const [idA, idB] = [a.json.data.message_id, b.json.data.message_id];
  const body = envelope(
    { statuses: [
      { id: idA, status: 'sent', timestamp: unix(-30), recipient_id: '919876543212', conversation: { id: 'c1', origin: { type: 'utility' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'utility' } },
      // Out of order: read before delivered; the lattice keeps read.
      { id: idA, status: 'read', timestamp: unix(-10), recipient_id: '919876543212' },
      { id: idA, status: 'delivered', timestamp: unix(-20), recipient_id: '919876543212' },
      { id: idB, status: 'failed', timestamp: unix(-5), recipient_id: '919876543213', errors: [{ code: 131050, title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', message: 'Unable to deliver', error_data: { details: 'the recipient opted out' } }] },
    ] },
    { contacts: [{ profile: { name: 'Ana' }, wa_id: '5215512345678' }], messages: [{ from: '5215512345678', id: `wamid.IN${Date.now()}`, timestamp: unix(), type: 'text', text: { body: 'Stop' } }] },
  );
  const { text, signature } = graph.sign(body);
  const r = await hook(text, signature);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.events, 5);
  // The late `delivered` changes nothing: read is further along.
  assert.equal(r.json.applied, 4, JSON.stringify(r.json));
  assert.equal(r.json.unchanged, 1);
  const mA = await logged(idA);
  assert.equal(mA.status, 'read');
  const mB = await logged(idB);
  assert.equal(mB.status, 'failed');
  assert.match(mB.failure, /^\(#131050\) Unable to deliver/);
  const suppressed = await (await fetch(`${worker.url}/api/suppressions`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  const numbers = suppressed.data.map((s) => s.identity);
  assert.ok(numbers.includes('+919876543213'), `131050 suppresses: ${numbers}`);
  // Mexico's WhatsApp id (521…) and its number (52…) are one person.
  assert.ok(numbers.includes('+525512345678'), `STOP suppresses: ${numbers}`);
  // The same envelope again (Meta retries): nothing applied twice.
  const again = await hook(text, signature);
  assert.equal(again.status, 200);
  assert.equal(again.json.events, 5);
  assert.equal(again.json.applied, 0, JSON.stringify(again.json));
  assert.equal((await logged(idA)).status, 'read');
});

test('a signed body that is not Meta\'s envelope is 400 invalid_event; a change of another field is ignored', async () => {
  for (const body of ['not json', JSON.stringify({ event: 'message.read', data: {} }), JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { statuses: [{ status: 'read' }] } }] }] })]) {
    const { text, signature } = graph.sign(body);
    const r = await hook(text, signature);
    assert.equal(r.status, 400, body);
    assert.equal(r.json.code, 'invalid_event');
  }
  const other = graph.sign({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }] });
  const r = await hook(other.text, other.signature);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ignored');
});
