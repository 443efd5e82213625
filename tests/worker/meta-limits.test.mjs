// Meta's limits and the Meta sandbox, under real workerd: 80 sends a second by
// default, the pair rate limit (one message to a recipient every 6 s across all
// clients and campaigns, a campaign waiting for it rather than failing the row),
// a campaign of a few hundred rows through a fake Graph API with faults, each
// recipient reached once; and with UPSTREAM_DIALECT=meta and no token, a sandbox
// that answers and signs webhooks as Meta does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, send, repositoryTemplates, until } from './harness.mjs';
import { fakeGraph, metaError } from './fake-graph.mjs';

const ACCESS_TOKEN = 'EAAG-limits-access-token-77e1c0';
const A = 'meta-limits-client-a-0123456789';
const B = 'meta-limits-client-b-9876543210';
const HELLO = { name: 'hello_world', language: 'en_US' };
const hello = (to) => ({ to, type: 'template', template: HELLO });
const number = (i) => `+9198${String(76_600_000 + i).padStart(8, '0')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let graph;
let meta;
let sandbox;

const api = (base, path, init = {}, token = A) => fetch(`${base}${path}`, {
  ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) },
}).then(async (r) => ({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.json() }));

async function recipients(base, id) {
  const out = [];
  let cursor = '';
  for (;;) {
    const page = await api(base, `/api/campaigns/${id}/recipients?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    out.push(...page.body.data);
    if (!page.body.next_cursor) return out;
    cursor = page.body.next_cursor;
  }
}

before(async () => {
  graph = await fakeGraph({ token: ACCESS_TOKEN, templates: repositoryTemplates() });
  [meta, sandbox] = await Promise.all([
    startWorker({
      UPSTREAM_DIALECT: 'meta', UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS_TOKEN,
      META_PHONE_NUMBER_ID: '1000001', META_WABA_ID: 'WABA-1', CLIENT_TOKENS: `a:${A},b:${B}`,
    }),
    startWorker({ UPSTREAM_DIALECT: 'meta', CLIENT_TOKENS: `a:${A}` }),
  ]);
});

after(async () => {
  await Promise.all([meta?.stop(), sandbox?.stop()]);
  await graph?.close();
});

test('the Meta dialect\'s limits: 80 a second, no minute\'s limit of its own', async () => {
  const health = await (await fetch(`${meta.url}/api/health`)).json();
  assert.equal(health.limits.per_second, 80);
  assert.equal(health.limits.per_minute, 80 * 60);
});

test('the pair rate limit: two clients sending to one person at once, one reaches Meta, the other waits the exact Retry-After', async () => {
  graph.reset();
  // One person, written two ways: Mexico's WhatsApp id and its number.
  const [x, y] = await Promise.all([
    send(meta.url, { to: '+5215512340001', type: 'text', text: 'from a' }, { token: A }),
    send(meta.url, { to: '+525512340001', type: 'text', text: 'from b' }, { token: B }),
  ]);
  const answers = [x, y].sort((p, q) => p.status - q.status);
  assert.deepEqual(answers.map((r) => r.status), [200, 429], answers.map((r) => r.text).join('\n'));
  const held = answers[1];
  assert.equal(held.json.code, 'rate_limited');
  assert.match(held.json.message, /same recipient every 6000 ms/);
  const wait = Number(held.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 6, `Retry-After ${wait}`);
  assert.equal(graph.sends().length, 1, 'both reached Meta');
  // Another recipient is not held.
  const other = await send(meta.url, { to: '+525512340002', type: 'text', text: 'hi' }, { token: B });
  assert.equal(other.status, 200, other.text);
  // After the wait, the held one goes.
  await sleep(wait * 1000);
  const later = await send(meta.url, { to: '+525512340001', type: 'text', text: 'from b' }, { token: B });
  assert.equal(later.status, 200, later.text);
  const times = graph.sends().filter((s) => s.json.to.endsWith('5512340001')).map((s) => s.at);
  assert.equal(times.length, 2);
  assert.ok(times[1] - times[0] >= 6000 - 50, `${times[1] - times[0]} ms apart`);
  // A send Meta refused sent nothing, so it holds no pair slot; an unknown outcome does.
  graph.next(metaError(131026));
  const refused = await send(meta.url, { to: '+525512340003', type: 'text', text: 'one' }, { token: A });
  assert.equal(refused.status, 400, refused.text);
  const right = await send(meta.url, { to: '+525512340003', type: 'text', text: 'two' }, { token: A });
  assert.equal(right.status, 200, right.text);
  graph.next({ status: 502, body: 'Bad Gateway' });
  const unknown = await send(meta.url, { to: '+525512340004', type: 'text', text: 'one' }, { token: A });
  assert.equal(unknown.status, 502, unknown.text);
  const heldAfterUnknown = await send(meta.url, { to: '+525512340004', type: 'text', text: 'two' }, { token: A });
  assert.equal(heldAfterUnknown.status, 429, heldAfterUnknown.text);
});

