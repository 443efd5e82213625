// The package's JavaScript API over the WebAssembly glue (./wasend.js). Payloads
// cross as JSON text: JSON.stringify and JSON.parse are native and fast, and the
// module stays free of serde (see BENCHMARKS.md for the measured alternatives).
// Nothing here checks a rule; every verdict comes from the Rust core.
import * as glue from './wasend.js';
import { loadClient } from './client-loader.js';
import { lazyPayload } from './lazy-payload.js';

const opts = (o) => (o === undefined || o === null ? undefined : JSON.stringify(o));
// A bulk text crosses as UTF-8 bytes: wasm-bindgen would copy a string
// character by character (60 ms for 15 MB), TextEncoder takes a few.
const utf8 = new TextEncoder();

/**
 * The region the phone exports cross with. The core reads and checks the options
 * either way (a TypeError for an unknown option, a wrong type or an unknown
 * region); `{ defaultRegion: '…' }` alone crosses as the string, which is cheaper.
 */
function regionOf(o) {
  if (o === undefined || o === null) return undefined;
  if (typeof o === 'object' && typeof o.defaultRegion === 'string' && Object.keys(o).length === 1) return o.defaultRegion;
  return glue.optionsRegion(JSON.stringify(o));
}

function invalidJson(message) {
  return { valid: false, errors: [{ code: 'invalid_json', path: '', message }], warnings: [] };
}

function stringify(payload) {
  try {
    const text = JSON.stringify(payload);
    if (text === undefined) return { error: `payload must be a json object, not ${typeof payload}` };
    return { text };
  } catch (e) {
    return { error: `payload cannot be written as json: ${String(e && e.message).toLowerCase()}` };
  }
}

// A result crosses from the module as two texts joined by a newline
// (wasm/src/lib.rs, `write_crossing`): the normalized payload ('' for none, '='
// for the input text itself) and the verdict ('' for valid without issues). The
// payload is parsed on first read (lazy-payload.js).

// The module read `input` as UTF-8, each lone surrogate a U+FFFD (a JavaScript
// string may hold one; text cannot): `=` stands for that text, not for a string
// the module never saw (the wasm fuzzer found a payload that then failed to
// validate again).
const asRead = (input) => (typeof input.toWellFormed === 'function' ? input.toWellFormed() : input);

function result(payload, verdict, input) {
  const r = verdict === '' ? { valid: true, errors: [], warnings: [] } : JSON.parse(verdict);
  if (payload !== '') {
    lazyPayload(r, payload === '=' ? asRead(input) : payload);
  }
  return r;
}

function one(text, input) {
  const nl = text.lastIndexOf('\n');
  return result(text.slice(0, nl), text.slice(nl + 1), input);
}

/** Validates a payload object. Never throws for a bad payload. */
export function validate(payload, options) {
  const { text, error } = stringify(payload);
  if (error) return invalidJson(error);
  return one(glue.validateJson(text, opts(options)), text);
}

/** Validates JSON text (what a server receives). Never throws for bad input. */
export function validateJson(json, options) {
  if (typeof json !== 'string') return invalidJson(`json must be a string, not ${json === null ? 'null' : typeof json}`);
  return one(glue.validateJson(json, opts(options)), json);
}

