// Campaigns under workerd, as a user would run them over HTTP: a list (rows or a
// CSV) checked before anything is sent, every valid row sent exactly once through
// the limiter single sends share, every row ending with a result; pause, resume,
// cancel; the template checked at creation and again on resume; failures
// classed, a template failure and a high failure rate pausing the campaign; a
// runtime killed mid-campaign resuming by itself; each client seeing its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeProvider, startWorker, send, repositoryTemplates, root, until } from './harness.mjs';

const TOKEN = 'campaign-token-0123456789';
const OTHER = 'campaign-other-token-9876543210';
const SECRET = 'whsec-campaigns-51be';
const templates = repositoryTemplates();
const ORDER = { name: 'order_confirmation', language: 'en' };
const orderDef = templates.find((t) => t.name === ORDER.name && t.language === ORDER.language);

let sandbox;
let provider;
let upstream;
let hook;
const hooks = [];

const api = (base, path, init = {}, token = TOKEN) => fetch(`${base}${path}`, {
  ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) },
});
const json = async (r) => ({ status: r.status, body: await r.json() });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


const campaign = (base, id, token = TOKEN) => api(base, `/api/campaigns/${id}`, {}, token).then(json);
// `finished` is set once nothing about the campaign changes again.
const finished = (base, id, ms) => until(() => campaign(base, id), (c) => c.body.data?.finished > 0, ms);

async function allRecipients(base, id) {
  const out = [];
  let cursor = '';
  for (;;) {
    const page = await api(base, `/api/campaigns/${id}/recipients?limit=37${cursor ? `&cursor=${cursor}` : ''}`).then(json);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    out.push(...page.body.data);
    if (!page.body.next_cursor) return out;
    cursor = page.body.next_cursor;
  }
}

const row = (to, name, order) => ({ to, 1: name, 2: order, button_0: order });

/** A list of `n` distinct valid numbers (Indian mobiles). */
const number = (i) => `+9198${String(76_500_000 + i).padStart(8, '0')}`;

before(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { hooks.push({ headers: req.headers, body }); res.writeHead(200).end('ok'); });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  provider = await fakeProvider({ templates });
  [sandbox, upstream] = await Promise.all([
    startWorker({ CLIENT_TOKENS: `${TOKEN},other:${OTHER}` }),
    startWorker({
      UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: 'provider-key-campaigns-1234', CLIENT_TOKENS: `${TOKEN},other:${OTHER}`,
      WEBHOOK_SECRET: SECRET, RATE_PER_SECOND: '50', RATE_PER_MINUTE: '5000', TEMPLATES_TTL_S: '1',
      CAMPAIGN_FAILURE_MIN_ROWS: '10', CAMPAIGN_WEBHOOK_URL: `http://127.0.0.1:${hook.address().port}/hooks`,
      UPSTREAM_TIMEOUT_MS: '1500',
    }),
  ]);
});
after(async () => {
  await sandbox?.stop();
  await upstream?.stop();
  await provider?.close();
  await new Promise((r) => hook?.close(r));
});

