// One answer from every face: the option cases of tests/vectors/options/cases.json
// (a TypeError with the core's message, in every export that takes options), and
// the phone verdict, field for field the CLI's `phone --json` (the core's writer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { validate, validateJson, validateMany, normalizePhone, isValidPhone, isValidPhoneMany, createClient } from 'wasend';

const root = new URL('../../', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('tests/vectors/options/cases.json', root), 'utf8')).cases;
const payload = { to: '09876543210', type: 'text', text: 'hi' };

const faces = {
  validate: (o) => validate(payload, o),
  validateJson: (o) => validateJson(JSON.stringify(payload), o),
  validateMany: (o) => validateMany([payload], o)[0],
  normalizePhone: (o) => normalizePhone(payload.to, o),
  isValidPhone: (o) => isValidPhone(payload.to, o),
  isValidPhoneMany: (o) => isValidPhoneMany([payload.to], o)[0],
};

for (const c of cases) {
  test(`options: ${c.name}`, () => {
    const options = c.options === null ? undefined : c.options;
    for (const [face, run] of Object.entries(faces)) {
      if (c.error !== undefined) {
        assert.throws(() => run(options), (e) => e instanceof TypeError && e.message === c.error, `${face} throws the core's TypeError`);
      } else {
        const r = run(options);
        const valid = typeof r === 'boolean' ? r : r.valid;
        // Read in India, the number is valid; with no region it is not.
        assert.equal(valid, c.region === 'IN', `${face}`);
      }
    }
  });
}

test('options: the client refuses bad options before any request', async () => {
  let requests = 0;
  const client = createClient({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: () => { requests += 1; throw new Error('no'); } });
  for (const c of cases.filter((x) => x.error !== undefined && x.options && typeof x.options === 'object' && !Array.isArray(x.options))) {
    await assert.rejects(client.send(payload, c.options), (e) => e instanceof TypeError && e.message === c.error, c.name);
  }
  assert.equal(requests, 0);
});

test('phone verdicts: npm and the CLI give the same object', () => {
  const bin = new URL('target/debug/wasend', root).pathname;
  const inputs = ['+91 98765 43210', '09876543210', 'not a phone', '+44 7911 1234', '1 55 1234 5678', '+٩١ ٩٨٧٦٥ ٤٣٢١٠', '+1 201 555 0123 ext. 9', '4915123456789'];
  for (const region of [undefined, 'MX', 'DE', 'IN']) {
    const args = ['phone', '--json', ...(region ? ['--default-region', region] : []), '--', ...inputs];
    let out;
    try {
      out = execFileSync(bin, args, { encoding: 'utf8' });
    } catch (e) {
      out = e.stdout; // exit 1: some number is invalid
    }
    const cli = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(cli.length, inputs.length);
    inputs.forEach((n, i) => assert.deepEqual(normalizePhone(n, region ? { defaultRegion: region } : undefined), cli[i], `${n} in ${region}`));
  }
});
