// The package's JavaScript API over the WebAssembly glue (./wasend.js). Payloads
// cross as JSON text: JSON.stringify and JSON.parse are native and fast, and the
// module stays free of serde (see BENCHMARKS.md for the measured alternatives).
// Nothing here checks a rule; every verdict comes from the Rust core.
import * as glue from './wasend.js';

const opts = (o) => (o === undefined || o === null ? undefined : JSON.stringify(o));

/** The `defaultRegion` option as the module takes it. */
const regionOf = (o) => (o && o.defaultRegion != null ? String(o.defaultRegion) : undefined);

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

/** Validates a payload object. Never throws for a bad payload. */
export function validate(payload, options) {
  const { text, error } = stringify(payload);
  if (error) return invalidJson(error);
  return JSON.parse(glue.validateJson(text, opts(options)));
}

/** Validates JSON text (what a server receives). Never throws for bad input. */
export function validateJson(json, options) {
  if (typeof json !== 'string') return invalidJson(`json must be a string, not ${json === null ? 'null' : typeof json}`);
  return JSON.parse(glue.validateJson(json, opts(options)));
}

/** Validates many payloads at once: a JSON array or NDJSON text (or an array). */
export function validateMany(input, options) {
  let text = input;
  if (typeof input !== 'string') {
    const s = stringify(input);
    if (s.error) return [invalidJson(s.error)];
    text = s.text;
  }
  return JSON.parse(glue.validateMany(text, opts(options)));
}

/** A phone number's verdict and canonical E.164 form. */
export function normalizePhone(input, options) {
  if (typeof input !== 'string') {
    return { valid: false, error: { code: 'wrong_type', message: `phone number must be a string, not ${typeof input}` }, warnings: [] };
  }
  return JSON.parse(glue.normalizePhone(input, regionOf(options)));
}

/** Just the verdict of normalizePhone: is the number valid? (No details, no allocation.) */
export function isValidPhone(input, options) {
  if (typeof input !== 'string') return false;
  return glue.isValidPhone(input, regionOf(options));
}

/** `isValidPhone` for a whole list, crossing into WebAssembly once: the fast path for bulk lists. */
export function isValidPhoneMany(inputs, options) {
  if (!Array.isArray(inputs)) throw new TypeError('isValidPhoneMany needs an array of strings');
  if (inputs.length === 0) return [];
  // A newline cannot be in a valid number: such an input (or a non-string) is sent as "".
  const text = inputs.map((n) => (typeof n === 'string' && !n.includes('\n') ? n : '')).join('\n');
  return Array.from(glue.isValidPhoneMany(text, regionOf(options)), (b) => b === 1);
}

/** The message as the recipient will read it; a template needs its approved definition. */
export function preview(payload, definition) {
  const { text, error } = stringify(payload);
  if (error) return null;
  return JSON.parse(glue.preview(text, opts(definition)));
}

/** Every region of the phone metadata with its calling code, sorted: `[{ region: 'IN', callingCode: '91' }, …]`. */
export function regions() {
  return JSON.parse(glue.regions());
}

/** The libphonenumber metadata release inside the module. */
export function metadataVersion() {
  return glue.metadataVersion();
}

/** A client for the wasend Worker: `send(payload, { idempotencyKey?, defaultRegion?, template? })`. */
export function createClient(options) {
  const raw = glue.createClient(options);
  return {
    baseUrl: raw.baseUrl,
    send(payload, sendOptions = {}) {
      const { text, error } = stringify(payload);
      if (error) return Promise.reject(Object.assign(new Error(error), { name: 'SendError', kind: 'invalid', errors: invalidJson(error).errors }));
      const { idempotencyKey, ...validation } = sendOptions;
      return raw.send(text, idempotencyKey, Object.keys(validation).length ? JSON.stringify(validation) : undefined);
    },
    /** The message's status and history, from the Worker's message log. */
    status(messageId) {
      return raw.status(String(messageId));
    },
    /**
     * Polls `status` until the message reaches `target` (`sent` < `delivered` < `read`),
     * resolving with its status; rejects with a SendError of kind `failed` when it
     * fails first, or `timeout` after `timeoutMs`.
     */
    async waitFor(messageId, target = 'delivered', { timeoutMs = 60_000, intervalMs = 1_000 } = {}) {
      const rank = { sent: 1, delivered: 2, read: 3, failed: 4 };
      if (!(target in rank)) throw new TypeError(`waitFor: target must be sent, delivered, read or failed, not ${target}`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await raw.status(String(messageId));
        if (target === 'failed' ? s.status === 'failed' : rank[s.status] >= rank[target] && s.status !== 'failed') return s;
        if (s.status === 'failed') {
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