test('a campaign of 240 rows through Meta with faults: every row an outcome, each recipient reached once, a pair-limited row waits', async () => {
  graph.reset();
  const rows = Array.from({ length: 240 }, (_, i) => ({ to: number(i) }));
  // A single send to the first row's recipient just before: its row must wait, not fail.
  const single = await send(meta.url, hello(number(0)), { token: B });
  assert.equal(single.status, 200, single.text);
  // Faults on the next sends: rate and transient codes (tried again), one undeliverable.
  graph.next(
    metaError(130429), { status: 200 }, metaError(131000, { status: 500 }), { status: 200 },
    metaError(131026), metaError(80007), { status: 200 }, metaError(2, { status: 503 }),
  );
  const created = await api(meta.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ name: 'meta', template: HELLO, rows }) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id;
  const done = await until(() => api(meta.url, `/api/campaigns/${id}`), (c) => c.body.data?.finished > 0, 90_000);
  assert.equal(done.body.data.status, 'completed', JSON.stringify(done.body.data));
  const all = await recipients(meta.url, id);
  assert.equal(all.length, 240);
  const failed = all.filter((r) => r.status === 'failed');
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.equal(failed[0].error.class, 'recipient');
  assert.match(failed[0].error.message, /^\(#131026\)/);
  assert.ok(all.filter((r) => r.status !== 'failed').every((r) => r.status === 'sent'), JSON.stringify(all.filter((r) => r.status !== 'sent' && r.status !== 'failed')));
  // Each recipient reached once: Meta accepted one send per number (the single send aside).
  const accepted = graph.sends().filter((s) => (s.step?.status ?? 200) === 200 && !s.step?.body);
  const perNumber = new Map();
  for (const s of accepted) perNumber.set(s.json.to, (perNumber.get(s.json.to) ?? 0) + 1);
  for (const [to, n] of perNumber) assert.equal(n, to === number(0).slice(1) ? 2 : 1, `${to} sent ${n} times`);
  assert.equal(accepted.length, 240 - 1 + 1);
  // The first row waited out the pair interval after the single send.
  const toFirst = graph.sends().filter((s) => s.json.to === number(0).slice(1) && (s.step?.status ?? 200) === 200).map((s) => s.at);
  assert.equal(toFirst.length, 2);
  assert.ok(toFirst[1] - toFirst[0] >= 6000 - 50, `${toFirst[1] - toFirst[0]} ms apart`);
});

test('the Meta sandbox: Meta\'s 131047 outside the window, a template sent and read through Meta-shaped signed webhooks', async () => {
  const outside = await send(sandbox.url, { to: '+919876543210', type: 'text', text: 'hello' }, { token: A });
  assert.equal(outside.status, 400, outside.text);
  assert.equal(outside.json.code, 'upstream_rejected');
  assert.equal(outside.json.meta.code, 131047);
  assert.match(outside.json.message, /^\(#131047\)/);
  assert.equal(outside.headers['x-wasend-sandbox'], '1');
  const unknown = await send(sandbox.url, { to: '+919876543210', type: 'template', template: { name: 'nope', language: 'en_US' } }, { token: A });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'template_not_found');
  const ok = await send(sandbox.url, hello('+5215512345678'), { token: A });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.data.status, 'accepted');
  assert.equal(ok.json.data.wa_id, '5215512345678');
  const id = ok.json.data.message_id;
  const read = await until(() => api(sandbox.url, `/api/messages/${encodeURIComponent(id)}`), (m) => m.body.data?.status === 'read', 20_000);
  assert.deepEqual(read.body.data.history.map((h) => h.event), ['sent', 'delivered', 'read']);
  // The customer writes: the window opens, and free-form text goes.
  await api(sandbox.url, '/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: '+919876543211', text: 'hi' }) });
  const reply = await send(sandbox.url, { to: '+919876543211', type: 'text', text: 'hello again' }, { token: A });
  assert.equal(reply.status, 200, reply.text);
});

test('a campaign runs against the Meta sandbox', async () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ to: number(1000 + i) }));
  const created = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: HELLO, rows }) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const done = await until(() => api(sandbox.url, `/api/campaigns/${created.body.data.id}`), (c) => c.body.data?.counts?.read === 5, 30_000);
  assert.equal(done.body.data.status, 'completed');
});
