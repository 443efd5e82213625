// How api.js reaches the send client's module (client.js, client_bg.wasm): each
// runtime's entry says how to load it, and it is loaded on the first use of a
// client only, so a page that validates never downloads it.
let load;
let loading;

/** Set by the runtime's entry: resolves to the client module's initialized glue. */
export function clientLoader(fn) {
  load = fn;
}

/** The client module, loaded once; a failed load (a network error in a browser) is tried again next time. */
export function loadClient() {
  loading ??= Promise.resolve().then(load).catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
