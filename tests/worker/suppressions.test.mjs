// Opt-outs under workerd: the account's suppression list (one identity for every
// WhatsApp-id form of a number), filled by the API, by a stop keyword in an
// incoming message and by a 131050 failure; a marketing template to a suppressed
// number is refused and nothing is sent; lifting it lets it through again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fakeProvider, startWorker, send, repositoryTemplates } from './harness.mjs';

const TOKEN = 'suppression-token-0123456789';
const OTHER = 'suppression-other-token-9876543210';
const ADMIN = 'suppression-operator-token-5555';
const SECRET = 'whsec-suppressions-7c1d';
let sandbox;
let provider;
let upstream;

const api = (base, path, init = {}, token = TOKEN) => fetch(`${base}${path}`, {
  ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) },
});
const marketing = (to) => ({ to, type: 'template', template: { name: 'fall_sale', language: 'en_US', components: [
  { type: 'body', parameters: [{ type: 'text', text: 'FALL25' }, { type: 'text', text: '25%' }] },
  { type: 'button', sub_type: 'copy_code', index: 1, parameters: [{ type: 'coupon_code', coupon_code: 'FALL25' }] }] } });
const utility = (to) => ({ to, type: 'template', template: { name: 'order_confirmation', language: 'en', components: [
  { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'ORD-1' }] },
  { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ORD-1' }] }] } });

before(async () => {
  sandbox = await startWorker({ CLIENT_TOKENS: `${TOKEN},other:${OTHER}`, ADMIN_TOKENS: `ops:${ADMIN}`, STOP_KEYWORDS: 'BAJA,Désabonner' });
  provider = await fakeProvider({ templates: repositoryTemplates() });
  upstream = await startWorker({ UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: 'provider-key-supp-1234', CLIENT_TOKENS: TOKEN, WEBHOOK_SECRET: SECRET });
});
after(async () => {
  await sandbox?.stop();
  await upstream?.stop();
  await provider?.close();
});

test('a suppressed number, in any of its WhatsApp-id forms, gets no marketing template; lifted, it does', async () => {
  const add = await api(sandbox.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: '+52 1 55 1234 5678', reason: 'asked by phone' }) });
  assert.equal(add.status, 201);
  assert.deepEqual((await add.json()).data, { number: '+5215512345678', added: true });
  const again = await api(sandbox.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: '+525512345678' }) });
  assert.equal(again.status, 200, 'the same person, already suppressed');
  const list = (await (await api(sandbox.url, '/api/suppressions')).json()).data;
  assert.deepEqual(list.map((s) => [s.identity, s.source, s.reason, s.added_by]), [['+525512345678', 'api', 'asked by phone', 'client:client-1']]);
  const refused = await send(sandbox.url, marketing('+525512345678'), { token: TOKEN });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.code, 'recipient_opted_out');
  const service = await send(sandbox.url, utility('+525512345678'), { token: TOKEN });
  assert.equal(service.status, 200, 'a utility template still reaches them');
  const lift = await api(sandbox.url, `/api/suppressions/${encodeURIComponent('+5215512345678')}`, { method: 'DELETE' });
  assert.equal(lift.status, 200);
  assert.equal((await api(sandbox.url, `/api/suppressions/${encodeURIComponent('+525512345678')}`, { method: 'DELETE' })).status, 404);
  assert.equal((await send(sandbox.url, marketing('+525512345678'), { token: TOKEN })).status, 200);
});

