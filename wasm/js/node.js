// Node.js entry: compiles the validation module from its bytes on disk,
// synchronously; the send client's module only when a client is first used.
import { readFileSync } from 'node:fs';
import { initSync } from './wasend.js';
import { clientLoader } from './client-loader.js';

initSync({ module: readFileSync(new URL('./wasend_bg.wasm', import.meta.url)) });
clientLoader(async () => {
  const client = await import('./client.js');
  client.initSync({ module: readFileSync(new URL('./client_bg.wasm', import.meta.url)) });
  return client;
});

export * from './api.js';