/** Validates many payloads at once: a JSON array or NDJSON text (or an array). */
export function validateMany(input, options) {
  let text = input;
  if (typeof input !== 'string') {
    const s = stringify(input);
    if (s.error) return [invalidJson(s.error)];
    text = s.text;
  }
  const answer = glue.validateMany(utf8.encode(text), opts(options));
  if (answer === '') return [];
  const parts = answer.split('\n');
  const out = new Array(parts.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = result(parts[2 * i], parts[2 * i + 1]);
  return out;
}

/** A phone number's verdict and canonical E.164 form. */
export function normalizePhone(input, options) {
  const region = regionOf(options);
  if (typeof input !== 'string') {
    return { valid: false, errors: [{ code: 'wrong_type', message: `phone number must be a string, not ${input === null ? 'null' : typeof input}` }], warnings: [] };
  }
  return JSON.parse(glue.normalizePhone(input, region));
}

/** Just the verdict of normalizePhone: is the number valid? (No details, no allocation.) */
export function isValidPhone(input, options) {
  const region = regionOf(options);
  if (typeof input !== 'string') return false;
  return glue.isValidPhone(input, region);
}

/** `isValidPhone` for a whole list, crossing into WebAssembly once: the fast path for bulk lists. */
export function isValidPhoneMany(inputs, options) {
  if (!Array.isArray(inputs)) throw new TypeError('isValidPhoneMany needs an array of strings');
  const region = regionOf(options);
  if (inputs.length === 0) return [];
  // A newline cannot be in a valid number: such an input (or a non-string) is sent as "".
  const text = inputs.map((n) => (typeof n === 'string' && !n.includes('\n') ? n : '')).join('\n');
  return Array.from(glue.isValidPhoneMany(text, region), (b) => b === 1);
}

/** The message as the recipient will read it; a template needs its approved definition. */
export function preview(payload, definition) {
  const { text, error } = stringify(payload);
  if (error) return null;
  return JSON.parse(glue.preview(text, opts(definition)));
}

/**
 * A payload as Meta's Cloud API receives it: `{ body, account? }` (`account`, the payload's
 * `whatsapp_account`, selects the sender, which Meta names in the URL). Nothing is checked:
 * translate a validated payload (`validate(p).payload`).
 */
export function toMeta(payload) {
  const { text, error } = stringify(payload);
  if (error) throw new TypeError(`toMeta needs a json payload: ${error}`);
  return JSON.parse(glue.toMeta(text));
}

/** A payload in Meta's Cloud API format as the provider's (wasend's); `account` as its `whatsapp_account`. */
export function fromMeta(body, account) {
  const { text, error } = stringify(body);
  if (error) throw new TypeError(`fromMeta needs a json payload: ${error}`);
  return JSON.parse(glue.fromMeta(text, account === undefined || account === null ? undefined : String(account)));
}

/** Every region of the phone metadata with its calling code, sorted: `[{ region: 'IN', callingCode: '91' }, …]`. */
export function regions() {
  return JSON.parse(glue.regions());
}

/**
 * Every input an approved template needs, from the core: `{ name, language, category?, status?,
 * sendable, not_sendable?, fields: [{ key, component, type, label, placeholder?, sub_type?, index?,
 * limit?, required, defaults_to?, pointer }] }`. A form built from it needs no template rule of its own.
 */
export function templateFields(definition) {
  return JSON.parse(glue.templateFields(JSON.stringify(definition)));
}

/**
 * A payload for the template from values by key (`1`, `first_name`, `header`, `button_0`…) and
 * `to`, validated against the definition: `{ valid, errors, warnings, payload? }`, each issue
 * with the `field` (value key) it belongs to. Never throws for a bad value; bad arguments throw a TypeError.
 */
export function fillTemplate(definition, values, options) {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new TypeError('fillTemplate needs the values as an object by key');
  return JSON.parse(glue.fillTemplate(JSON.stringify(definition), JSON.stringify(values), opts(options)));
}

/**
 * Which of `definitions` the template payload names, by the core's lookup:
 * `{ found: index }`, `{ languages: [...] }` (the name approved in other languages),
 * `{ nearest }` (no such name; the closest, or null), or null when it names none.
 */
export function lookupTemplate(definitions, payload) {
  if (!Array.isArray(definitions)) throw new TypeError('lookupTemplate needs an array of template definitions');
  const { text, error } = stringify(payload);
  if (error) return null;
  return JSON.parse(glue.lookupTemplate(JSON.stringify(definitions), text));
}

/** Every RULES.md limit: `[{ pointer, min, max?, unit, of?, when? }]` (`*` in a pointer is any index). */
export function limits() {
  return JSON.parse(glue.limits());
}

/** The limit that applies at `path` (a JSON Pointer) of `payload`, or null: a form's `17/20` counter. */
export function limitAt(payload, path) {
  const { text, error } = stringify(payload);
  if (error) return null;
  return JSON.parse(glue.limitAt(text, String(path)));
}

/** The status order: `{ order: ['sent', 'delivered', 'read'], failed: 'failed' }`. */
export function statusOrder() {
  return JSON.parse(glue.statusOrder());
}

/** Has a message whose status is `current` reached `target`? (`failed` only by failing.) */
export function statusReached(current, target) {
  return glue.statusReached(String(current), String(target));
}

/** The libphonenumber metadata release inside the module. */
export function metadataVersion() {
  return glue.metadataVersion();
}

const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
const newKey = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

/**
 * A client for the wasend Worker: `send(payload, { idempotencyKey?, defaultRegion?, template? })`,
 * `status`, `waitFor`, and the Worker's campaigns and suppression list.
 */
export function createClient(options) {
  // The core checks the options now (a TypeError here, not at the first send);
  // JSON leaves a fetch function out, and the client module gets it as it is.
  const settings = glue.clientOptions(JSON.stringify(options ?? null));
  const fetchFn = options.fetch ?? undefined;
  let made;
  const raw = () => (made ??= loadClient().then((c) => c.createClient(settings, fetchFn)).catch((e) => {
    made = undefined;
    throw e;
  }));
  const call = (method, path, { body, contentType, key, accept } = {}) => raw().then((r) => r.call(method, path, body, contentType, key, accept));
  const id = (campaignId) => encodeURIComponent(String(campaignId));
  const data = (p) => p.then((b) => b.data);
  const campaigns = {
    /**
     * Creates a campaign: `{ name?, template: { name, language }, rows | csv, mapping?, startAt?,
     * defaultRegion? }`. One Idempotency-Key for every attempt (generated when absent), so a
     * retried creation cannot make a second campaign.
     */
    create(campaign, { idempotencyKey } = {}) {
      if (campaign === null || typeof campaign !== 'object') return Promise.reject(new TypeError('campaigns.create needs a campaign object'));
      const { startAt, defaultRegion, ...rest } = campaign;
      const body = JSON.stringify({ ...rest, start_at: startAt instanceof Date ? startAt.toISOString() : startAt, default_region: defaultRegion });
      return data(call('POST', '/api/campaigns', { body, key: idempotencyKey || newKey() }));
    },
    get: (campaignId) => data(call('GET', `/api/campaigns/${id(campaignId)}`)),
    /** The client's campaigns, newest first: `{ data, next_cursor }`. */
    list: ({ limit, cursor } = {}) => call('GET', `/api/campaigns${query({ limit, cursor })}`),
    pause: (campaignId) => data(call('POST', `/api/campaigns/${id(campaignId)}/pause`)),
    resume: (campaignId) => data(call('POST', `/api/campaigns/${id(campaignId)}/resume`)),
    cancel: (campaignId) => data(call('POST', `/api/campaigns/${id(campaignId)}/cancel`)),
    /** A page of rows and their outcomes: `{ data, next_cursor }`; `{ csv: true }`: every row as CSV text. */
    recipients(campaignId, { limit, cursor, status, csv } = {}) {
      if (csv) return call('GET', `/api/campaigns/${id(campaignId)}/recipients`, { accept: 'text/csv' });
      return call('GET', `/api/campaigns/${id(campaignId)}/recipients${query({ limit, cursor, status })}`);
    },
    /** The campaign as it goes: yields it every `intervalMs` (default 2000) until it has finished (`finished` is set: final, every row settled). */
    async *progress(campaignId, { intervalMs = 2_000 } = {}) {
      for (;;) {
        const c = await data(call('GET', `/api/campaigns/${id(campaignId)}`));
        yield c;
        if (c.finished != null) return;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
  const suppressions = {
    list: () => data(call('GET', '/api/suppressions')),
    add: (number, reason) => data(call('POST', '/api/suppressions', { body: JSON.stringify({ number, reason }) })),
    remove: (number) => data(call('DELETE', `/api/suppressions/${encodeURIComponent(String(number))}`)),
  };
  return {
    baseUrl: JSON.parse(settings).baseUrl,
    campaigns,
    suppressions,
    send(payload, sendOptions = {}) {
      const { text, error } = stringify(payload);
      if (error) return Promise.reject(Object.assign(new Error(error), { name: 'SendError', kind: 'invalid', errors: invalidJson(error).errors }));
      const { idempotencyKey, ...validation } = sendOptions;
      let body;
      try {
        body = glue.validateForSend(text, Object.keys(validation).length ? JSON.stringify(validation) : undefined);
      } catch (e) {
        return Promise.reject(e);
      }
      if (body.startsWith('!')) {
        const { message, errors } = JSON.parse(body.slice(1));
        return Promise.reject(Object.assign(new Error(message), { name: 'SendError', kind: 'invalid', errors }));
      }
      return raw().then((r) => r.send(body, idempotencyKey));
    },
    /** The message's status and history, from the Worker's message log. */
    status(messageId) {
      return raw().then((r) => r.status(String(messageId)));
    },
    /**
     * Polls `status` until the message reaches `target` (`sent` < `delivered` < `read`),
     * resolving with its status; rejects with a SendError of kind `failed` when it
     * fails first, or `timeout` after `timeoutMs`.
     */
    async waitFor(messageId, target = 'delivered', { timeoutMs = 60_000, intervalMs = 1_000 } = {}) {
      // The core's order; an unknown target throws its TypeError before any request.
      statusReached('sent', target);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await (await raw()).status(String(messageId));
        if (statusReached(s.status, target)) return s;
        if (statusReached(s.status, 'failed')) {
          throw Object.assign(new Error(`message failed: ${s.failure}`), { name: 'SendError', kind: 'failed', status: undefined, body: s });
        }
        if (Date.now() + intervalMs > deadline) {
          throw Object.assign(new Error(`message still ${s.status} after ${timeoutMs} ms`), { name: 'SendError', kind: 'timeout', body: s });
        }
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}

/** Is `e` a rejection of `client.send`? */
export function isSendError(e) {
  return e instanceof Error && e.name === 'SendError';
}

export * from './builders.js';
