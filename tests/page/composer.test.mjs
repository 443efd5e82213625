// The composer page end to end: real headless Chromium (playwright-core, Debian's
// chromium) against the Worker in sandbox mode under wrangler dev. Screenshots of
// the main states go to test-artifacts/composer/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, screenshots } from './chromium.mjs';
import { startWorker, repositoryTemplates } from '../worker/harness.mjs';
import { templateFields } from 'wasend';

const TOKEN = 'composer-token-0123456789';
const shots = screenshots('composer');
let worker;
let browser;
const problems = [];

before(async () => {
  worker = await startWorker({ CLIENT_TOKENS: `page:${TOKEN}` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

/** `expected`: console messages the test provokes on purpose (a refused send's 400). */
async function open({ width = 1280, token = true, base = worker.url, expected = [] } = {}) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !expected.some((e) => e.test(m.text()))) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.querySelector('#region option'));
  if (token) {
    await page.fill('#token', TOKEN);
    await page.click('#token-save');
    await page.waitForFunction(() => /approved templates loaded/.test(document.querySelector('#token-hint').textContent));
  }
  return page;
}
const at = (path) => `[data-path="${path}"]`;
const msgAt = (page, path) => page.locator(`[data-field="${path}"] > .msg`).innerText();
const summary = (page) => page.innerText('#summary');

test('the page and everything it loads come with the security headers, and work under them (no console error in any test)', async () => {
  for (const path of ['/', '/app.js', '/campaigns.js', '/campaign-worker.js', '/style.css', '/wasend/wasend_bg.wasm']) {
    const r = await fetch(`${worker.url}${path}`);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, path);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
  }
  const api = await fetch(`${worker.url}/api/health`);
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
});

test('the empty page', async () => {
  const page = await open({ token: false });
  await page.screenshot({ path: join(shots, '1-empty.png'), fullPage: true });
  assert.match(await summary(page), /error/);
  assert.equal(await page.isDisabled('#send'), true);
  for (const id of await page.$$eval('input, select, textarea', (els) => els.filter((e) => !e.hidden && e.type !== 'hidden').map((e) => e.id))) {
    assert.ok(await page.$(`label[for="${id}"]`), `a label for #${id}`);
  }
  await page.close();
});

