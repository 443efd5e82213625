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
  UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: `h:${TOKEN}`, WEBHOOK_SECRET: SECRET, UPSTREAM_TIMEOUT_MS: '2000',
});
const { hostname, port } = new URL(worker.url);

/** Writes `head` and `body` (in `chunks` pieces, `gapMs` apart) to a fresh socket; resolves to the raw answer. */
function raw(head, body = Buffer.alloc(0), { chunks = 1, gapMs = 0, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: hostname, port: Number(port) });
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
function post(path, body, headers = {}) {
  const h = { host: `${hostname}:${port}`, 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': body.length, connection: 'close', ...headers };
  const lines = Object.entries(h).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return raw(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, body);
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
const workerAnswers = (from) => [...worker.logs().slice(from).matchAll(/^(\d{3}) \/\S* \d+ms$/gm)].map((m) => Number(m[1]));
const results = [];
async function run(name, expect, go) {
  const mark = worker.logs().length;
  const r = await go();
  await new Promise((res) => setTimeout(res, 60));
  results.push({ name, expect, ...r, worker: workerAnswers(mark) });
}
// The quick run (CI) leaves out the two slow bodies; the truncated body still waits the Worker's 10 s.
for (const [name, expect, go] of cases) if (!(quick && name.startsWith('slow body'))) await run(name, expect, go);
// Slowloris beside a normal client: 100 connections dribbling headers, and a normal send still answered.
const dribblers = Array.from({ length: 100 }, () => raw(`POST /api/messages/send HTTP/1.1\r\nhost: x\r\n`, Buffer.from('x-slow: 1\r\n'.repeat(20)), { chunks: 20, gapMs: quick ? 150 : 500, timeoutMs: 15_000 }));
await new Promise((r) => setTimeout(r, 1000));
await run('a normal send while 100 connections dribble headers', 200, () => post('/api/messages/send', TEXT));
await Promise.all(dribblers);

// The page and the docs the Worker serves.
for (const path of ['/', '/app.js', '/style.css', '/api/health', '/api/templates']) {
  await run(`GET ${path}`, 200, () => raw(`GET ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\nconnection: close\r\n\r\n`));
}
await run('a normal send after everything', 200, () => post('/api/messages/send', TEXT));
const logs = worker.logs();
await worker.stop();
await provider.close();

const leak = (s) => s.includes(KEY) || s.includes(KEY.slice(8, 28));
const failures = [];
for (const r of results) {
  if (leak(r.text)) failures.push(`${r.name}: the key is in the answer`);
  // The Worker's own answer when it logged one, else what reached the socket.
  r.answer = r.worker?.length === 1 ? r.worker[0] : (r.status ?? r.why);
  r.by = r.worker?.length === 1 ? 'worker' : 'server';
  if (![r.expect].flat().includes(r.answer)) failures.push(`${r.name}: ${r.answer}, expected ${r.expect}`);
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
const accepted = results.filter((r) => r.status === 200 && !r.name.startsWith('GET ') && !r.name.startsWith('a normal send')).map((r) => r.name);
finish('hostile', {
  cases: results.length,
  answers: count(results, (r) => String(r.answer)),
  results: results.map((r) => ({ case: r.name, expected: r.expect, answer: r.answer, by: r.by, ...(r.socket ? { socket: r.socket } : {}), ms: r.ms, code: /"code":"([a-z_]+)"/.exec(r.text)?.[1] })),
  accepted_as_valid: accepted,
  upstream_sends: provider.sends().length,
  key_leaks: failures.filter((f) => /key is in/.test(f)).length,
}, failures);
