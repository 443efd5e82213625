// `wasend/campaigns`: campaign lists and the failure table, over their own
// WebAssembly module (./campaign.js, campaign_bg.wasm), which each runtime's entry
// (campaigns-node.js, campaigns-browser.js, campaigns-workerd.js) loads. Apart from
// the validation module, so that a page that only validates never downloads it.
// Nothing here checks a rule; every verdict comes from the Rust core.
import * as glue from './campaign.js';
import { lazyPayload } from './lazy-payload.js';

const opts = (o) => (o === undefined || o === null ? undefined : JSON.stringify(o));
// A list crosses as UTF-8 bytes: wasm-bindgen would copy a string character by
// character (60 ms for 15 MB), TextEncoder takes a few.
const utf8 = new TextEncoder();

/**
 * A campaign's list for a template, prepared by the core (the Worker and `wasend campaign
 * check` run the same code): `{ summary, rows: [{ row, line?, to?, status, payload?, of? }],
 * issues, skipped, unused_columns }`. `list` is CSV text (RFC 4180, `,` `;` or tab, BOM or not),
 * NDJSON, JSON text, or an array of row objects. Options: `{ defaultRegion?, mapping?: { column:
 * input }, suppressed?: [numbers], cells?: true }`. With `cells: true` the result also has the
 * list's cells as `readCampaignList` gives them, from the same reading. Bad options or a bad
 * definition throw a TypeError; a list that does not fit is in `issues`.
 */
export function prepareCampaign(list, definition, options) {
  let text = list;
  if (Array.isArray(list)) text = JSON.stringify(list);
  else if (typeof list !== 'string') throw new TypeError('prepareCampaign needs the list as text (CSV, NDJSON, JSON) or an array of rows');
  const { cells, ...rest } = options ?? {};
  if (cells === true) {
    const both = prepared(glue.prepareCampaignShown(utf8.encode(text), JSON.stringify(definition), opts(rest)), true);
    return { ...both.prepared, cells: both.cells };
  }
  return prepared(glue.prepareCampaign(utf8.encode(text), JSON.stringify(definition), opts(options)), false);
}

// A prepared list crosses as its JSON text without the ready rows' payloads, then
// each payload's text on a line of its own, in row order (the core's
// `Prepared::to_json_payloads_apart`): each is parsed when first read.
function prepared(answer, shown) {
  const nl = answer.indexOf('\n');
  const head = JSON.parse(nl < 0 ? answer : answer.slice(0, nl));
  if (nl < 0) return head;
  const texts = answer.slice(nl + 1).split('\n');
  let next = 0;
  for (const row of (shown ? head.prepared : head).rows) {
    if (row.status === 'ready') lazyPayload(row, texts[next++]);
  }
  return head;
}

/** A list's cells as the core reads them: `{ columns, rows: [{ line?, cells }] }`, or `{ error }`. */
export function readCampaignList(list) {
  if (typeof list !== 'string') throw new TypeError('readCampaignList needs the list as text');
  return JSON.parse(glue.readCampaignList(utf8.encode(list)));
}

/** The failure classes, from the core: `[{ class, http, meta: [[lo, hi]], codes, retry, suppresses, pauses, skips, what }]`. */
export function failureClasses() {
  return JSON.parse(glue.failureClasses());
}

/**
 * The class of a failed answer (an HTTP status and the Worker's or provider's error body):
 * its line of the failure table (`{ class, retry, suppresses, pauses, skips, what, … }`; the
 * last, `permanent`, when no other names it).
 */
export function classifyFailure(status, body) {
  const b = body && typeof body === 'object' ? body : {};
  const str = (v) => (typeof v === 'string' ? v : undefined);
  const s = Number.isInteger(status) && status >= 0 && status <= 65535 ? status : undefined;
  return JSON.parse(glue.classifyFailure(s, str(b.code), str(b.message) ?? (typeof body === 'string' ? body : undefined)));
}
