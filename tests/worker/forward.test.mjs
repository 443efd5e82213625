// Webhooks to the apps, Meta's way (the ingress's item 4), under real workerd: a
// client subscribes a callback and an app secret of its own; its messages'
// statuses and its customers' messages are forwarded as Meta's envelopes signed
// with X-Hub-Signature-256, and the SDKs' own webhook handling (whatsapp-api-js's
// `post`, pywa's validator and handler, each with the app secret) verifies them
// and calls their handlers. A callback
// that fails is tried again with backoff; each event arrives at least once and a
// message's statuses in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { startWorker, until, root } from './harness.mjs';
import { fakeGraph } from './fake-graph.mjs';

const TOKEN = 'forward-client-token-0123456789';
const OTHER = 'forward-other-token-9876543210';
const SECRET = 'app-secret-of-the-client-5d2e8f1a';
const PN = '106540352242922';

let worker;
let callback;
let failNext = 0;
const received = [];

/** A text sent the way a Meta SDK sends it, through a Worker's ingress; Meta's answer. */
const sendText = (base, to, body, token = TOKEN) => fetch(`${base}/v26.0/${PN}/messages`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body } }),
}).then((r) => r.json());

const api = (path, init = {}, token = TOKEN) => fetch(`${worker.url}${path}`, {
  ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) },
}).then(async (r) => ({ status: r.status, body: await r.json() }));

before(async () => {
  callback = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end('down');
        return;
      }
      received.push({ body, signature: req.headers['x-hub-signature-256'], at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => callback.listen(0, '127.0.0.1', r));
  worker = await startWorker({ UPSTREAM_DIALECT: 'meta', META_PHONE_NUMBER_ID: PN, CLIENT_TOKENS: `app:${TOKEN},other:${OTHER}`, PAIR_MIN_INTERVAL_MS: '0' });
});

after(async () => {
  await worker?.stop();
  await new Promise((r) => callback.close(r));
});

test('a subscription: set with its secret (never answered back), read, refused for a URL that is not https or local', async () => {
  for (const [body, why] of [
    [{ url: 'http://example.com/hook', secret: SECRET }, 'http elsewhere'],
    [{ url: 'https://u:p@example.com/hook', secret: SECRET }, 'credentials'],
    [{ url: `http://127.0.0.1:${callback.address().port}/hook`, secret: 'short' }, 'short secret'],
  ]) {
    const r = await api('/api/webhook-subscriptions', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(r.status, 400, why);
  }
  const url = `http://127.0.0.1:${callback.address().port}/hook`;
  const made = await api('/api/webhook-subscriptions', { method: 'POST', body: JSON.stringify({ url, secret: SECRET }) });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.data.url, url);
  assert.ok(!JSON.stringify(made.body).includes(SECRET));
  const read = await api('/api/webhook-subscriptions');
  assert.equal(read.body.data.url, url);
  const none = await api('/api/webhook-subscriptions', {}, OTHER);
  assert.equal(none.body.data, null);
});