test('sandbox: rows with a bad number, a duplicate and an opted-out one are reported before anything is sent; the rest go from queued to read', async () => {
  const optOut = await api(sandbox.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: '+5215512345678' }) });
  assert.equal(optOut.status, 201);
  const rows = [
    row('+919876543210', 'John', 'ORD-1'),
    row('+447911123456', 'Ana', 'ORD-2'),
    row('not a number', 'Rui', 'ORD-3'),
    row('+91 98765 43210', 'John again', 'ORD-4'),
    row('+525512345678', 'Opted out', 'ORD-5'), // the suppressed number's other WhatsApp form
    { to: '+14155550123', 1: 'No order' },
  ];
  const created = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ name: 'first', template: ORDER, rows }) }).then(json);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const d = created.body.data;
  assert.match(d.id, /^cmp_[0-9a-f]{24}$/);
  assert.equal(d.total, 6);
  assert.equal(d.valid, 2);
  assert.deepEqual(d.issues.map((s) => [s.row, s.column ?? null, s.code]), [[3, 'to', 'phone_format'], [6, '2', 'required'], [6, 'button_0', 'required']]);
  // A row skipped for an opt-out carries the code a single send to the number is refused with.
  assert.deepEqual(d.skipped.map((s) => [s.row, s.code, s.of ?? null]), [[4, 'duplicate', 1], [5, 'recipient_opted_out', null]]);
  const done = await until(() => campaign(sandbox.url, d.id), (c) => c.body.data.status === 'completed' && c.body.data.counts.read === 2);
  assert.deepEqual(done.body.data.counts, { queued: 0, sent: 0, delivered: 0, read: 2, failed: 0, skipped: 4 });
  const recipients = await allRecipients(sandbox.url, d.id);
  assert.deepEqual(recipients.map((r) => [r.row, r.status, r.reason ?? null]), [
    [1, 'read', null], [2, 'read', null], [3, 'skipped', 'invalid'], [4, 'skipped', 'duplicate'], [5, 'skipped', 'opted_out'], [6, 'skipped', 'invalid'],
  ]);
  // Skipped as the list was read or when its turn came, an opted-out row reads the same.
  assert.deepEqual([recipients[4].error.code, recipients[4].error.class], ['recipient_opted_out', 'recipient']);
  assert.ok(recipients[0].message_id.startsWith('wamid.'));
  // The sends are in the message log like any other, under the campaign's key.
  const m = await api(sandbox.url, `/api/messages/${encodeURIComponent(recipients[0].message_id)}`).then(json);
  assert.equal(m.body.data.idempotency_key, `campaign:${d.id}:1`);
  const csv = await api(sandbox.url, `/api/campaigns/${d.id}/recipients`, { headers: { accept: 'text/csv' } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = (await csv.text()).trimEnd().split('\r\n');
  assert.equal(lines.length, 1 + rows.length, 'a header and one line per row');
  assert.equal(lines[0], 'row,line,to,status,reason,message_id,error_code,error_class,error_message,attempts');
  assert.match(lines[3], /^3,,not a number,skipped,invalid,,phone_format,invalid,/);
  const list = await api(sandbox.url, '/api/campaigns').then(json);
  assert.ok(list.body.data.some((c) => c.id === d.id && c.status === 'completed'));
  const filtered = await api(sandbox.url, `/api/campaigns/${d.id}/recipients?status=skipped`).then(json);
  assert.deepEqual(filtered.body.data.map((r) => r.row), [3, 4, 5, 6]);
});

test('a number that opts out after the campaign was created is not messaged: its row is skipped when its turn comes', async () => {
  const rows = [row('+447911123401', 'A', 'O-1'), row('+447911123402', 'B', 'O-2'), row('+447911123403', 'C', 'O-3')];
  const created = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows, start_at: new Date(Date.now() + 2_000).toISOString() }) }).then(json);
  assert.equal(created.body.data.status, 'scheduled');
  assert.equal(created.body.data.valid, 3);
  // They reply STOP before the campaign starts.
  await api(sandbox.url, '/api/sandbox/inbound', { method: 'POST', body: JSON.stringify({ from: '+447911123402', text: 'stop' }) });
  await until(() => campaign(sandbox.url, created.body.data.id), (c) => c.body.data.status === 'completed');
  const result = await allRecipients(sandbox.url, created.body.data.id);
  assert.deepEqual(result.map((r) => [r.status === 'skipped' ? 'skipped' : 'sent', r.reason ?? null]), [['sent', null], ['skipped', 'opted_out'], ['sent', null]]);
  assert.equal(result[1].message_id, undefined, 'nothing was sent to them');
  assert.deepEqual([result[1].error.code, result[1].error.class], ['recipient_opted_out', 'recipient']);
});

test('a creation retried with its Idempotency-Key finds the campaign the first one made; the key with another list is 422', async () => {
  const body = JSON.stringify({ name: 'retried', template: ORDER, rows: [row('+447911123411', 'A', 'O-1'), row('not a number', 'B', 'O-2')] });
  const post = (b, key) => api(sandbox.url, '/api/campaigns', { method: 'POST', body: b, headers: { 'idempotency-key': key } });
  const first = await post(body, 'create-once-1');
  assert.equal(first.status, 201);
  const made = (await first.json()).data;
  const again = await post(body, 'create-once-1');
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const replayed = (await again.json()).data;
  assert.equal(replayed.id, made.id);
  assert.deepEqual(replayed.issues.map((s) => [s.row, s.code]), [[2, 'phone_format']]);
  assert.deepEqual(replayed.skipped, []);
  const other = await post(JSON.stringify({ name: 'retried', template: ORDER, rows: [row('+447911123412', 'C', 'O-3')] }), 'create-once-1');
  assert.equal(other.status, 422);
  assert.equal((await other.json()).code, 'idempotency_key_reused');
  assert.equal((await post(body, ' '.repeat(300))).status, 400);
  await until(() => campaign(sandbox.url, made.id), (c) => c.body.data.status === 'completed');
  const mine = (await api(sandbox.url, '/api/campaigns').then(json)).body.data.filter((c) => c.name === 'retried');
  assert.equal(mine.length, 1, 'one campaign, not two');
  assert.equal((await allRecipients(sandbox.url, made.id)).filter((r) => r.message_id).length, 1);
});