test('every type can be composed to valid and sent', async () => {
  const page = await open();
  await page.fill(at('/to'), '+91 98765 43210');
  await page.click('#inbound');
  await page.waitForFunction(() => /window is open/.test(document.querySelector('#result').textContent));
  const sent = new Set();
  const ready = async (what) => {
    assert.equal(await summary(page), 'Ready to send.', `${what}: ${await summary(page)}`);
    await page.click('#send');
    await page.waitForFunction(() => /^(Sent|Not sent)/.test(document.querySelector('#result').textContent));
    const result = await page.innerText('#result');
    assert.match(result, /^Sent: wamid\./, `${what}: ${result}`);
    sent.add(result);
  };
  await page.fill(at('/text'), 'Hello! Your order has been shipped.');
  await ready('text');
  for (const kind of ['image', 'video', 'document', 'audio', 'sticker']) {
    await page.selectOption('#f-type', kind);
    const ext = { image: 'jpg', video: 'mp4', document: 'pdf', audio: 'mp3', sticker: 'webp' }[kind];
    await page.fill(at(`/${kind}/url`), `https://example.com/file.${ext}`);
    if (['image', 'video', 'document'].includes(kind)) await page.fill(at(`/${kind}/caption`), 'A caption');
    if (kind === 'document') await page.fill(at('/document/filename'), 'invoice.pdf');
    await ready(kind);
  }
  await page.selectOption('#f-type', 'interactive');
  await page.fill(at('/interactive/body/text'), 'How can we help?');
  await page.fill(at('/interactive/action/buttons/0/reply/title'), 'Sales');
  await page.click('text=Add a button');
  await page.fill(at('/interactive/action/buttons/1/reply/title'), 'Support');
  await ready('reply buttons');
  assert.deepEqual(await page.$$eval('#bubble .btns div', (d) => d.map((x) => x.textContent)), ['Sales', 'Support']);
  await page.selectOption('select:near(:text("Interactive type"))', 'list');
  await page.fill(at('/interactive/body/text'), 'Pick a slot');
  await page.fill(at('/interactive/action/button'), 'View slots');
  await page.fill(at('/interactive/action/sections/0/rows/0/title'), '9:00');
  await page.click('text=Add a row to section 1');
  await page.fill(at('/interactive/action/sections/0/rows/1/title'), '10:00');
  await ready('list');
  assert.match(await page.innerText('[data-field="/interactive/action/sections"] > legend'), /rows: 2\/10 in total/);
  await page.selectOption('select:near(:text("Interactive type"))', 'cta_url');
  await page.fill(at('/interactive/body/text'), 'See the menu');
  await page.fill(at('/interactive/action/parameters/display_text'), 'Open menu');
  await page.fill(at('/interactive/action/parameters/url'), 'https://example.com/menu');
  await ready('cta_url');
  await page.selectOption('#f-type', 'location');
  await page.fill(at('/location/latitude'), '+19.076');
  await page.fill(at('/location/longitude'), '72.8777');
  await page.fill(at('/location/name'), 'Office');
  // The page sends coordinates as typed and the core reads them strictly: a sign is refused at the field.
  assert.match(await page.innerText('[data-field="/location/latitude"] .msg'), /not a decimal number/);
  assert.equal(await page.isDisabled('#send'), true);
  await page.fill(at('/location/latitude'), '19.076');
  await ready('location');
  assert.equal(JSON.parse(await page.inputValue('#json')).location.latitude, '19.076');
  await page.selectOption('#f-type', 'template');
  await page.selectOption('select:near(:text("Approved template"))', { label: 'order_confirmation (en)' });
  await page.fill(at('/template/components/0/parameters/0/text'), 'John');
  await page.fill(at('/template/components/0/parameters/1/text'), 'ORD-789');
  await page.fill(at('/template/components/1/parameters/0/text'), 'ORD-789');
  await ready('template');
  assert.equal(await page.innerText('#bubble .body'), 'Hi John, your order ORD-789 has been confirmed and will ship soon.');
  await page.screenshot({ path: join(shots, '3-template-preview.png'), fullPage: true });
  await page.selectOption('#f-type', 'contacts');
  await page.fill(at('/contacts/0/name/formatted_name'), 'Ana Silva');
  await page.fill(at('/contacts/0/phones/0/phone'), '+55 11 96123 4567');
  await page.fill(at('/contacts/0/phones/0/phone'), '');
  assert.deepEqual(JSON.parse(await page.inputValue('#json')).contacts, [{ name: { formatted_name: 'Ana Silva' } }], 'an emptied phone leaves no `phones: [{}]` behind');
  await page.fill(at('/contacts/0/phones/0/phone'), '+5511961234567');
  await page.click('text=Add a contact');
  await page.fill(at('/contacts/1/name/formatted_name'), 'Support desk');
  await page.fill(at('/contacts/1/emails/0/email'), 'help@example.com');
  assert.deepEqual(JSON.parse(await page.inputValue('#json')).contacts, [
    { name: { formatted_name: 'Ana Silva' }, phones: [{ phone: '+5511961234567' }] },
    { name: { formatted_name: 'Support desk' }, emails: [{ email: 'help@example.com' }] },
  ]);
  await page.screenshot({ path: join(shots, '6-contacts.png'), fullPage: true });
  await ready('contacts');
  // A reaction starts from the recent list: the message's own id and recipient.
  await page.waitForFunction(() => document.querySelector('#recent button'));
  await page.click('#recent button >> nth=0');
  assert.equal(await page.inputValue('#f-type'), 'reaction');
  assert.match(await page.inputValue(at('/reaction/message_id')), /^wamid\./);
  await page.fill(at('/reaction/emoji'), 'ab');
  assert.match(await msgAt(page, '/reaction/emoji'), /not a single emoji/);
  assert.equal(await page.isDisabled('#send'), true);
  await page.click('[aria-label="React with ❤️"]');
  assert.equal(JSON.parse(await page.inputValue('#json')).reaction.emoji, '❤️');
  assert.match(await page.innerText('#bubble .body'), /^❤️ on wamid\./);
  await page.screenshot({ path: join(shots, '7-reaction.png'), fullPage: true });
  await ready('reaction');
  assert.equal(sent.size, 13, 'one distinct message id per type');
  await page.close();
});

