// Campaigns under stress, through the Worker (wrangler dev, real workerd) and the
// fake provider on loopback:
//
// 1. exactly once: a list of 10,000 rows (invalid, duplicate and opted-out rows
//    among them) sent while the provider answers 500s, 429s with Retry-After,
//    hangs and resets (before and after sending) and is slow, and the runtime is
//    killed (SIGKILL, state kept by --persist-to) and restarted twice mid-run.
//    Goals: every valid row sent once at most and every row with a result (no
//    row left queued or sending), 0 messages twice upstream, rows the Worker
//    reports sent are the ones the provider sent, the campaign goes on by itself
//    after each restart, the limiter exact at the run's (raised) limits.
// 2. the limits: the default 10 a second and 100 a minute for 3 minutes, single
//    sends alongside a campaign: the provider never sees more.
//
// 3. (full run only) a list of 100,000 rows: how long it takes to create, to
//    read back and to download as CSV.
//
//   node benches/campaign.mjs [--quick] [--rows N] [--seed N]
import { fakeProvider, startWorker, repositoryTemplates } from '../tests/worker/harness.mjs';
import { arg, count, faultPicker, finish, peak, quick, rng } from './lib.mjs';

const ROWS = Number(arg('rows', quick ? 1500 : 10_000));
const SEED = Number(arg('seed', 11));
const LIMITS_S = quick ? 65 : 180;
const TOKEN = 'campaign-bench-token-0123456789';
const KEY = 'sk_live_CAMPAIGN_BENCH_do_not_leak_0123';
const PER_SECOND = 100;
const PER_MINUTE = 6000;
const TIMEOUT_MS = 1500;
const ORDER = { name: 'order_confirmation', language: 'en' };

const UPSTREAM = [
  ['500', 0.04, () => ({ status: 500, body: { message: 'Server error', status: 'error' } })],
  ['429 retry-after 1', 0.02, () => ({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded', status: 'error' } })],
  ['hang (sent)', 0.002, () => 'hang-sent'],
  ['hang (not sent)', 0.002, () => 'hang'],
  ['reset (sent)', 0.002, () => 'reset-sent'],
  ['reset (not sent)', 0.002, () => 'reset'],
  ['slow', 0.03, (r) => ({ status: 200, delay: 100 + Math.floor(r() * 900) })],
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (base, path, init = {}) => fetch(`${base}${path}`, {
  ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers || {}) },
}).then(async (r) => ({ status: r.status, body: await r.json() }));

// Numbers: Indian mobiles and Mexico City ones, whose WhatsApp form (+52 1 …) is the same person.
const india = (i) => `+9198${String(10_000_000 + i)}`;
const mexico = (i) => `+5255${String(10_000_000 + i)}`;
const mexicoWhatsapp = (i) => `+52155${String(10_000_000 + i)}`;

/** The list: row i (from 1) and what it is meant to be. */
function list(rows) {
  const lines = ['to,1,2,button_0'];
  const expect = [];
  const optedOut = [];
  for (let i = 1; i <= rows; i++) {
    const n = i % 3 === 0 ? mexico(i) : india(i);
    if (i % 97 === 5) { lines.push(`+91 12345,Bad ${i},ORD-${i},${i}`); expect.push('invalid'); continue; }
    if (i % 89 === 7) { lines.push(`${india(i)},"two\nlines",ORD-${i},${i}`); expect.push('invalid'); continue; }
    if (i % 83 === 11 && i > 20) {
      const j = i - 10; // an earlier row, written as its WhatsApp id when it is Mexican
      lines.push(`${j % 3 === 0 ? mexicoWhatsapp(j) : india(j)},Dup ${i},ORD-${i},${i}`);
      expect.push(expect[j - 1] === 'valid' ? 'duplicate' : 'either');
      continue;
    }
    if (i % 1000 === 500) optedOut.push(n);
    lines.push(`${n},"Name, ${i}",ORD-${i},${i}`);
    expect.push(optedOut.at(-1) === n ? 'opted_out' : 'valid');
  }
  return { text: `${lines.join('\r\n')}\r\n`, expect, optedOut };
}

async function waitFor(get, ok, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) return null;
    await sleep(250);
  }
}

