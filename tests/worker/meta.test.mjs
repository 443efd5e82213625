// The Worker with Meta's Cloud API as its upstream (UPSTREAM_DIALECT=meta), under
// real workerd, against a fake Graph API on 127.0.0.1: every vector payload
// reaches Meta in Meta's format (the golden files' twin, byte for byte) with the
// bearer token and the account's phone number id; Meta's answers and errors come
// back in wasend's shape with the status and class the core's failure table
// gives each code; templates are listed from the WABA across pages and enforced;
// the access token leaves in nothing.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker, send, repositoryTemplates, root } from './harness.mjs';
import { fakeGraph, metaError, metaStatus } from './fake-graph.mjs';
import { classifyFailure } from '../../pkg/campaigns-node.js';

const ACCESS_TOKEN = 'EAAG-meta-access-token-5f1e9c2a7b3d';
const TOKEN = 'client-token-for-meta-tests-0123456789';
const TO = '+919876543210';
const TEXT = { to: TO, type: 'text', text: 'Hello from the Meta dialect' };
const VERSION = 'v25.0';

/** Every valid golden case that sends as it is: its normalized payload and Meta twin. */
function goldenTwins() {
  const dir = join(root, 'tests', 'golden');
  const out = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const c = JSON.parse(line);
      if (c.meta === null || c.options !== null) continue;
      const { payload } = JSON.parse(c.result);
      // Templates are checked against the WABA's list: the template test covers them.
      if (payload.type === 'template') continue;
      out.set(JSON.stringify(payload), { name: `${file}: ${c.name}`, payload, meta: JSON.parse(c.meta) });
    }
  }
  return [...out.values()];
}

const twins = goldenTwins();
const accounts = [...new Set(twins.map((t) => t.meta.account).filter(Boolean))];
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
  graph = await fakeGraph({ token: ACCESS_TOKEN, templates: repositoryTemplates(), pageSize: 5 });
  worker = await startWorker({
    UPSTREAM_DIALECT: 'meta', UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS_TOKEN,
    META_API_VERSION: VERSION, META_PHONE_NUMBER_ID: '1000001', META_WABA_ID: 'WABA-77',
    META_PHONE_NUMBER_IDS: accounts.map((a) => `${a}:${phoneId(a)}`).join(','),
    CLIENT_TOKENS: `app:${TOKEN}`, UPSTREAM_TIMEOUT_MS: '1500',
    // The vector run sends hundreds at once; the limits have their own tests.
    RATE_PER_SECOND: '100000', RATE_PER_MINUTE: '1000000',
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
      assert.equal(r.json.data.wa_id, t.meta.body.to, t.name);
    }
  });
  await Promise.all(workers);
  const sends = graph.sends();
  assert.equal(sends.length, twins.length);
  // The account is in the path, not the body: a body and its sender are one send.
  const bySender = new Map(sends.map((s) => [`${s.phoneNumberId} ${s.body}`, s]));
  for (const t of twins) {
    const sender = t.meta.account ? phoneId(t.meta.account) : '1000001';
    const s = bySender.get(`${sender} ${JSON.stringify(t.meta.body)}`);
    assert.ok(s, `${t.name}: ${sender} never sent ${JSON.stringify(t.meta.body)}`);
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
