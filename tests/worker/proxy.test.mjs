// The Worker as a proxy, under real workerd (`wrangler dev`), against a fake
// provider on 127.0.0.1: forwarding with the server-side key, authentication,
// request limits, upstream failures, idempotency, exact rate limits, CORS, the
// page, and the key never leaving.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fakeProvider, startWorker, send } from './harness.mjs';

const KEY = 'prov-key-7f3a9c2e1d5b4a8f';
const TOKEN = 'client-token-for-tests-0123456789';
const OTHER = 'other-client-token-9876543210';
const TO = '+919876543210';
const TEXT = { to: TO, type: 'text', text: 'Hello! Your order has been shipped.' };

let provider;
let worker;
const seenResponses = [];

// Tests of other behaviours send in quick succession and would meet the
// Worker's own 10-a-second limit (its windows are 1.5 s), so by default this
// waits out the Worker's 429 `rate_limited` as a client should. Tests of the
// limit itself pass `{ paced: false }` and see every 429.
async function post(payload, { paced = true, ...opts } = {}) {
  for (;;) {
    const r = await send(worker.url, payload, { token: TOKEN, ...opts });
    seenResponses.push(r);
    if (!paced || r.status !== 429 || r.json?.code !== 'rate_limited') return r;
    await new Promise((done) => setTimeout(done, Number(r.headers['retry-after']) * 1000));
  }
}

before(async () => {
  provider = await fakeProvider();
  worker = await startWorker({
    UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `app:${TOKEN},ops:${OTHER}`,
    ALLOWED_ORIGINS: 'https://dashboard.example.com', UPSTREAM_TIMEOUT_MS: '1500',
  });
});

after(async () => {
  await worker?.stop();
  await provider?.close();
});

beforeEach(() => provider.reset());

test('the provider example sends are forwarded with the server-side key and the normalized payload', async () => {
  const examples = [
    { ...TEXT, to: '+91 98765 43210' },
    { to: TO, type: 'template', template: { name: 'order_confirmation', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'John' }, { type: 'text', text: 'ORD-789' }] }] } },
    { to: TO, type: 'image', image: { url: 'https://example.com/product.jpg', caption: 'Check out our new product!' } },
    { to: TO, type: 'interactive', interactive: { type: 'button', body: { text: 'How can we help?' }, action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }] } } },
    { ...TEXT, whatsapp_account: 'account_id_here' },
  ];
  for (const p of examples) {
    const r = await post(p, { headers: { cookie: 'session=abc', 'x-api-key': 'client-supplied' } });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.data.message_id, /^wamid\./);
    assert.equal(r.json.data.status, 'sent');
  }
  const sends = provider.sends();
  assert.equal(sends.length, examples.length);
  for (const s of sends) {
    assert.equal(s.method, 'POST');
    assert.equal(s.headers['x-api-key'], KEY, 'the server-side key, not the client one');
    assert.equal(s.headers.authorization, undefined, 'the client token is not forwarded');
    assert.equal(s.headers.cookie, undefined, 'cookies are not forwarded');
    assert.equal(JSON.parse(s.body).to, TO, 'the normalized payload');
  }
});

test('no token, a wrong token or a malformed header: 401 and nothing forwarded', async () => {
  for (const token of [undefined, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
    const r = await send(worker.url, TEXT, { token });
    seenResponses.push(r);
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 'unauthorized');
    assert.equal(r.json.status, 'error');
  }
  const r = await send(worker.url, TEXT, { headers: { authorization: `Basic ${TOKEN}` } });
  assert.equal(r.status, 401);
  assert.equal(provider.sends().length, 0);
});