test('each client sees and steers its own campaigns only', async () => {
  const created = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ name: 'mine', template: ORDER, rows: [row('+919876543211', 'A', 'O-1')], start_at: new Date(Date.now() + 3_600_000).toISOString() }) }).then(json);
  assert.equal(created.status, 201);
  const id = created.body.data.id;
  assert.equal(created.body.data.status, 'scheduled');
  // The watchdog finds it among the unfinished campaigns and wakes it (its alarm set for start_at).
  const awakeBefore = [...sandbox.logs().matchAll(/watchdog: (\d+) campaigns awake/g)].length;
  assert.equal(await sandbox.cron(), 200);
  await until(async () => [...sandbox.logs().matchAll(/watchdog: (\d+) campaigns awake/g)], (m) => m.length > awakeBefore, 10_000);
  assert.ok(Number([...sandbox.logs().matchAll(/watchdog: (\d+) campaigns awake/g)].at(-1)[1]) >= 1);
  for (const [method, path] of [['GET', ''], ['GET', '/recipients'], ['POST', '/pause'], ['POST', '/resume'], ['POST', '/cancel']]) {
    const r = await api(sandbox.url, `/api/campaigns/${id}${path}`, { method }, OTHER);
    assert.equal(r.status, 404, `${method} ${path}`);
  }
  const theirs = await api(sandbox.url, '/api/campaigns', {}, OTHER).then(json);
  assert.ok(!theirs.body.data.some((c) => c.id === id));
  assert.equal((await fetch(`${sandbox.url}/api/campaigns`)).status, 401);
  assert.equal((await api(sandbox.url, '/api/campaigns/cmp_nope')).status, 404);
  // Scheduled: paused and resumed it stays scheduled; cancelled, every row is skipped and it cannot change again.
  // Each answer says what may be done next, from the core's machine.
  assert.deepEqual((await campaign(sandbox.url, id)).body.data.actions, ['pause', 'cancel']);
  const paused = await api(sandbox.url, `/api/campaigns/${id}/pause`, { method: 'POST' }).then(json);
  assert.equal(paused.body.data.status, 'paused');
  assert.deepEqual(paused.body.data.actions, ['resume', 'cancel']);
  assert.equal((await api(sandbox.url, `/api/campaigns/${id}/pause`, { method: 'POST' }).then(json)).body.data.status, 'paused', 'asked again, answered as it is');
  const resumed = await api(sandbox.url, `/api/campaigns/${id}/resume`, { method: 'POST' }).then(json);
  assert.equal(resumed.body.data.status, 'scheduled');
  assert.deepEqual(resumed.body.data.actions, ['pause', 'cancel']);
  const cancelled = await api(sandbox.url, `/api/campaigns/${id}/cancel`, { method: 'POST' }).then(json);
  assert.equal(cancelled.body.data.status, 'cancelled');
  assert.deepEqual(cancelled.body.data.actions, []);
  assert.deepEqual(cancelled.body.data.counts, { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 1 });
  const again = await api(sandbox.url, `/api/campaigns/${id}/pause`, { method: 'POST' }).then(json);
  // Once it has finished (its alarm settles it), the watchdog no longer wakes it: nothing is left to do.
  await until(() => campaign(sandbox.url, id), (c) => c.body.data.finished > 0, 10_000);
  const awake = () => [...sandbox.logs().matchAll(/watchdog: (\d+) campaigns awake/g)].map((m) => Number(m[1]));
  const ticks = awake().length;
  assert.equal(await sandbox.cron(), 200);
  await until(async () => awake().length, (n) => n > ticks, 10_000);
  assert.equal(awake().at(-1), 0);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'campaign_state');
  const [r] = await allRecipients(sandbox.url, id);
  assert.equal(r.reason, 'cancelled');
});

