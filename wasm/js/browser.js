// Browser (and default) entry: fetches and compiles the validation module next to
// this file (streaming, where the browser can); the send client's module only when
// a client is first used. Bundlers (Vite, esbuild with a file loader, webpack 5)
// see both URLs and ship both files; a page that never sends never fetches the second.
import init from './wasend.js';
import { clientLoader } from './client-loader.js';

await init({ module_or_path: new URL('./wasend_bg.wasm', import.meta.url) });
clientLoader(async () => {
  const client = await import('./client.js');
  await client.default({ module_or_path: new URL('./client_bg.wasm', import.meta.url) });
  return client;
});

export * from './api.js';