test('400 for an invalid payload, 413 over 64 KB, 415 for a non-JSON type, 405 for a wrong method: nothing forwarded', async () => {
  const bad = await post({ to: 'not a phone', type: 'text', text: '' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'invalid_payload');
  assert.deepEqual(bad.json.errors.map((e) => `${e.code} ${e.path}`), ['phone_format /to', 'empty /text']);
  const junk = await post(undefined, { body: '{"to":' });
  assert.equal(junk.status, 400);
  assert.equal(junk.json.errors[0].code, 'invalid_json');
  const big = await post(undefined, { body: JSON.stringify({ ...TEXT, text: 'x'.repeat(70_000) }) });
  assert.equal(big.status, 413);
  const plain = await post(undefined, { body: JSON.stringify(TEXT), headers: { 'content-type': 'text/plain' } });
  assert.equal(plain.status, 415);
  const get = await send(worker.url, undefined, { token: TOKEN, method: 'GET' });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');
  const put = await post(TEXT, { method: 'PUT' });
  assert.equal(put.status, 405);
  const missing = await send(worker.url, TEXT, { token: TOKEN }).then(() => fetch(`${worker.url}/api/nope`));
  assert.equal(missing.status, 404);
  assert.equal(provider.sends().length, 1, 'only the one valid send above');
});

test('upstream 500 is retried, then 503; another 5xx is 502, a 4xx passes through, a hang 504, a reset 502', async () => {
  const e500 = { status: 500, body: { message: 'Server error (retry)', status: 'error' } };
  provider.next(e500);
  const retried = await post(TEXT);
  assert.equal(retried.status, 200, 'the provider says to retry a 500');
  assert.equal(provider.sends().length, 2);
  provider.reset();
  provider.next(e500, e500, e500);
  const r500 = await post(TEXT);
  assert.equal(r500.status, 503);
  assert.equal(r500.json.code, 'upstream_unavailable');
  assert.equal(r500.json.upstream_status, 500);
  assert.equal(r500.headers['retry-after'], '2');
  assert.equal(provider.sends().length, 3, 'three attempts, no more');
  provider.reset();
  provider.next({ status: 502, body: { message: 'Bad gateway', status: 'error' } });
  const r502 = await post(TEXT);
  assert.equal(r502.status, 502);
  assert.equal(r502.json.code, 'upstream_error');
  assert.equal(r502.json.upstream_status, 502);
  provider.next({ status: 404, body: { message: 'Contact not found', status: 'error' } });
  const r404 = await post(TEXT);
  assert.equal(r404.status, 404);
  assert.equal(r404.json.message, 'Contact not found');
  assert.equal(r404.json.code, 'upstream_rejected');
  provider.next({ status: 400, body: { message: `Outside 24-hour window. Use a template message. (key ${KEY})`, status: 'error' } });
  const echo = await post(TEXT);
  assert.equal(echo.status, 400);
  assert.ok(!echo.text.includes(KEY), 'an upstream echo of the key is redacted');
  assert.match(echo.json.message, /\[redacted\]/);
  provider.next('hang');
  const hung = await post(TEXT);
  assert.equal(hung.status, 504);
  assert.equal(hung.json.code, 'upstream_timeout');
  provider.next('reset');
  const reset = await post(TEXT);
  assert.equal(reset.status, 502);
  assert.equal(provider.sends().length, 5, 'a failure after sending is never retried');
});

test('upstream 429: a short Retry-After is waited for and retried, a long one is passed through', async () => {
  provider.next({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded', status: 'error' } });
  const t0 = Date.now();
  const ok = await post(TEXT);
  assert.equal(ok.status, 200);
  assert.ok(Date.now() - t0 >= 950);
  assert.equal(provider.sends().length, 2);
  provider.reset();
  provider.next({ status: 429, headers: { 'retry-after': '30' }, body: { message: 'Rate limit exceeded', status: 'error' } });
  const limited = await post(TEXT);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '30');
  assert.equal(limited.json.code, 'upstream_rate_limited');
});

test('idempotency: a replay sends once and returns the same body; another body is 422; in flight is 409', async () => {
  const first = await post(TEXT, { key: 'order-1' });
  assert.equal(first.status, 200);
  const again = await post(TEXT, { key: 'order-1' });
  assert.equal(again.status, 200);
  assert.equal(again.text, first.text);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(provider.sends().length, 1);
  const other = await post({ ...TEXT, text: 'something else' }, { key: 'order-1' });
  assert.equal(other.status, 422);
  assert.equal(other.json.code, 'idempotency_key_reused');
  // Keys are per client: the same key from another client is its own.
  const ops = await send(worker.url, TEXT, { token: OTHER, key: 'order-1' });
  assert.equal(ops.status, 200);
  assert.equal(provider.sends().length, 2);
  provider.next({ status: 200, delay: 1200 });
  const slow = post(TEXT, { key: 'order-2' });
  await new Promise((r) => setTimeout(r, 300));
  const during = await post(TEXT, { key: 'order-2' });
  assert.equal(during.status, 409);
  assert.equal(during.json.code, 'idempotency_in_flight');
  assert.equal(during.headers['retry-after'], '1');
  assert.equal((await slow).status, 200);
  // A failure of unknown outcome keeps its key; one the provider says sent nothing frees it.
  provider.next({ status: 502 });
  const failed = await post(TEXT, { key: 'order-3' });
  assert.equal(failed.status, 502);
  const replayedFailure = await post(TEXT, { key: 'order-3' });
  assert.equal(replayedFailure.status, 502);
  assert.equal(replayedFailure.headers['idempotent-replayed'], 'true');
  const before = provider.sends().length;
  provider.next({ status: 500 }, { status: 500 }, { status: 500 });
  const unsent = await post(TEXT, { key: 'order-4' });
  assert.equal(unsent.status, 503);
  const resent = await post(TEXT, { key: 'order-4' });
  assert.equal(resent.status, 200);
  assert.equal(resent.headers['idempotent-replayed'], undefined);
  assert.equal(provider.sends().length, before + 4);
  const bad = await post(TEXT, { key: 'x'.repeat(300) });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'invalid_idempotency_key');
});

test('25 concurrent sends: never more than 10 a second upstream; every request gets 200 or 429 with Retry-After', async () => {
  // Let the budget of earlier tests pass out of the window first.
  await new Promise((r) => setTimeout(r, 1600));
  provider.reset();
  const results = await Promise.all(Array.from({ length: 25 }, (_, i) => post({ ...TEXT, text: `burst ${i}` }, { paced: false })));
  const statuses = results.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
  for (const r of results.filter((x) => x.status === 429)) {
    assert.match(r.headers['retry-after'], /^[1-9]\d*$/);
    assert.equal(r.json.code, 'rate_limited');
    assert.equal(r.headers['ratelimit-remaining'], '0');
  }
  const times = provider.sends().map((s) => s.at).sort((a, b) => a - b);
  for (let i = 0; i + 10 < times.length; i++) {
    assert.ok(times[i + 10] - times[i] >= 1000, `11 sends within ${times[i + 10] - times[i]} ms`);
  }
  assert.equal(provider.sends().length, statuses.filter((s) => s === 200).length);
  assert.ok(statuses.filter((s) => s === 200).length <= 10);
});

test('retries of the provider\'s 500s take rate slots too: the provider still sees at most 10 requests a second', async () => {
  await new Promise((r) => setTimeout(r, 1600));
  provider.reset();
  provider.next(...Array.from({ length: 6 }, () => ({ status: 500 })));
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post({ ...TEXT, text: `faulty burst ${i}` }, { paced: false })));
  const statuses = results.map((r) => r.status);
  assert.ok(statuses.every((s) => [200, 429, 503].includes(s)), statuses.join(','));
  const times = provider.sends().map((s) => s.at).sort((a, b) => a - b);
  assert.ok(times.length > 10, `${times.length} upstream requests: the retries happened`);
  for (let i = 0; i + 10 < times.length; i++) {
    assert.ok(times[i + 10] - times[i] >= 1000, `11 upstream requests within ${times[i + 10] - times[i]} ms`);
  }
});

