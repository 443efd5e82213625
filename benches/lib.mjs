// What the stress scripts share: arguments, a seeded random source, percentiles
// and where results go (target/bench/<name>.json, read by benches/report.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { root } from '../tests/worker/harness.mjs';

export { root };
export const quick = process.argv.includes('--quick');

/** `--name value` from the command line, else `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** mulberry32: the same faults on every run of a seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fake provider's `pick` that answers with the faults of `table` (`[name, probability,
 * make(random)]`) at their rates, else 200, each step tagged with its fault's name.
 */
export function faultPicker(table, random) {
  return () => {
    let x = random();
    for (const [name, p, make] of table) {
      if (x < p) {
        const step = make(random);
        return { ...(typeof step === 'string' ? { kind: step } : step), fault: name };
      }
      x -= p;
    }
    return { status: 200, fault: 'ok' };
  };
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The most events in any window of `ms` over sorted times. */
export function peak(times, ms) {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

export function count(items, key) {
  const out = {};
  for (const x of items) {
    const k = key(x);
    out[k] = (out[k] || 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/** Runs `jobs` (async functions) with at most `n` at a time. */
export async function pool(n, jobs) {
  const out = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB, Linux ${release()}, Node ${process.version}`;
}

/** Writes the result for the report and prints it; exits non-zero when a goal failed. */
export function finish(name, result, failures) {
  const dir = join(root, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  const out = { name, quick, command: `node benches/${name}.mjs${quick ? ' --quick' : ''}`, machine: machine(), at: new Date().toISOString(), ...result, failures };
  if (!quick) writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
  if (failures.length) {
    console.error(`\n${name}: ${failures.length} goal(s) not met:\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.error(`\n${name}: every goal met`);
  }
}
