// The Meta-compatible ingress under real workerd: Meta's Graph paths answered by
// wasend. Every vector payload's Meta twin, posted as an app on a Meta SDK posts
// it, gets the verdict and the normalized send its wasend twin gets (the fake
// Graph API upstream receives the very same Meta body); refusals come back as
// Meta's error objects with the Meta code that means the same thing; the
// templates list pages as Graph's; nothing reaches an upstream without a client
// token, and Meta's token is in no answer.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, repositoryTemplates, goldenTwins } from './harness.mjs';
import { fakeGraph, metaError } from './fake-graph.mjs';

const ACCESS_TOKEN = 'EAAG-ingress-access-token-91ac3f';
const TOKEN = 'ingress-client-token-0123456789';
const PN = '106540352242922';
const WABA = '102290129340398';
const V = 'v26.0';

const all = goldenTwins();
const accounts = [...new Set(all.map((t) => t.account).filter(Boolean))];
const idOf = (account) => (account ? `20000000000000${accounts.indexOf(account) + 1}` : PN);

let graph;
let worker;
const answers = [];

async function graphCall(path, { method = 'POST', body, token = TOKEN, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(`${worker.url}${path}`, { method, headers: h, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await r.text();
  const out = { status: r.status, headers: Object.fromEntries(r.headers), text, json: JSON.parse(text) };
  answers.push(out);
  return out;
}

before(async () => {
  graph = await fakeGraph({ token: ACCESS_TOKEN, templates: repositoryTemplates() });
  worker = await startWorker({
    UPSTREAM_DIALECT: 'meta', UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS_TOKEN,
    META_PHONE_NUMBER_ID: PN, META_WABA_ID: WABA, META_API_VERSION: V,
    META_PHONE_NUMBER_IDS: accounts.map((a) => `${a}:${idOf(a)}`).join(','),
    CLIENT_TOKENS: `app:${TOKEN}`, RATE_PER_SECOND: '100000', RATE_PER_MINUTE: '1000000', PAIR_MIN_INTERVAL_MS: '0',
  });
});

after(async () => {
  await worker?.stop();
  await graph?.close();
});

beforeEach(() => graph.reset());

test('every vector\'s Meta twin, posted to Meta\'s path, is sent as the very same Meta body from its phone number', async () => {
  assert.ok(all.length > 200, `${all.length}`);
  let i = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (i < all.length) {
      const t = all[i++];
      const r = await graphCall(`/${V}/${idOf(t.account)}/messages`, { body: t.body });
      assert.equal(r.status, 200, `${t.name}: ${r.text}`);
      assert.equal(r.json.messaging_product, 'whatsapp');
      assert.equal(r.json.contacts[0].input, t.body.to, t.name);
      assert.match(r.json.contacts[0].wa_id, /^\d+$/);
      assert.match(r.json.messages[0].id, /^wamid\.GRAPH\d+$/);
    }
  }));
  const got = new Set(graph.sends().map((s) => `${s.phoneNumberId} ${s.body}`));
  for (const t of all) assert.ok(got.has(`${idOf(t.account)} ${JSON.stringify(t.body)}`), `${t.name}: not sent as it came`);
  assert.equal(graph.sends().length, all.length);
});

test('unversioned paths, as some SDKs send them, and Idempotency-Key', async () => {
  const body = { messaging_product: 'whatsapp', to: '919876543210', type: 'text', text: { body: 'unversioned' } };
  const key = `ingress-${Date.now()}`;
  const a = await graphCall(`/${PN}/messages`, { body, headers: { 'idempotency-key': key } });
  assert.equal(a.status, 200, a.text);
  const b = await graphCall(`/${PN}/messages`, { body, headers: { 'idempotency-key': key } });
  assert.equal(b.status, 200);
  assert.deepEqual(b.json, a.json);
  assert.equal(b.headers['idempotent-replayed'], 'true');
  assert.equal(graph.sends().length, 1);
  assert.equal(graph.sends()[0].path, `/${V}/${PN}/messages`);
});

