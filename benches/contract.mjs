// The contract: Schemathesis (from PyPI, pinned in scripts/setup.sh) against
// openapi.yaml and the Worker under wrangler dev (real workerd) in sandbox mode:
// every operation, positive and negative data, the stateful links, every check
// but one. Goal: no 5xx and every response as the document says.
//
//   node benches/contract.mjs [--quick] [--examples N]
//
// Left out: `positive_data_acceptance`, which expects every schema-valid request
// to be accepted. The document describes the envelope; RULES.md's rules (phone
// metadata, lengths that depend on the type, template definitions) cannot be
// written as JSON Schema, so a schema-valid payload may rightly get a 400, and a
// reused Idempotency-Key a 422, as documented.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker } from '../tests/worker/harness.mjs';
import { arg, finish, quick, root } from './lib.mjs';

const EXAMPLES = Number(arg('examples', quick ? 15 : 200));
const TOKEN = 'contract-client-token-0123456789';
const SECRET = 'contract-webhook-secret';
const st = join(root, '.venv', 'bin', 'schemathesis');
if (!existsSync(st)) throw new Error('schemathesis is missing: run scripts/setup.sh');

// Schemathesis tries every operation without a token too, from one address: with the
// brake on failed authentications on (benches/hostile.mjs checks it), every later request
// would be its 429, and the operations' own answers would go untested.
const worker = await startWorker({ CLIENT_TOKENS: `contract:${TOKEN}`, WEBHOOK_SECRET: SECRET, AUTH_FAILURES_PER_MINUTE: '0' });
const reportDir = join(root, 'target', 'schemathesis');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
const args = ['run', join(root, 'openapi.yaml'), '--url', worker.url, '-H', `Authorization: Bearer ${TOKEN}`,
  '--checks', 'all', '--exclude-checks', 'positive_data_acceptance', '--max-examples', String(EXAMPLES), '--seed', '1',
  '--workers', '1', '--report', 'junit', '--report-dir', reportDir, '--no-color'];
const t0 = performance.now();
// Asynchronously: the dev server's log pipe must be drained while Schemathesis runs.
const run = await new Promise((resolve) => {
  const child = spawn(st, args, {
    cwd: reportDir, // its cache (.schemathesis/) goes there and is wiped each run
    env: { ...process.env, SCHEMATHESIS_HOOKS: 'contract_hooks', WASEND_CONTRACT_WEBHOOK_SECRET: SECRET, PYTHONPATH: join(root, 'benches') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});
const seconds = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 300));
const logs = worker.logs();
await worker.stop();
writeFileSync(join(reportDir, 'worker.log'), logs);

const out = run.stdout ?? '';
writeFileSync(join(reportDir, 'output.txt'), out + (run.stderr ?? ''));
process.stderr.write(out.slice(out.indexOf('=== SUMMARY') >= 0 ? out.lastIndexOf('SUMMARY') - 40 : 0));
const junit = readdirSync(reportDir).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(reportDir, f), 'utf8')).join('');
const generated = Number(/(\d+) generated/.exec(out)?.[1] ?? NaN);
const statuses = {};
for (const m of logs.matchAll(/^(\d{3}) \/api\/\S* \d+ms$/gm)) statuses[m[1]] = (statuses[m[1]] || 0) + 1;
const failures = [];
if (run.status !== 0) failures.push(`schemathesis exited ${run.status}: ${(out.match(/Failures:[\s\S]*?\n\n/) ?? [out.slice(-2000)])[0].trim()}`);
if (Object.keys(statuses).some((s) => s >= 500)) failures.push(`the Worker answered 5xx: ${JSON.stringify(statuses)}`);
if (logs.includes(TOKEN)) failures.push('the client token is in the log');
finish('contract', {
  schemathesis: readFileSync(join(root, 'scripts', 'setup.sh'), 'utf8').match(/schemathesis==([\d.]+)/)?.[1],
  max_examples: EXAMPLES,
  seconds: Math.round(seconds),
  test_cases: generated,
  operations: Number(/Tested: (\d+)/.exec(out)?.[1] ?? NaN),
  junit_failures: (junit.match(/<failure/g) ?? []).length,
  worker_answers: statuses,
}, failures);