test('a template that is unknown, not approved or whose columns do not fit is refused as a send is, and nothing is created', async () => {
  const before = (await api(sandbox.url, '/api/campaigns').then(json)).body.data.length;
  const unknown = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: { name: 'order_confirmaton', language: 'en' }, rows: [row('+919876543210', 'A', 'B')] }) }).then(json);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'template_not_found');
  assert.match(unknown.body.message, /did you mean "order_confirmation"/);
  const columns = await api(sandbox.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows: [{ to: '+919876543210', 1: 'A' }] }) }).then(json);
  assert.equal(columns.status, 400);
  assert.equal(columns.body.code, 'invalid_list');
  assert.ok(columns.body.errors.some((e) => e.column === '2' && e.code === 'required'), JSON.stringify(columns.body));
  const csv = await fetch(`${sandbox.url}/api/campaigns?template=order_confirmation&language=en`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body: 'phone,name\n+919876543210,A\n' }).then(json);
  assert.equal(csv.status, 400);
  assert.equal(csv.body.code, 'invalid_list');
  for (const [body, ctype, code] of [
    [JSON.stringify({ template: ORDER, rows: [], start_at: 'tomorrow' }), 'application/json', 'invalid_campaign'],
    [JSON.stringify({ template: ORDER }), 'application/json', 'invalid_campaign'],
    [JSON.stringify({ template: ORDER, rows: [] }), 'application/json', 'invalid_list'],
    ['{', 'application/json', 'invalid_campaign'],
    [JSON.stringify({ template: ORDER, csv: 'to\n+919876543210\n', default_region: 'Ü\u001a' }), 'application/json', 'invalid_campaign'],
    ['to\n+1', 'application/xml', 'unsupported_media_type'],
  ]) {
    const r = await api(sandbox.url, '/api/campaigns', { method: 'POST', body, headers: { 'content-type': ctype } }).then(json);
    assert.equal(r.body.code, code, `${body} → ${JSON.stringify(r.body)}`);
    assert.ok(r.status >= 400 && r.status < 500);
  }
  assert.equal((await api(sandbox.url, '/api/campaigns').then(json)).body.data.length, before);
  provider.setTemplates([...templates.filter((t) => t.name !== 'invoice_ready'), { ...templates.find((t) => t.name === 'invoice_ready'), status: 'PAUSED' }]);
  await sleep(1_100); // TEMPLATES_TTL_S=1
  const paused = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: { name: 'invoice_ready', language: 'en' }, rows: [{ to: '+919876543210' }] }) }).then(json);
  assert.equal(paused.status, 409, JSON.stringify(paused.body));
  assert.equal(paused.body.code, 'template_not_approved');
  provider.setTemplates(templates);
});

