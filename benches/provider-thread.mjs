// The fake provider in its own thread, so that its arrival times are not delayed
// by the load generator's event loop (in the same thread, 50 clients' responses
// queue up in front of its 'request' events and bunch them). Used by load.mjs.
import { parentPort } from 'node:worker_threads';
import { fakeProvider } from '../tests/worker/harness.mjs';

const provider = await fakeProvider();
parentPort.postMessage({ url: provider.url });
parentPort.on('message', async (m) => {
  if (m === 'report') {
    parentPort.postMessage({ sends: provider.sends().map((s) => ({ at: s.at, body: s.body })), seen: provider.seen.length });
    await provider.close();
  }
});
