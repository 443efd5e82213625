// What the page suites share: Debian's headless Chromium, and where each suite's
// screenshots go (test-artifacts/<suite>/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from '../worker/harness.mjs';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function screenshots(suite) {
  const dir = join(root, 'test-artifacts', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
