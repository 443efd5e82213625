// Hostile HTTP: requests an attacker or a broken client sends, over raw sockets
// to the Worker under wrangler dev (real workerd). Every one must get a clear 4xx
// (or be refused by the server) and never a 5xx, a hang or a crash; the Worker
// must still serve afterwards; and the provider's key must appear in no response,
// header, log line or page. The goal is the same in CI and in the report.
//
//   node benches/hostile.mjs [--quick]   (quick: without the two slow-body cases)
import { connect } from 'node:net';
import { createHmac } from 'node:crypto';
import { fakeProvider, startWorker } from '../tests/worker/harness.mjs';
import { count, finish, quick } from './lib.mjs';

const TOKEN = 'hostile-client-token-0123456789';
const KEY = 'sk_live_HOSTILE_do_not_leak_0123456789';
const SECRET = 'hostile-webhook-secret';
const provider = await fakeProvider();
const worker = await startWorker({
  UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `h:${TOKEN}`, WEBHOOK_SECRET: SECRET, UPSTREAM_TIMEOUT_MS: '2000', ALLOWED_ORIGINS: 'https://allowed.example',
});
// Sandbox mode, where `/api/sandbox/inbound` takes bodies: clients a and b, an operator.
const TOKEN_A = 'hostile-sandbox-a-0123456789';
const TOKEN_B = 'hostile-sandbox-b-0123456789';
const ADMIN = 'hostile-sandbox-admin-0123456789';
const sandbox = await startWorker({ CLIENT_TOKENS: `a:${TOKEN_A},b:${TOKEN_B}`, ADMIN_TOKENS: `op:${ADMIN}`, WEBHOOK_SECRET: SECRET });
const { hostname, port } = new URL(worker.url);

