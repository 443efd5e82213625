// The package as users get it: `npm pack`, then installed into fresh projects —
// a Node app, a Vite browser bundle run in headless Chromium, and a JavaScript
// Worker under `wrangler dev` (the `workerd` entry). Slow (about 40 s): the
// rest of the npm suite does not wait for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../worker/harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1' };
const work = mkdtempSync(join(tmpdir(), 'wasend-pkg-'));
let tarball;

const PAYLOAD = { to: '+91 98765 43210', type: 'interactive', interactive: { type: 'button', body: { text: 'Hi' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] } } };

function project(name, pkg, files) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', ...pkg }));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, env });
  return dir;
}

before(() => {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env }).toString();
  const [info] = JSON.parse(out);
  tarball = join(work, info.filename);
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'README.md', 'package.json', 'pkg/api.js', 'pkg/browser.js', 'pkg/builders.js', 'pkg/campaign.js', 'pkg/campaign_bg.wasm',
    'pkg/campaigns-api.js', 'pkg/campaigns-browser.js', 'pkg/campaigns-node.js', 'pkg/campaigns-workerd.js', 'pkg/campaigns.d.ts',
    'pkg/client-loader.js', 'pkg/client.js', 'pkg/client_bg.wasm', 'pkg/index.d.ts', 'pkg/lazy-payload.js', 'pkg/node.js', 'pkg/wasend.js',
    'pkg/wasend_bg.wasm', 'pkg/workerd.js',
  ], 'the files allowlist ships the package and nothing else');
});

after(() => rmSync(work, { recursive: true, force: true }));

test('installed tarball works in a fresh Node project', () => {
  const dir = project('node-app', {}, {
    'index.js': `import { validate, normalizePhone, metadataVersion } from 'wasend';
const r = validate(${JSON.stringify(PAYLOAD)});
console.log(JSON.stringify({ codes: r.errors.map((e) => e.code + ' ' + e.path), phone: normalizePhone('+91 98765 43210').e164, v: metadataVersion() }));`,
  });
  const out = JSON.parse(execFileSync(process.execPath, ['index.js'], { cwd: dir, env }).toString());
  assert.deepEqual(out.codes, ['too_long /interactive/action/buttons/0/reply/title']);
  assert.equal(out.phone, '+919876543210');
  assert.match(out.v, /^\d+\.\d+\.\d+$/);
});

function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!path.startsWith(dir) || !existsSync(path)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

test('a Vite bundle runs in headless Chromium, fetching the client module only when a client is used', async (t) => {
  const dir = project('vite-app', {}, {
    'index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="/main.js"></script></body></html>',
    'main.js': `import { validate, normalizePhone, createClient } from 'wasend';
const r = validate(${JSON.stringify(PAYLOAD)});
document.body.dataset.result = JSON.stringify({ codes: r.errors.map((e) => e.code + ' ' + e.path), phone: normalizePhone('+91 98765 43210').e164 });
// The send client is used only when asked, so the validating page alone never needs its module.
window.useClient = async () => {
  const client = createClient({ baseUrl: location.origin, token: 't', retries: 0 });
  try { await client.status('wamid.x'); return 'answered'; } catch (e) { return e.name + ' ' + e.status; }
};
// Campaign lists come from their own entry, imported when a list is picked.
window.useCampaigns = async () => {
  const { prepareCampaign } = await import('wasend/campaigns');
  const r = prepareCampaign('to\\n+91 98765 43210\\nnope\\n', { name: 'hello_world', language: 'en_US', components: [{ type: 'BODY', text: 'Hello' }] });
  return r.summary;
};`,
  });
  execFileSync(join(bin, 'vite'), ['build', '--logLevel', 'error'], { cwd: dir, env });
  const server = await serve(join(dir, 'dist'));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 10000 });
    const out = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    assert.deepEqual(out.codes, ['too_long /interactive/action/buttons/0/reply/title']);
    assert.equal(out.phone, '+919876543210');
    const wasm = () => fetched.filter((p) => p.endsWith('.wasm')).map((p) => p.replace(/^.*\/|-[\w-]{8}\.wasm$|\.wasm$/g, ''));
    assert.deepEqual(wasm(), ['wasend_bg'], 'a page that only validates downloads the validation module alone');
    const shipped = fetched.filter((p) => /\.(js|wasm)$/.test(p)).map((p) => gzipSync(readFileSync(join(dir, 'dist', p)), { level: 9 }).length);
    t.diagnostic(`validating page downloads ${fetched.filter((p) => /\.(js|wasm)$/.test(p)).join(', ')}: ${shipped.reduce((a, b) => a + b, 0)} B gzip -9`);
    // The first client use fetches the second module, and the client then works.
    assert.equal(await page.evaluate(() => window.useClient()), 'SendError 404');
    assert.deepEqual(wasm(), ['wasend_bg', 'client_bg']);
    // `wasend/campaigns`, imported when needed, fetches the campaign module and works.
    assert.deepEqual(await page.evaluate(() => window.useCampaigns()), { total: 2, valid: 1, invalid: 1, duplicate: 0, opted_out: 0 });
    assert.deepEqual(wasm(), ['wasend_bg', 'client_bg', 'campaign_bg']);
    assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
  } finally {
    await browser.close();
    server.close();
  }
});

test('a JavaScript Worker imports it through the workerd entry under wrangler dev', async () => {
  const dir = project('worker-app', {}, {
    'worker.js': `import { validate, validateJson } from 'wasend';
import { classifyFailure } from 'wasend/campaigns';
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/class') return Response.json(classifyFailure(400, { message: '(#131050) stopped' }));
    const result = request.method === 'POST' ? validateJson(await request.text()) : validate(${JSON.stringify(PAYLOAD)});
    return Response.json(result);
  },
};`,
    'wrangler.toml': 'name = "wasend-pkg-test"\nmain = "worker.js"\ncompatibility_date = "2026-11-01"\n',
  });
  const port = await freePort();
  const child = spawn(join(bin, 'wrangler'), ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(await freePort())], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  try {
    const deadline = Date.now() + 60000;
    let res;
    while (Date.now() < deadline) {
      try { res = await fetch(`http://127.0.0.1:${port}/`); break; } catch { await new Promise((r) => setTimeout(r, 300)); }
    }
    assert.ok(res, `wrangler dev did not start:\n${log}`);
    const r = await res.json();
    assert.deepEqual(r.errors.map((e) => e.code + ' ' + e.path), ['too_long /interactive/action/buttons/0/reply/title']);
    const post = await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{"to":"09876543210","type":"text","text":"hi"}' })).json();
    assert.equal(post.errors[0].code, 'phone_country_code');
    const cls = await (await fetch(`http://127.0.0.1:${port}/class`)).json();
    assert.equal(cls.class, 'recipient');
    assert.equal(cls.suppresses, true);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
});
