// Cloudflare Workers entry: Workers cannot compile WebAssembly from bytes, so the
// modules are imported (wrangler bundles them) and instantiated synchronously, the
// send client's when a client is first used.
import { initSync } from './wasend.js';
import module from './wasend_bg.wasm';
import * as client from './client.js';
import clientModule from './client_bg.wasm';
import { clientLoader } from './client-loader.js';

initSync({ module });
clientLoader(() => {
  client.initSync({ module: clientModule });
  return client;
});

export * from './api.js';
