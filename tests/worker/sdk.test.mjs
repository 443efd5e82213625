// Real clients written for Meta, unchanged but for where they send: whatsapp-api-js
// 6.x (npm; its documented `ponyfill.fetch`) and pywa (PyPI; its documented
// `session=` httpx client), against the Worker's Meta-compatible ingress under
// wrangler dev, over the Meta sandbox and over a fake Graph API upstream (the
// Meta dialect with a token). Each sends text, a template with parameters,
// reply buttons, a list, media by link and a reaction and gets ids its own types
// accept; a bad payload is Meta's error in the SDK's own shape, with Meta's code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { Text, Template, Language, BodyComponent, BodyParameter, Interactive, ActionButtons, Button, Body, ActionList, ListSection, Row, Image, Reaction } from 'whatsapp-api-js/messages';
import { startWorker, repositoryTemplates, root } from './harness.mjs';
import { fakeGraph } from './fake-graph.mjs';

const TOKEN = 'sdk-client-token-0123456789';
const PN = '106540352242922';
const WABA = '102290129340398';
const TO = '919876543219';

const ACCESS_TOKEN = 'EAAG-sdk-access-token-2b7d90';
let sandbox;
let upstream;
let graph;

before(async () => {
  graph = await fakeGraph({ token: ACCESS_TOKEN, templates: repositoryTemplates() });
  const vars = { UPSTREAM_DIALECT: 'meta', META_PHONE_NUMBER_ID: PN, META_WABA_ID: WABA, CLIENT_TOKENS: `sdk:${TOKEN}`, PAIR_MIN_INTERVAL_MS: '0' };
  [sandbox, upstream] = await Promise.all([
    startWorker(vars),
    startWorker({ ...vars, UPSTREAM_URL: graph.url, UPSTREAM_API_KEY: ACCESS_TOKEN }),
  ]);
  // The customer wrote first: their 24-hour window is open for free-form messages.
  const r = await fetch(`${sandbox.url}/api/sandbox/inbound`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: `+${TO}`, text: 'hi' }) });
  assert.equal(r.status, 200);
});

after(async () => {
  await Promise.all([sandbox?.stop(), upstream?.stop()]);
  await graph?.close();
});

async function whatsappApiJs(worker) {
  const seen = [];
  const Whatsapp = new WhatsAppAPI({
    token: TOKEN,
    secure: false,
    ponyfill: { fetch: (url, init) => { seen.push(String(url)); return fetch(String(url).replace('https://graph.facebook.com', worker.url), init); } },
  });
  const sends = {
    text: new Text('Hello from whatsapp-api-js'),
    template: new Template('delivery_update', new Language('en'), new BodyComponent(new BodyParameter('Ana', 'first_name'), new BodyParameter('A-17', 'order_id'), new BodyParameter('Monday', 'delivery_date'))),
    buttons: new Interactive(new ActionButtons(new Button('sales', 'Sales'), new Button('support', 'Support')), new Body('How can we help?')),
    list: new Interactive(new ActionList('Options', new ListSection('Sizes', new Row('s', 'Small'), new Row('l', 'Large'))), new Body('Pick one')),
    image: new Image('https://example.com/product.jpg', false, 'New'),
  };
  const ids = {};
  for (const [kind, message] of Object.entries(sends)) {
    const r = await Whatsapp.sendMessage(PN, TO, message);
    assert.ok(!('error' in r), `${kind}: ${JSON.stringify(r)}`);
    assert.equal(r.messaging_product, 'whatsapp');
    assert.equal(r.contacts[0].wa_id, TO);
    assert.match(r.messages[0].id, /^wamid\./, kind);
    ids[kind] = r.messages[0].id;
  }
  const reaction = await Whatsapp.sendMessage(PN, TO, new Reaction(ids.text, '👍'));
  assert.match(reaction.messages?.[0]?.id ?? '', /^wamid\./, JSON.stringify(reaction));
  const read = await Whatsapp.markAsRead(PN, ids.text);
  assert.deepEqual(read, { success: true });
  // What the SDK does not check itself: a media link that is no https URL.
  const bad = await Whatsapp.sendMessage(PN, TO, new Image('ftp://example.com/product.jpg'));
  assert.equal(bad.error?.code, 131009, JSON.stringify(bad));
  assert.deepEqual(bad.wasend.errors.map((e) => e.path), ['/image/link']);
  assert.equal(bad.error.error_data.messaging_product, 'whatsapp');
  assert.ok(seen.every((u) => u.startsWith(`https://graph.facebook.com/`)), 'the app addressed Meta, as written');
}

test('whatsapp-api-js 6.x, its fetch pointed at the Worker over the Meta sandbox: every kind sends, a bad payload is Meta\'s error', async () => {
  await whatsappApiJs(sandbox);
  // Media is Meta's own: the sandbox has none to give, and says so in Meta's shape.
  const upload = await fetch(`${sandbox.url}/v26.0/${PN}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: new FormData() });
  assert.equal(upload.status, 501);
  assert.equal((await upload.json()).error.code, 100);
});

test('whatsapp-api-js 6.x over a fake Graph API upstream: the same, each send reaching it as the SDK wrote it, with Meta\'s token', async () => {
  graph.reset();
  await whatsappApiJs(upstream);
  const sends = graph.sends();
  assert.equal(sends.length, 6);
  assert.ok(sends.every((s) => s.headers.authorization === `Bearer ${ACCESS_TOKEN}`));
  assert.deepEqual(sends.map((s) => s.json.type), ['text', 'template', 'interactive', 'interactive', 'image', 'reaction']);
  assert.equal(graph.reads().length, 1);
});

for (const [target, worker] of [['the Meta sandbox', () => sandbox], ['a fake Graph API upstream', () => upstream]]) {
  test(`pywa, its httpx session pointed at the Worker over ${target}: every kind sends, templates list, a bad payload is pywa's own InvalidParameter`, async () => {
    await pywa(worker());
  });
}

async function pywa(worker) {
  const python = join(root, '.venv', 'bin', 'python');
  const { stdout } = await promisify(execFile)(python, [join(root, 'tests', 'sdk', 'pywa_app.py'), worker.url, TOKEN, PN, WABA, TO], { timeout: 120_000 });
  const seen = JSON.parse(stdout.trim().split('\n').at(-1));
  for (const kind of ['text', 'template', 'buttons', 'list', 'image', 'reaction']) assert.match(seen[kind], /^wamid\./, `${kind}: ${stdout}`);
  assert.equal(seen.read, true);
  assert.deepEqual(seen.templates, repositoryTemplates().map((t) => `${t.name}/${t.language}`).sort());
  assert.deepEqual(seen.bad, { type: 'InvalidParameter', code: 131009 });
}
