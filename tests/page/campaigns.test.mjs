// The Campaigns view end to end: real headless Chromium against the Worker in
// sandbox mode (limits raised so a few hundred rows finish in seconds). A dropped
// CSV shows its bad cells before anything is sent; a mapping fixes a column; the
// campaign runs to the end with a live progress bar, survives a reload, pauses
// and resumes; the results download as CSV, one line per row; 100,000 rows are
// checked without a long task over 200 ms on the page's thread. Screenshots of
// each main state go to test-artifacts/campaigns/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshots } from './chromium.mjs';
import { startWorker } from '../worker/harness.mjs';

const TOKEN = 'campaigns-page-token-0123456789';
const shots = screenshots('campaigns');
let worker;
let browser;
const problems = [];

before(async () => {
  worker = await startWorker({ CLIENT_TOKENS: `page:${TOKEN}`, RATE_PER_SECOND: '40', RATE_PER_MINUTE: '2400' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await worker?.stop();
  assert.deepEqual(problems, [], 'no console errors or warnings');
});

const api = (path, init = {}) => fetch(`${worker.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers || {}) } }).then((r) => r.json());

async function open({ width = 1280, hash = '#campaigns' } = {}) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  await page.goto(`${worker.url}/`);
  // The page's modules have run (the wasm is compiled) once the region list is filled.
  await page.waitForFunction(() => document.querySelector('#region option'));
  await page.fill('#token', TOKEN);
  await page.click('#token-save');
  await page.waitForFunction(() => /approved templates loaded/.test(document.querySelector('#token-hint').textContent));
  if (hash) {
    await page.click('#tab-campaigns');
    await page.waitForFunction(() => /templates can be sent\./.test(document.querySelector('#c-status').textContent));
  }
  return page;
}

async function chooseTemplate(page, name) {
  const value = await page.$eval('#c-template', (s, n) => [...s.options].find((o) => o.text.startsWith(n))?.value, name);
  await page.selectOption('#c-template', value);
}

const number = (i) => `+4479${String(11_200_000 + i)}`;
const indian = (i) => `+9198${String(76_500_000 + i)}`;
function list(n, header = 'to,1,2,button_0', number = (i) => `+4479${String(11_200_000 + i)}`) {
  const lines = [header];
  for (let i = 1; i <= n; i++) {
    if (i === 7) lines.push(`+44 12,Bad ${i},ORD-${i},${i}`);
    else if (i === 12) lines.push(`${number(i)},"two\nlines",ORD-${i},${i}`);
    else if (i === 20) lines.push(`${number(3)},Again,ORD-${i},${i}`);
    else if (i === 25) lines.push(`${number(25)},Opted out,ORD-${i},${i}`);
    else lines.push(`${number(i)},Name ${i},ORD-${i},${i}`);
  }
  return `${lines.join('\n')}\n`;
}
const summary = (page) => page.innerText('#c-summary');
/** The row table's values and buttons whose text breaks over lines (only the result sentence may). */
const brokenCells = (page) => page.$$eval('#c-rows tbody th, #c-rows tbody td:not(.outcome), #c-rows button', (els) => els.filter((e) => {
  const lines = new Set();
  for (const node of e.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) lines.add(Math.round(rect.top));
  }
  return lines.size > 1;
}).map((e) => e.textContent));

test('a dropped CSV shows its bad cells, duplicates and opt-outs before anything is sent; a column mapped, it runs to the end, survives a reload, pauses and resumes, and the results download', async () => {
  await api('/api/suppressions', { method: 'POST', body: JSON.stringify({ number: number(25) }) });
  const before = (await api('/api/messages?limit=100')).data.length;
  const page = await open();
  await page.screenshot({ path: join(shots, '1-empty.png'), fullPage: true });
  for (const id of await page.$$eval('#view-campaigns input, #view-campaigns select, #view-campaigns textarea', (els) => els.map((e) => e.id))) {
    assert.ok(await page.$(`label[for="${id}"]`), `a label for #${id}`);
  }
  await chooseTemplate(page, 'order_confirmation (en)');
  // The phone column is named "mobile": the core finds no recipient column until it is mapped.
  const csv = list(300, 'mobile,1,2,button_0');
  await page.setInputFiles('#c-file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => /no recipient column/.test(document.querySelector('#c-summary').textContent));
  assert.equal(await page.isDisabled('#c-start-btn'), true);
  await page.screenshot({ path: join(shots, '2-no-recipient-column.png'), fullPage: true });
  const mobile = await page.$eval('#c-mapping-list', (box) => [...box.querySelectorAll('label')].find((l) => l.textContent.includes('mobile')).htmlFor);
  await page.selectOption(`#${mobile}`, 'to');
  await page.waitForFunction(() => /300 rows:/.test(document.querySelector('#c-summary').textContent));
  assert.match(await summary(page), /296 to send, 2 invalid, 1 duplicate, 1 opted out/);
  assert.match(await summary(page), /Estimate: 296 messages at 1920 a minute/);
  // The bad cells, at their row and column.
  await page.check('#c-errors-only');
  await page.waitForFunction(() => /not sent/.test(document.querySelector('#c-rows caption').textContent));
  const bad = await page.$$eval('#c-rows tbody tr', (rows) => rows.map((r) => [r.dataset.row, [...r.querySelectorAll('td.bad')].map((td) => td.dataset.column ?? 'result')]));
  assert.deepEqual(bad, [['7', ['mobile']], ['12', ['1']], ['20', []], ['25', []]]);
  assert.match(await page.innerText('#c-rows tr[data-row="20"]'), /duplicate of row 3/);
  assert.match(await page.innerText('#c-rows tr[data-row="25"]'), /opted out/);
  assert.deepEqual(await brokenCells(page), [], 'no value or button breaks mid-word');
  await page.screenshot({ path: join(shots, '3-errors.png'), fullPage: true });
  assert.equal((await api('/api/messages?limit=100')).data.length, before, 'nothing was sent while checking');
  // Any row as its recipient will see it.
  await page.uncheck('#c-errors-only');
  await page.waitForSelector('#c-rows tr[data-row="1"]');
  await page.click('#c-rows tr[data-row="2"] button');
  await page.waitForFunction(() => /Name 2/.test(document.querySelector('#c-bubble').textContent));
  assert.match(await page.innerText('#c-bubble'), /Hi Name 2, your order ORD-2/);
  // Start: the progress bar reaches the end.
  await page.click('#c-start-btn');
  await page.waitForFunction(() => /^#campaign=cmp_/.test(location.hash));
  const id = await page.evaluate(() => location.hash.slice('#campaign='.length));
  await page.waitForFunction(() => Number(document.querySelector('#c-progress').value) > 0);
  await page.screenshot({ path: join(shots, '4-running.png'), fullPage: true });
  // A reload keeps it.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#region option') && !document.querySelector('#view-campaigns').hidden);
  await page.fill('#token', TOKEN);
  await page.click('#token-save');
  await page.waitForFunction((cid) => document.querySelector('#c-current-title').textContent.includes(cid), id);
  await page.waitForFunction(() => /completed/.test(document.querySelector('#c-current-status').textContent), null, { timeout: 60_000 });
  const counts = await page.$$eval('#c-counts li', (li) => Object.fromEntries(li.map((l) => [l.dataset.count, Number(l.querySelector('strong').textContent)])));
  assert.equal(counts.sent + counts.delivered + counts.read, 296);
  assert.equal(counts.skipped, 4);
  assert.equal(await page.$eval('#c-progress', (p) => p.value === p.max), true);
  await page.screenshot({ path: join(shots, '5-completed.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#c-download')]);
  const file = readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n');
  assert.equal(file.length, 301, 'a header and one line per row');
  assert.match(file.find((l) => l.startsWith('7,')), /skipped,invalid/);
  const recipients = new Set((await api(`/api/campaigns/${id}/recipients?limit=1000`)).data.filter((r) => r.message_id).map((r) => r.to));
  assert.equal(recipients.size, 296, 'everyone once');
  assert.match(await page.innerText('#c-past'), /orders|order_confirmation/);
  // Pause and resume a second one (the form is new after the reload).
  await chooseTemplate(page, 'order_confirmation (en)');
  await page.fill('#c-name', 'later');
  await page.fill('#c-paste', list(400, 'to,1,2,button_0', indian));
  await page.waitForFunction(() => /400 rows:/.test(document.querySelector('#c-summary').textContent), null, { timeout: 10_000 })
    .catch(async (e) => { throw new Error(`${e.message}; summary: ${await summary(page)}; paste: ${(await page.inputValue('#c-paste')).slice(0, 80)}`); });
  await page.waitForFunction(() => !document.querySelector('#c-start-btn').disabled, null, { timeout: 10_000 })
    .catch(async (e) => { throw new Error(`${e.message}; summary: ${await summary(page)}; result: ${await page.innerText('#c-start-result')}`); });
  await page.click('#c-start-btn');
  await page.waitForFunction((first) => location.hash !== `#campaign=${first}` && /^#campaign=cmp_/.test(location.hash), id);
  await page.waitForFunction(() => !document.querySelector('#c-pause').disabled);
  await page.click('#c-pause');
  await page.waitForFunction(() => /paused: paused by the client/.test(document.querySelector('#c-current-status').textContent));
  await page.screenshot({ path: join(shots, '6-paused.png'), fullPage: true });
  await page.click('#c-resume');
  await page.waitForFunction(() => /completed/.test(document.querySelector('#c-current-status').textContent), null, { timeout: 60_000 });
  await page.close();
});

test('the suppression list: see it, add a number, lift it; at phone width the view works', async () => {
  const page = await open({ width: 390 });
  await page.fill('#c-supp-number', '+52 1 55 1234 5678');
  await page.fill('#c-supp-reason', 'asked by phone');
  await page.click('#c-supp-form button[type="submit"]');
  await page.waitForFunction(() => /\+5215512345678 \(asked by phone\)/.test(document.querySelector('#c-supp-list').textContent));
  // A list's rows, one card a row.
  await chooseTemplate(page, 'order_confirmation (en)');
  await page.setInputFiles('#c-file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(list(30)) });
  await page.waitForSelector('#c-rows tr[data-row="7"]');
  assert.deepEqual(await brokenCells(page), [], 'no value or button breaks mid-word at phone width');
  await page.screenshot({ path: join(shots, '7-phone-width.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 392, `no sideways scrolling at phone width (${width}px)`);
  await page.click('#c-supp-list button[aria-label="Lift the opt-out of +5215512345678"]');
  await page.waitForFunction(() => !/\+5215512345678/.test(document.querySelector('#c-supp-list').textContent));
  // The tabs by keyboard.
  await page.focus('#tab-campaigns');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.$eval('#view-compose', (v) => v.hidden), false);
  assert.equal(await page.$eval('#tab-compose', (t) => document.activeElement === t), true);
  await page.close();
});

test('100,000 rows are checked without a long task over 200 ms on the page\'s thread', async () => {
  const page = await open();
  await chooseTemplate(page, 'order_confirmation (en)');
  // The file is made in the page (the test's own work), then dropped on the input;
  // only what follows is watched.
  await page.evaluate(() => {
    const lines = ['to,1,2,button_0'];
    for (let i = 0; i < 100_000; i++) lines.push(`+9198${String(10_000_000 + i)},Name ${i},ORD-${i},${i}`);
    window.bigFile = new File([`${lines.join('\n')}\n`], 'big.csv', { type: 'text/csv' });
  });
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    const dt = new DataTransfer();
    dt.items.add(window.bigFile);
    const input = document.querySelector('#c-file');
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => /100000 rows:/.test(document.querySelector('#c-summary').textContent), null, { timeout: 60_000 });
  const tasks = await page.evaluate(() => window.longTasks);
  const longest = Math.max(0, ...tasks);
  console.log(`long tasks while checking 100,000 rows: ${tasks.length}, longest ${longest.toFixed(0)} ms`);
  assert.ok(longest <= 200, `the longest task on the page's thread took ${longest} ms`);
  assert.match(await summary(page), /100000 to send/);
  await page.screenshot({ path: join(shots, '8-100k-rows.png'), fullPage: true });
  await page.close();
});
