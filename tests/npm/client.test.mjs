// The send client against a fake Worker on 127.0.0.1: retries where they are
// safe (429 with Retry-After, network failures), one idempotency key for every
// attempt, no retry on a definite error, nothing sent for an invalid payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createClient, isSendError, message } from 'wasend';

const TO = '+919876543210';
const OK = { data: { message_id: 'wamid.HBgLOTE5ODc2NTQzMjEw', status: 'sent' } };

/** A server that answers request n with script[n] (the last one repeats). */
async function fakeWorker(script) {
  const seen = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body, at: Date.now() });
      const step = script[Math.min(seen.length - 1, script.length - 1)];
      if (step === 'reset') { req.socket.destroy(); return; }
      res.writeHead(step.status, { 'content-type': 'application/json', ...(step.headers || {}) });
      res.end(JSON.stringify(step.body ?? {}));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  return { baseUrl, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

const fast = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };

test('a valid send posts the normalized payload with the token and an idempotency key', async () => {
  const w = await fakeWorker([{ status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 'client-token', ...fast });
    const res = await client.send(message.text('+91 98765 43210', 'Hello'));
    assert.deepEqual(res, OK);
    assert.equal(w.seen.length, 1);
    const [r] = w.seen;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/api/messages/send');
    assert.equal(r.headers.authorization, 'Bearer client-token');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(r.headers['idempotency-key'], /^[0-9a-f-]{36}$/);
    assert.equal(r.headers['x-api-key'], undefined);
    assert.deepEqual(JSON.parse(r.body), { to: TO, type: 'text', text: 'Hello' });
  } finally { await w.close(); }
});

test('429 with Retry-After is retried after that long, with the same key', async () => {
  const w = await fakeWorker([{ status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down', status: 'error' } }, { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    assert.deepEqual(await client.send(message.text(TO, 'hi')), OK);
    assert.equal(w.seen.length, 2);
    assert.ok(w.seen[1].at - w.seen[0].at >= 950, `waited ${w.seen[1].at - w.seen[0].at} ms`);
    assert.equal(w.seen[0].headers['idempotency-key'], w.seen[1].headers['idempotency-key']);
  } finally { await w.close(); }
});

test('a network failure is retried with the same key', async () => {
  const w = await fakeWorker(['reset', 'reset', { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    assert.deepEqual(await client.send(message.text(TO, 'hi'), { idempotencyKey: 'order-42' }), OK);
    assert.equal(w.seen.length, 3);
    assert.deepEqual(w.seen.map((s) => s.headers['idempotency-key']), ['order-42', 'order-42', 'order-42']);
  } finally { await w.close(); }
});

test('a 409 for a key still in flight is retried (its answer comes on a later attempt); any other 409 is not', async () => {
  const busy = { status: 409, headers: { 'retry-after': '0' }, body: { message: 'still being processed', status: 'error', code: 'idempotency_in_flight' } };
  const w = await fakeWorker([busy, busy, { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    assert.deepEqual(await client.send(message.text(TO, 'hi'), { idempotencyKey: 'order-43' }), OK);
    assert.equal(w.seen.length, 3);
  } finally { await w.close(); }
  const other = await fakeWorker([{ status: 409, body: { message: 'conflict', status: 'error', code: 'something_else' } }, { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: other.baseUrl, token: 't', ...fast });
    await assert.rejects(client.send(message.text(TO, 'hi')), { kind: 'http', status: 409, attempts: 1 });
    assert.equal(other.seen.length, 1);
  } finally { await other.close(); }
});

test('the Worker\'s 500 is retried under the same key (nothing was sent); a 400 stands, a typed error', async () => {
  const w = await fakeWorker([{ status: 500, body: { message: 'the worker failed on this request; nothing was sent', status: 'error', code: 'internal' } }, { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    const r = await client.send(message.text(TO, 'hi'));
    assert.equal(r.data.message_id, OK.data.message_id);
    assert.equal(w.seen.length, 2);
    assert.equal(w.seen[0].headers['idempotency-key'], w.seen[1].headers['idempotency-key']);
  } finally { await w.close(); }
  const bad = await fakeWorker([{ status: 400, body: { message: 'payload is invalid', status: 'error', code: 'invalid_payload' } }, { status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: bad.baseUrl, token: 't', ...fast });
    await assert.rejects(client.send(message.text(TO, 'hi')), (e) => {
      assert.ok(isSendError(e));
      assert.equal(e.kind, 'http');
      assert.equal(e.status, 400);
      assert.equal(e.message, 'payload is invalid');
      assert.equal(e.attempts, 1);
      return true;
    });
    assert.equal(bad.seen.length, 1);
  } finally { await bad.close(); }
});

test('429 on every attempt ends in a typed error after the retries', async () => {
  const w = await fakeWorker([{ status: 429, headers: { 'retry-after': '0' }, body: { message: 'rate limited', status: 'error' } }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    await assert.rejects(client.send(message.text(TO, 'hi')), { name: 'SendError', kind: 'http', status: 429, attempts: 4, retryAfter: 0 });
    assert.equal(w.seen.length, 4);
  } finally { await w.close(); }
});

test('a Retry-After beyond maxRetryAfterMs is not waited for', async () => {
  const w = await fakeWorker([{ status: 503, headers: { 'retry-after': '3600' }, body: { message: 'maintenance', status: 'error' } }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast, maxRetryAfterMs: 1000 });
    await assert.rejects(client.send(message.text(TO, 'hi')), { kind: 'http', status: 503, retryAfter: 3600 });
    assert.equal(w.seen.length, 1);
  } finally { await w.close(); }
});

test('no worker at all: a network error after every attempt', async () => {
  const w = await fakeWorker([{ status: 200, body: OK }]);
  await w.close();
  const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
  await assert.rejects(client.send(message.text(TO, 'hi')), (e) => e.kind === 'network' && e.attempts === 4 && typeof e.idempotencyKey === 'string');
});

test('an invalid payload is never sent', async () => {
  const w = await fakeWorker([{ status: 200, body: OK }]);
  try {
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast });
    await assert.rejects(client.send(message.text('not a phone', '')), (e) => {
      assert.equal(e.kind, 'invalid');
      assert.deepEqual(e.errors.map((x) => x.code), ['phone_format', 'empty']);
      return true;
    });
    assert.equal(w.seen.length, 0);
  } finally { await w.close(); }
});

test('send validates with the given options and uses a custom fetch', async () => {
  const w = await fakeWorker([{ status: 200, body: OK }]);
  try {
    let calls = 0;
    const client = createClient({ baseUrl: w.baseUrl, token: 't', ...fast, fetch: (req) => { calls++; return fetch(req); } });
    assert.deepEqual(await client.send(message.text('09876543210', 'hi'), { defaultRegion: 'IN' }), OK);
    assert.equal(calls, 1);
    assert.equal(JSON.parse(w.seen[0].body).to, TO);
  } finally { await w.close(); }
});