test('CORS: an allowed origin is allowed, a foreign one gets no allow header', async () => {
  const ok = await fetch(`${worker.url}/api/messages/send`, { method: 'OPTIONS', headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'POST' } });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://dashboard.example.com');
  const evil = await fetch(`${worker.url}/api/messages/send`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  const r = await post(TEXT, { headers: { origin: 'https://evil.example' } });
  assert.equal(r.headers['access-control-allow-origin'], undefined);
});

test('CORS preflight names exactly the methods each endpoint answers (its Allow), so a page can lift a suppression or use the admin endpoints', async () => {
  const paths = ['/api/health', '/api/messages/send', '/api/messages', '/api/messages/wamid.X', '/api/templates', '/api/admin/templates',
    '/api/suppressions', '/api/suppressions/%2B919876543210', '/api/campaigns', '/api/campaigns/cmp_000000000000000000000000',
    '/api/campaigns/cmp_000000000000000000000000/recipients', '/api/campaigns/cmp_000000000000000000000000/pause', '/api/sandbox/inbound'];
  for (const path of paths) {
    const pre = await fetch(`${worker.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'DELETE' } });
    assert.equal(pre.status, 204, path);
    const allowed = pre.headers.get('access-control-allow-methods').split(', ');
    assert.ok(allowed.includes('OPTIONS'), path);
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${worker.url}${path}`, { method, headers: { origin: 'https://dashboard.example.com', authorization: `Bearer ${TOKEN}` } });
      if (allowed.includes(method)) assert.notEqual(r.status, 405, `${method} ${path} is in the preflight's list`);
      else {
        assert.equal(r.status, 405, `${method} ${path} is not in the preflight's list (${allowed})`);
        assert.equal(r.headers.get('allow'), allowed.filter((m) => m !== 'OPTIONS').join(', '), path);
      }
    }
  }
  const lift = await fetch(`${worker.url}/api/suppressions/%2B919876543210`, { method: 'OPTIONS', headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'DELETE' } });
  assert.equal(lift.headers.get('access-control-allow-methods'), 'DELETE, OPTIONS');
  const admin = await fetch(`${worker.url}/api/admin/templates`, { method: 'OPTIONS', headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'PUT' } });
  assert.equal(admin.headers.get('access-control-allow-methods'), 'GET, PUT, DELETE, OPTIONS');
});