/** Writes `head` and `body` (in `chunks` pieces, `gapMs` apart) to a fresh socket of `target`; resolves to the raw answer. */
function raw(head, body = Buffer.alloc(0), { chunks = 1, gapMs = 0, timeoutMs = 30_000, target = worker } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const { hostname: host, port: p } = new URL(target.url);
    const socket = connect({ host, port: Number(p) });
    const parts = [];
    let done = false;
    const end = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(parts).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]) || null;
      resolve({ status, text, why, ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => end('timeout'), timeoutMs);
    socket.on('data', (d) => {
      parts.push(d);
      // One response is enough: stop at the end of a content-length or chunked body.
      const text = Buffer.concat(parts).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split));
      if (length && Buffer.byteLength(text.slice(split + 4), 'latin1') >= Number(length[1])) end('answered');
      if (/\r\ntransfer-encoding: *chunked/i.test(text.slice(0, split)) && text.endsWith('0\r\n\r\n')) end('answered');
    });
    socket.on('error', () => end('socket error'));
    socket.on('close', () => end('closed'));
    socket.on('connect', async () => {
      socket.write(head);
      const size = Math.ceil(body.length / chunks);
      for (let i = 0; i < body.length && !done; i += size) {
        socket.write(body.subarray(i, i + size));
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const json = (o) => Buffer.from(JSON.stringify(o));
const TEXT = json({ to: '+919876543210', type: 'text', text: 'hello' });
function post(path, body, headers = {}, { method = 'POST', ...opts } = {}) {
  const h = { host: `${hostname}:${port}`, 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': body.length, connection: 'close', ...headers };
  const lines = Object.entries(h).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return raw(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, body, opts);
}
const sign = (body) => createHmac('sha256', SECRET).update(body).digest('hex');

const cases = [
  // size
  ['body of 70 KB', 413, () => post('/api/messages/send', json({ to: '+919876543210', type: 'text', text: 'x'.repeat(70_000) }))],
  ['body of 20 MB', 413, () => post('/api/messages/send', Buffer.alloc(20_000_000, 0x20))],
  ['chunked body of 20 MB, no length', 413, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n`,
    Buffer.concat([...Array.from({ length: 20 }, () => Buffer.concat([Buffer.from('f4240\r\n'), Buffer.alloc(1_000_000, 0x20), Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')]), { chunks: 20 })],
  ['content-length larger than the body', 408, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 5000\r\nconnection: close\r\n\r\n`, TEXT, { timeoutMs: 20_000 })],
  ['content-length not a number', 400, () => post('/api/messages/send', TEXT, { 'content-length': 'abc' })],
  // structure
  ['100,000 nested arrays', 400, () => post('/api/messages/send', Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)).subarray(0, 60_000))],
  ['deep object nesting', 400, () => post('/api/messages/send', Buffer.from('{"a":'.repeat(10_000)))],
  ['50,000 keys', 400, () => post('/api/messages/send', Buffer.from(`{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`))],
  // A phone number of 60,000 letters: its format check was quadratic (35 s natively for 105 KB).
  ['a `to` of 60,000 letters', 400, () => post('/api/messages/send', json({ to: 'x'.repeat(60_000), type: 'text', text: 'hi' }))],
  ['a number of 10,000 digits', 400, () => post('/api/messages/send', Buffer.from(`{"to":"+919876543210","type":"text","text":"x","n":${'9'.repeat(10_000)}}`))],
  ['1e999999 and -0', 400, () => post('/api/messages/send', Buffer.from('{"to":"+919876543210","type":"location","location":{"latitude":1e999999,"longitude":-0}}'))],
  ['duplicate keys', 200, () => post('/api/messages/send', Buffer.from('{"to":"+919876543210","type":"text","text":"a","text":"b"}'))],
  // encoding
  ['invalid utf-8 in a string', 400, () => post('/api/messages/send', Buffer.concat([Buffer.from('{"to":"+919876543210","type":"text","text":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}')]))],
  ['lone surrogate escape', 400, () => post('/api/messages/send', Buffer.from('{"to":"+919876543210","type":"text","text":"\\ud800"}'))],
  ['NUL bytes and a BOM', 400, () => post('/api/messages/send', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"to":"+919876543210\u0000","type":"text","text":"a\u0000"}')]))],
  ['utf-16 body', 400, () => post('/api/messages/send', Buffer.from(TEXT.toString(), 'utf16le'))],
  ['empty body', 400, () => post('/api/messages/send', Buffer.alloc(0))],
  // content type and method
  ['application/jsonx', 415, () => post('/api/messages/send', TEXT, { 'content-type': 'application/jsonx' })],
  ['text/plain', 415, () => post('/api/messages/send', TEXT, { 'content-type': 'text/plain' })],
  ['no content-type', 415, () => post('/api/messages/send', TEXT, { 'content-type': undefined })],
  ['multipart', 415, () => post('/api/messages/send', TEXT, { 'content-type': 'multipart/form-data; boundary=x' })],
  ['content-type 10 KB long', 200, () => post('/api/messages/send', TEXT, { 'content-type': `application/json; ${'x'.repeat(10_000)}` })],
  ['PUT', 405, () => raw(`PUT /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: ${TEXT.length}\r\nconnection: close\r\n\r\n`, TEXT)],
  ['made-up method', 501, () => raw(`BREW /api/messages/send HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)],
  ['x-http-method-override', 200, () => post('/api/messages/send', TEXT, { 'x-http-method-override': 'DELETE' })],
  // headers
  ['a 100 KB header', 200, () => post('/api/messages/send', TEXT, { 'x-junk': 'x'.repeat(100_000) })],
  ['1,000 headers', 200, () => post('/api/messages/send', TEXT, Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x-h${i}`, 'v'])))],
  ['a 10 KB bearer token', 401, () => post('/api/messages/send', TEXT, { authorization: `Bearer ${'t'.repeat(10_000)}` })],
  ['bearer with no token', 401, () => post('/api/messages/send', TEXT, { authorization: 'Bearer ' })],
  ['basic auth', 401, () => post('/api/messages/send', TEXT, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })],
  ['token with bytes over 0x7f', 401, () => post('/api/messages/send', TEXT, { authorization: `Bearer ${TOKEN}\u00e9` })],
  ['the provider key as the bearer token', 401, () => post('/api/messages/send', TEXT, { authorization: `Bearer ${KEY}` })],
  ['x-api-key from the client (no token)', 401, () => post('/api/messages/send', TEXT, { authorization: undefined, 'x-api-key': KEY })],
  ['idempotency key of 10 KB', 400, () => post('/api/messages/send', TEXT, { 'idempotency-key': 'k'.repeat(10_000) })],
  ['idempotency key with bytes over 0x7f', 400, () => post('/api/messages/send', TEXT, { 'idempotency-key': 'kéy' })],
  ['host header of another site', 200, () => post('/api/messages/send', TEXT, { host: 'evil.example' })],
  ['origin of another site', 200, () => post('/api/messages/send', TEXT, { origin: 'https://evil.example' })],
  // paths
  ['a 60 KB path', 404, () => raw(`GET /api/${'a'.repeat(60_000)} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)],
  ['dot segments', 404, () => raw(`GET /api/../../../etc/passwd HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)],
  ['bad percent escapes in a message id', 404, () => raw(`GET /api/messages/%ZZ%E0%A4%A HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\nconnection: close\r\n\r\n`)],
  ['a message list with a silly limit and cursor', 400, () => raw(`GET /api/messages?limit=-99999999999999999999&cursor=%00%FF.. HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\nconnection: close\r\n\r\n`)],
  ['not http at all', 400, () => raw('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 this is a TLS hello\r\n\r\n')],
  ['HTTP/0.9 request line', 400, () => raw('GET /\r\n\r\n')],
  // webhooks
  ['webhook without a signature', 401, () => post('/api/webhooks', json({ event: 'message.read', data: { message_id: 'wamid.X' } }), { authorization: undefined })],
  // The server refuses the header before the Worker; while the client still writes, the refusal may arrive as a reset.
  ['webhook with a 1 MB signature', [431, 'socket error'], () => post('/api/webhooks', json({ event: 'message.read' }), { authorization: undefined, 'x-webhook-signature': 'a'.repeat(1_000_000) })],
  ['webhook of 20 MB', 413, () => post('/api/webhooks', Buffer.alloc(20_000_000, 0x20), { authorization: undefined, 'x-webhook-signature': 'sha256=00' })],
  ['webhook, signed, not json', 400, () => { const b = Buffer.from('\xff\xfe not json'); return post('/api/webhooks', b, { authorization: undefined, 'x-webhook-signature': sign(b) }); }],
  ['webhook, signed, 10,000 events', 413, () => { const b = json(Array.from({ length: 10_000 }, (_, i) => ({ event: 'message.read', data: { message_id: `wamid.${i}` } }))); return post('/api/webhooks', b, { authorization: undefined, 'x-webhook-signature': sign(b) }); }],
  ['webhook, signed, deep nesting', 400, () => { const b = Buffer.from('{"a":'.repeat(5000)); return post('/api/webhooks', b, { authorization: undefined, 'x-webhook-signature': sign(b) }); }],
  // slow
  ['slow body: 400 bytes over 8 s', 200, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: ${TEXT.length}\r\nconnection: close\r\n\r\n`, TEXT, { chunks: TEXT.length, gapMs: 8000 / TEXT.length, timeoutMs: 40_000 })],
  ['slow body: 400 bytes over 15 s', 408, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: ${TEXT.length}\r\nconnection: close\r\n\r\n`, TEXT, { chunks: TEXT.length, gapMs: 15000 / TEXT.length, timeoutMs: 40_000 })],
];