test('a CSV of 300 rows through the fake provider: the CLI reports the same rows, each valid row is sent exactly once, paced under the limits beside single sends', async () => {
  provider.reset();
  const lines = ['to,1,2,button_0'];
  const invalid = new Map();
  const dupes = [];
  for (let i = 1; i <= 300; i++) {
    if (i % 50 === 7) { lines.push(`+91 12345,Bad ${i},ORD-${i},${i}`); invalid.set(i, 'to'); continue; }
    if (i % 50 === 13) { lines.push(`${number(i)},"two\nlines",ORD-${i},${i}`); invalid.set(i, '1'); continue; }
    if (i % 50 === 21) { lines.push(`${number(i - 1)},Dup ${i},ORD-${i},${i}`); dupes.push(i); continue; }
    if (i === 299) { lines.push(`"+52 1 55 1234 5678","Quoted, with comma",ORD-${i},${i}`); continue; }
    lines.push(`${number(i)},Name ${i},ORD-${i},${i}`);
  }
  const text = `${lines.join('\r\n')}\r\n`;
  await api(upstream.url, '/api/suppressions', { method: 'POST', body: JSON.stringify({ number: '+525512345678' }) });
  // The CLI on the same file, the same template and the same suppression list.
  const dir = mkdtempSync(join(tmpdir(), 'wasend-campaign-'));
  writeFileSync(join(dir, 'list.csv'), text);
  writeFileSync(join(dir, 'def.json'), JSON.stringify(orderDef));
  writeFileSync(join(dir, 'suppressed.txt'), '+525512345678\n');
  let cliOut;
  try {
    cliOut = execFileSync(join(root, 'target/debug/wasend'), ['campaign', 'check', join(dir, 'list.csv'), '--template', join(dir, 'def.json'), '--suppressed', join(dir, 'suppressed.txt'), '--json'], { encoding: 'utf8' });
  } catch (e) {
    cliOut = e.stdout; // exit 1: some rows are invalid
  }
  const cli = JSON.parse(cliOut);

  const singles = [];
  const t0 = performance.now();
  const created = await fetch(`${upstream.url}/api/campaigns?template=order_confirmation&language=en&name=csv`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body: text,
  }).then(json);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const d = created.body.data;
  assert.equal(d.total, 300);
  const byRow = (list) => list.map((s) => [s.row, s.line ?? null, s.column ?? null, s.code]);
  const workerIssues = d.issues;
  assert.deepEqual(byRow(workerIssues), byRow(cli.issues), 'the Worker and the CLI report the same rows, lines and columns');
  assert.deepEqual(d.skipped, cli.skipped, 'the same skipped rows, in the one shape');
  assert.deepEqual([...new Set(workerIssues.map((s) => s.row))], [...invalid.keys()]);
  for (const s of workerIssues) assert.equal(s.column, invalid.get(s.row), `row ${s.row}`);
  assert.equal(d.skipped.find((s) => s.row === 299).code, 'recipient_opted_out');
  assert.equal(d.valid, 300 - invalid.size - dupes.length - 1);
  // Single sends alongside: they share the limiter with the campaign.
  for (let i = 0; i < 10; i++) {
    singles.push(send(upstream.url, { to: number(1000 + i), type: 'template', template: { name: 'hello_world', language: 'en_US' } }, { token: TOKEN }));
    await sleep(100);
  }
  const singleAnswers = await Promise.all(singles);
  assert.ok(singleAnswers.every((a) => a.status === 200 || a.status === 429), singleAnswers.map((a) => a.status).join());
  // Campaigns fill at most CAMPAIGN_SHARE (80%) of the limits: single sends still get through.
  assert.ok(singleAnswers.filter((a) => a.status === 200).length >= 5, singleAnswers.map((a) => a.status).join());
  const done = await finished(upstream.url, d.id);
  assert.equal(done.body.data.status, 'completed');
  assert.equal(done.body.data.counts.sent + done.body.data.counts.delivered + done.body.data.counts.read, d.valid);
  const recipients = await allRecipients(upstream.url, d.id);
  assert.equal(recipients.length, 300, 'every row has a result');
  assert.ok(recipients.every((r) => ['sent', 'skipped'].includes(r.status)), JSON.stringify(recipients.filter((r) => !['sent', 'skipped'].includes(r.status))));
  const campaignSends = provider.sends().filter((s) => JSON.parse(s.body).template.name === 'order_confirmation');
  assert.equal(campaignSends.length, d.valid, 'each valid row once');
  assert.equal(new Set(campaignSends.map((s) => JSON.parse(s.body).to)).size, d.valid, 'no recipient twice');
  for (const [, ids] of provider.delivered) assert.equal(ids.length, 1);
  // The limiter: never more than RATE_PER_SECOND (50) in any second at the provider.
  const at = provider.sends().map((s) => s.at).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i] - at[j] >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  assert.ok(max <= 50, `${max} in one second`);
  assert.ok(performance.now() - t0 < 60_000);
  // The provider's status webhooks move rows on: delivered, read, failed (with its class).
  const hookEvent = async (name, data) => {
    const body = JSON.stringify({ event: name, timestamp: new Date().toISOString(), data });
    const r = await fetch(`${upstream.url}/api/webhooks`, { method: 'POST', headers: { 'x-webhook-signature': createHmac('sha256', SECRET).update(body).digest('hex') }, body });
    assert.equal(r.status, 200);
  };
  const [a, b, c] = recipients.filter((r) => r.status === 'sent');
  await hookEvent('message.delivered', { message_id: a.message_id, status: 'delivered' });
  await hookEvent('message.read', { message_id: b.message_id, status: 'read' });
  await hookEvent('message.failed', { message_id: c.message_id, status: 'failed', reason: '(#131026) Message undeliverable' });
  const moved = await allRecipients(upstream.url, d.id);
  assert.deepEqual([a, b, c].map((x) => moved.find((r) => r.row === x.row).status), ['delivered', 'read', 'failed']);
  assert.deepEqual(moved.find((r) => r.row === c.row).error, { code: 'delivery_failed', class: 'recipient', message: '(#131026) Message undeliverable' });
  const counts = (await campaign(upstream.url, d.id)).body.data.counts;
  assert.deepEqual([counts.delivered, counts.read, counts.failed, counts.sent], [1, 1, 1, d.valid - 3]);
  const failedPage = await api(upstream.url, `/api/campaigns/${d.id}/recipients?status=failed&limit=1000`).then(json);
  assert.deepEqual(failedPage.body.data.map((r) => r.row), [c.row]);
  // campaign.completed, signed.
  const posted = await until(async () => hooks.find((h) => JSON.parse(h.body).data.id === d.id), Boolean);
  const event = JSON.parse(posted.body);
  assert.equal(event.event, 'campaign.completed');
  assert.equal(event.data.status, 'completed');
  assert.equal(posted.headers['x-webhook-signature'], createHmac('sha256', SECRET).update(posted.body).digest('hex'));
  assert.ok(!posted.body.includes('provider-key-campaigns-1234'));
});

