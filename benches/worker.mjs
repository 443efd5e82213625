#!/usr/bin/env node
// The Worker's cost on loopback: latency added over calling the fake provider
// directly, requests a second it sustains, and CPU time per request (workerd's
// own, from /proc). Needs the built Worker (scripts/worker-build.sh).
//
//   node benches/worker.mjs            # 4,000 requests each way, 16 at a time
//   node benches/worker.mjs --quick
import { readFileSync, readdirSync } from 'node:fs';
import { fakeProvider, startWorker } from '../tests/worker/harness.mjs';
import { percentile, quick } from './lib.mjs';

const N = quick ? 500 : 4000;
const C = 16;
const TOKEN = 'bench-token-0123456789abcdef';
const KEY = 'bench-provider-key-0123456789';
const PAYLOAD = JSON.stringify({ to: '+919876543210', type: 'interactive', interactive: { type: 'button', body: { text: 'How can we help?' }, action: { buttons: [{ type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }] } } });

async function load(url, headers, concurrency = C, method = 'POST') {
  const lat = [];
  let next = 0;
  const statuses = {};
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < N) {
      next++;
      const s = performance.now();
      const r = await fetch(url, method === 'GET' ? { headers } : { method, headers: { 'content-type': 'application/json', ...headers }, body: PAYLOAD });
      await r.arrayBuffer();
      lat.push(performance.now() - s);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), rps: N / secs, statuses };
}

/** utime + stime of every workerd process, in ms. */
function workerdCpuMs() {
  const tick = 100; // CLK_TCK on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('workerd')) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += ((Number(f[11]) + Number(f[12])) * 1000) / tick;
    } catch { /* gone */ }
  }
  return total;
}

const provider = await fakeProvider();
// The provider's limits would hold the Worker to 10 a second: lifted here to measure the Worker itself.
const worker = await startWorker({ UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `bench:${TOKEN}`, RATE_PER_SECOND: '1000000', RATE_PER_MINUTE: '100000000' });
try {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const send = `${worker.url}/api/messages/send`;
  await load(`${provider.url}/messages/send`, {}, 4); // warm-up
  await load(send, auth, 4);
  // Latency, one request at a time: what each request costs, without queueing.
  const direct = await load(`${provider.url}/messages/send`, { 'x-api-key': KEY }, 1);
  const floor = await load(`${worker.url}/api/health`, {}, 1, 'GET');
  const cpu0 = workerdCpuMs();
  const via = await load(send, auth, 1);
  const cpu = (workerdCpuMs() - cpu0) / N;
  // Throughput, 16 at a time.
  const burst = await load(send, auth, C);
  const f = (x) => `${x.toFixed(2)} ms`;
  console.log(`node ${process.version}; ${N} requests a row, loopback, wrangler dev (workerd ${'local'}) on this machine\n`);
  console.log(`direct to the fake provider, sequential   p50 ${f(direct.p50)}  p99 ${f(direct.p99)}`);
  console.log(`Worker GET /api/health, sequential         p50 ${f(floor.p50)}  p99 ${f(floor.p99)}   (the dev server's own floor)`);
  console.log(`Worker send, sequential                    p50 ${f(via.p50)}  p99 ${f(via.p99)}  ${JSON.stringify(via.statuses)}`);
  console.log(`added by the Worker                        p50 ${f(via.p50 - direct.p50)}  p99 ${f(via.p99 - direct.p99)}`);
  console.log(`  of which the dev server's floor          p50 ${f(floor.p50)}`);
  console.log(`Worker send, ${C} concurrent                 ${burst.rps.toFixed(0)} req/s  p50 ${f(burst.p50)}  p99 ${f(burst.p99)}  ${JSON.stringify(burst.statuses)}`);
  console.log(`workerd CPU time per send                  ${cpu.toFixed(2)} ms (utime+stime of the workerd processes / requests, sequential run)`);
} finally {
  await worker.stop();
  await provider.close();
}