async function recipients(base, id) {
  const out = [];
  let cursor = '';
  for (;;) {
    const page = await api(base, `/api/campaigns/${id}/recipients?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.body.data);
    if (!page.body.next_cursor) return out;
    cursor = page.body.next_cursor;
  }
}

// ---- 1. exactly once, through faults and two restarts ----
const faults = faultPicker(UPSTREAM, rng(SEED));
const provider = await fakeProvider({
  templates: repositoryTemplates(),
  pick: (req) => (req.url === '/messages/send' ? faults() : { status: 200 }),
});
const worker = await startWorker({
  UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `bench:${TOKEN}`,
  UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS), RATE_PER_SECOND: String(PER_SECOND), RATE_PER_MINUTE: String(PER_MINUTE),
  CAMPAIGN_MAX_FAILURE_RATE: '100',
});
const { text, expect, optedOut } = list(ROWS);
for (const n of optedOut) await api(worker.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: n }) });
const t0 = performance.now();
const created = await fetch(`${worker.url}/api/campaigns?template=${ORDER.name}&language=${ORDER.language}&name=stress`, {
  method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body: text,
}).then(async (r) => ({ status: r.status, body: await r.json() }));
const createMs = performance.now() - t0;
if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body).slice(0, 500)}`);
const id = created.body.data.id;
const valid = created.body.data.valid;
const campaignSends = () => provider.sends().filter((s) => JSON.parse(s.body).template?.name === ORDER.name);

const restarts = [];
for (const share of [0.3, 0.65]) {
  await waitFor(async () => campaignSends().length, (n) => n >= share * valid, 600_000);
  const before = campaignSends().length;
  const killedAt = performance.now();
  await worker.restart();
  const upAt = performance.now();
  // The alarm alone, first; then the platform's minute cron, which local workerd does not fire by itself.
  let by = 'alarm';
  let resumed = await waitFor(async () => campaignSends().length, (n) => n > before, 5_000);
  if (resumed === null) {
    by = 'watchdog (cron)';
    const poke = setInterval(() => worker.cron().catch(() => {}), 2_000);
    await worker.cron().catch(() => {});
    resumed = await waitFor(async () => campaignSends().length, (n) => n > before, 60_000);
    clearInterval(poke);
  }
  restarts.push({
    at_sent: before, restart_ms: Math.round(upAt - killedAt),
    resumed: resumed !== null, resumed_by: by, resumed_after_ms: Math.round(performance.now() - upAt),
  });
}
// From here the watchdog ticks as the platform's would, every minute (faster here).
const poke = setInterval(() => worker.cron().catch(() => {}), 10_000);
const done = await waitFor(() => api(worker.url, `/api/campaigns/${id}`), (c) => c.body.data?.status === 'completed', 900_000);
clearInterval(poke);
const seconds = (performance.now() - t0) / 1000;
const rows = await recipients(worker.url, id);
const summary = (await api(worker.url, `/api/campaigns/${id}`)).body.data;

const sends = campaignSends();
const bodyOfRow = new Map();
for (const s of sends) {
  const b = JSON.parse(s.body);
  const row = Number(b.template.components.find((c) => c.type === 'body').parameters[1].text.slice(4));
  bodyOfRow.set(row, s.body);
}
const duplicates = [...provider.delivered.entries()].filter(([, ids]) => ids.length > 1);
const unsettled = rows.filter((r) => ['queued', 'sending'].includes(r.status));
const wrongSent = rows.filter((r) => r.status === 'sent' && provider.delivered.get(bodyOfRow.get(r.row))?.[0] !== r.message_id);
const failedButSent = rows.filter((r) => r.status === 'failed' && r.error?.class !== 'unknown' && provider.delivered.has(bodyOfRow.get(r.row)));
const unknown = rows.filter((r) => r.status === 'failed' && r.error?.class === 'unknown');
const skippedWrong = rows.filter((r) => {
  const e = expect[r.row - 1];
  if (e === 'either') return false;
  if (e === 'valid') return r.status === 'skipped';
  return r.status !== 'skipped' || r.reason !== (e === 'opted_out' ? 'opted_out' : e);
});
const times = sends.map((s) => s.at).sort((a, b) => a - b);
const exactlyOnce = {
  rows: ROWS,
  valid,
  create_ms: Math.round(createMs),
  seconds: Number(seconds.toFixed(1)),
  completed: done !== null,
  counts: summary.counts,
  outcomes: count(rows, (r) => (r.status === 'failed' ? `failed ${r.error?.class}` : r.status === 'skipped' ? `skipped ${r.reason}` : r.status)),
  upstream_requests: sends.length,
  upstream_answers: count(sends, (s) => String(s.step?.fault ?? 'queued')),
  provider_sent: provider.delivered.size,
  duplicates: duplicates.length,
  unsettled: unsettled.length,
  sent_but_not_by_the_provider: wrongSent.length,
  failed_but_sent: failedButSent.length,
  unknown_outcome: { total: unknown.length, provider_had_sent: unknown.filter((r) => provider.delivered.has(bodyOfRow.get(r.row))).length },
  skipped_as_expected: skippedWrong.length === 0,
  restarts,
  limits: { per_second: PER_SECOND, per_minute: PER_MINUTE, peak_second: peak(times, 1000), peak_minute: peak(times, 60_000) },
};
await worker.stop();
await provider.close();

// ---- 2. the default limits, a campaign and single sends side by side ----
const provider2 = await fakeProvider({ templates: repositoryTemplates() });
const worker2 = await startWorker({ UPSTREAM_URL: provider2.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `bench:${TOKEN},single:single-${TOKEN}` });
const big = list(Math.ceil(LIMITS_S / 60) * 100 + 100);
const c2 = await fetch(`${worker2.url}/api/campaigns?template=${ORDER.name}&language=${ORDER.language}&name=limits`, {
  method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body: big.text,
}).then((r) => r.json());
const singles = [];
const tEnd = Date.now() + LIMITS_S * 1000;
let k = 0;
while (Date.now() < tEnd) {
  const to = `+4479${String(11_000_000 + k++)}`;
  singles.push(fetch(`${worker2.url}/api/messages/send`, {
    method: 'POST', headers: { authorization: `Bearer single-${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to, type: 'template', template: { name: 'hello_world', language: 'en_US' } }),
  }).then((r) => r.status, () => 'error'));
  await sleep(500);
}
const singleStatus = count(await Promise.all(singles), (s) => String(s));
await api(worker2.url, `/api/campaigns/${c2.data.id}/cancel`, { method: 'POST' });
const afterCancel = provider2.sends().length;
await sleep(3_000);
const sentAfterCancel = provider2.sends().length - afterCancel;
const times2 = provider2.sends().map((s) => s.at).sort((a, b) => a - b);
const byKind = count(provider2.sends(), (s) => JSON.parse(s.body).template.name === ORDER.name ? 'campaign' : 'single');
const campaignTimes = provider2.sends().filter((s) => JSON.parse(s.body).template.name === ORDER.name).map((s) => s.at).sort((a, b) => a - b);
const limits = {
  seconds: LIMITS_S,
  provider_requests: times2.length,
  by_kind: byKind,
  single_answers: singleStatus,
  peak_second: peak(times2, 1000),
  peak_minute: peak(times2, 60_000),
  // CAMPAIGN_SHARE (80%) of 10 a second and 100 a minute.
  campaign_peak_second: peak(campaignTimes, 1000),
  campaign_peak_minute: peak(campaignTimes, 60_000),
  sent_after_cancel: sentAfterCancel,
  duplicates: [...provider2.delivered.values()].filter((ids) => ids.length > 1).length,
};
await worker2.stop();
await provider2.close();

// ---- 3. a list of 100,000 rows ----
let large = null;
if (!quick) {
  const provider3 = await fakeProvider({ templates: repositoryTemplates() });
  const worker3 = await startWorker({ UPSTREAM_URL: provider3.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `bench:${TOKEN}` });
  const lines = ['to,1,2,button_0'];
  for (let i = 1; i <= 100_000; i++) lines.push(`${india(i)},Name ${i},ORD-${i},${i}`);
  const body = `${lines.join('\n')}\n`;
  const time = async (f) => { const t = performance.now(); const v = await f(); return [performance.now() - t, v]; };
  const [createMs3, made] = await time(() => fetch(`${worker3.url}/api/campaigns?template=${ORDER.name}&language=${ORDER.language}&start_at=2099-01-01T00:00:00Z`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body,
  }).then(async (r) => ({ status: r.status, body: await r.json() })));
  const id3 = made.body.data?.id;
  const [getMs] = await time(() => api(worker3.url, `/api/campaigns/${id3}`));
  const [pageMs] = await time(() => api(worker3.url, `/api/campaigns/${id3}/recipients?limit=1000&cursor=50000`));
  const [csvMs, csv] = await time(() => fetch(`${worker3.url}/api/campaigns/${id3}/recipients`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/csv' } }).then((r) => r.text()));
  await api(worker3.url, `/api/campaigns/${id3}/cancel`, { method: 'POST' });
  large = {
    rows: 100_000, bytes: body.length, status: made.status, valid: made.body.data?.valid,
    create_ms: Math.round(createMs3), get_ms: Math.round(getMs), page_ms: Math.round(pageMs),
    csv_ms: Math.round(csvMs), csv_lines: csv.trimEnd().split('\r\n').length - 1,
    sent: provider3.sends().length,
  };
  await worker3.stop();
  await provider3.close();
}

const failures = [];
if (large && (large.status !== 201 || large.valid !== 100_000 || large.csv_lines !== 100_000 || large.sent)) failures.push(`the 100,000-row list: ${JSON.stringify(large)}`);
if (!exactlyOnce.completed) failures.push('the campaign did not complete');
if (exactlyOnce.duplicates) failures.push(`${exactlyOnce.duplicates} messages sent twice upstream`);
if (exactlyOnce.unsettled) failures.push(`${exactlyOnce.unsettled} rows without a result`);
if (rows.length !== ROWS) failures.push(`${rows.length} rows listed of ${ROWS}`);
if (exactlyOnce.sent_but_not_by_the_provider) failures.push(`${exactlyOnce.sent_but_not_by_the_provider} rows reported sent that the provider did not send`);
if (exactlyOnce.failed_but_sent) failures.push(`${exactlyOnce.failed_but_sent} rows reported failed that the provider sent`);
if (!exactlyOnce.skipped_as_expected) failures.push(`rows skipped other than the list says: ${JSON.stringify(skippedWrong.slice(0, 3))}`);
if (restarts.some((r) => !r.resumed)) failures.push('the campaign did not go on after a restart');
if (exactlyOnce.limits.peak_second > PER_SECOND) failures.push(`${exactlyOnce.limits.peak_second} in a second (limit ${PER_SECOND})`);
if (exactlyOnce.limits.peak_minute > PER_MINUTE) failures.push(`${exactlyOnce.limits.peak_minute} in a minute (limit ${PER_MINUTE})`);
if (limits.peak_second > 10) failures.push(`default limits: ${limits.peak_second} in a second`);
if (limits.peak_minute > 100) failures.push(`default limits: ${limits.peak_minute} in a minute`);
if (limits.duplicates) failures.push(`default limits: ${limits.duplicates} sent twice`);
if (!limits.by_kind.campaign || !limits.by_kind.single) failures.push('default limits: the campaign and the single sends did not both get through');
if (limits.campaign_peak_second > 8) failures.push(`default limits: the campaign sent ${limits.campaign_peak_second} in a second, over its 80% share of 10`);
if (limits.campaign_peak_minute > 80) failures.push(`default limits: the campaign sent ${limits.campaign_peak_minute} in a minute, over its 80% share of 100`);
finish('campaign', {
  setup: { rows: ROWS, seed: SEED, upstream_timeout_ms: TIMEOUT_MS, upstream_faults: Object.fromEntries(UPSTREAM.map(([n, p]) => [n, p])), restarts: 2 },
  exactly_once: exactlyOnce,
  default_limits: limits,
  large_list: large,
}, failures);
