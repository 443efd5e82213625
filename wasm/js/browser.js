// Browser (and default) entry: fetches and compiles the module next to this file;
// bundlers (Vite, esbuild with a file loader, webpack 5) see the URL and ship it.
import init from './wasend.js';

await init({ module_or_path: new URL('./wasend_bg.wasm', import.meta.url) });

export * from './api.js';
