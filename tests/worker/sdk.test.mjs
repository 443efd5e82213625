// Real clients written for Meta, unchanged but for where they send: whatsapp-api-js
// 6.x (npm; its documented `ponyfill.fetch`) and pywa (PyPI; its documented
// `session=` httpx client), against the Worker's Meta-compatible ingress over the
// Meta sandbox under wrangler dev. Each sends text, a template with parameters,
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

const TOKEN = 'sdk-client-token-0123456789';
const PN = '106540352242922';
const WABA = '102290129340398';
const TO = '919876543219';

let worker;

before(async () => {
  worker = await startWorker({ UPSTREAM_DIALECT: 'meta', META_PHONE_NUMBER_ID: PN, META_WABA_ID: WABA, CLIENT_TOKENS: `sdk:${TOKEN}`, PAIR_MIN_INTERVAL_MS: '0' });
  // The customer wrote first: their 24-hour window is open for free-form messages.
  const r = await fetch(`${worker.url}/api/sandbox/inbound`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: `+${TO}`, text: 'hi' }) });
  assert.equal(r.status, 200);
});

after(async () => {
  await worker?.stop();
});

test('whatsapp-api-js 6.x, its fetch pointed at the Worker: every kind sends, a bad payload is Meta\'s error', async () => {
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
});

test('pywa, its httpx session pointed at the Worker: every kind sends, templates list, a bad payload is pywa\'s own InvalidParameter', async () => {
  const python = join(root, '.venv', 'bin', 'python');
  const { stdout } = await promisify(execFile)(python, [join(root, 'tests', 'sdk', 'pywa_app.py'), worker.url, TOKEN, PN, WABA, TO], { timeout: 120_000 });
  const seen = JSON.parse(stdout.trim().split('\n').at(-1));
  for (const kind of ['text', 'template', 'buttons', 'list', 'image', 'reaction']) assert.match(seen[kind], /^wamid\./, `${kind}: ${stdout}`);
  assert.equal(seen.read, true);
  assert.deepEqual(seen.templates, repositoryTemplates().map((t) => `${t.name}/${t.language}`).sort());
  assert.deepEqual(seen.bad, { type: 'InvalidParameter', code: 131009 });
});