test('pause stops a running campaign between batches, resume re-checks the template, and a template failure pauses it with the reason', async () => {
  provider.reset();
  const rows = Array.from({ length: 60 }, (_, i) => row(number(2000 + i), `P${i}`, `ORD-${i}`));
  // Slow answers: the campaign is mid-way when it is paused.
  provider.next(...Array.from({ length: 60 }, () => ({ status: 200, delay: 150 })));
  const created = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ name: 'pausable', template: ORDER, rows }) }).then(json);
  const id = created.body.data.id;
  await until(async () => provider.sends().length, (n) => n >= 10);
  const paused = await api(upstream.url, `/api/campaigns/${id}/pause`, { method: 'POST' }).then(json);
  assert.equal(paused.body.data.status, 'paused');
  assert.equal(paused.body.data.paused_reason, 'paused by the client');
  await sleep(1_500);
  const atPause = provider.sends().length;
  await sleep(1_500);
  assert.equal(provider.sends().length, atPause, 'nothing is sent while paused');
  assert.ok(atPause < 60);
  // The template paused upstream meanwhile: resume is refused, the campaign stays paused.
  provider.setTemplates(templates.map((t) => (t.name === ORDER.name && t.language === ORDER.language ? { ...t, status: 'PAUSED' } : t)));
  await sleep(1_100);
  const refused = await api(upstream.url, `/api/campaigns/${id}/resume`, { method: 'POST' }).then(json);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.code, 'template_not_approved');
  assert.equal((await campaign(upstream.url, id)).body.data.status, 'paused');
  provider.setTemplates(templates);
  await sleep(1_100);
  assert.equal((await api(upstream.url, `/api/campaigns/${id}/resume`, { method: 'POST' }).then(json)).body.data.status, 'running');
  const done = await finished(upstream.url, id);
  assert.equal(done.body.data.counts.sent, 60);
  assert.equal(provider.sends().length, 60, 'each row once, across the pause');

  // Meta's 132000 mid-run: the campaign pauses itself and says why; the row waits, unsent.
  provider.reset();
  provider.next({ status: 200 }, { status: 200 }, { status: 400, body: { message: '(#132000) Number of parameters does not match the expected number of params', status: 'error' } });
  const broken = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows: rows.slice(0, 5).map((r, i) => ({ ...r, to: number(3000 + i) })) }) }).then(json);
  const pausedItself = await until(() => campaign(upstream.url, broken.body.data.id), (c) => c.body.data.status === 'paused');
  assert.match(pausedItself.body.data.paused_reason, /template was refused: \(#132000\)/);
  const waiting = (await allRecipients(upstream.url, broken.body.data.id)).filter((r) => r.status === 'queued');
  assert.ok(waiting.length >= 1);
  assert.equal(waiting[0].error.class, 'template');
  await api(upstream.url, `/api/campaigns/${broken.body.data.id}/cancel`, { method: 'POST' });
});

test('failures are classed: transient ones retried inside the limits, undeliverable ones failed, and too many failures pause the campaign', async () => {
  provider.reset();
  provider.next(
    { status: 500, body: { message: 'boom', status: 'error' } }, { status: 500, body: { message: 'boom', status: 'error' } }, { status: 500, body: { message: 'boom', status: 'error' } },
    { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down', status: 'error' } },
    { status: 400, body: { message: '(#131026) Message undeliverable', status: 'error' } },
  );
  const rows = Array.from({ length: 4 }, (_, i) => row(number(4000 + i), `F${i}`, `ORD-${i}`));
  const c = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows }) }).then(json);
  const done = await finished(upstream.url, c.body.data.id);
  assert.equal(done.body.data.counts.sent, 3);
  assert.equal(done.body.data.counts.failed, 1);
  const failed = (await allRecipients(upstream.url, c.body.data.id)).find((r) => r.status === 'failed');
  assert.deepEqual([failed.error.class, failed.error.code], ['recipient', 'upstream_rejected']);
  assert.equal(new Set(provider.sends().filter((s) => s.step?.status === 200).map((s) => s.body)).size, 3);

  // CAMPAIGN_FAILURE_MIN_ROWS=10 here: 12 undeliverable rows of 20 pause it.
  provider.reset();
  provider.next(...Array.from({ length: 12 }, () => ({ status: 400, body: { message: '(#131026) Message undeliverable', status: 'error' } })));
  const many = Array.from({ length: 20 }, (_, i) => row(number(5000 + i), `M${i}`, `ORD-${i}`));
  const m = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows: many }) }).then(json);
  const paused = await until(() => campaign(upstream.url, m.body.data.id), (x) => x.body.data.status === 'paused');
  assert.match(paused.body.data.paused_reason, /rows failed, over CAMPAIGN_MAX_FAILURE_RATE \(20%\)/);
  await api(upstream.url, `/api/campaigns/${m.body.data.id}/cancel`, { method: 'POST' });
});

