// The npm client end to end against the Worker in sandbox mode: send, then
// status and waitFor follow the message to `read`; another client's message is
// not found; waitFor gives up with a typed error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, isSendError, message } from 'wasend';
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
