// `wasend/campaigns` in browsers (and by default): fetches and compiles the
// campaign module next to this file; bundlers see the URL and ship the file. A page
// that imports only `wasend` never fetches it.
import init from './campaign.js';

await init({ module_or_path: new URL('./campaign_bg.wasm', import.meta.url) });

export * from './campaigns-api.js';