test('a list over 100,000 rows is refused (413 list_too_long) as CSV, JSON and NDJSON, before the rest of it arrives, and nothing is created', async () => {
  const before_ = (await api(sandbox.url, '/api/campaigns?limit=100').then(json)).body.data.length;
  const line = (i) => `${number(i % 90_000)},N${i},ORD-${i},${i}\n`;
  const csv = (n) => `to,1,2,button_0\n${Array.from({ length: n }, (_, i) => line(i)).join('')}`;
  const q = `template=${ORDER.name}&language=${ORDER.language}`;
  const post = (body, type, query = '') => api(sandbox.url, `/api/campaigns${query}`, { method: 'POST', body, headers: { 'content-type': type } }).then(json);
  // One over, in each form.
  const overCsv = await post(csv(100_001), 'text/csv', `?${q}`);
  assert.equal(overCsv.status, 413, JSON.stringify(overCsv.body));
  assert.equal(overCsv.body.code, 'list_too_long');
  assert.equal(overCsv.body.limit, 100_000);
  const rows = Array.from({ length: 100_001 }, (_, i) => ({ to: number(i % 90_000) }));
  const overJson = await post(JSON.stringify({ template: ORDER, rows }), 'application/json');
  assert.deepEqual([overJson.status, overJson.body.code], [413, 'list_too_long']);
  const overInCsv = await post(JSON.stringify({ template: ORDER, csv: csv(100_001) }), 'application/json');
  assert.deepEqual([overInCsv.status, overInCsv.body.code], [413, 'list_too_long']);
  const overArray = await post(JSON.stringify(rows), 'text/plain', `?${q}`);
  assert.deepEqual([overArray.status, overArray.body.code], [413, 'list_too_long']);
  const overNd = await post(Array.from({ length: 150_000 }, (_, i) => `{"to":"${number(i % 90_000)}"}\n\n`).join(''), 'application/x-ndjson', `?${q}`);
  assert.deepEqual([overNd.status, overNd.body.code], [413, 'list_too_long']);
  // Refused as the rows arrive: 100,001 rows of a 9 MB body that never comes whole
  // is a 413 now, not a 408 after the list's 60 s.
  const head = Buffer.from(csv(100_001));
  const started = Date.now();
  const early = await new Promise((resolve, reject) => {
    const { hostname, port } = new URL(sandbox.url);
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`POST /api/campaigns?${q} HTTP/1.1\r\nhost: x\r\ncontent-type: text/csv\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 9000000\r\nconnection: close\r\n\r\n`);
      socket.write(head);
    });
    let text = '';
    socket.on('data', (d) => { text += d; if (/\r\n\r\n[\s\S]*\}/.test(text)) { socket.destroy(); resolve(text); } });
    socket.on('error', reject);
    setTimeout(() => { socket.destroy(); resolve(text); }, 30_000);
  });
  assert.match(early, /^HTTP\/1\.1 413/, early.slice(0, 300));
  assert.match(early, /list_too_long/);
  assert.ok(Date.now() - started < 30_000);
  const after_ = (await api(sandbox.url, '/api/campaigns?limit=100').then(json)).body.data.length;
  assert.equal(after_, before_, 'no campaign was created');
});

