// Cloudflare Workers entry: Workers cannot compile WebAssembly from bytes, so the
// module is imported (wrangler bundles it) and instantiated synchronously.
import { initSync } from './wasend.js';
import module from './wasend_bg.wasm';

initSync({ module });

export * from './api.js';
