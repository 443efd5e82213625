// Fault injection: 1,000 sends through the Worker (wrangler dev, real workerd),
// each by the npm client with its idempotency key and retries, while the fake
// provider on loopback answers 500s, 429s with Retry-After, hangs, resets the
// connection (before or after sending) and is slow, and the client's own network
// loses answers on the way back. Counts messages the provider sent twice (goal 0)
// and sends without a definite outcome (goal 0), and how each fault was answered.
//
//   node benches/faults.mjs [--quick] [--sends N] [--seed N]
//
// The provider's rate limits are lifted (RATE_PER_SECOND, RATE_PER_MINUTE): this
// run is about outcomes, and at 100 a minute 1,000 sends would take ten minutes.
import { createClient, isSendError } from '../pkg/node.js';
import { fakeProvider, startWorker } from '../tests/worker/harness.mjs';
import { arg, count, faultPicker, finish, pool, quick, rng } from './lib.mjs';

const SENDS = Number(arg('sends', quick ? 80 : 1000));
const SEED = Number(arg('seed', 7));
const CONCURRENCY = 25;
const TIMEOUT_MS = 1500;
const TOKEN = 'faults-client-token-0123456789';
const KEY = 'sk_live_FAULTS_do_not_leak_0123456789';

// Upstream faults, per request the provider receives.
const UPSTREAM = [
  ['500', 0.08, () => ({ status: 500, body: { message: 'Server error', status: 'error' } })],
  ['429 retry-after 1', 0.04, () => ({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded', status: 'error' } })],
  ['429 retry-after 3', 0.03, () => ({ status: 429, headers: { 'retry-after': '3' }, body: { message: 'Rate limit exceeded', status: 'error' } })],
  ['hang (sent)', 0.02, () => 'hang-sent'],
  ['hang (not sent)', 0.02, () => 'hang'],
  ['reset (sent)', 0.02, () => 'reset-sent'],
  ['reset (not sent)', 0.02, () => 'reset'],
  ['slow 200', 0.07, (r) => ({ status: 200, delay: 200 + Math.floor(r() * 1000) })],
];
// Client-side faults, per attempt of the client: the answer is lost after the
// Worker answered, or the connection drops while the Worker is still working.
const CLIENT = { lost: 0.05, dropped: 0.03 };

const random = rng(SEED);
const provider = await fakeProvider({ pick: faultPicker(UPSTREAM, random) });

const worker = await startWorker({
  UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `faults:${TOKEN}`,
  UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS), RATE_PER_SECOND: '100000', RATE_PER_MINUTE: '10000000',
});

const clientFaults = [];
const clientRandom = rng(SEED + 1);
async function flakyFetch(request) {
  const x = clientRandom();
  if (x < CLIENT.lost) {
    const r = await fetch(request);
    await r.arrayBuffer();
    clientFaults.push('answer lost');
    throw new TypeError('fetch failed: the answer was lost on the way back');
  }
  if (x < CLIENT.lost + CLIENT.dropped) {
    fetch(request).then((r) => r.arrayBuffer(), () => {});
    await new Promise((r) => setTimeout(r, 20 + clientRandom() * 300));
    clientFaults.push('connection dropped');
    throw new TypeError('fetch failed: the connection dropped');
  }
  return fetch(request);
}

const client = createClient({ baseUrl: worker.url, token: TOKEN, fetch: flakyFetch, retries: 8, baseDelayMs: 100, maxDelayMs: 2000 });
const t0 = performance.now();
const outcomes = await pool(CONCURRENCY, Array.from({ length: SENDS }, (_, i) => async () => {
  const payload = { to: '+919876543210', type: 'text', text: `fault run message ${i}` };
  const started = performance.now();
  let timer;
  const deadline = new Promise((r) => { timer = setTimeout(() => r({ i, kind: 'no answer in 120 s' }), 120_000); });
  const result = await Promise.race([deadline, client.send(payload).then(
    (ok) => ({ i, kind: 'sent', id: ok.data.message_id }),
    (e) => (isSendError(e) ? { i, kind: e.kind, status: e.status, code: e.body?.code, attempts: e.attempts } : { i, kind: 'exception', error: String(e) }),
  )]);
  clearTimeout(timer);
  return { ...result, ms: performance.now() - started, body: JSON.stringify(payload) };
}));
const seconds = (performance.now() - t0) / 1000;

// The Worker sends the normalized payload: for these plain payloads, the same JSON.
const sends = provider.sends();
const upstreamOf = new Map();
for (const s of sends) upstreamOf.set(s.body, [...(upstreamOf.get(s.body) || []), String(s.step?.fault ?? 'queued')]);
const duplicates = [...provider.delivered.entries()].filter(([, ids]) => ids.length > 1);
const lost = outcomes.filter((o) => !['sent', 'http'].includes(o.kind));
const wrongId = outcomes.filter((o) => o.kind === 'sent' && provider.delivered.get(o.body)?.[0] !== o.id);
// "Nothing was sent" answers (our 429, 503) must be true.
const notSentButSent = outcomes.filter((o) => o.kind === 'http' && [429, 503].includes(o.status) && provider.delivered.has(o.body));
const unknown = outcomes.filter((o) => o.kind === 'http' && [502, 504].includes(o.status));

// How each fault was answered: the provider's answers to a send, in order, and
// what the client ended with.
const mapping = count(outcomes, (o) => {
  const trail = upstreamOf.get(o.body) || ['(never reached the provider)'];
  const end = o.kind === 'sent' ? '200 sent' : `${o.status ?? o.kind} ${o.code ?? ''}`.trim();
  return `${trail.join(', ')} ⇒ ${end}`;
});

await worker.stop();
await provider.close();

const failures = [];
if (duplicates.length) failures.push(`${duplicates.length} messages sent twice upstream`);
if (lost.length) failures.push(`${lost.length} sends without a definite answer: ${JSON.stringify(lost.slice(0, 3))}`);
if (wrongId.length) failures.push(`${wrongId.length} successes whose message id is not the provider's`);
if (notSentButSent.length) failures.push(`${notSentButSent.length} "nothing was sent" answers for messages the provider sent`);
finish('faults', {
  setup: { sends: SENDS, concurrency: CONCURRENCY, seed: SEED, upstream_timeout_ms: TIMEOUT_MS, upstream_faults: Object.fromEntries(UPSTREAM.map(([n, p]) => [n, p])), client_faults: CLIENT, client: { retries: 8, baseDelayMs: 100, maxDelayMs: 2000 } },
  seconds: Number(seconds.toFixed(1)),
  upstream_requests: sends.length,
  upstream_answers: count(sends, (s) => String(s.step?.fault ?? 'queued')),
  client_faults: count(clientFaults, (x) => x),
  outcomes: count(outcomes, (o) => (o.kind === 'sent' ? '200 sent' : `${o.status ?? o.kind} ${o.code ?? ''}`.trim())),
  delivered: provider.delivered.size,
  duplicates: duplicates.length,
  lost: lost.length,
  unknown_outcome: { total: unknown.length, provider_had_sent: unknown.filter((o) => provider.delivered.has(o.body)).length },
  mapping,
}, failures);