test('the results CSV is safe to open in a spreadsheet: no cell starts a formula but a validated number; the JSON keeps every text as it came', async () => {
  provider.reset();
  // A provider (or anything in its path) that answers with formulas.
  provider.next(
    { status: 200, body: { data: { message_id: '=HYPERLINK("http://evil.example/id","x")', status: 'sent' } } },
    { status: 400, body: { message: '@SUM(1+1)*cmd|\' /C calc\'!A0', status: 'error' } },
  );
  const hostile = ['=HYPERLINK("http://evil.example/a","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'];
  const rows = [row(number(7000), '=1+1', 'ORD-1'), row(number(7001), '-x', 'ORD-2'), ...hostile.map((to, i) => row(to, `H${i}`, `ORD-H${i}`))];
  const c = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ name: '=cmd|\' /C calc\'!A0', template: ORDER, rows }) }).then(json);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const id = c.body.data.id;
  await finished(upstream.url, id);
  const recipients = await allRecipients(upstream.url, id);
  // The JSON answer carries the original text.
  assert.deepEqual(recipients.slice(2).map((r) => r.to), hostile);
  // Ten rows go at once: which of the first two got which answer is the provider's order.
  const sent = recipients.slice(0, 2).find((r) => r.message_id);
  const failed = recipients.slice(0, 2).find((r) => r.status === 'failed');
  assert.equal(sent.message_id, '=HYPERLINK("http://evil.example/id","x")');
  assert.ok(failed.error.message.includes('@SUM(1+1)'), JSON.stringify(failed));
  const text = await api(upstream.url, `/api/campaigns/${id}/recipients`, { headers: { accept: 'text/csv' } }).then((r) => r.text());
  const { default: Papa } = await import('papaparse');
  const table = Papa.parse(text.trimEnd(), { newline: '\r\n' }).data;
  assert.equal(table.length, 1 + rows.length);
  const header = table[0];
  let quoted = 0;
  for (const line of table.slice(1)) {
    for (const [i, cell] of line.entries()) {
      if (/^[=+\-@\t\r]/.test(cell)) assert.match(cell, /^\+\d+$/, `column ${header[i]}: ${JSON.stringify(cell)}`);
      if (cell.startsWith("'")) quoted++;
    }
  }
  const at = (r, col) => table[r][header.indexOf(col)];
  assert.equal(at(1, 'to'), number(7000), 'a validated number stays as it is');
  assert.equal(at(sent.row, 'message_id'), `'${sent.message_id}`);
  assert.deepEqual(table.slice(3).map((l) => l[header.indexOf('to')]), hostile.map((h) => `'${h}`));
  assert.ok(quoted >= hostile.length + 2);
});

test('a runtime killed mid-campaign comes back and the campaign resumes by itself: every row once, every row a result', async () => {
  provider.reset();
  provider.next(...Array.from({ length: 400 }, () => ({ status: 200, delay: 40 })));
  const rows = Array.from({ length: 150 }, (_, i) => row(number(6000 + i), `K${i}`, `ORD-${i}`));
  const c = await api(upstream.url, '/api/campaigns', { method: 'POST', body: JSON.stringify({ template: ORDER, rows }) }).then(json);
  const id = c.body.data.id;
  await until(async () => provider.sends().length, (n) => n >= 30);
  await upstream.restart();
  const afterRestart = provider.sends().length;
  assert.ok(afterRestart < 150, `${afterRestart} sent before the restart`);
  // The platform's minute cron, which local workerd does not fire by itself.
  const poke = setInterval(() => upstream.cron().catch(() => {}), 2_000);
  try {
    // Pause and resume work on the restarted runtime.
    await until(async () => provider.sends().length, (n) => n > afterRestart);
    const paused = await api(upstream.url, `/api/campaigns/${id}/pause`, { method: 'POST' }).then(json);
    assert.equal(paused.body.data.status, 'paused');
    await sleep(1_000);
    const atPause = provider.sends().length;
    await sleep(1_500);
    assert.equal(provider.sends().length, atPause, 'nothing is sent while paused');
    assert.equal((await api(upstream.url, `/api/campaigns/${id}/resume`, { method: 'POST' }).then(json)).body.data.status, 'running');
    // Rows in flight at the kill are settled once their keys' sends could no longer be running (21.5 s here).
    const done = await finished(upstream.url, id, 60_000);
    assert.equal(done.body.data.status, 'completed');
    const recipients = await allRecipients(upstream.url, id);
    assert.equal(recipients.length, 150);
    assert.ok(recipients.every((r) => r.status === 'sent' || (r.status === 'failed' && r.error.class === 'unknown')), JSON.stringify(recipients.filter((r) => r.status !== 'sent')));
    for (const [, ids] of provider.delivered) assert.equal(ids.length, 1, 'no row sent twice');
    const bodies = provider.sends().map((s) => JSON.parse(s.body).to);
    assert.equal(new Set(bodies).size, bodies.length, 'no recipient twice at the provider');
  } finally {
    clearInterval(poke);
  }
});
