// Load: 10,000 sends from 50 concurrent clients through the Worker (wrangler dev,
// real workerd) to a fake provider on loopback that answers at once, with the
// provider's real limits (10 a second, 100 a minute). A mix of valid payloads,
// invalid ones, malformed JSON, wrong tokens and wrong content types. Reports
// throughput, latency, the answers, the provider's peak rate (goal: ≤ 10 in any
// second, ≤ 100 in any minute) and that every request got a definite answer.
//
//   node benches/load.mjs [--quick] [--requests N] [--clients N] [--think-ms N]
//
// Each client waits --think-ms between its requests (350 in the full run) so that
// the run lasts over a minute and the minute window rolls over under load.
import { Agent, request as httpRequest } from 'node:http';
import { Worker } from 'node:worker_threads';
import { startWorker } from '../tests/worker/harness.mjs';
import { arg, count, finish, peak, percentile, pool, quick, rng } from './lib.mjs';

const REQUESTS = Number(arg('requests', quick ? 600 : 10_000));
const CLIENTS = Number(arg('clients', quick ? 20 : 50));
const THINK_MS = Number(arg('think-ms', quick ? 0 : 350));
const TOKENS = Array.from({ length: 5 }, (_, i) => `load-client-${i}-0123456789abcdef`);
const KEY = 'sk_live_LOAD_do_not_leak_0123456789';

const thread = new Worker(new URL('./provider-thread.mjs', import.meta.url));
const message = () => new Promise((r) => thread.once('message', r));
const provider = await message();
const worker = await startWorker({
  UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY,
  CLIENT_TOKENS: TOKENS.map((t, i) => `c${i}:${t}`).join(','),
});
const { hostname, port } = new URL(worker.url);
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

const random = rng(11);
const kinds = [
  ['valid text', 0.5, (i) => ({ body: { to: '+919876543210', type: 'text', text: `load ${i}` } })],
  ['valid buttons', 0.1, (i) => ({ body: { to: '+44 7911 123456', type: 'interactive', interactive: { type: 'button', body: { text: `Pick one (${i})` }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'Yes' } }, { type: 'reply', reply: { id: 'b', title: 'No' } }] } } } })],
  ['valid image', 0.1, (i) => ({ body: { to: '+14155552671', type: 'image', image: { url: `https://example.com/p/${i}.jpg`, caption: 'New' } } })],
  ['invalid payload', 0.15, (i) => ({ body: { to: '12', type: 'interactive', interactive: { type: 'button', body: { text: `x${i}` }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] } } } })],
  ['malformed json', 0.05, (i) => ({ raw: `{"to": "+919876543210", "type": "text", "text": "cut ${i}` })],
  ['wrong token', 0.05, (i) => ({ body: { to: '+919876543210', type: 'text', text: `t${i}` }, token: 'not-a-client-token' })],
  ['wrong content type', 0.05, (i) => ({ body: { to: '+919876543210', type: 'text', text: `c${i}` }, type: 'text/plain' })],
];
function pick(i) {
  let x = random();
  for (const [name, p, make] of kinds) {
    if (x < p) return { name, ...make(i) };
    x -= p;
  }
  return { name: kinds[0][0], ...kinds[0][2](i) };
}

// Each client from its own address, as on the Internet (failed authentications are counted per address).
function post(job, token, address) {
  const body = job.raw ?? JSON.stringify(job.body);
  return new Promise((resolve) => {
    const started = performance.now();
    const req = httpRequest({
      host: hostname, port, path: '/api/messages/send', method: 'POST', agent,
      headers: { 'content-type': job.type ?? 'application/json', authorization: `Bearer ${job.token ?? token}`, 'content-length': Buffer.byteLength(body), 'cf-connecting-ip': address },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const definite = res.statusCode === 200 ? typeof json?.data?.message_id === 'string'
          : json?.status === 'error' && typeof json.message === 'string';
        resolve({ kind: job.name, status: res.statusCode, code: json?.code, definite, ms: performance.now() - started, text, headers: res.headers });
      });
      res.on('error', (e) => resolve({ kind: job.name, status: 'connection error', definite: false, error: String(e), ms: performance.now() - started }));
    });
    req.on('error', (e) => resolve({ kind: job.name, status: 'connection error', definite: false, error: String(e), ms: performance.now() - started }));
    req.end(body);
  });
}

const jobs = Array.from({ length: REQUESTS }, (_, i) => pick(i));
const t0 = performance.now();
let next = 0;
const results = (await pool(CLIENTS, Array.from({ length: CLIENTS }, (_, c) => async () => {
  const mine = [];
  while (next < jobs.length) {
    mine.push(await post(jobs[next++], TOKENS[c % TOKENS.length], `198.51.100.${c + 1}`));
    if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS));
  }
  return mine;
}))).flat();
const seconds = (performance.now() - t0) / 1000;
const logs = worker.logs();
await worker.stop();
thread.postMessage('report');
const report = await message();
await thread.terminate();
agent.destroy();

const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const upstream = report.sends.map((s) => s.at).sort((a, b) => a - b);
const perSecond = peak(upstream, 1000);
const perMinute = peak(upstream, 60_000);
// How close the provider came to an 11th request in a second (and a 101st in a minute).
const span = (n) => upstream.length > n ? Math.min(...upstream.slice(n).map((t, i) => t - upstream[i])) : null;
const indefinite = results.filter((r) => !r.definite);
const leaks = results.filter((r) => r.text?.includes(KEY) || JSON.stringify(r.headers ?? {}).includes(KEY)).length + (logs.includes(KEY) ? 1 : 0);
const sent = results.filter((r) => r.status === 200).length;
const failures = [];
if (results.length !== REQUESTS) failures.push(`${REQUESTS - results.length} requests never ran`);
if (perSecond > 10) failures.push(`the provider saw ${perSecond} requests within one second`);
if (perMinute > 100) failures.push(`the provider saw ${perMinute} requests within one minute`);
if (indefinite.length) failures.push(`${indefinite.length} requests without a definite answer: ${JSON.stringify(indefinite.slice(0, 3))}`);
if (sent !== upstream.length) failures.push(`${sent} answered 200 but the provider saw ${upstream.length}`);
if (results.some((r) => r.status >= 500)) failures.push('a 5xx answer');
if (leaks) failures.push('the API key appeared in a response, header or log line');
finish('load', {
  setup: { requests: REQUESTS, clients: CLIENTS, think_ms: THINK_MS, tokens: TOKENS.length, mix: Object.fromEntries(kinds.map(([n, p]) => [n, p])), limits: '10/s and 100/min, admission windows 500 ms longer than the provider\'s' },
  seconds: Number(seconds.toFixed(1)),
  requests_per_second: Math.round(REQUESTS / seconds),
  latency_ms: { p50: +percentile(ms, 50).toFixed(1), p95: +percentile(ms, 95).toFixed(1), p99: +percentile(ms, 99).toFixed(1), max: +ms.at(-1).toFixed(1) },
  answers: count(results, (r) => `${r.status} ${r.code ?? ''}`.trim()),
  by_kind: Object.fromEntries(kinds.map(([n]) => [n, count(results.filter((r) => r.kind === n), (r) => String(r.status))])),
  upstream: { requests: upstream.length, peak_per_second: perSecond, peak_per_minute: perMinute, shortest_span_of_11_ms: span(10) && +span(10).toFixed(1), shortest_span_of_101_ms: span(100) && +span(100).toFixed(1) },
  definite_answers: `${results.length - indefinite.length}/${results.length}`,
  key_leaks: leaks,
}, failures);
