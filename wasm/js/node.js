// Node.js entry: compiles the module from its bytes on disk, synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './wasend.js';

initSync({ module: readFileSync(new URL('./wasend_bg.wasm', import.meta.url)) });

export * from './api.js';
