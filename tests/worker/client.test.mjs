// The npm client end to end against the Worker in sandbox mode: send, then
// status and waitFor follow the message to `read`; another client's message is
// not found; waitFor gives up with a typed error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, isSendError, message } from 'wasend';
import { prepareCampaign } from 'wasend/campaigns';
import { readFileSync } from 'node:fs';
import { root } from './harness.mjs';
import { startWorker } from './harness.mjs';

const A = 'client-a-token-0123456789';
const B = 'client-b-token-0123456789';
let worker;

before(async () => { worker = await startWorker({ CLIENT_TOKENS: `a:${A},b:${B}` }); });
after(async () => worker?.stop());

test('send, then waitFor delivered and read, with the history', async () => {
  const client = createClient({ baseUrl: worker.url, token: A });
  const sent = await client.send(message.template('+91 98765 43210', { name: 'hello_world', language: 'en_US' }), { idempotencyKey: 'welcome-1' });
  const id = sent.data.message_id;
  assert.equal((await client.status(id)).status, 'sent');
  const delivered = await client.waitFor(id, 'delivered', { timeoutMs: 15_000, intervalMs: 300 });
  assert.ok(['delivered', 'read'].includes(delivered.status));
  const read = await client.waitFor(id, 'read', { timeoutMs: 15_000, intervalMs: 300 });
  assert.deepEqual(read.history.map((h) => h.event), ['sent', 'delivered', 'read']);
  assert.equal(read.recipient, '+919876543210');
  assert.equal(read.idempotency_key, 'welcome-1');
  const other = createClient({ baseUrl: worker.url, token: B });
  await assert.rejects(other.status(id), (e) => isSendError(e) && e.kind === 'http' && e.status === 404);
});

test('waitFor gives up with a typed timeout', async () => {
  const client = createClient({ baseUrl: worker.url, token: A });
  const { data } = await client.send(message.template('+919876543210', { name: 'hello_world', language: 'en_US' }));
  await assert.rejects(client.waitFor(data.message_id, 'read', { timeoutMs: 200, intervalMs: 100 }), (e) => e.kind === 'timeout');
  await assert.rejects(client.waitFor(data.message_id, 'seen'), TypeError);
});

test('campaigns through the client: checked in the browser first, created once under retries, followed to the end; suppressions', async () => {
  const client = createClient({ baseUrl: worker.url, token: A, baseDelayMs: 10 });
  const def = JSON.parse(readFileSync(`${root}templates/order_confirmation.en.json`, 'utf8'));
  const rows = [
    { to: '+447911123501', 1: 'Ana', 2: 'ORD-1', button_0: '1' },
    { to: '+447911123502', 1: 'Rui', 2: 'ORD-2', button_0: '2' },
    { to: 'nope', 1: 'X', 2: 'ORD-3', button_0: '3' },
  ];
  await client.suppressions.add('+447911123502', 'asked');
  const listed = await client.suppressions.list();
  assert.ok(listed.some((s) => s.number === '+447911123502' && s.reason === 'asked'));
  // What the page shows before anything is sent is what the Worker then reports.
  const local = prepareCampaign(rows, def, { suppressed: listed.map((s) => s.number) });
  const created = await client.campaigns.create({ name: 'via client', template: { name: def.name, language: def.language }, rows }, { idempotencyKey: 'client-campaign-1' });
  assert.deepEqual(created.skipped, local.skipped);
  assert.deepEqual(created.issues, local.issues);
  const again = await client.campaigns.create({ name: 'via client', template: { name: def.name, language: def.language }, rows }, { idempotencyKey: 'client-campaign-1' });
  assert.equal(again.id, created.id, 'the same key finds the same campaign');
  const seen = [];
  for await (const c of client.campaigns.progress(created.id, { intervalMs: 300 })) seen.push(c.status);
  assert.equal(seen.at(-1), 'completed');
  const page = await client.campaigns.recipients(created.id, { status: 'skipped' });
  assert.deepEqual(page.data.map((r) => [r.row, r.reason]), [[2, 'opted_out'], [3, 'invalid']]);
  const csv = await client.campaigns.recipients(created.id, { csv: true });
  assert.equal(csv.trimEnd().split('\r\n').length, 4);
  assert.ok((await client.campaigns.list()).data.some((c) => c.id === created.id));
  await assert.rejects(client.campaigns.pause(created.id), (e) => isSendError(e) && e.status === 409 && e.body.code === 'campaign_state');
  await assert.rejects(createClient({ baseUrl: worker.url, token: B }).campaigns.get(created.id), (e) => e.status === 404);
  assert.deepEqual(await client.suppressions.remove('+447911123502'), { number: '+447911123502', removed: true });
  await assert.rejects(client.suppressions.remove('+447911123502'), (e) => e.status === 404);
});
