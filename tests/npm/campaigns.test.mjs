// Campaign lists through the npm package: the list vectors (the ones the Rust and
// CLI suites run) give what the files expect through prepareCampaign; every ready
// row's payload validates against the template (and, parsed when first read, is an
// ordinary property); the failure table and a failure's
// class come from the core; bad options are the core's TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validate } from 'wasend';
import { prepareCampaign, readCampaignList, failureClasses, classifyFailure } from 'wasend/campaigns';

const root = new URL('../../', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('tests/vectors/campaigns/lists.json', root), 'utf8')).cases;

/** The case's list: `list`, or `list_repeat` ({head, row, times, tail}) written out. */
const listText = (c) => c.list ?? `${c.list_repeat.head}${c.list_repeat.row.repeat(c.list_repeat.times)}${c.list_repeat.tail}`;
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

for (const c of cases) {
  test(`prepareCampaign: ${c.name}`, () => {
    const got = prepareCampaign(listText(c), c.definition, c.options);
    assert.deepEqual(got.summary, c.expect.summary);
    assert.deepEqual(got.issues.map((i) => pick(i, ['row', 'line', 'column', 'code'])), c.expect.issues);
    assert.deepEqual(got.skipped.map((s) => pick(s, ['row', 'code', 'of'])), c.expect.skipped);
    assert.deepEqual(got.unused_columns, c.expect.unused_columns);
    // With the cells, from one reading: the same verdicts, and the cells readCampaignList gives.
    const { cells, ...same } = prepareCampaign(listText(c), c.definition, { ...c.options, cells: true });
    assert.deepEqual(same, got);
    if (cells.error) assert.deepEqual(cells.error, got.issues[0], 'a list refused as a whole shows why');
    else assert.deepEqual(cells, readCampaignList(listText(c)));
    assert.equal(got.rows.filter((r) => r.status === 'ready').length, c.expect.summary.valid);
    for (const r of got.rows.filter((x) => x.status === 'ready')) {
      const v = validate(r.payload, { template: c.definition });
      assert.ok(v.valid, `row ${r.row}: ${JSON.stringify(v.errors)}`);
      assert.equal(r.to, r.payload.to);
    }
    // Each payload crossed as text and is parsed when read: it is an ordinary
    // property all the same, for JSON.stringify and for deep equality.
    const again = JSON.parse(JSON.stringify(got));
    assert.deepEqual(again, got);
    assert.equal(again.rows.filter((r) => r.payload !== undefined).length, c.expect.summary.valid);
    // Every row not sent has its reason: an invalid row in `issues`, any other in `skipped`, in row order.
    const rows = got.skipped.map((s) => s.row);
    assert.deepEqual(rows, [...rows].sort((a, b) => a - b));
    for (const r of got.rows.filter((x) => x.status !== 'ready')) {
      const listed = r.status === 'invalid' ? got.issues.some((i) => i.row === r.row) : rows.includes(r.row);
      assert.ok(listed, `row ${r.row} (${r.status}) has a reason`);
    }
  });
}

test('prepareCampaign takes rows as objects too, and the same list as CSV gives the same rows', () => {
  const def = cases[0].definition;
  const rows = [{ to: '+919876543210', 1: 'John', 2: 'ORD-1', button_0: '1' }, { to: '+91 98765 43210', 1: 'Dup', 2: 'ORD-2', button_0: '2' }, { to: 'x', 1: 'A', 2: 'B', button_0: '3' }];
  const fromRows = prepareCampaign(rows, def);
  const csv = `to,1,2,button_0\n${rows.map((r) => [r.to, r[1], r[2], r.button_0].join(',')).join('\n')}\n`;
  const fromCsv = prepareCampaign(csv, def);
  assert.deepEqual(fromRows.rows.map((r) => [r.row, r.status, r.to]), fromCsv.rows.map((r) => [r.row, r.status, r.to]));
  assert.deepEqual(fromRows.rows.map((r) => r.status), ['ready', 'duplicate', 'invalid']);
  assert.equal(fromRows.rows[1].of, 1);
  assert.equal(fromCsv.rows[2].line, 4, 'CSV rows carry their line');
  assert.equal(fromRows.rows[2].line, undefined);
});

test('bad options and definitions are the core\'s TypeError; a bad list is an issue, not a throw', () => {
  const def = cases[0].definition;
  assert.throws(() => prepareCampaign('to\n+1', def, { mapping: 'to' }), { name: 'TypeError', message: 'option mapping must be an object of column name to template input' });
  assert.throws(() => prepareCampaign('to\n+1', def, { suppressed: [1] }), { name: 'TypeError', message: 'option suppressed must be an array of phone numbers' });
  assert.throws(() => prepareCampaign('to\n+1', def, { defaultRegion: 'XX' }), TypeError);
  assert.throws(() => prepareCampaign('to\n+1', def, { mappings: {} }), { name: 'TypeError', message: /unknown option `mappings`/ });
  assert.throws(() => prepareCampaign('to\n+1', { name: 'x' }), TypeError);
  assert.throws(() => prepareCampaign(42, def), TypeError);
  const bad = prepareCampaign('to,1\n"+919876543210,John\n', def);
  assert.equal(bad.rows.length, 0);
  assert.ok(bad.issues.length >= 1 && bad.issues[0].row === undefined);
});

test('the failure table and a failure\'s class are the core\'s', () => {
  const table = failureClasses();
  assert.deepEqual([...new Set(table.map((r) => r.class))], ['transient', 'wait', 'needs_template', 'recipient', 'template', 'unknown', 'permanent']);
  // Every answer's class is a line of the table, the last when no other names it.
  assert.deepEqual(classifyFailure(418, {}), table.at(-1));
  assert.deepEqual(classifyFailure(409, { code: 'recipient_opted_out' }), table.find((r) => r.skips));
  assert.deepEqual(table.find((r) => r.class === 'wait').retry, { after_ms: 86_400_000, attempts: 2 });
  assert.equal(classifyFailure(400, { message: '(#132000) Number of parameters does not match', status: 'error' }).class, 'template');
  assert.equal(classifyFailure(400, { message: '(#131050) User has stopped marketing messages' }).suppresses, true);
  assert.equal(classifyFailure(504, { code: 'upstream_timeout' }).class, 'unknown');
  assert.equal(classifyFailure(429, {}).class, 'transient');
  assert.equal(classifyFailure(400, { message: 'no idea' }).class, 'permanent');
  // Meta's errors through the Worker: the table says how each is answered, and the answer classifies back.
  const auth = table.find((r) => r.meta.some(([lo, hi]) => lo <= 190 && 190 <= hi));
  assert.deepEqual(auth.answer, { status: 502, code: 'upstream_auth' });
  assert.equal(classifyFailure(502, { code: 'upstream_auth' }).pauses, true);
  assert.equal(classifyFailure(undefined, '(#131026) Message undeliverable').class, 'recipient');
});
