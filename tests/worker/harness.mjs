// Test harness for the Worker: a fake provider on 127.0.0.1 that records what it
// receives and misbehaves on request, and `wrangler dev` (real workerd) running
// the built Worker with chosen vars. Needs `scripts/worker-build.sh` to have run.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'node_modules', '.bin');

/**
 * A fake provider. `next(...steps)` queues answers for the next sends; an empty
 * queue asks `pick(request)` (fault injection), else answers 200 with a fresh
 * wamid. Steps: { status, body, headers } | 'hang' | 'reset' | { delay, ...step }
 * | { kind: 'hang' | 'reset', ... }; 'hang-sent' and 'reset-sent' mean the
 * provider sent the message before its answer was lost.
 *
 * `delivered` maps each request body the provider sent to the message ids it gave
 * it: a body under two ids is a message sent twice.
 */
/** The repository's approved templates (`templates/*.json`), the sandbox's registry. */
export function repositoryTemplates() {
  const dir = join(root, 'templates');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/**
 * Every valid golden case that sends as it is (no options; templates left to the
 * template tests, since they are checked against a list): its normalized payload
 * and its Meta twin (`body`, `account`), one per distinct send.
 */
export function goldenTwins() {
  const dir = join(root, 'tests', 'golden');
  const out = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const c = JSON.parse(line);
      if (c.meta === null || c.options !== null) continue;
      const { payload } = JSON.parse(c.result);
      if (payload.type === 'template') continue;
      const { body, account } = JSON.parse(c.meta);
      out.set(`${account ?? ''} ${JSON.stringify(body)}`, { name: `${file}: ${c.name}`, payload, body, account });
    }
  }
  return [...out.values()];
}

/** The provider's own examples (its send-API page), as its template list would name them. */
export const PROVIDER_TEMPLATES = [
  { name: 'upstream_template', language: 'en', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
  { name: 'hello_world', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello World' }] },
  { name: 'order_confirmation', language: 'en', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has been confirmed.' }] },
];

/**
 * `templates`: the list `GET /templates` serves (default: `PROVIDER_TEMPLATES`); `setTemplates(list)` changes it, `failTemplates(answer | null)` makes
 * the endpoint answer `{ status, body }` or hang (`'hang'`), `templateFetches()` counts.
 */
export async function fakeProvider({ pick, templates } = {}) {
  let list = templates ?? PROVIDER_TEMPLATES;
  let templateFailure = null;
  let templateFetches = 0;
  const seen = [];
  const queue = [];
  const delivered = new Map();
  let n = 0;
  const sockets = new Set();
  const deliver = (body) => {
    const id = `wamid.FAKE${++n}`;
    delivered.set(body, [...(delivered.get(body) || []), id]);
    return id;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body, at: performance.now() };
      seen.push(entry);
      if (req.url === '/templates') {
        templateFetches++;
        if (templateFailure === 'hang') return;
        if (templateFailure) res.writeHead(templateFailure.status, { 'content-type': 'application/json' }).end(JSON.stringify(templateFailure.body ?? {}));
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: list }));
        return;
      }
      const step = queue.length ? queue.shift() : (pick?.(entry) ?? { status: 200 });
      entry.step = step;
      const kind = typeof step === 'string' ? step : step.kind;
      const go = () => {
        if (kind === 'hang' || kind === 'hang-sent') {
          if (kind === 'hang-sent') deliver(body);
          return; // never answers
        }
        if (kind === 'reset' || kind === 'reset-sent') {
          if (kind === 'reset-sent') deliver(body);
          req.socket.destroy();
          return;
        }
        const answer = step.body ?? { data: { message_id: step.status === 200 ? deliver(body) : `wamid.FAKE${++n}`, status: 'sent' } };
        res.writeHead(step.status, { 'content-type': 'application/json', ...(step.headers || {}) }).end(JSON.stringify(answer));
      };
      if (step.delay) setTimeout(go, step.delay); else go();
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    delivered,
    sends: () => seen.filter((s) => s.url === '/messages/send'),
    setTemplates: (l) => { list = l; },
    failTemplates: (answer) => { templateFailure = answer; },
    templateFetches: () => templateFetches,
    next: (...steps) => queue.push(...steps),
    reset: () => { seen.length = 0; queue.length = 0; delivered.clear(); },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}