test('a 21-char button title shows too_long at that field and disables send', async () => {
  const page = await open();
  await page.fill(at('/to'), '+919876543210');
  await page.selectOption('#f-type', 'interactive');
  await page.fill(at('/interactive/body/text'), 'How can we help?');
  await page.fill(at('/interactive/action/buttons/0/reply/title'), 'x'.repeat(21));
  assert.equal(await msgAt(page, '/interactive/action/buttons/0/reply/title'), 'button title is 21 chars; the limit is 20');
  assert.equal(await page.getAttribute(at('/interactive/action/buttons/0/reply/title'), 'aria-invalid'), 'true');
  assert.equal(await page.innerText('[data-field="/interactive/action/buttons/0/reply/title"] .count'), '21/20');
  assert.equal(await page.isDisabled('#send'), true);
  await page.screenshot({ path: join(shots, '2-field-error.png'), fullPage: true });
  await page.fill(at('/interactive/action/buttons/0/reply/title'), 'x'.repeat(20));
  assert.equal(await page.isDisabled('#send'), false);
  await page.close();
});

test('a template with a missing parameter shows the error at its input', async () => {
  const page = await open();
  await page.selectOption('#f-type', 'template');
  await page.selectOption('select:near(:text("Approved template"))', { label: 'order_confirmation (en)' });
  const json = { to: '+919876543210', type: 'template', template: { name: 'order_confirmation', language: 'en', components: [
    { type: 'body', parameters: [{ type: 'text', text: 'John' }] },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ORD-789' }] }] } };
  await page.fill('#json', JSON.stringify(json));
  await page.waitForFunction(() => document.querySelector('#json-msg').textContent === 'Form filled from the JSON.');
  // The JSON's values went into the core's inputs; the one it lacks is empty at its field.
  assert.equal(await page.inputValue(at('/template/components/0/parameters/0/text')), 'John');
  assert.match(await msgAt(page, '/template/components/0/parameters/1/text'), /empty/);
  assert.equal(await page.isDisabled('#send'), true);
  await page.close();
});

test('pasting JSON fills the form', async () => {
  const page = await open();
  const json = { to: '+447911123456', type: 'image', image: { url: 'https://example.com/product.jpg', caption: 'Check out our new product!' } };
  await page.fill('#json', JSON.stringify(json, null, 2));
  await page.waitForFunction(() => document.querySelector('#json-msg').textContent === 'Form filled from the JSON.');
  assert.equal(await page.inputValue('#f-type'), 'image');
  assert.equal(await page.inputValue(at('/to')), '+447911123456');
  assert.equal(await page.inputValue(at('/image/url')), 'https://example.com/product.jpg');
  assert.equal(await page.inputValue(at('/image/caption')), 'Check out our new product!');
  assert.equal(await page.innerText('#bubble .body'), 'Check out our new product!');
  await page.close();
});

test('a valid text sends and its status reaches read', async () => {
  const page = await open();
  await page.fill(at('/to'), '+44 7911 123456');
  await page.fill(at('/text'), 'Your order has shipped.');
  await page.click('#inbound');
  await page.waitForFunction(() => /window is open/.test(document.querySelector('#result').textContent));
  await page.click('#send');
  await page.waitForFunction(() => /Sent: wamid\./.test(document.querySelector('#result').textContent));
  await page.waitForFunction(() => document.querySelector('#timeline li[aria-current="step"]')?.textContent === 'read', null, { timeout: 15000 });
  assert.deepEqual(await page.$$eval('#timeline li', (l) => l.map((x) => `${x.textContent}:${x.className}`)), ['sent:done', 'delivered:done', 'read:done']);
  await page.waitForFunction(() => /read/.test(document.querySelector('#recent').textContent));
  await page.screenshot({ path: join(shots, '4-sent-timeline.png'), fullPage: true });
  await page.close();
});

test('against the Meta sandbox (UPSTREAM_DIALECT=meta): Meta\'s 131047 outside the window shows, a text in it sends and reaches read', async () => {
  const meta = await startWorker({ CLIENT_TOKENS: `page:${TOKEN}`, UPSTREAM_DIALECT: 'meta' });
  try {
    const page = await open({ base: meta.url, expected: [/status of 400 \(Bad Request\)/] });
    await page.fill(at('/to'), '+44 7911 123457');
    await page.fill(at('/text'), 'Your order has shipped.');
    await page.click('#send');
    await page.waitForFunction(() => /131047/.test(document.querySelector('#result').textContent));
    await page.click('#inbound');
    await page.waitForFunction(() => /window is open/.test(document.querySelector('#result').textContent));
    await page.click('#send');
    await page.waitForFunction(() => /Sent: wamid\./.test(document.querySelector('#result').textContent));
    await page.waitForFunction(() => document.querySelector('#timeline li[aria-current="step"]')?.textContent === 'read', null, { timeout: 15000 });
    await page.screenshot({ path: join(shots, '7-meta-sandbox.png'), fullPage: true });
    await page.close();
  } finally {
    await meta.stop();
  }
});

test('keyboard only: token, message, reply, send', async () => {
  const page = await open({ token: false });
  const tab = async (n = 1) => { for (let i = 0; i < n; i++) await page.keyboard.press('Tab'); };
  await tab();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'token');
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /approved templates loaded/.test(document.querySelector('#token-hint').textContent));
  // The token's button, the view tabs (one stop: the selected tab), the recipient.
  await tab(2);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-compose');
  await tab();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-to');
  await page.keyboard.type('+447911123457');
  await tab(3);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), '/text');
  await page.keyboard.type('Sent with the keyboard only.');
  await tab(2);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inbound');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /window is open/.test(document.querySelector('#result').textContent));
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'send');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Sent: wamid\./.test(document.querySelector('#result').textContent));
  await page.close();
});

