// A payload that crossed from a module as JSON text, parsed on its first read
// and then an ordinary property (so JSON.stringify and deep equality see it): a
// caller that only asks `valid`, or only counts a list's rows, never pays for it
// (BENCHMARKS.md measures both against parsing everything). Shared by the
// validation API (api.js) and the campaign lists' (campaigns-api.js).
const TEXT = Symbol('wasend.payloadText');
const own = (value) => ({ value, writable: true, enumerable: true, configurable: true });
const LAZY = {
  get() {
    const value = JSON.parse(this[TEXT]);
    Object.defineProperty(this, 'payload', own(value));
    return value;
  },
  set(value) {
    Object.defineProperty(this, 'payload', own(value));
  },
  enumerable: true,
  configurable: true,
};

/** Gives `object` a `payload` property read from `text` when first asked. */
export function lazyPayload(object, text) {
  Object.defineProperty(object, TEXT, { value: text });
  Object.defineProperty(object, 'payload', LAZY);
}
