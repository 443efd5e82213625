// `wasend/campaigns` in Cloudflare Workers: the module is imported (wrangler
// bundles it) and instantiated synchronously.
import { initSync } from './campaign.js';
import module from './campaign_bg.wasm';

initSync({ module });

export * from './campaigns-api.js';