test('an invalid payload is Meta\'s 131009 or 131008, each error at its path in the caller\'s own format, the full list under wasend', async () => {
  const long = await graphCall(`/${V}/${PN}/messages`, { body: { messaging_product: 'whatsapp', to: '919876543210', type: 'text', text: { body: 'x'.repeat(4097) } } });
  assert.equal(long.status, 400, long.text);
  assert.equal(long.json.error.code, 131009);
  assert.equal(long.json.error.type, 'OAuthException');
  assert.match(long.json.error.message, /^\(#131009\)/);
  assert.equal(long.json.error.error_data.messaging_product, 'whatsapp');
  assert.match(long.json.error.error_data.details, /\/text\/body/);
  assert.match(long.json.error.fbtrace_id, /^A[\w-]{22}$/);
  assert.deepEqual(long.json.wasend.errors.map((e) => [e.code, e.path]), [['too_long', '/text/body']]);
  const link = await graphCall(`/${V}/${PN}/messages`, { body: { messaging_product: 'whatsapp', to: '919876543210', type: 'image', image: { link: 'ftp://example.com/a.jpg' } } });
  assert.equal(link.status, 400);
  assert.deepEqual(link.json.wasend.errors.map((e) => e.path), ['/image/link']);
  const missing = await graphCall(`/${V}/${PN}/messages`, { body: { messaging_product: 'whatsapp', type: 'text', text: { body: 'no one' } } });
  assert.equal(missing.json.error.code, 131008);
  const notJson = await graphCall(`/${V}/${PN}/messages`, { body: '{"to":' });
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.error.code, 100);
  assert.notEqual(long.json.error.fbtrace_id, missing.json.error.fbtrace_id);
  assert.equal(graph.sends().length, 0);
});

test('refusals in Meta\'s codes: no token 190, an unknown phone number id 100/33, a template the WABA lacks 132001, Meta\'s own code passed on', async () => {
  const body = { messaging_product: 'whatsapp', to: '919876543210', type: 'text', text: { body: 'hi' } };
  for (const token of [null, 'wrong-token']) {
    const r = await graphCall(`/${V}/${PN}/messages`, { body, token });
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.error.code, 190);
    assert.match(r.headers['www-authenticate'], /invalid_token/);
  }
  const unknown = await graphCall(`/${V}/999999999/messages`, { body });
  assert.equal(unknown.status, 404, unknown.text);
  assert.deepEqual([unknown.json.error.code, unknown.json.error.error_subcode, unknown.json.error.type], [100, 33, 'GraphMethodException']);
  const template = await graphCall(`/${V}/${PN}/messages`, { body: { messaging_product: 'whatsapp', to: '919876543210', type: 'template', template: { name: 'not_on_the_waba', language: { code: 'en_US' } } } });
  assert.equal(template.status, 404, template.text);
  assert.equal(template.json.error.code, 132001);
  assert.equal(graph.sends().length, 0, 'nothing reached meta');
  graph.next(metaError(131047, { subcode: 2494010 }));
  const outside = await graphCall(`/${V}/${PN}/messages`, { body });
  assert.equal(outside.status, 400, outside.text);
  assert.deepEqual([outside.json.error.code, outside.json.error.error_subcode], [131047, 2494010]);
  assert.match(outside.json.error.message, /^\(#131047\) Re-engagement message/);
  graph.next(metaError(190, { status: 401 }));
  const ours = await graphCall(`/${V}/${PN}/messages`, { body });
  assert.equal(ours.status, 403, 'meta refusing our token is not the caller\'s 190');
  assert.equal(ours.json.error.code, 10);
});

test('the templates list pages as Graph\'s, from the approved templates in force', async () => {
  const names = [];
  let path = `/${V}/${WABA}/message_templates?limit=5&fields=name,language,status`;
  let pages = 0;
  for (;;) {
    const r = await graphCall(path, { method: 'GET' });
    assert.equal(r.status, 200, r.text);
    pages++;
    names.push(...r.json.data.map((t) => `${t.name}/${t.language}`));
    assert.ok(r.json.paging.cursors.after !== undefined);
    if (!r.json.paging.next) break;
    const next = new URL(r.json.paging.next);
    path = `${next.pathname}${next.search}`;
  }
  const expected = repositoryTemplates().map((t) => `${t.name}/${t.language}`).sort();
  assert.deepEqual(names.sort(), expected);
  assert.equal(pages, Math.ceil(expected.length / 5));
  const other = await graphCall(`/${V}/1234/message_templates`, { method: 'GET' });
  assert.equal(other.status, 404);
  assert.equal(other.json.error.code, 100);
});

test('mark as read and media are passed to Meta with the token added; any other path is Graph\'s 404, never relayed', async () => {
  const read = await graphCall(`/${V}/${PN}/messages`, { body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN123' } });
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json, { success: true });
  assert.equal(graph.reads().length, 1);
  assert.equal(graph.reads()[0].headers.authorization, `Bearer ${ACCESS_TOKEN}`);
  // A media upload, multipart as SDKs send it, streamed through.
  const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', 'image/jpeg');
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'product.jpg');
  const up = await fetch(`${worker.url}/${V}/${PN}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
  const uploaded = await up.json();
  assert.equal(up.status, 200, JSON.stringify(uploaded));
  assert.match(uploaded.id, /^\d+$/);
  const relayed = graph.seen.find((s) => s.path === `/${V}/${PN}/media`);
  assert.equal(relayed.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
  assert.match(relayed.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.ok(relayed.raw.includes(Buffer.from(bytes)), 'the file did not arrive whole');
  const info = await graphCall(`/${V}/${uploaded.id}`, { method: 'GET' });
  assert.equal(info.status, 200, info.text);
  assert.equal(info.json.id, uploaded.id);
  assert.ok(info.json.file_size > 300_000);
  const gone = await graphCall(`/${uploaded.id}`, { method: 'DELETE' });
  assert.deepEqual(gone.json, { success: true });
  const otherNumber = await graphCall(`/${V}/999999999/media`, { body: {} });
  assert.equal(otherNumber.status, 404);
  const noToken = await graphCall(`/${V}/${uploaded.id}`, { method: 'GET', token: null });
  assert.equal(noToken.status, 401);
  const before = graph.seen.length;
  for (const [method, path] of [['GET', `/${V}/${PN}/phone_numbers`], ['POST', `/${V}/${WABA}/subscribed_apps`], ['GET', `/${V}/me`],
    ['GET', `/${V}/%C2%84/message_templates`], ['GET', `/${V}/waba/message_templates`], ['POST', `/${V}/pn/messages`]]) {
    const r = await graphCall(path, { method });
    assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    assert.equal(r.json.error.code, 100);
  }
  // An edge it serves, with a method it does not serve there (QUERY included, which
  // the runtime's binding would read as GET): 405 with Allow, Meta's code 100.
  for (const [method, path, allow] of [['DELETE', `/${V}/${PN}/messages`, 'POST'], ['GET', `/${PN}/messages`, 'POST'],
    ['QUERY', `/${V}/${WABA}/message_templates`, 'GET'], ['POST', `/${V}/${WABA}/message_templates`, 'GET'], ['PUT', `/${V}/${uploaded.id}`, 'GET, DELETE']]) {
    const r = await graphCall(path, { method });
    assert.equal(r.status, 405, `${method} ${path}: ${r.text}`);
    assert.equal(r.headers.allow, allow, `${method} ${path}`);
    assert.equal(r.json.error.code, 100);
    assert.equal(r.json.wasend.code, 'method_not_allowed');
  }
  assert.equal(graph.seen.length, before, 'something was relayed');
  // The page is still the page.
  assert.equal((await fetch(`${worker.url}/`)).status, 200);
});

test('meta\'s access token is in no answer of the ingress', () => {
  assert.ok(answers.length > 100);
  for (const a of answers) {
    assert.ok(!a.text.includes(ACCESS_TOKEN), a.text);
    assert.ok(!JSON.stringify(a.headers).includes(ACCESS_TOKEN));
  }
  assert.ok(!worker.logs().includes(ACCESS_TOKEN));
});