// What the Worker itself answered, from its log line ("413 /api/messages/send 7ms"):
// the dev server in front of it (wrangler's proxy, miniflare's entry worker) may
// reset a connection whose client is still sending after the Worker's early
// answer, or turn that into its own "500 Network connection lost".
// `besides`: answers of other requests on the same path in the same moment, left out.
const workerAnswers = (target, from, path, besides = []) => {
  const all = [...target.logs().slice(from).matchAll(/^(\d{3}) (\/\S*) \d+ms$/gm)].filter((m) => !path || m[2] === path).map((m) => Number(m[1]));
  for (const b of besides) { const i = all.indexOf(b); if (i >= 0) all.splice(i, 1); }
  return all;
};
const results = [];
// `code`: the error code the answer must carry; `check`: a verdict of this script's, not an HTTP answer.
async function run(name, expect, go, { target = worker, path, besides, code, check } = {}) {
  const mark = target.logs().length;
  const r = await go();
  await new Promise((res) => setTimeout(res, 60));
  results.push({ name, expect, ...r, worker: check ? [] : workerAnswers(target, mark, path, besides), want: code, check });
}
// The quick run (CI) leaves out the two slow bodies; the truncated body still waits the Worker's 10 s.
for (const [name, expect, go] of cases) if (!(quick && name.startsWith('slow body'))) await run(name, expect, go);
// Slowloris beside a normal client: 100 connections dribbling headers, and a normal send still answered.
const dribblers = Array.from({ length: 100 }, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\n`, Buffer.from('x-slow: 1\r\n'.repeat(20)), { chunks: 20, gapMs: quick ? 150 : 500, timeoutMs: 15_000 }));
await new Promise((r) => setTimeout(r, 1000));
await run('a normal send while 100 connections dribble headers', 200, () => post('/api/messages/send', TEXT));
await Promise.all(dribblers);

// Every endpoint that takes a body, on the sandbox (where all of them answer):
// 10,000 nested arrays, 30 MB and a stalled body, each while another client's
// send is in flight (its body still arriving), which must be answered 200: a
// request that crashed the WebAssembly instance would take that send with it.
const sandboxPost = (path, body, headers, opts = {}) => post(path, body, { host: 'x', authorization: `Bearer ${TOKEN_A}`, ...headers }, { target: sandbox, ...opts });
const BODY_ENDPOINTS = [
  ['/api/messages/send', {}],
  ['/api/webhooks', { authorization: undefined }, (b) => ({ 'x-webhook-signature': sign(b) })],
  ['/api/admin/templates', { authorization: `Bearer ${ADMIN}` }, undefined, 'PUT'],
  ['/api/suppressions', {}],
  ['/api/campaigns', {}],
  ['/api/sandbox/inbound', {}],
];
const DEEP = Buffer.from('['.repeat(10_000) + ']'.repeat(10_000));
const HUGE = Buffer.alloc(30_000_000, 0x20);
// A template (the sandbox, as the provider, refuses free text outside the 24-hour window).
const HELLO = json({ to: '+919876543210', type: 'template', template: { name: 'hello_world', language: 'en_US' } });
const otherSend = (gapMs) => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN_B}\r\ncontent-length: ${HELLO.length}\r\nconnection: close\r\n\r\n`, HELLO, { chunks: 8, gapMs, target: sandbox });
for (const [path, headers, signed, method = 'POST'] of BODY_ENDPOINTS) {
  for (const [what, body, expect] of [['10,000 nested arrays', DEEP, 400], ['30 MB', HUGE, 413]]) {
    let other;
    await run(`${method} ${path}: ${what}`, expect, async () => {
      other = otherSend(60);
      await new Promise((r) => setTimeout(r, 150));
      return sandboxPost(path, body, { ...headers, ...signed?.(body) }, { method });
    }, { target: sandbox, path, besides: path === '/api/messages/send' ? [200] : [] });
    await run(`a send by another client while ${method} ${path} takes ${what}`, 200, () => other, { target: sandbox, path: '/api/messages/send', besides: path === '/api/messages/send' ? [expect] : [] });
  }
}
// Stalled bodies: a length promised and never sent. All at once (the list's deadline
// is 60 s), with another client's send answered meanwhile.
{
  const stalled = BODY_ENDPOINTS.map(([path, headers, , method = 'POST']) => {
    const head = Object.entries({ host: 'x', 'content-type': 'application/json', authorization: `Bearer ${TOKEN_A}`, 'content-length': 5000, connection: 'close', ...headers, ...(path === '/api/webhooks' ? { 'x-webhook-signature': '00' } : {}) })
      .filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    return [path, method, raw(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n`, Buffer.from('{"to":'), { target: sandbox, timeoutMs: 90_000 })];
  });
  await new Promise((r) => setTimeout(r, 500));
  await run('a send by another client while six bodies stall', 200, () => otherSend(0), { target: sandbox, path: '/api/messages/send' });
  for (const [path, method, answer] of stalled) await run(`${method} ${path}: a stalled body`, 408, () => answer, { target: sandbox, path });
}

// Lists over the 100,000-row limit, refused before they are stored; meanwhile another
// client's health check is answered as fast as ever (it took 5.9 s during a 650,000-row
// upload before the limit was enforced as the rows arrive).
{
  const q = '?template=order_confirmation&language=en';
  const number = (i) => `+9198${String(76_500_000 + (i % 90_000)).padStart(8, '0')}`;
  const csv = Buffer.from(`to\n${Array.from({ length: 650_000 }, (_, i) => `${number(i)}\n`).join('')}`);
  const health = [];
  let busy = true;
  const probe = (async () => {
    while (busy) {
      const t = performance.now();
      await fetch(`${sandbox.url}/api/health`);
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await run(`a CSV of 650,000 rows (${(csv.length / 1e6).toFixed(1)} MB)`, 413, () => sandboxPost(`/api/campaigns${q}`, csv, { 'content-type': 'text/csv' }), { target: sandbox, path: '/api/campaigns', code: 'list_too_long' });
  const rows = JSON.stringify({ template: { name: 'order_confirmation', language: 'en' }, rows: Array.from({ length: 100_001 }, (_, i) => ({ to: number(i) })) });
  await run('a JSON list of 100,001 rows', 413, () => sandboxPost('/api/campaigns', Buffer.from(rows)), { target: sandbox, path: '/api/campaigns', code: 'list_too_long' });
  const nd = Buffer.from(Array.from({ length: 150_000 }, (_, i) => `{"to":"${number(i)}"}\n`).join(''));
  await run('an NDJSON list of 150,000 rows', 413, () => sandboxPost(`/api/campaigns${q}`, nd, { 'content-type': 'application/x-ndjson' }), { target: sandbox, path: '/api/campaigns', code: 'list_too_long' });
  busy = false;
  await probe;
  const slowest = Math.round(Math.max(...health));
  await run(`another client's health checks meanwhile (${health.length}, slowest ${slowest} ms)`, 200, async () => ({ status: slowest < 1000 ? 200 : slowest, text: '' }), { check: true });
  const listed = await fetch(`${sandbox.url}/api/campaigns?limit=100`, { headers: { authorization: `Bearer ${TOKEN_A}` } }).then((r) => r.json());
  await run('no campaign was stored from them', 200, async () => ({ status: listed.data.length === 0 ? 200 : listed.data.length, text: '' }), { check: true });
}

// A results CSV from a list whose cells are formulas: no downloaded cell may start one,
// except a validated number.
{
  const hostile = ['=HYPERLINK("http://evil.example/a","x")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '+1+cmd|\' /C calc\'!A0', '-2+3', '\t=1+1', '\r=1+1'];
  const rows = [{ to: '+919876543210', 1: '=1+1', 2: '@x', button_0: '-1' }, ...hostile.map((to) => ({ to, 1: to, 2: to, button_0: to }))];
  const made = await fetch(`${sandbox.url}/api/campaigns`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: '=cmd|\' /C calc\'!A0', template: { name: 'order_confirmation', language: 'en' }, rows }) }).then((r) => r.json());
  const id = made.data?.id;
  for (let i = 0; i < 120 && id; i++) {
    const c = await fetch(`${sandbox.url}/api/campaigns/${id}`, { headers: { authorization: `Bearer ${TOKEN_A}` } }).then((r) => r.json());
    if (c.data.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const text = id ? await fetch(`${sandbox.url}/api/campaigns/${id}/recipients`, { headers: { authorization: `Bearer ${TOKEN_A}`, accept: 'text/csv' } }).then((r) => r.text()) : '';
  const { default: Papa } = await import('papaparse');
  const cells = Papa.parse(text.trimEnd(), { newline: '\r\n' }).data.slice(1).flat();
  const unsafe = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^\+\d+$/.test(c));
  await run(`a results CSV of formula cells (${cells.length} cells)`, 200, async () => ({ status: id && cells.length > 50 && unsafe.length === 0 ? 200 : `unsafe: ${JSON.stringify(unsafe).slice(0, 200)}`, text: '' }), { check: true });
}

// Opt-outs: client B cannot lift client A's, nor a stop keyword's; an operator can.
{
  const h = (token) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const number = '+447911123470';
  await fetch(`${sandbox.url}/api/suppressions`, { method: 'POST', headers: h(TOKEN_A), body: JSON.stringify({ number, reason: 'asked A' }) });
  const byB = await fetch(`${sandbox.url}/api/suppressions/${encodeURIComponent(number)}`, { method: 'DELETE', headers: h(TOKEN_B) });
  const still = (await (await fetch(`${sandbox.url}/api/suppressions`, { headers: h(TOKEN_B) })).json()).data.filter((s) => s.number === number);
  await run('client B lifts client A\'s opt-out', 403, async () => ({ status: byB.status, text: await byB.text() }), { check: true, code: 'forbidden' });
  await run('and A\'s entry is intact, with its reason and who added it', 200, async () => ({ status: still.length === 1 && still[0].reason === 'asked A' && still[0].added_by === 'client:a' ? 200 : JSON.stringify(still), text: '' }), { check: true });
  const byOperator = await fetch(`${sandbox.url}/api/suppressions/${encodeURIComponent(number)}`, { method: 'DELETE', headers: h(ADMIN) });
  await run('an operator lifts it', 200, async () => ({ status: byOperator.status, text: '' }), { check: true });
}

// Incoming messages: a replayed signed body changes nothing; a timestamp a year ahead
// opens the window for 24 hours from receipt, not for a year.
{
  const stop = Buffer.from(JSON.stringify({ event: 'message.incoming', timestamp: Math.floor(Date.now() / 1000), data: { message_id: 'wamid.HOSTILE.stop', from: '+447911123471', text: 'STOP' } }));
  const hook = (b) => fetch(`${sandbox.url}/api/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-signature': sign(b) }, body: b }).then((r) => r.json());
  await hook(stop);
  await fetch(`${sandbox.url}/api/suppressions/${encodeURIComponent('+447911123471')}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
  const again = await hook(stop);
  const list = (await (await fetch(`${sandbox.url}/api/suppressions`, { headers: { authorization: `Bearer ${TOKEN_A}` } })).json()).data;
  await run('a signed STOP replayed after its opt-out was lifted', 200, async () => ({ status: again.status === 'duplicate' && !list.some((s) => s.number === '+447911123471') ? 200 : JSON.stringify(again), text: '' }), { check: true });
  const ahead = Buffer.from(JSON.stringify({ event: 'message.incoming', timestamp: Math.floor(Date.now() / 1000) + 365 * 86_400, data: { message_id: 'wamid.HOSTILE.ahead', from: '+447911123472', text: 'hi' } }));
  const a = await hook(ahead);
  const hours = (a.window_open_until_ms - Date.now()) / 3_600_000;
  await run(`a signed timestamp a year ahead: the window closes in ${hours.toFixed(1)} h`, 200, async () => ({ status: hours > 23 && hours <= 24.1 ? 200 : JSON.stringify(a), text: '' }), { check: true });
}

// Preflight, the Bearer scheme, a malformed campaign cursor, the page's headers.
{
  const pre = await fetch(`${worker.url}/api/suppressions/%2B919876543210`, { method: 'OPTIONS', headers: { origin: 'https://allowed.example', 'access-control-request-method': 'DELETE' } });
  await run('CORS preflight for lifting an opt-out names DELETE', 200, async () => ({ status: /\bDELETE\b/.test(pre.headers.get('access-control-allow-methods') ?? '') ? 200 : `${pre.status} ${pre.headers.get('access-control-allow-methods')}`, text: '' }), { check: true });
  const lower = await fetch(`${worker.url}/api/messages?limit=1`, { headers: { authorization: `bearer ${TOKEN}` } });
  await run('the bearer scheme in lower case', 200, async () => ({ status: lower.status, text: '' }), { check: true });
  const cursor = await fetch(`${worker.url}/api/campaigns?cursor=1.x`, { headers: { authorization: `Bearer ${TOKEN}` } });
  await run('a malformed campaign cursor', 400, async () => ({ status: cursor.status, text: await cursor.text() }), { check: true, code: 'invalid_cursor' });
  const page = await fetch(`${worker.url}/`);
  const csp = page.headers.get('content-security-policy') ?? '';
  await run('the page with a CSP, nosniff and no framing', 200, async () => ({ status: /frame-ancestors 'none'/.test(csp) && page.headers.get('x-content-type-options') === 'nosniff' ? 200 : csp || 'no csp', text: '' }), { check: true });
}

// A burst of wrong tokens from one address: after AUTH_FAILURES_PER_MINUTE (20) the
// address is answered 429 with a short Retry-After, a right token from it too (a right
// guess gains nothing), while another address is served.
{
  const from = (ip, token) => fetch(`${sandbox.url}/api/messages?limit=1`, { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip } });
  const answers = [];
  for (let i = 0; i < 21; i++) answers.push((await from('203.0.113.7', `guess-${i}`)).status);
  const held = await from('203.0.113.7', TOKEN_A);
  const retry = Number(held.headers.get('retry-after'));
  await run(`21 wrong tokens from one address: 20 × 401, then 429 (Retry-After ${retry} s), the right token too`, 200, async () => ({
    status: answers.slice(0, 20).every((a) => a === 401) && answers[20] === 429 && held.status === 429 && retry >= 1 && retry <= 60 ? 200 : `${answers.join(',')} then ${held.status}`, text: '' }), { check: true });
  const other = await from('198.51.100.9', TOKEN_A);
  await run('meanwhile, the right token from another address', 200, async () => ({ status: other.status, text: '' }), { check: true });
}

// The page and the docs the Worker serves.
for (const path of ['/', '/app.js', '/style.css', '/api/health', '/api/templates']) {
  await run(`GET ${path}`, 200, () => raw(`GET ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\nconnection: close\r\n\r\n`));
}
await run('a normal send after everything', 200, () => post('/api/messages/send', TEXT));
const logs = worker.logs();
const sandboxLogs = sandbox.logs();
await worker.stop();
await sandbox.stop();
await provider.close();

const leak = (s) => s.includes(KEY) || s.includes(KEY.slice(8, 28));
const failures = [];
for (const r of results) {
  if (leak(r.text)) failures.push(`${r.name}: the key is in the answer`);
  // The Worker's own answer when it logged one, else what reached the socket.
  r.answer = r.worker?.length === 1 ? r.worker[0] : (r.status ?? r.why);
  r.by = r.worker?.length === 1 ? 'worker' : 'server';
  if (![r.expect].flat().includes(r.answer)) failures.push(`${r.name}: ${r.answer}, expected ${r.expect}`);
  // (Only when the Worker's answer reached the socket: the dev server in front of it may
  // reset, or answer for itself, a connection whose client still sends.)
  if (r.want && r.status === r.answer && !r.text.includes(`"code":"${r.want}"`)) failures.push(`${r.name}: not ${r.want}: ${r.text.slice(-200)}`);
  // 501 for an unknown method is the HTTP server's answer (RFC 9110 §9.1), before the Worker.
  if (r.answer >= 500 && r.answer !== 501) failures.push(`${r.name}: ${r.answer}`);
  if (r.by === 'worker' && r.status !== r.answer) r.socket = r.status ?? r.why;
  if (r.why === 'timeout') failures.push(`${r.name}: no answer in time`);
  // An answer from the Worker itself is a JSON error with a message.
  // A body cut short is the transport's doing, not the Worker's: a server that
  // answers 413 while the client still sends may have its connection reset
  // before the client reads the whole answer (the Worker's log has its answer).
  const [head = '', body = ''] = (r.text ?? '').split('\r\n\r\n');
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
  const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
  const truncated = chunked ? !body.endsWith('0\r\n\r\n') : Buffer.byteLength(body) < length;
  if (truncated) r.socket = `${r.status}, answer cut short`;
  else if (r.status >= 400 && /\r\ncontent-type: application\/json/i.test(head) && !/"status":"error"/.test(body)) failures.push(`${r.name}: a JSON answer that is not an error body`);
}
if (leak(logs)) failures.push('the key is in the dev server log');
// A crash of the WebAssembly instance is logged by workerd even when every answer looked fine.
for (const [which, text] of [['upstream', logs], ['sandbox', sandboxLogs]]) {
  for (const sign_ of ['RuntimeError', 'Reinitializing Wasm', 'previous WASM instance', 'panicked at']) {
    if (text.includes(sign_)) failures.push(`the ${which} worker logged ${sign_}`);
  }
}
const accepted = results.filter((r) => r.status === 200 && !r.check && !r.name.startsWith('GET ') && !r.name.startsWith('a normal send') && !r.name.startsWith('a send by another client')).map((r) => r.name);
finish('hostile', {
  cases: results.length,
  answers: count(results, (r) => String(r.answer)),
  results: results.map((r) => ({ case: r.name, expected: r.expect, answer: r.answer, by: r.by, ...(r.socket ? { socket: r.socket } : {}), ms: r.ms, code: /"code":"([a-z_]+)"/.exec(r.text)?.[1] })),
  accepted_as_valid: accepted,
  upstream_sends: provider.sends().length,
  key_leaks: failures.filter((f) => /key is in/.test(f)).length,
}, failures);
