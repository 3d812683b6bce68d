// `cargo xtask bench phone`: the resident phone app's first load on a simulated slow 4G phone
// (Chromium DevTools throttling: Lighthouse's "Slow 4G" — 150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up — and a 4× slower CPU), against the staff app's login screen on the same profile
// in the same run as the baseline. Goals (issue 21): < 200 KB compressed, interactive < 2 s.
// Figures go to `test-results/e2e/phone-load.json` and the console; record them in BENCHMARKS.md.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTEFACTS, launchBrowser, startServer } from '../e2e/harness.mjs';

const RUNS = 5;
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

let server;
let browser;

before(async () => {
  server = await startServer({ residents: 200 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** One cold load: bytes on the wire (compressed, as sent) and ms until `ready` is visible and enabled. */
async function coldLoad(url, ready) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.waitForFunction((sel) => !document.querySelector(sel)?.disabled, ready);
  const ms = Date.now() - started;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { bytes, ms };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test('the phone app loads small and fast on slow 4G, against the staff app', async () => {
  const runs = { phone: [], staff: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.phone.push(await coldLoad(`${server.base}/apply/?tenant=demo`, '[data-testid="apply-start-button"]'));
    runs.staff.push(await coldLoad(`${server.base}/#/login`, 'button[type="submit"]'));
  }
  const figure = (which) => ({ kb: median(runs[which].map((r) => r.bytes)) / 1024, ms: median(runs[which].map((r) => r.ms)) });
  const phone = figure('phone');
  const staff = figure('staff');
  const report = {
    profile: 'slow 4G (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), CPU ×4',
    runs: RUNS,
    phone,
    staff,
    bytes_ratio: phone.kb / staff.kb,
    time_ratio: phone.ms / staff.ms,
  };
  mkdirSync(ARTEFACTS, { recursive: true });
  writeFileSync(join(ARTEFACTS, 'phone-load.json'), JSON.stringify(report, null, 2));
  console.log(
    `phone app: ${phone.kb.toFixed(1)} KB, interactive ${phone.ms} ms; staff app (baseline): ${staff.kb.toFixed(1)} KB, ${staff.ms} ms; ` +
      `ratios ${report.bytes_ratio.toFixed(2)}× bytes, ${report.time_ratio.toFixed(2)}× time`,
  );
  assert.ok(phone.kb < 200, `first load ${phone.kb.toFixed(1)} KB compressed (goal < 200 KB)`);
  assert.ok(phone.ms < 2000, `interactive after ${phone.ms} ms on slow 4G (goal < 2 s)`);
});