test('the Bearer scheme in any case (RFC 9110); a malformed campaign cursor is invalid_cursor', async () => {
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    const r = await fetch(`${worker.url}/api/messages?limit=1`, { headers: { authorization: `${scheme} ${TOKEN}` } });
    assert.equal(r.status, 200, scheme);
  }
  for (const cursor of ['1.xyz', '1700000000000.cmp_zz', 'abc', '.', '1.', 'cmp_000000000000000000000000']) {
    const r = await fetch(`${worker.url}/api/campaigns?cursor=${encodeURIComponent(cursor)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 400, cursor);
    assert.equal((await r.json()).code, 'invalid_cursor', cursor);
  }
  const good = await fetch(`${worker.url}/api/campaigns?cursor=1700000000000.cmp_000000000000000000000000`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(good.status, 200);
});

test('the page is served at /, health and templates answer', async () => {
  const page = await fetch(`${worker.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /wasend/);
  const health = await (await fetch(`${worker.url}/api/health`)).json();
  assert.equal(health.status, 'ok');
  assert.equal(health.mode, 'upstream');
  const fetches = provider.templateFetches();
  const t = await fetch(`${worker.url}/api/templates`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(t.status, 200);
  const listed = await t.json();
  assert.equal(listed.data[0].name, 'upstream_template');
  assert.equal(listed.source, 'upstream');
  const again = await fetch(`${worker.url}/api/templates`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal((await again.json()).data[0].name, 'upstream_template');
  assert.ok(provider.templateFetches() - fetches <= 1, 'the list is cached');
  for (const fetched of provider.seen.filter((x) => x.url === '/templates')) assert.equal(fetched.headers['x-api-key'], KEY);
  assert.equal((await fetch(`${worker.url}/api/templates`)).status, 401);
});

test('the key appears in no response, header or log line', () => {
  assert.ok(seenResponses.length > 30);
  for (const r of seenResponses) {
    assert.ok(!r.text.includes(KEY), `body of a ${r.status}`);
    assert.ok(!JSON.stringify(r.headers).includes(KEY), `headers of a ${r.status}`);
  }
  assert.ok(!worker.logs().includes(KEY), 'wrangler dev output');
});