test('the page at 390 px width', async () => {
  const page = await open({ width: 390 });
  await page.fill(at('/to'), '+91 98765 43210');
  await page.fill(at('/text'), 'Hello from a phone-sized screen');
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow}px of horizontal scroll`);
  await page.screenshot({ path: join(shots, '5-width-390.png'), fullPage: true });
  await page.close();
});

test('no console errors or warnings on any page', () => {
  assert.deepEqual(problems, []);
});

/** A value an input of this kind accepts. */
function sample(f) {
  if (f.type === 'image') return 'https://example.com/header.jpg';
  if (f.type === 'video') return 'https://example.com/demo.mp4';
  if (f.type === 'document') return 'https://example.com/invoice.pdf';
  if (f.type === 'coupon_code') return 'FALL25';
  if (f.type === 'otp') return '123456';
  return f.component === 'button' ? 'ORD-789' : 'Ana';
}

test('every sandbox template: its form is templateFields, and it fills to a payload the Worker sends', async () => {
  const registry = repositoryTemplates();
  assert.ok(registry.length >= 10);
  const page = await open();
  let sent = 0;
  for (const def of registry) {
    const label = `${def.name} (${def.language})`;
    await page.selectOption('#f-type', 'text');
    await page.fill(at('/to'), '+91 98765 43210');
    await page.selectOption('#f-type', 'template');
    await page.selectOption('select:near(:text("Approved template"))', { label });
    const fields = templateFields(def);
    // The inputs, in order: one per field (a location's four parts count once).
    const keys = await page.$$eval('[data-key]', (els) => [...new Set(els.map((e) => e.dataset.key))]);
    assert.deepEqual(keys, fields.fields.map((f) => f.key), `${label}: the form's inputs are templateFields`);
    for (const f of fields.fields) {
      if (f.type === 'location') {
        await page.fill(at(`${f.pointer}/latitude`), '19.076');
        await page.fill(at(`${f.pointer}/longitude`), '72.8777');
      } else if (f.required) {
        await page.fill(at(f.pointer), sample(f));
      }
    }
    if (!fields.sendable) {
      assert.match(await page.innerText('#template-blocked'), /PAUSED/, label);
      assert.equal(await page.isDisabled('#send'), true, `${label} cannot be sent`);
      continue;
    }
    assert.match(await summary(page), /Ready to send/, label);
    await page.click('#send');
    await page.waitForFunction(() => /Sent: wamid\.|Not sent/.test(document.querySelector('#result').textContent));
    assert.match(await page.innerText('#result'), /Sent: wamid\./, `${label}: ${await page.innerText('#result')}`);
    sent++;
  }
  assert.equal(sent, registry.filter((d) => templateFields(d).sendable).length);
  await page.screenshot({ path: join(shots, '6-templates.png'), fullPage: true });
  await page.close();
});
