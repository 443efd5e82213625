// `wasend/campaigns` in Node.js: compiles the campaign module from its bytes on
// disk, synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './campaign.js';

initSync({ module: readFileSync(new URL('./campaign_bg.wasm', import.meta.url)) });

export * from './campaigns-api.js';