test('a stop keyword in an incoming message suppresses the number, in any case and accent', async () => {
  for (const [from, text] of [['+447911123456', 'Párar.'], ['+447911123457', 'baja'], ['+447911123458', 'desabonner']]) {
    const r = await api(sandbox.url, '/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from, text }) });
    assert.equal(r.status, 200);
    assert.equal((await send(sandbox.url, marketing(from), { token: TOKEN })).status, 409, `${text} suppressed ${from}`);
  }
  const chat = await api(sandbox.url, '/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: '+447911123459', text: 'please stop the truck at the gate' }) });
  assert.equal(chat.status, 200);
  assert.equal((await send(sandbox.url, marketing('+447911123459'), { token: TOKEN })).status, 200, 'a sentence is not a stop keyword');
});

test('a 131050 failure suppresses the recipient; bad input is a clear 400, no token a 401', async () => {
  const sent = await send(upstream.url, utility('+919876543210'), { token: TOKEN });
  assert.equal(sent.status, 200, sent.text);
  const body = JSON.stringify({ event: 'message.failed', timestamp: Math.floor(Date.now() / 1000),
    data: { message_id: sent.json.data.message_id, status: 'failed', reason: '(#131050) User has stopped marketing messages' } });
  const hook = await fetch(`${upstream.url}/api/webhooks`, { method: 'POST', headers: { 'x-webhook-signature': createHmac('sha256', SECRET).update(body).digest('hex') }, body });
  assert.equal(hook.status, 200);
  const list = (await (await api(upstream.url, '/api/suppressions')).json()).data;
  assert.deepEqual(list.map((s) => [s.identity, s.source]), [['+919876543210', 'failure']]);
  const before_ = provider.sends().length;
  assert.equal((await send(upstream.url, marketing('+919876543210'), { token: TOKEN })).status, 409);
  assert.equal(provider.sends().length, before_, 'nothing was sent');
  const bad = await api(upstream.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: 'not a phone' }) });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, 'invalid_phone');
  assert.equal((await fetch(`${upstream.url}/api/suppressions`)).status, 401);
});

test('a client lifts only an opt-out it added itself through the api; another client\'s, a stop keyword\'s and a failure\'s need an operator', async () => {
  const number = '+447911123460';
  assert.equal((await api(sandbox.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number, reason: 'asked A' }) })).status, 201);
  const byOther = await api(sandbox.url, `/api/suppressions/${encodeURIComponent(number)}`, { method: 'DELETE' }, OTHER);
  assert.equal(byOther.status, 403);
  const refusal = await byOther.json();
  assert.equal(refusal.code, 'forbidden');
  assert.equal(refusal.added_by, 'client:client-1');
  let list = (await (await api(sandbox.url, '/api/suppressions', {}, OTHER)).json()).data;
  assert.deepEqual(list.filter((s) => s.number === number).map((s) => [s.reason, s.added_by]), [['asked A', 'client:client-1']], 'the entry and its reason are intact');
  assert.equal((await send(sandbox.url, marketing(number), { token: OTHER })).status, 409, 'and it still holds for every client');
  // Everyone's duty to suppress: B's played STOP suppresses for A too, and A cannot lift it.
  const stopped = '+447911123461';
  assert.equal((await api(sandbox.url, '/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: stopped, text: 'STOP' }) }, OTHER)).status, 200);
  assert.equal((await send(sandbox.url, marketing(stopped), { token: TOKEN })).status, 409);
  list = (await (await api(sandbox.url, '/api/suppressions')).json()).data;
  assert.deepEqual(list.filter((s) => s.number === stopped).map((s) => [s.source, s.added_by]), [['inbound', 'sandbox:other']]);
  for (const token of [TOKEN, OTHER]) {
    assert.equal((await api(sandbox.url, `/api/suppressions/${encodeURIComponent(stopped)}`, { method: 'DELETE' }, token)).status, 403);
  }
  assert.equal((await fetch(`${sandbox.url}/api/suppressions/${encodeURIComponent(stopped)}`, { method: 'DELETE' })).status, 401);
  // An operator lifts either.
  for (const n of [number, stopped]) {
    const lifted = await api(sandbox.url, `/api/suppressions/${encodeURIComponent(n)}`, { method: 'DELETE' }, ADMIN);
    assert.equal(lifted.status, 200, n);
  }
  assert.equal((await send(sandbox.url, marketing(stopped), { token: TOKEN })).status, 200);
});