/**
 * A port the system has just handed out and taken back: free unless another
 * process takes it in between, which a launch that finds it taken retries.
 * A counter over a fixed range collided with ports other listeners had been
 * given (CI once lost a run to a taken inspector port).
 */
export async function freePort() {
  const server = createNetServer();
  await new Promise((r, e) => { server.once('error', e); server.listen(0, '127.0.0.1', r); });
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The repository's wrangler.toml for a test: without its [build] (the tests run
 * the Worker already built) and with absolute paths. One source for the
 * bindings, migrations and triggers the Worker is deployed with.
 */
function testConfig() {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const out = [];
  let skip = false;
  for (const line of toml.split('\n')) {
    const section = /^\s*\[+([^\]]+)\]+/.exec(line);
    if (section) skip = section[1].trim() === 'build' || section[1].trim() === 'vars' || section[1].trim() === 'observability';
    if (skip || /^\s*#/.test(line)) continue;
    out.push(line
      .replace(/^name = .*/, 'name = "wasend-test"')
      .replace(/^main = .*/, `main = "${join(root, 'worker', 'build', 'index.js')}"`)
      .replace(/^directory = .*/, `directory = "${join(root, 'www')}"`));
  }
  return out.join('\n');
}

/**
 * Starts `wrangler dev` on the built Worker with `vars`; returns its base URL,
 * its logs, `stop()`, `kill()` (SIGKILL, state kept) and `restart()` (the same
 * port and persisted state, as a runtime that died and came back).
 * `/__scheduled` runs the Cron Trigger (`--test-scheduled`).
 */
export async function startWorker(vars = {}) {
  if (!existsSync(join(root, 'worker', 'build', 'index.js'))) throw new Error('build the Worker first: scripts/worker-build.sh');
  const dir = mkdtempSync(join(tmpdir(), 'wasend-worker-'));
  writeFileSync(join(dir, 'wrangler.toml'), testConfig());
  let port = await freePort();
  let inspector = await freePort();
  const args = () => {
    const a = ['dev', '--config', join(dir, 'wrangler.toml'), '--port', String(port), '--ip', '127.0.0.1',
      '--inspector-port', String(inspector), '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false', '--test-scheduled'];
    for (const [k, v] of Object.entries(vars)) a.push('--var', `${k}:${v}`);
    return a;
  };
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1', CI: '1' };
  const logs = [];
  let url = `http://127.0.0.1:${port}`;
  let child;
  const launch = async () => {
    // Detached: a kill takes wrangler's workerd with it, as a dying machine would.
    child = spawn(join(bin, 'wrangler'), args(), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (d) => logs.push(String(d)));
    child.stderr.on('data', (d) => logs.push(String(d)));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${logs.join('')}`);
      try {
        const r = await fetch(`${url}/api/health`);
        if (r.status === 200) break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) { child.kill(); throw new Error(`wrangler dev did not start:\n${logs.join('')}`); }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const end = async (signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.on('exit', r));
    try { process.kill(-child.pid, signal); } catch { child.kill(signal); }
    await exited;
  };
  // Only the first launch may move to other ports: a restart keeps its URL.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      if (attempt === 3 || !/Address already in use/.test(String(e.message))) throw e;
      logs.length = 0;
      port = await freePort();
      inspector = await freePort();
      url = `http://127.0.0.1:${port}`;
    }
  }
  return {
    url,
    logs: () => logs.join(''),
    /** The Cron Trigger, as the platform fires it every minute. */
    cron: () => fetch(`${url}/__scheduled?cron=*+*+*+*+*`).then((r) => r.status),
    kill: () => end('SIGKILL'),
    restart: async () => { await end('SIGKILL'); await launch(); },
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `get()` satisfies `ok`, polling every 250 ms; fails with the last value after `ms`. */
export async function until(get, ok, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await get();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A send through the Worker. */
export async function send(url, payload, { token, key, headers = {}, body, method = 'POST' } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (key) h['idempotency-key'] = key;
  const r = await fetch(`${url}/api/messages/send`, { method, headers: h, body: method === 'GET' ? undefined : (body ?? JSON.stringify(payload)) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: Object.fromEntries(r.headers), text, json };
}