test('statuses and a customer\'s message reach the app as Meta\'s signed envelopes its SDK verifies and handles, in order, after the callback failed twice', async () => {
  const statuses = [];
  const messages = [];
  const app = new WhatsAppAPI({ token: 'unused', appSecret: SECRET, webhookVerifyToken: 'unused' });
  app.on.status = ({ id, status, phoneID }) => { statuses.push({ id, status, phoneID }); };
  app.on.message = ({ message, from, contact }) => { messages.push({ from, text: message.text?.body, name: contact?.profile?.name }); };
  // The customer writes; then the app replies through the ingress.
  failNext = 2;
  const inbound = await api('/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: '+919876543218', text: 'Is my order on its way?', name: 'Priya' }) });
  assert.equal(inbound.status, 200);
  const sent = await sendText(worker.url, '919876543218', 'Yes, tomorrow.');
  const id = sent.messages[0].id;
  // Sent now, delivered and read by the sandbox at 2 and 5 s; the callback failed twice first.
  await until(() => received.length, (n) => n >= 4, 30_000);
  for (const r of received) {
    assert.match(r.signature, /^sha256=[0-9a-f]{64}$/);
    await app.post(JSON.parse(r.body), r.body, r.signature);
  }
  // The customer's profile name reaches the app as Meta names it.
  assert.deepEqual(messages, [{ from: '919876543218', text: 'Is my order on its way?', name: 'Priya' }]);
  const mine = statuses.filter((s) => s.id === id);
  assert.deepEqual(mine.map((s) => s.status), ['sent', 'delivered', 'read']);
  assert.equal(mine[0].phoneID, PN);
  // A body changed on the way fails the SDK's own check.
  const forged = received.at(-1).body.replace('read', 'sent');
  await assert.rejects(app.post(JSON.parse(forged), forged, received.at(-1).signature));
  // pywa's own webhook handling (its validator and handler, for a custom server) reads the same.
  const requests = [...received, { body: forged, signature: received.at(-1).signature }]
    .map((r) => JSON.stringify({ body: r.body, signature: r.signature })).join('\n');
  const out = execFileSync(join(root, '.venv', 'bin', 'python'), [join(root, 'tests', 'sdk', 'pywa_webhooks.py'), SECRET, PN], { input: requests, timeout: 60_000 }).toString();
  const pywa = JSON.parse(out.trim().split('\n').at(-1));
  assert.deepEqual(pywa.messages, [{ from: '919876543218', text: 'Is my order on its way?', name: 'Priya' }]);
  assert.deepEqual(pywa.statuses.filter((s) => s.id === id).map((s) => s.status), ['sent', 'delivered', 'read']);
  assert.deepEqual(pywa.refused, [403]);
});

test('another client\'s messages are not forwarded to this one; an ended subscription gets nothing more', async () => {
  const before = received.length;
  const other = await sendText(worker.url, '919876543218', 'from the other client', OTHER);
  assert.match(other.messages[0].id, /^wamid\./);
  await new Promise((r) => setTimeout(r, 6_000));
  const ids = received.slice(before).map((r) => JSON.parse(r.body).entry[0].changes[0].value.statuses?.[0]?.id);
  assert.ok(!ids.includes(other.messages[0].id), 'another client\'s statuses were forwarded');
  const ended = await api('/api/webhook-subscriptions', { method: 'DELETE' });
  assert.deepEqual(ended.body.data, { ended: true });
  const count = received.length;
  await api('/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: '+919876543217', text: 'hello?' }) });
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(received.length, count);
});

test('over a Meta upstream: Meta\'s signed status webhooks are forwarded to the app, which its SDK verifies under its own secret', async () => {
  const ACCESS = 'EAAG-forward-access-token-4410';
  const APP = 'meta-app-secret-forward-77';
  const graph = await fakeGraph({ token: ACCESS, appSecret: APP });
  const meta = await startWorker({
    UPSTREAM_DIALECT: 'meta', UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS, META_APP_SECRET: APP,
    META_PHONE_NUMBER_ID: PN, CLIENT_TOKENS: `app:${TOKEN}`, PAIR_MIN_INTERVAL_MS: '0', TEMPLATE_SOURCE: 'local',
  });
  try {
    const start = received.length;
    const url = `http://127.0.0.1:${callback.address().port}/meta-hook`;
    const sub = await fetch(`${meta.url}/api/webhook-subscriptions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ url, secret: SECRET }) });
    assert.equal(sub.status, 201);
    const sent = await sendText(meta.url, '919876543216', 'via meta');
    const id = sent.messages[0].id;
    const now = String(Math.floor(Date.now() / 1000));
    const { text, signature } = graph.sign({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: PN },
        statuses: [{ id, status: 'delivered', timestamp: now, recipient_id: '919876543216' }, { id, status: 'read', timestamp: now, recipient_id: '919876543216' }] } }] }],
    });
    const hook = await fetch(`${meta.url}/api/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: text });
    assert.equal(hook.status, 200);
    await until(() => received.length - start, (n) => n >= 3, 30_000);
    const statuses = [];
    const app = new WhatsAppAPI({ token: 'unused', appSecret: SECRET, webhookVerifyToken: 'unused' });
    app.on.status = ({ id: sid, status }) => { if (sid === id) statuses.push(status); };
    for (const r of received.slice(start)) await app.post(JSON.parse(r.body), r.body, r.signature);
    assert.deepEqual(statuses, ['sent', 'delivered', 'read']);
    // The app's secret signs what it gets, never Meta's.
    assert.ok(received.slice(start).every((r) => !r.body.includes(APP) && !r.body.includes(ACCESS)));
  } finally {
    await meta.stop();
    await graph.close();
  }
});
